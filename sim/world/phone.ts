/*
 * The simulated phone: a BLE central that a scenario or the control channel drives, with the
 * Improv Wi-Fi client written from the specification (Improv via BLE, rev 2.4; the facts are
 * in interop-protocols.md Part B), as Home Assistant's improv_ble and the improv-wifi SDKs
 * implement it. It imports nothing from the firmware (net/): its frames, checksum, UUIDs and
 * codes are its own, so a wrong firmware fails against it instead of agreeing with itself.
 *
 * It finds the device only as Home Assistant does: the Improv service UUID and the 0x4677
 * service data in the same advertising packet (not the scan response); it writes RPC frames
 * in chunks of at most 20 bytes (ATT_MTU 23 - 3), reads the RPC result when a notification was
 * cut at ATT_MTU - 3, and checks every result frame's length and checksum.
 *
 * Actions (scenarios, control channel): phone-improv {ssid, password, authorizeWithin?, stay?},
 * phone-identify, phone-info, phone-scan (Improv's Wi-Fi scan), phone-hostname {hostname?},
 * phone-name {name?}, phone-raw {hex, chunk?} (raw bytes to the RPC command characteristic),
 * phone-ble-scan, phone-connect {mtu?}, phone-disconnect, phone-pair {bond?},
 * phone-read {uuid}, phone-write {uuid, hex}, phone-config-read, phone-config-write {config, base?}.
 * What it sees: events {type: "phone", event, ...}. Like Android and Chrome, it pairs (and
 * bonds) when an attribute answers Insufficient Authentication, and encrypts with its bond's
 * key on Insufficient Encryption.
 */
import Timer from "timer";
import { BleRadio, type Central, type Discovered, type ScanReport, parseAdvertisement } from "sim/world/ble";
import { type Action, type Actions, ActionError, booleanField, durationField, numberField } from "sim/world/actions";

/** Improv BLE UUIDs (spec "GATT Services" and "Bluetooth LE Advertisement"). */
export const IMPROV = Object.freeze({
	service: "00467768-6228-2272-4663-277478268000",
	state: "00467768-6228-2272-4663-277478268001",
	error: "00467768-6228-2272-4663-277478268002",
	rpcCommand: "00467768-6228-2272-4663-277478268003",
	rpcResult: "00467768-6228-2272-4663-277478268004",
	capabilities: "00467768-6228-2272-4663-277478268005",
	serviceData: "4677",
} as const);

/**
 * The device's configuration service (the project's own protocol, documented in
 * net/ble/config-service.ts and restated here: the phone implements it independently).
 */
export const CONFIG = Object.freeze({
	service: "15ac4800-f02c-427f-ae89-b458172d92ed",
	control: "15ac4801-f02c-427f-ae89-b458172d92ed",
	data: "15ac4802-f02c-427f-ae89-b458172d92ed",
	status: "15ac4803-f02c-427f-ae89-b458172d92ed",
	begin: 0x01, commit: 0x02, abort: 0x03, readFrom: 0x04,
	page: 512,
} as const);
/** ATT errors a phone's stack answers by securing the link (Core Vol 3 Part C §10.3.2). */
const INSUFFICIENT_AUTHENTICATION = 0x05, INSUFFICIENT_ENCRYPTION = 0x0f;

export const STATES: Readonly<Record<number, string>> = Object.freeze({
	0: "stopped", 1: "authorization-required", 2: "authorized", 3: "provisioning", 4: "provisioned",
});
export const ERRORS: Readonly<Record<number, string>> = Object.freeze({
	0: "none", 1: "invalid-rpc", 2: "unknown-command", 3: "unable-to-connect", 4: "not-authorized", 5: "bad-hostname", 255: "unknown",
});
const Command = Object.freeze({ wifiSettings: 1, identify: 2, deviceInfo: 3, scanWifi: 4, hostname: 5, deviceName: 6 } as const);
const AUTHORIZED = 2, PROVISIONING = 3, PROVISIONED = 4;

/** The spec's suggestion for a write: 20 bytes, what one ATT write carries at the default MTU. */
const CHUNK_BYTES = 20;
const SCAN_POLL_MS = 100;
const SCAN_WINDOW_MS = 5_000;
/** The device tries for up to 30 s (ESPHome); the client waits a little longer. */
const PROVISION_WAIT_MS = 45_000;
const RESULT_WAIT_MS = 15_000;
const AUTHORIZE_WAIT_MS = 60_000;
const SETTLE_MS = 500;

export interface PhoneEvent {
	readonly event: string;
	readonly [field: string]: unknown;
}

/** Sum of all preceding bytes, modulo 256 (spec "RPC Command"). */
export function checksum(bytes: ArrayLike<number>, length = bytes.length): number {
	let sum = 0;
	for (let i = 0; i < length; i++) sum += bytes[i];
	return sum & 0xff;
}

function utf8(text: string): Uint8Array {
	return new Uint8Array(ArrayBuffer.fromString(text));
}

/** [command][length][data][checksum] */
export function commandFrame(command: number, data: ArrayLike<number> = []): Uint8Array {
	if (data.length > 255) throw new RangeError("data longer than 255 bytes");
	const frame = new Uint8Array(data.length + 3);
	frame[0] = command;
	frame[1] = data.length;
	frame.set(data, 2);
	frame[frame.length - 1] = checksum(frame, frame.length - 1);
	return frame;
}

/** Each string as [length][UTF-8 bytes]. */
export function strings(...texts: string[]): Uint8Array {
	const parts = texts.map(utf8);
	const out = new Uint8Array(parts.reduce((n, p) => n + 1 + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out[at++] = p.length;
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/** A result frame's strings, or why it is not one. */
export function parseResult(frame: Uint8Array): { command: number; strings: string[] } | { invalid: string } {
	if (frame.length < 3) return { invalid: "short" };
	if (frame.length !== frame[1] + 3) return { invalid: "length" };
	if (checksum(frame, frame.length - 1) !== frame[frame.length - 1]) return { invalid: "checksum" };
	const texts: string[] = [];
	for (let at = 2; at < frame.length - 1;) {
		const length = frame[at++];
		if (at + length > frame.length - 1) return { invalid: "string length" };
		try {
			texts.push(String.fromArrayBuffer(frame.slice(at, at + length).buffer));
		} catch {
			return { invalid: "utf-8" };
		}
		at += length;
	}
	return { command: frame[0], strings: texts };
}

function hexBytes(text: string): Uint8Array {
	const clean = text.replace(/[\s:]/g, "");
	if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new ActionError(`invalid hex "${text}"`);
	const out = new Uint8Array(clean.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
	return out;
}

function hex(bytes: Uint8Array): string {
	let text = "";
	for (const b of bytes) text += (b < 16 ? "0" : "") + b.toString(16);
	return text;
}

function textField(action: Action, name: string, fallback?: string): string {
	const value = action[name] ?? fallback;
	if (typeof value !== "string") throw new ActionError(`"${action.do}" needs a string "${name}"`);
	return value;
}

interface Session {
	readonly chars: Map<string, Discovered>;
	capabilities: number;
	state: number;
	error: number;
	/** every error notified since the last RPC was sent */
	errors: number[];
	results: { command: number; strings: string[] }[];
}

class Failure extends Error {}

export class Phone implements Central {
	readonly address: string;
	readonly #radio: BleRadio;
	readonly #emit: (event: PhoneEvent) => void;
	readonly #mtu: number;
	#connected = false;
	#linkMtu = 23;
	#chars: Map<string, Discovered> | undefined;
	#session: Session | undefined;
	#busy: Promise<void> = Promise.resolve();
	readonly #waiters = new Set<() => void>();
	/** Devices the phone holds keys for. */
	readonly #bonds = new Set<string>();
	acceptPairing = true;

	constructor(radio: BleRadio, emit: (event: PhoneEvent) => void, options: { address?: string; mtu?: number } = {}) {
		this.#radio = radio;
		this.#emit = emit;
		this.address = options.address ?? "5A:3C:00:00:00:01";
		this.#mtu = options.mtu ?? 23;
	}

	get connected(): boolean {
		return this.#connected;
	}

	registerActions(actions: Actions): void {
		const queue = (name: string, body: (action: Action) => Promise<void>) =>
			actions.register(name, (action) => this.#queue(name, () => body(action)));
		queue("phone-improv", async (action) => {
			const ssid = textField(action, "ssid"), password = textField(action, "password", "");
			const stay = action.stay === undefined ? false : booleanField(action, "stay");
			await this.provision(ssid, password, durationField(action, "authorizeWithin", AUTHORIZE_WAIT_MS), stay);
		});
		queue("phone-identify", (action) => this.identify(action.stay === true));
		queue("phone-info", (action) => this.deviceInfo(action.stay === true));
		queue("phone-scan", (action) => this.scanWifi(action.stay === true));
		queue("phone-hostname", (action) => this.hostname(action.hostname === undefined ? undefined : textField(action, "hostname"), action.stay === true));
		queue("phone-name", (action) => this.deviceName(action.name === undefined ? undefined : textField(action, "name"), action.stay === true));
		queue("phone-raw", (action) => {
			const bytes = hexBytes(textField(action, "hex"));
			return this.raw(bytes, action.chunk === undefined ? CHUNK_BYTES : numberField(action, "chunk"), action.stay === true);
		});
		queue("phone-ble-scan", (action) => this.bleScan(durationField(action, "for", 2_000)));
		queue("phone-connect", async () => {
			await this.#open();
		});
		queue("phone-disconnect", async () => this.disconnect());
		queue("phone-config-read", (action) => this.configRead(action.stay === true));
		queue("phone-config-write", (action) => {
			const config = action.config;
			if (typeof config !== "object" || config === null) throw new ActionError(`"phone-config-write" needs an object "config"`);
			return this.configWrite(config, action.base === undefined ? undefined : numberField(action, "base"), action.stay === true,
				action.text === undefined ? undefined : textField(action, "text"));
		});
		queue("phone-pair", (action) => this.pair(action.bond === undefined ? true : booleanField(action, "bond")));
		queue("phone-read", async (action) => {
			await this.#link(() => this.#findDevice());
			const uuid = textField(action, "uuid").toLowerCase();
			this.#emit({ event: "read", uuid, hex: hex(await this.#secureRead(uuid)) });
		});
		queue("phone-write", async (action) => {
			await this.#link(() => this.#findDevice());
			const uuid = textField(action, "uuid").toLowerCase();
			await this.#secureWrite(uuid, hexBytes(textField(action, "hex")));
			this.#emit({ event: "written", uuid });
		});
	}

	/* ---- the Improv client ---- */

	/** Onboards the device: waits for authorization if needed, sends the credentials, waits for the outcome. */
	async provision(ssid: string, password: string, authorizeWithinMs = AUTHORIZE_WAIT_MS, stay = false): Promise<void> {
		const session = await this.#open();
		try {
			if (session.state === 1) {
				this.#emit({ event: "authorize", hint: "press the device's button" });
				if (!(await this.#until(() => session.state !== 1, authorizeWithinMs))) throw new Failure("not authorized in time");
			}
			if (session.state !== AUTHORIZED) throw new Failure(`device is ${STATES[session.state] ?? session.state}`);
			const ssidBytes = utf8(ssid), passwordBytes = utf8(password);
			const data = new Uint8Array(2 + ssidBytes.length + passwordBytes.length);
			data[0] = ssidBytes.length;
			data.set(ssidBytes, 1);
			data[1 + ssidBytes.length] = passwordBytes.length;
			data.set(passwordBytes, 2 + ssidBytes.length);
			await this.#send(commandFrame(Command.wifiSettings, data));
			const done = await this.#until(() => session.errors.length > 0 ||
				(session.state === PROVISIONED && session.results.some((r) => r.command === Command.wifiSettings)), PROVISION_WAIT_MS);
			if (session.errors.length) {
				await this.#until(() => session.state !== PROVISIONING, SETTLE_MS); // the device goes back to Authorized
				throw new Failure(ERRORS[session.errors[0]] ?? String(session.errors[0]));
			}
			if (!done) throw new Failure(`no outcome after ${PROVISION_WAIT_MS} ms (state ${STATES[session.state]})`);
			const result = session.results.find((r) => r.command === Command.wifiSettings)!;
			this.#emit({ event: "provisioned", url: result.strings[0] ?? "" });
		} finally {
			if (!stay) this.disconnect();
		}
	}

	async identify(stay = false): Promise<void> {
		await this.#rpc(Command.identify, [], false, stay);
		this.#emit({ event: "identify-sent" });
	}

	async deviceInfo(stay = false): Promise<void> {
		const texts = await this.#rpc(Command.deviceInfo, [], true, stay);
		if (texts.length < 4) throw new Failure(`device info has ${texts.length} strings, the spec wants at least 4`);
		this.#emit({ event: "device-info", firmware: texts[0], version: texts[1], chip: texts[2], name: texts[3], extra: texts.slice(4) });
	}

	async scanWifi(stay = false): Promise<void> {
		const texts = await this.#rpc(Command.scanWifi, [], true, stay);
		if (texts.length % 3) throw new Failure(`scan result has ${texts.length} strings, not a multiple of 3`);
		const networks = [];
		for (let i = 0; i < texts.length; i += 3) networks.push({ ssid: texts[i], rssi: Number(texts[i + 1]), auth: texts[i + 2] });
		this.#emit({ event: "networks", networks });
	}

	async hostname(value?: string, stay = false): Promise<void> {
		const texts = await this.#rpc(Command.hostname, value === undefined ? [] : utf8(value), true, stay);
		this.#emit({ event: "hostname", hostname: texts[0] });
	}

	async deviceName(value?: string, stay = false): Promise<void> {
		const texts = await this.#rpc(Command.deviceName, value === undefined ? [] : utf8(value), true, stay);
		this.#emit({ event: "device-name", name: texts[0] });
	}

	/** Raw bytes to the RPC command characteristic in `chunk`-byte writes; reports the error state after. */
	async raw(bytes: Uint8Array, chunk = CHUNK_BYTES, stay = false): Promise<void> {
		const session = await this.#open();
		session.errors = [];
		try {
			await this.#writeChunks(bytes, chunk);
			await this.#sleep(SETTLE_MS);
			this.#emit({ event: "raw-done", error: ERRORS[session.error] ?? session.error, state: STATES[session.state] });
		} finally {
			if (!stay) this.disconnect();
		}
	}

	/* ---- the configuration service client ---- */

	/** Reads the configuration document (pairing first if the device asks for it). */
	async configRead(stay = false): Promise<void> {
		await this.#link(() => this.#findDevice());
		try {
			const status = await this.#configStatus();
			await this.#secureWrite(CONFIG.control, Uint8Array.of(CONFIG.readFrom, 0, 0));
			let text = new Uint8Array(0);
			for (let offset = 0; ; offset += CONFIG.page) {
				if (offset) await this.#secureWrite(CONFIG.control, Uint8Array.of(CONFIG.readFrom, offset & 0xff, offset >> 8));
				const page = await this.#secureRead(CONFIG.data);
				const joined = new Uint8Array(text.length + page.length);
				joined.set(text);
				joined.set(page, text.length);
				text = joined;
				if (page.length < CONFIG.page) break;
			}
			this.#emit({ event: "config", v: status.v, config: JSON.parse(String.fromArrayBuffer(text.slice().buffer)) });
		} finally {
			if (!stay) this.disconnect();
		}
	}

	/** Writes a document (a patch) against version `base` (default: the version the device reports now). */
	async configWrite(document: object, base?: number, stay = false, text?: string): Promise<void> {
		await this.#link(() => this.#findDevice());
		try {
			const version = base ?? (await this.#configStatus()).v;
			const bytes = utf8(text ?? JSON.stringify(document));
			const begin = new Uint8Array(7);
			const view = new DataView(begin.buffer);
			begin[0] = CONFIG.begin;
			view.setUint32(1, version, true);
			view.setUint16(5, bytes.length, true);
			await this.#secureWrite(CONFIG.control, begin);
			const chunk = this.#linkMtu - 3;
			for (let at = 0; at < bytes.length; at += chunk) await this.#secureWrite(CONFIG.data, bytes.subarray(at, at + chunk));
			await this.#secureWrite(CONFIG.control, Uint8Array.of(CONFIG.commit));
			this.#emit({ event: "config-result", ...(await this.#configStatus()) });
		} finally {
			if (!stay) this.disconnect();
		}
	}

	async #configStatus(): Promise<{ v: number; state: string; error?: string; field?: string; reason?: string }> {
		return JSON.parse(String.fromArrayBuffer((await this.#secureRead(CONFIG.status)).slice().buffer));
	}

	/** An ATT operation with the phone stack's answer to a security error: pair (no keys) or encrypt (bonded), then once more. */
	async #secure(op: () => Promise<{ error?: number; value?: Uint8Array }>, what: string): Promise<Uint8Array> {
		let result = await op();
		if (result.error === INSUFFICIENT_AUTHENTICATION || (result.error === INSUFFICIENT_ENCRYPTION && !this.#bonds.has(this.#radio.address))) {
			const paired = await this.#radio.pair(this, true);
			if (!paired.ok) throw new Failure(`pairing refused (SMP reason ${paired.reason})`);
			if (paired.bonded) this.#bonds.add(this.#radio.address);
			this.#emit({ event: "paired", bonded: paired.bonded === true });
			result = await op();
		} else if (result.error === INSUFFICIENT_ENCRYPTION) {
			const encrypted = await this.#radio.encrypt(this);
			if (!encrypted.ok) {
				this.#bonds.delete(this.#radio.address); // the device forgot us: pair again next time
				throw new Failure(`encryption failed (reason ${encrypted.reason})`);
			}
			result = await op();
		}
		if (result.error) {
			this.#emit({ event: "att-error", op: what, code: result.error });
			throw new Failure(`${what} failed: ATT error ${result.error}`);
		}
		return result.value ?? new Uint8Array(0);
	}

	#secureRead(uuid: string): Promise<Uint8Array> {
		const c = this.#char(uuid);
		return this.#secure(() => this.#radio.read(this, c.handle), "read");
	}

	async #secureWrite(uuid: string, bytes: Uint8Array): Promise<void> {
		const c = this.#char(uuid);
		await this.#secure(() => this.#radio.write(this, c.handle, bytes), "write");
	}

	/* ---- GATT-level operations ---- */

	async bleScan(forMs: number): Promise<void> {
		const seen = new Map<string, ScanReport>();
		for (let waited = 0; waited < forMs; waited += SCAN_POLL_MS) {
			for (const report of this.#radio.scan()) seen.set(report.address, report);
			await this.#sleep(SCAN_POLL_MS);
		}
		this.#emit({
			event: "ble-scan",
			devices: [...seen.values()].map((r) => {
				const ad = parseAdvertisement(r.advertising), response = parseAdvertisement(r.scanResponse);
				return { address: r.address, name: ad.completeName ?? response.completeName, bytes: r.advertising.length,
					scanResponseBytes: r.scanResponse.length, uuid128: ad.uuid128, serviceData: ad.serviceData16 };
			}),
		});
	}

	async pair(bond = true): Promise<void> {
		await this.#link(() => this.#findDevice());
		const result = await this.#radio.pair(this, bond);
		if (!result.ok) throw new Failure(`pairing failed (reason ${result.reason})`);
		if (result.bonded) this.#bonds.add(this.#radio.address);
		this.#emit({ event: "paired", bonded: result.bonded === true });
	}

	disconnect(): void {
		if (!this.#connected) return;
		this.#radio.disconnect(this);
		this.#closed(-1);
	}

	/* ---- Central ---- */

	onDisconnected(reason: number): void {
		this.#closed(reason);
	}

	/** The link is gone (`reason` -1: the phone ended it). */
	#closed(reason: number): void {
		if (!this.#connected) return;
		this.#connected = false;
		this.#session = undefined;
		this.#chars = undefined;
		this.#emit({ event: "disconnected", reason: reason < 0 ? "phone" : reason });
		this.#wake();
	}

	onNotification(handle: number, value: Uint8Array): void {
		const session = this.#session;
		if (!session) return;
		const uuid = [...session.chars.values()].find((c) => c.handle === handle)?.uuid;
		if (uuid === IMPROV.state) {
			session.state = value[0];
			this.#emit({ event: "state", state: STATES[value[0]] ?? value[0] });
		} else if (uuid === IMPROV.error) {
			session.error = value[0];
			if (value[0]) session.errors.push(value[0]);
			this.#emit({ event: "error", error: ERRORS[value[0]] ?? value[0] });
		} else if (uuid === IMPROV.rpcResult) {
			this.#onResult(session, value);
			return;
		}
		this.#wake();
	}

	onSecurityRequest(): void {
		const address = this.#radio.address;
		if (this.#bonds.has(address)) this.#radio.encrypt(this);
		else if (this.acceptPairing)
			this.#radio.pair(this, true).then((result) => {
				if (result.ok && result.bonded) this.#bonds.add(address);
			});
	}

	/* ---- internals ---- */

	#queue(name: string, body: () => Promise<void>): void {
		this.#busy = this.#busy.then(body).catch((error: unknown) => {
			this.#emit({ event: "failed", action: name, reason: error instanceof Error ? error.message : String(error) });
		});
	}

	/** Connects to the device found by `find` (unless connected already) and discovers its characteristics. */
	async #link(find: () => Promise<{ name?: string }>): Promise<Map<string, Discovered>> {
		if (this.#connected && this.#chars) return this.#chars;
		const found = await find();
		const { error } = await this.#radio.connect(this);
		if (error) throw new Failure(`connect failed: ${error}`);
		this.#connected = true;
		this.#linkMtu = 23;
		this.#emit({ event: "connected", name: found.name });
		if (this.#mtu > 23) this.#linkMtu = await this.#radio.exchangeMtu(this, this.#mtu);
		const discovered = await this.#radio.discover(this);
		this.#chars = new Map(discovered.map((c) => [c.uuid, c] as const));
		return this.#chars;
	}

	/** Finds the device by its Improv advertisement, connects, discovers and subscribes (an Improv session). */
	async #open(): Promise<Session> {
		if (this.#connected && this.#session) return this.#session;
		const chars = await this.#link(() => this.#findImprov());
		for (const uuid of [IMPROV.state, IMPROV.error, IMPROV.rpcCommand, IMPROV.rpcResult, IMPROV.capabilities])
			if (!chars.has(uuid)) {
				this.disconnect();
				throw new Failure("firmware not according to spec: missing Improv characteristic");
			}
		const session: Session = { chars, capabilities: 0, state: 0, error: 0, errors: [], results: [] };
		this.#session = session;
		for (const uuid of [IMPROV.state, IMPROV.error, IMPROV.rpcResult]) {
			const { error: subscribeError } = await this.#radio.subscribe(this, chars.get(uuid)!.handle, 1);
			if (subscribeError) throw new Failure(`subscribe failed: ATT error ${subscribeError}`);
		}
		session.capabilities = (await this.#readByte(IMPROV.capabilities)) ?? 0;
		session.state = (await this.#readByte(IMPROV.state)) ?? 0;
		session.error = (await this.#readByte(IMPROV.error)) ?? 0;
		this.#emit({ event: "session", state: STATES[session.state], capabilities: session.capabilities });
		return session;
	}

	/** The device as a phone app finds it for its configuration: either service's UUID in the advertisement. */
	async #findDevice(): Promise<{ name?: string }> {
		for (let waited = 0; waited < SCAN_WINDOW_MS; waited += SCAN_POLL_MS) {
			for (const report of this.#radio.scan()) {
				const ad = parseAdvertisement(report.advertising);
				if (!ad.uuid128.includes(IMPROV.service) && !ad.uuid128.includes(CONFIG.service)) continue;
				const name = ad.completeName ?? parseAdvertisement(report.scanResponse).completeName;
				this.#emit({ event: "found", address: report.address, name, rssi: report.rssi });
				return { name };
			}
			await this.#sleep(SCAN_POLL_MS);
		}
		throw new Failure("no device found");
	}

	async #findImprov(): Promise<{ name?: string; state: number; capabilities: number }> {
		for (let waited = 0; waited < SCAN_WINDOW_MS; waited += SCAN_POLL_MS) {
			for (const report of this.#radio.scan()) {
				const ad = parseAdvertisement(report.advertising);
				const data = ad.serviceData16.find((d) => d.uuid === IMPROV.serviceData);
				// Home Assistant matches both in the advertisement itself (interop-protocols B.6).
				if (!ad.uuid128.includes(IMPROV.service) || !data || data.data.length < 2) continue;
				const name = ad.completeName ?? parseAdvertisement(report.scanResponse).completeName;
				const found = { name, state: data.data[0], capabilities: data.data[1] };
				this.#emit({ event: "found", address: report.address, name, state: STATES[found.state] ?? found.state,
					capabilities: found.capabilities, rssi: report.rssi });
				if (found.state === PROVISIONING || found.state === PROVISIONED) throw new Failure(`device is ${STATES[found.state]}`);
				return found;
			}
			await this.#sleep(SCAN_POLL_MS);
		}
		throw new Failure("no Improv device found");
	}

	#char(uuid: string): Discovered {
		const c = this.#chars?.get(uuid);
		if (!c) throw new Failure(`no characteristic ${uuid}`);
		return c;
	}

	async #readByte(uuid: string): Promise<number | undefined> {
		const result = await this.#radio.read(this, this.#char(uuid).handle);
		if (result.error) throw new Failure(`read failed: ATT error ${result.error}`);
		return result.value?.[0];
	}

	async #rpc(command: number, data: ArrayLike<number>, expectResult: boolean, stay: boolean): Promise<string[]> {
		const session = await this.#open();
		try {
			session.results = session.results.filter((r) => r.command !== command);
			await this.#send(commandFrame(command, data));
			if (!expectResult) {
				await this.#sleep(SETTLE_MS);
				if (session.errors.length) throw new Failure(ERRORS[session.errors[0]] ?? String(session.errors[0]));
				return [];
			}
			const ok = await this.#until(() => session.errors.length > 0 || session.results.some((r) => r.command === command), RESULT_WAIT_MS);
			if (session.errors.length) throw new Failure(ERRORS[session.errors[0]] ?? String(session.errors[0]));
			if (!ok) throw new Failure("no RPC result");
			return session.results.find((r) => r.command === command)!.strings;
		} finally {
			if (!stay) this.disconnect();
		}
	}

	async #send(frame: Uint8Array): Promise<void> {
		this.#session!.errors = [];
		await this.#writeChunks(frame, CHUNK_BYTES);
	}

	async #writeChunks(bytes: Uint8Array, chunk: number): Promise<void> {
		const handle = this.#char(IMPROV.rpcCommand).handle;
		for (let at = 0; at < bytes.length; at += chunk) {
			const { error } = await this.#radio.write(this, handle, bytes.subarray(at, Math.min(bytes.length, at + chunk)));
			if (error) {
				this.#emit({ event: "att-error", op: "write", uuid: IMPROV.rpcCommand, code: error });
				throw new Failure(`write failed: ATT error ${error}`);
			}
		}
	}

	#onResult(session: Session, value: Uint8Array): void {
		const complete = (frame: Uint8Array): void => {
			const parsed = parseResult(frame);
			if ("invalid" in parsed) this.#emit({ event: "bad-result", reason: parsed.invalid, hex: hex(frame) });
			else {
				session.results.push(parsed);
				this.#emit({ event: "result", command: parsed.command, strings: parsed.strings });
			}
			this.#wake();
		};
		if (value.length >= 2 && value.length < value[1] + 3) {
			// cut at ATT_MTU - 3: the whole value is a (long) read away
			this.#radio.read(this, this.#char(IMPROV.rpcResult).handle).then((result) => {
				if (this.#session === session) complete(result.value ?? value);
			});
		} else complete(value);
	}

	#until(check: () => boolean, timeoutMs: number): Promise<boolean> {
		return new Promise((resolve) => {
			if (check()) return resolve(true);
			const waiter = (): void => {
				if (!check() && this.#connected) return;
				this.#waiters.delete(waiter);
				Timer.clear(timer);
				resolve(check());
			};
			const timer = Timer.set(() => {
				this.#waiters.delete(waiter);
				resolve(check());
			}, timeoutMs);
			this.#waiters.add(waiter);
		});
	}

	#wake(): void {
		for (const waiter of [...this.#waiters]) waiter();
	}

	#sleep(ms: number): Promise<void> {
		return new Promise((resolve) => Timer.set(() => resolve(), ms));
	}
}

/** The radio and the phone of a simulated world, with the phone's actions; events go to `emit` as JSON lines. */
export function buildBle(actions: Actions, emit: (line: string) => void, option: (name: string) => string | undefined): { radio: BleRadio; phone: Phone } {
	const radio = new BleRadio({ emit: (event) => emit(JSON.stringify({ type: "ble", ...event })) });
	const mtu = option("phone-mtu");
	const phone = new Phone(radio, (event) => emit(JSON.stringify({ type: "phone", ...event })), { mtu: mtu ? Number(mtu) : undefined });
	phone.registerActions(actions);
	return { radio, phone };
}
