/*
 * Loading a scenario: YAML tree -> immutable tc_scenario. The sections are
 * read in dependency order (kinds and ids before what refers to them); every
 * error is collected with its position before the load is refused.
 */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/sha256.h"
#include "scenario/loader.h"

void ld_status(loader *ld, int code)
{
	if (code == TC_ENOMEM)
		ld->oom = 1;
	else if (code != TC_OK && code != TC_EINVAL && ld->status == TC_OK)
		ld->status = code;
}

int ld_parse_yaml(loader *ld, const char *name, const char *data, size_t len, tc_ydoc *doc,
                  char sha256[65])
{
	tc_ylimits lim;
	tc_ylimits_default(&lim);
	uint8_t digest[TC_SHA256_SIZE];
	tc_sha256(data, len, digest);
	tc_sha256_hex(digest, sha256);
	int rc = tc_ydoc_load_buffer(doc, ld->alloc, name, data, len, &lim, ld->diag);
	ld_status(ld, rc);
	return rc ? -1 : 0;
}

int ld_read_yaml(loader *ld, const char *path, tc_ydoc *doc, char sha256[65])
{
	tc_ylimits lim;
	tc_ylimits_default(&lim);
	char *data;
	size_t len;
	char err[512];
	int rc = tc_file_read(ld->alloc, path, lim.max_bytes, &data, &len, err, sizeof err);
	if (rc) {
		tc_diag_add(ld->diag, path, 0, 0, "%s", err);
		ld_status(ld, rc);
		return -1;
	}
	rc = ld_parse_yaml(ld, path, data, len, doc, sha256);
	tc_free(ld->alloc, data, len + 1);
	return rc;
}

int ld_file_name(loader *ld, const tc_ynode *n, const char *what, const char **out)
{
	assert(n);
	if (n->type != TC_YSCALAR || tc_yscalar_is_null(n) || n->len == 0) {
		ld_error(ld, n, "expected a %s name, got %s", what,
		         n->type == TC_YMAP      ? "a mapping"
		         : n->type == TC_YSEQ    ? "a sequence"
		         : tc_yscalar_is_null(n) ? "nothing"
		                                 : "an empty string");
		return -1;
	}
	assert(!memchr(n->text, '\0', n->len)); /* the YAML reader refuses NUL bytes */
	*out = n->text;
	return 0;
}

const char *ld_resolve_path(loader *ld, const char *base, const char *path)
{
	if (path[0] == '/')
		return tc_arena_strdup(ld->ar, path);
	const char *slash = strrchr(base, '/');
	size_t dir = slash ? (size_t)(slash - base + 1) : 0;
	size_t len = dir + strlen(path);
	char *full = ld_alloc(ld, len + 1);
	if (full) {
		memcpy(full, base, dir);
		strcpy(full + dir, path);
	}
	return full;
}

int ld_check_named_file(loader *ld, const tc_ynode *node, const char *path, const char *what,
                        const char *expected, ld_file_id *id)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		int e = errno;
		ld_error(ld, node, "cannot open %s '%s': %s", what, path, strerror(e));
		ld_status(ld, e == ENOENT ? TC_ENOENT : TC_EIO);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		ld_error(ld, node, "%s '%s' is not a regular file", what, path);
		ld_status(ld, TC_EIO);
		return -1;
	}
	if (st.st_size == 0) {
		ld_error(ld, node, "%s '%s' is empty (expected %s)", what, path, expected);
		return -1;
	}
	if (id)
		*id = (ld_file_id){(uint64_t)st.st_dev, (uint64_t)st.st_ino, 1};
	return 0;
}

void ld_file_identity(const char *path, ld_file_id *id)
{
	struct stat st;
	if (stat(path, &st) == 0)
		*id = (ld_file_id){(uint64_t)st.st_dev, (uint64_t)st.st_ino, 1};
	else
		*id = (ld_file_id){0, 0, 0};
}

static int kinds(loader *ld, const tc_ynode *n)
{
	tc_scenario *s = ld->s;
	for (size_t i = 0; i < TC_KIND_BUILTIN_COUNT; i++) {
		s->kinds[i] = tc_builtin_kinds[i];
		if (tc_strmap_put(&ld->ids[LD_KINDS], s->kinds[i].name, (int)i, NULL)) {
			ld_oom(ld);
			return -1;
		}
	}
	s->kind_count = TC_KIND_BUILTIN_COUNT;
	if (!n)
		return 0;
	if (ld_expect(ld, n, TC_YMAP, "message kinds: {KIND: {informative: true|false}}"))
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n->count; i++) {
		const tc_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
		static const char *const keys[] = {"informative"};
		const char *name;
		int informative = 1;
		if (ld_id(ld, k, "a message kind name", &name)) {
			rc = -1;
			continue;
		}
		if (strcmp(name, "any") == 0) {
			ld_error(ld, k, "'any' cannot be a message kind: 'on: any' matches every kind");
			rc = -1;
			continue;
		}
		if (!tc_yscalar_is_null(v)) {
			const tc_ynode *inf;
			char what[96];
			snprintf(what, sizeof what, "kind '%s'", name);
			if (ld_expect(ld, v, TC_YMAP, "{informative: true|false}") ||
			    ld_keys(ld, v, keys, 1, what) ||
			    ((inf = tc_ymap_get(v, "informative")) && ld_bool(ld, inf, &informative))) {
				rc = -1;
				continue;
			}
		}
		int existing = tc_strmap_get(&ld->ids[LD_KINDS], name);
		if (existing >= 0) {
			/* Redeclaring a built-in kind changes only whether it informs. */
			s->kinds[existing].informative = informative;
			continue;
		}
		if (s->kind_count == TC_KIND_MAX) {
			ld_error(ld, k, "too many message kinds (at most %d)", TC_KIND_MAX);
			ld_status(ld, TC_ELIMIT);
			return -1;
		}
		s->kinds[s->kind_count].name = name;
		s->kinds[s->kind_count].informative = informative;
		if (ld_define(ld, k, LD_KINDS, "kind", name, (int)s->kind_count))
			return -1;
		s->kind_count++;
	}
	return rc;
}

static int exercise_start(loader *ld, const tc_ynode *n)
{
	tc_scenario *s = ld->s;
	const tc_ynode *start = ld_required(ld, n, "start", "exercise");
	if (!start || ld_expect(ld, start, TC_YSCALAR, "a date-time such as 2022-08-20T22:00:00"))
		return -1;
	char err[256];
	size_t off = 0;
	int has_offset;
	int64_t epoch;
	if (tc_datetime_parse(start->text, start->len, &epoch, &has_offset, err, sizeof err, &off)) {
		ld_error_at(ld, start, off, err);
		return -1;
	}
	if (!has_offset)
		epoch = tc_tz_local_to_utc(s->tz, epoch / 1000) * 1000 + epoch % 1000;
	s->epoch_utc_ms = epoch;
	return 0;
}

/* The exercise. Whatever its errors, it leaves a zone (UTC at worst) and an
 * epoch so that later sections can still be checked and report theirs. */
static int exercise(loader *ld, const tc_ynode *n)
{
	static const char *const keys[] = {"name", "description", "start", "timezone", "duration",
	                                   "seed"};
	tc_scenario *s = ld->s;
	const tc_ynode *map = n && !ld_expect(ld, n, TC_YMAP, "the exercise (name, start, "
	                                                      "duration...)") ? n : NULL;
	int rc = map ? ld_keys(ld, map, keys, sizeof keys / sizeof *keys, "exercise") : -1;
	const tc_ynode *v = map ? tc_ymap_get(map, "timezone") : NULL;
	if (v && !(s->tz = ld_zone(ld, v)))
		rc = -1;
	if (!s->tz) {
		tc_ynode utc = {.type = TC_YSCALAR, .text = "UTC", .len = 3, .plain = 1,
		                .line = map ? map->line : 0, .column = map ? map->column : 0};
		if (!(s->tz = ld_zone(ld, &utc)))
			return -1;
	}
	s->timezone = tc_tz_name(s->tz);
	if (!map)
		return -1;
	if ((v = ld_required(ld, map, "name", "exercise")))
		rc |= ld_string(ld, v, "a name", &s->name);
	else
		rc = -1;
	if ((v = tc_ymap_get(map, "description")))
		rc |= ld_string(ld, v, "a description", &s->description);
	rc |= exercise_start(ld, map);
	if ((v = ld_required(ld, map, "duration", "exercise"))) {
		if (ld_span(ld, v, &s->duration))
			rc = -1;
		else if (s->duration <= 0 || s->duration > 366 * TC_DAY) {
			ld_error(ld, v, "expected an exercise duration between 1ms and 366d, got '%s'",
			         LD_EX(v));
			rc = -1;
		}
	} else {
		rc = -1;
	}
	int64_t seed = 1;
	if ((v = tc_ymap_get(map, "seed")))
		rc |= ld_int(ld, v, 0, INT64_MAX, &seed);
	s->default_seed = (uint64_t)seed;
	return rc;
}

/*
 * Objectives anchored on each other must not form a cycle. Each objective
 * has at most one anchor, so one walk per objective, marking what it has
 * seen, finds every cycle once in linear time. A cycle is reported at the
 * anchor of its first member in file order; self-anchors are reported where
 * they are read.
 */
static int check_anchor_cycles(loader *ld, const tc_ynode *seq)
{
	tc_scenario *s = ld->s;
	size_t n = s->objective_count;
	size_t *walk = tc_calloc(ld->alloc, n ? n : 1, sizeof *walk); /* 0: unseen */
	if (!walk) {
		ld_oom(ld);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t at = i;
		while (!walk[at]) {
			walk[at] = i + 1;
			const tc_objective_def *o = &s->objectives[at];
			if (o->anchor != TC_ANCHOR_OBJECTIVE)
				break;
			at = (size_t)o->anchor_objective;
		}
		const tc_objective_def *o = &s->objectives[at];
		if (walk[at] != i + 1 || o->anchor != TC_ANCHOR_OBJECTIVE ||
		    (size_t)o->anchor_objective == at)
			continue; /* ends outside this walk, at a non-objective anchor, or on itself */
		/* at is on a new cycle: list it from its first member. */
		size_t first = at;
		for (size_t k = (size_t)o->anchor_objective; k != at;
		     k = (size_t)s->objectives[k].anchor_objective)
			if (k < first)
				first = k;
		char path[512];
		size_t used = 0, k = first;
		do {
			int w = snprintf(path + used, sizeof path - used, "%s -> ", s->objectives[k].id);
			/* Keep room for "... -> " and the first id again (ids are at
			 * most 64 bytes). */
			if (w < 0 || (size_t)w >= sizeof path - used - 80) {
				snprintf(path + used, sizeof path - used, "... -> ");
				used += strlen(path + used);
				break;
			}
			used += (size_t)w;
			k = (size_t)s->objectives[k].anchor_objective;
		} while (k != first);
		snprintf(path + used, sizeof path - used, "%s", s->objectives[first].id);
		const tc_ynode *after = tc_ymap_get(seq->items[first], "after");
		ld_error(ld, tc_ymap_get(after, "objective"),
		         "objectives anchored on each other in a cycle: %s", path);
		rc = -1;
	}
	tc_free(ld->alloc, walk, (n ? n : 1) * sizeof *walk);
	return rc;
}

/* The earliest time anything refers to: duty intervals must cover it. */
static void compute_span(tc_scenario *s)
{
	s->span_start = 0;
	for (size_t i = 0; i < s->incident_count; i++)
		if (s->incidents[i].start < s->span_start)
			s->span_start = s->incidents[i].start;
	for (size_t i = 0; i < s->inject_count; i++)
		if (s->injects[i].at < s->span_start)
			s->span_start = s->injects[i].at;
	for (size_t i = 0; i < s->meeting_count; i++)
		if (s->meetings[i].standing && s->meetings[i].first < s->span_start)
			s->span_start = s->meetings[i].first;
}

typedef struct entity_owner {
	uint32_t entity;
	const char *id;
} entity_owner;

static int compare_entities(const void *a, const void *b)
{
	const entity_owner *x = a, *y = b;
	if (x->entity != y->entity)
		return x->entity < y->entity ? -1 : 1;
	return strcmp(x->id, y->id);
}

/*
 * Random draws are keyed by a 32-bit number derived from each id, so that
 * adding an actor does not change the others' draws. Two ids of one section
 * hashing alike would share a stream: refuse them (about n^2/2^33 odds).
 * Each item starts with its id (`const char *`); keys names what hashes.
 */
static int check_entities(loader *ld, const char *what, const char *keys, const void *items,
                          size_t count, size_t stride, size_t entity_offset)
{
	if (count < 2)
		return 0;
	entity_owner *owners = tc_malloc(ld->alloc, count * sizeof *owners);
	if (!owners) {
		ld_oom(ld);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		const char *item = (const char *)items + i * stride;
		owners[i].id = *(const char *const *)(const void *)item;
		memcpy(&owners[i].entity, item + entity_offset, sizeof owners[i].entity);
	}
	qsort(owners, count, sizeof *owners, compare_entities);
	int rc = 0;
	for (size_t i = 1; i < count; i++)
		if (owners[i].entity == owners[i - 1].entity) {
			tc_diag_add(ld->diag, ld->doc->file, 0, 0,
			            "%ss '%s' and '%s' would draw the same random numbers (their %s "
			            "hash alike): rename one", what, owners[i - 1].id, owners[i].id, keys);
			rc = -1;
		}
	tc_free(ld->alloc, owners, count * sizeof *owners);
	return rc;
}

/* Scripts are keyed by their names as written: the scenario's, the
 * --script files and the doctrine's handlers share one space. */
static int check_script_entities(loader *ld)
{
	const tc_scenario *s = ld->s;
	const tc_script_def *doctrine = s->doctrine.script;
	size_t n = s->script_count + (doctrine != NULL);
	if (n < 2)
		return 0;
	for (size_t i = 0; doctrine && i < s->script_count; i++)
		if (strcmp(s->scripts[i].name, doctrine->name) == 0) {
			tc_diag_add(ld->diag, ld->doc->file, 0, 0, "'%s' is both a script and the "
			            "doctrine's handlers: a file is one or the other", doctrine->name);
			return -1;
		}
	tc_script_def *all = tc_malloc(ld->alloc, n * sizeof *all);
	if (!all) {
		ld_oom(ld);
		return -1;
	}
	memcpy(all, s->scripts, s->script_count * sizeof *all);
	if (doctrine)
		all[n - 1] = *doctrine;
	int rc = check_entities(ld, "script", "names as written", all, n, sizeof *all,
	                        offsetof(tc_script_def, entity));
	tc_free(ld->alloc, all, n * sizeof *all);
	return rc;
}

const char *const ld_section_names[] = {
	"exercise", "include", "kinds", "actors", "channels", "incidents", "meetings", "doctrine",
	"injects", "objectives", "scripts",
};
_Static_assert(sizeof ld_section_names / sizeof *ld_section_names == LD_SECTION_COUNT,
               "LD_SECTION_COUNT counts the sections");

/* The value of key in root replaced (NULL: root unchanged, out of memory). */
static const tc_ynode *replace_section(loader *ld, const tc_ynode *root, const char *key,
                                       const tc_ynode *value)
{
	for (size_t i = 0; i < root->count; i++)
		if (strcmp(root->items[2 * i]->text, key) == 0)
			return ld_map_set(ld, root, root->items[2 * i], value);
	/* Only the imported injects may be absent from the file: their key
	 * stands where they start. */
	tc_ynode name = {.type = TC_YSCALAR, .file = value->file, .line = value->line,
	                 .column = value->column, .text = key, .len = strlen(key), .plain = 1};
	const tc_ynode *copy = ld_copy_node(ld, &name);
	return copy ? ld_map_set(ld, root, copy, value) : NULL;
}

/*
 * The tree the sections are read from: the entries that extend catalogue
 * entries merged, the imported injects in place of the file's, then the
 * overrides. root itself when none of these changes anything; NULL when out
 * of memory.
 */
static const tc_ynode *resolve(loader *ld, const tc_ynode *root, const tc_load_options *opt)
{
	static const char *const extended[LD_CAT_SECTIONS] = {
		[LD_CAT_ACTORS] = "actors", [LD_CAT_CHANNELS] = "channels",
		[LD_CAT_MEETINGS] = "meetings",
	};
	const tc_ynode *out = root;
	for (int i = 0; i < LD_CAT_SECTIONS && out; i++) {
		const tc_ynode *v = tc_ymap_get(root, extended[i]), *merged;
		if (!v)
			continue;
		if (!(merged = ld_extend(ld, v, i)))
			return NULL;
		if (merged != v)
			out = replace_section(ld, out, extended[i], merged);
	}
	if (out && opt && opt->injects)
		out = replace_section(ld, out, "injects", opt->injects);
	return out ? ld_override(ld, out, opt) : NULL;
}

static int sections(loader *ld, const tc_ynode *root, const tc_load_options *opt)
{
	if (ld_expect(ld, root, TC_YMAP, "a scenario (a mapping with exercise, actors, ...)"))
		return -1;
	if (tc_ymap_get(root, "catalogue") && !tc_ymap_get(root, "exercise")) {
		ld_error(ld, root, "this is a catalogue, not a scenario: scenarios include it "
		                   "(include: FILE) and extend its entries; validate those scenarios");
		return -1;
	}
	/* Every section is checked even after errors, so that one run of
	 * validate reports them all; only a failure that would make the rest
	 * report nothing but its consequences stops early. The file's own keys
	 * are checked here, the overrides' where they are applied. */
	int rc = ld_keys(ld, root, ld_section_names, LD_SECTION_COUNT, "scenario");
	rc |= ld_include(ld, tc_ymap_get(root, "include"));
	if (ld->oom || !(root = resolve(ld, root, opt)))
		return -1;
	rc |= exercise(ld, ld_required(ld, root, "exercise", "scenario"));
	rc |= kinds(ld, tc_ymap_get(root, "kinds"));
	if (!ld->s->tz || ld->oom)
		return -1;
	const tc_ynode *actors = ld_required(ld, root, "actors", "scenario"), *v;
	const tc_ynode *incidents = ld_required(ld, root, "incidents", "scenario");
	rc |= actors ? ld_actors(ld, actors) : -1;
	/* Later sections refer to actors: without any, they would only report
	 * unknown actors. */
	if (!ld->s->actors || ld->oom)
		return -1;
	if ((v = tc_ymap_get(root, "channels")))
		rc |= ld_channels(ld, v);
	rc |= incidents ? ld_incidents(ld, incidents) : -1;
	if ((v = tc_ymap_get(root, "meetings")))
		rc |= ld_meetings(ld, v);
	const tc_ynode *injects = tc_ymap_get(root, "injects");
	if (injects)
		rc |= ld_injects(ld, injects);
	if ((v = tc_ymap_get(root, "objectives"))) {
		rc |= ld_objectives(ld, v);
		if (ld->s->objectives)
			rc |= check_anchor_cycles(ld, v);
	}
	if (injects)
		rc |= ld_inject_objectives(ld, injects);
	if (ld->oom)
		return -1;
	rc |= ld_scripts(ld, tc_ymap_get(root, "scripts"), opt);
	rc |= ld_doctrine(ld, tc_ymap_get(root, "doctrine"), opt ? opt->doctrine_path : NULL);
	if (rc)
		return -1;
	tc_scenario *s = ld->s;
	if (check_entities(ld, "actor", "ids", s->actors, s->actor_count, sizeof *s->actors,
	                   offsetof(tc_actor_def, entity)) |
	    check_entities(ld, "channel", "ids", s->channels, s->channel_count, sizeof *s->channels,
	                   offsetof(tc_channel_def, entity)) |
	    check_entities(ld, "inject", "ids", s->injects, s->inject_count, sizeof *s->injects,
	                   offsetof(tc_inject_def, entity)) |
	    check_script_entities(ld))
		return -1;
	compute_span(s);
	return ld_compile_schedules(ld, actors);
}

typedef struct id_index {
	const char *id;
	uint32_t index;
} id_index;

static int compare_ids(const void *a, const void *b)
{
	return strcmp(((const id_index *)a)->id, ((const id_index *)b)->id);
}

/* Actor indices in id order, for tc_scenario_find_actor. */
static const uint32_t *actor_order(tc_scenario *s)
{
	size_t n = s->actor_count;
	uint32_t *order = tc_arena_alloc(&s->arena, n * sizeof *order);
	id_index *pairs = tc_malloc(s->alloc, n * sizeof *pairs);
	if (order && pairs) {
		for (size_t i = 0; i < n; i++)
			pairs[i] = (id_index){s->actors[i].id, (uint32_t)i};
		qsort(pairs, n, sizeof *pairs, compare_ids);
		for (size_t i = 0; i < n; i++)
			order[i] = pairs[i].index;
	}
	tc_free(s->alloc, pairs, n * sizeof *pairs);
	return order && pairs ? order : NULL;
}

typedef struct diag_order {
	size_t file_rank, index;
	tc_diag_entry entry;
} diag_order;

static int compare_diag(const void *a, const void *b)
{
	const diag_order *x = a, *y = b;
	if (x->file_rank != y->file_rank)
		return x->file_rank < y->file_rank ? -1 : 1;
	if (x->entry.line != y->entry.line)
		return x->entry.line < y->entry.line ? -1 : 1;
	if (x->entry.column != y->entry.column)
		return x->entry.column < y->entry.column ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Sections are read in dependency order, not file order; readers want the
 * errors of each file top to bottom. Entries from first on are sorted by
 * (file, line, column), stably: the overrides' pseudo-files first, in the
 * order they were given (an error in the files that follows one is likely
 * its consequence), then the files in order of first appearance.
 */
static void sort_diagnostics(tc_alloc *a, tc_diag *diag, size_t first,
                             const tc_load_options *opt)
{
	size_t n = diag->count - first;
	diag_order *order = n > 1 ? tc_malloc(a, n * sizeof *order) : NULL;
	if (!order)
		return; /* unsorted is still complete */
	for (size_t i = 0; i < n; i++) {
		order[i].entry = diag->items[first + i];
		order[i].index = i;
		long set = ld_override_rank(opt, order[i].entry.file);
		order[i].file_rank = set >= 0 ? (size_t)set : (opt ? opt->set_count : 0) + i;
		if (set >= 0)
			continue;
		for (size_t k = 0; k < i; k++)
			if (strcmp(order[k].entry.file, order[i].entry.file) == 0) {
				order[i].file_rank = order[k].file_rank;
				break;
			}
	}
	qsort(order, n, sizeof *order, compare_diag);
	for (size_t i = 0; i < n; i++)
		diag->items[first + i] = order[i].entry;
	tc_free(a, order, n * sizeof *order);
}

int tc_scenario_load_buffer(tc_scenario **out, tc_alloc *a, const char *name, const char *data,
                            size_t len, const tc_load_options *opt, tc_diag *diag)
{
	*out = NULL;
	if (!name)
		name = "<input>";
	tc_scenario *s = tc_calloc(a, 1, sizeof *s);
	tc_tz *zones = tc_calloc(a, TC_MAX_ZONES, sizeof *zones);
	if (!s || !zones) {
		tc_free(a, s, sizeof *s);
		tc_free(a, zones, TC_MAX_ZONES * sizeof *zones);
		tc_diag_add(diag, name, 0, 0, "out of memory");
		return TC_ENOMEM;
	}
	s->alloc = a;
	s->zones = zones;
	tc_arena_init(&s->arena, a);
	loader ld = {.alloc = a, .diag = diag, .s = s, .ar = &s->arena,
	             .suggest_budget = LD_SUGGEST_BUDGET};
	for (int i = 0; i < LD_MAP_COUNT; i++)
		tc_strmap_init(&ld.ids[i], a);
	ld_catalogues_init(&ld);
	tc_ydoc doc;
	tc_ydoc empty = {.file = name};
	ld.doc = &empty;
	size_t errors_before = tc_diag_errors(diag), first_entry = diag->count;
	int rc = ld_parse_yaml(&ld, name, data, len, &doc, s->sha256);
	if (rc == 0) {
		ld.doc = &doc;
		s->file = tc_arena_strdup(&s->arena, name);
		rc = s->file ? sections(&ld, doc.root, opt) : (ld_oom(&ld), -1);
		ld.doc = &empty;
		ld_overrides_release(&ld);
		ld_catalogues_release(&ld);
		tc_ydoc_release(&doc);
	}
	if (ld.schedules) {
		for (size_t i = 0; i < s->actor_count; i++)
			tc_free(a, ld.schedules[i].holidays,
			        (ld.schedules[i].holiday_count ? ld.schedules[i].holiday_count : 1) *
			            sizeof(int64_t));
		tc_free(a, ld.schedules, (s->actor_count ? s->actor_count : 1) * sizeof *ld.schedules);
	}
	for (int i = 0; i < LD_MAP_COUNT; i++)
		tc_strmap_release(&ld.ids[i]);
	if (rc == 0 && tc_diag_errors(diag) == errors_before) {
		s->actor_order = actor_order(s);
		if (s->actor_order) {
			*out = s;
			return TC_OK;
		}
		ld_oom(&ld);
	}
	tc_scenario_free(s);
	if (tc_diag_errors(diag) == errors_before)
		tc_diag_add(diag, name, 0, 0, "invalid scenario");
	sort_diagnostics(a, diag, first_entry, opt);
	return ld.oom ? TC_ENOMEM : ld.status ? ld.status : TC_EINVAL;
}

int tc_scenario_load(tc_scenario **out, tc_alloc *a, const char *path,
                     const tc_load_options *opt, tc_diag *diag)
{
	*out = NULL;
	tc_ylimits lim;
	tc_ylimits_default(&lim);
	char *data;
	size_t len;
	char err[512];
	int rc = tc_file_read(a, path, lim.max_bytes, &data, &len, err, sizeof err);
	if (rc) {
		tc_diag_add(diag, path, 0, 0, "%s", err);
		return rc;
	}
	rc = tc_scenario_load_buffer(out, a, path, data, len, opt, diag);
	tc_free(a, data, len + 1);
	return rc;
}

void tc_scenario_free(tc_scenario *s)
{
	if (!s)
		return;
	tc_alloc *a = s->alloc;
	for (size_t i = 0; s->actors && i < s->actor_count; i++)
		tc_timeline_release(&s->actors[i].duty, a);
	for (size_t i = 0; i < s->zone_count; i++)
		tc_tz_release(&s->zones[i]);
	tc_free(a, s->zones, TC_MAX_ZONES * sizeof *s->zones);
	tc_arena_release(&s->arena);
	tc_free(a, s, sizeof *s);
}

int tc_scenario_find_actor(const tc_scenario *s, const char *id)
{
	size_t lo = 0, hi = s->actor_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->actors[s->actor_order[mid]].id, id);
		if (c == 0)
			return (int)s->actor_order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int tc_scenario_find_kind(const tc_scenario *s, const char *name)
{
	for (size_t i = 0; i < s->kind_count; i++)
		if (strcmp(s->kinds[i].name, name) == 0)
			return (int)i;
	return -1;
}
