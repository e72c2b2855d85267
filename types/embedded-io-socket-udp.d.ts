// ECMA-419 §10.4 UDP socket as Moddable implements it. Replaces @moddable/typings 5.6.0's
// udp.d.ts, which does not compile under strict (read(buffer) has an implicit return type) and
// omits close(). Moddable's read() takes no buffer; it returns undefined when nothing is queued.
declare module "embedded:io/socket/udp" {
	import type { Buffer } from "embedded:io/_common";
	export type Datagram = ArrayBuffer & { readonly address: string; readonly port: number };
	export interface Options {
		port?: number;
		address?: string;
		onReadable?: (this: UDP, packets: number) => void;
		onError?: (this: UDP) => void;
		format?: "buffer";
		target?: unknown;
	}
	class UDP {
		constructor(options: Options);
		read(): Datagram | undefined;
		write(buffer: Buffer, address: string, port: number): void;
		close(): void;
		get format(): "buffer";
		set format(value: "buffer");
		target?: unknown;
	}
	export default UDP;
}
