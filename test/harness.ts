/*
 * Device-side test harness. Runs unchanged on the XS simulator host (and would on a
 * Moddable build): no Node APIs. Each test prints one JSON line; `run()` prints the
 * summary and returns the failure count, which the entry turns into the exit code.
 */

export type TestBody = () => void | Promise<void>;

interface Case { readonly name: string; readonly body: TestBody }

const cases: Case[] = [];

/** Registers a test. Names describe behaviour: "rejects-wrong-chip-id". */
export function test(name: string, body: TestBody): void {
	cases.push({ name, body });
}

export class AssertionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "AssertionError";
	}
}

function show(value: unknown): string {
	if (typeof value === "bigint") return `${value}n`;
	if (ArrayBuffer.isView(value) && !(value instanceof DataView))
		return `${value.constructor.name}[${Array.prototype.join.call(value, ",")}]`;
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

function fail(message: string | undefined, detail: string): never {
	throw new AssertionError(message ? `${message}: ${detail}` : detail);
}

export function ok(value: unknown, message?: string): asserts value {
	if (!value) fail(message, `expected truthy, got ${show(value)}`);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
	if (!Object.is(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
}

export function notEqual<T>(actual: T, unexpected: T, message?: string): void {
	if (Object.is(actual, unexpected)) fail(message, `expected a value other than ${show(unexpected)}`);
}

/** |actual - expected| <= tolerance */
export function close(actual: number, expected: number, tolerance: number, message?: string): void {
	if (!(Math.abs(actual - expected) <= tolerance))
		fail(message, `expected ${expected} ± ${tolerance}, got ${actual}`);
}

function deepEq(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) return true;
	if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
	if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
	if (ArrayBuffer.isView(a)) {
		const x = a as unknown as ArrayLike<unknown>, y = b as unknown as ArrayLike<unknown>;
		if (x.length !== y.length) return false;
		for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
		return true;
	}
	const ka = Object.keys(a), kb = Object.keys(b);
	if (ka.length !== kb.length) return false;
	for (const k of ka)
		if (!deepEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
	return true;
}

export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
	if (!deepEq(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Asserts that `body` throws an instance of `kind` whose message matches `pattern`. */
export function throws(body: () => unknown, kind: ErrorClass, pattern?: RegExp, message?: string): Error {
	try {
		body();
	} catch (error) {
		check(error, kind, pattern, message);
		return error as Error;
	}
	return fail(message, `expected ${kind.name} to be thrown`);
}

export async function rejects(body: () => Promise<unknown>, kind: ErrorClass, pattern?: RegExp, message?: string): Promise<Error> {
	try {
		await body();
	} catch (error) {
		check(error, kind, pattern, message);
		return error as Error;
	}
	return fail(message, `expected ${kind.name} to be rejected`);
}

function check(error: unknown, kind: ErrorClass, pattern: RegExp | undefined, message: string | undefined): void {
	if (!(error instanceof kind)) fail(message, `expected ${kind.name}, got ${show(error instanceof Error ? `${error.name}: ${error.message}` : error)}`);
	if (pattern && !pattern.test((error as Error).message))
		fail(message, `message ${show((error as Error).message)} does not match ${String(pattern)}`);
}

/** Runs every registered test in order; prints one JSON line each and a summary line. */
export async function run(file: string): Promise<number> {
	let passed = 0, failed = 0;
	for (const { name, body } of cases) {
		try {
			await body();
			passed++;
			trace(`${JSON.stringify({ file, test: name, ok: true })}\n`);
		} catch (error) {
			failed++;
			const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : show(error);
			trace(`${JSON.stringify({ file, test: name, ok: false, error: detail })}\n`);
		}
	}
	trace(`${passed} passed, ${failed} failed\n`);
	return failed;
}
