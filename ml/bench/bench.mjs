#!/usr/bin/env node
// bench.mjs - speed and size benchmark (issue 12; a benchmark, not a test).
//
//   node ml/bench/bench.mjs [MODEL ...] [--json]     (npm run bench; npm run model -- bench MODEL)
//
// Per model, one object: model, invokesPerSecond (fresh random input before every invoke,
// gcc -O2, no target flags), arenaBytes, instructionsPerInference (callgrind, collection
// toggled on around eng_invoke only, averaged over 5 invokes), and the TFLM reference
// figures and ratios where the issue lists them. Without MODEL: every fixture, then the
// engine's .text size for Xtensa (xtensa-lx106-elf-gcc -Os) against the ESP32 app slot.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const native = join(root, "ml", "native");
const bench = join(root, "build", "native", "tflm_bench");
const fixtures = process.env.FIXTURES_DIR || resolve(root, "../shared/fixtures/tflm");
const COUNT = 5;
const APP_SLOT = 1835008;   // ESP32, 4 MB flash with OTA: two 1.75 MB app slots

// TFLM reference kernels under the same rules (issue 12)
const reference = {
	"hello_world_int8.tflite": { instructions: 6730, arena: 1184 },
	"hello_world_float.tflite": { instructions: 3866, arena: 1216 },
	"micro_speech_quantized.tflite": { instructions: 22467102, arena: 7312, goal: 0.2 },
	"magic_wand.tflite": { instructions: 2212854, arena: 15856 },
	"simple_add_model.tflite": { instructions: 2212561, arena: 49936 },
	"kws_ref_model.tflite": { instructions: 206646693, arena: 24000, goal: 0.2 },
};
const allModels = [
	"hello_world/hello_world_int8.tflite", "hello_world/hello_world_float.tflite",
	"micro_speech/micro_speech_quantized.tflite", "magic_wand/magic_wand.tflite",
	"simple_add/simple_add_model.tflite", "kws_ds_cnn/kws_ref_model.tflite",
].map((m) => join(fixtures, m));

function run(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
	if (r.error || r.status !== 0)
		throw new Error(`${cmd} ${args.join(" ")}: ${r.error?.message ?? r.stderr}`);
	return r.stdout;
}

function measure(model) {
	const timed = JSON.parse(run(bench, [model, "--time", "1"]));
	const dir = mkdtempSync(join(tmpdir(), "tflm-bench-"));
	let instructions = null;
	try {
		const out = join(dir, "cg.out");
		run("valgrind", ["--tool=callgrind", "--collect-atstart=no", `--callgrind-out-file=${out}`,
			bench, model, "--count", String(COUNT)]);
		const m = /^totals:\s*(\d+)/m.exec(readFileSync(out, "utf8"));
		instructions = m ? Math.round(Number(m[1]) / COUNT) : null;
	} catch (e) {
		process.stderr.write(`bench: callgrind unavailable (${e.message.split("\n")[0]})\n`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const o = {
		model: basename(model),
		invokesPerSecond: Math.round(timed.invokes / timed.seconds),
		arenaBytes: timed.arenaBytes,
		instructionsPerInference: instructions,
	};
	const ref = reference[o.model];
	if (ref) {
		o.tflmInstructions = ref.instructions;
		o.instructionRatio = instructions ? +(instructions / ref.instructions).toFixed(3) : null;
		o.instructionGoal = ref.goal ?? 0.5;
		o.tflmArenaBytes = ref.arena;
		o.arenaRatio = +(o.arenaBytes / ref.arena).toFixed(3);
	}
	return o;
}

// .text of the engine for a 32-bit Xtensa core (xtensa-lx106-elf-gcc -Os, warnings are errors)
function xtensaSize() {
	const cc = "xtensa-lx106-elf-gcc";
	if (spawnSync(cc, ["--version"]).status !== 0) return { xtensa: "xtensa-lx106-elf-gcc not installed (apt-get install gcc-xtensa-lx106 picolibc-xtensa-lx106-elf)" };
	const srcs = run("make", ["-s", "-C", native, "print-engine-srcs"]).trim().split(/\s+/);
	const dir = mkdtempSync(join(tmpdir(), "tflm-xtensa-"));
	try {
		const objs = srcs.map((s, i) => {
			const o = join(dir, `${i}.o`);
			run(cc, ["--specs=/usr/lib/xtensa-lx106-elf/picolibc.specs", "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-Os", "-mlongcalls",
				"-ffunction-sections", "-fdata-sections", "-c", join(native, s), "-o", o]);
			return o;
		});
		let text = 0, data = 0, bss = 0;
		for (const line of run("xtensa-lx106-elf-size", ["-t", ...objs]).split("\n")) {
			const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\w+\s+\(TOTALS\)/.exec(line);
			if (m) [text, data, bss] = [Number(m[1]), Number(m[2]), Number(m[3])];
		}
		return { xtensaTextBytes: text, xtensaDataBytes: data, xtensaBssBytes: bss,
			esp32AppSlotBytes: APP_SLOT, appSlotShare: +(text / APP_SLOT).toFixed(4),
			xtensaCompiler: run(cc, ["-dumpfullversion"]).trim(), xtensaFlags: "-Os -mlongcalls (picolibc headers)" };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const args = process.argv.slice(2);
const json = args.includes("--json");
const models = args.filter((a) => a !== "--json").map((a) => resolve(process.env.INIT_CWD || process.cwd(), a));
if (spawnSync("make", ["-s", "-C", native, "bench"], { stdio: "inherit" }).status !== 0 || !existsSync(bench)) {
	process.stderr.write("bench: building build/native/tflm_bench failed\n");
	process.exit(1);
}
const list = models.length ? models : allModels;
const results = list.map(measure);
const size = models.length ? null : xtensaSize();
if (json) {
	if (models.length === 1) console.log(JSON.stringify(results[0], null, 2));
	else console.log(JSON.stringify({ models: results, size }, null, 2));
} else {
	for (const r of results)
		console.log(`${r.model.padEnd(32)} ${String(r.invokesPerSecond).padStart(9)} inv/s  ` +
			`${String(r.instructionsPerInference).padStart(11)} instr/inf` +
			(r.instructionRatio != null ? ` (${r.instructionRatio} x TFLM, goal ${r.instructionGoal})` : "") +
			`  arena ${r.arenaBytes} B` + (r.arenaRatio != null ? ` (${r.arenaRatio} x TFLM)` : ""));
	if (size) console.log(JSON.stringify(size));
}
