/*
 * The setup read back from run-started's JSON (docs/event-log.md). Ids are
 * resolved once here, into hash maps, so that the reader resolves each id of
 * a record with one lookup. Errors name the JSON path of the bad value.
 */
#include "analysis/setup.h"

#include <assert.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis/reader_internal.h"
#include "core/error.h"
#include "core/strmap.h"
#include "scenario/scenario.h"

struct tc_setup_index {
	tc_strmap actors, channels, incidents, injects, meetings, kinds;
};

typedef struct parser {
	tc_setup *s;
	tc_strmap objectives;      /* only while parsing: anchors name objectives */
	uint8_t *informative;      /* s->kind_informative, writable */
	char *err;
	size_t errlen;
	char path[512];            /* where we are: "scenario.actors[3]" */
} parser;

/* ---- the path of the value being read, for messages ---------------------- */

static size_t push_key(parser *p, const char *key)
{
	size_t old = strlen(p->path);
	snprintf(p->path + old, sizeof p->path - old, "%s%s", old ? "." : "", key);
	return old;
}

static size_t push_index(parser *p, size_t i)
{
	size_t old = strlen(p->path);
	snprintf(p->path + old, sizeof p->path - old, "[%zu]", i);
	return old;
}

static void pop(parser *p, size_t old)
{
	p->path[old] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(parser *p, const char *fmt, ...)
{
	if (!p->errlen)
		return TC_EINVAL;
	int n = snprintf(p->err, p->errlen, "%s: ", p->path[0] ? p->path : "run-started");
	if (n >= 0 && (size_t)n < p->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return TC_EINVAL;
}

/* fail() for the member `key` of the current object. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_key(parser *p, const char *key, const char *fmt, ...)
{
	size_t old = push_key(p, key);
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	fail(p, "%s", text);
	pop(p, old);
	return TC_EINVAL;
}


/* ---- typed members --------------------------------------------------------- */

static int member(parser *p, const json_t *obj, const char *key, json_t **out)
{
	*out = json_object_get(obj, key);
	return *out ? TC_OK : fail_key(p, key, "missing");
}

/* String v copied into the arena; errors name the current path. */
static int text_of(parser *p, const json_t *v, int nullable, const char **out)
{
	if (!json_is_string(v))
		return fail(p, "expected a string%s, found %s", nullable ? " or null" : "",
		            tc_json_found(v));
	size_t len = json_string_length(v);
	const char *text = json_string_value(v);
	if (memchr(text, '\0', len))
		return fail(p, "expected text without NUL characters");
	*out = tc_arena_strndup(&p->s->arena, text, len);
	return *out ? TC_OK : TC_ENOMEM;
}

/* A string copied into the arena; NULL for null when nullable. */
static int get_string(parser *p, const json_t *obj, const char *key, int nullable,
                      const char **out)
{
	json_t *v = NULL;
	int rc = member(p, obj, key, &v);
	if (rc)
		return rc;
	if (nullable && json_is_null(v)) {
		*out = NULL;
		return TC_OK;
	}
	size_t old = push_key(p, key);
	rc = text_of(p, v, nullable, out);
	pop(p, old);
	return rc;
}

static int get_int(parser *p, const json_t *obj, const char *key, int64_t min, int64_t max,
                   int64_t *out)
{
	json_t *v = NULL;
	int rc = member(p, obj, key, &v);
	if (rc)
		return rc;
	if (!json_is_integer(v))
		return fail_key(p, key, "expected an integer, found %s", tc_json_found(v));
	json_int_t n = json_integer_value(v);
	if (n < min || n > max)
		return fail_key(p, key, "expected an integer from %lld to %lld, found %lld",
		                (long long)min, (long long)max, (long long)n);
	*out = (int64_t)n;
	return TC_OK;
}

static int get_bool(parser *p, const json_t *obj, const char *key, int *out)
{
	json_t *v = NULL;
	int rc = member(p, obj, key, &v);
	if (rc)
		return rc;
	if (!json_is_boolean(v))
		return fail_key(p, key, "expected true or false, found %s", tc_json_found(v));
	*out = json_is_true(v);
	return TC_OK;
}

static int get_typed(parser *p, const json_t *obj, const char *key, json_type type,
                     const char *what, json_t **out)
{
	int rc = member(p, obj, key, out);
	if (rc)
		return rc;
	if (json_typeof(*out) != type)
		return fail_key(p, key, "expected %s, found %s", what, tc_json_found(*out));
	return TC_OK;
}

static int get_array(parser *p, const json_t *obj, const char *key, size_t max, json_t **out)
{
	int rc = get_typed(p, obj, key, JSON_ARRAY, "an array", out);
	if (rc)
		return rc;
	if (json_array_size(*out) > max)
		return fail_key(p, key, "more than %zu entries", max);
	return TC_OK;
}

static int get_object(parser *p, const json_t *obj, const char *key, json_t **out)
{
	return get_typed(p, obj, key, JSON_OBJECT, "an object", out);
}

/* One of names[0..n), by position. */
static int get_enum(parser *p, const json_t *obj, const char *key, const char *const *names,
                    size_t n, int *out)
{
	json_t *v = NULL;
	int rc = member(p, obj, key, &v);
	if (rc)
		return rc;
	const char *text = json_string_value(v);
	for (size_t i = 0; text && i < n; i++) {
		if (strcmp(names[i], text) == 0) {
			*out = (int)i;
			return TC_OK;
		}
	}
	char list[256];
	size_t used = 0;
	list[0] = '\0';
	for (size_t i = 0; i < n && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
		                         names[i]);
	return fail_key(p, key, "expected one of %s", list);
}

/* An id of a table, as its index; TC_NONE for null when nullable. */
static int get_ref(parser *p, const json_t *obj, const char *key, const tc_strmap *map,
                   const char *what, int nullable, int *out)
{
	json_t *v = NULL;
	int rc = member(p, obj, key, &v);
	if (rc)
		return rc;
	if (nullable && json_is_null(v)) {
		*out = TC_NONE;
		return TC_OK;
	}
	if (!json_is_string(v))
		return fail_key(p, key, "expected %s id%s, found %s", what,
		                nullable ? " or null" : "", tc_json_found(v));
	*out = tc_strmap_get(map, json_string_value(v));
	if (*out < 0)
		return fail_key(p, key, "unknown %s \"%s\"", what, json_string_value(v));
	return TC_OK;
}

/* ---- the tables -------------------------------------------------------------- */

/* Room for n elements of size bytes in the arena (never NULL for n == 0). */
static void *array_of(parser *p, size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n)
		return NULL;
	return tc_arena_alloc(&p->s->arena, n * size);
}

/* Register id at index in map; a repeated id is an error at `key`. */
static int register_id(parser *p, tc_strmap *map, const char *id, int index, const char *key)
{
	int rc = tc_strmap_put(map, id, index, NULL);
	if (rc == 1)
		return fail_key(p, key, "the id \"%s\" appears twice", id);
	return rc;
}

/* A list of actor ids as indices. */
static int actor_list(parser *p, const json_t *obj, const char *key, uint32_t **out,
                      size_t *count)
{
	json_t *list = NULL;
	int rc = get_array(p, obj, key, TC_MAX_ACTORS, &list);
	if (rc)
		return rc;
	size_t n = json_array_size(list);
	uint32_t *ids = array_of(p, n, sizeof *ids);
	if (!ids)
		return TC_ENOMEM;
	size_t old = push_key(p, key);
	for (size_t i = 0; i < n && !rc; i++) {
		const char *id = json_string_value(json_array_get(list, i));
		int a = id ? tc_strmap_get(&p->s->index->actors, id) : TC_NONE;
		size_t at = push_index(p, i);
		if (!id)
			rc = fail(p, "expected an actor id, found %s", tc_json_found(json_array_get(list, i)));
		else if (a < 0)
			rc = fail(p, "unknown actor \"%s\"", id);
		pop(p, at);
		ids[i] = (uint32_t)a;
	}
	pop(p, old);
	*out = ids;
	*count = n;
	return rc;
}

/* Each element of the array `key` of obj is an object, handed to fn. */
typedef int element_fn(parser *p, const json_t *elem, size_t index);

static int each(parser *p, const json_t *obj, const char *key, size_t max, element_fn *fn,
                size_t *count)
{
	json_t *list = NULL;
	int rc = get_array(p, obj, key, max, &list);
	if (rc)
		return rc;
	size_t old = push_key(p, key);
	*count = json_array_size(list);
	for (size_t i = 0; i < *count && !rc; i++) {
		size_t at = push_index(p, i);
		const json_t *elem = json_array_get(list, i);
		rc = json_is_object(elem) ? fn(p, elem, i) : fail(p, "expected an object, found %s",
		                                                   tc_json_found(elem));
		pop(p, at);
	}
	pop(p, old);
	return rc;
}

static int kind(parser *p, const json_t *o, size_t i)
{
	tc_setup *s = p->s;
	int informative = 0;
	int rc = get_string(p, o, "name", 0, &s->kinds[i]);
	if (!rc)
		rc = get_bool(p, o, "informative", &informative);
	if (!rc)
		rc = register_id(p, &s->index->kinds, s->kinds[i], (int)i, "name");
	p->informative[i] = (uint8_t)informative;
	return rc;
}

static int duty(parser *p, const json_t *o, tc_setup_actor *a)
{
	json_t *list = NULL;
	int rc = get_array(p, o, "duty", SIZE_MAX / sizeof(tc_interval), &list);
	if (rc)
		return rc;
	size_t n = json_array_size(list);
	tc_interval *iv = array_of(p, n, sizeof *iv);
	tc_time *prefix = array_of(p, n, sizeof *prefix);
	if (!iv || !prefix)
		return TC_ENOMEM;
	size_t old = push_key(p, "duty");
	for (size_t i = 0; i < n && !rc; i++) {
		const json_t *pair = json_array_get(list, i);
		const json_t *start = json_array_get(pair, 0), *end = json_array_get(pair, 1);
		size_t at = push_index(p, i);
		if (!json_is_array(pair) || json_array_size(pair) != 2 || !json_is_integer(start) ||
		    !json_is_integer(end))
			rc = fail(p, "expected [start, end] in ms");
		else if ((iv[i].start = json_integer_value(start)) >=
		         (iv[i].end = json_integer_value(end)))
			rc = fail(p, "expected start < end");
		else if (i && iv[i].start < iv[i - 1].end)
			rc = fail(p, "expected intervals in order, each after the previous one");
		pop(p, at);
	}
	pop(p, old);
	if (!rc)
		tc_timeline_wrap(&a->duty, iv, prefix, n);
	if (!rc && a->always_on_duty && n)
		rc = fail_key(p, "duty", "expected no intervals for an actor always on duty");
	return rc;
}

static int actor(parser *p, const json_t *o, size_t i)
{
	tc_setup_actor *a = &p->s->actors[i];
	int level = 0;
	int rc = get_string(p, o, "id", 0, &a->id);
	if (!rc)
		rc = register_id(p, &p->s->index->actors, a->id, (int)i, "id");
	if (!rc)
		rc = get_string(p, o, "name", 1, &a->name);
	if (!rc && !a->name)
		a->name = a->id;
	if (!rc)
		rc = get_enum(p, o, "level", tc_level_names, TC_LEVEL_COUNT, &level);
	a->level = (tc_level)level;
	if (!rc)
		rc = get_int(p, o, "staff", 0, TC_MAX_STAFF, &a->staff);
	if (!rc)
		rc = get_bool(p, o, "always_on_duty", &a->always_on_duty);
	if (!rc)
		rc = duty(p, o, a);
	return rc;
}

static int channel(parser *p, const json_t *o, size_t i)
{
	int rc = get_string(p, o, "id", 0, &p->s->channels[i]);
	if (!rc)
		rc = register_id(p, &p->s->index->channels, p->s->channels[i], (int)i, "id");
	return rc;
}

static int incident(parser *p, const json_t *o, size_t i)
{
	tc_setup_incident *inc = &p->s->incidents[i];
	int64_t severity = 0;
	uint32_t *required = NULL;
	int rc = get_string(p, o, "id", 0, &inc->id);
	if (!rc)
		rc = register_id(p, &p->s->index->incidents, inc->id, (int)i, "id");
	if (!rc)
		rc = get_string(p, o, "title", 1, &inc->title);
	if (!rc)
		rc = get_int(p, o, "severity", 0, TC_SEVERITY_MAX, &severity);
	inc->severity = (int)severity;
	if (!rc)
		rc = get_int(p, o, "start", -TC_DURATION_MAX, TC_DURATION_MAX, &inc->start);
	if (!rc)
		rc = get_ref(p, o, "detector", &p->s->index->actors, "actor", 1, &inc->detector);
	if (!rc)
		rc = actor_list(p, o, "required", &required, &inc->required_count);
	inc->required = required;
	return rc;
}

/* An inject or a meeting: only its id matters to the analysis. */
static int inject(parser *p, const json_t *o, size_t i)
{
	int rc = get_string(p, o, "id", 0, &p->s->injects[i]);
	if (!rc)
		rc = register_id(p, &p->s->index->injects, p->s->injects[i], (int)i, "id");
	return rc;
}

static int meeting(parser *p, const json_t *o, size_t i)
{
	int rc = get_string(p, o, "id", 0, &p->s->meetings[i]);
	if (!rc)
		rc = register_id(p, &p->s->index->meetings, p->s->meetings[i], (int)i, "id");
	return rc;
}

/* Objective ids first: an anchor may name an objective listed after it. */
static int objective_id(parser *p, const json_t *o, size_t i)
{
	tc_objective_def *d = &p->s->objectives[i].def;
	int rc = get_string(p, o, "id", 0, &d->id);
	if (!rc)
		rc = register_id(p, &p->objectives, d->id, (int)i, "id");
	return rc;
}

static int subject(parser *p, const json_t *o, tc_objective_def *d)
{
	int type = 0, level = 0;
	int rc = get_enum(p, o, "type", tc_subject_type_names, 3, &type);
	d->subject = (tc_subject_type)type;
	if (!rc && d->subject == TC_SUBJECT_ACTOR)
		rc = get_ref(p, o, "actor", &p->s->index->actors, "actor", 0, &d->subject_actor);
	if (!rc && d->subject == TC_SUBJECT_LEVEL)
		rc = get_enum(p, o, "level", tc_level_names, TC_LEVEL_COUNT, &level);
	d->subject_level = (tc_level)level;
	return rc;
}

static int event(parser *p, const json_t *o, tc_objective_def *d)
{
	int type = 0, k = 0;
	int rc = get_enum(p, o, "type", tc_objective_event_names, 3, &type);
	d->event = (tc_objective_event)type;
	if (!rc && d->event == TC_EVENT_SENDS) {
		rc = get_ref(p, o, "kind", &p->s->index->kinds, "message kind", 0, &k);
		if (!rc)
			rc = get_ref(p, o, "to", &p->s->index->actors, "actor", 1, &d->to_actor);
	}
	d->kind = (tc_kind_id)k;
	if (!rc && d->event == TC_EVENT_MEETING_HELD)
		rc = get_ref(p, o, "meeting", &p->s->index->meetings, "meeting", 0, &d->meeting);
	return rc;
}

static int within(parser *p, const json_t *o, tc_objective_def *d)
{
	int64_t months = 0;
	int rc = get_int(p, o, "ms", 0, TC_DURATION_MAX, &d->within.ms);
	if (!rc)
		rc = get_int(p, o, "months", 0, INT32_MAX, &months);
	d->within.months = (int32_t)months;
	return rc;
}

static int anchor(parser *p, const json_t *o, tc_objective_def *d)
{
	int type = 0;
	int rc = get_enum(p, o, "type", tc_anchor_type_names, 4, &type);
	d->anchor = (tc_anchor_type)type;
	if (!rc && d->anchor == TC_ANCHOR_AWARE)
		rc = get_ref(p, o, "actor", &p->s->index->actors, "actor", 0, &d->anchor_actor);
	if (!rc && d->anchor == TC_ANCHOR_OBJECTIVE)
		rc = get_ref(p, o, "objective", &p->objectives, "objective", 0, &d->anchor_objective);
	return rc;
}

typedef int part_fn(parser *p, const json_t *o, tc_objective_def *d);

static int part(parser *p, const json_t *o, const char *key, part_fn *fn, tc_objective_def *d)
{
	json_t *v = NULL;
	int rc = get_object(p, o, key, &v);
	if (rc)
		return rc;
	size_t old = push_key(p, key);
	rc = fn(p, v, d);
	pop(p, old);
	return rc;
}

static int objective(parser *p, const json_t *o, size_t i)
{
	tc_objective_def *d = &p->s->objectives[i].def;
	/* Fields that do not apply to the objective are TC_NONE, never a
	 * valid index that could be used by mistake. */
	d->subject_actor = d->to_actor = d->meeting = TC_NONE;
	d->anchor_actor = d->anchor_objective = TC_NONE;
	int rc = get_string(p, o, "description", 1, &d->description);
	if (!rc)
		rc = get_ref(p, o, "incident", &p->s->index->incidents, "incident", 0, &d->incident);
	if (!rc)
		rc = part(p, o, "subject", subject, d);
	if (!rc)
		rc = part(p, o, "event", event, d);
	if (!rc)
		rc = part(p, o, "within", within, d);
	if (!rc)
		rc = part(p, o, "anchor", anchor, d);
	if (!rc && d->anchor == TC_ANCHOR_OBJECTIVE && (size_t)d->anchor_objective == i)
		rc = fail_key(p, "anchor", "an objective cannot be anchored on itself");
	return rc;
}

/* An array of the scenario: allocate its table, then read each element. */
static int table(parser *p, const json_t *sc, const char *key, size_t max, size_t elem_size,
                 void **items, size_t *count, element_fn *fn)
{
	json_t *list = NULL;
	int rc = get_array(p, sc, key, max, &list);
	if (rc)
		return rc;
	*items = array_of(p, json_array_size(list), elem_size);
	if (!*items)
		return TC_ENOMEM;
	return each(p, sc, key, max, fn, count);
}

/* The overrides (--set) the scenario was loaded with, as given; a log
 * written before they were recorded has none. */
static int overrides(parser *p, const json_t *sc)
{
	tc_setup *s = p->s;
	json_t *list = NULL;
	if (!json_object_get(sc, "sets"))
		return TC_OK;
	int rc = get_array(p, sc, "sets", SIZE_MAX / sizeof *s->sets, &list);
	if (rc)
		return rc;
	size_t n = json_array_size(list);
	const char **sets = array_of(p, n, sizeof *sets);
	if (!sets)
		return TC_ENOMEM;
	size_t old = push_key(p, "sets");
	for (size_t i = 0; i < n && !rc; i++) {
		size_t at = push_index(p, i);
		rc = text_of(p, json_array_get(list, i), 0, &sets[i]);
		pop(p, at);
	}
	pop(p, old);
	s->sets = sets;
	s->set_count = rc ? 0 : n;
	return rc;
}

static int scenario(parser *p, const json_t *sc)
{
	tc_setup *s = p->s;
	int rc = get_string(p, sc, "name", 1, &s->name);
	if (!rc)
		rc = get_string(p, sc, "file", 1, &s->file);
	if (!rc)
		rc = get_string(p, sc, "sha256", 1, &s->sha256);
	if (!rc)
		rc = overrides(p, sc);
	if (!rc)
		rc = get_string(p, sc, "start", 0, &s->start);
	if (!rc)
		rc = get_int(p, sc, "start_utc_ms", INT64_MIN, INT64_MAX, &s->start_utc_ms);
	if (!rc)
		rc = get_string(p, sc, "timezone", 1, &s->timezone);
	if (!rc)
		rc = get_int(p, sc, "duration", 0, TC_DURATION_MAX, &s->duration);
	if (!rc)
		rc = get_int(p, sc, "span_start", -TC_DURATION_MAX, TC_DURATION_MAX, &s->span_start);

	json_t *kinds = NULL;
	if (!rc)
		rc = get_array(p, sc, "kinds", TC_KIND_MAX, &kinds);
	if (!rc) {
		size_t n = json_array_size(kinds);
		s->kinds = array_of(p, n, sizeof *s->kinds);
		s->kind_informative = p->informative = array_of(p, n, 1);
		if (!s->kinds || !p->informative)
			return TC_ENOMEM;
		rc = each(p, sc, "kinds", TC_KIND_MAX, kind, &s->kind_count);
	}
	if (!rc)
		rc = table(p, sc, "actors", TC_MAX_ACTORS, sizeof *s->actors, (void **)&s->actors,
		           &s->actor_count, actor);
	if (!rc)
		rc = table(p, sc, "channels", TC_MAX_CHANNELS, sizeof *s->channels,
		           (void **)&s->channels, &s->channel_count, channel);
	if (!rc)
		rc = table(p, sc, "incidents", TC_MAX_INCIDENTS, sizeof *s->incidents,
		           (void **)&s->incidents, &s->incident_count, incident);
	s->incident_cap = s->incident_count;
	if (!rc)
		rc = table(p, sc, "injects", TC_MAX_INJECTS, sizeof *s->injects,
		           (void **)&s->injects, &s->inject_count, inject);
	if (!rc)
		rc = table(p, sc, "meetings", TC_MAX_MEETINGS, sizeof *s->meetings,
		           (void **)&s->meetings, &s->meeting_count, meeting);
	if (!rc)
		rc = table(p, sc, "objectives", TC_MAX_OBJECTIVES, sizeof *s->objectives,
		           (void **)&s->objectives, &s->objective_count, objective_id);
	if (!rc)
		rc = each(p, sc, "objectives", TC_MAX_OBJECTIVES, objective, &s->objective_count);
	return rc;
}

/* The record around the scenario: what run produced this log. */
static int record(parser *p, const json_t *root)
{
	tc_setup *s = p->s;
	const char *text = json_string_value(json_object_get(root, "event"));
	if (!text || strcmp(text, "run-started") != 0)
		return fail_key(p, "event", "expected \"run-started\" (the first record of a log)");
	text = json_string_value(json_object_get(root, "format"));
	if (!text || strcmp(text, "tocsin-events") != 0)
		return fail_key(p, "format", "expected \"tocsin-events\": this is not a tocsin event log");
	int64_t version = 0, seed = 0, replication = 0;
	int rc = get_int(p, root, "version", 0, INT64_MAX, &version);
	if (!rc && version != 1)
		return fail_key(p, "version", "this tocsin reads event logs of version 1, not %lld",
		                (long long)version);
	if (!rc)
		rc = get_string(p, root, "tocsin", 0, &s->tocsin_version);
	if (!rc)
		rc = get_int(p, root, "seed", 0, INT64_MAX, &seed);
	s->seed = (uint64_t)seed;
	if (!rc)
		rc = get_int(p, root, "replication", 0, UINT32_MAX, &replication);
	s->replication = (uint32_t)replication;
	json_t *until = NULL;
	if (!rc)
		rc = member(p, root, "until", &until);
	if (!rc && json_is_null(until))
		s->until = TC_TIME_NEVER;
	else if (!rc)
		rc = get_int(p, root, "until", -TC_DURATION_MAX, TC_DURATION_MAX, &s->until);
	json_t *sc = NULL;
	if (!rc)
		rc = get_object(p, root, "scenario", &sc);
	if (rc)
		return rc;
	size_t old = push_key(p, "scenario");
	rc = scenario(p, sc);
	pop(p, old);
	return rc;
}

static int new_index(tc_setup *s)
{
	s->index = tc_calloc(s->arena.alloc, 1, sizeof *s->index);
	if (!s->index)
		return TC_ENOMEM;
	tc_alloc *a = s->arena.alloc;
	tc_strmap_init(&s->index->actors, a);
	tc_strmap_init(&s->index->channels, a);
	tc_strmap_init(&s->index->incidents, a);
	tc_strmap_init(&s->index->injects, a);
	tc_strmap_init(&s->index->meetings, a);
	tc_strmap_init(&s->index->kinds, a);
	return TC_OK;
}

int tc_setup_parse(tc_setup *s, tc_alloc *a, const char *json, size_t len, char *err,
                   size_t errlen)
{
	memset(s, 0, sizeof *s);
	tc_arena_init(&s->arena, a);
	tc_tz_utc(&s->tz);
	if (errlen)
		err[0] = '\0';
	parser p = {.s = s, .err = err, .errlen = errlen};
	tc_strmap_init(&p.objectives, a);
	int rc = new_index(s);
	json_error_t jerr;
	json_t *root = NULL;
	if (!rc) {
		root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
		if (!root)
			rc = fail(&p, "%d:%d: %s", jerr.line, jerr.column, jerr.text);
		else if (!json_is_object(root))
			rc = fail(&p, "expected a JSON object, found %s", tc_json_found(root));
	}
	if (!rc)
		rc = record(&p, root);
	json_decref(root);
	tc_strmap_release(&p.objectives);
	if (!rc) {
		const char *zone = s->timezone ? s->timezone : "UTC";
		char zerr[256];
		rc = tc_tz_load(&s->tz, a, zone, zerr, sizeof zerr);
		if (rc && errlen)
			snprintf(err, errlen, "scenario.timezone: %s", zerr);
	}
	if (rc) {
		if (rc == TC_ENOMEM && errlen)
			snprintf(err, errlen, "out of memory reading run-started");
		tc_setup_release(s);
	}
	return rc;
}

static int lookup(const tc_strmap *map, const char *id)
{
	int i = tc_strmap_get(map, id);
	return i >= 0 ? i : TC_NONE;
}

int tc_setup_actor_index(const tc_setup *s, const char *id)
{
	return lookup(&s->index->actors, id);
}

int tc_setup_channel_index(const tc_setup *s, const char *id)
{
	return lookup(&s->index->channels, id);
}

int tc_setup_incident_index(const tc_setup *s, const char *id)
{
	return lookup(&s->index->incidents, id);
}

int tc_setup_inject_index(const tc_setup *s, const char *id)
{
	return lookup(&s->index->injects, id);
}

int tc_setup_meeting_index(const tc_setup *s, const char *id)
{
	return lookup(&s->index->meetings, id);
}

int tc_setup_kind_index(const tc_setup *s, const char *name)
{
	return lookup(&s->index->kinds, name);
}

int tc_setup_add_incident(tc_setup *s, const tc_setup_incident *inc)
{
	assert(inc->id && (inc->detector == TC_NONE || (size_t)inc->detector < s->actor_count));
	if (s->incident_count >= TC_MAX_INCIDENTS)
		return TC_ELIMIT;
	if (tc_strmap_get(&s->index->incidents, inc->id) >= 0)
		return TC_EINVAL;
	/* The table lives in the arena: when full, it moves to a block twice
	 * as large (the old one stays until release; at most as much again). */
	if (s->incident_count == s->incident_cap) {
		size_t cap = s->incident_cap ? s->incident_cap * 2 : 4;
		tc_setup_incident *grown = tc_arena_alloc(&s->arena, cap * sizeof *grown);
		if (!grown)
			return TC_ENOMEM;
		if (s->incident_count)
			memcpy(grown, s->incidents, s->incident_count * sizeof *grown);
		s->incidents = grown;
		s->incident_cap = cap;
	}
	tc_setup_incident copy = *inc;
	copy.opened = 1;
	copy.id = tc_arena_strdup(&s->arena, inc->id);
	copy.title = inc->title ? tc_arena_strdup(&s->arena, inc->title) : NULL;
	uint32_t *required = tc_arena_alloc(&s->arena, inc->required_count * sizeof *required);
	if (!copy.id || (inc->title && !copy.title) || !required)
		return TC_ENOMEM;
	for (size_t i = 0; i < inc->required_count; i++) {
		assert(inc->required[i] < s->actor_count);
		required[i] = inc->required[i];
	}
	copy.required = required;
	int index = (int)s->incident_count;
	if (tc_strmap_put(&s->index->incidents, copy.id, index, NULL))
		return TC_ENOMEM;
	s->incidents[index] = copy;
	s->incident_count++;
	return TC_OK;
}

void tc_setup_release(tc_setup *s)
{
	if (s->index) {
		tc_strmap_release(&s->index->actors);
		tc_strmap_release(&s->index->channels);
		tc_strmap_release(&s->index->incidents);
		tc_strmap_release(&s->index->injects);
		tc_strmap_release(&s->index->meetings);
		tc_strmap_release(&s->index->kinds);
		tc_free(s->arena.alloc, s->index, sizeof *s->index);
	}
	tc_tz_release(&s->tz);
	tc_arena_release(&s->arena);
	memset(s, 0, sizeof *s);
	tc_tz_utc(&s->tz);
}

int tc_setup_level_member(const tc_setup *s, int inc, tc_level level, size_t actor)
{
	assert(inc >= 0 && (size_t)inc < s->incident_count && actor < s->actor_count);
	const tc_setup_incident *in = &s->incidents[inc];
	if (s->actors[actor].level != level)
		return 0;
	int any_required = 0, required = 0;
	for (size_t k = 0; k < in->required_count; k++) {
		if (s->actors[in->required[k]].level == level)
			any_required = 1;
		if (in->required[k] == actor)
			required = 1;
	}
	return any_required ? required : 1;
}
