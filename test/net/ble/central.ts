/*
 * Device-side helpers for the BLE tests: drive the world of test/net/ble/world.ts over the link
 * (its phone through actions, its bare GATT central through test.central) and read back what
 * the phone and the radio logged.
 */
import Timer from "timer";
import { request } from "sim/link";

const REPLY_BYTES = 16 * 1024;

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

function json(value: unknown): Uint8Array {
	return new Uint8Array(ArrayBuffer.fromString(JSON.stringify(value)));
}

/** Performs a world action now (a phone action, "button", "wifi"...); false if the world refused it. */
export function act(action: Record<string, unknown>): boolean {
	const bytes = json(action);
	return request("test.action", bytes.length, 0, bytes) === 0;
}

export interface WorldEvent {
	readonly type: string;
	readonly event: string;
	readonly [field: string]: unknown;
}

/** The phone and ble events logged since the world started (or since `from`). */
export function events(from = 0): WorldEvent[] {
	const bytes = new Uint8Array(REPLY_BYTES);
	const length = request("test.events", from, 0, bytes);
	if (length < 0) throw new Error("events do not fit");
	return JSON.parse(String.fromArrayBuffer(bytes.slice(0, length).buffer)) as WorldEvent[];
}

/** How many events the world has logged: pass it to events() to see only what follows. */
export function eventCount(): number {
	return request("test.eventCount", 0, 0);
}

export function phoneEvents(from = 0): WorldEvent[] {
	return events(from).filter((e) => e.type === "phone");
}

/** Waits (simulated time) until the phone logs an event matching `match`, or `timeoutMs` passes. */
export async function waitFor(match: (e: WorldEvent) => boolean, timeoutMs = 120_000, from = 0): Promise<WorldEvent | undefined> {
	for (let waited = 0; waited <= timeoutMs; waited += 100) {
		const found = events(from).find(match);
		if (found) return found;
		await sleep(100);
	}
	return undefined;
}

/** One operation of the world's bare GATT central, awaited: connect, write {name, hex}, read {name}... */
export async function central(op: Record<string, unknown>): Promise<Record<string, unknown>> {
	const bytes = json(op);
	const id = request("test.central", bytes.length, 0, bytes);
	const reply = new Uint8Array(REPLY_BYTES);
	for (;;) {
		const length = request("test.result", id, 0, reply);
		if (length > 0) return JSON.parse(String.fromArrayBuffer(reply.slice(0, length).buffer)) as Record<string, unknown>;
		await sleep(10);
	}
}

export function hex(bytes: ArrayLike<number>): string {
	let text = "";
	for (let i = 0; i < bytes.length; i++) text += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
	return text;
}
