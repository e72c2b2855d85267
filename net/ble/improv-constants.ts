/*
 * Improv Wi-Fi over BLE, specification revision 2.4 (improv-wifi/website src/ble.md @c767007;
 * the facts are collected in interop-protocols.md Part B): UUIDs, states, error codes, commands,
 * capabilities, advertisement layout, and the timings ESPHome's esp32_improv uses
 * (peer-defaults.md §9). The characteristics themselves are declared in bleservices/improv.json;
 * the firmware finds them by name ("state", "error", "rpcCommand", "rpcResult", "capabilities").
 */

export const IMPROV_SPEC_REVISION = "2.4";

/** B.1 */
export const ImprovUuid = Object.freeze({
	service: "00467768-6228-2272-4663-277478268000",
	/** Service Data UUID of the advertisement, 0x4677 */
	serviceData: "4677",
} as const);

/** The characteristic names of bleservices/improv.json (Moddable dispatches on them). */
export const ImprovCharacteristic = Object.freeze({
	state: "state",
	error: "error",
	rpcCommand: "rpcCommand",
	rpcResult: "rpcResult",
	capabilities: "capabilities",
} as const);

/** B.2 Current State (0x00 Stopped is sdk-cpp's, not in the BLE table). */
export const ImprovState = Object.freeze({
	stopped: 0x00,
	authorizationRequired: 0x01,
	authorized: 0x02,
	provisioning: 0x03,
	provisioned: 0x04,
} as const);
export type ImprovState = (typeof ImprovState)[keyof typeof ImprovState];

/** B.2 Error State */
export const ImprovError = Object.freeze({
	none: 0x00,
	invalidRpc: 0x01,
	unknownCommand: 0x02,
	unableToConnect: 0x03,
	notAuthorized: 0x04,
	badHostname: 0x05,
	unknown: 0xff,
} as const);
export type ImprovError = (typeof ImprovError)[keyof typeof ImprovError];

/** B.4 RPC commands */
export const ImprovCommand = Object.freeze({
	wifiSettings: 0x01,
	identify: 0x02,
	deviceInfo: 0x03,
	scanWifi: 0x04,
	hostname: 0x05,
	deviceName: 0x06,
} as const);

/** B.1 Capabilities characteristic bits */
export const ImprovCapability = Object.freeze({
	identify: 1 << 0,
	deviceInfo: 1 << 1,
	scanWifi: 1 << 2,
	hostname: 1 << 3,
} as const);

/** B.3: [command][data length][data][checksum]; the length is one byte. */
export const FRAME_OVERHEAD = 3;
export const MAX_DATA_BYTES = 255;
export const MAX_FRAME_BYTES = MAX_DATA_BYTES + FRAME_OVERHEAD;

/** B.6: [current state][capabilities][0][0][0][0] */
export const SERVICE_DATA_BYTES = 6;
/** B.6 advertisement: flags "LE General Discoverable, BR/EDR not supported" (Core Supplement Part A §1.3). */
export const ADVERTISING_FLAGS = 0x06;

/** Wi-Fi limits of the Send Wi-Fi settings data (IEEE 802.11: SSID 1-32 bytes; WPA2 passphrase at most 63 characters or 64 hex digits). */
export const MAX_SSID_BYTES = 32;
export const MAX_PASSWORD_BYTES = 64;
/** RFC 1123 §2.1 host name label: 1-63 characters of letters, digits and hyphens, no hyphen first or last. */
export const MAX_HOSTNAME_BYTES = 63;
/** The name rides in the scan response's Complete Local Name: 31 - 2 bytes of AD header. */
export const MAX_DEVICE_NAME_BYTES = 29;

/** B.5 / peer-defaults §9 (ESPHome esp32_improv) */
export const AUTHORIZATION_MS = 60_000;
export const IDENTIFY_MS = 10_000;
export const CONNECT_TIMEOUT_MS = 30_000;
/** Improv comes back after the network has been gone this long (ESPHome wifi_timeout). */
export const WIFI_LOST_RESTART_MS = 60_000;

/**
 * Ours, not the spec's: bytes of a frame that does not complete within this time are dropped
 * and reported as an invalid packet, so a client that gave up mid-frame (or whose chunks were
 * interleaved) does not spoil its next command. Back-to-back writes take one connection
 * interval each (7.5-50 ms), so a whole 13-write frame arrives well within it.
 */
export const PARTIAL_FRAME_MS = 2_000;

/** Moddable's IOCapability.NoInputNoOutput (modules/network/ble/sm.js): no display, no keyboard. */
export const IO_CAPABILITY_NONE = 0;
