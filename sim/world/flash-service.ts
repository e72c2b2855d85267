/*
 * The world's side of the device's flash: named partitions, each a NorFlash model, behind the
 * FlashTransport interface (sim/devices/nor-flash-link). flashPartitions() is the pure part
 * (tests hand it to flashFor() in one machine); serveFlash() puts it on the link.
 */
import { serve } from "sim/link";
import type { NorFlash } from "sim/devices/nor-flash";
import { FlashOp, FlashStatus, PARTITION_NAME_MAX, type FlashTransport } from "sim/devices/nor-flash-link";

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Serves `partitions` (name -> chip); handles are indices in the record's key order. */
export function flashPartitions(partitions: Readonly<Record<string, NorFlash>>): FlashTransport {
	const chips = Object.values(partitions);
	const names = Object.keys(partitions).map((name) => {
		const bytes = new Uint8Array(ArrayBuffer.fromString(name));
		if (!name || bytes.length > PARTITION_NAME_MAX) throw new RangeError("invalid partition name");
		return bytes;
	});
	const chipOf = (handle: number): NorFlash | undefined => (Number.isInteger(handle) ? chips[handle] : undefined);
	const fits = (chip: NorFlash, offset: number, length: number): boolean =>
		Number.isInteger(offset) && offset >= 0 && offset + length <= chip.size;

	return Object.freeze({
		open(path: Uint8Array): number {
			const index = names.findIndex((name) => sameBytes(name, path));
			return index < 0 ? FlashStatus.notFound : index;
		},
		name(index: number, into: Uint8Array): number {
			const name = Number.isInteger(index) ? names[index] : undefined;
			if (!name) return FlashStatus.notFound;
			if (into.length < name.length) return FlashStatus.outOfRange;
			into.set(name);
			return name.length;
		},
		size: (handle: number): number => chipOf(handle)?.size ?? FlashStatus.badHandle,
		blockLength: (handle: number): number => chipOf(handle)?.sectorSize ?? FlashStatus.badHandle,
		read(handle: number, offset: number, into: Uint8Array): number {
			const chip = chipOf(handle);
			if (!chip) return FlashStatus.badHandle;
			if (!fits(chip, offset, into.length)) return FlashStatus.outOfRange;
			return chip.read(offset, into) ? FlashStatus.ok : FlashStatus.noPower;
		},
		write(handle: number, offset: number, data: Uint8Array): number {
			const chip = chipOf(handle);
			if (!chip) return FlashStatus.badHandle;
			if (!fits(chip, offset, data.length)) return FlashStatus.outOfRange;
			return chip.program(offset, data) ? FlashStatus.ok : FlashStatus.noPower;
		},
		erase(handle: number, block: number): number {
			const chip = chipOf(handle);
			if (!chip) return FlashStatus.badHandle;
			if (!Number.isInteger(block) || block < 0 || block >= chip.sectors) return FlashStatus.outOfRange;
			return chip.erase(block) ? FlashStatus.ok : FlashStatus.noPower;
		},
	});
}

/** Serves the flash ops for `partitions` on the link, from the simulation's machine. */
export function serveFlash(partitions: Readonly<Record<string, NorFlash>>): void {
	const flash = flashPartitions(partitions);
	const missing = FlashStatus.outOfRange; // an op that needs bytes came without them
	serve(FlashOp.open, (_a, _b, path) => (path ? flash.open(path) : FlashStatus.notFound));
	serve(FlashOp.name, (index, _b, into) => (into ? flash.name(index, into) : missing));
	serve(FlashOp.size, (handle) => flash.size(handle));
	serve(FlashOp.blockLength, (handle) => flash.blockLength(handle));
	serve(FlashOp.read, (handle, offset, into) => (into ? flash.read(handle, offset, into) : missing));
	serve(FlashOp.write, (handle, offset, data) => (data ? flash.write(handle, offset, data) : missing));
	serve(FlashOp.erase, (handle, block) => flash.erase(handle, block));
}
