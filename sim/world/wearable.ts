/*
 * The wearable's simulated world: an MPU-6050 on the wrist (and, when its model exists, a
 * MAX30102 under the finger) fed by motion and pulse sources. The wearable issue replaces the
 * resting sources with a wearer who sleeps, walks, runs, gestures and falls.
 */
import { Mpu6050Model } from "sim/devices/mpu6050";
import { StillMotion } from "sim/devices/sources";
import type { World, WorldContext } from "sim/world/world";

export function buildWearable({ hardware, prng, clock }: WorldContext): World {
	hardware.attach("mpu6050", new Mpu6050Model({ clock, motion: new StillMotion(), noise: { prng, accel: 0.01, gyro: 0.05 } }));
	return { truth: () => ({ activity: "rest", heartRate: 72 }) };
}
