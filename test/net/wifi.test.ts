// The Wi-Fi manager against a scripted radio: jittered exponential backoff, connect timeout,
// recovery, and stop. (The end-to-end outage run against the simulated AP: test/node/wifi.test.mjs.)
import { test, equal, deepEqual, ok, throws } from "test/harness";
import Timer from "timer";
import Time from "time";
import { WifiManager, WifiState, DEFAULT_BACKOFF, type WifiClass } from "net/wifi";

type Message = "connect" | "gotIP" | "lostIP" | "disconnect";

/** A radio whose outcome per attempt the test decides: "ok", "fail" (disconnect after 3 s) or "silent". */
function scriptedRadio(outcomes: string[]): { wifi: WifiClass; attempts: number[]; lose(): void } {
	let callback: ((message: Message) => void) | undefined;
	const attempts: number[] = [];
	const later = (ms: number, message: Message): void => {
		Timer.set(() => callback?.(message), ms);
	};
	const wifi = class {
		constructor(_options: undefined, cb: (message: Message) => void) {
			callback = cb;
		}
		close(): void {
			callback = undefined;
		}
		static connect(): void {
			attempts.push(Time.ticks);
			const outcome = outcomes.shift() ?? "ok";
			if (outcome === "ok") later(2000, "gotIP");
			else if (outcome === "fail") later(3000, "disconnect");
		}
		static disconnect(): void {}
	} as unknown as WifiClass;
	return { wifi, attempts, lose: () => callback?.("disconnect") };
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

test("retries-with-exponential-backoff-within-the-jitter-bounds", async () => {
	const radio = scriptedRadio(["fail", "fail", "fail", "fail", "fail", "ok"]);
	const states: string[] = [];
	const delays: number[] = [];
	const manager = new WifiManager({
		wifi: radio.wifi, ssid: "home", random: Math.random,
		onState: (state, _attempt, delay) => {
			states.push(state);
			if (state === WifiState.waiting) delays.push(delay);
		},
	});
	manager.start();
	await sleep(600_000);
	ok(manager.online);
	equal(radio.attempts.length, 6);
	for (const [i, delay] of delays.entries()) {
		const base = WifiManager.delay(DEFAULT_BACKOFF, i + 1);
		ok(delay >= base * 0.5 && delay <= base * 1.5, `retry ${i + 1}: ${delay} ms for a ${base} ms base`);
	}
	deepEqual(delays.map((_, i) => WifiManager.delay(DEFAULT_BACKOFF, i + 1)), [5000, 10000, 20000, 40000, 80000]);
	equal(states.at(-1), WifiState.online);
	manager.stop();
});

test("backoff-is-capped-at-five-minutes", () => {
	equal(WifiManager.delay(DEFAULT_BACKOFF, 20), 300_000);
});

test("jitter-maps-the-random-draw-onto-plus-or-minus-half-the-delay", async () => {
	const delays: number[] = [];
	for (const draw of [0, 0.25, 0.5, 0.75, 0.999]) {
		const radio = scriptedRadio(["fail"]);
		const manager = new WifiManager({
			wifi: radio.wifi, ssid: "home", random: () => draw,
			onState: (state, _attempt, delay) => state === WifiState.waiting && delays.push(delay),
		});
		manager.start();
		await sleep(3_100);
		manager.stop();
	}
	deepEqual(delays, [2500, 3750, 5000, 6250, 7495], "5 s base: from half to one and a half times");
});

test("an-attempt-without-an-address-times-out-and-counts-as-failed", async () => {
	const radio = scriptedRadio(["silent", "ok"]);
	const manager = new WifiManager({ wifi: radio.wifi, ssid: "home", random: () => 0.5, connectTimeoutMs: 60_000 });
	manager.start();
	await sleep(60_000 + 5_000 + 2_500);
	ok(manager.online);
	equal(radio.attempts[1] - radio.attempts[0], 65_000, "60 s timeout, then the 5 s first backoff (no jitter at 0.5)");
	manager.stop();
});

test("a-lost-link-is-retried-and-success-resets-the-backoff", async () => {
	const radio = scriptedRadio(["fail", "fail", "ok", "ok"]);
	const delays: number[] = [];
	const manager = new WifiManager({
		wifi: radio.wifi, ssid: "home", random: () => 0.5,
		onState: (state, _attempt, delay) => state === WifiState.waiting && delays.push(delay),
	});
	manager.start();
	await sleep(60_000);
	ok(manager.online);
	radio.lose();
	await sleep(10_000);
	ok(manager.online);
	deepEqual(delays, [5000, 10000, 5000], "the retry after a good connection starts from the first step again");
	manager.stop();
	equal(manager.state, WifiState.off);
});

test("options-are-validated", () => {
	const { wifi } = scriptedRadio([]);
	throws(() => new WifiManager({ wifi, ssid: "", random: Math.random }), RangeError, /ssid/);
	throws(() => new WifiManager({ wifi, ssid: "x", random: Math.random, backoff: { initialMs: 0, maxMs: 1, jitter: 0 } }), RangeError, /backoff/);
});
