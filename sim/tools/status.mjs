// The CLI's one-line live status, built from the event stream: what the device last said.
export class StatusLine {
	#out;
	#speed;
	#startedAt = Date.now();
	#state = { t: 0, boots: 0, events: 0, faults: new Set(), relays: {}, sync: "-", reading: "", world: "" };

	constructor(out, { speed }) {
		this.#out = out;
		this.#speed = speed;
	}

	update(line) {
		let event;
		try {
			event = JSON.parse(line);
		} catch {
			return;
		}
		const s = this.#state;
		s.events++;
		if (typeof event.t === "number") s.t = event.t;
		switch (event.type) {
		case "boot": s.boots++; break;
		case "reading": s.reading = Object.entries(event.values ?? {}).map(([k, v]) => `${k} ${format(v)}`).join(" "); break;
		case "relay": s.relays[event.relay] = event.on; break;
		case "fault": s.faults.add(`${event.source}:${event.error}`); break;
		case "recovered": for (const f of [...s.faults]) if (f.startsWith(`${event.source}:`)) s.faults.delete(f); break;
		case "sync": s.sync = event.state; break;
		case "world": s.world = `room ${format(event.temperature)}C out ${format(event.outdoor)}C`; break;
		default: break;
		}
	}

	text() {
		const s = this.#state;
		const relays = Object.entries(s.relays).filter(([, on]) => on).map(([name]) => name).join(",") || "off";
		const faults = s.faults.size ? ` | faults ${[...s.faults].join(",")}` : "";
		// between events, simulated time runs at the chosen speed
		const estimate = Number(this.#speed) > 0 ? (Date.now() - this.#startedAt) * Number(this.#speed) : 0;
		return `${clock(Math.max(s.t, estimate))} x${this.#speed} | ${s.reading || "no reading yet"} | relays ${relays} | sync ${s.sync} | ${s.world}${faults} | boots ${s.boots} events ${s.events}`;
	}

	print() {
		const text = this.text();
		if (this.#out.isTTY) this.#out.write(`\r\x1b[2K${text.slice(0, (this.#out.columns ?? 160) - 1)}`);
		else this.#out.write(`${text}\n`);
	}

	finish() {
		if (this.#out.isTTY) this.#out.write("\n");
	}
}

function format(value) {
	return typeof value === "number" ? value.toFixed(1) : String(value);
}

function clock(ms) {
	const s = Math.floor(ms / 1000);
	const d = Math.floor(s / 86400);
	const hms = [Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, "0")).join(":");
	return d ? `day ${d} ${hms}` : hms;
}
