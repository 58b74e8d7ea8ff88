/*
 * Typed readers for scenario values. Each names the node's position and what
 * was expected; none stops the load, so all errors of a file are reported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "scenario/loader.h"

enum { ERR_LEN = 256 };

/* The indefinite article before a word. */
static const char *article(const char *word)
{
	return strchr("aeiou", word[0]) ? "an" : "a";
}

const char *ld_node_file(const loader *ld, const tc_ynode *n)
{
	return n && n->file ? n->file : ld->doc->file;
}

void ld_error(loader *ld, const tc_ynode *n, const char *fmt, ...)
{
	char text[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	tc_diag_add(ld->diag, ld_node_file(ld, n), n ? n->line : 0, n ? n->column : 0, "%s", text);
}

void ld_oom(loader *ld)
{
	if (!ld->oom)
		tc_diag_add(ld->diag, ld->doc->file, 0, 0, "out of memory while loading");
	ld->oom = 1;
}

void *ld_alloc(loader *ld, size_t n)
{
	void *p = tc_arena_alloc(ld->ar, n);
	if (!p)
		ld_oom(ld);
	return p;
}

int ld_expect(loader *ld, const tc_ynode *n, tc_ynode_type type, const char *what)
{
	return tc_yexpect(ld->doc, n, type, what, ld->diag) ? -1 : 0;
}

int ld_keys(loader *ld, const tc_ynode *map, const char *const *allowed, size_t n, const char *what)
{
	return tc_ycheck_keys(ld->doc, map, allowed, n, what, ld->diag) ? -1 : 0;
}

const tc_ynode *ld_required(loader *ld, const tc_ynode *map, const char *key, const char *what)
{
	const tc_ynode *v = tc_ymap_get(map, key);
	if (!v)
		ld_error(ld, map, "%s: missing required key '%s'", what, key);
	return v;
}

int ld_string(loader *ld, const tc_ynode *n, const char *what, const char **out)
{
	const char *text;
	if (tc_yscalar_string(ld->doc, n, what, &text, ld->diag))
		return -1;
	*out = tc_arena_strndup(ld->ar, text, n->len);
	if (!*out) {
		ld_oom(ld);
		return -1;
	}
	return 0;
}

/* Ids are what other entries and the log refer to: keep them plain. */
static int is_id(const tc_ynode *n)
{
	int ok = n && n->type == TC_YSCALAR && n->len > 0 && n->len <= 64;
	for (size_t i = 0; ok && i < n->len; i++) {
		char c = n->text[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '-' || c == '_' || c == '.';
	}
	return ok;
}

int ld_id(loader *ld, const tc_ynode *n, const char *what, const char **out)
{
	if (ld_expect(ld, n, TC_YSCALAR, what))
		return -1;
	if (!is_id(n)) {
		ld_error(ld, n, "expected %s: 1 to 64 letters, digits, '-', '_' or '.', got '%s'",
		         what, LD_EX(n));
		return -1;
	}
	return ld_string(ld, n, what, out);
}

int ld_int(loader *ld, const tc_ynode *n, int64_t min, int64_t max, int64_t *out)
{
	return tc_yscalar_int(ld->doc, n, min, max, out, ld->diag) ? -1 : 0;
}

int ld_bool(loader *ld, const tc_ynode *n, int *out)
{
	return tc_yscalar_bool(ld->doc, n, out, ld->diag) ? -1 : 0;
}

int ld_probability(loader *ld, const tc_ynode *n, double *out)
{
	if (tc_yscalar_double(ld->doc, n, 0.0, 1.0, out, ld->diag))
		return -1;
	if (*out >= 1.0) {
		ld_error(ld, n, "expected a probability below 1 (a channel that loses everything "
		                "should be taken down instead), got %s", LD_EX(n));
		return -1;
	}
	return 0;
}

/* At the character of byte `offset` of the scalar's text when the source
 * shows it as is (tc_ynode.text_column), else at the scalar. */
void ld_error_at(loader *ld, const tc_ynode *n, size_t offset, const char *msg)
{
	int column = n->column;
	if (n->text_column > 0) {
		size_t chars = 0;
		for (size_t i = 0; i < offset && i < n->len; i++)
			chars += ((unsigned char)n->text[i] & 0xC0) != 0x80;
		column = n->text_column + (int)chars;
	}
	tc_diag_add(ld->diag, ld_node_file(ld, n), n->line, column, "%s", msg);
}

int ld_duration(loader *ld, const tc_ynode *n, tc_duration *out)
{
	if (ld_expect(ld, n, TC_YSCALAR, "a duration"))
		return -1;
	char err[ERR_LEN];
	size_t off = 0;
	if (tc_duration_parse(n->text, n->len, out, err, sizeof err, &off)) {
		ld_error_at(ld, n, off, err);
		return -1;
	}
	return 0;
}

int ld_span(loader *ld, const tc_ynode *n, tc_time *out)
{
	tc_duration d;
	if (ld_duration(ld, n, &d))
		return -1;
	if (d.months) {
		ld_error(ld, n, "calendar months are only allowed in deadlines; give '%s' in days "
		                "or weeks", LD_EX(n));
		return -1;
	}
	*out = d.ms;
	return 0;
}

/* Exercise times lie within TC_MAX_TIME_OFFSET of T+0: an intrusion may
 * start long before the exercise, but not decades before (duty timelines
 * are compiled over the whole span). */
int ld_time(loader *ld, const tc_ynode *n, tc_time *out)
{
	if (ld_expect(ld, n, TC_YSCALAR, "a time"))
		return -1;
	tc_time t;
	char err[ERR_LEN];
	size_t off = 0;
	if (tc_exercise_time_parse(n->text, n->len, ld->s->epoch_utc_ms, ld->s->tz, &t, err,
	                           sizeof err, &off)) {
		ld_error_at(ld, n, off, err);
		return -1;
	}
	if (t < -TC_MAX_TIME_OFFSET || t > TC_MAX_TIME_OFFSET) {
		ld_error(ld, n, "time '%s' is more than 366 days from the exercise start (T+0)",
		         LD_EX(n));
		return -1;
	}
	*out = t;
	return 0;
}

/* Every value of a distribution is a duration of zero or more. */
static int dist_value(loader *ld, const tc_ynode *n, double *out)
{
	tc_time ms;
	if (ld_span(ld, n, &ms))
		return -1;
	if (ms < 0) {
		ld_error(ld, n, "expected a duration of zero or more, got '%s'", LD_EX(n));
		return -1;
	}
	*out = (double)ms;
	return 0;
}

static int dist_param(loader *ld, const tc_ynode *map, const char *key, const char *what,
                      double *out)
{
	const tc_ynode *v = ld_required(ld, map, key, what);
	return v ? dist_value(ld, v, out) : -1;
}

static int dist_values(loader *ld, const tc_ynode *map, tc_dist *out, char *err, size_t errlen)
{
	const tc_ynode *values = ld_required(ld, map, "values", "empirical distribution");
	const tc_ynode *weights = tc_ymap_get(map, "weights");
	if (!values || ld_expect(ld, values, TC_YSEQ, "a list of durations"))
		return -1;
	if (values->count == 0 || values->count > 100000) {
		ld_error(ld, values, "expected 1 to 100000 values, got %zu", values->count);
		return -1;
	}
	if (weights && (ld_expect(ld, weights, TC_YSEQ, "a list of weights") ||
	                weights->count != values->count)) {
		if (weights->type == TC_YSEQ)
			ld_error(ld, weights, "expected %zu weights (one per value), got %zu",
			         values->count, weights->count);
		return -1;
	}
	size_t n = values->count;
	double *v = tc_malloc(ld->alloc, n * sizeof *v);
	double *w = weights ? tc_malloc(ld->alloc, n * sizeof *w) : NULL;
	int rc = (!v || (weights && !w)) ? -1 : 0;
	if (rc)
		ld_oom(ld);
	for (size_t i = 0; v && (!weights || w) && i < n; i++) {
		v[i] = 0;
		if (w)
			w[i] = 0;
		if (dist_value(ld, values->items[i], &v[i]))
			rc = -1;
		if (w && tc_yscalar_double(ld->doc, weights->items[i], 0.0, 1e300, &w[i], ld->diag))
			rc = -1;
	}
	int err_code = rc == 0 ? tc_dist_empirical(out, ld->ar, v, w, n, err, errlen) : TC_OK;
	if (err_code == TC_ENOMEM) {
		ld_oom(ld);
		rc = -1;
	} else if (err_code) {
		ld_error(ld, map, "%s", err);
		rc = -1;
	}
	tc_free(ld->alloc, v, n * sizeof *v);
	tc_free(ld->alloc, w, n * sizeof *w);
	return rc;
}

/* The order a distribution's parameters must respect, said in durations. */
static int dist_order(loader *ld, const tc_ynode *map, const char *lo_key, double lo,
                      const char *hi_key, double hi, int strict)
{
	if (strict ? hi > lo : hi >= lo)
		return 0;
	char a[32], b[32];
	tc_duration_format((int64_t)lo, a, sizeof a);
	tc_duration_format((int64_t)hi, b, sizeof b);
	ld_error(ld, tc_ymap_get(map, hi_key), "%s (%s) must be %s %s (%s)", hi_key, b,
	         strict ? "greater than" : "at least", lo_key, a);
	return -1;
}

static int dist_positive(loader *ld, const tc_ynode *map, const char *key, double v)
{
	if (v > 0)
		return 0;
	ld_error(ld, tc_ymap_get(map, key), "%s must be greater than 0, got %s", key,
	         LD_EX(tc_ymap_get(map, key)));
	return -1;
}

int ld_dist(loader *ld, const tc_ynode *n, tc_dist *out)
{
	char err[ERR_LEN] = "";
	if (n->type == TC_YSCALAR) {
		double ms;
		if (dist_value(ld, n, &ms))
			return -1;
		if (tc_dist_fixed(out, ms, err, sizeof err)) {
			ld_error(ld, n, "%s", err);
			return -1;
		}
		return 0;
	}
	if (ld_expect(ld, n, TC_YMAP, "a duration or a distribution such as "
	                              "{dist: lognormal, median: 20m, p90: 1h}"))
		return -1;
	const tc_ynode *kind = ld_required(ld, n, "dist", "distribution");
	if (!kind || ld_expect(ld, kind, TC_YSCALAR, "a distribution name"))
		return -1;
	static const char *const names[] = {"fixed", "uniform", "exponential", "normal",
	                                    "lognormal", "triangular", "empirical"};
	static const char *const keys[][4] = {
		{"dist", "value"}, {"dist", "min", "max"}, {"dist", "mean"}, {"dist", "mean", "sd"},
		{"dist", "median", "p90"}, {"dist", "min", "mode", "max"}, {"dist", "values", "weights"},
	};
	static const size_t key_count[] = {2, 3, 2, 3, 3, 4, 3};
	size_t k = 0;
	while (k < 7 && strcmp(kind->text, names[k]) != 0)
		k++;
	if (k == 7) {
		ld_unknown_name(ld, kind, "distribution", names, 7, "fixed, uniform, exponential, normal, "
		                "lognormal, triangular or empirical");
		return -1;
	}
	char what[32];
	snprintf(what, sizeof what, "%s distribution", names[k]);
	ld_keys(ld, n, keys[k], key_count[k], what);
	int rc = 0;
	if (k == TC_DIST_EMPIRICAL)
		return dist_values(ld, n, out, err, sizeof err);
	double p[3] = {0, 0, 0};
	for (size_t i = 1; i < key_count[k]; i++)
		rc |= dist_param(ld, n, keys[k][i], what, &p[i - 1]);
	if (rc)
		return -1;
	switch ((tc_dist_kind)k) {
	case TC_DIST_FIXED: break;
	case TC_DIST_UNIFORM: rc = dist_order(ld, n, "min", p[0], "max", p[1], 0); break;
	case TC_DIST_EXPONENTIAL: rc = dist_positive(ld, n, "mean", p[0]); break;
	case TC_DIST_NORMAL: rc = dist_positive(ld, n, "sd", p[1]); break;
	case TC_DIST_LOGNORMAL:
		rc = dist_positive(ld, n, "median", p[0]);
		rc = rc ? rc : dist_order(ld, n, "the median", p[0], "p90", p[1], 1);
		break;
	case TC_DIST_TRIANGULAR:
		rc = dist_order(ld, n, "min", p[0], "mode", p[1], 0);
		rc = rc ? rc : dist_order(ld, n, "mode", p[1], "max", p[2], 0);
		break;
	case TC_DIST_EMPIRICAL: break;
	}
	if (rc)
		return -1;
	switch ((tc_dist_kind)k) {
	case TC_DIST_FIXED: rc = tc_dist_fixed(out, p[0], err, sizeof err); break;
	case TC_DIST_UNIFORM: rc = tc_dist_uniform(out, p[0], p[1], err, sizeof err); break;
	case TC_DIST_EXPONENTIAL: rc = tc_dist_exponential(out, p[0], err, sizeof err); break;
	case TC_DIST_NORMAL: rc = tc_dist_normal(out, p[0], p[1], err, sizeof err); break;
	case TC_DIST_LOGNORMAL: rc = tc_dist_lognormal(out, p[0], p[1], err, sizeof err); break;
	case TC_DIST_TRIANGULAR: rc = tc_dist_triangular(out, p[0], p[1], p[2], err, sizeof err); break;
	case TC_DIST_EMPIRICAL: break;
	}
	if (rc) {
		ld_error(ld, n, "%s", err);
		return -1;
	}
	return 0;
}

void ld_unknown_name(loader *ld, const tc_ynode *n, const char *what, const char *const *names,
                     size_t count, const char *expected)
{
	const char *hint = tc_suggest(n->text, names, count);
	if (hint)
		ld_error(ld, n, "unknown %s '%s' (did you mean '%s'?)", what, LD_EX(n), hint);
	else
		ld_error(ld, n, "unknown %s '%s' (expected %s)", what, LD_EX(n), expected);
}

static int named_value(loader *ld, const tc_ynode *n, const char *what, const char *const *names,
                       size_t count, int found, const char *expected)
{
	if (found)
		return 0;
	ld_unknown_name(ld, n, what, names, count, expected);
	return -1;
}

int ld_level_in(loader *ld, const tc_ynode *n, size_t prefix, tc_level *out)
{
	if (tc_level_parse(n->text + prefix, out) == 0)
		return 0;
	const char *hint = tc_suggest(n->text + prefix, tc_level_names, TC_LEVEL_COUNT);
	if (hint)
		ld_error(ld, n, "unknown level in '%s' (did you mean '%.*s%s'?)", LD_EX(n), (int)prefix,
		         n->text, hint);
	else
		ld_error(ld, n, "unknown level in '%s' (expected %.*stechnical, operational, "
		                "strategic or political)", LD_EX(n), (int)prefix, n->text);
	return -1;
}

int ld_level(loader *ld, const tc_ynode *n, tc_level *out)
{
	if (ld_expect(ld, n, TC_YSCALAR, "a level"))
		return -1;
	return named_value(ld, n, "level", tc_level_names, TC_LEVEL_COUNT,
	                   tc_level_parse(n->text, out) == 0,
	                   "technical, operational, strategic or political");
}

int ld_severity(loader *ld, const tc_ynode *n, int *out)
{
	if (ld_expect(ld, n, TC_YSCALAR, "a severity"))
		return -1;
	return named_value(ld, n, "severity", tc_severity_names, TC_SEVERITY_MAX + 1,
	                   tc_severity_parse(n->text, out) == 0,
	                   "info, low, medium, high, critical or 0 to 4");
}

int ld_tlp(loader *ld, const tc_ynode *n, int *out)
{
	if (ld_expect(ld, n, TC_YSCALAR, "a TLP marking"))
		return -1;
	tc_tlp tlp;
	int found = tc_tlp_parse(n->text, &tlp) == 0;
	if (found)
		*out = (int)tlp;
	return named_value(ld, n, "TLP marking", tc_tlp_names, TC_TLP_COUNT, found,
	                   "CLEAR, GREEN, AMBER, AMBER+STRICT or RED");
}

/*
 * Hints cost an edit distance per candidate (up to 10 000 actor ids), so a
 * hostile file full of unknown references could keep the loader busy for
 * hours: hints stop when the diagnostics are full (the message would be
 * dropped anyway) or the load's budget of comparisons is spent.
 */
const char *ld_suggest(loader *ld, const char *word, const char *const *names, size_t n)
{
	if (!n || tc_diag_errors(ld->diag) >= ld->diag->max_entries)
		return NULL;
	size_t len = strlen(word) + 1, cost = 0;
	for (size_t i = 0; i < n; i++)
		cost += len * (strlen(names[i]) + 1);
	if (cost > ld->suggest_budget)
		return NULL;
	ld->suggest_budget -= cost;
	return tc_suggest(word, names, n);
}

/* A "did you mean" hint for an unknown id of map which, or NULL. */
static const char *suggest_id(loader *ld, const char *word, int which)
{
	const tc_strmap *m = &ld->ids[which];
	if (!m->count || tc_diag_errors(ld->diag) >= ld->diag->max_entries)
		return NULL;
	const char **keys = tc_malloc(ld->alloc, m->count * sizeof *keys);
	if (!keys)
		return NULL; /* a hint is a nicety: no hint rather than a failed load */
	size_t n = 0;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			keys[n++] = m->slots[i].key;
	const char *hint = ld_suggest(ld, word, keys, n);
	tc_free(ld->alloc, keys, m->count * sizeof *keys);
	return hint;
}

/* "unknown actor 'x' (did you mean 'y'?)", else with the note if any. */
static void unknown_ref(loader *ld, const tc_ynode *n, int which, const char *what,
                        const char *note)
{
	/* An entry of the section whose extends failed has no known id: the
	 * id meant may be this one, and the failed extends is reported. */
	if (ld->cat.unnamed[which])
		return;
	const char *hint = suggest_id(ld, n->text, which);
	if (hint)
		ld_error(ld, n, "unknown %s '%s' (did you mean '%s'?)", what, LD_EX(n), hint);
	else if (note)
		ld_error(ld, n, "unknown %s '%s' (%s)", what, LD_EX(n), note);
	else
		ld_error(ld, n, "unknown %s '%s'", what, LD_EX(n));
}

int ld_kind(loader *ld, const tc_ynode *n, tc_kind_id *out)
{
	if (ld_expect(ld, n, TC_YSCALAR, "a message kind"))
		return -1;
	if (tc_yscalar_is_null(n)) {
		ld_error(ld, n, "expected a message kind, got nothing");
		return -1;
	}
	int k = tc_strmap_get(&ld->ids[LD_KINDS], n->text);
	if (k < 0) {
		unknown_ref(ld, n, LD_KINDS, "message kind", "declare it under 'kinds:'");
		return -1;
	}
	*out = (tc_kind_id)k;
	return 0;
}

int ld_ref(loader *ld, const tc_ynode *n, int which, const char *what, int *out)
{
	char expected[64];
	snprintf(expected, sizeof expected, "%s id", what);
	if (ld_expect(ld, n, TC_YSCALAR, expected))
		return -1;
	if (tc_yscalar_is_null(n)) {
		ld_error(ld, n, "expected %s %s, got nothing", article(what), expected);
		return -1;
	}
	int i = tc_strmap_get(&ld->ids[which], n->text);
	if (i < 0) {
		unknown_ref(ld, n, which, what, NULL);
		return -1;
	}
	*out = i;
	return 0;
}

int ld_refs(loader *ld, const tc_ynode *n, int which, const char *what, uint32_t **out,
            size_t *count)
{
	size_t total = n->type == TC_YSEQ ? n->count : 1;
	*out = NULL;
	*count = 0;
	if (n->type == TC_YMAP || total == 0) {
		ld_error(ld, n, "expected %s %s id or a list of them, got %s", article(what), what,
		         total ? "a mapping" : "an empty list");
		return -1;
	}
	uint32_t *ids = ld_alloc(ld, total * sizeof *ids);
	if (!ids)
		return -1;
	int rc = 0;
	uint32_t max = 0;
	for (size_t i = 0; i < total; i++) {
		int idx;
		ids[i] = UINT32_MAX;
		if (ld_ref(ld, n->type == TC_YSEQ ? n->items[i] : n, which, what, &idx)) {
			rc = -1;
			continue;
		}
		ids[i] = (uint32_t)idx;
		if (ids[i] > max)
			max = ids[i];
	}
	/* Drop the failed ones and report duplicates in file order; a flag per
	 * id keeps long lists linear. */
	uint8_t *seen = tc_calloc(ld->alloc, (size_t)max + 1, 1);
	if (!seen) {
		ld_oom(ld);
		return -1;
	}
	for (size_t i = 0; i < total; i++) {
		if (ids[i] == UINT32_MAX)
			continue;
		if (seen[ids[i]]) {
			/* Only a list can name an id twice. */
			ld_error(ld, n->items[i], "%s '%s' is listed twice", what, LD_EX(n->items[i]));
			rc = -1;
			continue;
		}
		seen[ids[i]] = 1;
		ids[(*count)++] = ids[i];
	}
	tc_free(ld->alloc, seen, (size_t)max + 1);
	*out = ids;
	return rc;
}

static int target(loader *ld, const tc_ynode *n, tc_target *t)
{
	if (ld_expect(ld, n, TC_YSCALAR, "a recipient"))
		return -1;
	memset(t, 0, sizeof *t);
	if (strcmp(n->text, "sender") == 0) {
		t->type = TC_TARGET_SENDER;
	} else if (strcmp(n->text, "members") == 0) {
		t->type = TC_TARGET_MEMBERS;
	} else if (strcmp(n->text, "required") == 0) {
		t->type = TC_TARGET_REQUIRED;
	} else if (strncmp(n->text, "level:", 6) == 0) {
		t->type = TC_TARGET_LEVEL;
		if (ld_level_in(ld, n, 6, &t->level))
			return -1;
	} else if (strncmp(n->text, "members:", 8) == 0) {
		t->type = TC_TARGET_MEMBERS_OF;
		int a = tc_strmap_get(&ld->ids[LD_ACTORS], n->text + 8);
		if (a < 0) {
			const char *hint = suggest_id(ld, n->text + 8, LD_ACTORS);
			if (ld->cat.unnamed[LD_ACTORS])
				;   /* as in unknown_ref */
			else if (hint)
				ld_error(ld, n, "unknown actor in '%s' (did you mean 'members:%s'?)", LD_EX(n),
				         hint);
			else
				ld_error(ld, n, "unknown actor in '%s' (expected members:ACTOR-ID)", LD_EX(n));
			return -1;
		}
		t->actor = (uint32_t)a;
	} else {
		int a;
		t->type = TC_TARGET_ACTOR;
		if (ld_ref(ld, n, LD_ACTORS, "actor", &a))
			return -1;
		t->actor = (uint32_t)a;
	}
	return 0;
}

int ld_targets(loader *ld, const tc_ynode *n, const tc_target **out, size_t *count)
{
	size_t total = n->type == TC_YSEQ ? n->count : 1;
	if (total == 0) {
		ld_error(ld, n, "expected at least one recipient");
		return -1;
	}
	tc_target *t = ld_alloc(ld, total * sizeof *t);
	if (!t)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < total; i++)
		rc |= target(ld, n->type == TC_YSEQ ? n->items[i] : n, &t[i]);
	/* A recipient named twice would get the message twice. Recipient lists
	 * are short: the pairwise check costs nothing. */
	for (size_t i = 1; i < total && !rc; i++)
		for (size_t j = 0; j < i; j++)
			if (t[i].type == t[j].type && t[i].actor == t[j].actor &&
			    t[i].level == t[j].level) {
				ld_error(ld, n->items[i], "recipient '%s' is listed twice",
				         LD_EX(n->items[i]));
				rc = -1;
				break;
			}
	*out = t;
	*count = total;
	return rc;
}

static int retry(loader *ld, const tc_ynode *n, tc_send_def *out)
{
	static const char *const keys[] = {"after", "max"};
	if (ld_expect(ld, n, TC_YMAP, "{after: DURATION, max: N}"))
		return -1;
	int rc = ld_keys(ld, n, keys, 2, "retry");
	const tc_ynode *after = ld_required(ld, n, "after", "retry");
	const tc_ynode *max = tc_ymap_get(n, "max");
	int64_t m = 3;
	if (max)
		rc |= ld_int(ld, max, 1, 100, &m);
	if (!after || ld_span(ld, after, &out->retry_after))
		return -1;
	if (out->retry_after <= 0) {
		ld_error(ld, after, "expected a positive retry delay, got '%s'", LD_EX(after));
		return -1;
	}
	out->retry_max = (int)m;
	return rc;
}

int ld_send(loader *ld, const tc_ynode *n, tc_send_def *out)
{
	static const char *const keys[] = {"kind", "to", "severity", "tlp", "channel", "retry"};
	memset(out, 0, sizeof *out);
	out->severity = out->tlp = out->channel = -1;
	if (ld_expect(ld, n, TC_YMAP, "a message to send: {kind: ..., to: ...}"))
		return -1;
	int rc = ld_keys(ld, n, keys, 6, "send");
	const tc_ynode *kind = ld_required(ld, n, "kind", "send");
	const tc_ynode *to = ld_required(ld, n, "to", "send");
	if (!kind || !to)
		rc = -1;
	if (kind)
		rc |= ld_kind(ld, kind, &out->kind);
	if (to)
		rc |= ld_targets(ld, to, &out->to, &out->to_count);
	const tc_ynode *v;
	if ((v = tc_ymap_get(n, "severity")))
		rc |= ld_severity(ld, v, &out->severity);
	if ((v = tc_ymap_get(n, "tlp")))
		rc |= ld_tlp(ld, v, &out->tlp);
	if ((v = tc_ymap_get(n, "channel")))
		rc |= ld_ref(ld, v, LD_CHANNELS, "channel", &out->channel);
	if ((v = tc_ymap_get(n, "retry")))
		rc |= retry(ld, v, out);
	return rc;
}

int ld_define(loader *ld, const tc_ynode *n, int which, const char *what, const char *id, int index)
{
	int existing;
	int rc = tc_strmap_put(&ld->ids[which], id, index, &existing);
	if (rc == 1) {
		ld_error(ld, n, "duplicate %s id '%s'", what, id);
		return -1;
	}
	if (rc) {
		ld_oom(ld);
		return -1;
	}
	return 0;
}

int ld_list(loader *ld, const tc_ynode *seq, int which, const char *what, size_t min, size_t max,
            size_t elem_size, void **items, size_t *count, ld_entry_fn fn)
{
	char expected[96];
	snprintf(expected, sizeof expected, "a list of %ss", what);
	if (ld_expect(ld, seq, TC_YSEQ, expected))
		return -1;
	if (seq->count > max) {
		ld_error(ld, seq, "too many %ss: %zu (at most %zu)", what, seq->count, max);
		ld_status(ld, TC_ELIMIT);
		return -1;
	}
	if (seq->count < min) {
		ld_error(ld, seq, "expected at least %zu %s%s, got none", min, what, min == 1 ? "" : "s");
		return -1;
	}
	char *array = ld_alloc(ld, (seq->count ? seq->count : 1) * elem_size);
	if (!array)
		return -1;
	*items = array;
	*count = seq->count;
	int rc = 0;
	snprintf(expected, sizeof expected, "%s %s (a mapping with an id)", article(what), what);
	for (size_t i = 0; i < seq->count; i++) {
		const tc_ynode *n = seq->items[i], *id;
		const char **slot = (const char **)(void *)(array + i * elem_size);
		char id_what[96];
		snprintf(id_what, sizeof id_what, "%s %s id", article(what), what);
		if (ld_extend_failed(ld, n)) {
			/* Reported already. Its own id still resolves references;
			 * without one, the id meant is unknown (it is not the
			 * misspelt catalogue id), and unknown references to the
			 * section go unreported rather than point at the typo. */
			if ((id = tc_ymap_get(n, "id")) && is_id(id) &&
			    ld_string(ld, id, id_what, slot) == 0)
				ld_define(ld, id, which, what, *slot, (int)i);
			else
				ld->cat.unnamed[which] = 1;
			rc = -1;
			continue;
		}
		if (ld_expect(ld, n, TC_YMAP, expected) || !(id = ld_required(ld, n, "id", what)) ||
		    ld_id(ld, id, id_what, slot) || ld_define(ld, id, which, what, *slot, (int)i)) {
			*slot = NULL;
			rc = -1;
		}
	}
	for (size_t i = 0; i < seq->count; i++)
		if (*(const char **)(void *)(array + i * elem_size) &&
		    !ld_extend_failed(ld, seq->items[i]) && fn(ld, seq->items[i], i))
			rc = -1;
	return rc;
}
