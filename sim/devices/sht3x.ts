/*
 * Command-level model of a Sensirion SHT3x-DIS on the simulated I2C bus.
 * From "Datasheet SHT3x-DIS": 16-bit commands (§4.2); single shot without clock stretching NACKs
 * the read header until the conversion is done (§4.4); periodic mode measures every 1/rate s and a
 * fetch with no new data NACKs the read header (§4.5-4.6); the status register resets to 0x8010
 * and 0x3041 clears its flags (§4.11); every word carries a CRC-8 (§4.12). Raw counts use the
 * forward form of §4.13: S_T = (T + 45)/175·(2^16-1), S_RH = RH/100·(2^16-1).
 * Measurement and mode commands are NACKed while periodic acquisition runs (send BREAK first).
 */
import type { SimClock } from "sim/devices/i2c-target";
import type { Ambient, NoiseOptions } from "sim/devices/sources";
import { FaultSet, type FaultKind, type SimChip } from "sim/devices/faults";
import { packWords, counts16 } from "sim/devices/sensirion-frame";
import {
	Address, SingleShot, Periodic, Command, Status, Duration, SOFT_RESET_MAX_MS, FRAME_BYTES,
	type Sht3xRepeatability,
} from "drivers/sht3x.regs";

export interface Sht3xModelOptions {
	readonly clock: SimClock;
	readonly ambient: Ambient;
	readonly address?: number;
	readonly temperatureNoise?: NoiseOptions;
	readonly humidityNoise?: NoiseOptions;
	/** Faults active from the start. */
	readonly faults?: readonly FaultKind[];
}

type State = "idle" | "measuring" | "ready" | "status" | "resetting";

interface Decoded {
	readonly kind: "single" | "periodic";
	readonly repeatability: Sht3xRepeatability;
	readonly periodMs: number;
}

/** Command word → what it starts, built once from the regs tables. */
const MEASUREMENTS: ReadonlyMap<number, Decoded> = (() => {
	const map = new Map<number, Decoded>();
	for (const [rep, command] of Object.entries(SingleShot))
		map.set(command, { kind: "single", repeatability: rep as Sht3xRepeatability, periodMs: 0 });
	for (const [rate, commands] of Object.entries(Periodic))
		for (const [rep, command] of Object.entries(commands))
			map.set(command, { kind: "periodic", repeatability: rep as Sht3xRepeatability, periodMs: 1000 / Number(rate) });
	return map;
})();

export class Sht3xModel implements SimChip {
	readonly address: number;
	readonly #clock: SimClock;
	readonly #ambient: Ambient;
	readonly #tNoise: NoiseOptions | undefined;
	readonly #rhNoise: NoiseOptions | undefined;
	readonly #faults: FaultSet;
	readonly #frame = new Uint8Array(FRAME_BYTES);
	readonly #commands: number[] = [];
	#state: State = "idle";
	#until = 0;
	#status: number = Status.RESET_VALUE;
	#periodic: Decoded | undefined;
	#periodicStart = 0;
	#fetched = -1;
	#corruptMask = 0;
	#rawT: number | undefined;
	#rawRh: number | undefined;

	constructor(options: Sht3xModelOptions) {
		this.address = options.address ?? Address.ADDR_LOW;
		this.#clock = options.clock;
		this.#ambient = options.ambient;
		this.#tNoise = options.temperatureNoise;
		this.#rhNoise = options.humidityNoise;
		this.#faults = new FaultSet(["nack", "crc", "implausible", "busy"], options.faults);
	}

	fault(kind: FaultKind, on = true): void {
		this.#faults.set(kind, on);
	}

	corruptWords(mask: number): void {
		this.#corruptMask = mask & 3;
	}

	forceRaw(temperature: number | undefined, humidity?: number): void {
		this.#rawT = temperature;
		this.#rawRh = humidity;
	}

	powerOnReset(): void {
		this.#state = "idle";
		this.#status = Status.RESET_VALUE;
		this.#periodic = undefined;
	}

	get commands(): readonly number[] {
		return this.#commands;
	}

	get status(): number {
		return this.#status;
	}

	get periodic(): boolean {
		return this.#periodic !== undefined;
	}

	write(data: Uint8Array, _stop: boolean): boolean {
		if (this.#faults.has("nack")) return false;
		this.#settle();
		if (this.#state === "measuring" || this.#state === "resetting") return false;
		if (data.length !== 2) return false;
		const command = (data[0] << 8) | data[1];
		if (!this.#execute(command)) {
			this.#status |= Status.COMMAND_FAILED;
			return false;
		}
		this.#status &= ~Status.COMMAND_FAILED;
		this.#commands.push(command);
		return true;
	}

	read(into: Uint8Array, _stop: boolean): boolean {
		if (this.#faults.has("nack")) return false;
		this.#settle();
		if (this.#state === "status") {
			packWords(this.#frame, this.#faults.has("crc") ? 1 : 0, this.#status);
			this.#copy(into, 3);
		} else if (this.#state === "ready") this.#copy(into, FRAME_BYTES);
		else return false;
		this.#state = "idle";
		return true;
	}

	#execute(command: number): boolean {
		const now = this.#clock.now();
		const measurement = MEASUREMENTS.get(command);
		if (measurement) {
			if (this.#periodic) return false;
			if (measurement.kind === "single") {
				this.#state = "measuring";
				this.#until = now + Duration[measurement.repeatability].typMs;
			} else {
				this.#periodic = measurement;
				this.#periodicStart = now;
				this.#fetched = -1;
				this.#state = "idle";
			}
			return true;
		}
		switch (command) {
			case Command.FETCH_DATA: {
				const p = this.#periodic;
				if (!p) return false;
				const latest = Math.floor((now - this.#periodicStart - Duration[p.repeatability].typMs) / p.periodMs);
				if (now - this.#periodicStart >= Duration[p.repeatability].typMs && latest > this.#fetched && !this.#faults.has("busy")) {
					this.#fetched = latest;
					this.#measure();
				} else this.#state = "idle"; // no data: the read header will be NACKed
				return true;
			}
			case Command.BREAK:
				this.#periodic = undefined;
				this.#state = "idle";
				return true;
			case Command.SOFT_RESET:
				this.#periodic = undefined;
				this.#status = Status.RESET_VALUE;
				this.#state = "resetting";
				this.#until = now + SOFT_RESET_MAX_MS;
				return true;
			case Command.HEATER_ENABLE:
			case Command.HEATER_DISABLE:
				if (this.#periodic) return false;
				if (command === Command.HEATER_ENABLE) this.#status |= Status.HEATER_ON;
				else this.#status &= ~Status.HEATER_ON;
				return true;
			case Command.READ_STATUS:
				this.#state = "status";
				return true;
			case Command.CLEAR_STATUS:
				this.#status &= ~Status.CLEARABLE;
				return true;
			case Command.ART:
				return this.#periodic !== undefined;
			default:
				return false;
		}
	}

	#settle(): void {
		if (this.#state === "resetting" && this.#clock.now() >= this.#until) this.#state = "idle";
		if (this.#state === "measuring" && this.#clock.now() >= this.#until && !this.#faults.has("busy")) this.#measure();
	}

	#measure(): void {
		let t = this.#ambient.temperature + (this.#status & Status.HEATER_ON ? 1 : 0);
		let rh = this.#ambient.humidity;
		if (this.#tNoise) t += this.#tNoise.prng.gaussian(this.#tNoise.sigma);
		if (this.#rhNoise) rh += this.#rhNoise.prng.gaussian(this.#rhNoise.sigma);
		const corrupt = this.#faults.has("crc") ? 0b11 : this.#corruptMask;
		if (this.#faults.has("implausible")) packWords(this.#frame, corrupt, 0xffff, 0xffff);
		else if (this.#rawT !== undefined) packWords(this.#frame, corrupt, this.#rawT, this.#rawRh ?? 0);
		else packWords(this.#frame, corrupt, counts16((t + 45) / 175), counts16(rh / 100));
		this.#state = "ready";
	}

	#copy(into: Uint8Array, available: number): void {
		for (let i = 0; i < into.length; i++) into[i] = i < available ? this.#frame[i] : 0xff;
	}
}
