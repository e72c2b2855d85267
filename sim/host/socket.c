/*
 * embedded:io/socket/tcp, embedded:io/socket/udp and embedded:io/socket/listener (ECMA-419
 * 2nd edition §10.3, §10.4) on the simulator host, with real sockets and the semantics of
 * Moddable's ESP32 (lwip) implementation. Binding files: sim/modules/host/socket/{tcp,udp,listener}.js.
 *
 * Network policy: the simulator talks to loopback only. An address outside 127.0.0.0/8 and
 * ::1 (or ::ffff:127.x.y.z) throws Error("unreachable") before any socket exists: the firmware
 * may be given any address, but a test or simulation run must never reach a real network
 * (other hosts, brokers in production, the CI runner's neighbours). Listeners and UDP sockets
 * bind to loopback even when asked for "0.0.0.0" or "::". Names are never resolved: as in
 * Moddable, `host` is ignored and `address` must be a numeric address.
 *
 * TCP, as Moddable's lwip socket:
 * - connect is non-blocking; onWritable(8192) when connected (8192: the ESP32's TCP_SND_BUF);
 *   write() before that throws Error("not ready").
 * - write(buffer | byte) copies into a native send queue of 8192 bytes and returns the bytes
 *   still writable. A write that does not fit throws Error("would block") and sends nothing.
 *   The queue is handed to the kernel at once when it takes it; onWritable(count) follows from
 *   the event loop once the queue is empty again (lwip: when the peer acknowledges). Unlike
 *   lwip the count does not wait for acknowledgements: the kernel's own buffer takes them.
 * - received bytes wait in a native buffer of 8192 bytes (the ESP32's TCP_WND); while it is full
 *   the host stops reading and the peer's window closes, as on the device. onReadable(count)
 *   gives the bytes buffered. read() returns them all, read(n) n of them (1..available, else
 *   RangeError("invalid")), read(buffer) fills the whole buffer and returns its length; with
 *   nothing buffered read returns undefined. Format "number" reads and writes one byte.
 * - the peer closing, a reset or a refused connection ends the socket: after the buffered bytes
 *   have been read, onError() (no argument); write() throws Error("not ready") from the moment
 *   the end is seen, read() still returns what was buffered. close() is idempotent; other calls
 *   on a closed socket throw Error("closed").
 * - `from` adopts another socket (one a Listener accepted), its buffered bytes included.
 *
 * UDP: bound to loopback (port 0: any); onReadable(count) gives the datagrams queued (at most 16;
 * more wait in the kernel); read() returns the next as an ArrayBuffer with `address` and `port`
 * properties, or undefined; write(buffer, address, port). Datagrams over 1472 bytes (an
 * Ethernet-sized MTU) are dropped on receipt: the ESP32's lwip does not reassemble fragments.
 *
 * Listener (used by tests; Moddable's semantics): bound to loopback, onReadable(count) gives the
 * connections waiting (at most 8 taken from the kernel at a time); read() returns the next as a
 * TCP socket without callbacks, which `new TCP({ from })` adopts; `port` is the bound port.
 *
 * Errors (STYLE §2.2): RangeError for bad arguments and exhausted resources ("invalid options",
 * "invalid address", "invalid port", "invalid format", "invalid callback", "invalid from",
 * "invalid" for a bad read count or byte, "no socket" when the host's watch table is full);
 * Error for the network: "unreachable", "not ready", "would block", "closed", "bind failed",
 * "send failed". Moddable throws a plain Error for a malformed address and a non-callable
 * callback; both are still `instanceof Error` here.
 *
 * Callbacks run from the host event loop with `this` the socket, inside xsBeginHost/xsTry: an
 * exception in one is reported like one in a timer callback and ends the run. While a socket is
 * open its object and callbacks are xsRemember'd; close() forgets them. No pointer into XS memory
 * is kept between calls: bytes are copied into and out of native buffers.
 *
 * Virtual time (--speed max): a TCP connection the firmware opened holds virtual time
 * (hostMarkAwaitingReply(1)) while it is connecting, and from each write until bytes arrive; the
 * connection completing, the first bytes to arrive, an error, close() or a power cut release it
 * (hostMarkAwaitingReply(0)). The event loop then waits, in real time, for the peer before it
 * jumps the clock to the next timer, so a real broker's CONNACK or PUBACK arrives before a
 * 1-second device timeout. Accepted connections and UDP never hold time (nothing says a reply is
 * due). The loop waits at most AWAIT_REPLY_REAL_MS (2 s real) for a silent peer.
 *
 * Device power: every socket's descriptor is watched with the owning machine's index, so a device
 * power cut closes it (hostWatchDropMachine). A pipe whose write end the device owns tells this
 * file about the cut; records of the dead boot then release their hold on virtual time and stop
 * delivering, and are freed when the old machine is deleted at the next boot (its destructors).
 */
#include "host.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#define TCP_SEND_BYTES 8192         /* ESP32 Moddable: CONFIG_LWIP_TCP_SND_BUF_DEFAULT */
#define TCP_RECEIVE_BYTES 8192      /* ESP32 Moddable: CONFIG_LWIP_TCP_WND_DEFAULT */
#define UDP_QUEUE_COUNT 16
#define UDP_PAYLOAD_MAX 1472        /* 1500-byte MTU less IPv4 and UDP headers */
#define LISTENER_PENDING_MAX 8
#define ADDRESS_TEXT_MAX 64

enum { SOCKET_TCP, SOCKET_UDP, SOCKET_LISTENER };
enum { TRIGGER_READABLE = 1, TRIGGER_WRITABLE = 2, TRIGGER_ERROR = 4 };
enum { FORMAT_BUFFER, FORMAT_NUMBER, FORMAT_SOCKET_TCP };

typedef struct HostPacket {
	struct HostPacket* next;
	struct sockaddr_storage from;
	size_t length;
	uint8_t data[];
} HostPacket;

typedef struct HostPending {
	struct HostPending* next;
	int fd;
	struct sockaddr_storage peer;
} HostPending;

typedef struct HostSocket HostSocket;
struct HostSocket {
	HostSocket* next;          /* every live record, in creation order */
	int kind;
	int fd;                    /* -1 once the connection has ended or the socket is closed */
	int watched;               /* fd is in the host's watch table */
	int machine;               /* owner: HOST_DEVICE or HOST_SIM */
	int boot;                  /* the device boot that created it: a power cut retires it */
	int holds;                 /* the JS object's reference plus deliveries in progress */
	int events;                /* poll events asked for */
	uint8_t retired;           /* IO stopped by a power cut: deliver nothing more */
	uint8_t closed;            /* close() or the destructor: the record goes at the last hold */
	uint8_t remembered;        /* object and callbacks are in the machine's C roots */
	uint8_t triggered;         /* TRIGGER_* waiting for delivery */
	uint8_t posted;            /* waiting for the wake pipe */
	uint8_t due;               /* in the wake pipe's current round */
	uint8_t format;
	uint8_t client;            /* TCP: opened by connect (not accepted): may hold virtual time */
	uint8_t connecting, connected, failed, errorDelivered, awaiting;
	xsMachine* the;
	xsSlot object, onReadable, onWritable, onError;
	uint8_t hasReadable, hasWritable, hasError;
	struct sockaddr_storage peer;   /* TCP: remote end */
	int family;                     /* UDP, listener: the bound family */
	/* TCP */
	uint8_t* input;
	size_t inputStart, inputLength;
	uint8_t* output;
	size_t outputLength;
	/* UDP */
	HostPacket* packets;
	int packetCount;
	/* listener */
	HostPending* pending;
	int pendingCount;
};

static HostSocket* gSockets = NULL;
static struct { int readFd, writeFd, signalled; } gWake = { -1, -1, 0 };
static struct { int readFd, writeFd, boot; } gSentinel = { -1, -1, 0 };

int hostDeviceBoots(void);

static void deliver(HostSocket* s);
static void retire(HostSocket* s);

/* records */

static int machineIndex(xsMachine* the)
{
	return (int)(hostMachineOf(the) - gHostMachines);
}

static int isStale(HostSocket* s)
{
	return s->machine == HOST_DEVICE && (s->boot != hostDeviceBoots() || !hostDevicePowered());
}

static void unlink_(HostSocket* s)
{
	for (HostSocket** p = &gSockets; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			return;
		}
}

static void freeQueues(HostSocket* s)
{
	while (s->packets) {
		HostPacket* packet = s->packets;
		s->packets = packet->next;
		free(packet);
	}
	s->packetCount = 0;
	while (s->pending) {
		HostPending* pending = s->pending;
		s->pending = pending->next;
		if (pending->fd >= 0)
			close(pending->fd);
		free(pending);
	}
	s->pendingCount = 0;
}

static void hold(HostSocket* s) { s->holds++; }

static void release(HostSocket* s)
{
	if (--s->holds > 0 || !s->closed)
		return;
	unlink_(s);
	freeQueues(s);
	free(s);
}

static void setAwaiting(HostSocket* s, int awaiting)
{
	if (s->awaiting == awaiting)
		return;
	s->awaiting = (uint8_t)awaiting;
	hostMarkAwaitingReply(awaiting);
}

/* Stops the descriptor: unwatched and closed. */
static void closeDescriptor(HostSocket* s)
{
	if (s->fd < 0)
		return;
	if (s->watched)
		hostUnwatch(s->fd);
	close(s->fd);
	s->fd = -1;
	s->watched = 0;
}

/*
 * A power cut: hostWatchDropMachine has already closed the watched descriptor (its number may
 * belong to someone else by now), so only what the host does not know about is closed here.
 */
static void retire(HostSocket* s)
{
	if (s->retired)
		return;
	s->retired = 1;
	if (s->fd >= 0 && !s->watched)
		close(s->fd);
	s->fd = -1;
	s->watched = 0;
	freeQueues(s);
	setAwaiting(s, 0);
	s->triggered = 0;
	s->posted = s->due = 0;
}

/* Retires every record of a dead device boot, and the sentinel of that boot. */
static void powerCheck(void)
{
	for (HostSocket* s = gSockets; s; s = s->next)
		if (isStale(s))
			retire(s);
	if (gSentinel.readFd >= 0 && (gSentinel.boot != hostDeviceBoots() || !hostDevicePowered())) {
		hostUnwatch(gSentinel.readFd);
		close(gSentinel.readFd);
		gSentinel.readFd = gSentinel.writeFd = -1;  /* the write end was the device's: closed by the cut */
	}
}

static void sentinelEvent(void* refcon, int fd, int events)
{
	powerCheck();
}

static void ignoreEvent(void* refcon, int fd, int events)
{
}

/* The device's sentinel: a pipe whose write end is a device-owned watch (events 0). */
static int sentinelArm(void)
{
	powerCheck();
	if (gSentinel.readFd >= 0)
		return 0;
	int fds[2];
	if (pipe(fds))
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	if (hostWatch(fds[0], POLLIN, sentinelEvent, NULL)) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (hostWatch(fds[1], 0, ignoreEvent, NULL)) {
		hostUnwatch(fds[0]);
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	hostSetDaemon(fds[0], 1);
	hostSetDaemon(fds[1], 1);
	hostWatchOwner(fds[1], HOST_DEVICE);
	gSentinel.readFd = fds[0];
	gSentinel.writeFd = fds[1];
	gSentinel.boot = hostDeviceBoots();
	return 0;
}

/* The wake pipe: deliveries raised inside a native call run later, from the event loop. */
static void wakeEvent(void* refcon, int fd, int events)
{
	char bytes[64];
	while (read(fd, bytes, sizeof(bytes)) > 0) {}
	gWake.signalled = 0;
	hostSetDaemon(fd, 1);
	for (HostSocket* s = gSockets; s; s = s->next)
		if (s->posted) {
			s->posted = 0;
			s->due = 1;
		}
	for (;;) {
		HostSocket* s = gSockets;
		while (s && !s->due)
			s = s->next;
		if (!s || hostExitRequested())
			break;
		s->due = 0;
		deliver(s);
		hostDrainJobs();
	}
}

static int wakeArm(void)
{
	if (gWake.readFd >= 0)
		return 0;
	int fds[2];
	if (pipe(fds))
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, O_NONBLOCK | fcntl(fds[i], F_GETFL, 0));
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	if (hostWatch(fds[0], POLLIN, wakeEvent, NULL)) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	hostSetDaemon(fds[0], 1);
	gWake.readFd = fds[0];
	gWake.writeFd = fds[1];
	return 0;
}

static void post(HostSocket* s, int trigger)
{
	s->triggered |= (uint8_t)trigger;
	if (s->posted || s->retired || s->closed)
		return;
	if (wakeArm())
		return;  /* no room for the wake pipe: delivered with the socket's next event */
	s->posted = 1;
	if (!gWake.signalled) {
		gWake.signalled = 1;
		hostSetDaemon(gWake.readFd, 0);  /* pending deliveries keep the loop alive */
		if (write(gWake.writeFd, "!", 1) < 0) {}
	}
}

/* Room in the watch table and the shared pipes for a new socket of this machine. */
static int armFor(int machine)
{
	if (wakeArm())
		return -1;
	if (machine == HOST_DEVICE && sentinelArm())
		return -1;
	return 0;
}

/* addresses */

static int isLoopback(const struct sockaddr_storage* address)
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

static socklen_t addressLength(const struct sockaddr_storage* address)
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

static void setPort(struct sockaddr_storage* address, int port)
{
	if (address->ss_family == AF_INET)
		((struct sockaddr_in*)address)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6*)address)->sin6_port = htons((uint16_t)port);
}

static int portOf(const struct sockaddr_storage* address)
{
	if (address->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in*)address)->sin_port);
	return ntohs(((const struct sockaddr_in6*)address)->sin6_port);
}

static void addressText(const struct sockaddr_storage* address, char* text, size_t size)
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
	setPort(address, port);
}

/* options (argument 0); xsVar(0) is scratch */

static int optionGet(xsMachine* the, const char* name)
{
	if (!xsHas(xsArg(0), xsID((char*)name)))
		return 0;
	xsVar(0) = xsGet(xsArg(0), xsID((char*)name));
	return xsTypeOf(xsVar(0)) != xsUndefinedType;
}

/* a port number in [minimum, 65535]; RangeError("invalid port") for anything else */
static int portValue(xsMachine* the, xsSlot* value, int minimum)
{
	double port = xsTypeOf(*value) == xsNumberType || xsTypeOf(*value) == xsIntegerType ? xsToNumber(*value) : -1;
	if (!(port >= minimum && port <= 65535) || port != (double)(int)port)
		xsRangeError("invalid port");
	return (int)port;
}

/* a numeric address string into `out`; RangeError("invalid address") for anything else */
static void addressValue(xsMachine* the, xsSlot* value, struct sockaddr_storage* out)
{
	if ((xsTypeOf(*value) != xsStringType && xsTypeOf(*value) != xsStringXType) || !parseAddress(xsToString(*value), out))
		xsRangeError("invalid address");
}

static int optionPort(xsMachine* the, const char* name, int fallback, int minimum)
{
	if (!optionGet(the, name)) {
		if (fallback < 0)
			xsRangeError("invalid port");
		return fallback;
	}
	return portValue(the, &xsVar(0), minimum);
}

/* address option: -1 absent, else parsed into `out` (RangeError if not an address) */
static int optionAddress(xsMachine* the, const char* name, struct sockaddr_storage* out)
{
	if (!optionGet(the, name))
		return -1;
	addressValue(the, &xsVar(0), out);
	return 0;
}

/* port and address options of a socket that binds (UDP, listener): a loopback address to bind,
   127.0.0.1 when absent; Error("unreachable") for any other address but "0.0.0.0" and "::" */
static void optionBindAddress(xsMachine* the, struct sockaddr_storage* address)
{
	int port = optionPort(the, "port", 0, 0);
	if (optionAddress(the, "address", address) < 0)
		parseAddress("127.0.0.1", address);
	if (!isLoopback(address) && !isAny(address))
		xsUnknownError("unreachable");
	bindAddress(address, port);
}

/* callback option into xsVar(index), which keeps it alive until the record remembers it */
static uint8_t optionCallback(xsMachine* the, const char* name, int index)
{
	if (!optionGet(the, name) || xsTypeOf(xsVar(0)) == xsNullType)
		return 0;
	if (xsTypeOf(xsVar(0)) != xsReferenceType || !xsIsCallable(xsVar(0)))
		xsRangeError("invalid callback");
	xsVar(index) = xsVar(0);
	return 1;
}

enum { VAR_SCRATCH, VAR_FROM, VAR_READABLE, VAR_WRITABLE, VAR_ERROR, VAR_COUNT };

/* Copies the validated callbacks (xsVar) into the record: remembered at commit. */
static void takeCallbacks(xsMachine* the, HostSocket* s, uint8_t readable, uint8_t writable, uint8_t error)
{
	s->hasReadable = readable;
	s->onReadable = readable ? xsVar(VAR_READABLE) : xsUndefined;
	s->hasWritable = writable;
	s->onWritable = writable ? xsVar(VAR_WRITABLE) : xsUndefined;
	s->hasError = error;
	s->onError = error ? xsVar(VAR_ERROR) : xsUndefined;
}

static int formatOf(xsMachine* the, xsSlot* value)
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
static int optionFormat(xsMachine* the, int fallback, int allowed)
{
	if (!optionGet(the, "format") || !xsTest(xsVar(0)))
		return fallback;
	int format = formatOf(the, &xsVar(0));
	if (format < 0 || !(allowed & (1 << format)))
		xsRangeError("invalid format");
	return format;
}

static void optionTarget(xsMachine* the)
{
	if (xsHas(xsArg(0), xsID("target"))) {
		xsVar(0) = xsGet(xsArg(0), xsID("target"));
		xsSet(xsThis, xsID("target"), xsVar(0));
	}
}

/* The host part of an object (an instance of a class with a host destructor), or NULL. */
static txSlot* hostPart(xsSlot* slot)
{
	txSlot* it = (txSlot*)slot;
	if (it->kind != XS_REFERENCE_KIND)
		return NULL;
	txSlot* first = it->value.reference->next;
	return first && (first->flag & XS_INTERNAL_FLAG) && first->kind == XS_HOST_KIND ? first : NULL;
}

/* the record behind `this`: NULL if closed; TypeError if not a socket of that kind */
static HostSocket* socketOf(xsMachine* the, xsSlot* slot, int kind, int closedThrows)
{
	txSlot* host = hostPart(slot);
	if (!host)
		xsTypeError("not a socket");
	HostSocket* data = host->flag & XS_HOST_CHUNK_FLAG ? NULL : host->value.host.data;
	if (data) {
		HostSocket* s = gSockets;
		while (s && s != data)
			s = s->next;
		if (!s || s->kind != kind || s->closed)
			xsTypeError("not a socket");
	}
	else if (closedThrows)
		xsUnknownError("closed");
	return data;
}

/* the remembered slots; an open socket keeps its object and callbacks alive */
static void rememberAll(xsMachine* the, HostSocket* s)
{
	xsRemember(s->object);
	if (s->hasReadable) xsRemember(s->onReadable);
	if (s->hasWritable) xsRemember(s->onWritable);
	if (s->hasError) xsRemember(s->onError);
	s->remembered = 1;
}

static void forgetAll(xsMachine* the, HostSocket* s)
{
	if (!s->remembered)
		return;
	xsForget(s->object);
	if (s->hasReadable) xsForget(s->onReadable);
	if (s->hasWritable) xsForget(s->onWritable);
	if (s->hasError) xsForget(s->onError);
	s->remembered = 0;
}

static HostSocket* socketNew(xsMachine* the, int kind, size_t extra)
{
	HostSocket* s = calloc(1, sizeof(HostSocket) + extra);
	if (!s)
		return NULL;
	s->kind = kind;
	s->fd = -1;
	s->the = the;
	s->machine = machineIndex(the);
	s->boot = hostDeviceBoots();
	s->holds = 1;
	if (kind == SOCKET_TCP) {
		s->input = (uint8_t*)(s + 1);
		s->output = s->input + TCP_RECEIVE_BYTES;
	}
	return s;
}

static void tcpEvent(void* refcon, int fd, int events);
static void udpEvent(void* refcon, int fd, int events);
static void listenerEvent(void* refcon, int fd, int events);

static int watchStart(HostSocket* s, int events)
{
	HostWatchCallback callback = s->kind == SOCKET_TCP ? tcpEvent : s->kind == SOCKET_UDP ? udpEvent : listenerEvent;
	if (hostWatch(s->fd, events, callback, s))
		return -1;
	hostWatchOwner(s->fd, s->machine);
	s->watched = 1;
	s->events = events;
	return 0;
}

static void watchUpdate(HostSocket* s)
{
	if (s->fd < 0 || !s->watched)
		return;
	int events = 0;
	if (s->kind == SOCKET_TCP) {
		if (s->connecting || s->outputLength)
			events |= POLLOUT;
		if (s->connected && !s->failed && s->inputLength < TCP_RECEIVE_BYTES)
			events |= POLLIN;
	}
	else if (s->kind == SOCKET_UDP)
		events = s->packetCount < UDP_QUEUE_COUNT ? POLLIN : 0;
	else
		events = s->pendingCount < LISTENER_PENDING_MAX ? POLLIN : 0;
	if (events != s->events) {
		HostWatchCallback callback = s->kind == SOCKET_TCP ? tcpEvent : s->kind == SOCKET_UDP ? udpEvent : listenerEvent;
		hostWatch(s->fd, events, callback, s);  /* updates the existing watch: cannot fail */
		s->events = events;
	}
}

/* Non-blocking socket of the address's family, close-on-exec; -1 with errno. */
static int socketOpen(int family, int type)
{
	return socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

/* allocate: a new record with a new descriptor; RangeError "no memory" or "no socket" */
static HostSocket* socketCreate(xsMachine* the, int kind, int family, int type, size_t extra)
{
	HostSocket* s = socketNew(the, kind, extra);
	if (!s)
		xsRangeError("no memory");
	if (armFor(s->machine) || (s->fd = socketOpen(family, type)) < 0) {
		free(s);
		xsRangeError("no socket");
	}
	return s;
}

/* allocate: watches a new record's descriptor, else closes it, frees the record and throws */
static void socketWatchNew(xsMachine* the, HostSocket* s, int events)
{
	if (watchStart(s, events)) {
		close(s->fd);
		free(s);
		xsRangeError("no socket");
	}
}

/* allocate: a UDP socket or a listener bound to `address`; Error "bind failed" */
static HostSocket* socketBound(xsMachine* the, int kind, const struct sockaddr_storage* address)
{
	int listener = kind == SOCKET_LISTENER;
	HostSocket* s = socketCreate(the, kind, address->ss_family, listener ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (listener) {
		int yes = 1;
		setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
	}
	if (bind(s->fd, (const struct sockaddr*)address, addressLength(address)) || (listener && listen(s->fd, SOMAXCONN))) {
		close(s->fd);
		free(s);
		xsUnknownError("bind failed");
	}
	socketWatchNew(the, s, POLLIN);
	s->family = address->ss_family;
	return s;
}

/* commit: the record joins the list of live records and `object` owns it; the object and its
   callbacks are remembered while the socket is open */
static void socketCommit(xsMachine* the, HostSocket* s, xsSlot* object)
{
	s->object = *object;
	s->next = NULL;
	HostSocket** tail = &gSockets;
	while (*tail)
		tail = &(*tail)->next;
	*tail = s;
	xsSetHostData(*object, s);
	rememberAll(the, s);
}

/* callbacks */

static void callBack(HostSocket* s, xsSlot* callback, int withCount, int count)
{
	xsMachine* the = s->the;
	xsBeginHost(the);
	{
		xsVars(1);
		xsTry {
			if (withCount) {
				xsVar(0) = xsInteger(count);
				(void)xsCallFunction1(*callback, s->object, xsVar(0));
			}
			else
				(void)xsCallFunction0(*callback, s->object);
		}
		xsCatch {
			xsSlot exception = xsException;
			hostReportException(the, &exception, "uncaught exception in socket callback");
			hostRequestExit(HOST_EXIT_ERROR);
		}
	}
	xsEndHost(the);
}

/* after a callback: is the record still one to deliver to? */
static int stillLive(HostSocket* s)
{
	if (s->closed || s->retired || hostExitRequested())
		return 0;
	if (isStale(s)) {
		retire(s);
		return 0;
	}
	return 1;
}

static void deliver(HostSocket* s)
{
	if (!stillLive(s))
		return;
	hold(s);
	uint8_t triggered = s->triggered;
	s->triggered = 0;
	if (s->kind == SOCKET_TCP) {
		if ((triggered & TRIGGER_READABLE) && s->inputLength && s->hasReadable) {
			callBack(s, &s->onReadable, 1, (int)s->inputLength);
			if (!stillLive(s))
				goto done;
		}
		if (s->failed) {
			/* the end is told once everything buffered has been read */
			if (!s->inputLength && !s->errorDelivered && (triggered & TRIGGER_ERROR)) {
				s->errorDelivered = 1;
				if (s->hasError)
					callBack(s, &s->onError, 0, 0);
			}
		}
		else if ((triggered & TRIGGER_WRITABLE) && s->connected && s->hasWritable && s->outputLength < TCP_SEND_BYTES)
			callBack(s, &s->onWritable, 1, (int)(TCP_SEND_BYTES - s->outputLength));
	}
	else if (s->kind == SOCKET_UDP) {
		if ((triggered & TRIGGER_READABLE) && s->packetCount && s->hasReadable)
			callBack(s, &s->onReadable, 1, s->packetCount);
		else if ((triggered & TRIGGER_ERROR) && s->hasError && !s->errorDelivered) {
			s->errorDelivered = 1;
			callBack(s, &s->onError, 0, 0);
		}
	}
	else if ((triggered & TRIGGER_READABLE) && s->pendingCount && s->hasReadable)
		callBack(s, &s->onReadable, 1, s->pendingCount);
done:
	release(s);
}

/* after an event: the watch follows the record's new state, and what it triggered is told now */
static void eventDone(HostSocket* s)
{
	watchUpdate(s);
	if (s->triggered)
		deliver(s);
}

/* close(): idempotent; the object forgets its record and the record its descriptor */
static void socketClose(xsMachine* the, int kind)
{
	HostSocket* s = socketOf(the, &xsThis, kind, 0);
	if (!s)
		return;
	xsSetHostData(xsThis, NULL);
	forgetAll(the, s);
	if (!s->retired)
		closeDescriptor(s);
	setAwaiting(s, 0);
	s->closed = 1;
	s->posted = s->due = 0;
	release(s);
}

/* The destructor runs when a closed-over object is collected (record already gone) or when the
   machine is deleted at a reboot: then the machine's C roots are being torn down, so nothing is
   forgotten, and a power cut has already closed the watched descriptor. */
static void socketDestruct(void* data)
{
	HostSocket* s = data;
	if (!s)
		return;
	if (isStale(s))
		retire(s);
	else
		closeDescriptor(s);
	setAwaiting(s, 0);
	s->remembered = 0;
	s->closed = 1;
	s->posted = s->due = 0;
	release(s);
}

/* TCP */

static void tcpFail(HostSocket* s)
{
	if (s->failed)
		return;
	s->failed = 1;
	s->connecting = 0;
	s->outputLength = 0;
	setAwaiting(s, 0);
	closeDescriptor(s);
	s->triggered |= TRIGGER_ERROR;
}

/* Hands the send queue to the kernel; TRIGGER_WRITABLE once it is empty. */
static void tcpFlush(HostSocket* s)
{
	while (s->outputLength && s->fd >= 0) {
		ssize_t sent = send(s->fd, s->output, s->outputLength, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (sent > 0) {
			memmove(s->output, s->output + sent, s->outputLength - (size_t)sent);
			s->outputLength -= (size_t)sent;
			if (!s->outputLength)
				s->triggered |= TRIGGER_WRITABLE;
		}
		else if (sent < 0 && errno == EINTR)
			continue;
		else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		else {
			tcpFail(s);
			break;
		}
	}
}

static void tcpReceive(HostSocket* s, int events)
{
	size_t room = TCP_RECEIVE_BYTES - s->inputLength;
	if (!room) {
		/* full: nothing more is read until the app reads; a reset now ends the connection */
		if (events & (POLLERR | POLLHUP))
			tcpFail(s);
		return;
	}
	if (s->inputStart) {
		memmove(s->input, s->input + s->inputStart, s->inputLength);
		s->inputStart = 0;
	}
	ssize_t got = recv(s->fd, s->input + s->inputLength, room, MSG_DONTWAIT);
	if (got > 0) {
		s->inputLength += (size_t)got;
		s->triggered |= TRIGGER_READABLE;
		setAwaiting(s, 0);
	}
	else if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
		tcpFail(s);
}

static void tcpEvent(void* refcon, int fd, int events)
{
	HostSocket* s = refcon;
	if (s->retired || s->fd != fd)
		return;
	/* events of a descriptor number reused within one poll round are stale: ask again */
	struct pollfd check = { fd, (short)s->events, 0 };
	if (poll(&check, 1, 0) <= 0)
		return;
	events = check.revents;
	if (s->connecting) {
		int error = 0;
		socklen_t length = sizeof(error);
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
		struct sockaddr_storage peer;
		socklen_t peerLength = sizeof(peer);
		if (error || ((events & (POLLERR | POLLHUP)) && getpeername(fd, (struct sockaddr*)&peer, &peerLength)))
			tcpFail(s);
		else if ((events & POLLOUT) && !getpeername(fd, (struct sockaddr*)&peer, &peerLength)) {
			s->connecting = 0;
			s->connected = 1;
			setAwaiting(s, 0);
			s->triggered |= TRIGGER_WRITABLE;
		}
	}
	else if (s->connected && !s->failed) {
		if (events & (POLLIN | POLLERR | POLLHUP))
			tcpReceive(s, events);
		if (!s->failed && (events & POLLOUT))
			tcpFlush(s);
	}
	eventDone(s);
}

void xs_tcp_destructor(void* data)
{
	socketDestruct(data);
}

void xs_tcp_constructor(xsMachine* the)
{
	xsVars(VAR_COUNT);
	if (xsToInteger(xsArgc) < 1) {
		xsSetHostData(xsThis, NULL);  /* an empty socket, for Listener.read() to fill */
		return;
	}
	if (xsTypeOf(xsArg(0)) != xsReferenceType)
		xsRangeError("invalid options");

	/* validate */
	uint8_t readable = optionCallback(the, "onReadable", VAR_READABLE);
	uint8_t writable = optionCallback(the, "onWritable", VAR_WRITABLE);
	uint8_t error = optionCallback(the, "onError", VAR_ERROR);
	int format = optionFormat(the, FORMAT_BUFFER, (1 << FORMAT_BUFFER) | (1 << FORMAT_NUMBER));
	int nodelay = -1;
	if (optionGet(the, "nodelay"))
		nodelay = xsTest(xsVar(0));
	HostSocket* from = NULL;
	struct sockaddr_storage address;
	if (optionGet(the, "from")) {
		xsVar(VAR_FROM) = xsVar(0);
		if (xsTypeOf(xsVar(VAR_FROM)) != xsReferenceType || !hostPart(&xsVar(VAR_FROM)))
			xsRangeError("invalid from");
		from = socketOf(the, &xsVar(VAR_FROM), SOCKET_TCP, 0);
		if (!from || from->retired || from->the != the)
			xsRangeError("invalid from");
	}
	else {
		if (optionAddress(the, "address", &address) < 0)
			xsRangeError("invalid address");  /* `host` is not resolved: resolve names first */
		int port = optionPort(the, "port", -1, 1);
		if (!isLoopback(&address))
			xsUnknownError("unreachable");
		setPort(&address, port);
	}

	if (from) {
		/* commit: the record moves from the other object to this one */
		xsSetHostData(xsVar(VAR_FROM), NULL);
		forgetAll(the, from);
		from->object = xsThis;
		takeCallbacks(the, from, readable, writable, error);
		from->format = (uint8_t)format;
		if (nodelay >= 0 && from->fd >= 0)
			setsockopt(from->fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof(nodelay));
		xsSetHostData(xsThis, from);
		rememberAll(the, from);
		optionTarget(the);
		int triggers = (from->inputLength ? TRIGGER_READABLE : 0) | (from->connected && !from->failed ? TRIGGER_WRITABLE : 0)
			| (from->failed ? TRIGGER_ERROR : 0);
		if (triggers)
			post(from, triggers);
		return;
	}

	/* allocate */
	HostSocket* s = socketCreate(the, SOCKET_TCP, address.ss_family, SOCK_STREAM, TCP_RECEIVE_BYTES + TCP_SEND_BYTES);
	socketWatchNew(the, s, POLLOUT);
	if (nodelay >= 0)
		setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof(nodelay));
	s->peer = address;
	s->client = 1;
	s->format = (uint8_t)format;
	takeCallbacks(the, s, readable, writable, error);

	/* commit */
	socketCommit(the, s, &xsThis);
	optionTarget(the);
	s->connecting = 1;
	if (connect(s->fd, (struct sockaddr*)&address, addressLength(&address)) == 0) {
		s->connecting = 0;
		s->connected = 1;
		watchUpdate(s);
		post(s, TRIGGER_WRITABLE);
	}
	else if (errno == EINPROGRESS)
		setAwaiting(s, 1);  /* the peer's SYN-ACK is a reply too */
	else {
		tcpFail(s);  /* refused at once: told from the event loop, as any refusal */
		post(s, TRIGGER_ERROR);
	}
}

void xs_tcp_close(xsMachine* the)
{
	socketClose(the, SOCKET_TCP);
}

void xs_tcp_read(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	if (!s->inputLength)
		return;
	size_t count;
	uint8_t* out;
	if (s->format == FORMAT_NUMBER) {
		xsResult = xsInteger(s->input[s->inputStart]);
		count = 1;
	}
	else if (xsToInteger(xsArgc) < 1 || xsTypeOf(xsArg(0)) == xsUndefinedType) {
		count = s->inputLength;
		xsResult = xsArrayBuffer(s->input + s->inputStart, (xsIntegerValue)count);
	}
	else if (xsTypeOf(xsArg(0)) == xsReferenceType) {
		void* data;
		xsUnsignedValue length;
		hostGetBuffer(the, &xsArg(0), &data, &length, 1);
		if (!length || length > s->inputLength)
			xsRangeError("invalid");
		count = length;
		memcpy(data, s->input + s->inputStart, count);
		xsResult = xsInteger((xsIntegerValue)count);
	}
	else {
		double requested = xsToNumber(xsArg(0));
		if (!(requested >= 1 && requested <= (double)s->inputLength) || requested != (double)(size_t)requested)
			xsRangeError("invalid");
		count = (size_t)requested;
		xsResult = xsArrayBuffer(NULL, (xsIntegerValue)count);
		xsUnsignedValue length;
		void* data;
		hostGetBuffer(the, &xsResult, &data, &length, 1);
		out = data;
		memcpy(out, s->input + s->inputStart, count);
	}
	s->inputStart += count;
	s->inputLength -= count;
	if (!s->inputLength)
		s->inputStart = 0;
	watchUpdate(s);
	if (!s->inputLength && s->failed && !s->errorDelivered)
		post(s, TRIGGER_ERROR);
}

void xs_tcp_write(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	if (s->retired || !s->connected || s->failed)
		xsUnknownError("not ready");
	uint8_t byte;
	void* data;
	xsUnsignedValue length;
	if (xsToInteger(xsArgc) < 1)
		xsRangeError("invalid");
	if (s->format == FORMAT_NUMBER) {
		int value = xsToInteger(xsArg(0));
		if (value < 0 || value > 255)
			xsRangeError("invalid");
		byte = (uint8_t)value;
		data = &byte;
		length = 1;
	}
	else {
		if (xsToInteger(xsArgc) < 1 || xsTypeOf(xsArg(0)) != xsReferenceType)
			xsRangeError("invalid buffer");
		hostGetBuffer(the, &xsArg(0), &data, &length, 0);
	}
	if (length > TCP_SEND_BYTES - s->outputLength)
		xsUnknownError("would block");
	memcpy(s->output + s->outputLength, data, length);
	s->outputLength += length;
	if (length && s->client)
		setAwaiting(s, 1);
	tcpFlush(s);
	watchUpdate(s);
	if (s->triggered)
		post(s, 0);
	xsResult = xsInteger((xsIntegerValue)(s->failed ? 0 : TCP_SEND_BYTES - s->outputLength));
}

void xs_tcp_get_remote_address(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	char text[INET6_ADDRSTRLEN];
	addressText(&s->peer, text, sizeof(text));
	xsResult = xsString(text);
}

void xs_tcp_get_remote_port(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	xsResult = xsInteger(portOf(&s->peer));
}

void xs_tcp_get_format(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	xsResult = xsString(s->format == FORMAT_NUMBER ? "number" : "buffer");
}

void xs_tcp_set_format(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	int format = formatOf(the, &xsArg(0));
	if (format != FORMAT_BUFFER && format != FORMAT_NUMBER)
		xsRangeError("invalid format");
	s->format = (uint8_t)format;
}

/* UDP */

static void udpEvent(void* refcon, int fd, int events)
{
	HostSocket* s = refcon;
	if (s->retired || s->fd != fd)
		return;
	uint8_t datagram[UDP_PAYLOAD_MAX + 1];
	while (s->packetCount < UDP_QUEUE_COUNT) {
		struct sockaddr_storage from;
		socklen_t fromLength = sizeof(from);
		ssize_t got = recvfrom(fd, datagram, sizeof(datagram), MSG_DONTWAIT | MSG_TRUNC, (struct sockaddr*)&from, &fromLength);
		if (got < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;  /* an ICMP error for an earlier datagram: UDP has no connection to end */
			s->triggered |= TRIGGER_ERROR;
			break;
		}
		if (got > UDP_PAYLOAD_MAX)
			continue;  /* would arrive fragmented: the ESP32 does not reassemble */
		HostPacket* packet = malloc(sizeof(HostPacket) + (size_t)got);
		if (!packet)
			break;
		packet->next = NULL;
		packet->from = from;
		packet->length = (size_t)got;
		memcpy(packet->data, datagram, (size_t)got);
		HostPacket** tail = &s->packets;
		while (*tail)
			tail = &(*tail)->next;
		*tail = packet;
		s->packetCount++;
		s->triggered |= TRIGGER_READABLE;
	}
	eventDone(s);
}

void xs_udp_destructor(void* data)
{
	socketDestruct(data);
}

void xs_udp_constructor(xsMachine* the)
{
	xsVars(VAR_COUNT);
	if (xsToInteger(xsArgc) < 1 || xsTypeOf(xsArg(0)) != xsReferenceType)
		xsRangeError("invalid options");

	/* validate */
	uint8_t readable = optionCallback(the, "onReadable", VAR_READABLE);
	uint8_t error = optionCallback(the, "onError", VAR_ERROR);
	optionFormat(the, FORMAT_BUFFER, 1 << FORMAT_BUFFER);
	struct sockaddr_storage address;
	optionBindAddress(the, &address);

	/* allocate */
	HostSocket* s = socketBound(the, SOCKET_UDP, &address);
	takeCallbacks(the, s, readable, 0, error);

	/* commit */
	socketCommit(the, s, &xsThis);
	optionTarget(the);
}

void xs_udp_close(xsMachine* the)
{
	socketClose(the, SOCKET_UDP);
}

void xs_udp_read(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_UDP, 1);
	HostPacket* packet = s->packets;
	if (!packet)
		return;
	xsVars(1);
	xsResult = xsArrayBuffer(packet->data, (xsIntegerValue)packet->length);
	char text[INET6_ADDRSTRLEN];
	addressText(&packet->from, text, sizeof(text));
	xsVar(0) = xsString(text);
	xsSet(xsResult, xsID("address"), xsVar(0));
	xsVar(0) = xsInteger(portOf(&packet->from));
	xsSet(xsResult, xsID("port"), xsVar(0));
	/* the packet leaves the queue only once its JS copy exists: nothing is lost to a memory error */
	s->packets = packet->next;
	s->packetCount--;
	free(packet);
	watchUpdate(s);
}

void xs_udp_write(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_UDP, 1);
	if (s->retired)
		xsUnknownError("not ready");
	if (xsToInteger(xsArgc) < 3 || xsTypeOf(xsArg(0)) != xsReferenceType)
		xsRangeError("invalid");
	struct sockaddr_storage address;
	addressValue(the, &xsArg(1), &address);
	int port = portValue(the, &xsArg(2), 1);
	if (!isLoopback(&address))
		xsUnknownError("unreachable");
	if (address.ss_family != s->family)
		xsRangeError("invalid address");  /* the socket is bound to the other family */
	setPort(&address, port);
	void* data;
	xsUnsignedValue length;
	hostGetBuffer(the, &xsArg(0), &data, &length, 0);
	ssize_t sent;
	do
		sent = sendto(s->fd, data, length, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr*)&address, addressLength(&address));
	while (sent < 0 && errno == EINTR);
	if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		xsUnknownError("would block");
	if (sent < 0)
		xsUnknownError("send failed");
}

/* Listener */

static void listenerEvent(void* refcon, int fd, int events)
{
	HostSocket* s = refcon;
	if (s->retired || s->fd != fd)
		return;
	while (s->pendingCount < LISTENER_PENDING_MAX) {
		HostPending* pending = calloc(1, sizeof(HostPending));
		if (!pending)
			break;
		socklen_t length = sizeof(pending->peer);
		pending->fd = accept(fd, (struct sockaddr*)&pending->peer, &length);
		if (pending->fd >= 0) {
			fcntl(pending->fd, F_SETFL, O_NONBLOCK | fcntl(pending->fd, F_GETFL, 0));
			fcntl(pending->fd, F_SETFD, FD_CLOEXEC);
		}
		if (pending->fd < 0) {
			free(pending);
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;
		}
		HostPending** tail = &s->pending;
		while (*tail)
			tail = &(*tail)->next;
		*tail = pending;
		s->pendingCount++;
		s->triggered |= TRIGGER_READABLE;
	}
	eventDone(s);
}

void xs_listener_destructor(void* data)
{
	socketDestruct(data);
}

void xs_listener_constructor(xsMachine* the)
{
	xsVars(VAR_COUNT);
	if (xsToInteger(xsArgc) < 1 || xsTypeOf(xsArg(0)) != xsReferenceType)
		xsRangeError("invalid options");

	/* validate */
	uint8_t readable = optionCallback(the, "onReadable", VAR_READABLE);
	optionFormat(the, FORMAT_SOCKET_TCP, 1 << FORMAT_SOCKET_TCP);
	struct sockaddr_storage address;
	optionBindAddress(the, &address);

	/* allocate */
	HostSocket* s = socketBound(the, SOCKET_LISTENER, &address);
	takeCallbacks(the, s, readable, 0, 0);

	/* commit */
	socketCommit(the, s, &xsThis);
	optionTarget(the);
}

void xs_listener_close(xsMachine* the)
{
	socketClose(the, SOCKET_LISTENER);
}

void xs_listener_pending(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsArg(0), SOCKET_LISTENER, 1);
	xsResult = xsInteger(s->pendingCount);
}

/* accept(listener, socket): fills the empty TCP `socket` with the next accepted connection */
void xs_listener_accept(xsMachine* the)
{
	HostSocket* listener = socketOf(the, &xsArg(0), SOCKET_LISTENER, 1);
	HostPending* pending = listener->pending;
	if (!pending)
		return;
	txSlot* host = hostPart(&xsArg(1));
	if (!host || (host->flag & (XS_HOST_CHUNK_FLAG | XS_HOST_HOOKS_FLAG)) || host->value.host.data
			|| host->value.host.variant.destructor != xs_tcp_destructor)
		xsTypeError("not an empty socket");

	/* allocate */
	HostSocket* s = socketNew(the, SOCKET_TCP, TCP_RECEIVE_BYTES + TCP_SEND_BYTES);
	if (!s)
		xsRangeError("no memory");
	s->fd = pending->fd;
	if (watchStart(s, POLLIN)) {
		free(s);
		xsRangeError("no socket");  /* stays pending: a later read may find room */
	}

	/* commit */
	listener->pending = pending->next;
	listener->pendingCount--;
	s->peer = pending->peer;
	free(pending);
	s->connected = 1;
	s->format = FORMAT_BUFFER;
	socketCommit(the, s, &xsArg(1));
	watchUpdate(listener);
	xsResult = xsArg(1);
}

void xs_listener_get_port(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_LISTENER, 1);
	struct sockaddr_storage address;
	socklen_t length = sizeof(address);
	if (s->fd >= 0 && !getsockname(s->fd, (struct sockaddr*)&address, &length))
		xsResult = xsInteger(portOf(&address));
}
