/*
 * The wearable's simulated world: an MPU-6050 on the wrist and a MAX30102 under the skin,
 * fed by motion and pulse sources. The wearable issue replaces the resting sources with a
 * wearer who sleeps, walks, runs, gestures and falls.
 */
import { Mpu6050Model } from "sim/devices/mpu6050";
import { Max30102Model } from "sim/devices/max30102";
import { SinePpg, StillMotion } from "sim/devices/sources";
import type { World, WorldContext } from "sim/world/world";

const RESTING_BPM = 64;

export function buildWearable({ hardware, prng, clock }: WorldContext): World {
	hardware.attach("mpu6050", new Mpu6050Model({ clock, motion: new StillMotion(), noise: { prng, accel: 0.01, gyro: 0.05 } }));
	hardware.attach("max30102", new Max30102Model({ clock, ppg: new SinePpg(RESTING_BPM) }));
	return { truth: () => ({ activity: "rest", heartRate: RESTING_BPM }) };
}
