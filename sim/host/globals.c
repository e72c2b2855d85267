/* Globals every machine gets: trace (Moddable: no newline added) and a minimal console. */
#include "host.h"

static void writeArgs(xsMachine* the, FILE* out, int newline)
{
	int count = xsToInteger(xsArgc);
	for (int i = 0; i < count; i++) {
		if (i)
			fputc(' ', out);
		fputs(xsToString(xsArg(i)), out);
	}
	if (newline)
		fputc('\n', out);
	fflush(out);
}

static void xs_trace(xsMachine* the) { writeArgs(the, stdout, 0); }
static void xs_console_log(xsMachine* the) { writeArgs(the, stdout, 1); }
static void xs_console_error(xsMachine* the) { writeArgs(the, stderr, 1); }

static void setFunction(xsMachine* the, xsSlot* target, const char* name, xsCallback callback)
{
	xsVar(1) = xsNewHostFunction(callback, 1);
	xsSet(*target, xsID((char*)name), xsVar(1));
}

void hostInstallGlobals(xsMachine* the)
{
	xsBeginHost(the);
	{
		/* the xs* macros push and pop the machine stack: never nest them in one expression */
		xsVars(3);
		xsVar(2) = xsGlobal;
		setFunction(the, &xsVar(2), "trace", xs_trace);
		xsVar(0) = xsNewObject();
		setFunction(the, &xsVar(0), "log", xs_console_log);
		setFunction(the, &xsVar(0), "info", xs_console_log);
		setFunction(the, &xsVar(0), "debug", xs_console_log);
		setFunction(the, &xsVar(0), "warn", xs_console_error);
		setFunction(the, &xsVar(0), "error", xs_console_error);
		xsSet(xsVar(2), xsID("console"), xsVar(0));
	}
	xsEndHost(the);
}
