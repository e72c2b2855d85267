// embedded:io/socket/tcp on the simulator host: ECMA-419 TCP socket with the semantics of
// Moddable's ESP32 (lwip) socket, over real loopback sockets; natives in sim/host/socket.c.
export default class TCP @ "xs_tcp_destructor" {
	constructor(options) @ "xs_tcp_constructor";
	close() @ "xs_tcp_close";
	read(count) @ "xs_tcp_read";
	write(value) @ "xs_tcp_write";
	get remoteAddress() @ "xs_tcp_get_remote_address";
	get remotePort() @ "xs_tcp_get_remote_port";
	get format() @ "xs_tcp_get_format";
	set format(value) @ "xs_tcp_set_format";
}
Object.freeze(TCP.prototype);
