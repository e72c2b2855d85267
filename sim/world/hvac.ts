/*
 * The house's HVAC equipment, as heat flows into the air: a heat pump whose heating capacity falls
 * with the outdoor temperature (rated at 8.3 °C / 47 °F, about 2.5 % per kelvin, as air-source units
 * do) or a gas furnace (fixed output), an auxiliary / second stage (electric strips or the furnace's
 * high fire), air conditioning whose capacity falls as it gets hotter outdoors and which spends part
 * of it condensing water when the indoor dew point is above the coil, and the blower.
 */

export type Heating = "heatpump" | "furnace";
export const HEATING_KINDS: readonly Heating[] = ["heatpump", "furnace"];

/** Heat pump rating point, °C (AHRI 47 °F). Cooling rating point, °C (95 °F). */
export const HEAT_RATING_C = 8.3;
export const COOL_RATING_C = 35;
/** Coil surface temperature of the air conditioner, °C: no dehumidification with a lower dew point. */
export const COIL_C = 9;

export interface Equipment {
	heating: Heating;
	/** Heat pump output at 8.3 °C, or the furnace's first stage, W. */
	heatCapacity: number;
	/** Heat pump capacity change per kelvin of outdoor temperature (fraction of rated). */
	heatSlope: number;
	/** Second stage (heat2 relay): electric strips, or the furnace's high fire, W. */
	auxCapacity: number;
	/** Air conditioner total (sensible + latent) output at 35 °C, W. */
	coolCapacity: number;
	/** Blower heat into the air when the fan runs, W. */
	fanGain: number;
}

export const DEFAULT_EQUIPMENT: Equipment = Object.freeze({
	heating: "heatpump",
	heatCapacity: 7_000,
	heatSlope: 0.025,
	auxCapacity: 5_000,
	coolCapacity: 5_300,
	fanGain: 300,
});

/** Heat delivered by the first stage at this outdoor temperature, W. */
export function heatOutput(equipment: Equipment, outdoor: number): number {
	if (equipment.heating === "furnace") return equipment.heatCapacity;
	const fraction = 1 + equipment.heatSlope * (outdoor - HEAT_RATING_C);
	return equipment.heatCapacity * Math.min(1.25, Math.max(0.25, fraction));
}

/** Total heat removed by the air conditioner at this outdoor temperature, W. */
export function coolOutput(equipment: Equipment, outdoor: number): number {
	const fraction = 1 + 0.01 * (COOL_RATING_C - outdoor);
	return equipment.coolCapacity * Math.min(1.2, Math.max(0.6, fraction));
}

/** Share of the cooling spent on condensing water for this indoor dew point (0 … 0.35). */
export function latentFraction(indoorDewPoint: number): number {
	return Math.min(0.35, Math.max(0, (0.35 * (indoorDewPoint - COIL_C)) / 6));
}
