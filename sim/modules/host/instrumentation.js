// Moddable's `instrumentation` module on the simulator host; natives in sim/host/natives.c.
export default class Instrumentation {
	static map(name) @ "xs_instrumentation_map";
	static name(index) @ "xs_instrumentation_name";
	static get(index) @ "xs_instrumentation_get";
}
