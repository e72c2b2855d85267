/* Buffer access through the xsmc API (kept apart: xsmc.h redefines the xs* macros). */
#include "host.h"
#include "xsmc.h"

void hostGetBuffer(xsMachine* the, xsSlot* slot, void** data, xsUnsignedValue* length, int writable)
{
	_xsmcGetBuffer(the, slot, data, length, writable);
}
