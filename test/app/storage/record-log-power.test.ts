// @host --creation 0,32768,2048,768
// Power cuts at every byte of every write an operation makes, and at every byte of its
// sector erases, on the NorFlash model (its torn bytes come from a seeded PRNG; several seeds
// per point). After each cut: power on, mount again, and check that every record committed
// before the operation is there, in order, with its payload; that the records the operation
// was writing are there only whole; that mount did not throw; and that a new append works.
// Layout figures (README format table): 24-byte sector header, 12-byte record header; with
// 256-byte sectors, 40-byte payloads fit 4 per sector and 20-byte ones 7.
import { test, ok, equal, deepEqual, throws } from "test/harness";
import type { RecordLogOptions } from "app/storage/record-log";
import type { RecordLog } from "app/storage/record-log";
import { appendMany, check, payloadFor, range, rig } from "test/app/storage/log-fixture";

const SEEDS = [1, 2, 3];

interface Sweep {
	readonly during: "program" | "erase";
	readonly sectors: number;
	readonly options?: RecordLogOptions;
	/** Payload bytes of every record in the case. */
	readonly length: number;
	/** Builds the state before the operation. */
	prepare(log: RecordLog): void;
	/** The operation under test. */
	act(log: RecordLog): void;
	/** Records that must survive any cut, and records that may (the ones in flight). */
	readonly must: readonly number[];
	readonly may: readonly number[];
	/** Records that must be there when no cut struck. */
	readonly done: readonly number[];
}

interface Tally {
	points: number;
	cuts: number;
	torn: number;
	sealed: number;
}

/** Cuts at afterBytes = 0, 1, ... until the operation completes; returns how many points struck. */
function sweep(name: string, c: Sweep, tally: Tally): number {
	const r = rig(c.sectors);
	c.prepare(r.mount(c.options));
	const image = r.chip.image();
	const lengthOf = (): number => c.length;
	let struck = 0;
	for (let afterBytes = 0; ; afterBytes++) {
		let all = 0;
		for (const seed of SEEDS) {
			r.chip.load(image);
			r.chip.powerOn();
			const log = r.mount(c.options);
			r.chip.armPowerCut({ during: c.during, afterBytes, seed });
			let cut = false;
			try {
				c.act(log);
			} catch (error) {
				cut = true;
				ok(error instanceof Error && /^(write|erase) failed$/.test(error.message), `${name}: flash error, got ${String(error)}`);
			}
			r.chip.disarm();
			r.chip.powerOn();
			const context = `${name} cut after ${afterBytes} bytes, seed ${seed}`;
			const after = r.mount(c.options);
			equal(after.recovery.corrupt, 0, `${context}: a cut never leaves a committed record that fails its CRC`);
			tally.points++;
			tally.torn += after.recovery.torn;
			tally.sealed += after.recovery.sealed;
			const found = cut ? check(after, c.must, c.may, lengthOf, context) : check(after, c.done, [], lengthOf, context);
			const next = after.nextSeq;
			ok(found.every((seq) => seq < next), `${context}: numbers are never reused`);
			equal(after.append(payloadFor(next, c.length)), next, `${context}: appends work`);
			after.flush();
			// The append may recycle the oldest sector: the `dropped` oldest records may go.
			const kept = found.filter((seq) => seq > after.trimmed);
			check(r.mount(c.options), [...kept.slice(after.dropped), next], kept.slice(0, after.dropped), lengthOf, `${context}, appended`);
			if (cut) all++;
		}
		if (all === 0) break;
		tally.cuts += all;
		struck++;
	}
	return struck;
}

const tally: Tally = { points: 0, cuts: 0, torn: 0, sealed: 0 };

test("cut-at-every-byte-of-an-append-in-a-sector", () => {
	// 12 header + 40 payload + 1 commit bytes programmed.
	const struck = sweep("append", {
		during: "program", sectors: 4, length: 40,
		prepare: (log) => appendMany(log, 2, 40), act: (log) => appendMany(log, 1, 40),
		must: [1, 2], may: [3], done: [1, 2, 3],
	}, tally);
	equal(struck, 12 + 40 + 1);
});

test("cut-at-every-byte-of-an-append-that-opens-a-sector", () => {
	// Sector 0 is full: erase sector 1, 24 header bytes, then the record's 53.
	const struck = sweep("append opening sector 1", {
		during: "program", sectors: 4, length: 40,
		prepare: (log) => appendMany(log, 4, 40), act: (log) => appendMany(log, 1, 40),
		must: range(1, 4), may: [5], done: range(1, 5),
	}, tally);
	equal(struck, 24 + 53);
});

test("cut-at-every-byte-of-an-append-that-recycles-the-oldest-sector", () => {
	// Ring full: retire sector 0 (4 bytes over its magic), erase it, header, record.
	const struck = sweep("append recycling sector 0", {
		during: "program", sectors: 4, length: 40,
		prepare: (log) => appendMany(log, 16, 40), act: (log) => appendMany(log, 1, 40),
		must: range(5, 16), may: [1, 2, 3, 4, 17], done: range(5, 17),
	}, tally);
	equal(struck, 4 + 24 + 53);
});

test("cut-at-every-byte-of-a-staged-flush", () => {
	// One write of the 128-byte staging window, then three 1-byte commits.
	const struck = sweep("staged flush", {
		during: "program", sectors: 4, length: 20, options: { staging: 128 },
		prepare: (log) => {
			appendMany(log, 2, 20);
			log.flush();
		},
		act: (log) => {
			appendMany(log, 3, 20);
			log.flush();
		},
		must: [1, 2], may: [3, 4, 5], done: range(1, 5),
	}, tally);
	equal(struck, 128 + 3);
});

test("cut-at-every-byte-of-a-trim-watermark", () => {
	// A trim record is a header and its commit: 13 bytes. Until it commits, 1-5 may come back.
	const struck = sweep("trim", {
		during: "program", sectors: 4, length: 20,
		prepare: (log) => appendMany(log, 10, 20), act: (log) => log.trim(5),
		must: range(6, 10), may: range(1, 5), done: range(6, 10),
	}, tally);
	equal(struck, 13);
});

test("cut-at-every-byte-of-a-recycling-erase", () => {
	// The retired sector's records are gone either way; every other record stays.
	const struck = sweep("recycling erase", {
		during: "erase", sectors: 4, length: 40,
		prepare: (log) => appendMany(log, 16, 40), act: (log) => appendMany(log, 1, 40),
		must: range(5, 16), may: [17], done: range(5, 17),
	}, tally);
	equal(struck, 256);
});

test("cut-at-every-byte-of-trim-erases", () => {
	// The watermark is written before sectors 0 and 1 are erased: 1-8 never come back.
	const struck = sweep("trim erases", {
		during: "erase", sectors: 4, length: 40,
		prepare: (log) => appendMany(log, 12, 40), act: (log) => log.trim(8),
		must: range(9, 12), may: [], done: range(9, 12),
	}, tally);
	equal(struck, 2 * 256);
});

test("cut-while-formatting-a-fresh-partition", () => {
	for (const during of ["program", "erase"] as const) {
		for (let afterBytes = 0; afterBytes < (during === "erase" ? 256 : 24); afterBytes++) {
			const r = rig(2);
			r.chip.armPowerCut({ during, afterBytes, seed: afterBytes });
			throws(() => r.mount(), Error, /^(write|erase) failed$/);
			r.chip.powerOn();
			const log = r.mount();
			equal(log.recovery.formatted, true, `${during} ${afterBytes}`);
			equal(log.append(payloadFor(1, 8)), 1);
			deepEqual(check(r.mount(), [1], [], () => 8), [1]);
			tally.points++;
			tally.cuts++;
		}
	}
});

test("sweeps-saw-torn-records-and-sealed-sectors", () => {
	trace(`record-log power sweeps: ${tally.points} cut points, ${tally.cuts} cuts, ${tally.torn} torn records skipped, ${tally.sealed} sealed sectors\n`);
	ok(tally.cuts > 1000, `${tally.cuts} cuts`);
	ok(tally.torn > 0, "some cuts left complete but uncommitted records");
	ok(tally.sealed > 0, "some cuts left unparseable tails");
});
