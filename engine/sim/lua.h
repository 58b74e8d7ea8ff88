/*
 * The Lua side of a run, shared by sim/script.c (life cycle, callbacks,
 * notifications, doctrine handlers) and sim/script_api.c (the tocsin module
 * and its views). Internal to sim/.
 */
#ifndef TC_SIM_LUA_H
#define TC_SIM_LUA_H

#include <lua.h>

#include "script/sandbox.h"
#include "sim/internal.h"

/* What a tocsin.on / tocsin.unless listens to; -1 fields match anything.
 * On message events, from and to are the message's ends and actor its
 * receiver (as the event view reads them); on other events, actor is the
 * actor the event is about, and kind, from and to never match. */
typedef struct script_filter {
	int kind, from, to, actor, incident, channel, meeting;
	int min_severity;
} script_filter;

typedef enum cb_type { CB_FREE, CB_TIMER, CB_ON, CB_WHEN, CB_UNLESS } cb_type;

/* A registered callback. Its handle (what Lua sees) is slot + 1 in the low
 * 32 bits and a generation above, so a stale handle never cancels a reused
 * slot. */
typedef struct callback {
	uint8_t type;
	uint32_t generation;
	uint32_t next_free;
	int fn;                   /* registry reference */
	int pred;                 /* CB_WHEN: the predicate */
	int record_type;          /* CB_ON, CB_UNLESS */
	script_filter filter;
	tc_time period;           /* CB_TIMER: > 0 for tocsin.every */
	tc_time due;              /* CB_TIMER, CB_UNLESS: when it fires */
	tc_event_id event;        /* its pending queue event */
	int chunk;                /* the script that registered it */
	int line;
} callback;

typedef struct outbox {
	outgoing *items;
	size_t count, cap;
} outbox;

/* An actor's Lua doctrine handler. */
typedef struct doctrine_handler {
	int fn;                   /* registry reference; LUA_NOREF: the actor has none */
	int ctx;                  /* its ctx, made at its first call (LUA_NOREF before) */
	const char *what;         /* "doctrine handler of ID", for error messages */
} doctrine_handler;

/* Callback handles; cancelled ones stay until the next compaction. */
typedef struct handle_vec {
	uint64_t *items;
	size_t count, cap;
} handle_vec;

typedef struct pending_note {
	tc_record rec;
	const char *body;         /* of a message-created or retry record */
} pending_note;

/* Documented limits (docs/lua-api.md). */
enum {
	SCRIPT_MAX_CALLBACKS = 1000000,      /* registered at once */
	SCRIPT_MAX_BODY = 64 * 1024,         /* bytes of one message body */
	SCRIPT_MAX_LOG_LINE = 4096,
	SCRIPT_ERROR_CAP = 8192,
};
#define SCRIPT_MAX_LOG_BYTES ((uint64_t)16 << 20)   /* script-log text in one run */
#define SCRIPT_MAX_TEXT_BYTES ((uint64_t)64 << 20)  /* bodies and names kept by a run */

typedef struct run_script {
	tc_run *run;
	tc_sandbox *sb;
	lua_State *L;

	callback *cbs;
	size_t cb_count, cb_cap, cb_live;
	uint32_t free_cb;             /* free list of slots, UINT32_MAX when empty */
	handle_vec subs[TC_REC_TYPE_COUNT]; /* CB_ON and CB_UNLESS, in registration order */
	handle_vec whens;
	size_t stale;                 /* cancelled handles still in subs or whens */

	pending_note *pending;        /* notifications for CB_ON, in record order */
	size_t pending_count, pending_cap;

	int event_meta, entity_meta, ctx_meta; /* registry references of the metatables */
	const void *event_meta_ptr, *entity_meta_ptr; /* their addresses, to check a view */
	int strings, event_fields, message_keys; /* registry references (script_api.c) */
	int actor_index, kind_index, channel_index, incident_index; /* name -> index tables */
	doctrine_handler *handlers;   /* per actor, NULL without a Lua doctrine */
	/* The running handler's outbox: what its rules proposed and what
	 * ctx.send added, in C, until the handler first reads ctx.outbox; from
	 * then on (outbox_built) the Lua table is the outbox. */
	outbox box;
	int outbox_built;
	int ctx_ref;                  /* registry slot of the running handler's ctx, or false */
	int doctrine_actor;           /* whose handler runs */

	/* Scripts: the scenario's (and --script) then the doctrine's. */
	const tc_script_def **chunks;
	size_t chunk_count;
	uint64_t *draws;              /* per chunk: ordinal of its random draws */

	/* What is running now. */
	int current_chunk;
	uint64_t current_handle;      /* the callback, 0 at load and in doctrine handlers */
	tc_cause cause;               /* default binding parent of what the callback sends */
	uint32_t cause_slot;
	int loading;                  /* top levels run: acting is refused */
	int in_call;
	uint64_t generation;          /* views made before the current call are stale */

	tc_time instant;              /* callbacks run at this instant, for the limit */
	uint64_t calls_at_instant;
	uint64_t log_bytes, text_bytes;
	uint64_t errors;

	/* The sandbox's allocations go through lua_alloc, which notes when the
	 * run's allocator (not the scripts' budget) refused one: the run then
	 * fails for want of memory, not because of a script. */
	tc_alloc lua_alloc;
	int host_oom;

	int prepared, prepare_rc;
	char error[SCRIPT_ERROR_CAP];
} run_script;

/* Events about one message (message-created to retry), whose records have
 * the sender in actor and the receiver in peer. */
static inline int script_is_message_record(tc_record_type t)
{
	return t >= TC_REC_MESSAGE_CREATED && t <= TC_REC_RETRY;
}

/* script_api.c */
/* The tocsin library, pushed as a table (before the sandbox is sealed). */
int script_api_push(lua_State *L, run_script *sc);
/* Push a view of record rec (message events with body) for a callback. */
void script_push_event(lua_State *L, run_script *sc, const tc_record *rec, const char *body);
/* These run in protected mode (from C functions the sandbox calls) and
 * raise Lua errors. */
/* Push ctx for the doctrine handler of sc->doctrine_actor: {actor =, send =},
 * whose outbox is built from sc->box when the handler first reads it. */
void script_push_ctx(lua_State *L, run_script *sc);
/* Send the outbox of ctx (at index), from actor. */
int script_send_outbox(lua_State *L, run_script *sc, int ctx, int actor);
/* The handler has returned (or failed): its ctx is no longer current and
 * loses this call's outbox. No allocation: called outside protected mode. */
void script_end_ctx(run_script *sc, int failed);
/* Read the table a doctrine chunk returned (top of stack, popped): {actor id = fn}. */
void script_read_handlers(lua_State *L, run_script *sc, const tc_script_def *def);
/* The run's current script (from a C function Lua called). */
run_script *script_of(lua_State *L);

/* script.c, for the API */
int script_register(run_script *sc, lua_State *L, cb_type type, uint64_t *handle);
callback *script_callback(run_script *sc, uint64_t handle);
void script_cancel(run_script *sc, uint64_t handle);
int script_schedule_timer(run_script *sc, uint64_t handle, tc_time at);
int script_subscribe(run_script *sc, uint64_t handle);
const char *script_keep_text(run_script *sc, const char *text, size_t len);

#endif
