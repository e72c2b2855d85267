/*
 * The relay layout: four channels, whose meaning depends on the system type. Fixed indices
 * keep the control tick free of maps and allocation.
 *
 *   index  conventional (furnace + AC)    heat pump
 *   0      heat   W1, stage-1 heat         compressor  Y1 (heats or cools, per the valve)
 *   1      heat2  W2, stage-2 heat         aux         W1/AUX, auxiliary (strip) heat
 *   2      cool   Y1, AC compressor        ob          O/B reversing valve
 *   3      fan    G, blower                fan         G, blower
 *
 * Terminal letters follow the North American 24 VAC thermostat convention (R, W, Y, G, O/B),
 * as asked for in esphome/feature-requests#1174 (peer-defaults §10, item 4).
 */

export type SystemType = "conventional" | "heat_pump";

export const RELAY_COUNT = 4;

/* conventional */
export const HEAT = 0;
export const HEAT2 = 1;
export const COOL = 2;
/* heat pump */
export const COMPRESSOR = 0;
export const AUX = 1;
export const VALVE = 2;
/* both */
export const FAN = 3;

export const CONVENTIONAL_RELAYS = Object.freeze(["heat", "heat2", "cool", "fan"] as const);
export const HEAT_PUMP_RELAYS = Object.freeze(["compressor", "aux", "ob", "fan"] as const);

export type RelayName = (typeof CONVENTIONAL_RELAYS)[number] | (typeof HEAT_PUMP_RELAYS)[number];

export function relayNames(system: SystemType): readonly RelayName[] {
	return system === "heat_pump" ? HEAT_PUMP_RELAYS : CONVENTIONAL_RELAYS;
}

/** Relays that heat or cool (equipment the temperature fail-safe switches off): all but the fan and the valve. */
export function isConditioning(system: SystemType, index: number): boolean {
	return index === 0 || index === 1 || (index === 2 && system === "conventional");
}

/** Relays driving a compressor (for the wording of reasons: "compressor minimum off"). */
export function isCompressor(system: SystemType, index: number): boolean {
	return system === "heat_pump" ? index === COMPRESSOR : index === COOL;
}
