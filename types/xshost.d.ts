// Host-only module of the simulator host (sim/modules/host/xshost.js); never mapped on a device.
declare module "xshost" {
	export interface MemoryFigures {
		slotBytes: number;
		/** the device budget (manifest creation.static), built-ins excluded */
		budget: number;
		used: number;
		peak: number;
		chunksUsed: number;
		chunksPeak: number;
		slotsUsed: number;
		slotsPeak: number;
	}
	export function exit(code?: number): void;
	export function arg(name: string): string | undefined;
	export function seed(): number;
	export function machine(): "device" | "sim";
	export function gc(): void;
	/** Holds off (false) or allows (true) garbage collection, so a test can count allocations exactly. */
	export function collecting(enabled: boolean): void;
	export function memory(): MemoryFigures;
	/** From the simulation: the device's live heap after a collection, its pool peak and budget (bytes). */
	export function deviceMemory(): { live: number; peak: number; budget: number } | undefined;
	export function log(line: string): void;
	export function control(line: string): void;
	export function onCall(handler: (op: string, a: number, b: number, bytes: ArrayBuffer | undefined) => number): void;
	export function onControl(handler: (line: string) => void): void;
	export function call(op: string, a: number, b: number, bytes?: ArrayBufferLike | ArrayBufferView): number;
	/** The device loses power now and boots again after offMs of simulated time (< 0: stays off). */
	export function powerOff(offMs: number, reason?: string): void;
	export function bootInfo(): { reason: string; boots: number; powered: boolean };
	/** An absolute path, or (simulation machine only) a state file relative to --state-dir. */
	export function readFile(path: string): ArrayBuffer | undefined;
	export function writeFile(path: string, bytes: ArrayBufferLike | ArrayBufferView): boolean;
}
