// ECMA-419 §10.3 TCP socket, as Moddable implements it (modules/io/socket/lwip). Replaces
// @moddable/typings 5.6.0's declaration: write() returns the bytes still writable, read(buffer)
// returns the count read, and read() returns undefined when nothing is buffered. `host` is
// accepted by the typings but ignored by Moddable: resolve names first and pass `address`.
declare module "embedded:io/socket/tcp" {
	import type { Buffer } from "embedded:io/_common";
	export type Options = ({ address: string; port: number } | { from: TCP }) & {
		nodelay?: boolean;
		onReadable?: (this: TCP, bytes: number) => void;
		onWritable?: (this: TCP, bytes: number) => void;
		onError?: (this: TCP) => void;
		format?: "number" | "buffer";
		target?: unknown;
	};
	export default class TCP {
		constructor(options: Options);
		readonly remoteAddress: string | undefined;
		readonly remotePort: number | undefined;
		/** An ArrayBuffer, or one byte as a number in the "number" format; undefined when nothing is buffered. */
		read(byteLength?: number): ArrayBuffer | number | undefined;
		read(buffer: Buffer): number;
		write(value: number | Buffer): number;
		close(): void;
		get format(): "number" | "buffer";
		set format(value: "number" | "buffer");
	}
}
