/*
 * Register-level (command-level) model of a Sensirion SHT4x on the simulated I2C bus.
 * Behaviour from "Datasheet SHT4x" v6.x: 8-bit commands (§4.5), NACK of any transfer while a
 * measurement or reset is running (§4.3), 6-byte answers with a CRC-8 after every word (§4.4),
 * raw counts from the forward form of §4.6: S_T = (T + 45)/175·(2^16-1), S_RH = (RH + 6)/125·(2^16-1).
 */
import type { SimClock } from "sim/devices/i2c-target";
import type { Ambient, NoiseOptions } from "sim/devices/sources";
import { FaultSet, type FaultKind, type SimChip } from "sim/devices/faults";
import { packWords, counts16 } from "sim/devices/sensirion-frame";
import { Address, Command, Precision, Heater, SOFT_RESET_MAX_MS, FRAME_BYTES } from "drivers/sht4x.regs";

export interface Sht4xModelOptions {
	readonly clock: SimClock;
	readonly ambient: Ambient;
	readonly address?: number;
	readonly serialNumber?: number;
	readonly temperatureNoise?: NoiseOptions;
	readonly humidityNoise?: NoiseOptions;
	/** Faults active from the start. */
	readonly faults?: readonly FaultKind[];
}

/** Temperature rise at the end of each heater pulse, °C (illustrative; the driver drops that frame). */
const HEATER_RISE_C: Readonly<Record<number, number>> = Object.freeze({
	[Command.HEATER_200MW_1S]: 30, [Command.HEATER_200MW_100MS]: 8,
	[Command.HEATER_110MW_1S]: 17, [Command.HEATER_110MW_100MS]: 4,
	[Command.HEATER_20MW_1S]: 3, [Command.HEATER_20MW_100MS]: 1,
});

type State = "idle" | "measuring" | "ready" | "resetting";

export class Sht4xModel implements SimChip {
	readonly address: number;
	readonly #clock: SimClock;
	readonly #ambient: Ambient;
	readonly #serial: number;
	readonly #tNoise: NoiseOptions | undefined;
	readonly #rhNoise: NoiseOptions | undefined;
	readonly #faults: FaultSet;
	readonly #frame = new Uint8Array(FRAME_BYTES);
	#state: State = "idle";
	#until = 0;
	#command = 0;
	#corruptMask = 0;
	#rawT: number | undefined;
	#rawRh: number | undefined;
	readonly #commands: number[] = [];

	constructor(options: Sht4xModelOptions) {
		this.address = options.address ?? Address.A;
		this.#clock = options.clock;
		this.#ambient = options.ambient;
		this.#serial = (options.serialNumber ?? 0x0c0ffee5) >>> 0;
		this.#tNoise = options.temperatureNoise;
		this.#rhNoise = options.humidityNoise;
		this.#faults = new FaultSet(["nack", "crc", "implausible", "busy"], options.faults);
	}

	fault(kind: FaultKind, on = true): void {
		this.#faults.set(kind, on);
	}

	/** Corrupts the CRC of selected words of the next answers (bit 0: first word, bit 1: second). */
	corruptWords(mask: number): void {
		this.#corruptMask = mask & 3;
	}

	/** Makes the next measurements return these raw words (datasheet-example tests); undefined ends it. */
	forceRaw(temperature: number | undefined, humidity?: number): void {
		this.#rawT = temperature;
		this.#rawRh = humidity;
	}

	powerOnReset(): void {
		this.#state = "idle";
		this.#until = 0;
		this.#command = 0;
	}

	/** Every command accepted, oldest first (tests check what the driver sent). */
	get commands(): readonly number[] {
		return this.#commands;
	}

	get measuring(): boolean {
		this.#settle();
		return this.#state === "measuring";
	}

	write(data: Uint8Array, _stop: boolean): boolean {
		if (this.#faults.has("nack")) return false;
		this.#settle();
		if (this.#state === "measuring" || this.#state === "resetting") return false;
		if (data.length !== 1) return false;
		const command = data[0];
		const now = this.#clock.now();
		if (command === Command.SOFT_RESET) {
			this.#commands.push(command);
			this.#state = "resetting";
			this.#until = now + SOFT_RESET_MAX_MS;
			return true;
		}
		if (command === Command.SERIAL_NUMBER) {
			this.#commands.push(command);
			this.#pack(this.#serial >>> 16, this.#serial & 0xffff);
			this.#state = "ready";
			return true;
		}
		const duration = durationOf(command);
		if (duration === undefined) return false;
		this.#commands.push(command);
		this.#command = command;
		this.#state = "measuring";
		this.#until = now + duration;
		return true;
	}

	read(into: Uint8Array, _stop: boolean): boolean {
		if (this.#faults.has("nack")) return false;
		this.#settle();
		if (this.#state !== "ready") return false;
		for (let i = 0; i < into.length; i++) into[i] = i < FRAME_BYTES ? this.#frame[i] : 0xff;
		this.#state = "idle";
		return true;
	}

	/** Completes a conversion whose time has come, sampling the ambient at completion time. */
	#settle(): void {
		if (this.#state === "resetting" && this.#clock.now() >= this.#until) this.#state = "idle";
		if (this.#state !== "measuring" || this.#clock.now() < this.#until || this.#faults.has("busy")) return;
		let t = this.#ambient.temperature + (HEATER_RISE_C[this.#command] ?? 0);
		let rh = this.#ambient.humidity;
		if (this.#tNoise) t += this.#tNoise.prng.gaussian(this.#tNoise.sigma);
		if (this.#rhNoise) rh += this.#rhNoise.prng.gaussian(this.#rhNoise.sigma);
		if (this.#faults.has("implausible")) this.#pack(0xffff, 0x0000);
		else if (this.#rawT !== undefined) this.#pack(this.#rawT & 0xffff, (this.#rawRh ?? 0) & 0xffff);
		else this.#pack(counts16((t + 45) / 175), counts16((rh + 6) / 125));
		this.#state = "ready";
	}

	#pack(word0: number, word1: number): void {
		packWords(this.#frame, this.#faults.has("crc") ? 0b11 : this.#corruptMask, word0, word1);
	}
}

/** Typical conversion time of a measurement or heater command (datasheet Table 4), ms. */
function durationOf(command: number): number | undefined {
	for (const spec of Object.values(Precision)) if (spec.command === command) return spec.typMs;
	for (const spec of Object.values(Heater)) if (spec.command === command) return spec.onMs;
	return undefined;
}
