/*
 * JsonWriter: JSON text (RFC 8259) written into a caller-owned Uint8Array without allocating:
 * objects, arrays, keys given as byte arrays made once (ascii()), integers, fixed-point
 * numbers, and raw bytes copied verbatim. Separators are added as needed. A write that does
 * not fit sets `overflow` and writes nothing more; mark()/restore() take back a partial value
 * (a batch drops the entry that did not fit). Keys and string values are written as given:
 * they must be ASCII without characters JSON escapes (the writer's own constant names).
 *
 * The queue's message writer (net/queue/message) uses it; so can the code that builds a
 * record's body: {"temperature":21.53,"humidity":40.1}.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** Nesting the writer tracks. */
const MAX_DEPTH = 8;
/** Largest integer written exactly (Number.MAX_SAFE_INTEGER); larger magnitudes become null. */
const MAX_EXACT = 9007199254740991;
/** The decimal digits fixed() takes at most. */
const MAX_DECIMALS = 9;
const NULL = ascii("null");

/** The bytes of an ASCII string (setup time: allocates). */
export function ascii(text: string): Uint8Array {
	const bytes = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code > 0x7e || code < 0x20) throw new RangeError("not ASCII");
		bytes[i] = code;
	}
	return bytes;
}

export class JsonWriter {
	readonly #bytes: Uint8Array;
	/** Per depth: 1 once a value was written at that depth (the next one needs a comma). */
	readonly #written = new Uint8Array(MAX_DEPTH + 1);
	#at = 0;
	#depth = 0;
	#afterKey = false;
	#overflow = false;

	constructor(bytes: Uint8Array) {
		if (!(bytes instanceof Uint8Array)) throw new RangeError("invalid buffer");
		this.#bytes = bytes;
	}

	get bytes(): Uint8Array {
		return this.#bytes;
	}
	/** Bytes written. */
	get length(): number {
		return this.#at;
	}
	/** A write did not fit (what was written before it stands). */
	get overflow(): boolean {
		return this.#overflow;
	}

	/** Starts again at byte 0. */
	reset(): void {
		this.#at = 0;
		this.#depth = 0;
		this.#written[0] = 0;
		this.#afterKey = false;
		this.#overflow = false;
	}

	/** A position (between values) that restore() returns to, undoing what was written since. */
	mark(): number {
		return ((this.#at * (MAX_DEPTH + 1)) + this.#depth) * 2 + this.#written[this.#depth];
	}
	restore(mark: number): void {
		const written = mark % 2, rest = (mark - written) / 2, depth = rest % (MAX_DEPTH + 1);
		this.#at = (rest - depth) / (MAX_DEPTH + 1);
		this.#depth = depth;
		this.#written[depth] = written;
		this.#afterKey = false;
		this.#overflow = false;
	}

	openObject(): void {
		this.#open(OPEN_OBJECT);
	}
	closeObject(): void {
		this.#close(CLOSE_OBJECT);
	}
	openArray(): void {
		this.#open(OPEN_ARRAY);
	}
	closeArray(): void {
		this.#close(CLOSE_ARRAY);
	}

	/** `"name":` (with a comma before it when needed). */
	key(name: Uint8Array): void {
		this.#separate();
		this.#byte(QUOTE);
		this.#copy(name, 0, name.length);
		this.#byte(QUOTE);
		this.#byte(COLON);
		this.#afterKey = true;
	}

	/** A string value: `"text"` (ASCII, nothing to escape). */
	string(text: Uint8Array): void {
		this.#separate();
		this.#byte(QUOTE);
		this.#copy(text, 0, text.length);
		this.#byte(QUOTE);
	}

	/** An integer value; null when it is not a safe integer. */
	integer(value: number): void {
		this.#separate();
		if (!Number.isSafeInteger(value)) {
			this.#copy(NULL, 0, NULL.length);
			return;
		}
		if (value < 0) {
			this.#byte(MINUS);
			value = -value;
		}
		this.#digits(value, 1);
	}

	/**
	 * A number with `decimals` digits after the point (0..9), rounded half away from zero:
	 * fixed(21.456, 2) writes 21.46. Not finite, or too large to scale exactly: null.
	 */
	fixed(value: number, decimals: number): void {
		this.#separate();
		let scale = 1;
		for (let i = 0; i < decimals && i < MAX_DECIMALS; i++) scale *= 10;
		const scaled = Math.round(Math.abs(value) * scale);
		if (!(scaled <= MAX_EXACT)) {
			this.#copy(NULL, 0, NULL.length);
			return;
		}
		if (value < 0 && scaled > 0) this.#byte(MINUS);
		this.#digits(Math.floor(scaled / scale), 1);
		if (scale === 1) return;
		this.#byte(DOT);
		this.#digits(scaled % scale, scale / 10);
	}

	/** Bytes from[from, to) of `bytes`, verbatim, as a value (or the members of an open object). */
	raw(bytes: Uint8Array, from: number, to: number): void {
		this.#separate();
		this.#copy(bytes, from, to);
	}

	/** Bytes written verbatim with no separator (JSON the caller has made whole). */
	append(bytes: Uint8Array, from: number, to: number): void {
		this.#copy(bytes, from, to);
	}

	#open(bracket: number): void {
		this.#separate();
		this.#byte(bracket);
		if (this.#depth >= MAX_DEPTH) throw new RangeError("nested too deep");
		this.#written[++this.#depth] = 0;
	}

	#close(bracket: number): void {
		if (this.#depth === 0) throw new RangeError("nothing open");
		this.#depth--;
		this.#byte(bracket);
	}

	/** Before a value or key: a comma after an earlier one at this depth (none after a key). */
	#separate(): void {
		if (this.#afterKey) {
			this.#afterKey = false;
			return;
		}
		if (this.#written[this.#depth]) this.#byte(COMMA);
		this.#written[this.#depth] = 1;
	}

	/** The decimal digits of a non-negative integer, at least as many as `place` has (1, 10, 100...). */
	#digits(value: number, place: number): void {
		while (place * 10 <= value) place *= 10;
		for (; place >= 1; place /= 10) {
			let digit = Math.floor(value / place);
			if (digit * place > value) digit--; // the division rounded up
			this.#byte(ZERO + digit);
			value -= digit * place;
		}
	}

	#byte(value: number): void {
		if (this.#at >= this.#bytes.length) {
			this.#overflow = true;
			return;
		}
		if (!this.#overflow) this.#bytes[this.#at++] = value;
	}

	#copy(bytes: Uint8Array, from: number, to: number): void {
		if (this.#overflow || this.#at + (to - from) > this.#bytes.length) {
			this.#overflow = true;
			return;
		}
		for (let i = from; i < to; i++) this.#bytes[this.#at++] = bytes[i];
	}
}
Object.freeze(JsonWriter.prototype);
