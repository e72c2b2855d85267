// Moddable's `timer` module on the simulator host; natives in sim/host/timers.c.
export default class Timer {
	static set(callback, interval, repeat) @ "xs_timer_set";
	static repeat(callback, interval) @ "xs_timer_repeat";
	static schedule(timer, interval, repeat) @ "xs_timer_schedule";
	static clear(timer) @ "xs_timer_clear";
	static delay(milliseconds) @ "xs_timer_delay";
}
Object.freeze(Timer.prototype);
