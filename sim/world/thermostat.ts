/*
 * The thermostat's simulated world: a room with HVAC on the relay pins, an SHT4x (or a
 * BME280, option sensor=bme280) on the I2C bus, a PIR and a button. Relays act on the room
 * through the pin levels the firmware drives, with the board's polarity from mc/config.
 */
import Timer from "timer";
import config from "mc/config";
import { Sht4xModel } from "sim/devices/sht4x";
import { Bme280Model } from "sim/devices/bme280";
import { Room } from "sim/world/room";
import { type Action, booleanField, durationField, numberField } from "sim/world/actions";
import type { World, WorldContext } from "sim/world/world";

const STEP_MS = 10_000;
const MOTION_DEFAULT_MS = 30_000;
const PRESS_DEFAULT_MS = 100;

export function buildThermostat({ hardware, actions, prng, clock, option, report }: WorldContext): World {
	const pins = config.pins as Record<string, number>;
	const activeLow = (config.relay as { activeLow?: boolean } | undefined)?.activeLow === true;
	const room = new Room(Number(option("temperature") ?? 19), Number(option("outdoor") ?? 5));

	if (option("sensor") === "bme280")
		hardware.attach("bme280", new Bme280Model({ clock, ambient: room }));
	else
		hardware.attach("sht4x", new Sht4xModel({
			clock, ambient: room,
			temperatureNoise: { prng, sigma: 0.02 }, humidityNoise: { prng, sigma: 0.1 },
		}));

	const relayOf = new Map<number, "heat" | "heat2" | "cool" | "fan">(
		(["heat", "heat2", "cool", "fan"] as const).map((name) => [pins[name], name]));
	hardware.pins.onOutput((pin, level) => {
		const relay = relayOf.get(pin);
		if (relay) room[relay] = (level === 1) !== activeLow;
	});
	if (activeLow) for (const pin of relayOf.keys()) hardware.pins.drive(pin, 1); // pulled up: relays off

	Timer.repeat(() => room.step(STEP_MS), STEP_MS);

	let motionTimer: ReturnType<typeof Timer.set> | undefined;
	const pulse = (pin: number, ms: number): ReturnType<typeof Timer.set> => {
		hardware.pins.drive(pin, 1);
		return Timer.set(() => hardware.pins.drive(pin, 0), ms);
	};
	actions.register("motion", (action: Action) => {
		Timer.clear(motionTimer);
		motionTimer = pulse(pins.pir, durationField(action, "for", MOTION_DEFAULT_MS));
	});
	actions.register("button", (action: Action) => {
		pulse(pins.button, durationField(action, "hold", PRESS_DEFAULT_MS));
	});
	actions.register("world", (action: Action) => {
		if (action.outdoor !== undefined) room.outdoor = numberField(action, "outdoor");
		if (action.temperature !== undefined) room.temperature = numberField(action, "temperature");
		if (action.humidity !== undefined) room.humidity = numberField(action, "humidity");
		if (action.window !== undefined) room.window = booleanField(action, "window");
		report();
	});

	return {
		truth: () => ({
			temperature: round(room.temperature), humidity: round(room.humidity), outdoor: round(room.outdoor),
			window: room.window, heat: room.heat, heat2: room.heat2, cool: room.cool, fan: room.fan,
		}),
	};
}

function round(value: number): number {
	return Math.round(value * 100) / 100;
}
