/*
 * The Wi-Fi manager: joins the configured network and keeps it. After a failed attempt or a
 * lost link it tries again after a jittered exponential backoff (5 s doubling to 5 minutes,
 * ±50 %), for ever: a device never reboots because the network is gone (peer-defaults §11,
 * "Link loss"; ESPHome's reboot_timeout is the failure mode to avoid). An attempt that has not
 * brought an address within 60 s (ESPHome's connect timeout) counts as failed. The Moddable
 * `wifi` class is injected, so the same manager runs on the ESP32 and in the simulators.
 */
import Timer from "timer";

export const WifiState = Object.freeze({
	off: "off",
	/** associating and waiting for an address */
	connecting: "connecting",
	/** associated with an IP address */
	online: "online",
	/** backing off before the next attempt */
	waiting: "waiting",
} as const);
export type WifiState = (typeof WifiState)[keyof typeof WifiState];

type Message = "connect" | "gotIP" | "lostIP" | "disconnect" | "station_connect" | "station_disconnect";

/** What the manager uses of Moddable's `wifi` class. */
export interface WifiStation {
	close(): void;
}
export interface WifiClass {
	new (options: undefined, callback: (message: Message) => void): WifiStation;
	connect(options: { ssid: string; password?: string }): void;
	disconnect(): void;
}

export interface Backoff {
	readonly initialMs: number;
	readonly maxMs: number;
	/** ±fraction of the delay, uniformly at random, so that a fleet does not retry in step */
	readonly jitter: number;
}

export const DEFAULT_BACKOFF: Backoff = Object.freeze({ initialMs: 5_000, maxMs: 300_000, jitter: 0.5 });
export const CONNECT_TIMEOUT_MS = 60_000;

export interface WifiManagerOptions {
	readonly wifi: WifiClass;
	readonly ssid: string;
	readonly password?: string;
	/** Uniform in [0, 1); injected so a simulated run is deterministic. */
	readonly random: () => number;
	/** Every state change, with the attempt number and, when waiting, the delay. */
	readonly onState?: (state: WifiState, attempt: number, delayMs: number) => void;
	readonly backoff?: Backoff;
	readonly connectTimeoutMs?: number;
}

export class WifiManager {
	readonly #options: WifiManagerOptions;
	readonly #backoff: Backoff;
	#ssid: string;
	#password: string | undefined;
	#station: WifiStation | undefined;
	#state: WifiState = WifiState.off;
	#attempt = 0;
	#timer: ReturnType<typeof Timer.set> | undefined;

	constructor(options: WifiManagerOptions) {
		if (typeof options?.wifi !== "function") throw new RangeError("invalid wifi");
		if (typeof options.ssid !== "string" || !options.ssid) throw new RangeError("invalid ssid");
		if (typeof options.random !== "function") throw new RangeError("invalid random");
		const backoff = options.backoff ?? DEFAULT_BACKOFF;
		if (!(backoff.initialMs > 0 && backoff.maxMs >= backoff.initialMs && backoff.jitter >= 0 && backoff.jitter < 1))
			throw new RangeError("invalid backoff");
		this.#options = options;
		this.#backoff = backoff;
		this.#ssid = options.ssid;
		this.#password = options.password;
	}

	get state(): WifiState {
		return this.#state;
	}

	get online(): boolean {
		return this.#state === WifiState.online;
	}

	start(): void {
		if (this.#state !== WifiState.off) return;
		this.#station = new this.#options.wifi(undefined, (message) => this.#onMessage(message));
		this.#connect();
	}

	stop(): void {
		Timer.clear(this.#timer);
		this.#timer = undefined;
		if (this.#station) {
			this.#options.wifi.disconnect();
			this.#station.close();
			this.#station = undefined;
		}
		this.#set(WifiState.off, 0);
	}

	/**
	 * Replaces the network to join (BLE provisioning hands new credentials here). A running
	 * manager starts a fresh attempt at once, with the backoff reset; a stopped one keeps them
	 * for start().
	 */
	setCredentials(ssid: string, password?: string): void {
		if (typeof ssid !== "string" || !ssid) throw new RangeError("invalid ssid");
		this.#ssid = ssid;
		this.#password = password;
		if (this.#state === WifiState.off) return;
		Timer.clear(this.#timer);
		this.#timer = undefined;
		this.#attempt = 0;
		this.#connect();
	}

	/** The delay before attempt number `attempt` (1: the first retry), before jitter. */
	static delay(backoff: Backoff, attempt: number): number {
		return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
	}

	#connect(): void {
		this.#set(WifiState.connecting, 0);
		this.#timer = Timer.set(() => this.#retry(), this.#options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
		try {
			this.#options.wifi.connect({ ssid: this.#ssid, password: this.#password });
		} catch {
			this.#retry(); // the radio refused the request: the same as a failed attempt
		}
	}

	#onMessage(message: Message): void {
		if (this.#state === WifiState.off) return;
		if (message === "gotIP") {
			Timer.clear(this.#timer);
			this.#timer = undefined;
			this.#attempt = 0;
			this.#set(WifiState.online, 0);
		} else if (message === "disconnect" || message === "lostIP") {
			if (this.#state === WifiState.online || this.#state === WifiState.connecting) this.#retry();
		}
	}

	#retry(): void {
		Timer.clear(this.#timer);
		this.#attempt++;
		const base = WifiManager.delay(this.#backoff, this.#attempt);
		const jitter = this.#backoff.jitter;
		const delay = Math.round(base * (1 - jitter + 2 * jitter * this.#options.random()));
		this.#set(WifiState.waiting, delay);
		this.#timer = Timer.set(() => {
			this.#timer = undefined;
			this.#connect();
		}, delay);
	}

	#set(state: WifiState, delayMs: number): void {
		this.#state = state;
		this.#options.onState?.(state, this.#attempt, delayMs);
	}
}
