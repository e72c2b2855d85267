/*
 * "embedded:io/digital" for the simulators: ECMA-419 §9.2 digital pins whose levels live in
 * the simulated hardware. Input edges arrive as link notifications and call onReadable
 * from the event loop, as an interrupt's callback does on the ESP32. Mode and edge values
 * are Moddable's (modules/io/digital).
 */
import { request, serve } from "sim/link";

const Mode = Object.freeze({ Input: 0, InputPullUp: 1, InputPullDown: 2, InputPullUpDown: 3, Output: 8, OutputOpenDrain: 9 } as const);
const Edge = Object.freeze({ Rising: 1, Falling: 2 } as const);
const MODES: readonly number[] = Object.values(Mode);

interface Options {
	pin: number;
	/** One of the mode constants; typed loosely as ECMA-419's own typings do, checked at run time. */
	mode: unknown;
	edge?: number;
	onReadable?: (this: Digital) => void;
	target?: unknown;
}

const open = new Map<number, Digital>();

serve("digital.edge", (pin: number) => {
	open.get(pin)?.onEdge();
	return 0;
});

export default class Digital {
	static readonly Input = Mode.Input;
	static readonly InputPullUp = Mode.InputPullUp;
	static readonly InputPullDown = Mode.InputPullDown;
	static readonly InputPullUpDown = Mode.InputPullUpDown;
	static readonly Output = Mode.Output;
	static readonly OutputOpenDrain = Mode.OutputOpenDrain;
	static readonly Rising = Edge.Rising;
	static readonly Falling = Edge.Falling;

	readonly #pin: number;
	readonly #output: boolean;
	readonly #onReadable: ((this: Digital) => void) | undefined;
	readonly target: unknown;
	#open = true;

	constructor(options: Options) {
		const { pin, mode, edge = 0, onReadable } = options ?? ({} as Options);
		if (!Number.isInteger(pin) || pin < 0) throw new RangeError("invalid pin");
		if (typeof mode !== "number" || !MODES.includes(mode)) throw new RangeError("invalid mode");
		const output = mode === Mode.Output || mode === Mode.OutputOpenDrain;
		if (edge & ~(Edge.Rising | Edge.Falling) || (edge && (output || typeof onReadable !== "function")))
			throw new RangeError("invalid edge");
		if (open.has(pin)) throw new RangeError("in use");
		if (request("digital.open", pin, mode | (edge << 8)) !== 0) throw new RangeError("invalid pin");
		this.#pin = pin;
		this.#output = output;
		this.#onReadable = edge ? onReadable : undefined;
		this.target = options.target;
		open.set(pin, this);
	}

	read(): 0 | 1 {
		this.#check();
		return request("digital.read", this.#pin, 0) ? 1 : 0;
	}

	write(value: 0 | 1): void {
		this.#check();
		if (!this.#output) throw new RangeError("not an output");
		request("digital.write", this.#pin, value ? 1 : 0);
	}

	close(): void {
		if (!this.#open) return;
		this.#open = false;
		open.delete(this.#pin);
		request("digital.close", this.#pin, 0);
	}

	get format(): "number" {
		return "number";
	}
	set format(value: "number") {
		if (value !== "number") throw new RangeError("invalid format");
	}

	/** Called for a link notification: the pin saw a configured edge. */
	onEdge(): void {
		if (this.#open) this.#onReadable?.call(this);
	}

	#check(): void {
		if (!this.#open) throw new RangeError("closed");
	}
}
