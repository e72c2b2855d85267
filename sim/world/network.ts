/*
 * The simulated Wi-Fi access point the device joins: an SSID and password (world options
 * ssid/password), availability that scenarios take away and give back ({"do": "wifi", "up":
 * false}), a signal strength, and the station events a Moddable `wifi` instance reports, with
 * ESP32-like timings (association ~1.5 s, DHCP ~0.5 s, a wrong password or a missing AP reported
 * as a disconnect after a few seconds).
 */
import Timer from "timer";
import { notifyDevice, serve } from "sim/link";
import type { Prng } from "sim/devices/prng";
import { type Actions, booleanField, numberField } from "sim/world/actions";

/** The codes of the device module's messages (sim/modules/io/wifi.ts). */
export const WifiEvent = Object.freeze({ connect: 1, gotIP: 2, lostIP: 3, disconnect: 4 } as const);

const ASSOCIATE_MS = 1500;
const DHCP_MS = 500;
const AUTH_FAIL_MS = 3000;
const NO_AP_MS = 5000;
const LOST_IP_MS = 1000;

type Station = "idle" | "connecting" | "connected";

export class Network {
	readonly ssid: string;
	readonly #password: string;
	readonly #prng: Prng;
	#up = true;
	#rssi: number;
	#station: Station = "idle";
	#pending: ReturnType<typeof Timer.set> | undefined;

	constructor(option: (name: string) => string | undefined, prng: Prng) {
		this.ssid = option("ssid") ?? "sim-home";
		this.#password = option("password") ?? "correct horse battery staple";
		this.#rssi = Number(option("rssi") ?? -58);
		this.#prng = prng;
		serve("wifi.connect", (_a, _b, bytes) => this.#connect(bytes));
		serve("wifi.disconnect", () => this.#disconnect());
		serve("wifi.rssi", () => (this.#station === "connected" ? Math.round(this.#rssi + this.#prng.gaussian(2)) : 0));
		serve("wifi.connected", () => (this.#station === "connected" ? 1 : 0));
		serve("wifi.scan", (_a, _b, bytes) => {
			const list = this.#up ? [{ ssid: this.ssid, rssi: this.#rssi, authentication: "wpa2_psk" }, { ssid: "neighbours", rssi: -83, authentication: "wpa2_psk" }] : [];
			const text = new Uint8Array(ArrayBuffer.fromString(JSON.stringify(list)));
			if (!bytes || bytes.length < text.length) return -1;
			bytes.set(text);
			return text.length;
		});
	}

	/** The device (re)booted: its station is gone. The board calls this (Hardware.onDeviceBoot). */
	deviceBooted(): void {
		this.#reset();
	}

	get up(): boolean {
		return this.#up;
	}

	registerActions(actions: Actions): void {
		actions.register("wifi", (action) => {
			if (action.rssi !== undefined) this.#rssi = numberField(action, "rssi");
			if (action.up !== undefined) this.#setUp(booleanField(action, "up"));
		});
	}

	truth(): Record<string, number | string | boolean> {
		return { wifi: this.#up, station: this.#station };
	}

	#connect(bytes: Uint8Array | undefined): number {
		if (!bytes) return -1;
		const { ssid, password } = JSON.parse(String.fromArrayBuffer(bytes.slice().buffer)) as { ssid: string; password?: string };
		this.#reset();
		this.#station = "connecting";
		if (!this.#up || ssid !== this.ssid) this.#later(NO_AP_MS, () => this.#fail());
		else if ((password ?? "") !== this.#password) this.#later(AUTH_FAIL_MS, () => this.#fail());
		else this.#later(ASSOCIATE_MS, () => {
			notifyDevice("wifi.event", WifiEvent.connect, 0);
			this.#later(DHCP_MS, () => {
				this.#station = "connected";
				notifyDevice("wifi.event", WifiEvent.gotIP, 0);
			});
		});
		return 0;
	}

	#disconnect(): number {
		const was = this.#station;
		this.#reset();
		if (was !== "idle") notifyDevice("wifi.event", WifiEvent.disconnect, 0);
		return 0;
	}

	#fail(): void {
		this.#station = "idle";
		notifyDevice("wifi.event", WifiEvent.disconnect, 0);
	}

	#setUp(up: boolean): void {
		if (up === this.#up) return;
		this.#up = up;
		if (!up && this.#station !== "idle") {
			const connected = this.#station === "connected";
			this.#reset();
			notifyDevice("wifi.event", WifiEvent.disconnect, 0);
			if (connected) this.#later(LOST_IP_MS, () => notifyDevice("wifi.event", WifiEvent.lostIP, 0));
		}
	}

	#later(ms: number, then: () => void): void {
		Timer.clear(this.#pending);
		this.#pending = Timer.set(() => {
			this.#pending = undefined;
			then();
		}, ms);
	}

	#reset(): void {
		Timer.clear(this.#pending);
		this.#pending = undefined;
		this.#station = "idle";
	}
}
