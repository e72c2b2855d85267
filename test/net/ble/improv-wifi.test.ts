// Improv's way to the network against a scripted radio: one attempt with a timeout, credentials
// kept only when they worked, the previous network (or none) back after a failure; and the
// Wi-Fi manager's setCredentials (net/wifi.ts), which starts a fresh attempt at once.
import { test, equal, deepEqual, ok, throws } from "test/harness";
import Timer from "timer";
import { WifiManager, WifiState, type WifiClass } from "net/wifi";
import { WifiProvisioner, type Credentials, type WifiRadio } from "net/ble/improv-wifi";

type Message = "connect" | "gotIP" | "lostIP" | "disconnect";

/** A radio that accepts `good` credentials (gotIP after 2 s) and refuses others (disconnect after 3 s). */
function radio(good: Credentials[], silent = false): { wifi: WifiRadio; attempts: string[] } {
	let callback: ((message: Message) => void) | undefined;
	let pending: ReturnType<typeof Timer.set> | undefined;
	const attempts: string[] = [];
	const wifi = class {
		constructor(_options: undefined, cb: (message: Message) => void) {
			callback = cb;
		}
		close(): void {
			callback = undefined;
		}
		static connect(options: { ssid: string; password?: string }): void {
			attempts.push(options.ssid);
			Timer.clear(pending);
			if (silent) return;
			const ok = good.some((c) => c.ssid === options.ssid && c.password === (options.password ?? ""));
			pending = Timer.set(() => callback?.(ok ? "gotIP" : "disconnect"), ok ? 2000 : 3000);
		}
		static disconnect(): void {
			Timer.clear(pending);
		}
		static scan(_options: unknown, cb: (item: { ssid: string; rssi: number; authentication: string } | null) => void): void {
			Timer.set(() => {
				cb({ ssid: "home", rssi: -50, authentication: "wpa2_psk" });
				cb(null);
			}, 100);
		}
	} as unknown as WifiRadio;
	return { wifi, attempts };
}

function memoryStore(initial?: Credentials): { load(): Credentials | undefined; save(c: Credentials): void; saved: Credentials[] } {
	const saved: Credentials[] = [];
	return { load: () => initial, save: (c) => saved.push(c), saved };
}

function join(provisioner: WifiProvisioner, ssid: string, password: string, timeoutMs = 30_000): Promise<boolean> {
	return new Promise((resolve) => provisioner.join(ssid, password, timeoutMs, resolve));
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

test("good-credentials-join-and-are-saved", async () => {
	const { wifi } = radio([{ ssid: "home", password: "pw" }]);
	const store = memoryStore();
	const provisioner = new WifiProvisioner({ wifi, store, random: () => 0.5 });
	ok(!provisioner.configured);
	equal(await join(provisioner, "home", "pw"), true);
	ok(provisioner.online && provisioner.configured);
	deepEqual(store.saved, [{ ssid: "home", password: "pw" }]);
	provisioner.stop();
});

test("a-failure-without-a-previous-network-leaves-none", async () => {
	const { wifi, attempts } = radio([]);
	const store = memoryStore();
	const provisioner = new WifiProvisioner({ wifi, store, random: () => 0.5 });
	equal(await join(provisioner, "home", "wrong"), false);
	ok(!provisioner.configured);
	await sleep(60_000);
	deepEqual(attempts, ["home"], "no retries with credentials that failed");
	deepEqual(store.saved, []);
});

test("a-failure-puts-the-previous-network-back", async () => {
	const { wifi, attempts } = radio([{ ssid: "old", password: "pw" }]);
	const store = memoryStore({ ssid: "old", password: "pw" });
	const provisioner = new WifiProvisioner({ wifi, store, random: () => 0.5 });
	provisioner.start();
	await sleep(3_000);
	ok(provisioner.online);
	equal(await join(provisioner, "new", "pw"), false);
	await sleep(3_000);
	ok(provisioner.online, "back on the old network");
	equal(provisioner.ssid, "old");
	deepEqual(attempts, ["old", "new", "old"]);
	deepEqual(store.saved, []);
	provisioner.stop();
});

test("no-answer-times-out", async () => {
	const { wifi } = radio([], true);
	const provisioner = new WifiProvisioner({ wifi, store: memoryStore(), random: () => 0.5 });
	const started = Date.now();
	equal(await join(provisioner, "home", "pw", 30_000), false);
	ok(Date.now() - started >= 30_000);
	ok(!provisioner.configured);
});

test("one-attempt-at-a-time", async () => {
	const { wifi } = radio([{ ssid: "home", password: "pw" }]);
	const provisioner = new WifiProvisioner({ wifi, store: memoryStore(), random: () => 0.5 });
	const first = join(provisioner, "home", "pw");
	equal(await join(provisioner, "home", "pw"), false, "a second join while one runs is refused");
	equal(await first, true);
	provisioner.stop();
});

test("scan-collects-until-the-end-marker", async () => {
	const { wifi } = radio([]);
	const provisioner = new WifiProvisioner({ wifi, store: memoryStore(), random: () => 0.5 });
	const networks = await new Promise((resolve) => provisioner.scan(resolve));
	deepEqual(networks, [{ ssid: "home", rssi: -50, authentication: "wpa2_psk" }]);
});

test("set-credentials-starts-a-fresh-attempt-with-the-backoff-reset", async () => {
	const { wifi, attempts } = radio([{ ssid: "b", password: "" }]);
	const delays: number[] = [];
	const manager = new WifiManager({ wifi: wifi as WifiClass, ssid: "a", random: () => 0.5,
		onState: (state, _attempt, delay) => state === WifiState.waiting && delays.push(delay) });
	manager.setCredentials("a"); // stopped: kept for start()
	manager.start();
	await sleep(3_100 + 5_000 + 3_100);
	deepEqual(delays, [5000, 10000], "two failed attempts at a");
	manager.setCredentials("b", "");
	await sleep(2_100);
	ok(manager.online);
	deepEqual(attempts, ["a", "a", "b"], "b at once, not after the 10 s backoff");
	throws(() => manager.setCredentials(""), RangeError, /ssid/);
	manager.stop();
});
