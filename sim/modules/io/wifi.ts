/*
 * Moddable's "wifi" module for the simulators: one station interface that joins the simulated
 * access point (sim/world/network.ts) across the link, with Moddable's messages delivered to the
 * instance's callback from the event loop ("connect", "gotIP", "lostIP", "disconnect").
 */
import Timer from "timer";
import { request, serve } from "sim/link";

type Message = "connect" | "gotIP" | "lostIP" | "disconnect" | "station_connect" | "station_disconnect";
type Callback = (message: Message) => void;
interface Options { ssid: string; password?: string; bssid?: ArrayBuffer }
interface ScanItem { ssid: string; authentication: string; rssi: number; bssid: ArrayBuffer }

/** The world's event codes (sim/world/network.ts WifiEvent), in order. */
const MESSAGES: readonly Message[] = Object.freeze(["connect", "gotIP", "lostIP", "disconnect"]);
const SCAN_BYTES = 2048;

/** The device has one radio: the instance holding the station interface, if any. */
const radio: { station: WiFi | undefined } = { station: undefined };

serve("wifi.event", (code) => {
	const message = MESSAGES[code - 1];
	if (message) radio.station?.notify(message);
	return 0;
});

export default class WiFi {
	static readonly connected = "connect";
	static readonly gotIP = "gotIP";
	static readonly lostIP = "lostIP";
	static readonly disconnected = "disconnect";
	static readonly station_connected = "station_connect";
	static readonly station_disconnected = "station_disconnect";
	static readonly Mode = Object.freeze({ off: -5, none: 0, station: 1, accessPoint: 2 } as const);
	static #mode: number = WiFi.Mode.station;

	readonly #callback: Callback | undefined;

	constructor(options?: Options, callback?: Callback) {
		if (radio.station) throw new Error("one station instance at a time");
		this.#callback = callback;
		radio.station = this;
		if (options) WiFi.connect(options);
	}

	close(): void {
		if (radio.station === this) radio.station = undefined;
	}

	/** Called for the world's events (from the event loop, like the ESP32's Wi-Fi task callbacks). */
	notify(message: Message): void {
		this.#callback?.(message);
	}

	static connect(options?: Options): void {
		if (!options) {
			WiFi.disconnect();
			return;
		}
		if (typeof options.ssid !== "string" || !options.ssid || options.ssid.length > 32) throw new RangeError("invalid ssid");
		if (options.password !== undefined && (typeof options.password !== "string" || options.password.length > 64))
			throw new RangeError("invalid password");
		request("wifi.connect", 0, 0, new Uint8Array(ArrayBuffer.fromString(JSON.stringify({ ssid: options.ssid, password: options.password }))));
	}

	static disconnect(): void {
		request("wifi.disconnect", 0, 0);
	}

	static scan(_options: { hidden?: boolean; channel?: number }, callback: (item: ScanItem | null) => void): void {
		const bytes = new Uint8Array(SCAN_BYTES);
		const length = request("wifi.scan", 0, 0, bytes);
		const items = length > 0 ? (JSON.parse(String.fromArrayBuffer(bytes.slice(0, length).buffer)) as Omit<ScanItem, "bssid">[]) : [];
		Timer.set(() => {
			for (const item of items) callback({ ...item, bssid: new ArrayBuffer(6) });
			callback(null);
		}, 100);
	}

	static get mode(): number {
		return WiFi.#mode;
	}
	static set mode(value: number) {
		if (!Object.values(WiFi.Mode).includes(value as never)) throw new RangeError("invalid mode");
		WiFi.#mode = value;
	}

	static accessPoint(): void {
		throw new Error("access point mode is not simulated");
	}
}
