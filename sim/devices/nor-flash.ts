/*
 * A SPI NOR flash model, as the ESP32's esp_partition_* calls see it: a byte array that erases
 * per sector to all ones and programs only by clearing bits. Pure TypeScript, no link; the
 * world serves it to the device (sim/world/flash-service).
 *
 * Sources: Winbond W25Q32JV datasheet (a typical ESP32 module flash), "Sector Erase (20h)":
 * a 4 KB sector goes to the erased state, all 1s (FFh); "Page Program (02h)": programs bytes
 * at previously erased locations, which can only turn 1 bits into 0. ESP-IDF's
 * SPI_FLASH_SEC_SIZE (4096) is the erase unit of esp_partition_erase_range.
 * Page programs wrap inside a 256-byte page on the chip, but esp_partition_write splits
 * writes at page boundaries, so a partition user sees no wrap and neither does this model.
 *
 * Power cuts (armPowerCut): when armed for "program", the cut strikes after `afterBytes` more
 * bytes have been programmed (counted across programs; a random point inside the next program
 * when omitted). Bytes before the cut point are programmed, the byte at the cut point is torn:
 * a random subset of the bits it should clear is cleared. Later bytes are untouched.
 * When armed for "erase", the cut strikes after `afterBytes` more bytes have been erased
 * (counted across erases; a random point inside the next erase when omitted): the sector
 * keeps a prefix erased to 0xFF, a torn byte with a random subset of its 0 bits set, and the
 * rest of its old content. (A real chip erases the whole sector at once and an interrupted
 * erase leaves cells anywhere between; the prefix is a deterministic stand-in that has the
 * property that matters: the sector is neither erased nor what it was.) An interrupted erase
 * still counts as an erase cycle for wear.
 * After a cut the model calls onPowerCut() and refuses every operation (returns false) until
 * powerOn(). The random choices come from `seed`, so a cut is reproducible.
 */
import { Prng } from "sim/devices/prng";

/** ESP-IDF SPI_FLASH_SEC_SIZE; the W25Q32JV's smallest erase, Sector Erase (20h). */
export const NOR_SECTOR_SIZE = 4096;
/** The erased state of a NOR cell: all ones (datasheet, Sector Erase). */
export const NOR_ERASED = 0xff;

export type PowerCutDuring = "program" | "erase";

export interface PowerCut {
	readonly during: PowerCutDuring;
	/** Bytes the operation completes before the cut; a random point in the next operation when omitted. */
	readonly afterBytes?: number;
	readonly seed: number;
}

export interface NorFlashOptions {
	/** Bytes; a positive multiple of sectorSize. */
	readonly size: number;
	readonly sectorSize?: number;
	/** Called once when an armed power cut strikes. */
	readonly onPowerCut?: () => void;
	/** Called after every program or erase that changed the contents (to persist the image). */
	readonly onChange?: () => void;
}

interface ArmedCut {
	/** During erase, else during program (a flag, not the string: no literal on the hot path). */
	readonly erase: boolean;
	/** Bytes left before the cut; -1 until the next operation picks a random point. */
	remaining: number;
	readonly prng: Prng;
}

export class NorFlash {
	readonly #bytes: Uint8Array;
	readonly #sectorSize: number;
	readonly #erases: Uint32Array;
	readonly #onPowerCut: (() => void) | undefined;
	readonly #onChange: (() => void) | undefined;
	#programmed = 0;
	#powered = true;
	#cut: ArmedCut | undefined;

	constructor(options: NorFlashOptions) {
		const { size, sectorSize = NOR_SECTOR_SIZE, onPowerCut, onChange } = options ?? ({} as NorFlashOptions);
		if (!Number.isInteger(sectorSize) || sectorSize <= 0) throw new RangeError("invalid sectorSize");
		if (!Number.isInteger(size) || size <= 0 || size % sectorSize) throw new RangeError("invalid size");
		if (onPowerCut !== undefined && typeof onPowerCut !== "function") throw new RangeError("invalid onPowerCut");
		this.#bytes = new Uint8Array(size).fill(NOR_ERASED); // a new chip ships erased
		this.#sectorSize = sectorSize;
		this.#erases = new Uint32Array(size / sectorSize);
		this.#onPowerCut = onPowerCut;
		this.#onChange = onChange;
	}

	get size(): number {
		return this.#bytes.length;
	}
	get sectorSize(): number {
		return this.#sectorSize;
	}
	get sectors(): number {
		return this.#erases.length;
	}
	/** False from a power cut until powerOn(). */
	get powered(): boolean {
		return this.#powered;
	}
	/** Bytes programmed since construction, a torn byte included. */
	get bytesProgrammed(): number {
		return this.#programmed;
	}
	/** Erase cycles `sector` has seen since construction (wear), interrupted ones included. */
	eraseCount(sector: number): number {
		this.#checkSector(sector);
		return this.#erases[sector];
	}

	/** Copies `into.length` bytes from `offset`. False without power. */
	read(offset: number, into: Uint8Array): boolean {
		this.#checkRange(offset, into.length);
		if (!this.#powered) return false;
		const bytes = this.#bytes;
		for (let i = 0; i < into.length; i++) into[i] = bytes[offset + i]; // no view per read
		return true;
	}

	/** Programs `data` at `offset`: each byte becomes old & new. False without power or when a cut strikes. */
	program(offset: number, data: Uint8Array): boolean {
		this.#checkRange(offset, data.length);
		if (!this.#powered) return false;
		const cut = this.#cut && !this.#cut.erase ? this.#cut : undefined;
		const end = cut ? Math.min(this.#cutPoint(cut, data.length), data.length) : data.length;
		const bytes = this.#bytes;
		for (let i = 0; i < end; i++) bytes[offset + i] &= data[i];
		this.#programmed += end;
		this.#onChange?.();
		if (cut === undefined || end === data.length) {
			if (cut) cut.remaining -= end;
			return true;
		}
		const at = offset + end;
		const clearing = bytes[at] & ~data[end];
		bytes[at] &= ~(clearing & cut.prng.int(256));
		this.#programmed++;
		this.#losePower();
		return false;
	}

	/** Erases `sector` to 0xFF. False without power or when a cut strikes. */
	erase(sector: number): boolean {
		this.#checkSector(sector);
		if (!this.#powered) return false;
		const length = this.#sectorSize;
		const base = sector * length;
		const cut = this.#cut?.erase ? this.#cut : undefined;
		const end = cut ? Math.min(this.#cutPoint(cut, length), length) : length;
		this.#erases[sector]++;
		this.#bytes.fill(NOR_ERASED, base, base + end);
		this.#onChange?.();
		if (cut === undefined || end === length) {
			if (cut) cut.remaining -= end;
			return true;
		}
		const at = base + end;
		const setting = ~this.#bytes[at] & NOR_ERASED;
		this.#bytes[at] |= setting & cut.prng.int(256);
		this.#losePower();
		return false;
	}

	/** Arms one power cut (replacing any armed one). See the header for what it leaves behind. */
	armPowerCut(cut: PowerCut): void {
		const { during, afterBytes, seed } = cut ?? ({} as PowerCut);
		if (during !== "program" && during !== "erase") throw new RangeError("invalid during");
		if (afterBytes !== undefined && (!Number.isInteger(afterBytes) || afterBytes < 0)) throw new RangeError("invalid afterBytes");
		if (!Number.isInteger(seed)) throw new RangeError("invalid seed");
		this.#cut = { erase: during === "erase", remaining: afterBytes ?? -1, prng: new Prng(seed) };
	}

	/** Disarms a cut that has not struck yet. */
	disarm(): void {
		this.#cut = undefined;
	}

	/** Restores power after a cut; the contents stay as the cut left them. */
	powerOn(): void {
		this.#powered = true;
	}

	/** A copy of the whole array (what `esptool.py read_flash` would dump), for the world to persist. */
	image(): Uint8Array {
		return this.#bytes.slice();
	}

	/** Replaces the contents with a saved image of the same size. Counters are not part of an image. */
	load(image: Uint8Array): void {
		if (!(image instanceof Uint8Array) || image.length !== this.#bytes.length) throw new RangeError("invalid image");
		this.#bytes.set(image);
	}

	/** Bytes an operation of `length` completes before the armed cut strikes (>= length: none in it). */
	#cutPoint(cut: ArmedCut, length: number): number {
		if (cut.remaining < 0) {
			if (length === 0) return 0;
			cut.remaining = cut.prng.int(length);
		}
		return cut.remaining;
	}

	#losePower(): void {
		this.#cut = undefined;
		this.#powered = false;
		this.#onPowerCut?.();
	}

	#checkRange(offset: number, length: number): void {
		if (!Number.isInteger(offset) || offset < 0 || offset + length > this.#bytes.length) throw new RangeError("out of range");
	}

	#checkSector(sector: number): void {
		if (!Number.isInteger(sector) || sector < 0 || sector >= this.#erases.length) throw new RangeError("invalid sector");
	}
}
