// Moddable's `time` module on the simulator host; natives in sim/host/natives.c.
export default class Time {
	static set(seconds) @ "xs_time_set";
	static get timezone() @ "xs_time_get_timezone";
	static set timezone(seconds) @ "xs_time_set_timezone";
	static get dst() @ "xs_time_get_dst";
	static set dst(seconds) @ "xs_time_set_dst";
	static get ticks() @ "xs_time_get_ticks";
	static get microseconds() @ "xs_time_get_microseconds";
	static delta(start, end) {
		return (end ?? Time.ticks) - start;
	}
}
