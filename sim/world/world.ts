/* What every simulated world (one per device profile) receives and provides. */
import type { SimClock } from "sim/devices/i2c-target";
import type { Prng } from "sim/devices/prng";
import type { Hardware } from "sim/world/hardware";
import type { Actions } from "sim/world/actions";

export interface WorldContext {
	readonly hardware: Hardware;
	readonly actions: Actions;
	readonly prng: Prng;
	readonly clock: SimClock;
	/** A simulation option (CLI --arg, or mc/config `sim` on lin). */
	option(name: string): string | undefined;
	/** Emits a `world` event with the current ground truth now. */
	report(): void;
}

export interface World {
	/** Ground truth for the event log: what the sensors should be reading. */
	truth(): Record<string, number | string | boolean>;
}
