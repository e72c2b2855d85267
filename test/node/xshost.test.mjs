// The simulator host's contract, checked from outside: exit codes and messages for every
// error, .ts stack lines, determinism, real and virtual time, and the device memory limit.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, creationOf, loadManifest } from "../../sim/tools/manifest.mjs";
import { HOST, MODULE_MAP, build } from "../../sim/tools/build.mjs";

const fixture = (name) => join(ROOT, "test", "fixtures", "host", name);
const compiled = (name) => join(ROOT, "build", "js", "test", "fixtures", "host", name);
const { static: budget, chunk, heap, stack } = creationOf(loadManifest());

function host(entry, ...options) {
	const started = process.hrtime.bigint();
	const result = spawnSync(HOST, ["--modules", MODULE_MAP, "--entry", entry, "--speed", "max", ...options], { encoding: "utf8", timeout: 60_000 });
	return { ...result, realMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

before(() => build({ quiet: true }));

test("boots-main-and-prints-version-and-configuration", () => {
	const log = join(ROOT, "build", "boot-test.jsonl");
	const run = host("main", "--sim-entry", "sim/world/main", "--duration-ms", "60000", "--log", log);
	assert.equal(run.status, 0, run.stderr);
	assert.match(run.stdout, /^aiot-firmware \d+\.\d+\.\d+ \(thermostat\)$/m);
	const boot = readFileSync(log, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line)).find((e) => e.type === "boot");
	assert.match(boot.version, /^\d+\.\d+\.\d+$/);
	assert.equal(boot.config.profile, "thermostat");
	assert.deepEqual(boot.config.i2c, { data: 21, clock: 22, hz: 400000 });
});

test("uncaught-error-exits-1-with-a-stack-at-the-ts-line", () => {
	const run = host(compiled("throws-in-ts.js"));
	assert.equal(run.status, 1);
	assert.match(run.stderr, /RangeError: fixture failure/);
	assert.match(run.stderr, /throws-in-ts\.ts:5\b/);
});

test("syntax-error-exits-1-naming-file-and-line", () => {
	const run = host(fixture("syntax-error.js"));
	assert.equal(run.status, 1);
	assert.match(run.stderr, /syntax-error\.js:3: syntax error/);
});

test("missing-module-exits-1-naming-the-specifier", () => {
	const run = host(fixture("missing-module.js"));
	assert.equal(run.status, 1);
	assert.match(run.stderr, /module "no\/such\/module" not found/);
});

test("unhandled-rejection-is-reported-and-fails-the-run", () => {
	const run = host(fixture("unhandled-rejection.js"));
	assert.equal(run.status, 1);
	assert.match(run.stdout, /still running/);
	assert.match(run.stderr, /unhandled rejection: Error: nobody handles this/);
});

test("allocating-past-the-device-budget-aborts-with-memory-full", () => {
	const options = ["--creation", `${budget},${chunk},${heap},${stack}`];
	const run = host(fixture("allocate-past-budget.js"), ...options);
	assert.equal(run.status, 101);
	assert.match(run.stderr, /fatal: device: memory full/);
	// the same program with a larger budget gets further: the limit is the budget, not the host
	const bigger = host(fixture("allocate-past-budget.js"), "--creation", `${budget * 4},${chunk},${heap},${stack}`, "--mem-report");
	assert.equal(bigger.status, 101);
	const report = JSON.parse(bigger.stderr.split("\n").find((line) => line.startsWith('{"memory"')));
	assert.ok(report.peak > budget && report.peak <= budget * 4, JSON.stringify(report));
});

test("stack-overflow-aborts", () => {
	const run = host(fixture("recursion.js"), "--creation", `${budget},${chunk},${heap},${stack}`);
	assert.equal(run.status, 102);
	assert.match(run.stderr, /fatal: device: stack overflow/);
});

test("app-exit-code-is-the-process-exit-code", () => {
	assert.equal(host(fixture("exit-code.js")).status, 3);
});

test("same-seed-gives-identical-output-and-another-seed-differs", () => {
	const a = host(fixture("random-walk.js"), "--seed", "42", "--start", "2026-01-15T06:00:00Z");
	const b = host(fixture("random-walk.js"), "--seed", "42", "--start", "2026-01-15T06:00:00Z");
	const c = host(fixture("random-walk.js"), "--seed", "43", "--start", "2026-01-15T06:00:00Z");
	assert.equal(a.status, 0, a.stderr);
	assert.equal(a.stdout.split("\n").length, 51);
	assert.equal(a.stdout, b.stdout);
	assert.notEqual(a.stdout, c.stdout);
});

test("virtual-time-runs-a-simulated-day-in-well-under-a-second", () => {
	const run = host(fixture("sleep.js"), "--arg", `ms=${24 * 3600 * 1000}`);
	assert.equal(run.status, 0, run.stderr);
	assert.match(run.stdout, /done/);
	assert.ok(run.realMs < 1000, `${run.realMs} ms`);
});

test("real-time-waits-in-real-time-and-speed-scales-it", () => {
	const real = spawnSync(HOST, ["--modules", MODULE_MAP, "--entry", fixture("sleep.js"), "--speed", "1", "--arg", "ms=300"], { encoding: "utf8" });
	assert.equal(real.status, 0, real.stderr);
	let started = process.hrtime.bigint();
	spawnSync(HOST, ["--modules", MODULE_MAP, "--entry", fixture("sleep.js"), "--speed", "1", "--arg", "ms=300"]);
	const realMs = Number(process.hrtime.bigint() - started) / 1e6;
	started = process.hrtime.bigint();
	spawnSync(HOST, ["--modules", MODULE_MAP, "--entry", fixture("sleep.js"), "--speed", "60", "--arg", "ms=6000"]);
	const fastMs = Number(process.hrtime.bigint() - started) / 1e6;
	assert.ok(realMs >= 290 && realMs < 2000, `speed 1: ${realMs} ms for 300 ms`);
	assert.ok(fastMs >= 90 && fastMs < 2000, `speed 60: ${fastMs} ms for 6000 simulated ms`);
});

test("usage-errors-exit-64", () => {
	const run = spawnSync(HOST, ["--entry", "main"], { encoding: "utf8" });
	assert.equal(run.status, 64);
	assert.match(run.stderr, /usage: xshost/);
});
