// The sensor layer: intervals, filters, bounded retries, one fault per episode, stale marks,
// re-opening absent or failing chips, and no exception ever leaving a timer.
import { test, equal, deepEqual, ok } from "test/harness";
import Timer from "timer";
import Time from "time";
import { EventLog, type DeviceEvent } from "app/eventlog";
import { SensorManager, type SensorSpec, type Quantities } from "app/sensor-manager";
import type { OnError } from "drivers/errors";
import { collecting, gc, memory } from "xshost";

/** A driver whose behaviour the test scripts: a value, a fault code, a throw, or absence. */
class Scripted {
	value: number | undefined = 20;
	error: "bus" | "crc" | undefined;
	throws = false;
	present = true;
	opens = 0;
	reads = 0;
	onError: OnError | undefined;

	spec(name: string, intervalMs: number, extra: Partial<SensorSpec<Scripted>> = {}): SensorSpec<Scripted> {
		return {
			name, intervalMs, quantities: ["temperature"],
			open: (onError) => {
				if (!this.present) throw new Error("chip absent");
				this.opens++;
				this.onError = onError;
				return this;
			},
			read: (driver, into: Quantities) => {
				driver.reads++;
				if (driver.throws) throw new Error("driver bug");
				if (driver.error) driver.onError?.(driver.error);
				into.temperature = driver.error || driver.value === undefined ? NaN : driver.value;
			},
			close: () => undefined,
			...extra,
		};
	}
}

function setup(): { log: EventLog; events: DeviceEvent[]; manager: SensorManager } {
	const log = new EventLog();
	const events: DeviceEvent[] = [];
	log.listen((event) => events.push(event));
	return { log, events, manager: new SensorManager(log, () => Time.ticks) };
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

const kinds = (events: DeviceEvent[]): string[] =>
	events.map((e) => (e.type === "fault" || e.type === "recovered" ? `${e.type}:${e.error}` : e.type));

test("samples-on-the-interval-and-logs-readings", async () => {
	const { events, manager } = setup();
	const chip = new Scripted();
	manager.add(chip.spec("climate", 1000));
	manager.start();
	await sleep(3500);
	manager.stop();
	equal(chip.reads, 3);
	deepEqual(events.map((e) => e.type === "reading" && e.values.temperature), [20, 20, 20]);
	equal(manager.value("climate", "temperature"), 20);
});

test("filters-apply-per-quantity-esphome-style", async () => {
	const { events, manager } = setup();
	const chip = new Scripted();
	manager.add(chip.spec("climate", 1000, { filters: { temperature: [{ offset: -1 }, { median: { window_size: 3, send_every: 3 } }] } }));
	manager.start();
	for (const value of [10, 30, 20, 50, 40, 60]) {
		chip.value = value;
		await sleep(1000);
	}
	manager.stop();
	// offset first: 9, 29, 19, 49, 39, 59; send_first_at 1 emits at the 1st value, then every 3rd:
	// median(9) = 9, median(29, 19, 49) = 29
	deepEqual(events.filter((e) => e.type === "reading").map((e) => e.type === "reading" && e.values.temperature), [9, 29]);
});

test("a-failing-read-is-retried-then-reported-once-per-episode", async () => {
	const { events, manager } = setup();
	const chip = new Scripted();
	manager.add(chip.spec("climate", 1000));
	manager.start();
	await sleep(1500);
	chip.error = "crc";
	const before = chip.reads;
	await sleep(1000);
	equal(chip.reads - before, 3, "one read and two retries");
	await sleep(1000);
	chip.error = undefined;
	await sleep(1000);
	manager.stop();
	deepEqual(kinds(events), ["reading", "fault:crc", "recovered:crc", "reading"]);
});

test("no-valid-sample-for-three-intervals-is-stale-then-recovers", async () => {
	const { events, manager } = setup();
	const chip = new Scripted();
	manager.add(chip.spec("climate", 1000));
	manager.start();
	await sleep(1500);
	chip.error = "bus";
	await sleep(3000);
	ok(manager.stale("climate"));
	ok(Number.isNaN(manager.value("climate", "temperature")), "stale values read as NaN");
	chip.error = undefined;
	await sleep(1000);
	manager.stop();
	ok(!manager.stale("climate"));
	deepEqual(kinds(events), ["reading", "fault:bus", "fault:stale", "recovered:bus", "recovered:stale", "reading"]);
});

test("stale-is-marked-at-the-timeout-not-at-the-next-sample", async () => {
	const { events, manager } = setup();
	const chip = new Scripted();
	manager.add(chip.spec("climate", 10_000, { staleAfterMs: 25_000 }));
	manager.start();
	await sleep(10_500);
	chip.error = "bus";
	await sleep(24_000);
	ok(!manager.stale("climate"), "24.5 s after the last valid sample");
	await sleep(1_000);
	ok(manager.stale("climate"), "25.5 s after");
	manager.stop();
	ok(events.some((e) => e.type === "fault" && e.error === "stale"));
});

test("stale-timeout-is-capped-at-five-minutes", async () => {
	const { events, manager } = setup();
	const chip = new Scripted();
	manager.add(chip.spec("climate", 200_000));
	manager.start();
	await sleep(200_000);
	chip.error = "bus";
	await sleep(400_000);
	manager.stop();
	const stale = events.find((e) => e.type === "fault" && e.error === "stale");
	ok(stale, "a 200 s sensor is stale after 5 minutes, not 10");
});

test("an-absent-chip-is-retried-every-interval-and-recovers-when-plugged", async () => {
	const { events, manager } = setup();
	const chip = new Scripted();
	chip.present = false;
	manager.add(chip.spec("climate", 1000));
	manager.start();
	await sleep(2500);
	chip.present = true;
	await sleep(1000);
	manager.stop();
	const [first] = events;
	ok(first.type === "fault" && /^absent: chip absent/.test(first.error), JSON.stringify(first));
	equal(chip.opens, 1);
	deepEqual(kinds(events).slice(1), ["recovered:absent", "reading"]);
});

test("a-bus-fault-reopens-the-driver-so-a-replugged-chip-is-reinitialised", async () => {
	const { manager } = setup();
	const chip = new Scripted();
	manager.add(chip.spec("climate", 1000));
	manager.start();
	await sleep(1500);
	chip.error = "bus";
	await sleep(2000);
	chip.error = undefined;
	await sleep(1000);
	manager.stop();
	ok(chip.opens >= 2, `opened ${chip.opens} times`);
});

test("a-throwing-driver-never-escapes-the-timer", async () => {
	const { events, manager } = setup();
	const chip = new Scripted();
	manager.add(chip.spec("climate", 1000));
	manager.start();
	await sleep(1500);
	chip.throws = true;
	await sleep(3000);
	chip.throws = false;
	await sleep(1000);
	manager.stop();
	ok(events.some((e) => e.type === "fault" && e.error === "driver: driver bug"));
	equal(events.at(-1)?.type, "reading", "sampling resumed");
});

test("steady-state-sampling-allocates-nothing-between-logged-readings", async () => {
	const { manager } = setup();
	const chip = new Scripted();
	manager.add(chip.spec("climate", 100, { filters: { temperature: [{ throttle: 1_000_000 }] } }));
	manager.start();
	await sleep(1000);
	// With the collector held off every allocation stays counted. The measurement itself (the
	// test's timer and promise) costs the same over 10 samples as over 60: compare the two.
	const growth = async (ms: number): Promise<number> => {
		gc();
		collecting(false);
		const before = memory();
		await sleep(ms);
		const after = memory();
		collecting(true);
		return after.chunksUsed + after.slotsUsed - before.chunksUsed - before.slotsUsed;
	};
	await growth(1000); // first use of the measurement's own code paths
	const short = await growth(1000);
	const long = await growth(6000);
	manager.stop();
	ok(chip.reads > 70);
	equal(long - short, 0, `50 more samples allocated ${long - short} bytes (10 samples: ${short}, 60: ${long})`);
});

test("a-missing-required-quantity-makes-the-sample-invalid", async () => {
	const { events, manager } = setup();
	let humidityOnly = false;
	const spec: SensorSpec<null> = {
		name: "climate", intervalMs: 1000, quantities: ["temperature", "humidity"], required: ["temperature"],
		open: () => null,
		read: (_driver, into) => {
			into.temperature = humidityOnly ? NaN : 21;
			into.humidity = 40;
		},
		close: () => undefined,
	};
	manager.add(spec);
	manager.start();
	await sleep(1500);
	humidityOnly = true;
	await sleep(4000);
	manager.stop();
	ok(manager.stale("climate"), "humidity alone does not keep a thermostat's sensor fresh");
	deepEqual(kinds(events).slice(0, 3), ["reading", "fault:bus", "fault:stale"]);
});

test("an-error-on-an-optional-quantity-is-reported-while-readings-continue", async () => {
	const { events, manager } = setup();
	let onError: OnError | undefined;
	let humidityBroken = false;
	manager.add({
		name: "climate", intervalMs: 1000, quantities: ["temperature", "humidity"], required: ["temperature"],
		open: (report) => ((onError = report), null),
		read: (_driver, into) => {
			into.temperature = 21;
			if (humidityBroken) onError?.("crc");
			else into.humidity = 40;
		},
		close: () => undefined,
	});
	manager.start();
	await sleep(1500);
	humidityBroken = true;
	await sleep(2000);
	humidityBroken = false;
	await sleep(1000);
	manager.stop();
	deepEqual(kinds(events), ["reading", "fault:crc", "reading", "reading", "recovered:crc", "reading"]);
	ok(!manager.stale("climate"));
});
