/*
 * The simulated Bluetooth LE radio: the device's peripheral stack (the GATT database built from
 * bleservices/*.json, as Moddable's bles2gatt builds NimBLE's table, with its permission checks)
 * and the air between it and a simulated central (sim/world/phone.ts). The device's "bleserver"
 * (sim/modules/io/bleserver.ts) reaches it over the link; the central calls it directly.
 *
 * What it enforces, as NimBLE and the Core specification (5.4) do:
 * - legacy advertising: AdvData and ScanRspData at most 31 bytes each (Vol 6 Part B §2.3.1.1);
 *   a connectable advertisement stops when a central connects; one connection at a time;
 * - ATT: reads and writes only where the characteristic's properties and permissions allow
 *   (Read/Write Not Permitted 0x02/0x03); readEncrypted/writeEncrypted on an unencrypted link
 *   fail with Insufficient Encryption 0x0F when the peer is bonded (it has a key and must
 *   encrypt) and Insufficient Authentication 0x05 when it is not (it must pair first), as in
 *   Vol 3 Part C §10.3.2 and NimBLE's ble_att_svr_check_perms; a value longer than the JSON's
 *   maxBytes fails with Invalid Attribute Value Length 0x0D; one ATT PDU carries at most
 *   ATT_MTU - 3 value bytes (default ATT_MTU 23, Vol 3 Part F §3.2.8), so a central chunks its
 *   writes and a notification is cut at ATT_MTU - 3; a dynamic read the firmware leaves
 *   unanswered fails with Insufficient Resources 0x11 (Moddable on NimBLE);
 * - notifications reach the central only after it enabled them in the CCCD;
 * - security: Just Works pairing only (the device has no display or keyboard), which gives no
 *   MITM protection, so pairing fails with Authentication Requirements (SMP 0x03, Vol 3 Part H
 *   §2.3.5.1) while the firmware's securityParameters ask for mitm; a bond is stored only when
 *   both sides ask for bonding; a bonded central re-encrypts without pairing.
 */
import Timer from "timer";
import Resource from "Resource";
import { notifyDevice, serve } from "sim/link";

/** ATT error codes, Core 5.4 Vol 3 Part F §3.4.1.1. */
export const AttError = Object.freeze({
	invalidHandle: 0x01,
	readNotPermitted: 0x02,
	writeNotPermitted: 0x03,
	insufficientAuthentication: 0x05,
	invalidAttributeValueLength: 0x0d,
	insufficientEncryption: 0x0f,
	insufficientResources: 0x11,
} as const);

/** SMP Pairing Failed reasons, Vol 3 Part H §3.5.5. */
export const SmpError = Object.freeze({ authenticationRequirements: 0x03, pairingNotSupported: 0x05 } as const);

/** HCI disconnect reasons and errors, Vol 1 Part F §2. */
export const HciReason = Object.freeze({
	pinOrKeyMissing: 0x06,
	connectionTimeout: 0x08,
	remoteUserTerminated: 0x13,
	localHostTerminated: 0x16,
} as const);

/** The default ATT_MTU (Vol 3 Part F §3.2.8) and NimBLE's preferred MTU (ESP-IDF CONFIG_BT_NIMBLE_ATT_PREFERRED_MTU). */
export const ATT_DEFAULT_MTU = 23;
export const SERVER_MTU = 256;
/** The largest attribute value, Vol 3 Part F §3.2.9. */
export const ATT_MAX_VALUE = 512;
export const MAX_AD_LENGTH = 31;
/** A phone's usual connection interval; each ATT request and its response take one. */
export const CONNECTION_INTERVAL_MS = 30;
/** ATT transaction timeout, Vol 3 Part F §3.3.3: after it the link is unusable and is dropped. */
export const ATT_TIMEOUT_MS = 30_000;
const STACK_READY_MS = 50;
const PAIRING_MS = 600;

/** The firmware's GATT services: every file of bleservices/, deployed as Moddable deploys them. */
export const SERVICE_FILES = Object.freeze(["improv.json", "config.json"]);
const DEVICE_ADDRESS = "24:0A:C4:00:00:01";

type Access = "none" | "open" | "encrypted";

export interface GattCharacteristic {
	readonly service: string;
	readonly name: string;
	readonly uuid: string;
	readonly type: string;
	readonly properties: readonly string[];
	readonly read: Access;
	readonly write: Access;
	readonly maxBytes: number;
	readonly value: Uint8Array | undefined;
	readonly declaration: number;
	readonly handle: number;
	readonly cccd: number | undefined;
}

export interface GattServiceInfo {
	readonly uuid: string;
	readonly handle: number;
	readonly characteristics: readonly GattCharacteristic[];
}

/** What a central sees of a characteristic after discovery (no names: GATT has none). */
export interface Discovered {
	readonly service: string;
	readonly uuid: string;
	readonly handle: number;
	readonly properties: readonly string[];
	readonly cccd: number | undefined;
}

export interface AttResult {
	readonly error?: number;
	readonly value?: Uint8Array;
}

export interface ScanReport {
	readonly address: string;
	readonly rssi: number;
	readonly connectable: boolean;
	readonly advertising: Uint8Array;
	readonly scanResponse: Uint8Array;
}

/** The central's side of the link: the radio calls these from the event loop. */
export interface Central {
	readonly address: string;
	onDisconnected(reason: number): void;
	onNotification(handle: number, value: Uint8Array): void;
	onSecurityRequest(): void;
}

export function normalizeUuid(text: string): string {
	const lower = text.toLowerCase();
	if (!/^[0-9a-f]{4}$/.test(lower) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(lower))
		throw new RangeError(`unsupported UUID ${text}`);
	return lower;
}

/** A characteristic's static `value` as bytes, as bles2gatt's typedValueToBuffer writes it. */
function staticValue(type: string, value: unknown): Uint8Array {
	if (type === "String") return new Uint8Array(ArrayBuffer.fromString(String(value)));
	if (type === "Uint8") return Uint8Array.of(Number(value) & 0xff);
	if (type === "Uint16") return Uint8Array.of(Number(value) & 0xff, (Number(value) >> 8) & 0xff);
	if (type === "Uint32") return Uint8Array.of(Number(value) & 0xff, (Number(value) >> 8) & 0xff, (Number(value) >> 16) & 0xff, (Number(value) >> 24) & 0xff);
	if (Array.isArray(value)) return new Uint8Array(value as number[]);
	throw new RangeError(`unsupported static value of type ${type}`);
}

const PROPERTIES = ["read", "write", "writeNoResponse", "notify", "indicate", "extended"];

/**
 * Builds the GATT table from service JSON texts, with bles2gatt's checks (known properties, one
 * read and one write permission). Handles as NimBLE assigns them: service, then per
 * characteristic its declaration, its value and (notify/indicate) its CCCD.
 */
export function buildGatt(texts: readonly string[], firstHandle = 0x0010): GattServiceInfo[] {
	let handle = firstHandle;
	const names = new Set<string>();
	return texts.map((text) => {
		const { service } = JSON.parse(text) as { service: { uuid: string; characteristics: Record<string, Record<string, unknown>> } };
		const serviceUuid = normalizeUuid(service.uuid);
		const serviceHandle = handle++;
		const characteristics = Object.entries(service.characteristics).map(([name, spec]): GattCharacteristic => {
			if (names.has(name)) throw new RangeError(`characteristic name ${name} used twice`);
			names.add(name);
			const properties = String(spec.properties ?? "").split(",").map((p) => p.trim()).filter(Boolean);
			for (const p of properties) if (!PROPERTIES.includes(p)) throw new RangeError(`${name}: unknown property ${p}`);
			let read: Access = "none", write: Access = "none", reads = 0, writes = 0;
			for (const p of String(spec.permissions ?? "").split(",").map((q) => q.trim()).filter(Boolean)) {
				if (p === "read" || p === "readEncrypted") {
					reads++;
					read = p === "read" ? "open" : "encrypted";
				} else if (p === "write" || p === "writeEncrypted") {
					writes++;
					write = p === "write" ? "open" : "encrypted";
				} else throw new RangeError(`${name}: unsupported permission ${p}`);
			}
			if (reads > 1 || writes > 1) throw new RangeError(`${name}: one read and one write permission at most`);
			// NimBLE's flags are the union of properties and permissions (bles2gatt parseAccess).
			if (read === "none" && properties.includes("read")) read = "open";
			if (write === "none" && (properties.includes("write") || properties.includes("writeNoResponse"))) write = "open";
			const all = new Set(properties);
			if (read !== "none") all.add("read");
			if (write !== "none" && !all.has("writeNoResponse")) all.add("write");
			const type = String(spec.type ?? "ArrayBuffer");
			const value = "value" in spec ? staticValue(type, spec.value) : undefined;
			const maxBytes = Number(spec.maxBytes ?? value?.length ?? 0);
			if (!(maxBytes >= 0 && maxBytes <= ATT_MAX_VALUE)) throw new RangeError(`${name}: maxBytes ${maxBytes}`);
			const declaration = handle++;
			const valueHandle = handle++;
			const notifies = all.has("notify") || all.has("indicate");
			const cccd = notifies ? handle++ : undefined;
			return Object.freeze({ service: serviceUuid, name, uuid: normalizeUuid(String(spec.uuid)), type, properties: Object.freeze([...all]),
				read, write, maxBytes, value, declaration, handle: valueHandle, cccd });
		});
		return Object.freeze({ uuid: serviceUuid, handle: serviceHandle, characteristics: Object.freeze(characteristics) });
	});
}

/** The AD structures of an advertisement or scan response, by type (Core Supplement Part A §1). */
export interface ParsedAdvertisement {
	readonly flags?: number;
	readonly completeName?: string;
	readonly shortName?: string;
	readonly uuid16: readonly string[];
	readonly uuid128: readonly string[];
	readonly serviceData16: readonly { uuid: string; data: readonly number[] }[];
	readonly valid: boolean;
}

function uuidText(bytes: Uint8Array): string {
	let hex = "";
	for (let i = bytes.length - 1; i >= 0; i--) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
	return bytes.length === 16 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : hex;
}

function decodeName(bytes: Uint8Array): string | undefined {
	try {
		return String.fromArrayBuffer(bytes.slice().buffer);
	} catch {
		return undefined;
	}
}

export function parseAdvertisement(bytes: Uint8Array): ParsedAdvertisement {
	const uuid16: string[] = [], uuid128: string[] = [], serviceData16: { uuid: string; data: number[] }[] = [];
	let flags: number | undefined, completeName: string | undefined, shortName: string | undefined, valid = true;
	for (let at = 0; at < bytes.length;) {
		const length = bytes[at];
		if (length === 0) break; // the rest is padding
		if (at + 1 + length > bytes.length) {
			valid = false;
			break;
		}
		const type = bytes[at + 1], data = bytes.subarray(at + 2, at + 1 + length);
		if (type === 0x01) flags = data[0];
		else if (type === 0x02 || type === 0x03) for (let i = 0; i + 2 <= data.length; i += 2) uuid16.push(uuidText(data.subarray(i, i + 2)));
		else if (type === 0x06 || type === 0x07) for (let i = 0; i + 16 <= data.length; i += 16) uuid128.push(uuidText(data.subarray(i, i + 16)));
		else if (type === 0x08) shortName = decodeName(data);
		else if (type === 0x09) completeName = decodeName(data);
		else if (type === 0x16 && data.length >= 2) serviceData16.push({ uuid: uuidText(data.subarray(0, 2)), data: Array.from(data.subarray(2)) });
		at += 1 + length;
	}
	return { flags, completeName, shortName, uuid16, uuid128, serviceData16, valid };
}

interface Link {
	readonly central: Central;
	readonly connection: number;
	mtu: number;
	encrypted: boolean;
	bonded: boolean;
	readonly cccd: Map<number, number>;
	pendingRead: { handle: number; done: (result: AttResult) => void; timer: ReturnType<typeof Timer.set> } | undefined;
}

interface Security {
	encryption: boolean;
	bonding: boolean;
	mitm: boolean;
	ioCapability: number;
}

export interface BleEvent {
	readonly event: string;
	readonly [field: string]: unknown;
}

export class BleRadio {
	readonly address = DEVICE_ADDRESS;
	readonly services: readonly GattServiceInfo[];
	readonly #byHandle = new Map<number, GattCharacteristic>();
	readonly #emit: (event: BleEvent) => void;
	readonly #rssi: number;
	#open = false;
	#name = "";
	#security: Security = { encryption: false, bonding: false, mitm: false, ioCapability: 0 };
	#advertising: { advertising: Uint8Array; scanResponse: Uint8Array; connectable: boolean } | undefined;
	#link: Link | undefined;
	#connections = 0;
	readonly #queue: Uint8Array[] = [];
	/** Peers the device holds keys for (NimBLE keeps them in NVS: they survive a reboot). */
	readonly #bonds = new Set<string>();

	/** `texts`: the service JSONs (default: bleservices/ from the build's data); `emit`: the world's event log. */
	constructor(options: { emit?: (event: BleEvent) => void; texts?: readonly string[]; rssi?: number } = {}) {
		const texts = options.texts ?? SERVICE_FILES.map((name) => String.fromArrayBuffer(new Resource(name).slice(0)));
		this.services = buildGatt(texts);
		for (const service of this.services) for (const c of service.characteristics) this.#byHandle.set(c.handle, c);
		this.#emit = options.emit ?? (() => {});
		this.#rssi = options.rssi ?? -60;
		this.#serve();
	}

	get open(): boolean {
		return this.#open;
	}
	get name(): string {
		return this.#name;
	}
	get advertising(): boolean {
		return this.#advertising !== undefined;
	}
	get connected(): boolean {
		return this.#link !== undefined;
	}
	/** The central's address when the link is up, else undefined. */
	get peer(): string | undefined {
		return this.#link?.central.address;
	}
	bonded(address: string): boolean {
		return this.#bonds.has(address);
	}

	characteristic(name: string): GattCharacteristic {
		for (const c of this.#byHandle.values()) if (c.name === name) return c;
		throw new RangeError(`no characteristic ${name}`);
	}

	/* ---- the central's side ---- */

	/** What a scanner hears now (a device advertises every ~100 ms; the phone's scan window covers many). */
	scan(): ScanReport[] {
		const ad = this.#advertising;
		if (!ad) return [];
		return [{ address: this.address, rssi: this.#rssi, connectable: ad.connectable, advertising: ad.advertising.slice(), scanResponse: ad.scanResponse.slice() }];
	}

	connect(central: Central): Promise<{ error?: string }> {
		return this.#after(CONNECTION_INTERVAL_MS, () => {
			if (!this.#advertising || !this.#advertising.connectable) return { error: "not advertising" };
			if (this.#link) return { error: "busy" };
			const link: Link = { central, connection: ++this.#connections, mtu: ATT_DEFAULT_MTU, encrypted: false, bonded: false,
				cccd: new Map(), pendingRead: undefined };
			this.#link = link;
			this.#stopAdvertising(); // legacy connectable advertising ends with the connection
			this.#emit({ event: "connected", peer: central.address });
			this.#post({ e: "connect", a: central.address, c: link.connection });
			if (this.#security.encryption || this.#security.mitm)
				Timer.set(() => this.#link === link && central.onSecurityRequest(), CONNECTION_INTERVAL_MS);
			return {};
		});
	}

	disconnect(central: Central): void {
		const link = this.#link;
		if (!link || link.central !== central) return;
		this.#drop(HciReason.remoteUserTerminated, HciReason.localHostTerminated);
	}

	exchangeMtu(central: Central, mtu: number): Promise<number> {
		return this.#after(CONNECTION_INTERVAL_MS, () => {
			const link = this.#linkOf(central);
			if (!link) return 0;
			link.mtu = Math.max(ATT_DEFAULT_MTU, Math.min(mtu, SERVER_MTU));
			this.#post({ e: "mtu", m: link.mtu });
			return link.mtu;
		});
	}

	discover(central: Central): Promise<Discovered[]> {
		return this.#after(CONNECTION_INTERVAL_MS * 4, () => {
			if (!this.#linkOf(central)) return [];
			return this.services.flatMap((s) => s.characteristics.map((c) => ({ service: s.uuid, uuid: c.uuid, handle: c.handle, properties: c.properties, cccd: c.cccd })));
		});
	}

	read(central: Central, handle: number): Promise<AttResult> {
		return new Promise((resolve) => {
			Timer.set(() => {
				const link = this.#linkOf(central);
				if (!link) return resolve({ error: -1 });
				const c = this.#byHandle.get(handle);
				if (!c) return resolve({ error: AttError.invalidHandle });
				if (c.read === "none") return resolve({ error: AttError.readNotPermitted });
				const denied = this.#securityError(link, c.read);
				if (denied) return resolve({ error: denied });
				const finish = (result: AttResult): void => {
					// A long value takes a Read and Read Blobs of ATT_MTU - 1 bytes each (Vol 3 Part F §3.4.4.5).
					const pdus = result.value ? Math.max(1, Math.ceil(result.value.length / (link.mtu - 1))) : 1;
					Timer.set(() => resolve(this.#link === link ? result : { error: -1 }), (pdus - 1) * CONNECTION_INTERVAL_MS);
				};
				if (c.value) return finish({ value: c.value.slice() });
				if (link.pendingRead) return resolve({ error: AttError.insufficientResources });
				link.pendingRead = {
					handle, done: finish,
					timer: Timer.set(() => {
						link.pendingRead = undefined;
						resolve({ error: -1 });
						this.#drop(HciReason.connectionTimeout, HciReason.connectionTimeout);
					}, ATT_TIMEOUT_MS),
				};
				this.#post({ e: "read", h: c.handle, n: c.name, t: c.type, u: c.uuid });
			}, CONNECTION_INTERVAL_MS);
		});
	}

	/** An ATT Write Request (withResponse) or Write Command: at most ATT_MTU - 3 bytes per PDU. */
	write(central: Central, handle: number, value: Uint8Array, withResponse = true): Promise<AttResult> {
		const link = this.#linkOf(central);
		if (link && value.length > link.mtu - 3) throw new RangeError(`one ATT write carries at most ${link.mtu - 3} bytes`);
		const bytes = value.slice();
		return this.#after(CONNECTION_INTERVAL_MS, () => {
			const link = this.#linkOf(central);
			if (!link) return { error: -1 };
			const c = this.#byHandle.get(handle);
			if (!c) return { error: AttError.invalidHandle };
			const allowed = withResponse ? c.properties.includes("write") : c.properties.includes("writeNoResponse");
			if (c.write === "none" || !allowed || c.value) return { error: AttError.writeNotPermitted };
			const denied = this.#securityError(link, c.write);
			if (denied) return { error: denied };
			if (bytes.length > c.maxBytes) return { error: AttError.invalidAttributeValueLength };
			this.#post({ e: "write", h: c.handle, n: c.name, t: c.type, u: c.uuid }, bytes);
			return {};
		});
	}

	/** Writes the CCCD of the characteristic whose value handle is `handle`: 1 notify, 2 indicate, 0 off. */
	subscribe(central: Central, handle: number, mode: 0 | 1 | 2): Promise<AttResult> {
		return this.#after(CONNECTION_INTERVAL_MS, () => {
			const link = this.#linkOf(central);
			if (!link) return { error: -1 };
			const c = this.#byHandle.get(handle);
			if (!c || c.cccd === undefined) return { error: AttError.invalidHandle };
			if ((mode === 1 && !c.properties.includes("notify")) || (mode === 2 && !c.properties.includes("indicate")))
				return { error: AttError.writeNotPermitted };
			const before = link.cccd.get(c.cccd) ?? 0;
			link.cccd.set(c.cccd, mode);
			if (!before !== !mode) this.#post({ e: "subscribe", h: c.handle, n: c.name, t: c.type, u: c.uuid, on: mode !== 0 });
			return {};
		});
	}

	/** Pairing as the central asks for it; `bond`: the central wants to keep the keys. */
	pair(central: Central, bond: boolean): Promise<{ ok: boolean; reason?: number; bonded?: boolean }> {
		return this.#after(PAIRING_MS, () => {
			const link = this.#linkOf(central);
			if (!link) return { ok: false, reason: -1 };
			if (link.encrypted) return { ok: true, bonded: link.bonded };
			const security = this.#security;
			if (security.ioCapability !== 0) return this.#pairingFailed(SmpError.pairingNotSupported);
			if (security.mitm) return this.#pairingFailed(SmpError.authenticationRequirements);
			link.encrypted = true;
			link.bonded = bond && security.bonding;
			if (link.bonded) this.#bonds.add(central.address);
			this.#emit({ event: "paired", peer: central.address, bonded: link.bonded });
			this.#post({ e: "auth", b: link.bonded });
			return { ok: true, bonded: link.bonded };
		});
	}

	/** A bonded central starts encryption with the stored key (no pairing). */
	encrypt(central: Central): Promise<{ ok: boolean; reason?: number }> {
		return this.#after(CONNECTION_INTERVAL_MS * 2, () => {
			const link = this.#linkOf(central);
			if (!link) return { ok: false, reason: -1 };
			if (!this.#bonds.has(central.address)) return { ok: false, reason: HciReason.pinOrKeyMissing };
			link.encrypted = link.bonded = true;
			this.#post({ e: "auth", b: true });
			return { ok: true };
		});
	}

	/* ---- the device's side, over the link ---- */

	#serve(): void {
		serve("ble.open", () => {
			this.#close(HciReason.connectionTimeout);
			this.#open = true;
			this.#security = { encryption: false, bonding: false, mitm: false, ioCapability: 0 };
			Timer.set(() => this.#open && this.#post({ e: "ready" }), STACK_READY_MS);
			return 0;
		});
		serve("ble.close", () => {
			this.#close(HciReason.remoteUserTerminated);
			return 0;
		});
		// The device rebooted and has no server: to the central, the peer just vanished.
		serve("ble.reset", () => {
			this.#close(HciReason.connectionTimeout);
			return 0;
		});
		serve("ble.name", (_a, _b, bytes) => {
			this.#name = bytes ? String.fromArrayBuffer(bytes.slice().buffer) : "";
			return 0;
		});
		serve("ble.address", (_a, _b, bytes) => {
			const parts = this.address.split(":").reverse();
			if (bytes) for (let i = 0; i < 6 && i < bytes.length; i++) bytes[i] = parseInt(parts[i], 16);
			return 0;
		});
		serve("ble.security", (flags, ioCapability) => {
			this.#security = { encryption: !!(flags & 1), bonding: !!(flags & 2), mitm: !!(flags & 4), ioCapability };
			return 0;
		});
		serve("ble.advertise", (lengths, responseLength, bytes) => {
			const length = lengths & 0xff, connectable = (lengths >> 8) !== 0;
			if (!this.#open || !bytes || length > MAX_AD_LENGTH || responseLength > MAX_AD_LENGTH || length + responseLength > bytes.length) return -1;
			const advertising = bytes.slice(0, length), scanResponse = bytes.slice(length, length + responseLength);
			if (!parseAdvertisement(advertising).valid || !parseAdvertisement(scanResponse).valid) return -1;
			if (this.#link) return 0; // NimBLE cannot advertise connectable while connected (one link)
			this.#advertising = { advertising, scanResponse, connectable };
			this.#emit({ event: "advertising", on: true, bytes: length, scanResponseBytes: responseLength });
			return 0;
		});
		serve("ble.stopAdvertising", () => {
			this.#stopAdvertising();
			return 0;
		});
		serve("ble.notify", (handle, notify, bytes) => this.#notify(handle, notify !== 0, bytes ?? new Uint8Array(0)));
		serve("ble.disconnect", () => {
			if (this.#link) this.#drop(HciReason.localHostTerminated, HciReason.remoteUserTerminated);
			return 0;
		});
		serve("ble.readReply", (handle, status, bytes) => {
			const pending = this.#link?.pendingRead;
			if (!pending || pending.handle !== handle) return -1;
			Timer.clear(pending.timer);
			this.#link!.pendingRead = undefined;
			const c = this.#byHandle.get(handle)!;
			if (status !== 0 || !bytes) pending.done({ error: AttError.insufficientResources });
			else pending.done({ value: bytes.slice(0, Math.min(bytes.length, c.maxBytes || ATT_MAX_VALUE, ATT_MAX_VALUE)) });
			return 0;
		});
		serve("ble.next", (_a, _b, bytes) => {
			const record = this.#queue[0];
			if (!record) return 0;
			if (!bytes || bytes.length < record.length) return -2;
			this.#queue.shift();
			bytes.set(record);
			return record.length;
		});
	}

	#notify(handle: number, notify: boolean, bytes: Uint8Array): number {
		const link = this.#link;
		if (!link) return -1;
		const c = this.#byHandle.get(handle);
		if (!c || c.cccd === undefined) return -1;
		if (!((link.cccd.get(c.cccd) ?? 0) & (notify ? 1 : 2))) return 0; // not enabled by the central
		const sent = bytes.slice(0, link.mtu - 3);
		Timer.set(() => this.#link === link && link.central.onNotification(handle, sent), CONNECTION_INTERVAL_MS);
		return sent.length;
	}

	#securityError(link: Link, access: Access): number {
		if (access !== "encrypted" || link.encrypted) return 0;
		return this.#bonds.has(link.central.address) ? AttError.insufficientEncryption : AttError.insufficientAuthentication;
	}

	#pairingFailed(reason: number): { ok: boolean; reason: number } {
		this.#emit({ event: "pairing-failed", peer: this.#link?.central.address, reason });
		return { ok: false, reason };
	}

	#linkOf(central: Central): Link | undefined {
		return this.#link?.central === central ? this.#link : undefined;
	}

	#post(header: Record<string, unknown>, value?: Uint8Array): void {
		if (!this.#open) return;
		const json = new Uint8Array(ArrayBuffer.fromString(JSON.stringify(header)));
		const record = new Uint8Array(2 + json.length + (value?.length ?? 0));
		record[0] = json.length & 0xff;
		record[1] = json.length >> 8;
		record.set(json, 2);
		if (value) record.set(value, 2 + json.length);
		this.#queue.push(record);
		notifyDevice("ble.event", 0, 0);
	}

	#stopAdvertising(): void {
		if (!this.#advertising) return;
		this.#advertising = undefined;
		this.#emit({ event: "advertising", on: false });
	}

	/** The link ends: `toDevice` is the reason the firmware's stack reports, `toCentral` the central's. */
	#drop(toDevice: number, toCentral: number): void {
		const link = this.#link;
		if (!link) return;
		this.#link = undefined;
		if (link.pendingRead) {
			Timer.clear(link.pendingRead.timer);
			link.pendingRead.done({ error: -1 });
		}
		this.#emit({ event: "disconnected", peer: link.central.address, reason: toCentral });
		this.#post({ e: "disconnect", a: link.central.address, c: link.connection, r: toDevice });
		Timer.set(() => link.central.onDisconnected(toCentral), CONNECTION_INTERVAL_MS);
	}

	#close(reasonToCentral: number): void {
		this.#drop(reasonToCentral, reasonToCentral);
		this.#stopAdvertising();
		this.#open = false;
		this.#queue.length = 0;
	}

	#after<T>(ms: number, then: () => T): Promise<T> {
		return new Promise((resolve) => Timer.set(() => resolve(then()), ms));
	}
}
