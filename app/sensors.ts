/*
 * The sensors each profile reads, as SensorManager specs: which chips, how often, which
 * quantities and filters. The thermostat's climate sensor is an SHT4x or, failing that, a
 * BME280 (either address); the wearable drains the MAX30102 and MPU-6050 FIFOs and logs a
 * summary (the per-sample streams feed the wearable pipelines, not the log).
 */
import type { Now, I2CConstructor } from "drivers/io";
import type { OnError } from "drivers/errors";
import SHT4x from "drivers/sht4x";
import BME280 from "drivers/bme280";
import MAX30102 from "drivers/max30102";
import MPU6050 from "drivers/mpu6050";
import type { SensorSpec, Quantities } from "app/sensor-manager";
import type { FilterSpec } from "app/filters";

export interface Bus {
	readonly io: I2CConstructor;
	readonly data: number;
	readonly clock: number;
	readonly hz?: number;
}

const BME280_ADDRESSES = [0x76, 0x77] as const;

type Climate = { readonly kind: "sht4x"; readonly driver: SHT4x } | { readonly kind: "bme280"; readonly driver: BME280 };

/** Temperature and humidity (and pressure from a BME280), every `intervalMs`. */
export function climateSensor(bus: Bus, now: Now, intervalMs: number, filters?: Readonly<Record<string, readonly FilterSpec[]>>): SensorSpec<Climate> {
	return {
		name: "climate",
		quantities: ["temperature", "humidity", "pressure"],
		required: ["temperature"],
		intervalMs,
		filters,
		open(onError: OnError): Climate {
			try {
				return { kind: "sht4x", driver: new SHT4x({ sensor: { ...bus }, onError, now }) };
			} catch (sht4xAbsent) {
				for (const address of BME280_ADDRESSES) {
					try {
						return { kind: "bme280", driver: new BME280({ sensor: { ...bus, address }, onError, mode: "forced" }) };
					} catch {
						// try the other address
					}
				}
				throw new Error("no SHT4x or BME280 on the bus", { cause: sht4xAbsent });
			}
		},
		read(climate: Climate, into: Quantities): void {
			if (climate.kind === "sht4x") {
				const { thermometer, hygrometer } = climate.driver.sample();
				into.temperature = thermometer.temperature ?? NaN;
				into.humidity = hygrometer.humidity ?? NaN;
			} else {
				const { thermometer, hygrometer, barometer } = climate.driver.sample();
				into.temperature = thermometer.temperature ?? NaN;
				into.humidity = hygrometer.humidity ?? NaN;
				into.pressure = barometer.pressure ?? NaN;
			}
		},
		close(climate: Climate): void {
			climate.driver.close();
		},
	};
}

/** How often the logged summaries of the wearable's streams are written. */
const SUMMARY_MS = 10_000;
const summary: readonly FilterSpec[] = [{ throttle: SUMMARY_MS }];

/** PPG (red, IR) drained every `intervalMs`; logs the mean levels every 10 s. */
export function ppgSensor(bus: Bus, intervalMs: number): SensorSpec<MAX30102> {
	return {
		name: "ppg",
		quantities: ["red", "ir", "samples"],
		intervalMs,
		filters: { red: summary, ir: summary, samples: summary },
		open: (onError) => new MAX30102({ sensor: { ...bus }, onError, mode: "spo2" }),
		read(driver, into) {
			const { ppg } = driver.sample();
			if (!ppg.count) return;
			let red = 0, ir = 0;
			for (let i = 0; i < ppg.count; i++) {
				red += ppg.red[i];
				ir += ppg.ir[i];
			}
			into.red = red / ppg.count;
			into.ir = ir / ppg.count;
			into.samples = ppg.count;
		},
		close: (driver) => driver.close(),
	};
}

/** Acceleration drained every `intervalMs`; logs the newest sample every 10 s. */
export function motionSensor(bus: Bus, intervalMs: number): SensorSpec<MPU6050> {
	return {
		name: "imu",
		quantities: ["ax", "ay", "az", "samples"],
		intervalMs,
		filters: { ax: summary, ay: summary, az: summary, samples: summary },
		open: (onError) => new MPU6050({ sensor: { ...bus }, onError, sampleRate: 100 }),
		read(driver, into) {
			const { accelerometer, fifo } = driver.sample();
			into.ax = accelerometer.x ?? NaN;
			into.ay = accelerometer.y ?? NaN;
			into.az = accelerometer.z ?? NaN;
			if (fifo.count) into.samples = fifo.count; // an empty FIFO (just after boot) is no sample
		},
		close: (driver) => driver.close(),
	};
}
