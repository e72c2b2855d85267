/*
 * A run of erase blocks of an ECMA-419 flash (embedded:storage/flash) seen as a flash of its
 * own, so that two record logs share one partition: the queue's sequence log in the first
 * blocks and its data log in the rest. Offsets and block numbers are relative to the range;
 * anything outside it throws RangeError("out of range") before the flash is touched.
 * read/write/eraseBlock forward to the partition and allocate nothing; close() is the owner's
 * business (it closes the partition), so it only stops the range.
 */
import type { Flash, FlashStatus } from "embedded:storage/flash";

type FlashBuffer = ArrayBuffer | ArrayBufferView;

export class FlashRange implements Flash {
	readonly #flash: Flash;
	readonly #first: number;
	readonly #blocks: number;
	readonly #blockLength: number;
	readonly #writeAlign: number;
	readonly #eraseValue: number;
	readonly #base: number;
	readonly #size: number;
	#open = true;

	/** Blocks first..first+blocks-1 of `flash`. */
	constructor(flash: Flash, first: number, blocks: number) {
		if (typeof flash !== "object" || flash === null || typeof flash.status !== "function") throw new RangeError("invalid flash");
		const status = flash.status();
		if (!Number.isInteger(first) || !Number.isInteger(blocks) || first < 0 || blocks < 1 || first + blocks > status.blocks)
			throw new RangeError("invalid range");
		this.#flash = flash;
		this.#first = first;
		this.#blocks = blocks;
		this.#blockLength = status.blockLength;
		this.#writeAlign = status.writeAlign;
		this.#eraseValue = status.eraseValue;
		this.#base = first * status.blockLength;
		this.#size = blocks * status.blockLength;
	}

	get format(): "buffer" {
		return this.#flash.format;
	}

	status(): FlashStatus {
		return { size: this.#size, blockLength: this.#blockLength, blocks: this.#blocks, writeAlign: this.#writeAlign, eraseValue: this.#eraseValue };
	}

	read(byteLength: number, byteOffset: number): ArrayBuffer;
	read(buffer: FlashBuffer, byteOffset: number): number;
	read(what: number | FlashBuffer, byteOffset: number): ArrayBuffer | number {
		// No typeof on this path: the record log reads through it for every record.
		if (what instanceof ArrayBuffer || ArrayBuffer.isView(what)) {
			this.#check(byteOffset, what.byteLength);
			return this.#flash.read(what, this.#base + byteOffset);
		}
		this.#check(byteOffset, what);
		return this.#flash.read(what, this.#base + byteOffset);
	}

	write(buffer: FlashBuffer, byteOffset: number): void {
		this.#check(byteOffset, buffer.byteLength);
		this.#flash.write(buffer, this.#base + byteOffset);
	}

	eraseBlock(start: number, end?: number): void {
		if (!this.#open) throw new RangeError("closed");
		const stop = end === undefined ? start + 1 : end;
		if (!Number.isInteger(start) || !Number.isInteger(stop) || start < 0 || stop > this.#blocks || stop <= start) throw new RangeError("out of range");
		if (end === undefined) this.#flash.eraseBlock(this.#first + start);
		else this.#flash.eraseBlock(this.#first + start, this.#first + stop);
	}

	close(): void {
		this.#open = false;
	}

	#check(offset: number, length: number): void {
		if (!this.#open) throw new RangeError("closed");
		if (!(offset >= 0 && length >= 0 && offset + length <= this.#size) || !Number.isInteger(offset)) throw new RangeError("out of range");
	}
}
Object.freeze(FlashRange.prototype);
