/*
 * tocsin: a cyber-crisis exercise simulator.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/version.h"

static const char usage[] =
	"usage: tocsin <command> [options]\n"
	"\n"
	"commands:\n"
	"  validate FILE...       check scenarios; every error with file:line:column\n"
	"  run SCENARIO           run a scenario as fast as possible, write events.jsonl\n"
	"                         and its report\n"
	"  report EVENTS.jsonl    recompute the report of a run from its event log\n"
	"  sweep SCENARIO -n N    N seeded replications on every core (MPI across\n"
	"                         machines): per-replication figures and statistics\n"
	"  merge DIR... --out DIR join the shards of a sweep (--replications A:B)\n"
	"  compare SCENARIO --doctrine A --doctrine B\n"
	"                         two variants (doctrines, scenario files or overrides)\n"
	"                         on the same replications, compared pair by pair\n"
	"  msel export SCENARIO   the scenario's injects (its MSEL) as CSV\n"
	"  msel import MSEL.csv --into SCENARIO\n"
	"                         replace the scenario's injects by the CSV's rows\n"
	"  help                   this text\n"
	"  --version              the version\n"
	"\n"
	"`tocsin COMMAND --help` describes a command. Exit status: 0 success, 1 invalid\n"
	"input or failed run, 2 usage error.\n";

int cli_parse_u64(const char *text, uint64_t max, uint64_t *out)
{
	if (!text || !*text)
		return -1;
	uint64_t v = 0;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int cli_parse_size(const char *text, uint64_t *out)
{
	if (!text || !*text)
		return -1;
	size_t n = strlen(text);
	unsigned shift = 0;
	switch (text[n - 1]) {
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	default: break;
	}
	char digits[32];
	size_t nd = shift ? n - 1 : n;
	if (nd == 0 || nd >= sizeof digits)
		return -1;
	memcpy(digits, text, nd);
	digits[nd] = '\0';
	uint64_t limit = SIZE_MAX < UINT64_MAX ? (uint64_t)SIZE_MAX : UINT64_MAX, v;
	if (cli_parse_u64(digits, limit >> shift, &v))
		return -1;
	*out = v << shift;
	return 0;
}

int cli_is_option(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "tocsin %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'tocsin %s --help')\n", cmd);
	return EXIT_USAGE;
}

const char *cli_option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];
	if (strncmp(arg, name, n) == 0 && arg[n] == '=')
		return arg + n + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("tocsin %s\n", TOCSIN_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "validate") == 0)
		return cmd_validate(argc - 1, argv + 1);
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(cmd, "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (strcmp(cmd, "msel") == 0)
		return cmd_msel(argc - 1, argv + 1);
	if (strcmp(cmd, "sweep") == 0)
		return cmd_sweep(argc - 1, argv + 1);
	if (strcmp(cmd, "compare") == 0)
		return cmd_compare(argc - 1, argv + 1);
	if (strcmp(cmd, "merge") == 0)
		return cmd_merge(argc - 1, argv + 1);
	fprintf(stderr, "tocsin: unknown command '%s'\n\n%s", cmd, usage);
	return EXIT_USAGE;
}
