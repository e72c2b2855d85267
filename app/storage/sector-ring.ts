/*
 * The record log's partition as a ring of erase blocks (sectors): geometry, the per-sector
 * tables (SectorTable), and every flash access of the log, over one preallocated scratch
 * buffer. Internal to app/storage:
 * RecordLog owns the policy (where to write, when to recycle), LogCursor reads, and
 * log-recovery fills the tables at mount.
 *
 * parse() classifies the bytes at a record position (Parse) and leaves the header's fields
 * in kind/length/value. With `verify`, it checks the CRC (reading the payload in CHUNK-byte
 * windows); without, it trusts the header, which is right only inside [header, endOf(s)),
 * the chain mount verified or this session wrote. Nothing here allocates after construction.
 */
import type { Flash } from "embedded:storage/flash";
import { Crc32 } from "app/storage/crc";
import { SectorTable } from "app/storage/sector-table";
import {
	Commit, FORMAT_VERSION, MAX_SECTOR_SIZE, MIN_SECTORS, MIN_SECTOR_SIZE, RecordHeader, RESERVED, SECTOR_MAGIC, SectorHeader,
} from "app/storage/log-format";

/** What parse() found at a record position. */
export const Parse = Object.freeze({
	/** Erased header, or no room for one: the sector's records end here. */
	END: 0,
	/** A committed record (CRC checked when verifying). */
	RECORD: 1,
	/** Never committed, but complete (CRC good): skipped, its length trusted. */
	TORN: 2,
	/** Killed (Commit.KILLED): skipped, its length trusted. */
	KILLED: 3,
	/** Committed but failing its CRC (verifying only): to be killed and skipped. */
	CORRUPT: 4,
	/** Unparseable (a torn header, or a length past the sector): nothing after it is trusted. */
	BROKEN: 5,
} as const);

/** Bytes per windowed read when checking a CRC or erased bytes. */
const CHUNK = 64;
// Scratch layout (one buffer, STYLE 2.7): views at fixed offsets.
const AT_SECTOR = 0;
const AT_RECORD = AT_SECTOR + SectorHeader.SIZE;
const AT_COMMIT = AT_RECORD + RecordHeader.SIZE;
const AT_KILL = AT_COMMIT + 1;
const AT_RETIRE = AT_KILL + 1;
const AT_CHUNK = 64;
const SCRATCH = AT_CHUNK + CHUNK;
/** Bytes programmed over a sector's magic before erasing it: the sector is no longer valid. */
const RETIRE_BYTES = 4;

export class SectorRing extends SectorTable {
	readonly #flash: Flash;
	readonly #crc = new Crc32();
	readonly #sectorSize: number;
	readonly #size: number;
	readonly #view: DataView;
	readonly #sectorHeader: Uint8Array;
	readonly #header: Uint8Array;
	readonly #headerView: DataView;
	readonly #commit: Uint8Array;
	readonly #kill: Uint8Array;
	readonly #retire: Uint8Array;
	readonly #chunk: Uint8Array;
	#kind = 0;
	#length = 0;
	#value = 0;
	#hdrSeq = 0;
	#hdrFirst = 0;
	#hdrTrimmed = 0;

	constructor(flash: Flash) {
		if (typeof flash !== "object" || flash === null || typeof flash.status !== "function") throw new RangeError("invalid flash");
		const { blockLength, blocks, writeAlign, eraseValue } = flash.status();
		if (eraseValue !== Commit.OPEN) throw new RangeError("unsupported eraseValue");
		if (writeAlign !== 1) throw new RangeError("unsupported writeAlign");
		if (!Number.isInteger(blockLength) || blockLength < MIN_SECTOR_SIZE || blockLength > MAX_SECTOR_SIZE)
			throw new RangeError("unsupported blockLength");
		if (!Number.isInteger(blocks) || blocks < MIN_SECTORS) throw new RangeError("too few sectors");
		super(blocks);
		this.#flash = flash;
		this.#sectorSize = blockLength;
		this.#size = blockLength * blocks;
		const buffer = new ArrayBuffer(SCRATCH);
		this.#view = new DataView(buffer);
		this.#sectorHeader = new Uint8Array(buffer, AT_SECTOR, SectorHeader.SIZE);
		this.#header = new Uint8Array(buffer, AT_RECORD, RecordHeader.SIZE);
		this.#headerView = new DataView(buffer, AT_RECORD, RecordHeader.SIZE);
		this.#commit = new Uint8Array(buffer, AT_COMMIT, 1).fill(Commit.COMMITTED);
		this.#kill = new Uint8Array(buffer, AT_KILL, 1).fill(Commit.KILLED);
		this.#retire = new Uint8Array(buffer, AT_RETIRE, RETIRE_BYTES); // zeros
		this.#chunk = new Uint8Array(buffer, AT_CHUNK, CHUNK);
	}

	get crc(): Crc32 {
		return this.#crc;
	}
	get sectorSize(): number {
		return this.#sectorSize;
	}
	/** Kind, payload length and value of the header parse() or readSectorHeader() last read. */
	get kind(): number {
		return this.#kind;
	}
	get length(): number {
		return this.#length;
	}
	get value(): number {
		return this.#value;
	}
	get hdrSeq(): number {
		return this.#hdrSeq;
	}
	get hdrFirst(): number {
		return this.#hdrFirst;
	}
	get hdrTrimmed(): number {
		return this.#hdrTrimmed;
	}

	/** Reads `sector`'s header; true when it is valid (fields in hdrSeq/hdrFirst/hdrTrimmed). */
	readSectorHeader(sector: number): boolean {
		const header = this.#sectorHeader, view = this.#view;
		this.#flash.read(header, sector * this.#sectorSize);
		if (view.getUint32(AT_SECTOR + SectorHeader.MAGIC, true) !== SECTOR_MAGIC) return false;
		if (header[SectorHeader.VERSION] !== FORMAT_VERSION) return false;
		if (this.#crc.of(header, 0, SectorHeader.CRC) !== view.getUint32(AT_SECTOR + SectorHeader.CRC, true)) return false;
		this.#hdrSeq = view.getUint32(AT_SECTOR + SectorHeader.SECTOR_SEQ, true);
		this.#hdrFirst = view.getUint32(AT_SECTOR + SectorHeader.FIRST_SEQ, true);
		this.#hdrTrimmed = view.getUint32(AT_SECTOR + SectorHeader.TRIMMED, true);
		return this.#hdrSeq !== 0;
	}

	/** Programs `sector`'s header (the sector must be erased). */
	writeSectorHeader(sector: number, seq: number, first: number, trimmed: number): void {
		const header = this.#sectorHeader, view = this.#view;
		header.fill(RESERVED);
		view.setUint32(AT_SECTOR + SectorHeader.MAGIC, SECTOR_MAGIC, true);
		header[SectorHeader.VERSION] = FORMAT_VERSION;
		view.setUint32(AT_SECTOR + SectorHeader.SECTOR_SEQ, seq, true);
		view.setUint32(AT_SECTOR + SectorHeader.FIRST_SEQ, first, true);
		view.setUint32(AT_SECTOR + SectorHeader.TRIMMED, trimmed, true);
		view.setUint32(AT_SECTOR + SectorHeader.CRC, this.#crc.of(header, 0, SectorHeader.CRC), true);
		this.#flash.write(header, sector * this.#sectorSize);
	}

	/** Classifies the record position `offset` of `sector` (see Parse). */
	parse(sector: number, offset: number, verify: boolean): number {
		if (offset + RecordHeader.SIZE > this.#sectorSize) return Parse.END;
		const header = this.#header;
		this.#flash.read(header, sector * this.#sectorSize + offset);
		let blank = true;
		for (let i = 0; i < RecordHeader.SIZE; i++) {
			if (header[i] !== Commit.OPEN) {
				blank = false;
				break;
			}
		}
		if (blank) return Parse.END;
		const view = this.#view;
		this.#kind = header[RecordHeader.KIND];
		this.#length = view.getUint16(AT_RECORD + RecordHeader.LENGTH, true);
		this.#value = view.getUint32(AT_RECORD + RecordHeader.VALUE, true);
		if (offset + RecordHeader.SIZE + this.#length > this.#sectorSize) return Parse.BROKEN;
		const commit = header[RecordHeader.COMMIT];
		if (commit === Commit.COMMITTED) {
			if (!verify) return Parse.RECORD;
			return this.#payloadCrc(sector, offset) === this.#storedCrc() ? Parse.RECORD : Parse.CORRUPT;
		}
		if ((commit & ~Commit.COMMITTED & 0xff) === 0) return Parse.KILLED;
		if (!verify) return Parse.TORN;
		return this.#payloadCrc(sector, offset) === this.#storedCrc() ? Parse.TORN : Parse.BROKEN;
	}

	/**
	 * Copies the payload of the committed record at `offset` to the start of `into` and checks
	 * its CRC; returns its length. Reads `into.length` bytes from the flash in one call (no view
	 * per read): bytes of `into` past the returned length are overwritten with flash contents.
	 */
	readPayload(sector: number, offset: number, into: Uint8Array): number {
		if (!(into instanceof Uint8Array)) throw new RangeError("invalid buffer");
		if (this.parse(sector, offset, false) !== Parse.RECORD) throw new Error("record changed");
		const length = this.#length;
		if (into.length < length || into.length > this.#size) throw new RangeError("invalid buffer");
		const address = sector * this.#sectorSize + offset + RecordHeader.SIZE;
		const start = Math.min(address, this.#size - into.length);
		if (into.length) this.#flash.read(into, start);
		if (start < address) into.copyWithin(0, address - start, address - start + length);
		const crc = this.#crc;
		let c = crc.update(crc.start(), this.#header, RecordHeader.KIND, RecordHeader.CRC);
		c = crc.update(c, into, 0, length);
		if (crc.finish(c) !== this.#storedCrc()) throw new Error("corrupt record");
		return length;
	}

	/** True when bytes offset..end of `sector` are all erased. */
	blankFrom(sector: number, offset: number): boolean {
		const chunk = this.#chunk;
		const end = (sector + 1) * this.#sectorSize;
		for (let address = sector * this.#sectorSize + offset; address < end; address += CHUNK) {
			const start = Math.min(address, this.#size - CHUNK);
			this.#flash.read(chunk, start);
			const stop = Math.min(CHUNK, end - start);
			for (let i = address - start; i < stop; i++) if (chunk[i] !== Commit.OPEN) return false;
		}
		return true;
	}

	/**
	 * Fills a record header at bytes[at..at+12) with the commit marker erased (`view` covers
	 * the same bytes as `bytes`), taking the CRC over payload[from, from+length), which may be
	 * in `bytes` itself.
	 */
	encode(bytes: Uint8Array, view: DataView, at: number, kind: number, value: number, payload: Uint8Array, from: number, length: number): void {
		bytes[at + RecordHeader.COMMIT] = Commit.OPEN;
		bytes[at + RecordHeader.KIND] = kind;
		view.setUint16(at + RecordHeader.LENGTH, length, true);
		view.setUint32(at + RecordHeader.VALUE, value, true);
		const crc = this.#crc;
		let c = crc.update(crc.start(), bytes, at + RecordHeader.KIND, at + RecordHeader.CRC);
		c = crc.update(c, payload, from, from + length);
		view.setUint32(at + RecordHeader.CRC, crc.finish(c), true);
	}

	/** Fills the header scratch (see encode) for a record whose payload is `payload`. */
	encodeScratch(kind: number, value: number, payload: Uint8Array, length: number): void {
		this.encode(this.#header, this.#headerView, 0, kind, value, payload, 0, length);
	}

	/** Programs the header encodeScratch() filled at `offset` of `sector`. */
	programHeader(sector: number, offset: number): void {
		this.#flash.write(this.#header, sector * this.#sectorSize + offset);
	}

	/** Programs `bytes` at `offset` of `sector`. */
	program(sector: number, offset: number, bytes: Uint8Array): void {
		this.#flash.write(bytes, sector * this.#sectorSize + offset);
	}

	/** Programs the commit marker of the record at `offset`: its own program operation. */
	commit(sector: number, offset: number): void {
		this.#flash.write(this.#commit, sector * this.#sectorSize + offset + RecordHeader.COMMIT);
	}

	/** Marks the record at `offset` killed (Commit.KILLED). */
	kill(sector: number, offset: number): void {
		this.#flash.write(this.#kill, sector * this.#sectorSize + offset + RecordHeader.COMMIT);
	}

	/**
	 * Invalidates `sector`'s header, then erases it. A cut during the erase leaves a retired
	 * header (or a torn one), never a valid header over half-erased records.
	 */
	retireAndErase(sector: number): void {
		this.release(sector);
		this.#flash.write(this.#retire, sector * this.#sectorSize + SectorHeader.MAGIC);
		this.#flash.eraseBlock(sector);
	}

	/** Erases `sector` without retiring it (it is not in use). */
	erase(sector: number): void {
		this.release(sector);
		this.#flash.eraseBlock(sector);
	}

	#storedCrc(): number {
		return this.#view.getUint32(AT_RECORD + RecordHeader.CRC, true);
	}

	/** CRC of the header in scratch (bytes 1..7) and the payload on flash, read in windows. */
	#payloadCrc(sector: number, offset: number): number {
		const crc = this.#crc, chunk = this.#chunk;
		let c = crc.update(crc.start(), this.#header, RecordHeader.KIND, RecordHeader.CRC);
		let address = sector * this.#sectorSize + offset + RecordHeader.SIZE;
		const end = address + this.#length;
		while (address < end) {
			const n = Math.min(CHUNK, end - address);
			const start = Math.min(address, this.#size - CHUNK);
			this.#flash.read(chunk, start);
			c = crc.update(c, chunk, address - start, address - start + n);
			address += n;
		}
		return crc.finish(c);
	}
}
Object.freeze(SectorRing.prototype);
