// ECMA-419 TCP listener socket as Moddable implements it (@moddable/typings 5.6.0's listener.d.ts
// omits close()). read() returns an accepted socket without callbacks, or undefined; adopt it with
// `new TCP({ from: socket, onReadable, ... })`.
declare module "embedded:io/socket/listener" {
	import type TCP from "embedded:io/socket/tcp";
	export interface Options {
		port?: number;
		address?: string;
		onReadable?: (this: Listener, requests: number) => void;
		format?: "socket/tcp";
		target?: unknown;
	}
	class Listener {
		constructor(options: Options);
		read(): TCP | undefined;
		close(): void;
		readonly port: number;
		get format(): "socket/tcp";
		set format(value: "socket/tcp");
		target?: unknown;
	}
	export default Listener;
}
