/*
 * Typed errors of the model runtime. The binding (ml/tflm) throws RangeError for bad input
 * and Error for engine faults, with the engine's message and `status` (the engine's status
 * name, eng_status_name in ml/native/engine.h); the API turns them into these classes.
 */
import type { TflmStatus } from "ml/tflm";

/** The engine's status names, as eng_status_name() spells them. */
export const EngineStatus = Object.freeze({
	argument: "bad argument",
	model: "malformed model",
	unsupported: "unsupported",
	arena: "arena too small",
	state: "bad state",
	internal: "internal error",
} as const satisfies Record<string, TflmStatus>);

export type EngineStatusName = TflmStatus;

/**
 * Bad input: a malformed, truncated or unsupported model, a bad argument, an arena too small,
 * or a call out of order (including any use after close()). `message` is the engine's.
 */
export class ModelError extends RangeError {
	readonly status: EngineStatusName;
	constructor(message: string, status: EngineStatusName, options?: ErrorOptions) {
		super(message, options);
		this.name = "ModelError";
		this.status = status;
	}
}

/** An engine fault: an invariant of the engine did not hold (status "internal error"). */
export class EngineError extends Error {
	readonly status: EngineStatusName;
	constructor(message: string, status: EngineStatusName, options?: ErrorOptions) {
		super(message, options);
		this.name = "EngineError";
		this.status = status;
	}
}

/** The typed error for an error the binding threw (one with a `status`); others unchanged. */
export function typedError(error: unknown): unknown {
	if (!(error instanceof Error) || error instanceof ModelError || error instanceof EngineError) return error;
	const status = (error as Error & { status?: unknown }).status;
	if (typeof status !== "string") return error;
	return status === EngineStatus.internal
		? new EngineError(error.message, status as EngineStatusName, { cause: error })
		: new ModelError(error.message, status as EngineStatusName, { cause: error });
}
