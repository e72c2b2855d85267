// ECMA-419 flash storage ("embedded:storage/flash"), as the Moddable SDK implements it for the
// ESP32 (modules/io/flash/esp32); @moddable/typings 5.6.0 has no declaration for it.
declare module "embedded:storage/flash" {
	/** What read() fills and write() takes: an ArrayBuffer, a typed array or a DataView. */
	export type FlashBuffer = ArrayBuffer | ArrayBufferView;

	export interface FlashOpenOptions {
		/** The partition's name (label in the ESP-IDF partition table). */
		readonly path: string;
		/** "r": read-only (write and eraseBlock throw); "r+" (default): read and write. */
		readonly mode?: "r" | "r+";
		readonly format?: "buffer";
	}

	export interface FlashStatus {
		/** Partition bytes. */
		readonly size: number;
		/** Erase block bytes (4096 on the ESP32). */
		readonly blockLength: number;
		/** size / blockLength */
		readonly blocks: number;
	}

	export interface Flash {
		/** Reads `byteLength` bytes at `byteOffset` into a new ArrayBuffer. */
		read(byteLength: number, byteOffset: number): ArrayBuffer;
		/** Fills `buffer` from `byteOffset`; returns the bytes read (buffer's byteLength). */
		read(buffer: FlashBuffer, byteOffset: number): number;
		/** Programs `buffer` at `byteOffset`: NOR flash only clears bits, so erase first. */
		write(buffer: FlashBuffer, byteOffset: number): void;
		/** Erases blocks start..end-1 (just `start` without `end`) to 0xFF. */
		eraseBlock(start: number, end?: number): void;
		status(): FlashStatus;
		/** Idempotent; any other call after close() throws. */
		close(): void;
		/** Always "buffer"; setting any other value throws RangeError. */
		format: "buffer";
	}

	export interface FlashStorage {
		/** Throws Error("can't find partition") for an unknown path. */
		open(options: FlashOpenOptions): Flash;
		/** The partitions' names. */
		[Symbol.iterator](): Iterator<string>;
	}

	const flash: FlashStorage;
	export default flash;
}
