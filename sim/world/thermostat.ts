/*
 * The thermostat's simulated world: a two-mass house (sim/world/house) under seeded weather
 * (sim/world/weather) with the sun (sim/world/solar), a household (sim/world/occupants) whose
 * comings and goings trigger the PIR, HVAC on the relay pins (with the board's polarity from
 * mc/config), and an SHT4x (or a BME280, option sensor=bme280) on the I2C bus that sees the air
 * through its housing (a small lag). Everything moves on one 10 s step of the simulation's timer,
 * at the simulation's wall clock (Date.now(); the run's start is the CLI's --start, local time is
 * UTC + the `timezone` option).
 */
import Timer from "timer";
import config from "mc/config";
import { Sht4xModel } from "sim/devices/sht4x";
import { Bme280Model } from "sim/devices/bme280";
import type { Ambient } from "sim/devices/sources";
import { DEFAULT_HOUSE, House, type HouseInputs } from "sim/world/house";
import { Weather } from "sim/world/weather";
import { windowGain } from "sim/world/solar";
import { Household, type Presence, PRESENCES } from "sim/world/occupants";
import { heatOutput, coolOutput } from "sim/world/hvac";
import { applyHouseAction, houseFromOptions, routineFromOptions, weatherFromOptions } from "sim/world/house-options";
import { type Action, ActionError, booleanField, durationField, numberField } from "sim/world/actions";
import type { World, WorldContext } from "sim/world/world";

const STEP_MS = 10_000;
const MOTION_DEFAULT_MS = 30_000;
const PRESS_DEFAULT_MS = 100;
const DAY_MS = 86_400_000;

export function buildThermostat({ hardware, actions, prng, clock, option, report }: WorldContext): World {
	const pins = config.pins as Record<string, number>;
	const activeLow = (config.relay as { activeLow?: boolean } | undefined)?.activeLow === true;
	const number = (name: string, fallback: number): number => {
		const text = option(name);
		const value = text === undefined ? fallback : Number(text);
		if (!Number.isFinite(value)) throw new RangeError(`world option ${name} wants a number, got "${text}"`);
		return value;
	};

	const seed = prng.int(0x1_0000_0000);
	const zoneMs = number("timezone", 0) * 3_600_000;
	const weather = new Weather(weatherFromOptions(seed ^ 0x5eed_0001, option), Date.now());
	const household = new Household(routineFromOptions(seed ^ 0x5eed_0002, option));
	const temperature = number("temperature", 19);
	const house = new House(houseFromOptions({ ...DEFAULT_HOUSE, apertures: { ...DEFAULT_HOUSE.apertures } }, option),
		temperature, number("humidity", 45), number("structure", temperature));
	if (option("outdoor") !== undefined) weather.pinnedOutdoor = number("outdoor", 0);
	if (option("cloud") !== undefined) weather.pinnedCloud = number("cloud", 0);
	if (option("presence") !== undefined) household.pinned = presence(option("presence"));
	weather.step(Date.now(), 0);

	let occupancy = household.occupancy(Date.now() + zoneMs);
	const inputs = (): HouseInputs => {
		const people = household.gains(occupancy);
		return {
			outdoor: weather.outdoor, outdoorMoisture: weather.humidityRatio,
			solarGain: windowGain(weather.sun, weather.sky, house.params.apertures),
			peopleGain: people.heat, peopleMoisture: people.moisture,
		};
	};
	house.step(0, inputs());

	const ambient: Ambient = {
		get temperature() { return house.sensor; },
		get humidity() { return house.sensorHumidity; },
		get pressure() { return weather.pressure; },
	};
	if (option("sensor") === "bme280")
		hardware.attach("bme280", new Bme280Model({ clock, ambient }));
	else
		hardware.attach("sht4x", new Sht4xModel({
			clock, ambient,
			temperatureNoise: { prng, sigma: 0.02 }, humidityNoise: { prng, sigma: 0.1 },
		}));

	const relayOf = new Map<number, "heat" | "heat2" | "cool" | "fan">(
		(["heat", "heat2", "cool", "fan"] as const).map((name) => [pins[name], name]));
	hardware.pins.onOutput((pin, level) => {
		const relay = relayOf.get(pin);
		if (relay) house.relays[relay] = (level === 1) !== activeLow;
	});
	if (activeLow) for (const pin of relayOf.keys()) hardware.pins.drive(pin, 1); // pulled up: relays off

	// The PIR output: high while anyone's motion lasts (a retriggerable module). One timer for the
	// whole run, rescheduled for each motion (no timer churn: see the host's timer slots).
	let pirUntil = 0;
	const pirOff = Timer.repeat(() => {
		Timer.schedule(pirOff);
		hardware.pins.drive(pins.pir, 0);
	}, DAY_MS);
	Timer.schedule(pirOff);
	const sense = (ms: number, restart = false): void => {
		const now = clock.now();
		pirUntil = restart ? now + ms : Math.max(pirUntil, now + ms);
		hardware.pins.drive(pins.pir, 1);
		Timer.schedule(pirOff, Math.max(0, pirUntil - now), DAY_MS);
	};

	Timer.repeat(() => {
		const wall = Date.now();
		weather.step(wall, STEP_MS);
		occupancy = household.occupancy(wall + zoneMs);
		house.step(STEP_MS / 1000, inputs());
		const motion = household.motion(wall + zoneMs, STEP_MS);
		if (motion) sense(motion);
	}, STEP_MS);

	actions.register("motion", (action: Action) => {
		sense(durationField(action, "for", MOTION_DEFAULT_MS), true);
	});
	actions.register("button", (action: Action) => {
		hardware.pins.drive(pins.button, 1);
		Timer.set(() => hardware.pins.drive(pins.button, 0), durationField(action, "hold", PRESS_DEFAULT_MS));
	});
	actions.register("world", (action: Action) => {
		if (action.outdoor !== undefined) weather.pinnedOutdoor = numberField(action, "outdoor");
		if (action.cloud !== undefined) weather.pinnedCloud = Math.min(1, Math.max(0, numberField(action, "cloud")));
		if (action.weather !== undefined && booleanField(action, "weather")) weather.pinnedOutdoor = weather.pinnedCloud = undefined;
		if (action.temperature !== undefined) house.air = house.structure = house.sensor = numberField(action, "temperature");
		if (action.structure !== undefined) house.structure = numberField(action, "structure");
		if (action.humidity !== undefined) house.humidity = numberField(action, "humidity");
		if (action.window !== undefined) house.window = booleanField(action, "window");
		if (action.presence !== undefined) household.pinned = presence(action.presence);
		weather.step(Date.now(), 0);
		occupancy = household.occupancy(Date.now() + zoneMs);
		house.step(0, inputs());
		report();
	});
	actions.register("house", (action: Action) => {
		applyHouseAction(house, action);
		house.step(0, inputs());
		report();
	});

	return {
		truth: () => {
			const rates = house.rates();
			const tau = house.timeConstants();
			const { relays, params } = house;
			return {
				temperature: round(house.air), structure: round(house.structure), sensor: round(house.sensor),
				humidity: round(house.humidity), outdoor: round(weather.outdoor), outdoorHumidity: round(weather.humidity),
				pressure: Math.round(weather.pressure), cloud: round(weather.cloud),
				sun: Math.round(weather.sky.ghi), solar: Math.round(house.inputs.solarGain * params.solar),
				window: house.window, heat: relays.heat, heat2: relays.heat2, cool: relays.cool, fan: relays.fan,
				presence: occupancy.presence, home: occupancy.home, awake: occupancy.awake,
				rateDrift: round(rates.drift), rateHeat: round(rates.heat), rateHeat2: round(rates.heat2), rateCool: round(rates.cool),
				heatW: Math.round(heatOutput(params, weather.outdoor)), coolW: Math.round(coolOutput(params, weather.outdoor)),
				tauFast: round(tau.fast), tauSlow: round(tau.slow), ua: round(house.ua),
			};
		},
	};
}

/** A presence for the `presence` option and field: home, away, asleep, or auto (the routine decides). */
function presence(value: unknown): Presence | undefined {
	if (value === "auto") return undefined;
	if (!PRESENCES.includes(value as Presence)) throw new ActionError(`"presence" is one of ${PRESENCES.join(", ")}, auto; got ${JSON.stringify(value)}`);
	return value as Presence;
}

function round(value: number): number {
	return Math.round(value * 100) / 100;
}
