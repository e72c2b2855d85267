// A power cut in the middle of a flash write: the device's journal write is torn, the device
// reboots, recovers every record committed before the cut, skips the torn one, and goes on.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../sim/tools/manifest.mjs";
import { build } from "../../sim/tools/build.mjs";

const JOURNALED = new Set(["boot", "fault", "recovered", "relay"]);

function run(stateDir, log, seed, duration = "3h") {
	const result = spawnSync(process.execPath, [join(ROOT, "sim", "cli.mjs"), "--quiet", "--speed", "max", "--duration", duration,
		"--seed", String(seed), "--scenario", "sim/scenarios/power-cut-mid-write.json", "--state-dir", stateDir, "--log", log],
	{ cwd: ROOT, encoding: "utf8", timeout: 120_000 });
	assert.equal(result.status, 0, result.stderr);
	return readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line));
}

before(() => build({ quiet: true }));

for (const seed of [1, 2, 3]) {
	test(`power-cut-mid-journal-write-loses-at-most-the-record-being-written (seed ${seed})`, () => {
		const dir = mkdtempSync(join(tmpdir(), "cut-"));
		const events = run(dir, join(dir, "run.jsonl"), seed);
		const boots = events.filter((e) => e.type === "boot");
		const cut = events.find((e) => e.type === "action" && e.action.do === "flash-power-cut").t;
		assert.equal(boots.length, 2, "a reboot after the cut");
		const rebootAt = boots[1].t;
		assert.ok(rebootAt > cut && rebootAt <= cut + 60_000 + 10_000 + 1000, `rebooted at ${rebootAt}`);
		// The journal writes on the turn after an event; the cut tears the first write after it is
		// armed, and the events of that turn (logged at the same time) are lost with it. Every
		// event of an earlier turn is on flash.
		const before = events.filter((e) => JOURNALED.has(e.type) && e.t < rebootAt);
		const tornTurn = before.at(-1).t;
		const committed = before.filter((e) => e.t < tornTurn).length;
		const [first, second] = events.filter((e) => e.type === "journal");
		assert.equal(first.formatted, true);
		assert.equal(second.records, committed, "every record of an earlier turn, none of the torn turn's");
		assert.ok(second.torn + second.sealed >= 1, `the torn write was detected: ${JSON.stringify(second)}`);
		assert.equal(second.corrupt, 0);
		// after recovery the journal keeps recording, and a later boot finds it all
		const after = events.filter((e) => JOURNALED.has(e.type) && e.t >= rebootAt);
		assert.ok(after.some((e) => e.type === "recovered"), "faults after the reboot are journaled too");
		const next = run(dir, join(dir, "again.jsonl"), seed, "1m").find((e) => e.type === "journal");
		assert.equal(next.records, second.records + after.length);
		assert.equal(next.corrupt, 0);
	});
}

// Regression: the device's timers were dropped at a power cut without leaving its GC roots, and
// the simulation reusing their records linked the two machines' roots (a crash a while later).
test("a-power-cut-followed-by-world-activity-leaves-both-machines-sound", () => {
	const dir = mkdtempSync(join(tmpdir(), "cut-roots-"));
	const scenario = join(dir, "cut.json");
	writeFileSync(scenario, JSON.stringify({ events: [{ at: "1h", do: "power-cut", off: "30s" }, { at: "2h", do: "motion", for: "1m" }, { at: "3h", do: "power-cut", off: "5m" }] }));
	for (const seed of [1, 2, 3, 4, 5, 6]) {
		const result = spawnSync(process.execPath, [join(ROOT, "sim", "cli.mjs"), "--quiet", "--speed", "max", "--duration", "4h",
			"--seed", String(seed), "--scenario", scenario], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
		assert.equal(result.status, 0, `seed ${seed}: ${result.stderr}`);
	}
});

// Regression: a second "device.boot" handler replaced the board's, so a reboot (unlike a power
// cut) left the pins opened and the rebooted firmware could not open its relays.
test("a-reboot-action-boots-the-firmware-again-cleanly", () => {
	const dir = mkdtempSync(join(tmpdir(), "reboot-"));
	const scenario = join(dir, "reboot.json");
	writeFileSync(scenario, JSON.stringify({ events: [{ at: "10s", do: "reboot" }, { at: "20m", do: "reboot" }] }));
	const log = join(dir, "reboot.jsonl");
	const result = spawnSync(process.execPath, [join(ROOT, "sim", "cli.mjs"), "--quiet", "--speed", "max", "--duration", "1h",
		"--broker", "none", "--scenario", scenario, "--log", log], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
	assert.equal(result.status, 0, result.stderr);
	const events = readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line));
	assert.equal(events.filter((e) => e.type === "boot").length, 3);
	assert.ok(!events.some((e) => e.type === "fault" && /relay/.test(e.source)), "every boot opens its relays");
	assert.ok(events.filter((e) => e.type === "sync" && e.state === "wifi-online").length >= 3, "and joins the network again");
});
