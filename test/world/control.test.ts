/*
 * Is the house realistic enough for the thermostat's goals? A plain hysteresis controller (heat on
 * 0.3 °C below the set point, off 0.3 above, 5 min minimum run and off, reading the lagged sensor)
 * holds it within 0.5 °C most of the time at no more than a few cycles an hour, in winter and in
 * summer, and rates measured from the sensor over each run match the house's true rates, as a
 * learning thermostat's would.
 */
import { test, ok } from "test/harness";
import { DEFAULT_HOUSE, House } from "sim/world/house";
import { Weather } from "sim/world/weather";
import { Household } from "sim/world/occupants";
import { windowGain } from "sim/world/solar";

const STEP = 10_000, MIN_RUN = 300_000, HOUR = 3_600_000;

interface Run { began: number; start: number; end: number; startSensor: number; endSensor: number; truth: number[] }

function simulate(start: number, days: number, mode: "heat" | "cool", setPoint: number, seed: number) {
	const weather = new Weather({ seed }, start);
	const household = new Household({ seed: seed + 1 });
	const house = new House({ ...DEFAULT_HOUSE }, setPoint, 45);
	let changed = -Infinity, on = false, within = 0, samples = 0, cycles = 0;
	const runs: Run[] = [];
	let run: Run | undefined;
	for (let t = 0; t < days * 24 * HOUR; t += STEP) {
		const wall = start + t;
		weather.step(wall, STEP);
		const occupancy = household.occupancy(wall);
		const people = household.gains(occupancy);
		house.step(STEP / 1000, {
			outdoor: weather.outdoor, outdoorMoisture: weather.humidityRatio,
			solarGain: windowGain(weather.sun, weather.sky, house.params.apertures),
			peopleGain: people.heat, peopleMoisture: people.moisture,
		});
		const error = mode === "heat" ? setPoint - house.sensor : house.sensor - setPoint;
		if (t - changed >= MIN_RUN) {
			if (!on && error > 0.3) {
				on = true;
				changed = t;
				cycles++;
				run = { began: t, start: t, end: t, startSensor: house.sensor, endSensor: house.sensor, truth: [] };
			} else if (on && error < -0.3) {
				on = false;
				changed = t;
				if (run) runs.push(run);
				run = undefined;
			}
		}
		house.relays[mode] = on;
		if (run) {
			run.truth.push(mode === "heat" ? house.rates().heat : house.rates().cool);
			// the sensor lags by about its time constant: measure from then on
			if (t - run.began < 2 * house.params.sensorLag * 1000) [run.startSensor, run.start] = [house.sensor, t];
			run.end = t;
			run.endSensor = house.sensor;
		}
		if (t >= 12 * HOUR) {
			samples++;
			if (Math.abs(house.air - setPoint) <= 0.5) within++;
		}
	}
	const hours = days * 24;
	const long = runs.filter((r) => r.end - r.start >= 6 * 60_000);
	const measured = long.map((r) => ((r.endSensor - r.startSensor) * HOUR) / (r.end - r.start));
	const truth = long.map((r) => r.truth.reduce((a, b) => a + b, 0) / r.truth.length);
	const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
	const result = { comfort: within / samples, perHour: cycles / hours, measured: mean(measured), truth: mean(truth), runs: long.length };
	trace(`${mode}: ${JSON.stringify(result)}\n`);
	return result;
}

test("winter-a-simple-thermostat-holds-the-set-point-and-sees-the-true-heating-rate", () => {
	const result = simulate(Date.UTC(2026, 0, 12), 3, "heat", 21, 21);
	ok(result.comfort >= 0.95, `within 0.5 °C ${(100 * result.comfort).toFixed(1)} % of the time`);
	ok(result.perHour <= 4 && result.perHour >= 0.5, `${result.perHour.toFixed(2)} cycles per hour`);
	ok(result.runs >= 20, `${result.runs} runs to learn from`);
	ok(Math.abs(result.measured / result.truth - 1) < 0.1, `measured ${result.measured.toFixed(2)} °C/h, true ${result.truth.toFixed(2)} °C/h`);
});

test("summer-a-simple-thermostat-cools-and-sees-the-true-cooling-rate", () => {
	const result = simulate(Date.UTC(2026, 6, 13), 3, "cool", 24, 22);
	ok(result.comfort >= 0.95, `within 0.5 °C ${(100 * result.comfort).toFixed(1)} % of the time`);
	ok(result.perHour <= 4, `${result.perHour.toFixed(2)} cycles per hour`);
	ok(result.runs >= 10, `${result.runs} runs to learn from`);
	ok(Math.abs(result.measured / result.truth - 1) < 0.1, `measured ${result.measured.toFixed(2)} °C/h, true ${result.truth.toFixed(2)} °C/h`);
});
