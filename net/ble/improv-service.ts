/*
 * Improv Wi-Fi over BLE (spec rev 2.4, interop-protocols Part B), the GATT glue: the five
 * characteristics of bleservices/improv.json, the state machine (authorization by a physical
 * button for one minute, provisioning, provisioned), the RPC commands, and the advertisement
 * (the service UUID and the 0x4677 service data in one 31-byte packet, the name in the scan
 * response, re-advertised on every state change and stopped once provisioned). Frames and
 * checksums are improv-codec's; joining the network is the injected ImprovNetwork's.
 *
 * Errors follow the spec: a bad frame (checksum, length, bytes beyond the frame, malformed
 * Wi-Fi data) is 0x01 and changes nothing else; an unknown command 0x02; credentials or a
 * set-hostname/name before the button was pressed 0x04 (nothing is applied); a failed
 * connection 0x03 and back to Authorized with the authorization timeout restarted; an invalid
 * hostname 0x05. A command while a connection attempt runs, or after provisioning, is 0xFF.
 */
import type { AdvertisingParameters } from "bleserver";
import { Bytes } from "btutils";
import { Assembly, FrameAssembler, encodeResult, encodedLength, isValidHostname, parseOptionalString, parseWifiSettings } from "net/ble/improv-codec";
import {
	ADVERTISING_FLAGS, AUTHORIZATION_MS, CONNECT_TIMEOUT_MS, IDENTIFY_MS, ImprovCapability, ImprovCharacteristic, ImprovCommand,
	ImprovError, ImprovState, ImprovUuid, MAX_DATA_BYTES, MAX_DEVICE_NAME_BYTES, MAX_FRAME_BYTES, PARTIAL_FRAME_MS, WIFI_LOST_RESTART_MS,
} from "net/ble/improv-constants";
import type { GattHandler } from "net/ble/peripheral";
import Timer from "timer";

export interface ScannedNetwork {
	readonly ssid: string;
	readonly rssi: number;
	/** Moddable's authentication name: "none", "wep", "wpa_psk", "wpa2_psk", "wpa_wpa2_psk", "wpa2_enterprise", "wpa3_psk", "wpa2_wpa3_psk", "wapi_psk" */
	readonly authentication: string;
}

/** How Improv reaches the network: one join attempt with a timeout, and a scan. */
export interface ImprovNetwork {
	readonly online: boolean;
	join(ssid: string, password: string, timeoutMs: number, done: (ok: boolean) => void): void;
	scan(done: (networks: readonly ScannedNetwork[]) => void): void;
}

/** What Improv needs of the peripheral. */
export interface ImprovGatt {
	notify(name: string, value: unknown): boolean;
	refreshAdvertising(): void;
	name: string;
}

export interface ImprovNames {
	hostname: string;
	deviceName: string;
}

export interface ImprovOptions {
	readonly gatt: ImprovGatt;
	readonly network: ImprovNetwork;
	/** Device info strings 1-3: firmware name, version, chip/variant (the 4th is the device name). */
	readonly firmware: string;
	readonly version: string;
	readonly chip: string;
	/** Current names; `saveNames` persists a change. */
	readonly names: ImprovNames;
	readonly saveNames?: (names: ImprovNames) => void;
	/** The device has a physical authorizer (a button): start in Authorization required. */
	readonly requireAuthorization: boolean;
	/** First string of the Wi-Fi settings result; may be empty. */
	readonly redirectUrl: string;
	/** Makes the device noticeable for `ms` (blinks a LED); without it the identify capability is off. */
	readonly identify?: (ms: number) => void;
	readonly onChange?: (state: ImprovState, error: ImprovError) => void;
	readonly authorizationMs?: number;
	readonly connectTimeoutMs?: number;
	readonly restartAfterMs?: number;
}

/** Moddable's authentication names to the spec's (B.4 Scan). */
const AUTH_NAMES: Readonly<Record<string, string>> = Object.freeze({
	none: "NO", open: "NO", wep: "WEP", wpa_psk: "WPA", wpa2_psk: "WPA2", wpa_wpa2_psk: "WPA/WPA2", wpa2_enterprise: "WPA2 EAP",
	wpa3_psk: "WPA3", wpa2_wpa3_psk: "WPA2/WPA3", wapi_psk: "WAPI",
});

/** C0 controls and DEL have no place in a name shown to people. */
function hasControlCharacters(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x20 || code === 0x7f) return true;
	}
	return false;
}

const SERVICE_UUID = new Bytes(ImprovUuid.service.replaceAll("-", ""), true);
const SERVICE_DATA_UUID = new Bytes(ImprovUuid.serviceData, true);

export class ImprovService implements GattHandler {
	readonly names: readonly string[] = Object.freeze(Object.values(ImprovCharacteristic));
	readonly #options: ImprovOptions;
	readonly #assembler = new FrameAssembler();
	readonly #result = new Uint8Array(MAX_FRAME_BYTES);
	readonly #capabilities: number;
	#resultLength = 0;
	#state: ImprovState = ImprovState.stopped;
	#error: ImprovError = ImprovError.none;
	#active = false;
	#authorization: ReturnType<typeof Timer.set> | undefined;
	#restart: ReturnType<typeof Timer.set> | undefined;
	#partial: ReturnType<typeof Timer.set> | undefined;
	#closed = false;

	constructor(options: ImprovOptions) {
		if (!options?.gatt || !options.network) throw new RangeError("invalid options");
		this.#options = options;
		this.#capabilities = (options.identify ? ImprovCapability.identify : 0) | ImprovCapability.deviceInfo | ImprovCapability.scanWifi |
			ImprovCapability.hostname;
	}

	get state(): ImprovState {
		return this.#state;
	}
	get error(): ImprovError {
		return this.#error;
	}
	/** Running and advertising (not stopped, not provisioned). */
	get active(): boolean {
		return this.#active;
	}
	get capabilities(): number {
		return this.#capabilities;
	}

	/** Starts (or restarts) the service: Authorization required with a button, Authorized without. */
	start(): void {
		if (this.#closed) return;
		Timer.clear(this.#restart);
		this.#restart = undefined;
		this.#active = true;
		this.#assembler.reset();
		this.#setError(ImprovError.none);
		this.#setState(this.#options.requireAuthorization ? ImprovState.authorizationRequired : ImprovState.authorized);
	}

	/** Stops the service (advertising ends); the characteristics keep answering reads. */
	stop(state: ImprovState = ImprovState.stopped): void {
		this.#active = false;
		Timer.clear(this.#authorization);
		this.#authorization = undefined;
		this.#setState(state);
	}

	/** Ends the service for good: no timers, no more state changes. */
	close(): void {
		this.#closed = true;
		this.#active = false;
		Timer.clear(this.#authorization);
		Timer.clear(this.#restart);
		Timer.clear(this.#partial);
		this.#authorization = this.#restart = this.#partial = undefined;
	}

	/** The physical authorizer was used (a button press): Authorized for the authorization time. */
	authorize(): void {
		if (!this.#active || (this.#state !== ImprovState.authorizationRequired && this.#state !== ImprovState.authorized)) return;
		this.#armAuthorization();
		this.#setState(ImprovState.authorized);
	}

	/** The network came up or went away: Improv stops when it is up, and comes back after it has been gone a while. */
	networkChanged(online: boolean): void {
		if (this.#closed) return;
		if (online) {
			Timer.clear(this.#restart);
			this.#restart = undefined;
			if (this.#active && this.#state !== ImprovState.provisioning) this.stop(ImprovState.provisioned);
		} else if (!this.#active && !this.#restart) {
			this.#restart = Timer.set(() => {
				this.#restart = undefined;
				if (!this.#options.network.online) this.start();
			}, this.#options.restartAfterMs ?? WIFI_LOST_RESTART_MS);
		}
	}

	/** The advertisement while the service runs (B.6), else undefined. */
	advertisement(): AdvertisingParameters | undefined {
		if (!this.#active) return undefined;
		return {
			advertisingData: {
				flags: ADVERTISING_FLAGS,
				completeUUID128List: [SERVICE_UUID],
				serviceDataUUID16: { uuid: SERVICE_DATA_UUID, data: [this.#state, this.#capabilities, 0, 0, 0, 0] },
			},
			scanResponseData: { completeName: this.#options.gatt.name },
		};
	}

	/* ---- GattHandler ---- */

	read(name: string): unknown {
		switch (name) {
			case ImprovCharacteristic.state: return this.#state;
			case ImprovCharacteristic.error: return this.#error;
			case ImprovCharacteristic.capabilities: return this.#capabilities;
			case ImprovCharacteristic.rpcResult: return this.#result.slice(0, this.#resultLength).buffer;
			default: return undefined;
		}
	}

	written(name: string, value: unknown): void {
		if (this.#closed || name !== ImprovCharacteristic.rpcCommand || !(value instanceof ArrayBuffer)) return;
		const outcome = this.#assembler.push(new Uint8Array(value));
		Timer.clear(this.#partial);
		this.#partial = undefined;
		if (outcome === Assembly.incomplete) {
			if (this.#assembler.pending)
				this.#partial = Timer.set(() => {
					this.#partial = undefined;
					this.#assembler.reset();
					this.#setError(ImprovError.invalidRpc);
				}, PARTIAL_FRAME_MS);
			return;
		}
		if (outcome === Assembly.invalid) return this.#setError(ImprovError.invalidRpc);
		this.#command(this.#assembler.command(), this.#assembler.data());
	}

	disconnected(): void {
		this.#assembler.reset(); // a frame never spans two connections
		Timer.clear(this.#partial);
		this.#partial = undefined;
	}

	/* ---- commands ---- */

	#command(command: number, data: Uint8Array): void {
		if (!this.#active || this.#state === ImprovState.provisioning) return this.#setError(ImprovError.unknown);
		this.#setError(ImprovError.none);
		switch (command) {
			case ImprovCommand.wifiSettings: return this.#wifiSettings(data);
			case ImprovCommand.identify:
				if (!this.#options.identify) return this.#setError(ImprovError.unknownCommand);
				this.#options.identify(IDENTIFY_MS);
				return;
			case ImprovCommand.deviceInfo: {
				const { firmware, version, chip, names } = this.#options;
				return this.#respond(command, [firmware, version, chip, names.deviceName]);
			}
			case ImprovCommand.scanWifi:
				this.#options.network.scan((networks) => this.#respondNetworks(networks));
				return;
			case ImprovCommand.hostname:
			case ImprovCommand.deviceName:
				return this.#nameCommand(command, data);
			default:
				return this.#setError(ImprovError.unknownCommand);
		}
	}

	#wifiSettings(data: Uint8Array): void {
		if (this.#state !== ImprovState.authorized) return this.#setError(ImprovError.notAuthorized);
		const credentials = parseWifiSettings(data);
		if (!credentials) return this.#setError(ImprovError.invalidRpc);
		Timer.clear(this.#authorization);
		this.#authorization = undefined;
		this.#setState(ImprovState.provisioning);
		this.#options.network.join(credentials.ssid, credentials.password, this.#options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, (ok) => {
			if (this.#closed || !this.#active || this.#state !== ImprovState.provisioning) return;
			if (ok) {
				this.#active = false; // B.5: provisioned, the result, and the service stops (no more advertising)
				this.#setState(ImprovState.provisioned);
				this.#respond(ImprovCommand.wifiSettings, [this.#options.redirectUrl]);
			} else {
				this.#setError(ImprovError.unableToConnect);
				if (this.#options.requireAuthorization) this.#armAuthorization();
				this.#setState(ImprovState.authorized);
			}
		});
	}

	#nameCommand(command: number, data: Uint8Array): void {
		const names = this.#options.names;
		const hostname = command === ImprovCommand.hostname;
		const value = parseOptionalString(data);
		if (value === null) return this.#setError(ImprovError.invalidRpc);
		if (value !== undefined) {
			if (this.#state !== ImprovState.authorized) return this.#setError(ImprovError.notAuthorized);
			if (hostname && !isValidHostname(value)) return this.#setError(ImprovError.badHostname);
			if (!hostname && (data.length > MAX_DEVICE_NAME_BYTES || hasControlCharacters(value)))
				return this.#setError(ImprovError.invalidRpc);
			if (hostname) names.hostname = value;
			else {
				names.deviceName = value;
				this.#options.gatt.name = value;
			}
			this.#options.saveNames?.(names);
			if (this.#options.requireAuthorization) this.#armAuthorization(); // B.5: setting a name restarts the timeout
			if (!hostname) this.#options.gatt.refreshAdvertising();
		}
		this.#respond(command, [hostname ? names.hostname : names.deviceName]);
	}

	#respondNetworks(networks: readonly ScannedNetwork[]): void {
		const strongest = new Map<string, ScannedNetwork>();
		for (const network of networks)
			if (network.ssid && (strongest.get(network.ssid)?.rssi ?? -Infinity) < network.rssi) strongest.set(network.ssid, network);
		const texts: string[] = [];
		let bytes = 0;
		for (const network of [...strongest.values()].sort((a, b) => b.rssi - a.rssi)) {
			const triple = [network.ssid, String(Math.round(network.rssi)), AUTH_NAMES[network.authentication] ?? "WPA2"];
			const size = triple.reduce((n, text) => n + encodedLength(text), 0);
			if (bytes + size > MAX_DATA_BYTES) continue; // one RPC result holds what fits; the weakest are left out
			bytes += size;
			texts.push(...triple);
		}
		if (this.#active && !this.#closed) this.#respond(ImprovCommand.scanWifi, texts);
	}

	#respond(command: number, texts: readonly string[]): void {
		try {
			this.#resultLength = encodeResult(command, texts, this.#result);
		} catch {
			return this.#setError(ImprovError.unknown);
		}
		this.#options.gatt.notify(ImprovCharacteristic.rpcResult, this.#result.slice(0, this.#resultLength).buffer);
	}

	/* ---- state ---- */

	#armAuthorization(): void {
		Timer.clear(this.#authorization);
		this.#authorization = Timer.set(() => {
			this.#authorization = undefined;
			if (this.#active && this.#state === ImprovState.authorized) this.#setState(ImprovState.authorizationRequired);
		}, this.#options.authorizationMs ?? AUTHORIZATION_MS);
	}

	#setState(state: ImprovState): void {
		if (state === this.#state) return;
		this.#state = state;
		this.#options.gatt.notify(ImprovCharacteristic.state, state);
		this.#options.onChange?.(state, this.#error);
		this.#options.gatt.refreshAdvertising(); // B.6: re-advertise on every state change (or stop)
	}

	/** Every error is notified (a client sees each failure); clearing it only when it changes. */
	#setError(error: ImprovError): void {
		if (error === ImprovError.none && this.#error === ImprovError.none) return;
		this.#error = error;
		this.#options.gatt.notify(ImprovCharacteristic.error, error);
		if (error !== ImprovError.none) this.#options.onChange?.(this.#state, error);
	}
}

