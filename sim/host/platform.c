/*
 * XS platform callbacks for the simulator host: memory as on the device, promise jobs,
 * aborts, and module loading through the module map with source maps and natives.
 */
#include "host.h"
#include <dlfcn.h>
#include <limits.h>
#include "xsScript.h"

HostMachine gHostMachines[HOST_MACHINES];
static HostMachine* gCreating = NULL;

HostMachine* hostMachineOf(xsMachine* the)
{
	return (HostMachine*)((txMachine*)the)->host;
}

void hostSetCreating(HostMachine* machine)
{
	gCreating = machine;
}

void fxCreateMachinePlatform(txMachine* the)
{
	the->host = gCreating;
	the->promiseJobsPending = 0;
	the->waiterCondition = NULL;
	the->waiterData = NULL;
	the->waiterLink = NULL;
}

void fxDeleteMachinePlatform(txMachine* the)
{
	(void)the;
}

/*
 * One pool, as on the ESP32 with `creation.static`: chunks are carved from the bottom,
 * slots from the top, and the machine is out of memory when the two meet. XS then
 * collects garbage and, if that does not free enough, aborts with "memory full".
 */
static HostPool* poolOf(txMachine* the)
{
	HostMachine* machine = the->host;
	return (machine && machine->pool.size) ? &machine->pool : NULL;
}

static size_t poolUsed(HostPool* pool)
{
	return pool->chunksEnd + (pool->size - pool->slotsStart);
}

static void poolTrackPeak(HostPool* pool)
{
	size_t used = poolUsed(pool);
	if (used > pool->peak)
		pool->peak = used;
}

void* fxAllocateChunks(txMachine* the, txSize size)
{
	HostPool* pool = poolOf(the);
	if (!pool)
		return c_malloc(size);
	size = (size + 7) & ~7;
	if (pool->chunksEnd + (size_t)size > pool->slotsStart || poolUsed(pool) + (size_t)size > pool->limit)
		return NULL;
	void* result = pool->base + pool->chunksEnd;
	pool->chunksEnd += size;
	poolTrackPeak(pool);
	return result;
}

void fxFreeChunks(txMachine* the, void* chunks)
{
	if (!poolOf(the))
		c_free(chunks);
}

txSlot* fxAllocateSlots(txMachine* the, txSize count)
{
	HostPool* pool = poolOf(the);
	if (!pool)
		return (txSlot*)c_malloc(count * sizeof(txSlot));
	size_t size = (size_t)count * sizeof(txSlot);
	if (pool->slotsStart < pool->chunksEnd + size || poolUsed(pool) + size > pool->limit)
		return NULL;
	pool->slotsStart -= size;
	poolTrackPeak(pool);
	return (txSlot*)(pool->base + pool->slotsStart);
}

void fxFreeSlots(txMachine* the, void* slots)
{
	if (!poolOf(the))
		c_free(slots);
}

void fxQueuePromiseJobs(txMachine* the)
{
	the->promiseJobsPending = 1;
}

static const char* abortReason(int status)
{
	switch (status) {
	case XS_STACK_OVERFLOW_EXIT: return "stack overflow";
	case XS_NOT_ENOUGH_MEMORY_EXIT: return "memory full";
	case XS_NO_MORE_KEYS_EXIT: return "not enough keys";
	case XS_DEAD_STRIP_EXIT: return "dead strip";
	case XS_TOO_MUCH_COMPUTATION_EXIT: return "too much computation";
	case XS_FATAL_CHECK_EXIT: return "fatal check";
	default: return "abort";
	}
}

void fxAbort(txMachine* the, int status)
{
	HostMachine* machine = the->host;
	const char* name = machine ? machine->name : "xs";
	if (status == XS_UNHANDLED_REJECTION_EXIT) {
		/* Node's policy: report, fail the run, keep going so the rest of the output is seen. */
		hostReportException((xsMachine*)the, (xsSlot*)&mxException, "unhandled rejection");
		if (machine)
			machine->exitCode = HOST_EXIT_ERROR;
		return;
	}
	if (status == XS_UNHANDLED_EXCEPTION_EXIT) {
		hostReportException((xsMachine*)the, (xsSlot*)&mxException, "uncaught exception");
		fflush(stdout);
		hostLogClose();
		exit(HOST_EXIT_ERROR);
	}
	fprintf(stderr, "fatal: %s: %s\n", name, abortReason(status));
	hostReportBeforeExit();
	fflush(stdout);
	hostLogClose();
	exit(HOST_EXIT_FATAL_BASE + status);
}

/* Modules */

static void dirnameOf(const char* path, char* dir, size_t size)
{
	snprintf(dir, size, "%s", path);
	char* slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(dir, size, ".");
}

txID fxFindModule(txMachine* the, txSlot* realm, txID moduleID, txSlot* slot)
{
	char name[PATH_MAX], path[PATH_MAX * 2], real[PATH_MAX];
	(void)realm;
	fxToStringBuffer(the, slot, name, sizeof(name));
	if (!strncmp(name, "./", 2) || !strncmp(name, "../", 3)) {
		char dir[PATH_MAX];
		if (moduleID == XS_NO_ID)
			snprintf(dir, sizeof(dir), ".");
		else
			dirnameOf(fxGetKeyName(the, moduleID), dir, sizeof(dir));
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	}
	else if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else {
		const char* mapped = hostModuleMapFind(name);
		if (!mapped)
			return XS_NO_ID;
		snprintf(path, sizeof(path), "%s", mapped);
	}
	if (!realpath(path, real))
		return XS_NO_ID;
	return fxNewNameC(the, real);
}

/*
 * A module's host functions (`function f() @ "xs_f";`, `class C @ "xs_destructor"`) are
 * listed by the parser in the script's hosts buffer. XS builds them with the script's
 * callback while it runs the module body; the callback takes them from here.
 */
static txScript* gHostsScript = NULL;

/* The name of symbol `id` in a parsed script's symbols buffer (ID 0 has no string; names start at 1). */
static const char* symbolName(txScript* script, txID id)
{
	if (!script->symbolsBuffer || id == XS_NO_ID)
		return NULL;
	txByte* p = script->symbolsBuffer;
	txID count, i;
	mxDecodeID(p, count);
	if (id <= 0 || id >= count)
		return NULL;
	for (i = 1; i < id; i++)
		p += c_strlen((char*)p) + 1;
	return (const char*)p;
}

static void hostsCallback(txMachine* the)
{
	txScript* script = gHostsScript;
	txByte* p = script->hostsBuffer;
	txID count, i;
	mxDecodeID(p, count);
	txHostFunctionBuilder* builders = c_calloc(count ? count : 1, sizeof(txHostFunctionBuilder));
	for (i = 0; i < count; i++) {
		txS1 length = (txS1)*p++;
		txID symbol;
		mxDecodeID(p, symbol);
		const char* native = (const char*)p;
		p += c_strlen(native) + 1;
		void* address = dlsym(RTLD_DEFAULT, native);
		if (!address) {
			c_free(builders);
			mxReferenceError("native \"%s\" not found in the host (%s)", native, script->path);
		}
		const char* name = symbolName(script, symbol);
		builders[i].callback = (txCallback)address;
		builders[i].length = length;
		builders[i].id = name ? fxID(the, (txString)name) : XS_NO_ID;
	}
	fxBuildHosts(the, count, builders);
	c_free(builders);
	mxPullSlot(mxResult);
}

/*
 * On the device, bytecode stays in flash: xsl links functions as XS_CODE_CODE_ARCHIVE and
 * string literals as XS_CODE_STRING_ARCHIVE, which point into the module's code instead of
 * copying it into chunks each time they run. Rewriting the parsed code the same way keeps
 * bytecode out of the device's RAM budget here too, and a literal costs no allocation. The
 * code buffer is then kept for the life of the process, like flash (see HOST_RETAIN in
 * the Makefile, which keeps fxDeleteScript from freeing it).
 */
static void keepCodeInFlash(txByte* p, txSize size)
{
	txByte* end = p + size;
	while (p < end) {
		txU1 op = *(txU1*)p;
		txS1 length = gxCodeSizes[op];
		if (op == XS_CODE_CODE_1)
			*p = XS_CODE_CODE_ARCHIVE_1;
		else if (op == XS_CODE_CODE_2)
			*p = XS_CODE_CODE_ARCHIVE_2;
		else if (op == XS_CODE_CODE_4)
			*p = XS_CODE_CODE_ARCHIVE_4;
		else if (op == XS_CODE_STRING_1)
			*p = XS_CODE_STRING_ARCHIVE_1;
		else if (op == XS_CODE_STRING_2)
			*p = XS_CODE_STRING_ARCHIVE_2;
		else if (op == XS_CODE_STRING_4)
			*p = XS_CODE_STRING_ARCHIVE_4;
		if (length > 0)
			p += length;
		else if (length == 0)
			p += 1 + sizeof(txID);
		else if (length == -1) {
			txU1 count = *(txU1*)(p + 1);
			p += 2 + count;
		}
		else if (length == -2) {
			txU2 count;
			p++;
			mxDecode2(p, count);
			p += count;
		}
		else {
			txS4 count;
			p++;
			mxDecode4(p, count);
			p += count;
		}
	}
}

/* fxDeleteScript's frees go here (xsCommon.c is built with c_free=hostRetainScriptPart). */
void hostRetainScriptPart(void* pointer)
{
	(void)pointer;  /* kept, like flash: module code is referenced for the life of the machine */
}

static void reportParserError(void* console, txString path, txInteger line, txString format, c_va_list arguments)
{
	(void)console;
	fprintf(stderr, "%s:%d: syntax error: ", path ? path : "?", (int)line);
	vfprintf(stderr, format, arguments);
	fputc('\n', stderr);
}

static txScript* parseFile(txMachine* the, const char* path)
{
	txParser _parser;
	txParser* parser = &_parser;
	txParserJump jump;
	FILE* volatile file = NULL;
	txString mapName = NULL;
	txScript* volatile script = NULL;
	char dir[PATH_MAX], mapPath[PATH_MAX * 2], real[PATH_MAX];
	fxInitializeParser(parser, the, the->parserBufferSize, the->parserTableModulo);
	parser->firstJump = &jump;
	parser->reportError = reportParserError;
	if (c_setjmp(jump.jmp_buf) == 0) {
		file = fopen(path, "r");
		mxParserThrowElse(file);
		parser->path = fxNewParserSymbol(parser, (txString)path);
		fxParserTree(parser, file, (txGetter)fgetc, mxDebugFlag | mxCFlag, &mapName);
		fclose(file);
		file = NULL;
		if (mapName && !parser->errorCount) {
			/* Stack frames and errors point at the TypeScript lines the map names. */
			dirnameOf(path, dir, sizeof(dir));
			snprintf(mapPath, sizeof(mapPath), "%s/%s", dir, mapName);
			if (realpath(mapPath, real) && (file = fopen(real, "r"))) {
				txString source = NULL;
				parser->path = fxNewParserSymbol(parser, real);
				fxParserSourceMap(parser, file, (txGetter)fgetc, mxDebugFlag, &source);
				fclose(file);
				file = NULL;
				if (!parser->errorCount && source) {
					dirnameOf(real, dir, sizeof(dir));
					snprintf(mapPath, sizeof(mapPath), "%s/%s", dir, source);
					parser->path = fxNewParserSymbol(parser, realpath(mapPath, real) ? real : mapPath);
				}
			}
		}
		fxParserHoist(parser);
		fxParserBind(parser);
		script = fxParserCode(parser);
	}
	if (file)
		fclose(file);
	if (parser->errorCount && script) {
		fxDeleteScript(script);
		script = NULL;
	}
	if (script)
		keepCodeInFlash(script->codeBuffer, script->codeSize);
	fxTerminateParser(parser);
	return script;
}

void fxLoadModule(txMachine* the, txSlot* module, txID moduleID)
{
	const char* path = fxGetKeyName(the, moduleID);
	txScript* script = parseFile(the, path);
	if (!script)
		mxSyntaxError("%s: cannot be parsed (see the errors above)", path);
	txScript* previous = gHostsScript;
	if (script->hostsBuffer) {
		script->callback = hostsCallback;
		gHostsScript = script;
	}
	/* fxRunScript deletes the parsed script once it has run (or failed). */
	mxTry(the) {
		fxResolveModule(the, module, moduleID, script, C_NULL, C_NULL);
	}
	mxCatch(the) {
		gHostsScript = previous;
		fxJump(the);
	}
	gHostsScript = previous;
}

/* Clocks seen by the engine: Date and local time follow the simulated wall clock and zone. */

int hostGetTimeOfDay(struct timeval* tv, void* tz)
{
	(void)tz;
	double ms = hostWallMs();
	tv->tv_sec = (time_t)(ms / 1000);
	tv->tv_usec = (suseconds_t)((ms - (double)tv->tv_sec * 1000) * 1000);
	return 0;
}

struct tm* hostLocalTime(const time_t* t)
{
	static struct tm result;
	time_t local = *t + hostTimezone() + hostDst();
	return gmtime_r(&local, &result);
}

time_t hostMakeTime(struct tm* tm)
{
	return timegm(tm) - hostTimezone() - hostDst();
}

/* The device budget as the app sees it: built-ins excluded (they are in flash on the device). */
size_t hostPoolBudget(xsMachine* machine)
{
	HostMachine* host = hostMachineOf(machine);
	return host->pool.size ? host->pool.limit - host->builtins : 0;
}

size_t hostPoolUsed(xsMachine* machine)
{
	HostMachine* host = hostMachineOf(machine);
	size_t used = host->pool.size ? poolUsed(&host->pool) : 0;
	return used > host->builtins ? used - host->builtins : 0;
}

size_t hostPoolPeak(xsMachine* machine)
{
	HostMachine* host = hostMachineOf(machine);
	return host->pool.peak > host->builtins ? host->pool.peak - host->builtins : 0;
}
