/*
 * tocsin merge DIR... --out DIR: join the shards of one sweep (run with
 * --replications A:B, on a batch scheduler's array of jobs, say) into the
 * directory the whole sweep would have written, byte for byte.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/sweep_out.h"
#include "core/error.h"
#include "core/fileio.h"
#include "sweep/manifest.h"

static const char help[] =
	"usage: tocsin merge DIR... --out DIR [--quiet]\n"
	"\n"
	"Joins the directories of the shards of one sweep (tocsin sweep --replications\n"
	"A:B) into one: replications.csv, summary.json and sweep.json identical to those\n"
	"of the same sweep run at once. The shards must come from the same scenario,\n"
	"options and build, and their replications must follow each other without gap\n"
	"or overlap (docs/clusters.md).\n"
	"\n"
	"  --out DIR   where to write the merged sweep\n"
	"  --quiet     no summary table\n";

typedef struct shard {
	const char *dir;
	tc_manifest m;
	FILE *rows;
} shard;

static int by_first(const void *pa, const void *pb)
{
	const shard *a = pa, *b = pb;
	return a->m.first < b->m.first ? -1 : a->m.first > b->m.first;
}

/* Copy `count` lines of s's rows to out. */
static int copy_lines(shard *s, uint64_t count, FILE *out, char **line, size_t *cap)
{
	for (uint64_t i = 0; i < count; i++) {
		ssize_t n = getline(line, cap, s->rows);
		if (n <= 0 || (*line)[n - 1] != '\n') {
			fprintf(stderr, "tocsin merge: %s/replications.csv: fewer rows than its "
			                "sweep.json says (replications %lu to %lu)\n", s->dir,
			        (unsigned long)s->m.first, (unsigned long)s->m.last - 1);
			return -1;
		}
		if (fwrite(*line, 1, (size_t)n, out) != (size_t)n) {
			fprintf(stderr, "tocsin merge: cannot write: %s\n", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int check_shards(shard *shards, size_t n)
{
	char err[1024];
	for (size_t i = 1; i < n; i++) {
		if (tc_manifest_same_sweep(&shards[0].m, &shards[i].m, err, sizeof err)) {
			fprintf(stderr, "tocsin merge: %s and %s: %s\n", shards[0].dir, shards[i].dir, err);
			return -1;
		}
	}
	qsort(shards, n, sizeof *shards, by_first);
	for (size_t i = 1; i < n; i++) {
		const tc_manifest *p = &shards[i - 1].m, *c = &shards[i].m;
		if (c->first < p->last) {
			fprintf(stderr, "tocsin merge: %s and %s overlap: both have replication %lu\n",
			        shards[i - 1].dir, shards[i].dir, (unsigned long)c->first);
			return -1;
		}
		if (c->first > p->last) {
			fprintf(stderr, "tocsin merge: replications %lu to %lu are missing (between %s "
			                "and %s)\n", (unsigned long)p->last, (unsigned long)c->first - 1,
			        shards[i - 1].dir, shards[i].dir);
			return -1;
		}
	}
	return 0;
}

/* Open each shard's rows and check its header is the first's. */
static int open_rows(shard *shards, size_t n, char **line, size_t *cap, tc_buf *header)
{
	for (size_t i = 0; i < n; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/replications.csv", shards[i].dir);
		if (!(shards[i].rows = fopen(path, "rb"))) {
			fprintf(stderr, "tocsin merge: cannot open %s: %s\n", path, strerror(errno));
			return -1;
		}
		ssize_t len = getline(line, cap, shards[i].rows);
		if (len <= 0) {
			fprintf(stderr, "tocsin merge: %s: empty\n", path);
			return -1;
		}
		if (i == 0) {
			tc_buf_add(header, *line, (size_t)len);
		} else if ((size_t)len != header->len || memcmp(*line, header->data, header->len)) {
			fprintf(stderr, "tocsin merge: %s: its header differs from %s/replications.csv\n",
			        path, shards[0].dir);
			return -1;
		}
	}
	return header->failed ? -1 : 0;
}

static int merge(shard *shards, size_t n, const char *out, int quiet)
{
	if (check_shards(shards, n) || cli_make_dirs(out))
		return EXIT_INVALID;
	char *line = NULL, err[1024], path[4200];
	size_t cap = 0;
	tc_buf header;
	tc_buf_init(&header, tc_alloc_default());
	int status = EXIT_INVALID;
	tc_atomic_file csv = {0};
	snprintf(path, sizeof path, "%s/replications.csv", out);
	if (open_rows(shards, n, &line, &cap, &header))
		goto done;
	if (tc_atomic_open(&csv, path, err, sizeof err)) {
		fprintf(stderr, "tocsin merge: %s\n", err);
		goto done;
	}
	int bad = fwrite(header.data, 1, header.len, csv.f) != header.len;
	/* Rows are block-major in every shard: block b of each shard in turn. */
	for (size_t b = 0; !bad && b < shards[0].m.block_count; b++)
		for (size_t i = 0; !bad && i < n; i++)
			bad = copy_lines(&shards[i], shards[i].m.last - shards[i].m.first, csv.f, &line,
			                 &cap) != 0;
	for (size_t i = 0; !bad && i < n; i++) {
		if (getline(&line, &cap, shards[i].rows) > 0) {
			fprintf(stderr, "tocsin merge: %s/replications.csv: more rows than its "
			                "sweep.json says\n", shards[i].dir);
			bad = 1;
		}
	}
	if (bad) {
		tc_atomic_abort(&csv);
		goto done;
	}
	tc_manifest m = shards[0].m;
	m.first = shards[0].m.first;
	m.last = shards[n - 1].m.last;
	status = cli_sweep_write_dir("merge", out, &csv, &m, 1, quiet);
done:
	free(line);
	tc_buf_release(&header);
	return status;
}

int cmd_merge(int argc, char **argv)
{
	const char *out = NULL;
	int quiet = 0;
	tc_alloc *a = tc_alloc_default();
	shard *shards = tc_calloc(a, (size_t)argc + 1, sizeof *shards);
	size_t n = 0;
	if (!shards) {
		fprintf(stderr, "tocsin merge: out of memory\n");
		return EXIT_INVALID;
	}
	int status = EXIT_VALID;
	for (int i = 1; i < argc && status == EXIT_VALID; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			tc_free(a, shards, ((size_t)argc + 1) * sizeof *shards);
			return EXIT_VALID;
		} else if (strcmp(arg, "--quiet") == 0) {
			quiet = 1;
		} else if (cli_is_option(arg, "--out")) {
			if (!(out = cli_option_value(argc, argv, &i, "--out")) || !*out)
				status = cli_usage_error("merge", "--out needs a directory");
		} else if (arg[0] == '-' && arg[1] != '\0') {
			status = cli_usage_error("merge", "unknown option '%s'", arg);
		} else {
			shards[n++].dir = arg;
		}
	}
	if (status == EXIT_VALID && !n)
		status = cli_usage_error("merge", "no sweep directories given");
	else if (status == EXIT_VALID && !out)
		status = cli_usage_error("merge", "--out DIR is needed (the merged sweep's directory)");
	for (size_t i = 0; status == EXIT_VALID && i < n; i++) {
		char path[4200], err[1024];
		snprintf(path, sizeof path, "%s/sweep.json", shards[i].dir);
		if (tc_manifest_read(&shards[i].m, a, path, err, sizeof err)) {
			fprintf(stderr, "tocsin merge: %s\n", err);
			status = EXIT_INVALID;
		}
	}
	if (status == EXIT_VALID)
		status = merge(shards, n, out, quiet);
	for (size_t i = 0; i < n; i++) {
		if (shards[i].rows)
			fclose(shards[i].rows);
		tc_manifest_release(&shards[i].m);
	}
	tc_free(a, shards, ((size_t)argc + 1) * sizeof *shards);
	return status;
}
