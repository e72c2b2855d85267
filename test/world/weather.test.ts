/*
 * Weather and sun: no sun at night, day length and noon by the almanac, clouds and the overhang,
 * a seasonal and daily cycle, fronts, bounded humidity and pressure, pinning, and determinism.
 */
import { test, ok, equal, close, notEqual } from "test/harness";
import { DARK, irradiance, sunPosition, windowGain } from "sim/world/solar";
import { Weather } from "sim/world/weather";

const HOUR = 3_600_000, DAY = 86_400_000, RAD = Math.PI / 180;
const SOUTH = { south: 10, east: 0, west: 0, north: 0 };

function dayLength(dayStart: number, latitude: number): number {
	let up = 0;
	for (let t = 0; t < DAY; t += 60_000) if (sunPosition(dayStart + t, latitude, 0).elevation > 0) up++;
	return up / 60;
}

test("no-sun-at-night", () => {
	for (let day = 0; day < 365; day += 7) {
		const midnight = Date.UTC(2026, 0, 1) + day * DAY;
		for (const latitude of [0, 30, 45, 60]) {
			const sun = sunPosition(midnight, latitude, 0);
			ok(sun.elevation < 0, `sun below the horizon at midnight, day ${day}, ${latitude}°`);
			equal(irradiance(sun, 0), DARK);
			equal(windowGain(sun, irradiance(sun, 0), SOUTH), 0);
		}
	}
	const weather = new Weather({ seed: 3 }, Date.UTC(2026, 6, 1, 23));
	for (let t = 0; t < 4 * HOUR; t += 600_000) {
		weather.step(Date.UTC(2026, 6, 1, 23) + t, 600_000);
		equal(weather.sky.ghi, 0, "dark from 23:00 to 03:00 UTC at longitude 0");
	}
});

test("day-length-and-noon-follow-the-almanac", () => {
	close(dayLength(Date.UTC(2026, 5, 21), 45), 15.43, 0.1, "midsummer at 45°N");
	close(dayLength(Date.UTC(2026, 11, 21), 45), 8.57, 0.1, "midwinter at 45°N");
	close(dayLength(Date.UTC(2026, 2, 20), 45), 12.1, 0.15, "equinox");
	// highest at solar noon (12:00 ± the equation of time) at longitude 0
	let best = 0, when = 0;
	for (let t = 0; t < DAY; t += 60_000) {
		const sun = sunPosition(Date.UTC(2026, 1, 11) + t, 45, 0);
		if (sun.elevation > best) [best, when] = [sun.elevation, t];
	}
	close(when / HOUR, 12 + 14.2 / 60, 0.05, "noon on 11 February is 14 min late");
	close(best / RAD, 90 - 45 - 14.0, 0.3, "noon elevation (declination -14.0°)");
	// east in the morning, west in the afternoon (azimuth from south, west positive)
	ok(sunPosition(Date.UTC(2026, 5, 21, 7), 45, 0).azimuth < -1, "morning sun in the east");
	ok(sunPosition(Date.UTC(2026, 5, 21, 17), 45, 0).azimuth > 1, "evening sun in the west");
	// longitude shifts the clock: noon at 90°W is 18:00 UTC
	ok(sunPosition(Date.UTC(2026, 5, 21, 18), 45, -90).elevation > 60 * RAD);
});

test("clear-sky-irradiance-clouds-and-the-overhang", () => {
	const winter = sunPosition(Date.UTC(2026, 0, 15, 12), 45, 0);
	const summer = sunPosition(Date.UTC(2026, 6, 15, 12), 45, 0);
	const ghiWinter = irradiance(winter, 0).ghi, ghiSummer = irradiance(summer, 0).ghi;
	ok(ghiWinter > 280 && ghiWinter < 450, `clear winter noon ${ghiWinter} W/m²`);
	ok(ghiSummer > 850 && ghiSummer < 1000, `clear summer noon ${ghiSummer} W/m²`);
	const overcast = irradiance(summer, 1);
	ok(overcast.ghi < 0.3 * ghiSummer && overcast.dni === 0, "overcast: a quarter, all diffuse");
	ok(irradiance(summer, 0.5).ghi < ghiSummer && irradiance(summer, 0.5).dni < irradiance(summer, 0).dni);
	// south windows: the low winter sun comes in, the high summer sun is kept out
	const inWinter = windowGain(winter, irradiance(winter, 0), SOUTH);
	const inSummer = windowGain(summer, irradiance(summer, 0), SOUTH);
	ok(inWinter > 2 * inSummer, `south windows at noon: winter ${inWinter} W, summer ${inSummer} W`);
	ok(windowGain(winter, irradiance(winter, 1), SOUTH) < 0.3 * inWinter, "clouds cut the gain");
});

function series(seed: number, start: number, days: number, stepMs = 600_000) {
	const weather = new Weather({ seed }, start);
	const out: { t: number; outdoor: number; cloud: number; humidity: number; pressure: number }[] = [];
	for (let t = stepMs; t <= days * DAY; t += stepMs) {
		weather.step(start + t, stepMs);
		out.push({ t, outdoor: weather.outdoor, cloud: weather.cloud, humidity: weather.humidity, pressure: weather.pressure });
	}
	return { weather, out };
}

test("seasons-daily-cycle-fronts-and-bounds", () => {
	const january = series(7, Date.UTC(2026, 0, 1), 31);
	const july = series(7, Date.UTC(2026, 6, 1), 31);
	const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
	const jan = mean(january.out.map((e) => e.outdoor)), jul = mean(july.out.map((e) => e.outdoor));
	ok(jan > -8 && jan < 5, `January mean ${jan} °C`);
	ok(jul > 15 && jul < 28, `July mean ${jul} °C`);
	const year = series(11, Date.UTC(2026, 0, 1), 365, 3_600_000);
	const at = (hour: number) => mean(year.out.filter((e) => Math.round(e.t / HOUR) % 24 === hour).map((e) => e.outdoor));
	ok(at(15) - at(5) > 3 && at(15) - at(5) < 8, `afternoons warmer than dawns by ${at(15) - at(5)} °C`);
	ok(year.weather.fronts > 60 && year.weather.fronts < 130, `${year.weather.fronts} fronts in a year`);
	const clouds = year.out.map((e) => e.cloud);
	ok(clouds.every((c) => c >= 0 && c <= 1));
	ok(clouds.filter((c) => c < 0.2).length > 0.1 * clouds.length && clouds.filter((c) => c > 0.7).length > 0.1 * clouds.length,
		"clear and overcast spells both occur");
	for (const e of year.out) {
		ok(e.humidity > 10 && e.humidity <= 100, `humidity ${e.humidity}`);
		ok(e.pressure > 97_000 && e.pressure < 105_000, `pressure ${e.pressure}`);
	}
	// day to day, the mean temperature wanders by a few degrees
	const daily = Array.from({ length: 365 }, (_, d) => mean(year.out.slice(d * 24, d * 24 + 24).map((e) => e.outdoor)));
	const swings = daily.slice(1).map((v, d) => Math.abs(v - daily[d]));
	const largest = swings.reduce((a, b) => Math.max(a, b), 0);
	ok(largest > 3, `largest day-to-day change ${largest} °C`);
});

test("same-seed-same-weather-whatever-the-step-and-another-seed-differs", () => {
	const start = Date.UTC(2026, 0, 15, 6);
	const a = series(42, start, 5), b = series(42, start, 5, 60_000);
	for (const e of a.out) {
		const twin = b.out[e.t / 60_000 - 1];
		equal(twin.t, e.t);
		equal(twin.outdoor, e.outdoor, `outdoor at ${e.t}`);
		equal(twin.cloud, e.cloud);
	}
	notEqual(series(43, start, 5).out.map((e) => e.outdoor).join(), a.out.map((e) => e.outdoor).join());
});

test("pinned-outdoor-and-cloud-hold", () => {
	const weather = new Weather({ seed: 1 }, Date.UTC(2026, 0, 15));
	weather.pinnedOutdoor = -10;
	weather.pinnedCloud = 1;
	for (let t = 1; t <= 48; t++) {
		weather.step(Date.UTC(2026, 0, 15) + t * HOUR, HOUR);
		equal(weather.outdoor, -10);
		equal(weather.cloud, 1);
		ok(weather.humidity <= 100);
	}
	weather.pinnedOutdoor = weather.pinnedCloud = undefined;
	weather.step(Date.UTC(2026, 0, 17, 1), 0);
	notEqual(weather.outdoor, -10);
});
