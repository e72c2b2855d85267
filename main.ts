/*
 * Composition root: read the configuration, build the parts, start them.
 * Device behaviour lives in app/; this file only wires it together.
 */
import config from "mc/config";
import device from "embedded:provider/builtin";
import Timer from "timer";
import Time from "time";
import PIR from "drivers/pir";
import { VERSION } from "app/version";
import { EventLog } from "app/eventlog";
import { plain } from "app/plain";
import { SensorManager } from "app/sensor-manager";
import { climateSensor, motionSensor, ppgSensor, type Bus } from "app/sensors";
import { Journal } from "app/journal";
import WiFi from "wifi";
import { WifiManager } from "net/wifi";
import { Thermostat } from "app/thermostat/thermostat";
import { PreferenceStore } from "app/thermostat/store";
import { Occupancy } from "app/thermostat/occupancy";
import type { ThermostatConfig } from "app/thermostat/config";

const now = (): number => Time.ticks;
const log = new EventLog();
const profile = String(config.profile ?? "thermostat");
const pins = config.pins as Record<string, number>;
const settings = (config.sensors ?? {}) as { climateIntervalMs?: number; streamIntervalMs?: number };

trace(`aiot-firmware ${VERSION} (${profile})\n`);
try {
	const { recovery } = Journal.open(log);
	log.emit({ type: "journal", records: recovery.records, torn: recovery.torn, corrupt: recovery.corrupt,
		sealed: recovery.sealed, formatted: recovery.formatted, nextSeq: recovery.nextSeq });
} catch (error) {
	log.emit({ type: "fault", source: "journal", error: error instanceof Error ? error.message : String(error) });
}
log.emit({ type: "boot", version: VERSION, profile, reset: "power-on", config: plain(config) as Record<string, unknown> });

const bus: Bus = { ...device.I2C.default, io: device.io.I2C };
const sensors = new SensorManager(log, now);

if (profile === "thermostat") {
	// The thermostat builds its relay drivers first: every relay is off before anything else runs.
	const thermostat = new Thermostat({
		log, now, sensors, store: new PreferenceStore(),
		config: (config.thermostat ?? {}) as ThermostatConfig,
		relays: {
			io: device.io.Digital,
			pins: { heat: pins.heat, heat2: pins.heat2, cool: pins.cool, fan: pins.fan },
			activeLow: (config.relay as { activeLow?: boolean } | undefined)?.activeLow === true,
		},
	});
	sensors.add(climateSensor(bus, now, settings.climateIntervalMs ?? 30_000));
	// Occupancy (ecobee's rule: away after 2 h without motion, never while asleep) picks the preset.
	const occupancy = new Occupancy(now(), {}, (state) => thermostat.setPreset(state === "away" ? "away" : "home", "occupancy"));
	Timer.repeat(() => occupancy.update(now(), thermostat.preset === "sleep"), 60_000);
	new PIR({
		sensor: { io: device.io.Digital, pin: pins.pir }, now, timer: Timer,
		onMotion: (detected) => {
			log.emit({ type: "reading", sensor: "motion", values: { motion: detected ? 1 : 0 } });
			occupancy.motion(now(), detected);
		},
		onError: (error) => log.emit({ type: "fault", source: "motion", error }),
	});
	thermostat.start();
} else {
	sensors.add(ppgSensor(bus, settings.streamIntervalMs ?? 250));
	sensors.add(motionSensor(bus, settings.streamIntervalMs ?? 250));
}
sensors.start();

// The network is optional: the device works without it and keeps trying (never reboots for it).
if (typeof config.ssid === "string" && config.ssid) {
	new WifiManager({
		wifi: WiFi, ssid: config.ssid, password: typeof config.password === "string" ? config.password : undefined,
		random: Math.random,
		onState: (state) => log.emit({ type: "sync", state: `wifi-${state}` }),
	}).start();
}
