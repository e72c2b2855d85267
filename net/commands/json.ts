/*
 * Bounded decoding of an untrusted payload: strict UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF; and no NUL byte, which JSON text never needs raw and
 * which would end an XS string early), a nesting-depth check before JSON.parse (XS parses
 * recursively, and the device's stack is 512 slots: `[[[[...` from a hostile peer must not
 * reach the parser), then JSON.parse. The caller has checked the size already.
 */

export type Decoded = { readonly value: unknown } | { readonly problem: "encoding" | "json"; readonly detail: string };

/** Deepest nesting of arrays and objects accepted (the deepest command, a schedule, needs 3). */
export const MAX_DEPTH = 4;

/** Index of the first byte that breaks strict UTF-8, or -1. */
export function utf8Error(bytes: Uint8Array): number {
	const length = bytes.length;
	let i = 0;
	while (i < length) {
		const b = bytes[i];
		if (b < 0x80) {
			if (b === 0) return i; // XS strings end at NUL: a NUL could hide what follows it
			i++;
			continue;
		}
		let need: number, min: number, cp: number;
		if (b >= 0xc2 && b <= 0xdf) {
			need = 1; min = 0x80; cp = b & 0x1f;
		} else if (b >= 0xe0 && b <= 0xef) {
			need = 2; min = 0x800; cp = b & 0x0f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3; min = 0x10000; cp = b & 0x07;
		} else return i; // continuation byte first, C0/C1 (overlong 2-byte), F5..FF
		if (i + need >= length) return i; // truncated sequence
		for (let k = 1; k <= need; k++) {
			const c = bytes[i + k];
			if ((c & 0xc0) !== 0x80) return i;
			cp = (cp << 6) | (c & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
		i += need + 1;
	}
	return -1;
}

/** Deepest array/object nesting in JSON text bytes (strings skipped), stopping early past `limit`. */
export function jsonDepth(bytes: Uint8Array, limit: number): number {
	let depth = 0, deepest = 0, inString = false;
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i];
		if (inString) {
			if (b === 0x5c) i++; // backslash: skip the escaped byte
			else if (b === 0x22) inString = false;
		} else if (b === 0x22) inString = true;
		else if (b === 0x5b || b === 0x7b) {
			if (++depth > deepest) {
				deepest = depth;
				if (deepest > limit) return deepest;
			}
		} else if (b === 0x5d || b === 0x7d) depth--;
	}
	return deepest;
}

/** UTF-8 bytes to a string (the bytes are valid UTF-8); copies, so a view of a receive buffer is fine. */
function text(bytes: Uint8Array): string {
	const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
	return String.fromArrayBuffer(copy.buffer);
}

/** Decodes and parses `bytes` as JSON, or says why it cannot. */
export function decodeJson(bytes: Uint8Array, maxDepth = MAX_DEPTH): Decoded {
	const bad = utf8Error(bytes);
	if (bad >= 0) return { problem: "encoding", detail: `invalid UTF-8 at byte ${bad}` };
	const depth = jsonDepth(bytes, maxDepth);
	if (depth > maxDepth) return { problem: "json", detail: `nested deeper than ${maxDepth}` };
	try {
		return { value: JSON.parse(text(bytes)) };
	} catch {
		return { problem: "json", detail: "not valid JSON" };
	}
}
