// "event-sink": where the device's event log goes, mapped per platform in manifest.json:
// trace on the ESP32 and in mcsim (app/event-sink-trace), the run's log on the XS host.
declare module "event-sink" {
	/** One event as a JSON object without `t`; the sink stamps the time. */
	export function emit(line: string): void;
}
