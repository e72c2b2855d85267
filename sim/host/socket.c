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
 * Files: this one keeps the records (life cycle, delivery of callbacks, the wake pipe, power cuts);
 * socket_args.c reads options and addresses; socket_tcp.c, socket_udp.c and socket_listener.c are
 * the three classes; socket_record.h is the record and what the files share.
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
#include "socket_record.h"
#include <fcntl.h>

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

void socketSetAwaiting(HostSocket* s, int awaiting)
{
	if (s->awaiting == awaiting)
		return;
	s->awaiting = (uint8_t)awaiting;
	hostMarkAwaitingReply(awaiting);
}

/* Stops the descriptor: unwatched and closed. */
void socketCloseDescriptor(HostSocket* s)
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
	socketSetAwaiting(s, 0);
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

void socketPost(HostSocket* s, int trigger)
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

/* The host part of an object (an instance of a class with a host destructor), or NULL. */
txSlot* socketHostPart(xsSlot* slot)
{
	txSlot* it = (txSlot*)slot;
	if (it->kind != XS_REFERENCE_KIND)
		return NULL;
	txSlot* first = it->value.reference->next;
	return first && (first->flag & XS_INTERNAL_FLAG) && first->kind == XS_HOST_KIND ? first : NULL;
}

/* the record behind `this`: NULL if closed; TypeError if not a socket of that kind */
HostSocket* socketOf(xsMachine* the, xsSlot* slot, int kind, int closedThrows)
{
	txSlot* host = socketHostPart(slot);
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
void socketRememberAll(xsMachine* the, HostSocket* s)
{
	xsRemember(s->object);
	if (s->hasReadable) xsRemember(s->onReadable);
	if (s->hasWritable) xsRemember(s->onWritable);
	if (s->hasError) xsRemember(s->onError);
	s->remembered = 1;
}

void socketForgetAll(xsMachine* the, HostSocket* s)
{
	if (!s->remembered)
		return;
	xsForget(s->object);
	if (s->hasReadable) xsForget(s->onReadable);
	if (s->hasWritable) xsForget(s->onWritable);
	if (s->hasError) xsForget(s->onError);
	s->remembered = 0;
}

HostSocket* socketNew(xsMachine* the, int kind, size_t extra)
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

int socketWatchStart(HostSocket* s, int events)
{
	HostWatchCallback callback = s->kind == SOCKET_TCP ? socketTcpEvent : s->kind == SOCKET_UDP ? socketUdpEvent : socketListenerEvent;
	if (hostWatch(s->fd, events, callback, s))
		return -1;
	hostWatchOwner(s->fd, s->machine);
	s->watched = 1;
	s->events = events;
	return 0;
}

void socketWatchUpdate(HostSocket* s)
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
		HostWatchCallback callback = s->kind == SOCKET_TCP ? socketTcpEvent : s->kind == SOCKET_UDP ? socketUdpEvent : socketListenerEvent;
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
HostSocket* socketCreate(xsMachine* the, int kind, int family, int type, size_t extra)
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
void socketWatchNew(xsMachine* the, HostSocket* s, int events)
{
	if (socketWatchStart(s, events)) {
		close(s->fd);
		free(s);
		xsRangeError("no socket");
	}
}

/* allocate: a UDP socket or a listener bound to `address`; Error "bind failed" */
HostSocket* socketBound(xsMachine* the, int kind, const struct sockaddr_storage* address)
{
	int listener = kind == SOCKET_LISTENER;
	HostSocket* s = socketCreate(the, kind, address->ss_family, listener ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (listener) {
		int yes = 1;
		setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
	}
	if (bind(s->fd, (const struct sockaddr*)address, socketAddressLength(address)) || (listener && listen(s->fd, SOMAXCONN))) {
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
void socketCommit(xsMachine* the, HostSocket* s, xsSlot* object)
{
	s->object = *object;
	s->next = NULL;
	HostSocket** tail = &gSockets;
	while (*tail)
		tail = &(*tail)->next;
	*tail = s;
	xsSetHostData(*object, s);
	socketRememberAll(the, s);
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
void socketEventDone(HostSocket* s)
{
	socketWatchUpdate(s);
	if (s->triggered)
		deliver(s);
}

/* close(): idempotent; the object forgets its record and the record its descriptor */
void socketClose(xsMachine* the, int kind)
{
	HostSocket* s = socketOf(the, &xsThis, kind, 0);
	if (!s)
		return;
	xsSetHostData(xsThis, NULL);
	socketForgetAll(the, s);
	if (!s->retired)
		socketCloseDescriptor(s);
	socketSetAwaiting(s, 0);
	s->closed = 1;
	s->posted = s->due = 0;
	release(s);
}

/* The destructor runs when a closed-over object is collected (record already gone) or when the
   machine is deleted at a reboot: then the machine's C roots are being torn down, so nothing is
   forgotten, and a power cut has already closed the watched descriptor. */
void socketDestruct(void* data)
{
	HostSocket* s = data;
	if (!s)
		return;
	if (isStale(s))
		retire(s);
	else
		socketCloseDescriptor(s);
	socketSetAwaiting(s, 0);
	s->remembered = 0;
	s->closed = 1;
	s->posted = s->due = 0;
	release(s);
}
