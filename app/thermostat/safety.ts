/*
 * Equipment protection: turns the decision's wishes into relay states no equipment can be
 * hurt by. Rules, in order of precedence (defaults and sources in app/thermostat/config):
 *
 *   1. Maximum continuous run per relay: a relay on for maxRun is switched off (watchdog).
 *   2. Fail-safe: when the decision marks a relay urgent (temperature stale, implausible or
 *      missing; equipment fault) it goes off now, minimum run or not.
 *   3. Minimum run: otherwise a relay stays on until it has run minRun.
 *   4. Minimum off: a relay stays off until it has been off minOff. At construction every
 *      relay counts as switched off at boot: after a reboot or power cut the device cannot
 *      know how long it was off, so it waits the full minimum off (ESPHome's startup_delay,
 *      on by default here, peer-defaults §11).
 *   5. Heating and cooling never together, and never straight from one to the other: a
 *      heating relay starts only with no cooling on and the changeover dead time passed since
 *      cooling ended (and the other way round), so every change goes through idle.
 *   6. Minimum idle: from idle (nothing heating or cooling) the next start waits minIdle.
 *   7. Stage 2 (heat2) runs only with stage 1 (heat); stage 1 stays on while stage 2 finishes
 *      its minimum run, unless stage 1 is forced off (rules 1-2), which takes stage 2 with it.
 *   8. Heat pump: the compressor starts only with the reversing valve already in position (set
 *      at an earlier tick); the valve moves only after the compressor has rested the
 *      changeover dead time, so the valve never switches under pressure.
 *   9. A final interlock: should heating and cooling still end up together, whatever started
 *      this tick stays off.
 *
 * Holds are recorded as reasons (for why()), never as changes. Nothing here allocates.
 */
import type { Tuning } from "app/thermostat/config";
import { RELAY_COUNT, HEAT, HEAT2, COOL, FAN, COMPRESSOR, AUX, VALVE, isConditioning } from "app/thermostat/relays";
import { Reason, Rule } from "app/thermostat/reasons";

/** Direction of a heat pump demand: which way the valve must point. */
export const Direction = Object.freeze({ KEEP: 0, HEAT: 1, COOL: 2 });

export class RelayState {
	readonly on = new Uint8Array(RELAY_COUNT);
	readonly onAt = new Float64Array(RELAY_COUNT);
	readonly offAt = new Float64Array(RELAY_COUNT);
	readonly bootAt: number;
	/** When heating / cooling / any conditioning last ended (boot counts as an end). */
	heatingEndAt: number;
	coolingEndAt: number;
	idleSince: number;
	/** Heating / cooling now (kept by commit()). */
	isHeating = false;
	isCooling = false;
	readonly #heatPump: boolean;
	readonly #valveOnHeats: boolean;

	constructor(tuning: Tuning, bootAt: number) {
		this.#heatPump = tuning.system === "heat_pump";
		this.#valveOnHeats = tuning.valveEnergisedFor === "heat";
		this.bootAt = bootAt;
		this.offAt.fill(bootAt);
		this.onAt.fill(-Infinity);
		this.heatingEndAt = this.coolingEndAt = this.idleSince = bootAt;
	}

	/** The valve is in its heating position (heat pump). */
	valveHeats(on: ArrayLike<number>): boolean {
		return (on[VALVE] === 1) === this.#valveOnHeats;
	}

	/** Whether relay states `on` heat. */
	heating(on: ArrayLike<number>): boolean {
		if (this.#heatPump) return on[AUX] === 1 || (on[COMPRESSOR] === 1 && (on[VALVE] === 1) === this.#valveOnHeats);
		return on[HEAT] === 1 || on[HEAT2] === 1;
	}

	/** Whether relay states `on` cool. */
	cooling(on: ArrayLike<number>): boolean {
		if (this.#heatPump) return on[COMPRESSOR] === 1 && (on[VALVE] === 1) !== this.#valveOnHeats;
		return on[COOL] === 1;
	}

	/** Records the new states; allocates nothing. */
	commit(now: number, next: ArrayLike<number>): void {
		const on = this.on;
		if (next[0] === on[0] && next[1] === on[1] && next[2] === on[2] && next[3] === on[3]) return;
		const wasHeating = this.isHeating, wasCooling = this.isCooling;
		for (let i = 0; i < RELAY_COUNT; i++) {
			if (next[i] === on[i]) continue;
			if (next[i]) this.onAt[i] = now;
			else this.offAt[i] = now;
			on[i] = next[i];
		}
		const heating = this.isHeating = this.heating(on), cooling = this.isCooling = this.cooling(on);
		if (wasHeating && !heating) this.heatingEndAt = now;
		if (wasCooling && !cooling) this.coolingEndAt = now;
		if ((wasHeating || wasCooling) && !heating && !cooling) this.idleSince = now;
	}
}

Object.freeze(RelayState.prototype);

export class Safety {
	readonly #tuning: Tuning;
	readonly #state: RelayState;
	/** Why a relay that changes this tick changes when the decision is not the cause (max run, stage 1 forced off). */
	readonly #forced: Reason[] = [new Reason(), new Reason(), new Reason(), new Reason()];
	readonly #isForced = new Uint8Array(RELAY_COUNT);

	constructor(tuning: Tuning, state: RelayState) {
		this.#tuning = tuning;
		this.#state = state;
	}

	/** The cause recorded for a forced change of relay i this tick, or undefined (the decision's reason applies). */
	forced(i: number): Reason | undefined {
		return this.#isForced[i] ? this.#forced[i] : undefined;
	}

	/**
	 * Relays 0..2 (everything but the fan): fills `next` from `want`, recording holds.
	 * `direction` is the heat pump's demanded valve direction.
	 */
	equipment(now: number, want: Uint8Array, urgent: Uint8Array, direction: number, next: Uint8Array, holds: Reason[]): void {
		const t = this.#tuning, state = this.#state;
		const heatPump = t.system === "heat_pump";
		this.#isForced.fill(0);
		for (let i = 0; i < RELAY_COUNT; i++) holds[i].code = Rule.NONE;
		next[FAN] = state.on[FAN];

		if (heatPump) {
			next[COMPRESSOR] = this.#relay(now, COMPRESSOR, want[COMPRESSOR] === 1, urgent[COMPRESSOR] === 1, holds[COMPRESSOR]);
			if (next[COMPRESSOR] && !state.on[COMPRESSOR]) {
				const heats = direction === Direction.HEAT;
				if (direction === Direction.KEEP || heats !== state.valveHeats(state.on)) {
					next[COMPRESSOR] = 0;
					holds[COMPRESSOR].set(Rule.HOLD_VALVE);
				} else if (!this.#mayStart(now, heats, holds[COMPRESSOR])) next[COMPRESSOR] = 0;
			}
			next[AUX] = this.#relay(now, AUX, want[AUX] === 1, urgent[AUX] === 1, holds[AUX]);
			if (next[AUX] && !state.on[AUX] && !this.#mayStart(now, true, holds[AUX])) next[AUX] = 0;
			next[VALVE] = state.on[VALVE];
			if (want[VALVE] !== state.on[VALVE]) {
				const rested = now - state.offAt[COMPRESSOR];
				if (state.on[COMPRESSOR] || next[COMPRESSOR]) holds[VALVE].set(Rule.HOLD_VALVE_SWITCH, t.changeoverMs, t.changeoverMs);
				else if (rested < t.changeoverMs) holds[VALVE].set(Rule.HOLD_VALVE_SWITCH, t.changeoverMs, t.changeoverMs - rested);
				else next[VALVE] = this.#relay(now, VALVE, want[VALVE] === 1, false, holds[VALVE]);
			}
		} else {
			next[HEAT] = this.#relay(now, HEAT, want[HEAT] === 1, urgent[HEAT] === 1, holds[HEAT]);
			if (next[HEAT] && !state.on[HEAT] && !this.#mayStart(now, true, holds[HEAT])) next[HEAT] = 0;
			next[HEAT2] = this.#relay(now, HEAT2, want[HEAT2] === 1, urgent[HEAT2] === 1, holds[HEAT2]);
			if (next[HEAT2] && !state.on[HEAT2] && !next[HEAT]) {
				next[HEAT2] = 0;
				holds[HEAT2].set(Rule.HOLD_STAGE1);
			} else if (next[HEAT2] && !state.on[HEAT2] && !state.on[HEAT] && !this.#mayStart(now, true, holds[HEAT2])) next[HEAT2] = 0;
			if (next[HEAT2] && !next[HEAT]) {
				// stage 2 still on (its minimum run) while stage 1 goes off
				if (this.#isForced[HEAT] || urgent[HEAT]) {
					next[HEAT2] = 0;
					this.#force(HEAT2, this.#isForced[HEAT] ? this.#forced[HEAT] : undefined);
				} else {
					next[HEAT] = 1;
					const left = t.minRunMs[HEAT2] - (now - state.onAt[HEAT2]);
					holds[HEAT].set(Rule.HOLD_WITH_STAGE2, t.minRunMs[HEAT2], left > 0 ? left : 0);
				}
			}
			next[COOL] = this.#relay(now, COOL, want[COOL] === 1, urgent[COOL] === 1, holds[COOL]);
			if (next[COOL] && !state.on[COOL] && !this.#mayStart(now, false, holds[COOL])) next[COOL] = 0;
		}
		if (next[0] + next[1] + next[2] > 1) this.#interlock(next, holds); // one relay alone cannot conflict
	}

	/** The fan, after the equipment (its decision depends on what heats or cools). */
	fan(now: number, want: boolean, next: Uint8Array, hold: Reason): void {
		hold.code = Rule.NONE;
		next[FAN] = this.#relay(now, FAN, want, false, hold);
	}

	/** Rules 1-4 for one relay; returns the next state (0/1). */
	#relay(now: number, i: number, want: boolean, urgent: boolean, hold: Reason): number {
		const state = this.#state;
		if (!want && !state.on[i]) return 0; // the common case, first
		const t = this.#tuning;
		if (!t.present[i]) return 0;
		if (state.on[i]) {
			const ran = now - state.onAt[i];
			if (ran >= t.maxRunMs[i]) {
				this.#force(i, undefined).set(Rule.MAX_RUN, t.maxRunMs[i]);
				return 0;
			}
			if (want) return 1;
			if (urgent) return 0;
			if (ran < t.minRunMs[i]) {
				hold.set(Rule.HOLD_MIN_RUN, t.minRunMs[i], t.minRunMs[i] - ran);
				return 1;
			}
			return 0;
		}
		const off = now - state.offAt[i];
		if (off < t.minOffMs[i]) {
			hold.set(Rule.HOLD_MIN_OFF, t.minOffMs[i], t.minOffMs[i] - off, state.offAt[i] === state.bootAt ? 1 : 0);
			return 0;
		}
		return 1;
	}

	/** Rules 5-6 for a conditioning relay about to start heating (heats) or cooling. */
	#mayStart(now: number, heats: boolean, hold: Reason): boolean {
		const t = this.#tuning, state = this.#state;
		const opposite = heats ? state.isCooling : state.isHeating; // on now: it ends this tick at the earliest
		const since = opposite ? 0 : now - (heats ? state.coolingEndAt : state.heatingEndAt);
		if (since < t.changeoverMs) {
			hold.set(Rule.HOLD_CHANGEOVER, t.changeoverMs, t.changeoverMs - since, heats ? 0 : 1);
			return false;
		}
		if (opposite) {
			hold.set(Rule.HOLD_INTERLOCK);
			return false;
		}
		if (!state.isHeating && !state.isCooling) {
			const idle = now - state.idleSince;
			if (idle < t.minIdleMs) {
				hold.set(Rule.HOLD_MIN_IDLE, t.minIdleMs, t.minIdleMs - idle);
				return false;
			}
		}
		return true;
	}

	/** Rule 9: never heating and cooling together, whatever the rules above decided. */
	#interlock(next: Uint8Array, holds: Reason[]): void {
		const state = this.#state;
		if (!state.heating(next) || !state.cooling(next)) return;
		for (let i = 0; i < RELAY_COUNT; i++) {
			if (next[i] && !state.on[i] && isConditioning(this.#tuning.system, i)) {
				next[i] = 0;
				holds[i].set(Rule.HOLD_INTERLOCK);
			}
		}
		if (state.heating(next) && state.cooling(next)) // cannot happen from a safe state; stop everything
			for (let i = 0; i < RELAY_COUNT; i++) if (i !== FAN && i !== (this.#tuning.system === "heat_pump" ? VALVE : -1)) next[i] = 0;
	}

	#force(i: number, from: Reason | undefined): Reason {
		this.#isForced[i] = 1;
		if (from) this.#forced[i].copy(from);
		return this.#forced[i];
	}
}

Object.freeze(Safety.prototype);
