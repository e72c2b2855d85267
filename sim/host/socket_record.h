/*
 * socket_record.h - the record behind every TCP, UDP and listener socket of the simulator host, and
 * what socket.c, socket_args.c, socket_tcp.c, socket_udp.c and socket_listener.c share. Internal to
 * the host's embedded:io/socket; the semantics are described in socket.c.
 */
#ifndef XSHOST_SOCKET_RECORD_H
#define XSHOST_SOCKET_RECORD_H

#include "host.h"
#include <netinet/in.h>
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

/* xsVar slots of a constructor: scratch, then the validated `from` and callbacks */
enum { VAR_SCRATCH, VAR_FROM, VAR_READABLE, VAR_WRITABLE, VAR_ERROR, VAR_COUNT };

/* socket.c: records, watches, delivery, close */
void socketSetAwaiting(HostSocket* s, int awaiting);
void socketCloseDescriptor(HostSocket* s);
void socketPost(HostSocket* s, int trigger);
txSlot* socketHostPart(xsSlot* slot);
HostSocket* socketOf(xsMachine* the, xsSlot* slot, int kind, int closedThrows);
void socketRememberAll(xsMachine* the, HostSocket* s);
void socketForgetAll(xsMachine* the, HostSocket* s);
HostSocket* socketNew(xsMachine* the, int kind, size_t extra);
int socketWatchStart(HostSocket* s, int events);
void socketWatchUpdate(HostSocket* s);
HostSocket* socketCreate(xsMachine* the, int kind, int family, int type, size_t extra);
void socketWatchNew(xsMachine* the, HostSocket* s, int events);
HostSocket* socketBound(xsMachine* the, int kind, const struct sockaddr_storage* address);
void socketCommit(xsMachine* the, HostSocket* s, xsSlot* object);
void socketEventDone(HostSocket* s);
void socketClose(xsMachine* the, int kind);
void socketDestruct(void* data);

/* socket_args.c: addresses and options */
int socketIsLoopback(const struct sockaddr_storage* address);
socklen_t socketAddressLength(const struct sockaddr_storage* address);
void socketSetPort(struct sockaddr_storage* address, int port);
int socketPortOf(const struct sockaddr_storage* address);
void socketAddressText(const struct sockaddr_storage* address, char* text, size_t size);
int socketOptionGet(xsMachine* the, const char* name);
int socketPortValue(xsMachine* the, xsSlot* value, int minimum);
void socketAddressValue(xsMachine* the, xsSlot* value, struct sockaddr_storage* out);
int socketOptionPort(xsMachine* the, const char* name, int fallback, int minimum);
int socketOptionAddress(xsMachine* the, const char* name, struct sockaddr_storage* out);
void socketOptionBindAddress(xsMachine* the, struct sockaddr_storage* address);
uint8_t socketOptionCallback(xsMachine* the, const char* name, int index);
void socketTakeCallbacks(xsMachine* the, HostSocket* s, uint8_t readable, uint8_t writable, uint8_t error);
int socketFormatOf(xsMachine* the, xsSlot* value);
int socketOptionFormat(xsMachine* the, int fallback, int allowed);
void socketOptionTarget(xsMachine* the);

/* the classes' event handlers (socket_tcp.c, socket_udp.c, socket_listener.c) */
void socketTcpEvent(void* refcon, int fd, int events);
void socketUdpEvent(void* refcon, int fd, int events);
void socketListenerEvent(void* refcon, int fd, int events);
void xs_tcp_destructor(void* data);  /* Listener.read() fills only an empty TCP socket */

#endif
