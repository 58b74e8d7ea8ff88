/*
 * The tocsin module: what scenario Lua can read and do (docs/lua-api.md).
 * Times are integers of milliseconds from T+0, or strings as in the YAML
 * ("T+02:30", "90m", "2022-08-21T09:00"); durations are integers of
 * milliseconds or strings ("30m", "1h30m"). Ids are the scenario's.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "core/diag.h"
#include "core/error.h"
#include "sim/lua.h"

run_script *script_of(lua_State *L)
{
	return lua_touserdata(L, lua_upvalueindex(1));
}

/* ---- arguments ---- */

/* Suggestion among n names taken from items of a given stride. */
static const char *suggest(run_script *sc, const char *word, const void *items, size_t n,
                           size_t stride)
{
	if (n == 0 || n > 100000)
		return NULL;
	const char **names = tc_malloc(sc->run->alloc, n * sizeof *names);
	if (!names)
		return NULL;
	for (size_t i = 0; i < n; i++)
		names[i] = *(const char *const *)((const char *)items + i * stride);
	const char *hint = tc_suggest(word, names, n);
	tc_free(sc->run->alloc, names, n * sizeof *names);
	return hint;
}

static int unknown(lua_State *L, const char *what, const char *word, const char *hint)
{
	if (hint)
		return luaL_error(L, "unknown %s '%s' (did you mean '%s'?)", what, word, hint);
	return luaL_error(L, "unknown %s '%s'", what, word);
}

/* The index of the name at idx in the Lua table ref (name -> index), or -1:
 * a lookup by the interned string, where a search in C compares strings. */
static int lookup(lua_State *L, int ref, int idx)
{
	idx = lua_absindex(L, idx);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	lua_pushvalue(L, idx);
	lua_rawget(L, -2);
	int i = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : -1;
	lua_pop(L, 2);
	return i;
}

static int check_actor(lua_State *L, run_script *sc, int idx)
{
	const char *id = luaL_checkstring(L, idx);
	int a = lookup(L, sc->actor_index, idx);
	if (a < 0)
		unknown(L, "actor", id, suggest(sc, id, sc->run->s->actors, sc->run->s->actor_count,
		                                sizeof(tc_actor_def)));
	return a;
}

static int check_channel(lua_State *L, run_script *sc, int idx)
{
	const char *id = luaL_checkstring(L, idx);
	int c = lookup(L, sc->channel_index, idx);
	if (c < 0)
		unknown(L, "channel", id, suggest(sc, id, sc->run->s->channels,
		                                  sc->run->s->channel_count, sizeof(tc_channel_def)));
	return c;
}

static int check_incident(lua_State *L, run_script *sc, int idx)
{
	const char *id = luaL_checkstring(L, idx);
	int i = lookup(L, sc->incident_index, idx);
	if (i < 0)
		unknown(L, "incident", id, suggest(sc, id, sc->run->incidents, sc->run->incident_count,
		                                   sizeof(run_incident)));
	return i;
}

static int check_meeting(lua_State *L, run_script *sc, int idx)
{
	const tc_scenario *s = sc->run->s;
	const char *id = luaL_checkstring(L, idx);
	for (size_t i = 0; i < s->meeting_count; i++)
		if (strcmp(s->meetings[i].id, id) == 0)
			return (int)i;
	return unknown(L, "meeting", id, suggest(sc, id, s->meetings, s->meeting_count,
	                                         sizeof(tc_meeting_def)));
}

static int check_kind(lua_State *L, run_script *sc, int idx)
{
	const tc_scenario *s = sc->run->s;
	const char *name = luaL_checkstring(L, idx);
	int k = lookup(L, sc->kind_index, idx);
	if (k < 0)
		unknown(L, "message kind", name, suggest(sc, name, s->kinds, s->kind_count,
		                                         sizeof(tc_kind)));
	return k;
}

static int check_severity(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TNUMBER) {
		lua_Integer v = luaL_checkinteger(L, idx);
		luaL_argcheck(L, v >= 0 && v <= TC_SEVERITY_MAX, idx, "a severity from 0 (info) to 4 (critical)");
		return (int)v;
	}
	const char *name = luaL_checkstring(L, idx);
	int v;
	if (tc_severity_parse(name, &v))
		luaL_error(L, "unknown severity '%s' (expected info, low, medium, high or critical)",
		           name);
	return v;
}

static int check_tlp(lua_State *L, int idx)
{
	const char *name = luaL_checkstring(L, idx);
	tc_tlp v;
	if (tc_tlp_parse(name, &v))
		luaL_error(L, "unknown TLP '%s' (expected clear, green, amber, amber+strict or red)",
		           name);
	return (int)v;
}

/* A duration: milliseconds, or a string such as "30m" (no months). */
static tc_time check_duration(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TNUMBER) {
		lua_Integer v = luaL_checkinteger(L, idx);
		luaL_argcheck(L, v >= 0 && v <= TC_TIME_ALWAYS_END, idx,
		              "a duration of zero or more milliseconds");
		return (tc_time)v;
	}
	size_t len;
	const char *text = luaL_checklstring(L, idx, &len);
	tc_duration d;
	char err[128];
	size_t off = 0;
	if (tc_duration_parse(text, len, &d, err, sizeof err, &off))
		luaL_error(L, "bad duration '%s': %s", text, err);
	if (d.months)
		luaL_error(L, "bad duration '%s': give calendar months in days", text);
	if (d.ms < 0)
		luaL_error(L, "bad duration '%s': a duration must not be negative", text);
	return d.ms;
}

/* An exercise time: milliseconds from T+0, "T+02:30", "90m" or a date-time. */
static tc_time check_time(lua_State *L, run_script *sc, int idx)
{
	const tc_scenario *s = sc->run->s;
	if (lua_type(L, idx) == LUA_TNUMBER) {
		lua_Integer v = luaL_checkinteger(L, idx);
		luaL_argcheck(L, v >= -TC_TIME_ALWAYS_END && v <= TC_TIME_ALWAYS_END, idx,
		              "a time in milliseconds from T+0");
		return (tc_time)v;
	}
	size_t len;
	const char *text = luaL_checklstring(L, idx, &len);
	char err[128];
	size_t off = 0;
	tc_time t;
	if (tc_exercise_time_parse(text, len, s->epoch_utc_ms, s->tz, &t, err, sizeof err, &off))
		luaL_error(L, "bad time '%s': %s", text, err);
	return t;
}

/* Acting (sending, changing the run) is for callbacks, not for top levels,
 * which run before the exercise starts. */
static run_script *acting(lua_State *L, const char *fn)
{
	run_script *sc = script_of(L);
	if (sc->loading)
		luaL_error(L, "%s cannot be called while the script loads: schedule it with "
		              "tocsin.at or react with tocsin.on", fn);
	return sc;
}

static int failed(lua_State *L, run_script *sc, int rc, const char *what)
{
	if (rc == TC_ELIMIT)
		return tc_sandbox_raise(L, 1, "%s: more than %d callbacks registered at once", what,
		                        SCRIPT_MAX_CALLBACKS);
	if (rc == TC_ENOMEM)
		sc->host_oom = 1;
	return tc_sandbox_raise(L, 1, "%s: %s", what, tc_strerror(rc));
}

/* ---- views ---- */

#define EVENT_VIEW "tocsin.event"
#define ENTITY_VIEW "tocsin.entity"

/* What a view keeps of a record: the fields it shows (a third of a
 * tc_record; a view is made for every callback of an event). */
typedef struct view_record {
	tc_time time;
	uint64_t message;
	tc_cause cause;
	int32_t actor, peer, channel, incident, meeting, attempt;
	tc_kind_id kind;
	int8_t type, severity, tlp;
} view_record;

_Static_assert(TC_REC_TYPE_COUNT <= INT8_MAX, "a record type fits a view's int8_t");

/* A record seen by a callback; valid during that callback only. */
typedef struct event_view {
	view_record rec;
	const char *body;
	uint64_t generation;
} event_view;

enum { ENTITY_ACTOR, ENTITY_CHANNEL, ENTITY_INCIDENT };
static const char *const entity_names[] = {"actor", "channel", "incident"};

/* Actors, channels and incidents: live handles that read the run's state
 * when a field is read. */
typedef struct entity_view {
	int type, index;
} entity_view;

/* The metatables are kept in the registry by number: finding them by name
 * (luaL_setmetatable, luaL_checkudata) compares strings at every view. */
static void set_meta(lua_State *L, int ref)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	lua_setmetatable(L, -2);
}

/* The view at idx, whose metatable is meta (a registry reference, so its
 * address is stable: Lua never moves objects); type names it in errors. */
static void *check_view(lua_State *L, int idx, const void *meta, const char *type)
{
	void *p = lua_touserdata(L, idx);
	if (p && lua_getmetatable(L, idx)) {
		int same = lua_topointer(L, -1) == meta;
		lua_pop(L, 1);
		if (same)
			return p;
	}
	luaL_typeerror(L, idx, type);
	return NULL;
}

void script_push_event(lua_State *L, run_script *sc, const tc_record *rec, const char *body)
{
	event_view *v = lua_newuserdatauv(L, sizeof *v, 0);
	v->rec = (view_record){
		.time = rec->time, .message = rec->message, .cause = rec->cause,
		.actor = rec->actor, .peer = rec->peer, .channel = rec->channel,
		.incident = rec->incident, .meeting = rec->meeting, .attempt = rec->attempt,
		.kind = rec->kind, .type = (int8_t)rec->type, .severity = (int8_t)rec->severity,
		.tlp = (int8_t)rec->tlp,
	};
	v->body = body;
	v->generation = sc->generation;
	set_meta(L, sc->event_meta);
}

static void push_entity(lua_State *L, const run_script *sc, int type, int index)
{
	entity_view *v = lua_newuserdatauv(L, sizeof *v, 0);
	v->type = type;
	v->index = index;
	set_meta(L, sc->entity_meta);
}

/*
 * Lua strings made once per run (sc->strings, an array): the actors' ids,
 * the kinds' names, then the keys of ctx. lua_pushstring and lua_setfield
 * with a C string hash it or compare it with the string cache's entry at
 * every call, which showed in the profile of a doctrine handler's call.
 */
enum { KEY_ACTOR = 1, KEY_SEND, KEY_OUTBOX, KEY_COUNT = KEY_OUTBOX };

static void push_string(lua_State *L, const run_script *sc, size_t index)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, sc->strings);
	lua_rawgeti(L, -1, (lua_Integer)index);
	lua_remove(L, -2);
}

static void push_actor_id(lua_State *L, const run_script *sc, int actor)
{
	push_string(L, sc, (size_t)actor + 1);
}

static void push_kind_name(lua_State *L, const run_script *sc, tc_kind_id kind)
{
	push_string(L, sc, sc->run->s->actor_count + kind + 1);
}

static void push_key(lua_State *L, const run_script *sc, int key)
{
	push_string(L, sc, sc->run->s->actor_count + sc->run->s->kind_count + (size_t)key);
}

static void make_strings(lua_State *L, run_script *sc)
{
	const tc_scenario *s = sc->run->s;
	static const char *const keys[] = {"actor", "send", "outbox"};
	lua_createtable(L, (int)(s->actor_count + s->kind_count + KEY_COUNT), 0);
	lua_Integer n = 0;
	for (size_t i = 0; i < s->actor_count; i++) {
		lua_pushstring(L, s->actors[i].id);
		lua_rawseti(L, -2, ++n);
	}
	for (size_t i = 0; i < s->kind_count; i++) {
		lua_pushstring(L, s->kinds[i].name);
		lua_rawseti(L, -2, ++n);
	}
	for (size_t i = 0; i < KEY_COUNT; i++) {
		lua_pushstring(L, keys[i]);
		lua_rawseti(L, -2, ++n);
	}
	sc->strings = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* A table from the names of n items (the const char * at the start of each,
 * stride bytes apart) to their indices; returns its registry reference. */
static int make_index(lua_State *L, const void *items, size_t n, size_t stride)
{
	lua_createtable(L, 0, (int)n);
	for (size_t i = 0; i < n; i++) {
		lua_pushstring(L, *(const char *const *)((const char *)items + i * stride));
		lua_pushinteger(L, (lua_Integer)i);
		lua_rawset(L, -3);
	}
	return luaL_ref(L, LUA_REGISTRYINDEX);
}

static void make_indexes(lua_State *L, run_script *sc)
{
	const tc_scenario *s = sc->run->s;
	sc->actor_index = make_index(L, s->actors, s->actor_count, sizeof *s->actors);
	sc->kind_index = make_index(L, s->kinds, s->kind_count, sizeof *s->kinds);
	sc->channel_index = make_index(L, s->channels, s->channel_count, sizeof *s->channels);
	sc->incident_index = make_index(L, sc->run->incidents, sc->run->incident_count,
	                                sizeof *sc->run->incidents);
}

static void push_id(lua_State *L, const char *id)
{
	if (id)
		lua_pushstring(L, id);
	else
		lua_pushnil(L);
}

static void push_int_or_nil(lua_State *L, int present, lua_Integer v)
{
	if (present)
		lua_pushinteger(L, v);
	else
		lua_pushnil(L);
}

static const char *actor_name(const tc_run *run, int a)
{
	return a >= 0 ? run->s->actors[a].id : NULL;
}

static const char *incident_name(const tc_run *run, int i)
{
	return i >= 0 ? run->incidents[i].id : NULL;
}

static event_view *check_event(lua_State *L, run_script *sc, int idx)
{
	event_view *v = check_view(L, idx, sc->event_meta_ptr, EVENT_VIEW);
	if (v->generation != sc->generation || !sc->in_call) {
		char when[48];
		tc_time_format(v->rec.time, when, sizeof when);
		luaL_error(L, "this view of a %s event at %s was read after its callback returned: "
		              "copy the fields you need while it runs",
		           tc_record_type_name(v->rec.type), when);
	}
	return v;
}

/* The fields of an event view, found by the key's string in
 * sc->event_fields (a Lua table lookup, no string comparison). */
enum {
	EV_EVENT = 1, EV_TIME, EV_ID, EV_KIND, EV_FROM, EV_TO, EV_ACTOR, EV_INCIDENT, EV_SEVERITY,
	EV_TLP, EV_CHANNEL, EV_MEETING, EV_ATTEMPT, EV_BODY, EV_PARENT,
};

static void make_event_fields(lua_State *L, run_script *sc)
{
	static const struct { const char *name; int field; } fields[] = {
		{"event", EV_EVENT}, {"time", EV_TIME}, {"id", EV_ID}, {"message", EV_ID},
		{"kind", EV_KIND}, {"from", EV_FROM}, {"to", EV_TO}, {"actor", EV_ACTOR},
		{"incident", EV_INCIDENT}, {"severity", EV_SEVERITY}, {"tlp", EV_TLP},
		{"channel", EV_CHANNEL}, {"meeting", EV_MEETING}, {"attempt", EV_ATTEMPT},
		{"body", EV_BODY}, {"parent", EV_PARENT},
	};
	lua_createtable(L, 0, sizeof fields / sizeof *fields);
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		lua_pushinteger(L, fields[i].field);
		lua_setfield(L, -2, fields[i].name);
	}
	sc->event_fields = luaL_ref(L, LUA_REGISTRYINDEX);
}

static int event_index(lua_State *L)
{
	run_script *sc = script_of(L);
	event_view *v = check_event(L, sc, 1);
	const view_record *r = &v->rec;
	const tc_run *run = sc->run;
	luaL_checkstring(L, 2);
	lua_rawgeti(L, LUA_REGISTRYINDEX, sc->event_fields);
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	int field = (int)lua_tointeger(L, -1);
	lua_pop(L, 2);
	int msg = script_is_message_record(r->type);
	switch (field) {
	case EV_EVENT: lua_pushstring(L, tc_record_type_name(r->type)); break;
	case EV_TIME: lua_pushinteger(L, r->time); break;
	case EV_ID: push_int_or_nil(L, r->message != 0, (lua_Integer)r->message); break;
	case EV_KIND:
		if (msg)
			push_kind_name(L, sc, r->kind);
		else
			lua_pushnil(L);
		break;
	case EV_FROM:
	case EV_TO:
	case EV_ACTOR: {
		int a = field == EV_ACTOR ? (msg ? r->peer : r->actor)
		        : !msg ? -1 : field == EV_FROM ? r->actor : r->peer;
		if (a >= 0)
			push_actor_id(L, sc, a);
		else
			lua_pushnil(L);
		break;
	}
	case EV_INCIDENT: push_id(L, incident_name(run, r->incident)); break;
	case EV_SEVERITY: push_id(L, r->severity >= 0 ? tc_severity_name(r->severity) : NULL); break;
	case EV_TLP: push_id(L, msg && r->tlp >= 0 ? tc_tlp_name((tc_tlp)r->tlp) : NULL); break;
	case EV_CHANNEL: push_id(L, r->channel >= 0 ? run->s->channels[r->channel].id : NULL); break;
	case EV_MEETING: push_id(L, r->meeting >= 0 ? run->s->meetings[r->meeting].id : NULL); break;
	case EV_ATTEMPT: push_int_or_nil(L, msg, r->attempt); break;
	case EV_BODY: push_id(L, v->body); break;
	case EV_PARENT:
		push_int_or_nil(L, r->cause.type == TC_CAUSE_MESSAGE, (lua_Integer)r->cause.id);
		break;
	default:
		return luaL_error(L, "a %s event has no field '%s'", tc_record_type_name(r->type),
		                  lua_tostring(L, 2));
	}
	return 1;
}

static int event_tostring(lua_State *L)
{
	run_script *sc = script_of(L);
	event_view *v = check_view(L, 1, sc->event_meta_ptr, EVENT_VIEW);
	char when[48];
	tc_time_format(v->rec.time, when, sizeof when);
	if (script_is_message_record(v->rec.type))
		lua_pushfstring(L, "%s message %I at %s", tc_record_type_name(v->rec.type),
		                (lua_Integer)v->rec.message, when);
	else
		lua_pushfstring(L, "%s at %s", tc_record_type_name(v->rec.type), when);
	(void)sc;
	return 1;
}

static int hours_of(const tc_run *run, int a)
{
	return run->actors[a].hours;
}

static int entity_aware(lua_State *L);

static int actor_field(lua_State *L, const tc_run *run, int a, const char *key)
{
	const tc_actor_def *d = &run->s->actors[a];
	const actor_state *st = &run->actors[a];
	static const char *const hours[] = {"schedule", "always", "off"};
	if (strcmp(key, "id") == 0) lua_pushstring(L, d->id);
	else if (strcmp(key, "name") == 0) push_id(L, d->name);
	else if (strcmp(key, "level") == 0) lua_pushstring(L, tc_level_name(d->level));
	else if (strcmp(key, "scope") == 0) push_id(L, d->scope);
	else if (strcmp(key, "staff") == 0) lua_pushinteger(L, st->staff);
	else if (strcmp(key, "busy") == 0) lua_pushinteger(L, st->busy_duty + st->busy_on_call);
	else if (strcmp(key, "queued") == 0)
		lua_pushinteger(L, (lua_Integer)(st->high.length + st->low.length));
	else if (strcmp(key, "on_duty") == 0) lua_pushboolean(L, actor_on_duty(run, a));
	else if (strcmp(key, "on_call") == 0) lua_pushboolean(L, st->on_call_active);
	else if (strcmp(key, "hours") == 0) lua_pushstring(L, hours[hours_of(run, a)]);
	else return 0;
	return 1;
}

static int entity_index(lua_State *L)
{
	run_script *sc = script_of(L);
	entity_view *v = check_view(L, 1, sc->entity_meta_ptr, ENTITY_VIEW);
	const char *key = luaL_checkstring(L, 2);
	const tc_run *run = sc->run;
	if (strcmp(key, "aware") == 0 && v->type != ENTITY_CHANNEL) {
		lua_pushlightuserdata(L, sc);
		lua_pushcclosure(L, entity_aware, 1);
		return 1;
	}
	switch (v->type) {
	case ENTITY_ACTOR:
		if (actor_field(L, run, v->index, key))
			return 1;
		break;
	case ENTITY_CHANNEL: {
		const tc_channel_def *c = &run->s->channels[v->index];
		if (strcmp(key, "id") == 0) { lua_pushstring(L, c->id); return 1; }
		if (strcmp(key, "kind") == 0) { push_id(L, c->kind); return 1; }
		if (strcmp(key, "up") == 0) { lua_pushboolean(L, run->channel_up[v->index]); return 1; }
		break;
	}
	case ENTITY_INCIDENT: {
		const run_incident *inc = &run->incidents[v->index];
		if (strcmp(key, "id") == 0) { lua_pushstring(L, inc->id); return 1; }
		if (strcmp(key, "title") == 0) { push_id(L, inc->title); return 1; }
		if (strcmp(key, "severity") == 0) {
			lua_pushstring(L, tc_severity_name(inc->severity));
			return 1;
		}
		if (strcmp(key, "start") == 0) { lua_pushinteger(L, inc->start); return 1; }
		if (strcmp(key, "detector") == 0) { push_id(L, actor_name(run, inc->detector)); return 1; }
		if (strcmp(key, "opened") == 0) { lua_pushboolean(L, inc->opened); return 1; }
		break;
	}
	}
	return luaL_error(L, "a%s %s has no field '%s'", v->type == ENTITY_CHANNEL ? "" : "n",
	                  entity_names[v->type], key);
}

/* view:aware(other): when the actor became aware of the incident (or the
 * incident's actor), or nil. */
static int entity_aware(lua_State *L)
{
	run_script *sc = script_of(L);
	entity_view *v = check_view(L, 1, sc->entity_meta_ptr, ENTITY_VIEW);
	int actor, incident;
	if (v->type == ENTITY_ACTOR) {
		actor = v->index;
		incident = check_incident(L, sc, 2);
	} else {
		incident = v->index;
		actor = check_actor(L, sc, 2);
	}
	tc_time at = *aware_slot(sc->run, actor, incident);
	push_int_or_nil(L, at != TC_TIME_NEVER, at);
	return 1;
}

static int entity_tostring(lua_State *L)
{
	run_script *sc = script_of(L);
	entity_view *v = check_view(L, 1, sc->entity_meta_ptr, ENTITY_VIEW);
	const char *id = v->type == ENTITY_ACTOR ? sc->run->s->actors[v->index].id
	                 : v->type == ENTITY_CHANNEL ? sc->run->s->channels[v->index].id
	                                             : sc->run->incidents[v->index].id;
	lua_pushfstring(L, "%s %s", entity_names[v->type], id);
	return 1;
}

static int entity_eq(lua_State *L)
{
	run_script *sc = script_of(L);
	entity_view *a = check_view(L, 1, sc->entity_meta_ptr, ENTITY_VIEW);
	entity_view *b = check_view(L, 2, sc->entity_meta_ptr, ENTITY_VIEW);
	lua_pushboolean(L, a->type == b->type && a->index == b->index);
	return 1;
}

static int readonly(lua_State *L)
{
	return luaL_error(L, "views are read-only: act through tocsin functions");
}

/* A view's metatable (name: its __name, for type errors); returns its
 * registry reference. */
static int make_metatable(lua_State *L, run_script *sc, const char *name, lua_CFunction index,
                          lua_CFunction tostring, lua_CFunction eq)
{
	lua_createtable(L, 0, 6);
	lua_pushstring(L, name);
	lua_setfield(L, -2, "__name");
	const luaL_Reg fns[] = {{"__index", index}, {"__tostring", tostring}, {"__newindex", readonly},
	                        {eq ? "__eq" : NULL, eq}, {NULL, NULL}};
	lua_pushlightuserdata(L, sc);
	luaL_setfuncs(L, fns, 1);
	lua_pushliteral(L, "locked");
	lua_setfield(L, -2, "__metatable");
	return luaL_ref(L, LUA_REGISTRYINDEX);
}

static const void *meta_address(lua_State *L, int ref)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	const void *p = lua_topointer(L, -1);
	lua_pop(L, 1);
	return p;
}

/* ---- reading ---- */

static int l_now(lua_State *L)
{
	lua_pushinteger(L, script_of(L)->run->now);
	return 1;
}

static int l_time(lua_State *L)
{
	lua_pushinteger(L, check_time(L, script_of(L), 1));
	return 1;
}

static int l_duration(lua_State *L)
{
	lua_pushinteger(L, check_duration(L, 1));
	return 1;
}

static int l_format(lua_State *L)
{
	lua_Integer t = lua_isnoneornil(L, 1) ? script_of(L)->run->now : luaL_checkinteger(L, 1);
	char buf[48];
	tc_time_format((tc_time)t, buf, sizeof buf);
	lua_pushstring(L, buf);
	return 1;
}

static int l_actor(lua_State *L)
{
	run_script *sc = script_of(L);
	push_entity(L, sc, ENTITY_ACTOR, check_actor(L, sc, 1));
	return 1;
}

static int l_channel(lua_State *L)
{
	run_script *sc = script_of(L);
	push_entity(L, sc, ENTITY_CHANNEL, check_channel(L, sc, 1));
	return 1;
}

static int l_incident(lua_State *L)
{
	run_script *sc = script_of(L);
	push_entity(L, sc, ENTITY_INCIDENT, check_incident(L, sc, 1));
	return 1;
}

/* A list of views, in the scenario's order. */
static int list(lua_State *L, int type, size_t n)
{
	const run_script *sc = script_of(L);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		push_entity(L, sc, type, (int)i);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int l_actors(lua_State *L)
{
	return list(L, ENTITY_ACTOR, script_of(L)->run->s->actor_count);
}

static int l_channels(lua_State *L)
{
	return list(L, ENTITY_CHANNEL, script_of(L)->run->s->channel_count);
}

static int l_incidents(lua_State *L)
{
	return list(L, ENTITY_INCIDENT, script_of(L)->run->incident_count);
}

/* tocsin.aware(actor, incident): the time actor became aware, or nil. */
static int l_aware(lua_State *L)
{
	run_script *sc = script_of(L);
	int a = check_actor(L, sc, 1), i = check_incident(L, sc, 2);
	tc_time at = *aware_slot(sc->run, a, i);
	push_int_or_nil(L, at != TC_TIME_NEVER, at);
	return 1;
}

/* A duration field of a distribution table. */
static double dist_field(lua_State *L, int t, const char *key)
{
	lua_getfield(L, t, key);
	if (lua_isnil(L, -1))
		luaL_error(L, "the distribution needs '%s'", key);
	double v = (double)check_duration(L, lua_gettop(L));
	lua_pop(L, 1);
	return v;
}

/* tocsin.draw(dist): one variate in milliseconds from the script's stream,
 * dist as in the YAML: a duration, or {dist = "lognormal", median =, p90 =}... */
static int l_draw(lua_State *L)
{
	run_script *sc = script_of(L);
	tc_dist d;
	char err[160] = "";
	int rc;
	if (!lua_istable(L, 1)) {
		rc = tc_dist_fixed(&d, (double)check_duration(L, 1), err, sizeof err);
	} else {
		lua_getfield(L, 1, "dist");
		const char *kind = luaL_optstring(L, -1, "fixed");
		if (strcmp(kind, "fixed") == 0)
			rc = tc_dist_fixed(&d, dist_field(L, 1, "value"), err, sizeof err);
		else if (strcmp(kind, "uniform") == 0)
			rc = tc_dist_uniform(&d, dist_field(L, 1, "min"), dist_field(L, 1, "max"), err,
			                     sizeof err);
		else if (strcmp(kind, "exponential") == 0)
			rc = tc_dist_exponential(&d, dist_field(L, 1, "mean"), err, sizeof err);
		else if (strcmp(kind, "normal") == 0)
			rc = tc_dist_normal(&d, dist_field(L, 1, "mean"), dist_field(L, 1, "sd"), err,
			                    sizeof err);
		else if (strcmp(kind, "lognormal") == 0)
			rc = tc_dist_lognormal(&d, dist_field(L, 1, "median"), dist_field(L, 1, "p90"), err,
			                       sizeof err);
		else if (strcmp(kind, "triangular") == 0)
			rc = tc_dist_triangular(&d, dist_field(L, 1, "min"), dist_field(L, 1, "mode"),
			                        dist_field(L, 1, "max"), err, sizeof err);
		else
			return luaL_error(L, "unknown distribution '%s' (expected fixed, uniform, "
			                     "exponential, normal, lognormal or triangular)", kind);
	}
	if (rc)
		return luaL_error(L, "bad distribution: %s", err);
	double u = run_uniform(sc->run, sc->chunks[sc->current_chunk]->entity, PURPOSE_SCRIPT,
	                       sc->draws[sc->current_chunk]++);
	double v = tc_dist_quantile(&d, u);
	lua_pushinteger(L, v > 0 ? (lua_Integer)llround(v < (double)TC_TIME_ALWAYS_END
	                                                ? v : (double)TC_TIME_ALWAYS_END) : 0);
	return 1;
}

/* tocsin.log(...): one script-log record, arguments as tostring gives them. */
static int l_log(lua_State *L)
{
	run_script *sc = script_of(L);
	int n = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		lua_getglobal(L, "tostring");
		lua_pushvalue(L, i);
		lua_call(L, 1, 1);
		if (!lua_isstring(L, -1))
			return luaL_error(L, "'tostring' must return a string");
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	size_t len;
	const char *text = lua_tolstring(L, -1, &len);
	if (len > SCRIPT_MAX_LOG_LINE)
		len = SCRIPT_MAX_LOG_LINE;
	sc->log_bytes += len;
	if (sc->log_bytes > SCRIPT_MAX_LOG_BYTES)
		return tc_sandbox_raise(L, 1, "output limit reached: scripts may write at most %d MiB "
		                              "to the log in one run", (int)(SCRIPT_MAX_LOG_BYTES >> 20));
	tc_record *r = run_record(sc->run, TC_REC_SCRIPT_LOG);
	r->text = text;
	r->text_len = len;
	run_emit(sc->run);
	return 0;
}

/* ---- scheduling ---- */

static uint64_t register_fn(lua_State *L, run_script *sc, cb_type type, int fn_index,
                            const char *what)
{
	luaL_checktype(L, fn_index, LUA_TFUNCTION);
	lua_pushvalue(L, fn_index);
	uint64_t handle;
	int rc = script_register(sc, L, type, &handle);
	if (rc)
		failed(L, sc, rc, what);
	return handle;
}

static int schedule(lua_State *L, run_script *sc, tc_time at, tc_time period, int fn_index,
                    const char *what)
{
	if (at < sc->run->now) {
		char when[48], now[48];
		tc_time_format(at, when, sizeof when);
		tc_time_format(sc->run->now, now, sizeof now);
		return luaL_error(L, "%s: %s is in the past (it is %s)", what, when, now);
	}
	uint64_t handle = register_fn(L, sc, CB_TIMER, fn_index, what);
	script_callback(sc, handle)->period = period;
	if (script_schedule_timer(sc, handle, at))
		return failed(L, sc, TC_ENOMEM, what);
	lua_pushinteger(L, (lua_Integer)handle);
	return 1;
}

static int l_at(lua_State *L)
{
	run_script *sc = script_of(L);
	return schedule(L, sc, check_time(L, sc, 1), 0, 2, "tocsin.at");
}

static int l_after(lua_State *L)
{
	run_script *sc = script_of(L);
	return schedule(L, sc, sc->run->now + check_duration(L, 1), 0, 2, "tocsin.after");
}

/* tocsin.every(period, fn [, first]): at first (default now + period), then
 * every period. */
static int l_every(lua_State *L)
{
	run_script *sc = script_of(L);
	tc_time period = check_duration(L, 1);
	luaL_argcheck(L, period > 0, 1, "the period must be at least 1 ms");
	tc_time first = lua_isnoneornil(L, 3) ? sc->run->now + period : check_time(L, sc, 3);
	return schedule(L, sc, first, period, 2, "tocsin.every");
}

static int l_cancel(lua_State *L)
{
	run_script *sc = script_of(L);
	lua_Integer h = luaL_checkinteger(L, 1);
	int live = script_callback(sc, (uint64_t)h) != NULL;
	script_cancel(sc, (uint64_t)h);
	lua_pushboolean(L, live);
	return 1;
}

/* Event names: the record names of the event log, and short forms. */
static int check_event_name(lua_State *L, int idx)
{
	static const struct { const char *name; tc_record_type type; } aliases[] = {
		{"created", TC_REC_MESSAGE_CREATED}, {"sent", TC_REC_MESSAGE_SENT},
		{"delivered", TC_REC_MESSAGE_DELIVERED}, {"lost", TC_REC_MESSAGE_LOST},
		{"queued", TC_REC_MESSAGE_QUEUED}, {"started", TC_REC_HANDLING_STARTED},
		{"handled", TC_REC_MESSAGE_HANDLED}, {"aware", TC_REC_ACTOR_AWARE},
		{"meeting", TC_REC_MEETING_STARTED},
	};
	const char *name = luaL_checkstring(L, idx);
	for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
		if (strcmp(name, aliases[i].name) == 0)
			return (int)aliases[i].type;
	for (int t = TC_REC_INJECT_FIRED; t < TC_REC_SCRIPT_LOG; t++)
		if (strcmp(name, tc_record_type_name((tc_record_type)t)) == 0)
			return t;
	return luaL_error(L, "unknown event '%s' (expected delivered, handled, lost, aware, meeting, "
	                     "created, sent, queued, started, or an event name of the log such as "
	                     "meeting-failed or channel-down)", name);
}

static void read_filter(lua_State *L, run_script *sc, int idx, script_filter *f)
{
	*f = (script_filter){-1, -1, -1, -1, -1, -1, -1, -1};
	if (lua_isnoneornil(L, idx))
		return;
	luaL_checktype(L, idx, LUA_TTABLE);
	static const char *const keys[] = {"kind", "from", "to", "actor", "incident", "channel",
	                                   "meeting", "severity"};
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "filter keys are names (kind, from, to, actor, incident, channel, "
			              "meeting, severity)");
		const char *key = lua_tostring(L, -2);
		int top = lua_gettop(L);
		if (strcmp(key, "kind") == 0) f->kind = check_kind(L, sc, top);
		else if (strcmp(key, "from") == 0) f->from = check_actor(L, sc, top);
		else if (strcmp(key, "to") == 0) f->to = check_actor(L, sc, top);
		else if (strcmp(key, "actor") == 0) f->actor = check_actor(L, sc, top);
		else if (strcmp(key, "incident") == 0) f->incident = check_incident(L, sc, top);
		else if (strcmp(key, "channel") == 0) f->channel = check_channel(L, sc, top);
		else if (strcmp(key, "meeting") == 0) f->meeting = check_meeting(L, sc, top);
		else if (strcmp(key, "severity") == 0) f->min_severity = check_severity(L, top);
		else {
			const char *hint = tc_suggest(key, keys, sizeof keys / sizeof *keys);
			unknown(L, "filter key", key, hint);
		}
		lua_pop(L, 1);
	}
}

static int subscribe(lua_State *L, run_script *sc, cb_type type, int event_idx, int filter_idx,
                     int fn_idx, const char *what, uint64_t *handle)
{
	int record_type = check_event_name(L, event_idx);
	script_filter f;
	read_filter(L, sc, filter_idx, &f);
	*handle = register_fn(L, sc, type, fn_idx, what);
	callback *cb = script_callback(sc, *handle);
	cb->record_type = record_type;
	cb->filter = f;
	if (script_subscribe(sc, *handle))
		return failed(L, sc, TC_ENOMEM, what);
	return 0;
}

/* tocsin.on(event, [filter,] fn) */
static int l_on(lua_State *L)
{
	run_script *sc = script_of(L);
	if (lua_isfunction(L, 2)) {
		lua_pushnil(L);
		lua_insert(L, 2);
	}
	uint64_t handle;
	subscribe(L, sc, CB_ON, 1, 2, 3, "tocsin.on", &handle);
	lua_pushinteger(L, (lua_Integer)handle);
	return 1;
}

/* tocsin.unless(time, event, [filter,] fn): fn runs at time unless a
 * matching event happened before: a contingency inject in one line. */
static int l_unless(lua_State *L)
{
	run_script *sc = script_of(L);
	tc_time at = check_time(L, sc, 1);
	if (lua_isfunction(L, 3)) {
		lua_pushnil(L);
		lua_insert(L, 3);
	}
	if (at < sc->run->now)
		return luaL_error(L, "tocsin.unless: the deadline is in the past");
	uint64_t handle;
	subscribe(L, sc, CB_UNLESS, 2, 3, 4, "tocsin.unless", &handle);
	if (script_schedule_timer(sc, handle, at))
		return failed(L, sc, TC_ENOMEM, "tocsin.unless");
	lua_pushinteger(L, (lua_Integer)handle);
	return 1;
}

/* tocsin.when(predicate, fn): fn runs once, after the first event after
 * which predicate() is true. */
static int l_when(lua_State *L)
{
	run_script *sc = script_of(L);
	luaL_checktype(L, 1, LUA_TFUNCTION);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	uint64_t handle;
	int rc = script_register(sc, L, CB_WHEN, &handle);
	if (rc)
		return failed(L, sc, rc, "tocsin.when");
	lua_pushinteger(L, (lua_Integer)handle);
	return 1;
}

/* ---- acting ---- */

/* The keys of a message table, in the order they are read (the parent
 * first: it gives the defaults). */
enum {
	MK_PARENT = 1, MK_FROM, MK_KIND, MK_INCIDENT, MK_SEVERITY, MK_TLP, MK_CHANNEL, MK_BODY,
	MK_RETRY, MK_TO, MK_VETO, MK_COUNT = MK_VETO,
};
static const char *const message_keys[MK_COUNT] = {
	"parent", "from", "kind", "incident", "severity", "tlp", "channel", "body", "retry", "to",
	"veto",
};

static void make_message_keys(lua_State *L, run_script *sc)
{
	lua_createtable(L, 0, MK_COUNT);
	for (int i = 0; i < MK_COUNT; i++) {
		lua_pushinteger(L, i + 1);
		lua_setfield(L, -2, message_keys[i]);
	}
	sc->message_keys = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* The parent message (the value at p: an event view, a message id or nil);
 * defaults to what the running callback reacts to. */
static void read_parent(lua_State *L, run_script *sc, int p, outgoing *o, int *sev, int *tlp,
                        int *incident)
{
	o->cause = sc->cause;
	o->cause_slot = sc->cause_slot;
	if (lua_isuserdata(L, p)) {
		event_view *v = check_event(L, sc, p);
		if (!v->rec.message)
			luaL_error(L, "the parent must be a message event");
		o->cause = (tc_cause){TC_CAUSE_MESSAGE, v->rec.message};
		*sev = v->rec.severity;
		*tlp = v->rec.tlp;
		*incident = v->rec.incident;
	} else if (!lua_isnil(L, p)) {
		lua_Integer id = luaL_checkinteger(L, p);
		luaL_argcheck(L, id > 0 && (uint64_t)id < sc->run->next_message_id, 1,
		              "parent is not the id of a message of this run");
		o->cause = (tc_cause){TC_CAUSE_MESSAGE, (uint64_t)id};
	}
	if (o->cause.type != sc->cause.type || o->cause.id != sc->cause.id)
		o->cause_slot = NO_SLOT;
	else if (o->cause_slot != NO_SLOT) {
		const message *m = message_at(sc->run, o->cause_slot);
		*sev = m->severity;
		*tlp = m->tlp;
		*incident = m->incident;
	}
}

static void read_retry(lua_State *L, int r, outgoing *o)
{
	luaL_checktype(L, r, LUA_TTABLE);
	/* As a doctrine rule's retry: a positive delay, 3 resends by default. */
	lua_getfield(L, r, "after");
	if (lua_isnil(L, -1))
		luaL_error(L, "retry needs 'after': the delay before a resend");
	o->retry_after = check_duration(L, lua_gettop(L));
	if (o->retry_after <= 0)
		luaL_error(L, "retry.after must be a positive delay");
	lua_getfield(L, r, "max");
	lua_Integer max = luaL_optinteger(L, -1, 3);
	luaL_argcheck(L, max >= 1 && max <= 100, 1, "retry.max from 1 to 100");
	o->retry_max = (int)max;
	lua_pop(L, 2);
}

/*
 * Reads message table t into o, all but o->to, and leaves its recipients
 * on the stack: the value of `to` (an actor id or a list of them, every id
 * checked), for recipient(). *veto (may be NULL) receives the veto key:
 * -1 when absent, else 0 or 1 as Lua reads it.
 * The table is read in one pass (each key found by its interned string),
 * then each value in the order of message_keys.
 */
static void read_message(lua_State *L, run_script *sc, int t, int default_from, outgoing *o,
                         int *veto)
{
	luaL_checktype(L, t, LUA_TTABLE);
	t = lua_absindex(L, t);
	luaL_checkstack(L, MK_COUNT + 4, "reading a message");
	int base = lua_gettop(L);               /* value of key k at base + k */
	lua_settop(L, base + MK_COUNT);
	lua_rawgeti(L, LUA_REGISTRYINDEX, sc->message_keys);
	int keys = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, t)) {
		int k = 0;
		if (lua_type(L, -2) == LUA_TSTRING) {
			lua_pushvalue(L, -2);
			lua_rawget(L, keys);
			k = (int)lua_tointeger(L, -1);
			lua_pop(L, 1);
		}
		if (k == 0) {
			if (lua_type(L, -2) != LUA_TSTRING)
				luaL_error(L, "a message's keys are names (from, to, kind, ...)");
			const char *key = lua_tostring(L, -2);
			unknown(L, "message key", key, tc_suggest(key, message_keys, MK_COUNT));
		}
		lua_replace(L, base + k);
	}
	lua_settop(L, base + MK_COUNT);

	memset(o, 0, sizeof *o);
	int sev = -1, tlp = TC_TLP_AMBER, incident = -1;
	read_parent(L, sc, base + MK_PARENT, o, &sev, &tlp, &incident);
	o->from = lua_isnil(L, base + MK_FROM) ? default_from : check_actor(L, sc, base + MK_FROM);
	if (lua_isnil(L, base + MK_KIND))
		luaL_error(L, "a message needs a kind");
	o->kind = (tc_kind_id)check_kind(L, sc, base + MK_KIND);
	if (!lua_isnil(L, base + MK_INCIDENT))
		incident = check_incident(L, sc, base + MK_INCIDENT);
	o->incident = incident;
	o->severity = !lua_isnil(L, base + MK_SEVERITY) ? check_severity(L, base + MK_SEVERITY)
	              : sev >= 0 ? sev
	              : incident >= 0 ? sc->run->incidents[incident].severity : 0;
	o->tlp = !lua_isnil(L, base + MK_TLP) ? check_tlp(L, base + MK_TLP) : tlp;
	o->channel = lua_isnil(L, base + MK_CHANNEL) ? -1 : check_channel(L, sc, base + MK_CHANNEL);
	if (!lua_isnil(L, base + MK_BODY)) {
		size_t len;
		const char *body = luaL_checklstring(L, base + MK_BODY, &len);
		if (len > SCRIPT_MAX_BODY)
			luaL_error(L, "a message body has at most %d bytes (this one has %I)",
			           SCRIPT_MAX_BODY, (lua_Integer)len);
		if (!(o->body = script_keep_text(sc, body, len)))
			tc_sandbox_raise(L, 1, "message bodies of this run exceed %d MiB",
			                 (int)(SCRIPT_MAX_TEXT_BYTES >> 20));
	}
	if (!lua_isnil(L, base + MK_RETRY))
		read_retry(L, base + MK_RETRY, o);

	/* Recipients: an id or a list of ids. */
	int to = base + MK_TO;
	if (lua_type(L, to) == LUA_TSTRING) {
		check_actor(L, sc, to);
	} else if (lua_istable(L, to)) {
		lua_Integer n = (lua_Integer)lua_rawlen(L, to);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, to, i);
			check_actor(L, sc, -1);
			lua_pop(L, 1);
		}
	} else {
		luaL_error(L, "a message needs 'to': an actor id or a list of them");
	}
	if (veto)
		*veto = lua_isnil(L, base + MK_VETO) ? -1 : lua_toboolean(L, base + MK_VETO);
	lua_pushvalue(L, to);
	lua_replace(L, base + 1);
	lua_settop(L, base + 1);
}

/* How many recipients the `to` value at idx (left by read_message) names. */
static lua_Integer recipient_count(lua_State *L, int idx)
{
	return lua_type(L, idx) == LUA_TSTRING ? 1 : (lua_Integer)lua_rawlen(L, idx);
}

/* Its i-th recipient (from 1), checked already. */
static int recipient(lua_State *L, run_script *sc, int idx, lua_Integer i)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		return check_actor(L, sc, idx);
	lua_rawgeti(L, idx, i);
	int a = check_actor(L, sc, -1);
	lua_pop(L, 1);
	return a;
}

/* Sends o to each recipient of the `to` value on top of the stack (popped);
 * pushes the new message ids. Returns their number. */
static int send_to_all(lua_State *L, run_script *sc, outgoing *o)
{
	int list = lua_gettop(L);
	lua_Integer n = recipient_count(L, list);
	int pushed = 0;
	for (lua_Integer i = 1; i <= n && !sc->run->stop; i++) {
		o->to = recipient(L, sc, list, i);
		if (o->to == o->from)
			luaL_error(L, "an actor cannot send a message to itself (%s)",
			           sc->run->s->actors[o->to].id);
		uint32_t slot = outgoing_send(sc->run, o, 1);
		if (slot == NO_SLOT)
			return tc_sandbox_raise(L, 1, "the run failed: %s", tc_strerror(sc->run->error));
		luaL_checkstack(L, 1, "too many recipients");
		lua_pushinteger(L, (lua_Integer)message_at(sc->run, slot)->id);
		pushed++;
	}
	lua_remove(L, list);
	return pushed;
}

/* tocsin.send{from=, to=, kind=, ...}: message ids, one per recipient. */
static int l_send(lua_State *L)
{
	run_script *sc = acting(L, "tocsin.send");
	outgoing o;
	int veto;
	read_message(L, sc, 1, -1, &o, &veto);
	if (veto >= 0)
		return luaL_error(L, "tocsin.send: 'veto' is for outbox entries");
	return send_to_all(L, sc, &o);
}

static int l_channel_state(lua_State *L, int up)
{
	run_script *sc = acting(L, up ? "tocsin.channel_up" : "tocsin.channel_down");
	int c = check_channel(L, sc, 1);
	channel_set_state(sc->run, c, up, -1, (tc_cause){TC_CAUSE_SCRIPT, sc->current_handle});
	return 0;
}

static int l_channel_down(lua_State *L) { return l_channel_state(L, 0); }
static int l_channel_up(lua_State *L) { return l_channel_state(L, 1); }

static int l_set_staff(lua_State *L)
{
	run_script *sc = acting(L, "tocsin.set_staff");
	int a = check_actor(L, sc, 1);
	lua_Integer staff = luaL_checkinteger(L, 2);
	luaL_argcheck(L, staff >= 0 && staff <= TC_MAX_STAFF, 2, "staff from 0 to 100000");
	actor_set_staff(sc->run, a, (int)staff, -1, (tc_cause){TC_CAUSE_SCRIPT, sc->current_handle});
	return 0;
}

static int l_set_hours(lua_State *L)
{
	static const char *const modes[] = {"schedule", "always", "off", NULL};
	run_script *sc = acting(L, "tocsin.set_hours");
	int a = check_actor(L, sc, 1);
	int mode = luaL_checkoption(L, 2, NULL, modes);
	if (actor_set_hours(sc->run, a, (hours_mode)mode,
	                    (tc_cause){TC_CAUSE_SCRIPT, sc->current_handle}))
		return failed(L, sc, TC_ENOMEM, "tocsin.set_hours");
	return 0;
}

/* tocsin.convene(meeting, {incident=, severity=, by=}) */
static int l_convene(lua_State *L)
{
	run_script *sc = acting(L, "tocsin.convene");
	int m = check_meeting(L, sc, 1);
	const tc_meeting_def *def = &sc->run->s->meetings[m];
	int incident = -1, severity = -1, by = (int)def->chair;
	if (!lua_isnoneornil(L, 2)) {
		luaL_checktype(L, 2, LUA_TTABLE);
		if (lua_getfield(L, 2, "incident") != LUA_TNIL)
			incident = check_incident(L, sc, lua_gettop(L));
		if (lua_getfield(L, 2, "severity") != LUA_TNIL)
			severity = check_severity(L, lua_gettop(L));
		if (lua_getfield(L, 2, "by") != LUA_TNIL)
			by = check_actor(L, sc, lua_gettop(L));
		lua_pop(L, 3);
	}
	int inc = incident >= 0 ? incident : def->incident;
	if (severity < 0)
		severity = inc >= 0 ? sc->run->incidents[inc].severity : 0;
	meeting_convene(sc->run, m, by, incident, severity, sc->cause, 0);
	return 0;
}

/* tocsin.open_incident{id=, title=, severity=, detector=, required={...}} */
static int l_open_incident(lua_State *L)
{
	run_script *sc = acting(L, "tocsin.open_incident");
	tc_run *run = sc->run;
	luaL_checktype(L, 1, LUA_TTABLE);
	run_incident inc = {0};
	lua_getfield(L, 1, "id");
	int id_index = lua_gettop(L);
	size_t len;
	const char *id = luaL_checklstring(L, id_index, &len);
	if (len == 0 || len > 128)
		return luaL_error(L, "an incident id has 1 to 128 characters");
	if (lookup(L, sc->incident_index, id_index) >= 0)
		return luaL_error(L, "incident '%s' already exists", id);
	lua_getfield(L, 1, "title");
	const char *title = luaL_optlstring(L, -1, id, &len);
	lua_getfield(L, 1, "severity");
	inc.severity = lua_isnil(L, -1) ? 2 : check_severity(L, lua_gettop(L));
	lua_getfield(L, 1, "detector");
	inc.detector = lua_isnil(L, -1) ? -1 : check_actor(L, sc, lua_gettop(L));
	lua_getfield(L, 1, "required");
	size_t n = lua_isnil(L, -1) ? 0 : (luaL_checktype(L, -1, LUA_TTABLE), lua_rawlen(L, -1));
	if (n > run->s->actor_count)
		return luaL_error(L, "more required actors than the scenario has");
	uint32_t *required = n ? tc_arena_alloc(&run->arena, n * sizeof *required) : NULL;
	if (n && !required)
		return failed(L, sc, TC_ENOMEM, "tocsin.open_incident");
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		required[i] = (uint32_t)check_actor(L, sc, lua_gettop(L));
		lua_pop(L, 1);
	}
	inc.id = script_keep_text(sc, id, strlen(id));
	inc.title = script_keep_text(sc, title, strlen(title));
	if (!inc.id || !inc.title)
		return failed(L, sc, TC_ENOMEM, "tocsin.open_incident");
	inc.start = run->now;
	inc.required = required;
	inc.required_count = n;
	int rc = run_open_incident(run, &inc);
	if (rc == TC_ELIMIT)
		return luaL_error(L, "a run has at most %d incidents", TC_MAX_INCIDENTS);
	if (rc < 0)
		return failed(L, sc, rc, "tocsin.open_incident");
	/* Known by its id from now on (if this fails for want of memory, the
	 * incident is there but scripts cannot name it: never out of range). */
	lua_rawgeti(L, LUA_REGISTRYINDEX, sc->incident_index);
	lua_pushvalue(L, id_index);
	lua_pushinteger(L, rc);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	push_entity(L, sc, ENTITY_INCIDENT, rc);
	return 1;
}

static int l_escalate(lua_State *L)
{
	run_script *sc = acting(L, "tocsin.escalate");
	int i = check_incident(L, sc, 1);
	int severity = check_severity(L, 2);
	run_escalate_incident(sc->run, i, severity, (tc_cause){TC_CAUSE_SCRIPT, sc->current_handle});
	return 0;
}

static int l_end_exercise(lua_State *L)
{
	run_script *sc = acting(L, "tocsin.end_exercise");
	sc->run->stop = 1;
	sc->run->stats.end_reason = "script";
	return 0;
}

/* ---- doctrine handlers: ctx and the outbox ---- */

/* An outbox entry as the handler sees it: the keys of tocsin.send, those
 * that differ from their defaults. */
static void push_entry(lua_State *L, const run_script *sc, const outgoing *o)
{
	const tc_run *run = sc->run;
	lua_createtable(L, 0, 8);
	push_kind_name(L, sc, o->kind);
	lua_setfield(L, -2, "kind");
	push_actor_id(L, sc, o->to);
	lua_setfield(L, -2, "to");
	if (o->from != sc->doctrine_actor) {
		push_id(L, actor_name(run, o->from));
		lua_setfield(L, -2, "from");
	}
	lua_pushstring(L, tc_severity_name(o->severity));
	lua_setfield(L, -2, "severity");
	lua_pushstring(L, tc_tlp_name((tc_tlp)o->tlp));
	lua_setfield(L, -2, "tlp");
	if (o->incident >= 0) {
		lua_pushstring(L, run->incidents[o->incident].id);
		lua_setfield(L, -2, "incident");
	}
	if (o->channel >= 0) {
		lua_pushstring(L, run->s->channels[o->channel].id);
		lua_setfield(L, -2, "channel");
	}
	if (o->retry_after > 0) {
		lua_createtable(L, 0, 2);
		lua_pushinteger(L, o->retry_after);
		lua_setfield(L, -2, "after");
		lua_pushinteger(L, o->retry_max);
		lua_setfield(L, -2, "max");
		lua_setfield(L, -2, "retry");
	}
	if (o->body) {
		lua_pushstring(L, o->body);
		lua_setfield(L, -2, "body");
	}
	if (o->cause.type == TC_CAUSE_MESSAGE &&
	    (o->cause.type != sc->cause.type || o->cause.id != sc->cause.id)) {
		lua_pushinteger(L, (lua_Integer)o->cause.id);
		lua_setfield(L, -2, "parent");
	}
}

/* Pushes the running handler's ctx (nil or false when no handler runs). */
static int current_ctx(lua_State *L, const run_script *sc)
{
	if (sc->ctx_ref == LUA_NOREF) {
		lua_pushnil(L);
		return LUA_TNIL;
	}
	return lua_rawgeti(L, LUA_REGISTRYINDEX, sc->ctx_ref);
}

/* ctx.outbox, the first time the handler reads it: the table is built from
 * the C outbox, which it replaces. */
static int ctx_index(lua_State *L)
{
	run_script *sc = script_of(L);
	if (lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "outbox") != 0)
		return 0;
	current_ctx(L, sc);
	if (!lua_rawequal(L, 1, -1))
		return luaL_error(L, "ctx.outbox was read after its handler returned");
	lua_createtable(L, (int)sc->box.count, 0);
	for (size_t i = 0; i < sc->box.count; i++) {
		push_entry(L, sc, &sc->box.items[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_pushliteral(L, "outbox");
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	sc->outbox_built = 1;
	return 1;
}

/* Adds o to the C outbox, once per recipient in the table on top (popped). */
static void box_to_all(lua_State *L, run_script *sc, outgoing *o)
{
	int list = lua_gettop(L);
	lua_Integer n = recipient_count(L, list);
	for (lua_Integer i = 1; i <= n; i++) {
		o->to = recipient(L, sc, list, i);
		if (o->to == o->from)
			luaL_error(L, "an actor cannot send a message to itself (%s)",
			           sc->run->s->actors[o->to].id);
		if (tc_grow(sc->run->alloc, (void **)&sc->box.items, &sc->box.cap, sc->box.count + 1,
		            sizeof *sc->box.items))
			failed(L, sc, TC_ENOMEM, "ctx.send");
		sc->box.items[sc->box.count++] = *o;
	}
	lua_pop(L, 1);
}

/* ctx.send{...}: checks the message now (errors point at the caller) and
 * adds it to the outbox; the message is taken as it is at the call. */
static int ctx_send(lua_State *L)
{
	run_script *sc = script_of(L);
	int actor = (int)lua_tointeger(L, lua_upvalueindex(2));
	if (sc->doctrine_actor != actor || current_ctx(L, sc) != LUA_TTABLE)
		return luaL_error(L, "ctx.send was called after its handler returned");
	int ctx = lua_gettop(L);
	luaL_checktype(L, 1, LUA_TTABLE);
	outgoing o;
	int veto;
	read_message(L, sc, 1, actor, &o, &veto);
	if (!sc->outbox_built) {
		if (veto <= 0)
			box_to_all(L, sc, &o);
		return 0;
	}
	lua_pushliteral(L, "outbox");
	if (lua_rawget(L, ctx) != LUA_TTABLE)
		return luaL_error(L, "ctx.outbox is no longer a table");
	lua_pushvalue(L, 1);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	return 0;
}

/* An actor's ctx is made at its handler's first call and kept: a ctx
 * table per call cost more than the rest of the call. */
void script_push_ctx(lua_State *L, run_script *sc)
{
	doctrine_handler *h = &sc->handlers[sc->doctrine_actor];
	if (h->ctx == LUA_NOREF) {
		lua_createtable(L, 0, 3);
		push_key(L, sc, KEY_ACTOR);
		push_actor_id(L, sc, sc->doctrine_actor);
		lua_rawset(L, -3);
		push_key(L, sc, KEY_SEND);
		lua_pushlightuserdata(L, sc);
		lua_pushinteger(L, sc->doctrine_actor);
		lua_pushcclosure(L, ctx_send, 2);
		lua_rawset(L, -3);
		set_meta(L, sc->ctx_meta);
		h->ctx = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ctx);
	lua_pushvalue(L, -1);
	if (sc->ctx_ref == LUA_NOREF)
		sc->ctx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	else
		lua_rawseti(L, LUA_REGISTRYINDEX, sc->ctx_ref);
}

void script_end_ctx(run_script *sc, int failed)
{
	if (sc->ctx_ref == LUA_NOREF)
		return;
	lua_State *L = sc->L;
	/* The outbox of this call goes; the next call builds its own. Unless
	 * the handler failed, the outbox key exists only if it was read or
	 * assigned (script_send_outbox saw it). Only an existing key is set to
	 * nil, which allocates nothing. */
	lua_rawgeti(L, LUA_REGISTRYINDEX, sc->ctx_ref);
	if (lua_istable(L, -1) && (failed || sc->outbox_built)) {
		push_key(L, sc, KEY_OUTBOX);
		if (lua_rawget(L, -2) != LUA_TNIL) {
			push_key(L, sc, KEY_OUTBOX);
			lua_pushnil(L);
			lua_rawset(L, -4);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	/* false, not nil: a nil would make a hole in the registry's array,
	 * where luaL_ref would hand the slot out again. Setting a slot that
	 * exists allocates nothing. */
	lua_pushboolean(L, 0);
	lua_rawseti(L, LUA_REGISTRYINDEX, sc->ctx_ref);
}

/* After the handler returned: sends the outbox, in order. */
int script_send_outbox(lua_State *L, run_script *sc, int ctx, int actor)
{
	push_key(L, sc, KEY_OUTBOX);
	int type = lua_rawget(L, ctx);
	if (type != LUA_TNIL)
		sc->outbox_built = 1;  /* assigned, if not built: script_end_ctx removes it */
	else if (!sc->outbox_built) {
		/* Never read: the C outbox, as the rules and ctx.send made it. */
		lua_pop(L, 1);
		for (size_t i = 0; i < sc->box.count && !sc->run->stop; i++)
			if (outgoing_send(sc->run, &sc->box.items[i], 1) == NO_SLOT)
				return tc_sandbox_raise(L, 1, "the run failed: %s",
				                        tc_strerror(sc->run->error));
		return 0;
	}
	if (type != LUA_TTABLE)
		return luaL_error(L, "ctx.outbox must stay a table");
	int box = lua_gettop(L);
	lua_Integer n = (lua_Integer)lua_rawlen(L, box);
	for (lua_Integer i = 1; i <= n && !sc->run->stop; i++) {
		lua_rawgeti(L, box, i);
		int entry = lua_gettop(L);
		if (!lua_istable(L, entry))
			return luaL_error(L, "outbox entry %I is not a table", i);
		lua_getfield(L, entry, "veto");
		int veto = lua_toboolean(L, -1);
		lua_pop(L, 1);
		if (!veto) {
			outgoing o;
			read_message(L, sc, entry, actor, &o, NULL);
			send_to_all(L, sc, &o);
		}
		lua_settop(L, box);
	}
	lua_pop(L, 1);
	return 0;
}

/* The table a doctrine chunk returns: {actor id = function(msg, ctx)}. */
void script_read_handlers(lua_State *L, run_script *sc, const tc_script_def *def)
{
	const tc_scenario *s = sc->run->s;
	int t = lua_gettop(L);
	if (!lua_istable(L, t))
		luaL_error(L, "%s: a Lua doctrine must return a table of handlers keyed by actor id "
		              "({anssi = function(msg, ctx) ... end}), not %s", def->name,
		           luaL_typename(L, t));
	/* Keys that are not actors first, so that nothing is half-registered. */
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		if (!key)
			luaL_error(L, "%s: the doctrine's keys must be actor ids, not %s", def->name,
			           luaL_typename(L, -1));
		if (tc_scenario_find_actor(s, key) < 0) {
			const char *hint = suggest(sc, key, s->actors, s->actor_count, sizeof(tc_actor_def));
			luaL_error(L, "%s: handler for unknown actor '%s'%s%s%s", def->name, key,
			           hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
		}
	}
	if (!sc->handlers) {
		assert(s->actor_count > 0);
		sc->handlers = tc_malloc(sc->run->alloc, s->actor_count * sizeof *sc->handlers);
		if (!sc->handlers)
			failed(L, sc, TC_ENOMEM, "reading the doctrine's handlers");
		for (size_t i = 0; i < s->actor_count; i++)
			sc->handlers[i] = (doctrine_handler){LUA_NOREF, LUA_NOREF, NULL};
	}
	for (size_t i = 0; i < s->actor_count; i++) {
		lua_pushstring(L, s->actors[i].id);
		if (lua_rawget(L, t) == LUA_TNIL) {
			lua_pop(L, 1);
			continue;
		}
		if (!lua_isfunction(L, -1))
			luaL_error(L, "%s: the handler of %s must be a function, not %s", def->name,
			           s->actors[i].id, luaL_typename(L, -1));
		lua_pushfstring(L, "doctrine handler of %s", s->actors[i].id);
		const char *what = script_keep_text(sc, lua_tostring(L, -1), lua_rawlen(L, -1));
		if (!what)
			failed(L, sc, TC_ENOMEM, "reading the doctrine's handlers");
		lua_pop(L, 1);
		sc->handlers[i].what = what;
		sc->handlers[i].fn = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_settop(L, t - 1);
}

/* ---- the module ---- */

int script_api_push(lua_State *L, run_script *sc)
{
	static const luaL_Reg fns[] = {
		{"now", l_now}, {"time", l_time}, {"duration", l_duration}, {"format", l_format},
		{"at", l_at}, {"after", l_after}, {"every", l_every}, {"cancel", l_cancel},
		{"on", l_on}, {"when", l_when}, {"unless", l_unless},
		{"send", l_send}, {"channel_down", l_channel_down}, {"channel_up", l_channel_up},
		{"set_staff", l_set_staff}, {"set_hours", l_set_hours}, {"convene", l_convene},
		{"open_incident", l_open_incident}, {"escalate", l_escalate},
		{"end_exercise", l_end_exercise},
		{"actor", l_actor}, {"channel", l_channel}, {"incident", l_incident},
		{"actors", l_actors}, {"channels", l_channels}, {"incidents", l_incidents},
		{"aware", l_aware}, {"draw", l_draw}, {"log", l_log},
		{NULL, NULL},
	};
	make_strings(L, sc);
	make_indexes(L, sc);
	make_message_keys(L, sc);
	make_event_fields(L, sc);
	sc->event_meta = make_metatable(L, sc, EVENT_VIEW, event_index, event_tostring, NULL);
	sc->entity_meta = make_metatable(L, sc, ENTITY_VIEW, entity_index, entity_tostring, entity_eq);
	sc->event_meta_ptr = meta_address(L, sc->event_meta);
	sc->entity_meta_ptr = meta_address(L, sc->entity_meta);
	lua_createtable(L, 0, 2);
	lua_pushlightuserdata(L, sc);
	lua_pushcclosure(L, ctx_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushliteral(L, "locked");
	lua_setfield(L, -2, "__metatable");
	sc->ctx_meta = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_createtable(L, 0, sizeof fns / sizeof *fns + 1);
	lua_pushlightuserdata(L, sc);
	luaL_setfuncs(L, fns, 1);
	/* tocsin.random is math.random: the same seeded stream. */
	lua_getglobal(L, "math");
	if (lua_istable(L, -1))
		lua_getfield(L, -1, "random");
	else
		lua_pushnil(L);
	lua_setfield(L, -3, "random");
	lua_pop(L, 1);
	return TC_OK;
}
