/*
 * Smart recovery (ecobee's name; Nest's "Early-On", peer-defaults §1.3): when the next schedule
 * entry asks for more (a higher heat set point, a lower cool set point), start early so the room
 * reaches it at the entry's time, not after. It wraps the ScheduleRunner as the thermostat's
 * SetpointProvider: until the start it supplies the schedule's set points, from the start to the
 * entry's time the next entry's.
 *
 * The start: every tick, with the indoor and outdoor temperatures now, the learned model
 * (app/thermostat/learning) gives the hours to the next set point in the heating (or cooling)
 * state; times a correction factor, plus `aimEarlyMs`, that is the lead. The recovery starts
 * once the time to the entry is at most the lead, so it never starts earlier than the model
 * says is needed; the lead is capped at `maxLeadMs` (3 h); no recovery without a learned model.
 * Once started it runs until the entry's time (no flapping), unless the schedule changes, the
 * mode no longer heats (cools), or the time becomes unknown.
 *
 * The correction factor: the one-mass model misses what the two-mass house does during a long
 * run (the structure absorbs heat, the rate falls), the equipment's warm-up and the controller's
 * minimum-off delay. After each recovery the observed duration over the predicted one (at the
 * start) updates the factor, an exponentially weighted mean (weight `factorGain`, bounded to
 * `factorMin` … `factorMax`); it is persisted with the model (toJSON / restore).
 *
 * The per-tick path allocates nothing; changes call `onChange` with a reused record.
 */
import type { WallClock } from "app/thermostat/clock";
import type { ScheduleRunner, SetpointProvider, SetpointTarget } from "app/thermostat/schedule";
import { ThermalState, type ThermalModel } from "app/thermostat/learning";

/** The thermostat's modes (app/thermostat/config Mode). */
export type Mode = "off" | "heat" | "cool" | "heat_cool" | "fan_only";

export interface RecoveryOptions {
	/** The longest lead, ms (ecobee caps smart recovery; ours: 3 h, the brief's cap and within the 4 h max run). */
	readonly maxLeadMs?: number;
	/** Aim to reach the set point this much before the entry's time, ms (5 min: the middle of −20 … +10 min). */
	readonly aimEarlyMs?: number;
	/** Only a step of at least this much (°C) is recovered (smaller ones are within the deadband). */
	readonly minStep?: number;
	readonly factorGain?: number;
	readonly factorMin?: number;
	readonly factorMax?: number;
	/** A recovery that has not reached its target this long after the entry's time is given up as missed, ms. */
	readonly missAfterMs?: number;
	/**
	 * The controller's second stage / aux heat during a recovery, as its tuning says (stage2DelayMs,
	 * stage2Delta): the prediction heats with the learned HEAT2 rates once it would be on. Default
	 * Infinity: stage 1 only (the correction factor then absorbs what stage 2 adds).
	 */
	readonly stage2AfterMs?: number;
	readonly stage2Delta?: number;
}

export const RECOVERY_DEFAULTS = Object.freeze({
	maxLeadMs: 3 * 3_600_000,
	aimEarlyMs: 5 * 60_000,
	minStep: 0.5,
	/** 0.3: three mornings carry most of the correction; one odd morning moves it by a third. */
	factorGain: 0.3,
	factorMin: 0.5,
	factorMax: 3,
	missAfterMs: 2 * 3_600_000,
	stage2AfterMs: Infinity,
	stage2Delta: Infinity,
});

export type RecoveryEvent = "start" | "reached" | "missed" | "cancel";

/** What onChange sees (one reused record; epoch ms, °C, ms). */
export interface RecoveryChange {
	event: RecoveryEvent;
	direction: "heat" | "cool";
	target: number;
	/** The entry's time, when the recovery started, when the target was reached (NaN until then). */
	scheduledAt: number;
	startedAt: number;
	reachedAt: number;
	/** The lead at the start (ms, factor included) and the model's own prediction (ms). */
	leadMs: number;
	predictedMs: number;
	/** reachedAt − scheduledAt (negative: early), ms; NaN until reached. */
	lateMs: number;
	factor: number;
}

export interface RecoveryData {
	readonly v: 1;
	readonly heat: number;
	readonly cool: number;
}

const HEAT = 0, COOL = 1;

export class SmartRecovery implements SetpointProvider {
	readonly options: Readonly<Required<RecoveryOptions>>;
	readonly #runner: ScheduleRunner;
	readonly #model: ThermalModel;
	readonly #clock: WallClock;
	readonly #onChange: ((change: RecoveryChange) => void) | undefined;
	readonly #change: RecoveryChange = {
		event: "start", direction: "heat", target: NaN, scheduledAt: NaN, startedAt: NaN, reachedAt: NaN,
		leadMs: NaN, predictedMs: NaN, lateMs: NaN, factor: 1,
	};
	readonly #next: SetpointTarget = { heat: NaN, cool: NaN };
	/** Correction factors, heat and cool. */
	readonly #factor = new Float64Array([1, 1]);
	/* conditions, from the integrator before each tick */
	#indoor = NaN;
	#outdoor = NaN;
	#mode: Mode = "off";
	/* the recovery in progress (or being watched until its target is reached) */
	#active = false;
	#watching = false;
	#direction = HEAT;
	#target = NaN;
	#scheduledAt = NaN;
	#startedAt = NaN;
	#leadMs = NaN;
	#predictedMs = NaN;
	/** The next start the model foresees (epoch ms), for status and tests. */
	#plannedAt = NaN;

	constructor(runner: ScheduleRunner, model: ThermalModel, clock: WallClock, options: RecoveryOptions = {}, onChange?: (change: RecoveryChange) => void) {
		const o = { ...RECOVERY_DEFAULTS, ...options };
		if (!(o.maxLeadMs >= 0 && Number.isFinite(o.maxLeadMs))) throw new RangeError("recovery: maxLeadMs");
		if (!Number.isFinite(o.aimEarlyMs)) throw new RangeError("recovery: aimEarlyMs");
		if (!(o.minStep >= 0)) throw new RangeError("recovery: minStep");
		if (!(o.factorGain > 0 && o.factorGain <= 1)) throw new RangeError("recovery: factorGain");
		if (!(o.factorMin > 0 && o.factorMax >= o.factorMin && Number.isFinite(o.factorMax))) throw new RangeError("recovery: factor bounds");
		if (!(o.missAfterMs > 0)) throw new RangeError("recovery: missAfterMs");
		if (!(o.stage2AfterMs >= 0) || !(o.stage2Delta >= 0)) throw new RangeError("recovery: stage 2");
		this.options = Object.freeze(o);
		this.#runner = runner;
		this.#model = model;
		this.#clock = clock;
		this.#onChange = onChange;
	}

	/** The conditions now (call before each tick): indoor °C (NaN: none), outdoor °C (NaN: unknown), the mode. */
	conditions(indoor: number, outdoor: number, mode: Mode): void {
		this.#indoor = indoor;
		this.#outdoor = outdoor;
		this.#mode = mode;
	}

	/** A recovery is running: the next entry's set points are in force. */
	get active(): boolean {
		return this.#active;
	}

	/** Epoch ms at which the next recovery would start under the conditions of the last tick (NaN: none planned). */
	get plannedAt(): number {
		return this.#plannedAt;
	}

	/** The correction factor of a direction ("heat" / "cool"). */
	factor(direction: "heat" | "cool"): number {
		return this.#factor[direction === "cool" ? COOL : HEAT];
	}

	/**
	 * Time-to-temperature, ms: how long the room takes from `indoor` to `target` heating (target
	 * above) or cooling (below), with the learned model and the correction factor; 0 when there,
	 * Infinity when it cannot get there, NaN until learned.
	 */
	timeToTemperature(indoor: number, target: number, outdoor: number): number {
		const direction = target >= indoor ? HEAT : COOL;
		return this.#hoursTo(direction, indoor, target, outdoor) * 3_600_000 * this.#factor[direction];
	}

	/** SetpointProvider: the schedule's set points, or the next entry's during a recovery. */
	setpoints(now: number, into: SetpointTarget): boolean {
		const scheduled = this.#runner.setpoints(now, into);
		this.#tick(scheduled, into);
		if (this.#active) {
			into.heat = this.#next.heat;
			into.cool = this.#next.cool;
			return true;
		}
		return scheduled;
	}

	toJSON(): RecoveryData {
		return { v: 1, heat: Math.round(this.#factor[HEAT] * 1e4) / 1e4, cool: Math.round(this.#factor[COOL] * 1e4) / 1e4 };
	}

	restore(input: unknown): void {
		const d = (typeof input === "string" ? safeParse(input) : input) as RecoveryData;
		const o = this.options;
		const good = (f: unknown): boolean => typeof f === "number" && f >= o.factorMin && f <= o.factorMax;
		if (typeof d !== "object" || d === null || d.v !== 1 || !good(d.heat) || !good(d.cool)) throw new RangeError("recovery: not recovery data (v 1, factors in bounds)");
		this.#factor[HEAT] = d.heat;
		this.#factor[COOL] = d.cool;
	}

	#tick(scheduled: boolean, current: SetpointTarget): void {
		const wall = this.#clock.now();
		this.#plannedAt = NaN;
		if (this.#watching) this.#watch(wall);
		const runner = this.#runner;
		if (this.#active) {
			if (runner.status !== "active" || !this.#modeAllows(this.#direction)) this.#cancel(); // hold, time unknown, mode
			else if (wall >= this.#scheduledAt) this.#active = false; // the entry's time: the schedule supplies these set points now
			else if (runner.nextAt !== this.#scheduledAt) this.#cancel(); // the schedule changed
			else return;
		}
		if (!scheduled || runner.status !== "active" || this.#indoor !== this.#indoor) return;
		const at = runner.next(this.#next);
		if (at !== at) return;
		const next = this.#next, indoor = this.#indoor, step = this.options.minStep;
		let direction = -1;
		if (this.#modeAllows(HEAT) && next.heat - current.heat >= step && indoor < next.heat) direction = HEAT;
		else if (this.#modeAllows(COOL) && current.cool - next.cool >= step && indoor > next.cool) direction = COOL;
		if (direction < 0) return;
		const target = direction === HEAT ? next.heat : next.cool;
		const hours = this.#hoursTo(direction, indoor, target, this.#outdoor);
		if (hours !== hours) return; // not learned yet: no early start
		const o = this.options;
		const predicted = hours * 3_600_000;
		const lead = Math.min(o.maxLeadMs, predicted * this.#factor[direction] + o.aimEarlyMs);
		this.#plannedAt = at - lead;
		if (wall < at - lead) return;
		if (wall >= at) return;
		this.#start(wall, direction, target, at, lead, predicted);
	}

	#hoursTo(direction: number, indoor: number, target: number, outdoor: number): number {
		const model = this.#model, o = this.options;
		if (direction === COOL) return model.hoursTo(ThermalState.COOL, indoor, target, outdoor);
		return model.hoursTo(ThermalState.HEAT, indoor, target, outdoor, model.structure, ThermalState.HEAT2, o.stage2AfterMs / 3_600_000, o.stage2Delta);
	}

	#modeAllows(direction: number): boolean {
		const mode = this.#mode;
		return mode === "heat_cool" || (direction === HEAT ? mode === "heat" : mode === "cool");
	}

	#start(wall: number, direction: number, target: number, at: number, lead: number, predicted: number): void {
		this.#active = true;
		this.#watching = true;
		this.#direction = direction;
		this.#target = target;
		this.#scheduledAt = at;
		this.#startedAt = wall;
		this.#leadMs = lead;
		this.#predictedMs = predicted;
		this.#emit("start", NaN);
	}

	/** Until the target is reached (or missed), then the factor learns from the duration. */
	#watch(wall: number): void {
		const indoor = this.#indoor;
		const reached = indoor === indoor && (this.#direction === HEAT ? indoor >= this.#target : indoor <= this.#target);
		if (reached) {
			this.#watching = false;
			this.#learn(wall - this.#startedAt);
			this.#emit("reached", wall);
		} else if (wall >= this.#scheduledAt + this.options.missAfterMs) {
			this.#watching = false;
			this.#learn(wall - this.#startedAt); // at least this long: the factor grows
			this.#emit("missed", NaN);
		}
	}

	#learn(durationMs: number): void {
		const predicted = this.#predictedMs;
		// a near-zero prediction says nothing about the ratio, an infinite one (the model saw no way there) neither
		if (!(predicted > 60_000 && predicted < Infinity)) return;
		const o = this.options, d = this.#direction;
		const ratio = durationMs / predicted;
		const next = this.#factor[d] + o.factorGain * (ratio - this.#factor[d]);
		this.#factor[d] = Math.min(o.factorMax, Math.max(o.factorMin, next));
	}

	#cancel(): void {
		this.#active = false;
		this.#watching = false;
		this.#emit("cancel", NaN);
	}

	#emit(event: RecoveryEvent, reachedAt: number): void {
		if (!this.#onChange) return;
		const c = this.#change;
		c.event = event;
		c.direction = this.#direction === HEAT ? "heat" : "cool";
		c.target = this.#target;
		c.scheduledAt = this.#scheduledAt;
		c.startedAt = this.#startedAt;
		c.reachedAt = reachedAt;
		c.leadMs = this.#leadMs;
		c.predictedMs = this.#predictedMs;
		c.lateMs = reachedAt === reachedAt ? reachedAt - this.#scheduledAt : NaN;
		c.factor = this.#factor[this.#direction];
		this.#onChange(c);
	}
}

function safeParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

Object.freeze(SmartRecovery.prototype);
