#!/usr/bin/env node
// The simulated device: `npm run sim -- [options]`, `npm start` (real time, thermostat).
// Builds, then runs the firmware on the XS host with the simulated world beside it.
// See README.md "Simulator" for the options, the event log and the control channel.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { ROOT, creationOf, loadManifest } from "./tools/manifest.mjs";
import { HOST, build, runModuleMap } from "./tools/build.mjs";
import { parseDuration } from "./tools/duration.mjs";
import { StatusLine } from "./tools/status.mjs";
import { parseBroker, startEmbeddedBroker } from "./tools/broker.mjs";

const USAGE = `usage: npm run sim -- [options]
  --profile thermostat|wearable   device profile (default thermostat)
  --speed 1|60|max|N              simulated time: N x real time, or as fast as possible (default 1)
  --start ISO                     wall-clock time at the first boot (default 2026-01-15T06:00:00Z)
  --duration D                    stop after D of simulated time (24h, 90m, 3600s; default: run until Ctrl-C)
  --seed N                        seed of the simulated world (default 1)
  --scenario FILE                 timeline of world changes, faults, outages, reboots (JSON)
  --state-dir DIR                 keep flash and preferences here; running again is a reboot
  --broker embedded|URL|none      MQTT broker: one started here (default), mqtt://127.0.0.1:port, or none
  --device-id ID                  device id in topics (default: sim-<seed>)
  --log FILE                      JSON-lines event log
  --set key=value                 override a manifest config value (repeatable), as mcconfig does
  --world key=value               an option of the simulated world (repeatable): sensor=bme280,
                                  temperature=19, outdoor=5, memory-every=1h (logs the device heap)
  --quiet                         no live status line`;

const { values } = parseArgs({
	options: {
		profile: { type: "string", default: "thermostat" },
		speed: { type: "string", default: "1" },
		start: { type: "string", default: "2026-01-15T06:00:00Z" },
		duration: { type: "string" },
		seed: { type: "string", default: "1" },
		scenario: { type: "string" },
		"state-dir": { type: "string" },
		broker: { type: "string", default: "embedded" },
		"device-id": { type: "string" },
		log: { type: "string" },
		set: { type: "string", multiple: true, default: [] },
		world: { type: "string", multiple: true, default: [] },
		quiet: { type: "boolean", default: false },
		help: { type: "boolean", default: false },
	},
});
if (values.help) {
	console.log(USAGE);
	process.exit(0);
}

function fail(message) {
	console.error(`sim: ${message}\n${USAGE}`);
	process.exit(64);
}

if (!["thermostat", "wearable"].includes(values.profile)) fail(`unknown profile "${values.profile}"`);
if (values.speed !== "max" && !(Number(values.speed) > 0)) fail(`--speed wants 1, 60, max or a positive number`);
if (Number.isNaN(Date.parse(values.start))) fail(`--start wants an ISO time such as 2026-01-15T06:00:00Z`);
let durationMs;
try {
	durationMs = values.duration === undefined ? undefined : parseDuration(values.duration);
} catch (error) {
	fail(error.message);
}
const overrides = { profile: values.profile, "device-id": values["device-id"] ?? `sim-${values.seed}` };
for (const assignment of values.set) {
	const [key, ...rest] = assignment.split("=");
	if (!key || !rest.length) fail(`--set wants key=value, got "${assignment}"`);
	const text = rest.join("=");
	try {
		overrides[key] = JSON.parse(text);
	} catch {
		overrides[key] = text;
	}
}

let broker;
try {
	broker = parseBroker(values.broker);
} catch (error) {
	fail(error.message);
}

if (!existsSync(HOST)) console.error("sim: first run: building the XS simulator host (about 20 s)...");
try {
	build({ quiet: true });
} catch (error) {
	console.error(`sim: build failed: ${error.message}`);
	process.exit(1);
}

// The device learns its broker from its configuration, as a provisioned device does.
let embedded;
if (broker.kind === "embedded") {
	embedded = await startEmbeddedBroker();
	broker = { kind: "embedded", host: embedded.host, port: embedded.port };
	if (!values.quiet) console.error(`sim: MQTT broker on mqtt://${broker.host}:${broker.port}`);
}
overrides.mqtt = broker.kind === "none" ? null : { host: broker.host, port: broker.port };

const { static: budget, chunk, heap, stack } = creationOf(loadManifest());
const args = [
	"--modules", runModuleMap(values.profile, overrides),
	"--entry", "main", "--sim-entry", "sim/world/main",
	"--creation", `${budget},${chunk},${heap},${stack}`,
	"--speed", values.speed, "--start", values.start, "--seed", values.seed,
	"--control-fds", "3,4",
	"--arg", `profile=${values.profile}`,
	"--arg", `broker=${broker.kind === "none" ? "none" : `mqtt://${broker.host}:${broker.port}`}`,
	"--arg", `device-id=${values["device-id"] ?? `sim-${values.seed}`}`,
];
if (durationMs !== undefined) args.push("--duration-ms", String(durationMs));
if (values.scenario) args.push("--arg", `scenario=${resolve(values.scenario)}`);
for (const option of values.world) {
	if (!/^[\w-]+=.+$/.test(option)) fail(`--world wants key=value, got "${option}"`);
	args.push("--arg", option);
}
if (values.log) args.push("--log", resolve(values.log));
if (values["state-dir"]) {
	mkdirSync(resolve(values["state-dir"]), { recursive: true });
	args.push("--state-dir", resolve(values["state-dir"]));
}

const child = spawn(HOST, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "pipe", "pipe"] });
const [, , , control, events] = child.stdio;
// The host closes its ends when it exits; that is the end of the run, not an error.
control.on("error", () => {});
events.on("error", () => {});
const live = values.speed !== "max" && !values.quiet;
const status = new StatusLine(process.stderr, { speed: values.speed });

createInterface({ input: events }).on("line", (line) => status.update(line));
const ticker = live ? setInterval(() => status.print(), 1000) : undefined;

// Lines typed (or piped) on stdin are actions for the control channel.
if (!process.stdin.isTTY || live) {
	createInterface({ input: process.stdin }).on("line", (line) => {
		if (line.trim()) control.write(`${line.trim()}\n`);
	});
}

let stopping = false;
process.on("SIGINT", () => {
	if (stopping) child.kill("SIGKILL");
	stopping = true;
	control.write(`${JSON.stringify({ do: "stop" })}\n`);
	setTimeout(() => child.kill("SIGTERM"), 2000).unref();
});

child.on("close", async (code, signal) => {
	if (ticker) clearInterval(ticker);
	if (live) status.finish();
	await embedded?.close();
	process.exit(signal ? 130 : code ?? 1);
});
