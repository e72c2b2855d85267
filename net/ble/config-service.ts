/*
 * The project's BLE configuration service (bleservices/config.json, a 128-bit UUID), GATT glue:
 * read the configuration, write a new one in chunks, read the result. Every characteristic
 * needs an encrypted link (the stack refuses others with Insufficient Authentication or
 * Encryption); writes also need a bonded one, which this service checks. Pairing is possible
 * only while the pairing window is open (60 s after a button press): outside it the security
 * parameters ask for MITM protection, which a device without display or keyboard cannot give,
 * so the stack fails Just Works pairing (SMP Authentication Requirements).
 *
 * Protocol (little-endian):
 *   configControl  write  01 base:u32 length:u16   begin a document of `length` bytes, written
 *                                                   against version `base` (the one read)
 *                         02                       commit: check, apply all or nothing, persist
 *                         03                       abort
 *                         04 offset:u16            where the next configData read starts
 *   configData     write  the document's next bytes (UTF-8 JSON, at most 1024 bytes in all)
 *                  read   the current document (config-schema readable(): no secrets) from the offset
 *   configStatus   read, notify  {"v": version, "state": "idle"|"receiving"|"applied"|"rejected",
 *                                 "error"?: code, "field"?: path, "reason"?: text}
 * Errors: not-bonded, bad-command, no-begin, too-long, incomplete, not-json, invalid (field,
 * reason), stale (the base is not the current version: another phone wrote since), storage.
 * A rejected or interrupted write (disconnection) changes nothing.
 */
import Timer from "timer";
import type { AdvertisingParameters, SecurityParameters } from "bleserver";
import { Bytes } from "btutils";
import type { GattHandler } from "net/ble/peripheral";
import { type ConfigValues, merge, readable, validatePatch } from "net/ble/config-schema";
import type { ConfigStore } from "net/ble/config-store";
import { ADVERTISING_FLAGS, IO_CAPABILITY_NONE } from "net/ble/improv-constants";

export const CONFIG_SERVICE_UUID = "15ac4800-f02c-427f-ae89-b458172d92ed";
export const ConfigCharacteristic = Object.freeze({ control: "configControl", data: "configData", status: "configStatus" } as const);
export const ConfigCommand = Object.freeze({ begin: 0x01, commit: 0x02, abort: 0x03, readFrom: 0x04 } as const);
export const MAX_DOCUMENT_BYTES = 1024;
/** The window after a button press in which a phone may pair (the Improv authorization time, B.5). */
export const PAIRING_WINDOW_MS = 60_000;
/** configStatus's maxBytes in bleservices/config.json */
const STATUS_BYTES = 160;
/** ATT values are at most 512 bytes (Core Vol 3 Part F §3.2.9): a read returns one page. */
const PAGE_BYTES = 512;

/** Outside the window: MITM required, so Just Works pairing fails; inside it: Just Works, bonding. */
export const SECURITY_CLOSED: SecurityParameters = Object.freeze({ encryption: false, bonding: true, mitm: true, ioCapability: IO_CAPABILITY_NONE });
export const SECURITY_OPEN: SecurityParameters = Object.freeze({ encryption: false, bonding: true, mitm: false, ioCapability: IO_CAPABILITY_NONE });

export interface ConfigGatt {
	notify(name: string, value: unknown): boolean;
	refreshAdvertising(): void;
	readonly name: string;
	readonly encrypted: boolean;
	readonly bonded: boolean;
	security: SecurityParameters;
}

export interface ConfigServiceOptions {
	readonly gatt: ConfigGatt;
	readonly store: ConfigStore;
	/** Values the firmware uses while the document has none (the built-in name and hostname). */
	readonly defaults?: ConfigValues;
	/** After a successful apply, with the field paths that changed (secrets' names only). */
	readonly onApplied?: (values: ConfigValues, changed: readonly string[], version: number) => void;
	/** A rejected write, for the event log (no values, no secrets). */
	readonly onRejected?: (error: string, field: string | undefined) => void;
	readonly windowMs?: number;
}

type State = "idle" | "receiving" | "applied" | "rejected";

const SERVICE_UUID = new Bytes(CONFIG_SERVICE_UUID.replaceAll("-", ""), true);

export class ConfigService implements GattHandler {
	readonly names: readonly string[] = Object.freeze(Object.values(ConfigCharacteristic));
	readonly #options: ConfigServiceOptions;
	readonly #staging = new Uint8Array(MAX_DOCUMENT_BYTES);
	#expected = 0;
	#received = 0;
	#base = 0;
	#cursor = 0;
	#state: State = "idle";
	#status: { error?: string; field?: string; reason?: string } = {};
	#window: ReturnType<typeof Timer.set> | undefined;

	constructor(options: ConfigServiceOptions) {
		if (!options?.gatt || !options.store) throw new RangeError("invalid options");
		this.#options = options;
		options.gatt.security = SECURITY_CLOSED;
	}

	get windowOpen(): boolean {
		return this.#window !== undefined;
	}

	/** A button press: phones may pair and bond for the window's time. */
	openWindow(): void {
		Timer.clear(this.#window);
		this.#window = Timer.set(() => {
			this.#window = undefined;
			this.#options.gatt.security = SECURITY_CLOSED;
			this.#options.gatt.refreshAdvertising();
		}, this.#options.windowMs ?? PAIRING_WINDOW_MS);
		this.#options.gatt.security = SECURITY_OPEN;
		this.#options.gatt.refreshAdvertising();
	}

	close(): void {
		Timer.clear(this.#window);
		this.#window = undefined;
	}

	/**
	 * While the window is open: connectable, with the service UUID and the name in the scan
	 * response. Otherwise nothing (a provisioned device does not advertise: a phone, bonded or
	 * not, reaches it after a button press).
	 */
	advertisement(): AdvertisingParameters | undefined {
		if (!this.#window) return undefined;
		return { advertisingData: { flags: ADVERTISING_FLAGS, completeUUID128List: [SERVICE_UUID] }, scanResponseData: { completeName: this.#options.gatt.name } };
	}

	/* ---- GattHandler ---- */

	read(name: string): unknown {
		if (name === ConfigCharacteristic.status) return this.#statusBytes();
		if (name === ConfigCharacteristic.data) {
			const text = new Uint8Array(ArrayBuffer.fromString(JSON.stringify(readable({ ...this.#options.defaults, ...this.#options.store.current.values }))));
			return text.slice(Math.min(this.#cursor, text.length), Math.min(this.#cursor + PAGE_BYTES, text.length)).buffer;
		}
		return undefined;
	}

	written(name: string, value: unknown): void {
		if (!(value instanceof ArrayBuffer)) return;
		const gatt = this.#options.gatt;
		if (!gatt.encrypted) return; // the stack refuses these already (writeEncrypted)
		if (!gatt.bonded) return this.#reject("not-bonded");
		const bytes = new Uint8Array(value);
		if (name === ConfigCharacteristic.control) this.#control(bytes);
		else if (name === ConfigCharacteristic.data) this.#data(bytes);
	}

	disconnected(): void {
		if (this.#state === "receiving") this.#set("idle", {}); // a document never spans two connections
		this.#cursor = 0;
	}

	/* ---- protocol ---- */

	#control(bytes: Uint8Array): void {
		const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		switch (bytes[0]) {
			case ConfigCommand.begin: {
				if (bytes.length !== 7) return this.#reject("bad-command");
				const length = view.getUint16(5, true);
				if (length < 2 || length > MAX_DOCUMENT_BYTES) return this.#reject("too-long");
				this.#base = view.getUint32(1, true);
				this.#expected = length;
				this.#received = 0;
				return this.#set("receiving", {});
			}
			case ConfigCommand.commit:
				return bytes.length === 1 ? this.#commit() : this.#reject("bad-command");
			case ConfigCommand.abort:
				return this.#set("idle", {});
			case ConfigCommand.readFrom:
				if (bytes.length !== 3) return this.#reject("bad-command");
				this.#cursor = view.getUint16(1, true);
				return;
			default:
				return this.#reject("bad-command");
		}
	}

	#data(bytes: Uint8Array): void {
		if (this.#state !== "receiving") return this.#reject("no-begin");
		if (this.#received + bytes.length > this.#expected) return this.#reject("too-long");
		this.#staging.set(bytes, this.#received);
		this.#received += bytes.length;
	}

	#commit(): void {
		if (this.#state !== "receiving") return this.#reject("no-begin");
		if (this.#received !== this.#expected) return this.#reject("incomplete");
		let document: unknown;
		try {
			document = JSON.parse(String.fromArrayBuffer(this.#staging.slice(0, this.#received).buffer));
		} catch {
			return this.#reject("not-json");
		}
		const result = validatePatch(document);
		if ("rejected" in result) return this.#reject("invalid", result.rejected.field, result.rejected.reason);
		const store = this.#options.store;
		if (this.#base !== store.current.version) return this.#reject("stale");
		let saved;
		try {
			saved = store.save(merge(store.current.values, result.changes));
		} catch {
			return this.#reject("storage");
		}
		this.#set("applied", {});
		this.#options.onApplied?.(saved.values, Object.keys(result.changes), saved.version);
	}

	#reject(error: string, field?: string, reason?: string): void {
		this.#received = this.#expected = 0;
		this.#set("rejected", { error, field, reason });
		this.#options.onRejected?.(error, field);
	}

	#set(state: State, status: { error?: string; field?: string; reason?: string }): void {
		this.#state = state;
		this.#status = status;
		this.#options.gatt.notify(ConfigCharacteristic.status, this.#statusBytes());
	}

	#statusBytes(): ArrayBuffer {
		const { error, field, reason } = this.#status;
		const status: Record<string, unknown> = { v: this.#options.store.current.version, state: this.#state };
		if (error) status.error = error;
		if (field) status.field = field;
		if (reason) status.reason = reason;
		let bytes = ArrayBuffer.fromString(JSON.stringify(status));
		if (bytes.byteLength > STATUS_BYTES) {
			delete status.reason;
			bytes = ArrayBuffer.fromString(JSON.stringify(status));
		}
		return bytes;
	}
}
