/*
 * One fault API for every simulated chip: `model.fault(kind, on)`. Chip-level kinds live
 * here; bus-level faults ("stuck", unplug/replug) are on SimI2CBus. A model throws
 * RangeError("unsupported fault") for a kind that does not apply to it (no CRC on a BME280).
 */
import type { I2CTarget } from "sim/devices/i2c-target";

export type FaultKind =
	/** The chip ACKs nothing: every transfer addressed to it fails. */
	| "nack"
	/** Sensirion chips: every CRC byte sent is wrong. */
	| "crc"
	/** Values outside the physical range, or the chip's own "data invalid" flag. */
	| "implausible"
	/** FIFO chips: the FIFO overflows (as if the host had not read it in time). */
	| "fifo-overflow"
	/** Converting chips: a conversion never completes (the chip stays busy). */
	| "busy";

export const FAULT_KINDS: readonly FaultKind[] = Object.freeze(["nack", "crc", "implausible", "fifo-overflow", "busy"]);

/** A chip model on the simulated bus. */
export interface SimChip extends I2CTarget {
	fault(kind: FaultKind, on?: boolean): void;
	/** Power-on reset: registers and state machine back to their reset values (faults stay). */
	powerOnReset(): void;
}

/** The set of faults currently injected into one model. */
export class FaultSet {
	readonly #supported: readonly FaultKind[];
	readonly #active = new Set<FaultKind>();

	constructor(supported: readonly FaultKind[], initial: readonly FaultKind[] = []) {
		this.#supported = supported;
		for (const kind of initial) this.set(kind, true);
	}

	set(kind: FaultKind, on = true): void {
		if (!this.#supported.includes(kind)) throw new RangeError("unsupported fault");
		if (on) this.#active.add(kind);
		else this.#active.delete(kind);
	}

	has(kind: FaultKind): boolean {
		return this.#active.has(kind);
	}
}
