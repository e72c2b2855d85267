/*
 * Improv's way to the network: the Wi-Fi manager (net/wifi.ts) made on demand, one join
 * attempt at a time with a timeout, credentials saved only once they worked, and the networks
 * the radio sees. A device without credentials has no manager until Improv brings some; a
 * failed attempt puts back what was there before (the previous network, or nothing), so a
 * wrong password never replaces a working configuration. Secrets are never logged: the state
 * callback gets states only.
 */
import Timer from "timer";
import { WifiManager, WifiState, type Backoff, type WifiClass } from "net/wifi";
import type { ImprovNetwork, ScannedNetwork } from "net/ble/improv-service";

export interface Credentials {
	readonly ssid: string;
	readonly password: string;
}

/** Where the credentials live (NVS through "preference" on the device). */
export interface CredentialStore {
	load(): Credentials | undefined;
	save(credentials: Credentials): void;
}

/** Moddable's `wifi` class: the manager's part and the static scan. */
export interface WifiRadio extends WifiClass {
	scan(options: { hidden?: boolean }, callback: (item: { ssid: string; rssi: number; authentication: string } | null) => void): void;
}

/** The subset of Moddable's "preference" module the store uses. */
export interface Preferences {
	get(domain: string, key: string): string | number | boolean | ArrayBuffer | undefined;
	set(domain: string, key: string, value: string | number | boolean | ArrayBuffer): void;
}

const DOMAIN = "wifi";

/** Credentials in preferences: domain "wifi", keys "ssid" and "password" (NVS: names up to 15 characters). */
export function preferenceStore(preference: Preferences): CredentialStore {
	return {
		load(): Credentials | undefined {
			const ssid = preference.get(DOMAIN, "ssid"), password = preference.get(DOMAIN, "password");
			return typeof ssid === "string" && ssid ? { ssid, password: typeof password === "string" ? password : "" } : undefined;
		},
		save(credentials: Credentials): void {
			preference.set(DOMAIN, "ssid", credentials.ssid);
			preference.set(DOMAIN, "password", credentials.password);
		},
	};
}

export interface WifiProvisionerOptions {
	readonly wifi: WifiRadio;
	readonly store: CredentialStore;
	/** Credentials built into the firmware (mcconfig ssid=… password=…); stored ones win. */
	readonly fallback?: Credentials;
	readonly random: () => number;
	readonly onState?: (state: WifiState) => void;
	readonly backoff?: Backoff;
}

export class WifiProvisioner implements ImprovNetwork {
	readonly #options: WifiProvisionerOptions;
	readonly #listeners: ((online: boolean) => void)[] = [];
	#manager: WifiManager | undefined;
	#credentials: Credentials | undefined;
	#online = false;
	#attempt: { readonly done: (ok: boolean) => void; readonly timer: ReturnType<typeof Timer.set> } | undefined;

	constructor(options: WifiProvisionerOptions) {
		if (typeof options?.wifi !== "function" || !options.store) throw new RangeError("invalid options");
		this.#options = options;
		this.#credentials = options.store.load() ?? (options.fallback?.ssid ? options.fallback : undefined);
	}

	/** The device has a network to join (stored, or built in). */
	get configured(): boolean {
		return this.#credentials !== undefined;
	}

	get online(): boolean {
		return this.#online;
	}

	get ssid(): string | undefined {
		return this.#credentials?.ssid;
	}

	/** Called with each change of `online`. */
	listen(listener: (online: boolean) => void): void {
		this.#listeners.push(listener);
	}

	/** Joins the configured network, if there is one, and keeps it (the manager's backoff, for ever). */
	start(): void {
		if (!this.#credentials || this.#manager) return;
		this.#manager = this.#create(this.#credentials);
		this.#manager.start();
	}

	/** Joins these credentials from now on (already saved elsewhere: the configuration service). */
	adopt(credentials: Credentials): void {
		this.#finish(false);
		this.#credentials = credentials;
		if (this.#manager) this.#manager.setCredentials(credentials.ssid, credentials.password);
		else this.start();
	}

	/** Leaves the network and forgets the manager (a pending join fails). */
	stop(): void {
		this.#finish(false);
		this.#manager?.stop();
		this.#manager = undefined;
	}

	join(ssid: string, password: string, timeoutMs: number, done: (ok: boolean) => void): void {
		if (this.#attempt) return done(false);
		const previous = this.#manager ? this.#credentials : undefined;
		const timer = Timer.set(() => this.#finish(false), timeoutMs);
		this.#attempt = {
			timer,
			done: (ok) => {
				if (ok) {
					this.#credentials = { ssid, password };
					this.#options.store.save(this.#credentials);
				} else if (previous) this.#manager?.setCredentials(previous.ssid, previous.password);
				else {
					this.#manager?.stop();
					this.#manager = undefined;
				}
				done(ok);
			},
		};
		if (this.#manager) this.#manager.setCredentials(ssid, password);
		else {
			this.#manager = this.#create({ ssid, password });
			this.#manager.start();
		}
	}

	scan(done: (networks: readonly ScannedNetwork[]) => void): void {
		const found: ScannedNetwork[] = [];
		try {
			this.#options.wifi.scan({}, (item) => {
				if (item) found.push({ ssid: item.ssid, rssi: item.rssi, authentication: item.authentication });
				else done(found);
			});
		} catch {
			done(found); // the radio is busy: no networks this time
		}
	}

	#create(credentials: Credentials): WifiManager {
		return new WifiManager({
			wifi: this.#options.wifi, ssid: credentials.ssid, password: credentials.password, random: this.#options.random,
			backoff: this.#options.backoff, onState: (state) => this.#onState(state),
		});
	}

	#onState(state: WifiState): void {
		this.#options.onState?.(state);
		const online = state === WifiState.online;
		if (online !== this.#online) {
			this.#online = online;
			for (const listener of this.#listeners) listener(online);
		}
		// The outcome is acted on from the next turn: stopping the manager from inside its own
		// state callback would leave the retry it is scheduling behind.
		if (this.#attempt && (state === WifiState.online || state === WifiState.waiting)) {
			const attempt = this.#attempt;
			Timer.set(() => this.#attempt === attempt && this.#finish(state === WifiState.online));
		}
	}

	#finish(ok: boolean): void {
		const attempt = this.#attempt;
		if (!attempt) return;
		this.#attempt = undefined;
		Timer.clear(attempt.timer);
		attempt.done(ok);
	}
}
