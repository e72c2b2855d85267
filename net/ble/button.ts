/*
 * The device's button as a physical authorizer (Improv B.5, the configuration service's pairing
 * window): a digital input with an edge interrupt; a press is the edge to the active level, once
 * per debounce time. The simulated board's button drives its pin high while pressed (the
 * "button" action); an ESP32 devkit's BOOT button (GPIO0) pulls low: `activeLow`.
 */
import type { DigitalConstructor, DigitalInstance } from "drivers/io";

/** Contact bounce of a tactile switch settles within a few ms; 50 ms covers it with margin. */
const DEBOUNCE_MS = 50;

export interface ButtonOptions {
	readonly io: DigitalConstructor;
	readonly pin: number;
	readonly activeLow?: boolean;
	readonly onPress: () => void;
	readonly now: () => number;
}

export class PressButton {
	#io: DigitalInstance | undefined;
	readonly #active: number;
	#last = -Infinity;

	constructor(options: ButtonOptions) {
		const { io: Digital, pin, activeLow = false, onPress, now } = options ?? ({} as ButtonOptions);
		if (typeof Digital !== "function" || !Number.isInteger(pin) || typeof onPress !== "function") throw new RangeError("invalid button");
		this.#active = activeLow ? 0 : 1;
		this.#io = new Digital({
			pin,
			mode: activeLow ? Digital.InputPullUp : Digital.Input,
			edge: activeLow ? Digital.Falling : Digital.Rising,
			onReadable: () => {
				const at = now();
				if (this.#io?.read() !== this.#active || at - this.#last < DEBOUNCE_MS) return;
				this.#last = at;
				onPress();
			},
		});
	}

	close(): void {
		this.#io?.close();
		this.#io = undefined;
	}
}
