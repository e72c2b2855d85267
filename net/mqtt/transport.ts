/*
 * What the MQTT client needs from a byte stream, injected so that the client runs over an
 * ECMA-419 TCP socket (net/mqtt/tcp), a TLS socket of the same shape, or a test double.
 * One Transport object serves every connection of a client: open() starts a new one.
 *
 * Contract:
 * - open(handlers) starts connecting; exactly one of onConnect or onClose follows (later, never
 *   inside open()); open() may throw for an address the platform refuses outright. After
 *   onConnect: onData any number of times, onWritable whenever room may have come back (at
 *   least once after a write returned false; the client then reads `writable`), and at most one
 *   onClose (peer closed, reset, refused). After onClose or close() no handler is called for
 *   that connection.
 * - write() queues all `length` bytes or none: false (nothing queued) when they do not fit now.
 *   The bytes are copied before it returns.
 * - onData's `bytes[0..length)` is valid only during the call (the transport reuses the buffer).
 * - Handlers do not throw back into the transport (the client catches what it calls).
 */

export interface TransportHandlers {
	onConnect(): void;
	onData(bytes: Uint8Array, length: number): void;
	onWritable(): void;
	onClose(): void;
}

export interface Transport {
	open(handlers: TransportHandlers): void;
	/** Bytes write() would accept now (0 before onConnect and after the end). */
	readonly writable: number;
	write(bytes: Uint8Array, offset: number, length: number): boolean;
	/** Ends the current connection; idempotent; no handler is called afterwards. */
	close(): void;
}
