#include <stdio.h>
#include <string.h>

#include "core/version.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("tocsin %s\n", TOCSIN_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: tocsin <command> ...\n");
	return 2;
}
