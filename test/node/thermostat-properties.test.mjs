// Property-based safety tests of the thermostat controller (issue 6): fast-check generates
// random cases (configuration, temperature traces with stale gaps, NaN bursts and implausible
// values, mode / set point / preset / fan commands, outdoor temperatures, equipment faults,
// reboots and power cuts); the controller core running on the XS host replays them all in one
// batch (test/thermostat/replay.ts, one host process per CPU core); Node checks every safety
// rule on every relay command stream (test/thermostat/invariants.mjs). A failing case is
// shrunk by fast-check (each shrink candidate replayed on the host) and reported.
//   FC_SEED=<n> FC_RUNS=<n> node --test test/node/thermostat-properties.test.mjs
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { ROOT } from "../../sim/tools/manifest.mjs";
import { BUILD, HOST, MODULE_MAP, build } from "../../sim/tools/build.mjs";
import { caseArb, writeCases } from "../thermostat/cases.mjs";
import { checkCase, COVERAGE } from "../thermostat/invariants.mjs";

const SEED = process.env.FC_SEED === undefined ? 20_260_115 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 10_000 : Number(process.env.FC_RUNS);
const MUTANT_RUNS = 200;
const SHARDS = Math.max(1, Math.min(4, availableParallelism()));
const DIR = join(BUILD, "thermostat-properties");
const REPLAY = join(BUILD, "js", "test", "thermostat", "replay.js");

before(() => {
	build({ quiet: true });
	mkdirSync(DIR, { recursive: true });
});

/**
 * The replay is a test harness, not the device: no memory budget, and a large initial heap (4 MB
 * of chunks, 512 K slots) so that thousands of short-lived cases do not spend their time in
 * collections (twice as fast as the device's initial figures).
 */
const CREATION = "0,4194304,524288,512";

function hostArgs(name, mutate, creation = CREATION) {
	return ["--modules", MODULE_MAP, "--entry", REPLAY, "--speed", "max", "--creation", creation,
		"--arg", `cases=${join(DIR, `${name}.json`)}`, "--arg", `events=${join(DIR, `${name}.bin`)}`,
		...(mutate ? ["--arg", `mutate=${mutate}`] : [])];
}

/** Parses a replay's output into one stream per case. */
function streams(stdout, count) {
	const out = Array.from({ length: count }, () => []);
	for (const line of stdout.split("\n")) {
		if (!line.startsWith("[")) continue;
		const entry = JSON.parse(line);
		out[entry[0]].push(entry);
	}
	return out;
}

/** Replays `cases` in SHARDS host processes at once; returns { expanded, streams } in case order. */
async function replayBatch(cases, name, mutate) {
	const size = Math.ceil(cases.length / SHARDS);
	const shards = [];
	for (let k = 0; k * size < cases.length; k++) shards.push(cases.slice(k * size, (k + 1) * size));
	const results = await Promise.all(shards.map((shard, k) => new Promise((resolve, reject) => {
		const file = `${name}-${k}`;
		const expanded = writeCases(shard, join(DIR, `${file}.json`), join(DIR, `${file}.bin`));
		const child = spawn(HOST, hostArgs(file, mutate), { cwd: ROOT });
		const out = [], err = [];
		child.stdout.on("data", (d) => out.push(d));
		child.stderr.on("data", (d) => err.push(d));
		child.on("close", (code) => {
			if (code !== 0) reject(new Error(`replay shard ${k} exited ${code}: ${Buffer.concat(err).toString("utf8").slice(-3000)}`));
			else resolve({ expanded, streams: streams(Buffer.concat(out).toString("utf8"), shard.length) });
		});
	})));
	return { expanded: results.flatMap((r) => r.expanded), streams: results.flatMap((r) => r.streams) };
}

/** Replays one case (a shrink candidate). */
function replayOne(c, name, mutate) {
	const [expanded] = writeCases([c], join(DIR, `${name}.json`), join(DIR, `${name}.bin`));
	const run = spawnSync(HOST, hostArgs(name, mutate, "0,32768,2048,512"), { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
	if (run.status !== 0) return { expanded, stream: [], violations: [`replay exited ${run.status ?? run.signal}: ${run.error ?? ""}${(run.stderr ?? "").slice(-2000)}`] };
	const [stream] = streams(run.stdout, 1);
	return { expanded, stream, violations: checkCase(c.config, expanded, stream) };
}

/**
 * The property, run the batched way: (1) the cases fast-check generates for `seed`, (2) all
 * replayed at once and checked, (3) fast-check's own run of the property over the same cases
 * (same seed) answered from those verdicts, so that a failure is shrunk as usual; shrink
 * candidates are new cases, replayed one by one.
 */
async function runProperty({ seed, runs, name, mutate, shrink = true }) {
	const started = process.hrtime.bigint();
	const cases = [];
	fc.check(fc.property(caseArb, (c) => {
		cases.push(c);
		return true;
	}), { seed, numRuns: runs });
	const generated = process.hrtime.bigint();
	const batch = await replayBatch(cases, name, mutate);
	const replayed = process.hrtime.bigint();
	const verdicts = new Map();
	const coverage = Object.fromEntries(COVERAGE.map((key) => [key, 0]));
	let changes = 0, violated = 0;
	cases.forEach((c, i) => {
		const stats = {};
		const violations = checkCase(c.config, batch.expanded[i], batch.streams[i], { stats });
		for (const key of COVERAGE) if (stats[key]) coverage[key]++;
		changes += batch.streams[i].filter((e) => e[2] >= 0).length;
		if (violations.length) violated++;
		verdicts.set(JSON.stringify(c), violations);
	});
	const checked = process.hrtime.bigint();
	const result = fc.check(fc.property(caseArb, (c) => {
		const known = verdicts.get(JSON.stringify(c));
		return (known ?? replayOne(c, `${name}-shrink`, mutate).violations).length === 0;
	}), { seed, numRuns: runs, endOnFailure: !shrink });
	const ms = (a, b) => (Number(b - a) / 1e6).toFixed(0);
	const timing = `generate ${ms(started, generated)} ms, replay on XS ${ms(generated, replayed)} ms (${SHARDS} processes), ` +
		`check ${ms(replayed, checked)} ms, total ${ms(started, process.hrtime.bigint())} ms`;
	const report = { cases: cases.length, changes, violated, coverage, timing, result };
	if (result.failed) {
		const [c] = result.counterexample;
		report.counterexample = { case: c, ...replayOne(c, `${name}-shrink`, mutate) };
	}
	return report;
}

function describeFailure(report, seed) {
	const { result, counterexample: ce } = report;
	return [
		`${report.violated} of ${report.cases} cases violate a safety rule (seed ${seed}, path ${result.counterexamplePath}, ${result.numShrinks} shrinks).`,
		`Shrunk counterexample: ${JSON.stringify(ce.case)}`,
		`Violations:\n  ${ce.violations.slice(0, 10).join("\n  ")}`,
		`Relay stream:\n  ${ce.stream.map((e) => JSON.stringify(e)).join("\n  ")}`,
		`Inputs [t, kind, a, b] (kinds: 1 sample, 2 outdoor, 3 mode, 4 set points, 5 fan, 6 preset, 7 reboot, 8 end, 9 fault):\n  ${ce.expanded.map((e) => JSON.stringify(e)).join("\n  ")}`,
	].join("\n");
}

test("no-safety-rule-is-violated-over-random-traces-commands-and-reboots", async (t) => {
	const report = await runProperty({ seed: SEED, runs: RUNS, name: "batch" });
	t.diagnostic(`seed ${SEED}: ${report.cases} cases, ${report.changes} relay changes; ${report.timing}`);
	t.diagnostic(`cases exercising each rule: ${Object.entries(report.coverage).map(([k, v]) => `${k} ${v}`).join(", ")}`);
	if (report.result.failed) assert.fail(describeFailure(report, SEED));
	assert.equal(report.violated, 0);
	assert.equal(report.cases, RUNS);
	if (RUNS >= 1000) // the generator must keep reaching every rule, or the property proves little
		for (const [key, cases] of Object.entries(report.coverage)) assert.ok(cases >= RUNS / 1000, `only ${cases} cases with ${key}`);
});

// The property test's own test: a controller given a configuration that breaks one rule
// (the checker keeps the case's) must be caught, and the counterexample shrunk.
for (const [mutate, rule, shrink] of [["min-off", /minimum off/, true], ["stale", /stale temperature|valid, fresh reading/, false]]) {
	test(`a-controller-breaking-${mutate}-is-caught${shrink ? "-and-shrunk" : ""}`, async (t) => {
		const report = await runProperty({ seed: SEED, runs: MUTANT_RUNS, name: `mutant-${mutate}`, mutate, shrink });
		assert.ok(report.result.failed, `${mutate}: no case failed`);
		const { violations, case: c } = report.counterexample;
		t.diagnostic(`${mutate}: ${report.violated}/${MUTANT_RUNS} cases fail; shrunk in ${report.result.numShrinks} steps to ${c.durationMs / 60000} min, ` +
			`${c.segments.length} segments, ${c.commands.length} commands, ${c.reboots.length} reboots: ${violations[0]}`);
		assert.ok(violations.some((v) => rule.test(v)), violations.join("\n"));
	});
}
