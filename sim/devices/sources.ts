/*
 * Environment sources that chip models sample: what the room, the wearer's finger and the
 * wearer's wrist are doing. Models read physical values from these and turn them into raw
 * counts with the datasheet's forward formulas. Scenario code supplies richer sources.
 */
import type { Prng } from "sim/devices/prng";

export interface Ambient {
	/** °C */
	readonly temperature: number;
	/** %RH */
	readonly humidity: number;
	/** Pa */
	readonly pressure: number;
}

/** Photoplethysmogram seen by a MAX3010x: raw-count-scale red and IR signals. */
export interface PpgSource {
	/** Writes [red, ir] (18-bit full-scale counts, before ADC truncation) at time tMs. */
	sample(tMs: number, out: Uint32Array): void;
}

/** What an IMU on the wrist experiences. */
export interface MotionSource {
	/** Writes [ax, ay, az] in g and [gx, gy, gz] in °/s at time tMs. */
	sample(tMs: number, out: Float32Array): void;
}

/** An ambient whose values tests and scenarios set directly. */
export class MutableAmbient implements Ambient {
	temperature: number;
	humidity: number;
	pressure: number;

	constructor(temperature = 21, humidity = 45, pressure = 101_325) {
		this.temperature = temperature;
		this.humidity = humidity;
		this.pressure = pressure;
	}
}

/** Gaussian measurement noise added by a model; zero sigma means none. */
export interface NoiseOptions {
	readonly prng: Prng;
	/** Standard deviation per quantity, in that quantity's physical unit. */
	readonly sigma: number;
}

/** A resting pulse: DC level plus a cardiac sine; red and IR differ in amplitude (SpO2 ratio). */
export class SinePpg implements PpgSource {
	readonly #bpm: number;
	readonly #dcRed: number;
	readonly #dcIr: number;
	readonly #acRed: number;
	readonly #acIr: number;

	constructor(bpm = 72, dcRed = 100_000, dcIr = 120_000, acRed = 1_000, acIr = 1_500) {
		this.#bpm = bpm;
		this.#dcRed = dcRed;
		this.#dcIr = dcIr;
		this.#acRed = acRed;
		this.#acIr = acIr;
	}

	sample(tMs: number, out: Uint32Array): void {
		const phase = Math.sin((2 * Math.PI * this.#bpm * tMs) / 60_000);
		out[0] = Math.round(this.#dcRed + this.#acRed * phase);
		out[1] = Math.round(this.#dcIr + this.#acIr * phase);
	}
}

/** A device lying still, z up: 1 g on z, no rotation. */
export class StillMotion implements MotionSource {
	sample(_tMs: number, out: Float32Array): void {
		out[0] = 0;
		out[1] = 0;
		out[2] = 1;
		out[3] = 0;
		out[4] = 0;
		out[5] = 0;
	}
}
