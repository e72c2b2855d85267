/*
 * The device's event log: typed events, one JSON line each, to the platform's sink. The
 * kinds and fields are a stable interface (README, "Event log"): tests, benchmarks and the
 * dashboard read them. Events are rare (state changes, readings at their interval), so a
 * JSON line each is affordable; high-rate streams (IMU, PPG) are never logged per sample.
 */
import { emit } from "event-sink";

export type Values = Readonly<Record<string, number>>;

export type DeviceEvent =
	| { readonly type: "boot"; readonly version: string; readonly profile: string; readonly reset: string; readonly config: Readonly<Record<string, unknown>> }
	| { readonly type: "reading"; readonly sensor: string; readonly values: Values }
	| { readonly type: "relay"; readonly relay: string; readonly on: boolean; readonly reason: string }
	| { readonly type: "fault"; readonly source: string; readonly error: string }
	| { readonly type: "recovered"; readonly source: string; readonly error: string }
	| { readonly type: "sync"; readonly state: string }
	| { readonly type: "config-error"; readonly error: string }
	| { readonly type: "command-rejected"; readonly command: string; readonly error: string; readonly field?: string; readonly detail: string }
	| {
		readonly type: "journal"; readonly records: number; readonly torn: number; readonly corrupt: number;
		readonly sealed: number; readonly formatted: boolean; readonly nextSeq: number;
	};

export type EventListener = (event: DeviceEvent) => void;

export class EventLog {
	readonly #listeners: EventListener[] = [];

	/** Listeners see every event after it is logged (the sync queue, the BLE status...). */
	listen(listener: EventListener): void {
		this.#listeners.push(listener);
	}

	emit(event: DeviceEvent): void {
		emit(JSON.stringify(event));
		for (const listener of this.#listeners) listener(event);
	}
}
