/*
 * The board's persistent storage: NOR flash partitions (served as "embedded:storage/flash")
 * and the preference store (served as "preference" on the XS host), both kept in the state
 * directory between runs so that running again is a reboot. A power cut can be armed to
 * strike in the middle of the next flash program or erase.
 */
import Timer from "timer";
import { NorFlash } from "sim/devices/nor-flash";
import { serveFlash } from "sim/world/flash-service";
import { servePreferences } from "sim/world/preferences";
import { type Actions, ActionError, durationField, numberField, stringField } from "sim/world/actions";
import * as env from "sim/env";

/** The simulated partition table: the store-and-forward log and the device journal. */
const PARTITIONS: Readonly<Record<string, number>> = Object.freeze({ log: 256 * 1024, journal: 64 * 1024 });

export class Storage {
	readonly #flash: Record<string, NorFlash> = {};
	readonly #dirty = new Set<string>();
	readonly #seed: number;
	#saving: ReturnType<typeof Timer.set> | undefined;
	#offMs = 0;

	/** `onPowerCut`: the whole board loses power (the world resets chips and the device). */
	constructor(seed: number, onPowerCut: (offMs: number) => void) {
		for (const [name, size] of Object.entries(PARTITIONS)) {
			const flash = new NorFlash({ size, onPowerCut: () => onPowerCut(this.#offMs), onChange: () => this.#markDirty(name) });
			const image = env.readFile(imageFile(name));
			if (image && image.byteLength === size) flash.load(new Uint8Array(image));
			this.#flash[name] = flash;
		}
		serveFlash(this.#flash);
		servePreferences();
		this.#seed = seed;
	}

	/** A cut that strikes during the next flash program (or erase) of a partition. */
	registerActions(actions: Actions): void {
		actions.register("flash-power-cut", (action) => {
			const partition = action.partition === undefined ? "log" : stringField(action, "partition");
			const flash = this.#flash[partition];
			if (!flash) throw new ActionError(`no partition "${partition}" (have: ${Object.keys(this.#flash).join(", ")})`);
			const during = action.during === undefined ? "program" : stringField(action, "during");
			if (during !== "program" && during !== "erase") throw new ActionError(`"during" is "program" or "erase"`);
			this.#offMs = durationField(action, "off", 1000);
			const afterBytes = action.afterBytes === undefined ? undefined : numberField(action, "afterBytes");
			flash.armPowerCut({ during, afterBytes, seed: this.#seed });
		});
	}

	/** Power is back: the flash accepts operations again. */
	powerOn(): void {
		for (const flash of Object.values(this.#flash)) if (!flash.powered) flash.powerOn();
	}

	#markDirty(name: string): void {
		this.#dirty.add(name);
		if (!this.#saving) this.#saving = Timer.set(() => this.save());
	}

	save(): void {
		Timer.clear(this.#saving);
		this.#saving = undefined;
		for (const name of this.#dirty) env.writeFile(imageFile(name), this.#flash[name].image());
		this.#dirty.clear();
	}
}

function imageFile(partition: string): string {
	return `flash-${partition}.bin`;
}
