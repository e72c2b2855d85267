// @host --creation budget
// net/commands/parse: every command kind valid and invalid — malformed JSON, invalid UTF-8,
// oversized, wrong types, unknown fields, out of range (limits, heat_cool differential, °F),
// unknown modes/presets/fan modes, retained, stale, ahead of the clock, unknown wall time,
// unknown kinds — each rejected with a typed error and an event description; parsing changes
// nothing (the inputs are frozen, the results fresh).
import { test, ok, equal, deepEqual, close } from "test/harness";
import {
	type Command, type CommandContext, type ParseResult, KINDS, MAX_AGE_S, MAX_BYTES, WALL_TIME_VALID_FROM, parseCommand, wallTimeKnown,
} from "net/commands/parse";
import { type ClimateLimits, type CommandErrorCode, rejectedEvent } from "net/commands/types";

const NOW = Date.UTC(2026, 0, 15, 6, 0, 0); // the simulator's default start
const T = NOW / 1000;
const LIMITS: ClimateLimits = Object.freeze({ unit: "C", minC: 7, maxC: 35, minDifferentialC: 0.5 });
const CURRENT = Object.freeze({ mode: "heat" as const, heat: 20, cool: 24.5 });
const CONTEXT: CommandContext = Object.freeze({ retained: false, climate: LIMITS, current: CURRENT });

const bytes = (text: string): Uint8Array => new Uint8Array(ArrayBuffer.fromString(text));
const json = (value: unknown): Uint8Array => bytes(JSON.stringify(value));
const cmd = (v: unknown, extra: object = {}): Uint8Array => json({ v, t: T - 1, ...extra });

function accept(kind: string, payload: Uint8Array, context: CommandContext = CONTEXT, now = NOW): Command {
	const result = parseCommand(kind, payload, now, context);
	if (!("ok" in result)) throw new Error(`${kind} rejected: ${JSON.stringify(result)}`);
	return result.ok;
}

function refuse(kind: string, payload: Uint8Array, code: CommandErrorCode, field?: string, context: CommandContext = CONTEXT, now = NOW): ParseResult {
	const result = parseCommand(kind, payload, now, context);
	if (!("error" in result)) throw new Error(`${kind} accepted: ${JSON.stringify(result)}`);
	equal(result.error.code, code, `${kind}: ${JSON.stringify(result.error)}`);
	equal(result.error.command, kind);
	if (field !== undefined) equal(result.error.field, field, `${kind} field`);
	ok(result.error.detail.length > 0);
	return result;
}

/* ---------- every kind, valid ---------- */

test("mode-every-value", () => {
	for (const mode of ["off", "heat", "cool", "heat_cool", "fan_only"])
		deepEqual(accept("mode", cmd(mode)), { kind: "mode", mode, sentAt: (T - 1) * 1000 });
});

test("preset-every-value-and-none", () => {
	for (const preset of ["none", "home", "away", "sleep", "eco", "boost", "comfort", "activity"])
		equal((accept("preset", cmd(preset)) as { preset: string }).preset, preset);
});

test("fan-mode-every-value", () => {
	for (const fanMode of ["auto", "on", "circulate"]) equal((accept("fan_mode", cmd(fanMode)) as { fanMode: string }).fanMode, fanMode);
});

test("single-set-point-goes-to-the-mode's-set-point", () => {
	deepEqual(accept("target", cmd(21.5)), { kind: "setpoints", heat: 21.5, sentAt: (T - 1) * 1000 });
	deepEqual(accept("target", cmd(26), { ...CONTEXT, current: { ...CURRENT, mode: "cool" } }), { kind: "setpoints", cool: 26, sentAt: (T - 1) * 1000 });
	// in heat mode the inactive cool set point follows (app/thermostat Settings): no differential check
	deepEqual(accept("target", cmd(30)), { kind: "setpoints", heat: 30, sentAt: (T - 1) * 1000 });
});

test("low-and-high-set-points", () => {
	deepEqual(accept("target_lo", cmd(21)), { kind: "setpoints", heat: 21, sentAt: (T - 1) * 1000 });
	deepEqual(accept("target_hi", cmd(20.5)), { kind: "setpoints", cool: 20.5, sentAt: (T - 1) * 1000 }, "exactly the differential above heat 20");
	deepEqual(accept("target_lo", cmd(24)), { kind: "setpoints", heat: 24, sentAt: (T - 1) * 1000 }, "exactly the differential below cool 24.5");
	deepEqual(accept("setpoints", cmd({ heat: 19, cool: 25 })), { kind: "setpoints", heat: 19, cool: 25, sentAt: (T - 1) * 1000 });
	deepEqual(accept("setpoints", cmd({ heat: 7, cool: 35 })), { kind: "setpoints", heat: 7, cool: 35, sentAt: (T - 1) * 1000 }, "the limits themselves");
});

test("fahrenheit-set-points-convert-to-celsius", () => {
	const f: CommandContext = { ...CONTEXT, climate: { ...LIMITS, unit: "F" } };
	close((accept("target", cmd(68), f) as { heat: number }).heat, 20, 1e-9);
	close((accept("target", cmd(44.6), f) as { heat: number }).heat, 7, 1e-9, "HA's min_temp in °F is the limit");
	close((accept("target", cmd(95), f) as { heat: number }).heat, 35, 1e-9);
	close((accept("target", cmd(72, { u: "F" })) as { heat: number }).heat, 22.2222, 1e-4, "u overrides the climate's unit");
	close((accept("target", cmd(22, { u: "C" }), f) as { heat: number }).heat, 22, 1e-9);
	refuse("target", cmd(44.5, {}), "range", "v", f);
	refuse("target", cmd(95.2), "range", "v", f);
	refuse("target", cmd(20, { u: "F" }), "range", "v");
	refuse("target", cmd(20, { u: "K" }), "value", "u");
	refuse("target", cmd(20, { u: 1 }), "type", "u");
	refuse("mode", cmd("heat", { u: "C" }), "field", "u", CONTEXT);
	// a °F differential: 1 °F = 0.556 K >= 0.5 K
	const pair = accept("setpoints", cmd({ heat: 68, cool: 69 }), f) as { heat: number; cool: number };
	close(pair.cool - pair.heat, 5 / 9, 1e-9);
	refuse("setpoints", cmd({ heat: 68, cool: 68.8 }), "range", "v", f);
});

test("config-every-option", () => {
	deepEqual(accept("config", cmd({ unit: "F" })), { kind: "config", changes: { unit: "F" }, sentAt: (T - 1) * 1000 });
	deepEqual((accept("config", cmd({ circulate: 0, telemetry: 3600 })) as { changes: object }).changes, { circulateMinutes: 0, telemetryS: 3600 });
	deepEqual((accept("config", cmd({ circulate: 60, telemetry: 10, unit: "C" })) as { changes: object }).changes, { unit: "C", circulateMinutes: 60, telemetryS: 10 });
	deepEqual((accept("config", cmd({ telemetry: 300 }), { retained: false }) as { changes: object }).changes, { telemetryS: 300 }, "the wearable");
});

test("compact-form-as-home-assistant-renders-it", () => {
	deepEqual(accept("mode", json(["cool", T - 0.5])), { kind: "mode", mode: "cool", sentAt: (T - 0.5) * 1000 });
	deepEqual(accept("target", bytes(`[21.5, ${T - 2.123456}]`)), { kind: "setpoints", heat: 21.5, sentAt: (T - 2.123456) * 1000 });
	refuse("mode", json(["cool"]), "type");
	refuse("mode", json(["cool", T, 1]), "type");
	refuse("mode", json(["cool", null]), "untimed", "t");
	refuse("mode", json(["cool", "now"]), "type", "t");
	refuse("mode", json(["cool", T - 3600]), "stale", "t");
	refuse("target", json([99, T]), "range", "v");
});

/* ---------- invalid: shape ---------- */

test("malformed-json-is-rejected", () => {
	for (const text of ["{", "{\"v\":\"heat\",\"t\":", "heat", "{'v':'heat'}", "{\"v\":\"heat\",}", "\u00ff"])
		refuse("mode", bytes(text), text === "\u00ff" ? "json" : "json");
	refuse("mode", bytes("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"), "json");
	refuse("schedule", bytes(`{"v":[[[[{}]]]],"t":${T}}`), "json", undefined);
	refuse("mode", bytes("null"), "type");
	refuse("mode", bytes("42"), "type");
	refuse("mode", bytes("\"heat\""), "type", undefined);
});

test("invalid-utf8-and-nul-are-encoding-errors", () => {
	const cases = [
		Uint8Array.of(0x7b, 0xff, 0x7d), // 0xFF never appears in UTF-8
		Uint8Array.of(0x22, 0xc0, 0xaf, 0x22), // overlong '/'
		Uint8Array.of(0x22, 0xed, 0xa0, 0x80, 0x22), // a UTF-16 surrogate (U+D800) encoded
		Uint8Array.of(0x22, 0xe2, 0x82), // truncated
		Uint8Array.of(0x22, 0xf4, 0x90, 0x80, 0x80, 0x22), // above U+10FFFF
		Uint8Array.of(0x80),
		bytes(`{"v":"heat","t":${T}}\u0000junk`),
	];
	for (const payload of cases) refuse("mode", payload, "encoding");
	equal((accept("config", bytes(`{"v":{"unit":"C"},"t":${T}}`)) as { kind: string }).kind, "config");
});

test("oversized-and-empty-payloads", () => {
	for (const kind of KINDS) {
		refuse(kind, new Uint8Array(0), "size");
		refuse(kind, new Uint8Array(MAX_BYTES[kind] + 1).fill(0x20), "size");
	}
	// exactly at the limit is not a size error
	const padded = `{"v":"heat","t":${T}}`.padEnd(MAX_BYTES.mode, " ");
	equal(padded.length, 128);
	equal((accept("mode", bytes(padded)) as { mode: string }).mode, "heat");
});

test("wrong-types", () => {
	refuse("mode", cmd(1), "type", "v");
	refuse("mode", cmd(null), "type", "v");
	refuse("mode", cmd(["heat"]), "type", "v");
	refuse("preset", cmd(true), "type", "v");
	refuse("fan_mode", cmd({ v: "auto" }), "type", "v");
	refuse("target", cmd("21"), "type", "v");
	refuse("target", cmd(null), "type", "v");
	refuse("target_lo", cmd([21]), "type", "v");
	refuse("setpoints", cmd(21), "type", "v");
	refuse("setpoints", cmd({ heat: "19", cool: 25 }), "type", "v.heat");
	refuse("setpoints", cmd({ heat: 19 }), "type", "v.cool");
	refuse("config", cmd("F"), "type", "v");
	refuse("config", cmd({ unit: 1 }), "type", "v.unit");
	refuse("config", cmd({ circulate: "15" }), "type", "v.circulate");
	refuse("config", cmd({ circulate: 7.5 }), "type", "v.circulate");
	refuse("mode", json({ t: T }), "type", "v");
	refuse("mode", json({ v: "heat", t: "1768456800" }), "type", "t");
	refuse("mode", json({ v: "heat", t: -5 }), "type", "t");
});

test("unknown-fields", () => {
	refuse("mode", cmd("heat", { x: 1 }), "field", "x");
	refuse("mode", bytes(`{"v":"heat","t":${T},"__proto__":{}}`), "field", "__proto__");
	refuse("setpoints", cmd({ heat: 19, cool: 25, fan: 1 }), "field", "v.fan");
	refuse("config", cmd({ minRunMs: 0 }), "field", "v.minRunMs");
	refuse("config", cmd({ unit: "F" }), "field", "v.unit", { retained: false });
	refuse("config", cmd({}), "value", "v");
});

/* ---------- invalid: values and ranges ---------- */

test("unknown-modes-presets-fan-modes", () => {
	refuse("mode", cmd("auto"), "value", "v");
	refuse("mode", cmd("dry"), "value", "v");
	refuse("mode", cmd("HEAT"), "value", "v");
	refuse("preset", cmd("vacation"), "value", "v");
	refuse("fan_mode", cmd("high"), "value", "v");
	const narrow: CommandContext = { ...CONTEXT, climate: { ...LIMITS, modes: ["off", "heat"], presets: ["home"], fanModes: ["auto"] } };
	refuse("mode", cmd("cool"), "value", "v", narrow);
	refuse("preset", cmd("away"), "value", "v", narrow);
	equal((accept("preset", cmd("none"), narrow) as { preset: string }).preset, "none", "none always clears a preset");
	refuse("fan_mode", cmd("on"), "value", "v", narrow);
});

test("set-points-out-of-range", () => {
	refuse("target", cmd(6.9), "range", "v");
	refuse("target", cmd(35.1), "range", "v");
	refuse("target", bytes(`{"v":1e999,"t":${T}}`), "range", "v");
	refuse("target_lo", cmd(-40), "range", "v");
	refuse("target_hi", cmd(100), "range", "v");
	refuse("setpoints", cmd({ heat: 5, cool: 25 }), "range", "v.heat");
	refuse("setpoints", cmd({ heat: 20, cool: 36 }), "range", "v.cool");
	refuse("config", cmd({ circulate: 61 }), "range", "v.circulate");
	refuse("config", cmd({ telemetry: 9 }), "range", "v.telemetry");
	refuse("config", cmd({ telemetry: 3601 }), "range", "v.telemetry");
	refuse("config", cmd({ unit: "K" }), "value", "v.unit");
});

test("heat-cool-differential", () => {
	refuse("target_lo", cmd(24.2), "range", "v"); // cool is 24.5
	refuse("target_hi", cmd(20.4), "range", "v"); // heat is 20
	refuse("target_lo", cmd(30), "range", "v");
	refuse("setpoints", cmd({ heat: 22, cool: 22.4 }), "range", "v");
	refuse("setpoints", cmd({ heat: 25, cool: 20 }), "range", "v");
	const wide: CommandContext = { ...CONTEXT, climate: { ...LIMITS, minDifferentialC: 2 } };
	refuse("setpoints", cmd({ heat: 20, cool: 21.9 }), "range", "v", wide);
	equal((accept("setpoints", cmd({ heat: 20, cool: 22 }), wide) as { cool: number }).cool, 22);
});

test("single-set-point-without-one-in-this-mode", () => {
	for (const mode of ["off", "heat_cool", "fan_only"] as const)
		refuse("target", cmd(21), "state", undefined, { ...CONTEXT, current: { ...CURRENT, mode } });
	refuse("target", cmd(21), "state", undefined, { retained: false, climate: LIMITS });
	refuse("target_lo", cmd(21), "state", undefined, { retained: false, climate: LIMITS });
});

/* ---------- invalid: retained, stale, clock ---------- */

test("retained-commands-are-never-acted-on", () => {
	for (const kind of KINDS) refuse(kind, cmd("heat"), "retained", undefined, { ...CONTEXT, retained: true });
	// even a perfect, fresh command
	refuse("mode", cmd("heat", { t: T }), "retained", undefined, { ...CONTEXT, retained: true });
});

test("stale-commands-after-an-outage", () => {
	refuse("mode", cmd("heat", { t: T - MAX_AGE_S - 1 }), "stale", "t");
	refuse("mode", cmd("heat", { t: T - 3600 }), "stale", "t");
	refuse("target", cmd(21, { t: T - 86400 }), "stale", "t");
	equal((accept("mode", cmd("heat", { t: T - MAX_AGE_S })) as { mode: string }).mode, "heat", "exactly the maximum age");
	refuse("mode", cmd("heat", { t: T - 11 }), "stale", "t", { ...CONTEXT, maxAgeS: 10 });
	refuse("mode", json({ v: "heat" }), "untimed", "t");
});

test("commands-from-the-future-are-rejected", () => {
	refuse("mode", cmd("heat", { t: T + 31 }), "future", "t");
	equal((accept("mode", cmd("heat", { t: T + 30 })) as { mode: string }).mode, "heat", "within clock skew");
	refuse("mode", cmd("heat", { t: T + 6 }), "future", "t", { ...CONTEXT, maxFutureS: 5 });
	refuse("mode", cmd("heat", { t: 1e12 }), "future", "t", CONTEXT);
});

test("unknown-wall-time-rejects-every-command", () => {
	for (const now of [NaN, 0, 12_345, WALL_TIME_VALID_FROM - 1, Infinity]) {
		ok(!wallTimeKnown(now));
		refuse("mode", cmd("heat"), "clock", "t", CONTEXT, now);
	}
	ok(wallTimeKnown(WALL_TIME_VALID_FROM));
});

test("unknown-command-kinds", () => {
	for (const kind of ["", "Mode", "reboot", "mode/x", "temperature", "power"]) refuse(kind, cmd("heat"), "topic");
	for (const kind of ["mode", "target", "target_lo", "target_hi", "setpoints", "preset", "fan_mode", "schedule"])
		refuse(kind, cmd("heat"), "topic", undefined, { retained: false }); // the wearable has no climate
});

/* ---------- no state change, event description ---------- */

test("parsing-changes-nothing-and-results-are-fresh", () => {
	const payload = cmd("heat");
	const copy = payload.slice();
	const a = accept("mode", payload);
	const b = accept("mode", payload);
	ok(a !== b);
	deepEqual(a, b);
	deepEqual(payload, copy, "the payload is not written");
	ok(Object.isFrozen(CONTEXT) && Object.isFrozen(LIMITS), "the context is frozen: the parser cannot change it");
	// a payload that is a view into a larger receive buffer
	const buffer = new Uint8Array(300).fill(0x41);
	const text = bytes(`{"v":"cool","t":${T}}`);
	buffer.set(text, 100);
	equal((accept("mode", buffer.subarray(100, 100 + text.length)) as { mode: string }).mode, "cool");
});

test("rejections-describe-an-event", () => {
	const result = parseCommand("target", cmd(99), NOW, CONTEXT);
	ok("error" in result);
	deepEqual(rejectedEvent(result.error), { type: "command-rejected", command: "target", error: "range", field: "v", detail: "outside 7..35 °C" });
	const stale = parseCommand("mode", cmd("heat", { t: T - 120 }), NOW, CONTEXT);
	ok("error" in stale);
	deepEqual(rejectedEvent(stale.error), { type: "command-rejected", command: "mode", error: "stale", field: "t", detail: "sent 120 s ago, at most 30" });
	const retained = parseCommand("mode", cmd("heat"), NOW, { ...CONTEXT, retained: true });
	ok("error" in retained);
	deepEqual(rejectedEvent(retained.error), { type: "command-rejected", command: "mode", error: "retained", detail: "retained command messages are never acted on" });
	ok(JSON.stringify(rejectedEvent(result.error)).length < 200, "one short event line");
});

test("hostile-inputs-never-throw", () => {
	let seed = 1;
	const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
	for (let i = 0; i < 2000; i++) {
		const length = next() % 140;
		const payload = new Uint8Array(length);
		for (let j = 0; j < length; j++) payload[j] = next() & 0xff;
		if (i % 2) {
			// mostly-JSON garbage
			const pieces = ["{", "}", "[", "]", "\"v\"", "\"t\"", ":", ",", "1e308", "\"heat\"", `${T}`, "null", "\\", "\""];
			let text = "";
			while (text.length < length) text += pieces[next() % pieces.length];
			payload.set(bytes(text).subarray(0, length));
		}
		const kind = KINDS[next() % KINDS.length];
		const result = parseCommand(kind, payload, NOW, CONTEXT);
		ok("ok" in result || "error" in result);
	}
});
