// Durations as the simulator takes them: "24h", "1h30m", "90s", "250ms", "2d", or milliseconds.
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text) {
	if (/^\d+(\.\d+)?$/.test(String(text))) return Number(text);
	let rest = String(text).trim(), total = 0;
	if (!rest) throw new Error(`invalid duration ""`);
	while (rest) {
		const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/.exec(rest);
		if (!match) throw new Error(`invalid duration "${text}" (use e.g. 24h, 90m, 3600s)`);
		total += Number(match[1]) * UNITS[match[2]];
		rest = rest.slice(match[0].length);
	}
	return total;
}
