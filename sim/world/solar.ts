/*
 * The sun for the simulated house: position from the wall clock (low-precision almanac, within
 * ~0.01° of declination and ~30 s of solar time, plenty for heat gains), clear-sky irradiance
 * (Meinel air-mass model, Kasten-Young air mass), the effect of cloud cover (Kasten-Czeplak on
 * global irradiance, beam falling with cover) and the gain through windows on four façades,
 * the south one under an overhang that shades the high summer sun.
 */

const RAD = Math.PI / 180;
const DAY_MS = 86_400_000;
/** 2000-01-01T12:00Z (J2000), ms since the epoch. */
const J2000_MS = 946_728_000_000;

export interface SunPosition {
	/** Elevation above the horizon, radians (negative at night). */
	readonly elevation: number;
	/** Azimuth from south, radians, west positive. */
	readonly azimuth: number;
}

export interface Irradiance {
	/** Direct normal, diffuse horizontal and global horizontal, W/m². */
	readonly dni: number;
	readonly dhi: number;
	readonly ghi: number;
}

/** Effective window apertures (glass area × solar heat gain coefficient), m², per façade. */
export interface Apertures {
	readonly south: number;
	readonly east: number;
	readonly west: number;
	readonly north: number;
}

export const DARK: Irradiance = Object.freeze({ dni: 0, dhi: 0, ghi: 0 });

export function sunPosition(utcMs: number, latitudeDeg: number, longitudeDeg: number): SunPosition {
	const n = (utcMs - J2000_MS) / DAY_MS;
	const g = (357.529 + 0.98560028 * n) * RAD;
	const q = 280.459 + 0.98564736 * n;
	const lambda = (q + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * RAD;
	const epsilon = (23.439 - 0.00000036 * n) * RAD;
	const declination = Math.asin(Math.sin(epsilon) * Math.sin(lambda));
	const rightAscension = Math.atan2(Math.cos(epsilon) * Math.sin(lambda), Math.cos(lambda)) / RAD;
	const equationOfTimeH = wrap180(q - rightAscension) / 15;
	const utcHours = (((utcMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
	const hourAngle = 15 * (utcHours + longitudeDeg / 15 + equationOfTimeH - 12) * RAD;
	const phi = latitudeDeg * RAD;
	const sinEl = Math.sin(phi) * Math.sin(declination) + Math.cos(phi) * Math.cos(declination) * Math.cos(hourAngle);
	const elevation = Math.asin(Math.max(-1, Math.min(1, sinEl)));
	const azimuth = Math.atan2(Math.sin(hourAngle),
		Math.cos(hourAngle) * Math.sin(phi) - Math.tan(declination) * Math.cos(phi));
	return { elevation, azimuth };
}

/** Irradiance under a sky with this cloud cover (0 clear … 1 overcast); none with the sun down. */
export function irradiance(sun: SunPosition, cloud: number): Irradiance {
	if (sun.elevation <= 0) return DARK;
	const degrees = sun.elevation / RAD;
	const sinEl = Math.sin(sun.elevation);
	const airMass = 1 / (sinEl + 0.50572 * (degrees + 6.07995) ** -1.6364);
	const dniClear = 1353 * 0.7 ** (airMass ** 0.678);
	const dhiClear = 0.1 * dniClear;
	const ghiClear = dniClear * sinEl + dhiClear;
	const cover = Math.min(Math.max(cloud, 0), 1);
	const ghi = ghiClear * (1 - 0.75 * cover ** 3.4);
	const dni = dniClear * (1 - cover) ** 1.2;
	return { dni, dhi: Math.max(0, ghi - dni * sinEl), ghi };
}

/** Irradiance on a vertical façade facing `facing` (radians from south, west positive), W/m². */
export function facadeIrradiance(sun: SunPosition, sky: Irradiance, facing: number): number {
	if (sky.ghi <= 0) return 0;
	const cosIncidence = Math.cos(sun.elevation) * Math.cos(sun.azimuth - facing);
	return sky.dni * Math.max(0, cosIncidence) + 0.5 * sky.dhi + 0.5 * 0.2 * sky.ghi;
}

/** Solar heat through the windows, W. The south overhang shades beam sun above 35°, fully above 55°. */
export function windowGain(sun: SunPosition, sky: Irradiance, apertures: Apertures): number {
	if (sky.ghi <= 0) return 0;
	const degrees = sun.elevation / RAD;
	const overhang = Math.min(1, Math.max(0, (55 - degrees) / 20));
	const southBeam = sky.dni * Math.max(0, Math.cos(sun.elevation) * Math.cos(sun.azimuth)) * overhang;
	const diffuse = 0.5 * sky.dhi + 0.5 * 0.2 * sky.ghi;
	return apertures.south * (southBeam + diffuse)
		+ apertures.east * facadeIrradiance(sun, sky, -90 * RAD)
		+ apertures.west * facadeIrradiance(sun, sky, 90 * RAD)
		+ apertures.north * facadeIrradiance(sun, sky, 180 * RAD);
}

function wrap180(degrees: number): number {
	return ((((degrees + 180) % 360) + 360) % 360) - 180;
}
