/*
 * The link between the device's IO modules and the simulated hardware: the only path by
 * which simulated chips, pins, flash and radios reach the firmware. Types only; the module
 * a platform loads is sim/modules/host/link (the XS host: device and simulation are two XS
 * machines, so the device's memory budget holds only the device) or sim/modules/lin/link
 * (Moddable's desktop simulator: one machine). manifest.json maps "sim/link" per platform.
 *
 * A request names an op ("i2c.write"), two numbers and optionally bytes. The serving side
 * may fill the bytes (a read); they are copied back before request() returns. Requests
 * are synchronous, like a bus transfer. The simulation tells the device about events
 * (pin edges, power) with notifyDevice(), which is delivered from the event loop later,
 * as an interrupt's callback is on the device. The host itself sends the simulation
 * notifications named device.* (device.boot) and host.* (host.exit), which it may ignore.
 */

import type { LinkHandler } from "sim/devices/link-handler";

export type { LinkHandler };

/** Registers the handler for `op` in this machine. One handler per op: a second replaces the first. */
export declare function serve(op: string, handler: LinkHandler): void;

/** Device side: performs `op` on the simulated hardware. */
export declare function request(op: string, a: number, b: number, bytes?: Uint8Array): number;

/** Simulation side: tells the device about an event, from the event loop, after the current turn. */
export declare function notifyDevice(op: string, a: number, b: number): void;
