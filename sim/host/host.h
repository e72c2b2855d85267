/*
 * The simulator host: the real XS engine with the device's memory limits, a module map,
 * natives bound by name, two clocks (monotonic and wall) in real or virtual time, timers
 * and file-descriptor watches on one event loop. Two machines may run: the device (with
 * the manifest's memory budget) and the simulated world (unbounded, not counted).
 */
#ifndef XSHOST_HOST_H
#define XSHOST_HOST_H

#include "xsAll.h"
#include "xs.h"

#define HOST_MACHINES 2
enum { HOST_DEVICE = 0, HOST_SIM = 1 };

/* Exit codes of the host process (documented in sim/host/README.md). */
enum {
	HOST_EXIT_OK = 0,
	HOST_EXIT_ERROR = 1,          /* uncaught exception, unhandled rejection, missing module, syntax error */
	HOST_EXIT_USAGE = 64,
	HOST_EXIT_FATAL_BASE = 100    /* 100 + XS abort status: memory full, stack overflow, ... */
};

/* Room for what the device keeps in flash: the XS built-ins and the preloaded modules. */
#define HOST_BUILTINS_ROOM (1024 * 1024)

typedef struct {
	size_t size;         /* 0: no budget, allocate from the C heap */
	size_t limit;        /* bytes that may be in use: the built-ins plus the device budget */
	uint8_t* base;
	size_t chunksEnd;    /* chunks grow up from base */
	size_t slotsStart;   /* slots grow down from base + size */
	size_t peak;         /* high-water mark of bytes handed to XS */
} HostPool;

typedef struct {
	xsMachine* the;
	const char* name;
	HostPool pool;
	size_t builtins;        /* live bytes of the XS built-ins and preloaded modules, in flash on the device */
	int exitCode;
	xsSlot onCall;          /* handler for calls from the other machine */
	xsSlot onControl;       /* sim machine: handler for control-channel lines */
} HostMachine;

extern HostMachine gHostMachines[HOST_MACHINES];
HostMachine* hostMachineOf(xsMachine* the);

/* module map: bare specifier -> absolute file path */
int hostModuleMapLoad(const char* path);
const char* hostModuleMapFind(const char* specifier);
const char* hostModuleMapPreload(int index);

/* clocks: microseconds since boot, virtual or real */
typedef enum { SPEED_REAL, SPEED_MAX } HostSpeedMode;
void hostClockInit(double speed, int max, double startEpochMs);
int64_t hostNowUs(void);              /* monotonic, simulated */
double hostWallMs(void);              /* wall clock, simulated */
void hostWallSet(double epochMs);
int32_t hostTimezone(void);
int32_t hostDst(void);
void hostSetTimezone(int32_t seconds);
void hostSetDst(int32_t seconds);
int hostClockIsMax(void);
void hostClockAdvanceTo(int64_t us);  /* virtual mode: jump forward */
int64_t hostRealToSimWaitUs(int64_t simUs); /* real microseconds to wait for simUs of sim time */

/* timers (Moddable Timer semantics) */
typedef struct HostTimer HostTimer;
int hostTimersDue(int64_t now);
int64_t hostTimersNext(void);         /* -1 if none */
void hostTimersFire(int64_t now);
int hostTimersActive(void);
void hostTimersDrop(xsMachine* the);

/* file-descriptor watches for sockets and the control channel */
typedef void (*HostWatchCallback)(void* refcon, int fd, int events);
int hostWatch(int fd, int events, HostWatchCallback callback, void* refcon);
void hostWatchOwner(int fd, int machine);     /* a device-owned descriptor is closed at power off */
void hostWatchDropMachine(int machine);
void hostUnwatch(int fd);
int hostWatchCount(int countDaemon);
void hostSetDaemon(int fd, int daemon); /* daemon watches do not keep the loop alive */
void hostMarkAwaitingReply(int awaiting);

/* device power: off now (links refused, timers and watches dropped), boot again at `bootAtUs` (-1: never) */
void hostDevicePowerOff(int64_t bootAtUs, const char* reason);
int hostDevicePowered(void);
int64_t hostDeviceBootUs(void);
int64_t hostPendingBootUs(void);
void hostDeviceBoot(void);
const char* hostStateDir(void);
void hostSetStateDir(const char* dir);

/* event loop */
int hostRun(int64_t durationUs);
void hostRequestExit(int code);
int hostExitRequested(void);
void hostDrainJobs(void);

/* event log and output */
void hostLogLine(const char* line);   /* appends to --log, echoes to control channel */
void hostLogOpen(const char* path);
void hostLogClose(void);
void hostControlOpen(int fdIn, int fdOut);
void hostControlWrite(const char* line);

/* memory budget of a machine, built-ins excluded */
size_t hostPoolBudget(xsMachine* the);
size_t hostPoolUsed(xsMachine* the);
size_t hostPoolPeak(xsMachine* the);
void hostPoolExcludeBuiltins(HostMachine* machine, size_t staticSize);

/* buffers (ArrayBuffer, typed array or DataView) */
void hostGetBuffer(xsMachine* the, xsSlot* slot, void** data, xsUnsignedValue* length, int writable);

/* errors and exit */
void hostReportBeforeExit(void);
void hostReportException(xsMachine* the, xsSlot* exception, const char* where);

#endif
