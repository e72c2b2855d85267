// Wi-Fi outages against the simulated access point: the device keeps working (readings go on),
// never reboots, retries with backoff, and is back online soon after the network returns.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../sim/tools/manifest.mjs";
import { build } from "../../sim/tools/build.mjs";

const dir = mkdtempSync(join(tmpdir(), "wifi-"));

function sim(args) {
	const run = spawnSync(process.execPath, [join(ROOT, "sim", "cli.mjs"), "--quiet", "--speed", "max", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
	assert.equal(run.status, 0, run.stderr);
}

function events(file) {
	return readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line));
}

before(() => build({ quiet: true }));

test("an-outage-of-two-hours-is-ridden-out-and-recovered", () => {
	const scenario = join(dir, "outage.json");
	writeFileSync(scenario, JSON.stringify({ events: [{ at: "30m", do: "wifi", up: false }, { at: "2h30m", do: "wifi", up: true }] }));
	const log = join(dir, "outage.jsonl");
	sim(["--duration", "4h", "--scenario", scenario, "--log", log]);
	const all = events(log);
	const wifi = all.filter((e) => e.type === "sync").map((e) => ({ t: e.t, state: e.state }));
	assert.equal(all.filter((e) => e.type === "boot").length, 1, "no reboot for a lost network");
	const down = wifi.find((e) => e.t >= 30 * 60_000 && e.state === "wifi-waiting");
	assert.ok(down && down.t - 30 * 60_000 < 10_000, "the loss is noticed at once");
	const back = wifi.find((e) => e.t > 150 * 60_000 && e.state === "wifi-online");
	assert.ok(back, "online again after the network returns");
	assert.ok(back.t - 150 * 60_000 <= 1.5 * 300_000 + 2_000, `back after ${(back.t - 150 * 60_000) / 1000} s: at most one capped backoff`);
	const attempts = wifi.filter((e) => e.t > 30 * 60_000 && e.t < 150 * 60_000 && e.state === "wifi-connecting").length;
	assert.ok(attempts >= 20 && attempts <= 40, `${attempts} attempts in two hours with backoff capped at 5 min`);
	const readings = all.filter((e) => e.type === "reading" && e.sensor === "climate" && e.t > 30 * 60_000 && e.t < 150 * 60_000);
	assert.ok(readings.length >= 230, "the device keeps working offline");
});

test("a-wrong-password-keeps-retrying-without-rebooting", () => {
	const log = join(dir, "password.jsonl");
	sim(["--duration", "1h", "--set", "password=wrong", "--log", log]);
	const all = events(log);
	assert.ok(!all.some((e) => e.type === "sync" && e.state === "wifi-online"));
	assert.ok(all.filter((e) => e.type === "sync" && e.state === "wifi-connecting").length >= 8);
	assert.equal(all.filter((e) => e.type === "boot").length, 1);
});

test("the-same-seed-gives-the-same-retry-times", () => {
	const a = join(dir, "a.jsonl"), b = join(dir, "b.jsonl");
	sim(["--duration", "30m", "--set", "password=wrong", "--seed", "5", "--broker", "none", "--log", a]);
	sim(["--duration", "30m", "--set", "password=wrong", "--seed", "5", "--broker", "none", "--log", b]);
	assert.equal(readFileSync(a, "utf8"), readFileSync(b, "utf8"));
});
