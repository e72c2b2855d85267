/*
 * The house's parameters by name, in friendly units, for `--world key=value` options and the
 * `house` action ({"do": "house", "insulation": 0.5}); weather and household options by name.
 */
import { type Action, ActionError, booleanField } from "sim/world/actions";
import { type HouseParams, type House } from "sim/world/house";
import { type Heating, HEATING_KINDS } from "sim/world/hvac";
import type { WeatherOptions } from "sim/world/weather";
import type { RoutineOptions } from "sim/world/occupants";

type NumericField = { [K in keyof HouseParams]: HouseParams[K] extends number ? K : never }[keyof HouseParams];

interface Parameter {
	readonly field: NumericField | "south" | "east" | "west" | "north";
	/** Multiplies the friendly value into the parameter's SI unit. */
	readonly scale: number;
	readonly min: number;
	readonly max: number;
}

/** Name → parameter: capacities in MJ/K, conductances in W/K, equipment in kW, the sensor lag in s. */
export const HOUSE_PARAMETERS: Readonly<Record<string, Parameter>> = Object.freeze({
	"air-capacity": { field: "airCapacity", scale: 1e6, min: 0.05, max: 100 },
	"structure-capacity": { field: "structureCapacity", scale: 1e6, min: 0.1, max: 1000 },
	"coupling": { field: "coupling", scale: 1, min: 1, max: 1e5 },
	"envelope": { field: "envelope", scale: 1, min: 0, max: 1e4 },
	"glazing": { field: "glazing", scale: 1, min: 0, max: 1e4 },
	"insulation": { field: "insulation", scale: 1, min: 0.05, max: 20 },
	"ach": { field: "ach", scale: 1, min: 0, max: 50 },
	"volume": { field: "volume", scale: 1, min: 10, max: 1e4 },
	"window-conductance": { field: "windowConductance", scale: 1, min: 0, max: 1e4 },
	"solar": { field: "solar", scale: 1, min: 0, max: 10 },
	"solar-to-air": { field: "solarToAir", scale: 1, min: 0, max: 1 },
	"aperture-south": { field: "south", scale: 1, min: 0, max: 100 },
	"aperture-east": { field: "east", scale: 1, min: 0, max: 100 },
	"aperture-west": { field: "west", scale: 1, min: 0, max: 100 },
	"aperture-north": { field: "north", scale: 1, min: 0, max: 100 },
	"internal-gain": { field: "internalGain", scale: 1, min: 0, max: 1e4 },
	"internal-moisture": { field: "internalMoisture", scale: 1, min: 0, max: 1e4 },
	"moisture-buffer": { field: "moistureBuffer", scale: 1, min: 1, max: 100 },
	"heat-capacity": { field: "heatCapacity", scale: 1e3, min: 0, max: 100 },
	"heat-slope": { field: "heatSlope", scale: 1, min: 0, max: 0.1 },
	"aux-capacity": { field: "auxCapacity", scale: 1e3, min: 0, max: 100 },
	"cool-capacity": { field: "coolCapacity", scale: 1e3, min: 0, max: 100 },
	"fan-gain": { field: "fanGain", scale: 1, min: 0, max: 5000 },
	"sensor-lag": { field: "sensorLag", scale: 1, min: 0, max: 3600 },
});

function checked(name: string, value: number): number {
	const parameter = HOUSE_PARAMETERS[name];
	if (!Number.isFinite(value) || value < parameter.min || value > parameter.max)
		throw new ActionError(`house "${name}" wants a number from ${parameter.min} to ${parameter.max}, got ${value}`);
	return value * parameter.scale;
}

function set(params: HouseParams, name: string, value: number): void {
	const field = HOUSE_PARAMETERS[name].field;
	const si = checked(name, value);
	if (field === "south" || field === "east" || field === "west" || field === "north") params.apertures = { ...params.apertures, [field]: si };
	else params[field] = si;
}

function heating(value: unknown): Heating {
	if (!HEATING_KINDS.includes(value as Heating)) throw new ActionError(`"heating" is one of ${HEATING_KINDS.join(", ")}, got ${JSON.stringify(value)}`);
	return value as Heating;
}

/** The house's parameters from world options (defaults for the ones not given). */
export function houseFromOptions(params: HouseParams, option: (name: string) => string | undefined): HouseParams {
	for (const name of Object.keys(HOUSE_PARAMETERS)) {
		const text = option(name);
		if (text !== undefined) set(params, name, Number(text));
	}
	const kind = option("heating");
	if (kind !== undefined) params.heating = heating(kind);
	return params;
}

/** The `house` action: changes parameters and the window mid-run. */
export function applyHouseAction(house: House, action: Action): void {
	const params = { ...house.params, apertures: { ...house.params.apertures } };
	for (const [name, value] of Object.entries(action)) {
		if (name === "do" || name === "at") continue;
		if (name === "window") continue;
		if (name === "heating") params.heating = heating(value);
		else if (name in HOUSE_PARAMETERS) {
			if (typeof value !== "number") throw new ActionError(`"house" needs a number in "${name}"`);
			set(params, name, value);
		} else throw new ActionError(`"house" has no "${name}" (known: window, heating, ${Object.keys(HOUSE_PARAMETERS).join(", ")})`);
	}
	house.params = params;
	if (action.window !== undefined) house.window = booleanField(action, "window");
}

function numberOption(option: (name: string) => string | undefined, name: string, min: number, max: number): number | undefined {
	const text = option(name);
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`world option ${name} wants a number from ${min} to ${max}, got "${text}"`);
	return value;
}

/** "6:30" or "390" (minutes after midnight). */
function timeOption(option: (name: string) => string | undefined, name: string): number | undefined {
	const text = option(name);
	if (text === undefined) return undefined;
	const match = /^(\d{1,2}):(\d{2})$/.exec(text);
	const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number(text);
	if (!Number.isFinite(minutes) || minutes < 0 || minutes >= 1440) throw new RangeError(`world option ${name} wants a time such as 6:30, got "${text}"`);
	return minutes;
}

export function weatherFromOptions(seed: number, option: (name: string) => string | undefined): WeatherOptions {
	return {
		seed,
		latitude: numberOption(option, "latitude", -89, 89),
		longitude: numberOption(option, "longitude", -180, 180) ?? 15 * (numberOption(option, "timezone", -12, 14) ?? 0),
		climateMean: numberOption(option, "climate-mean", -40, 40),
		climateSwing: numberOption(option, "climate-swing", 0, 40),
		dailySwing: numberOption(option, "daily-swing", 0, 30),
		frontEvery: numberOption(option, "front-every", 0.5, 1000),
	};
}

export function routineFromOptions(seed: number, option: (name: string) => string | undefined): RoutineOptions {
	return {
		seed,
		people: numberOption(option, "occupants", 0, 10),
		wake: timeOption(option, "wake"),
		leave: timeOption(option, "leave"),
		back: timeOption(option, "return"),
		sleep: timeOption(option, "sleep"),
		variation: numberOption(option, "variation", 0, 180),
		maxGap: numberOption(option, "max-gap", 5, 1440),
	};
}
