/*
 * Timers with the semantics of Moddable's `timer` module: Timer.set (immediate, one-shot
 * or repeating), Timer.repeat, Timer.schedule (reschedule, or unschedule with no interval),
 * Timer.clear and the blocking Timer.delay. Timers that fall due at the same simulated
 * time fire in the order they were scheduled, so virtual-time runs are deterministic.
 */
#include "host.h"

#define HOST_TIMER_COUNT 256

struct HostTimer {
	int used;
	int scheduled;
	int machine;
	uint64_t order;      /* tie-break for equal due times */
	int64_t dueUs;
	int64_t repeatUs;    /* 0: one-shot */
	xsSlot callback;
	xsSlot object;       /* the JS Timer handed to the app; host data points back here */
};

static HostTimer gTimers[HOST_TIMER_COUNT];
static uint64_t gTimerOrder = 0;

static int machineIndex(xsMachine* the)
{
	HostMachine* machine = hostMachineOf(the);
	return (int)(machine - gHostMachines);
}

static void timerSchedule(HostTimer* timer, double initialMs, double repeatMs)
{
	timer->scheduled = 1;
	timer->dueUs = hostNowUs() + (int64_t)(initialMs * 1000);
	timer->repeatUs = (int64_t)(repeatMs * 1000);
	timer->order = gTimerOrder++;
}

static void timerRelease(xsMachine* the, HostTimer* timer)
{
	xsSetHostData(timer->object, NULL);
	xsForget(timer->callback);
	xsForget(timer->object);
	timer->used = 0;
	timer->scheduled = 0;
}

static HostTimer* timerOf(xsMachine* the, xsSlot* slot)
{
	if (!xsIsInstanceOf(*slot, xsObjectPrototype))
		return NULL;
	return xsGetHostData(*slot);
}

static double argMs(xsMachine* the, int index, double fallback)
{
	if (xsToInteger(xsArgc) <= index || xsTypeOf(xsArg(index)) == xsUndefinedType)
		return fallback;
	double value = xsToNumber(xsArg(index));
	if (!(value >= 0))
		xsRangeError("invalid interval");
	return value;
}

static void timerCreate(xsMachine* the, double initialMs, double repeatMs)
{
	if (xsTypeOf(xsArg(0)) != xsReferenceType || !xsIsCallable(xsArg(0)))
		xsTypeError("callback is not a function");
	int i;
	for (i = 0; i < HOST_TIMER_COUNT; i++)
		if (!gTimers[i].used)
			break;
	if (i == HOST_TIMER_COUNT)
		xsRangeError("no more timers");
	HostTimer* timer = &gTimers[i];
	timer->used = 1;
	timer->machine = machineIndex(the);
	timer->callback = xsArg(0);
	xsResult = xsNewHostObject(NULL);
	timer->object = xsResult;
	xsSetHostData(xsResult, timer);
	xsRemember(timer->callback);
	xsRemember(timer->object);
	timerSchedule(timer, initialMs, repeatMs);
}

void xs_timer_set(xsMachine* the)
{
	double initial = argMs(the, 1, 0);
	timerCreate(the, initial, argMs(the, 2, 0));
}

void xs_timer_repeat(xsMachine* the)
{
	double interval = argMs(the, 1, 0);
	timerCreate(the, interval, interval);
}

void xs_timer_schedule(xsMachine* the)
{
	HostTimer* timer = timerOf(the, &xsArg(0));
	if (!timer)
		xsUnknownError("timer cleared");
	if (xsToInteger(xsArgc) < 2)
		timer->scheduled = 0;
	else {
		double initial = argMs(the, 1, 0);
		timerSchedule(timer, initial, argMs(the, 2, 0));
	}
}

void xs_timer_clear(xsMachine* the)
{
	if (xsToInteger(xsArgc) < 1 || xsTypeOf(xsArg(0)) == xsUndefinedType || xsTypeOf(xsArg(0)) == xsNullType)
		return;
	HostTimer* timer = timerOf(the, &xsArg(0));
	if (timer)
		timerRelease(the, timer);
}

void xs_timer_delay(xsMachine* the)
{
	double ms = argMs(the, 0, 0);
	if (hostClockIsMax())
		hostClockAdvanceTo(hostNowUs() + (int64_t)(ms * 1000));
	else
		usleep((useconds_t)hostRealToSimWaitUs((int64_t)(ms * 1000)));
}

static HostTimer* timerNextDue(void)
{
	HostTimer* best = NULL;
	for (int i = 0; i < HOST_TIMER_COUNT; i++) {
		HostTimer* t = &gTimers[i];
		if (!t->used || !t->scheduled)
			continue;
		if (!best || t->dueUs < best->dueUs || (t->dueUs == best->dueUs && t->order < best->order))
			best = t;
	}
	return best;
}

int64_t hostTimersNext(void)
{
	HostTimer* t = timerNextDue();
	return t ? t->dueUs : -1;
}

int hostTimersActive(void)
{
	for (int i = 0; i < HOST_TIMER_COUNT; i++)
		if (gTimers[i].used && gTimers[i].scheduled)
			return 1;
	return 0;
}

/* Fires every timer due at `now`, earliest first; each callback is followed by its promise jobs. */
void hostTimersFire(int64_t now)
{
	HostTimer* timer;
	while (!hostExitRequested() && (timer = timerNextDue()) && timer->dueUs <= now) {
		HostMachine* machine = &gHostMachines[timer->machine];
		xsMachine* the = machine->the;
		uint64_t order = timer->order;
		if (timer->repeatUs > 0) {
			timer->dueUs += timer->repeatUs;
			if (timer->dueUs <= now)  /* a late repeating timer does not fire in a burst */
				timer->dueUs = now + timer->repeatUs;
			timer->order = gTimerOrder++;
		}
		else
			timer->scheduled = 0;
		xsBeginHost(the);
		{
			xsTry {
				xsCallFunction1(timer->callback, xsGlobal, timer->object);
			}
			xsCatch {
				xsSlot exception = xsException;
				hostReportException(the, &exception, "uncaught exception in timer callback");
				hostRequestExit(HOST_EXIT_ERROR);
			}
			/* A one-shot timer that its callback did not reschedule is done. */
			if (timer->used && !timer->scheduled && timer->order == order)
				timerRelease(the, timer);
		}
		xsEndHost(the);
		hostDrainJobs();
	}
}

/*
 * A machine's timers go with it (power off, deletion). Their slots are unlinked from the
 * machine's roots first: a record reused by the other machine must not carry the old links.
 */
void hostTimersDrop(xsMachine* the)
{
	for (int i = 0; i < HOST_TIMER_COUNT; i++) {
		HostTimer* timer = &gTimers[i];
		if (!timer->used || gHostMachines[timer->machine].the != the)
			continue;
		xsForget(timer->callback);
		xsForget(timer->object);
		timer->used = timer->scheduled = 0;
	}
}
