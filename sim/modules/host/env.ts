/* "sim/env" on the XS host: the simulation machine's view of the host. See sim/env.ts. */
import * as host from "xshost";

export const option = (name: string): string | undefined => host.arg(name);
export const seed = (): number => host.seed();
export const emit = (line: string): void => host.log(line);
export const onControl = (handler: (line: string) => void): void => host.onControl(handler);
export const readFile = (path: string): ArrayBuffer | undefined => host.readFile(path);
export const writeFile = (path: string, bytes: ArrayBuffer | ArrayBufferView): boolean => host.writeFile(path, bytes);
export const powerOff = (offMs: number, reason: string): void => host.powerOff(offMs, reason);
export const finish = (code: number): void => host.exit(code);
export const deviceMemory = (): { live: number; peak: number; budget: number } | undefined => host.deviceMemory();
