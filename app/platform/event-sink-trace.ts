/* The event sink on a device: one JSON line per event on the console, stamped with ms since boot. */
import Time from "time";

const boot = Time.ticks;

export function emit(line: string): void {
	trace(`{"t":${Time.ticks - boot},${line.slice(1)}\n`);
}
