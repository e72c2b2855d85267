/*
 * "sim/link" in Moddable's desktop simulator: the device and the simulated hardware share
 * one machine, so requests are plain calls. See sim/link.ts for the contract.
 */
import Timer from "timer";
import type { LinkHandler } from "sim/devices/link-handler";

const handlers = new Map<string, LinkHandler>();

export function serve(op: string, handler: LinkHandler): void {
	handlers.set(op, handler);
}

export function request(op: string, a: number, b: number, bytes?: Uint8Array): number {
	const handler = handlers.get(op);
	if (!handler) throw new RangeError(`no handler for ${op}`);
	return handler(a, b, bytes);
}

export function notifyDevice(op: string, a: number, b: number): void {
	Timer.set(() => request(op, a, b));
}
