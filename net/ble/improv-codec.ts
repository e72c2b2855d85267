/*
 * Improv RPC frames (spec rev 2.4, interop-protocols B.3), pure: the checksum, the assembly of
 * a command frame from the writes it arrives in, the Send Wi-Fi settings data, result frames,
 * and the hostname rule. No BLE, no timers; buffers are sized once.
 */
import { FRAME_OVERHEAD, MAX_DATA_BYTES, MAX_FRAME_BYTES, MAX_HOSTNAME_BYTES, MAX_PASSWORD_BYTES, MAX_SSID_BYTES } from "net/ble/improv-constants";

/** Sum of all preceding bytes of the frame, modulo 256. */
export function checksum(bytes: ArrayLike<number>, length: number = bytes.length): number {
	let sum = 0;
	for (let i = 0; i < length; i++) sum += bytes[i];
	return sum & 0xff;
}

export const Assembly = Object.freeze({
	/** more writes are needed */
	incomplete: 0,
	/** a whole frame with a good checksum: read command() and data() */
	frame: 1,
	/** a bad checksum, or bytes beyond the frame: the buffer was reset (error 0x01) */
	invalid: 2,
} as const);
export type Assembly = (typeof Assembly)[keyof typeof Assembly];

/**
 * Collects the writes of one command frame: appends until it holds 2 + length + 1 bytes, then
 * checks the checksum; it resets after a frame and after an error, so the next write starts a
 * new frame (B.3 "Chunked writes").
 */
export class FrameAssembler {
	readonly #buffer = new Uint8Array(MAX_FRAME_BYTES);
	#length = 0;
	#frame = 0;

	/** Bytes held of an unfinished frame. */
	get pending(): number {
		return this.#length;
	}

	reset(): void {
		this.#length = 0;
	}

	push(chunk: Uint8Array): Assembly {
		this.#frame = 0;
		if (chunk.length === 0) return Assembly.incomplete;
		if (this.#length + chunk.length > MAX_FRAME_BYTES) {
			this.#length = 0;
			return Assembly.invalid;
		}
		this.#buffer.set(chunk, this.#length);
		this.#length += chunk.length;
		if (this.#length < 2) return Assembly.incomplete;
		const total = this.#buffer[1] + FRAME_OVERHEAD;
		if (this.#length < total) return Assembly.incomplete;
		const good = this.#length === total && checksum(this.#buffer, total - 1) === this.#buffer[total - 1];
		this.#length = 0;
		if (!good) return Assembly.invalid;
		this.#frame = total;
		return Assembly.frame;
	}

	/** The command byte of the frame just assembled. */
	command(): number {
		return this.#frame ? this.#buffer[0] : -1;
	}

	/** The data of the frame just assembled (a view, valid until the next push). */
	data(): Uint8Array {
		return this.#frame ? this.#buffer.subarray(2, this.#frame - 1) : this.#buffer.subarray(0, 0);
	}
}

function decode(bytes: Uint8Array): string | undefined {
	try {
		return String.fromArrayBuffer(bytes.slice().buffer);
	} catch {
		return undefined; // not UTF-8
	}
}

/** Send Wi-Fi settings data: [ssid length][ssid][password length][password], exactly; else undefined. */
export function parseWifiSettings(data: Uint8Array): { ssid: string; password: string } | undefined {
	if (data.length < 2) return undefined;
	const ssidLength = data[0];
	if (ssidLength < 1 || ssidLength > MAX_SSID_BYTES || 1 + ssidLength >= data.length) return undefined;
	const passwordLength = data[1 + ssidLength];
	if (passwordLength > MAX_PASSWORD_BYTES || 2 + ssidLength + passwordLength !== data.length) return undefined;
	const ssid = decode(data.subarray(1, 1 + ssidLength));
	const password = decode(data.subarray(2 + ssidLength));
	return ssid === undefined || password === undefined ? undefined : { ssid, password };
}

/** The data of a get/set command (hostname, device name): undefined to get, the new value to set; null if not UTF-8. */
export function parseOptionalString(data: Uint8Array): string | undefined | null {
	if (data.length === 0) return undefined;
	return decode(data) ?? null;
}

/**
 * Writes a result frame [command][length]([string length][UTF-8])...[checksum] into `into`
 * and returns its length. Throws RangeError when the strings do not fit one frame.
 */
export function encodeResult(command: number, texts: readonly string[], into: Uint8Array): number {
	let at = 2;
	for (const text of texts) {
		const bytes = new Uint8Array(ArrayBuffer.fromString(text));
		if (bytes.length > MAX_DATA_BYTES || at + 1 + bytes.length > MAX_DATA_BYTES + 2 || at + 1 + bytes.length + 1 > into.length)
			throw new RangeError("result too long");
		into[at++] = bytes.length;
		into.set(bytes, at);
		at += bytes.length;
	}
	into[0] = command;
	into[1] = at - 2;
	into[at] = checksum(into, at);
	return at + 1;
}

/** The bytes a string takes in a result frame (its length byte included). */
export function encodedLength(text: string): number {
	return 1 + ArrayBuffer.fromString(text).byteLength;
}

/** RFC 1123 §2.1 host name (one label): letters, digits and hyphens, 1-63, no hyphen at either end. */
export function isValidHostname(name: string): boolean {
	return name.length >= 1 && name.length <= MAX_HOSTNAME_BYTES && /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name);
}
