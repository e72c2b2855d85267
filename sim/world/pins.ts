/*
 * The simulated GPIO bank behind "embedded:io/digital": pin levels, who opened them and in
 * which mode, and edge notifications to the device. The world drives inputs (a PIR, a
 * button) with drive(); it watches outputs (relays, an LED) with onOutput().
 */
import { notifyDevice, serve } from "sim/link";

const OUTPUT = 8, OUTPUT_OPEN_DRAIN = 9, PULL_UP = 1, PULL_UP_DOWN = 3;
const RISING = 1, FALLING = 2;

interface Pin {
	open: boolean;
	mode: number;
	edge: number;
	/** the level the world drives on an input, or the device drives on an output */
	level: 0 | 1;
}

export type OutputWatcher = (pin: number, level: 0 | 1) => void;

export class PinBank {
	readonly #pins = new Map<number, Pin>();
	readonly #watchers: OutputWatcher[] = [];

	/** `pins`: the board's pin numbers; opening any other pin fails as on the device. */
	constructor(pins: readonly number[]) {
		for (const pin of pins) this.#pins.set(pin, { open: false, mode: 0, edge: 0, level: 0 });
		serve("digital.open", (pin, modeAndEdge) => this.#open(pin, modeAndEdge & 0xff, modeAndEdge >> 8));
		serve("digital.close", (pin) => this.#close(pin));
		serve("digital.read", (pin) => this.#pins.get(pin)?.level ?? 0);
		serve("digital.write", (pin, level) => this.#write(pin, level ? 1 : 0));
	}

	/** The world sets an input's level; a configured edge notifies the device. */
	drive(pin: number, level: 0 | 1): void {
		const state = this.#pins.get(pin);
		if (!state) throw new RangeError(`no pin ${pin}`);
		const previous = state.level;
		state.level = level;
		if (!state.open || previous === level) return;
		if ((level && state.edge & RISING) || (!level && state.edge & FALLING)) notifyDevice("digital.edge", pin, level);
	}

	level(pin: number): 0 | 1 {
		return this.#pins.get(pin)?.level ?? 0;
	}

	/** Is the pin opened as an output by the device? (A closed relay pin is undriven.) */
	driven(pin: number): boolean {
		const state = this.#pins.get(pin);
		return !!state && state.open && (state.mode === OUTPUT || state.mode === OUTPUT_OPEN_DRAIN);
	}

	onOutput(watcher: OutputWatcher): void {
		this.#watchers.push(watcher);
	}

	/** A device reboot: every pin returns to an unopened input. */
	reset(): void {
		for (const [pin, state] of this.#pins) {
			const wasDriven = this.driven(pin);
			state.open = false;
			state.mode = 0;
			state.edge = 0;
			if (wasDriven) {
				state.level = 0;
				for (const watch of this.#watchers) watch(pin, 0);
			}
		}
	}

	#open(pin: number, mode: number, edge: number): number {
		const state = this.#pins.get(pin);
		if (!state || state.open) return -1;
		state.open = true;
		state.mode = mode;
		state.edge = edge;
		if (mode === PULL_UP || mode === PULL_UP_DOWN) state.level = state.level || 1;
		return 0;
	}

	#close(pin: number): number {
		const state = this.#pins.get(pin);
		if (!state?.open) return -1;
		const wasDriven = this.driven(pin);
		state.open = false;
		if (wasDriven) this.#write(pin, 0, true);
		return 0;
	}

	#write(pin: number, level: 0 | 1, force = false): number {
		const state = this.#pins.get(pin);
		if (!state || (!force && !this.driven(pin))) return -1;
		if (state.level === level) return 0;
		state.level = level;
		for (const watch of this.#watchers) watch(pin, level);
		return 0;
	}
}
