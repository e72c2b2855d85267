// ECMA-419 flash storage ("embedded:storage/flash"), declared as Moddable SDK 8.2's own typings
// (typings/embedded/storage/flash.d.ts) do, so the code type-checks the same here and under
// mcconfig; @moddable/typings 5.6.0 has no declaration for it.
declare module "embedded:storage/flash" {
	export interface FlashOpenOptions {
		/** The partition's name (label in the ESP-IDF partition table). */
		path: string;
		/** "r": read-only (write and eraseBlock throw); "r+" (default): read and write. */
		mode?: "r" | "r+";
	}

	export interface FlashStatus {
		size: number;
		/** Erase block bytes (4096 on the ESP32). */
		blockLength: number;
		blocks: number;
		/** Smallest write unit, bytes. */
		writeAlign: number;
		/** What an erased byte reads as (0xFF for NOR flash). */
		eraseValue: number;
	}

	export class Flash {
		close(): void;
		/** Erases blocks start..end-1 (just `start` without `end`). */
		eraseBlock(start: number, end?: number): void;
		read(byteLength: number, byteOffset: number): ArrayBuffer;
		read(buffer: ArrayBuffer | ArrayBufferView, byteOffset: number): number;
		/** Programs `buffer` at `byteOffset`: NOR flash only clears bits, so erase first. */
		write(buffer: ArrayBuffer | ArrayBufferView, byteOffset: number): void;
		status(): FlashStatus;
		format: "buffer";
	}

	const FlashStorage: {
		open(options: FlashOpenOptions): Flash;
		[Symbol.iterator](): IterableIterator<string>;
	};

	export default FlashStorage;
}
