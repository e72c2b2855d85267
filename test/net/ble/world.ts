/*
 * The simulation machine's entry for the BLE tests (test/net/ble/*.test.ts with
 * `--sim-entry ./build/js/test/net/ble/world.js`, and test/node/ble-*.test.mjs): the board's
 * pins (the button, the LED), the Wi-Fi access point, the preference store, the BLE radio and
 * the phone, with the control channel and scenarios as in sim/world/main. Device tests drive
 * it over the link with test-only ops:
 *   "test.action"  bytes: an action as JSON; performs it (returns 0, or -1 and logs action-error)
 *   "test.events"  a: index of the first event wanted; fills bytes with a JSON array of the
 *                  phone and ble events logged since (returns the length, -2 when it does not fit)
 *   "test.eventCount" how many phone and ble events were logged so far
 *   "test.central" bytes: {op, ...}: a raw GATT central for the stack's own tests; returns an id
 *   "test.result"  a: id; fills bytes with the op's JSON result (0 while pending)
 *   "test.toggles" a: pin; how many times the device changed that output (the identify LED)
 */
import Timer from "timer";
import config from "mc/config";
import * as env from "sim/env";
import { serve } from "sim/link";
import { Prng } from "sim/devices/prng";
import { Hardware } from "sim/world/hardware";
import { Network } from "sim/world/network";
import { servePreferences } from "sim/world/preferences";
import { Actions, ActionError, durationField } from "sim/world/actions";
import { parseScenario, schedule } from "sim/world/scenario";
import { buildBle } from "sim/world/phone";
import type { BleRadio, Central } from "sim/world/ble";

const PRESS_MS = 100;
const pins = config.pins as Record<string, number>;
const actions = new Actions();
const hardware = new Hardware(Object.values(pins));
const prng = new Prng(env.seed());
const network = new Network(env.option, prng);
servePreferences();
network.registerActions(actions);

const recorded: unknown[] = [];
function emit(line: string): void {
	env.emit(line);
	const event = JSON.parse(line) as { type?: string };
	if (event.type === "phone" || event.type === "ble") recorded.push(event);
}

const { radio } = buildBle(actions, emit, env.option);

actions.register("button", (action) => {
	hardware.pins.drive(pins.button, 1);
	Timer.set(() => hardware.pins.drive(pins.button, 0), durationField(action, "hold", PRESS_MS));
});
// The pins go back to unopened inputs here: Network's "device.boot" handler replaces Hardware's
// (sim/link keeps one handler per op), so the boot notification alone would not reset them.
actions.register("reboot", () => {
	hardware.pins.reset();
	env.powerOff(0, "reboot");
});
actions.register("stop", (action) => env.finish(Number(action.code ?? 0)));

/** Actions are logged with their secrets (a phone's Wi-Fi password) masked. */
function masked(action: unknown): unknown {
	if (typeof action !== "object" || action === null || !("password" in action)) return action;
	return { ...action, password: "***" };
}

function perform(action: unknown, source: string): boolean {
	try {
		actions.perform(action);
		env.emit(JSON.stringify({ type: "action", source, action: masked(action) }));
		return true;
	} catch (error) {
		const message = error instanceof ActionError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
		env.emit(JSON.stringify({ type: "action-error", source, action: masked(action), error: message }));
		return false;
	}
}

env.onControl((line) => {
	try {
		perform(JSON.parse(line), "control");
	} catch {
		env.emit(JSON.stringify({ type: "action-error", source: "control", error: "not JSON", line }));
	}
});
const scenarioPath = env.option("scenario");
if (scenarioPath) {
	const bytes = env.readFile(scenarioPath);
	if (!bytes) throw new Error(`cannot read the scenario ${scenarioPath}`);
	schedule(parseScenario(String.fromArrayBuffer(bytes), actions), (action) => perform(action, "scenario"));
}

/* ---- test ops ---- */

function readJson(length: number, bytes: Uint8Array | undefined): Record<string, unknown> {
	return JSON.parse(String.fromArrayBuffer(bytes!.slice(0, length || bytes!.length).buffer)) as Record<string, unknown>;
}

function reply(value: unknown, bytes: Uint8Array | undefined): number {
	const text = new Uint8Array(ArrayBuffer.fromString(JSON.stringify(value)));
	if (!bytes || text.length > bytes.length) return -2;
	bytes.set(text);
	return text.length;
}

serve("test.action", (length, _b, bytes) => (perform(readJson(length, bytes), "test") ? 0 : -1));
serve("test.events", (from, _b, bytes) => reply(recorded.slice(from), bytes));
serve("test.eventCount", () => recorded.length);
const toggles = new Map<number, number>();
hardware.pins.onOutput((pin) => toggles.set(pin, (toggles.get(pin) ?? 0) + 1));
serve("test.toggles", (pin) => toggles.get(pin) ?? 0);

/** A bare GATT central, addressed by characteristic name (the test's convenience, not a phone's). */
class TestCentral implements Central {
	readonly address: string;
	readonly notifications: { name: string; hex: string }[] = [];
	disconnects: number[] = [];
	securityRequests = 0;
	constructor(address: string) {
		this.address = address;
	}
	onDisconnected(reason: number): void {
		this.disconnects.push(reason);
	}
	onNotification(handle: number, value: Uint8Array): void {
		const name = radio.services.flatMap((s) => s.characteristics).find((c) => c.handle === handle)?.name ?? String(handle);
		this.notifications.push({ name, hex: toHex(value) });
	}
	onSecurityRequest(): void {
		this.securityRequests++;
	}
}

function toHex(bytes: Uint8Array): string {
	let text = "";
	for (const b of bytes) text += (b < 16 ? "0" : "") + b.toString(16);
	return text;
}

function fromHex(text: string): Uint8Array {
	const out = new Uint8Array(text.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
	return out;
}

const centrals = new Map<string, TestCentral>();
const results = new Map<number, unknown>();
let nextId = 1;

async function central(op: Record<string, unknown>, air: BleRadio): Promise<unknown> {
	const address = String(op.central ?? "6A:00:00:00:00:01");
	let c = centrals.get(address);
	if (!c) centrals.set(address, (c = new TestCentral(address)));
	const handle = (): number => air.characteristic(String(op.name)).handle;
	switch (op.op) {
		case "scan": return air.scan().map((r) => ({ address: r.address, advertising: toHex(r.advertising), scanResponse: toHex(r.scanResponse) }));
		case "connect": return air.connect(c);
		case "disconnect": air.disconnect(c); return {};
		case "mtu": return { mtu: await air.exchangeMtu(c, Number(op.mtu)) };
		case "read": {
			const r = await air.read(c, handle());
			return { error: r.error ?? 0, hex: r.value ? toHex(r.value) : undefined };
		}
		case "write": {
			try {
				return { error: (await air.write(c, handle(), fromHex(String(op.hex)), op.withResponse !== false)).error ?? 0 };
			} catch (error) {
				return { thrown: (error as Error).message };
			}
		}
		case "subscribe": return { error: (await air.subscribe(c, handle(), Number(op.mode ?? 1) as 0 | 1 | 2)).error ?? 0 };
		case "pair": return air.pair(c, op.bond !== false);
		case "encrypt": return air.encrypt(c);
		case "state": return { notifications: c.notifications, disconnects: c.disconnects, securityRequests: c.securityRequests,
			connected: air.peer === address, advertising: air.advertising, name: air.name };
		default: throw new Error(`unknown op ${String(op.op)}`);
	}
}

serve("test.central", (length, _b, bytes) => {
	const id = nextId++;
	central(readJson(length, bytes), radio).then((value) => results.set(id, value ?? {}), (error: Error) => results.set(id, { thrown: error.message }));
	return id;
});
serve("test.result", (id, _b, bytes) => {
	if (!results.has(id)) return 0;
	const length = reply(results.get(id), bytes);
	results.delete(id);
	return length;
});
