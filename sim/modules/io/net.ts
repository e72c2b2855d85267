/*
 * Moddable's "net" module for the simulators: Net.get() of the station's properties. The
 * simulated network is loopback only, so the address is 127.0.0.1.
 */
import { request } from "sim/link";

export default class Net {
	static get(property: string): string | number | undefined {
		const connected = request("wifi.connected", 0, 0) === 1;
		switch (property) {
		case "IP": return connected ? "127.0.0.1" : undefined;
		case "RSSI": return connected ? request("wifi.rssi", 0, 0) : undefined;
		case "MAC": return "02:00:00:00:00:01";
		default: return undefined;
		}
	}
}
