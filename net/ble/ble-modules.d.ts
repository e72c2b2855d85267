// The part of Moddable's BLE peripheral API the firmware uses ("bleserver", "btutils"), typed
// for strict TypeScript. @moddable/typings 5.6.0 has ble/*.d.ts, but they import "gap", "gatt"
// and "sm" typings that do not compile under strict; these follow the SDK's
// modules/network/ble/{bleserver,btutils}.js and documentation/network/ble/ble.md. On the ESP32
// the SDK provides the modules; on the simulators sim/modules/io/{bleserver,btutils}.ts do.

declare module "btutils" {
	/** Bytes in Bluetooth (little-endian) order: uuid`...` and address`...` reverse their text. */
	export class Bytes extends ArrayBuffer {
		constructor(bytes: string | ArrayBuffer, littleEndian?: boolean);
		equals(bytes: ArrayBuffer): boolean;
		toString(): string;
	}
	export function uuid(strings: TemplateStringsArray): Bytes;
	export function address(strings: TemplateStringsArray): Bytes;
	export type CharacteristicType = "Array" | "ArrayBuffer" | "String" | "Uint8" | "Uint8Array" | "Int8Array" |
		"Int16Array" | "Uint16" | "Uint16Array" | "Uint32";
	export function typedValueToBuffer(type: string, value: unknown): ArrayBuffer;
	export function typedBufferToValue(type: string, buffer: ArrayBuffer): unknown;
	export interface AdvertisementData {
		flags?: number;
		completeName?: string;
		shortName?: string;
		completeUUID16List?: Bytes[];
		incompleteUUID16List?: Bytes[];
		completeUUID128List?: Bytes[];
		incompleteUUID128List?: Bytes[];
		serviceDataUUID16?: { uuid: Bytes; data: ArrayLike<number> };
		serviceDataUUID128?: { uuid: Bytes; data: ArrayLike<number> };
		manufacturerSpecific?: { identifier: number; data?: ArrayLike<number> };
		txPowerLevel?: number;
		appearance?: number;
	}
	export class Advertisement {
		/** Serialises AD structures in key order; throws when they exceed 31 bytes (GAP.MAX_AD_LENGTH). */
		static serialize(data: AdvertisementData): ArrayBuffer;
	}
}

declare module "bleserver" {
	import type { Bytes, AdvertisementData } from "btutils";

	/** What the callbacks receive: `name` is the characteristic's key in its bleservices/*.json. */
	export interface Characteristic {
		readonly uuid: Bytes;
		readonly name: string;
		readonly type: string;
		readonly handle: number;
		/** set on the object passed to onCharacteristicNotifyEnabled: 1 notify, 0 indicate */
		readonly notify?: number;
	}
	export interface Device {
		readonly address: Bytes;
		readonly addressType?: number;
		readonly connection?: number;
	}
	export interface SecurityParameters {
		encryption?: boolean;
		bonding?: boolean;
		mitm?: boolean;
		/** IOCapability from "sm": NoInputNoOutput 0, DisplayOnly 1, KeyboardOnly 2, KeyboardDisplay 3, DisplayYesNo 4 */
		ioCapability?: number;
	}
	export interface AdvertisingParameters {
		advertisingData: AdvertisementData;
		scanResponseData?: AdvertisementData;
		connectable?: boolean;
		discoverable?: boolean;
		fast?: boolean;
	}

	export class BLEServer {
		constructor(dictionary?: Record<string, unknown>);
		deviceName: string;
		readonly localAddress: Bytes;
		set securityParameters(params: SecurityParameters);
		startAdvertising(params: AdvertisingParameters): void;
		stopAdvertising(): void;
		notifyValue(characteristic: Characteristic, value: unknown): void;
		disconnect(): void;
		close(): void;
		passkeyReply(address: ArrayBuffer, result: boolean): void;

		onReady(): void;
		onConnected(device: Device): void;
		onDisconnected(device: Device): void;
		onCharacteristicWritten(characteristic: Characteristic, value: unknown): void;
		onCharacteristicRead(characteristic: Characteristic): unknown;
		onCharacteristicNotifyEnabled(characteristic: Characteristic): void;
		onCharacteristicNotifyDisabled(characteristic: Characteristic): void;
		onAuthenticated(params: { bonded: boolean }): void;
		onMTUExchanged(mtu: number): void;
	}
	export default BLEServer;
}
