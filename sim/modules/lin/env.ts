/*
 * "sim/env" in Moddable's desktop simulator: one machine, no command line and no state
 * files; options come from the build's config (mcconfig ... sim.profile=wearable), events
 * are traced. A power cut cannot restart the app here, so it is reported and ignored.
 */
import config from "mc/config";
import Time from "time";

const options = (config.sim ?? {}) as Record<string, string | number>;
const start = Time.ticks;

export const option = (name: string): string | undefined => (options[name] === undefined ? undefined : String(options[name]));
export const seed = (): number => Number(options.seed ?? 1);
export const emit = (line: string): void => trace(line.startsWith("{") ? `{"t":${Time.ticks - start},${line.slice(1)}\n` : `${line}\n`);
export const onControl = (_handler: (line: string) => void): void => undefined;
export const readFile = (_path: string): ArrayBuffer | undefined => undefined;
export const writeFile = (_path: string, _bytes: ArrayBuffer | ArrayBufferView): boolean => false;
export const powerOff = (_offMs: number, reason: string): void => trace(`sim: power cut (${reason}) not supported in mcsim\n`);
export const finish = (_code: number): void => undefined;
export const deviceMemory = (): { live: number; peak: number; budget: number } | undefined => undefined;
