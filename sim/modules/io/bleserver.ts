/*
 * Moddable's "bleserver" (BLE GATT peripheral) for the simulators. The stack itself, the GATT
 * database built from bleservices/*.json, its permissions, the link and the air, live in the
 * simulation (sim/world/ble.ts), as NimBLE's tables and checks live in C on the ESP32; this is
 * the JavaScript API the firmware subclasses. Calls cross the link as requests; the stack's
 * events (ready, connected, written, read, subscribed, authenticated, MTU) arrive as a
 * "ble.event" notification, after which this module pulls each queued event with "ble.next",
 * so the callbacks run from the event loop as NimBLE's posted messages do.
 *
 * Event record from "ble.next": [u16 LE header length][JSON header][value bytes]. Header:
 * {e: kind, h: value handle, n: name, t: type, u: uuid hex (as written in the JSON), a: peer
 * address, c: connection, m: MTU, b: bonded, on: subscribed}.
 */
import { request, serve } from "sim/link";
import { Advertisement, Bytes, typedBufferToValue, typedValueToBuffer } from "btutils";

/** Largest event record: an ATT value (at most 512 bytes, Core Vol 3 Part F §3.2.9) plus its header. */
const EVENT_BYTES = 512 + 256;
const ADDRESS_BYTES = 6;
const NO_ADVERTISING = -1;

interface Header {
	e: "ready" | "connect" | "disconnect" | "write" | "read" | "subscribe" | "auth" | "mtu";
	h?: number;
	n?: string;
	t?: string;
	u?: string;
	a?: string;
	c?: number;
	m?: number;
	b?: boolean;
	on?: boolean;
}

interface CharacteristicInfo {
	readonly uuid: Bytes;
	readonly name: string;
	readonly type: string;
	readonly handle: number;
	readonly notify?: number;
}

let deliver: (() => void) | undefined;

// Preloaded, so a stack event reaching a device that rebooted without a server finds this and
// tells the stack there is nobody (the radio then drops the link, as a vanished peer does).
serve("ble.event", () => {
	if (deliver) deliver();
	else request("ble.reset", 0, 0);
	return 0;
});

function uuidBytes(text: string): Bytes {
	return new Bytes(text.replaceAll("-", ""), true);
}

function addressBytes(text: string): Bytes {
	return new Bytes(text.replaceAll(":", ""), true);
}

export class BLEServer {
	#open = true;
	#deviceName = "";
	readonly #event = new Uint8Array(EVENT_BYTES);

	constructor(_dictionary: Record<string, unknown> = {}) {
		if (deliver) throw new Error("BLE already initialized");
		deliver = () => this.#drain();
		request("ble.open", 0, 0);
	}

	get deviceName(): string {
		return this.#deviceName;
	}
	set deviceName(name: string) {
		this.#check();
		this.#deviceName = String(name);
		request("ble.name", 0, 0, new Uint8Array(ArrayBuffer.fromString(this.#deviceName)));
	}

	get localAddress(): Bytes {
		const bytes = new Uint8Array(ADDRESS_BYTES);
		request("ble.address", 0, 0, bytes);
		return new Bytes(bytes.buffer);
	}

	set securityParameters(params: { encryption?: boolean; bonding?: boolean; mitm?: boolean; ioCapability?: number }) {
		this.#check();
		// The SDK's defaults (bleserver.js): encryption true, bonding false, mitm false, NoInputNoOutput.
		const { encryption = true, bonding = false, mitm = false, ioCapability = 0 } = params ?? {};
		request("ble.security", (encryption ? 1 : 0) | (bonding ? 2 : 0) | (mitm ? 4 : 0), ioCapability);
	}

	startAdvertising(params: { advertisingData: Record<string, unknown>; scanResponseData?: Record<string, unknown>; connectable?: boolean }): void {
		this.#check();
		const advertising = new Uint8Array(Advertisement.serialize(params.advertisingData));
		const response = params.scanResponseData ? new Uint8Array(Advertisement.serialize(params.scanResponseData)) : new Uint8Array(0);
		const both = new Uint8Array(advertising.length + response.length);
		both.set(advertising);
		both.set(response, advertising.length);
		const connectable = params.connectable === false ? 0 : 1;
		if (request("ble.advertise", advertising.length | (connectable << 8), response.length, both) === NO_ADVERTISING)
			throw new Error("advertising failed");
	}

	stopAdvertising(): void {
		this.#check();
		request("ble.stopAdvertising", 0, 0);
	}

	notifyValue(characteristic: CharacteristicInfo, value: unknown): void {
		this.#check();
		const bytes = new Uint8Array(typedValueToBuffer(characteristic.type, value));
		request("ble.notify", characteristic.handle, characteristic.notify === 0 ? 0 : 1, bytes);
	}

	disconnect(): void {
		this.#check();
		request("ble.disconnect", 0, 0);
	}

	close(): void {
		if (!this.#open) return;
		this.#open = false;
		deliver = undefined;
		request("ble.close", 0, 0);
	}

	/** Numeric comparison and passkeys need a display or keyboard; the simulated stack pairs Just Works only. */
	passkeyReply(_address: ArrayBuffer, _result: boolean): void {}

	onReady(): void {}
	onConnected(_device: unknown): void {}
	onDisconnected(_device: unknown): void {}
	onCharacteristicWritten(_characteristic: CharacteristicInfo, _value: unknown): void {}
	onCharacteristicRead(_characteristic: CharacteristicInfo): unknown {
		return undefined;
	}
	onCharacteristicNotifyEnabled(_characteristic: CharacteristicInfo): void {}
	onCharacteristicNotifyDisabled(_characteristic: CharacteristicInfo): void {}
	onAuthenticated(_params: { bonded: boolean }): void {}
	onMTUExchanged(_mtu: number): void {}

	#check(): void {
		if (!this.#open) throw new Error("closed");
	}

	#drain(): void {
		for (;;) {
			if (!this.#open) return;
			const length = request("ble.next", 0, 0, this.#event);
			if (length <= 0) return;
			const headerLength = this.#event[0] | (this.#event[1] << 8);
			const header = JSON.parse(String.fromArrayBuffer(this.#event.slice(2, 2 + headerLength).buffer)) as Header;
			const value = this.#event.slice(2 + headerLength, length).buffer;
			this.#dispatch(header, value);
		}
	}

	#characteristic(header: Header, notify?: number): CharacteristicInfo {
		const info = { uuid: uuidBytes(header.u ?? ""), name: header.n ?? "", type: header.t ?? "", handle: header.h ?? 0 };
		return notify === undefined ? info : { ...info, notify };
	}

	#dispatch(header: Header, value: ArrayBuffer): void {
		switch (header.e) {
			case "ready":
				this.onReady();
				break;
			case "connect":
				this.onConnected({ address: addressBytes(header.a ?? ""), addressType: 0, connection: header.c });
				break;
			case "disconnect":
				this.onDisconnected({ address: addressBytes(header.a ?? ""), connection: header.c });
				break;
			case "write":
				this.onCharacteristicWritten(this.#characteristic(header), typedBufferToValue(header.t ?? "", value));
				break;
			case "read": {
				const characteristic = this.#characteristic(header);
				let reply: Uint8Array | undefined;
				try {
					const result = this.onCharacteristicRead(characteristic);
					if (result !== undefined) reply = new Uint8Array(typedValueToBuffer(characteristic.type, result));
				} finally {
					// NimBLE answers a read the callback left unanswered with Insufficient Resources.
					request("ble.readReply", characteristic.handle, reply ? 0 : 1, reply ?? new Uint8Array(0));
				}
				break;
			}
			case "subscribe":
				if (header.on) this.onCharacteristicNotifyEnabled(this.#characteristic(header, 1));
				else this.onCharacteristicNotifyDisabled(this.#characteristic(header, 1));
				break;
			case "auth":
				this.onAuthenticated({ bonded: header.b === true });
				break;
			case "mtu":
				this.onMTUExchanged(header.m ?? 23);
				break;
		}
	}
}

export default BLEServer;
