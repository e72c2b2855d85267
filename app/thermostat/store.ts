/*
 * Settings that survive a reboot (mode, fan, preset, set points): one JSON string in the
 * device's preferences (NVS on the ESP32: domain and key at most 15 characters, a string of
 * at most 4000 bytes; ours is about 400). Written only when a command changes something, so
 * flash wear follows user activity, not the control tick. ESPHome's on_boot_restore_from:
 * memory, its default (peer-defaults §1.3).
 */
import Preference from "preference";
import type { SavedSettings, SettingsStore } from "app/thermostat/settings";

const DOMAIN = "thermostat";
const KEY = "settings";

export class PreferenceStore implements SettingsStore {
	load(): SavedSettings | undefined {
		let text: unknown;
		try {
			text = Preference.get(DOMAIN, KEY);
		} catch {
			return undefined; // no store: first-boot defaults
		}
		if (typeof text !== "string") return undefined;
		try {
			const saved = JSON.parse(text) as SavedSettings;
			return typeof saved === "object" && saved !== null ? saved : undefined;
		} catch {
			return undefined; // a damaged value falls back to the defaults (and is rewritten on the next command)
		}
	}

	save(settings: SavedSettings): void {
		Preference.set(DOMAIN, KEY, JSON.stringify(settings));
	}
}

Object.freeze(PreferenceStore.prototype);
