/*
 * A simulated I2C bus: routes transfers to the chip models attached to it and can
 * fail as a real bus does (a held-low SDA line makes every transfer time out).
 */
import type { I2CTarget } from "sim/devices/i2c-target";

export const I2CResult = Object.freeze({
	ok: 0,
	/** No device acknowledged the address or a data byte. */
	nack: 1,
	/** SDA or SCL held low: the controller's transfer timed out. */
	timeout: 2,
} as const);
export type I2CResult = (typeof I2CResult)[keyof typeof I2CResult];

/** What an I2C controller needs from a bus: the simulated bus itself, or a link to it in another machine. */
export interface I2CTransport {
	write(address: number, data: Uint8Array, stop: boolean): I2CResult;
	read(address: number, into: Uint8Array, stop: boolean): I2CResult;
}

export class SimI2CBus implements I2CTransport {
	readonly #targets = new Map<number, I2CTarget>();
	#stuck = false;

	attach(target: I2CTarget): void {
		if (this.#targets.has(target.address)) throw new RangeError("duplicate address");
		this.#targets.set(target.address, target);
	}

	/** Unplugs the chip at `address`; it stops acknowledging. */
	detach(address: number): I2CTarget | undefined {
		const target = this.#targets.get(address);
		this.#targets.delete(address);
		return target;
	}

	/** Plugs a chip (back) in: it powers up in its reset state, as a real chip does. */
	replug(target: I2CTarget & { powerOnReset?(): void }): void {
		target.powerOnReset?.();
		this.attach(target);
	}

	target(address: number): I2CTarget | undefined {
		return this.#targets.get(address);
	}

	/** A stuck bus (a chip holding SDA low) times out every transfer until released. */
	set stuck(value: boolean) {
		this.#stuck = value;
	}
	get stuck(): boolean {
		return this.#stuck;
	}

	write(address: number, data: Uint8Array, stop: boolean): I2CResult {
		if (this.#stuck) return I2CResult.timeout;
		const target = this.#targets.get(address);
		if (!target || !target.write(data, stop)) return I2CResult.nack;
		return I2CResult.ok;
	}

	read(address: number, into: Uint8Array, stop: boolean): I2CResult {
		if (this.#stuck) {
			into.fill(0);
			return I2CResult.timeout;
		}
		const target = this.#targets.get(address);
		if (!target || !target.read(into, stop)) {
			into.fill(0xff); // an unacknowledged read sees the pulled-up lines
			return I2CResult.nack;
		}
		return I2CResult.ok;
	}
}
