/*
 * XS platform header for the simulator host (selected with -DXSPLATFORM="platform.h").
 * Linux, 32-bit preferred so that XS slots are 16 bytes as on the ESP32.
 */
#ifndef XSHOST_PLATFORM_H
#define XSHOST_PLATFORM_H

#undef mxLinux
#define mxLinux 1
#define mxExport extern
#define mxImport extern
#define XS_FUNCTION_NORETURN __attribute__((noreturn))

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#define mxUseGCCAtomics 1
#define mxUsePOSIXThreads 1

/* What this host implements itself (platform.c); the rest are XS defaults. */
#define mxUseDefaultBuildKeys 1
#define mxUseDefaultParseScript 1
#define mxUseDefaultSharedChunks 1
#define mxUseDefaultDebug 1

/* Per-machine host state: the memory pool, promise-job flag and the Atomics waiter fields. */
#define mxMachinePlatform \
	void* host; \
	int promiseJobsPending; \
	void* waiterCondition; \
	void* waiterData; \
	void* waiterLink;

/* The device's clocks: wall time and local time come from the simulated clock. */
typedef struct timeval c_timeval;
#define c_timezone timezone
extern int hostGetTimeOfDay(struct timeval* tv, void* tz);
#define c_gettimeofday(TV, TZ) hostGetTimeOfDay(TV, TZ)
extern struct tm* hostLocalTime(const time_t* t);
#define c_localtime hostLocalTime
extern time_t hostMakeTime(struct tm* tm);
#define c_mktime hostMakeTime

/* Engine diagnostics (parser errors, warnings) go to stderr; stdout belongs to the app's trace. */
#define c_printf(...) fprintf(stderr, __VA_ARGS__)
#define c_vprintf(FORMAT, ARGS) vfprintf(stderr, FORMAT, ARGS)

#endif
