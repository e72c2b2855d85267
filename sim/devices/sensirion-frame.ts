/*
 * Builds Sensirion answers for the SHT3x / SHT4x models: 16-bit words MSB first, each
 * followed by its CRC-8 (polynomial 0x31, init 0xFF), optionally with corrupted CRC bytes.
 */
import { crc8 } from "drivers/sensirion/crc";

/** Writes `words` into `frame` (3 bytes per word); words whose bit is set in `corrupt` get a wrong CRC. */
export function packWords(frame: Uint8Array, corrupt: number, ...words: number[]): void {
	words.forEach((word, i) => {
		const o = i * 3;
		frame[o] = (word >> 8) & 0xff;
		frame[o + 1] = word & 0xff;
		frame[o + 2] = crc8(frame, o, 2) ^ (corrupt & (1 << i) ? 0xff : 0);
	});
}

/** A fraction of full scale as a 16-bit count, clamped as the chip's ADC would be. */
export function counts16(fraction: number): number {
	return Math.min(0xffff, Math.max(0, Math.round(fraction * 0xffff)));
}
