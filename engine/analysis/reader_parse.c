/*
 * One event-log line back into a tc_record: the inverse of sim/log_json.c,
 * record type by record type (see reader_internal.h for what is rebuilt).
 */
#include "analysis/reader_internal.h"

#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "scenario/scenario.h"

void tc_reader_init(tc_reader *r, tc_alloc *a, tc_setup *setup)
{
	memset(r, 0, sizeof *r);
	r->alloc = a;
	r->setup = setup;
	tc_buf_init(&r->text, a);
}

void tc_reader_release(tc_reader *r)
{
	tc_buf_release(&r->text);
	tc_free(r->alloc, r->messages, r->message_cap * sizeof *r->messages);
	tc_free(r->alloc, r->ids, r->id_cap * sizeof *r->ids);
	memset(r, 0, sizeof *r);
}

int tc_reader_column(const char *line, size_t offset)
{
	int column = 1;
	for (size_t i = 0; i < offset; i++)
		if (((unsigned char)line[i] & 0xC0) != 0x80)
			column++;
	return column;
}

/* The byte offset of the top-level key `key` in the JSON object on line,
 * or -1: a scan that skips strings and nested values, for error columns. */
static long key_offset(const char *line, size_t len, const char *key)
{
	size_t klen = strlen(key);
	int depth = 0, expect_key = 0;
	for (size_t i = 0; i < len; i++) {
		char c = line[i];
		if (c == '"') {
			if (depth == 1 && expect_key && i + klen + 1 < len &&
			    memcmp(line + i + 1, key, klen) == 0 && line[i + 1 + klen] == '"')
				return (long)i;
			for (i++; i < len && line[i] != '"'; i++)
				if (line[i] == '\\')
					i++;
			expect_key = 0;
		} else if (c == '{' || c == '[') {
			depth++;
			expect_key = c == '{' && depth == 1;
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == ',') {
			expect_key = depth == 1;
		}
	}
	return -1;
}

int tc_reader_key_column(const char *line, size_t len, const char *key)
{
	long at = key_offset(line, len, key);
	return at < 0 ? 1 : tc_reader_column(line, (size_t)at);
}

/* ---- one record ------------------------------------------------------------ */

typedef struct parse {
	tc_reader *r;
	tc_record *rec;
	const json_t *root;
	const char *line;
	size_t len;
	const char *event;
	char *err;
	size_t errlen;
	int *column;
} parse;

/* An error about the top-level key `key` (NULL: the whole line). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int bad(parse *p, const char *key, const char *fmt, ...)
{
	long at = key ? key_offset(p->line, p->len, key) : -1;
	*p->column = at < 0 ? 1 : tc_reader_column(p->line, (size_t)at);
	if (p->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return TC_EINVAL;
}

const char *tc_json_found(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

/* The member `key` of the record, which must be there. */
static int get(parse *p, const char *key, json_t **out)
{
	*out = json_object_get(p->root, key);
	if (!*out)
		return bad(p, NULL, "%s record without \"%s\"", p->event, key);
	return TC_OK;
}

/* An integer in [min, max]: v is the value of `name`, reported at the
 * top-level key `top`. */
static int int_value(parse *p, const json_t *v, const char *top, const char *name, int64_t min,
                     int64_t max, int64_t *out)
{
	if (!json_is_integer(v))
		return bad(p, top, "\"%s\": expected an integer, found %s", name, tc_json_found(v));
	json_int_t n = json_integer_value(v);
	if (n < min || n > max)
		return bad(p, top, "\"%s\": expected an integer from %lld to %lld, found %lld", name,
		           (long long)min, (long long)max, (long long)n);
	*out = (int64_t)n;
	return TC_OK;
}

static int get_int(parse *p, const char *key, int64_t min, int64_t max, int64_t *out)
{
	json_t *v = NULL;
	int rc = get(p, key, &v);
	return rc ? rc : int_value(p, v, key, key, min, max, out);
}

static int get_int32(parse *p, const char *key, int64_t min, int64_t max, int *out)
{
	int64_t v = 0;
	int rc = get_int(p, key, min, max, &v);
	*out = (int)v;
	return rc;
}

static int get_count(parse *p, const char *key, int64_t *out)
{
	return get_int(p, key, 0, INT64_MAX, out);
}

static int get_bool(parse *p, const char *key, int *out)
{
	json_t *v = NULL;
	int rc = get(p, key, &v);
	if (rc)
		return rc;
	if (!json_is_boolean(v))
		return bad(p, key, "\"%s\": expected true or false, found %s", key, tc_json_found(v));
	*out = json_is_true(v);
	return TC_OK;
}

/* A string member (NULL for null when nullable). */
static int get_string(parse *p, const char *key, int nullable, const char **out, size_t *len)
{
	json_t *v = NULL;
	int rc = get(p, key, &v);
	if (rc)
		return rc;
	if (nullable && json_is_null(v)) {
		*out = NULL;
		*len = 0;
		return TC_OK;
	}
	if (!json_is_string(v))
		return bad(p, key, "\"%s\": expected a string%s, found %s", key,
		           nullable ? " or null" : "", tc_json_found(v));
	*out = json_string_value(v);
	*len = json_string_length(v);
	return TC_OK;
}

/* A string member copied into the record's text (NULL for null when
 * nullable); NUL characters only when allowed (script output). */
static int get_text(parse *p, const char *key, int nullable, int allow_nul)
{
	const char *s = NULL;
	size_t n = 0;
	int rc = get_string(p, key, nullable, &s, &n);
	if (rc || !s)
		return rc;
	if (!allow_nul && memchr(s, '\0', n))
		return bad(p, key, "\"%s\": expected text without NUL characters", key);
	tc_buf *b = &p->r->text;
	tc_buf_reset(b);
	if (tc_buf_reserve(b, n + 1))
		return TC_ENOMEM;
	tc_buf_add(b, s, n);
	if (b->failed)
		return TC_ENOMEM;
	p->rec->text = b->data;
	if (allow_nul)
		p->rec->text_len = n;
	return TC_OK;
}

typedef int index_fn(const tc_setup *s, const char *id);

/* An id resolved through the setup; TC_NONE for null when nullable. */
static int get_ref(parse *p, const char *key, index_fn *index_of, const char *what, int nullable,
                   int32_t *out)
{
	const char *id = NULL;
	size_t n = 0;
	int rc = get_string(p, key, nullable, &id, &n);
	if (rc)
		return rc;
	if (!id) {
		*out = TC_NONE;
		return TC_OK;
	}
	int i = index_of(p->r->setup, id);
	if (i < 0)
		return bad(p, key, "\"%s\": unknown %s \"%s\"", key, what, id);
	*out = i;
	return TC_OK;
}

static int get_actor(parse *p, const char *key, int nullable, int32_t *out)
{
	return get_ref(p, key, tc_setup_actor_index, "actor", nullable, out);
}

static int get_incident(parse *p, const char *key, int nullable, int32_t *out)
{
	return get_ref(p, key, tc_setup_incident_index, "incident", nullable, out);
}

static int get_meeting(parse *p, const char *key, int32_t *out)
{
	return get_ref(p, key, tc_setup_meeting_index, "meeting", 0, out);
}

/* A cause object of sim/log_json.c: {"message": N}, {"inject": ID},
 * {"meeting": N}, {"script": N}, or null. */
static int get_cause(parse *p, const char *key, tc_cause *out)
{
	json_t *v = NULL;
	int rc = get(p, key, &v);
	if (rc)
		return rc;
	*out = (tc_cause){TC_CAUSE_NONE, 0};
	if (json_is_null(v))
		return TC_OK;
	const char *type = json_is_object(v) && json_object_size(v) == 1 ? json_object_iter_key(
	                                                                       json_object_iter(v))
	                                                                 : NULL;
	json_t *id = type ? json_object_get(v, type) : NULL;
	char name[64];
	snprintf(name, sizeof name, "%s.%s", key, type ? type : "");
	int64_t n = 0;
	if (!type) {
		rc = bad(p, key, "\"%s\": expected null or an object with one of message, inject, "
		         "meeting, script", key);
	} else if (strcmp(type, "inject") == 0) {
		const char *inject = json_string_value(id);
		int i = inject ? tc_setup_inject_index(p->r->setup, inject) : TC_NONE;
		if (!inject)
			rc = bad(p, key, "\"%s\": expected an inject id, found %s", name, tc_json_found(id));
		else if (i < 0)
			rc = bad(p, key, "\"%s\": unknown inject \"%s\"", name, inject);
		*out = (tc_cause){TC_CAUSE_INJECT, (uint64_t)i};
	} else if (strcmp(type, "message") == 0) {
		rc = int_value(p, id, key, name, 1, INT64_MAX, &n);
		*out = (tc_cause){TC_CAUSE_MESSAGE, (uint64_t)n};
	} else if (strcmp(type, "meeting") == 0) {
		rc = int_value(p, id, key, name, 1, INT64_MAX, &n);
		*out = (tc_cause){TC_CAUSE_MEETING, (uint64_t)n};
	} else if (strcmp(type, "script") == 0) {
		rc = int_value(p, id, key, name, 0, INT64_MAX, &n);
		*out = (tc_cause){TC_CAUSE_SCRIPT, (uint64_t)n};
	} else {
		rc = bad(p, key, "\"%s\": expected a cause: message, inject, meeting or script, "
		         "found \"%s\"", key, type);
	}
	return rc;
}

/* The inject that caused a record, for the records whose `inject` the
 * simulation sets (an inject's message, channel and staff changes). */
static int32_t inject_of(tc_cause cause)
{
	return cause.type == TC_CAUSE_INJECT ? (int32_t)cause.id : TC_NONE;
}

/* ---- message records ---------------------------------------------------------- */

static int get_tlp(parse *p, int *out)
{
	const char *s = NULL;
	size_t n = 0;
	int rc = get_string(p, "tlp", 0, &s, &n);
	if (rc)
		return rc;
	for (int i = 0; i < TC_TLP_COUNT; i++) {
		if (strcmp(s, tc_tlp_names[i]) == 0) {
			*out = i;
			return TC_OK;
		}
	}
	return bad(p, "tlp", "\"tlp\": expected one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED, "
	           "found \"%s\"", s);
}

/* The keys every message record has (sim/log_json.c's message_fields). */
static int message_fields(parse *p)
{
	tc_record *r = p->rec;
	int64_t msg = 0;
	int32_t kind = 0;
	int rc = get_int(p, "msg", 1, INT64_MAX, &msg);
	r->message = (uint64_t)msg;
	if (!rc)
		rc = get_ref(p, "kind", tc_setup_kind_index, "message kind", 0, &kind);
	r->kind = (tc_kind_id)kind;
	if (!rc)
		rc = get_actor(p, "from", 1, &r->actor);
	if (!rc)
		rc = get_actor(p, "to", 0, &r->peer);
	if (!rc)
		rc = get_incident(p, "incident", 1, &r->incident);
	if (!rc)
		rc = get_int32(p, "severity", 0, TC_SEVERITY_MAX, &r->severity);
	if (!rc)
		rc = get_tlp(p, &r->tlp);
	if (!rc)
		rc = get_ref(p, "channel", tc_setup_channel_index, "channel", 1, &r->channel);
	if (!rc)
		rc = get_int32(p, "attempt", 1, INT_MAX, &r->attempt);
	return rc;
}

/* message-created and retry: a new message, whose cause later records of
 * it carry. */
static int created(parse *p)
{
	tc_reader *rd = p->r;
	tc_record *r = p->rec;
	json_t *parents = NULL;
	int rc = message_fields(p);
	if (!rc)
		rc = get(p, "parents", &parents);
	if (!rc && !json_is_array(parents))
		rc = bad(p, "parents", "\"parents\": expected an array, found %s", tc_json_found(parents));
	if (!rc)
		rc = get_cause(p, "binding", &r->cause);
	if (!rc && json_object_get(p->root, "meeting")) {
		int64_t instance = 0;
		rc = get_meeting(p, "meeting", &r->meeting);
		if (!rc)
			rc = get_int(p, "instance", 1, INT64_MAX, &instance);
		r->meeting_id = (uint64_t)instance;
	}
	if (!rc && json_object_get(p->root, "body"))
		rc = get_text(p, "body", 0, 0);
	if (rc)
		return rc;
	/* An inject's own message names it; a convocation of a meeting an
	 * inject convened has the inject as cause but not as its inject. */
	if (r->meeting < 0)
		r->inject = inject_of(r->cause);
	/* The simulation numbers messages as it creates them, and writes each
	 * message-created (or retry) at once: ids come dense and in order. */
	if (r->message <= rd->message_count)
		return bad(p, "msg", "\"msg\": message %llu is created twice",
		           (unsigned long long)r->message);
	if (r->message != rd->message_count + 1)
		return bad(p, "msg", "\"msg\": expected message %llu next (messages are numbered "
		           "in the order they are created), found %llu",
		           (unsigned long long)rd->message_count + 1, (unsigned long long)r->message);
	size_t index = rd->message_count;
	if (tc_grow(rd->alloc, (void **)&rd->messages, &rd->message_cap, index + 1,
	            sizeof *rd->messages))
		return TC_ENOMEM;
	rd->message_count = index + 1;
	rd->messages[index] = (tc_reader_message){r->cause.id, (uint8_t)r->cause.type};
	return TC_OK;
}

/* A later record of a message: the message must have been created. */
static int message_record(parse *p)
{
	tc_reader *rd = p->r;
	tc_record *r = p->rec;
	int rc = message_fields(p);
	if (rc)
		return rc;
	if (r->message > rd->message_count)
		return bad(p, "msg", "\"msg\": message %llu was never created",
		           (unsigned long long)r->message);
	size_t index = (size_t)(r->message - 1);
	r->cause = (tc_cause){(tc_cause_type)rd->messages[index].cause_type,
	                      rd->messages[index].cause_id};
	return TC_OK;
}

static int handled(parse *p)
{
	tc_record *r = p->rec;
	static const char *const parts[] = {"hold", "channel", "queue", "off_hours", "handling",
	                                    "total"};
	int64_t v[6] = {0};
	json_t *wait = NULL;
	int rc = get_bool(p, "on_call", &r->on_call);
	if (!rc)
		rc = get(p, "wait", &wait);
	if (!rc && !json_is_object(wait))
		rc = bad(p, "wait", "\"wait\": expected an object, found %s", tc_json_found(wait));
	for (int i = 0; i < 6 && !rc; i++) {
		char name[32];
		snprintf(name, sizeof name, "wait.%s", parts[i]);
		json_t *part = json_object_get(wait, parts[i]);
		if (!part)
			rc = bad(p, "wait", "\"wait\" without \"%s\"", parts[i]);
		else
			rc = int_value(p, part, "wait", name, 0, TC_DURATION_MAX, &v[i]);
	}
	if (rc)
		return rc;
	r->wait_hold = v[0];
	r->wait_channel = v[1];
	r->wait_queue = v[2];
	r->wait_off_hours = v[3];
	r->handling = v[4];
	if (v[0] + v[1] + v[2] + v[3] + v[4] != v[5])
		return bad(p, "wait", "\"wait.total\": %lld is not the sum of the parts (%lld)",
		           (long long)v[5], (long long)(v[0] + v[1] + v[2] + v[3] + v[4]));
	return TC_OK;
}

static int message(parse *p)
{
	tc_record *r = p->rec;
	int rc = message_record(p);
	if (rc)
		return rc;
	switch (r->type) {
	case TC_REC_MESSAGE_HELD:
	case TC_REC_MESSAGE_SENT:
	case TC_REC_MESSAGE_LOST:
		return json_object_get(p->root, "reason") ? get_text(p, "reason", 1, 0) : TC_OK;
	case TC_REC_MESSAGE_DELIVERED:
		return get_int(p, "latency", 0, TC_DURATION_MAX, &r->wait_channel);
	case TC_REC_MESSAGE_QUEUED:
		rc = get_count(p, "pending", &r->count);
		return rc ? rc : get_text(p, "reason", 1, 0);
	case TC_REC_HANDLING_STARTED:
		return get_bool(p, "on_call", &r->on_call);
	case TC_REC_MESSAGE_HANDLED:
		return handled(p);
	default:
		return TC_EINVAL;
	}
}

/* ---- the other records ------------------------------------------------------------ */

static int meeting_fields(parse *p)
{
	tc_record *r = p->rec;
	int64_t instance = 0;
	int rc = get_meeting(p, "meeting", &r->meeting);
	if (!rc)
		rc = get_int(p, "instance", 1, INT64_MAX, &instance);
	r->meeting_id = (uint64_t)instance;
	if (!rc)
		rc = get_incident(p, "incident", 1, &r->incident);
	return rc;
}

static int meeting(parse *p)
{
	tc_record *r = p->rec;
	int rc = meeting_fields(p);
	if (rc)
		return rc;
	switch (r->type) {
	case TC_REC_MEETING_CONVENED:
		rc = get_actor(p, "by", 1, &r->actor);
		if (!rc)
			rc = get_count(p, "participants", &r->count);
		return rc ? rc : get_cause(p, "cause", &r->cause);
	case TC_REC_MEETING_JOINED: {
		int64_t msg = 0;
		rc = get_actor(p, "actor", 0, &r->actor);
		if (!rc)
			rc = get_int(p, "msg", 1, INT64_MAX, &msg);
		r->message = (uint64_t)msg;
		return rc ? rc : get_count(p, "attendees", &r->count);
	}
	case TC_REC_MEETING_STARTED:
		rc = get_count(p, "attendees", &r->count);
		return rc ? rc : get_cause(p, "binding", &r->cause);
	case TC_REC_MEETING_ENDED:
		return get_count(p, "attendees", &r->count);
	case TC_REC_MEETING_FAILED:
		rc = get_count(p, "attendees", &r->count);
		return rc ? rc : get_text(p, "reason", 1, 0);
	default:
		return TC_EINVAL;
	}
}

/* incident-opened: the incident joins the setup, which later records name. */
static int opened(parse *p)
{
	tc_reader *rd = p->r;
	tc_record *r = p->rec;
	const char *id = NULL, *title = NULL;
	size_t id_len = 0, title_len = 0;
	json_t *required = NULL;
	int rc = get_string(p, "incident", 0, &id, &id_len);
	if (!rc && (id_len == 0 || memchr(id, '\0', id_len)))
		rc = bad(p, "incident", "\"incident\": expected an id of 1 or more characters "
		         "without NUL");
	if (!rc && tc_setup_incident_index(rd->setup, id) >= 0)
		rc = bad(p, "incident", "\"incident\": incident \"%s\" already exists", id);
	if (!rc)
		rc = get_string(p, "title", 1, &title, &title_len);
	if (!rc && title && memchr(title, '\0', title_len))
		rc = bad(p, "title", "\"title\": expected text without NUL characters");
	if (!rc)
		rc = get_int32(p, "severity", 0, TC_SEVERITY_MAX, &r->severity);
	if (!rc)
		rc = get_actor(p, "detector", 1, &r->actor);
	if (!rc)
		rc = get(p, "required", &required);
	if (!rc && !json_is_array(required))
		rc = bad(p, "required", "\"required\": expected an array of actor ids, found %s",
		         tc_json_found(required));
	if (rc)
		return rc;
	size_t n = json_array_size(required);
	if (n > rd->setup->actor_count)
		return bad(p, "required", "\"required\": more actors than the scenario has");
	if (n > rd->id_cap &&
	    tc_grow(rd->alloc, (void **)&rd->ids, &rd->id_cap, n, sizeof *rd->ids))
		return TC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *actor = json_string_value(json_array_get(required, i));
		int a = actor ? tc_setup_actor_index(rd->setup, actor) : TC_NONE;
		if (a < 0)
			return bad(p, "required", "\"required[%zu]\": expected an actor id, found %s%s%s",
			           i, actor ? "\"" : tc_json_found(json_array_get(required, i)),
			           actor ? actor : "", actor ? "\"" : "");
		rd->ids[i] = (uint32_t)a;
	}
	tc_setup_incident inc = {
		.id = id, .title = title, .severity = r->severity, .start = r->time,
		.detector = r->actor, .required = rd->ids, .required_count = n, .opened = 1,
	};
	rc = tc_setup_add_incident(rd->setup, &inc);
	if (rc == TC_ELIMIT) {
		bad(p, "incident", "\"incident\": a run has at most %d incidents", TC_MAX_INCIDENTS);
		return TC_ELIMIT;
	}
	if (rc)
		return rc;
	r->incident = (int32_t)(rd->setup->incident_count - 1);
	return TC_OK;
}

static int other(parse *p)
{
	tc_record *r = p->rec;
	int rc;
	switch (r->type) {
	case TC_REC_INJECT_FIRED:
		rc = get_ref(p, "inject", tc_setup_inject_index, "inject", 0, &r->inject);
		if (!rc)
			rc = get_count(p, "occurrence", &r->count);
		return rc ? rc : get_incident(p, "incident", 1, &r->incident);
	case TC_REC_ACTOR_AWARE:
		rc = get_actor(p, "actor", 0, &r->actor);
		if (!rc)
			rc = get_incident(p, "incident", 0, &r->incident);
		return rc ? rc : get_cause(p, "cause", &r->cause);
	case TC_REC_CALLOUT:
		rc = get_actor(p, "actor", 0, &r->actor);
		if (!rc)
			rc = get_count(p, "staff", &r->count);
		return rc ? rc : get_text(p, "state", 1, 0);
	case TC_REC_CHANNEL_DOWN:
	case TC_REC_CHANNEL_UP:
		rc = get_ref(p, "channel", tc_setup_channel_index, "channel", 0, &r->channel);
		if (!rc)
			rc = get_cause(p, "cause", &r->cause);
		r->inject = inject_of(r->cause);
		return rc;
	case TC_REC_STAFF_CHANGED:
		rc = get_actor(p, "actor", 0, &r->actor);
		if (!rc)
			rc = get_count(p, "staff", &r->count);
		if (!rc)
			rc = get_cause(p, "cause", &r->cause);
		r->inject = inject_of(r->cause);
		return rc;
	case TC_REC_HOURS_CHANGED:
		rc = get_actor(p, "actor", 0, &r->actor);
		if (!rc)
			rc = get_text(p, "hours", 1, 0);
		return rc ? rc : get_cause(p, "cause", &r->cause);
	case TC_REC_INCIDENT_OPENED:
		return opened(p);
	case TC_REC_INCIDENT_ESCALATED:
		rc = get_incident(p, "incident", 0, &r->incident);
		if (!rc)
			rc = get_int(p, "from", 0, TC_SEVERITY_MAX, &r->count);
		if (!rc)
			rc = get_int32(p, "severity", 0, TC_SEVERITY_MAX, &r->severity);
		return rc ? rc : get_cause(p, "cause", &r->cause);
	case TC_REC_SCRIPT_LOG:
		return get_text(p, "text", 0, 1);
	case TC_REC_SCRIPT_ERROR:
		return get_text(p, "error", 0, 1);
	case TC_REC_RUN_ENDED: {
		json_t *stats = NULL;
		rc = get_text(p, "reason", 1, 0);
		if (!rc)
			rc = get(p, "stats", &stats);
		if (!rc && !json_is_object(stats))
			rc = bad(p, "stats", "\"stats\": expected an object, found %s", tc_json_found(stats));
		json_t *events = rc ? NULL : json_object_get(stats, "events");
		if (!rc && !events)
			rc = bad(p, "stats", "\"stats\" without \"events\"");
		if (!rc)  /* the queue events processed, which the record counts */
			rc = int_value(p, events, "stats", "stats.events", 0, INT64_MAX, &r->count);
		return rc;
	}
	default:
		return TC_EINVAL;
	}
}

static int record_type(const char *name, tc_record_type *out)
{
	for (int t = 0; t < TC_REC_TYPE_COUNT; t++) {
		if (strcmp(tc_record_type_name((tc_record_type)t), name) == 0) {
			*out = (tc_record_type)t;
			return 0;
		}
	}
	return -1;
}

static int dispatch(parse *p)
{
	tc_record *r = p->rec;
	int64_t seq = 0;
	const char *event = NULL;
	size_t n = 0;
	int rc = get_int(p, "seq", 0, INT64_MAX, &seq);
	r->seq = (uint64_t)seq;
	if (!rc)
		rc = get_int(p, "t", -TC_DURATION_MAX, TC_DURATION_MAX, &r->time);
	if (!rc)
		rc = get_string(p, "event", 0, &event, &n);
	if (rc)
		return rc;
	if (record_type(event, &r->type))
		return bad(p, "event", "\"event\": unknown event \"%s\"", event);
	p->event = event;
	switch (r->type) {
	case TC_REC_RUN_STARTED:
		return bad(p, "event", "a second run-started record: only the first line is one");
	case TC_REC_MESSAGE_CREATED:
	case TC_REC_RETRY:
		return created(p);
	case TC_REC_MESSAGE_HELD:
	case TC_REC_MESSAGE_SENT:
	case TC_REC_MESSAGE_LOST:
	case TC_REC_MESSAGE_DELIVERED:
	case TC_REC_MESSAGE_QUEUED:
	case TC_REC_HANDLING_STARTED:
	case TC_REC_MESSAGE_HANDLED:
		return message(p);
	case TC_REC_MEETING_CONVENED:
	case TC_REC_MEETING_JOINED:
	case TC_REC_MEETING_STARTED:
	case TC_REC_MEETING_ENDED:
	case TC_REC_MEETING_FAILED:
		return meeting(p);
	default:
		return other(p);
	}
}

int tc_reader_parse_record(tc_reader *r, const char *line, size_t len, tc_record *out,
                           char *err, size_t errlen, int *column)
{
	/* As sim/run.c's run_record starts every record. */
	memset(out, 0, sizeof *out);
	out->actor = out->peer = out->channel = out->incident = out->inject = out->meeting = TC_NONE;
	out->severity = out->tlp = -1;
	*column = 1;
	if (errlen)
		err[0] = '\0';
	json_error_t jerr;
	json_t *root = json_loadb(line, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			return TC_ENOMEM;
		*column = jerr.column > 0 ? jerr.column : 1;
		if (errlen)
			snprintf(err, errlen, "not a JSON record: %s", jerr.text);
		return TC_EINVAL;
	}
	parse p = {.r = r, .rec = out, .root = root, .line = line, .len = len, .event = "a",
	           .err = err, .errlen = errlen, .column = column};
	int rc = json_is_object(root) ? dispatch(&p)
	                              : bad(&p, NULL, "expected a JSON object, found %s",
	                                    tc_json_found(root));
	json_decref(root);
	return rc;
}
