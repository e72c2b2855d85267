// net/queue/json-writer and net/queue/message: queue entries as MQTT payloads. Expected text
// comes from the engine's own JSON.stringify and Number.prototype.toFixed (XS's, not ours), and
// every message is checked with JSON.parse. Entries are made by a real queue on the NorFlash
// model (the storage tests' rig).
import { test, ok, equal, deepEqual, throws } from "test/harness";
import { collecting, gc, memory } from "xshost";
import { rig } from "test/app/storage/log-fixture";
import { TelemetryQueue, type QueueOptions } from "net/queue/queue";
import type { QueueEntry } from "net/queue/entry";
import { JsonWriter, ascii } from "net/queue/json-writer";
import { MessageWriter, messageSize } from "net/queue/message";

const WALL = 1_768_456_800_123;

function text(bytes: Uint8Array, length: number): string {
	return String.fromArrayBuffer(bytes.slice(0, length).buffer);
}

function bytesOf(json: string): Uint8Array {
	return new Uint8Array(ArrayBuffer.fromString(json));
}

function written(body: (json: JsonWriter) => void, size = 256): string {
	const json = new JsonWriter(new Uint8Array(size));
	body(json);
	ok(!json.overflow, "fits");
	return text(json.bytes, json.length);
}

test("integers-match-json-stringify", () => {
	const values = [0, 1, 9, 10, 99, 100, 101, 4294967295, -1, -42, WALL, 9007199254740991, -9007199254740991, 1e15, 999999999999999];
	for (const value of values) equal(written((json) => json.integer(value)), JSON.stringify(value), `${value}`);
	equal(written((json) => json.integer(1.5)), "null", "not an integer");
	equal(written((json) => json.integer(NaN)), "null");
	equal(written((json) => json.integer(-0)), "0");
});

test("fixed-point-numbers-match-toFixed", () => {
	// XS 13.3's toFixed(0) writes "0." for |x| < 1 (and rounds 0.5 down): there, only the bound is
	// checked. Elsewhere the text must be toFixed's (with "-0.00" written as "0.00").
	const values = [0, 21.53, -21.53, 0.004, 0.005, 0.5, 1013.25, -0.001, 99.999, 40, 1e-9, 123456.789, -7.5, 2.5];
	for (const value of values) {
		for (const decimals of [0, 1, 2, 3]) {
			const got = written((json) => json.fixed(value, decimals));
			ok(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(got), `${got} is a JSON number`);
			ok(Math.abs(Number(got) - value) <= 0.5 / 10 ** decimals + 1e-12, `${value} to ${decimals}: ${got}`);
			if (decimals === 0 && Math.abs(value) < 1) continue;
			equal(got, value.toFixed(decimals).replace(/^-(0\.?0*)$/, "$1"), `${value} to ${decimals} decimals`);
		}
	}
	equal(written((json) => json.fixed(0.5, 0)), "1", "half away from zero");
	equal(written((json) => json.fixed(-0.5, 0)), "-1");
	equal(written((json) => json.fixed(NaN, 2)), "null");
	equal(written((json) => json.fixed(Infinity, 1)), "null");
});

test("objects-arrays-keys-and-separators", () => {
	const out = written((json) => {
		json.openObject();
		json.key(ascii("a"));
		json.integer(1);
		json.key(ascii("b"));
		json.openArray();
		json.fixed(1.25, 2);
		json.string(ascii("x"));
		json.openObject();
		json.closeObject();
		json.closeArray();
		json.key(ascii("c"));
		json.raw(bytesOf('"raw"'), 0, 5);
		json.closeObject();
	});
	equal(out, JSON.stringify({ a: 1, b: [1.25, "x", {}], c: "raw" }));
	throws(() => ascii("é"), RangeError, /not ASCII/);
});

test("a-write-that-does-not-fit-sets-overflow-and-restore-takes-it-back", () => {
	const json = new JsonWriter(new Uint8Array(12));
	json.openArray();
	json.integer(12345);
	const mark = json.mark();
	json.integer(1234567);
	ok(json.overflow);
	json.restore(mark);
	json.integer(6);
	json.closeArray();
	equal(text(json.bytes, json.length), "[12345,6]");
});

const BASE: QueueOptions = { staging: 0, flushMs: 0, maxBody: 96, wallClock: () => WALL };

function entriesOf(queue: TelemetryQueue): QueueEntry {
	return queue.peek() as QueueEntry;
}

test("a-record-is-its-body-with-seq-and-t", () => {
	const queue = TelemetryQueue.open(rig(6).open(), BASE);
	queue.put(bytesOf('{"temperature":21.53,"humidity":40.1}'));
	queue.put(bytesOf("{}"));
	queue.put(bytesOf('{ "motion" : 1 }'));
	const writer = new MessageWriter();
	const parsed: unknown[] = [];
	for (let entry = queue.peek(); entry; entry = queue.peek()) {
		parsed.push(JSON.parse(text(writer.bytes, writer.single(entry))));
		deepEqual([writer.count, writer.firstSeq, writer.lastSeq], [1, entry.seq, entry.seq]);
		queue.take();
	}
	deepEqual(parsed, [
		{ seq: 1, t: WALL, temperature: 21.53, humidity: 40.1 },
		{ seq: 2, t: WALL },
		{ seq: 3, t: WALL, motion: 1 },
	]);
});

test("uptime-records-say-so", () => {
	const queue = TelemetryQueue.open(rig(6).open(), { ...BASE, wallClock: () => 0, uptime: () => 5230 });
	queue.put(bytesOf('{"x":1}'));
	const writer = new MessageWriter();
	deepEqual(JSON.parse(text(writer.bytes, writer.single(entriesOf(queue)))), { seq: 1, t: 5230, clock: "uptime", x: 1 });
});

test("gap-entries-become-gap-messages", () => {
	const r = rig(6);
	TelemetryQueue.open(r.open(), BASE).put(bytesOf('{"x":1}')); // no close: 2..64 are skipped at the next open
	const queue = TelemetryQueue.open(r.open(), BASE);
	const writer = new MessageWriter();
	queue.peek();
	queue.take(); // record 1
	deepEqual(JSON.parse(text(writer.bytes, writer.single(entriesOf(queue)))),
		{ seq: 65, t: WALL, gap: { from: 2, to: 64, dropped: 0, cause: "restart" } });
});

test("batches-hold-at-most-maxRecords-entries", () => {
	const queue = TelemetryQueue.open(rig(8).open(), BASE);
	for (let n = 1; n <= 7; n++) queue.put(bytesOf(`{"n":${n}}`));
	const writer = new MessageWriter({ maxRecords: 3 });
	const messages: unknown[] = [];
	const ranges: number[][] = [];
	while (queue.peek()) {
		writer.begin();
		for (let entry = queue.peek(); entry && writer.add(entry); entry = queue.peek()) queue.take();
		messages.push(JSON.parse(text(writer.bytes, writer.end())));
		ranges.push([writer.firstSeq, writer.lastSeq, writer.count]);
	}
	deepEqual(ranges, [[1, 3, 3], [4, 6, 3], [7, 7, 1]]);
	deepEqual(messages[1], { records: [{ seq: 4, t: WALL, n: 4 }, { seq: 5, t: WALL, n: 5 }, { seq: 6, t: WALL, n: 6 }] });
	equal(queue.ack(1, 3), 3, "one PUBACK acknowledges the batch's range");
});

test("batches-hold-at-most-the-buffer-bytes", () => {
	const queue = TelemetryQueue.open(rig(8).open(), BASE);
	const body = `{"pad":"${"x".repeat(80)}"}`;
	for (let n = 1; n <= 5; n++) queue.put(bytesOf(body));
	const single = (() => {
		const w = new MessageWriter();
		return w.single(entriesOf(queue));
	})();
	const writer = new MessageWriter({ bytes: 14 + 2 * single + 1, maxRecords: 16 }); // two fit, not three
	writer.begin();
	for (let entry = queue.peek(); entry && writer.add(entry); entry = queue.peek()) queue.take();
	const length = writer.end();
	equal(writer.count, 2);
	ok(length <= writer.bytes.length);
	equal((JSON.parse(text(writer.bytes, length)) as { records: unknown[] }).records.length, 2);
	equal(queue.peek()?.seq, 3, "the entry that did not fit waits for the next message");
	ok(messageSize(96) <= 1024, "a default buffer holds any single message");
	throws(() => new MessageWriter({ bytes: 64 }), RangeError, /invalid bytes/);
	throws(() => new MessageWriter({ maxRecords: 0 }), RangeError, /invalid maxRecords/);
});

test("the-largest-entries-fit-messageSize", () => {
	const maxBody = 96;
	const queue = TelemetryQueue.open(rig(8).open(), { ...BASE, maxBody, wallClock: () => NaN, uptime: () => 9007199254740991 });
	const head = '{"v":"';
	queue.put(bytesOf(`${head}${"y".repeat(maxBody - head.length - 2)}"}`));
	const writer = new MessageWriter({ bytes: messageSize(maxBody) });
	ok(writer.single(entriesOf(queue)) <= messageSize(maxBody));
});

test("writing-messages-allocates-nothing", () => {
	const queue = TelemetryQueue.open(rig(8).open(), { ...BASE, window: 64 });
	for (let n = 1; n <= 40; n++) queue.put(bytesOf(`{"temperature":${20 + n / 10},"humidity":${n}}`));
	const writer = new MessageWriter({ maxRecords: 4 });
	const entry = entriesOf(queue);
	const json = new JsonWriter(new Uint8Array(64));
	const grown = (body: () => unknown): number => {
		gc();
		collecting(false);
		const before = memory();
		for (let i = 0; i < 16; i++) body();
		const after = memory();
		collecting(true);
		return after.slotsUsed - before.slotsUsed + after.chunksUsed - before.chunksUsed;
	};
	grown(() => undefined);
	const baseline = grown(() => undefined);
	equal(grown(() => writer.single(entry)) - baseline, 0, "single");
	equal(grown(() => {
		writer.begin();
		for (let e = queue.peek(); e && writer.add(e); e = queue.peek()) queue.take();
		return writer.end();
	}) - baseline, 0, "batch");
	equal(grown(() => {
		json.reset();
		json.openObject();
		json.fixed(-21.456, 2);
		json.integer(WALL);
		json.closeObject();
	}) - baseline, 0, "json writer");
});
