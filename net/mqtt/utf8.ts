/*
 * UTF-8 strings as MQTT 3.1.1 §1.5.3 defines them: no U+0000 (MQTT-1.5.3-2), no surrogate code
 * points (MQTT-1.5.3-1), well-formed (a receiver closes the connection otherwise). Encoding and
 * validation allocate nothing; decoding returns a new string.
 *
 * Strings are read with String.prototype.charCodeAt called on the primitive: `text.charCodeAt(i)`
 * and `text.length` make XS box the string into a String object on every access (two slots each),
 * so a topic or payload would cost garbage per character. Past the end charCodeAt gives NaN.
 * Some XS builds give a whole code point (> 0xFFFF) where the standard gives a surrogate pair;
 * both are handled.
 */
const charCodeAt = String.prototype.charCodeAt;

/** UTF-8 bytes of a string; RangeError for U+0000 (MQTT-1.5.3-2) and lone surrogates (MQTT-1.5.3-1). */
export function utf8Length(text: string): number {
	let bytes = 0;
	for (let i = 0; ; i++) {
		const unit = charCodeAt.call(text, i);
		if (!(unit >= 0)) break;
		if (unit === 0) throw new RangeError("invalid string");
		if (unit < 0x80) bytes += 1;
		else if (unit < 0x800) bytes += 2;
		else if (unit > 0xffff) bytes += 4;
		else if (unit >= 0xd800 && unit <= 0xdbff) {
			const low = charCodeAt.call(text, i + 1);
			if (!(low >= 0xdc00 && low <= 0xdfff)) throw new RangeError("invalid string");
			bytes += 4;
			i++;
		}
		else if (unit >= 0xdc00 && unit <= 0xdfff) throw new RangeError("invalid string");
		else bytes += 3;
	}
	return bytes;
}

/** Writes a string's UTF-8 bytes (validated by utf8Length first); returns the end offset. */
export function writeUTF8(buffer: Uint8Array, offset: number, text: string): number {
	for (let i = 0; ; i++) {
		let code = charCodeAt.call(text, i);
		if (!(code >= 0)) break;
		if (code < 0x80) buffer[offset++] = code;
		else if (code < 0x800) {
			buffer[offset++] = 0xc0 | (code >> 6);
			buffer[offset++] = 0x80 | (code & 0x3f);
		}
		else if (code > 0xffff || (code >= 0xd800 && code <= 0xdbff)) {
			if (code <= 0xffff) code = 0x1_0000 + ((code - 0xd800) << 10) + (charCodeAt.call(text, ++i) - 0xdc00);
			buffer[offset++] = 0xf0 | (code >> 18);
			buffer[offset++] = 0x80 | ((code >> 12) & 0x3f);
			buffer[offset++] = 0x80 | ((code >> 6) & 0x3f);
			buffer[offset++] = 0x80 | (code & 0x3f);
		}
		else {
			buffer[offset++] = 0xe0 | (code >> 12);
			buffer[offset++] = 0x80 | ((code >> 6) & 0x3f);
			buffer[offset++] = 0x80 | (code & 0x3f);
		}
	}
	return offset;
}

/**
 * Whether buffer[offset..offset+length) is well-formed UTF-8 without U+0000 and without
 * surrogate code points (§1.5.3: a receiver closes the connection otherwise). Allocation-free.
 */
export function validUTF8(buffer: Uint8Array, offset: number, length: number): boolean {
	const end = offset + length;
	while (offset < end) {
		const byte = buffer[offset++];
		if (byte === 0) return false;
		if (byte < 0x80) continue;
		let more, code, min;
		if (byte >= 0xc2 && byte <= 0xdf) { more = 1; code = byte & 0x1f; min = 0x80; }
		else if (byte >= 0xe0 && byte <= 0xef) { more = 2; code = byte & 0x0f; min = 0x800; }
		else if (byte >= 0xf0 && byte <= 0xf4) { more = 3; code = byte & 0x07; min = 0x1_0000; }
		else return false;
		if (offset + more > end) return false;
		for (; more > 0; more--) {
			const next = buffer[offset++];
			if ((next & 0xc0) !== 0x80) return false;
			code = (code << 6) | (next & 0x3f);
		}
		if (code < min || code > 0x10_ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
	}
	return true;
}

/** Decodes UTF-8 (validated by validUTF8) into a new string. */
export function readString(buffer: Uint8Array, offset: number, length: number): string {
	let text = "";
	const end = offset + length;
	while (offset < end) {
		const byte = buffer[offset++];
		let code;
		if (byte < 0x80) code = byte;
		else if (byte < 0xe0) code = ((byte & 0x1f) << 6) | (buffer[offset++] & 0x3f);
		else if (byte < 0xf0) {
			code = ((byte & 0x0f) << 12) | ((buffer[offset] & 0x3f) << 6) | (buffer[offset + 1] & 0x3f);
			offset += 2;
		}
		else {
			code = ((byte & 0x07) << 18) | ((buffer[offset] & 0x3f) << 12) | ((buffer[offset + 1] & 0x3f) << 6) | (buffer[offset + 2] & 0x3f);
			offset += 3;
		}
		text += String.fromCodePoint(code);
	}
	return text;
}
