/*
 * The Lua side of a run: compiles the scenario's scripts and the doctrine's
 * handlers in the run's sandbox, keeps the callbacks they register, and
 * calls them: timers from the event queue, tocsin.on notifications and
 * tocsin.when predicates after each event (never in the middle of one, so a
 * callback always sees a consistent run), doctrine handlers when their actor
 * finishes handling a message.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "core/error.h"
#include "sim/lua.h"

#define NO_CB UINT32_MAX

static int vec_push(tc_alloc *a, handle_vec *v, uint64_t handle)
{
	if (tc_grow(a, (void **)&v->items, &v->cap, v->count + 1, sizeof *v->items))
		return TC_ENOMEM;
	v->items[v->count++] = handle;
	return TC_OK;
}

static void vec_release(tc_alloc *a, handle_vec *v)
{
	tc_free(a, v->items, v->cap * sizeof *v->items);
}

/* ---- errors ---- */

/* A callback failed: stop the run with the message, or record it and go on. */
static void script_failed(run_script *sc, const char *text)
{
	tc_run *run = sc->run;
	char when[48];
	tc_time_format(run->now, when, sizeof when);
	snprintf(sc->error, sizeof sc->error, "at %s: %s", when, text);
	sc->errors++;
	if (sc->host_oom) {  /* the machine's memory, not the script's budget */
		run_fail(run, TC_ENOMEM);
		return;
	}
	if (run->opt.script_errors_continue && !sc->loading) {
		tc_record *r = run_record(run, TC_REC_SCRIPT_ERROR);
		r->text = sc->error;
		r->text_len = strlen(sc->error);
		run_emit(run);
		return;
	}
	run_fail(run, TC_ESCRIPT);
}

const char *script_error_text(const tc_run *run)
{
	return run->script && run->script->error[0] ? run->script->error : NULL;
}

/*
 * Runs fn(arg) in the sandbox: fn is a C function that builds the Lua
 * arguments (tables and views allocate, which must happen in protected
 * mode) and calls the script. what names the callback in messages.
 * Returns 0, or -1 after reporting the failure (nothing left on the stack).
 */
static int invoke(run_script *sc, int chunk, uint64_t handle, const char *what,
                  lua_CFunction fn, void *arg, int nresults)
{
	tc_run *run = sc->run;
	if (run->now != sc->instant) {
		sc->instant = run->now;
		sc->calls_at_instant = 0;
	}
	if (++sc->calls_at_instant > TC_MAX_EVENTS_PER_INSTANT) {
		snprintf(sc->error, sizeof sc->error, "more than %d Lua callbacks at one instant: "
		         "scripts answer each other with no delay", TC_MAX_EVENTS_PER_INSTANT);
		run_fail(run, TC_ELIMIT);
		return -1;
	}
	int saved_chunk = sc->current_chunk;
	uint64_t saved_handle = sc->current_handle;
	sc->current_chunk = chunk;
	sc->current_handle = handle;
	sc->in_call = 1;
	lua_pushcfunction(sc->L, fn);     /* a light C function: no allocation */
	lua_pushlightuserdata(sc->L, arg);
	int rc = tc_sandbox_call(sc->sb, 1, nresults, what);
	sc->in_call = 0;
	sc->generation++;
	sc->current_chunk = saved_chunk;
	sc->current_handle = saved_handle;
	if (rc) {
		script_failed(sc, tc_sandbox_error(sc->sb));
		return -1;
	}
	return 0;
}

/* What a trampoline needs to call a callback. */
typedef struct call_args {
	run_script *sc;
	int fn;                   /* registry reference */
	uint64_t handle;
	const tc_record *rec;     /* the event, or NULL */
	const char *body;
	int actor;                /* doctrine handlers */
	int chunk;                /* load: its index */
} call_args;

/* fn(handle): timers */
static int call_timer(lua_State *L)
{
	call_args *c = lua_touserdata(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn);
	lua_pushinteger(L, (lua_Integer)c->handle);
	lua_call(L, 1, 0);
	return 0;
}

/* fn(event, handle): tocsin.on */
static int call_event(lua_State *L)
{
	call_args *c = lua_touserdata(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn);
	script_push_event(L, c->sc, c->rec, c->body);
	lua_pushinteger(L, (lua_Integer)c->handle);
	lua_call(L, 2, 0);
	return 0;
}

/* fn() -> one result: tocsin.when */
static int call_plain(lua_State *L)
{
	call_args *c = lua_touserdata(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn);
	lua_call(L, 0, 1);
	return 1;
}

/* handler(msg, ctx), then the outbox is sent. */
static int call_doctrine(lua_State *L)
{
	call_args *c = lua_touserdata(L, 1);
	script_push_ctx(L, c->sc);                    /* ctx: 2 */
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn);
	script_push_event(L, c->sc, c->rec, c->body);
	lua_pushvalue(L, 2);
	lua_call(L, 2, 0);
	return script_send_outbox(L, c->sc, 2, c->actor);
}

/* "the callback registered at FILE:LINE" */
static void callback_what(const run_script *sc, const callback *cb, const char *role, char *buf,
                          size_t n)
{
	snprintf(buf, n, "%s registered at %s:%d", role, sc->chunks[cb->chunk]->name, cb->line);
}

/* ---- the sandbox's services ---- */

static double script_uniform(void *ud)
{
	run_script *sc = ud;
	const tc_script_def *chunk = sc->chunks[sc->current_chunk];
	return run_uniform(sc->run, chunk->entity, PURPOSE_SCRIPT, sc->draws[sc->current_chunk]++);
}

static int script_print(void *ud, const char *line, size_t len)
{
	run_script *sc = ud;
	sc->log_bytes += len;
	if (sc->log_bytes > SCRIPT_MAX_LOG_BYTES)
		return -1;
	tc_record *r = run_record(sc->run, TC_REC_SCRIPT_LOG);
	r->text = line;
	r->text_len = len;
	run_emit(sc->run);
	return 0;
}

/* ---- callbacks ---- */

callback *script_callback(run_script *sc, uint64_t handle)
{
	uint32_t slot = (uint32_t)(handle & 0xffffffffu);
	if (slot == 0 || slot > sc->cb_count)
		return NULL;
	callback *cb = &sc->cbs[slot - 1];
	if (cb->type == CB_FREE || cb->generation != (uint32_t)(handle >> 32))
		return NULL;
	return cb;
}

static uint64_t handle_of(const run_script *sc, const callback *cb)
{
	return (uint64_t)cb->generation << 32 | (uint64_t)(cb - sc->cbs + 1);
}

/* Registers the function on top of the stack (and, for CB_WHEN, the
 * predicate below it), popping them. */
int script_register(run_script *sc, lua_State *L, cb_type type, uint64_t *handle)
{
	if (sc->cb_live >= SCRIPT_MAX_CALLBACKS)
		return TC_ELIMIT;
	uint32_t slot = sc->free_cb;
	if (slot == NO_CB) {
		if (tc_grow(sc->run->alloc, (void **)&sc->cbs, &sc->cb_cap, sc->cb_count + 1,
		            sizeof *sc->cbs))
			return TC_ENOMEM;
		slot = (uint32_t)sc->cb_count++;
		sc->cbs[slot].generation = 0;
	} else {
		sc->free_cb = sc->cbs[slot].next_free;
	}
	callback *cb = &sc->cbs[slot];
	uint32_t generation = cb->generation + 1;
	memset(cb, 0, sizeof *cb);
	cb->generation = generation;
	cb->type = (uint8_t)type;
	cb->pred = LUA_NOREF;
	cb->fn = luaL_ref(L, LUA_REGISTRYINDEX);
	if (type == CB_WHEN)
		cb->pred = luaL_ref(L, LUA_REGISTRYINDEX);
	cb->event = 0;
	cb->chunk = sc->current_chunk;
	lua_Debug ar;
	cb->line = lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar) ? ar.currentline : 0;
	sc->cb_live++;
	*handle = handle_of(sc, cb);
	if (type == CB_WHEN && vec_push(sc->run->alloc, &sc->whens, *handle)) {
		script_cancel(sc, *handle);
		return TC_ENOMEM;
	}
	return TC_OK;
}

int script_schedule_timer(run_script *sc, uint64_t handle, tc_time at)
{
	callback *cb = script_callback(sc, handle);
	assert(cb && (cb->type == CB_TIMER || cb->type == CB_UNLESS));
	cb->due = at;
	return run_schedule(sc->run, at, EV_SCRIPT, 0, handle, &cb->event);
}

int script_subscribe(run_script *sc, uint64_t handle)
{
	callback *cb = script_callback(sc, handle);
	assert(cb && cb->record_type >= 0 && cb->record_type < TC_REC_TYPE_COUNT);
	if (vec_push(sc->run->alloc, &sc->subs[cb->record_type], handle))
		return TC_ENOMEM;
	sc->run->record_mask |= 1u << cb->record_type;
	return TC_OK;
}

void script_cancel(run_script *sc, uint64_t handle)
{
	callback *cb = script_callback(sc, handle);
	if (!cb)
		return;
	uint32_t slot = (uint32_t)(cb - sc->cbs);
	if (cb->event != 0)
		tc_queue_cancel(&sc->run->queue, cb->event);
	if (cb->type == CB_ON || cb->type == CB_UNLESS || cb->type == CB_WHEN)
		sc->stale++;
	luaL_unref(sc->L, LUA_REGISTRYINDEX, cb->fn);
	luaL_unref(sc->L, LUA_REGISTRYINDEX, cb->pred);
	cb->type = CB_FREE;
	cb->next_free = sc->free_cb;
	sc->free_cb = slot;
	sc->cb_live--;
}

const char *script_keep_text(run_script *sc, const char *text, size_t len)
{
	if (sc->text_bytes + len + 1 > SCRIPT_MAX_TEXT_BYTES)
		return NULL;
	sc->text_bytes += len + 1;
	const char *kept = tc_arena_strndup(&sc->run->arena, text, len);
	if (!kept)
		sc->host_oom = 1;
	return kept;
}

/* ---- the event loop's calls ---- */

void script_timer(tc_run *run, uint64_t handle)
{
	run_script *sc = run->script;
	callback *cb = sc ? script_callback(sc, handle) : NULL;
	if (!cb)
		return;
	cb->event = 0;
	char what[256];
	callback_what(sc, cb, cb->type == CB_UNLESS ? "tocsin.unless callback" : "timer", what,
	              sizeof what);
	call_args args = {.sc = sc, .fn = cb->fn, .handle = handle};
	int chunk = cb->chunk, once = !(cb->type == CB_TIMER && cb->period > 0);
	if (!once)  /* rescheduled first, so that the callback may cancel itself */
		script_schedule_timer(sc, handle, run->now + cb->period);
	else        /* keep the function alive through the call, then free the slot */
		cb->fn = LUA_NOREF;
	sc->cause = (tc_cause){TC_CAUSE_SCRIPT, handle};
	sc->cause_slot = NO_SLOT;
	if (once)
		script_cancel(sc, handle);
	invoke(sc, chunk, handle, what, call_timer, &args, 0);
	if (once)
		luaL_unref(sc->L, LUA_REGISTRYINDEX, args.fn);
}

static int filter_matches(const script_filter *f, const tc_record *r)
{
	int msg = script_is_message_record(r->type);
	int from = msg ? r->actor : -1, to = msg ? r->peer : -1, actor = msg ? r->peer : r->actor;
	return (f->kind < 0 || (msg && f->kind == (int)r->kind)) &&
	       (f->from < 0 || f->from == from) && (f->to < 0 || f->to == to) &&
	       (f->actor < 0 || f->actor == actor) &&
	       (f->incident < 0 || f->incident == r->incident) &&
	       (f->channel < 0 || f->channel == r->channel) &&
	       (f->meeting < 0 || f->meeting == r->meeting) &&
	       (f->min_severity < 0 || r->severity >= f->min_severity);
}

/* From run_emit, for record types someone listens to: tocsin.unless is
 * settled at once; tocsin.on is called after the event. */
void script_note(tc_run *run, const tc_record *rec)
{
	run_script *sc = run->script;
	handle_vec *subs = &sc->subs[rec->type];
	int wanted = 0;
	for (size_t i = 0; i < subs->count; i++) {
		callback *cb = script_callback(sc, subs->items[i]);
		if (!cb || !filter_matches(&cb->filter, rec))
			continue;
		if (cb->type == CB_UNLESS)
			script_cancel(sc, subs->items[i]);  /* what it waited for happened */
		else
			wanted = 1;
	}
	if (!wanted)
		return;
	if (tc_grow(run->alloc, (void **)&sc->pending, &sc->pending_cap, sc->pending_count + 1,
	            sizeof *sc->pending)) {
		run_fail(run, TC_ENOMEM);
		return;
	}
	pending_note *note = &sc->pending[sc->pending_count++];
	note->rec = *rec;
	note->body = rec->message && (rec->type == TC_REC_MESSAGE_CREATED ||
	                              rec->type == TC_REC_RETRY) ? rec->text : NULL;
}

static void notify(run_script *sc, const tc_record *rec, const char *body)
{
	handle_vec *subs = &sc->subs[rec->type];
	/* Handlers registered meanwhile hear from the next record on. */
	size_t count = subs->count;
	for (size_t i = 0; i < count && !sc->run->stop; i++) {
		uint64_t handle = subs->items[i];
		callback *cb = script_callback(sc, handle);
		if (!cb || cb->type != CB_ON || !filter_matches(&cb->filter, rec))
			continue;
		char what[256];
		callback_what(sc, cb, "tocsin.on handler", what, sizeof what);
		call_args args = {.sc = sc, .fn = cb->fn, .handle = handle, .rec = rec, .body = body};
		sc->cause = rec->message ? (tc_cause){TC_CAUSE_MESSAGE, rec->message}
		                         : (tc_cause){TC_CAUSE_SCRIPT, handle};
		sc->cause_slot = NO_SLOT;
		invoke(sc, cb->chunk, handle, what, call_event, &args, 0);
	}
}

/* Each tocsin.when whose predicate now holds fires once. */
static void check_whens(run_script *sc)
{
	size_t count = sc->whens.count;
	for (size_t i = 0; i < count && !sc->run->stop; i++) {
		uint64_t handle = sc->whens.items[i];
		callback *cb = script_callback(sc, handle);
		if (!cb)
			continue;
		char what[256];
		callback_what(sc, cb, "tocsin.when predicate", what, sizeof what);
		call_args args = {.sc = sc, .fn = cb->pred, .handle = handle};
		sc->cause = (tc_cause){TC_CAUSE_SCRIPT, handle};
		sc->cause_slot = NO_SLOT;
		if (invoke(sc, cb->chunk, handle, what, call_plain, &args, 1))
			continue;
		int holds = lua_toboolean(sc->L, -1);
		lua_pop(sc->L, 1);
		if (!holds || !(cb = script_callback(sc, handle)))
			continue;
		callback_what(sc, cb, "tocsin.when callback", what, sizeof what);
		int chunk = cb->chunk;
		args.fn = cb->fn;
		cb->fn = LUA_NOREF;          /* kept through the call */
		script_cancel(sc, handle);   /* fires once */
		if (invoke(sc, chunk, handle, what, call_plain, &args, 1) == 0)
			lua_pop(sc->L, 1);
		luaL_unref(sc->L, LUA_REGISTRYINDEX, args.fn);
	}
}

/* Drops cancelled handles. */
static void compact(run_script *sc, handle_vec *v)
{
	size_t k = 0;
	for (size_t i = 0; i < v->count; i++)
		if (script_callback(sc, v->items[i]))
			v->items[k++] = v->items[i];
	v->count = k;
}

void script_after_event(tc_run *run, uint64_t first_record)
{
	run_script *sc = run->script;
	if (!sc || (!sc->pending_count && (!sc->whens.count || run->next_record == first_record)))
		return;
	size_t next = 0;
	uint64_t checked = first_record;
	while (!run->stop) {
		while (next < sc->pending_count && !run->stop) {
			pending_note note = sc->pending[next++];  /* a copy: pending may grow */
			notify(sc, &note.rec, note.body);
		}
		if (sc->whens.count && run->next_record != checked && !run->stop) {
			checked = run->next_record;
			check_whens(sc);
		}
		if (next >= sc->pending_count && (run->next_record == checked || !sc->whens.count))
			break;
	}
	sc->pending_count = 0;
	if (sc->stale) {
		for (int i = 0; i < TC_REC_TYPE_COUNT; i++)
			compact(sc, &sc->subs[i]);
		compact(sc, &sc->whens);
		sc->stale = 0;
	}
}

/* ---- doctrine handlers ---- */

int script_has_handler(const tc_run *run, int actor)
{
	return run->script && run->script->handlers && run->script->handlers[actor].fn != LUA_NOREF;
}

void script_outbox_begin(tc_run *run)
{
	run->script->box.count = 0;
	run->outbox = &run->script->box;
}

uint32_t outbox_add(tc_run *run, const outgoing *o)
{
	outbox *box = run->outbox;
	if (tc_grow(run->alloc, (void **)&box->items, &box->cap, box->count + 1, sizeof *box->items))
		run_fail(run, TC_ENOMEM);
	else
		box->items[box->count++] = *o;
	return NO_SLOT;
}

void script_doctrine(tc_run *run, int actor, uint32_t slot)
{
	run_script *sc = run->script;
	run->outbox = NULL;
	if (!run->stop) {
		const message *m = message_at(run, slot);
		const doctrine_handler *h = &sc->handlers[actor];
		tc_record rec;
		memset(&rec, 0, sizeof rec);
		rec.type = TC_REC_MESSAGE_HANDLED;
		rec.time = run->now;
		rec.inject = rec.meeting = -1;
		message_fill_record(&rec, m);
		call_args args = {.sc = sc, .fn = h->fn, .rec = &rec, .body = m->body, .actor = actor};
		sc->cause = (tc_cause){TC_CAUSE_MESSAGE, m->id};
		sc->cause_slot = slot;
		sc->doctrine_actor = actor;
		sc->outbox_built = 0;
		/* A failed handler sends nothing: neither its changes nor the rules'. */
		int failed = invoke(sc, (int)sc->chunk_count - 1, 0, h->what, call_doctrine, &args, 0);
		script_end_ctx(sc, failed != 0);
	}
	sc->box.count = 0;
}

/* ---- life cycle ---- */

/* wrap_chunk(chunk, args): runs the chunk; a doctrine chunk returns its
 * handlers, which are read at once. */
static int wrap_chunk(lua_State *L)
{
	call_args *c = lua_touserdata(L, 2);
	const tc_script_def *def = c->sc->chunks[c->chunk];
	int doctrine = def->role == TC_SCRIPT_DOCTRINE;
	lua_pushvalue(L, 1);
	lua_call(L, 0, doctrine);
	if (doctrine)
		script_read_handlers(L, c->sc, def);
	return 0;
}

/* Runs a chunk's top level: it registers timers and handlers. */
static int load_chunk(run_script *sc, int index)
{
	const tc_script_def *def = sc->chunks[index];
	lua_State *L = sc->L;
	if (tc_sandbox_load(sc->sb, def->name, def->text, def->len)) {
		snprintf(sc->error, sizeof sc->error, "%s", tc_sandbox_error(sc->sb));
		return sc->host_oom ? TC_ENOMEM : TC_ESCRIPT;
	}
	/* The chunk becomes the upvalue of a C closure: created in protected mode. */
	call_args args = {.sc = sc, .chunk = index};
	sc->current_chunk = index;
	sc->in_call = 1;
	lua_pushcfunction(L, wrap_chunk);
	lua_insert(L, -2);
	lua_pushlightuserdata(L, &args);
	int rc = tc_sandbox_call(sc->sb, 2, 0, def->role == TC_SCRIPT_DOCTRINE
	                                       ? "the doctrine's top level" : "the script's top level");
	sc->in_call = 0;
	sc->generation++;
	if (rc) {
		snprintf(sc->error, sizeof sc->error, "%s", tc_sandbox_error(sc->sb));
		return sc->host_oom ? TC_ENOMEM : rc == TC_ENOMEM ? TC_ESCRIPT : rc;
	}
	return TC_OK;
}

/* The run's allocator, noting a refusal (see run_script.lua_alloc). */
static void *lua_alloc_fn(void *ud, void *ptr, size_t old_size, size_t new_size)
{
	run_script *sc = ud;
	tc_alloc *a = sc->run->alloc;
	void *p = a->fn(a->ud, ptr, old_size, new_size);
	if (!p && new_size)
		sc->host_oom = 1;
	return p;
}

static int open_api(lua_State *L)
{
	script_api_push(L, lua_touserdata(L, 1));
	return 1;
}

static int prepare(tc_run *run)
{
	const tc_scenario *s = run->s;
	const tc_script_def *doctrine = s->doctrine.script;
	if (!s->script_count && !doctrine)
		return TC_OK;
	run_script *sc = tc_calloc(run->alloc, 1, sizeof *sc);
	if (!sc)
		return TC_ENOMEM;
	run->script = sc;
	sc->run = run;
	sc->free_cb = NO_CB;
	sc->ctx_ref = LUA_NOREF;
	sc->instant = TC_TIME_NEVER;
	sc->chunk_count = s->script_count + (doctrine != NULL);
	sc->chunks = tc_calloc(run->alloc, sc->chunk_count, sizeof *sc->chunks);
	sc->draws = tc_calloc(run->alloc, sc->chunk_count, sizeof *sc->draws);
	if (!sc->chunks || !sc->draws)
		return TC_ENOMEM;
	for (size_t i = 0; i < s->script_count; i++)
		sc->chunks[i] = &s->scripts[i];
	if (doctrine)
		sc->chunks[sc->chunk_count - 1] = doctrine;
	tc_sandbox_limits limits = {run->opt.script_memory, run->opt.script_instructions};
	tc_sandbox_host host = {script_uniform, script_print, sc};
	sc->lua_alloc = (tc_alloc){lua_alloc_fn, sc};
	int rc = tc_sandbox_new(&sc->sb, &sc->lua_alloc, &limits, &host);
	if (rc)
		return rc;
	sc->L = tc_sandbox_lua(sc->sb);
	lua_pushcfunction(sc->L, open_api);
	lua_pushlightuserdata(sc->L, sc);
	if ((rc = tc_sandbox_call(sc->sb, 1, 1, "opening the tocsin library")))
		return rc;
	if ((rc = tc_sandbox_add_library(sc->sb, "tocsin")) || (rc = tc_sandbox_seal(sc->sb)))
		return rc;
	sc->loading = 1;
	for (size_t i = 0; i < sc->chunk_count && !rc; i++)
		rc = load_chunk(sc, (int)i);
	sc->loading = 0;
	return rc;
}

int tc_run_prepare(tc_run *run)
{
	if (run->script && run->script->prepared)
		return run->script->prepare_rc;
	int rc = prepare(run);
	if (rc && !run->error)
		run_fail(run, rc);
	if (run->script) {
		run->script->prepared = 1;
		run->script->prepare_rc = rc;
	}
	return rc;
}

void script_release(tc_run *run)
{
	run_script *sc = run->script;
	if (!sc)
		return;
	tc_alloc *a = run->alloc;
	tc_sandbox_free(sc->sb);   /* the registry references die with the state */
	tc_free(a, sc->cbs, sc->cb_cap * sizeof *sc->cbs);
	for (int i = 0; i < TC_REC_TYPE_COUNT; i++)
		vec_release(a, &sc->subs[i]);
	vec_release(a, &sc->whens);
	tc_free(a, sc->pending, sc->pending_cap * sizeof *sc->pending);
	if (sc->handlers)
		tc_free(a, sc->handlers, run->s->actor_count * sizeof *sc->handlers);
	tc_free(a, sc->box.items, sc->box.cap * sizeof *sc->box.items);
	tc_free(a, sc->chunks, sc->chunk_count * sizeof *sc->chunks);
	tc_free(a, sc->draws, sc->chunk_count * sizeof *sc->draws);
	tc_free(a, sc, sizeof *sc);
	run->script = NULL;
}
