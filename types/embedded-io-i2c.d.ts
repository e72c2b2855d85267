// ECMA-419 §9.3 I2C, replacing @moddable/typings 5.6.0's declaration, which omits close()
// and types read(buffer) as returning an ArrayBuffer (Moddable returns the byte count).
declare module "embedded:io/i2c" {
	import type { Buffer, PinSpecifier, PortSpecifier } from "embedded:io/_common";
	class I2C {
		constructor(options: {
			data: PinSpecifier;
			clock: PinSpecifier;
			hz: number;
			address: number;
			port?: PortSpecifier;
			format?: "buffer";
			target?: unknown;
		});
		write(value: Buffer, stop?: boolean): void;
		read(byteLength: number, stop?: boolean): ArrayBuffer;
		read(buffer: Buffer, stop?: boolean): number | undefined;
		close(): void;
		get format(): "buffer";
		set format(value: "buffer");
	}
	export default I2C;
}
