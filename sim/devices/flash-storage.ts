/*
 * ECMA-419 flash storage ("embedded:storage/flash") over an injected FlashTransport: the link
 * to the world's flash service (sim/modules/io/flash), or the service's partitions in the
 * same machine (tests), as sim/devices/i2c-io is to the I2C bus. Same API as the Moddable
 * SDK's ESP32 module (modules/io/flash/esp32): open({path, mode}) returns a flash with
 * read/write/eraseBlock/status/close/format, and the export iterates partition names.
 *
 * Errors (STYLE 2.2): RangeError for bad arguments and use after close; Error("can't find
 * partition"), Error("read-only"), and Error("read failed" | "write failed" | "erase failed")
 * when the flash faults (it has no power after a cut). Range checks use the size and block
 * length fetched once at open(), as the ESP32 module keeps its esp_partition_t.
 * read(buffer, offset) and write(buffer, offset) allocate nothing for a Uint8Array, and
 * nothing after the first call for another buffer passed again (its byte view is kept, one
 * per open flash, until a different buffer or close()).
 */
import { FlashStatus, PARTITION_NAME_MAX, type FlashTransport } from "sim/devices/nor-flash-link";

// Fault messages and the format, evaluated once: on the XS host each evaluation of a string
// literal copies it into a new chunk, and the read/write paths must allocate nothing.
const READ_FAILED = "read failed";
const WRITE_FAILED = "write failed";
const ERASE_FAILED = "erase failed";
const OPEN_FAILED = "open failed";
const FORMAT = "buffer";
/** NOR flash: any byte can be programmed, an erased byte reads 0xFF. */
const WRITE_ALIGN = 1;
const ERASE_VALUE = 0xff;

type FlashBuffer = ArrayBuffer | ArrayBufferView;

/*
 * The module's types, as Moddable SDK 8.2 declares them (typings/embedded/storage/flash.d.ts).
 * Declared here because under mcconfig "embedded:storage/flash" resolves to this project's
 * implementation module (sim/modules/io/flash.ts re-exports them), not to the SDK typings.
 */
export interface FlashOpenOptions {
	path: string;
	mode?: "r" | "r+";
}

export interface Status {
	size: number;
	blockLength: number;
	blocks: number;
	writeAlign: number;
	eraseValue: number;
}

export interface Flash {
	close(): void;
	eraseBlock(start: number, end?: number): void;
	read(byteLength: number, byteOffset: number): ArrayBuffer;
	read(buffer: FlashBuffer, byteOffset: number): number;
	write(buffer: FlashBuffer, byteOffset: number): void;
	status(): Status;
	format: "buffer";
}

/** The shape of the module's default export. */
export interface FlashStorage {
	open(options: FlashOpenOptions): Flash;
	[Symbol.iterator](): IterableIterator<string>;
}

/** Returns the embedded:storage/flash default export, talking to the flash through `transport`. */
export function flashFor(transport: FlashTransport): FlashStorage {
	const token = Symbol("open");

	function check(status: number, message: string): number {
		if (status === FlashStatus.outOfRange) throw new RangeError("out of range");
		if (status < 0) throw new Error(message);
		return status;
	}

	class SimFlash implements Flash {
		readonly #handle: number;
		readonly #size: number;
		readonly #blockLength: number;
		readonly #readOnly: boolean;
		#open = true;
		#viewOf: FlashBuffer | undefined;
		#view: Uint8Array | undefined;

		constructor(key: symbol, handle: number, size: number, blockLength: number, readOnly: boolean) {
			if (key !== token) throw new TypeError("use open()");
			this.#handle = handle;
			this.#size = size;
			this.#blockLength = blockLength;
			this.#readOnly = readOnly;
		}

		read(byteLength: number, byteOffset: number): ArrayBuffer;
		read(buffer: FlashBuffer, byteOffset: number): number;
		read(target: number | FlashBuffer, byteOffset: number): ArrayBuffer | number {
			this.#checkOpen();
			if (target instanceof ArrayBuffer || ArrayBuffer.isView(target)) {
				const into = this.#bytesOf(target);
				this.#checkRange(byteOffset, into.length);
				if (into.length) check(transport.read(this.#handle, byteOffset, into), READ_FAILED);
				return into.length;
			}
			if (!Number.isInteger(target) || (target as number) < 0)
				throw new RangeError(typeof target === "number" ? "invalid length" : "invalid buffer");
			const byteLength = target as number;
			this.#checkRange(byteOffset, byteLength);
			const result = new ArrayBuffer(byteLength);
			if (byteLength) check(transport.read(this.#handle, byteOffset, new Uint8Array(result)), READ_FAILED);
			return result;
		}

		write(buffer: FlashBuffer, byteOffset: number): void {
			this.#checkOpen();
			if (this.#readOnly) throw new Error("read-only");
			const data = this.#bytesOf(buffer);
			this.#checkRange(byteOffset, data.length);
			if (data.length) check(transport.write(this.#handle, byteOffset, data), WRITE_FAILED);
		}

		eraseBlock(start: number, end: number = start + 1): void {
			this.#checkOpen();
			if (this.#readOnly) throw new Error("read-only");
			const blocks = this.#size / this.#blockLength;
			if (!Number.isInteger(start) || start < 0 || start >= blocks) throw new RangeError("invalid start");
			if (!Number.isInteger(end) || end <= 0 || end > blocks) throw new RangeError("invalid stop");
			if (start >= end) throw new RangeError("invalid range");
			for (let block = start; block < end; block++) check(transport.erase(this.#handle, block), ERASE_FAILED);
		}

		status(): Status {
			this.#checkOpen();
			return {
				size: this.#size, blockLength: this.#blockLength, blocks: this.#size / this.#blockLength,
				writeAlign: WRITE_ALIGN, eraseValue: ERASE_VALUE,
			};
		}

		close(): void {
			this.#open = false;
			this.#viewOf = undefined;
			this.#view = undefined;
		}

		get format(): "buffer" {
			this.#checkOpen();
			return FORMAT;
		}
		set format(value: "buffer") {
			this.#checkOpen();
			if (value !== FORMAT) throw new RangeError("invalid format");
		}

		#checkOpen(): void {
			if (!this.#open) throw new RangeError("closed");
		}

		#checkRange(byteOffset: number, byteLength: number): void {
			if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset > this.#size) throw new RangeError("invalid offset");
			if (byteOffset + byteLength > this.#size) throw new RangeError("invalid length");
		}

		#bytesOf(buffer: FlashBuffer): Uint8Array {
			if (buffer instanceof Uint8Array) return buffer;
			if (buffer === this.#viewOf && this.#view) return this.#view;
			let view: Uint8Array;
			if (buffer instanceof ArrayBuffer) view = new Uint8Array(buffer);
			else if (ArrayBuffer.isView(buffer)) view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
			else throw new RangeError("invalid buffer");
			this.#viewOf = buffer;
			this.#view = view;
			return view;
		}
	}
	Object.freeze(SimFlash.prototype);

	return Object.freeze({
		open(options: FlashOpenOptions): Flash {
			if (typeof options !== "object" || options === null) throw new RangeError("invalid options");
			const { path, mode = "r+" } = options;
			const format = (options as { format?: unknown }).format ?? FORMAT;
			if (typeof path !== "string" || !path) throw new RangeError("invalid path");
			if (mode !== "r" && mode !== "r+") throw new RangeError("invalid mode");
			if (format !== FORMAT) throw new RangeError("invalid format");
			const handle = transport.open(new Uint8Array(ArrayBuffer.fromString(path)));
			if (handle === FlashStatus.notFound) throw new Error("can't find partition");
			check(handle, OPEN_FAILED);
			const size = check(transport.size(handle), OPEN_FAILED);
			const blockLength = check(transport.blockLength(handle), OPEN_FAILED);
			return new SimFlash(token, handle, size, blockLength, mode === "r");
		},
		*[Symbol.iterator](): Generator<string, undefined, undefined> {
			const name = new Uint8Array(PARTITION_NAME_MAX);
			for (let index = 0; ; index++) {
				const length = transport.name(index, name);
				if (length === FlashStatus.notFound) return;
				check(length, READ_FAILED);
				yield String.fromArrayBuffer(name.buffer.slice(0, length));
			}
		},
	});
}
