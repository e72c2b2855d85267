/*
 * socket_tcp.c - embedded:io/socket/tcp on the simulator host (see socket.c for the common rules).
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
 */
#include "socket_record.h"
#include <netinet/tcp.h>

static void tcpFail(HostSocket* s)
{
	if (s->failed)
		return;
	s->failed = 1;
	s->connecting = 0;
	s->outputLength = 0;
	socketSetAwaiting(s, 0);
	socketCloseDescriptor(s);
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
		socketSetAwaiting(s, 0);
	}
	else if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
		tcpFail(s);
}

void socketTcpEvent(void* refcon, int fd, int events)
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
			socketSetAwaiting(s, 0);
			s->triggered |= TRIGGER_WRITABLE;
		}
	}
	else if (s->connected && !s->failed) {
		if (events & (POLLIN | POLLERR | POLLHUP))
			tcpReceive(s, events);
		if (!s->failed && (events & POLLOUT))
			tcpFlush(s);
	}
	socketEventDone(s);
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
	uint8_t readable = socketOptionCallback(the, "onReadable", VAR_READABLE);
	uint8_t writable = socketOptionCallback(the, "onWritable", VAR_WRITABLE);
	uint8_t error = socketOptionCallback(the, "onError", VAR_ERROR);
	int format = socketOptionFormat(the, FORMAT_BUFFER, (1 << FORMAT_BUFFER) | (1 << FORMAT_NUMBER));
	int nodelay = -1;
	if (socketOptionGet(the, "nodelay"))
		nodelay = xsTest(xsVar(0));
	HostSocket* from = NULL;
	struct sockaddr_storage address;
	if (socketOptionGet(the, "from")) {
		xsVar(VAR_FROM) = xsVar(0);
		if (xsTypeOf(xsVar(VAR_FROM)) != xsReferenceType || !socketHostPart(&xsVar(VAR_FROM)))
			xsRangeError("invalid from");
		from = socketOf(the, &xsVar(VAR_FROM), SOCKET_TCP, 0);
		if (!from || from->retired || from->the != the)
			xsRangeError("invalid from");
	}
	else {
		if (socketOptionAddress(the, "address", &address) < 0)
			xsRangeError("invalid address");  /* `host` is not resolved: resolve names first */
		int port = socketOptionPort(the, "port", -1, 1);
		if (!socketIsLoopback(&address))
			xsUnknownError("unreachable");
		socketSetPort(&address, port);
	}

	if (from) {
		/* commit: the record moves from the other object to this one */
		xsSetHostData(xsVar(VAR_FROM), NULL);
		socketForgetAll(the, from);
		from->object = xsThis;
		socketTakeCallbacks(the, from, readable, writable, error);
		from->format = (uint8_t)format;
		if (nodelay >= 0 && from->fd >= 0)
			setsockopt(from->fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof(nodelay));
		xsSetHostData(xsThis, from);
		socketRememberAll(the, from);
		socketOptionTarget(the);
		int triggers = (from->inputLength ? TRIGGER_READABLE : 0) | (from->connected && !from->failed ? TRIGGER_WRITABLE : 0)
			| (from->failed ? TRIGGER_ERROR : 0);
		if (triggers)
			socketPost(from, triggers);
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
	socketTakeCallbacks(the, s, readable, writable, error);

	/* commit */
	socketCommit(the, s, &xsThis);
	socketOptionTarget(the);
	s->connecting = 1;
	if (connect(s->fd, (struct sockaddr*)&address, socketAddressLength(&address)) == 0) {
		s->connecting = 0;
		s->connected = 1;
		socketWatchUpdate(s);
		socketPost(s, TRIGGER_WRITABLE);
	}
	else if (errno == EINPROGRESS)
		socketSetAwaiting(s, 1);  /* the peer's SYN-ACK is a reply too */
	else {
		tcpFail(s);  /* refused at once: told from the event loop, as any refusal */
		socketPost(s, TRIGGER_ERROR);
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
	socketWatchUpdate(s);
	if (!s->inputLength && s->failed && !s->errorDelivered)
		socketPost(s, TRIGGER_ERROR);
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
		socketSetAwaiting(s, 1);
	tcpFlush(s);
	socketWatchUpdate(s);
	if (s->triggered)
		socketPost(s, 0);
	xsResult = xsInteger((xsIntegerValue)(s->failed ? 0 : TCP_SEND_BYTES - s->outputLength));
}

void xs_tcp_get_remote_address(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	char text[INET6_ADDRSTRLEN];
	socketAddressText(&s->peer, text, sizeof(text));
	xsResult = xsString(text);
}

void xs_tcp_get_remote_port(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	xsResult = xsInteger(socketPortOf(&s->peer));
}

void xs_tcp_get_format(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	xsResult = xsString(s->format == FORMAT_NUMBER ? "number" : "buffer");
}

void xs_tcp_set_format(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_TCP, 1);
	int format = socketFormatOf(the, &xsArg(0));
	if (format != FORMAT_BUFFER && format != FORMAT_NUMBER)
		xsRangeError("invalid format");
	s->format = (uint8_t)format;
}
