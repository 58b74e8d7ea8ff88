/*
 * sweep.json written with the project's JSON writer and read back with
 * jansson, every key checked: a hand-edited or truncated file is refused
 * with what is wrong, never half-trusted.
 */
#include "sweep/manifest.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/jsonw.h"
#include "core/version.h"

enum { MANIFEST_VERSION = 1, MANIFEST_MAX_BYTES = 64 << 20 };

void tc_manifest_json_run(tc_jsonw *w, const tc_manifest *m)
{
	tc_jsonw_kstr(w, "tocsin", TOCSIN_VERSION);
	tc_jsonw_key(w, "scenario");
	tc_jsonw_object(w);
	tc_jsonw_kstr(w, "file", m->scenario_file);
	tc_jsonw_kstr(w, "name", m->scenario_name);
	tc_jsonw_kstr(w, "sha256", m->scenario_sha256);
	tc_jsonw_end(w);
	tc_jsonw_kstr(w, "doctrine", m->doctrine);
	tc_jsonw_kstrs(w, "scripts", m->scripts, m->script_count);
	tc_jsonw_kstrs(w, "sets", m->sets, m->set_count);
	tc_jsonw_kstrs(w, "grid", m->keys, m->key_count);
	tc_jsonw_key(w, "seed");
	tc_jsonw_uint(w, m->seed);
}

void tc_manifest_json(tc_buf *b, const tc_manifest *m)
{
	tc_jsonw w;
	tc_jsonw_init(&w, b);
	tc_jsonw_object(&w);
	tc_jsonw_kstr(&w, "format", "tocsin-sweep");
	tc_jsonw_kint(&w, "version", MANIFEST_VERSION);
	tc_manifest_json_run(&w, m);
	tc_jsonw_kint(&w, "replications", m->replications);
	tc_jsonw_kint(&w, "first", m->first);
	tc_jsonw_kint(&w, "last", m->last);
	tc_jsonw_key(&w, "until");
	if (m->until < 0)
		tc_jsonw_null(&w);
	else
		tc_jsonw_int(&w, m->until);
	tc_jsonw_key(&w, "max_events");
	tc_jsonw_uint(&w, m->max_events);
	tc_jsonw_key(&w, "lua_memory");
	tc_jsonw_uint(&w, m->lua_memory);
	tc_jsonw_key(&w, "lua_instructions");
	tc_jsonw_uint(&w, m->lua_instructions);
	tc_jsonw_kstr(&w, "on_script_error", m->script_errors_continue ? "continue" : "stop");
	tc_jsonw_key(&w, "blocks");
	tc_jsonw_array(&w);
	for (size_t i = 0; i < m->block_count; i++) {
		tc_jsonw_object(&w);
		tc_jsonw_kstrs(&w, "values", m->blocks[i].values, m->key_count);
		tc_jsonw_kstr(&w, "resolved_sha256", m->blocks[i].resolved_sha256);
		tc_jsonw_end(&w);
	}
	tc_jsonw_end(&w);
	tc_jsonw_key(&w, "columns");
	tc_jsonw_array(&w);
	for (size_t i = 0; i < m->column_count; i++) {
		tc_jsonw_object(&w);
		tc_jsonw_kstr(&w, "name", m->columns[i].name);
		tc_jsonw_kstr(&w, "kind", tc_figure_kind_name(m->columns[i].kind));
		tc_jsonw_kbool(&w, "headline", m->columns[i].headline);
		tc_jsonw_end(&w);
	}
	tc_jsonw_end(&w);
	tc_jsonw_end(&w);
	tc_buf_addc(b, '\n');
}

/* ---- reading ---------------------------------------------------------------- */

typedef struct reading {
	tc_manifest *m;
	const char *path;
	char *err;
	size_t errlen;
	int failed;
} reading;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void bad(reading *r, const char *fmt, ...)
{
	if (r->failed)
		return;
	r->failed = TC_EINVAL;
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s: %s", r->path, what);
}

static void oom(reading *r)
{
	if (!r->failed) {
		r->failed = TC_ENOMEM;
		snprintf(r->err, r->errlen, "out of memory");
	}
}

static const char *copy(reading *r, const char *s)
{
	const char *c = s ? tc_arena_strdup(&r->m->arena, s) : NULL;
	if (s && !c)
		oom(r);
	return c;
}

static const char *get_str(reading *r, json_t *obj, const char *key, int nullable)
{
	json_t *v = json_object_get(obj, key);
	if (v && json_is_null(v) && nullable)
		return NULL;
	if (!json_is_string(v)) {
		bad(r, "'%s': expected a string%s", key, nullable ? " or null" : "");
		return NULL;
	}
	return copy(r, json_string_value(v));
}

static uint64_t get_uint(reading *r, json_t *obj, const char *key, uint64_t max)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max) {
		bad(r, "'%s': expected a whole number up to %llu", key, (unsigned long long)max);
		return 0;
	}
	return (uint64_t)json_integer_value(v);
}

static const char *const *get_strs(reading *r, json_t *obj, const char *key, size_t *count)
{
	json_t *v = json_object_get(obj, key);
	*count = 0;
	if (!json_is_array(v)) {
		bad(r, "'%s': expected an array of strings", key);
		return NULL;
	}
	size_t n = json_array_size(v);
	const char **out = tc_arena_alloc(&r->m->arena, (n + 1) * sizeof *out);
	if (!out) {
		oom(r);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(v, i);
		if (!json_is_string(s)) {
			bad(r, "'%s'[%zu]: expected a string", key, i);
			return NULL;
		}
		out[i] = copy(r, json_string_value(s));
	}
	*count = n;
	return out;
}

static void read_blocks(reading *r, json_t *root)
{
	tc_manifest *m = r->m;
	json_t *v = json_object_get(root, "blocks");
	if (!json_is_array(v) || json_array_size(v) == 0) {
		bad(r, "'blocks': expected a non-empty array");
		return;
	}
	size_t n = json_array_size(v);
	tc_manifest_block *blocks = tc_arena_alloc(&m->arena, n * sizeof *blocks);
	if (!blocks) {
		oom(r);
		return;
	}
	for (size_t i = 0; i < n && !r->failed; i++) {
		json_t *b = json_array_get(v, i);
		size_t count;
		blocks[i].values = get_strs(r, b, "values", &count);
		blocks[i].resolved_sha256 = get_str(r, b, "resolved_sha256", 0);
		if (!r->failed && count != m->key_count)
			bad(r, "blocks[%zu]: %zu values for %zu grid keys", i, count, m->key_count);
	}
	m->blocks = blocks;
	m->block_count = n;
}

static void read_columns(reading *r, json_t *root)
{
	tc_manifest *m = r->m;
	json_t *v = json_object_get(root, "columns");
	if (!json_is_array(v)) {
		bad(r, "'columns': expected an array");
		return;
	}
	size_t n = json_array_size(v);
	tc_figure *cols = tc_arena_alloc(&m->arena, (n + 1) * sizeof *cols);
	if (!cols) {
		oom(r);
		return;
	}
	for (size_t i = 0; i < n && !r->failed; i++) {
		json_t *c = json_array_get(v, i);
		cols[i] = (tc_figure){.name = get_str(r, c, "name", 0)};
		const char *kind = get_str(r, c, "kind", 0);
		int k = kind ? tc_figure_kind_parse(kind) : -1;
		if (!r->failed && k < 0)
			bad(r, "columns[%zu].kind: expected time, count, ratio, flag or label", i);
		cols[i].kind = k < 0 ? TC_FIGURE_COUNT : (tc_figure_kind)k;
		json_t *h = json_object_get(c, "headline");
		if (!r->failed && !json_is_boolean(h))
			bad(r, "columns[%zu].headline: expected true or false", i);
		cols[i].headline = json_is_true(h);
	}
	m->columns = cols;
	m->column_count = n;
}

static void read_root(reading *r, json_t *root)
{
	tc_manifest *m = r->m;
	const char *format = get_str(r, root, "format", 0);
	if (!r->failed && strcmp(format, "tocsin-sweep") != 0) {
		bad(r, "not a sweep's sweep.json (format '%s')", format);
		return;
	}
	if (!r->failed && get_uint(r, root, "version", INT32_MAX) != MANIFEST_VERSION) {
		bad(r, "version: expected %d", MANIFEST_VERSION);
		return;
	}
	const char *tocsin = get_str(r, root, "tocsin", 0);
	if (!r->failed && strcmp(tocsin, TOCSIN_VERSION) != 0) {
		bad(r, "written by tocsin %s, this is %s: the runs may differ", tocsin,
		           TOCSIN_VERSION);
		return;
	}
	json_t *s = json_object_get(root, "scenario");
	if (!json_is_object(s)) {
		bad(r, "'scenario': expected an object");
		return;
	}
	m->scenario_file = get_str(r, s, "file", 0);
	m->scenario_name = get_str(r, s, "name", 1);
	m->scenario_sha256 = get_str(r, s, "sha256", 0);
	m->doctrine = get_str(r, root, "doctrine", 1);
	m->scripts = get_strs(r, root, "scripts", &m->script_count);
	m->sets = get_strs(r, root, "sets", &m->set_count);
	m->keys = get_strs(r, root, "grid", &m->key_count);
	m->seed = get_uint(r, root, "seed", INT64_MAX);
	m->replications = (uint32_t)get_uint(r, root, "replications", UINT32_MAX);
	m->first = (uint32_t)get_uint(r, root, "first", UINT32_MAX);
	m->last = (uint32_t)get_uint(r, root, "last", UINT32_MAX);
	json_t *until = json_object_get(root, "until");
	m->until = json_is_null(until) ? -1 : (int64_t)get_uint(r, root, "until", INT64_MAX);
	m->max_events = get_uint(r, root, "max_events", UINT64_MAX >> 1);
	m->lua_memory = get_uint(r, root, "lua_memory", UINT64_MAX >> 1);
	m->lua_instructions = get_uint(r, root, "lua_instructions", UINT64_MAX >> 1);
	const char *policy = get_str(r, root, "on_script_error", 0);
	if (!r->failed && strcmp(policy, "stop") != 0 && strcmp(policy, "continue") != 0)
		bad(r, "on_script_error: expected stop or continue");
	m->script_errors_continue = policy && strcmp(policy, "continue") == 0;
	if (!r->failed && (m->first > m->last || m->last > m->replications))
		bad(r, "first %lu, last %lu: expected first <= last <= replications (%lu)",
		    (unsigned long)m->first, (unsigned long)m->last, (unsigned long)m->replications);
	if (!r->failed)
		read_blocks(r, root);
	if (!r->failed)
		read_columns(r, root);
}

int tc_manifest_read(tc_manifest *m, tc_alloc *a, const char *path, char *err, size_t errlen)
{
	*m = (tc_manifest){0};
	tc_arena_init(&m->arena, a);
	char *data;
	size_t len;
	int rc = tc_file_read(a, path, MANIFEST_MAX_BYTES, &data, &len, err, errlen);
	if (rc)
		return rc;
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	tc_free(a, data, len + 1);
	reading r = {m, path, err, errlen, 0};
	if (!root)
		bad(&r, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
	else if (!json_is_object(root))
		bad(&r, "expected a JSON object");
	else
		read_root(&r, root);
	json_decref(root);
	if (r.failed)
		tc_manifest_release(m);
	return r.failed;
}

void tc_manifest_release(tc_manifest *m)
{
	tc_arena_release(&m->arena);
	*m = (tc_manifest){0};
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_strs(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!same_str(a[i], b[i]))
			return 0;
	return 1;
}

int tc_manifest_same_sweep(const tc_manifest *a, const tc_manifest *b, char *err, size_t errlen)
{
	const char *what = NULL;
	if (!same_str(a->scenario_sha256, b->scenario_sha256))
		what = "the scenario file's content (sha256)";
	else if (!same_str(a->doctrine, b->doctrine))
		what = "the doctrine (--doctrine)";
	else if (!same_strs(a->scripts, a->script_count, b->scripts, b->script_count))
		what = "the scripts (--script)";
	else if (!same_strs(a->sets, a->set_count, b->sets, b->set_count))
		what = "the overrides (--set)";
	else if (!same_strs(a->keys, a->key_count, b->keys, b->key_count) ||
	         a->block_count != b->block_count)
		what = "the grid (--grid)";
	else if (a->seed != b->seed)
		what = "the seed";
	else if (a->replications != b->replications)
		what = "the number of replications (-n)";
	else if (a->until != b->until || a->max_events != b->max_events ||
	         a->lua_memory != b->lua_memory || a->lua_instructions != b->lua_instructions ||
	         a->script_errors_continue != b->script_errors_continue)
		what = "the run options (--until, --max-events, --lua-*, --on-script-error)";
	for (size_t i = 0; !what && i < a->block_count; i++) {
		if (!same_strs(a->blocks[i].values, a->key_count, b->blocks[i].values, b->key_count))
			what = "the grid's values (--grid)";
		else if (!same_str(a->blocks[i].resolved_sha256, b->blocks[i].resolved_sha256))
			what = "the resolved scenario (an included catalogue, the doctrine or a script "
			       "changed)";
	}
	if (!what && a->column_count != b->column_count)
		what = "the columns";
	for (size_t i = 0; !what && i < a->column_count; i++)
		if (!same_str(a->columns[i].name, b->columns[i].name) ||
		    a->columns[i].kind != b->columns[i].kind)
			what = "the columns";
	if (!what)
		return 0;
	snprintf(err, errlen, "not the same sweep: %s differs", what);
	return -1;
}
