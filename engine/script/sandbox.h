/*
 * The Lua sandbox: one lua_State per run, in which untrusted scenario Lua
 * runs with budgets, so that nothing a script does can crash, hang or escape
 * the engine, or make a run depend on anything but its seed.
 *
 *  - Memory: every allocation of the state goes through the run's tc_alloc
 *    and is refused beyond limits.memory; exhaustion is a Lua error.
 *  - Time: every call from C into Lua (tc_sandbox_call) gets limits.instructions
 *    VM instructions, counted by a count hook that applies to coroutines too;
 *    once the budget is spent every further hook raises again and the
 *    sandbox's pcall, xpcall and coroutine.resume/wrap re-raise, so a script
 *    cannot catch it. Pattern functions (string.find, match, gmatch, gsub),
 *    whose C loops the hook never sees, refuse subjects and patterns whose
 *    worst-case cost exceeds a documented bound.
 *  - Libraries: base, table, string, math, utf8 and coroutine only; no io,
 *    os, package, require, debug, dofile, loadfile, collectgarbage,
 *    string.dump; load accepts text chunks only. print writes to the run's
 *    log through tc_sandbox_print (see below), never to stdout.
 *  - Determinism: pairs and next iterate integer keys ascending then string
 *    keys bytewise (other key types raise an error); math.random draws from
 *    the run's seeded stream (math.randomseed raises an error); tostring and
 *    string.format's %p print a per-state serial ("table: #7"), never an
 *    address; setmetatable refuses __gc (finalizers run with hooks off) and
 *    __mode (weak tables would make the run depend on the collector).
 *  - Tampering: the libraries and the base globals are frozen (read-only,
 *    rawset refused, metatables locked); the string metatable is locked;
 *    each chunk gets its own global environment, so scripts of one run cannot
 *    change what another sees.
 *
 * Every call from C into Lua goes through lua_pcall; a panic is a bug.
 */
#ifndef TC_SCRIPT_SANDBOX_H
#define TC_SCRIPT_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "core/alloc.h"

/* Defaults of the budgets (docs/lua-api.md, "The sandbox"). */
#define TC_SANDBOX_DEFAULT_MEMORY ((size_t)64 << 20)
#define TC_SANDBOX_DEFAULT_INSTRUCTIONS ((uint64_t)10 * 1000 * 1000)

/*
 * Pattern functions (string.find, match, gmatch, gsub) refuse a subject
 * longer than TC_SANDBOX_PATTERN_SUBJECT_MAX, a pattern longer than
 * TC_SANDBOX_PATTERN_MAX, and a pattern whose bound on the matcher's steps
 * over this subject exceeds TC_SANDBOX_PATTERN_COST (the rule is at the top of
 * script/patterns.c and in docs/security.md); a call charges its bound to the
 * instruction budget at TC_SANDBOX_PATTERN_STEPS_PER_INSTRUCTION steps each.
 */
enum {
	TC_SANDBOX_PATTERN_SUBJECT_MAX = 4 << 20,
	TC_SANDBOX_PATTERN_MAX = 512,
	TC_SANDBOX_PATTERN_COST = 100 * 1000 * 1000,
	TC_SANDBOX_PATTERN_STEPS_PER_INSTRUCTION = 100,
};

typedef struct tc_sandbox tc_sandbox;

typedef struct tc_sandbox_limits {
	size_t memory;           /* bytes the state may hold; 0 = the default */
	uint64_t instructions;   /* per tc_sandbox_call; 0 = the default */
} tc_sandbox_limits;

/*
 * Where the sandbox's nondeterministic-by-default services go:
 *  uniform: a uniform draw in [0, 1) for math.random (required);
 *  print:   one line printed by print() (arguments tostring'ed, tab-separated,
 *           at most TC_SANDBOX_PRINT_MAX bytes, longer lines are cut). Returns
 *           0, or non-zero to raise "output limit reached" in the script.
 *           May be NULL: print then discards.
 */
enum { TC_SANDBOX_PRINT_MAX = 4096 };

typedef struct tc_sandbox_host {
	double (*uniform)(void *ud);
	int (*print)(void *ud, const char *line, size_t len);
	void *ud;
} tc_sandbox_host;

/*
 * A new sandbox with the safe libraries open and not yet sealed, so the
 * caller may add its own (tc_sandbox_add_library). a is used for the state's
 * memory (with the budget on top). Returns TC_OK or TC_ENOMEM.
 */
int tc_sandbox_new(tc_sandbox **out, tc_alloc *a, const tc_sandbox_limits *limits,
                   const tc_sandbox_host *host);
/* Closes the state (finalizers cannot run: __gc is refused). NULL is fine. */
void tc_sandbox_free(tc_sandbox *sb);

/* The state, for pushing arguments, registering C functions and references.
 * Callers never call into Lua except through tc_sandbox_call. */
lua_State *tc_sandbox_lua(tc_sandbox *sb);

/*
 * Before sealing: pops the table on top of the stack and makes it the frozen
 * global library `name` (as string or math are). Its functions are C
 * functions of the caller. Returns TC_OK or TC_ENOMEM.
 */
int tc_sandbox_add_library(tc_sandbox *sb, const char *name);

/*
 * Freezes the base environment: from now on chunks may be loaded and called
 * and no library may be added. Returns TC_OK or TC_ENOMEM.
 */
int tc_sandbox_seal(tc_sandbox *sb);

/*
 * Compiles text[0..len) (text only, never bytecode) as the chunk `name`
 * (shown in messages as "name:line:"), with a fresh global environment of
 * its own that falls back to the frozen base. On success pushes the chunk's
 * function and returns TC_OK; otherwise pushes nothing and returns
 * TC_ESCRIPT (syntax error) or TC_ENOMEM, with tc_sandbox_error() set.
 */
int tc_sandbox_load(tc_sandbox *sb, const char *name, const char *text, size_t len);

/*
 * Calls the function below its nargs arguments on the stack, in protected
 * mode, with a fresh instruction budget. `what` says which callback it is
 * ("inject at T+02:30 registered at injects.lua:12", "doctrine handler of
 * anssi"); it goes into the message. On success leaves nresults results
 * (LUA_MULTRET allowed) and returns TC_OK. On failure leaves nothing on the
 * stack and returns
 *   TC_ESCRIPT  a runtime error, a spent instruction budget, a refused
 *               pattern or metatable, or a stack overflow;
 *   TC_ENOMEM   the memory budget is spent;
 * with tc_sandbox_error() = "FILE:LINE: MESSAGE (in WHAT)\nstack traceback:\n...".
 * The error object is turned into text safely: a hostile __tostring runs
 * under the same budget, and if that fails a fixed description is used.
 * Calls do not nest: the caller must not call back into the sandbox from a C
 * function that Lua called (asserted). Calls may be made before sealing, so
 * that a C function builds the caller's library in protected mode (tables
 * allocate, and an allocation failure outside lua_pcall would be a panic).
 */
int tc_sandbox_call(tc_sandbox *sb, int nargs, int nresults, const char *what);

/* The last error's message (stable until the next load or call). */
const char *tc_sandbox_error(const tc_sandbox *sb);

/*
 * Raise a Lua error from a C function the caller registered, with the
 * position of the Lua code that called it (luaL_error), and, when fatal,
 * make it uncatchable like a spent budget: the script's pcall re-raises it.
 * Used for limits the host enforces (a flood of log lines). Never returns.
 */
int tc_sandbox_raise(lua_State *L, int fatal, const char *fmt, ...);

/* The sandbox of a state (for the caller's C functions). */
tc_sandbox *tc_sandbox_of(lua_State *L);

/* Counters for the report and the benchmarks. */
typedef struct tc_sandbox_stats {
	uint64_t calls;          /* tc_sandbox_call */
	uint64_t instructions;   /* counted by the hook, all calls (granularity of the hook) */
	size_t memory, memory_peak;
} tc_sandbox_stats;

void tc_sandbox_stats_of(const tc_sandbox *sb, tc_sandbox_stats *out);

/*
 * The text of a value as the sandbox's tostring gives it, for the caller's
 * messages (tocsin.log): serials, never addresses. Runs no metamethod
 * (a __tostring is shown as "table: #7"), so it cannot fail or loop.
 * Writes at most n - 1 bytes and a NUL.
 */
void tc_sandbox_describe(lua_State *L, int index, char *buf, size_t n);

#endif
