/*
 * The contract between the simulated I2C bus and the register-level chip models.
 * A model sees exactly what a chip sees on the wire: the bytes of each write and
 * read transfer addressed to it, and whether the transfer ended with a STOP.
 */

/** A chip on the simulated bus. Returning false means the chip did not ACK. */
export interface I2CTarget {
	readonly address: number;
	/** The controller wrote `data` to this chip. */
	write(data: Uint8Array, stop: boolean): boolean;
	/** The controller reads `into.length` bytes from this chip; fill `into`. */
	read(into: Uint8Array, stop: boolean): boolean;
}

/** Monotonic simulated time in milliseconds, injected so that runs are deterministic. */
export interface SimClock {
	now(): number;
}
