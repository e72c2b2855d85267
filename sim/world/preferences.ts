/*
 * The simulated device's preference store (its NVS partition): {domain: {key: [tag, value]}},
 * saved to preferences.json in the state directory after every change. Served over the link
 * to the XS host's "preference" module (sim/modules/io/preference.ts), which checks the values.
 */
import { serve } from "sim/link";
import * as env from "sim/env";

const FILE = "preferences.json";

type Stored = [string, unknown];

export function servePreferences(): void {
	const bytes = env.readFile(FILE);
	const store: Record<string, Record<string, Stored>> = bytes ? JSON.parse(String.fromArrayBuffer(bytes)) : {};
	const save = (): void => {
		env.writeFile(FILE, ArrayBuffer.fromString(JSON.stringify(store)));
	};
	const message = (length: number, bytes: Uint8Array | undefined): unknown[] =>
		JSON.parse(String.fromArrayBuffer(bytes!.slice(0, length).buffer));
	const reply = (value: unknown, bytes: Uint8Array | undefined): number => {
		const text = new Uint8Array(ArrayBuffer.fromString(JSON.stringify(value)));
		if (!bytes || text.length > bytes.length) return -2;
		bytes.set(text);
		return text.length;
	};

	serve("pref.set", (length, _b, bytes) => {
		const [domain, key, tag, value] = message(length, bytes) as [string, string, string, unknown];
		(store[domain] ??= {})[key] = [tag, value];
		save();
		return 0;
	});
	serve("pref.get", (length, _b, bytes) => {
		const [domain, key] = message(length, bytes) as [string, string];
		const stored = store[domain]?.[key];
		return stored ? reply(stored, bytes) : -1;
	});
	serve("pref.delete", (length, _b, bytes) => {
		const [domain, key] = message(length, bytes) as [string, string];
		if (store[domain]?.[key] !== undefined) {
			delete store[domain][key];
			save();
		}
		return 0;
	});
	serve("pref.keys", (length, _b, bytes) => {
		const [domain] = message(length, bytes) as [string];
		return reply(Object.keys(store[domain] ?? {}), bytes);
	});
}
