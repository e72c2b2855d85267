/**
 * A plain, mutable copy of configuration data, with secrets redacted. Moddable preloads
 * mc/config into flash, and JSON.stringify of such objects throws ("read only value") in the
 * desktop simulator, so anything logged or serialised from the configuration is copied first;
 * passwords and keys are written but never read back or logged.
 */
const SECRET = /password|secret|token|psk|key$/i;
export const REDACTED = "(secret)";

export function plain(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(plain);
	if (value !== null && typeof value === "object") {
		const copy: Record<string, unknown> = {};
		for (const key of Object.keys(value))
			copy[key] = SECRET.test(key) ? REDACTED : plain((value as Record<string, unknown>)[key]);
		return copy;
	}
	return value;
}
