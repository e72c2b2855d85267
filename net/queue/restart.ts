/*
 * What a restart lost, worked out at mount from the state log and the data log
 * (net/queue/README.md, "Restart"): the next sequence number, and the range a restart gap
 * entry must report. Pure and setup-time only (it allocates its result).
 *
 * - Closed cleanly: numbers continue after the last one used; nothing lost.
 * - Otherwise the rest of the reserved block is skipped: the numbers after the highest one
 *   known to be on flash or acknowledged (entries map one to one onto data-log records from
 *   the block's anchor: the trim watermark gives acknowledged ones) were never used, or were
 *   in RAM, or were being written.
 * - A gap entry that was not yet known to be on flash (the state's pending one) is reported
 *   again if it is not on flash now.
 * - A hole in the data log's numbering right after the trim watermark means records were
 *   dropped (a recycle whose report a cut interrupted) or torn there. Unless one held gap
 *   entry, or the pending one, covers it, it is reported too, from the number the state
 *   history gives that position; its dropped count is the hole's size less what the held gap
 *   entries already report (they all report drops from that hole: a held entry's report
 *   concerns entries that were unacknowledged then, so above the watermark now).
 */
import type { SeqState } from "net/queue/seq-state";

/** What the mount-time scan of the data log found. */
export interface Scan {
	/** Valid entries held, and the first one's number (0: none). */
	readonly entries: number;
	readonly first: number;
	/** The data-log number of the first record above the watermark, valid or not (0: none). */
	readonly firstLog: number;
	/** The highest entry number held. */
	readonly highest: number;
	/** The gap entries held: [from, to, dropped] each. */
	readonly gaps: readonly (readonly [number, number, number])[];
	/** The data log's trim watermark and next record number. */
	readonly trimmed: number;
}

export interface Restart {
	/** The first number the queue gives out now. */
	readonly next: number;
	/** The range to report (from 0: nothing), and the drops it carries. */
	readonly from: number;
	readonly to: number;
	readonly dropped: number;
}

export function restart(state: SeqState, scan: Scan, reserve: number): Restart {
	const { first, highest, trimmed } = scan;
	let next: number, from = 0, to = 0, dropped = 0;
	const report = (low: number, high: number): void => {
		from = from ? Math.min(from, low) : low;
		to = Math.max(to, high);
	};
	if (!state.found) {
		next = highest + 1;
		if (highest) { // the state was lost: skip a block, as a restart would
			report(highest + 1, highest + reserve);
			next = highest + reserve + 1;
		}
	} else if (state.closed) {
		next = Math.max(state.through, highest) + 1;
	} else {
		const block = state.first, through = state.through;
		let known = Math.max(highest, block - 1);
		if (trimmed >= state.anchor) known = Math.max(known, Math.min(through, block + trimmed - state.anchor));
		if (known < through) report(known + 1, through);
		if (state.pending && state.pendingSeq > known) {
			report(state.pendingFrom, state.pendingTo);
			dropped += state.pendingDropped;
		}
		next = Math.max(through, highest) + 1;
	}
	const before = first - 1;
	if (first && scan.firstLog > trimmed + 1) {
		const low = Math.min(before, state.found ? state.seqAtLog(trimmed + 1) || 1 : 1);
		const covers = (a: number, b: number): boolean => a > 0 && a <= low && b >= before;
		let reported = 0;
		for (const [, , count] of scan.gaps) reported += count;
		if (!covers(from, to) && !scan.gaps.some(([a, b]) => covers(a, b))) {
			report(low, before);
			dropped += Math.max(0, scan.firstLog - trimmed - 1 - reported);
		}
	}
	return Object.freeze({ next, from, to, dropped });
}
