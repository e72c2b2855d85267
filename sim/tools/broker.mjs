// The simulator CLI's MQTT broker: an embedded aedes broker on a free loopback port (the
// default), an external one given as mqtt://host:port (loopback only), or none.
import { createServer } from "node:net";
import { Aedes } from "aedes";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/;

/** Parses --broker; returns { kind: "none" } | { kind: "embedded" } | { kind: "external", host, port }. */
export function parseBroker(text) {
	if (text === "none") return { kind: "none" };
	if (text === "embedded" || text === undefined) return { kind: "embedded" };
	let url;
	try {
		url = new URL(text);
	} catch {
		throw new Error(`--broker wants none, embedded or mqtt://host:port, got "${text}"`);
	}
	if (url.protocol !== "mqtt:") throw new Error(`--broker: only mqtt:// URLs (got ${url.protocol})`);
	if (!LOOPBACK.test(url.hostname)) throw new Error(`--broker: the simulator reaches loopback only, not ${url.hostname}`);
	return { kind: "external", host: url.hostname === "localhost" ? "127.0.0.1" : url.hostname, port: Number(url.port || 1883) };
}

/** Starts an embedded broker on 127.0.0.1 and a free port; resolves to { host, port, close() }. */
export async function startEmbeddedBroker() {
	const broker = await Aedes.createBroker();
	const server = createServer(broker.handle);
	await new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(0, "127.0.0.1", resolve);
	});
	const { port } = server.address();
	return {
		host: "127.0.0.1",
		port,
		close: () => new Promise((resolve) => server.close(() => broker.close(resolve))),
	};
}
