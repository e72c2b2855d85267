/*
 * A first-order room for the simulated thermostat: air temperature relaxes towards the
 * outdoor temperature (faster with a window open) and HVAC adds or removes heat. It is the
 * stand-in the foundation needs for readings that respond to relays; the thermostat issue
 * replaces it with a two-mass house with weather and occupants.
 */
import type { Ambient } from "sim/devices/sources";

/** Time constant of the envelope, hours (a moderately insulated house). */
const TAU_CLOSED_H = 8;
/** With a window open the room follows outdoors within the hour. */
const TAU_WINDOW_H = 0.75;
/** HVAC capacity as a rate of air temperature change, °C per hour. */
const HEAT_RATE_C_PER_H = 3;
const HEAT2_RATE_C_PER_H = 2;
const COOL_RATE_C_PER_H = 2.5;

export class Room implements Ambient {
	temperature: number;
	humidity: number;
	pressure = 101_325;
	outdoor: number;
	window = false;
	heat = false;
	heat2 = false;
	cool = false;
	fan = false;

	constructor(temperature = 19, outdoor = 5, humidity = 45) {
		this.temperature = temperature;
		this.outdoor = outdoor;
		this.humidity = humidity;
	}

	/** Advances the room by dtMs of simulated time (explicit Euler; callers step in seconds). */
	step(dtMs: number): void {
		const hours = dtMs / 3_600_000;
		const tau = this.window ? TAU_WINDOW_H : TAU_CLOSED_H;
		let rate = (this.outdoor - this.temperature) / tau;
		if (this.heat) rate += HEAT_RATE_C_PER_H;
		if (this.heat && this.heat2) rate += HEAT2_RATE_C_PER_H;
		if (this.cool) rate -= COOL_RATE_C_PER_H;
		this.temperature += rate * hours;
	}
}
