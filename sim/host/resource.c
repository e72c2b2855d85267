/*
 * Resource: the manifest's `data` files ("resource:<name>" lines of the module map), loaded
 * once into memory that is never freed or moved, and handed to JS as read-only host buffers:
 * the same guarantees flash gives a native engine that keeps pointers between calls.
 */
#include "host.h"

typedef struct { char* name; uint8_t* data; size_t size; } HostResource;

static HostResource gResources[64];
static int gResourceCount = 0;

static HostResource* resourceFind(const char* name)
{
	for (int i = 0; i < gResourceCount; i++)
		if (!strcmp(gResources[i].name, name))
			return &gResources[i];
	char key[1024];
	snprintf(key, sizeof(key), "resource:%s", name);
	const char* path = hostModuleMapFind(key);
	if (!path || gResourceCount == (int)(sizeof(gResources) / sizeof(gResources[0])))
		return NULL;
	FILE* file = fopen(path, "rb");
	if (!file)
		return NULL;
	fseek(file, 0, SEEK_END);
	long size = ftell(file);
	fseek(file, 0, SEEK_SET);
	uint8_t* data = malloc(size ? (size_t)size : 1);
	if (!data || fread(data, 1, (size_t)size, file) != (size_t)size) {
		fclose(file);
		free(data);
		return NULL;
	}
	fclose(file);
	HostResource* resource = &gResources[gResourceCount++];
	*resource = (HostResource){ strdup(name), data, (size_t)size };
	return resource;
}

void xs_resource_destructor(void* data)
{
	(void)data;  /* resource memory lives as long as the process, like flash */
}

void xs_resource_constructor(xsMachine* the)
{
	const char* name = xsToString(xsArg(0));
	HostResource* resource = resourceFind(name);
	if (!resource)
		xsUnknownError("resource not found: %s", name);
	xsSetHostBuffer(xsThis, resource->data, (xsIntegerValue)resource->size);
	xsPetrifyHostBuffer(xsThis);
}

void xs_resource_exists(xsMachine* the)
{
	int found = resourceFind(xsToString(xsArg(0))) != NULL;
	xsResult = xsBoolean(found);
}

void xs_resource_slice(xsMachine* the)
{
	void* data;
	xsUnsignedValue size;
	hostGetBuffer(the, &xsThis, &data, &size, 0);
	int argc = xsToInteger(xsArgc);
	xsIntegerValue begin = argc > 0 ? xsToInteger(xsArg(0)) : 0;
	xsIntegerValue end = (argc > 1 && xsTypeOf(xsArg(1)) != xsUndefinedType) ? xsToInteger(xsArg(1)) : (xsIntegerValue)size;
	if (begin < 0) begin = 0;
	if (end > (xsIntegerValue)size) end = (xsIntegerValue)size;
	if (end < begin) end = begin;
	int copy = argc > 2 ? xsTest(xsArg(2)) : 1;
	if (copy)
		xsResult = xsArrayBuffer((uint8_t*)data + begin, end - begin);
	else
		xsUnknownError("slice without copy is not supported on the simulator host");
}

void xs_resource_get_byteLength(xsMachine* the)
{
	xsIntegerValue length = xsGetHostBufferLength(xsThis);
	xsResult = xsInteger(length);
}
