/*
 * xshost: runs the firmware's JavaScript on the real XS engine with the device's memory
 * budget, and the simulated world in a second machine that does not count against it.
 * Usage: see usage() below and sim/host/README.md.
 */
#include "host.h"
#include <getopt.h>

void hostSetCreating(HostMachine* machine);
void hostInstallGlobals(xsMachine* the);
void hostSetArgs(int argc, char** argv);
void hostSetSeed(uint32_t seed);

static void usage(void)
{
	fprintf(stderr,
		"usage: xshost --modules MAP --entry MODULE [options]\n"
		"  --sim-entry MODULE     world/hardware simulation, in its own machine\n"
		"  --creation S,C,H,K     device memory: static bytes, initial chunk bytes, initial heap slots, stack slots (0 static: unbounded)\n"
		"  --speed N|max          simulated time: N x real time, or as fast as possible (virtual)\n"
		"  --start ISO|MS         wall clock at boot (default 2026-01-01T00:00:00Z)\n"
		"  --duration-ms N        stop after N simulated milliseconds\n"
		"  --seed N               seed for the simulation's random numbers\n"
		"  --log FILE             JSON-lines event log\n"
		"  --control-fds IN,OUT   JSON-lines control channel on these descriptors\n"
		"  --mem-report           print the device machine's peak memory as JSON on stderr at exit\n"
		"  --state-dir DIR        where the simulation keeps flash and preferences between runs\n"
		"  --arg NAME=VALUE       passed to the app (host.arg(NAME)); repeatable\n");
	exit(HOST_EXIT_USAGE);
}

static double parseStart(const char* text)
{
	int y, mo, d, h = 0, mi = 0, s = 0;
	char* end;
	double ms = strtod(text, &end);
	if (*end == 0)
		return ms;
	int used = 0;
	if (sscanf(text, "%d-%d-%dT%d:%d:%d%n", &y, &mo, &d, &h, &mi, &s, &used) < 3) {
		fprintf(stderr, "xshost: --start wants an ISO time like 2026-01-15T06:00:00Z\n");
		exit(HOST_EXIT_USAGE);
	}
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s };
	double result = (double)timegm(&tm) * 1000;
	const char* zone = used ? text + used : "";
	int zh = 0, zm = 0;
	if (*zone == '.')
		while (*++zone >= '0' && *zone <= '9') {}
	if ((*zone == '+' || *zone == '-') && sscanf(zone + 1, "%d:%d", &zh, &zm) >= 1)
		result -= (*zone == '+' ? 1 : -1) * (zh * 3600.0 + zm * 60.0) * 1000;
	return result;
}

static void entryFulfilled(xsMachine* the)
{
	(void)the;
}

static void entryRejected(xsMachine* the)
{
	HostMachine* machine = hostMachineOf(the);
	hostReportException(the, &xsArg(0), "error");
	machine->exitCode = HOST_EXIT_ERROR;
	hostRequestExit(HOST_EXIT_ERROR);
}

static void startEntry(HostMachine* machine, const char* entry)
{
	xsMachine* the = machine->the;
	xsBeginHost(the);
	{
		xsVars(3);
		xsTry {
			xsVar(0) = xsAwaitImport(entry, XS_IMPORT_ASYNC);
			xsVar(1) = xsNewHostFunction(entryFulfilled, 1);
			xsVar(2) = xsNewHostFunction(entryRejected, 1);
			(void)xsCall2(xsVar(0), xsID("then"), xsVar(1), xsVar(2));
		}
		xsCatch {
			xsSlot exception = xsException;
			hostReportException(the, &exception, "error");
			machine->exitCode = HOST_EXIT_ERROR;
			hostRequestExit(HOST_EXIT_ERROR);
		}
	}
	xsEndHost(the);
}

static void createMachine(HostMachine* machine, const char* name, xsCreation* creation, size_t staticSize)
{
	memset(machine, 0, sizeof(*machine));
	machine->name = name;
	if (staticSize) {
		/* Room for the built-ins first; the pool is trimmed to built-ins + budget below. */
		size_t room = staticSize + HOST_BUILTINS_ROOM;
		machine->pool.size = room;
		machine->pool.base = calloc(1, room);
		machine->pool.chunksEnd = 0;
		machine->pool.slotsStart = room;
		machine->pool.limit = room;
	}
	hostSetCreating(machine);
	machine->the = xsCreateMachine(creation, (char*)name, NULL);
	hostSetCreating(NULL);
	if (!machine->the) {
		fprintf(stderr, "fatal: %s: cannot create the XS machine\n", name);
		exit(HOST_EXIT_FATAL_BASE + XS_NOT_ENOUGH_MEMORY_EXIT);
	}
	hostInstallGlobals(machine->the);
}

/*
 * The manifest's preloaded modules run at build time on the device and live in flash with the
 * XS built-ins; here they are imported before the budget is set, so that only what the app
 * allocates at run time counts against `static`.
 */
static void preloadModules(HostMachine* machine)
{
	const char* specifier;
	for (int i = 0; (specifier = hostModuleMapPreload(i)); i++) {
		startEntry(machine, specifier);
		hostDrainJobs();
		if (hostExitRequested())
			return;
	}
}

static void memoryReport(HostMachine* machine, xsCreation* creation)
{
	txMachine* the = (txMachine*)machine->the;
	fprintf(stderr,
		"{\"memory\":\"%s\",\"slotBytes\":%u,\"static\":%zu,\"builtins\":%zu,\"peak\":%zu,"
		"\"chunksPeak\":%ld,\"slotsPeak\":%ld,\"chunksReserved\":%ld,\"slotsReserved\":%ld,\"stackSlots\":%d}\n",
		machine->name, (unsigned)sizeof(txSlot), machine->pool.limit - machine->builtins, machine->builtins,
		machine->pool.peak > machine->builtins ? machine->pool.peak - machine->builtins : 0,
		(long)the->peakChunksSize, (long)the->peakHeapCount * (long)sizeof(txSlot),
		(long)the->maximumChunksSize, (long)the->maximumHeapCount * (long)sizeof(txSlot),
		(int)creation->stackCount);
}

/*
 * On the ESP32 the XS built-ins (Object, Array, ... some 4,000 slots) are prepared at build
 * time and live in flash; only what the app allocates uses the `static` pool. Here they are
 * built in RAM at machine creation, so their live bytes (measured after a collection) are
 * added to the pool: the app gets the device's budget, no more and no less.
 */
void hostPoolExcludeBuiltins(HostMachine* machine, size_t staticSize)
{
	txMachine* the = (txMachine*)machine->the;
	xsCollectGarbage();
	machine->builtins = (size_t)the->currentChunksSize + (size_t)the->currentHeapCount * sizeof(txSlot);
	machine->pool.limit = staticSize + machine->builtins;
}

static int gMemReport = 0;
static xsCreation* gDeviceCreation = NULL;
static size_t gDeviceStatic = 0;
static const char* gDeviceEntry = NULL;
static const char* gStateDir = NULL;
static struct { int powered; int64_t bootUs; int64_t pendingBootUs; int boots; char reason[64]; } gPower = { 0, 0, -1, 0, "power-on" };

const char* hostStateDir(void) { return gStateDir; }
void hostSetStateDir(const char* dir) { gStateDir = dir; }
int hostDevicePowered(void) { return gPower.powered; }
int64_t hostDeviceBootUs(void) { return gPower.bootUs; }
int64_t hostPendingBootUs(void) { return gPower.pendingBootUs; }
const char* hostDeviceResetReason(void) { return gPower.reason; }
int hostDeviceBoots(void) { return gPower.boots; }

/*
 * Power off: the device stops at once. Its timers and sockets are gone, its promise jobs no
 * longer run, and the link refuses its requests, so nothing it does after the cut reaches the
 * simulated hardware. The machine itself is deleted at the next boot, outside any call into it.
 */
void hostDevicePowerOff(int64_t bootAtUs, const char* reason)
{
	HostMachine* device = &gHostMachines[HOST_DEVICE];
	if (gPower.powered && device->the) {
		hostTimersDrop(device->the);
		hostWatchDropMachine(HOST_DEVICE);
	}
	gPower.powered = 0;
	gPower.pendingBootUs = bootAtUs;
	snprintf(gPower.reason, sizeof(gPower.reason), "%s", reason);
}

/* Tells the simulation (if it serves the op) about the device: its pins are unopened again at boot. */
static void hostNotifySim(const char* op, int value)
{
	HostMachine* sim = &gHostMachines[HOST_SIM];
	if (!sim->the || ((txSlot*)&sim->onCall)->kind != XS_REFERENCE_KIND)
		return;
	xsMachine* the = sim->the;
	xsBeginHost(the);
	{
		xsVars(3);
		xsTry {
			xsVar(0) = xsString(op);
			xsVar(1) = xsInteger(value);
			xsVar(2) = xsInteger(0);
			(void)xsCallFunction3(sim->onCall, xsGlobal, xsVar(0), xsVar(1), xsVar(2));
		}
		xsCatch {
			xsSlot exception = xsException;
			hostReportException(the, &exception, op);
			hostRequestExit(HOST_EXIT_ERROR);
		}
	}
	xsEndHost(the);
}

/* (Re)creates the device machine with a fresh budget and runs its entry: a boot. */
void hostDeviceBoot(void)
{
	HostMachine* device = &gHostMachines[HOST_DEVICE];
	if (device->the) {
		hostTimersDrop(device->the);
		xsDeleteMachine(device->the);
		free(device->pool.base);
		device->the = NULL;
	}
	gPower.pendingBootUs = -1;
	gPower.powered = 1;
	gPower.bootUs = hostNowUs();
	gPower.boots++;
	createMachine(device, "device", gDeviceCreation, gDeviceStatic);
	hostNotifySim("device.boot", gPower.boots);
	preloadModules(device);
	if (gDeviceStatic)
		hostPoolExcludeBuiltins(device, gDeviceStatic);
	startEntry(device, gDeviceEntry);
}

/* Also called when the engine aborts (memory full, stack overflow): the peak matters most then. */
void hostReportBeforeExit(void)
{
	if (gMemReport && gHostMachines[HOST_DEVICE].the && gDeviceCreation)
		memoryReport(&gHostMachines[HOST_DEVICE], gDeviceCreation);
	gMemReport = 0;
}

int main(int argc, char** argv)
{
	const char* modules = NULL;
	const char* entry = NULL;
	const char* simEntry = NULL;
	const char* logPath = NULL;
	double speed = 1, start = parseStart("2026-01-01T00:00:00Z");
	int max = 0, controlIn = -1, controlOut = -1;
	int64_t durationUs = -1;
	size_t staticSize = 131072;
	xsCreation device = {
		.initialChunkSize = 32768, .incrementalChunkSize = 4096,
		.initialHeapCount = 2048, .incrementalHeapCount = 256,
		.stackCount = 512, .initialKeyCount = 512, .incrementalKeyCount = 64,
		.nameModulo = 127, .symbolModulo = 127,
		.parserBufferSize = 32768, .parserTableModulo = 1993, .staticSize = 0,
	};
	xsCreation sim = {
		.initialChunkSize = 4 << 20, .incrementalChunkSize = 1 << 20,
		.initialHeapCount = 1 << 16, .incrementalHeapCount = 1 << 15,
		.stackCount = 1 << 14, .initialKeyCount = 4096, .incrementalKeyCount = 1024,
		.nameModulo = 1993, .symbolModulo = 127,
		.parserBufferSize = 1 << 20, .parserTableModulo = 1993, .staticSize = 0,
	};
	static struct option options[] = {
		{ "modules", required_argument, 0, 'm' }, { "entry", required_argument, 0, 'e' },
		{ "sim-entry", required_argument, 0, 'w' }, { "creation", required_argument, 0, 'c' },
		{ "speed", required_argument, 0, 's' }, { "start", required_argument, 0, 't' },
		{ "duration-ms", required_argument, 0, 'd' }, { "seed", required_argument, 0, 'r' },
		{ "log", required_argument, 0, 'l' }, { "control-fds", required_argument, 0, 'f' },
		{ "mem-report", no_argument, 0, 'M' }, { "arg", required_argument, 0, 'a' },
		{ "state-dir", required_argument, 0, 'S' },
		{ 0, 0, 0, 0 }
	};
	int option;
	int appArgc = 0;
	char** appArgv = calloc((size_t)argc + 1, sizeof(char*));
	while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (option) {
		case 'm': modules = optarg; break;
		case 'e': entry = optarg; break;
		case 'w': simEntry = optarg; break;
		case 'c': {
			long s, c, h, k;
			if (sscanf(optarg, "%ld,%ld,%ld,%ld", &s, &c, &h, &k) != 4 || s < 0 || c <= 0 || h <= 0 || k <= 0)
				usage();
			staticSize = (size_t)s;
			device.initialChunkSize = (xsIntegerValue)c;
			device.initialHeapCount = (xsIntegerValue)h;
			device.stackCount = (xsIntegerValue)k;
			break;
		}
		case 's':
			if (!strcmp(optarg, "max"))
				max = 1;
			else if ((speed = atof(optarg)) <= 0)
				usage();
			break;
		case 't': start = parseStart(optarg); break;
		case 'd': durationUs = (int64_t)(atof(optarg) * 1000); break;
		case 'r':
			hostSetSeed((uint32_t)strtoul(optarg, NULL, 0));
			srand((unsigned)strtoul(optarg, NULL, 0));  /* Math.random: deterministic for a seed */
			break;
		case 'l': logPath = optarg; break;
		case 'f':
			if (sscanf(optarg, "%d,%d", &controlIn, &controlOut) != 2)
				usage();
			break;
		case 'M': gMemReport = 1; break;
		case 'S': gStateDir = optarg; break;
		case 'a': appArgv[appArgc++] = optarg; break;
		default: usage();
		}
	}
	if (!modules || !entry || optind != argc)
		usage();
	if (hostModuleMapLoad(modules))
		return HOST_EXIT_USAGE;
	hostSetArgs(appArgc, appArgv);
	gDeviceCreation = &device;
	hostClockInit(speed, max, start);
	if (logPath)
		hostLogOpen(logPath);
	if (controlIn >= 0)
		hostControlOpen(controlIn, controlOut);

	/* The world first, so that the device finds its simulated hardware at boot. */
	if (simEntry) {
		createMachine(&gHostMachines[HOST_SIM], "sim", &sim, 0);
		startEntry(&gHostMachines[HOST_SIM], simEntry);
		hostDrainJobs();
	}
	gDeviceStatic = staticSize;
	gDeviceEntry = entry;
	if (!hostExitRequested())
		hostDeviceBoot();
	int code = hostRun(durationUs);
	hostNotifySim("host.exit", code);  /* the simulation saves its state (flash images) */

	for (int i = 0; i < HOST_MACHINES; i++) {
		HostMachine* machine = &gHostMachines[i];
		if (!machine->the)
			continue;
		xsBeginHost(machine->the);
		fxCheckUnhandledRejections((txMachine*)machine->the, 1);
		xsEndHost(machine->the);
		if (machine->exitCode && !code)
			code = machine->exitCode;
	}
	hostReportBeforeExit();
	fflush(stdout);
	hostLogClose();
	return code;
}
