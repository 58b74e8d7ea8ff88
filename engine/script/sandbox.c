/*
 * The sandbox's state: the budget allocator, set-up in protected mode, the
 * chunk loader, the one entry point into Lua (tc_sandbox_call) and the text
 * of its errors. The defences themselves live in the other files of script/.
 */
#include "script/sandbox.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "core/error.h"
#include "script/internal.h"

const char tc_sb_key_frozen = 0;
const char tc_sb_key_names = 0;
const char tc_sb_key_serials = 0;
const char tc_sb_key_base = 0;

tc_sandbox *tc_sb_get(lua_State *L)
{
	void *ud = NULL;
	lua_Alloc f = lua_getallocf(L, &ud);
	assert(f == tc_sb_alloc && ud);
	(void)f;
	return ud;
}

tc_sandbox *tc_sandbox_of(lua_State *L)
{
	return tc_sb_get(L);
}

lua_State *tc_sandbox_lua(tc_sandbox *sb)
{
	assert(sb);
	return sb->L;
}

/* Records where a refused allocation happened, while the stack still shows
 * it: by the time Lua reports the memory error it has unwound. Only reads the
 * call stack (lua_getstack, lua_getinfo "Sl"), which allocates nothing. */
static void note_refusal(tc_sandbox *sb)
{
	sb->refused = 1;
	if (sb->fatal || sb->have_error || !sb->running)
		return;
	char where[256];
	tc_sb_where(sb->running, 0, where, sizeof where);
	snprintf(sb->msg, sizeof sb->msg, "%s%smemory budget of %zu bytes spent", where,
	         where[0] ? " " : "", sb->memory_limit);
	tc_sb_traceback(sb->running, 0, sb->trace, sizeof sb->trace);
}

void *tc_sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	tc_sandbox *sb = ud;
	/* Without a block, osize is the kind of object Lua is creating. */
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		if (ptr) {
			assert(sb->stats.memory >= osize);
			sb->stats.memory -= osize;
			tc_free(sb->alloc, ptr, osize);
		}
		return NULL;
	}
	/* The budget binds while scripts run; the caller's own pushes between
	 * calls are never refused by it (they are not protected). */
	if (nsize > old && sb->in_call && sb->stats.memory - old + nsize > sb->memory_limit) {
		note_refusal(sb);
		return NULL;
	}
	void *p = ptr ? tc_realloc(sb->alloc, ptr, osize, nsize) : tc_malloc(sb->alloc, nsize);
	if (!p)
		return NULL;
	sb->stats.memory = sb->stats.memory - old + nsize;
	if (sb->stats.memory > sb->stats.memory_peak)
		sb->stats.memory_peak = sb->stats.memory;
	return p;
}

static int panic(lua_State *L)
{
	const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
	fprintf(stderr, "tocsin: unprotected Lua error (a bug in the engine): %s\n", msg);
	fflush(stderr);
	abort();
}

static void open_one(lua_State *L, const char *name, lua_CFunction open)
{
	luaL_requiref(L, name, open, 1);
	lua_pop(L, 1);
}

/* Runs in protected mode: any allocation failure is a Lua error here. */
static int setup(lua_State *L)
{
	open_one(L, LUA_GNAME, luaopen_base);
	open_one(L, LUA_TABLIBNAME, luaopen_table);
	open_one(L, LUA_STRLIBNAME, luaopen_string);
	open_one(L, LUA_MATHLIBNAME, luaopen_math);
	open_one(L, LUA_UTF8LIBNAME, luaopen_utf8);
	open_one(L, LUA_COLIBNAME, luaopen_coroutine);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &tc_sb_key_frozen);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &tc_sb_key_names);
	lua_newtable(L);
	lua_newtable(L);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &tc_sb_key_serials);
	tc_sb_open_libs(L);
	tc_sb_open_control(L);
	tc_sb_open_text(L);
	tc_sb_open_iterate(L);
	tc_sb_open_patterns(L);
	tc_sb_open_guard(L);
	return 0;
}

/* lua_pcall of fn with a light userdata argument, the budgets off. Returns
 * the Lua status; on failure the error object is left on the stack. */
static int protected(tc_sandbox *sb, lua_CFunction fn, void *arg, int nargs_below, int nresults)
{
	lua_State *L = sb->L;
	lua_pushcfunction(L, fn);
	lua_insert(L, -1 - nargs_below);
	lua_pushlightuserdata(L, arg);
	return lua_pcall(L, nargs_below + 1, nresults, 0);
}

int tc_sandbox_new(tc_sandbox **out, tc_alloc *a, const tc_sandbox_limits *limits,
                   const tc_sandbox_host *host)
{
	assert(out && a && host && host->uniform);
	*out = NULL;
	tc_sandbox *sb = tc_calloc(a, 1, sizeof *sb);
	if (!sb)
		return TC_ENOMEM;
	sb->alloc = a;
	sb->host = *host;
	sb->memory_limit = limits && limits->memory ? limits->memory : TC_SANDBOX_DEFAULT_MEMORY;
	sb->instruction_limit = limits && limits->instructions ? limits->instructions
	                                                       : TC_SANDBOX_DEFAULT_INSTRUCTIONS;
	sb->L = lua_newstate(tc_sb_alloc, sb);
	if (!sb->L) {
		tc_free(a, sb, sizeof *sb);
		return TC_ENOMEM;
	}
	lua_atpanic(sb->L, panic);
	lua_pushcfunction(sb->L, setup);
	if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
		lua_close(sb->L);
		tc_free(a, sb, sizeof *sb);
		return TC_ENOMEM;
	}
	/* Threads copy their creator's hook: set once here, every coroutine
	 * has it. Each call re-arms the count (tc_sandbox_call). */
	lua_sethook(sb->L, tc_sb_hook, LUA_MASKCOUNT, TC_SB_HOOK_EVERY);
	*out = sb;
	return TC_OK;
}

void tc_sandbox_free(tc_sandbox *sb)
{
	if (!sb)
		return;
	assert(!sb->in_call);
	lua_close(sb->L);
	assert(sb->stats.memory == 0);
	tc_free(sb->alloc, sb, sizeof *sb);
}

static int add_library(lua_State *L)
{
	const char *name = lua_touserdata(L, 2);
	lua_getglobal(L, name);
	if (!lua_isnil(L, -1))
		return luaL_error(L, "library '%s' exists already", name);
	lua_pop(L, 1);
	lua_pushvalue(L, 1);
	lua_setglobal(L, name);
	return 0;
}

int tc_sandbox_add_library(tc_sandbox *sb, const char *name)
{
	assert(sb && name && !sb->sealed && !sb->in_call);
	assert(lua_istable(sb->L, -1));
	int status = protected(sb, add_library, (void *)name, 1, 0);
	if (status == LUA_OK)
		return TC_OK;
	/* Only memory can fail here; a clash of names is the caller's bug. */
	assert(status == LUA_ERRMEM);
	lua_pop(sb->L, 1);
	return TC_ENOMEM;
}

/* The chunks' shared environment metatable and the freezing of every library
 * (guard.c); the base table itself is reachable from no script. */
static int seal(lua_State *L)
{
	lua_pushglobaltable(L);
	int g = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, g)) {
		if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
			const char *name = lua_tostring(L, -2);
			tc_sb_freeze(L, name);
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, g);  /* replacing an existing key: next stays valid */
		} else {
			lua_pop(L, 1);
		}
	}
	lua_pushvalue(L, g);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &tc_sb_key_base);
	return 0;
}

int tc_sandbox_seal(tc_sandbox *sb)
{
	assert(sb && !sb->sealed && !sb->in_call);
	int status = protected(sb, seal, sb, 0, 0);
	if (status != LUA_OK) {
		assert(status == LUA_ERRMEM);
		lua_pop(sb->L, 1);
		return TC_ENOMEM;
	}
	sb->sealed = 1;
	return TC_OK;
}

typedef struct chunk_src {
	const char *name, *text;
	size_t len;
} chunk_src;

static int load_chunk(lua_State *L)
{
	const chunk_src *src = lua_touserdata(L, 1);
	lua_pushfstring(L, "@%s", src->name);
	int status = luaL_loadbufferx(L, src->text, src->len, lua_tostring(L, -1), "t");
	if (status != LUA_OK)
		return lua_error(L);
	tc_sb_new_env(L);
	/* A main chunk's only upvalue is _ENV. */
	const char *up = lua_setupvalue(L, -2, 1);
	assert(up && strcmp(up, "_ENV") == 0);
	(void)up;
	return 1;
}

static void begin(tc_sandbox *sb, const char *what)
{
	sb->in_call = 1;
	sb->fatal = TC_SB_ALIVE;
	sb->refused = 0;
	sb->have_error = 0;
	sb->running = sb->L;
	sb->what = what;
	sb->remaining = sb->instruction_limit > INT64_MAX ? INT64_MAX : (int64_t)sb->instruction_limit;
	sb->msg[0] = sb->trace[0] = '\0';
}

static void end(tc_sandbox *sb)
{
	sb->in_call = 0;
	sb->running = NULL;
	sb->what = NULL;
}

int tc_sandbox_load(tc_sandbox *sb, const char *name, const char *text, size_t len)
{
	assert(sb && sb->sealed && !sb->in_call && name && (text || len == 0));
	chunk_src src = {name, text ? text : "", len};
	begin(sb, NULL);
	sb->running = NULL;  /* nothing of the script runs while it compiles */
	int status = protected(sb, load_chunk, &src, 0, 1);
	end(sb);
	if (status == LUA_OK) {
		sb->error[0] = '\0';
		return TC_OK;
	}
	if (status == LUA_ERRMEM || sb->refused) {
		snprintf(sb->error, sizeof sb->error, "%s: memory budget of %zu bytes spent while compiling",
		         name, sb->memory_limit);
		lua_pop(sb->L, 1);
		return TC_ENOMEM;
	}
	const char *msg = lua_tostring(sb->L, -1);
	snprintf(sb->error, sizeof sb->error, "%s", msg ? msg : "(no message)");
	lua_pop(sb->L, 1);
	return TC_ESCRIPT;
}

/* The error text of a failed call; the error object is on top. */
static int fail(tc_sandbox *sb, int status)
{
	lua_State *L = sb->L;
	if (status == LUA_ERRMEM && !sb->fatal)
		tc_sb_set_fatal(L, TC_SB_MEMORY, 0, "memory budget of %zu bytes spent", sb->memory_limit);
	if (!sb->have_error) {
		/* The handler did not run (an error in the handler itself). */
		const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
		                                               : "(error object is not a string)";
		snprintf(sb->msg, sizeof sb->msg, "%s", m);
		sb->trace[0] = '\0';
	}
	lua_pop(L, 1);
	int n;
	if (sb->what)
		n = snprintf(sb->error, sizeof sb->error, "%s (in %s)", sb->msg, sb->what);
	else
		n = snprintf(sb->error, sizeof sb->error, "%s", sb->msg);
	if (sb->trace[0] && n >= 0 && (size_t)n < sizeof sb->error)
		snprintf(sb->error + n, sizeof sb->error - (size_t)n, "\n%s", sb->trace);
	return sb->fatal == TC_SB_MEMORY ? TC_ENOMEM : TC_ESCRIPT;
}

int tc_sandbox_call(tc_sandbox *sb, int nargs, int nresults, const char *what)
{
	assert(sb);  /* before sealing too: a library is built in protected mode */
	assert(!sb->in_call && "calls into the sandbox do not nest");
	lua_State *L = sb->L;
	assert(nargs >= 0 && lua_gettop(L) >= nargs + 1);
	int ok = lua_checkstack(L, 1);
	assert(ok);
	(void)ok;
	begin(sb, what);
	sb->stats.calls++;
	lua_sethook(L, tc_sb_hook, LUA_MASKCOUNT, TC_SB_HOOK_EVERY);
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, tc_sb_msgh);
	lua_insert(L, base);
	int status = lua_pcall(L, nargs, nresults, base);
	int rc = TC_OK;
	if (status == LUA_OK) {
		lua_remove(L, base);
		sb->error[0] = '\0';
	} else {
		rc = fail(sb, status);
		lua_remove(L, base);
	}
	end(sb);
	return rc;
}

const char *tc_sandbox_error(const tc_sandbox *sb)
{
	assert(sb);
	return sb->error;
}

void tc_sandbox_stats_of(const tc_sandbox *sb, tc_sandbox_stats *out)
{
	assert(sb && out);
	*out = sb->stats;
}
