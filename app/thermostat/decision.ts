/*
 * The decision: from the temperature, the mode and the set points, which equipment should
 * run (before equipment protection, app/thermostat/safety, has its say).
 *
 * Hysteresis, ESPHome semantics (thermostat_climate.cpp heating_required_/cooling_required_,
 * docs "Controller Behavior and Hysteresis"): heating starts when the temperature reaches
 * set point - heat_deadband or below, and once heating, continues until it reaches set point +
 * heat_overrun; cooling mirrors it (starts at set point + cool_deadband, stops at set point -
 * cool_overrun). Between the two thresholds the current action continues. heat_cool uses the
 * heat set point for heating and the cool one for cooling; if both were required, neither
 * runs (ESPHome: "this is bad and should never happen, so just stop").
 *
 * Stage 2 (conventional W2) and aux heat (heat pump) follow ESPHome's supplemental heating:
 * on when stage 1 has run stage2DelayMs or the temperature is stage2Delta or more below the
 * set point, and then on until heating ends. Aux heat is locked out above auxMaxOutdoor; the
 * compressor does not heat below compressorMinOutdoor (aux heats alone) nor cool below
 * coolMinOutdoor. An unknown outdoor temperature locks nothing out.
 *
 * Fail-safe: without a valid temperature (missing, stale, implausible) or with an equipment
 * fault, heating and cooling are off and marked urgent (off now, minimum run or not). The
 * frost floor still heats when the mode does not (off, cool, fan_only) or on an equipment
 * fault, but only with a valid reading: on at the floor or below, off at floor + heat
 * deadband + heat overrun (as heating with the set point at floor + deadband).
 */
import type { Tuning, Mode, FanMode } from "app/thermostat/config";
import { MODES } from "app/thermostat/config";
import { HEAT, HEAT2, COOL, COMPRESSOR, AUX, VALVE } from "app/thermostat/relays";
import { Reason, Rule } from "app/thermostat/reasons";
import { type RelayState, Direction } from "app/thermostat/safety";

/** What step() is given each control tick (°C, monotonic ms). */
export interface ControlInputs {
	/** The room temperature, °C; NaN when there is no valid reading. */
	temperature: number;
	/** When that reading was sampled (monotonic ms); stale after staleAfterMs. */
	temperatureAt: number;
	/** Outdoor temperature, °C; NaN when unknown. */
	outdoor: number;
	mode: Mode;
	/** Active set points, °C. */
	heat: number;
	cool: number;
	fanMode: FanMode;
	circulateMinutes: number;
	/** An equipment fault from outside (relay read-back): heating and cooling off, frost floor still heats. */
	fault: boolean;
}

export function createInputs(): ControlInputs {
	return { temperature: NaN, temperatureAt: -Infinity, outdoor: NaN, mode: "off", heat: 20, cool: 24.5, fanMode: "auto", circulateMinutes: 0, fault: false };
}

/** Temperature status codes (Rule codes, so they double as reasons). */
export const VALID = Rule.NONE;

const EPSILON = 1e-9;

export class Decision {
	readonly want = new Uint8Array(4);
	readonly urgent = new Uint8Array(4);
	readonly why: Reason[] = [new Reason(), new Reason(), new Reason(), new Reason()];
	/** Heat pump: where the valve must point. */
	direction: number = Direction.KEEP;
	/** Set by decide(): heating / cooling demanded (the fan follows what actually runs). */
	readonly #heatWhy = new Reason();
	readonly #coolWhy = new Reason();
	readonly #tuning: Tuning;

	constructor(tuning: Tuning) {
		this.#tuning = tuning;
	}

	/**
	 * `status` is VALID or the fault rule of the temperature; `started` is false until the
	 * first valid reading since boot (everything stays off until then).
	 */
	decide(now: number, inputs: ControlInputs, state: RelayState, status: number, statusA: number, statusB: number, statusC: number, started: boolean): void {
		const t = this.#tuning, want = this.want, urgent = this.urgent, why = this.why;
		want.fill(0);
		urgent.fill(0);
		this.direction = Direction.KEEP;
		if (!started) {
			for (let i = 0; i < 4; i++) why[i].set(Rule.BOOT);
			return;
		}
		const T = inputs.temperature, mode = inputs.mode;
		const valid = status === VALID;
		const control = valid && !inputs.fault;
		const heats = mode === "heat" || mode === "heat_cool";
		const cools = mode === "cool" || mode === "heat_cool";
		const heatPump = t.system === "heat_pump";
		// conventional: the heat and cool relays' reasons are the demands' (no copies per tick)
		const heatWhy = heatPump ? this.#heatWhy : why[HEAT], coolWhy = heatPump ? this.#coolWhy : why[COOL];
		const heatingNow = state.isHeating, coolingNow = state.isCooling;
		let wantHeat = false, wantCool = false;

		if (!control) {
			if (valid) heatWhy.set(Rule.FAULT_EXTERNAL);
			else heatWhy.set(status, statusA, statusB, statusC);
			coolWhy.copy(heatWhy);
		} else {
			if (heats) wantHeat = heatingRequired(T, inputs.heat, t.heatDeadband, t.heatOverrun, heatingNow, heatWhy);
			else heatWhy.set(Rule.MODE, MODES.indexOf(mode));
			if (cools) wantCool = coolingRequired(T, inputs.cool, t.coolDeadband, t.coolOverrun, coolingNow, coolWhy);
			else coolWhy.set(Rule.MODE, MODES.indexOf(mode));
			if (wantHeat && wantCool) {
				wantHeat = wantCool = false;
				heatWhy.set(Rule.HOLD_INTERLOCK);
				coolWhy.set(Rule.HOLD_INTERLOCK);
			}
		}
		// frost floor: a valid reading, and nothing else heating or cooling
		let heatTarget = inputs.heat;
		if (valid && !wantHeat && !wantCool && (!heats || !control) && t.frostFloor === t.frostFloor) {
			const until = t.frostFloor + t.heatDeadband + t.heatOverrun;
			if (T <= t.frostFloor + EPSILON) {
				wantHeat = true;
				heatWhy.set(Rule.FROST_DEMAND, T, t.frostFloor);
			} else if (heatingNow && T < until - EPSILON) {
				wantHeat = true;
				heatWhy.set(Rule.FROST_CONTINUE, T, t.frostFloor, until);
			}
			heatTarget = t.frostFloor + t.heatDeadband;
		}
		const outdoor = inputs.outdoor;
		if (wantCool && outdoor < t.coolMinOutdoor) { // NaN compares false: unknown locks nothing out
			wantCool = false;
			coolWhy.set(Rule.LOCKOUT_COOL, outdoor, t.coolMinOutdoor);
		}
		const faultUrgent = control ? 0 : 1;

		if (heatPump) {
			const valveHeats = state.valveHeats(state.on);
			const compressorOn = state.on[COMPRESSOR] === 1;
			const compressorLocked = outdoor < t.compressorMinOutdoor;
			urgent[COMPRESSOR] = urgent[AUX] = faultUrgent;
			if (wantCool) {
				this.direction = Direction.COOL;
				// a compressor heating now stops first; the valve moves once it has rested
				want[COMPRESSOR] = compressorOn && valveHeats ? 0 : 1;
				why[COMPRESSOR].copy(compressorOn && valveHeats ? heatWhy : coolWhy);
				why[AUX].set(Rule.NO_HEATING);
			} else if (wantHeat) {
				this.direction = Direction.HEAT;
				if (compressorOn && !valveHeats) {
					want[COMPRESSOR] = 0;
					why[COMPRESSOR].copy(coolWhy);
				} else if (compressorLocked) why[COMPRESSOR].set(Rule.LOCKOUT_COMPRESSOR_HEAT, outdoor, t.compressorMinOutdoor);
				else {
					want[COMPRESSOR] = 1;
					why[COMPRESSOR].copy(heatWhy);
				}
				if (t.present[AUX]) {
					if (outdoor > t.auxMaxOutdoor) why[AUX].set(Rule.LOCKOUT_AUX, outdoor, t.auxMaxOutdoor);
					else if (compressorLocked) {
						want[AUX] = 1;
						why[AUX].set(Rule.AUX_ALONE, outdoor, t.compressorMinOutdoor);
					} else {
						const running = compressorOn && valveHeats;
						want[AUX] = this.#stage2(now, state, AUX, running ? now - state.onAt[COMPRESSOR] : 0, T, heatTarget, why[AUX]) ? 1 : 0;
					}
				}
			} else {
				why[COMPRESSOR].copy(valveHeats ? heatWhy : coolWhy);
				why[AUX].copy(heatWhy);
			}
			const energised = this.direction === Direction.KEEP ? state.on[VALVE] === 1
				: (this.direction === Direction.HEAT) === (t.valveEnergisedFor === "heat");
			want[VALVE] = energised ? 1 : 0;
			why[VALVE].set(this.direction === Direction.KEEP ? Rule.VALVE_KEEP : this.direction === Direction.HEAT ? Rule.VALVE_HEAT : Rule.VALVE_COOL);
		} else {
			urgent[HEAT] = urgent[HEAT2] = urgent[COOL] = faultUrgent;
			want[HEAT] = wantHeat ? 1 : 0;
			want[COOL] = wantCool ? 1 : 0;
			if (t.present[HEAT2]) {
				if (!wantHeat) why[HEAT2].copy(heatWhy);
				else {
					const ran = state.on[HEAT] ? now - state.onAt[HEAT] : 0;
					want[HEAT2] = this.#stage2(now, state, HEAT2, ran, T, heatTarget, why[HEAT2]) ? 1 : 0;
				}
			}
		}
	}

	/** ESPHome supplemental heating: after a run time or a temperature delta, then latched. */
	#stage2(_now: number, state: RelayState, index: number, ran: number, T: number, target: number, why: Reason): boolean {
		const t = this.#tuning;
		if (state.on[index]) {
			why.set(Rule.STAGE2_LATCHED);
			return true;
		}
		if (ran >= t.stage2DelayMs) {
			why.set(Rule.STAGE2_TIME, ran, t.stage2DelayMs);
			return true;
		}
		if (target - T >= t.stage2Delta - EPSILON) {
			why.set(Rule.STAGE2_DELTA, T, target, t.stage2Delta);
			return true;
		}
		why.set(Rule.STAGE2_NOT_NEEDED, ran, t.stage2DelayMs);
		return false;
	}
}

Object.freeze(Decision.prototype);

/** ESPHome heating_required_: on at set point - deadband or below; once on, until set point + overrun. */
export function heatingRequired(T: number, setpoint: number, deadband: number, overrun: number, heating: boolean, why: Reason): boolean {
	if (T <= setpoint - deadband + EPSILON) {
		why.set(Rule.HEAT_DEMAND, T, setpoint, deadband);
		return true;
	}
	if (T >= setpoint + overrun - EPSILON) {
		why.set(Rule.HEAT_SATISFIED, T, setpoint, overrun);
		return false;
	}
	if (heating) why.set(Rule.HEAT_CONTINUE, T, setpoint, overrun);
	else why.set(Rule.HEAT_IN_BAND, T, setpoint, deadband);
	return heating;
}

/** ESPHome cooling_required_: on at set point + deadband or above; once on, until set point - overrun. */
export function coolingRequired(T: number, setpoint: number, deadband: number, overrun: number, cooling: boolean, why: Reason): boolean {
	if (T >= setpoint + deadband - EPSILON) {
		why.set(Rule.COOL_DEMAND, T, setpoint, deadband);
		return true;
	}
	if (T <= setpoint - overrun + EPSILON) {
		why.set(Rule.COOL_SATISFIED, T, setpoint, overrun);
		return false;
	}
	if (cooling) why.set(Rule.COOL_CONTINUE, T, setpoint, overrun);
	else why.set(Rule.COOL_IN_BAND, T, setpoint, deadband);
	return cooling;
}
