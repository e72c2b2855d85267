/*
 * socket_args.c - what the socket classes read from JavaScript: numeric addresses (never names;
 * loopback only, see socket.c), the options object (argument 0) and its callbacks, formats.
 */
#include "socket_record.h"

/* addresses */

int socketIsLoopback(const struct sockaddr_storage* address)
{
	if (address->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in*)address)->sin_addr.s_addr) >> 24) == 127;
	const struct in6_addr* a6 = &((const struct sockaddr_in6*)address)->sin6_addr;
	return IN6_IS_ADDR_LOOPBACK(a6) || (IN6_IS_ADDR_V4MAPPED(a6) && a6->s6_addr[12] == 127);
}

static int isAny(const struct sockaddr_storage* address)
{
	if (address->ss_family == AF_INET)
		return ((const struct sockaddr_in*)address)->sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6*)address)->sin6_addr);
}

socklen_t socketAddressLength(const struct sockaddr_storage* address)
{
	return address->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

/* Numeric IPv4 (inet_aton forms, as lwip's ipaddr_aton) or IPv6; 0 if not an address. */
static int parseAddress(const char* text, struct sockaddr_storage* out)
{
	memset(out, 0, sizeof(*out));
	if (!*text || strlen(text) >= ADDRESS_TEXT_MAX || strpbrk(text, " \t\r\n"))
		return 0;
	struct sockaddr_in* a4 = (struct sockaddr_in*)out;
	if (inet_aton(text, &a4->sin_addr)) {
		a4->sin_family = AF_INET;
		return 1;
	}
	struct sockaddr_in6* a6 = (struct sockaddr_in6*)out;
	if (inet_pton(AF_INET6, text, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		return 1;
	}
	return 0;
}

void socketSetPort(struct sockaddr_storage* address, int port)
{
	if (address->ss_family == AF_INET)
		((struct sockaddr_in*)address)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6*)address)->sin6_port = htons((uint16_t)port);
}

int socketPortOf(const struct sockaddr_storage* address)
{
	if (address->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in*)address)->sin_port);
	return ntohs(((const struct sockaddr_in6*)address)->sin6_port);
}

void socketAddressText(const struct sockaddr_storage* address, char* text, size_t size)
{
	const void* raw = address->ss_family == AF_INET
		? (const void*)&((const struct sockaddr_in*)address)->sin_addr
		: (const void*)&((const struct sockaddr_in6*)address)->sin6_addr;
	if (!inet_ntop(address->ss_family, raw, text, (socklen_t)size))
		snprintf(text, size, "?");
}

/* A loopback address to bind: "0.0.0.0" and "::" become loopback of their family. */
static void bindAddress(struct sockaddr_storage* address, int port)
{
	if (isAny(address)) {
		if (address->ss_family == AF_INET)
			((struct sockaddr_in*)address)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		else
			((struct sockaddr_in6*)address)->sin6_addr = in6addr_loopback;
	}
	socketSetPort(address, port);
}

/* options (argument 0); xsVar(0) is scratch */

int socketOptionGet(xsMachine* the, const char* name)
{
	if (!xsHas(xsArg(0), xsID((char*)name)))
		return 0;
	xsVar(0) = xsGet(xsArg(0), xsID((char*)name));
	return xsTypeOf(xsVar(0)) != xsUndefinedType;
}

/* a port number in [minimum, 65535]; RangeError("invalid port") for anything else */
int socketPortValue(xsMachine* the, xsSlot* value, int minimum)
{
	double port = xsTypeOf(*value) == xsNumberType || xsTypeOf(*value) == xsIntegerType ? xsToNumber(*value) : -1;
	if (!(port >= minimum && port <= 65535) || port != (double)(int)port)
		xsRangeError("invalid port");
	return (int)port;
}

/* a numeric address string into `out`; RangeError("invalid address") for anything else */
void socketAddressValue(xsMachine* the, xsSlot* value, struct sockaddr_storage* out)
{
	if ((xsTypeOf(*value) != xsStringType && xsTypeOf(*value) != xsStringXType) || !parseAddress(xsToString(*value), out))
		xsRangeError("invalid address");
}

int socketOptionPort(xsMachine* the, const char* name, int fallback, int minimum)
{
	if (!socketOptionGet(the, name)) {
		if (fallback < 0)
			xsRangeError("invalid port");
		return fallback;
	}
	return socketPortValue(the, &xsVar(0), minimum);
}

/* address option: -1 absent, else parsed into `out` (RangeError if not an address) */
int socketOptionAddress(xsMachine* the, const char* name, struct sockaddr_storage* out)
{
	if (!socketOptionGet(the, name))
		return -1;
	socketAddressValue(the, &xsVar(0), out);
	return 0;
}

/* port and address options of a socket that binds (UDP, listener): a loopback address to bind,
   127.0.0.1 when absent; Error("unreachable") for any other address but "0.0.0.0" and "::" */
void socketOptionBindAddress(xsMachine* the, struct sockaddr_storage* address)
{
	int port = socketOptionPort(the, "port", 0, 0);
	if (socketOptionAddress(the, "address", address) < 0)
		parseAddress("127.0.0.1", address);
	if (!socketIsLoopback(address) && !isAny(address))
		xsUnknownError("unreachable");
	bindAddress(address, port);
}

/* callback option into xsVar(index), which keeps it alive until the record remembers it */
uint8_t socketOptionCallback(xsMachine* the, const char* name, int index)
{
	if (!socketOptionGet(the, name) || xsTypeOf(xsVar(0)) == xsNullType)
		return 0;
	if (xsTypeOf(xsVar(0)) != xsReferenceType || !xsIsCallable(xsVar(0)))
		xsRangeError("invalid callback");
	xsVar(index) = xsVar(0);
	return 1;
}

/* Copies the validated callbacks (xsVar) into the record: remembered at commit. */
void socketTakeCallbacks(xsMachine* the, HostSocket* s, uint8_t readable, uint8_t writable, uint8_t error)
{
	s->hasReadable = readable;
	s->onReadable = readable ? xsVar(VAR_READABLE) : xsUndefined;
	s->hasWritable = writable;
	s->onWritable = writable ? xsVar(VAR_WRITABLE) : xsUndefined;
	s->hasError = error;
	s->onError = error ? xsVar(VAR_ERROR) : xsUndefined;
}

int socketFormatOf(xsMachine* the, xsSlot* value)
{
	if (xsTypeOf(*value) != xsStringType && xsTypeOf(*value) != xsStringXType)
		return -1;
	const char* text = xsToString(*value);
	if (!strcmp(text, "buffer"))
		return FORMAT_BUFFER;
	if (!strcmp(text, "number"))
		return FORMAT_NUMBER;
	if (!strcmp(text, "socket/tcp"))
		return FORMAT_SOCKET_TCP;
	return -1;
}

/* "format" option: returns the format, RangeError unless one of `allowed` (bit mask of formats) */
int socketOptionFormat(xsMachine* the, int fallback, int allowed)
{
	if (!socketOptionGet(the, "format") || !xsTest(xsVar(0)))
		return fallback;
	int format = socketFormatOf(the, &xsVar(0));
	if (format < 0 || !(allowed & (1 << format)))
		xsRangeError("invalid format");
	return format;
}

void socketOptionTarget(xsMachine* the)
{
	if (xsHas(xsArg(0), xsID("target"))) {
		xsVar(0) = xsGet(xsArg(0), xsID("target"));
		xsSet(xsThis, xsID("target"), xsVar(0));
	}
}
