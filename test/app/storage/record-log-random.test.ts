// @host --creation 0,32768,2048,768
// Random sequences of appends, flushes, trims, clean reboots and power cuts (during programs
// and erases, at random bytes) on the NorFlash model, from seeded PRNGs, with and without
// staging. A model of the log checks, after every reboot: every record acknowledged before it
// (append returned without staging; flush returned, or the log reported it unstaged, with
// staging) and neither trimmed nor dropped is read back exactly once, in order, with its
// payload; nothing else is, except records a cut may have kept (the one in flight, staged ones
// in a failed flush, the sector a recycle was dropping, trims not yet durable); dropped counts
// match the model. The stack option: the simulated flash and the harness run in the device
// machine here (see record-log-power.test.ts).
import { test, ok, equal } from "test/harness";
import { Prng } from "sim/devices/prng";
import type { RecordLog, RecordLogOptions } from "app/storage/record-log";
import { check, payloadFor, rig } from "test/app/storage/log-fixture";

const STEPS = 1500;

interface Stats {
	steps: number;
	appends: number;
	trims: number;
	reboots: number;
	cuts: number;
	dropped: number;
	checked: number;
}

function scenario(seed: number, staging: number, stats: Stats): void {
	const prng = new Prng(seed);
	const r = rig(4);
	const lengths = new Map<number, number>();
	const lengthOf = (seq: number): number => lengths.get(seq) ?? -1;
	const written = new Set<number>(); // every record ever acknowledged
	let acked: number[] = []; // acknowledged, unconsumed, not dropped; ascending
	let pending: number[] = []; // appended into staging, not yet on flash
	let maybe: number[] = []; // what a cut may or may not have kept
	let trimmed = 0, durable = 0, notified = 0;
	let trimming = 0; // the watermark of a trim in progress
	const options: RecordLogOptions = {
		staging,
		onDrop: (count, through) => {
			const gone = acked.filter((seq) => seq <= through);
			equal(count, gone.length, `seed ${seed}: dropped count`);
			acked = acked.filter((seq) => seq > through);
			notified += count;
			stats.dropped += count;
		},
	};
	let log: RecordLog = r.mount(options);

	/** Staged records the log no longer holds in RAM are on flash. */
	function sync(): void {
		const onFlash = log.nextSeq - 1 - log.staged;
		while (pending.length && pending[0] <= onFlash) {
			const seq = pending.shift() as number;
			acked.push(seq);
			written.add(seq);
		}
	}

	function reboot(cut: boolean, inFlight: readonly number[]): void {
		if (cut) {
			maybe = [...inFlight, ...pending];
			const dropping = log.dropped - notified; // a recycle that did not finish
			maybe.push(...acked.slice(0, dropping));
			stats.cuts++;
		}
		stats.reboots++;
		r.chip.disarm();
		r.chip.powerOn();
		log = r.mount(options);
		notified = 0;
		const may = [...maybe];
		for (const seq of written) if (seq > durable && seq <= trimmed) may.push(seq);
		const context = `seed ${seed} staging ${staging} step ${stats.steps}`;
		equal(log.recovery.corrupt, 0, `${context}: a cut never leaves a committed record that fails its CRC`);
		const must = acked.filter((seq) => !maybe.includes(seq));
		const found = check(log, must, may, lengthOf, context);
		ok(log.trimmed >= durable && log.trimmed <= Math.max(trimmed, trimming), `${context}: watermark ${log.trimmed}`);
		for (const seq of found) written.add(seq);
		acked = found;
		pending = [];
		maybe = [];
		trimmed = durable = log.trimmed;
		trimming = 0;
		stats.checked += found.length;
	}

	for (let step = 0; step < STEPS; step++) {
		stats.steps++;
		if (r.chip.powered && prng.next() < 0.05) {
			const program = prng.next() < 0.75;
			r.chip.armPowerCut({ during: program ? "program" : "erase", afterBytes: prng.int(program ? 160 : 400), seed: step });
		}
		const pick = prng.next();
		let inFlight: number[] = [];
		try {
			if (pick < 0.62 || (pick < 0.72 && !staging)) {
				const length = prng.next() < 0.1 ? 60 + prng.int(log.maxRecord - 59) : prng.int(48);
				const seq = log.nextSeq;
				lengths.set(seq, length);
				inFlight = [seq];
				equal(log.append(payloadFor(seq, length)), seq);
				if (staging) pending.push(seq);
				else {
					acked.push(seq);
					written.add(seq);
				}
				stats.appends++;
			} else if (pick < 0.72) {
				log.flush();
			} else if (pick < 0.84) {
				const all = [...acked, ...pending];
				if (!all.length) continue;
				const through = all[prng.int(all.length)];
				inFlight = acked.filter((seq) => seq <= through);
				trimming = through;
				log.trim(through);
				trimming = 0;
				sync();
				trimmed = log.trimmed;
				durable = log.durableTrimmed;
				acked = acked.filter((seq) => seq > trimmed);
				stats.trims++;
			} else if (pick < 0.88) {
				reboot(false, []);
				continue;
			} else {
				continue;
			}
			sync();
		} catch (error) {
			ok(!r.chip.powered && error instanceof Error && /^(write|erase) failed$/.test(error.message), `seed ${seed}: ${String(error)}`);
			reboot(true, inFlight);
		}
	}
	if (staging) log.flush();
	sync();
	reboot(false, []);
}

const stats: Stats = { steps: 0, appends: 0, trims: 0, reboots: 0, cuts: 0, dropped: 0, checked: 0 };

for (const seed of [1, 2, 3, 4]) {
	test(`random-ops-and-cuts-write-through-seed-${seed}`, () => scenario(seed, 0, stats));
	test(`random-ops-and-cuts-staged-seed-${seed}`, () => scenario(seed * 1000, 96, stats));
}

test("random-runs-exercised-cuts-drops-and-trims", () => {
	trace(`record-log random: ${JSON.stringify(stats)}\n`);
	ok(stats.cuts >= 300, `${stats.cuts} cuts`);
	ok(stats.dropped > 0 && stats.trims > 0);
});
