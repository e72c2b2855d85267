/*
 * A firmware entry for the BLE onboarding runs of test/node/ble-*.test.mjs: the boot event and
 * startOnboarding() wired as main.ts wires the Wi-Fi manager (button, LED, preferences, the
 * firmware's credentials as the fallback), with the world of test/net/ble/world.ts.
 */
import config from "mc/config";
import device from "embedded:provider/builtin";
import Time from "time";
import WiFi from "wifi";
import Preference from "preference";
import { EventLog } from "app/eventlog";
import { VERSION } from "app/version";
import { startOnboarding } from "net/ble/onboarding";

const log = new EventLog();
const pins = config.pins as Record<string, number>;
log.emit({ type: "boot", version: VERSION, profile: String(config.profile), reset: "power-on", config: {} });
startOnboarding({
	log, wifi: WiFi, preference: Preference, random: Math.random, now: () => Time.ticks,
	button: { io: device.io.Digital, pin: pins.button }, led: { io: device.io.Digital, pin: pins.led },
	fallback: typeof config.ssid === "string" && config.ssid ? { ssid: config.ssid, password: String(config.password ?? "") } : undefined,
	firmware: "aiot-firmware", version: VERSION, chip: "ESP32", name: "AIoT Thermostat", hostname: "aiot-thermostat",
});
