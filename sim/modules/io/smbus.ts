/*
 * "embedded:io/smbus" for the simulators: register access over the simulated I2C class,
 * ECMA-419 §9.4 (a register write, then a repeated-start read). Scratch buffers are made once.
 */
import I2C from "embedded:io/i2c";

type Bytes = ArrayBuffer | ArrayBufferView;

function view(buffer: Bytes): Uint8Array {
	return buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export default class SMBus extends I2C {
	readonly #scratch = new Uint8Array(3);
	readonly #register = this.#scratch.subarray(0, 1);
	readonly #word = this.#scratch.subarray(1, 3);

	readUint8(register: number): number {
		this.#register[0] = register;
		this.write(this.#register, false);
		this.read(this.#word.subarray(0, 1));
		return this.#word[0];
	}

	writeUint8(register: number, value: number): void {
		this.#scratch[0] = register;
		this.#scratch[1] = value;
		this.write(this.#scratch.subarray(0, 2));
	}

	readUint16(register: number, bigEndian = false): number {
		this.#register[0] = register;
		this.write(this.#register, false);
		this.read(this.#word);
		return bigEndian ? (this.#word[0] << 8) | this.#word[1] : this.#word[0] | (this.#word[1] << 8);
	}

	writeUint16(register: number, value: number, bigEndian = false): void {
		this.#scratch[0] = register;
		this.#scratch[1] = bigEndian ? value >> 8 : value & 0xff;
		this.#scratch[2] = bigEndian ? value & 0xff : value >> 8;
		this.write(this.#scratch);
	}

	readBuffer(register: number, buffer: Bytes): void {
		this.#register[0] = register;
		this.write(this.#register, false);
		this.read(view(buffer));
	}

	writeBuffer(register: number, buffer: Bytes): void {
		const bytes = view(buffer);
		const frame = new Uint8Array(bytes.length + 1); // setup-time only: drivers write registers in bulk rarely
		frame[0] = register;
		frame.set(bytes, 1);
		this.write(frame);
	}

	sendByte(command: number): void {
		this.#register[0] = command;
		this.write(this.#register);
	}

	receiveByte(): number {
		this.read(this.#register);
		return this.#register[0];
	}

	readQuick(): void {
		this.read(this.#scratch.subarray(0, 0));
	}

	writeQuick(): void {
		this.write(this.#scratch.subarray(0, 0));
	}
}
