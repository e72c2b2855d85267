/*
 * Scenario files: a timeline of actions at simulated times after the start of the run.
 *   { "description": "...", "events": [ { "at": "2h", "do": "power-cut", "off": "5s" }, ... ] }
 * The whole file is checked before the run starts (a bad scenario fails loudly at setup);
 * events then fire on the simulation's timers, so a seeded run repeats exactly.
 */
import Timer from "timer";
import Time from "time";
import { type Action, ActionError, type Actions, parseDuration } from "sim/world/actions";

export interface ScheduledAction {
	readonly at: number;
	readonly action: Action;
}

export function parseScenario(text: string, actions: Actions): ScheduledAction[] {
	let document: unknown;
	try {
		document = JSON.parse(text);
	} catch (error) {
		throw new ActionError(`scenario is not JSON: ${(error as Error).message}`);
	}
	const events = (document as { events?: unknown })?.events;
	if (!Array.isArray(events)) throw new ActionError('a scenario is an object with an "events" array');
	const timeline = events.map((event: unknown, index: number) => {
		try {
			const action = actions.validate(event);
			return { at: parseDuration(action.at, '"at"'), action };
		} catch (error) {
			throw new ActionError(`event ${index}: ${(error as Error).message}`);
		}
	});
	return timeline.sort((a, b) => a.at - b.at);
}

/**
 * Plays the timeline with one timer (timers are a scarce resource on the host, as on the
 * device); `perform` reports its own failures, so a bad event never stops the run.
 */
export function schedule(timeline: readonly ScheduledAction[], perform: (action: Action) => void): void {
	let next = 0;
	const start = Time.ticks;
	const play = (): void => {
		const now = Time.ticks - start;
		while (next < timeline.length && timeline[next].at <= now) perform(timeline[next++].action);
		if (next < timeline.length) Timer.set(play, timeline[next].at - now);
	};
	play();
}
