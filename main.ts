/*
 * Composition root: read the configuration, build the parts, start them.
 * Device behaviour lives in app/; this file only wires it together.
 */
import config from "mc/config";
import device from "embedded:provider/builtin";
import Timer from "timer";
import Time from "time";
import SHT4x from "drivers/sht4x";
import { VERSION } from "app/version";
import { EventLog } from "app/eventlog";
import { plain } from "app/plain";

const log = new EventLog();
const profile = String(config.profile ?? "thermostat");
trace(`aiot-firmware ${VERSION} (${profile})\n`);
log.emit({ type: "boot", version: VERSION, profile, reset: "power-on", config: plain(config) as Record<string, unknown> });

if (profile === "thermostat") {
	const sensor = new SHT4x({
		sensor: { ...device.I2C.default, io: device.io.I2C },
		now: () => Time.ticks,
		onError: (error) => log.emit({ type: "fault", source: "sht4x", error }),
	});
	Timer.repeat(() => {
		const { thermometer, hygrometer } = sensor.sample();
		if (thermometer.temperature !== undefined && hygrometer.humidity !== undefined)
			log.emit({ type: "reading", sensor: "sht4x", values: { temperature: thermometer.temperature, humidity: hygrometer.humidity } });
	}, 30_000);
}
