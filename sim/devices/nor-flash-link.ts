/*
 * What the device's embedded:storage/flash module (sim/devices/flash-storage) asks of the
 * world's flash service (sim/world/flash-service): the FlashTransport interface, and the ops
 * that carry it on the link (sim/link.ts): flashOverLink() on the device side (bound to
 * sim/link in sim/modules/io/flash), serveFlash() on the world's. A handle is a partition's
 * index in the service; partitions need no opening or closing there.
 *
 *   op                 a          b        bytes                     returns
 *   flash.open         -          -        the path (UTF-8)          handle, or notFound
 *   flash.name         index      -        room for NAME_MAX bytes   name length (bytes filled), or notFound
 *   flash.size         handle     -        -                         partition bytes
 *   flash.blockLength  handle     -        -                         erase block bytes
 *   flash.read         handle     offset   filled from the flash     ok
 *   flash.write        handle     offset   programmed into flash     ok
 *   flash.erase        handle     block    -                         ok
 *
 * Every op may instead return a negative FlashStatus.
 */

export const FlashOp = Object.freeze({
	open: "flash.open",
	name: "flash.name",
	size: "flash.size",
	blockLength: "flash.blockLength",
	read: "flash.read",
	write: "flash.write",
	erase: "flash.erase",
} as const);
export type FlashOp = (typeof FlashOp)[keyof typeof FlashOp];

export const FlashStatus = Object.freeze({
	ok: 0,
	/** No partition by that name or index. */
	notFound: -1,
	/** Not a handle the service gave out. */
	badHandle: -2,
	/** Offset, length or block outside the partition, or bytes missing. */
	outOfRange: -3,
	/** The flash has no power (a power cut struck, during this op or before). */
	noPower: -4,
} as const);
export type FlashStatus = (typeof FlashStatus)[keyof typeof FlashStatus];

/** Longest partition name: ESP-IDF partition table labels are 16 bytes (esp_partition_t.label[17]). */
export const PARTITION_NAME_MAX = 16;

/**
 * The flash as the device module sees it: the service's partitions in the same machine, or the
 * link to them. Each method is the op of the same name above and returns what it does.
 */
export interface FlashTransport {
	open(path: Uint8Array): number;
	name(index: number, into: Uint8Array): number;
	size(handle: number): number;
	blockLength(handle: number): number;
	read(handle: number, offset: number, into: Uint8Array): number;
	write(handle: number, offset: number, data: Uint8Array): number;
	erase(handle: number, block: number): number;
}

/** sim/link's request(), injected so that this module stays free of the platform's link. */
export type LinkRequest = (op: string, a: number, b: number, bytes?: Uint8Array) => number;

/** The FlashTransport whose calls are link requests, answered by serveFlash() in the world. */
export function flashOverLink(request: LinkRequest): FlashTransport {
	return Object.freeze({
		open: (path: Uint8Array) => request(FlashOp.open, 0, 0, path),
		name: (index: number, into: Uint8Array) => request(FlashOp.name, index, 0, into),
		size: (handle: number) => request(FlashOp.size, handle, 0),
		blockLength: (handle: number) => request(FlashOp.blockLength, handle, 0),
		read: (handle: number, offset: number, into: Uint8Array) => request(FlashOp.read, handle, offset, into),
		write: (handle: number, offset: number, data: Uint8Array) => request(FlashOp.write, handle, offset, data),
		erase: (handle: number, block: number) => request(FlashOp.erase, handle, block),
	});
}
