/**
 * A plain, mutable copy of configuration data. Moddable preloads mc/config into flash, and
 * JSON.stringify of such objects throws ("read only value") in the desktop simulator, so
 * anything logged or serialised from the configuration is copied first.
 */
export function plain(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(plain);
	if (value !== null && typeof value === "object") {
		const copy: Record<string, unknown> = {};
		for (const key of Object.keys(value)) copy[key] = plain((value as Record<string, unknown>)[key]);
		return copy;
	}
	return value;
}
