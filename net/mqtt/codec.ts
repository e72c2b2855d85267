/*
 * MQTT 3.1.1 packet encoding and decoding: pure functions over caller-owned Uint8Arrays.
 * Encoders write at `offset` and return the offset after the packet; they throw RangeError when
 * an argument can never be encoded (the *Size functions give the room to reserve first). Decoders
 * read a packet's body (the bytes after the fixed header), fill a caller-owned result object and
 * return a `Malformed` reason, or "" when the body is valid. Nothing here allocates except
 * `readString` (which returns a new string) and the RangeErrors.
 */
import {
	CONNACK_SESSION_PRESENT, ConnectFlag, MAX_PACKET_ID, MAX_REMAINING_LENGTH, MAX_REMAINING_LENGTH_BYTES,
	MAX_STRING_BYTES, MULTI_LEVEL_WILDCARD, PROTOCOL_LEVEL, PROTOCOL_NAME, PacketType, PublishFlag,
	REQUIRED_FLAGS, SINGLE_LEVEL_WILDCARD, SUBACK_FAILURE, TOPIC_LEVEL_SEPARATOR,
} from "net/mqtt/constants";
import { readString, utf8Length, validUTF8, writeUTF8 } from "net/mqtt/utf8";

export { readString, utf8Length, validUTF8, writeUTF8 };

/** Called on the primitive so that XS does not box the string per character (see net/mqtt/utf8). */
const charCodeAt = String.prototype.charCodeAt;

/** Why a packet is not MQTT 3.1.1; "" means it is. Fixed strings, so reporting allocates nothing. */
export const Malformed = Object.freeze({
	none: "",
	type: "reserved packet type",
	flags: "invalid fixed header flags",
	remainingLength: "invalid remaining length",
	length: "invalid length for the packet type",
	qos: "invalid QoS",
	packetId: "packet identifier 0",
	topic: "invalid topic name",
	utf8: "ill-formed UTF-8 string",
	reserved: "reserved bits set",
	returnCode: "reserved return code",
} as const);
export type MalformedReason = (typeof Malformed)[keyof typeof Malformed];

/** Bytes a string or payload takes: a string is counted as UTF-8. */
export type Bytes = Uint8Array | string;

/* ---------------------------------------------------------------- remaining length (§2.2.3) */

/** Bytes of the remaining length field for `value` (1 to 4); RangeError beyond 268,435,455. */
export function remainingLengthSize(value: number): number {
	if (!(value >= 0 && value <= MAX_REMAINING_LENGTH) || value !== Math.floor(value)) throw new RangeError("invalid remaining length");
	return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : 4;
}

/** §2.2.3's encoding algorithm: 7 bits per byte, least significant first, bit 7 = more. */
export function encodeRemainingLength(buffer: Uint8Array, offset: number, value: number): number {
	let size = remainingLengthSize(value);
	do {
		let byte = value % 0x80;
		value = Math.floor(value / 0x80);
		if (--size > 0) byte |= 0x80;
		buffer[offset++] = byte;
	} while (size > 0);
	return offset;
}

/**
 * One step of §2.2.3's decoding algorithm: the value so far after the `index`-th byte (0-based).
 * Returns -1 when a fifth byte would be needed (malformed).
 */
export function remainingLengthStep(value: number, index: number, byte: number): number {
	if (index >= MAX_REMAINING_LENGTH_BYTES) return -1;
	return value + (byte & 0x7f) * 0x80 ** index;
}

/** The decoded value is complete after a byte without the continuation bit. */
export function remainingLengthDone(byte: number): boolean {
	return (byte & 0x80) === 0;
}

/** Caller-owned result of decodeRemainingLength. */
export class RemainingLength {
	value = 0;
	/** Bytes the field took (1..4). */
	size = 0;
}

/**
 * Decodes a remaining length at buffer[offset..end). Returns 1 when `out` holds it, 0 when more
 * bytes are needed, -1 when it is malformed (a fifth byte).
 */
export function decodeRemainingLength(buffer: Uint8Array, offset: number, end: number, out: RemainingLength): number {
	let value = 0;
	for (let index = 0; offset + index < end; index++) {
		const byte = buffer[offset + index];
		value = remainingLengthStep(value, index, byte);
		if (value < 0) return -1;
		if (remainingLengthDone(byte)) {
			out.value = value;
			out.size = index + 1;
			return 1;
		}
	}
	return end - offset >= MAX_REMAINING_LENGTH_BYTES ? -1 : 0;
}

/* ------------------------------------------------------------------------- strings (§1.5.3) */

/** Bytes of a Bytes value: a Uint8Array's length or a string's UTF-8 length. */
export function bytesLength(value: Bytes): number {
	return typeof value === "string" ? utf8Length(value) : value.length;
}

/** Copies a Bytes value (UTF-8 for a string, validated already); returns the end offset. */
export function writeBytes(buffer: Uint8Array, offset: number, value: Bytes, length: number): number {
	if (typeof value === "string") return writeUTF8(buffer, offset, value);
	for (let i = 0; i < length; i++) buffer[offset + i] = value[i];
	return offset + length;
}

/** A 16-bit big-endian length or identifier. */
export function writeU16(buffer: Uint8Array, offset: number, value: number): number {
	buffer[offset] = value >> 8;
	buffer[offset + 1] = value & 0xff;
	return offset + 2;
}

export function readU16(buffer: Uint8Array, offset: number): number {
	return (buffer[offset] << 8) | buffer[offset + 1];
}

/* --------------------------------------------------------------------------- topics (§4.7) */

/** A topic name for PUBLISH: 1..65535 UTF-8 bytes, no wildcards (§4.7.1, §4.7.3). Returns its bytes. */
export function topicNameLength(topic: string): number {
	const length = utf8Length(topic);
	if (length < 1 || length > MAX_STRING_BYTES) throw new RangeError("invalid topic");
	for (let i = 0; ; i++) {
		const unit = charCodeAt.call(topic, i);
		if (!(unit >= 0)) break;
		if (unit === MULTI_LEVEL_WILDCARD || unit === SINGLE_LEVEL_WILDCARD) throw new RangeError("invalid topic");
	}
	return length;
}

/**
 * A topic filter for SUBSCRIBE/UNSUBSCRIBE (§4.7.1): "#" only as the whole last level, "+" only
 * as a whole level. Returns its UTF-8 bytes.
 */
export function topicFilterLength(filter: string): number {
	const length = utf8Length(filter);
	if (length < 1 || length > MAX_STRING_BYTES) throw new RangeError("invalid topic filter");
	for (let i = 0; ; i++) {
		const unit = charCodeAt.call(filter, i);
		if (!(unit >= 0)) break;
		if (unit !== MULTI_LEVEL_WILDCARD && unit !== SINGLE_LEVEL_WILDCARD) continue;
		const next = charCodeAt.call(filter, i + 1);
		const last = !(next >= 0);
		const alone = (i === 0 || charCodeAt.call(filter, i - 1) === TOPIC_LEVEL_SEPARATOR) && (last || next === TOPIC_LEVEL_SEPARATOR);
		if (!alone || (unit === MULTI_LEVEL_WILDCARD && !last)) throw new RangeError("invalid topic filter");
	}
	return length;
}

/** Whether a received topic name holds a wildcard (a server never sends one, §4.7.1). */
function hasWildcard(buffer: Uint8Array, offset: number, length: number): boolean {
	for (let i = offset; i < offset + length; i++)
		if (buffer[i] === MULTI_LEVEL_WILDCARD || buffer[i] === SINGLE_LEVEL_WILDCARD) return true;
	return false;
}

/* ------------------------------------------------------------------------------- encoders */

function checkRoom(buffer: Uint8Array, offset: number, size: number): void {
	if (offset < 0 || offset + size > buffer.length) throw new RangeError("buffer too small");
}

/** What CONNECT carries (§3.1): lengths are computed by connectSize, so strings are validated there. */
export interface ConnectFields {
	readonly id: string;
	readonly clean: boolean;
	/** Seconds, 0..65535 (§3.1.2.10). */
	readonly keepalive: number;
	readonly will?: { readonly topic: string; readonly message: Bytes; readonly qos: number; readonly retain: boolean };
	readonly user?: string;
	readonly password?: Bytes;
}

function connectRemaining(fields: ConnectFields): number {
	let length = PROTOCOL_NAME.length + 1 + 1 + 2 + 2 + utf8Length(fields.id);
	if (fields.will) {
		const message = bytesLength(fields.will.message);
		if (message > MAX_STRING_BYTES) throw new RangeError("invalid will message");
		length += 2 + topicNameLength(fields.will.topic) + 2 + message;
	}
	if (fields.user !== undefined) length += 2 + utf8Length(fields.user);
	if (fields.password !== undefined) {
		const password = bytesLength(fields.password);
		if (password > MAX_STRING_BYTES) throw new RangeError("invalid password");
		length += 2 + password;
	}
	return length;
}

/** Bytes of the whole CONNECT packet. */
export function connectSize(fields: ConnectFields): number {
	const remaining = connectRemaining(fields);
	return 1 + remainingLengthSize(remaining) + remaining;
}

/** §3.1: CONNECT. RangeError for a password without a user name (MQTT-3.1.2-22) or bad values. */
export function encodeConnect(buffer: Uint8Array, offset: number, fields: ConnectFields): number {
	if (fields.password !== undefined && fields.user === undefined) throw new RangeError("password without user");
	if (!(fields.keepalive >= 0 && fields.keepalive <= 0xffff)) throw new RangeError("invalid keepalive");
	if (utf8Length(fields.id) > MAX_STRING_BYTES) throw new RangeError("invalid id");
	const will = fields.will;
	if (will && !(will.qos === 0 || will.qos === 1 || will.qos === 2)) throw new RangeError("invalid will QoS");
	const remaining = connectRemaining(fields);
	checkRoom(buffer, offset, 1 + remainingLengthSize(remaining) + remaining);
	buffer[offset++] = PacketType.CONNECT << 4;
	offset = encodeRemainingLength(buffer, offset, remaining);
	for (let i = 0; i < PROTOCOL_NAME.length; i++) buffer[offset++] = PROTOCOL_NAME[i];
	buffer[offset++] = PROTOCOL_LEVEL;
	let flags = fields.clean ? ConnectFlag.CLEAN_SESSION : 0;
	if (will) flags |= ConnectFlag.WILL | (will.qos << ConnectFlag.WILL_QOS_SHIFT) | (will.retain ? ConnectFlag.WILL_RETAIN : 0);
	if (fields.user !== undefined) flags |= ConnectFlag.USER_NAME;
	if (fields.password !== undefined) flags |= ConnectFlag.PASSWORD;
	buffer[offset++] = flags;
	offset = writeU16(buffer, offset, fields.keepalive);
	offset = writeU16(buffer, offset, utf8Length(fields.id));
	offset = writeUTF8(buffer, offset, fields.id);
	if (will) {
		offset = writeU16(buffer, offset, utf8Length(will.topic));
		offset = writeUTF8(buffer, offset, will.topic);
		const message = bytesLength(will.message);
		offset = writeU16(buffer, offset, message);
		offset = writeBytes(buffer, offset, will.message, message);
	}
	if (fields.user !== undefined) {
		offset = writeU16(buffer, offset, utf8Length(fields.user));
		offset = writeUTF8(buffer, offset, fields.user);
	}
	if (fields.password !== undefined) {
		const password = bytesLength(fields.password);
		offset = writeU16(buffer, offset, password);
		offset = writeBytes(buffer, offset, fields.password, password);
	}
	return offset;
}

/** Bytes of a PUBLISH packet with a topic of `topicBytes` and a payload of `payloadBytes` (§3.3). */
export function publishSize(topicBytes: number, payloadBytes: number, qos: number): number {
	const remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + payloadBytes;
	return 1 + remainingLengthSize(remaining) + remaining;
}

/**
 * §3.3: PUBLISH. `topicBytes` and `payloadBytes` come from topicNameLength and bytesLength.
 * DUP is 0 for QoS 0 (MQTT-3.3.1-2); the identifier is ignored at QoS 0.
 */
export function encodePublish(buffer: Uint8Array, offset: number, topic: string, topicBytes: number,
	payload: Bytes, payloadBytes: number, qos: number, retain: boolean, dup: boolean, id: number): number {
	if (!(qos === 0 || qos === 1 || qos === 2)) throw new RangeError("invalid QoS");
	if (qos > 0 && !(id >= 1 && id <= MAX_PACKET_ID)) throw new RangeError("invalid packet id");
	const remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + payloadBytes;
	checkRoom(buffer, offset, 1 + remainingLengthSize(remaining) + remaining);
	buffer[offset++] = (PacketType.PUBLISH << 4) | (dup && qos > 0 ? PublishFlag.DUP : 0) |
		(qos << PublishFlag.QOS_SHIFT) | (retain ? PublishFlag.RETAIN : 0);
	offset = encodeRemainingLength(buffer, offset, remaining);
	offset = writeU16(buffer, offset, topicBytes);
	offset = writeUTF8(buffer, offset, topic);
	if (qos > 0) offset = writeU16(buffer, offset, id);
	return writeBytes(buffer, offset, payload, payloadBytes);
}

/** §3.4, §3.5, §3.7, §3.11: the two-byte-body packets (PUBACK, PUBREC, PUBCOMP, UNSUBACK; PUBREL has flags 0b0010). */
export function encodeAck(buffer: Uint8Array, offset: number, type: number, id: number): number {
	if (!(id >= 1 && id <= MAX_PACKET_ID)) throw new RangeError("invalid packet id");
	checkRoom(buffer, offset, 4);
	buffer[offset] = (type << 4) | REQUIRED_FLAGS[type];
	buffer[offset + 1] = 2;
	return writeU16(buffer, offset + 2, id);
}

/** §3.12, §3.14: PINGREQ and DISCONNECT (and PINGRESP for tests): a fixed header alone. */
export function encodeEmpty(buffer: Uint8Array, offset: number, type: number): number {
	checkRoom(buffer, offset, 2);
	buffer[offset] = type << 4;
	buffer[offset + 1] = 0;
	return offset + 2;
}

/** One topic filter of SUBSCRIBE or UNSUBSCRIBE. */
export interface Subscription {
	readonly topic: string;
	/** Requested QoS, SUBSCRIBE only (0..2). */
	readonly QoS?: number;
}

function subscriptionRemaining(items: readonly Subscription[], withQoS: boolean): number {
	if (!items.length) throw new RangeError("no topics"); // MQTT-3.8.3-3, MQTT-3.10.3-2
	let length = 2;
	for (let i = 0; i < items.length; i++) length += 2 + topicFilterLength(items[i].topic) + (withQoS ? 1 : 0);
	return length;
}

/** Bytes of SUBSCRIBE (withQoS) or UNSUBSCRIBE for these filters. */
export function subscriptionSize(items: readonly Subscription[], withQoS: boolean): number {
	const remaining = subscriptionRemaining(items, withQoS);
	return 1 + remainingLengthSize(remaining) + remaining;
}

/** §3.8 SUBSCRIBE (type SUBSCRIBE) or §3.10 UNSUBSCRIBE (type UNSUBSCRIBE). */
export function encodeSubscription(buffer: Uint8Array, offset: number, type: number, id: number, items: readonly Subscription[]): number {
	const withQoS = type === PacketType.SUBSCRIBE;
	if (!(id >= 1 && id <= MAX_PACKET_ID)) throw new RangeError("invalid packet id");
	if (withQoS)
		for (let i = 0; i < items.length; i++) {
			const qos = items[i].QoS ?? 0;
			if (!(qos === 0 || qos === 1 || qos === 2)) throw new RangeError("invalid QoS");
		}
	const remaining = subscriptionRemaining(items, withQoS);
	checkRoom(buffer, offset, 1 + remainingLengthSize(remaining) + remaining);
	buffer[offset++] = (type << 4) | REQUIRED_FLAGS[type];
	offset = encodeRemainingLength(buffer, offset, remaining);
	offset = writeU16(buffer, offset, id);
	for (let i = 0; i < items.length; i++) {
		const topic = items[i].topic;
		offset = writeU16(buffer, offset, utf8Length(topic));
		offset = writeUTF8(buffer, offset, topic);
		if (withQoS) buffer[offset++] = items[i].QoS ?? 0;
	}
	return offset;
}

/* ------------------------------------------------------------------------------- decoders */

/**
 * Checks a fixed header's first byte (§2.2.1, §2.2.2): the packet type, or -1 for a reserved
 * type (0, 15) or flags other than Table 2.2's. PUBLISH flags are checked by decodePublish.
 */
export function packetTypeOf(byte: number): number {
	const type = byte >> 4;
	const flags = byte & 0x0f;
	const required = REQUIRED_FLAGS[type];
	if (type === 0 || type === 15) return -1;
	if (type !== PacketType.PUBLISH && flags !== required) return -1;
	return type;
}

/**
 * Whether a remaining length is possible for a packet type a client receives: CONNACK, PUBACK,
 * PUBREC, PUBREL, PUBCOMP and UNSUBACK have 2 bytes, PINGRESP none, SUBACK an identifier and at
 * least one return code, PUBLISH at least a one-byte topic (§3.2-§3.13). Others are unbounded here.
 */
export function plausibleLength(type: number, remaining: number): boolean {
	switch (type) {
	case PacketType.CONNACK:
	case PacketType.PUBACK:
	case PacketType.PUBREC:
	case PacketType.PUBREL:
	case PacketType.PUBCOMP:
	case PacketType.UNSUBACK:
		return remaining === 2;
	case PacketType.PINGREQ:
	case PacketType.PINGRESP:
	case PacketType.DISCONNECT:
		return remaining === 0;
	case PacketType.SUBACK:
		return remaining >= 3;
	case PacketType.PUBLISH:
		return remaining >= 3;
	default:
		return remaining >= 2;
	}
}

/** Caller-owned result of decodeConnack. */
export class Connack {
	sessionPresent = false;
	returnCode = 0;
}

/** §3.2 CONNACK body (2 bytes): reserved flag bits must be 0; a refusal must not claim a session. */
export function decodeConnack(body: Uint8Array, offset: number, length: number, out: Connack): MalformedReason {
	if (length !== 2) return Malformed.length;
	const flags = body[offset];
	if (flags & ~CONNACK_SESSION_PRESENT) return Malformed.reserved;
	out.sessionPresent = (flags & CONNACK_SESSION_PRESENT) !== 0;
	out.returnCode = body[offset + 1];
	if (out.returnCode !== 0 && out.sessionPresent) return Malformed.reserved; // MQTT-3.2.2-4
	return Malformed.none;
}

/** Caller-owned result of decodePublish: where the topic and payload are inside the body. */
export class PublishFields {
	qos = 0;
	dup = false;
	retain = false;
	id = 0;
	topicOffset = 0;
	topicLength = 0;
	payloadOffset = 0;
	payloadLength = 0;
}

/** §3.3 PUBLISH: flags from the fixed header, body after it. */
export function decodePublish(flags: number, body: Uint8Array, offset: number, length: number, out: PublishFields): MalformedReason {
	const qos = (flags & PublishFlag.QOS_MASK) >> PublishFlag.QOS_SHIFT;
	if (qos === 3) return Malformed.qos; // MQTT-3.3.1-4
	const dup = (flags & PublishFlag.DUP) !== 0;
	if (dup && qos === 0) return Malformed.flags; // MQTT-3.3.1-2
	if (length < 2) return Malformed.length;
	const topicLength = readU16(body, offset);
	const header = 2 + topicLength + (qos > 0 ? 2 : 0);
	if (header > length) return Malformed.length;
	if (topicLength === 0 || hasWildcard(body, offset + 2, topicLength)) return Malformed.topic;
	if (!validUTF8(body, offset + 2, topicLength)) return Malformed.utf8;
	const id = qos > 0 ? readU16(body, offset + 2 + topicLength) : 0;
	if (qos > 0 && id === 0) return Malformed.packetId; // MQTT-2.3.1-1
	out.qos = qos;
	out.dup = dup;
	out.retain = (flags & PublishFlag.RETAIN) !== 0;
	out.id = id;
	out.topicOffset = offset + 2;
	out.topicLength = topicLength;
	out.payloadOffset = offset + header;
	out.payloadLength = length - header;
	return Malformed.none;
}

/** The identifier of a two-byte acknowledgement body (PUBACK, UNSUBACK, ...), or -1 if malformed. */
export function decodeAck(body: Uint8Array, offset: number, length: number): number {
	if (length !== 2) return -1;
	const id = readU16(body, offset);
	return id === 0 ? -1 : id;
}

/** Caller-owned result of decodeSuback. */
export class SubackFields {
	id = 0;
	codesOffset = 0;
	count = 0;
}

/** §3.9 SUBACK: identifier then one return code per filter: 0, 1, 2 or 0x80 (MQTT-3.9.3-2). */
export function decodeSuback(body: Uint8Array, offset: number, length: number, out: SubackFields): MalformedReason {
	if (length < 3) return Malformed.length;
	const id = readU16(body, offset);
	if (id === 0) return Malformed.packetId;
	for (let i = offset + 2; i < offset + length; i++) {
		const code = body[i];
		if (code > 2 && code !== SUBACK_FAILURE) return Malformed.returnCode;
	}
	out.id = id;
	out.codesOffset = offset + 2;
	out.count = length - 2;
	return Malformed.none;
}
