/*
 * The event log (--log FILE, JSON lines) and the control channel (JSON lines in and out on
 * two descriptors). Lines out on the control channel are the same events as the log; lines
 * in go to the handler the simulation (or, without one, the device) registered.
 */
#include "host.h"
#include <fcntl.h>
#include <poll.h>

static FILE* gLog = NULL;
static int gControlOut = -1;
static char gControlBuffer[65536];
static size_t gControlLength = 0;

void hostLogOpen(const char* path)
{
	gLog = fopen(path, "w");
	if (!gLog) {
		fprintf(stderr, "xshost: cannot write the log %s: %s\n", path, strerror(errno));
		exit(HOST_EXIT_USAGE);
	}
}

void hostLogClose(void)
{
	if (gLog) {
		fclose(gLog);
		gLog = NULL;
	}
}

void hostControlWrite(const char* line)
{
	if (gControlOut < 0)
		return;
	size_t length = strlen(line);
	struct iovec { const void* base; size_t len; };
	const char* parts[2] = { line, "\n" };
	size_t lengths[2] = { length, 1 };
	for (int i = 0; i < 2; i++) {
		size_t done = 0;
		while (done < lengths[i]) {
			ssize_t n = write(gControlOut, parts[i] + done, lengths[i] - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN) {
				struct pollfd pfd = { gControlOut, POLLOUT, 0 };
				poll(&pfd, 1, 100);
				continue;
			}
			if (n <= 0) {
				gControlOut = -1;  /* the controller went away; keep running */
				return;
			}
			done += (size_t)n;
		}
	}
}

void hostLogLine(const char* line)
{
	if (gLog) {
		fputs(line, gLog);
		fputc('\n', gLog);
	}
	hostControlWrite(line);
}

void hostDispatchControl(const char* line);

static void controlReadable(void* refcon, int fd, int events)
{
	(void)refcon;
	(void)events;
	ssize_t n = read(fd, gControlBuffer + gControlLength, sizeof(gControlBuffer) - 1 - gControlLength);
	if (n <= 0) {
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		hostUnwatch(fd);   /* controller closed its end */
		return;
	}
	gControlLength += (size_t)n;
	gControlBuffer[gControlLength] = 0;
	char* start = gControlBuffer;
	char* newline;
	while ((newline = strchr(start, '\n'))) {
		*newline = 0;
		if (newline > start)
			hostDispatchControl(start);
		start = newline + 1;
	}
	gControlLength = strlen(start);
	if (gControlLength == sizeof(gControlBuffer) - 1) {
		fprintf(stderr, "xshost: control line longer than %zu bytes dropped\n", sizeof(gControlBuffer) - 1);
		gControlLength = 0;
	}
	else
		memmove(gControlBuffer, start, gControlLength);
}

void hostControlOpen(int fdIn, int fdOut)
{
	gControlOut = fdOut;
	if (fdIn >= 0) {
		fcntl(fdIn, F_SETFL, fcntl(fdIn, F_GETFL) | O_NONBLOCK);
		hostWatch(fdIn, POLLIN, controlReadable, NULL);
		hostSetDaemon(fdIn, 1);
	}
}
