// @host --sim-entry ./build/js/test/net/ble/world.js
// Improv Wi-Fi onboarding end to end on the XS host: the firmware's onboarding (net/ble) on the
// simulated BLE stack, the simulated phone's Improv client (written from the spec, importing
// nothing from net/) and the simulated access point (ssid sim-home). Each test boots the
// onboarding afresh with an empty preference store.
import { test, equal, deepEqual, ok } from "test/harness";
import config from "mc/config";
import device from "embedded:provider/builtin";
import Time from "time";
import WiFi from "wifi";
import Preference from "preference";
import { request } from "sim/link";
import type { DeviceEvent } from "app/eventlog";
import { VERSION } from "app/version";
import { DEFAULT_REDIRECT_URL, startOnboarding, type Onboarding } from "net/ble/onboarding";
import { ImprovState } from "net/ble/improv-constants";
import { act, eventCount, phoneEvents, sleep, waitFor, type WorldEvent } from "test/net/ble/central";

const pins = config.pins as Record<string, number>;
const SSID = "sim-home", PASSWORD = "correct horse battery staple";

interface Run {
	readonly onboarding: Onboarding;
	readonly log: DeviceEvent[];
	readonly from: number;
	syncs(): string[];
	phone(event: string): WorldEvent[];
	next(event: string, timeoutMs?: number): Promise<WorldEvent | undefined>;
}

function clearPreferences(): void {
	Preference.delete("cfg", "doc");
}

/** The stored configuration document's values (config-store: one preference entry). */
function stored(): Record<string, unknown> {
	const text = Preference.get("cfg", "doc");
	return typeof text === "string" ? (JSON.parse(text) as { values: Record<string, unknown> }).values : {};
}

async function withOnboarding(body: (run: Run) => Promise<void>, options: { stored?: boolean; fallback?: boolean } = {}): Promise<void> {
	if (!options.stored) clearPreferences();
	act({ do: "wifi", up: true });
	const log: DeviceEvent[] = [];
	const from = eventCount();
	const onboarding = startOnboarding({
		log: { emit: (event) => log.push(event) }, wifi: WiFi, preference: Preference, random: Math.random, now: () => Time.ticks,
		button: { io: device.io.Digital, pin: pins.button }, led: { io: device.io.Digital, pin: pins.led },
		fallback: options.fallback ? { ssid: SSID, password: PASSWORD } : undefined,
		firmware: "aiot-firmware", version: VERSION, chip: "ESP32", name: "AIoT Thermostat", hostname: "aiot-thermostat",
	});
	const run: Run = {
		onboarding, log, from,
		syncs: () => log.filter((e) => e.type === "sync").map((e) => (e as { state: string }).state),
		phone: (event) => phoneEvents(from).filter((e) => e.event === event),
		next: (event, timeoutMs) => waitFor((e) => e.type === "phone" && e.event === event, timeoutMs, from),
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

function improvAction(ssid = SSID, password = PASSWORD): Record<string, unknown> {
	return { do: "phone-improv", ssid, password };
}

test("full-onboarding-button-credentials-provisioned-online", () => withOnboarding(async (run) => {
	equal(run.onboarding.improv.state, ImprovState.authorizationRequired, "a device with a button starts unauthorized");
	ok(act(improvAction()));
	const found = await run.next("found");
	equal(found?.state, "authorization-required");
	equal(found?.name, "AIoT Thermostat", "the name from the scan response");
	equal(found?.capabilities, 0b1111, "identify, device info, scan, hostname");
	ok(await run.next("authorize"), "the phone asks the user to press the button");
	act({ do: "button" });
	const provisioned = await run.next("provisioned", 60_000);
	equal(provisioned?.url, DEFAULT_REDIRECT_URL, "the redirect URL is the result of Send Wi-Fi settings");
	deepEqual(run.phone("state").map((e) => e.state), ["authorized", "provisioning", "provisioned"]);
	ok(run.onboarding.network.online, "the device joined the network");
	equal(run.onboarding.improv.state, ImprovState.provisioned);
	ok(!run.onboarding.improv.active);
	const syncs = run.syncs();
	deepEqual(syncs.filter((s) => s.startsWith("improv-")), ["improv-authorization-required", "improv-authorized", "improv-provisioning", "improv-provisioned"]);
	ok(syncs.indexOf("wifi-online") > syncs.indexOf("improv-authorized"), "wifi-online, then the device syncs");
	equal(stored()["wifi.ssid"], SSID, "credentials persisted");
	equal(stored()["wifi.password"], PASSWORD);
	ok(!JSON.stringify(run.log).includes(PASSWORD), "the password is never logged");
	await sleep(500);
	act({ do: "phone-ble-scan" });
	const scan = await run.next("ble-scan");
	const devices = scan?.devices as { uuid128: string[]; serviceData: unknown[] }[];
	ok(devices.every((d) => !d.uuid128.includes("00467768-6228-2272-4663-277478268000") && !d.serviceData.length),
		"the Improv advertisement stopped once provisioned (the configuration service's stays for the button's window)");
	await sleep(60_000);
	const from = eventCount();
	act({ do: "phone-ble-scan" });
	deepEqual((await waitFor((e) => e.event === "ble-scan", 10_000, from))?.devices, [], "nothing once the window closed");
}));

test("wrong-password-is-unable-to-connect-and-keeps-nothing", () => withOnboarding(async (run) => {
	act({ do: "button" });
	await sleep(200);
	act(improvAction(SSID, "wrong password"));
	const failed = await run.next("failed", 60_000);
	equal(failed?.reason, "unable-to-connect");
	deepEqual(run.phone("error").map((e) => e.error), ["unable-to-connect"]);
	deepEqual(run.phone("state").map((e) => e.state), ["provisioning", "authorized"], "back to Authorized");
	ok(!run.onboarding.network.online && !run.onboarding.network.configured, "no partial configuration");
	equal(stored()["wifi.ssid"], undefined);
	ok(run.onboarding.improv.active, "Improv still runs");
	ok(run.syncs().includes("improv-error-unable-to-connect"));
	// the authorization timeout restarted after the failure (B.5): still authorized 50 s later, not after 61 s
	await sleep(50_000);
	equal(run.onboarding.improv.state, ImprovState.authorized);
	await sleep(11_000);
	equal(run.onboarding.improv.state, ImprovState.authorizationRequired);
}));

test("an-unreachable-network-is-unable-to-connect", () => withOnboarding(async (run) => {
	act({ do: "button" });
	await sleep(200);
	act(improvAction("nowhere", "whatever it is"));
	equal((await run.next("failed", 60_000))?.reason, "unable-to-connect");
	ok(!run.onboarding.network.configured);
}));

test("the-access-point-down-is-unable-to-connect-then-works", () => withOnboarding(async (run) => {
	act({ do: "wifi", up: false });
	act({ do: "button" });
	await sleep(200);
	act(improvAction());
	equal((await run.next("failed", 60_000))?.reason, "unable-to-connect");
	act({ do: "wifi", up: true });
	act(improvAction());
	const url = (await run.next("provisioned", 60_000))?.url;
	equal(url, DEFAULT_REDIRECT_URL, "authorized still (the timeout restarted): it works now");
}));

test("authorization-times-out-after-a-minute", () => withOnboarding(async (run) => {
	act({ do: "button" });
	await sleep(1_000);
	equal(run.onboarding.improv.state, ImprovState.authorized);
	await sleep(58_000);
	equal(run.onboarding.improv.state, ImprovState.authorized);
	await sleep(2_000);
	equal(run.onboarding.improv.state, ImprovState.authorizationRequired, "60 s after the press");
	act(improvAction());
	ok(await run.next("authorize"));
	// nobody presses: the phone gives up, nothing was sent
	equal((await run.next("failed", 70_000))?.reason, "not authorized in time");
	ok(!run.log.some((e) => e.type === "sync" && e.state === "wifi-connecting"));
}));

test("credentials-without-authorization-are-refused", () => withOnboarding(async (run) => {
	// the raw Send Wi-Fi settings frame, as a client that ignores the state would send it
	const frame = wifiFrame(SSID, PASSWORD);
	act({ do: "phone-raw", hex: frame });
	const done = await run.next("raw-done");
	equal(done?.error, "not-authorized");
	equal(done?.state, "authorization-required");
	ok(!run.onboarding.network.configured && !run.log.some((e) => e.type === "sync" && e.state === "wifi-connecting"), "nothing applied");
}));

test("identify-blinks-the-led-for-ten-seconds", () => withOnboarding(async (run) => {
	const before = request("test.toggles", pins.led, 0);
	act({ do: "phone-identify" });
	ok(await run.next("identify-sent"));
	await sleep(12_000);
	const toggles = request("test.toggles", pins.led, 0) - before;
	ok(toggles >= 38 && toggles <= 42, `${toggles} LED changes: 4 per second for 10 s`);
	equal(run.onboarding.improv.state, ImprovState.authorizationRequired, "identify needs no authorization");
}));

test("device-info-has-the-four-strings", () => withOnboarding(async (run) => {
	act({ do: "phone-info" });
	const info = await run.next("device-info");
	deepEqual([info?.firmware, info?.version, info?.chip, info?.name], ["aiot-firmware", VERSION, "ESP32", "AIoT Thermostat"]);
	ok(run.phone("result").length === 1 && !run.phone("bad-result").length, "checked: length and checksum");
}));

test("scan-lists-the-networks-the-device-sees", () => withOnboarding(async (run) => {
	act({ do: "phone-scan" });
	const networks = await run.next("networks");
	deepEqual(networks?.networks, [{ ssid: "sim-home", rssi: -58, auth: "WPA2" }, { ssid: "neighbours", rssi: -83, auth: "WPA2" }]);
}));

test("hostname-and-device-name-get-and-set", () => withOnboarding(async (run) => {
	act({ do: "phone-hostname" });
	equal((await run.next("hostname"))?.hostname, "aiot-thermostat");
	act({ do: "phone-hostname", hostname: "kitchen" });
	equal((await run.next("failed"))?.reason, "not-authorized", "setting needs the button");
	act({ do: "button" });
	await sleep(200);
	act({ do: "phone-hostname", hostname: "bad_name!" });
	await sleep(5_000);
	equal(run.phone("failed").at(-1)?.reason, "bad-hostname");
	act({ do: "phone-hostname", hostname: "kitchen" });
	await sleep(5_000);
	equal(run.phone("hostname").at(-1)?.hostname, "kitchen");
	equal(stored().hostname, "kitchen");
	act({ do: "phone-name", name: "Kitchen Thermostat" });
	equal((await run.next("device-name"))?.name, "Kitchen Thermostat");
	await sleep(500);
	act({ do: "phone-ble-scan" });
	equal(((await run.next("ble-scan"))?.devices as { name: string }[])[0].name, "Kitchen Thermostat", "advertised under the new name");
	equal(stored().name, "Kitchen Thermostat");
}));

function frame(command: number, data: number[]): string {
	const bytes = [command, data.length, ...data];
	bytes.push(bytes.reduce((a, b) => a + b, 0) & 0xff);
	return bytes.map((b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
}

function utf8(text: string): number[] {
	return Array.from(new Uint8Array(ArrayBuffer.fromString(text)));
}

function wifiFrame(ssid: string, password: string): string {
	const s = utf8(ssid), p = utf8(password);
	return frame(1, [s.length, ...s, p.length, ...p]);
}

async function rawError(run: Run, hex: string, chunk?: number): Promise<unknown> {
	const from = phoneEvents(run.from).length;
	act({ do: "phone-raw", hex, ...(chunk ? { chunk } : {}), stay: true });
	for (let i = 0; i < 100; i++) {
		const done = phoneEvents(run.from).slice(from).find((e) => e.event === "raw-done" || e.event === "failed");
		if (done) return done.event === "raw-done" ? done.error : done.reason;
		await sleep(100);
	}
	return "timeout";
}

test("bad-input-gets-the-right-error-and-changes-nothing", () => withOnboarding(async (run) => {
	act({ do: "button" });
	await sleep(200);
	const good = wifiFrame(SSID, PASSWORD);
	const bad = good.slice(0, -2) + ((parseInt(good.slice(-2), 16) + 1) & 0xff).toString(16).padStart(2, "0");
	equal(await rawError(run, bad), "invalid-rpc", "bad checksum");
	const s = utf8(SSID), p = utf8(PASSWORD);
	equal(await rawError(run, frame(1, [s.length + 1, ...s, p.length, ...p])), "invalid-rpc", "wrong inner length");
	equal(await rawError(run, frame(1, [s.length, ...s, p.length + 5, ...p])), "invalid-rpc", "password length past the data");
	equal(await rawError(run, good.slice(0, 30) + frame(3, [])), "invalid-rpc", "truncated frame, then another");
	const info = frame(3, []);
	equal(await rawError(run, good.slice(0, 40) + info + good.slice(40), 6), "invalid-rpc", "interleaved chunks of two frames");
	await sleep(3_000); // the interleaving left 2 bytes of a frame that never completes: dropped after 2 s
	equal(await rawError(run, frame(0x7f, [])), "unknown-command");
	equal(await rawError(run, wifiFrame("x".repeat(33), "secret")), "invalid-rpc", "an SSID over 32 bytes");
	equal(await rawError(run, wifiFrame(SSID, "p".repeat(65))), "invalid-rpc", "a passphrase over 64 bytes");
	equal(await rawError(run, "01ff" + "00".repeat(300)), "invalid-rpc", "more bytes than any frame");
	equal(await rawError(run, "00".repeat(21), 21), "one ATT write carries at most 20 bytes", "no write over ATT_MTU - 3 at the default MTU");
	ok(!run.onboarding.network.configured && !run.log.some((e) => e.type === "sync" && e.state === "wifi-connecting"), "nothing was applied");
	equal(run.onboarding.improv.state, ImprovState.authorized, "and the state never moved");
	act({ do: "phone-disconnect" });
	await sleep(500);
	act(improvAction());
	equal((await run.next("provisioned", 60_000))?.url, DEFAULT_REDIRECT_URL, "a good frame still works afterwards");
}));

test("a-lost-network-brings-improv-back-after-a-minute", () => withOnboarding(async (run) => {
	act({ do: "button" });
	await sleep(200);
	act(improvAction());
	ok(await run.next("provisioned", 60_000));
	await sleep(1_000);
	act({ do: "wifi", up: false });
	await sleep(30_000);
	ok(!run.onboarding.improv.active, "not yet");
	await sleep(35_000);
	ok(run.onboarding.improv.active, "Improv advertises again (ESPHome's wifi_timeout)");
	equal(run.onboarding.improv.state, ImprovState.authorizationRequired);
	act({ do: "wifi", up: true });
	await sleep(400_000);
	ok(run.onboarding.network.online, "the stored network came back");
	ok(!run.onboarding.improv.active, "and Improv stopped again");
}));

test("a-provisioned-device-boots-onto-its-network-without-improv", () => {
	Preference.set("cfg", "doc", JSON.stringify({ v: 2, values: { "wifi.ssid": SSID, "wifi.password": PASSWORD } }));
	return withOnboarding(async (run) => {
	await sleep(5_000);
	ok(run.onboarding.network.online);
	ok(!run.onboarding.improv.active);
	act({ do: "phone-ble-scan" });
	deepEqual((await run.next("ble-scan"))?.devices, []);
	}, { stored: true });
});
