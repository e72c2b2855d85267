/* The event sink on a device: one JSON line per event on the console, stamped with ms since boot. */
import Time from "time";

/*
 * Time.ticks counts from boot on the ESP32 but is the epoch time in Moddable's desktop
 * simulator; the first event's ticks are taken as the origin there. Read lazily: a preloaded
 * module's top level runs at build time, not at boot.
 */
let origin: number | undefined;

export function emit(line: string): void {
	origin ??= Time.ticks > 1e12 ? Time.ticks : 0;
	trace(`{"t":${Time.ticks - origin},${line.slice(1)}\n`);
}
