/*
 * The simulated board: the I2C bus with its chip models and the GPIO bank, served to the
 * device over the link, plus the actions that break and mend them (faults, unplugging,
 * a stuck bus) and a power cycle. Chips are named ("sht4x") for scenarios and the control channel.
 */
import { SimI2CBus } from "sim/devices/i2c-bus";
import { FAULT_KINDS, type FaultKind, type SimChip } from "sim/devices/faults";
import { serve } from "sim/link";
import { PinBank } from "sim/world/pins";
import { type Actions, ActionError, booleanField, stringField } from "sim/world/actions";

export class Hardware {
	readonly bus = new SimI2CBus();
	readonly pins: PinBank;
	readonly #chips = new Map<string, SimChip>();
	readonly #unplugged = new Set<string>();
	readonly #bootListeners: (() => void)[] = [];

	constructor(pins: readonly number[]) {
		this.pins = new PinBank(pins);
		serve("i2c.write", (address, stop, bytes) => this.bus.write(address, bytes ?? new Uint8Array(0), stop !== 0));
		serve("i2c.read", (address, stop, bytes) => this.bus.read(address, bytes ?? new Uint8Array(0), stop !== 0));
		// the one handler of the host's boot notification (the link keeps one per op): the board
		// resets its pins and tells everything else attached to the device (the radio...)
		serve("device.boot", () => {
			this.pins.reset();
			for (const listener of this.#bootListeners) listener();
			return 0;
		});
	}

	/** Called at every device boot (a reset, a power cut, a reboot), after the pins are reset. */
	onDeviceBoot(listener: () => void): void {
		this.#bootListeners.push(listener);
	}

	attach(name: string, chip: SimChip): void {
		this.#chips.set(name, chip);
		this.bus.attach(chip);
	}

	chip(name: string): SimChip {
		const chip = this.#chips.get(name);
		if (!chip) throw new ActionError(`no chip "${name}" (have: ${[...this.#chips.keys()].join(", ")})`);
		return chip;
	}

	/** Power to the whole board went away and came back: every chip is at its reset state. */
	powerCycle(): void {
		for (const chip of this.#chips.values()) chip.powerOnReset();
		this.pins.reset();
	}

	registerActions(actions: Actions): void {
		actions.register("fault", (action) => {
			const fault = stringField(action, "fault") as FaultKind;
			if (!FAULT_KINDS.includes(fault)) throw new ActionError(`unknown fault "${fault}" (known: ${FAULT_KINDS.join(", ")})`);
			try {
				this.chip(stringField(action, "chip")).fault(fault, booleanField(action, "on", true));
			} catch (error) {
				if (error instanceof RangeError) throw new ActionError(`${action.chip}: ${error.message}`);
				throw error;
			}
		});
		actions.register("unplug", (action) => {
			const name = stringField(action, "chip");
			const chip = this.chip(name);
			if (this.#unplugged.has(name)) return;
			this.bus.detach(chip.address);
			this.#unplugged.add(name);
		});
		actions.register("replug", (action) => {
			const name = stringField(action, "chip");
			const chip = this.chip(name);
			if (!this.#unplugged.delete(name)) return;
			chip.powerOnReset(); // a chip plugged back in starts from its power-on state
			this.bus.attach(chip);
		});
		actions.register("bus", (action) => {
			this.bus.stuck = booleanField(action, "stuck");
		});
	}
}
