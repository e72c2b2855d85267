/*
 * An ECMA-419 `embedded:io/i2c`-shaped class bound to a SimI2CBus in the same JS machine,
 * so drivers run against chip models without a native host. ECMA-419 2nd ed. §9.3:
 * constructor({address, hz, data, clock[, port]}), read(count | buffer[, stop]),
 * write(buffer[, stop]), close(). Failures follow our IO rule (STYLE §2.2):
 * RangeError for bad options and for use after close, Error("nack") when no device
 * acknowledges, Error("timeout") when the bus is stuck.
 */
import { I2CResult, type I2CTransport } from "sim/devices/i2c-bus";

export interface SimI2COptions {
	readonly address: number;
	readonly hz: number;
	readonly data: number;
	readonly clock: number;
	readonly port?: number;
}

export interface SimI2C {
	readonly address: number;
	read(buffer: ArrayBuffer | ArrayBufferView, stop?: boolean): undefined;
	read(count: number, stop?: boolean): ArrayBuffer;
	write(buffer: ArrayBuffer | ArrayBufferView, stop?: boolean): void;
	close(): void;
}

export type SimI2CClass = new (options: SimI2COptions) => SimI2C;

/** Highest I2C clock the model accepts (fast mode plus, I2C-bus spec UM10204 §3.1.9). */
const MAX_HZ = 1_000_000;

export interface SimI2CStats {
	/** Transfers attempted through instances of this class (reads + writes). */
	transfers: number;
	/** Transfers that ended in a NACK or timeout. */
	failures: number;
}

/** Returns an I2C class whose instances talk to `bus` (a SimI2CBus, or a link to one). `stats` (optional) counts transfers. */
export function i2cIoFor(bus: I2CTransport, stats?: SimI2CStats): SimI2CClass {
	const open = new Set<number>();

	function bytesOf(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
		if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
		if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
		throw new RangeError("invalid buffer");
	}

	function check(result: I2CResult): void {
		if (stats) {
			stats.transfers++;
			if (result !== I2CResult.ok) stats.failures++;
		}
		if (result === I2CResult.nack) throw new Error("nack");
		if (result === I2CResult.timeout) throw new Error("timeout");
	}

	return class I2C implements SimI2C {
		readonly #address: number;
		#open = true;

		constructor(options: SimI2COptions) {
			if (typeof options !== "object" || options === null) throw new RangeError("invalid options");
			const { address, hz, data, clock } = options;
			if (!Number.isInteger(address) || address < 0 || address > 0x7f) throw new RangeError("invalid address");
			if (typeof hz !== "number" || !(hz > 0 && hz <= MAX_HZ)) throw new RangeError("invalid hz");
			if (!Number.isInteger(data) || data < 0 || !Number.isInteger(clock) || clock < 0 || data === clock)
				throw new RangeError("invalid pin");
			if (open.has(address)) throw new RangeError("duplicate address");
			open.add(address);
			this.#address = address;
		}

		get address(): number {
			return this.#address;
		}

		read(buffer: ArrayBuffer | ArrayBufferView, stop?: boolean): undefined;
		read(count: number, stop?: boolean): ArrayBuffer;
		read(target: number | ArrayBuffer | ArrayBufferView, stop = true): ArrayBuffer | undefined {
			if (!this.#open) throw new RangeError("closed");
			if (typeof target === "number") {
				if (!Number.isInteger(target) || target <= 0) throw new RangeError("invalid count");
				const into = new Uint8Array(target);
				check(bus.read(this.#address, into, Boolean(stop)));
				return into.buffer;
			}
			const into = bytesOf(target);
			if (into.length === 0) throw new RangeError("invalid buffer");
			check(bus.read(this.#address, into, Boolean(stop)));
			return undefined;
		}

		write(buffer: ArrayBuffer | ArrayBufferView, stop = true): void {
			if (!this.#open) throw new RangeError("closed");
			const data = bytesOf(buffer);
			check(bus.write(this.#address, data, Boolean(stop)));
		}

		close(): void {
			if (!this.#open) return;
			this.#open = false;
			open.delete(this.#address);
		}
	};
}
