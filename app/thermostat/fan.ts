/*
 * The blower (G). Modes (Home Assistant fan modes as ESPHome offers them, §1.3): `on` runs
 * continuously; `auto` runs with cooling (fanWithCooling) and with heating (fanWithHeating);
 * `circulate` is auto plus at least N minutes per hour (esphome/feature-requests#876, #937;
 * ecobee's "fan min on time"): from the start of each hour since boot, the fan runs until
 * it has run N minutes in that hour, any fan run (with heating or cooling too) counting. The
 * `fan_only` mode runs it continuously (ESPHome fan_only without fan_only_cooling). Nothing
 * runs before the first decision after boot.
 */
import type { Tuning } from "app/thermostat/config";
import type { ControlInputs } from "app/thermostat/decision";
import { Reason, Rule } from "app/thermostat/reasons";

const HOUR_MS = 3_600_000;

export class Fan {
	readonly #tuning: Tuning;
	readonly #bootAt: number;
	#window = 0;
	/** Fan run time of the current hour from runs that have ended, ms. */
	#ranClosed = 0;

	constructor(tuning: Tuning, bootAt: number) {
		this.#tuning = tuning;
		this.#bootAt = bootAt;
	}

	/** Whether the fan should run; `on`/`onAt` is the fan relay now, heating/cooling what runs next. */
	decide(now: number, inputs: ControlInputs, started: boolean, on: boolean, onAt: number, heating: boolean, cooling: boolean, why: Reason): boolean {
		if (!started) {
			why.set(Rule.BOOT);
			return false;
		}
		if (inputs.mode === "fan_only") {
			why.set(Rule.FAN_ONLY);
			return true;
		}
		if (inputs.fanMode === "on") {
			why.set(Rule.FAN_ON);
			return true;
		}
		const t = this.#tuning;
		if (cooling && t.fanWithCooling) {
			why.set(Rule.FAN_WITH_COOLING);
			return true;
		}
		if (heating && t.fanWithHeating) {
			why.set(Rule.FAN_WITH_HEATING);
			return true;
		}
		if (inputs.fanMode === "circulate" && inputs.circulateMinutes > 0) {
			const need = inputs.circulateMinutes * 60_000, ran = this.#ran(now, on, onAt);
			if (ran < need) {
				why.set(Rule.FAN_CIRCULATE, inputs.circulateMinutes, ran);
				return true;
			}
			why.set(Rule.FAN_CIRCULATE_DONE, inputs.circulateMinutes, ran);
			return false;
		}
		why.set(Rule.FAN_AUTO);
		return false;
	}

	/** Called when the fan relay turns off (accounts the run in its hour). */
	stopped(now: number, onAt: number): void {
		this.#roll(now);
		const start = this.#bootAt + this.#window * HOUR_MS;
		this.#ranClosed += now - (onAt > start ? onAt : start);
	}

	/** Fan run time in the current hour, ms. */
	#ran(now: number, on: boolean, onAt: number): number {
		this.#roll(now);
		if (!on) return this.#ranClosed;
		const start = this.#bootAt + this.#window * HOUR_MS;
		return this.#ranClosed + now - (onAt > start ? onAt : start);
	}

	#roll(now: number): void {
		const window = Math.floor((now - this.#bootAt) / HOUR_MS);
		if (window !== this.#window) {
			this.#window = window;
			this.#ranClosed = 0;
		}
	}
}

Object.freeze(Fan.prototype);
