/*
 * Why a relay is on or off: a rule code plus up to four numbers (°C, ms), kept in a
 * preallocated record each control tick, and turned into text only when a relay event is
 * logged or someone asks (thermostat.why()). "heat on: 19.4 °C ≤ 20.0 °C set point - 0.5 °C
 * deadband", "cool held off: compressor minimum off 300 s since boot, 212 s left".
 */
import { type Tuning, MODES } from "app/thermostat/config";
import { formatTemperature as t, formatDelta as d } from "app/thermostat/units";
import { isCompressor } from "app/thermostat/relays";

export const Rule = Object.freeze({
	NONE: 0,
	BOOT: 1, // waiting for the first valid reading since boot
	MODE: 2, // a = mode index
	HEAT_DEMAND: 3, // a = T, b = set point, c = deadband
	HEAT_CONTINUE: 4, // a = T, b = set point, c = overrun
	HEAT_SATISFIED: 5, // a = T, b = set point, c = overrun
	HEAT_IN_BAND: 6, // a = T, b = set point, c = deadband
	COOL_DEMAND: 7,
	COOL_CONTINUE: 8,
	COOL_SATISFIED: 9,
	COOL_IN_BAND: 10,
	FROST_DEMAND: 11, // a = T, b = floor
	FROST_CONTINUE: 12, // a = T, b = floor, c = off at
	FAULT_MISSING: 13,
	FAULT_STALE: 14, // a = age ms, b = stale after ms
	FAULT_IMPLAUSIBLE: 15, // a = T, b = min, c = max
	FAULT_EXTERNAL: 16,
	LOCKOUT_COOL: 17, // a = outdoor, b = limit
	LOCKOUT_COMPRESSOR_HEAT: 18, // a = outdoor, b = limit
	LOCKOUT_AUX: 19, // a = outdoor, b = limit
	STAGE2_TIME: 20, // a = ran ms, b = delay ms
	STAGE2_DELTA: 21, // a = T, b = set point, c = delta
	STAGE2_LATCHED: 22,
	STAGE2_NOT_NEEDED: 23, // a = ran ms, b = delay ms
	NO_HEATING: 24, // stage 2 / aux without heating demand
	AUX_ALONE: 25, // a = outdoor, b = compressor limit
	FAN_ON: 26,
	FAN_ONLY: 27,
	FAN_WITH_COOLING: 28,
	FAN_WITH_HEATING: 29,
	FAN_CIRCULATE: 30, // a = minutes per hour, b = ran this hour ms
	FAN_CIRCULATE_DONE: 31, // a = minutes per hour, b = ran this hour ms
	FAN_AUTO: 32,
	VALVE_HEAT: 33,
	VALVE_COOL: 34,
	VALVE_KEEP: 35,
	NO_COOLING: 36,
	/* safety holds and overrides */
	HOLD_MIN_RUN: 40, // a = min run ms, b = left ms
	HOLD_MIN_OFF: 41, // a = min off ms, b = left ms, c = 1 when counted from boot
	HOLD_MIN_IDLE: 42, // a = min idle ms, b = left ms
	HOLD_CHANGEOVER: 43, // a = dead time ms, b = left ms, c = 1 after heating, 0 after cooling
	HOLD_INTERLOCK: 44,
	MAX_RUN: 45, // a = max run ms
	HOLD_STAGE1: 46,
	HOLD_WITH_STAGE2: 47, // a = stage 2 min run ms, b = left ms
	HOLD_VALVE: 48, // compressor waits for the valve
	HOLD_VALVE_SWITCH: 49, // a = dead time ms, b = left ms
});

export class Reason {
	code = 0;
	a = 0;
	b = 0;
	c = 0;

	set(code: number, a = 0, b = 0, c = 0): void {
		this.code = code;
		this.a = a;
		this.b = b;
		this.c = c;
	}

	copy(from: Reason): void {
		this.code = from.code;
		this.a = from.a;
		this.b = from.b;
		this.c = from.c;
	}

	/** Holds keep a relay as it is; they never cause a change. */
	get isHold(): boolean {
		return this.code >= Rule.HOLD_MIN_RUN && this.code !== Rule.MAX_RUN;
	}
}

Object.freeze(Reason.prototype);

const s = (ms: number): string => `${Math.ceil(ms / 1000)} s`;
/** Configured durations: whole hours as "4 h", anything else in seconds ("300 s"). */
const duration = (ms: number): string => (ms >= 3_600_000 && ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : s(ms));

/** The text of a reason (allocates: called only for events and queries). */
export function describe(reason: Reason, tuning: Tuning, relay: number): string {
	const u = tuning.unit;
	const { a, b, c } = reason;
	const compressor = isCompressor(tuning.system, relay) ? "compressor " : "";
	switch (reason.code) {
	case Rule.BOOT: return "waiting for the first valid temperature reading since boot";
	case Rule.MODE: return `mode ${MODES[a]}`;
	case Rule.HEAT_DEMAND: return `${t(a, u)} ≤ ${t(b, u)} set point - ${d(c, u)} deadband`;
	case Rule.HEAT_CONTINUE: return `heating until ${t(b + c, u)} (${t(b, u)} set point + ${d(c, u)} overrun), now ${t(a, u)}`;
	case Rule.HEAT_SATISFIED: return `${t(a, u)} ≥ ${t(b, u)} set point + ${d(c, u)} overrun`;
	case Rule.HEAT_IN_BAND: return `${t(a, u)} above ${t(b, u)} set point - ${d(c, u)} deadband`;
	case Rule.COOL_DEMAND: return `${t(a, u)} ≥ ${t(b, u)} set point + ${d(c, u)} deadband`;
	case Rule.COOL_CONTINUE: return `cooling until ${t(b - c, u)} (${t(b, u)} set point - ${d(c, u)} overrun), now ${t(a, u)}`;
	case Rule.COOL_SATISFIED: return `${t(a, u)} ≤ ${t(b, u)} set point - ${d(c, u)} overrun`;
	case Rule.COOL_IN_BAND: return `${t(a, u)} below ${t(b, u)} set point + ${d(c, u)} deadband`;
	case Rule.FROST_DEMAND: return `frost protection: ${t(a, u)} ≤ ${t(b, u)} floor`;
	case Rule.FROST_CONTINUE: return `frost protection: heating until ${t(c, u)}, now ${t(a, u)} (floor ${t(b, u)})`;
	case Rule.FAULT_MISSING: return "no valid temperature reading";
	case Rule.FAULT_STALE: return `temperature stale: no valid reading for ${s(a)} > ${s(b)}`;
	case Rule.FAULT_IMPLAUSIBLE: return `temperature implausible: ${t(a, u)} outside ${t(b, u)}..${t(c, u)}`;
	case Rule.FAULT_EXTERNAL: return "equipment fault";
	case Rule.LOCKOUT_COOL: return `compressor locked out: outdoor ${t(a, u)} < ${t(b, u)}`;
	case Rule.LOCKOUT_COMPRESSOR_HEAT: return `compressor heating locked out: outdoor ${t(a, u)} < ${t(b, u)}`;
	case Rule.LOCKOUT_AUX: return `aux heat locked out: outdoor ${t(a, u)} > ${t(b, u)}`;
	case Rule.STAGE2_TIME: return `stage 1 ran ${s(a)} ≥ ${s(b)}`;
	case Rule.STAGE2_DELTA: return `${t(a, u)} is ${d(b - a, u)} below ${t(b, u)} set point ≥ ${d(c, u)} stage-2 delta`;
	case Rule.STAGE2_LATCHED: return "stage 2 stays on until heating ends";
	case Rule.STAGE2_NOT_NEEDED: return Number.isFinite(b) ? `stage 1 alone (ran ${s(a)} of ${s(b)})` : "stage 1 alone";
	case Rule.NO_HEATING: return "no heating demand";
	case Rule.NO_COOLING: return "no cooling demand";
	case Rule.AUX_ALONE: return `aux heat alone: compressor locked out, outdoor ${t(a, u)} < ${t(b, u)}`;
	case Rule.FAN_ON: return "fan mode on";
	case Rule.FAN_ONLY: return "mode fan_only";
	case Rule.FAN_WITH_COOLING: return "runs with cooling";
	case Rule.FAN_WITH_HEATING: return "runs with heating";
	case Rule.FAN_CIRCULATE: return `circulate ${a} min/h, ${s(b)} run this hour`;
	case Rule.FAN_CIRCULATE_DONE: return `circulate ${a} min/h done this hour (${s(b)})`;
	case Rule.FAN_AUTO: return "fan auto, no heating or cooling";
	case Rule.VALVE_HEAT: return `reversing valve (${tuning.valveEnergisedFor === "heat" ? "B" : "O"}) to heating`;
	case Rule.VALVE_COOL: return `reversing valve (${tuning.valveEnergisedFor === "heat" ? "B" : "O"}) to cooling`;
	case Rule.VALVE_KEEP: return "reversing valve keeps its position";
	case Rule.HOLD_MIN_RUN: return `${compressor}minimum run ${duration(a)}, ${s(b)} left`;
	case Rule.HOLD_MIN_OFF: return `${compressor}minimum off ${duration(a)}${c ? " since boot" : ""}, ${s(b)} left`;
	case Rule.HOLD_MIN_IDLE: return `minimum idle ${duration(a)}, ${s(b)} left`;
	case Rule.HOLD_CHANGEOVER: return `changeover dead time ${duration(a)} after ${c ? "heating" : "cooling"}, ${s(b)} left`;
	case Rule.HOLD_INTERLOCK: return "heating and cooling never together";
	case Rule.MAX_RUN: return `maximum continuous run ${duration(a)} reached`;
	case Rule.HOLD_STAGE1: return "stage 2 runs only with stage 1";
	case Rule.HOLD_WITH_STAGE2: return `stage 2 minimum run ${duration(a)}, ${s(b)} left`;
	case Rule.HOLD_VALVE: return "reversing valve not yet in position";
	case Rule.HOLD_VALVE_SWITCH: return `valve switches after the compressor rests ${duration(a)}, ${s(b)} left`;
	default: return "no decision yet";
	}
}
