/*
 * The controller core: pure and deterministic, no timers and no IO. step(now, inputs)
 * decides the four relays from the inputs and its own relay timing state, and reports the
 * changes in a safe order (everything that goes off, then the reversing valve, then what
 * goes on) with the reason of each. `now` is monotonic ms; the core is built at boot, and
 * every relay counts as having switched off then (the minimum off after boot).
 *
 *   temperature status -> decision (app/thermostat/decision) -> equipment protection
 *   (app/thermostat/safety) -> fan (app/thermostat/fan) -> protection for the fan -> commit
 *
 * Everything stays off until the first valid reading since boot. A control tick allocates
 * nothing; reason text is made only for a change (reason()) or a query (why()).
 */
import type { Tuning, Action } from "app/thermostat/config";
import { RELAY_COUNT, FAN, VALVE, relayNames, type RelayName } from "app/thermostat/relays";
import { Reason, Rule, describe } from "app/thermostat/reasons";
import { RelayState, Safety } from "app/thermostat/safety";
import { Decision, VALID, type ControlInputs } from "app/thermostat/decision";
import { Fan } from "app/thermostat/fan";

/** Order in which changes are reported (and must be applied): offs, then the valve, then ons. */
const OFF_ORDER = Object.freeze([1, 0, 2, 3]);

export type TemperatureFault = "" | "missing" | "stale" | "implausible";

export class ThermostatCore {
	readonly tuning: Tuning;
	readonly names: readonly RelayName[];
	/** Indices of the relays that changed at the last step, in the order to apply them. */
	readonly changes = new Uint8Array(RELAY_COUNT);
	changeCount = 0;
	readonly #state: RelayState;
	readonly #safety: Safety;
	readonly #decision: Decision;
	readonly #fan: Fan;
	readonly #next = new Uint8Array(RELAY_COUNT);
	readonly #holds: Reason[] = [new Reason(), new Reason(), new Reason(), new Reason()];
	/** The valve's index (heat pump), or -1. */
	readonly #valve: number;
	/** The reason of each relay's last change. */
	readonly #causes: Reason[] = [new Reason(), new Reason(), new Reason(), new Reason()];
	#started = false;
	#status: number = Rule.FAULT_MISSING;
	#statusA = 0;
	#statusB = 0;
	#statusC = 0;
	#mode: ControlInputs["mode"] = "off";
	#external = false;
	#lastStep: number;

	constructor(tuning: Tuning, bootAt: number) {
		this.tuning = tuning;
		this.names = relayNames(tuning.system);
		this.#valve = tuning.system === "heat_pump" ? VALVE : -1;
		this.#state = new RelayState(tuning, bootAt);
		this.#safety = new Safety(tuning, this.#state);
		this.#decision = new Decision(tuning);
		this.#fan = new Fan(tuning, bootAt);
		this.#lastStep = bootAt;
		for (let i = 0; i < RELAY_COUNT; i++) this.#causes[i].set(Rule.BOOT);
	}

	/** One control decision; returns the number of relays that changed (see `changes`). */
	step(now: number, inputs: ControlInputs): number {
		if (!(now >= this.#lastStep)) throw new RangeError("thermostat: time went backwards");
		this.#lastStep = now;
		this.#mode = inputs.mode;
		this.#external = inputs.fault;
		this.#temperature(now, inputs);
		if (this.#status === VALID) this.#started = true;
		const state = this.#state, next = this.#next, decision = this.#decision;
		decision.decide(now, inputs, state, this.#status, this.#statusA, this.#statusB, this.#statusC, this.#started);
		this.#safety.equipment(now, decision.want, decision.urgent, decision.direction, next, this.#holds);
		const fanWants = this.#fan.decide(now, inputs, this.#started, state.on[FAN] === 1, state.onAt[FAN], state.heating(next), state.cooling(next), decision.why[FAN]);
		this.#safety.fan(now, fanWants, next, this.#holds[FAN]);

		const on = state.on;
		if (next[0] === on[0] && next[1] === on[1] && next[2] === on[2] && next[3] === on[3]) {
			this.changeCount = 0;
			return 0;
		}
		let count = 0;
		const valve = this.#valve;
		for (let k = 0; k < RELAY_COUNT; k++) {
			const i = OFF_ORDER[k];
			if (on[i] && !next[i] && i !== valve) this.changes[count++] = i;
		}
		if (valve >= 0 && on[valve] !== next[valve]) this.changes[count++] = valve;
		for (let i = 0; i < RELAY_COUNT; i++) if (!on[i] && next[i] && i !== valve) this.changes[count++] = i;
		for (let k = 0; k < count; k++) {
			const i = this.changes[k];
			this.#causes[i].copy(this.#safety.forced(i) ?? decision.why[i]);
		}
		if (on[FAN] && !next[FAN]) this.#fan.stopped(now, state.onAt[FAN]);
		state.commit(now, next);
		this.changeCount = count;
		return count;
	}

	isOn(relay: number): boolean {
		return this.#state.on[relay] === 1;
	}

	/** "heat on: 19.4 °C ≤ 20.0 °C set point - 0.5 °C deadband": the reason of the relay's last change. */
	reason(relay: number): string {
		return `${this.names[relay]} ${this.#state.on[relay] ? "on" : "off"}: ${describe(this.#causes[relay], this.tuning, relay)}`;
	}

	/** Why each relay is as it is now, holds included (allocates: a query, not the control tick). */
	why(): string {
		const parts: string[] = [];
		for (let i = 0; i < RELAY_COUNT; i++) {
			if (!this.tuning.present[i]) continue;
			const on = this.#state.on[i] === 1;
			const hold = this.#holds[i];
			const wants = this.#decision.why[i];
			if (hold.code !== Rule.NONE)
				parts.push(`${this.names[i]} held ${on ? "on" : "off"}: ${describe(hold, this.tuning, i)} (otherwise ${on ? "off" : "on"}: ${describe(wants, this.tuning, i)})`);
			else parts.push(`${this.names[i]} ${on ? "on" : "off"}: ${describe(this.#decision.want[i] === (on ? 1 : 0) ? wants : this.#causes[i], this.tuning, i)}`);
		}
		return parts.join("; ");
	}

	/** Home Assistant hvac_action. */
	get action(): Action {
		const state = this.#state;
		if (state.isHeating) return "heating";
		if (state.isCooling) return "cooling";
		if (this.#mode === "off") return "off";
		if (this.#mode === "fan_only" && state.on[FAN]) return "fan";
		return "idle";
	}

	get started(): boolean {
		return this.#started;
	}

	/** The temperature fault now ("" when the reading is valid; a missing reading counts once staleAfterMs have passed since boot). */
	get fault(): TemperatureFault {
		switch (this.#status) {
		case VALID: return "";
		case Rule.FAULT_STALE: return "stale";
		case Rule.FAULT_IMPLAUSIBLE: return "implausible";
		default: return this.#started || this.#lastStep - this.#state.bootAt > this.tuning.staleAfterMs ? "missing" : "";
		}
	}

	/** An equipment fault was reported by the last inputs. */
	get equipmentFault(): boolean {
		return this.#external;
	}

	#temperature(now: number, inputs: ControlInputs): void {
		const t = this.tuning, T = inputs.temperature, age = now - inputs.temperatureAt;
		if (T !== T || !(age >= 0)) this.#status = Rule.FAULT_MISSING; // no reading, or a time that makes no sense
		else if (T < t.plausibleMin || T > t.plausibleMax || !Number.isFinite(T)) {
			this.#status = Rule.FAULT_IMPLAUSIBLE;
			this.#statusA = T;
			this.#statusB = t.plausibleMin;
			this.#statusC = t.plausibleMax;
		} else if (age > t.staleAfterMs || inputs.temperatureAt < this.#state.bootAt) {
			this.#status = age > t.staleAfterMs ? Rule.FAULT_STALE : Rule.FAULT_MISSING;
			this.#statusA = age;
			this.#statusB = t.staleAfterMs;
		} else this.#status = VALID;
	}
}

Object.freeze(ThermostatCore.prototype);
