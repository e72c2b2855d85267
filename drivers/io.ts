/*
 * Structural types for the ECMA-419 IO classes a driver is handed in `options.sensor.io`.
 * Drivers never import a concrete IO module: on the device the caller passes
 * `device.io.I2C` / `device.io.Digital`; in tests, sim/devices/i2c-io.ts and
 * sim/devices/digital-pin.ts provide classes of the same shape.
 * ECMA-419 2nd ed. §9.3 (I2C) and §9.2 (Digital).
 */

/** What a driver uses from an open ECMA-419 I2C instance. */
export interface I2CInstance {
	/** Fills `buffer` from the target; throws on NACK or timeout. */
	read(buffer: Uint8Array, stop?: boolean): unknown;
	/** Writes `buffer` to the target; throws on NACK or timeout. */
	write(buffer: Uint8Array, stop?: boolean): unknown;
	close(): void;
}

export interface I2COpenOptions {
	readonly data: number;
	readonly clock: number;
	readonly hz: number;
	readonly address: number;
	readonly port?: number;
}

export type I2CConstructor = new (options: I2COpenOptions) => I2CInstance;

/** `options.sensor` of the ECMA-419 Sensor Class Pattern for an I2C chip. */
export interface I2CSensorOptions {
	readonly io: I2CConstructor;
	readonly data: number;
	readonly clock: number;
	readonly address?: number;
	readonly hz?: number;
	readonly port?: number;
}

/** What a driver uses from an open ECMA-419 Digital instance. */
export interface DigitalInstance {
	read(): number;
	write(value: number): void;
	close(): void;
}

export interface DigitalOpenOptions {
	readonly pin: number;
	readonly mode: unknown;
	readonly edge?: number;
	readonly onReadable?: (this: DigitalInstance) => void;
}

/** The Digital class itself: constructor plus the mode and edge constants. */
export interface DigitalConstructor {
	new (options: DigitalOpenOptions): DigitalInstance;
	readonly Input: unknown;
	readonly InputPullDown: unknown;
	readonly InputPullUp: unknown;
	readonly Output: unknown;
	readonly Rising: number;
	readonly Falling: number;
}

/** `options.sensor` (PIR) or `options.relay` (relay) for a single digital pin. */
export interface DigitalPinOptions {
	readonly io: DigitalConstructor;
	readonly pin: number;
	/** Override of the driver's default mode (e.g. `io.InputPullDown`). */
	readonly mode?: unknown;
}

/** Monotonic milliseconds. Injected so drivers that time conversions stay deterministic under test. */
export type Now = () => number;
