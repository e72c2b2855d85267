/*
 * The simulated house: two thermal masses and the moisture in the air.
 *
 *   Ca dTa/dt = Hao (To - Ta) + Has (Ts - Ta) + fa·S + I + Qhvac
 *   Cs dTs/dt = Has (Ta - Ts) + Hso (To - Ts) + (1 - fa)·S
 *
 * Ta air (with furnishings and the surface layer of the walls), Ts structure (floors, walls, roof
 * mass); Hao = glazing/insulation + infiltration (ACH) + an open window, Has the air-to-structure
 * film, Hso = envelope/insulation; S solar gain, I internal gains (people, appliances), Qhvac the
 * sensible heat of the equipment (sim/world/hvac). Moisture: M dw/dt = ṁ (wo - w) + sources - condensed,
 * with the air exchange ṁ of infiltration and window and M the air mass times a buffer factor for
 * furnishings and finishes. Integrated with Heun's method over the caller's step.
 * The house reports its true rates (°C/h of air temperature with heat, aux, cool, or nothing on)
 * for the current state and inputs, and the time constants of its free-running modes.
 */
import { type Equipment, DEFAULT_EQUIPMENT, coolOutput, heatOutput, latentFraction } from "sim/world/hvac";
import type { Apertures } from "sim/world/solar";
import { AIR_CP, AIR_DENSITY, LATENT_HEAT, dewPoint, humidityRatio, relativeHumidity } from "sim/world/psychro";

export interface HouseParams extends Equipment {
	/** Heat capacities of the air node and the structure node, J/K. */
	airCapacity: number;
	structureCapacity: number;
	/** Conductances, W/K: air-structure, structure-outdoor and air-outdoor conduction (at insulation 1). */
	coupling: number;
	envelope: number;
	glazing: number;
	/** Divides the conduction through envelope and glazing (0.5: half the insulation, twice the loss). */
	insulation: number;
	/** Infiltration, air changes per hour, of this volume (m³). */
	ach: number;
	volume: number;
	/** Ventilation through an open window, W/K. */
	windowConductance: number;
	/** Effective window apertures, m² (sim/world/solar), a multiplier on all sun, and the share reaching the air. */
	apertures: Apertures;
	solar: number;
	solarToAir: number;
	/** Appliances and lights, W, and moisture from cooking, plants, W and g/h. */
	internalGain: number;
	internalMoisture: number;
	/** Moisture storage of furnishings and finishes, as a multiple of the air's own. */
	moistureBuffer: number;
	/** Time constant of the thermostat's sensor behind its housing, s (0: none). */
	sensorLag: number;
}

export const DEFAULT_HOUSE: Readonly<HouseParams> = Object.freeze({
	...DEFAULT_EQUIPMENT,
	airCapacity: 3.6e6,
	structureCapacity: 15e6,
	coupling: 600,
	envelope: 60,
	glazing: 28,
	insulation: 1,
	ach: 0.35,
	volume: 400,
	windowConductance: 400,
	apertures: Object.freeze({ south: 2.5, east: 1.2, west: 1.2, north: 0.8 }),
	solar: 1,
	solarToAir: 0.4,
	internalGain: 250,
	internalMoisture: 50,
	moistureBuffer: 6,
	sensorLag: 120,
});

/** What the world outside the walls does to the house during a step. */
export interface HouseInputs {
	/** Outdoor temperature, °C, and humidity ratio, g/kg. */
	outdoor: number;
	outdoorMoisture: number;
	/** Solar heat through the windows (before the `solar` multiplier), W. */
	solarGain: number;
	/** People's heat, W, and moisture, g/h. */
	peopleGain: number;
	peopleMoisture: number;
}

export interface Relays {
	heat: boolean;
	heat2: boolean;
	cool: boolean;
	fan: boolean;
}

export interface Rates {
	/** °C/h of air temperature now with nothing on, heat (stage 1), heat and heat2, cool. */
	drift: number;
	heat: number;
	heat2: number;
	cool: number;
}

const OFF: Relays = Object.freeze({ heat: false, heat2: false, cool: false, fan: false });
const HEAT: Relays = Object.freeze({ heat: true, heat2: false, cool: false, fan: false });
const HEAT2: Relays = Object.freeze({ heat: true, heat2: true, cool: false, fan: false });
const COOL: Relays = Object.freeze({ heat: false, heat2: false, cool: true, fan: false });

export class House {
	params: HouseParams;
	/** Air and structure temperatures, °C; air humidity ratio, g/kg; the sensor's own temperature. */
	air: number;
	structure: number;
	moisture: number;
	sensor: number;
	window = false;
	readonly relays: Relays = { heat: false, heat2: false, cool: false, fan: false };
	/** Inputs of the last step (for the rates and the truth). */
	inputs: HouseInputs;

	constructor(params: Partial<HouseParams> = {}, air = 19, humidity = 45, structure = air) {
		this.params = { ...DEFAULT_HOUSE, ...params };
		this.air = air;
		this.structure = structure;
		this.sensor = air;
		this.moisture = humidityRatio(air, humidity);
		this.inputs = { outdoor: air, outdoorMoisture: this.moisture, solarGain: 0, peopleGain: 0, peopleMoisture: 0 };
	}

	/** Relative humidity of the air, %, and as the sensor sees it at its own temperature. */
	get humidity(): number {
		return relativeHumidity(this.air, this.moisture);
	}

	get sensorHumidity(): number {
		return relativeHumidity(this.sensor, this.moisture);
	}

	set humidity(rh: number) {
		this.moisture = humidityRatio(this.air, rh);
	}

	/** Air exchange with outdoors, kg/s: infiltration plus an open window. */
	get airExchange(): number {
		const p = this.params;
		return (p.ach * p.volume * AIR_DENSITY) / 3600 + (this.window ? p.windowConductance / AIR_CP : 0);
	}

	/** Air-to-outdoor conductance, W/K (glazing, infiltration, window). */
	get hao(): number {
		return this.params.glazing / this.params.insulation + this.airExchange * AIR_CP;
	}

	/** Structure-to-outdoor conductance, W/K. */
	get hso(): number {
		return this.params.envelope / this.params.insulation;
	}

	/** Steady-state loss coefficient of the whole house, W/K. */
	get ua(): number {
		const has = this.params.coupling, hso = this.hso;
		return this.hao + (has * hso) / (has + hso);
	}

	/** Time constants of the free-running house (no gains), hours: the fast (air) and slow (structure) modes. */
	timeConstants(): { fast: number; slow: number } {
		const p = this.params;
		const a11 = -(this.hao + p.coupling) / p.airCapacity, a12 = p.coupling / p.airCapacity;
		const a21 = p.coupling / p.structureCapacity, a22 = -(p.coupling + this.hso) / p.structureCapacity;
		const trace = a11 + a22, det = a11 * a22 - a12 * a21;
		const root = Math.sqrt(trace * trace - 4 * det);
		return { fast: -2 / (trace - root) / 3600, slow: -2 / (trace + root) / 3600 };
	}

	/** Sensible heat the equipment adds to the air (negative when cooling), W, and water condensed, g/s. */
	hvac(relays: Relays, outdoor: number, moisture: number): { heat: number; water: number } {
		const p = this.params;
		let heat = 0, water = 0;
		if (relays.heat) heat += heatOutput(p, outdoor);
		if (relays.heat2) heat += p.auxCapacity;
		if (relays.cool) {
			const total = coolOutput(p, outdoor);
			const latent = total * latentFraction(dewPoint(moisture));
			heat -= total - latent;
			water = latent / LATENT_HEAT;
		}
		if (relays.fan && !relays.heat && !relays.heat2 && !relays.cool) heat += p.fanGain;
		return { heat, water };
	}

	/** dTa/dt, dTs/dt (K/s) and dw/dt (g/kg/s) for a state, these relays and inputs. */
	#derivative(air: number, structure: number, moisture: number, relays: Relays, inputs: HouseInputs, out: Float64Array): void {
		const p = this.params;
		const solar = inputs.solarGain * p.solar;
		const hvac = this.hvac(relays, inputs.outdoor, moisture);
		const toStructure = p.coupling * (air - structure);
		out[0] = (this.hao * (inputs.outdoor - air) - toStructure + p.solarToAir * solar + p.internalGain + inputs.peopleGain + hvac.heat) / p.airCapacity;
		out[1] = (toStructure + this.hso * (inputs.outdoor - structure) + (1 - p.solarToAir) * solar) / p.structureCapacity;
		const sources = (p.internalMoisture + inputs.peopleMoisture) / 3600;
		out[2] = (this.airExchange * (inputs.outdoorMoisture - moisture) + sources - hvac.water) / (p.volume * AIR_DENSITY * p.moistureBuffer);
	}

	readonly #k1 = new Float64Array(3);
	readonly #k2 = new Float64Array(3);

	/** Advances the house by dtS seconds with these inputs and the current relays and window. */
	step(dtS: number, inputs: HouseInputs): void {
		this.inputs = inputs;
		const k1 = this.#k1, k2 = this.#k2;
		this.#derivative(this.air, this.structure, this.moisture, this.relays, inputs, k1);
		this.#derivative(this.air + dtS * k1[0], this.structure + dtS * k1[1], this.moisture + dtS * k1[2], this.relays, inputs, k2);
		this.air += (dtS / 2) * (k1[0] + k2[0]);
		this.structure += (dtS / 2) * (k1[1] + k2[1]);
		this.moisture = Math.min(humidityRatio(this.air, 100), Math.max(0, this.moisture + (dtS / 2) * (k1[2] + k2[2])));
		const lag = this.params.sensorLag;
		this.sensor = lag > 0 ? this.sensor + (this.air - this.sensor) * (1 - Math.exp(-dtS / lag)) : this.air;
	}

	/** Rate of change of the air temperature now, °C/h, with these relays (the last step's inputs). */
	airRate(relays: Relays): number {
		const out = this.#k1;
		this.#derivative(this.air, this.structure, this.moisture, relays, this.inputs, out);
		return out[0] * 3600;
	}

	/** The house's true rates for the current state and conditions (what a thermostat should learn). */
	rates(): Rates {
		return { drift: this.airRate(OFF), heat: this.airRate(HEAT), heat2: this.airRate(HEAT2), cool: this.airRate(COOL) };
	}
}
