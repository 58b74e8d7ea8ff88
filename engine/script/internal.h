/*
 * What the files of the sandbox share: the state behind a tc_sandbox, the
 * fatal-error machinery, the instruction charge, and the installers each file
 * provides for the set-up (sandbox.c calls them in protected mode).
 */
#ifndef TC_SCRIPT_INTERNAL_H
#define TC_SCRIPT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "script/sandbox.h"

/* The hook runs every TC_SB_HOOK_EVERY VM instructions: the budget is counted
 * to that granularity. */
enum { TC_SB_HOOK_EVERY = 1000 };

/* Error text: the message is cut at TC_SB_MSG_MAX, the traceback at
 * TC_SB_TRACE_MAX (both with a visible mark). */
enum { TC_SB_MSG_MAX = 4096, TC_SB_TRACE_MAX = 2048 };

/* Why a call is dying. Once set, nothing in the script can catch the error. */
typedef enum tc_sb_fatal {
	TC_SB_ALIVE = 0,
	TC_SB_BUDGET,   /* instruction budget spent */
	TC_SB_MEMORY,   /* memory budget spent (or the allocator failed) */
	TC_SB_HOST,     /* tc_sandbox_raise(fatal=1), the output limit */
} tc_sb_fatal;

struct tc_sandbox {
	lua_State *L;
	tc_alloc *alloc;            /* underneath the budget */
	tc_sandbox_host host;
	size_t memory_limit;
	uint64_t instruction_limit;
	tc_sandbox_stats stats;

	int sealed;
	int in_call;                /* inside tc_sandbox_call or _load: budgets apply */
	int64_t remaining;          /* instructions left in this call */
	lua_State *running;         /* the thread running now (for memory errors) */
	tc_sb_fatal fatal;
	int refused;                /* the budget refused an allocation in this call */
	int have_error;             /* msg/trace describe this call's error */
	uint64_t next_serial;       /* tostring serials: the last one given */
	const char *what;

	char msg[TC_SB_MSG_MAX];    /* "FILE:LINE: MESSAGE" of this call's error */
	char trace[TC_SB_TRACE_MAX];/* "stack traceback:\n..." of the same */
	char error[TC_SB_MSG_MAX + TC_SB_TRACE_MAX + 256]; /* tc_sandbox_error() */
};

/* Registry keys (light userdata of these addresses); never reachable from
 * scripts, which have no debug library. */
extern const char tc_sb_key_frozen;    /* proxy -> real table of each frozen table */
extern const char tc_sb_key_names;     /* proxy -> its library name */
extern const char tc_sb_key_serials;   /* object -> tostring serial (weak keys) */
extern const char tc_sb_key_base;      /* the frozen base environment */

/* ---- sandbox.c ---- */
tc_sandbox *tc_sb_get(lua_State *L);

/* ---- budget.c: hook, charge, fatal errors, protected-call wrappers ---- */
void tc_sb_hook(lua_State *L, lua_Debug *ar);
/* Spend n instructions of the budget for work C does on the script's behalf
 * (the hook cannot see it); raises the budget error when it runs out. */
void tc_sb_charge(lua_State *L, uint64_t n);
/* Make this call's error fatal (first cause wins), recording its text from
 * the stack of L at level (the first Lua function at or above it). */
void tc_sb_set_fatal(lua_State *L, tc_sb_fatal why, int level, const char *fmt, ...);
/* After a protected call inside the script returned status: re-raise when
 * the call is dying (so pcall and friends cannot catch it). */
void tc_sb_check_fatal(lua_State *L, int status);
/* Raise the recorded fatal error again. */
int tc_sb_raise_fatal(lua_State *L);
/* The budget allocator behind lua_newstate (ud is the sandbox). */
void *tc_sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
void tc_sb_open_control(lua_State *L);    /* pcall, xpcall, coroutine.* */

/* ---- errtext.c: error text, tracebacks, tostring, print ---- */
/* Write "FILE:LINE:" of the first Lua function at or above level into buf
 * (empty when there is none). No allocation. */
void tc_sb_where(lua_State *L, int level, char *buf, size_t n);
/* Write "stack traceback:\n\t..." from level into buf. No allocation. */
void tc_sb_traceback(lua_State *L, int level, char *buf, size_t n);
/* The message handler of tc_sandbox_call (records msg and trace). */
int tc_sb_msgh(lua_State *L);
/* Pushes tostring(v) as the sandbox gives it (serials, __tostring under the
 * budget, which must return a string). */
void tc_sb_tostring(lua_State *L, int index);
/* The serial of a collectable value, given on first use. */
uint64_t tc_sb_serial(lua_State *L, int index);
void tc_sb_open_text(lua_State *L);       /* tostring, print, string.format */

/* ---- iterate.c ---- */
void tc_sb_open_iterate(lua_State *L);    /* next, pairs */

/* ---- patterns.c ---- */
void tc_sb_open_patterns(lua_State *L);   /* string.find/match/gmatch/gsub */

/* ---- guard.c ---- */
/* The real table behind a frozen proxy at index, or 0 when it is not one
 * (then pushes nothing; otherwise pushes the real table). */
int tc_sb_push_frozen(lua_State *L, int index);
/* Pops a table and pushes its frozen proxy called name. */
void tc_sb_freeze(lua_State *L, const char *name);
/* Pushes a fresh environment for a chunk (its own globals over the base). */
void tc_sb_new_env(lua_State *L);
void tc_sb_open_guard(lua_State *L);      /* setmetatable, raw*, string metatable */

/* ---- libs.c ---- */
void tc_sb_open_libs(lua_State *L);       /* the safe set, load, math.random */
/* Replace field name of the table at index with a C closure of fn whose only
 * upvalue is the field's original value. */
void tc_sb_wrap(lua_State *L, int index, const char *name, lua_CFunction fn);

#endif
