// The `schedule` command (net/commands/schedule) and the bounded JSON decoding under every
// command (net/commands/json): valid schedules, every way an entry can be wrong, the size
// limits, and the UTF-8 and nesting checks on their own.
import { test, ok, equal, deepEqual } from "test/harness";
import { type CommandContext, MAX_BYTES, parseCommand } from "net/commands/parse";
import { MAX_ENTRIES } from "net/commands/schedule";
import { MAX_DEPTH, decodeJson, jsonDepth, utf8Error } from "net/commands/json";
import type { ClimateLimits, CommandErrorCode } from "net/commands/types";

const NOW = Date.UTC(2026, 0, 15, 6, 0, 0);
const T = NOW / 1000;
const LIMITS: ClimateLimits = { unit: "C", minC: 7, maxC: 35, minDifferentialC: 0.5 };
const CONTEXT: CommandContext = { retained: false, climate: LIMITS, current: { mode: "heat", heat: 20, cool: 24.5 } };
const bytes = (text: string): Uint8Array => new Uint8Array(ArrayBuffer.fromString(text));
const schedule = (v: unknown, extra: object = {}): Uint8Array => bytes(JSON.stringify({ v, t: T, ...extra }));

function entries(payload: Uint8Array, context = CONTEXT): unknown {
	const result = parseCommand("schedule", payload, NOW, context);
	if (!("ok" in result)) throw new Error(JSON.stringify(result));
	return (result.ok as { entries: unknown }).entries;
}

function refuse(payload: Uint8Array, code: CommandErrorCode, field?: string, context = CONTEXT): void {
	const result = parseCommand("schedule", payload, NOW, context);
	if (!("error" in result)) throw new Error(`accepted: ${JSON.stringify(result)}`);
	equal(result.error.code, code, JSON.stringify(result.error));
	if (field !== undefined) equal(result.error.field, field, JSON.stringify(result.error));
}

test("a-weekly-schedule", () => {
	deepEqual(entries(schedule([
		{ d: 31, at: "06:30", p: "home" },
		{ d: 31, at: "08:00", p: "away" },
		{ d: 31, at: "17:30", heat: 21, cool: 24 },
		{ d: 96, at: "08:00", p: "comfort" },
		{ d: 127, at: "22:00", p: "sleep" },
	])), [
		{ days: 31, minute: 390, preset: "home" },
		{ days: 31, minute: 480, preset: "away" },
		{ days: 31, minute: 1050, heat: 21, cool: 24 },
		{ days: 96, minute: 480, preset: "comfort" },
		{ days: 127, minute: 1320, preset: "sleep" },
	]);
});

test("clearing-the-schedule", () => {
	deepEqual(entries(schedule([])), []);
	deepEqual(entries(schedule(null)), []);
});

test("set-points-in-fahrenheit", () => {
	const result = entries(schedule([{ d: 1, at: "00:00", heat: 68, cool: 77 }], { u: "F" })) as { heat: number; cool: number }[];
	ok(Math.abs(result[0].heat - 20) < 1e-9 && Math.abs(result[0].cool - 25) < 1e-9);
	const f: CommandContext = { ...CONTEXT, climate: { ...LIMITS, unit: "F" } };
	ok(Math.abs((entries(schedule([{ d: 1, at: "23:59", heat: 50, cool: 90 }]), f) as { heat: number }[])[0].heat - 10) < 1e-9);
});

test("the-largest-schedule-fits", () => {
	const full = Array.from({ length: MAX_ENTRIES }, (_, i) => ({ d: 127, at: `${String(i).padStart(2, "0")}:00`, heat: 19.5, cool: 24.5 }));
	const payload = schedule(full);
	ok(payload.length <= MAX_BYTES.schedule, `${payload.length} bytes`);
	equal((entries(payload) as unknown[]).length, MAX_ENTRIES);
	refuse(schedule([...full, { d: 127, at: "23:00", p: "home" }]), "size", "v");
});

test("bad-entries", () => {
	refuse(schedule({ d: 1 }), "type", "v");
	refuse(schedule("daily"), "type", "v");
	refuse(schedule([1]), "type", "v[0]");
	refuse(schedule([{ at: "06:00", p: "home" }]), "type", "v[0].d");
	refuse(schedule([{ d: 0, at: "06:00", p: "home" }]), "range", "v[0].d");
	refuse(schedule([{ d: 128, at: "06:00", p: "home" }]), "range", "v[0].d");
	refuse(schedule([{ d: 1.5, at: "06:00", p: "home" }]), "type", "v[0].d");
	refuse(schedule([{ d: "mon", at: "06:00", p: "home" }]), "type", "v[0].d");
	refuse(schedule([{ d: 1, p: "home" }]), "type", "v[0].at");
	refuse(schedule([{ d: 1, at: 360, p: "home" }]), "type", "v[0].at");
	refuse(schedule([{ d: 1, at: "6:00", p: "home" }]), "value", "v[0].at");
	refuse(schedule([{ d: 1, at: "06-00", p: "home" }]), "value", "v[0].at");
	refuse(schedule([{ d: 1, at: "0a:00", p: "home" }]), "value", "v[0].at");
	refuse(schedule([{ d: 1, at: "24:00", p: "home" }]), "range", "v[0].at");
	refuse(schedule([{ d: 1, at: "12:60", p: "home" }]), "range", "v[0].at");
	refuse(schedule([{ d: 1, at: "06:00", p: "none" }]), "value", "v[0].p");
	refuse(schedule([{ d: 1, at: "06:00", p: "vacation" }]), "value", "v[0].p");
	refuse(schedule([{ d: 1, at: "06:00", p: 3 }]), "type", "v[0].p");
	refuse(schedule([{ d: 1, at: "06:00", p: "home", heat: 20 }]), "field", "v[0].heat");
	refuse(schedule([{ d: 1, at: "06:00", heat: 20 }]), "type", "v[0].cool");
	refuse(schedule([{ d: 1, at: "06:00" }]), "type", "v[0].heat");
	refuse(schedule([{ d: 1, at: "06:00", heat: 20, cool: 24, x: 1 }]), "field", "v[0].x");
	refuse(schedule([{ d: 1, at: "06:00", heat: 5, cool: 24 }]), "range", "v[0].heat");
	refuse(schedule([{ d: 1, at: "06:00", heat: 20, cool: 40 }]), "range", "v[0].cool");
	refuse(schedule([{ d: 1, at: "06:00", heat: 20, cool: 20.2 }]), "range", "v[0]");
	refuse(schedule([{ d: 1, at: "06:00", heat: "20", cool: 24 }]), "type", "v[0].heat");
	refuse(schedule([{ d: 3, at: "06:00", p: "home" }, { d: 2, at: "06:00", p: "away" }]), "value", "v[1].at");
	equal((entries(schedule([{ d: 1, at: "06:00", p: "home" }, { d: 2, at: "06:00", p: "away" }])) as unknown[]).length, 2, "same time, other days");
	const narrow: CommandContext = { ...CONTEXT, climate: { ...LIMITS, presets: ["home", "away"] } };
	refuse(schedule([{ d: 1, at: "06:00", p: "eco" }]), "value", "v[0].p", narrow);
});

test("a-schedule-is-a-command-like-the-others", () => {
	refuse(schedule([]), "retained", undefined, { ...CONTEXT, retained: true });
	refuse(bytes(JSON.stringify({ v: [], t: T - 600 })), "stale", "t");
	refuse(bytes(JSON.stringify({ v: [] })), "untimed", "t");
	refuse(bytes(JSON.stringify({ v: [], t: T, days: 1 })), "field", "days");
	const result = parseCommand("schedule", schedule([]), NOW, { retained: false });
	ok("error" in result && result.error.code === "topic", "no climate, no schedule");
});

test("utf8-validation", () => {
	equal(utf8Error(bytes("plain ascii")), -1);
	equal(utf8Error(bytes("°C € 😀 é")), -1);
	equal(utf8Error(Uint8Array.of(0x61, 0x00)), 1, "NUL");
	equal(utf8Error(Uint8Array.of(0x61, 0xc1, 0x81)), 1, "overlong 2-byte");
	equal(utf8Error(Uint8Array.of(0xe0, 0x80, 0x80)), 0, "overlong 3-byte");
	equal(utf8Error(Uint8Array.of(0xf0, 0x80, 0x80, 0x80)), 0, "overlong 4-byte");
	equal(utf8Error(Uint8Array.of(0xed, 0xbf, 0xbf)), 0, "surrogate U+DFFF");
	equal(utf8Error(Uint8Array.of(0xf4, 0x8f, 0xbf, 0xbf)), -1, "U+10FFFF is the last");
	equal(utf8Error(Uint8Array.of(0xf5, 0x80, 0x80, 0x80)), 0);
	equal(utf8Error(Uint8Array.of(0x61, 0xbf)), 1, "a lone continuation byte");
	equal(utf8Error(Uint8Array.of(0xc3)), 0, "truncated at the end");
	equal(utf8Error(Uint8Array.of(0xc3, 0x41)), 0, "a missing continuation");
});

test("nesting-depth-outside-strings", () => {
	equal(jsonDepth(bytes("{}"), 10), 1);
	equal(jsonDepth(bytes(`{"v":[{"a":1}]}`), 10), 3);
	equal(jsonDepth(bytes(`{"v":"[[[[[[[[["}`), 10), 1, "brackets inside strings do not count");
	equal(jsonDepth(bytes(`{"v":"\\"[[[[["}`), 10), 1, "an escaped quote does not end the string");
	equal(jsonDepth(bytes("[".repeat(10000)), MAX_DEPTH), MAX_DEPTH + 1, "stops early");
	ok("problem" in decodeJson(bytes("[".repeat(10000))));
	deepEqual(decodeJson(bytes(`{"a":[1,{"b":[]}]}`)), { value: { a: [1, { b: [] }] } });
	ok("problem" in decodeJson(bytes(`{"a":[1,{"b":[[]]}]}`)), "depth 5");
});
