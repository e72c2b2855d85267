/*
 * On-flash format of the record log (app/storage/README.md, "On-flash format"): byte offsets
 * of the sector header and the record header, and the marker values. All integers are
 * little-endian. The only format facts NOR flash imposes (W25Q32JV datasheet, "Sector Erase
 * (20h)" and "Page Program (02h)"): an erased byte reads 0xFF, and programming can only clear
 * bits, so a marker byte goes from 0xFF to its value exactly once and a torn program leaves
 * a value with a superset of the value's one bits.
 */

/** Sector header: the first bytes of every erase block in use. */
export const SectorHeader = Object.freeze({
	/** u32 "RLOG" as bytes 52 4C 4F 47. */
	MAGIC: 0,
	/** u8 FORMAT_VERSION; bytes 5..7 are reserved (0xFF). */
	VERSION: 4,
	/** u32 sector sequence: +1 for every sector opened, so the newest sector has the highest. */
	SECTOR_SEQ: 8,
	/** u32 sequence number the log would give its next data record when the sector was opened. */
	FIRST_SEQ: 12,
	/** u32 trimmed-through watermark when the sector was opened (0: nothing trimmed). */
	TRIMMED: 16,
	/** u32 CRC-32/ISO-HDLC of bytes 0..19. */
	CRC: 20,
	SIZE: 24,
} as const);

/** Record header, followed by `length` payload bytes. */
export const RecordHeader = Object.freeze({
	/** u8 commit marker (Commit), programmed last, in its own program operation. */
	COMMIT: 0,
	/** u8 Kind. */
	KIND: 1,
	/** u16 payload bytes. */
	LENGTH: 2,
	/** u32 the record's sequence number (DATA), or the trimmed-through watermark (TRIM). */
	VALUE: 4,
	/** u32 CRC-32/ISO-HDLC of bytes 1..7 followed by the payload. */
	CRC: 8,
	SIZE: 12,
} as const);

/** "RLOG" read as a little-endian u32. */
export const SECTOR_MAGIC = 0x474f4c52;
export const FORMAT_VERSION = 1;
/** The value of a reserved byte: erased, never programmed. */
export const RESERVED = 0xff;

export const Commit = Object.freeze({
	/** Erased: the record's bytes may be incomplete. */
	OPEN: 0xff,
	/** Programmed after every other byte of the record was: the record is complete. */
	COMMITTED: 0xa5,
	/**
	 * Programmed over COMMITTED when a committed record fails its CRC (bit errors after the
	 * commit): the record is skipped, its length still trusted. Any value whose one bits are a
	 * subset of COMMITTED's reads as killed (a torn kill); a torn commit never does, as it keeps
	 * a superset of COMMITTED's one bits.
	 */
	KILLED: 0x00,
} as const);

export const Kind = Object.freeze({
	/** A payload appended by the caller; VALUE is its sequence number. */
	DATA: 0x01,
	/** A watermark: records with sequence numbers <= VALUE are consumed. No payload. */
	TRIM: 0x02,
} as const);

/** Smallest erase block the log accepts: a sector header, a record header and some payload. */
export const MIN_SECTOR_SIZE = 128;
/** Largest: record lengths are u16 (RecordHeader.LENGTH). */
export const MAX_SECTOR_SIZE = 65536;
/** A ring needs a head to write and one more sector to recycle. */
export const MIN_SECTORS = 2;
/** Sequence numbers are u32 (RecordHeader.VALUE); 0 means "none". */
export const MAX_SEQ = 0xffffffff;
