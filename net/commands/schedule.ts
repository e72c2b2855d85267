/*
 * The `schedule` command's value: a weekly schedule, replaced whole.
 *
 *   {"v": [{"d": 31, "at": "06:30", "p": "home"}, {"d": 31, "at": "22:00", "heat": 18, "cool": 26}, ...], "t": ...}
 *   {"v": [], "t": ...}   clears the schedule (so does "v": null)
 *
 * Each entry: `d` the days it applies to as a bit mask (bit 0 Monday ... bit 6 Sunday, 1..127:
 * 31 = weekdays, 96 = weekend, 127 = every day); `at` the local time it starts, "HH:MM"
 * (00:00..23:59); then either `p`, a preset (not "none"), or both `heat` and `cool`, set points
 * in the command's unit (`u`, else the climate's), within the limits and the heat_cool
 * differential apart. At most MAX_ENTRIES entries; two entries may not start at the same time
 * on the same day. An entry lasts until the next one (wrapping round the week).
 */
import { type ClimateLimits, type Preset, type Unit, PRESETS } from "net/commands/types";
import { differential, field, integer, isObject, reject, setpoint } from "net/commands/checks";

/** 16 entries with set points (48 bytes each) fit the schedule's 896-byte payload limit. */
export const MAX_ENTRIES = 16;

export const MONDAY = 1;
export const SUNDAY = 1 << 6;
export const EVERY_DAY = 0x7f;

export type ScheduleEntry =
	/** `minute`: minutes after local midnight; `days`: bit 0 Monday ... bit 6 Sunday. */
	| { readonly days: number; readonly minute: number; readonly preset: Exclude<Preset, "none"> }
	| { readonly days: number; readonly minute: number; readonly heat: number; readonly cool: number };

/** "HH:MM" to minutes after midnight. */
function minuteOf(value: unknown, path: string): number {
	if (typeof value !== "string") return reject("type", "not a string", path);
	if (value.length !== 5 || value.charCodeAt(2) !== 0x3a) return reject("value", "not HH:MM", path);
	const digit = (i: number): number => {
		const c = value.charCodeAt(i) - 0x30;
		return c >= 0 && c <= 9 ? c : reject("value", "not HH:MM", path);
	};
	const hours = digit(0) * 10 + digit(1);
	const minutes = digit(3) * 10 + digit(4);
	if (hours > 23 || minutes > 59) reject("range", "outside 00:00..23:59", path);
	return hours * 60 + minutes;
}

export function parseSchedule(value: unknown, unit: Unit, climate: ClimateLimits): readonly ScheduleEntry[] {
	if (value === null) return Object.freeze([]);
	if (!Array.isArray(value)) return reject("type", "not an array", "v");
	if (value.length > MAX_ENTRIES) reject("size", `${value.length} entries, at most ${MAX_ENTRIES}`, "v");
	const offered: readonly string[] = climate.presets ?? PRESETS.filter((p) => p !== "none");
	const entries: ScheduleEntry[] = [];
	for (let i = 0; i < value.length; i++) {
		const item: unknown = value[i];
		const path = `v[${i}]`;
		if (!isObject(item)) return reject("type", "not an object", path);
		const hasPreset = Object.hasOwn(item, "p");
		for (const key of Object.keys(item)) {
			const known = key === "d" || key === "at" || (hasPreset ? key === "p" : key === "heat" || key === "cool");
			if (!known) reject("field", hasPreset && (key === "heat" || key === "cool") ? "a preset entry has no set points" : "unknown field", `${path}.${key}`);
		}
		const days = integer(field(item, "d", `${path}.d`), 1, EVERY_DAY, `${path}.d`);
		const minute = minuteOf(field(item, "at", `${path}.at`), `${path}.at`);
		for (let j = 0; j < entries.length; j++)
			if (entries[j].minute === minute && (entries[j].days & days) !== 0) reject("value", `starts when v[${j}] does`, `${path}.at`);
		if (hasPreset) {
			const preset = item.p;
			if (typeof preset !== "string") return reject("type", "not a string", `${path}.p`);
			if (!offered.includes(preset)) return reject("value", "unknown preset", `${path}.p`);
			entries.push(Object.freeze({ days, minute, preset: preset as Exclude<Preset, "none"> }));
		} else {
			const heat = setpoint(field(item, "heat", `${path}.heat`), unit, climate, `${path}.heat`);
			const cool = setpoint(field(item, "cool", `${path}.cool`), unit, climate, `${path}.cool`);
			differential(heat, cool, climate, path);
			entries.push(Object.freeze({ days, minute, heat, cool }));
		}
	}
	return Object.freeze(entries);
}
