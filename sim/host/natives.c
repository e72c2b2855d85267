/*
 * Natives of the host-only modules: `time` (Moddable's Time), `instrumentation`, and
 * `xshost` (exit, arguments, seed, memory figures, the event log, the control channel
 * and calls between the device and the simulation machines). Bound by name from the
 * modules' binding files under sim/modules/host/.
 */
#include "host.h"

static int gArgc = 0;
static char** gArgv = NULL;
static uint32_t gSeed = 1;

void hostSetArgs(int argc, char** argv) { gArgc = argc; gArgv = argv; }
void hostSetSeed(uint32_t seed) { gSeed = seed; }

/* time */

void xs_time_set(xsMachine* the) { hostWallSet(xsToNumber(xsArg(0)) * 1000); }
void xs_time_get_timezone(xsMachine* the) { xsResult = xsInteger(hostTimezone()); }
void xs_time_set_timezone(xsMachine* the) { hostSetTimezone(xsToInteger(xsArg(0))); }
void xs_time_get_dst(xsMachine* the) { xsResult = xsInteger(hostDst()); }
void xs_time_set_dst(xsMachine* the) { hostSetDst(xsToInteger(xsArg(0))); }
/* Moddable's Time.ticks is a millisecond count that wraps like a 32-bit counter; a day of
   simulation stays far below that, so the host returns the plain count. */
void xs_time_get_ticks(xsMachine* the)
{
	/* the device counts from its own boot, as the ESP32 does; the simulation from the start */
	int64_t since = hostMachineOf(the) == &gHostMachines[HOST_DEVICE] ? hostDeviceBootUs() : 0;
	xsResult = xsNumber((double)((hostNowUs() - since) / 1000));
}
void xs_time_get_microseconds(xsMachine* the) { xsResult = xsNumber((double)hostNowUs()); }

/* instrumentation: the names Moddable documents; "System Free Memory" is what is left of the budget */

static const char* gInstruments[] = { "XS Chunk Heap Used", "XS Slot Heap Used", "XS Stack Used", "System Free Memory" };
#define INSTRUMENT_COUNT (int)(sizeof(gInstruments) / sizeof(gInstruments[0]))

void xs_instrumentation_map(xsMachine* the)
{
	const char* name = xsToString(xsArg(0));
	for (int i = 0; i < INSTRUMENT_COUNT; i++)
		if (!strcmp(name, gInstruments[i])) {
			xsResult = xsInteger(i + 1);
			return;
		}
}

void xs_instrumentation_name(xsMachine* the)
{
	int index = xsToInteger(xsArg(0));
	if (index >= 1 && index <= INSTRUMENT_COUNT)
		xsResult = xsString(gInstruments[index - 1]);
}

void xs_instrumentation_get(xsMachine* the)
{
	txMachine* machine = (txMachine*)the;
	switch (xsToInteger(xsArg(0))) {
	case 1: xsResult = xsInteger(machine->currentChunksSize); break;
	case 2: xsResult = xsInteger(machine->currentHeapCount * (txInteger)sizeof(txSlot)); break;
	case 3: xsResult = xsInteger((txInteger)((machine->stackTop - machine->stack) * (txInteger)sizeof(txSlot))); break;
	case 4: xsResult = xsInteger((txInteger)(hostPoolBudget(the) - hostPoolUsed(the))); break;
	default: break;
	}
}

/* xshost */

void xs_host_exit(xsMachine* the)
{
	hostRequestExit(xsToInteger(xsArgc) > 0 ? xsToInteger(xsArg(0)) : 0);
}

void xs_host_arg(xsMachine* the)
{
	const char* name = xsToString(xsArg(0));
	size_t length = strlen(name);
	for (int i = 0; i < gArgc; i++)
		if (!strncmp(gArgv[i], name, length) && gArgv[i][length] == '=') {
			xsResult = xsString(gArgv[i] + length + 1);
			return;
		}
}

void xs_host_seed(xsMachine* the) { xsResult = xsNumber(gSeed); }
void xs_host_machine(xsMachine* the) { xsResult = xsString(hostMachineOf(the)->name); }
void xs_host_gc(xsMachine* the) { xsCollectGarbage(); }

static void setInteger(xsMachine* the, const char* name, size_t value)
{
	xsVar(0) = xsInteger((xsIntegerValue)value);
	xsSet(xsResult, xsID((char*)name), xsVar(0));
}

void xs_host_memory(xsMachine* the)
{
	txMachine* machine = (txMachine*)the;
	xsVars(1);
	xsResult = xsNewObject();
	setInteger(the, "slotBytes", sizeof(txSlot));
	setInteger(the, "budget", hostPoolBudget(the));
	setInteger(the, "used", hostPoolUsed(the));
	setInteger(the, "peak", hostPoolPeak(the));
	setInteger(the, "chunksUsed", (size_t)machine->currentChunksSize);
	setInteger(the, "chunksPeak", (size_t)machine->peakChunksSize);
	setInteger(the, "slotsUsed", (size_t)machine->currentHeapCount * sizeof(txSlot));
	setInteger(the, "slotsPeak", (size_t)machine->peakHeapCount * sizeof(txSlot));
}

/* Event lines are JSON objects; the host puts `t` (simulated ms since the run started) first. */
void xs_host_log(xsMachine* the)
{
	/* a device without power says nothing: what it runs between the cut and the end of its turn is lost */
	if (hostMachineOf(the) == &gHostMachines[HOST_DEVICE] && !hostDevicePowered())
		return;
	const char* line = xsToString(xsArg(0));
	if (line[0] != '{') {
		hostLogLine(line);
		return;
	}
	size_t length = strlen(line) + 32;
	char* stamped = malloc(length);
	snprintf(stamped, length, "{\"t\":%lld%s%s", (long long)(hostNowUs() / 1000), line[1] == '}' ? "" : ",", line + 1);
	hostLogLine(stamped);
	free(stamped);
}
void xs_host_control(xsMachine* the) { hostControlWrite(xsToString(xsArg(0))); }

static int isFunctionSlot(xsSlot* slot)
{
	return ((txSlot*)slot)->kind == XS_REFERENCE_KIND;
}

static void setHandler(xsMachine* the, xsSlot* slot)
{
	if (isFunctionSlot(slot))
		xsForget(*slot);
	*slot = xsArg(0);
	xsRemember(*slot);
}

/* Registers this machine's handler for calls from the other machine: fn(op, a, b, bytes) -> number */
void xs_host_on_call(xsMachine* the) { setHandler(the, &hostMachineOf(the)->onCall); }
void xs_host_on_control(xsMachine* the) { setHandler(the, &hostMachineOf(the)->onControl); }

const char* hostDeviceResetReason(void);
int hostDeviceBoots(void);

/* powerOff(offMs, reason): the device loses power now and boots again after offMs (< 0: stays off). */
void xs_host_power_off(xsMachine* the)
{
	double offMs = xsToNumber(xsArg(0));
	const char* reason = xsToInteger(xsArgc) > 1 ? xsToString(xsArg(1)) : "power-cut";
	hostDevicePowerOff(offMs < 0 ? -1 : hostNowUs() + (int64_t)(offMs * 1000), reason);
}

/* bootInfo(): why and how often the device has booted in this run. */
void xs_host_boot_info(xsMachine* the)
{
	xsVars(1);
	xsResult = xsNewObject();
	xsVar(0) = xsString(hostDeviceResetReason());
	xsSet(xsResult, xsID("reason"), xsVar(0));
	xsVar(0) = xsInteger(hostDeviceBoots());
	xsSet(xsResult, xsID("boots"), xsVar(0));
	xsVar(0) = xsBoolean(hostDevicePowered());
	xsSet(xsResult, xsID("powered"), xsVar(0));
}

/*
 * Files: an absolute path (scenarios, test fixtures), or a state file of the simulation (flash
 * images, preferences) relative to --state-dir, which only the simulation machine may use.
 * Firmware never reaches this module: the manifest maps "xshost" for the host alone.
 */
static int statePath(xsMachine* the, char* path, size_t size)
{
	const char* name = xsToString(xsArg(0));
	if (name[0] == '/') {
		snprintf(path, size, "%s", name);
		return 1;
	}
	if (hostMachineOf(the) != &gHostMachines[HOST_SIM])
		xsUnknownError("state files are the simulation's, not the device's");
	if (!hostStateDir() || strchr(name, '/'))
		return 0;
	snprintf(path, size, "%s/%s", hostStateDir(), name);
	return 1;
}

void xs_host_read_file(xsMachine* the)
{
	char path[4096];
	if (!statePath(the, path, sizeof(path)))
		return;
	FILE* file = fopen(path, "rb");
	if (!file)
		return;
	fseek(file, 0, SEEK_END);
	long size = ftell(file);
	fseek(file, 0, SEEK_SET);
	xsResult = xsArrayBuffer(NULL, (xsIntegerValue)size);
	void* data;
	xsUnsignedValue length;
	hostGetBuffer(the, &xsResult, &data, &length, 1);
	size_t got = fread(data, 1, (size_t)size, file);
	fclose(file);
	if (got != (size_t)size)
		xsUnknownError("cannot read %s", path);
}

void xs_host_write_file(xsMachine* the)
{
	char path[4096], temporary[4200];
	if (!statePath(the, path, sizeof(path))) {
		xsResult = xsFalse;
		return;
	}
	void* data;
	xsUnsignedValue length;
	hostGetBuffer(the, &xsArg(1), &data, &length, 0);
	snprintf(temporary, sizeof(temporary), "%s.tmp", path);
	FILE* file = fopen(temporary, "wb");
	int ok = file && fwrite(data, 1, length, file) == length;
	if (file)
		ok = (fclose(file) == 0) && ok;
	ok = ok && rename(temporary, path) == 0;  /* the state survives a host crash mid-write */
	xsResult = xsBoolean(ok);
}

/*
 * call(op, a, b[, bytes]): runs the other machine's handler synchronously. `bytes` (an
 * ArrayBuffer or view) is copied into a fresh ArrayBuffer there, and copied back after the
 * call, so the handler can both read and fill it (an I2C write or read).
 */
void xs_host_call(xsMachine* the)
{
	HostMachine* self = hostMachineOf(the);
	int fromDevice = self == &gHostMachines[HOST_DEVICE];
	HostMachine* other = fromDevice ? &gHostMachines[HOST_SIM] : &gHostMachines[HOST_DEVICE];
	if (fromDevice && !hostDevicePowered())
		xsUnknownError("power lost");
	if (!fromDevice && !hostDevicePowered()) {
		xsResult = xsInteger(-1);  /* nobody listens on a device without power */
		return;
	}
	if (!other->the || !isFunctionSlot(&other->onCall))
		xsUnknownError("no %s machine handler", other == &gHostMachines[HOST_SIM] ? "sim" : "device");
	int argc = xsToInteger(xsArgc);
	char op[64];
	snprintf(op, sizeof(op), "%s", xsToString(xsArg(0)));
	double a = xsToNumber(xsArg(1)), b = xsToNumber(xsArg(2));
	void* data = NULL;
	xsUnsignedValue length = 0;
	if (argc > 3 && xsTypeOf(xsArg(3)) == xsReferenceType)
		hostGetBuffer(the, &xsArg(3), &data, &length, 1);
	double result = 0;
	int failed = 0;
	xsMachine* callee = other->the;
	{
		xsMachine* the = callee;
		xsBeginHost(the);
		{
			xsVars(5);
			xsTry {
				if (data)
					xsVar(0) = xsArrayBuffer(data, length);
				xsVar(2) = xsString(op);
				xsVar(3) = xsNumber(a);
				xsVar(4) = xsNumber(b);
				xsVar(1) = xsCallFunction4(other->onCall, xsGlobal, xsVar(2), xsVar(3), xsVar(4), xsVar(0));
				result = xsToNumber(xsVar(1));
				if (data) {
					void* back;
					xsUnsignedValue backLength;
					hostGetBuffer(the, &xsVar(0), &back, &backLength, 0);
					memcpy(data, back, backLength < length ? backLength : length);
				}
			}
			xsCatch {
				xsSlot exception = xsException;
				hostReportException(the, &exception, "call from the other machine failed");
				failed = 1;
			}
		}
		xsEndHost(the);
	}
	if (failed)
		xsUnknownError("%s failed in the %s machine", op, other->name);
	if (fromDevice && !hostDevicePowered())
		xsUnknownError("power lost");  /* the cut happened during this request */
	xsResult = xsNumber(result);
}

void hostDispatchControl(const char* line)
{
	HostMachine* volatile target = &gHostMachines[HOST_SIM];
	if (!target->the || !isFunctionSlot(&target->onControl))
		target = &gHostMachines[HOST_DEVICE];
	if (!target->the || !isFunctionSlot(&target->onControl)) {
		fprintf(stderr, "xshost: control line ignored: no handler\n");
		return;
	}
	xsMachine* the = target->the;
	xsBeginHost(the);
	{
		xsVars(1);
		xsTry {
			xsVar(0) = xsString(line);
			xsCallFunction1(target->onControl, xsGlobal, xsVar(0));
		}
		xsCatch {
			xsSlot exception = xsException;
			hostReportException(the, &exception, "control handler failed");
			hostRequestExit(HOST_EXIT_ERROR);
		}
	}
	xsEndHost(the);
}

/* Holds off (false) or allows (true) garbage collection: tests count allocations exactly with it off. */
void xs_host_collecting(xsMachine* the)
{
	xsEnableGarbageCollection(xsTest(xsArg(0)));
}

/*
 * deviceMemory(): from the simulation, the device machine's heap after a collection (what it
 * really keeps), and its pool peak, both against the budget (built-ins and preloads excluded).
 */
void xs_host_device_memory(xsMachine* the)
{
	HostMachine* device = &gHostMachines[HOST_DEVICE];
	if (!device->the || !hostDevicePowered())
		return;
	{
		xsMachine* target = device->the;
		xsBeginHost(target);
		xsCollectGarbage();
		xsEndHost(target);
	}
	txMachine* machine = (txMachine*)device->the;
	size_t live = (size_t)machine->currentChunksSize + (size_t)machine->currentHeapCount * sizeof(txSlot);
	xsVars(1);
	xsResult = xsNewObject();
	xsVar(0) = xsInteger((xsIntegerValue)(live > device->builtins ? live - device->builtins : 0));
	xsSet(xsResult, xsID("live"), xsVar(0));
	xsVar(0) = xsInteger((xsIntegerValue)hostPoolPeak(device->the));
	xsSet(xsResult, xsID("peak"), xsVar(0));
	xsVar(0) = xsInteger((xsIntegerValue)hostPoolBudget(device->the));
	xsSet(xsResult, xsID("budget"), xsVar(0));
}
