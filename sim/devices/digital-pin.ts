/*
 * Simulated GPIO pins and an ECMA-419 `embedded:io/digital`-shaped class bound to them
 * (ECMA-419 2nd ed. §9.2): constructor({pin, mode, edge?, onReadable?}), read(), write(value),
 * close(), static mode constants and Rising/Falling edge bits. onReadable runs synchronously,
 * with `this` the instance, when the pin's level changes on a selected edge.
 * Failures follow STYLE §2.2 (RangeError for bad options, a pin in use, use after close) and the
 * Moddable ESP32 implementation (modules/io/digital/esp32/digitalbank.c): an output starts low,
 * read() of an output and write() of an input throw Error("unimplemented").
 */

export type Level = 0 | 1;
type Listener = (level: Level) => void;

/** One pin: an externally driven level (a sensor's output), an output driver, or a forced fault level. */
export class SimPin {
	readonly number: number;
	#external: Level;
	#output: Level | undefined;
	#forced: Level | undefined;
	readonly #listeners = new Set<Listener>();
	#transitions = 0;

	constructor(number: number, level: Level = 0) {
		this.number = number;
		this.#external = level;
	}

	/** The level a reader sees. */
	get level(): Level {
		return this.#forced ?? this.#output ?? this.#external;
	}

	/** Level changes seen so far (output switching included). */
	get transitions(): number {
		return this.#transitions;
	}

	/** Drives the pin from outside (a PIR's output, a button). */
	set(level: Level): void {
		this.#change(() => (this.#external = level));
	}

	/** Fault: the pin reads `level` whatever drives it (short to a rail); undefined ends it. */
	force(level: Level | undefined): void {
		this.#change(() => (this.#forced = level));
	}

	/** Used by an Output instance; undefined releases the pin. */
	drive(level: Level | undefined): void {
		this.#change(() => (this.#output = level));
	}

	subscribe(listener: Listener): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#change(apply: () => void): void {
		const before = this.level;
		apply();
		const after = this.level;
		if (after === before) return;
		this.#transitions++;
		for (const listener of [...this.#listeners]) listener(after);
	}
}

export class SimPinBank {
	readonly #pins = new Map<number, SimPin>();

	pin(number: number): SimPin {
		let pin = this.#pins.get(number);
		if (!pin) this.#pins.set(number, (pin = new SimPin(number)));
		return pin;
	}
}

export interface SimDigitalOptions {
	readonly pin: number;
	readonly mode: unknown;
	readonly edge?: number;
	readonly onReadable?: (this: SimDigital) => void;
}

export interface SimDigital {
	read(): Level;
	write(value: number): void;
	close(): void;
}

export interface SimDigitalClass {
	new (options: SimDigitalOptions): SimDigital;
	readonly Input: unknown;
	readonly InputPullUp: unknown;
	readonly InputPullDown: unknown;
	readonly InputPullUpDown: unknown;
	readonly Output: unknown;
	readonly OutputOpenDrain: unknown;
	readonly Rising: number;
	readonly Falling: number;
}

const MODES = Object.freeze({
	Input: "Input", InputPullUp: "InputPullUp", InputPullDown: "InputPullDown", InputPullUpDown: "InputPullUpDown",
	Output: "Output", OutputOpenDrain: "OutputOpenDrain",
} as const);
const RISING = 1, FALLING = 2;

/** Returns a Digital class whose instances use the pins of `bank`. */
export function digitalIoFor(bank: SimPinBank): SimDigitalClass {
	const inUse = new Set<number>();

	return class Digital implements SimDigital {
		static readonly Input = MODES.Input;
		static readonly InputPullUp = MODES.InputPullUp;
		static readonly InputPullDown = MODES.InputPullDown;
		static readonly InputPullUpDown = MODES.InputPullUpDown;
		static readonly Output = MODES.Output;
		static readonly OutputOpenDrain = MODES.OutputOpenDrain;
		static readonly Rising = RISING;
		static readonly Falling = FALLING;

		readonly #pin: SimPin;
		readonly #output: boolean;
		#unsubscribe: (() => void) | undefined;
		#open = true;

		constructor(options: SimDigitalOptions) {
			if (typeof options !== "object" || options === null) throw new RangeError("invalid options");
			const { pin, mode, edge, onReadable } = options;
			if (!Number.isInteger(pin) || pin < 0) throw new RangeError("invalid pin");
			if (!Object.values(MODES).includes(mode as never)) throw new RangeError("invalid mode");
			const output = mode === MODES.Output || mode === MODES.OutputOpenDrain;
			if (onReadable !== undefined) {
				if (typeof onReadable !== "function" || output) throw new RangeError("invalid onReadable");
				if (edge !== RISING && edge !== FALLING && edge !== (RISING | FALLING)) throw new RangeError("invalid edge");
			}
			if (inUse.has(pin)) throw new RangeError("in use");
			inUse.add(pin);
			this.#pin = bank.pin(pin);
			this.#output = output;
			if (output) this.#pin.drive(0);
			if (onReadable) {
				const wanted = edge as number;
				this.#unsubscribe = this.#pin.subscribe((level) => {
					if (wanted & (level ? RISING : FALLING)) onReadable.call(this);
				});
			}
		}

		read(): Level {
			if (!this.#open) throw new RangeError("closed");
			if (this.#output) throw new Error("unimplemented");
			return this.#pin.level;
		}

		write(value: number): void {
			if (!this.#open) throw new RangeError("closed");
			if (!this.#output) throw new Error("unimplemented");
			if (value !== 0 && value !== 1) throw new RangeError("invalid value");
			this.#pin.drive(value);
		}

		close(): void {
			if (!this.#open) return;
			this.#open = false;
			this.#unsubscribe?.();
			if (this.#output) this.#pin.drive(undefined);
			inUse.delete(this.#pin.number);
		}
	};
}
