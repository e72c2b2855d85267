/*
 * The persisted device configuration: one preference entry ("cfg"/"doc") holding the version
 * and every value, secrets included, written with a single NVS write. ESP-IDF's NVS replaces an
 * entry atomically (the new entry is complete before the old one is erased), so a power cut
 * leaves the previous document or the new one, never a mixture: that is what makes an apply
 * all-or-nothing. The version counts applied changes; a writer names the version it read, and
 * a write based on an older one is stale. Improv's credentials live here too, so there is one
 * truth for the network to join.
 */
import type { ConfigValues } from "net/ble/config-schema";
import type { Credentials, CredentialStore, Preferences } from "net/ble/improv-wifi";

const DOMAIN = "cfg";
const KEY = "doc";
/** NVS string values are at most 4000 bytes (ESP-IDF nvs_flash; enforced by the simulated store too). */
const MAX_STORED_BYTES = 4000;

export interface StoredConfig {
	readonly version: number;
	readonly values: ConfigValues;
}

export class ConfigStore {
	readonly #preference: Preferences;
	#current: StoredConfig;

	constructor(preference: Preferences) {
		this.#preference = preference;
		this.#current = ConfigStore.#parse(preference.get(DOMAIN, KEY));
	}

	static #parse(stored: unknown): StoredConfig {
		if (typeof stored === "string") {
			try {
				const { v, values } = JSON.parse(stored) as { v: number; values: Record<string, string | number | boolean> };
				if (Number.isInteger(v) && v >= 1 && typeof values === "object" && values !== null) return { version: v, values: Object.freeze(values) };
			} catch {
				// a damaged entry reads as no configuration
			}
		}
		return { version: 1, values: Object.freeze({}) };
	}

	get current(): StoredConfig {
		return this.#current;
	}

	/** Writes `values` as the next version in one entry; throws (and keeps the old one) if it cannot. */
	save(values: ConfigValues): StoredConfig {
		const next = { version: this.#current.version + 1, values: Object.freeze({ ...values }) };
		const text = JSON.stringify({ v: next.version, values: next.values });
		if (ArrayBuffer.fromString(text).byteLength > MAX_STORED_BYTES) throw new RangeError("configuration too large");
		this.#preference.set(DOMAIN, KEY, text);
		this.#current = next;
		return next;
	}
}

/** Improv's credentials, kept in the configuration document (wifi.ssid, wifi.password). */
export function configCredentialStore(store: ConfigStore): CredentialStore {
	return {
		load(): Credentials | undefined {
			const { values } = store.current;
			const ssid = values["wifi.ssid"], password = values["wifi.password"];
			return typeof ssid === "string" && ssid ? { ssid, password: typeof password === "string" ? password : "" } : undefined;
		},
		save(credentials: Credentials): void {
			store.save({ ...store.current.values, "wifi.ssid": credentials.ssid, "wifi.password": credentials.password });
		},
	};
}
