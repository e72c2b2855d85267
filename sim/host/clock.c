/*
 * The simulated clocks. Monotonic time (timers, Time.ticks) counts microseconds since
 * boot; in real mode it is real elapsed time times the speed factor, in virtual mode
 * (--speed max) it only moves when the event loop jumps to the next due timer. The wall
 * clock (Date, Time.set) is the boot wall time plus monotonic time, in the device's own
 * time zone and DST offsets (seconds east of UTC), as Moddable's `time` module keeps them.
 */
#include "host.h"

static struct {
	int max;
	double speed;
	int64_t realStartUs;
	int64_t virtualUs;      /* max mode: current simulated time */
	double wallBootMs;      /* wall time at monotonic 0 */
	int32_t timezone;
	int32_t dst;
} gClock;

static int64_t realUs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void hostClockInit(double speed, int max, double startEpochMs)
{
	gClock.max = max;
	gClock.speed = speed > 0 ? speed : 1;
	gClock.realStartUs = realUs();
	gClock.virtualUs = 0;
	gClock.wallBootMs = startEpochMs;
}

int hostClockIsMax(void)
{
	return gClock.max;
}

int64_t hostNowUs(void)
{
	if (gClock.max)
		return gClock.virtualUs;
	return (int64_t)((double)(realUs() - gClock.realStartUs) * gClock.speed);
}

void hostClockAdvanceTo(int64_t us)
{
	if (gClock.max && us > gClock.virtualUs)
		gClock.virtualUs = us;
}

int64_t hostRealToSimWaitUs(int64_t simUs)
{
	if (simUs <= 0)
		return 0;
	return (int64_t)((double)simUs / gClock.speed);
}

double hostWallMs(void)
{
	return gClock.wallBootMs + (double)(hostNowUs() / 1000);
}

void hostWallSet(double epochMs)
{
	gClock.wallBootMs = epochMs - (double)(hostNowUs() / 1000);
}

int32_t hostTimezone(void) { return gClock.timezone; }
int32_t hostDst(void) { return gClock.dst; }
void hostSetTimezone(int32_t seconds) { gClock.timezone = seconds; }
void hostSetDst(int32_t seconds) { gClock.dst = seconds; }
