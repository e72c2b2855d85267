/* The event sink on the XS host: the run's event log and control channel; the host stamps `t`. */
import { log } from "xshost";

export function emit(line: string): void {
	log(line);
}
