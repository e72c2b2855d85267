/*
 * "sim/link" on the XS host: the device and the simulation are two machines; xshost.call
 * runs the other machine's handler synchronously and copies the bytes both ways.
 * See sim/link.ts for the contract.
 */
import Timer from "timer";
import { call, onCall } from "xshost";
import type { LinkHandler } from "sim/devices/link-handler";

const handlers = new Map<string, LinkHandler>();

/** The host's own notifications (device.boot, host.exit) are optional; any other op must be served. */
const NOTIFICATION = /^(device|host)\./;

function dispatch(op: string, a: number, b: number, bytes: ArrayBuffer | undefined): number {
	const handler = handlers.get(op);
	if (!handler) {
		if (NOTIFICATION.test(op)) return -1;
		throw new RangeError(`no handler for ${op}`);
	}
	return handler(a, b, bytes ? new Uint8Array(bytes) : undefined);
}

export function serve(op: string, handler: LinkHandler): void {
	if (!handlers.size) onCall(dispatch);
	handlers.set(op, handler);
}

export function request(op: string, a: number, b: number, bytes?: Uint8Array): number {
	return call(op, a, b, bytes);
}

export function notifyDevice(op: string, a: number, b: number): void {
	Timer.set(() => call(op, a, b));
}
