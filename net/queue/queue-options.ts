/*
 * The store-and-forward queue's options, their defaults and checks, and what open() reports
 * (net/queue/queue.ts; net/queue/README.md, "API"). Setup-time code.
 */
import type { Flash } from "embedded:storage/flash";
import type { Recovery } from "app/storage/record-log";
import { Entry, ENTRY_STEP, MIN_PARTITION_SECTORS, STATE_SECTORS } from "net/queue/queue-format";

export const QueueDefaults = Object.freeze({
	/** Bytes of RAM staging (batched flash writes); 0: every entry is written through. */
	STAGING: 1024,
	/** The longest an entry waits in RAM before a flush starts (README, "Time in RAM"). */
	FLUSH_MS: 1000,
	/** Largest body (JSON bytes) of a record. */
	MAX_BODY: 200,
	/** Entries handed out (take) and not yet acknowledged. */
	WINDOW: 64,
	/** Sequence numbers reserved by one state record. */
	RESERVE: 64,
} as const);

/** A wall clock before 2024-01-01T00:00:00Z was never set: the entry gets uptime instead. */
export const WALL_CLOCK_VALID_MS = 1_704_067_200_000;

/** `count` unacknowledged entries were dropped to make room; all have numbers below `before`. */
export type QueueDropHandler = (count: number, before: number) => void;

export interface QueueOptions {
	readonly staging?: number;
	/** 0: no timer; the owner calls flush() (its period is then the bound). */
	readonly flushMs?: number;
	readonly maxBody?: number;
	readonly window?: number;
	readonly reserve?: number;
	/** Milliseconds since 1970 (default Date.now); readings before WALL_CLOCK_VALID_MS mean unknown. */
	readonly wallClock?: () => number;
	/** Milliseconds since boot (default Time.ticks). */
	readonly uptime?: () => number;
	readonly onDrop?: QueueDropHandler;
	/** Entries became readable by peek() (a flush, or a write-through put). */
	readonly onAvailable?: () => void;
	/** A flush the timer started failed (the flash lost power); put() and flush() throw instead. */
	readonly onError?: (error: unknown) => void;
}

/** What open() found and did. */
export interface QueueRecovery {
	/** The queue was closed with close() before: no gap. */
	readonly clean: boolean;
	/** Entries held after mount, not counting the gap entry mount wrote. */
	readonly entries: number;
	/** Data-log records that are not queue entries (skipped). */
	readonly invalid: number;
	/** The restart gap mount reported (0, 0 when none), and the drops it carries. */
	readonly gapFrom: number;
	readonly gapTo: number;
	readonly gapDropped: number;
	/** The first sequence number mount gave out (the gap entry's, or the next put's). */
	readonly firstSeq: number;
	readonly data: Recovery;
	readonly state: Recovery;
}

/** The record log's record header, which each data-log record adds (app/storage/README.md). */
const LOG_RECORD_HEADER = 12;
const LOG_SECTOR_HEADER = 24;

/** Bytes an entry with a body of `body` bytes takes in the data log (its size class). */
export function entrySize(body: number): number {
	return Math.ceil((Entry.HEADER + body) / ENTRY_STEP) * ENTRY_STEP;
}

/** The checked options, with what follows from them and the partition. */
export interface QueueSetup {
	readonly blocks: number;
	readonly staging: number;
	readonly flushMs: number;
	/** Bytes of the largest entry (maxBody's size class). */
	readonly slot: number;
	readonly window: number;
	readonly reserve: number;
	readonly capacity: number;
	readonly options: QueueOptions;
}

/** Checks `options` against `flash` (RangeError on anything wrong); fills in the defaults. */
export function checkOptions(flash: Flash, options: QueueOptions): QueueSetup {
	if (typeof options !== "object" || options === null) throw new RangeError("invalid options");
	const {
		flushMs = QueueDefaults.FLUSH_MS, maxBody = QueueDefaults.MAX_BODY, window = QueueDefaults.WINDOW, reserve = QueueDefaults.RESERVE,
	} = options;
	for (const hook of [options.wallClock, options.uptime, options.onDrop, options.onAvailable, options.onError])
		if (hook !== undefined && typeof hook !== "function") throw new RangeError("invalid hook");
	if (!Number.isInteger(flushMs) || flushMs < 0) throw new RangeError("invalid flushMs");
	if (!Number.isInteger(window) || window < 1 || window > 4096) throw new RangeError("invalid window");
	if (!Number.isInteger(reserve) || reserve < 1 || reserve > 1 << 20) throw new RangeError("invalid reserve");
	if (!Number.isInteger(maxBody) || maxBody < 2) throw new RangeError("invalid maxBody");
	if (typeof flash !== "object" || flash === null || typeof flash.status !== "function") throw new RangeError("invalid flash");
	const { blocks, blockLength } = flash.status();
	if (!(blocks >= MIN_PARTITION_SECTORS)) throw new RangeError("too few sectors");
	const staging = options.staging ?? Math.min(QueueDefaults.STAGING, blockLength - LOG_SECTOR_HEADER);
	const slot = entrySize(maxBody);
	const perSector = Math.floor((blockLength - LOG_SECTOR_HEADER) / (LOG_RECORD_HEADER + slot));
	if (perSector < 1) throw new RangeError("invalid maxBody");
	const capacity = (blocks - STATE_SECTORS - 1) * perSector;
	return Object.freeze({ blocks, staging, flushMs, slot, window, reserve, capacity, options });
}
