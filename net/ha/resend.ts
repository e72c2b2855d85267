/*
 * When to re-send discovery and states after Home Assistant's birth message (interop-protocols.md
 * A.3: a device "should subscribe to the Birth message and use this as a trigger to send the
 * discovery payload", after a random delay, e.g. 0-5 s, so that many devices do not flood HA
 * at once; peer-defaults §11). ESPHome does not listen for HA's birth (A.8); this device does.
 *
 * Rules:
 * - `online` on `<discovery>/status` schedules a resend at now + random delay in
 *   [minDelayMs, maxDelayMs) (default 0..5000 ms), from the injected random source;
 * - another `online` while one is pending keeps the pending time (HA restarting twice in a row
 *   does not postpone or duplicate it);
 * - `offline` cancels a pending resend (HA went away; its next `online` schedules again);
 * - a retained `online` (HA configured with a retained birth, delivered when the device
 *   subscribes) is not a new HA start: the connect sequence has just published discovery;
 * - any other payload is ignored;
 * - connected() (the connect sequence published discovery) and sent() clear a pending resend.
 *
 * Deterministic for a given random source; time is the caller's monotonic clock, ms.
 */

/** A source of numbers in [0, 1): Math.random on the device, a seeded generator in tests. */
export type Random = () => number;

export interface ResendOptions {
	readonly random: Random;
	readonly minDelayMs?: number;
	readonly maxDelayMs?: number;
	/** HA's birth / last will payloads (HA's defaults). */
	readonly online?: string;
	readonly offline?: string;
}

export const DEFAULT_MAX_DELAY_MS = 5000;

function payloadText(payload: string | Uint8Array): string | undefined {
	if (typeof payload === "string") return payload;
	if (payload.length > 16) return undefined; // no birth payload is longer
	let text = "";
	for (let i = 0; i < payload.length; i++) {
		if (payload[i] >= 0x80) return undefined;
		text += String.fromCharCode(payload[i]);
	}
	return text;
}

export class DiscoveryResend {
	readonly #random: Random;
	readonly #min: number;
	readonly #span: number;
	readonly #online: string;
	readonly #offline: string;
	#resendAt: number | undefined;

	constructor(options: ResendOptions) {
		if (typeof options?.random !== "function") throw new RangeError("resend: random");
		const min = options.minDelayMs ?? 0;
		const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
		if (!(min >= 0 && max >= min && Number.isFinite(max))) throw new RangeError("resend: delay");
		this.#random = options.random;
		this.#min = min;
		this.#span = max - min;
		this.#online = options.online ?? "online";
		this.#offline = options.offline ?? "offline";
	}

	/** The pending resend time, or undefined. */
	get resendAt(): number | undefined {
		return this.#resendAt;
	}

	/**
	 * A message on HA's status topic. Returns when to re-send discovery (and states), or
	 * undefined when nothing is due.
	 */
	onHaStatus(payload: string | Uint8Array, now: number, retained = false): number | undefined {
		const text = payloadText(payload);
		if (text === this.#offline) {
			this.#resendAt = undefined;
			return undefined;
		}
		if (text !== this.#online || retained) return this.#resendAt;
		if (this.#resendAt === undefined) {
			let r = this.#random();
			if (!(r >= 0 && r < 1)) r = 0; // a broken source must not push the resend out of range
			this.#resendAt = now + this.#min + Math.floor(r * this.#span);
		}
		return this.#resendAt;
	}

	/** Whether the resend is due at `now`. */
	due(now: number): boolean {
		return this.#resendAt !== undefined && now >= this.#resendAt;
	}

	/** The resend was done. */
	sent(): void {
		this.#resendAt = undefined;
	}

	/** The connect sequence published discovery: nothing left to re-send. */
	connected(): void {
		this.#resendAt = undefined;
	}
}

Object.freeze(DiscoveryResend.prototype);
