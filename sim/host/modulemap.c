/* The module map: one "specifier<TAB>absolute path" per line, generated from manifest.json. */
#include "host.h"

typedef struct { char* specifier; char* path; } HostModule;

static HostModule* gModules = NULL;
static int gModuleCount = 0;

int hostModuleMapLoad(const char* path)
{
	FILE* file = fopen(path, "r");
	if (!file) {
		fprintf(stderr, "xshost: cannot read the module map %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[8192];
	int capacity = 0;
	while (fgets(line, sizeof(line), file)) {
		line[strcspn(line, "\r\n")] = 0;
		char* tab = strchr(line, '\t');
		if (!tab || line[0] == '#')
			continue;
		*tab = 0;
		if (gModuleCount == capacity) {
			capacity = capacity ? capacity * 2 : 64;
			gModules = realloc(gModules, (size_t)capacity * sizeof(HostModule));
		}
		gModules[gModuleCount++] = (HostModule){ strdup(line), strdup(tab + 1) };
	}
	fclose(file);
	return 0;
}

/* The modules the manifest preloads, in order ("preload:<n>" lines): on the device they are in flash. */
const char* hostModuleMapPreload(int index)
{
	char key[32];
	snprintf(key, sizeof(key), "preload:%d", index);
	return hostModuleMapFind(key);
}

const char* hostModuleMapFind(const char* specifier)
{
	for (int i = 0; i < gModuleCount; i++)
		if (!strcmp(gModules[i].specifier, specifier))
			return gModules[i].path;
	return NULL;
}
