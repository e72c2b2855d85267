/*
 * The device's one BLE peripheral (Moddable allows one BLEServer): it owns the GAP name, the
 * security parameters and advertising, and hands each characteristic's writes, reads and
 * subscriptions to the service that owns its name (Improv, the configuration service).
 * Advertising follows the link: a connection ends it (one link at a time) and a disconnection
 * starts it again with whatever the services want advertised then.
 */
import BLEServer, { type AdvertisingParameters, type Characteristic, type SecurityParameters } from "bleserver";

/** A GATT service's side of the peripheral; `names` are its characteristics' keys in bleservices/*.json. */
export interface GattHandler {
	readonly names: readonly string[];
	written?(name: string, value: unknown): void;
	read?(name: string): unknown;
	connected?(): void;
	disconnected?(): void;
	authenticated?(bonded: boolean): void;
}

export interface PeripheralOptions {
	readonly name: string;
	/** What to advertise now, or undefined for nothing; asked again on refreshAdvertising(). */
	readonly advertisement: () => AdvertisingParameters | undefined;
	readonly security?: SecurityParameters;
}

export class Peripheral extends BLEServer {
	readonly #handlers: GattHandler[] = [];
	readonly #subscriptions = new Map<string, Characteristic>();
	readonly #advertisement: () => AdvertisingParameters | undefined;
	#name: string;
	#security: SecurityParameters | undefined;
	#ready = false;
	#closed = false;
	#connected = false;
	#encrypted = false;
	#bonded = false;

	constructor(options: PeripheralOptions) {
		super();
		this.#name = options.name;
		this.#advertisement = options.advertisement;
		this.#security = options.security;
	}

	add(handler: GattHandler): void {
		this.#handlers.push(handler);
	}

	get connected(): boolean {
		return this.#connected;
	}
	get encrypted(): boolean {
		return this.#encrypted;
	}
	get bonded(): boolean {
		return this.#bonded;
	}

	/** The GAP name (and the name the services advertise). */
	get name(): string {
		return this.#name;
	}
	set name(name: string) {
		this.#name = name;
		if (this.#ready && !this.#closed) this.deviceName = name;
	}

	get security(): SecurityParameters {
		return this.#security ?? {};
	}
	set security(params: SecurityParameters) {
		this.#security = params;
		if (this.#ready && !this.#closed) this.securityParameters = params;
	}

	/** Sends a notification if the central subscribed to `name`; false if it did not. */
	notify(name: string, value: unknown): boolean {
		const characteristic = this.#subscriptions.get(name);
		if (!characteristic || !this.#connected || this.#closed) return false;
		this.notifyValue(characteristic, value);
		return true;
	}

	/** Advertises what the services want now (nothing while connected: the link ends advertising). */
	refreshAdvertising(): void {
		if (!this.#ready || this.#connected || this.#closed) return;
		const params = this.#advertisement();
		if (params) this.startAdvertising(params);
		else this.stopAdvertising();
	}

	override close(): void {
		this.#closed = true;
		super.close();
	}

	override onReady(): void {
		this.#ready = true;
		this.deviceName = this.#name;
		if (this.#security) this.securityParameters = this.#security;
		this.refreshAdvertising();
	}

	override onConnected(): void {
		this.#connected = true;
		for (const handler of this.#handlers) handler.connected?.();
	}

	override onDisconnected(): void {
		this.#connected = this.#encrypted = this.#bonded = false;
		this.#subscriptions.clear();
		for (const handler of this.#handlers) handler.disconnected?.();
		this.refreshAdvertising();
	}

	override onCharacteristicWritten(characteristic: Characteristic, value: unknown): void {
		this.#owner(characteristic.name)?.written?.(characteristic.name, value);
	}

	override onCharacteristicRead(characteristic: Characteristic): unknown {
		return this.#owner(characteristic.name)?.read?.(characteristic.name);
	}

	override onCharacteristicNotifyEnabled(characteristic: Characteristic): void {
		this.#subscriptions.set(characteristic.name, characteristic);
	}

	override onCharacteristicNotifyDisabled(characteristic: Characteristic): void {
		this.#subscriptions.delete(characteristic.name);
	}

	override onAuthenticated(params: { bonded: boolean }): void {
		this.#encrypted = true;
		this.#bonded = params?.bonded === true;
		for (const handler of this.#handlers) handler.authenticated?.(this.#bonded);
	}

	#owner(name: string): GattHandler | undefined {
		return this.#handlers.find((handler) => handler.names.includes(name));
	}
}
