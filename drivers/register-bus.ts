/*
 * Register access over a plain ECMA-419 I2C instance, in the manner of SMBus
 * (SMBus 3.0 §6.5.6 "Write Byte", §6.5.7 "Read Byte" with a repeated START):
 * write the register address without STOP, then read. One 2-byte scratch buffer
 * is allocated at construction; no call allocates.
 */
import type { I2CInstance } from "drivers/io";

export class RegisterBus {
	readonly #io: I2CInstance;
	readonly #scratch = new Uint8Array(2);
	readonly #one: Uint8Array;
	readonly #two: Uint8Array;

	constructor(io: I2CInstance) {
		this.#io = io;
		this.#one = this.#scratch.subarray(0, 1);
		this.#two = this.#scratch;
	}

	/** Burst-reads `into.length` bytes starting at `register` (the chip auto-increments). */
	read(register: number, into: Uint8Array): void {
		this.#one[0] = register;
		this.#io.write(this.#one, false);
		this.#io.read(into);
	}

	readUint8(register: number): number {
		this.read(register, this.#one);
		return this.#one[0];
	}

	writeUint8(register: number, value: number): void {
		this.#two[0] = register;
		this.#two[1] = value;
		this.#io.write(this.#two);
	}

	close(): void {
		this.#io.close();
	}
}
