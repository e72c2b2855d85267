// net/ha/resend: discovery re-sent after Home Assistant's birth, after a random delay
// (interop-protocols.md A.3: "wait a random 0-5 s, then repeat steps 3-4"), deterministic for an
// injected random source; and net/ha/availability: retained birth `online` and will `offline`.
import { test, ok, equal, deepEqual, throws } from "test/harness";
import { DiscoveryResend } from "net/ha/resend";
import { birth, will, CONNECT_SEQUENCE } from "net/ha/availability";
import { Topics } from "net/topics";
import { Prng } from "sim/devices/prng";

function sequence(...values: number[]): () => number {
	let i = 0;
	return () => values[i++ % values.length];
}

const bytes = (text: string): Uint8Array => new Uint8Array(ArrayBuffer.fromString(text));

test("online-schedules-a-resend-within-zero-to-five-seconds", () => {
	const policy = new DiscoveryResend({ random: sequence(0.5) });
	equal(policy.onHaStatus("online", 10_000), 12_500);
	equal(policy.resendAt, 12_500);
	ok(!policy.due(12_499));
	ok(policy.due(12_500));
	policy.sent();
	equal(policy.resendAt, undefined);
	ok(!policy.due(20_000));
});

test("delay-bounds-from-the-random-source", () => {
	equal(new DiscoveryResend({ random: sequence(0) }).onHaStatus("online", 1000), 1000, "0 s");
	equal(new DiscoveryResend({ random: sequence(0.99999) }).onHaStatus("online", 1000), 5999, "just under 5 s");
	equal(new DiscoveryResend({ random: sequence(0.5), minDelayMs: 1000, maxDelayMs: 3000 }).onHaStatus("online", 0), 2000);
	equal(new DiscoveryResend({ random: sequence(1) }).onHaStatus("online", 0), 0, "a source outside [0, 1) is clamped to no delay");
	equal(new DiscoveryResend({ random: sequence(NaN) }).onHaStatus("online", 0), 0);
});

test("deterministic-for-a-seeded-source", () => {
	const run = (): (number | undefined)[] => {
		const prng = new Prng(42);
		const policy = new DiscoveryResend({ random: () => prng.next() });
		const times: (number | undefined)[] = [];
		for (let i = 0; i < 20; i++) {
			times.push(policy.onHaStatus("online", i * 60_000));
			policy.sent();
		}
		return times;
	};
	const a = run();
	deepEqual(a, run());
	for (let i = 0; i < a.length; i++) ok(a[i]! >= i * 60_000 && a[i]! < i * 60_000 + 5000, `${a[i]}`);
	ok(new Set(a.map((t, i) => t! - i * 60_000)).size > 10, "the delays vary");
});

test("a-second-online-keeps-the-pending-time", () => {
	const policy = new DiscoveryResend({ random: sequence(0.2, 0.9) });
	equal(policy.onHaStatus("online", 0), 1000);
	equal(policy.onHaStatus("online", 500), 1000, "not postponed, not duplicated");
	policy.sent();
	equal(policy.onHaStatus("online", 2000), 2000 + 4500, "the next birth draws again");
});

test("offline-cancels-a-pending-resend", () => {
	const policy = new DiscoveryResend({ random: sequence(0.5) });
	policy.onHaStatus("online", 0);
	equal(policy.onHaStatus("offline", 100), undefined);
	ok(!policy.due(10_000));
	equal(policy.onHaStatus("online", 200), 2700, "HA back: scheduled again");
});

test("retained-birth-and-other-payloads-are-ignored", () => {
	const policy = new DiscoveryResend({ random: sequence(0.5) });
	equal(policy.onHaStatus("online", 0, true), undefined, "retained birth at subscribe time");
	equal(policy.onHaStatus("Online", 0), undefined, "case-sensitive");
	equal(policy.onHaStatus("online ", 0), undefined);
	equal(policy.onHaStatus("", 0), undefined);
	equal(policy.onHaStatus(bytes("x".repeat(100)), 0), undefined);
	equal(policy.onHaStatus(Uint8Array.of(0x6f, 0xff, 0x6e), 0), undefined, "not ASCII");
	equal(policy.resendAt, undefined);
	equal(policy.onHaStatus(bytes("online"), 0), 2500, "payload bytes as received");
});

test("connect-clears-a-pending-resend", () => {
	const policy = new DiscoveryResend({ random: sequence(0.5) });
	policy.onHaStatus("online", 0);
	policy.connected();
	equal(policy.resendAt, undefined);
});

test("custom-birth-payloads", () => {
	const policy = new DiscoveryResend({ random: sequence(0), online: "up", offline: "down" });
	equal(policy.onHaStatus("online", 0), undefined);
	equal(policy.onHaStatus("up", 0), 0);
	equal(policy.onHaStatus("down", 0), undefined);
});

test("bad-options-throw", () => {
	throws(() => new DiscoveryResend({ random: undefined as unknown as () => number }), RangeError, /random/);
	throws(() => new DiscoveryResend({ random: Math.random, minDelayMs: 10, maxDelayMs: 5 }), RangeError, /delay/);
	throws(() => new DiscoveryResend({ random: Math.random, maxDelayMs: Infinity }), RangeError, /delay/);
});

test("birth-and-will-are-retained-on-the-availability-topic", () => {
	const topics = new Topics({ prefix: "aiot", deviceId: "a1b2c3d4e5f6" });
	deepEqual(will(topics), { topic: "aiot/a1b2c3d4e5f6/status", message: "offline", QoS: 1, retain: true });
	deepEqual(birth(topics), { topic: "aiot/a1b2c3d4e5f6/status", message: "online", QoS: 1, retain: true });
	deepEqual(CONNECT_SEQUENCE, ["will", "birth", "discovery", "state", "subscribe"]);
});
