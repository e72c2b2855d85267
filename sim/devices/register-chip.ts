/*
 * Base for register-file chip models (BME280, MPU-6050, MAX30102): a 256-byte register file,
 * a register pointer set by the first written byte, reads that auto-increment the pointer (a
 * model may pin it, as FIFO data registers do), the uniform fault API, and a start-up window
 * after power-on during which the chip does not acknowledge.
 */
import type { SimClock } from "sim/devices/i2c-target";
import { FaultSet, type FaultKind, type SimChip } from "sim/devices/faults";

export abstract class RegisterChip implements SimChip {
	readonly address: number;
	protected readonly clock: SimClock;
	protected readonly regs = new Uint8Array(256);
	protected pointer = 0;
	readonly #faults: FaultSet;
	#ackAfter = 0;

	constructor(address: number, clock: SimClock, supported: readonly FaultKind[], initial: readonly FaultKind[] = []) {
		this.address = address;
		this.clock = clock;
		this.#faults = new FaultSet(["nack", ...supported], initial);
	}

	fault(kind: FaultKind, on = true): void {
		this.#faults.set(kind, on);
	}

	protected faulty(kind: FaultKind): boolean {
		return this.#faults.has(kind);
	}

	/** Power-on reset: a model restores its registers, then calls startup(ms). */
	abstract powerOnReset(): void;

	/** The chip NACKs everything for `ms` (power-on / soft-reset start-up time). */
	protected startup(ms: number): void {
		this.#ackAfter = this.clock.now() + ms;
	}

	write(data: Uint8Array, _stop: boolean): boolean {
		if (this.faulty("nack") || this.clock.now() < this.#ackAfter) return false;
		this.update();
		if (data.length === 0) return true;
		return this.writeBytes(data);
	}

	read(into: Uint8Array, _stop: boolean): boolean {
		if (this.faulty("nack") || this.clock.now() < this.#ackAfter) return false;
		this.update();
		for (let i = 0; i < into.length; i++) {
			into[i] = this.readRegister(this.pointer) & 0xff;
			this.pointer = this.nextPointer(this.pointer);
		}
		return true;
	}

	/** Default write protocol: register address, then data bytes to consecutive registers. */
	protected writeBytes(data: Uint8Array): boolean {
		this.pointer = data[0];
		for (let i = 1; i < data.length; i++) {
			this.writeRegister(this.pointer, data[i]);
			this.pointer = this.nextPointer(this.pointer);
		}
		return true;
	}

	/** Brings time-dependent state (conversions, FIFO) up to the clock's now. */
	protected update(): void {}

	protected readRegister(register: number): number {
		return this.regs[register];
	}

	/** Default: registers are read-only; models override for their writable ones. */
	protected writeRegister(_register: number, _value: number): void {}

	protected nextPointer(register: number): number {
		return (register + 1) & 0xff;
	}
}
