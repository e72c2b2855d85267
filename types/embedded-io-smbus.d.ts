// @moddable/typings 5.6.0 leaves these return types implicit (TS7010 under strict); ECMA-419 §9.4.
declare module "embedded:io/smbus" {
	import type I2C from "embedded:io/i2c";
	import type { Buffer } from "embedded:io/_common";
	class SMBus extends I2C {
		readUint8(register: number): number;
		writeUint8(register: number, value: number): void;
		readUint16(register: number, bigEndian?: boolean): number;
		writeUint16(register: number, value: number, bigEndian?: boolean): void;
		readBuffer(register: number, buffer: Buffer): void;
		writeBuffer(register: number, buffer: Buffer): void;
		sendByte(command: number): void;
		receiveByte(): number;
		readQuick(): void;
		writeQuick(): void;
	}
	export default SMBus;
}
