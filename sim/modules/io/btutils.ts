/*
 * Moddable's "btutils" for the simulators: Bytes (Bluetooth byte order), the uuid`` and address``
 * tags, the characteristic value conversions, and advertisement serialisation with the 31-byte
 * limit of legacy advertising, as the SDK's modules/network/ble/btutils.js does them (Bytes.set
 * and equals are natives there; plain code here).
 */

/** Bluetooth Core 5.4 Vol 3 Part C §11 / Vol 6 Part B §2.3.1.1: legacy AdvData and ScanRspData are at most 31 bytes. */
export const MAX_AD_LENGTH = 31;

/** Assigned numbers, "Common Data Types" (Bluetooth SIG Assigned Numbers §2.3). */
const ADType = Object.freeze({
	flags: 0x01,
	incompleteUUID16List: 0x02,
	completeUUID16List: 0x03,
	incompleteUUID128List: 0x06,
	completeUUID128List: 0x07,
	shortName: 0x08,
	completeName: 0x09,
	txPowerLevel: 0x0a,
	serviceDataUUID16: 0x16,
	appearance: 0x19,
	serviceDataUUID128: 0x21,
	manufacturerSpecific: 0xff,
} as const);

function hexToBytes(text: string): Uint8Array {
	if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error("unsupported type");
	const bytes = new Uint8Array(text.length >> 1);
	for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
	return bytes;
}

export class Bytes extends ArrayBuffer {
	constructor(bytes: string | ArrayBuffer, littleEndian?: boolean) {
		let source: Uint8Array;
		if (typeof bytes === "string") source = hexToBytes(bytes);
		else if (bytes instanceof ArrayBuffer) source = new Uint8Array(bytes.slice(0));
		else throw new Error("unsupported type");
		super(source.length);
		const target = new Uint8Array(this);
		target.set(source);
		if (littleEndian === true) target.reverse();
	}

	equals(bytes: ArrayBuffer): boolean {
		const a = new Uint8Array(this), b = new Uint8Array(bytes);
		if (a.length !== b.length) return false;
		for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
		return true;
	}

	/** As the SDK prints them: most significant byte first; addresses with colons, 128-bit UUIDs with dashes. */
	override toString(): string {
		const bytes = new Uint8Array(this);
		const hex = (from: number, to: number): string => {
			let text = "";
			for (let i = to - 1; i >= from; i--) text += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16).toUpperCase();
			return text;
		};
		if (bytes.length === 6) {
			const parts: string[] = [];
			for (let i = 5; i >= 0; i--) parts.push(hex(i, i + 1));
			return parts.join(":");
		}
		if (bytes.length === 16) return `${hex(12, 16)}-${hex(10, 12)}-${hex(8, 10)}-${hex(6, 8)}-${hex(0, 6)}`;
		return hex(0, bytes.length);
	}
}

export function uuid(strings: TemplateStringsArray): Bytes {
	return new Bytes(strings[0].replaceAll("-", ""), true);
}

export function address(strings: TemplateStringsArray): Bytes {
	return new Bytes(strings[0].replaceAll(":", ""), true);
}

function toBuffer(value: ArrayBufferView | ArrayBuffer): ArrayBuffer {
	if (value instanceof ArrayBuffer) return value;
	return (value.buffer as ArrayBuffer).slice(value.byteOffset, value.byteOffset + value.byteLength);
}

export function typedValueToBuffer(type: string, value: unknown): ArrayBuffer {
	switch (type) {
		case "Uint8Array":
		case "Int8Array":
		case "Int16Array":
		case "Uint16Array":
			return toBuffer(value as ArrayBufferView);
		case "Array":
			return new Uint8Array(value as number[]).buffer;
		case "String":
			return ArrayBuffer.fromString(value as string);
		case "Uint8":
			return Uint8Array.of((value as number) & 0xff).buffer;
		case "Int16":
		case "Uint16":
			return Uint8Array.of((value as number) & 0xff, ((value as number) >> 8) & 0xff).buffer;
		case "Uint32":
			return Uint8Array.of((value as number) & 0xff, ((value as number) >> 8) & 0xff, ((value as number) >> 16) & 0xff,
				((value as number) >> 24) & 0xff).buffer;
		default:
			return toBuffer(value as ArrayBuffer | ArrayBufferView);
	}
}

export function typedBufferToValue(type: string, buffer: ArrayBuffer): unknown {
	switch (type) {
		case "Array":
		case "Uint8Array":
			return new Uint8Array(buffer);
		case "Int8Array":
			return new Int8Array(buffer);
		case "Int16Array":
			return new Int16Array(buffer);
		case "Uint16Array":
			return new Uint16Array(buffer);
		case "String":
			return String.fromArrayBuffer(buffer);
		case "Uint8":
			return new Uint8Array(buffer)[0] & 0xff;
		case "Int16":
			return new DataView(buffer).getInt16(0, true);
		case "Uint16":
			return new DataView(buffer).getUint16(0, true);
		case "Uint32":
			return new DataView(buffer).getUint32(0, true);
		default:
			return buffer;
	}
}

type Part = { type: number; data: ArrayLike<number> };

function uuidList(list: unknown, size: number): Uint8Array {
	const uuids = list as ArrayBuffer[];
	const result = new Uint8Array(uuids.length * size);
	uuids.forEach((uuid, i) => {
		if (uuid.byteLength !== size) throw new RangeError("invalid uuid");
		result.set(new Uint8Array(uuid), i * size);
	});
	return result;
}

function serviceData(value: unknown, size: number): Uint8Array {
	const { uuid, data } = value as { uuid: ArrayBuffer; data?: ArrayLike<number> };
	if (uuid.byteLength !== size) throw new RangeError("invalid uuid");
	const result = new Uint8Array(size + (data?.length ?? 0));
	result.set(new Uint8Array(uuid));
	if (data) result.set(data, size);
	return result;
}

function part(key: string, value: unknown): Part {
	switch (key) {
		case "flags": return { type: ADType.flags, data: [(value as number) & 0xff] };
		case "completeName": return { type: ADType.completeName, data: new Uint8Array(ArrayBuffer.fromString(value as string)) };
		case "shortName": return { type: ADType.shortName, data: new Uint8Array(ArrayBuffer.fromString(value as string)) };
		case "completeUUID16List": return { type: ADType.completeUUID16List, data: uuidList(value, 2) };
		case "incompleteUUID16List": return { type: ADType.incompleteUUID16List, data: uuidList(value, 2) };
		case "completeUUID128List": return { type: ADType.completeUUID128List, data: uuidList(value, 16) };
		case "incompleteUUID128List": return { type: ADType.incompleteUUID128List, data: uuidList(value, 16) };
		case "serviceDataUUID16": return { type: ADType.serviceDataUUID16, data: serviceData(value, 2) };
		case "serviceDataUUID128": return { type: ADType.serviceDataUUID128, data: serviceData(value, 16) };
		case "txPowerLevel": return { type: ADType.txPowerLevel, data: [(value as number) & 0xff] };
		case "appearance": return { type: ADType.appearance, data: [(value as number) & 0xff, ((value as number) >> 8) & 0xff] };
		case "manufacturerSpecific": {
			const { identifier, data } = value as { identifier: number; data?: ArrayLike<number> };
			const bytes = new Uint8Array(2 + (data?.length ?? 0));
			bytes[0] = identifier & 0xff;
			bytes[1] = (identifier >> 8) & 0xff;
			if (data) bytes.set(data, 2);
			return { type: ADType.manufacturerSpecific, data: bytes };
		}
		default:
			throw new TypeError(`unsupported advertisement field ${key}`);
	}
}

export class Advertisement {
	static serialize(data: Record<string, unknown>): ArrayBuffer {
		const parts: Part[] = [];
		for (const key in data) parts.push(part(key, data[key]));
		let length = 0;
		for (const { data: bytes } of parts) length += 2 + bytes.length;
		if (length > MAX_AD_LENGTH) throw new Error("advertisement exceeds maximum length");
		const result = new Uint8Array(length);
		let at = 0;
		for (const { type, data: bytes } of parts) {
			result[at++] = 1 + bytes.length;
			result[at++] = type;
			result.set(bytes, at);
			at += bytes.length;
		}
		return result.buffer;
	}
}
