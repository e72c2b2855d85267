/*
 * Keep alive (MQTT 3.1.1 §3.1.2.10, §3.12, §3.13) for one connection at a time.
 *
 * - A PINGREQ is due when nothing was sent for the keep alive interval K (the server's rule,
 *   MQTT-3.1.2-23), and also when nothing was received for K, so that a client that only publishes
 *   at QoS 0 still finds out that the server is gone.
 * - While a PINGREQ is outstanding, the connection is dead when nothing at all (PINGRESP, any
 *   other packet, or part of one) has been received for 1.5 × K, the bound §3.1.2.10 gives the
 *   server (MQTT-3.1.2-24; for the client §3.1.2.10 says "a reasonable amount of time").
 * - K = 0 turns the mechanism off.
 *
 * One repeating timer per connection wakes at the next deadline computed from the last send and
 * receive times; send and receive only store a number, so the hot path does no timer work.
 */
import Timer from "timer";
import Time from "time";
import { KEEPALIVE_GRACE } from "net/mqtt/constants";

export const KeepaliveAction = Object.freeze({ none: 0, ping: 1, expired: 2 } as const);
export type KeepaliveActionCode = (typeof KeepaliveAction)[keyof typeof KeepaliveAction];

export interface KeepaliveHost {
	/** Send PINGREQ (the host then calls sent()). */
	ping(): void;
	/** 1.5 × K without a packet while a ping was outstanding: drop the connection. */
	expired(): void;
}

export class Keepalive {
	readonly #interval: number;
	readonly #host: KeepaliveHost;
	#lastSent = 0;
	#lastReceived = 0;
	#outstanding = false;
	#timer: Timer | undefined;
	#pings = 0;
	readonly #tick: () => void;

	/** `intervalMs`: K in milliseconds (0: off). */
	constructor(intervalMs: number, host: KeepaliveHost) {
		if (!(intervalMs >= 0)) throw new RangeError("invalid keepalive");
		this.#interval = intervalMs;
		this.#host = host;
		this.#tick = () => this.#fire();
	}

	get interval(): number {
		return this.#interval;
	}

	/** PINGREQs sent since construction (diagnostics). */
	get pings(): number {
		return this.#pings;
	}

	/** Starts timing a connection (after CONNACK); `now` in ms, default Time.ticks. */
	start(now: number = Time.ticks): void {
		this.stop();
		this.#lastSent = this.#lastReceived = now;
		this.#outstanding = false;
		if (this.#interval > 0) this.#timer = Timer.repeat(this.#tick, this.#interval);
	}

	stop(): void {
		if (this.#timer !== undefined) Timer.clear(this.#timer);
		this.#timer = undefined;
		this.#outstanding = false;
	}

	sent(now: number): void {
		this.#lastSent = now;
	}

	/** Bytes arrived (a packet or part of one: the server is alive). */
	received(now: number): void {
		this.#lastReceived = now;
	}

	/** A PINGRESP arrived. */
	answered(): void {
		this.#outstanding = false;
	}

	/** Records that a PINGREQ went out at `now`. */
	pinged(now: number): void {
		this.#outstanding = true;
		this.#lastSent = now;
		this.#pings++;
	}

	/** What is due at `now` (pure: the timer calls it; tests call it with any clock). */
	action(now: number): KeepaliveActionCode {
		const k = this.#interval;
		if (k <= 0) return KeepaliveAction.none;
		if (this.#outstanding) return now - this.#lastReceived >= KEEPALIVE_GRACE * k ? KeepaliveAction.expired : KeepaliveAction.none;
		return now - this.#lastSent >= k || now - this.#lastReceived >= k ? KeepaliveAction.ping : KeepaliveAction.none;
	}

	/** Milliseconds from `now` until action() can next change (at least 1). */
	delay(now: number): number {
		const k = this.#interval;
		const due = this.#outstanding ? this.#lastReceived + KEEPALIVE_GRACE * k : Math.min(this.#lastSent, this.#lastReceived) + k;
		return Math.max(1, Math.ceil(due - now));
	}

	#fire(): void {
		const timer = this.#timer;
		if (timer === undefined) return;
		const now = Time.ticks;
		const action = this.action(now);
		if (action === KeepaliveAction.expired) {
			this.stop();
			this.#host.expired();
			return;
		}
		if (action === KeepaliveAction.ping) this.#host.ping();
		if (this.#timer === timer) Timer.schedule(timer, this.delay(Time.ticks), this.#interval);
	}
}
Object.freeze(Keepalive.prototype);
