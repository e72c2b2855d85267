// The project's test command (npm test): build and type-check, lint, Node tests for host and
// tooling code, device tests compiled from TypeScript and run on the XS host, and C tests.
// Prints one summary line "N passed, N failed" and exits non-zero on any failure.
//   node test/run.mjs [--only device|node|c|lint] [path filter...]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, creationOf, loadManifest } from "../sim/tools/manifest.mjs";
import { BUILD, HOST, MODULE_MAP, build, compiledPath } from "../sim/tools/build.mjs";

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const filters = args.filter((arg, i) => !arg.startsWith("--") && args[i - 1] !== "--only");
const totals = { passed: 0, failed: 0 };
const failures = [];

function record(name, ok, detail = "") {
	if (ok) totals.passed++;
	else {
		totals.failed++;
		failures.push(`${name}${detail ? `\n    ${detail.trim().split("\n").join("\n    ")}` : ""}`);
	}
	console.log(`${ok ? "ok" : "not ok"} ${name}`);
}

function filesUnder(dir, predicate) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path, predicate) : predicate(path) ? [path] : [];
	});
}

const selected = (file) => !filters.length || filters.some((f) => relative(ROOT, file).includes(f));
const wants = (kind) => !only || only === kind;

/**
 * Options a device test asks for in a leading comment: `// @host --speed 1 --creation budget`.
 * `$ROOT` in an option is the repository root (absolute): `--arg fixtures=$ROOT/../shared/...`.
 */
function hostOptions(source) {
	const match = /^\/\/ @host (.*)$/m.exec(source);
	const words = match ? match[1].trim().split(/\s+/).map((word) => word.replaceAll("$ROOT", ROOT)) : [];
	const creation = creationOf(loadManifest());
	const budget = `${creation.static},${creation.chunk},${creation.heap},${creation.stack}`;
	const unbounded = `0,${creation.chunk},${creation.heap},${creation.stack}`;
	const i = words.indexOf("--creation");
	if (i >= 0 && words[i + 1] === "budget") words[i + 1] = budget;
	else if (i < 0) words.push("--creation", unbounded); // unit tests: logic, not the memory budget
	if (!words.includes("--speed")) words.push("--speed", "max");
	return words;
}

function runDeviceTest(file) {
	return new Promise((resolveRun) => {
		const source = readFileSync(file, "utf8");
		const entry = join(BUILD, "entries", relative(ROOT, file).replace(/\.ts$/, ".js"));
		mkdirSync(join(entry, ".."), { recursive: true });
		writeFileSync(entry, [
			`import ${JSON.stringify(compiledPath(file))};`,
			`import { run } from "test/harness";`,
			`import { exit } from "xshost";`,
			`exit(await run(${JSON.stringify(relative(ROOT, file))}) ? 1 : 0);`,
			"",
		].join("\n"));
		const child = spawn(HOST, ["--modules", MODULE_MAP, "--entry", entry, ...hostOptions(source)], { cwd: ROOT });
		let out = "", err = "";
		child.stdout.on("data", (d) => (out += d));
		child.stderr.on("data", (d) => (err += d));
		const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
		child.on("close", (code, signal) => {
			clearTimeout(timer);
			const name = relative(ROOT, file);
			let sawSummary = false;
			for (const line of out.split("\n")) {
				if (/^\d+ passed, \d+ failed$/.test(line)) sawSummary = true;
				if (!line.startsWith("{")) continue;
				let result;
				try {
					result = JSON.parse(line);
				} catch {
					continue;
				}
				if (result.test !== undefined) record(`${name} › ${result.test}`, result.ok, result.error);
			}
			if (!sawSummary || code !== 0 && code !== 1 || signal)
				record(`${name} (host run)`, false, `exit ${signal ?? code}, no clean summary\n${err.slice(-3000)}${out.slice(-1000)}`);
			else if (err.trim() && code !== 0) failures.push(`${name} stderr:\n    ${err.trim().slice(-2000)}`);
			resolveRun();
		});
	});
}

async function pool(items, worker, width = 2) {
	const queue = [...items];
	await Promise.all(Array.from({ length: width }, async () => {
		while (queue.length) await worker(queue.shift());
	}));
}

function runCommand(name, command, commandArgs, parse) {
	const result = spawnSync(command, commandArgs, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
	const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
	if (parse) return parse(output, result.status);
	record(name, result.status === 0, output.slice(-4000));
}

/* 1. build: imports against the manifest, type-check, compile, host */
try {
	build({ quiet: true });
	record("build (manifest imports, tsc type-check, xshost)", true);
} catch (error) {
	record("build (manifest imports, tsc type-check, xshost)", false, error.message);
	console.log(`\nFailures:\n  ${failures.join("\n  ")}`);
	console.log(`${totals.passed} passed, ${totals.failed} failed`);
	process.exit(1);
}

/* 2. lint */
if (wants("lint") && !filters.length) runCommand("eslint", join(ROOT, "node_modules", ".bin", "eslint"), ["--max-warnings", "0", "."]);

/* 3. Node tests for host and tooling code (node:test, TAP) */
const nodeTests = filesUnder(join(ROOT, "test"), (f) => f.endsWith(".test.mjs")).filter(selected);
if (wants("node") && nodeTests.length) {
	runCommand("node tests", process.execPath, ["--test", "--test-reporter=tap", "--test-concurrency=2", ...nodeTests], (output, status) => {
		// top-level results only; a failure's detail is its own indented YAML block (error, expected, actual)
		const lines = output.split("\n");
		for (let i = 0; i < lines.length; i++) {
			const match = /^(not ok|ok) \d+ - (.*?)(?: # .*)?$/.exec(lines[i]);
			if (!match) continue;
			let detail = "";
			if (match[1] === "not ok")
				for (let j = i + 1; j < lines.length && /^\s/.test(lines[j]) && lines[j].trim() !== "..."; j++) detail += `${lines[j]}\n`;
			record(`node › ${match[2]}`, match[1] === "ok", detail.slice(0, 4000));
		}
		if (status !== 0 && !failures.some((f) => f.startsWith("node ›"))) record("node tests (runner)", false, output.slice(-4000));
	});
}

/* 4. device tests on the XS host */
const deviceTests = filesUnder(join(ROOT, "test"), (f) => f.endsWith(".test.ts")).filter(selected);
if (wants("device")) await pool(deviceTests, runDeviceTest);

/* 5. C tests (each Makefile with a `test` target under test/ or ml/native prints "N passed, M failed") */
const cSuites = [join(ROOT, "ml", "native")].filter((dir) => existsSync(join(dir, "Makefile")));
if (wants("c") && !filters.length) {
	for (const dir of cSuites) {
		runCommand(`c tests ${relative(ROOT, dir)}`, "make", ["-s", "-C", dir, "test"], (output, status) => {
			let counted = 0;
			for (const line of output.split("\n")) {
				const match = /^(not ok|ok) (.*)$/.exec(line);
				if (match) {
					counted++;
					record(`c › ${match[2]}`, match[1] === "ok");
				}
			}
			if (status !== 0 || !counted) record(`c tests ${relative(ROOT, dir)} (make)`, false, output.slice(-4000));
		});
	}
}

if (failures.length) console.log(`\nFailures:\n  ${failures.join("\n  ")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed ? 1 : 0);
