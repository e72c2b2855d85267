// @host --sim-entry ./build/js/test/net/ble/world.js
// The simulated BLE peripheral: Moddable's BLEServer API on the device, the stack and the air in
// the simulation. What a real stack enforces, checked from a central: the 31-byte advertising
// limit, ATT permissions and errors (Core 5.4 Vol 3 Part F §3.4.1.1), encryption and bonding,
// maxBytes, ATT_MTU - 3 per write and per notification, subscriptions.
import { test, equal, deepEqual, ok, throws } from "test/harness";
import BLEServer, { type Characteristic } from "bleserver";
import { uuid } from "btutils";
import { central, hex, sleep } from "test/net/ble/central";

const IMPROV = uuid`00467768-6228-2272-4663-277478268000`;
const SERVICE_DATA = uuid`4677`;

interface Seen {
	readonly kind: string;
	readonly name?: string;
	readonly value?: unknown;
	readonly type?: string;
}

class Recorder extends BLEServer {
	readonly seen: Seen[] = [];
	readonly subscribed = new Map<string, Characteristic>();
	readValue: unknown = 0x2a;
	ready = false;
	constructor(readonly security?: { encryption?: boolean; bonding?: boolean; mitm?: boolean }) {
		super();
	}
	override onReady(): void {
		this.ready = true;
		this.deviceName = "sim-test";
		if (this.security) this.securityParameters = this.security;
		this.advertise();
	}
	advertise(): void {
		this.startAdvertising({
			advertisingData: { flags: 6, completeUUID128List: [IMPROV], serviceDataUUID16: { uuid: SERVICE_DATA, data: [1, 7, 0, 0, 0, 0] } },
			scanResponseData: { completeName: this.deviceName },
		});
	}
	override onConnected(device: { address: ArrayBuffer }): void {
		this.seen.push({ kind: "connected", value: device.address.toString() });
	}
	override onDisconnected(): void {
		this.seen.push({ kind: "disconnected" });
	}
	override onCharacteristicWritten(c: { name: string; type: string }, value: unknown): void {
		this.seen.push({ kind: "written", name: c.name, type: c.type, value: value instanceof ArrayBuffer ? hex(new Uint8Array(value)) : value });
	}
	override onCharacteristicRead(c: { name: string }): unknown {
		this.seen.push({ kind: "read", name: c.name });
		return this.readValue;
	}
	override onCharacteristicNotifyEnabled(c: Characteristic): void {
		this.subscribed.set(c.name, c);
	}
	override onCharacteristicNotifyDisabled(c: { name: string }): void {
		this.subscribed.delete(c.name);
	}
	override onAuthenticated(params: { bonded: boolean }): void {
		this.seen.push({ kind: "authenticated", value: params.bonded });
	}
	override onMTUExchanged(mtu: number): void {
		this.seen.push({ kind: "mtu", value: mtu });
	}
	kinds(): string[] {
		return this.seen.map((s) => s.kind);
	}
}

async function withServer(body: (server: Recorder) => Promise<void>, security?: Recorder["security"]): Promise<void> {
	const server = new Recorder(security);
	try {
		await sleep(100);
		ok(server.ready, "onReady after the stack starts");
		await body(server);
	} finally {
		server.close();
		await sleep(100);
	}
}

test("advertises-31-bytes-and-the-name-in-the-scan-response", () => withServer(async (server) => {
	const [report] = (await central({ op: "scan" })) as unknown as { advertising: string; scanResponse: string }[];
	equal(report.advertising.length / 2, 31, "flags 3 + 128-bit UUID 18 + service data 10");
	equal(report.advertising, "020106" + "1107" + "00802678742763467222286268774600" + "0916" + "7746" + "010700000000");
	equal(report.scanResponse, "0909" + hex(new Uint8Array(ArrayBuffer.fromString("sim-test"))));
	throws(() => server.startAdvertising({ advertisingData: { flags: 6, completeUUID128List: [IMPROV], serviceDataUUID16: { uuid: SERVICE_DATA, data: [1, 7, 0, 0, 0, 0, 0] } } }),
		Error, /exceeds maximum length/, "32 bytes do not fit a legacy advertisement");
	throws(() => server.startAdvertising({ advertisingData: { flags: 6 }, scanResponseData: { completeName: "a name of thirty characters!!!" } }),
		Error, /exceeds maximum length/, "nor in the scan response");
	server.stopAdvertising();
	deepEqual(await central({ op: "scan" }), [], "stopped");
}));

test("a-connection-stops-advertising-and-reaches-onConnected", () => withServer(async (server) => {
	deepEqual(await central({ op: "connect" }), {});
	await sleep(50);
	deepEqual(server.seen[0], { kind: "connected", value: "6A:00:00:00:00:01" });
	deepEqual(await central({ op: "scan" }), [], "connectable advertising ends with the connection");
	deepEqual(await central({ op: "connect", central: "6A:00:00:00:00:02" }), { error: "not advertising" }, "one link at a time");
	await central({ op: "disconnect" });
	await sleep(100);
	deepEqual(server.kinds(), ["connected", "disconnected"]);
}));

test("writes-arrive-by-name-and-type-and-reads-ask-the-firmware", () => withServer(async (server) => {
	await central({ op: "connect" });
	deepEqual(await central({ op: "write", name: "rpcCommand", hex: "0102030405" }), { error: 0 });
	deepEqual(await central({ op: "read", name: "state" }), { error: 0, hex: "2a" }, "a Uint8 characteristic: the number as one byte");
	server.readValue = undefined;
	deepEqual(await central({ op: "read", name: "capabilities" }), { error: 0x11 }, "no value from the firmware: Insufficient Resources");
	await sleep(50);
	deepEqual(server.seen.slice(1), [
		{ kind: "written", name: "rpcCommand", type: "ArrayBuffer", value: "0102030405" },
		{ kind: "read", name: "state" },
		{ kind: "read", name: "capabilities" },
	]);
}));

test("permissions-and-sizes-are-enforced-by-the-stack", () => withServer(async (server) => {
	await central({ op: "connect" });
	deepEqual(await central({ op: "write", name: "state", hex: "01" }), { error: 0x03 }, "read-only: Write Not Permitted");
	deepEqual(await central({ op: "read", name: "rpcCommand" }), { error: 0x02 }, "write-only: Read Not Permitted");
	deepEqual(await central({ op: "write", name: "rpcCommand", hex: "00".repeat(21) }), { thrown: "one ATT write carries at most 20 bytes" },
		"the default ATT_MTU 23 leaves 20 bytes per write");
	deepEqual(await central({ op: "write", name: "rpcCommand", hex: "00", withResponse: false }), { error: 0x03 }, "no writeNoResponse property");
	deepEqual(await central({ op: "mtu", mtu: 517 }), { mtu: 256 }, "the server's preferred MTU caps the exchange");
	deepEqual(await central({ op: "write", name: "rpcCommand", hex: "00".repeat(253) }), { error: 0 }, "ATT_MTU - 3 after the exchange");
	await central({ op: "pair" });
	deepEqual(await central({ op: "write", name: "configControl", hex: "00".repeat(65) }), { error: 0x0d }, "beyond maxBytes 64: Invalid Attribute Value Length");
	await sleep(50);
	equal(server.seen.filter((s) => s.kind === "written").length, 1, "refused writes never reach the firmware");
	ok(server.seen.some((s) => s.kind === "mtu" && s.value === 256));
}));

test("encrypted-characteristics-refuse-unencrypted-links", () => withServer(async (server) => {
	await central({ op: "connect" });
	deepEqual(await central({ op: "write", name: "configControl", hex: "01" }), { error: 0x05 }, "no keys yet: Insufficient Authentication, pair first");
	deepEqual(await central({ op: "read", name: "configStatus" }), { error: 0x05 });
	deepEqual(await central({ op: "pair", bond: true }), { ok: true, bonded: true });
	deepEqual(await central({ op: "write", name: "configControl", hex: "01" }), { error: 0 });
	await central({ op: "disconnect" });
	await sleep(100);
	server.advertise();
	await central({ op: "connect" });
	deepEqual(await central({ op: "write", name: "configControl", hex: "02" }), { error: 0x0f }, "bonded but not encrypted: Insufficient Encryption");
	deepEqual(await central({ op: "encrypt" }), { ok: true }, "the bond's key, no new pairing");
	deepEqual(await central({ op: "write", name: "configControl", hex: "03" }), { error: 0 });
	deepEqual(await central({ op: "encrypt", central: "6A:00:00:00:00:09" }), { ok: false, reason: -1 }, "not connected");
	await sleep(50);
	deepEqual(server.seen.filter((s) => s.kind === "written").map((s) => s.value), ["01", "03"]);
	deepEqual(server.seen.filter((s) => s.kind === "authenticated").map((s) => s.value), [true, true]);
}, { encryption: false, bonding: true }));

const P = "6A:00:00:00:00:05"; // a central that never bonded (bonds outlive a test, as NimBLE keeps them in NVS)
test("pairing-needs-what-the-firmware-allows", () => withServer(async (server) => {
	server.securityParameters = { encryption: false, bonding: true, mitm: true };
	await central({ op: "connect", central: P });
	deepEqual(await central({ op: "pair", central: P }), { ok: false, reason: 0x03 }, "Just Works cannot give MITM protection: Authentication Requirements");
	deepEqual(await central({ op: "write", name: "configControl", hex: "01", central: P }), { error: 0x05 });
	server.securityParameters = { encryption: false, bonding: false };
	deepEqual(await central({ op: "pair", bond: true, central: P }), { ok: true, bonded: false }, "a device that does not bond: encrypted, no keys kept");
	deepEqual(await central({ op: "write", name: "configControl", hex: "01", central: P }), { error: 0 });
	await sleep(50);
	deepEqual(server.seen.filter((s) => s.kind === "authenticated").map((s) => s.value), [false]);
}));

test("a-firmware-asking-for-encryption-sends-a-security-request", () => withServer(async () => {
	await central({ op: "connect", central: "6A:00:00:00:00:03" });
	await sleep(100);
	equal((await central({ op: "state", central: "6A:00:00:00:00:03" })).securityRequests, 1);
}, { encryption: true, bonding: true }));

test("notifications-need-a-subscription-and-are-cut-at-mtu-minus-3", () => withServer(async (server) => {
	await central({ op: "connect" });
	const value = new Uint8Array(40).map((_, i) => i);
	await central({ op: "subscribe", name: "rpcResult" });
	await sleep(50);
	const c = server.subscribed.get("rpcResult");
	ok(c, "onCharacteristicNotifyEnabled names the characteristic");
	equal(c.notify, 1);
	server.notifyValue(c, value.buffer);
	await sleep(100);
	deepEqual((await central({ op: "state" })).notifications, [{ name: "rpcResult", hex: hex(value.subarray(0, 20)) }], "20 bytes at ATT_MTU 23");
	await central({ op: "mtu", mtu: 100 });
	server.notifyValue(c, value.buffer);
	await sleep(100);
	equal(((await central({ op: "state" })).notifications as unknown[]).length, 2);
	equal(((await central({ op: "state" })).notifications as { hex: string }[])[1].hex, hex(value), "the whole value at ATT_MTU 100");
	await central({ op: "subscribe", name: "rpcResult", mode: 0 });
	await sleep(50);
	equal(server.subscribed.size, 0, "onCharacteristicNotifyDisabled");
	server.notifyValue(c, value.buffer);
	await sleep(100);
	equal(((await central({ op: "state" })).notifications as unknown[]).length, 2, "nothing after the central turned them off");
	deepEqual(await central({ op: "subscribe", name: "capabilities" }), { error: 0x01 }, "no CCCD on a characteristic without notify");
}));

test("the-firmware-can-drop-the-link-and-close-the-server", () => withServer(async (server) => {
	await central({ op: "connect", central: "6A:00:00:00:00:04" });
	await sleep(50);
	server.disconnect();
	await sleep(100);
	deepEqual((await central({ op: "state", central: "6A:00:00:00:00:04" })).disconnects, [0x13], "Remote User Terminated, seen from the central");
	deepEqual(server.kinds(), ["connected", "disconnected"]);
	server.advertise();
	server.close();
	server.close();
	throws(() => server.stopAdvertising(), Error, /closed/);
	deepEqual(await central({ op: "scan" }), [], "a closed server does not advertise");
	const again = new Recorder();
	await sleep(100);
	ok(again.ready, "a new server after close");
	again.close();
}));

test("one-server-at-a-time", () => withServer(async () => {
	throws(() => new Recorder(), Error, /already initialized/);
}));
