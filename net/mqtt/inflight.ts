/*
 * Client session state (MQTT 3.1.1 §4.1) kept in memory sized at construction:
 *
 * - InFlight: QoS 1 PUBLISH packets sent and not yet acknowledged, in the order they were sent,
 *   as the encoded bytes themselves (so a retransmission is the same packet with DUP set,
 *   §4.4, MQTT-4.4.0-1, re-sent in the original order, MQTT-4.6.0-1). A window of slots bounds
 *   the count and a byte ring bounds the bytes: a packet takes contiguous bytes after the newest
 *   one or, when the end is reached, from the start of the ring. PUBACKs come back in order
 *   (MQTT-4.6.0-2), so the oldest packet frees first; one acknowledged out of order is marked and
 *   freed when those before it are.
 * - PendingAcks: SUBSCRIBE and UNSUBSCRIBE awaiting SUBACK/UNSUBACK (not re-sent after a
 *   reconnect: §4.4 re-sends only PUBLISH and PUBREL, so they are dropped with the connection).
 *
 * Packet identifiers (§2.3.1) are allocated by the session from both tables: non-zero, 16-bit,
 * wrapping 65535 -> 1, never one still in use.
 */

export class InFlight {
	readonly store: Uint8Array;
	readonly #ids: Uint16Array;
	readonly #offsets: Uint32Array;
	readonly #sizes: Uint32Array;
	readonly #acked: Uint8Array;
	#head = 0;
	#count = 0;
	/** Offset of the oldest packet's bytes and the end of the newest one's. */
	#start = 0;
	#end = 0;
	/** The newest packet lies before the oldest one in the ring. */
	#wrapped = false;

	constructor(window: number, bytes: number) {
		if (!(window >= 1 && window <= 1024) || window !== Math.floor(window)) throw new RangeError("invalid inFlight");
		if (!(bytes >= 16) || bytes !== Math.floor(bytes)) throw new RangeError("invalid inFlightBytes");
		this.store = new Uint8Array(bytes);
		this.#ids = new Uint16Array(window);
		this.#offsets = new Uint32Array(window);
		this.#sizes = new Uint32Array(window);
		this.#acked = new Uint8Array(window);
	}

	get window(): number {
		return this.#ids.length;
	}

	/** Packets held (sent and not freed). */
	get count(): number {
		return this.#count;
	}

	/** Packets awaiting PUBACK (held and not acknowledged). */
	get unacknowledged(): number {
		let n = 0;
		for (let i = 0; i < this.#count; i++) if (!this.#acked[this.#slot(i)]) n++;
		return n;
	}

	/** The largest packet reserve() would place now (0 when the window is full). */
	get room(): number {
		if (this.#count === this.window) return 0;
		if (this.#count === 0) return this.store.length;
		if (this.#wrapped) return this.#start - this.#end;
		return Math.max(this.store.length - this.#end, this.#start);
	}

	/** Where a packet of `size` bytes would go, or -1 when there is no slot or no room. */
	reserve(size: number): number {
		if (this.#count === this.window || size > this.store.length) return -1;
		if (this.#count === 0) return 0;
		if (this.#wrapped) return size <= this.#start - this.#end ? this.#end : -1;
		if (this.store.length - this.#end >= size) return this.#end;
		return size <= this.#start ? 0 : -1;
	}

	/** Records the packet written at `offset` (from reserve) as sent under `id`. */
	commit(id: number, offset: number, size: number): void {
		if (this.#count === 0) {
			this.#start = offset;
			this.#wrapped = false;
		}
		else if (offset < this.#end) this.#wrapped = true;
		const slot = this.#slot(this.#count);
		this.#ids[slot] = id;
		this.#offsets[slot] = offset;
		this.#sizes[slot] = size;
		this.#acked[slot] = 0;
		this.#count++;
		this.#end = offset + size;
	}

	/** Whether `id` is held (acknowledged or not: an identifier is free only once released). */
	has(id: number): boolean {
		for (let i = 0; i < this.#count; i++) if (this.#ids[this.#slot(i)] === id) return true;
		return false;
	}

	/** PUBACK for `id`: true when it was awaited. Frees every acknowledged packet at the head. */
	acknowledge(id: number): boolean {
		let found = false;
		for (let i = 0; i < this.#count; i++) {
			const slot = this.#slot(i);
			if (this.#ids[slot] === id && !this.#acked[slot]) {
				this.#acked[slot] = 1;
				found = true;
				break;
			}
		}
		while (this.#count > 0 && this.#acked[this.#head]) {
			this.#head = (this.#head + 1) % this.window;
			this.#count--;
			if (this.#count === 0) {
				this.#head = this.#start = this.#end = 0;
				this.#wrapped = false;
			}
			else {
				const start = this.#offsets[this.#head];
				if (this.#wrapped && start < this.#start) this.#wrapped = false;
				this.#start = start;
			}
		}
		return found;
	}

	/** The i-th held packet in send order (0 = oldest): identifier, offset and size in `store`. */
	idAt(i: number): number {
		return this.#ids[this.#slot(i)];
	}

	offsetAt(i: number): number {
		return this.#offsets[this.#slot(i)];
	}

	sizeAt(i: number): number {
		return this.#sizes[this.#slot(i)];
	}

	acknowledgedAt(i: number): boolean {
		return this.#acked[this.#slot(i)] !== 0;
	}

	/** Forgets every packet (a clean session, §3.1.2.4). */
	clear(): void {
		this.#head = this.#count = this.#start = this.#end = 0;
		this.#wrapped = false;
	}

	#slot(i: number): number {
		return (this.#head + i) % this.window;
	}
}
Object.freeze(InFlight.prototype);

export class PendingAcks {
	readonly #ids: Uint16Array;
	readonly #types: Uint8Array;
	readonly #counts: Uint16Array;

	constructor(capacity: number) {
		if (!(capacity >= 1 && capacity <= 256) || capacity !== Math.floor(capacity)) throw new RangeError("invalid pending");
		this.#ids = new Uint16Array(capacity);
		this.#types = new Uint8Array(capacity);
		this.#counts = new Uint16Array(capacity);
	}

	get full(): boolean {
		return this.#find(0) < 0;
	}

	has(id: number): boolean {
		return this.#find(id) >= 0;
	}

	/** Records a SUBSCRIBE or UNSUBSCRIBE (`type`) of `count` filters; false when the table is full. */
	add(id: number, type: number, count: number): boolean {
		const i = this.#find(0);
		if (i < 0) return false;
		this.#ids[i] = id;
		this.#types[i] = type;
		this.#counts[i] = count;
		return true;
	}

	/** Removes the entry for `id` of `type`; returns its filter count, or -1 when there is none. */
	take(id: number, type: number): number {
		const i = this.#find(id);
		if (i < 0 || this.#types[i] !== type) return -1;
		this.#ids[i] = 0;
		return this.#counts[i];
	}

	clear(): void {
		this.#ids.fill(0);
	}

	#find(id: number): number {
		for (let i = 0; i < this.#ids.length; i++) if (this.#ids[i] === id) return i;
		return -1;
	}
}
Object.freeze(PendingAcks.prototype);
