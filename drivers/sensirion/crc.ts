/*
 * Sensirion CRC-8: polynomial 0x31 (x^8 + x^5 + x^4 + 1), initial value 0xFF, no
 * reflection, no final XOR. Example from the datasheets: CRC(0xBEEF) = 0x92.
 * SHT4x datasheet §4.4 "Checksum Calculation"; SHT3x-DIS datasheet §4.12, Table 20.
 */

export const CRC8_POLYNOMIAL = 0x31;
export const CRC8_INIT = 0xff;

/** CRC-8 of `length` bytes of `data` starting at `offset`. */
export function crc8(data: Uint8Array, offset = 0, length = data.length - offset): number {
	let crc = CRC8_INIT;
	for (let i = offset, end = offset + length; i < end; i++) {
		crc ^= data[i];
		for (let bit = 0; bit < 8; bit++)
			crc = crc & 0x80 ? ((crc << 1) ^ CRC8_POLYNOMIAL) & 0xff : (crc << 1) & 0xff;
	}
	return crc;
}
