/*
 * On-flash format of the store-and-forward queue (net/queue/README.md, "On-flash format"):
 * how the "log" partition is split, the entry that each data-log record carries, and the state
 * record of the sequence log. All integers are little-endian. The record log underneath
 * (app/storage) adds its own 12-byte record header with a CRC-32 and a commit marker.
 */

/** The partition's first sectors hold the sequence log; the rest holds the data log. */
export const STATE_SECTORS = 2;
/** A record log needs two sectors (a head and one to recycle): two for each log. */
export const MIN_PARTITION_SECTORS = STATE_SECTORS + 2;

/**
 * An entry: the payload of one data-log record, padded with 0xFF to a multiple of
 * ENTRY_STEP bytes (one preallocated view per size class: no view is made per put).
 */
export const Entry = Object.freeze({
	/** u8 EntryKind; also the format tag: any other value is not a queue entry. */
	KIND: 0,
	/** u8 EntryFlag bits; unused bits are 0. */
	FLAGS: 1,
	/** u16 body bytes (records; 0 for a gap). */
	LENGTH: 2,
	/** u32 sequence number. */
	SEQ: 4,
	/** f64 milliseconds: since 1970-01-01 UTC (WALL_CLOCK), else since the device booted. */
	TIME: 8,
	/** Records: the body (a JSON object's UTF-8 text). Gaps: the Gap fields. */
	BODY: 16,
	HEADER: 16,
} as const);

/** Entry sizes are multiples of this (bytes). */
export const ENTRY_STEP = 16;

export const EntryKind = Object.freeze({
	/** "Q": a telemetry record put by the application. */
	RECORD: 0x51,
	/** "G": a gap notice written by the queue. */
	GAP: 0x47,
} as const);

export const EntryFlag = Object.freeze({
	/** TIME is wall-clock time; without it, uptime. */
	WALL_CLOCK: 0x01,
} as const);

/** A gap entry's fields, after the entry header. */
export const Gap = Object.freeze({
	/** u32 first sequence number of the range. */
	FROM: 16,
	/** u32 last sequence number of the range. */
	TO: 20,
	/** u32 entries dropped for capacity whose numbers are in the range. */
	DROPPED: 24,
	/** u8 GapCause. */
	CAUSE: 28,
	SIZE: 29,
} as const);

export const GapCause = Object.freeze({
	/** The device restarted without close(): reserved numbers skipped, entries in RAM or being written lost. */
	RESTART: 1,
	/** The partition was full: the oldest unacknowledged entries were dropped. */
	DROPPED: 2,
	/** A flash write failed and the device kept running: the entries being written may be lost. */
	FAULT: 3,
} as const);

/**
 * The state record: the payload of every sequence-log record. Only the newest one counts.
 * It reserves a block of sequence numbers, anchors the block to the data log's numbering,
 * and names the newest gap entry whose durability is not yet known (its content repeated, so
 * that a restart can report it again if that entry was lost).
 */
export const State = Object.freeze({
	/** u8 STATE_MAGIC. */
	MAGIC: 0,
	/** u8 StateFlag bits; bytes 2..3 reserved (0xFF). */
	FLAGS: 1,
	/** u32 first sequence number of the reserved block. */
	FIRST: 4,
	/** u32 last reserved number (CLOSED: the last number used). */
	THROUGH: 8,
	/** u32 the data log's record number of the block's first entry. */
	ANCHOR: 12,
	/** u32 sequence number of the newest unconfirmed gap entry (PENDING). */
	PENDING_SEQ: 16,
	/** u32, u32, u32, u8: that gap entry's from, to, dropped and cause (PENDING). */
	PENDING_FROM: 20,
	PENDING_TO: 24,
	PENDING_DROPPED: 28,
	PENDING_CAUSE: 32,
	SIZE: 33,
} as const);

/** "S". */
export const STATE_MAGIC = 0x53;

export const StateFlag = Object.freeze({
	/** Written by close(): every number through THROUGH was used and is on flash. */
	CLOSED: 0x01,
	/** The PENDING_* fields are valid. */
	PENDING: 0x02,
} as const);

/** Sequence numbers are u32; 0 means "none". */
export const MAX_SEQ = 0xffffffff;
