/*
 * Table-driven CRCs over Uint8Array ranges, incremental (update over any chunks gives the
 * one-shot value), allocating nothing after construction. Parameters from Greg Cook's
 * "Catalogue of parametrised CRC algorithms" (reveng.sourceforge.io/crc-catalogue):
 *   CRC-32/ISO-HDLC  width=32 poly=0x04c11db7 init=0xffffffff refin=true  refout=true  xorout=0xffffffff check=0xcbf43926
 *   CRC-16/IBM-3740  width=16 poly=0x1021     init=0xffff     refin=false refout=false xorout=0x0000     check=0x29b1
 * (CRC-16/IBM-3740 is the catalogue's name for CRC-16/CCITT-FALSE.) "check" is the CRC of
 * the ASCII bytes "123456789". Each instance owns its 256-entry table (1 KB for CRC-32,
 * 512 B for CRC-16): a module-level table would be mutable top-level state (STYLE 2.7).
 *
 * Usage: let c = crc.start(); c = crc.update(c, bytes, 0, n); ...; const value = crc.finish(c);
 * or crc.of(bytes).
 */

/** CRC-32/ISO-HDLC's polynomial, bit-reflected (0x04c11db7 reversed), for the LSB-first table. */
const CRC32_POLY_REFLECTED = 0xedb88320;
const CRC32_INIT = 0xffffffff;
const CRC32_XOROUT = 0xffffffff;

const CRC16_POLY = 0x1021;
const CRC16_INIT = 0xffff;
const CRC16_XOROUT = 0x0000;

const TABLE_SIZE = 256;

function checkRange(bytes: Uint8Array, start: number, end: number): void {
	if (!(bytes instanceof Uint8Array)) throw new RangeError("invalid bytes");
	if (!(start >= 0 && start <= end && end <= bytes.length)) throw new RangeError("invalid range");
}

/** CRC-32/ISO-HDLC (zlib, Ethernet, PNG). */
export class Crc32 {
	readonly #table = new Uint32Array(TABLE_SIZE);

	constructor() {
		const table = this.#table;
		for (let n = 0; n < TABLE_SIZE; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CRC32_POLY_REFLECTED : c >>> 1;
			table[n] = c >>> 0;
		}
	}

	/** The register before any byte. */
	start(): number {
		return CRC32_INIT;
	}

	/** Feeds bytes[start, end) into register `crc`; returns the new register. */
	update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
		checkRange(bytes, start, end);
		const table = this.#table;
		let c = crc >>> 0;
		for (let i = start; i < end; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
		return c >>> 0;
	}

	/** The CRC value of a register. */
	finish(crc: number): number {
		return (crc ^ CRC32_XOROUT) >>> 0;
	}

	/** One-shot CRC of bytes[start, end). */
	of(bytes: Uint8Array, start = 0, end = bytes.length): number {
		return this.finish(this.update(CRC32_INIT, bytes, start, end));
	}
}
Object.freeze(Crc32.prototype);

/** CRC-16/IBM-3740, a.k.a. CRC-16/CCITT-FALSE (MSB first, no reflection). */
export class Crc16CcittFalse {
	readonly #table = new Uint16Array(TABLE_SIZE);

	constructor() {
		const table = this.#table;
		for (let n = 0; n < TABLE_SIZE; n++) {
			let c = n << 8;
			for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ CRC16_POLY) & 0xffff : (c << 1) & 0xffff;
			table[n] = c;
		}
	}

	start(): number {
		return CRC16_INIT;
	}

	update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
		checkRange(bytes, start, end);
		const table = this.#table;
		let c = crc & 0xffff;
		for (let i = start; i < end; i++) c = (table[((c >>> 8) ^ bytes[i]) & 0xff] ^ (c << 8)) & 0xffff;
		return c;
	}

	finish(crc: number): number {
		return (crc ^ CRC16_XOROUT) & 0xffff;
	}

	of(bytes: Uint8Array, start = 0, end = bytes.length): number {
		return this.finish(this.update(CRC16_INIT, bytes, start, end));
	}
}
Object.freeze(Crc16CcittFalse.prototype);
