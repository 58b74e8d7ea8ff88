#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

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

tc_scenario *test_scenario(const char *name, const char *yaml)
{
	const char *path = test_write_temp(name, yaml);
	assert_non_null(path);
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	int rc = tc_scenario_load(&s, tc_alloc_default(), path, NULL, &diag);
	if (rc) {
		tc_diag_print(&diag, stderr);
		fail_msg("scenario %s did not load", name);
	}
	tc_diag_release(&diag);
	return s;
}

const char *test_scenario_errors(const char *name, const char *yaml)
{
	static char out[16384];
	const char *path = test_write_temp(name, yaml);
	assert_non_null(path);
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	int rc = tc_scenario_load(&s, tc_alloc_default(), path, NULL, &diag);
	assert_int_not_equal(rc, 0);
	assert_null(s);
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < diag.count && used < sizeof out; i++)
		used += (size_t)snprintf(out + used, sizeof out - used, "%d:%d: %s\n",
		                         diag.items[i].line, diag.items[i].column,
		                         diag.items[i].message);
	tc_diag_release(&diag);
	return out;
}

const char *test_format_diag(const tc_diag *diag)
{
	static char out[16384];
	char prefix[64];
	snprintf(prefix, sizeof prefix, "tocsin-test-%ld-", (long)getpid());
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < diag->count && used < sizeof out; i++) {
		const tc_diag_entry *e = &diag->items[i];
		const char *base = strrchr(e->file, '/');
		base = base ? base + 1 : e->file;
		if (strncmp(base, prefix, strlen(prefix)) == 0)
			base += strlen(prefix);
		used += (size_t)snprintf(out + used, sizeof out - used, "%s:%d:%d: %s\n", base, e->line,
		                         e->column, e->message);
	}
	return out;
}

int test_load_file(const char *path, const tc_load_options *opt, tc_scenario **out,
                   const char **errors)
{
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	int rc = tc_scenario_load(&s, tc_alloc_default(), path, opt, &diag);
	*errors = test_format_diag(&diag);
	tc_diag_release(&diag);
	if (out)
		*out = s;
	else
		tc_scenario_free(s);
	return rc;
}

void test_load_fails_cleanly(const char *path, const tc_load_options *opt)
{
	tc_failing_alloc fa;
	tc_failing_alloc_init(&fa, -1);
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	assert_int_equal(tc_scenario_load(&s, &fa.alloc, path, opt, &diag), TC_OK);
	long total = fa.allocations;
	assert_true(total > 10);
	tc_scenario_free(s);
	assert_int_equal(fa.live_blocks, 0);
	tc_diag_release(&diag);
	for (long k = 0; k <= total; k++) {
		tc_failing_alloc_init(&fa, k);
		tc_diag_init(&diag, tc_alloc_default());
		s = NULL;
		int rc = tc_scenario_load(&s, &fa.alloc, path, opt, &diag);
		if (k < total) {
			if (rc != TC_ENOMEM)
				fail_msg("allocation %ld of %ld failed: result %d (%s)", k, total, rc,
				         diag.count ? diag.items[0].message : "no message");
			assert_null(s);
			assert_true(diag.count > 0);
		} else {
			assert_int_equal(rc, TC_OK);
			tc_scenario_free(s);
		}
		if (fa.live_blocks != 0)
			fail_msg("allocation %ld of %ld: %ld blocks leaked", k, total, fa.live_blocks);
		tc_diag_release(&diag);
	}
}

static int record_into(void *ud, const tc_run *run, const tc_record *rec)
{
	(void)run;
	test_trace *t = ud;
	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->items = realloc(t->items, t->cap * sizeof *t->items);
		assert_non_null(t->items);
	}
	t->items[t->count++] = *rec;
	return 0;
}

void test_run(const tc_scenario *s, uint64_t seed, uint32_t replication, test_trace *trace)
{
	tc_run_options opt = {.seed = seed, .replication = replication, .until = TC_TIME_NEVER};
	tc_sink sink = {record_into, trace};
	tc_run *run = NULL;
	assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, &opt, trace ? &sink : NULL), 0);
	assert_int_equal(tc_run_execute(run), 0);
	tc_run_free(run);
}

void test_trace_release(test_trace *t)
{
	free(t->items);
	memset(t, 0, sizeof *t);
}

const tc_record *test_trace_find(const test_trace *t, tc_record_type type, size_t n)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->items[i].type == type && n-- == 0)
			return &t->items[i];
	return NULL;
}

size_t test_trace_count(const test_trace *t, tc_record_type type)
{
	size_t n = 0;
	for (size_t i = 0; i < t->count; i++)
		n += t->items[i].type == type;
	return n;
}
