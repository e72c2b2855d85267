/*
 * The MQTT 3.1.1 client state machine: one connection at a time over an injected Transport,
 * the session state (QoS 1 in flight, pending subscriptions) kept across connections.
 *
 *   closed --connect()--> connecting --transport up, CONNECT sent--> handshaking
 *   handshaking --CONNACK 0--> connected (in-flight PUBLISHes re-sent with DUP, §4.4)
 *   any state --fault--> closed, onError(MQTTError) then onClose()
 *   any state --close()--> closed (DISCONNECT first when connected, §3.14), no callbacks
 *
 * Faults: CONNACK refusal (§3.2.2.3), malformed bytes (§2, §1.5.3), protocol violations (§4.8:
 * close the connection), an oversized packet, keep alive expiry (§3.1.2.10), the connect timeout
 * (§3.1.4), the transport ending, acknowledgements that cannot be queued, a throwing callback.
 *
 * Steady state allocates nothing: CONNECT is encoded once at construction, PUBLISH/PUBACK are
 * encoded into preallocated buffers, the framer's body buffer and the result objects are reused,
 * and incoming payloads are handed over as offsets into the framer's buffer.
 */
import Timer from "timer";
import Time from "time";
import {
	Connack, type ConnectFields, type Subscription, PublishFields, SubackFields, type Bytes, connectSize,
	decodeAck, decodeConnack, decodePublish, decodeSuback, encodeAck, encodeConnect, encodeEmpty, encodePublish,
	encodeSubscription, publishSize, subscriptionSize, topicNameLength, Malformed,
} from "net/mqtt/codec";
import { MAX_PACKET_ID, PacketType, PublishFlag } from "net/mqtt/constants";
import { MQTTError, MQTTErrorCode, type MQTTErrorCodeName } from "net/mqtt/errors";
import { FrameStatus, Framer, type FrameSink } from "net/mqtt/parser";
import { InFlight, PendingAcks } from "net/mqtt/inflight";
import { Keepalive, type KeepaliveHost } from "net/mqtt/keepalive";
import type { Transport, TransportHandlers } from "net/mqtt/transport";

export const SessionState = Object.freeze({
	closed: "closed",
	connecting: "connecting",
	handshaking: "handshaking",
	connected: "connected",
} as const);
export type SessionStateName = (typeof SessionState)[keyof typeof SessionState];

/** What the session tells its owner (net/mqtt/client). Exceptions thrown here close the connection. */
export interface SessionEvents {
	onConnack(sessionPresent: boolean): void;
	onPuback(id: number): void;
	onSuback(id: number, codes: Uint8Array, offset: number, count: number): void;
	onUnsuback(id: number): void;
	/** A PUBLISH; its topic and payload are at `fields` offsets in `body`, valid during the call. */
	onMessage(fields: PublishFields, body: Uint8Array): void;
	onWritable(): void;
	onError(error: MQTTError): void;
	onClose(): void;
}

export interface SessionConfig {
	readonly transport: Transport;
	readonly connect: ConnectFields;
	/** Keep alive in ms (a whole number of seconds, as sent in CONNECT). */
	readonly keepaliveMs: number;
	readonly connectTimeoutMs: number;
	readonly inFlight: number;
	readonly inFlightBytes: number;
	readonly maxPacket: number;
	readonly receiveBytes: number;
	readonly pendingSubscriptions: number;
	readonly owedAcks: number;
}

export class Session implements FrameSink, KeepaliveHost {
	readonly #transport: Transport;
	readonly #events: SessionEvents;
	readonly #clean: boolean;
	readonly #connectPacket: Uint8Array;
	readonly #tx: Uint8Array;
	readonly #framer: Framer;
	readonly #inFlight: InFlight;
	readonly #pending: PendingAcks;
	readonly #keepalive: Keepalive;
	readonly #connectTimeoutMs: number;
	readonly #owed: Uint16Array;
	#owedHead = 0;
	#owedCount = 0;
	#owedPing = false;
	#state: SessionStateName = SessionState.closed;
	#generation = 0;
	#sessionPresent = false;
	#lastId = 0;
	/** Index of the next in-flight packet to re-send after CONNACK; -1 when none is pending. */
	#resend = -1;
	#appBlocked = false;
	#connectTimer: Timer | undefined;
	readonly #handlers: TransportHandlers;
	readonly #connack = new Connack();
	readonly #publish = new PublishFields();
	readonly #suback = new SubackFields();

	constructor(config: SessionConfig, events: SessionEvents) {
		this.#transport = config.transport;
		this.#events = events;
		this.#clean = config.connect.clean;
		this.#connectPacket = new Uint8Array(connectSize(config.connect));
		encodeConnect(this.#connectPacket, 0, config.connect);
		if (this.#connectPacket.length > config.maxPacket) throw new RangeError("CONNECT exceeds maxPacket");
		this.#tx = new Uint8Array(config.maxPacket);
		this.#framer = new Framer(config.receiveBytes, this);
		this.#inFlight = new InFlight(config.inFlight, config.inFlightBytes);
		this.#pending = new PendingAcks(config.pendingSubscriptions);
		this.#keepalive = new Keepalive(config.keepaliveMs, this);
		this.#connectTimeoutMs = config.connectTimeoutMs;
		this.#owed = new Uint16Array(config.owedAcks);
		this.#handlers = {
			onConnect: () => this.#transportUp(),
			onData: (bytes, length) => this.#data(bytes, length),
			onWritable: () => this.#drain(),
			onClose: () => this.#fail(MQTTErrorCode.connection, this.#state === SessionState.connecting ? "connect failed" : "closed by peer"),
		};
	}

	get state(): SessionStateName {
		return this.#state;
	}

	get sessionPresent(): boolean {
		return this.#sessionPresent;
	}

	/** QoS 1 PUBLISHes sent and not acknowledged (kept across connections unless clean). */
	get inFlight(): number {
		return this.#inFlight.unacknowledged;
	}

	get keepalive(): Keepalive {
		return this.#keepalive;
	}

	/** Bytes of a QoS 1 PUBLISH packet that publish() would take now (0: not now). */
	get writable(): number {
		if (this.#state !== SessionState.connected || this.#resend >= 0 || this.#owedCount || this.#owedPing) return 0;
		return Math.min(this.#transport.writable, this.#tx.length, this.#inFlight.room);
	}

	connect(): void {
		if (this.#state !== SessionState.closed) throw new Error("busy");
		if (this.#clean) this.#inFlight.clear(); // §3.1.2.4: a clean session discards the previous one
		this.#pending.clear();
		this.#framer.reset();
		this.#owedHead = this.#owedCount = 0;
		this.#owedPing = this.#appBlocked = false;
		this.#resend = -1;
		this.#sessionPresent = false;
		this.#generation++;
		this.#state = SessionState.connecting;
		const generation = this.#generation;
		this.#connectTimer = Timer.set(() => {
			this.#connectTimer = undefined;
			if (generation === this.#generation) this.#fail(MQTTErrorCode.timeout, "no CONNACK");
		}, this.#connectTimeoutMs);
		try {
			this.#transport.open(this.#handlers);
		}
		catch (error) {
			this.#teardown();
			throw error;
		}
	}

	/** Ends the connection: DISCONNECT when connected (the broker then drops the will, §3.14). */
	close(): void {
		if (this.#state === SessionState.closed) return;
		if (this.#state === SessionState.connected) {
			const end = encodeEmpty(this.#tx, 0, PacketType.DISCONNECT);
			this.#transport.write(this.#tx, 0, end);
		}
		this.#teardown();
	}

	/**
	 * PUBLISH at QoS 0 or 1 (QoS 2 is not implemented: RangeError). Returns the packet
	 * identifier (QoS 1) or 0. Throws Error("not connected") or Error("would block") (window,
	 * ring or socket full, re-sends or acknowledgements still queued), RangeError("too big").
	 */
	publish(topic: string, payload: Bytes, payloadBytes: number, qos: number, retain: boolean): number {
		if (!(qos === 0 || qos === 1)) throw new RangeError("invalid QoS");
		const topicBytes = topicNameLength(topic);
		const size = publishSize(topicBytes, payloadBytes, qos);
		if (size > this.#tx.length || (qos === 1 && size > this.#inFlight.store.length)) throw new RangeError("too big");
		this.#checkWritable(size);
		if (qos === 0) {
			const end = encodePublish(this.#tx, 0, topic, topicBytes, payload, payloadBytes, 0, retain, false, 0);
			this.#sendOrBlock(this.#tx, 0, end);
			return 0;
		}
		const offset = this.#inFlight.reserve(size);
		if (offset < 0) return this.#blocked();
		const id = this.#nextId();
		encodePublish(this.#inFlight.store, offset, topic, topicBytes, payload, payloadBytes, 1, retain, false, id);
		this.#sendOrBlock(this.#inFlight.store, offset, size);
		this.#inFlight.commit(id, offset, size);
		this.#lastId = id;
		return id;
	}

	/** SUBSCRIBE (`type` SUBSCRIBE, QoS 0 or 1 per filter) or UNSUBSCRIBE; returns the identifier. */
	subscription(type: number, items: readonly Subscription[]): number {
		if (type === PacketType.SUBSCRIBE)
			for (let i = 0; i < items.length; i++) {
				const qos = items[i].QoS ?? 0;
				if (!(qos === 0 || qos === 1)) throw new RangeError("invalid QoS");
			}
		const size = subscriptionSize(items, type === PacketType.SUBSCRIBE);
		if (size > this.#tx.length) throw new RangeError("too big");
		this.#checkWritable(size);
		if (this.#pending.full) return this.#blocked();
		const id = this.#nextId();
		const end = encodeSubscription(this.#tx, 0, type, id, items);
		this.#sendOrBlock(this.#tx, 0, end);
		this.#pending.add(id, type, items.length);
		this.#lastId = id;
		return id;
	}

	/* ---------------------------------------------------------------- FrameSink, KeepaliveHost */

	onPacket(type: number, flags: number, body: Uint8Array, length: number): boolean {
		const generation = this.#generation;
		if (this.#state === SessionState.handshaking) {
			if (type !== PacketType.CONNACK) return this.#fail(MQTTErrorCode.protocol, "CONNACK must come first"); // §3.2
			return this.#connackReceived(body, length, generation);
		}
		switch (type) {
		case PacketType.PUBLISH:
			return this.#message(flags, body, length, generation);
		case PacketType.PUBACK: {
			const id = decodeAck(body, 0, length);
			if (id < 0) return this.#fail(MQTTErrorCode.malformed, Malformed.packetId);
			// an identifier not in flight is ignored (a duplicate PUBACK after a re-send)
			if (!this.#inFlight.acknowledge(id)) return true;
			try {
				this.#events.onPuback(id);
			}
			catch (error) {
				return this.#threw(error, generation);
			}
			return this.#notifyWritable(generation);
		}
		case PacketType.SUBACK: {
			const suback = this.#suback;
			const reason = decodeSuback(body, 0, length, suback);
			if (reason) return this.#fail(MQTTErrorCode.malformed, reason);
			const count = this.#pending.take(suback.id, PacketType.SUBSCRIBE);
			if (count < 0) return true;
			if (count !== suback.count) return this.#fail(MQTTErrorCode.protocol, "SUBACK count"); // MQTT-3.8.4-5
			try {
				this.#events.onSuback(suback.id, body, suback.codesOffset, suback.count);
			}
			catch (error) {
				return this.#threw(error, generation);
			}
			return this.#live(generation);
		}
		case PacketType.UNSUBACK: {
			const id = decodeAck(body, 0, length);
			if (id < 0) return this.#fail(MQTTErrorCode.malformed, Malformed.packetId);
			if (this.#pending.take(id, PacketType.UNSUBSCRIBE) < 0) return true;
			try {
				this.#events.onUnsuback(id);
			}
			catch (error) {
				return this.#threw(error, generation);
			}
			return this.#live(generation);
		}
		case PacketType.PINGRESP:
			this.#keepalive.answered();
			return true;
		case PacketType.CONNACK:
			return this.#fail(MQTTErrorCode.protocol, "second CONNACK"); // MQTT-3.2.0-1 (and §3.1: one CONNECT)
		default:
			// PUBREC/PUBREL/PUBCOMP (no QoS 2 here) and the packets only a server receives
			return this.#fail(MQTTErrorCode.protocol, "unexpected packet");
		}
	}

	ping(): void {
		const now = Time.ticks;
		const end = encodeEmpty(this.#tx, 0, PacketType.PINGREQ);
		if (this.#owedCount || !this.#send(this.#tx, 0, end)) this.#owedPing = true;
		this.#keepalive.pinged(now);
	}

	expired(): void {
		this.#fail(MQTTErrorCode.keepalive, "no packet for 1.5 x keepalive");
	}

	/* ------------------------------------------------------------------------------ internals */

	#transportUp(): void {
		if (this.#state !== SessionState.connecting) return;
		if (!this.#send(this.#connectPacket, 0, this.#connectPacket.length)) {
			this.#fail(MQTTErrorCode.connection, "CONNECT not sent");
			return;
		}
		this.#state = SessionState.handshaking;
	}

	#data(bytes: Uint8Array, length: number): void {
		this.#keepalive.received(Time.ticks);
		const status = this.#framer.feed(bytes, 0, length);
		if (status === FrameStatus.malformed) this.#fail(MQTTErrorCode.malformed, this.#framer.reason);
		else if (status === FrameStatus.oversized) this.#fail(MQTTErrorCode.oversized, "packet exceeds the receive buffer");
	}

	#connackReceived(body: Uint8Array, length: number, generation: number): boolean {
		const connack = this.#connack;
		const reason = decodeConnack(body, 0, length, connack);
		if (reason) return this.#fail(MQTTErrorCode.malformed, reason);
		if (connack.returnCode !== 0) return this.#fail(MQTTErrorCode.refused, `return code ${connack.returnCode}`, connack.returnCode);
		if (this.#connectTimer !== undefined) Timer.clear(this.#connectTimer);
		this.#connectTimer = undefined;
		this.#state = SessionState.connected;
		this.#sessionPresent = connack.sessionPresent;
		this.#keepalive.start(Time.ticks);
		this.#resend = this.#inFlight.count ? 0 : -1;
		this.#resendNext();
		try {
			this.#events.onConnack(connack.sessionPresent);
		}
		catch (error) {
			return this.#threw(error, generation);
		}
		return this.#notifyWritable(generation);
	}

	/** §4.4: re-send unacknowledged PUBLISHes in their original order with DUP set. */
	#resendNext(): void {
		const inFlight = this.#inFlight;
		while (this.#resend >= 0 && this.#resend < inFlight.count) {
			const i = this.#resend;
			if (!inFlight.acknowledgedAt(i)) {
				const offset = inFlight.offsetAt(i);
				inFlight.store[offset] |= PublishFlag.DUP; // MQTT-3.3.1-1
				if (!this.#send(inFlight.store, offset, inFlight.sizeAt(i))) return;
			}
			this.#resend++;
		}
		this.#resend = -1;
	}

	#message(flags: number, body: Uint8Array, length: number, generation: number): boolean {
		const fields = this.#publish;
		const reason = decodePublish(flags, body, 0, length, fields);
		if (reason) return this.#fail(MQTTErrorCode.malformed, reason);
		if (fields.qos > 1) return this.#fail(MQTTErrorCode.protocol, "QoS 2 not subscribed"); // granted QoS <= 1
		try {
			this.#events.onMessage(fields, body);
		}
		catch (error) {
			return this.#threw(error, generation);
		}
		if (!this.#live(generation)) return false;
		if (fields.qos === 1) return this.#acknowledge(fields.id); // MQTT-4.3.2-2, after delivery
		return true;
	}

	/** PUBACK now, or queued in order behind earlier ones when the socket is full. */
	#acknowledge(id: number): boolean {
		if (!this.#owedCount) {
			const end = encodeAck(this.#tx, 0, PacketType.PUBACK, id);
			if (this.#send(this.#tx, 0, end)) return true;
		}
		if (this.#owedCount === this.#owed.length) return this.#fail(MQTTErrorCode.congestion, "acknowledgements not sent");
		this.#owed[(this.#owedHead + this.#owedCount++) % this.#owed.length] = id;
		return true;
	}

	/** The transport has room again: owed acknowledgements, the ping, re-sends, then the application. */
	#drain(): void {
		const generation = this.#generation;
		while (this.#owedCount) {
			const end = encodeAck(this.#tx, 0, PacketType.PUBACK, this.#owed[this.#owedHead]);
			if (!this.#send(this.#tx, 0, end)) return;
			this.#owedHead = (this.#owedHead + 1) % this.#owed.length;
			this.#owedCount--;
		}
		if (this.#owedPing) {
			const end = encodeEmpty(this.#tx, 0, PacketType.PINGREQ);
			if (!this.#send(this.#tx, 0, end)) return;
			this.#owedPing = false;
		}
		if (this.#resend >= 0) {
			this.#resendNext();
			if (this.#resend >= 0) return;
		}
		if (this.#appBlocked && this.#state === SessionState.connected) this.#notifyWritable(generation);
	}

	/** Tells the application it may publish again; remembers to tell it later when it may not yet. */
	#notifyWritable(generation: number): boolean {
		if (!this.#live(generation)) return false;
		this.#appBlocked = this.writable === 0;
		if (this.#appBlocked) return true;
		try {
			this.#events.onWritable();
		}
		catch (error) {
			return this.#threw(error, generation);
		}
		return this.#live(generation);
	}

	#send(bytes: Uint8Array, offset: number, length: number): boolean {
		if (!this.#transport.write(bytes, offset, length)) return false;
		this.#keepalive.sent(Time.ticks);
		return true;
	}

	#checkWritable(size: number): void {
		if (this.#state !== SessionState.connected) throw new Error("not connected");
		if (this.#resend >= 0 || this.#owedCount || this.#owedPing || this.#transport.writable < size) this.#blocked();
	}

	#sendOrBlock(bytes: Uint8Array, offset: number, length: number): void {
		if (!this.#send(bytes, offset, length)) this.#blocked();
	}

	#blocked(): never {
		this.#appBlocked = true;
		throw new Error("would block");
	}

	/** §2.3.1: the next non-zero identifier after the last one, skipping those in use. */
	#nextId(): number {
		let id = this.#lastId;
		for (;;) {
			id = id >= MAX_PACKET_ID ? 1 : id + 1;
			if (!this.#inFlight.has(id) && !this.#pending.has(id)) return id;
		}
	}

	/** Whether the connection that was current at `generation` is still up (a callback may have closed it). */
	#live(generation: number): boolean {
		return generation === this.#generation && this.#state !== SessionState.closed;
	}

	/** An application callback threw: the connection closes with the thrown value as the cause. */
	#threw(error: unknown, generation: number): false {
		if (generation === this.#generation) this.#fail(MQTTErrorCode.callback, "callback threw", 0, error);
		return false;
	}

	/** Ends the connection with a fault: onError then onClose. Always returns false (stop parsing). */
	#fail(code: MQTTErrorCodeName, detail: string, returnCode = 0, cause?: unknown): false {
		if (this.#state === SessionState.closed) return false;
		this.#teardown();
		const generation = this.#generation;
		this.#events.onError(new MQTTError(code, detail, returnCode, cause));
		if (generation === this.#generation) this.#events.onClose(); // unless onError connected again
		return false;
	}

	#teardown(): void {
		this.#generation++;
		this.#state = SessionState.closed;
		this.#transport.close();
		this.#keepalive.stop();
		if (this.#connectTimer !== undefined) Timer.clear(this.#connectTimer);
		this.#connectTimer = undefined;
		this.#pending.clear();
		this.#resend = -1;
	}
}
Object.freeze(Session.prototype);
