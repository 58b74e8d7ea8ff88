#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *test_data_path(const char *name)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", TOCSIN_TEST_DATA, name);
	return path;
}

const char *test_source_path(const char *name)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", TOCSIN_SOURCE_DIR, name);
	return path;
}

const char *test_write_temp(const char *name, const char *text)
{
	static char path[4096];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/tocsin-test-%ld-%s", dir ? dir : "/tmp", (long)getpid(), name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return NULL;
	fputs(text, f);
	fclose(f);
	return path;
}

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *data = malloc(cap + 1);
	size_t got;
	while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *bigger = realloc(data, cap * 2 + 1);
			if (!bigger) {
				free(data);
				data = NULL;
				break;
			}
			data = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	if (data) {
		data[n] = '\0';
		if (len)
			*len = n;
	}
	return data;
}
