// Host-only facilities of the simulator host (never mapped on a device); natives in sim/host/natives.c.
export function exit(code) @ "xs_host_exit";
export function arg(name) @ "xs_host_arg";
export function seed() @ "xs_host_seed";
export function machine() @ "xs_host_machine";
export function gc() @ "xs_host_gc";
export function memory() @ "xs_host_memory";
export function log(line) @ "xs_host_log";
export function control(line) @ "xs_host_control";
export function onCall(handler) @ "xs_host_on_call";
export function onControl(handler) @ "xs_host_on_control";
export function call(op, a, b, bytes) @ "xs_host_call";
export function powerOff(offMs, reason) @ "xs_host_power_off";
export function bootInfo() @ "xs_host_boot_info";
export function readFile(path) @ "xs_host_read_file";
export function writeFile(path, bytes) @ "xs_host_write_file";
export function collecting(enabled) @ "xs_host_collecting";
export function deviceMemory() @ "xs_host_device_memory";
