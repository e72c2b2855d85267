/*
 * The device configuration the BLE configuration service reads and writes: one document,
 * checked field by field against this table before anything is applied. A write is a patch:
 * the fields it names replace the current ones, the rest stay. Secrets (the Wi-Fi and broker
 * passwords) can be written but are never part of what is read back: the document read says
 * only which secrets are set ("secrets": ["mqtt.password"]).
 *
 *   {"name": "Kitchen", "hostname": "kitchen", "wifi": {"ssid": "home", "password": "…"},
 *    "mqtt": {"host": "broker.lan", "port": 1883, "user": "t1", "password": "…", "tls": false},
 *    "unit": "C", "telemetry": 60, "climateIntervalMs": 30000}
 *
 * Limits: name as the BLE scan response carries it (29 bytes); hostname an RFC 1123 label; SSID and passphrase as 802.11
 * has them (32, 64 bytes); host a DNS name (RFC 1123, 253 characters) or IPv4 address; port
 * 1-65535; MQTT 3.1.1 user name and password as short strings (64 bytes here); telemetry
 * 10-3600 s (Tasmota's TelePeriod, peer-defaults §3); sensor interval 1 s - 1 h.
 */

type FieldType =
	| { readonly kind: "string"; readonly min: number; readonly max: number; readonly check?: (value: string) => boolean }
	| { readonly kind: "integer"; readonly min: number; readonly max: number }
	| { readonly kind: "boolean" }
	| { readonly kind: "enum"; readonly values: readonly string[] };

interface FieldSpec {
	readonly path: string;
	readonly type: FieldType;
	readonly secret?: boolean;
	readonly fallback?: string | number | boolean;
}

function utf8Length(text: string): number {
	return ArrayBuffer.fromString(text).byteLength;
}

function printable(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x20 || code === 0x7f) return false;
	}
	return true;
}

/** RFC 1123 host name (dot-separated labels) or a dotted IPv4 address. */
export function isHost(text: string): boolean {
	if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return text.split(".").every((part) => Number(part) <= 255);
	return text.length <= 253 && text.split(".").every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

export const CONFIG_FIELDS: readonly FieldSpec[] = Object.freeze([
	{ path: "name", type: { kind: "string", min: 1, max: 29, check: printable } },
	{ path: "hostname", type: { kind: "string", min: 1, max: 63, check: (text) => /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(text) } },
	{ path: "wifi.ssid", type: { kind: "string", min: 1, max: 32 } },
	{ path: "wifi.password", type: { kind: "string", min: 0, max: 64 }, secret: true },
	{ path: "mqtt.host", type: { kind: "string", min: 1, max: 253, check: isHost } },
	{ path: "mqtt.port", type: { kind: "integer", min: 1, max: 65535 }, fallback: 1883 },
	{ path: "mqtt.user", type: { kind: "string", min: 0, max: 64, check: printable } },
	{ path: "mqtt.password", type: { kind: "string", min: 0, max: 64 }, secret: true },
	{ path: "mqtt.tls", type: { kind: "boolean" }, fallback: false },
	{ path: "unit", type: { kind: "enum", values: ["C", "F"] }, fallback: "C" },
	{ path: "telemetry", type: { kind: "integer", min: 10, max: 3600 }, fallback: 60 },
	{ path: "climateIntervalMs", type: { kind: "integer", min: 1000, max: 3_600_000 }, fallback: 30_000 },
] satisfies FieldSpec[]);

/** The configuration as stored: field path -> value (flat, so a patch is a merge). */
export type ConfigValues = Readonly<Record<string, string | number | boolean>>;

export interface ConfigRejection {
	readonly field: string;
	readonly reason: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkValue(spec: FieldSpec, value: unknown): string | undefined {
	const type = spec.type;
	switch (type.kind) {
		case "string": {
			if (typeof value !== "string") return "not a string";
			const length = utf8Length(value);
			if (length < type.min || length > type.max) return `${type.min}..${type.max} bytes`;
			if (type.check && !type.check(value)) return "not allowed";
			return undefined;
		}
		case "integer":
			if (typeof value !== "number" || !Number.isInteger(value)) return "not an integer";
			return value < type.min || value > type.max ? `${type.min}..${type.max}` : undefined;
		case "boolean":
			return typeof value === "boolean" ? undefined : "not a boolean";
		case "enum":
			return typeof value === "string" && type.values.includes(value) ? undefined : `one of ${type.values.join(", ")}`;
	}
}

/**
 * Checks a written document (a patch) as a whole: every field known and valid, or the first
 * problem. Returns the flat changes; nothing is applied here.
 */
export function validatePatch(document: unknown): { changes: ConfigValues } | { rejected: ConfigRejection } {
	if (!isObject(document)) return { rejected: { field: "", reason: "not an object" } };
	const changes: Record<string, string | number | boolean> = {};
	const visit = (object: Record<string, unknown>, prefix: string): ConfigRejection | undefined => {
		for (const key of Object.keys(object)) {
			const path = prefix + key, value = object[key];
			const spec = CONFIG_FIELDS.find((f) => f.path === path);
			if (spec) {
				const reason = checkValue(spec, value);
				if (reason) return { field: path, reason };
				changes[path] = value as string | number | boolean;
			} else if (isObject(value) && CONFIG_FIELDS.some((f) => f.path.startsWith(`${path}.`))) {
				const problem = visit(value, `${path}.`);
				if (problem) return problem;
			} else return { field: path, reason: "unknown field" };
		}
		return undefined;
	};
	const problem = visit(document, "");
	if (problem) return { rejected: problem };
	if (Object.keys(changes).length === 0) return { rejected: { field: "", reason: "no field given" } };
	return { changes };
}

/** Merges a validated patch; an MQTT host needs the rest of the broker settings' defaults. */
export function merge(current: ConfigValues, changes: ConfigValues): ConfigValues {
	return Object.freeze({ ...current, ...changes });
}

/** The document as read back: nested, with defaults, without secrets (their names in "secrets"). */
export function readable(values: ConfigValues): Record<string, unknown> {
	const document: Record<string, unknown> = {};
	const secrets: string[] = [];
	for (const spec of CONFIG_FIELDS) {
		const value = values[spec.path] ?? spec.fallback;
		if (value === undefined) continue;
		if (spec.secret) {
			secrets.push(spec.path);
			continue;
		}
		const parts = spec.path.split(".");
		let at = document;
		for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
		at[parts[parts.length - 1]] = value;
	}
	document.secrets = secrets;
	return document;
}
