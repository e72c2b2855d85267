// @moddable/typings 5.6.0's serial.d.ts does not compile under strict (TS7010); the provider
// typings import it, so this declares the part of ECMA-419 §9.7 the project could use.
declare module "embedded:io/serial" {
	import type { Buffer, PinSpecifier, PortSpecifier } from "embedded:io/_common";
	class Serial {
		constructor(options: { baud: number; port?: PortSpecifier; receive?: PinSpecifier; transmit?: PinSpecifier;
			onReadable?: (this: Serial, count: number) => void; onWritable?: (this: Serial, count: number) => void });
		read(count?: number): ArrayBuffer | undefined;
		write(buffer: Buffer): void;
		close(): void;
	}
	export default Serial;
}
