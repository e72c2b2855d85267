/*
 * Run-time fault codes shared by every driver. A driver reports a fault through
 * `options.onError(code)` and keeps going; constructors and configure() throw instead.
 * See drivers/README.md, "Error rule".
 */

export const SensorError = Object.freeze({
	/** The io threw (address or data NACK outside a pending conversion, bus timeout, stuck bus). */
	bus: "bus",
	/** A conversion is still running: the chip NACKed the read header or reported "measuring". */
	busy: "busy",
	/** A Sensirion word failed its CRC-8; that field is undefined. */
	crc: "crc",
	/** A value outside the chip's physical range, or a status flag saying the data cannot be trusted. */
	implausible: "implausible",
	/** The chip's FIFO overflowed; samples were lost and the FIFO was resynchronised. */
	fifoOverflow: "fifo-overflow",
	/** On re-initialisation after a fault, the chip's identity no longer matched (wrong or absent chip). */
	identity: "identity",
	/** The chip lost its configuration (power cycle or replug); the driver re-initialised it. */
	reset: "reset",
	/** An output pin read back a level other than the one commanded. */
	readback: "readback",
} as const);

export type SensorErrorCode = (typeof SensorError)[keyof typeof SensorError];

export type OnError = (code: SensorErrorCode) => void;

/** Constructor failure: the chip did not answer or did not identify as expected. */
export function identityError(chip: string, cause?: unknown): Error {
	return new Error(`${chip}: identity`, cause === undefined ? undefined : { cause });
}

/** Constructor or configure() failure: an option is out of the datasheet's range. */
export function optionError(chip: string, option: string): RangeError {
	return new RangeError(`${chip}: invalid ${option}`);
}

/** Any use after close() is a programming error, not a bus fault. */
export function closedError(chip: string): Error {
	return new Error(`${chip}: closed`);
}
