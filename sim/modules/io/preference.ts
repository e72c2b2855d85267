/*
 * Moddable's "preference" on the XS host: the store lives in the simulation (and its state
 * directory), reached over the link; the ESP32's NVS rules are enforced here so that a value
 * the device could not store fails in simulation too: domain and key 1 to 15 characters,
 * values boolean, 32-bit integer, string or ArrayBuffer of at most 4000 bytes.
 */
import { request } from "sim/link";

type Value = string | boolean | number | ArrayBuffer;

/** NVS limits (ESP-IDF nvs_flash: NVS_KEY_NAME_MAX_SIZE 16 with the terminator; blob/string ~4000 B). */
const NAME_MAX = 15;
const VALUE_MAX = 4000;
/** Room for the largest reply: a 4000-byte ArrayBuffer as a JSON array of numbers. */
const REPLY_MAX = VALUE_MAX * 4 + 64;

function checkName(what: string, name: unknown): void {
	if (typeof name !== "string" || name.length < 1 || name.length > NAME_MAX) throw new RangeError(`invalid ${what}`);
}

function call(op: string, message: unknown, replyRoom = 0): { status: number; reply: Uint8Array } {
	const text = new Uint8Array(ArrayBuffer.fromString(JSON.stringify(message)));
	const bytes = new Uint8Array(Math.max(text.length, replyRoom));
	bytes.set(text);
	const status = request(op, text.length, 0, bytes);
	if (status < -1) throw new Error("preference store failed");
	return { status, reply: bytes };
}

function decode(reply: Uint8Array, length: number): unknown {
	return JSON.parse(String.fromArrayBuffer(reply.slice(0, length).buffer));
}

const Preference = Object.freeze({
	set(domain: string, key: string, value: Value): void {
		checkName("domain", domain);
		checkName("key", key);
		let encoded: [string, unknown];
		if (typeof value === "boolean") encoded = ["b", value];
		else if (typeof value === "number") {
			if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError("invalid value");
			encoded = ["i", value];
		} else if (typeof value === "string") {
			if (ArrayBuffer.fromString(value).byteLength > VALUE_MAX) throw new RangeError("value too long");
			encoded = ["s", value];
		} else if (value instanceof ArrayBuffer) {
			if (value.byteLength > VALUE_MAX) throw new RangeError("value too long");
			encoded = ["a", Array.from(new Uint8Array(value))];
		} else throw new RangeError("invalid value");
		call("pref.set", [domain, key, ...encoded]);
	},
	get(domain: string, key: string): Value | undefined {
		checkName("domain", domain);
		checkName("key", key);
		const { status, reply } = call("pref.get", [domain, key], REPLY_MAX);
		if (status < 0) return undefined;
		const [tag, value] = decode(reply, status) as [string, unknown];
		return tag === "a" ? new Uint8Array(value as number[]).buffer : (value as Value);
	},
	delete(domain: string, key: string): void {
		checkName("domain", domain);
		checkName("key", key);
		call("pref.delete", [domain, key]);
	},
	keys(domain: string): string[] {
		checkName("domain", domain);
		const { status, reply } = call("pref.keys", [domain], REPLY_MAX);
		return status < 0 ? [] : (decode(reply, status) as string[]);
	},
});

export default Preference;
