/*
 * Outdoor weather for the simulated house, seeded: a seasonal climate (coldest in late January),
 * a daily cycle (coolest near dawn, warmest mid-afternoon, damped by cloud), slow random anomalies
 * with fronts every few days (a step of several degrees arriving over hours, with cloud and a
 * pressure dip), day-to-day sky types (clear, partly cloudy, overcast) with wandering cloud cover,
 * dew point below the air temperature (drier under clear skies), and the sun. Random processes move
 * on a fixed one-minute tick, so a seed gives the same weather whatever step the caller uses.
 * The outdoor temperature and the cloud cover can be pinned (tests, scenarios).
 */
import { Prng } from "sim/devices/prng";
import { humidityRatio, relativeHumidity, STANDARD_PRESSURE } from "sim/world/psychro";
import { type Irradiance, type SunPosition, irradiance, sunPosition } from "sim/world/solar";

const TICK_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const SKY_COVER = [0.1, 0.45, 0.85] as const;

export interface WeatherOptions {
	readonly seed: number;
	readonly latitude?: number;
	readonly longitude?: number;
	/** Annual mean outdoor temperature, °C, and half the annual range. */
	readonly climateMean?: number;
	readonly climateSwing?: number;
	/** Peak-to-peak daily range under a clear sky, °C. */
	readonly dailySwing?: number;
	/** Mean time between fronts, days. */
	readonly frontEvery?: number;
}

export class Weather {
	readonly latitude: number;
	readonly longitude: number;
	readonly climateMean: number;
	readonly climateSwing: number;
	readonly dailySwing: number;
	readonly frontEvery: number;
	/** Pinned values (undefined: the weather decides). */
	pinnedOutdoor: number | undefined;
	pinnedCloud: number | undefined;

	/** Outputs at the last step. */
	outdoor = 0;
	cloud = 0;
	pressure = STANDARD_PRESSURE;
	/** Outdoor humidity ratio, g/kg, and relative humidity, %. */
	humidityRatio = 0;
	humidity = 0;
	sun: SunPosition = { elevation: -1, azimuth: 0 };
	sky: Irradiance = { dni: 0, dhi: 0, ghi: 0 };
	/** Fronts so far (ground truth for tests). */
	fronts = 0;

	readonly #prng: Prng;
	#wallMs: number;
	#pending = 0;
	#day: number;
	#sky: number;
	/** Temperature anomaly, its slow target (fronts), and short-term wander, °C. */
	#anomaly: number;
	#target: number;
	#wander = 0;
	#cover: number;
	#overcastUntil = -Infinity;
	/** Pressure anomaly, Pa. */
	#pressure = 0;

	constructor(options: WeatherOptions, wallMs: number) {
		this.#prng = new Prng(options.seed);
		this.latitude = options.latitude ?? 45;
		this.longitude = options.longitude ?? 0;
		this.climateMean = options.climateMean ?? 10;
		this.climateSwing = options.climateSwing ?? 11;
		this.dailySwing = options.dailySwing ?? 8;
		this.frontEvery = options.frontEvery ?? 4;
		this.#wallMs = wallMs;
		this.#day = this.#solarDay(wallMs);
		this.#sky = this.#prng.int(3);
		this.#cover = SKY_COVER[this.#sky];
		this.#target = this.#prng.gaussian(2);
		this.#anomaly = this.#target;
		this.#update();
	}

	/** Seasonal mean temperature for this time, °C. */
	climate(wallMs: number): number {
		const dayOfYear = (wallMs - Date.UTC(new Date(wallMs).getUTCFullYear(), 0, 1)) / DAY_MS;
		return this.climateMean - this.climateSwing * Math.cos((2 * Math.PI * (dayOfYear - 20)) / 365.2422);
	}

	/** Advances to wallMs (dtMs after the last step). */
	step(wallMs: number, dtMs: number): void {
		this.#pending += dtMs;
		const start = wallMs - dtMs;
		let done = 0;
		while (this.#pending >= TICK_MS) {
			this.#pending -= TICK_MS;
			done += TICK_MS;
			this.#tick(start + done);
		}
		this.#wallMs = wallMs;
		this.#update();
	}

	#solarDay(wallMs: number): number {
		return Math.floor((wallMs + (this.longitude / 15) * HOUR_MS) / DAY_MS);
	}

	#tick(wallMs: number): void {
		const prng = this.#prng;
		const dt = TICK_MS / HOUR_MS; // hours
		const day = this.#solarDay(wallMs);
		if (day !== this.#day) {
			this.#day = day;
			// sky type of the new day: persistent, else one of the others
			if (prng.next() >= 0.55) this.#sky = (this.#sky + 1 + prng.int(2)) % 3;
		}
		if (prng.next() < dt / (24 * this.frontEvery)) {
			// a front: colder when it has been warm, warmer when cold; cloud and a pressure dip come with it
			this.fronts++;
			const sign = prng.next() < 0.5 + this.#target / 12 ? -1 : 1;
			this.#target += sign * (2 + 5 * prng.next());
			this.#overcastUntil = wallMs + (8 + 12 * prng.next()) * HOUR_MS;
			this.#pressure -= 500 + 1000 * prng.next();
		}
		this.#target += (-this.#target * dt) / 72 + prng.gaussian(0.4) * Math.sqrt(dt / 72);
		this.#anomaly += ((this.#target - this.#anomaly) * dt) / 6;
		this.#wander += (-this.#wander * dt) / 3 + prng.gaussian(0.8) * Math.sqrt((2 * dt) / 3);
		const cover = wallMs < this.#overcastUntil ? 0.95 : SKY_COVER[this.#sky];
		this.#cover += ((cover - this.#cover) * dt) / 1.5 + prng.gaussian(0.15) * Math.sqrt((2 * dt) / 1.5);
		this.#cover = Math.min(1.2, Math.max(-0.2, this.#cover));
		this.#pressure += (-this.#pressure * dt) / 36 + prng.gaussian(150) * Math.sqrt((2 * dt) / 36);
	}

	#update(): void {
		const wallMs = this.#wallMs;
		this.cloud = this.pinnedCloud ?? Math.min(1, Math.max(0, this.#cover));
		const mean = this.climate(wallMs) + this.#anomaly + this.#wander;
		const solarHour = ((((wallMs / HOUR_MS + this.longitude / 15) % 24) + 24) % 24);
		const daily = (this.dailySwing / 2) * dailyShape(solarHour) * (1 - 0.6 * this.cloud);
		this.outdoor = this.pinnedOutdoor ?? mean + daily;
		const dew = Math.min(this.outdoor, mean - 1 - 5 * (1 - this.cloud));
		this.pressure = STANDARD_PRESSURE + this.#pressure;
		this.humidityRatio = humidityRatio(dew, 100, this.pressure);
		this.humidity = relativeHumidity(this.outdoor, this.humidityRatio, this.pressure);
		this.sun = sunPosition(wallMs, this.latitude, this.longitude);
		this.sky = irradiance(this.sun, this.cloud);
	}
}

/** -1 at 05:00 solar time, +1 at 15:00, cosine between. */
export function dailyShape(solarHour: number): number {
	if (solarHour >= 5 && solarHour < 15) return -Math.cos((Math.PI * (solarHour - 5)) / 10);
	const since = (solarHour - 15 + 24) % 24;
	return Math.cos((Math.PI * since) / 14);
}
