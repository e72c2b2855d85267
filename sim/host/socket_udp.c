/*
 * socket_udp.c - embedded:io/socket/udp on the simulator host (see socket.c for the common rules).
 *
 * UDP: bound to loopback (port 0: any); onReadable(count) gives the datagrams queued (at most 16;
 * more wait in the kernel); read() returns the next as an ArrayBuffer with `address` and `port`
 * properties, or undefined; write(buffer, address, port). Datagrams over 1472 bytes (an
 * Ethernet-sized MTU) are dropped on receipt: the ESP32's lwip does not reassemble fragments.
 */
#include "socket_record.h"

void socketUdpEvent(void* refcon, int fd, int events)
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
	socketEventDone(s);
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
	uint8_t readable = socketOptionCallback(the, "onReadable", VAR_READABLE);
	uint8_t error = socketOptionCallback(the, "onError", VAR_ERROR);
	socketOptionFormat(the, FORMAT_BUFFER, 1 << FORMAT_BUFFER);
	struct sockaddr_storage address;
	socketOptionBindAddress(the, &address);

	/* allocate */
	HostSocket* s = socketBound(the, SOCKET_UDP, &address);
	socketTakeCallbacks(the, s, readable, 0, error);

	/* commit */
	socketCommit(the, s, &xsThis);
	socketOptionTarget(the);
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
	socketAddressText(&packet->from, text, sizeof(text));
	xsVar(0) = xsString(text);
	xsSet(xsResult, xsID("address"), xsVar(0));
	xsVar(0) = xsInteger(socketPortOf(&packet->from));
	xsSet(xsResult, xsID("port"), xsVar(0));
	/* the packet leaves the queue only once its JS copy exists: nothing is lost to a memory error */
	s->packets = packet->next;
	s->packetCount--;
	free(packet);
	socketWatchUpdate(s);
}

void xs_udp_write(xsMachine* the)
{
	HostSocket* s = socketOf(the, &xsThis, SOCKET_UDP, 1);
	if (s->retired)
		xsUnknownError("not ready");
	if (xsToInteger(xsArgc) < 3 || xsTypeOf(xsArg(0)) != xsReferenceType)
		xsRangeError("invalid");
	struct sockaddr_storage address;
	socketAddressValue(the, &xsArg(1), &address);
	int port = socketPortValue(the, &xsArg(2), 1);
	if (!socketIsLoopback(&address))
		xsUnknownError("unreachable");
	if (address.ss_family != s->family)
		xsRangeError("invalid address");  /* the socket is bound to the other family */
	socketSetPort(&address, port);
	void* data;
	xsUnsignedValue length;
	hostGetBuffer(the, &xsArg(0), &data, &length, 0);
	ssize_t sent;
	do
		sent = sendto(s->fd, data, length, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr*)&address, socketAddressLength(&address));
	while (sent < 0 && errno == EINTR);
	if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		xsUnknownError("would block");
	if (sent < 0)
		xsUnknownError("send failed");
}
