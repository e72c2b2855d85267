/*
 * Moist air for the simulated house: saturation vapour pressure (Magnus, Alduchov & Eskridge
 * 1996 coefficients, within 0.4 % from -40 to 50 °C), humidity ratio, relative humidity and dew point.
 * Humidity ratio w is grams of water per kilogram of dry air.
 */

export const STANDARD_PRESSURE = 101_325;
/** Latent heat of vaporisation of water near room temperature, J/g. */
export const LATENT_HEAT = 2_450;
/** Specific heat of air, J/(kg·K), and density, kg/m³. */
export const AIR_CP = 1_005;
export const AIR_DENSITY = 1.2;

/** Saturation vapour pressure over water, Pa. */
export function saturationPressure(celsius: number): number {
	return 610.94 * Math.exp((17.625 * celsius) / (celsius + 243.04));
}

/** Humidity ratio (g/kg) of air at this temperature and relative humidity (%). */
export function humidityRatio(celsius: number, rh: number, pressure = STANDARD_PRESSURE): number {
	const pw = (saturationPressure(celsius) * Math.min(Math.max(rh, 0), 100)) / 100;
	return (622 * pw) / (pressure - pw);
}

/** Relative humidity (%) of air with humidity ratio w (g/kg) at this temperature, at most 100. */
export function relativeHumidity(celsius: number, w: number, pressure = STANDARD_PRESSURE): number {
	const pw = (w * pressure) / (622 + w);
	return Math.min(100, (100 * pw) / saturationPressure(celsius));
}

/** Dew point (°C) of air with humidity ratio w (g/kg). */
export function dewPoint(w: number, pressure = STANDARD_PRESSURE): number {
	const pw = Math.max((w * pressure) / (622 + w), 1e-3);
	const g = Math.log(pw / 610.94);
	return (243.04 * g) / (17.625 - g);
}
