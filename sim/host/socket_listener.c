/*
 * socket_listener.c - embedded:io/socket/listener on the simulator host (see socket.c for the common
 * rules).
 *
 * Listener (used by tests; Moddable's semantics): bound to loopback, onReadable(count) gives the
 * connections waiting (at most 8 taken from the kernel at a time); read() returns the next as a
 * TCP socket without callbacks, which `new TCP({ from })` adopts; `port` is the bound port.
 */
#include "socket_record.h"
#include <fcntl.h>

void socketListenerEvent(void* refcon, int fd, int events)
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
	socketEventDone(s);
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
	uint8_t readable = socketOptionCallback(the, "onReadable", VAR_READABLE);
	socketOptionFormat(the, FORMAT_SOCKET_TCP, 1 << FORMAT_SOCKET_TCP);
	struct sockaddr_storage address;
	socketOptionBindAddress(the, &address);

	/* allocate */
	HostSocket* s = socketBound(the, SOCKET_LISTENER, &address);
	socketTakeCallbacks(the, s, readable, 0, 0);

	/* commit */
	socketCommit(the, s, &xsThis);
	socketOptionTarget(the);
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
	txSlot* host = socketHostPart(&xsArg(1));
	if (!host || (host->flag & (XS_HOST_CHUNK_FLAG | XS_HOST_HOOKS_FLAG)) || host->value.host.data
			|| host->value.host.variant.destructor != xs_tcp_destructor)
		xsTypeError("not an empty socket");

	/* allocate */
	HostSocket* s = socketNew(the, SOCKET_TCP, TCP_RECEIVE_BYTES + TCP_SEND_BYTES);
	if (!s)
		xsRangeError("no memory");
	s->fd = pending->fd;
	if (socketWatchStart(s, POLLIN)) {
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
	socketWatchUpdate(listener);
	xsResult = xsArg(1);
}

void xs_listener_get_port(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_LISTENER, 1);
	struct sockaddr_storage address;
	socklen_t length = sizeof(address);
	if (s->fd >= 0 && !getsockname(s->fd, (struct sockaddr*)&address, &length))
		xsResult = xsInteger(socketPortOf(&address));
}
