/*
 * MQTT 3.1.1 client shaped like the ECMA-419 MQTT client (2nd edition §25, Moddable's
 * embedded:network/mqtt/client): options with callbacks, write(data, options) to publish and
 * write(null, {operation, items}) to subscribe, read() inside onReadable, operation codes as
 * static constants. Differences, for a device that must not lose data:
 *
 * - the transport is injected (`transport: new TCPTransport(TCP, {address, port})`), and the
 *   client is reusable: connect() starts a connection, close() ends it, connect() again
 *   resumes the session (reconnect policy belongs to the caller);
 * - QoS 0 and 1 (QoS 2 is refused with RangeError); clean session defaults to false;
 * - payloads arrive whole (a bounded receive buffer; `more` is always false).
 *
 * Incoming payload (onReadable(byteLength, message)): the bytes live in the client's receive
 * buffer during the callback only. `read(buffer)` copies the next bytes into a caller-owned
 * Uint8Array and returns the count (no allocation); `read()` returns a Uint8Array view of the
 * rest (a new view object, valid only during the callback: copy what you keep); `read(count)`
 * returns a new ArrayBuffer. `message` is reused for every PUBLISH; its `topic` is decoded into
 * a string on first access (the only allocation of a steady-state receive).
 */
import type { Bytes, ConnectFields, PublishFields, Subscription } from "net/mqtt/codec";
import { bytesLength, readString } from "net/mqtt/codec";
import { Defaults, MAX_KEEPALIVE_S, PacketType } from "net/mqtt/constants";
import type { MQTTError } from "net/mqtt/errors";
import { Session, type SessionEvents, type SessionStateName } from "net/mqtt/session";
import type { Transport } from "net/mqtt/transport";

export interface Will {
	readonly topic: string;
	readonly message: string | Uint8Array;
	readonly QoS?: number;
	readonly retain?: boolean;
}

export interface ClientOptions {
	readonly transport: Transport;
	/** Client identifier (§3.1.3.1); required unless clean (a broker rejects an empty id with a persistent session). */
	readonly id?: string;
	/** Clean session (§3.1.2.4); default false: a persistent session. */
	readonly clean?: boolean;
	/** Keep alive in ms (ECMA-419 uses ms), sent rounded up to whole seconds; 0 turns it off. Default 30 s. */
	readonly keepalive?: number;
	readonly will?: Will;
	readonly user?: string;
	readonly password?: string | Uint8Array;
	/** QoS 1 PUBLISHes awaiting PUBACK at most (default 8). */
	readonly inFlight?: number;
	/** Bytes kept for re-sending them (default 4096). */
	readonly inFlightBytes?: number;
	/** Largest packet the client sends (default 1024). */
	readonly maxPacket?: number;
	/** Largest remaining length accepted; a larger packet closes the connection (default 1024). */
	readonly receiveBuffer?: number;
	/** ms from connect() to CONNACK before giving up (default 10 s). */
	readonly connectTimeout?: number;
	readonly onReadable?: (this: MQTTClient, byteLength: number, message: Message) => void;
	readonly onControl?: (this: MQTTClient, operation: number, message: ControlMessage) => void;
	/** Room for another PUBLISH: after CONNACK, after a PUBACK, when the socket drains. `count`: bytes. */
	readonly onWritable?: (this: MQTTClient, count: number) => void;
	readonly onError?: (this: MQTTClient, error: MQTTError) => void;
	/** The connection ended without close() (always after onError). */
	readonly onClose?: (this: MQTTClient) => void;
}

/** What write() takes: a PUBLISH (topic, QoS, retain) or, with `operation`, SUBSCRIBE/UNSUBSCRIBE. */
export interface WriteOptions {
	readonly topic?: string;
	readonly QoS?: number;
	readonly retain?: boolean;
	/** Publish only the first byteLength bytes of a Uint8Array. */
	readonly byteLength?: number;
	readonly operation?: number;
	readonly items?: readonly Subscription[];
}

/** The PUBLISH being delivered to onReadable; reused for every message. */
export class Message {
	#fields: PublishFields | undefined;
	#body: Uint8Array | undefined;
	#topic: string | undefined;

	get QoS(): number {
		return this.#fields?.qos ?? 0;
	}

	get retain(): boolean {
		return this.#fields?.retain ?? false;
	}

	/** DUP (§3.3.1.1): the broker may have delivered this message before (QoS 1 is at least once). */
	get duplicate(): boolean {
		return this.#fields?.dup ?? false;
	}

	/** Packet identifier (QoS 1), else 0. */
	get id(): number {
		return this.#fields?.id ?? 0;
	}

	get byteLength(): number {
		return this.#fields?.payloadLength ?? 0;
	}

	/** Always false: payloads arrive whole. */
	get more(): boolean {
		return false;
	}

	/** The topic name, decoded on first access during onReadable. */
	get topic(): string {
		const fields = this.#fields;
		if (this.#topic === undefined && fields && this.#body) this.#topic = readString(this.#body, fields.topicOffset, fields.topicLength);
		return this.#topic ?? "";
	}

	/** Internal (the client): the message now delivered, or none. */
	deliver(fields: PublishFields | undefined, body: Uint8Array | undefined): void {
		this.#fields = fields;
		this.#body = body;
		this.#topic = undefined;
	}
}
Object.freeze(Message.prototype);

/** What onControl gets; reused. CONNACK: sessionPresent. PUBACK, UNSUBACK: id. SUBACK: id and payload. */
export class ControlMessage {
	#operation = 0;
	#id = 0;
	#sessionPresent = false;
	#payload: Uint8Array | undefined;

	get operation(): number {
		return this.#operation;
	}

	get id(): number {
		return this.#id;
	}

	/** CONNACK's session present flag (§3.2.2.2). */
	get sessionPresent(): boolean {
		return this.#sessionPresent;
	}

	/** SUBACK: one return code per filter, the granted QoS or 0x80 (a view valid during the call). */
	get payload(): Uint8Array | undefined {
		return this.#payload;
	}

	/** Internal (the client). */
	deliver(operation: number, id: number, sessionPresent: boolean, payload: Uint8Array | undefined): void {
		this.#operation = operation;
		this.#id = id;
		this.#sessionPresent = sessionPresent;
		this.#payload = payload;
	}
}
Object.freeze(ControlMessage.prototype);

function callback<T>(value: T | undefined, name: string): T | undefined {
	if (value !== undefined && typeof value !== "function") throw new RangeError(`invalid ${name}`);
	return value;
}

function count(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
	const n = value ?? fallback;
	if (!(n >= min && n <= max) || n !== Math.floor(n)) throw new RangeError(`invalid ${name}`);
	return n;
}

export default class MQTTClient {
	static readonly CONNECT = PacketType.CONNECT;
	static readonly CONNACK = PacketType.CONNACK;
	static readonly PUBLISH = PacketType.PUBLISH;
	static readonly PUBACK = PacketType.PUBACK;
	static readonly PUBREC = PacketType.PUBREC;
	static readonly PUBREL = PacketType.PUBREL;
	static readonly PUBCOMP = PacketType.PUBCOMP;
	static readonly SUBSCRIBE = PacketType.SUBSCRIBE;
	static readonly SUBACK = PacketType.SUBACK;
	static readonly UNSUBSCRIBE = PacketType.UNSUBSCRIBE;
	static readonly UNSUBACK = PacketType.UNSUBACK;
	static readonly PINGREQ = PacketType.PINGREQ;
	static readonly PINGRESP = PacketType.PINGRESP;
	static readonly DISCONNECT = PacketType.DISCONNECT;

	readonly #session: Session;
	readonly #message = new Message();
	readonly #control = new ControlMessage();
	#body: Uint8Array | undefined;
	#readOffset = 0;
	#readEnd = 0;

	constructor(options: ClientOptions) {
		const transport = options.transport;
		if (!transport || typeof transport.open !== "function" || typeof transport.write !== "function" || typeof transport.close !== "function")
			throw new RangeError("invalid transport");
		const clean = options.clean ?? false;
		const id = options.id ?? "";
		if (typeof id !== "string" || (!clean && !id)) throw new RangeError("invalid id"); // MQTT-3.1.3-7
		const keepaliveS = Math.ceil(count(options.keepalive, Defaults.KEEPALIVE_MS, 0, MAX_KEEPALIVE_S * 1000, "keepalive") / 1000);
		const will = options.will;
		const connect: ConnectFields = {
			id,
			clean,
			keepalive: keepaliveS,
			will: will ? { topic: will.topic, message: will.message, qos: will.QoS ?? 0, retain: will.retain ?? false } : undefined,
			user: options.user,
			password: options.password,
		};
		const onReadable = callback(options.onReadable, "onReadable");
		const onControl = callback(options.onControl, "onControl");
		const onWritable = callback(options.onWritable, "onWritable");
		const onError = callback(options.onError, "onError");
		const onClose = callback(options.onClose, "onClose");
		const message = this.#message, control = this.#control;
		const events: SessionEvents = {
			onConnack: (sessionPresent) => {
				control.deliver(PacketType.CONNACK, 0, sessionPresent, undefined);
				onControl?.call(this, PacketType.CONNACK, control);
			},
			onPuback: (id) => {
				control.deliver(PacketType.PUBACK, id, false, undefined);
				onControl?.call(this, PacketType.PUBACK, control);
			},
			onSuback: (id, codes, offset, n) => {
				control.deliver(PacketType.SUBACK, id, false, codes.subarray(offset, offset + n));
				try {
					onControl?.call(this, PacketType.SUBACK, control);
				}
				finally {
					control.deliver(PacketType.SUBACK, id, false, undefined);
				}
			},
			onUnsuback: (id) => {
				control.deliver(PacketType.UNSUBACK, id, false, undefined);
				onControl?.call(this, PacketType.UNSUBACK, control);
			},
			onMessage: (fields, body) => {
				message.deliver(fields, body);
				this.#body = body;
				this.#readOffset = fields.payloadOffset;
				this.#readEnd = fields.payloadOffset + fields.payloadLength;
				try {
					onReadable?.call(this, fields.payloadLength, message);
				}
				finally {
					this.#body = undefined;
					message.deliver(undefined, undefined);
				}
			},
			onWritable: () => {
				onWritable?.call(this, this.#session.writable);
			},
			onError: (error) => {
				onError?.call(this, error);
			},
			onClose: () => {
				onClose?.call(this);
			},
		};
		this.#session = new Session({
			transport,
			connect,
			keepaliveMs: keepaliveS * 1000,
			connectTimeoutMs: count(options.connectTimeout, Defaults.CONNECT_TIMEOUT_MS, 1, 0x7fff_ffff, "connectTimeout"),
			inFlight: count(options.inFlight, Defaults.IN_FLIGHT, 1, 1024, "inFlight"),
			inFlightBytes: count(options.inFlightBytes, Defaults.IN_FLIGHT_BYTES, 16, 0x10_0000, "inFlightBytes"),
			maxPacket: count(options.maxPacket, Defaults.MAX_PACKET_BYTES, 16, 0x10_0000, "maxPacket"),
			receiveBytes: count(options.receiveBuffer, Defaults.RECEIVE_BYTES, 16, 0x10_0000, "receiveBuffer"),
			pendingSubscriptions: Defaults.PENDING_SUBSCRIPTIONS,
			owedAcks: Defaults.OWED_ACKS,
		}, events);
	}

	/** "closed", "connecting", "handshaking" (CONNECT sent) or "connected". */
	get state(): SessionStateName {
		return this.#session.state;
	}

	/** The last CONNACK's session present flag (§3.2.2.2): false means subscribe again. */
	get sessionPresent(): boolean {
		return this.#session.sessionPresent;
	}

	/** QoS 1 PUBLISHes awaiting PUBACK (kept across connections; re-sent with DUP after CONNACK). */
	get inFlight(): number {
		return this.#session.inFlight;
	}

	/** Bytes of a PUBLISH packet write() accepts now; 0 when it would throw "would block". */
	get writable(): number {
		return this.#session.writable;
	}

	/** PINGREQs sent so far (diagnostics). */
	get pings(): number {
		return this.#session.keepalive.pings;
	}

	/** Starts a connection (Error("busy") unless closed). The outcome arrives as onControl(CONNACK) or onError. */
	connect(): void {
		this.#session.connect();
	}

	/** Ends the connection (DISCONNECT first when connected); no callbacks follow. Idempotent. */
	close(): void {
		this.#session.close();
	}

	/**
	 * PUBLISH `data` (a Uint8Array, ArrayBuffer or string, sent as UTF-8) to options.topic; returns
	 * the packet identifier at QoS 1 (matched by onControl(PUBACK)) or 0. With options.operation
	 * SUBSCRIBE or UNSUBSCRIBE, sends options.items ([{topic, QoS}]) and returns the identifier.
	 */
	write(data: Bytes | ArrayBuffer | null, options: WriteOptions): number {
		const operation = options.operation ?? PacketType.PUBLISH;
		if (operation === PacketType.SUBSCRIBE || operation === PacketType.UNSUBSCRIBE) {
			if (!Array.isArray(options.items)) throw new RangeError("invalid items");
			return this.#session.subscription(operation, options.items);
		}
		if (operation !== PacketType.PUBLISH) throw new RangeError("invalid operation");
		if (typeof options.topic !== "string") throw new RangeError("invalid topic");
		const payload: Bytes = data === null ? "" : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
		if (typeof payload !== "string" && !(payload instanceof Uint8Array)) throw new RangeError("invalid data");
		let length = bytesLength(payload);
		if (options.byteLength !== undefined) {
			if (typeof payload === "string" || !(options.byteLength >= 0 && options.byteLength <= length)) throw new RangeError("invalid byteLength");
			length = options.byteLength;
		}
		return this.#session.publish(options.topic, payload, length, options.QoS ?? 0, options.retain ?? false);
	}

	/** Inside onReadable: see the file comment. Outside it: undefined, or 0 for a buffer. */
	read(): Uint8Array | undefined;
	read(buffer: Uint8Array): number;
	read(count: number): ArrayBuffer | undefined;
	read(what?: Uint8Array | number): Uint8Array | ArrayBuffer | number | undefined {
		const body = this.#body;
		if (what instanceof Uint8Array) {
			if (!body) return 0;
			const n = Math.min(what.length, this.#readEnd - this.#readOffset);
			for (let i = 0; i < n; i++) what[i] = body[this.#readOffset + i];
			this.#readOffset += n;
			return n;
		}
		if (!body) return undefined;
		if (what === undefined) {
			const view = body.subarray(this.#readOffset, this.#readEnd);
			this.#readOffset = this.#readEnd;
			return view;
		}
		if (!(what >= 1 && what <= this.#readEnd - this.#readOffset) || what !== Math.floor(what)) throw new RangeError("invalid count");
		const copy = body.slice(this.#readOffset, this.#readOffset + what).buffer;
		this.#readOffset += what;
		return copy;
	}
}
Object.freeze(MQTTClient.prototype);
