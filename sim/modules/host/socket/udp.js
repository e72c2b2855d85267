// embedded:io/socket/udp on the simulator host: ECMA-419 UDP socket (Moddable's ESP32 semantics),
// bound to loopback; natives in sim/host/socket.c.
export default class UDP @ "xs_udp_destructor" {
	constructor(options) @ "xs_udp_constructor";
	close() @ "xs_udp_close";
	read() @ "xs_udp_read";
	write(buffer, address, port) @ "xs_udp_write";
	get format() {
		return "buffer";
	}
	set format(value) {
		if (value !== "buffer")
			throw new RangeError("invalid format");
	}
}
Object.freeze(UDP.prototype);
