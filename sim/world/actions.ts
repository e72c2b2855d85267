/*
 * The one vocabulary for driving a simulated device: scenario timelines and the control
 * channel both carry actions, JSON objects named by "do" ({"do": "fault", "chip": "sht4x",
 * "fault": "nack", "on": true}). Each part of the simulation registers the actions it
 * understands; later features add kinds here rather than new mechanisms.
 */

export interface Action {
	readonly do: string;
	readonly [field: string]: unknown;
}

export type ActionHandler = (action: Action) => void;

export class ActionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "ActionError";
	}
}

export class Actions {
	readonly #handlers = new Map<string, ActionHandler>();

	register(name: string, handler: ActionHandler): void {
		if (this.#handlers.has(name)) throw new RangeError(`action "${name}" registered twice`);
		this.#handlers.set(name, handler);
	}

	names(): string[] {
		return [...this.#handlers.keys()].sort();
	}

	/** Checks the shape only; handlers validate their own fields and throw ActionError. */
	validate(value: unknown): Action {
		if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ActionError("an action is a JSON object");
		const name = (value as { do?: unknown }).do;
		if (typeof name !== "string") throw new ActionError('an action needs "do"');
		if (!this.#handlers.has(name)) throw new ActionError(`unknown action "${name}" (known: ${this.names().join(", ")})`);
		return value as Action;
	}

	perform(value: unknown): void {
		const action = this.validate(value);
		this.#handlers.get(action.do)!(action);
	}
}

/* Field readers for handlers: a wrong type is the sender's error, reported, never a crash. */

export function stringField(action: Action, name: string): string {
	const value = action[name];
	if (typeof value !== "string" || !value) throw new ActionError(`"${action.do}" needs a string "${name}"`);
	return value;
}

export function numberField(action: Action, name: string, fallback?: number): number {
	const value = action[name] ?? fallback;
	if (typeof value !== "number" || !Number.isFinite(value)) throw new ActionError(`"${action.do}" needs a number "${name}"`);
	return value;
}

export function booleanField(action: Action, name: string, fallback?: boolean): boolean {
	const value = action[name] ?? fallback;
	if (typeof value !== "boolean") throw new ActionError(`"${action.do}" needs true or false in "${name}"`);
	return value;
}

const UNITS: Readonly<Record<string, number>> = Object.freeze({ ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 });

/** A duration: milliseconds as a number, or a string such as "90s", "1h30m", "2d", "250ms". */
export function parseDuration(value: unknown, what = "duration"): number {
	if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
	if (typeof value === "string") {
		let total = 0, rest = value.trim();
		const part = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/;
		if (!rest) throw new ActionError(`invalid ${what} ""`);
		while (rest) {
			const match = part.exec(rest);
			if (!match) throw new ActionError(`invalid ${what} "${value}" (use e.g. 90s, 1h30m, 2d)`);
			total += Number(match[1]) * UNITS[match[2]];
			rest = rest.slice(match[0].length);
		}
		return total;
	}
	throw new ActionError(`invalid ${what} ${JSON.stringify(value)}`);
}

export function durationField(action: Action, name: string, fallback?: number): number {
	return parseDuration(action[name] ?? fallback, `"${name}" of "${action.do}"`);
}
