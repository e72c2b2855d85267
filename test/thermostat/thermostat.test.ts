// The thermostat on the device: relay drivers on simulated pins, the control tick on Moddable
// timers (virtual time), readings from the sensor manager, events with reasons, fault events
// once per episode, commands (validated, persisted), the set point provider hook, queries,
// and no allocation per control tick.
import { test, equal, deepEqual, ok, throws } from "test/harness";
import Timer from "timer";
import Time from "time";
import { EventLog, type DeviceEvent } from "app/eventlog";
import { SensorManager, type Quantities } from "app/sensor-manager";
import { Thermostat, type ThermostatOptions } from "app/thermostat/thermostat";
import type { SavedSettings, SettingsStore } from "app/thermostat/settings";
import type { ThermostatConfig } from "app/thermostat/config";
import { SimPinBank, digitalIoFor } from "sim/devices/digital-pin";
import { collecting, gc, memory } from "xshost";

const PINS = Object.freeze({ heat: 25, heat2: 14, cool: 26, fan: 27, compressor: 25, aux: 14, ob: 26 });

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => Timer.set(() => resolve(), ms));
}

class MemoryStore implements SettingsStore {
	saved: SavedSettings | undefined;
	saves = 0;
	load(): SavedSettings | undefined {
		return this.saved && JSON.parse(JSON.stringify(this.saved));
	}
	save(settings: SavedSettings): void {
		this.saved = settings;
		this.saves++;
	}
}

function setup(config: ThermostatConfig, extra: Partial<ThermostatOptions> = {}) {
	const bank = new SimPinBank();
	const log = new EventLog();
	const events: DeviceEvent[] = [];
	log.listen((event) => events.push(event));
	const thermostat = new Thermostat({ log, now: () => Time.ticks, config, relays: { io: digitalIoFor(bank) as never, pins: PINS }, ...extra });
	const pin = (name: keyof typeof PINS) => bank.pin(PINS[name]).level;
	const relayEvents = () => events.filter((e) => e.type === "relay") as Extract<DeviceEvent, { type: "relay" }>[];
	return { bank, log, events, thermostat, pin, relayEvents };
}

test("relays-are-off-from-construction-and-logged-at-start-with-the-boot-reason", async () => {
	const { thermostat, pin, relayEvents } = setup({ mode: "heat" });
	deepEqual([pin("heat"), pin("cool"), pin("fan")], [0, 0, 0]);
	equal(relayEvents().length, 0, "nothing logged before start");
	thermostat.start();
	deepEqual(relayEvents().map((e) => `${e.relay}:${e.on}:${e.reason}`), [
		"heat:false:heat off: waiting for the first valid temperature reading since boot",
		"cool:false:cool off: waiting for the first valid temperature reading since boot",
		"fan:false:fan off: waiting for the first valid temperature reading since boot",
	], "heat2 is not wired (one stage)");
	thermostat.stop();
});

test("holds-the-set-point-switching-pins-and-logging-reasons", async () => {
	const { thermostat, pin, relayEvents } = setup({ mode: "heat", heatSetpoint: 21 });
	thermostat.start();
	let T = 19;
	const feed = Timer.repeat(() => thermostat.reading(T, Time.ticks), 30_000);
	thermostat.reading(T, Time.ticks);
	await sleep(299_000);
	equal(pin("heat"), 0, "minimum off after boot");
	await sleep(10_000);
	equal(pin("heat"), 1);
	const on = relayEvents().at(-1)!;
	deepEqual([on.relay, on.on, on.reason], ["heat", true, "heat on: 19.0 °C ≤ 21.0 °C set point - 0.5 °C deadband"]);
	equal(thermostat.action, "heating");
	await sleep(300_000);
	T = 21.6;
	thermostat.reading(T, Time.ticks);
	await sleep(1);
	equal(pin("heat"), 0, "a new reading decides at once");
	equal(relayEvents().at(-1)!.reason, "heat off: 21.6 °C ≥ 21.0 °C set point + 0.5 °C overrun");
	Timer.clear(feed);
	thermostat.stop();
});

test("sensor-manager-readings-drive-it-and-a-stale-sensor-turns-it-off-with-one-fault", async () => {
	const value = { T: 18 as number | undefined };
	const { log, thermostat, pin, events } = setup({ mode: "heat", heatSetpoint: 21 }, {});
	const sensors = new SensorManager(log, () => Time.ticks);
	sensors.add({
		name: "climate", intervalMs: 30_000, quantities: ["temperature"],
		open: () => value, read: (v: typeof value, into: Quantities) => (into.temperature = v.T ?? NaN), close: () => undefined,
	});
	const wired = new Thermostat({ log, now: () => Time.ticks, config: { mode: "heat", heatSetpoint: 21 },
		relays: { io: digitalIoFor(new SimPinBank()) as never, pins: PINS }, sensors });
	thermostat.stop(); // the setup's own instance is not used here
	wired.start();
	sensors.start();
	await sleep(330_000);
	equal(wired.state().relays.heat, true);
	value.T = undefined; // the chip stops answering
	await sleep(120_000);
	equal(wired.state().relays.heat, false, "off once the sensor layer marks the sensor stale (3 intervals)");
	const faults = events.filter((e) => e.type === "fault" && e.source === "thermostat");
	equal(faults.length, 1);
	equal(faults[0].type === "fault" && faults[0].error, "temperature-missing");
	ok(events.some((e) => e.type === "relay" && e.relay === "heat" && !e.on && e.reason === "heat off: no valid temperature reading"));
	value.T = 18;
	await sleep(30_000);
	ok(events.some((e) => e.type === "recovered" && e.source === "thermostat"), "recovered once readings are back");
	await sleep(300_000);
	equal(wired.state().relays.heat, true, "heats again after its minimum off");
	sensors.stop();
	wired.stop();
	equal(pin("heat"), 0);
});

test("commands-are-validated-persisted-and-restored-after-a-reboot", async () => {
	const store = new MemoryStore();
	const a = setup({ mode: "off" }, { store });
	a.thermostat.start();
	a.thermostat.setMode("heat_cool");
	a.thermostat.setPreset("sleep", "schedule");
	a.thermostat.setSetpoints(17, 25);
	a.thermostat.setFanMode("circulate", 10);
	throws(() => a.thermostat.setMode("dry" as never), RangeError, /mode/);
	equal(store.saves, 4);
	ok(a.events.some((e) => e.type === "sync" && e.state === "preset sleep (schedule)"));
	a.thermostat.stop();
	const b = setup({ mode: "off" }, { store });
	const state = b.thermostat.state();
	deepEqual([state.mode, state.preset, state.heatSetpoint, state.coolSetpoint, state.fanMode, state.circulateMinutes],
		["heat_cool", "sleep", 17, 25, "circulate", 10]);
});

test("a-set-point-provider-overrides-the-set-points-each-tick", async () => {
	let target = 23;
	const provider = { setpoints: (_now: number, into: { heat: number; cool: number }) => {
		into.heat = target;
		into.cool = target + 3;
		return target > 0;
	} };
	const { thermostat, pin } = setup({ mode: "heat", heatSetpoint: 18, heating: { minRunMs: 0, minOffMs: 0 }, minIdleMs: 0, changeoverMs: 0 }, { setpoints: provider });
	thermostat.start();
	thermostat.reading(21, Time.ticks);
	await sleep(1);
	equal(pin("heat"), 1, "the schedule asks for 23 °C");
	equal(thermostat.state().heatSetpoint, 23);
	target = 0; // the provider has no opinion (wall time unknown...): the thermostat's own set points
	await sleep(10_000);
	thermostat.reading(21, Time.ticks);
	await sleep(1);
	equal(pin("heat"), 0);
	equal(thermostat.state().heatSetpoint, 18);
	thermostat.stop();
});

test("state-and-why-are-queryable-in-the-configured-unit", async () => {
	const { thermostat } = setup({ unit: "F", mode: "heat", heatSetpoint: 70, coolSetpoint: 78 });
	thermostat.start();
	thermostat.reading(20, Time.ticks);
	await sleep(1);
	const state = thermostat.state();
	deepEqual([state.unit, state.heatSetpoint, state.coolSetpoint, state.temperature, state.action, state.fault],
		["F", 70, 78, 68, "idle", ""]);
	ok(state.why.startsWith("heat held off: minimum off 300 s since boot"), state.why);
	ok(thermostat.why().includes("(otherwise on: 68.0 °F ≤ 69.0 °F set point - 1.0 °F deadband)") ||
		thermostat.why().includes("68.0 °F ≤ 70.0 °F set point - 0.9 °F deadband"), thermostat.why());
	thermostat.stop();
});

test("a-relay-write-error-is-an-equipment-fault-retried-every-tick-until-cleared", async () => {
	const bank = new SimPinBank();
	const Sim = digitalIoFor(bank);
	let failing = false;
	class Flaky extends Sim {
		override write(value: number): void {
			if (failing) throw new Error("bus");
			super.write(value);
		}
	}
	const log = new EventLog();
	const events: DeviceEvent[] = [];
	log.listen((event) => events.push(event));
	const thermostat = new Thermostat({ log, now: () => Time.ticks, relays: { io: Flaky as never, pins: PINS },
		config: { mode: "heat", heating: { minRunMs: 0, minOffMs: 0 }, minIdleMs: 0, changeoverMs: 0 } });
	thermostat.start();
	let T = 15;
	const feed = Timer.repeat(() => thermostat.reading(T, Time.ticks), 30_000);
	thermostat.reading(T, Time.ticks);
	await sleep(1);
	equal(bank.pin(PINS.heat).level, 1);
	failing = true;
	T = 25;
	thermostat.reading(T, Time.ticks); // heat off: the write fails, the pin stays high
	await sleep(1);
	equal(bank.pin(PINS.heat).level, 1);
	await sleep(1);
	equal(thermostat.state().fault, "equipment");
	equal(events.filter((e) => e.type === "fault" && e.source === "relay-heat").length, 1, "one fault event per episode");
	failing = false;
	await sleep(10_000);
	equal(bank.pin(PINS.heat).level, 0, "the next tick's write succeeds: the relay is off");
	T = 15;
	await sleep(60_000);
	equal(bank.pin(PINS.heat).level, 0, "no heating during an equipment fault (above the frost floor)");
	thermostat.clearEquipmentFault();
	await sleep(1);
	equal(bank.pin(PINS.heat).level, 1);
	Timer.clear(feed);
	thermostat.stop();
});

test("the-control-tick-allocates-nothing-in-steady-state", async () => {
	// heat_cool in its band and the circulation done for the hour: nothing switches while measured
	const { thermostat, relayEvents } = setup({ mode: "heat_cool", fanMode: "circulate", circulateMinutes: 10 });
	thermostat.start();
	const feed = Timer.repeat(() => thermostat.reading(22, Time.ticks), 30_000);
	await sleep(1_000_000); // settle: the first decisions, the fan's 10 minutes of this hour
	const growth = async (ms: number): Promise<number> => {
		gc();
		collecting(false);
		const before = memory();
		await sleep(ms);
		const after = memory();
		collecting(true);
		return after.chunksUsed + after.slotsUsed - before.chunksUsed - before.slotsUsed;
	};
	const events = relayEvents().length;
	await growth(100_000); // first use of the measurement's own code paths
	const short = await growth(100_000); // 10 ticks, 3 readings
	const long = await growth(600_000); // 60 ticks, 20 readings
	equal(relayEvents().length, events, "no relay changed while measured");
	Timer.clear(feed);
	thermostat.stop();
	equal(long - short, 0, `50 more ticks allocated ${long - short} bytes (10 ticks: ${short}, 60: ${long})`);
});
