// net/mqtt/codec and net/mqtt/parser against byte vectors written from the MQTT 3.1.1 standard
// (OASIS, 29 October 2014): §2.2.3 Table 2.4 (remaining length), §1.5.3.1 (UTF-8 example),
// the packet layouts of chapter 3 and its non-normative examples (§3.1.2.11, §3.3.2.3, §3.8.3.1,
// §3.9.3, §3.10.3). Then the framer: every split of a multi-packet stream decodes identically,
// and garbage, wrong flags, impossible lengths and oversized packets are rejected without a throw.
import { test, equal, deepEqual, ok, throws } from "test/harness";
import {
	Connack, Malformed, PublishFields, RemainingLength, SubackFields, connectSize, decodeAck, decodeConnack,
	decodePublish, decodeRemainingLength, decodeSuback, encodeAck, encodeConnect, encodeEmpty, encodePublish,
	encodeRemainingLength, encodeSubscription, publishSize, readString, remainingLengthSize, subscriptionSize,
	topicFilterLength, topicNameLength, utf8Length, validUTF8, writeUTF8,
} from "net/mqtt/codec";
import { FrameStatus, Framer, type FrameSink } from "net/mqtt/parser";
import { PacketType } from "net/mqtt/constants";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));
const str = (text: string): number[] => [text.length >> 8, text.length & 0xff, ...ascii(text)];

function encoded(encode: (buffer: Uint8Array) => number): Uint8Array {
	const buffer = new Uint8Array(600);
	return buffer.slice(0, encode(buffer));
}

/* §2.2.3 Table 2.4 */
const REMAINING_LENGTH_VECTORS: [number, number[]][] = [
	[0, [0x00]],
	[127, [0x7f]],
	[128, [0x80, 0x01]],
	[16_383, [0xff, 0x7f]],
	[16_384, [0x80, 0x80, 0x01]],
	[2_097_151, [0xff, 0xff, 0x7f]],
	[2_097_152, [0x80, 0x80, 0x80, 0x01]],
	[268_435_455, [0xff, 0xff, 0xff, 0x7f]],
];

test("remaining-length-encodes-table-2-4", () => {
	for (const [value, expected] of REMAINING_LENGTH_VECTORS) {
		deepEqual(encoded((b) => encodeRemainingLength(b, 0, value)), bytes(...expected), `${value}`);
		equal(remainingLengthSize(value), expected.length, `${value}`);
	}
	throws(() => remainingLengthSize(268_435_456), RangeError, /remaining length/);
	throws(() => remainingLengthSize(-1), RangeError);
	throws(() => remainingLengthSize(1.5), RangeError);
});

test("remaining-length-decodes-table-2-4-and-rejects-a-fifth-byte", () => {
	const out = new RemainingLength();
	for (const [value, encoding] of REMAINING_LENGTH_VECTORS) {
		const buffer = bytes(0xaa, ...encoding, 0x55);
		equal(decodeRemainingLength(buffer, 1, buffer.length, out), 1, `${value}`);
		equal(out.value, value);
		equal(out.size, encoding.length);
		for (let cut = 1; cut < encoding.length + 1; cut++)
			equal(decodeRemainingLength(buffer, 1, cut, out), 0, `${value} needs more bytes than ${cut - 1}`);
	}
	equal(decodeRemainingLength(bytes(0xff, 0xff, 0xff, 0xff, 0x7f), 0, 5, out), -1, "five bytes");
	equal(decodeRemainingLength(bytes(0x80, 0x80, 0x80, 0x80), 0, 4, out), -1, "four continuation bytes");
	equal(decodeRemainingLength(bytes(0x80, 0x00), 0, 2, out), 1, "the algorithm accepts a non-minimal zero");
	equal(out.value, 0);
});

test("utf8-strings-follow-1-5-3", () => {
	// §1.5.3.1 example: "A" U+2A6D4 is 0x41 0xF0 0xAA 0x9B 0x94
	const text = "A\u{2A6D4}";
	equal(utf8Length(text), 5);
	deepEqual(encoded((b) => writeUTF8(b, 0, text)), bytes(0x41, 0xf0, 0xaa, 0x9b, 0x94));
	equal(readString(bytes(0x41, 0xf0, 0xaa, 0x9b, 0x94), 0, 5), text);
	equal(utf8Length("é€"), 5);
	equal(readString(encoded((b) => writeUTF8(b, 0, "é€")), 0, 5), "é€");
	throws(() => utf8Length("a\u0000b"), RangeError, /string/, "U+0000, MQTT-1.5.3-2");
	throws(() => utf8Length("\ud800"), RangeError, /string/, "a lone surrogate, MQTT-1.5.3-1");
	throws(() => utf8Length("\udc00x"), RangeError, /string/);
	ok(validUTF8(bytes(0x41, 0xf0, 0xaa, 0x9b, 0x94), 0, 5));
	for (const bad of [[0x00], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff], [0x80], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80, 0x80]])
		equal(validUTF8(bytes(...bad), 0, bad.length), false, bad.join(","));
});

test("topic-names-and-filters-follow-4-7", () => {
	equal(topicNameLength("sport/tennis/player1"), 20);
	for (const bad of ["", "a/+", "#", "a/#"]) throws(() => topicNameLength(bad), RangeError, /topic/, bad);
	for (const good of ["#", "+", "a/+/b", "a/#", "+/+", "/", "sport/tennis/#", "+/tennis/#"]) ok(topicFilterLength(good) > 0, good);
	for (const bad of ["", "a#", "a/#/b", "a+", "+a/b", "sport/tennis#", "a/b+"]) throws(() => topicFilterLength(bad), RangeError, /topic filter/, bad);
});

test("connect-encodes-every-flag-3-1", () => {
	const packet = encoded((b) => encodeConnect(b, 0, {
		id: "c1", clean: true, keepalive: 10,
		will: { topic: "w", message: "x", qos: 1, retain: false },
		user: "u", password: "p",
	}));
	// §3.1.2.11's example flags: user, password, will QoS 1, will, clean session = 0xCE; keep alive 10
	deepEqual(packet, bytes(0x10, 26, ...str("MQTT"), 0x04, 0xce, 0x00, 0x0a, ...str("c1"), ...str("w"), ...str("x"), ...str("u"), ...str("p")));
	equal(connectSize({ id: "c1", clean: true, keepalive: 10, will: { topic: "w", message: "x", qos: 1, retain: false }, user: "u", password: "p" }), packet.length);
});

test("connect-persistent-session-will-retain-binary-password", () => {
	deepEqual(encoded((b) => encodeConnect(b, 0, { id: "a", clean: false, keepalive: 30 })),
		bytes(0x10, 13, ...str("MQTT"), 0x04, 0x00, 0x00, 0x1e, ...str("a")));
	deepEqual(encoded((b) => encodeConnect(b, 0, { id: "a", clean: false, keepalive: 65535, will: { topic: "s", message: bytes(0, 255), qos: 0, retain: true } })),
		bytes(0x10, 20, ...str("MQTT"), 0x04, 0x24, 0xff, 0xff, ...str("a"), ...str("s"), 0x00, 0x02, 0x00, 0xff));
	deepEqual(encoded((b) => encodeConnect(b, 0, { id: "a", clean: false, keepalive: 0, will: { topic: "s", message: "", qos: 2, retain: true }, user: "", password: bytes(1, 2, 3) })),
		bytes(0x10, 25, ...str("MQTT"), 0x04, 0xf4, 0x00, 0x00, ...str("a"), ...str("s"), 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 1, 2, 3));
	throws(() => encodeConnect(new Uint8Array(64), 0, { id: "a", clean: false, keepalive: 1, password: "p" }), RangeError, /password without user/, "MQTT-3.1.2-22");
	throws(() => encodeConnect(new Uint8Array(64), 0, { id: "a", clean: false, keepalive: 65536 }), RangeError, /keepalive/);
	throws(() => encodeConnect(new Uint8Array(8), 0, { id: "a", clean: false, keepalive: 1 }), RangeError, /buffer too small/);
});

test("publish-encodes-3-3-with-qos-dup-retain", () => {
	// §3.3.2.3's example variable header: topic "a/b", packet identifier 10
	deepEqual(encoded((b) => encodePublish(b, 0, "a/b", 3, "hi", 2, 1, false, false, 10)),
		bytes(0x32, 9, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x00, 0x0a, 0x68, 0x69));
	deepEqual(encoded((b) => encodePublish(b, 0, "a/b", 3, bytes(0x68, 0x69), 2, 1, true, true, 10)),
		bytes(0x3b, 9, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x00, 0x0a, 0x68, 0x69), "DUP and RETAIN");
	deepEqual(encoded((b) => encodePublish(b, 0, "a/b", 3, "hi", 2, 0, false, true, 10)),
		bytes(0x30, 7, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x68, 0x69), "QoS 0: no identifier and DUP 0 (MQTT-3.3.1-2)");
	deepEqual(encoded((b) => encodePublish(b, 0, "t", 1, "", 0, 0, true, false, 0)), bytes(0x31, 3, 0x00, 0x01, 0x74), "empty retained payload");
	const long = encoded((b) => encodePublish(b, 0, "t", 1, new Uint8Array(200), 200, 1, false, false, 65535));
	deepEqual(long.subarray(0, 8), bytes(0x32, 0xcd, 0x01, 0x00, 0x01, 0x74, 0xff, 0xff), "205 = 0xCD 0x01");
	equal(long.length, publishSize(1, 200, 1));
	throws(() => encodePublish(new Uint8Array(64), 0, "t", 1, "", 0, 1, false, false, 0), RangeError, /packet id/, "MQTT-2.3.1-1");
	throws(() => encodePublish(new Uint8Array(64), 0, "t", 1, "", 0, 3, false, false, 1), RangeError, /QoS/);
});

test("acks-pings-and-disconnect-3-4-3-12-3-14", () => {
	deepEqual(encoded((b) => encodeAck(b, 0, PacketType.PUBACK, 10)), bytes(0x40, 0x02, 0x00, 0x0a));
	deepEqual(encoded((b) => encodeAck(b, 0, PacketType.PUBACK, 0x1234)), bytes(0x40, 0x02, 0x12, 0x34));
	deepEqual(encoded((b) => encodeAck(b, 0, PacketType.PUBREL, 1)), bytes(0x62, 0x02, 0x00, 0x01), "PUBREL flags 0010");
	deepEqual(encoded((b) => encodeEmpty(b, 0, PacketType.PINGREQ)), bytes(0xc0, 0x00));
	deepEqual(encoded((b) => encodeEmpty(b, 0, PacketType.DISCONNECT)), bytes(0xe0, 0x00));
	throws(() => encodeAck(new Uint8Array(4), 0, PacketType.PUBACK, 0), RangeError);
	throws(() => encodeAck(new Uint8Array(4), 0, PacketType.PUBACK, 65536), RangeError);
});

test("subscribe-and-unsubscribe-3-8-3-10", () => {
	// §3.8.3.1 example payload: "a/b" QoS 1, "c/d" QoS 2
	const items = [{ topic: "a/b", QoS: 1 }, { topic: "c/d", QoS: 2 }];
	const subscribe = encoded((b) => encodeSubscription(b, 0, PacketType.SUBSCRIBE, 10, items));
	deepEqual(subscribe, bytes(0x82, 14, 0x00, 0x0a, ...str("a/b"), 0x01, ...str("c/d"), 0x02));
	equal(subscriptionSize(items, true), subscribe.length);
	// §3.10.3 example payload: "a/b", "c/d"
	const unsubscribe = encoded((b) => encodeSubscription(b, 0, PacketType.UNSUBSCRIBE, 10, items));
	deepEqual(unsubscribe, bytes(0xa2, 12, 0x00, 0x0a, ...str("a/b"), ...str("c/d")));
	equal(subscriptionSize(items, false), unsubscribe.length);
	throws(() => encodeSubscription(new Uint8Array(64), 0, PacketType.SUBSCRIBE, 1, []), RangeError, /no topics/, "MQTT-3.8.3-3");
	throws(() => encodeSubscription(new Uint8Array(64), 0, PacketType.SUBSCRIBE, 1, [{ topic: "a", QoS: 3 }]), RangeError, /QoS/);
	throws(() => encodeSubscription(new Uint8Array(64), 0, PacketType.SUBSCRIBE, 1, [{ topic: "a#" }]), RangeError, /topic filter/);
});

test("connack-decodes-3-2-and-rejects-reserved-bits", () => {
	const out = new Connack();
	equal(decodeConnack(bytes(0x01, 0x00), 0, 2, out), Malformed.none);
	equal(out.sessionPresent, true);
	equal(out.returnCode, 0);
	equal(decodeConnack(bytes(0x00, 0x05), 0, 2, out), Malformed.none);
	deepEqual([out.sessionPresent, out.returnCode], [false, 5], "not authorized");
	equal(decodeConnack(bytes(0x02, 0x00), 0, 2, out), Malformed.reserved, "bits 7-1 reserved");
	equal(decodeConnack(bytes(0x01, 0x02), 0, 2, out), Malformed.reserved, "a refusal with a session (MQTT-3.2.2-4)");
	equal(decodeConnack(bytes(0x00, 0x00, 0x00), 0, 3, out), Malformed.length);
});

test("publish-decodes-3-3-and-rejects-bad-fields", () => {
	const out = new PublishFields();
	const body = bytes(0x00, 0x03, 0x61, 0x2f, 0x62, 0x00, 0x0a, 0x68, 0x69);
	equal(decodePublish(0b1011, body, 0, body.length, out), Malformed.none);
	deepEqual([out.qos, out.dup, out.retain, out.id, out.topicOffset, out.topicLength, out.payloadOffset, out.payloadLength], [1, true, true, 10, 2, 3, 7, 2]);
	equal(readString(body, out.topicOffset, out.topicLength), "a/b");
	equal(decodePublish(0b0000, bytes(0x00, 0x01, 0x74), 0, 3, out), Malformed.none);
	deepEqual([out.qos, out.id, out.payloadLength], [0, 0, 0]);
	equal(decodePublish(0b0110, body, 0, body.length, out), Malformed.qos, "QoS 3 (MQTT-3.3.1-4)");
	equal(decodePublish(0b1000, body, 0, body.length, out), Malformed.flags, "DUP at QoS 0 (MQTT-3.3.1-2)");
	equal(decodePublish(0b0010, bytes(0x00, 0x01, 0x74, 0x00, 0x00), 0, 5, out), Malformed.packetId);
	equal(decodePublish(0b0010, bytes(0x00, 0x01, 0x74, 0x00), 0, 4, out), Malformed.length, "no room for the identifier");
	equal(decodePublish(0b0000, bytes(0x00, 0x09, 0x74), 0, 3, out), Malformed.length, "topic longer than the packet");
	equal(decodePublish(0b0000, bytes(0x00, 0x00, 0x74), 0, 3, out), Malformed.topic, "empty topic");
	equal(decodePublish(0b0000, bytes(0x00, 0x03, 0x61, 0x2f, 0x23), 0, 5, out), Malformed.topic, "wildcard");
	equal(decodePublish(0b0000, bytes(0x00, 0x02, 0xc0, 0x80), 0, 4, out), Malformed.utf8, "overlong UTF-8");
});

test("suback-and-ack-decode-3-9-3-4-3-11", () => {
	const out = new SubackFields();
	// §3.9.3 example: success QoS 0, success QoS 2, failure
	const body = bytes(0x00, 0x0a, 0x00, 0x02, 0x80);
	equal(decodeSuback(body, 0, body.length, out), Malformed.none);
	deepEqual([out.id, out.codesOffset, out.count], [10, 2, 3]);
	equal(decodeSuback(bytes(0x00, 0x0a, 0x03), 0, 3, out), Malformed.returnCode, "0x03 is reserved (MQTT-3.9.3-2)");
	equal(decodeSuback(bytes(0x00, 0x00, 0x01), 0, 3, out), Malformed.packetId);
	equal(decodeSuback(bytes(0x00, 0x0a), 0, 2, out), Malformed.length);
	equal(decodeAck(bytes(0x12, 0x34), 0, 2), 0x1234);
	equal(decodeAck(bytes(0x00, 0x00), 0, 2), -1);
	equal(decodeAck(bytes(0x00, 0x01, 0x00), 0, 3), -1);
});

/* ---------------------------------------------------------------------------------- framer */

/** A sink that records each packet as "type/flags:hex body". */
class Recorder implements FrameSink {
	readonly packets: string[] = [];
	stopAfter = -1;
	onPacket(type: number, flags: number, body: Uint8Array, length: number): boolean {
		let hex = "";
		for (let i = 0; i < length; i++) hex += (body[i] < 16 ? "0" : "") + body[i].toString(16);
		this.packets.push(`${type}/${flags}:${hex}`);
		return this.packets.length !== this.stopAfter;
	}
}

/** CONNACK, SUBACK, PUBLISH QoS 1 (DUP, retain), PUBLISH QoS 0 with a 2-byte length, PINGRESP, PUBACK, UNSUBACK. */
function stream(): Uint8Array {
	const parts: number[] = [0x20, 0x02, 0x00, 0x00, 0x90, 0x04, 0x00, 0x01, 0x01, 0x80];
	parts.push(0x3b, 9, ...str("a/b"), 0x00, 0x0a, 0x68, 0x69);
	parts.push(0x30, 0x8a, 0x01, ...str("t/x"));
	for (let i = 0; i < 133; i++) parts.push(i & 0xff);
	parts.push(0xd0, 0x00, 0x40, 0x02, 0xff, 0xff, 0xb0, 0x02, 0x00, 0x07);
	return Uint8Array.from(parts);
}

function framed(input: Uint8Array, cuts: number[]): string[] {
	const sink = new Recorder();
	const framer = new Framer(256, sink);
	let at = 0;
	for (const cut of [...cuts, input.length]) {
		equal(framer.feed(input.subarray(at, cut), 0, cut - at), FrameStatus.ok);
		at = cut;
	}
	equal(framer.partial, false, "no packet left half-done");
	return sink.packets;
}

test("framer-decodes-a-multi-packet-stream", () => {
	const packets = framed(stream(), []);
	equal(packets.length, 7);
	equal(packets[0], "2/0:0000");
	equal(packets[1], "9/0:00010180");
	equal(packets[2], "3/11:0003612f62000a6869");
	ok(packets[3].startsWith("3/0:0003742f78000102"), packets[3]);
	equal(packets[3].length, "3/0:".length + 2 * 138);
	deepEqual(packets.slice(4), ["13/0:", "4/0:ffff", "11/0:0007"]);
});

test("framer-every-split-decodes-identically", () => {
	const input = stream();
	const whole = framed(input, []);
	for (let i = 1; i < input.length; i++) deepEqual(framed(input, [i]), whole, `split at ${i}`);
	const bytewise = Array.from({ length: input.length - 1 }, (_, i) => i + 1);
	deepEqual(framed(input, bytewise), whole, "one byte at a time");
});

test("framer-every-three-way-split-of-a-short-stream", () => {
	const input = Uint8Array.from([0x20, 0x02, 0x01, 0x00, 0x32, 0x07, ...str("a"), 0x00, 0x05, 0x41, 0x42, 0xd0, 0x00, 0x40, 0x02, 0x00, 0x05]);
	const whole = framed(input, []);
	equal(whole.length, 4);
	for (let i = 1; i < input.length; i++)
		for (let j = i; j < input.length; j++) deepEqual(framed(input, [i, j]), whole, `${i},${j}`);
});

/** xorshift32: deterministic bytes for the fuzz cases. */
function prng(seed: number): () => number {
	let state = seed >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state >>>= 0;
		state ^= state >>> 17;
		state ^= state << 5;
		state >>>= 0;
		return state;
	};
}

test("framer-random-chunkings-decode-identically", () => {
	const input = stream();
	const whole = framed(input, []);
	const next = prng(7);
	for (let round = 0; round < 200; round++) {
		const cuts: number[] = [];
		for (let at = 1 + (next() % 40); at < input.length; at += 1 + (next() % 40)) cuts.push(at);
		deepEqual(framed(input, cuts), whole, `round ${round}`);
	}
});

function rejects(input: number[], status: string, reason: string, what = input.join(",")): void {
	const sink = new Recorder();
	const framer = new Framer(64, sink);
	const data = Uint8Array.from(input);
	equal(framer.feed(data, 0, data.length), status, what);
	equal(framer.reason, reason, what);
	equal(framer.feed(bytes(0xd0, 0x00), 0, 2), status, "stays failed until reset");
	framer.reset();
	equal(framer.feed(bytes(0xd0, 0x00), 0, 2), FrameStatus.ok);
	equal(sink.packets[sink.packets.length - 1], "13/0:");
}

test("framer-rejects-reserved-types-and-wrong-flags-2-2", () => {
	rejects([0x00, 0x00], FrameStatus.malformed, Malformed.type);
	rejects([0xf0, 0x00], FrameStatus.malformed, Malformed.type);
	rejects([0x21, 0x02, 0x00, 0x00], FrameStatus.malformed, Malformed.flags, "CONNACK with flags");
	rejects([0x42, 0x02, 0x00, 0x01], FrameStatus.malformed, Malformed.flags);
	rejects([0x80, 0x02, 0x00, 0x01], FrameStatus.malformed, Malformed.flags, "SUBSCRIBE needs 0010");
	rejects([0x60, 0x02, 0x00, 0x01], FrameStatus.malformed, Malformed.flags, "PUBREL needs 0010");
	rejects([0xd1, 0x00], FrameStatus.malformed, Malformed.flags);
});

test("framer-rejects-impossible-lengths-before-the-body", () => {
	rejects([0x20, 0xff, 0xff, 0xff, 0xff], FrameStatus.malformed, Malformed.remainingLength, "five length bytes");
	rejects([0x20, 0x03], FrameStatus.malformed, Malformed.length, "CONNACK is 2 bytes");
	rejects([0x40, 0x01], FrameStatus.malformed, Malformed.length, "PUBACK is 2 bytes");
	rejects([0xd0, 0x01], FrameStatus.malformed, Malformed.length, "PINGRESP is empty");
	rejects([0x90, 0x02], FrameStatus.malformed, Malformed.length, "SUBACK has a return code");
	rejects([0x30, 0x02], FrameStatus.malformed, Malformed.length, "PUBLISH has a topic");
});

test("framer-rejects-oversized-before-buffering-it", () => {
	const sink = new Recorder();
	const framer = new Framer(64, sink);
	equal(framer.feed(bytes(0x30, 64), 0, 2), FrameStatus.ok, "64 bytes fit");
	framer.reset();
	equal(framer.feed(bytes(0x30, 65), 0, 2), FrameStatus.oversized, "65 do not, known from the header alone");
	equal(framer.remaining, 65);
	framer.reset();
	equal(framer.feed(bytes(0x30, 0xff, 0xff, 0xff, 0x7f), 0, 5), FrameStatus.oversized, "the largest length");
	rejects([0x30, 0x80, 0x01], FrameStatus.oversized, Malformed.none);
	equal(sink.packets.length, 0);
});

test("framer-stops-when-the-sink-says-so", () => {
	const sink = new Recorder();
	sink.stopAfter = 2;
	const framer = new Framer(256, sink);
	const input = stream();
	equal(framer.feed(input, 0, input.length), FrameStatus.stopped);
	equal(sink.packets.length, 2);
});

test("framer-never-throws-on-random-garbage", () => {
	const next = prng(2024);
	const counts = { ok: 0, malformed: 0, oversized: 0, packets: 0 };
	const fields = new PublishFields(), connack = new Connack(), suback = new SubackFields();
	const sink: FrameSink = {
		onPacket(type, flags, body, length) {
			counts.packets++;
			// every decoder must cope with whatever the framer passes
			if (type === PacketType.PUBLISH) decodePublish(flags, body, 0, length, fields);
			else if (type === PacketType.CONNACK) decodeConnack(body, 0, length, connack);
			else if (type === PacketType.SUBACK) decodeSuback(body, 0, length, suback);
			else decodeAck(body, 0, length);
			return true;
		},
	};
	const framer = new Framer(128, sink);
	const chunk = new Uint8Array(64);
	for (let round = 0; round < 2000; round++) {
		framer.reset();
		let status: string = FrameStatus.ok;
		for (let piece = 0; piece < 4 && status === FrameStatus.ok; piece++) {
			const n = 1 + (next() % chunk.length);
			for (let i = 0; i < n; i++) chunk[i] = next() & 0xff;
			status = framer.feed(chunk, 0, n);
		}
		counts[status as "ok" | "malformed" | "oversized"]++;
	}
	ok(counts.malformed > 1000, JSON.stringify(counts));
	ok(counts.oversized > 0 && counts.packets > 0, JSON.stringify(counts));
});
