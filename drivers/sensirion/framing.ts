/*
 * Sensirion I2C framing shared by SHT3x and SHT4x: commands are sent MSB first
 * (8-bit on SHT4x, 16-bit on SHT3x); every 16-bit data word read back is followed
 * by its CRC-8. SHT4x datasheet §4.1-4.4; SHT3x-DIS datasheet §4.2-4.4, §4.12.
 * A SensirionBus owns one 2-byte command buffer; no call allocates.
 */
import type { I2CInstance } from "drivers/io";
import { crc8 } from "drivers/sensirion/crc";

/** Bytes per data word on the wire: 2 data bytes + 1 CRC byte. */
export const WORD_BYTES = 3;

export class SensirionBus {
	readonly #io: I2CInstance;
	readonly #command = new Uint8Array(2);
	readonly #command8: Uint8Array;

	constructor(io: I2CInstance) {
		this.#io = io;
		this.#command8 = this.#command.subarray(0, 1);
	}

	/** Sends an 8-bit command (SHT4x). */
	command8(command: number): void {
		this.#command8[0] = command;
		this.#io.write(this.#command8);
	}

	/** Sends a 16-bit command, MSB first (SHT3x). */
	command16(command: number): void {
		this.#command[0] = command >> 8;
		this.#command[1] = command & 0xff;
		this.#io.write(this.#command);
	}

	/** Reads `into.length` bytes (a multiple of WORD_BYTES). */
	read(into: Uint8Array): void {
		this.#io.read(into);
	}

	close(): void {
		this.#io.close();
	}
}

/** True when the word at `index` (0-based, in words) of a read frame carries a valid CRC. */
export function wordValid(frame: Uint8Array, index: number): boolean {
	const offset = index * WORD_BYTES;
	return crc8(frame, offset, 2) === frame[offset + 2];
}

/** The 16-bit big-endian value of the word at `index`. */
export function wordValue(frame: Uint8Array, index: number): number {
	const offset = index * WORD_BYTES;
	return (frame[offset] << 8) | frame[offset + 1];
}
