/*
 * The event loop: promise jobs, timers and file-descriptor watches over the simulated
 * clock. In real mode it sleeps in poll() until the next timer. In virtual mode it jumps
 * the clock to the next timer, but only when no socket reply is awaited and every watched
 * descriptor has been quiet for QUIET_REAL_MS, so real network peers keep up.
 */
#include "host.h"
#include <poll.h>

#define HOST_WATCH_COUNT 32
#define QUIET_REAL_MS 3             /* sockets quiet this long (real time) let virtual time move */
#define AWAIT_REPLY_REAL_MS 2000    /* longest real wait for an awaited reply before time moves anyway */

typedef struct {
	int fd;
	int events;
	int daemon;
	int owner;          /* machine index, or -1 for the host's own descriptors */
	HostWatchCallback callback;
	void* refcon;
} HostWatch;

static HostWatch gWatches[HOST_WATCH_COUNT];
static int gWatchCount = 0;
static int gAwaiting = 0;
static int64_t gLastActivityUs = 0;     /* real time of the last socket event or write */

static int64_t realNowUs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
static struct { int requested; int code; } gExit;

int hostWatch(int fd, int events, HostWatchCallback callback, void* refcon)
{
	for (int i = 0; i < gWatchCount; i++)
		if (gWatches[i].fd == fd) {
			gWatches[i].events = events;
			gWatches[i].callback = callback;
			gWatches[i].refcon = refcon;
			return 0;
		}
	if (gWatchCount == HOST_WATCH_COUNT)
		return -1;
	gWatches[gWatchCount++] = (HostWatch){ fd, events, 0, -1, callback, refcon };
	return 0;
}

void hostWatchOwner(int fd, int machine)
{
	for (int i = 0; i < gWatchCount; i++)
		if (gWatches[i].fd == fd)
			gWatches[i].owner = machine;
}

void hostWatchDropMachine(int machine)
{
	for (int i = 0; i < gWatchCount;)
		if (gWatches[i].owner == machine) {
			close(gWatches[i].fd);
			gWatches[i] = gWatches[--gWatchCount];
		}
		else
			i++;
}

void hostUnwatch(int fd)
{
	for (int i = 0; i < gWatchCount; i++)
		if (gWatches[i].fd == fd) {
			gWatches[i] = gWatches[--gWatchCount];
			return;
		}
}

void hostSetDaemon(int fd, int daemon)
{
	for (int i = 0; i < gWatchCount; i++)
		if (gWatches[i].fd == fd)
			gWatches[i].daemon = daemon;
}

int hostWatchCount(int countDaemon)
{
	int count = 0;
	for (int i = 0; i < gWatchCount; i++)
		if (countDaemon || !gWatches[i].daemon)
			count++;
	return count;
}

void hostMarkAwaitingReply(int awaiting)
{
	gLastActivityUs = realNowUs();
	gAwaiting += awaiting ? 1 : -1;
	if (gAwaiting < 0)
		gAwaiting = 0;
}

void hostRequestExit(int code)
{
	if (!gExit.requested) {
		gExit.requested = 1;
		gExit.code = code;
	}
}

int hostExitRequested(void)
{
	return gExit.requested;
}

static void drainMachine(txMachine* the)
{
	xsBeginHost(the);
	while (the->promiseJobsPending) {
		the->promiseJobsPending = 0;
		fxRunPromiseJobs(the);
	}
	fxEndJob(the);
	xsEndHost(the);
}

void hostDrainJobs(void)
{
	int again = 1;
	while (again) {
		again = 0;
		for (int i = 0; i < HOST_MACHINES; i++) {
			txMachine* the = (txMachine*)gHostMachines[i].the;
			if (!the || !the->promiseJobsPending || (i == HOST_DEVICE && !hostDevicePowered()))
				continue;
			again = 1;
			drainMachine(the);
		}
	}
}

/* Polls the watched descriptors for up to `timeoutMs` (-1: forever) and dispatches; returns events seen. */
static int pollWatches(int timeoutMs)
{
	struct pollfd fds[HOST_WATCH_COUNT];
	int count = gWatchCount;
	if (!count) {
		if (timeoutMs > 0)
			usleep((useconds_t)timeoutMs * 1000);
		return 0;
	}
	for (int i = 0; i < count; i++)
		fds[i] = (struct pollfd){ gWatches[i].fd, (short)gWatches[i].events, 0 };
	int ready = poll(fds, (nfds_t)count, timeoutMs);
	if (ready <= 0)
		return 0;
	int seen = 0;
	for (int i = 0; i < count; i++) {
		if (!fds[i].revents)
			continue;
		/* the callback may unwatch; find the watch again by descriptor */
		for (int j = 0; j < gWatchCount; j++)
			if (gWatches[j].fd == fds[i].fd) {
				seen++;
				if (!gWatches[j].daemon)
					gLastActivityUs = realNowUs();
				gWatches[j].callback(gWatches[j].refcon, fds[i].fd, fds[i].revents);
				hostDrainJobs();
				break;
			}
	}
	return seen;
}

static int msCeil(int64_t us)
{
	if (us < 0)
		return -1;
	int64_t ms = (us + 999) / 1000;
	return ms > 3600000 ? 3600000 : (int)ms;
}

/* Runs until nothing is left to do, exit is requested, or simulated time reaches `endUs` (-1: no end). */
int hostRun(int64_t endUs)
{
	int64_t awaitingSinceUs = -1;
	for (;;) {
		hostDrainJobs();
		if (gExit.requested)
			break;
		int64_t now = hostNowUs();
		if (endUs >= 0 && now >= endUs)
			break;
		int64_t boot = hostPendingBootUs();
		if (boot >= 0 && boot <= now) {
			hostDeviceBoot();
			continue;
		}
		int64_t next = hostTimersNext();
		if (boot >= 0 && (next < 0 || boot < next))
			next = boot;
		if (next < 0 && !hostWatchCount(0))
			break;
		int64_t target = next;
		if (endUs >= 0 && (target < 0 || target > endUs))
			target = endUs;
		if (target >= 0 && target <= now) {
			if (target != boot)
				hostTimersFire(now);
			continue;
		}
		if (hostClockIsMax()) {
			/* only sockets (not the control channel) hold virtual time back */
			if (hostWatchCount(0)) {
				/* quiet means no socket event for QUIET_REAL_MS: idle sockets cost nothing per step */
				int64_t realNow = realNowUs();
				int64_t quiet = realNow - gLastActivityUs;
				int waitMs = quiet >= QUIET_REAL_MS * 1000 ? 0 : (int)((QUIET_REAL_MS * 1000 - quiet + 999) / 1000);
				if (gAwaiting) {
					if (awaitingSinceUs < 0)
						awaitingSinceUs = realNow;
					if (realNow - awaitingSinceUs < AWAIT_REPLY_REAL_MS * 1000)
						waitMs = 20;
				}
				if (pollWatches(waitMs))
					continue;
				if (gAwaiting && awaitingSinceUs >= 0 && waitMs == 20)
					continue;
			}
			else if (gWatchCount && pollWatches(0))
				continue;
			/* a peer that never answers costs AWAIT_REPLY_REAL_MS once, not once per timer step */
			if (!gAwaiting)
				awaitingSinceUs = -1;
			if (target < 0) {
				pollWatches(-1);    /* only descriptors left: block until one is ready */
				continue;
			}
			hostClockAdvanceTo(target);
		}
		else
			pollWatches(target < 0 ? -1 : msCeil(hostRealToSimWaitUs(target - now)));
		hostTimersFire(hostNowUs());
	}
	return gExit.requested ? gExit.code : 0;
}

void hostReportException(xsMachine* machine, xsSlot* exception, const char* where)
{
	txMachine* the = (txMachine*)machine;
	HostMachine* host = hostMachineOf(machine);
	txSlot* stack = the->stack;
	char* text = NULL;
	mxTry(the) {
		mxPushSlot((txSlot*)exception);
		if (mxIsReference(the->stack)) {
			mxPushSlot((txSlot*)exception);
			mxGetID(mxID(_stack));
			if (the->stack->kind == XS_STRING_KIND || the->stack->kind == XS_STRING_X_KIND)
				text = strdup(the->stack->value.string);
			mxPop();
		}
		if (!text) {
			fxToString(the, the->stack);
			text = strdup(the->stack->value.string);
		}
	}
	mxCatch(the) {
	}
	the->stack = stack;
	fflush(stdout);
	fprintf(stderr, "%s: %s: %s\n", host ? host->name : "xs", where, text ? text : "(an exception that cannot be printed)");
	free(text);
}
