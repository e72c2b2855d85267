/*
 * MQTT 3.1.1 (OASIS Standard, 29 October 2014) constants. Section numbers are the standard's.
 * The packet type numbers double as the ECMA-419 client's operation codes
 * (`MQTTClient.CONNACK` etc., ECMA-419 2nd edition §25; Moddable's embedded:network/mqtt/client).
 */

/** §2.2.1 Table 2.1: control packet types (the fixed header's high nibble). 0 and 15 are reserved. */
export const PacketType = Object.freeze({
	CONNECT: 1,
	CONNACK: 2,
	PUBLISH: 3,
	PUBACK: 4,
	PUBREC: 5,
	PUBREL: 6,
	PUBCOMP: 7,
	SUBSCRIBE: 8,
	SUBACK: 9,
	UNSUBSCRIBE: 10,
	UNSUBACK: 11,
	PINGREQ: 12,
	PINGRESP: 13,
	DISCONNECT: 14,
} as const);

export type PacketTypeCode = (typeof PacketType)[keyof typeof PacketType];

/**
 * §2.2.2 Table 2.2: the fixed header's flag nibble for every type but PUBLISH ("If invalid flags
 * are received, the receiver MUST close the Network Connection", MQTT-2.2.2-2).
 */
export const REQUIRED_FLAGS = Object.freeze([
	-1, 0b0000, 0b0000, -1, 0b0000, 0b0000, 0b0010, 0b0000, 0b0010, 0b0000, 0b0010, 0b0000, 0b0000, 0b0000, 0b0000, -1,
] as const);

/** §3.3.1: PUBLISH fixed-header flags. */
export const PublishFlag = Object.freeze({
	/** §3.3.1.1: set when the client re-delivers a PUBLISH (MQTT-3.3.1-1); always 0 at QoS 0. */
	DUP: 0b1000,
	/** §3.3.1.2: QoS in bits 2-1. */
	QOS_SHIFT: 1,
	QOS_MASK: 0b0110,
	/** §3.3.1.3 */
	RETAIN: 0b0001,
} as const);

/** §3.1.2.1, §3.1.2.2: protocol name "MQTT" and level 4 (3.1.1). */
export const PROTOCOL_NAME = Object.freeze([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54] as const);
export const PROTOCOL_LEVEL = 4;

/** §3.1.2.3 Figure 3.4: CONNECT flags (bit 0 is reserved and MUST be 0, MQTT-3.1.2-3). */
export const ConnectFlag = Object.freeze({
	CLEAN_SESSION: 0b0000_0010,
	WILL: 0b0000_0100,
	WILL_QOS_SHIFT: 3,
	WILL_RETAIN: 0b0010_0000,
	PASSWORD: 0b0100_0000,
	USER_NAME: 0b1000_0000,
} as const);

/** §3.2.2.1: CONNACK acknowledge flags; bits 7-1 are reserved and MUST be 0. */
export const CONNACK_SESSION_PRESENT = 0b0000_0001;

/** §3.2.2.3 Table 3.1: CONNACK return codes (6-255 reserved). */
export const ConnectReturnCode = Object.freeze({
	ACCEPTED: 0,
	UNACCEPTABLE_PROTOCOL_VERSION: 1,
	IDENTIFIER_REJECTED: 2,
	SERVER_UNAVAILABLE: 3,
	BAD_USER_NAME_OR_PASSWORD: 4,
	NOT_AUTHORIZED: 5,
} as const);

/** §3.9.3: SUBACK return codes: the granted QoS (0, 1, 2) or failure. */
export const SUBACK_FAILURE = 0x80;

/** §2.2.3: the remaining length is 1 to 4 bytes, at most 268,435,455 (0xFF 0xFF 0xFF 0x7F). */
export const MAX_REMAINING_LENGTH = 268_435_455;
export const MAX_REMAINING_LENGTH_BYTES = 4;

/** §1.5.3: a UTF-8 string is prefixed by a 16-bit length, so it holds at most 65,535 bytes. */
export const MAX_STRING_BYTES = 65_535;

/** §2.3.1: packet identifiers are non-zero 16-bit integers. */
export const MAX_PACKET_ID = 65_535;

/** §3.1.2.10: the keep alive is a 16-bit number of seconds (0 turns the mechanism off). */
export const MAX_KEEPALIVE_S = 65_535;

/**
 * §3.1.2.10: the server disconnects a client it has heard nothing from in 1.5 × keep alive
 * (MQTT-3.1.2-24); the client applies the same bound to the server (PINGRESP or any packet).
 */
export const KEEPALIVE_GRACE = 1.5;

/** §4.7.1: wildcard characters of topic filters (never allowed in a topic name, §4.7.3). */
export const TOPIC_LEVEL_SEPARATOR = 0x2f; // "/"
export const MULTI_LEVEL_WILDCARD = 0x23; // "#"
export const SINGLE_LEVEL_WILDCARD = 0x2b; // "+"

/**
 * Client defaults. Keep alive 30 s: Tasmota's MqttKeepAlive, inside the 15-30 s the project's
 * peer survey recommends (shared reference peer-defaults.md §3, §11). A CONNACK is awaited
 * 10 s (§3.1.4 leaves "a reasonable amount of time" to the client; Tasmota's MqttTimeout is 4 s,
 * ESPHome's connect timeout 60 s). Receive bound 1024 bytes: Tasmota's MAX_PACKET_SIZE is 1000.
 * Window 8: the "at most 8 in flight".
 */
export const Defaults = Object.freeze({
	KEEPALIVE_MS: 30_000,
	CONNECT_TIMEOUT_MS: 10_000,
	IN_FLIGHT: 8,
	IN_FLIGHT_BYTES: 4096,
	MAX_PACKET_BYTES: 1024,
	RECEIVE_BYTES: 1024,
	PENDING_SUBSCRIPTIONS: 4,
	OWED_ACKS: 32,
} as const);
