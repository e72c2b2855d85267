/*
 * Transport over an ECMA-419 TCP socket (embedded:io/socket/tcp, ECMA-419 §10.3) as Moddable
 * implements it on lwip: onWritable(count) once connected and whenever the send queue drains,
 * write() throws "would block" when the bytes do not fit, onReadable(count) gives the bytes
 * buffered, read(buffer) fills the whole buffer, onError() when the connection ends.
 *
 * The TCP class is injected (the same adapter takes a TLS socket class of the same shape, and
 * device code never imports a socket module the manifest may not map).
 *
 * No allocation per packet: ECMA-419 reads and writes whole buffers, and a view per length would
 * be an object per packet. Instead each direction owns a scratch buffer of 2^n bytes with one
 * view per power of two (1, 2, 4, ... 2^n) at its start; a transfer of any length is split into
 * its binary digits, largest first (a 75-byte PUBLISH is written as 64 + 8 + 2 + 1 bytes; the
 * bytes of the later pieces are moved to the front with copyWithin). Writes are all-or-nothing:
 * the length is checked against the socket's writable count before the first piece.
 */
import type TCP from "embedded:io/socket/tcp";
import type { Transport, TransportHandlers } from "net/mqtt/transport";

export type TCPClass = new (options: ConstructorParameters<typeof TCP>[0]) => TCP;

export interface TCPTransportOptions {
	/** A numeric IPv4 or IPv6 address (Moddable does not resolve names). */
	readonly address: string;
	readonly port: number;
	/** Scratch bytes per direction, a power of two (default 512): the largest piece per native call. */
	readonly chunk?: number;
	/** More constructor options for the socket class (a TLS socket's `secure`, for instance). */
	readonly socket?: Readonly<Record<string, unknown>>;
}

/** Default scratch bytes per direction: one piece covers a typical telemetry PUBLISH. */
const DEFAULT_CHUNK = 512;

function powerViews(buffer: Uint8Array): Uint8Array[] {
	const views: Uint8Array[] = [];
	for (let size = 1; size <= buffer.length; size *= 2) views.push(buffer.subarray(0, size));
	return views;
}

/** Index of the highest set bit (floor(log2(n))) for 1 <= n < 2^31. */
function highBit(n: number): number {
	return 31 - Math.clz32(n);
}

export class TCPTransport implements Transport {
	readonly #TCP: TCPClass;
	readonly #address: string;
	readonly #port: number;
	readonly #extra: Readonly<Record<string, unknown>> | undefined;
	readonly #rx: Uint8Array;
	readonly #tx: Uint8Array;
	readonly #rxViews: Uint8Array[];
	readonly #txViews: Uint8Array[];
	#socket: TCP | undefined;
	#handlers: TransportHandlers | undefined;
	#connected = false;
	#writable = 0;
	readonly #onWritable: (this: TCP, count: number) => void;
	readonly #onReadable: (this: TCP, count: number) => void;
	readonly #onError: (this: TCP) => void;

	constructor(TCPClass: TCPClass, options: TCPTransportOptions) {
		const chunk = options.chunk ?? DEFAULT_CHUNK;
		if (typeof TCPClass !== "function") throw new RangeError("invalid TCP class");
		if (typeof options.address !== "string" || !options.address) throw new RangeError("invalid address");
		if (!(options.port >= 1 && options.port <= 65535) || options.port !== Math.floor(options.port)) throw new RangeError("invalid port");
		if (!(chunk >= 16 && chunk <= 65536) || (chunk & (chunk - 1)) !== 0) throw new RangeError("invalid chunk");
		this.#TCP = TCPClass;
		this.#address = options.address;
		this.#port = options.port;
		this.#extra = options.socket;
		const scratch = new Uint8Array(2 * chunk);
		this.#rx = scratch.subarray(0, chunk);
		this.#tx = scratch.subarray(chunk);
		this.#rxViews = powerViews(this.#rx);
		this.#txViews = powerViews(this.#tx);
		// eslint-disable-next-line @typescript-eslint/no-this-alias
		const self = this;
		this.#onWritable = function (count) { self.#writableEvent(this, count); };
		this.#onReadable = function (count) { self.#readableEvent(this, count); };
		this.#onError = function () { self.#errorEvent(this); };
	}

	get writable(): number {
		return this.#connected ? this.#writable : 0;
	}

	open(handlers: TransportHandlers): void {
		this.close();
		this.#handlers = handlers;
		this.#socket = new this.#TCP({
			...this.#extra,
			address: this.#address,
			port: this.#port,
			nodelay: true,
			onWritable: this.#onWritable,
			onReadable: this.#onReadable,
			onError: this.#onError,
		});
	}

	write(bytes: Uint8Array, offset: number, length: number): boolean {
		const socket = this.#socket;
		if (!socket || !this.#connected || length > this.#writable) return false;
		const tx = this.#tx, chunk = tx.length;
		try {
			for (let done = 0; done < length;) {
				const n = Math.min(length - done, chunk);
				for (let i = 0; i < n; i++) tx[i] = bytes[offset + done + i];
				for (let start = 0; start < n;) {
					const bit = highBit(n - start);
					if (start) tx.copyWithin(0, start, start + (1 << bit));
					this.#writable = socket.write(this.#txViews[bit]);
					start += 1 << bit;
				}
				done += n;
			}
		}
		catch {
			// "not ready": the peer ended the connection; onError follows once its last bytes are read
			this.#writable = 0;
			return false;
		}
		return true;
	}

	close(): void {
		const socket = this.#socket;
		this.#socket = undefined;
		this.#handlers = undefined;
		this.#connected = false;
		this.#writable = 0;
		socket?.close();
	}

	#writableEvent(socket: TCP, count: number): void {
		if (socket !== this.#socket) return;
		this.#writable = count;
		if (!this.#connected) {
			this.#connected = true;
			this.#handlers!.onConnect();
		}
		else this.#handlers!.onWritable();
	}

	#readableEvent(socket: TCP, count: number): void {
		const rx = this.#rx, views = this.#rxViews;
		while (count > 0 && socket === this.#socket) {
			const n = Math.min(count, rx.length);
			const bit = highBit(n);
			socket.read(views[bit]);
			count -= 1 << bit;
			this.#handlers!.onData(rx, 1 << bit);
		}
	}

	#errorEvent(socket: TCP): void {
		if (socket !== this.#socket) return;
		const handlers = this.#handlers!;
		this.close();
		handlers.onClose();
	}
}
Object.freeze(TCPTransport.prototype);
