// Improv onboarding as a scenario on the XS host, with the device's memory budget: the firmware
// entry test/net/ble/device.ts (startOnboarding as main.ts wires it) beside the world of
// test/net/ble/world.ts, driven by scenario actions for the simulated phone; the event log is
// checked from outside. A second run from the same state directory is a reboot of the
// provisioned device.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, creationOf, loadManifest } from "../../sim/tools/manifest.mjs";
import { HOST, build, runModuleMap } from "../../sim/tools/build.mjs";

const dir = mkdtempSync(join(tmpdir(), "ble-"));
const REDIRECT = "https://my.home-assistant.io/redirect/config_flow_start?domain=mqtt";
const PASSWORD = "correct horse battery staple";

before(() => build({ quiet: true }));

/** Runs the onboarding firmware with a scenario; returns the event log. */
function run(name, events, { durationMs = 120_000, stateDir, seed = 1 } = {}) {
	const { static: budget, chunk, heap, stack } = creationOf(loadManifest());
	const scenario = join(dir, `${name}.json`), log = join(dir, `${name}.jsonl`);
	writeFileSync(scenario, JSON.stringify({ description: name, events }));
	const args = ["--modules", runModuleMap("ble-unprovisioned", { ssid: "", password: "" }),
		"--entry", join(ROOT, "build", "js", "test", "net", "ble", "device.js"), "--sim-entry", "./build/js/test/net/ble/world.js",
		"--creation", `${budget},${chunk},${heap},${stack}`, "--speed", "max", "--seed", String(seed),
		"--arg", `scenario=${scenario}`, "--log", log, "--duration-ms", String(durationMs)];
	if (stateDir) args.push("--state-dir", stateDir);
	const result = spawnSync(HOST, args, { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
	assert.equal(result.status, 0, `${result.stderr}\n${result.stdout.slice(-2000)}`);
	return readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line));
}

const phone = (log, event) => log.filter((e) => e.type === "phone" && e.event === event);
const syncs = (log) => log.filter((e) => e.type === "sync").map((e) => e.state);

test("onboarding-with-the-button-then-a-reboot-joins-without-improv", () => {
	const state = join(dir, "state");
	mkdirSync(state);
	const log = run("onboarding", [
		{ at: "1s", do: "phone-improv", ssid: "sim-home", password: PASSWORD },
		{ at: "12s", do: "button" },
		{ at: "90s", do: "phone-ble-scan" },
	], { stateDir: state });
	assert.deepEqual(phone(log, "found").map((e) => e.state), ["authorization-required"]);
	assert.equal(phone(log, "authorize").length, 1);
	assert.deepEqual(phone(log, "provisioned").map((e) => e.url), [REDIRECT]);
	const states = syncs(log);
	assert.deepEqual(states.filter((s) => s.startsWith("improv-")), ["improv-authorization-required", "improv-authorized", "improv-provisioning", "improv-provisioned"]);
	assert.ok(states.includes("wifi-online"));
	const provisionedAt = log.find((e) => e.type === "phone" && e.event === "provisioned").t;
	assert.ok(provisionedAt > 12_000 && provisionedAt < 20_000, `provisioned ${provisionedAt} ms into the run: after the press, in seconds`);
	assert.deepEqual(phone(log, "ble-scan")[0].devices, [], "no advertising once provisioned (and the button's window closed)");
	assert.ok(!readFileSync(join(dir, "onboarding.jsonl"), "utf8").includes(PASSWORD), "the password is in no log line");
	const prefs = JSON.parse(readFileSync(join(state, "preferences.json"), "utf8"));
	assert.equal(JSON.parse(prefs.cfg.doc[1]).values["wifi.ssid"], "sim-home", "persisted in the configuration document");

	const again = run("reboot", [{ at: "30s", do: "phone-ble-scan" }], { stateDir: state, durationMs: 60_000 });
	assert.ok(syncs(again).includes("wifi-online"), "the stored network, straight away");
	assert.ok(!syncs(again).some((s) => s.startsWith("improv-") && s !== "improv-stopped"), "Improv stays off");
	assert.deepEqual(phone(again, "ble-scan")[0].devices, []);
});

test("a-wrong-password-reports-unable-to-connect-and-the-device-stays-unconfigured", () => {
	const log = run("wrong-password", [
		{ at: "1s", do: "button" },
		{ at: "2s", do: "phone-improv", ssid: "sim-home", password: "not the password" },
		{ at: "40s", do: "phone-ble-scan" },
	], { durationMs: 60_000 });
	assert.deepEqual(phone(log, "failed").map((e) => e.reason), ["unable-to-connect"]);
	assert.ok(syncs(log).includes("improv-error-unable-to-connect"));
	assert.ok(!syncs(log).includes("wifi-online"));
	const [scan] = phone(log, "ble-scan");
	assert.equal(scan.devices.length, 1, "still advertising for another try");
	assert.equal(scan.devices[0].bytes, 31, "flags, 128-bit UUID and service data: 31 bytes");
	assert.deepEqual(scan.devices[0].serviceData, [{ uuid: "4677", data: [2, 15, 0, 0, 0, 0] }], "Authorized, all four capabilities");
	assert.equal(scan.devices[0].name, "AIoT Thermostat");
});

test("the-same-seed-gives-the-same-run", () => {
	const events = [{ at: "1s", do: "button" }, { at: "2s", do: "phone-improv", ssid: "sim-home", password: PASSWORD }];
	const a = run("seed-a", events, { durationMs: 30_000, seed: 7 });
	const b = run("seed-b", events, { durationMs: 30_000, seed: 7 });
	const strip = (log) => log.filter((e) => e.type !== "action").map((e) => JSON.stringify(e));
	assert.deepEqual(strip(a), strip(b));
});

test("a-device-reboot-drops-the-phone's-link-and-onboarding-starts-over", () => {
	const log = run("reboot-mid-session", [
		{ at: "1s", do: "phone-connect" },
		{ at: "5s", do: "reboot" },
		{ at: "10s", do: "button" },
		{ at: "11s", do: "phone-improv", ssid: "sim-home", password: PASSWORD },
	], { durationMs: 60_000 });
	assert.equal(log.filter((e) => e.type === "boot").length, 2);
	const dropped = phone(log, "disconnected")[0];
	assert.equal(dropped.reason, 8, "Connection Timeout: the peer vanished");
	assert.ok(dropped.t >= 5_000 && dropped.t < 6_000, `noticed at ${dropped.t} ms, when the rebooted firmware opened its stack`);
	assert.deepEqual(phone(log, "provisioned").map((e) => e.url), [REDIRECT]);
});
