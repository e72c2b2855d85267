/*
 * The simulation: the entry of the simulation machine on the XS host (imported by the
 * provider on lin). It builds the board and the world for the profile, plays the scenario,
 * takes actions from the control channel, and logs the world's ground truth.
 */
import Timer from "timer";
import Time from "time";
import config from "mc/config";
import * as env from "sim/env";
import { serve } from "sim/link";
import { Prng } from "sim/devices/prng";
import { Hardware } from "sim/world/hardware";
import { Actions, ActionError, durationField } from "sim/world/actions";
import { parseScenario, schedule } from "sim/world/scenario";
import { buildThermostat } from "sim/world/thermostat";
import { buildWearable } from "sim/world/wearable";
import { Storage } from "sim/world/storage";
import { Network } from "sim/world/network";
import type { World, WorldContext } from "sim/world/world";

/** How often the ground truth is logged, simulated ms. */
const TRUTH_INTERVAL_MS = 300_000;

const profile = env.option("profile") ?? String(config.profile ?? "thermostat");
const pins = Object.values(config.pins as Record<string, number>);
const actions = new Actions();
const hardware = new Hardware(pins);

function report(): void {
	env.emit(JSON.stringify({ type: "world", ...world.truth(), ...network.truth() }));
}

const context: WorldContext = {
	hardware, actions,
	prng: new Prng(env.seed()),
	clock: { now: () => Time.ticks },
	option: env.option,
	report,
};

/** Power to the whole board goes away: chips reset, the device stops; it all comes back after offMs. */
function powerCut(offMs: number): void {
	hardware.powerCycle();
	storage.save();
	env.powerOff(offMs, "power-cut");
	Timer.set(() => storage.powerOn(), offMs);
}

const storage = new Storage(env.seed(), powerCut);
const network = new Network(env.option, context.prng);
hardware.onDeviceBoot(() => network.deviceBooted());
serve("host.exit", () => {
	storage.save();
	return 0;
});
hardware.registerActions(actions);
storage.registerActions(actions);
network.registerActions(actions);
actions.register("power-cut", (action) => powerCut(durationField(action, "off", 0)));
actions.register("reboot", () => env.powerOff(0, "reboot"));
actions.register("report", () => report());
actions.register("stop", (action) => {
	storage.save();
	env.finish(Number(action.code ?? 0));
});

const world: World = profile === "wearable" ? buildWearable(context) : buildThermostat(context);

function perform(action: unknown, source: string): void {
	try {
		actions.perform(action);
		env.emit(JSON.stringify({ type: "action", source, action }));
	} catch (error) {
		const message = error instanceof ActionError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
		env.emit(JSON.stringify({ type: "action-error", source, action, error: message }));
	}
}

env.onControl((line) => {
	let action: unknown;
	try {
		action = JSON.parse(line);
	} catch {
		env.emit(JSON.stringify({ type: "action-error", source: "control", error: "not JSON", line }));
		return;
	}
	perform(action, "control");
});

const scenarioPath = env.option("scenario");
if (scenarioPath) {
	const bytes = env.readFile(scenarioPath);
	if (!bytes) throw new Error(`cannot read the scenario ${scenarioPath}`);
	schedule(parseScenario(String.fromArrayBuffer(bytes), actions), (action) => perform(action, "scenario"));
}

report();
Timer.repeat(report, TRUTH_INTERVAL_MS);

// --arg memory-every=1h: log the device's heap (after a collection), to check it does not grow.
const memoryEvery = env.option("memory-every");
if (memoryEvery) {
	Timer.repeat(() => {
		const figures = env.deviceMemory();
		if (figures) env.emit(JSON.stringify({ type: "memory", ...figures }));
	}, durationField({ do: "memory-every", every: memoryEvery }, "every"));
}
