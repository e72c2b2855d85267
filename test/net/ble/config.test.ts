// @host --sim-entry ./build/js/test/net/ble/world.js
// The BLE configuration service end to end: an encrypted, bonded link (pairing only in the 60 s
// after a button press), chunked writes checked against the schema and applied all or nothing,
// versions that refuse stale writes, secrets that can be written and never read back or logged.
import { test, equal, deepEqual, ok } from "test/harness";
import config from "mc/config";
import device from "embedded:provider/builtin";
import Time from "time";
import WiFi from "wifi";
import Preference from "preference";
import type { DeviceEvent } from "app/eventlog";
import { VERSION } from "app/version";
import { startOnboarding, type Onboarding } from "net/ble/onboarding";
import { act, eventCount, phoneEvents, sleep, waitFor, type WorldEvent } from "test/net/ble/central";

const pins = config.pins as Record<string, number>;
const CONFIG = { control: "15ac4801-f02c-427f-ae89-b458172d92ed", data: "15ac4802-f02c-427f-ae89-b458172d92ed", status: "15ac4803-f02c-427f-ae89-b458172d92ed" };

interface Run {
	readonly onboarding: Onboarding;
	readonly log: DeviceEvent[];
	/** Performs a phone action and waits for its outcome event (or "failed"). */
	phone(action: Record<string, unknown>, outcome: string, timeoutMs?: number): Promise<WorldEvent | undefined>;
}

function stored(): { v: number; values: Record<string, unknown> } | undefined {
	const text = Preference.get("cfg", "doc");
	return typeof text === "string" ? JSON.parse(text) : undefined;
}

async function withDevice(body: (run: Run) => Promise<void>): Promise<void> {
	Preference.delete("cfg", "doc");
	act({ do: "wifi", up: true });
	const log: DeviceEvent[] = [];
	const onboarding = startOnboarding({
		log: { emit: (event) => log.push(event) }, wifi: WiFi, preference: Preference, random: Math.random, now: () => Time.ticks,
		button: { io: device.io.Digital, pin: pins.button }, led: { io: device.io.Digital, pin: pins.led },
		firmware: "aiot-firmware", version: VERSION, chip: "ESP32", name: "AIoT Thermostat", hostname: "aiot-thermostat",
	});
	const run: Run = {
		onboarding, log,
		async phone(action, outcome, timeoutMs = 30_000) {
			const from = eventCount();
			act(action);
			return waitFor((e) => e.type === "phone" && (e.event === outcome || e.event === "failed"), timeoutMs, from);
		},
	};
	try {
		await sleep(200);
		await body(run);
	} finally {
		act({ do: "phone-disconnect" });
		await sleep(200);
		onboarding.close();
		await sleep(200);
	}
}

test("reading-needs-pairing-and-pairing-needs-the-button", () => withDevice(async (run) => {
	const refused = await run.phone({ do: "phone-config-read" }, "config");
	equal(refused?.event, "failed");
	equal(refused?.reason, "pairing refused (SMP reason 3)", "Just Works cannot meet the MITM requirement outside the window");
	act({ do: "button" });
	await sleep(200);
	ok(run.onboarding.config.windowOpen);
	const read = await run.phone({ do: "phone-config-read" }, "config");
	equal(read?.event, "config");
	deepEqual(read?.config, { name: "AIoT Thermostat", hostname: "aiot-thermostat", mqtt: { port: 1883, tls: false }, unit: "C", telemetry: 60,
		climateIntervalMs: 30000, secrets: [] }, "the defaults; the names from the firmware");
	equal(read?.v, 1);
	deepEqual(phoneEvents().filter((e) => e.event === "paired").at(-1)?.bonded, true);
}));

test("a-write-in-chunks-applies-persists-and-hides-its-secrets", () => withDevice(async (run) => {
	act({ do: "button" });
	await sleep(200);
	const document = { name: "Kitchen", mqtt: { host: "broker.lan", user: "thermostat", password: "s3cret-broker" }, unit: "F" };
	const result = await run.phone({ do: "phone-config-write", config: document }, "config-result");
	equal(result?.state, "applied");
	equal(result?.v, 2);
	equal(stored()?.v, 2);
	equal(stored()?.values["mqtt.password"], "s3cret-broker", "kept on the device");
	const read = await run.phone({ do: "phone-config-read" }, "config");
	deepEqual(read?.config, { name: "Kitchen", hostname: "aiot-thermostat", mqtt: { host: "broker.lan", port: 1883, user: "thermostat", tls: false },
		unit: "F", telemetry: 60, climateIntervalMs: 30000, secrets: ["mqtt.password"] }, "never the password itself");
	ok(!JSON.stringify(run.log).includes("s3cret"), "nor in the event log");
	ok(run.log.some((e) => e.type === "sync" && e.state === "config-applied"));
	equal(run.onboarding.peripheral.name, "Kitchen", "the new name is the device's");
}));

test("a-bad-document-is-refused-whole", () => withDevice(async (run) => {
	act({ do: "button" });
	await sleep(200);
	const cases: [object | string, string, string | undefined][] = [
		[{ name: "Hall", mqtt: { port: 70000 } }, "invalid", "mqtt.port"],
		[{ name: "Hall", colour: "red" }, "invalid", "colour"],
		[{ mqtt: { host: "not a host" } }, "invalid", "mqtt.host"],
		[{ wifi: { ssid: "x".repeat(33) } }, "invalid", "wifi.ssid"],
		[{ unit: "K" }, "invalid", "unit"],
		[{ telemetry: 1.5 }, "invalid", "telemetry"],
		[{}, "invalid", undefined],
		["{\"name\": ", "not-json", undefined],
	];
	for (const [document, error, field] of cases) {
		const action: Record<string, unknown> = typeof document === "string" ? { do: "phone-config-write", config: {}, text: document } : { do: "phone-config-write", config: document };
		const result = await run.phone(action, "config-result");
		equal(result?.state, "rejected", JSON.stringify(document));
		equal(result?.error, error, JSON.stringify(document));
		equal(result?.field, field, JSON.stringify(document));
	}
	equal(stored(), undefined, "nothing was written: not even the valid name of the first document");
	equal(run.onboarding.peripheral.name, "AIoT Thermostat");
	ok(run.log.some((e) => e.type === "config-error" && e.error === "invalid: mqtt.port"));
}));

test("a-stale-write-is-refused-instead-of-overwriting-newer-settings", () => withDevice(async (run) => {
	act({ do: "button" });
	await sleep(200);
	// phone A read version 1; phone B writes first (version 2); then A writes against 1
	equal((await run.phone({ do: "phone-config-write", config: { name: "From B" }, base: 1 }, "config-result"))?.state, "applied");
	const stale = await run.phone({ do: "phone-config-write", config: { name: "From A" }, base: 1 }, "config-result");
	equal(stale?.state, "rejected");
	equal(stale?.error, "stale");
	equal(stale?.v, 2, "the status says which version is current");
	equal(stored()?.values.name, "From B");
	equal((await run.phone({ do: "phone-config-write", config: { name: "From A" }, base: 2 }, "config-result"))?.state, "applied", "after reading again");
}));

test("a-bonded-phone-comes-back-after-the-window-an-unbonded-one-cannot-write", () => withDevice(async (run) => {
	act({ do: "button" });
	await sleep(200);
	equal((await run.phone({ do: "phone-config-read" }, "config"))?.event, "config", "paired and bonded in the window");
	await sleep(61_000);
	ok(!run.onboarding.config.windowOpen);
	const later = await run.phone({ do: "phone-config-write", config: { telemetry: 300 } }, "config-result");
	equal(later?.state, "applied", "the bond's key encrypts the link without pairing");
	equal(stored()?.values.telemetry, 300);
}));

test("an-encrypted-link-without-a-bond-cannot-write", () => withDevice(async (run) => {
	act({ do: "button" });
	await sleep(200);
	act({ do: "phone-connect" });
	equal((await run.phone({ do: "phone-pair", bond: false, central: "x" }, "paired"))?.bonded, false);
	const result = await run.phone({ do: "phone-config-write", config: { telemetry: 30 }, stay: true }, "config-result");
	equal(result?.state, "rejected");
	equal(result?.error, "not-bonded");
	equal(stored(), undefined);
}));

test("a-document-cut-by-a-disconnection-changes-nothing", () => withDevice(async (run) => {
	act({ do: "button" });
	await sleep(200);
	const begin = "01" + "01000000" + "4000"; // base 1, 64 bytes announced
	equal((await run.phone({ do: "phone-write", uuid: CONFIG.control, hex: begin, stay: true }, "written"))?.event, "written");
	equal((await run.phone({ do: "phone-write", uuid: CONFIG.data, hex: "7b226e616d65223a", stay: true }, "written"))?.event, "written");
	act({ do: "phone-disconnect" });
	await sleep(500);
	const commit = await run.phone({ do: "phone-write", uuid: CONFIG.control, hex: "02", stay: true }, "written");
	equal(commit?.event, "written");
	await sleep(200);
	const status = await run.phone({ do: "phone-read", uuid: CONFIG.status, stay: true }, "read");
	const text = String.fromArrayBuffer(new Uint8Array((status?.hex as string).match(/../g)!.map((h) => parseInt(h, 16))).buffer);
	deepEqual(JSON.parse(text), { v: 1, state: "rejected", error: "no-begin" }, "the commit after reconnecting has nothing to commit");
	equal(stored(), undefined);
}));

test("wifi-credentials-written-here-are-joined-and-shared-with-improv", () => withDevice(async (run) => {
	act({ do: "button" });
	await sleep(200);
	const result = await run.phone({ do: "phone-config-write", config: { wifi: { ssid: "sim-home", password: "correct horse battery staple" } } }, "config-result");
	equal(result?.state, "applied");
	await sleep(5_000);
	ok(run.onboarding.network.online, "joined");
	ok(!run.onboarding.improv.active, "and Improv stops: the device is online");
	const read = await run.phone({ do: "phone-config-read" }, "config");
	deepEqual((read?.config as { secrets: string[] }).secrets, ["wifi.password"]);
	equal((read?.config as { wifi: { ssid: string } }).wifi.ssid, "sim-home");
	ok(!JSON.stringify(run.log).includes("correct horse"));
}));
