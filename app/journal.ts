/*
 * The device's journal: its boots, faults, recoveries and relay changes, kept on the "journal"
 * flash partition (a record log, app/storage) so that what happened before a power cut or a
 * crash can still be read after it. Readings are not journaled: they are telemetry, which the
 * store-and-forward queue keeps. When the partition is full the oldest records are dropped.
 * A flash failure never stops the device: the journal reports it and stops writing.
 *
 * Events are written on the next turn of the event loop, not inside the emitter: an event can
 * come from deep in a call chain (a reading, a control step, a relay change), and a flash
 * write on top of that would overflow the device's 512-slot XS stack. Up to PENDING_MAX
 * events wait in RAM for at most that turn; more are dropped (and counted).
 */
import Timer from "timer";
import flash from "embedded:storage/flash";
import { RecordLog, type Recovery } from "app/storage/record-log";
import type { DeviceEvent, EventLog } from "app/eventlog";

export const JOURNAL_PARTITION = "journal";
/** Events that can wait for the next turn; a burst beyond this is dropped and counted. */
const PENDING_MAX = 16;

/** The event kinds worth keeping across a power cut. */
function journaled(event: DeviceEvent): boolean {
	const type = event.type;
	return type === "boot" || type === "fault" || type === "recovered" || type === "relay";
}

export class Journal {
	readonly #log: RecordLog;
	readonly #events: EventLog;
	#dropped = 0;
	#failed = false;
	readonly #pending: string[] = [];
	#flushing: ReturnType<typeof Timer.set> | undefined;

	/** Mounts the journal (recovering from any interrupted write) and starts recording `events`. */
	static open(events: EventLog, partition = JOURNAL_PARTITION): Journal {
		const journal = new Journal(RecordLog.mount(flash.open({ path: partition }), {
			onDrop: (count) => {
				journal.#dropped += count;
			},
		}), events);
		return journal;
	}

	private constructor(log: RecordLog, events: EventLog) {
		this.#log = log;
		this.#events = events;
		events.listen((event) => this.#record(event));
	}

	/** What mount found: records kept, torn (interrupted by a power cut) and corrupt ones skipped. */
	get recovery(): Recovery {
		return this.#log.recovery;
	}

	get dropped(): number {
		return this.#dropped;
	}

	/** Calls `visit` with each journaled record, oldest first (setup-time: allocates). */
	forEach(visit: (record: string, seq: number) => void): void {
		const cursor = this.#log.cursor();
		const into = new Uint8Array(this.#log.maxRecord);
		for (let found = cursor.first(); found; found = cursor.next()) {
			const length = cursor.read(into);
			visit(String.fromArrayBuffer(into.slice(0, length).buffer), cursor.seq);
		}
	}

	#record(event: DeviceEvent): void {
		if (this.#failed || !journaled(event)) return;
		if (this.#pending.length === PENDING_MAX) {
			this.#pending.shift();
			this.#dropped++;
		}
		this.#pending.push(JSON.stringify(event));
		if (!this.#flushing) this.#flushing = Timer.set(() => this.#flush());
	}

	#flush(): void {
		this.#flushing = undefined;
		while (this.#pending.length && !this.#failed) {
			const record = this.#pending.shift()!;
			try {
				this.#log.append(new Uint8Array(ArrayBuffer.fromString(record)));
			} catch (error) {
				this.#failed = true; // a dead partition or lost power: keep the device running
				this.#pending.length = 0;
				this.#events.emit({ type: "fault", source: "journal", error: error instanceof Error ? error.message : String(error) });
			}
		}
	}
}
