/** Serves one op of the device/simulation link (see sim/link.ts); returns a status or value. */
export type LinkHandler = (a: number, b: number, bytes: Uint8Array | undefined) => number;
