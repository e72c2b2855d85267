/*
 * The device's MQTT topics, under a configurable prefix and device id (net/README.md,
 * "Topics"):
 *
 *   <prefix>/<device>/telemetry      store-and-forward records (JSON: seq, t, values), QoS 1
 *   <prefix>/<device>/state/<key>    current value of one entity, plain text, retained
 *   <prefix>/<device>/events         device events (faults, rejected commands), JSON, QoS 1
 *   <prefix>/<device>/status         availability: retained birth "online", last will "offline"
 *   <prefix>/<device>/cmd/<kind>     commands (JSON {"v": value, "t": unix seconds})
 *   <discovery>/<component>/<object_id>/config   Home Assistant discovery (retained)
 *   <discovery>/status               Home Assistant's birth / last will ("online" / "offline")
 *
 * Validation follows MQTT 3.1.1 §4.7 (topic names: UTF-8, no wildcards `+` `#`, no U+0000,
 * topics starting with `$` are the server's) and §1.5.3 (well-formed UTF-8: no lone
 * surrogates; control characters U+0001..U+001F, U+007F..U+009F rejected), plus this project's
 * rules: no empty levels (no leading, trailing or doubled `/`), at most 32 bytes of prefix and
 * 8 levels, so that every topic and discovery payload stays inside the 1536-byte packet budget
 * (net/ha/discovery.ts). The device id is one level and also Home Assistant's object_id
 * material, so it follows HA's rule for node_id / object_id: `[a-zA-Z0-9_-]`
 * (interop-protocols.md A.1), 1 to 32 characters.
 *
 * Pure and allocation-light: topic strings are built once by the constructor; commandKind()
 * allocates only the returned suffix.
 */

/** Longest prefix (UTF-8 bytes) and discovery prefix. */
export const MAX_PREFIX_BYTES = 32;
/** Most levels in a prefix. */
export const MAX_PREFIX_LEVELS = 8;
/** Longest device id (a MAC in hex is 12). */
export const MAX_DEVICE_ID = 32;
/** Longest state key / command kind (one level, `[a-z0-9_]`). */
export const MAX_KEY = 24;
/** The protocol's own limit on a topic (two length bytes, §1.5.3). */
export const MQTT_MAX_TOPIC_BYTES = 65535;

export const DEFAULT_DISCOVERY_PREFIX = "homeassistant";

/** Level names under <prefix>/<device>. */
export const Level = Object.freeze({
	TELEMETRY: "telemetry",
	STATE: "state",
	EVENTS: "events",
	STATUS: "status",
	COMMAND: "cmd",
});

/** Availability payloads (HA's defaults, A.3). */
export const ONLINE = "online";
export const OFFLINE = "offline";

export interface TopicOptions {
	/** One or more levels, e.g. "aiot" or "home/aiot". */
	readonly prefix: string;
	/** One level, `[a-zA-Z0-9_-]{1,32}`, e.g. the MAC in hex. */
	readonly deviceId: string;
	/** Home Assistant's discovery prefix (default "homeassistant"). */
	readonly discoveryPrefix?: string;
}

/**
 * UTF-8 length of a string (a lone surrogate counts 3, as a replacement character would). Works
 * whether the engine gives a character above U+FFFF as a surrogate pair (ECMAScript) or as one
 * code point (XS built without CESU-8, as the simulator host's is).
 */
export function utf8Length(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c > 0xffff) bytes += 4; // XS (without CESU-8) gives a code point above U+FFFF as one character
		else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
			bytes += 4;
			i++;
		} else bytes += 3;
	}
	return bytes;
}

/**
 * Why `level` is not a valid topic level, or undefined. A level is non-empty, has no `/`
 * (the caller splits), no wildcard, no U+0000 or control character, no lone surrogate.
 */
function levelProblem(level: string): string | undefined {
	if (level.length === 0) return "empty level";
	for (let i = 0; i < level.length; i++) {
		const c = level.charCodeAt(i);
		if (c === 0x2b || c === 0x23) return "wildcard";
		if (c === 0) return "NUL";
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return "control character";
		if (c >= 0xd800 && c <= 0xdbff) {
			if (i + 1 < level.length && (level.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
				i++;
				continue;
			}
			return "invalid UTF-16 (lone surrogate)";
		}
		if (c >= 0xdc00 && c <= 0xdfff) return "invalid UTF-16 (lone surrogate)";
		if (c === 0xfffe || c === 0xffff) return "non-character";
	}
	return undefined;
}

/** Why `prefix` cannot be a topic prefix, or undefined. */
export function prefixProblem(prefix: unknown): string | undefined {
	if (typeof prefix !== "string") return "not a string";
	if (prefix.length === 0) return "empty";
	if (prefix.charCodeAt(0) === 0x24) return "starts with $ (reserved for the server)";
	if (utf8Length(prefix) > MAX_PREFIX_BYTES) return `longer than ${MAX_PREFIX_BYTES} bytes`;
	const levels = prefix.split("/");
	if (levels.length > MAX_PREFIX_LEVELS) return `more than ${MAX_PREFIX_LEVELS} levels`;
	for (const level of levels) {
		const problem = levelProblem(level);
		if (problem) return problem;
	}
	return undefined;
}

/** Why `id` cannot be a device id (one level, HA object_id characters), or undefined. */
export function deviceIdProblem(id: unknown): string | undefined {
	if (typeof id !== "string") return "not a string";
	if (id.length === 0) return "empty";
	if (id.length > MAX_DEVICE_ID) return `longer than ${MAX_DEVICE_ID} characters`;
	if (!isObjectId(id)) return "characters outside [a-zA-Z0-9_-]";
	return undefined;
}

/** Home Assistant's node_id / object_id characters (A.1): `[a-zA-Z0-9_-]+`. */
export function isObjectId(text: string): boolean {
	if (text.length === 0) return false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
		if (!ok) return false;
	}
	return true;
}

/** A state key or command kind: `[a-z0-9_]{1,24}`, starting with a letter. */
export function isKey(text: string): boolean {
	if (text.length === 0 || text.length > MAX_KEY) return false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		const ok = (c >= 0x61 && c <= 0x7a) || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x5f));
		if (!ok) return false;
	}
	return true;
}

/** Why `topic` is not a valid topic name to publish to, or undefined (MQTT §4.7 + no empty levels). */
export function topicProblem(topic: unknown): string | undefined {
	if (typeof topic !== "string") return "not a string";
	if (topic.length === 0) return "empty";
	if (utf8Length(topic) > MQTT_MAX_TOPIC_BYTES) return "longer than 65535 bytes";
	for (const level of topic.split("/")) {
		const problem = levelProblem(level);
		if (problem) return problem;
	}
	return undefined;
}

function fail(what: string, problem: string): never {
	throw new RangeError(`topics: ${what}: ${problem}`);
}

/** Every topic of one device. Throws RangeError("topics: <option>: <why>") on a bad option. */
export class Topics {
	readonly prefix: string;
	readonly deviceId: string;
	readonly discoveryPrefix: string;
	/** `<prefix>/<device>`: the `~` of discovery payloads. */
	readonly base: string;
	readonly telemetry: string;
	readonly events: string;
	/** Availability: retained `online` after connect, last will `offline`. */
	readonly availability: string;
	/** The filter the device subscribes to for its commands: `<base>/cmd/+`. */
	readonly commandFilter: string;
	/** Home Assistant's birth topic: `<discovery>/status`. */
	readonly haStatus: string;
	readonly #commandPrefix: string;
	readonly #statePrefix: string;

	constructor(options: TopicOptions) {
		if (typeof options !== "object" || options === null) fail("options", "not an object");
		const prefixError = prefixProblem(options.prefix);
		if (prefixError) fail("prefix", prefixError);
		const idError = deviceIdProblem(options.deviceId);
		if (idError) fail("deviceId", idError);
		const discovery = options.discoveryPrefix ?? DEFAULT_DISCOVERY_PREFIX;
		const discoveryError = prefixProblem(discovery);
		if (discoveryError) fail("discoveryPrefix", discoveryError);
		this.prefix = options.prefix;
		this.deviceId = options.deviceId;
		this.discoveryPrefix = discovery;
		this.base = `${options.prefix}/${options.deviceId}`;
		this.telemetry = `${this.base}/${Level.TELEMETRY}`;
		this.events = `${this.base}/${Level.EVENTS}`;
		this.availability = `${this.base}/${Level.STATUS}`;
		this.#commandPrefix = `${this.base}/${Level.COMMAND}/`;
		this.#statePrefix = `${this.base}/${Level.STATE}/`;
		this.commandFilter = `${this.#commandPrefix}+`;
		this.haStatus = `${discovery}/status`;
	}

	/** `<base>/state/<key>`. */
	state(key: string): string {
		if (!isKey(key)) fail("state key", JSON.stringify(key));
		return this.#statePrefix + key;
	}

	/** `<base>/cmd/<kind>`. */
	command(kind: string): string {
		if (!isKey(kind)) fail("command kind", JSON.stringify(kind));
		return this.#commandPrefix + kind;
	}

	/** The kind of a command topic (`<base>/cmd/<kind>`), or undefined for any other topic. */
	commandKind(topic: string): string | undefined {
		const start = this.#commandPrefix.length;
		if (topic.length <= start || !topic.startsWith(this.#commandPrefix)) return undefined;
		if (topic.indexOf("/", start) >= 0) return undefined;
		return topic.slice(start);
	}

	/** `<discovery>/<component>/<object_id>/config` (no node_id: A.1's best practice). */
	discovery(component: string, objectId: string): string {
		if (!isKey(component)) fail("component", JSON.stringify(component));
		if (!isObjectId(objectId)) fail("object_id", JSON.stringify(objectId));
		return `${this.discoveryPrefix}/${component}/${objectId}/config`;
	}

	/** `~`-relative form of a topic under base, for discovery payloads (`~/state/temperature`). */
	relative(topic: string): string {
		return topic.startsWith(`${this.base}/`) ? `~${topic.slice(this.base.length)}` : topic;
	}
}

Object.freeze(Topics.prototype);
