// embedded:io/socket/listener on the simulator host: accepts TCP connections on loopback;
// read() returns each as an embedded:io/socket/tcp instance (adopt it with `new TCP({ from })`
// to get callbacks). Natives in sim/host/socket.c.
import TCP from "embedded:io/socket/tcp";

function pending(listener) @ "xs_listener_pending";
function accept(listener, socket) @ "xs_listener_accept";

export default class Listener @ "xs_listener_destructor" {
	constructor(options) @ "xs_listener_constructor";
	close() @ "xs_listener_close";
	read() {
		return pending(this) ? accept(this, new TCP) : undefined;
	}
	get port() @ "xs_listener_get_port";
	get format() {
		return "socket/tcp";
	}
	set format(value) {
		if (value !== "socket/tcp")
			throw new RangeError("invalid format");
	}
}
Object.freeze(Listener.prototype);
