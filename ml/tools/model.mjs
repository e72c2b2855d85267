#!/usr/bin/env node
// model.mjs - `npm run model -- inspect|run|bench ...` (bench: ml/bench/bench.mjs): runs the native model tool
// (build/native/tflm_cli, built from ml/native with `make -s -C ml/native` when missing
// or out of date). Relative paths are resolved from the directory npm was started in.
// No dependencies; exit status is the tool's (0 ok, 1 model/engine error, 2 usage).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const tool = join(root, "build", "native", "tflm_cli");
const native = join(root, "ml", "native");

function make(args) {
	return spawnSync("make", ["-s", "-C", native, ...args], { stdio: ["ignore", "inherit", "inherit"] });
}

function ensureTool() {
	if (existsSync(tool)) {
		const stale = make(["-q", "all"]);
		if (stale.error || stale.status === 0) return true;   // up to date, or make unavailable
	}
	const built = make([]);
	if (built.error || built.status !== 0 || !existsSync(tool)) {
		process.stderr.write(`model: building ${tool} failed (make -s -C ml/native)\n`);
		return false;
	}
	return true;
}

if (process.argv[2] === "bench") {
	const r = spawnSync(process.execPath, [join(root, "ml", "bench", "bench.mjs"), ...process.argv.slice(3)],
		{ stdio: "inherit" });
	process.exit(r.status ?? 1);
}
if (!ensureTool()) process.exit(1);
const result = spawnSync(tool, process.argv.slice(2), {
	stdio: "inherit",
	cwd: process.env.INIT_CWD || process.cwd(),
});
if (result.error) {
	process.stderr.write(`model: ${result.error.message}\n`);
	process.exit(1);
}
process.exit(result.status ?? 1);
