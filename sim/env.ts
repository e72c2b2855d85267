/*
 * What the simulated world needs from the platform it runs on. Types only; manifest.json maps
 * "sim/env" to sim/modules/host/env (the XS host: the simulation has its own machine, options
 * from the command line, the event log and control channel, state files, device power) or
 * sim/modules/lin/env (Moddable's desktop simulator: options from mc/config, trace output).
 */

/** A simulation option (profile, scenario, seed...), from the CLI or the build's config. */
export declare function option(name: string): string | undefined;
/** The run's seed: the same seed (and no network) gives the same run. */
export declare function seed(): number;
/** Appends one JSON event line to the log (and control channel); the host stamps `t`. */
export declare function emit(line: string): void;
/** Registers the handler for control-channel lines (JSON actions). */
export declare function onControl(handler: (line: string) => void): void;
/** Reads a state file (flash image, preferences) or an absolute path; undefined if absent. */
export declare function readFile(path: string): ArrayBuffer | undefined;
/** Writes a state file; false when the run keeps no state. */
export declare function writeFile(path: string, bytes: ArrayBuffer | ArrayBufferView): boolean;
/** Cuts the device's power now; it boots again after offMs (< 0: stays off). */
export declare function powerOff(offMs: number, reason: string): void;
/** Ends the run with this exit code. */
export declare function finish(code: number): void;
/** The device's live heap after a collection, pool peak and budget (bytes); undefined where unknown. */
export declare function deviceMemory(): { live: number; peak: number; budget: number } | undefined;
