/*
 * The simulated house's physics: energy balance and time constants of the free-running house,
 * heating at its rated rate, heat-pump capacity against outdoor temperature, cooling that
 * dehumidifies, windows, the `house` action, and the sensor's lag.
 */
import { test, ok, equal, close, throws } from "test/harness";
import { DEFAULT_HOUSE, House, type HouseInputs } from "sim/world/house";
import { DEFAULT_EQUIPMENT, coolOutput, heatOutput } from "sim/world/hvac";
import { applyHouseAction, houseFromOptions } from "sim/world/house-options";
import { ActionError } from "sim/world/actions";
import { humidityRatio } from "sim/world/psychro";

const STEP_S = 10;

function still(outdoor: number, extra: Partial<HouseInputs> = {}): HouseInputs {
	return { outdoor, outdoorMoisture: humidityRatio(outdoor, 80), solarGain: 0, peopleGain: 0, peopleMoisture: 0, ...extra };
}

function run(house: House, inputs: HouseInputs, seconds: number): void {
	for (let t = 0; t < seconds; t += STEP_S) house.step(STEP_S, inputs);
}

/** No gains at all: only the envelope. */
function bareHouse(air: number, structure = air): House {
	return new House({ internalGain: 0, internalMoisture: 0, solar: 0, sensorLag: 0 }, air, 45, structure);
}

/** The two-mass solution worked out here from the parameters, independently of the model's code. */
function analytic(house: House, air0: number, structure0: number, outdoor: number) {
	const p = house.params;
	const hao = p.glazing / p.insulation + (p.ach * p.volume * 1.2 * 1005) / 3600, hso = p.envelope / p.insulation, has = p.coupling;
	const a = -(hao + has) / p.airCapacity, b = has / p.airCapacity, c = has / p.structureCapacity, d = -(has + hso) / p.structureCapacity;
	const mean = (a + d) / 2, spread = Math.sqrt(((a - d) / 2) ** 2 + b * c);
	const l1 = mean - spread, l2 = mean + spread; // fast, slow (per second)
	// eigenvectors (b, l - a); x0 = k1 v1 + k2 v2
	const x0 = air0 - outdoor, y0 = structure0 - outdoor;
	const v1y = l1 - a, v2y = l2 - a;
	const k2 = (y0 - (x0 * v1y) / b) / (v2y - v1y);
	const k1 = (x0 - k2 * b) / b;
	return {
		tauFast: -1 / l1 / 3600, tauSlow: -1 / l2 / 3600, hao, hso,
		at: (seconds: number) => ({
			air: outdoor + k1 * b * Math.exp(l1 * seconds) + k2 * b * Math.exp(l2 * seconds),
			structure: outdoor + k1 * v1y * Math.exp(l1 * seconds) + k2 * v2y * Math.exp(l2 * seconds),
		}),
	};
}

test("free-running-house-converges-to-outdoor-with-its-two-time-constants", () => {
	const house = bareHouse(21, 16);
	const want = analytic(house, 21, 16, 0);
	const tau = house.timeConstants();
	close(tau.fast, want.tauFast, 1e-9, "fast time constant");
	close(tau.slow, want.tauSlow, 1e-9, "slow time constant");
	ok(tau.fast > 0.5 && tau.fast < 3, `a typical house: the air settles against the structure in hours (${tau.fast} h)`);
	ok(tau.slow > 20 && tau.slow < 80, `and the whole house in a day or two (${tau.slow} h)`);
	let elapsed = 0;
	for (const hours of [0.25, 1, 3, 12, 48, 300]) {
		run(house, still(0), hours * 3600 - elapsed);
		elapsed = hours * 3600;
		const expected = want.at(elapsed);
		close(house.air, expected.air, 0.005, `air after ${hours} h`);
		close(house.structure, expected.structure, 0.005, `structure after ${hours} h`);
	}
	ok(Math.abs(house.air) < 0.1 && Math.abs(house.structure) < 0.1, "at outdoor temperature in the end");
});

test("after-the-fast-mode-the-decay-is-one-exponential-with-the-slow-time-constant", () => {
	const house = bareHouse(20);
	const tau = house.timeConstants();
	run(house, still(-5), 10 * tau.fast * 3600);
	const first = house.air + 5;
	run(house, still(-5), 24 * 3600);
	const second = house.air + 5;
	close(24 / Math.log(first / second), tau.slow, tau.slow * 0.005, "e-folding time of the air");
});

test("energy-balance-stored-heat-equals-heat-lost-to-outdoors", () => {
	const house = bareHouse(22, 18);
	const p = house.params;
	const stored0 = p.airCapacity * house.air + p.structureCapacity * house.structure;
	let lost = 0;
	for (let t = 0; t < 30 * 3600; t += STEP_S) {
		const before = house.hao * (house.air - 3) + house.hso * (house.structure - 3);
		house.step(STEP_S, still(3));
		const after = house.hao * (house.air - 3) + house.hso * (house.structure - 3);
		lost += ((before + after) / 2) * STEP_S;
	}
	const stored = stored0 - (p.airCapacity * house.air + p.structureCapacity * house.structure);
	close(stored / lost, 1, 1e-4, `${stored} J released, ${lost} J lost`);
	equal(house.rates().drift < 0, true);
});

test("steady-state-loss-coefficient-matches-the-circuit", () => {
	const house = bareHouse(20);
	const gains = 2000;
	run(house, still(0, { peopleGain: gains }), 400 * 3600);
	close(house.air, gains / house.ua, 0.01, "held above outdoor by gains / UA");
	ok(house.ua > 100 && house.ua < 200, `UA ${house.ua} W/K: an insulated single-family house`);
});

test("heating-raises-the-air-at-the-rated-rate", () => {
	// the house held at 20 °C for long (structure at its steady state), 0 °C outdoors, nobody in
	const p = DEFAULT_HOUSE;
	const structure = (p.coupling * 20) / (p.coupling + p.envelope);
	const house = new House({ internalGain: 0, solar: 0, sensorLag: 0 }, 20, 40, structure);
	house.step(0, still(0));
	const capacity = 7000 * (1 - 0.025 * 8.3);
	const hao = p.glazing + (p.ach * p.volume * 1.2 * 1005) / 3600;
	const expected = ((capacity - hao * 20 - p.coupling * (20 - structure)) / p.airCapacity) * 3600;
	const rates = house.rates();
	close(rates.heat, expected, 1e-6, "the true rate from the heat balance");
	ok(rates.heat >= 2 && rates.heat <= 4, `a typical house heats at 2-4 °C/h at 0 °C (${rates.heat})`);
	close(rates.heat2 - rates.heat, (p.auxCapacity / p.airCapacity) * 3600, 1e-6, "aux adds its own share");
	close(rates.drift, ((-hao * 20 - p.coupling * (20 - structure)) / p.airCapacity) * 3600, 1e-6, "drift with nothing on");

	house.relays.heat = true;
	const start = house.air;
	run(house, still(0), 60);
	close((house.air - start) * 60, rates.heat, rates.heat * 0.01, "the air rises at that rate");

	// over a 15-minute run the rate sags as the air warms against the structure; the mean of the
	// true rate over the run is what the run shows
	let sum = 0, n = 0;
	const begin = house.air;
	for (let t = 60; t < 900; t += STEP_S) {
		sum += house.rates().heat;
		n++;
		house.step(STEP_S, still(0));
	}
	const shown = ((house.air - begin) / (840 / 3600));
	close(shown, sum / n, 0.02 * shown, "a run's rise matches the mean true rate");
	ok(shown > 0.85 * rates.heat, `within 15 % of the rate at the start (${shown} vs ${rates.heat})`);
});

test("heat-pump-capacity-falls-with-outdoor-temperature-and-a-furnace-does-not", () => {
	const outdoors = [-20, -10, -5, 0, 5, 8.3, 15];
	const pump = outdoors.map((t) => heatOutput(DEFAULT_EQUIPMENT, t));
	for (let i = 1; i < pump.length; i++) ok(pump[i] > pump[i - 1], `more heat at ${outdoors[i]} than ${outdoors[i - 1]} °C`);
	close(pump[5], 7000, 1e-9, "rated at 8.3 °C");
	close(heatOutput(DEFAULT_EQUIPMENT, -10), 7000 * (1 - 0.025 * 18.3), 1e-9);
	ok(heatOutput(DEFAULT_EQUIPMENT, -40) >= 0.25 * 7000, "never below a quarter of rated");
	const furnace = { ...DEFAULT_EQUIPMENT, heating: "furnace" as const };
	equal(heatOutput(furnace, -20), heatOutput(furnace, 10));
	ok(coolOutput(DEFAULT_EQUIPMENT, 40) < coolOutput(DEFAULT_EQUIPMENT, 30), "cooling capacity falls as it gets hotter");

	// in the house: the heating's share of the rate is smaller on a colder day
	const share = (outdoor: number) => {
		const house = new House({ sensorLag: 0 }, 20, 40);
		house.step(0, still(outdoor));
		const rates = house.rates();
		return rates.heat - rates.drift;
	};
	ok(share(-10) < share(0) && share(0) < share(10), `${share(-10)} < ${share(0)} < ${share(10)} °C/h`);
});

test("cooling-lowers-temperature-and-removes-water", () => {
	const house = new House({ sensorLag: 0 }, 27, 60);
	const inputs = still(30, { outdoorMoisture: humidityRatio(30, 55) });
	house.step(0, inputs);
	const moisture = house.moisture;
	ok(house.rates().cool < -1, `${house.rates().cool} °C/h`);
	house.relays.cool = true;
	run(house, inputs, 3600);
	ok(house.air < 26, `air ${house.air}`);
	ok(house.moisture < moisture - 0.5, `humidity ratio ${moisture} -> ${house.moisture} g/kg`);
	house.relays.cool = false;
	const dry = new House({ sensorLag: 0 }, 25, 30); // dew point far below the coil: no latent load
	dry.step(0, still(30, { outdoorMoisture: dry.moisture }));
	const w = dry.moisture;
	dry.relays.cool = true;
	run(dry, still(30, { outdoorMoisture: w }), 600);
	close(dry.moisture, w, 0.01, "no water condensed from dry air");
});

test("an-open-window-cools-the-air-fast-and-the-house-action-changes-parameters", () => {
	const house = new House({ sensorLag: 0 }, 21, 40);
	house.step(0, still(0));
	const closed = house.rates().drift;
	applyHouseAction(house, { do: "house", window: true });
	equal(house.window, true);
	house.step(0, still(0));
	ok(house.rates().drift < 3 * closed, `window open ${house.rates().drift} °C/h vs closed ${closed}`);
	ok(house.timeConstants().fast < 1, "the air settles within the hour");
	applyHouseAction(house, { do: "house", window: false, insulation: 0.5 });
	const leaky = house.ua;
	applyHouseAction(house, { do: "house", insulation: 1 });
	ok(leaky > house.ua * 1.3, `half the insulation: UA ${leaky} vs ${house.ua}`);
	applyHouseAction(house, { do: "house", heating: "furnace", "heat-capacity": 9 });
	equal(house.params.heating, "furnace");
	equal(house.params.heatCapacity, 9000);
	throws(() => applyHouseAction(house, { do: "house", roof: 3 }), ActionError, /no "roof"/);
	throws(() => applyHouseAction(house, { do: "house", insulation: -1 }), ActionError, /insulation/);
	throws(() => applyHouseAction(house, { do: "house", heating: "coal" }), ActionError, /heating/);
	equal(house.params.heatCapacity, 9000, "a rejected action changes nothing");
});

test("options-set-parameters-in-friendly-units", () => {
	const options: Record<string, string> = { "air-capacity": "5", "heat-capacity": "4.5", heating: "furnace", "aperture-south": "6" };
	const params = houseFromOptions({ ...DEFAULT_HOUSE, apertures: { ...DEFAULT_HOUSE.apertures } }, (name) => options[name]);
	equal(params.airCapacity, 5e6);
	equal(params.heatCapacity, 4500);
	equal(params.heating, "furnace");
	equal(params.apertures.south, 6);
	equal(DEFAULT_HOUSE.apertures.south, 2.5, "defaults untouched");
	throws(() => houseFromOptions({ ...DEFAULT_HOUSE }, (name) => (name === "volume" ? "big" : undefined)), ActionError, /volume/);
});

test("the-sensor-lags-the-air-by-its-time-constant", () => {
	const house = new House({ sensorLag: 120, internalGain: 0, solar: 0 }, 20, 40);
	house.air = house.structure = 22; // a step the sensor has not seen yet
	house.step(0, still(22));
	run(house, still(22), 120);
	close(house.sensor, 22 - 2 * Math.exp(-1), 0.01, "63 % of the step after one time constant");
	run(house, still(22), 600);
	close(house.sensor, 22, 0.02);
	ok(house.sensorHumidity > 0 && house.sensorHumidity <= 100);
});
