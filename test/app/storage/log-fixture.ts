// Shared by the record-log tests: a NorFlash partition served in this machine as
// embedded:storage/flash (as test/storage/flash-module.test.ts builds it), mounting it
// again as a reboot does, and a checker for what a mounted log returns.
import { ok, equal, AssertionError } from "test/harness";
import type { Flash } from "embedded:storage/flash";
import { flashFor } from "sim/devices/flash-storage";
import { NorFlash } from "sim/devices/nor-flash";
import { flashPartitions } from "sim/world/flash-service";
import { RecordLog, type RecordLogOptions } from "app/storage/record-log";

/** Small sectors keep sweeps fast; the format does not depend on the size. */
export const SECTOR = 256;

export interface Rig {
	readonly chip: NorFlash;
	/** Opens the partition again (a new handle, as after a reboot). */
	open(): Flash;
	/** Mounts a log on a freshly opened handle. */
	mount(options?: RecordLogOptions): RecordLog;
}

export function rig(sectors = 4, sectorSize = SECTOR): Rig {
	const chip = new NorFlash({ size: sectors * sectorSize, sectorSize });
	const storage = flashFor(flashPartitions({ log: chip }));
	const open = (): Flash => storage.open({ path: "log" });
	return { chip, open, mount: (options?: RecordLogOptions) => RecordLog.mount(open(), options) };
}

/** The payload the tests write for sequence number `seq`: `length` bytes no other seq shares. */
export function payloadFor(seq: number, length: number): Uint8Array {
	const bytes = new Uint8Array(length);
	for (let i = 0; i < length; i++) bytes[i] = (seq * 131 + i * 7 + (seq >>> 8)) & 0xff;
	return bytes;
}

/** Appends `count` records of `length` bytes each; returns their sequence numbers. */
export function appendMany(log: RecordLog, count: number, length: number): number[] {
	const seqs: number[] = [];
	for (let i = 0; i < count; i++) {
		const seq = log.nextSeq;
		equal(log.append(payloadFor(seq, length)), seq, "append returns the next sequence number");
		seqs.push(seq);
	}
	return seqs;
}

export interface Found {
	readonly seq: number;
	readonly bytes: Uint8Array;
}

/** Every record a cursor returns, oldest first. */
export function readAll(log: RecordLog): Found[] {
	const found: Found[] = [];
	const into = new Uint8Array(log.maxRecord);
	const cursor = log.cursor();
	for (let more = cursor.first(); more; more = cursor.next()) {
		const length = cursor.read(into);
		equal(length, cursor.length, "read returns the record's length");
		found.push({ seq: cursor.seq, bytes: into.slice(0, length) });
	}
	return found;
}

export function seqsOf(log: RecordLog): number[] {
	return readAll(log).map((record) => record.seq);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/**
 * Asserts what `log` returns: strictly increasing sequence numbers, each with the payload
 * written for it (lengthOf(seq) bytes), every `must` seq present, nothing outside must ∪ may.
 * Returns the sequence numbers found.
 */
export function check(log: RecordLog, must: readonly number[], may: readonly number[], lengthOf: (seq: number) => number, context = ""): number[] {
	const found = readAll(log);
	const seqs = found.map((record) => record.seq);
	const where = (message: string): string => `${context}${context ? ": " : ""}${message} (found ${seqs.join(",")})`;
	for (let i = 1; i < seqs.length; i++) if (!(seqs[i] > seqs[i - 1])) throw new AssertionError(where(`order at ${i}`));
	const present = new Set(seqs);
	for (const seq of must) if (!present.has(seq)) throw new AssertionError(where(`record ${seq} lost`));
	const allowed = new Set([...must, ...may]);
	for (const { seq, bytes } of found) {
		if (!allowed.has(seq)) throw new AssertionError(where(`record ${seq} not expected`));
		ok(sameBytes(bytes, payloadFor(seq, lengthOf(seq))), where(`record ${seq} has its payload`));
	}
	return seqs;
}

export function range(from: number, to: number): number[] {
	const values: number[] = [];
	for (let value = from; value <= to; value++) values.push(value);
	return values;
}
