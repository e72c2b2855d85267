/*
 * Mount-time recovery of the record log (app/storage/README.md, "Recovery"): finds the
 * sectors in use from their headers, walks every record verifying its CRC, kills committed
 * records that fail it, skips torn ones, stops a sector at the first unparseable bytes,
 * and derives the head, the write position, the next sequence number and the watermark.
 * Setup code: it allocates its result once, and a flash error propagates (mount fails).
 */
import { Kind, RecordHeader, SectorHeader } from "app/storage/log-format";
import { Parse, type SectorRing } from "app/storage/sector-ring";

/** What mount found and did. */
export interface Recovery {
	/** No valid sector was found: sector 0 was erased and formatted (a new or foreign partition). */
	readonly formatted: boolean;
	/** Sectors in use after mount. */
	readonly sectors: number;
	/** Readable data records (sequence number above the watermark). */
	readonly records: number;
	/** Records whose commit never completed (power cut): skipped, never returned. */
	readonly torn: number;
	/** Committed records failing their CRC (bit errors, not power cuts): killed, never returned. */
	readonly corrupt: number;
	/** Sectors whose tail could not be parsed or is not erased: no record is written after it. */
	readonly sealed: number;
	/** Sectors mount erased. */
	readonly erased: number;
	/** Sequence number of the oldest readable record (0: none). */
	readonly firstSeq: number;
	/** Sequence number the next append gets. */
	readonly nextSeq: number;
	/** Records with sequence numbers up to this are consumed (0: none). */
	readonly trimmed: number;
}

export interface Mounted {
	/** The newest sector: appends go there. */
	readonly head: number;
	/** Where the next record goes in the head, or the sector size when the head is sealed. */
	readonly free: number;
	readonly recovery: Recovery;
}

/** Fills `ring`'s tables and watermark from the flash; formats sector 0 when no sector is valid. */
export function recover(ring: SectorRing): Mounted {
	let head = -1, trimmed = 0;
	for (let s = 0; s < ring.count; s++) {
		if (!ring.readSectorHeader(s)) {
			ring.release(s);
			continue;
		}
		ring.use(s, ring.hdrSeq, ring.hdrFirst);
		if (ring.hdrTrimmed > trimmed) trimmed = ring.hdrTrimmed;
		if (head < 0 || ring.hdrSeq > ring.seqOf(head)) head = s;
	}
	if (head < 0) return format(ring);

	let torn = 0, corrupt = 0, sealed = 0, sectors = 0, maxSeq = 0, free = ring.sectorSize;
	for (let s = ring.oldest(); s >= 0; s = ring.after(s)) {
		sectors++;
		let offset = SectorHeader.SIZE, broken = false;
		for (;;) {
			const found = ring.parse(s, offset, true);
			if (found === Parse.END) break;
			if (found === Parse.BROKEN) {
				broken = true;
				break;
			}
			if (found === Parse.CORRUPT) {
				corrupt++;
				ring.kill(s, offset);
			} else if (found === Parse.TORN) torn++;
			if (found === Parse.RECORD || found === Parse.TORN) {
				// A torn record's number was handed out: it is never given again.
				if (ring.kind === Kind.DATA && ring.value > maxSeq) maxSeq = ring.value;
				if (ring.kind === Kind.TRIM && found === Parse.RECORD && ring.value > trimmed) trimmed = ring.value;
			}
			offset += RecordHeader.SIZE + ring.length;
		}
		ring.setEnd(s, offset);
		// The head's space after its records must be erased to take new ones (a record program
		// interrupted on a real chip may leave programmed bytes behind an erased header).
		if (s === head && !broken && !ring.blankFrom(s, offset)) broken = true;
		if (broken) sealed++;
		if (s === head) free = broken ? ring.sectorSize : offset;
	}

	const nextSeq = Math.max(ring.firstOf(head), maxSeq + 1);
	if (trimmed >= nextSeq) trimmed = nextSeq - 1;
	ring.setTrimmed(trimmed);

	let records = 0, firstSeq = 0;
	for (let s = ring.oldest(); s >= 0; s = ring.after(s)) {
		for (let offset = SectorHeader.SIZE; offset < ring.endOf(s); offset += RecordHeader.SIZE + ring.length) {
			const found = ring.parse(s, offset, false);
			if (found === Parse.END || found === Parse.BROKEN) break;
			if (found !== Parse.RECORD || ring.kind !== Kind.DATA || ring.value <= trimmed) continue;
			records++;
			if (firstSeq === 0) firstSeq = ring.value;
		}
	}
	const recovery: Recovery = Object.freeze({
		formatted: false, sectors, records, torn, corrupt, sealed, erased: 0, firstSeq, nextSeq, trimmed,
	});
	return Object.freeze({ head, free, recovery });
}

/** A partition with no valid sector: sector 0 becomes the head of an empty log. */
function format(ring: SectorRing): Mounted {
	const head = 0, seq = 1, first = 1;
	ring.erase(head);
	ring.writeSectorHeader(head, seq, first, 0);
	ring.use(head, seq, first);
	ring.setTrimmed(0);
	const recovery: Recovery = Object.freeze({
		formatted: true, sectors: 1, records: 0, torn: 0, corrupt: 0, sealed: 0, erased: 1, firstSeq: 0, nextSeq: first, trimmed: 0,
	});
	return Object.freeze({ head, free: SectorHeader.SIZE, recovery });
}
