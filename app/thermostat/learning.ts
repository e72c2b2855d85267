/*
 * The learned thermal model: from the device's own history (indoor readings, which equipment
 * ran, the outdoor temperature when known) it estimates, per state (drift with everything off,
 * heat, heat with stage 2 / aux, cool), the rate of change of the indoor temperature:
 *
 *     dT/dt = a + b · (Tout − T) + c · (L − T)        °C/h, one (a, b, c) per state
 *
 * T is the indoor reading, L a slow low-pass of it (time constant `structureHours`, 6 h), a
 * stand-in for the temperature of the house's structure: a house is at least two thermal
 * masses, and right after a set point change the air is pulled back by the walls and floors it
 * has not warmed yet (the simulated house, sim/world/house, is such a two-mass model). b is
 * the air's loss to outdoors over its heat capacity (1/h; for a heat pump it also carries the
 * capacity's fall with the outdoor temperature), c the air-structure coupling (1/h), a the
 * equipment's output plus the internal gains (°C/h). With everything at equilibrium (L = T) it
 * is the familiar first-order dT/dt = a + b (Tout − T).
 *
 * Observations. Readings arrive every 30-60 s and are too noisy to differentiate one by one
 * (0.02 °C of noise over 30 s is 2.4 °C/h). Each run of one state is cut into windows: the
 * first `settleMs` after a change of state are skipped (the sensor's housing lags the air,
 * the equipment ramps up), then a least-squares line through the readings of up to
 * `maxWindowMs` gives one observation: its slope (°C/h), the mean Tout − T and L − T, and a
 * weight, its length in hours. A window shorter than `minWindowMs` (a short cycle) is dropped,
 * and so is one broken by a gap in the readings.
 *
 * Estimation: exponentially weighted least squares per state, kept as sums (weight, first and
 * second moments of x = Tout − T, z = L − T and the rate), so the memory is fixed and an update
 * allocates nothing. Forgetting is by the state's own time: each observation of w hours
 * multiplies the old sums by exp(−w / memory), so a summer without heating does not erase the
 * heating model. A weak ridge prior pulls b and c towards the drift's (the drift towards
 * `priorLoss` and 0) when the data do not spread; with no spread at all the model is the mean
 * rate at the mean conditions. An observation without the outdoor temperature counts at the
 * state's mean x (it informs a and c, not b). Change detection (a window left open, a new
 * furnace): the residuals of new observations against the model are averaged over `biasHours`
 * of the state's time; when the average exceeds max(`changeMin`, `changeRel` × |predicted
 * rate|), the old sums are cut to `changeKeep` of their weight, so the model follows the new
 * house within hours.
 *
 * Time to temperature integrates the model (T and L together, 1 min steps, at most 24 h).
 *
 * Sources: exponentially weighted (recursive) least squares with a forgetting factor (Ljung,
 * System Identification, 2nd ed., §11.2); lumped-capacitance (RC) building models, here a
 * grey-box 2R2C with the structure node replaced by a low-pass of the air temperature (ISO
 * 13790's simple hourly method is the 5R1C relative). Defaults are ours, with the reasoning
 * next to each.
 */

/** Thermal states (what was running). OTHER (fan only, aux alone, defrost, unknown) is not learned. */
export const ThermalState = Object.freeze({ DRIFT: 0, HEAT: 1, HEAT2: 2, COOL: 3, OTHER: -1 });
export const STATE_COUNT = 4;
export const STATE_NAMES: readonly string[] = Object.freeze(["drift", "heat", "heat2", "cool"]);

/** The state from what runs: stage 2 / aux with stage 1 is HEAT2; the fan alone (its own heat) is OTHER. */
export function thermalState(heating: boolean, stage2: boolean, cooling: boolean, fan: boolean): number {
	if (heating && cooling) return ThermalState.OTHER;
	if (heating) return stage2 ? ThermalState.HEAT2 : ThermalState.HEAT;
	if (stage2) return ThermalState.OTHER;
	if (cooling) return ThermalState.COOL;
	return fan ? ThermalState.OTHER : ThermalState.DRIFT;
}

export interface LearningOptions {
	/** Forgetting time constant, hours of the state's own observations. */
	readonly memoryHours?: number;
	/** Time constant of L, the structure's stand-in, hours. */
	readonly structureHours?: number;
	/** Skipped after each change of state, ms. */
	readonly settleMs?: number;
	readonly minWindowMs?: number;
	readonly maxWindowMs?: number;
	/** A gap between readings longer than this ends a window, ms. */
	readonly gapMs?: number;
	/** Prior drift b (1/h) and the strength of the priors (a spread of x or z, K²). */
	readonly priorLoss?: number;
	readonly priorSpread?: number;
	/** Change detection: averaging time (h of the state), thresholds (°C/h, fraction), weight kept. */
	readonly biasHours?: number;
	readonly changeMin?: number;
	readonly changeRel?: number;
	readonly changeKeep?: number;
	/** Hours of observations before a state's rate is reported (NaN before). */
	readonly minHours?: number;
}

export const LEARNING_DEFAULTS = Object.freeze({
	/** 36 h of a state's own time: several days of heating in winter, smoothing daily weather; change detection handles steps. */
	memoryHours: 36,
	/**
	 * 6 h: the structure's time constant in a typical house (the simulated house's
	 * Cs / (Has + Hso) = 15 MJ/K / 660 W/K ≈ 6.3 h); a different house still gains from it,
	 * c absorbs part of the mismatch.
	 */
	structureHours: 6,
	/** 4 min: the housing's lag (the simulated SHT4x's is 2 min) has settled to e^-2 ≈ 14 % by then. */
	settleMs: 240_000,
	/** 4 min of line: a 10 min cycle (1 °C band at 6 °C/h) still gives an observation. */
	minWindowMs: 240_000,
	/** 30 min: long runs give several observations (the rate changes as the house warms). */
	maxWindowMs: 1_800_000,
	/** 5 min: readings come every 30-60 s; a longer gap is a stale sensor. */
	gapMs: 300_000,
	/** 0.1 /h: a 10 h time constant, a typical house; only matters without spread in Tout − T. */
	priorLoss: 0.1,
	/** (0.5 K)²: a prior weighs as much as data spread over ±0.5 K. */
	priorSpread: 0.25,
	/** 2 h of the state's time, a few windows, so one odd window (sun, a door) is not a change. */
	biasHours: 2,
	/** A change is a bias of 0.5 °C/h or 30 % of the rate, whichever is larger. */
	changeMin: 0.5,
	changeRel: 0.2,
	/** Keep 10 % of the old weight after a change (a few hours of new data outweigh it). */
	changeKeep: 0.1,
	/** 15 min of observations before a rate is trusted. */
	minHours: 0.25,
});

/**
 * The persisted model: per state [weight h, mean x, mean z, mean rate, var x, cov xz, var z,
 * cov x·rate, cov z·rate, bias] (x = Tout − T, z = L − T), and the changes detected per state.
 */
export interface ThermalModelData {
	readonly v: 2;
	readonly states: readonly (readonly number[])[];
	readonly changes: readonly number[];
}

/* per-state fields in #stats: weighted sums */
const W = 0, SX = 1, SZ = 2, SY = 3, SXX = 4, SXZ = 5, SZZ = 6, SXY = 7, SZY = 8, BIAS = 9, FIELDS = 10;
const SAVED = 10;
const MS_PER_HOUR = 3_600_000;
/** Time-to-temperature integration: 1 min steps, at most 24 h. */
const STEP_H = 1 / 60;
const HORIZON_STEPS = 24 * 60;

export class ThermalModel {
	readonly options: Readonly<Required<LearningOptions>>;
	readonly #stats = new Float64Array(STATE_COUNT * FIELDS);
	readonly #changes = new Uint32Array(STATE_COUNT);
	/** Observations taken, per state (since boot). */
	readonly observations = new Uint32Array(STATE_COUNT);
	/** L, the low-pass of the indoor temperature (NaN before the first reading). */
	#structure = NaN;
	#structureAt = NaN;
	/* the run of one state in progress */
	#state = ThermalState.OTHER;
	#runStart = -Infinity;
	#last = -Infinity;
	/* the window in progress: t in hours from its start */
	#start = NaN;
	#n = 0;
	#st = 0;
	#stt = 0;
	#sT = 0;
	#stT = 0;
	#sx = 0;
	#nx = 0;
	#sz = 0;
	/* scratch: coefficients of the last solve */
	#a = NaN;
	#b = NaN;
	#c = NaN;
	#xm = NaN;

	constructor(options: LearningOptions = {}) {
		const o = { ...LEARNING_DEFAULTS, ...options };
		const positive = (value: number, name: string): void => {
			if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`learning: ${name}`);
		};
		positive(o.memoryHours, "memoryHours");
		positive(o.structureHours, "structureHours");
		positive(o.minWindowMs, "minWindowMs");
		positive(o.gapMs, "gapMs");
		positive(o.priorSpread, "priorSpread");
		positive(o.biasHours, "biasHours");
		if (!(o.settleMs >= 0 && Number.isFinite(o.settleMs))) throw new RangeError("learning: settleMs");
		if (!(o.maxWindowMs >= o.minWindowMs && Number.isFinite(o.maxWindowMs))) throw new RangeError("learning: maxWindowMs");
		if (!(o.priorLoss >= 0 && Number.isFinite(o.priorLoss))) throw new RangeError("learning: priorLoss");
		if (!(o.changeMin > 0) || !(o.changeRel >= 0) || !(o.changeKeep >= 0 && o.changeKeep < 1)) throw new RangeError("learning: change detection");
		if (!(o.minHours >= 0)) throw new RangeError("learning: minHours");
		this.options = Object.freeze(o);
	}

	/** L: the low-pass of the indoor temperature standing in for the structure's, °C (NaN before any reading). */
	get structure(): number {
		return this.#structure;
	}

	/**
	 * One reading: monotonic ms, indoor °C (NaN: no valid reading), outdoor °C (NaN: unknown),
	 * and the state that ran since the previous reading (ThermalState; thermalState() maps relays).
	 * Call it with every reading (and on each relay change, with the state that starts).
	 */
	observe(now: number, indoor: number, outdoor: number, state: number): void {
		if (state !== this.#state) {
			this.#close();
			this.#state = state;
			this.#runStart = now;
		} else if (now - this.#last > this.options.gapMs || !(now >= this.#last)) this.#close();
		if (indoor !== indoor) {
			this.#close();
			return;
		}
		this.#last = now;
		const structure = this.#low(now, indoor);
		if (state < 0 || now - this.#runStart < this.options.settleMs) return;
		if (this.#n === 0) this.#start = now;
		const t = (now - this.#start) / MS_PER_HOUR;
		this.#n++;
		this.#st += t;
		this.#stt += t * t;
		this.#sT += indoor;
		this.#stT += t * indoor;
		this.#sz += structure - indoor;
		if (outdoor === outdoor) {
			this.#sx += outdoor - indoor;
			this.#nx++;
		}
		if (now - this.#start >= this.options.maxWindowMs) {
			this.#close();
			// the next window starts at this reading
			this.#start = now;
			this.#n = 1;
			this.#sT = indoor;
			this.#sz = structure - indoor;
			if (outdoor === outdoor) {
				this.#sx = outdoor - indoor;
				this.#nx = 1;
			}
		}
	}

	/**
	 * Learns one observation directly: state, mean Tout − T (NaN unknown), mean L − T, rate
	 * °C/h, weight (hours).
	 */
	learn(state: number, x: number, z: number, rate: number, hours: number): void {
		if (!(state >= 0 && state < STATE_COUNT) || !(hours > 0) || !Number.isFinite(rate) || !Number.isFinite(z)) return;
		const s = this.#stats, o = state * FIELDS, opt = this.options;
		this.observations[state]++;
		if (x !== x || !Number.isFinite(x)) x = s[o + W] > 0 ? s[o + SX] / s[o + W] : 0;
		if (s[o + W] >= opt.minHours && this.#solve(state)) {
			const predicted = this.#a + this.#b * x + this.#c * z;
			const alpha = 1 - Math.exp(-hours / opt.biasHours);
			const bias = s[o + BIAS] + alpha * (rate - predicted - s[o + BIAS]);
			s[o + BIAS] = bias;
			if (Math.abs(bias) > Math.max(opt.changeMin, opt.changeRel * Math.abs(predicted))) {
				for (let i = 0; i < BIAS; i++) s[o + i] *= opt.changeKeep;
				s[o + BIAS] = 0;
				this.#changes[state]++;
			}
		}
		const decay = Math.exp(-hours / opt.memoryHours);
		for (let i = 0; i < BIAS; i++) s[o + i] *= decay;
		s[o + W] += hours;
		s[o + SX] += hours * x;
		s[o + SZ] += hours * z;
		s[o + SY] += hours * rate;
		s[o + SXX] += hours * x * x;
		s[o + SXZ] += hours * x * z;
		s[o + SZZ] += hours * z * z;
		s[o + SXY] += hours * x * rate;
		s[o + SZY] += hours * z * rate;
	}

	/** Hours of (forgotten-weighted) observations behind a state's estimate. */
	hours(state: number): number {
		return state >= 0 && state < STATE_COUNT ? this.#stats[state * FIELDS + W] : 0;
	}

	/** Changes detected in a state (window opened, equipment changed) since the model was made or restored. */
	changes(state: number): number {
		return this.#changes[state];
	}

	/** The state has enough observations for its rate to be reported. */
	learned(state: number): boolean {
		return this.hours(state) >= this.options.minHours;
	}

	/** a (°C/h) of a state; NaN until learned. */
	intercept(state: number): number {
		return this.learned(state) && this.#solve(state) ? this.#a : NaN;
	}

	/** b (1/h) of a state; NaN until learned. */
	loss(state: number): number {
		return this.learned(state) && this.#solve(state) ? this.#b : NaN;
	}

	/** c (1/h) of a state; NaN until learned. */
	coupling(state: number): number {
		return this.learned(state) && this.#solve(state) ? this.#c : NaN;
	}

	/**
	 * The rate of change of the indoor temperature, °C/h, in a state at these conditions and the
	 * structure's stand-in `structure` (default: L now; at equilibrium, pass `indoor`); NaN until
	 * learned. An unknown outdoor temperature is taken at the state's mean difference.
	 */
	rate(state: number, indoor: number, outdoor: number, structure = this.#structure): number {
		if (!this.learned(state) || !this.#solve(state)) return NaN;
		const x = outdoor === outdoor ? outdoor - indoor : this.#xm;
		const z = structure === structure ? structure - indoor : 0;
		return this.#a + this.#b * x + this.#c * z;
	}

	/**
	 * Hours for the indoor temperature to go from `indoor` to `target` in a state, integrating
	 * the model with T and L moving together and Tout fixed (unknown: indoor + the state's mean
	 * difference), from L = `structure` (default: L now): 0 when already there, Infinity when the
	 * state does not get there within 24 h, NaN until learned.
	 *
	 * Staging (heating): `stage2` (e.g. HEAT2) takes over, as the controller's second stage
	 * does, once `stage2AfterHours` have passed or while the target is `stage2Delta` or more
	 * above the temperature, and stays on; ignored until that state is learned.
	 */
	hoursTo(state: number, indoor: number, target: number, outdoor: number, structure = this.#structure,
		stage2 = -1, stage2AfterHours = Infinity, stage2Delta = Infinity): number {
		if (!this.learned(state) || indoor !== indoor || target !== target) return NaN;
		const delta = target - indoor;
		if (delta === 0) return 0;
		const up = delta > 0;
		let a2 = NaN, b2 = NaN, c2 = NaN;
		if (stage2 >= 0 && up && this.learned(stage2) && this.#solve(stage2)) {
			a2 = this.#a;
			b2 = this.#b;
			c2 = this.#c;
		}
		if (!this.#solve(state)) return NaN;
		const tout = outdoor === outdoor ? outdoor : indoor + this.#xm;
		let a = this.#a, b = this.#b, c = this.#c;
		let staged = a2 !== a2;
		const k = STEP_H / this.options.structureHours;
		let t = indoor, l = structure === structure ? structure : indoor;
		for (let i = 0; i < HORIZON_STEPS; i++) {
			if (!staged && (i * STEP_H >= stage2AfterHours || target - t >= stage2Delta)) {
				staged = true;
				a = a2;
				b = b2;
				c = c2;
			}
			const rate = a + b * (tout - t) + c * (l - t);
			if (up ? rate <= 0 : rate >= 0) return Infinity; // at (or past) its equilibrium short of the target
			const next = t + rate * STEP_H;
			if (up ? next >= target : next <= target) return (i + (target - t) / (next - t)) * STEP_H;
			l += (t - l) * k;
			t = next;
		}
		return Infinity;
	}

	/** The persisted form (small JSON; the integrator keeps it in preferences). */
	toJSON(): ThermalModelData {
		const states: number[][] = [];
		for (let state = 0; state < STATE_COUNT; state++) {
			const s = this.#stats, o = state * FIELDS, w = s[o + W];
			const row = [round(w)];
			if (w > 0) {
				const xm = s[o + SX] / w, zm = s[o + SZ] / w, ym = s[o + SY] / w;
				row.push(round(xm), round(zm), round(ym),
					round(Math.max(0, s[o + SXX] / w - xm * xm)), round(s[o + SXZ] / w - xm * zm), round(Math.max(0, s[o + SZZ] / w - zm * zm)),
					round(s[o + SXY] / w - xm * ym), round(s[o + SZY] / w - zm * ym), round(s[o + BIAS]));
			} else for (let i = 1; i < SAVED; i++) row.push(0);
			states.push(row);
		}
		return { v: 2, states, changes: Array.from(this.#changes) };
	}

	/** Restores a persisted model (the object or its JSON text); RangeError when it is not one (the model is then unchanged). */
	restore(input: unknown): void {
		let data = input;
		if (typeof data === "string") {
			try {
				data = JSON.parse(data);
			} catch {
				throw new RangeError("learning: not JSON");
			}
		}
		const d = data as ThermalModelData;
		if (typeof d !== "object" || d === null || d.v !== 2 || !Array.isArray(d.states) || d.states.length !== STATE_COUNT)
			throw new RangeError("learning: not a thermal model (v 2, 4 states)");
		if (d.changes !== undefined && (!Array.isArray(d.changes) || d.changes.length !== STATE_COUNT || !d.changes.every((c) => Number.isInteger(c) && c >= 0)))
			throw new RangeError("learning: changes");
		const next = new Float64Array(STATE_COUNT * FIELDS);
		for (let state = 0; state < STATE_COUNT; state++) {
			const row = d.states[state];
			if (!Array.isArray(row) || row.length !== SAVED || !row.every((v) => typeof v === "number" && Number.isFinite(v)))
				throw new RangeError(`learning: state ${STATE_NAMES[state]}: ${SAVED} finite numbers`);
			const [w, xm, zm, ym, vxx, cxz, vzz, cxy, czy, bias] = row;
			if (w < 0 || vxx < 0 || vzz < 0 || w > 1e6) throw new RangeError(`learning: state ${STATE_NAMES[state]}: negative weight or variance`);
			const o = state * FIELDS;
			next[o + W] = w;
			next[o + SX] = w * xm;
			next[o + SZ] = w * zm;
			next[o + SY] = w * ym;
			next[o + SXX] = w * (vxx + xm * xm);
			next[o + SXZ] = w * (cxz + xm * zm);
			next[o + SZZ] = w * (vzz + zm * zm);
			next[o + SXY] = w * (cxy + xm * ym);
			next[o + SZY] = w * (czy + zm * ym);
			next[o + BIAS] = bias;
		}
		this.#stats.set(next);
		if (d.changes) for (let state = 0; state < STATE_COUNT; state++) this.#changes[state] = d.changes[state];
		this.#reset();
	}

	/** Forgets everything (a new house, a new installation). */
	clear(): void {
		this.#stats.fill(0);
		this.#changes.fill(0);
		this.observations.fill(0);
		this.#reset();
		this.#structure = this.#structureAt = NaN;
	}

	#reset(): void {
		this.#state = ThermalState.OTHER;
		this.#runStart = -Infinity;
		this.#last = -Infinity;
		this.#n = 0;
	}

	/** Moves L towards the reading (L starts at the first reading: the house taken at equilibrium). */
	#low(now: number, indoor: number): number {
		const at = this.#structureAt;
		if (this.#structure !== this.#structure || !(now >= at)) this.#structure = indoor;
		else this.#structure += (indoor - this.#structure) * (1 - Math.exp(-(now - at) / (this.options.structureHours * MS_PER_HOUR)));
		this.#structureAt = now;
		return this.#structure;
	}

	/** Ends the window in progress: one observation if it is long enough. */
	#close(): void {
		const n = this.#n;
		this.#n = 0;
		const st = this.#st, stt = this.#stt, sT = this.#sT, stT = this.#stT, sx = this.#sx, nx = this.#nx, sz = this.#sz;
		this.#st = this.#stt = this.#sT = this.#stT = this.#sx = this.#sz = 0;
		this.#nx = 0;
		if (n < 3 || this.#state < 0) return;
		const span = this.#last - this.#start;
		if (span < this.options.minWindowMs) return;
		const denominator = n * stt - st * st;
		if (!(denominator > 0)) return;
		const slope = (n * stT - st * sT) / denominator;
		this.learn(this.#state, nx ? sx / nx : NaN, sz / n, slope, span / MS_PER_HOUR);
	}

	/** Solves a state's (a, b, c) into #a, #b, #c (and its mean x into #xm); false without data. */
	#solve(state: number): boolean {
		const s = this.#stats, o = state * FIELDS, w = s[o + W];
		if (!(w > 0)) return false;
		const v0 = this.options.priorSpread;
		let b0 = this.options.priorLoss, c0 = 0;
		if (state !== ThermalState.DRIFT && this.#stats[ThermalState.DRIFT * FIELDS + W] >= this.options.minHours) {
			this.#fit(ThermalState.DRIFT * FIELDS, v0, b0, c0);
			b0 = this.#b;
			c0 = this.#c;
		}
		this.#fit(o, v0, b0, c0);
		return true;
	}

	/** Ridge least squares of the rate on x and z (centred), priors b0, c0 with strength v0. */
	#fit(o: number, v0: number, b0: number, c0: number): void {
		const s = this.#stats, w = s[o + W];
		const xm = s[o + SX] / w, zm = s[o + SZ] / w, ym = s[o + SY] / w;
		const vxx = Math.max(0, s[o + SXX] / w - xm * xm) + v0, vzz = Math.max(0, s[o + SZZ] / w - zm * zm) + v0;
		const vxz = s[o + SXZ] / w - xm * zm;
		const rx = s[o + SXY] / w - xm * ym + v0 * b0, rz = s[o + SZY] / w - zm * ym + v0 * c0;
		const det = vxx * vzz - vxz * vxz;
		let b = (rx * vzz - rz * vxz) / det;
		let c = (vxx * rz - vxz * rx) / det;
		// physical signs: losses and coupling pull towards outdoors and the structure
		if (b < 0) {
			b = 0;
			c = Math.max(0, (rz - vxz * b) / vzz);
		}
		if (c < 0) {
			c = 0;
			b = Math.max(0, rx / vxx);
		}
		this.#b = b;
		this.#c = c;
		this.#a = ym - b * xm - c * zm;
		this.#xm = xm;
	}
}

function round(value: number): number {
	return Math.round(value * 1e5) / 1e5;
}

Object.freeze(ThermalModel.prototype);
