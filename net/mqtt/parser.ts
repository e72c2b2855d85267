/*
 * Incremental MQTT framer: bytes in any split (one at a time, several packets at once, a packet
 * across many chunks) come out as whole packets. The fixed header is checked as it arrives
 * (type and flags at the first byte, §2.2.2; the remaining length as soon as it is complete,
 * §2.2.3), so a packet larger than the body buffer is rejected before any of it is buffered,
 * and a packet whose length cannot fit its type is rejected before its body is awaited.
 *
 * The body buffer is allocated once (its capacity is the largest packet the client accepts) and
 * the packet handed to the sink is a view of it valid only during the call. feed() never throws
 * for any input: a bad byte puts the framer in a failed state and returns the reason; reset()
 * starts over (a new connection).
 */
import { Malformed, type MalformedReason, packetTypeOf, plausibleLength, remainingLengthDone, remainingLengthStep } from "net/mqtt/codec";

export interface FrameSink {
	/**
	 * One whole packet: `body[0..length)` follows the fixed header. Returns false to stop feeding
	 * (the connection ended inside the call); feed() then returns FrameStatus.stopped.
	 */
	onPacket(type: number, flags: number, body: Uint8Array, length: number): boolean;
}

export const FrameStatus = Object.freeze({
	/** Every byte was consumed; a partial packet may be pending. */
	ok: "ok",
	/** The sink asked to stop; the bytes after that packet were not consumed. */
	stopped: "stopped",
	/** The remaining length exceeds the body buffer. */
	oversized: "oversized",
	/** See `reason`. */
	malformed: "malformed",
} as const);
export type FrameStatusName = (typeof FrameStatus)[keyof typeof FrameStatus];

const Phase = Object.freeze({ type: 0, length: 1, body: 2, failed: 3 } as const);
type PhaseCode = (typeof Phase)[keyof typeof Phase];

export class Framer {
	readonly #body: Uint8Array;
	readonly #sink: FrameSink;
	#phase: PhaseCode = Phase.type;
	#type = 0;
	#flags = 0;
	#remaining = 0;
	#lengthIndex = 0;
	#filled = 0;
	#reason: MalformedReason = Malformed.none;
	#failure: FrameStatusName = FrameStatus.ok;

	/** `capacity`: the largest remaining length accepted (the body buffer's size). */
	constructor(capacity: number, sink: FrameSink) {
		if (!(capacity >= 2 && capacity <= 0x10_0000) || capacity !== Math.floor(capacity)) throw new RangeError("invalid capacity");
		this.#body = new Uint8Array(capacity);
		this.#sink = sink;
	}

	get capacity(): number {
		return this.#body.length;
	}

	/** Why the framer failed (Malformed.*), "" otherwise. */
	get reason(): MalformedReason {
		return this.#reason;
	}

	/** The remaining length of the packet being received (for an oversized report). */
	get remaining(): number {
		return this.#remaining;
	}

	/** Whether a packet has been started but not completed. */
	get partial(): boolean {
		return this.#phase !== Phase.type && this.#phase !== Phase.failed;
	}

	reset(): void {
		this.#phase = Phase.type;
		this.#remaining = this.#lengthIndex = this.#filled = 0;
		this.#reason = Malformed.none;
		this.#failure = FrameStatus.ok;
	}

	/** Consumes bytes[offset..offset+length). Never throws unless the sink does. */
	feed(bytes: Uint8Array, offset: number, length: number): FrameStatusName {
		if (this.#phase === Phase.failed) return this.#failure;
		const end = Math.min(offset + length, bytes.length);
		while (offset < end) {
			switch (this.#phase) {
			case Phase.type: {
				const byte = bytes[offset++];
				const type = packetTypeOf(byte);
				if (type < 0) return this.#fail(FrameStatus.malformed, (byte >> 4) === 0 || (byte >> 4) === 15 ? Malformed.type : Malformed.flags);
				this.#type = type;
				this.#flags = byte & 0x0f;
				this.#remaining = this.#lengthIndex = 0;
				this.#phase = Phase.length;
				break;
			}
			case Phase.length: {
				const byte = bytes[offset++];
				const value = remainingLengthStep(this.#remaining, this.#lengthIndex++, byte);
				if (value < 0) return this.#fail(FrameStatus.malformed, Malformed.remainingLength);
				this.#remaining = value;
				if (!remainingLengthDone(byte)) {
					if (this.#lengthIndex === 4) return this.#fail(FrameStatus.malformed, Malformed.remainingLength);
					break;
				}
				if (!plausibleLength(this.#type, value)) return this.#fail(FrameStatus.malformed, Malformed.length);
				if (value > this.#body.length) return this.#fail(FrameStatus.oversized, Malformed.none);
				this.#filled = 0;
				this.#phase = Phase.body;
				if (value === 0 && !this.#deliver()) return FrameStatus.stopped;
				break;
			}
			default: { // Phase.body
				const body = this.#body;
				let filled = this.#filled;
				const take = Math.min(this.#remaining - filled, end - offset);
				for (let i = 0; i < take; i++) body[filled++] = bytes[offset++];
				this.#filled = filled;
				if (filled === this.#remaining && !this.#deliver()) return FrameStatus.stopped;
				break;
			}
			}
		}
		return FrameStatus.ok;
	}

	#deliver(): boolean {
		this.#phase = Phase.type;
		return this.#sink.onPacket(this.#type, this.#flags, this.#body, this.#remaining);
	}

	#fail(status: FrameStatusName, reason: MalformedReason): FrameStatusName {
		this.#phase = Phase.failed;
		this.#failure = status;
		this.#reason = reason;
		return status;
	}
}
