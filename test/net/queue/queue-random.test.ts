// @host --creation 0,32768,2048,768
// Seeded random runs of puts, flushes, sends over a connection that drops, out-of-order
// acknowledgements, rewinds, clean closes, restarts and power cuts (during programs and
// erases, at random bytes) on the NorFlash model, with and without RAM staging, on a small
// partition that fills and drops. A subscriber model receives what the queue hands out over
// a connection that, once it drops, loses everything until the queue rewinds (TCP: a lost
// message takes the rest of the connection with it). At the end the queue is drained, and:
// - numbers are never reused: every put returns a number above all numbers given before, and
//   a number always carries the same body;
// - after de-duplication by seq the subscriber saw every entry once, in increasing order;
// - every record that was stored (put returned without staging, or durableSeq passed it) was
//   received, or reported lost by a gap entry as dropped for capacity (no more of them than
//   the gap entries' dropped counts);
// - every number given out (or possibly given out by a put a cut interrupted) was received or
//   reported lost by a gap entry; and no number reported lost was received afterwards.
import { test, ok, equal, AssertionError } from "test/harness";
import { Prng } from "sim/devices/prng";
import { rig } from "test/app/storage/log-fixture";
import { TelemetryQueue, type QueueOptions } from "net/queue/queue";
import { BODY_OFFSET, type QueueEntry } from "net/queue/entry";

const STEPS = 1500;

interface Stats {
	steps: number;
	puts: number;
	acks: number;
	restarts: number;
	cuts: number;
	closes: number;
	dropped: number;
	gaps: number;
	received: number;
}

function bodyOf(id: number, pad: number): Uint8Array {
	return new Uint8Array(ArrayBuffer.fromString(`{"i":${id},"p":"${"x".repeat(pad)}"}`));
}

function idOf(entry: QueueEntry): number {
	const text = String.fromArrayBuffer(entry.bytes.slice(BODY_OFFSET, BODY_OFFSET + entry.bodyLength).buffer);
	return (JSON.parse(text) as { i: number }).i;
}

function scenario(seed: number, staging: number, stats: Stats): void {
	const prng = new Prng(seed);
	const r = rig(8); // 6 data sectors
	const options: QueueOptions = { staging, flushMs: 0, maxBody: 48, reserve: 16, window: 6, wallClock: () => NaN, uptime: () => 0 };
	const context = (): string => `seed ${seed} staging ${staging} step ${stats.steps}`;
	const bodyBySeq = new Map<number, number>(); // seq -> body id, for every number put returned
	const stored = new Set<number>(); // records known on flash
	const given = new Set<number>(); // numbers given out, or possibly given by an interrupted put
	const received = new Set<number>(); // subscriber, after de-duplication
	const lost = new Set<number>(); // reported lost by a gap entry when it arrived
	let lastGiven = 0, lastReceived = 0, reportedDropped = 0, nextId = 1;
	let connected = true;
	let sent: number[] = []; // taken entries that reached the broker, awaiting acknowledgement
	let unstored: number[] = []; // put this session, not yet known to be on flash
	let queue = open();

	function open(): TelemetryQueue {
		for (;;) {
			try {
				return TelemetryQueue.open(r.open(), options);
			} catch (error) {
				ok(error instanceof Error && /^(write|erase) failed$/.test(error.message), `${context()}: open: ${String(error)}`);
				stats.cuts++;
				r.chip.disarm();
				r.chip.powerOn();
			}
		}
	}

	function restart(): void {
		r.chip.disarm();
		r.chip.powerOn();
		stats.restarts++;
		queue = open();
		sent = [];
		unstored = []; // what was still in RAM is gone (or reported)
		connected = true;
	}

	function receive(entry: QueueEntry): void {
		const seq = entry.seq;
		if (received.has(seq)) return; // a duplicate (sent again): de-duplicated by seq
		if (lost.has(seq)) throw new AssertionError(`${context()}: ${seq} received after it was reported lost`);
		if (seq < lastReceived) throw new AssertionError(`${context()}: ${seq} after ${lastReceived}`);
		lastReceived = seq;
		received.add(seq);
		stats.received++;
		if (entry.isGap) {
			stats.gaps++;
			reportedDropped += entry.gapDropped;
			for (let n = entry.gapFrom; n <= entry.gapTo; n++) if (!received.has(n)) lost.add(n);
		} else {
			const id = idOf(entry), expected = bodyBySeq.get(seq);
			if (expected !== undefined && expected !== id) throw new AssertionError(`${context()}: ${seq} carries body ${id}, put gave it ${expected}`);
			bodyBySeq.set(seq, id);
		}
	}

	function noteDurable(): void {
		const durable = queue.durableSeq;
		while (unstored.length && unstored[0] <= durable) stored.add(unstored.shift() as number);
	}

	for (let step = 0; step < STEPS; step++) {
		stats.steps++;
		if (r.chip.powered && prng.next() < 0.04) {
			const program = prng.next() < 0.8;
			r.chip.armPowerCut({ during: program ? "program" : "erase", afterBytes: prng.int(program ? 300 : 600), seed: step });
		}
		const pick = prng.next();
		let putting = 0;
		try {
			if (pick < 0.38) {
				const id = nextId++;
				putting = queue.nextSeq;
				const seq = queue.put(bodyOf(id, prng.next() < 0.5 ? prng.int(30) : 0));
				ok(seq > lastGiven, `${context()}: ${seq} after ${lastGiven}: numbers only go up`);
				lastGiven = seq;
				given.add(seq);
				unstored.push(seq);
				bodyBySeq.set(seq, id);
				stats.puts++;
			} else if (pick < 0.43) {
				queue.flush();
			} else if (pick < 0.66) {
				for (let n = prng.int(6) + 1; n > 0; n--) {
					const entry = queue.peek();
					if (!entry) break;
					if (connected && prng.next() < 0.04) connected = false; // this and what follows are lost
					if (connected) receive(entry);
					const seq = queue.take();
					if (connected) sent.push(seq);
				}
			} else if (pick < 0.88) {
				while (sent.length && prng.next() < 0.7) { // PUBACKs, not in order
					const at = prng.int(sent.length);
					queue.ack(sent[at]);
					sent.splice(at, 1);
					stats.acks++;
				}
			} else if (pick < 0.92) {
				queue.rewind(); // the connection came back: unacknowledged entries are sent again
				sent = [];
				connected = true;
			} else if (pick < 0.94) {
				queue.close();
				stats.closes++;
				restart();
				stats.restarts--;
			} else if (pick < 0.97) {
				restart(); // a reset without close
			}
			noteDurable();
		} catch (error) {
			ok(!r.chip.powered && error instanceof Error && /^(write|erase) failed$/.test(error.message), `${context()}: ${String(error)}`);
			stats.cuts++;
			if (putting) for (let seq = putting; seq < queue.nextSeq; seq++) given.add(seq); // maybe given
			lastGiven = Math.max(lastGiven, queue.nextSeq - 1);
			restart();
		}
	}

	// The end: power stays on, the connection is good; drain and acknowledge everything.
	r.chip.disarm();
	queue.flush();
	noteDurable();
	queue.rewind();
	for (let entry = queue.peek(); entry; entry = queue.peek()) {
		receive(entry);
		queue.ack(queue.take());
	}
	equal(queue.size, 0, `${context()}: drained`);
	stats.dropped += reportedDropped;
	let storedLost = 0;
	for (const seq of stored) {
		if (received.has(seq)) continue;
		if (!lost.has(seq)) throw new AssertionError(`${context()}: stored record ${seq} neither received nor reported lost`);
		storedLost++;
	}
	ok(storedLost <= reportedDropped, `${context()}: ${storedLost} stored records lost, ${reportedDropped} reported dropped`);
	for (const seq of given)
		if (!received.has(seq) && !lost.has(seq)) throw new AssertionError(`${context()}: ${seq} was given out, never received nor reported lost`);
}

const stats: Stats = { steps: 0, puts: 0, acks: 0, restarts: 0, cuts: 0, closes: 0, dropped: 0, gaps: 0, received: 0 };

for (const seed of [1, 2, 3, 4]) {
	test(`random-ops-restarts-and-cuts-write-through-seed-${seed}`, () => scenario(seed, 0, stats));
	test(`random-ops-restarts-and-cuts-staged-seed-${seed}`, () => scenario(seed * 1000 + 7, 160, stats));
}

test("random-runs-exercised-cuts-drops-and-gaps", () => {
	trace(`queue random: ${JSON.stringify(stats)}\n`);
	ok(stats.cuts >= 200, `${stats.cuts} cuts`);
	ok(stats.dropped > 0 && stats.gaps > 0 && stats.closes > 0);
});
