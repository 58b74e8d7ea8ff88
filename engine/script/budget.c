/*
 * The instruction budget and the fatal errors: the count hook, the charge for
 * work done in C, and the protected calls a script can make (pcall, xpcall,
 * coroutine.resume/wrap/close), which all re-raise a fatal error so that a
 * spent budget cannot be caught.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "script/internal.h"

void tc_sb_set_fatal(lua_State *L, tc_sb_fatal why, int level, const char *fmt, ...)
{
	tc_sandbox *sb = tc_sb_get(L);
	assert(why != TC_SB_ALIVE);
	if (sb->fatal)
		return;  /* the first cause is the one reported */
	sb->fatal = why;
	/* A refused allocation recorded its own place (sandbox.c). */
	if (why == TC_SB_MEMORY && sb->refused && sb->msg[0] && !sb->have_error) {
		sb->have_error = 1;
		return;
	}
	char where[256];
	tc_sb_where(L, level, where, sizeof where);
	int n = snprintf(sb->msg, sizeof sb->msg, "%s%s", where, where[0] ? " " : "");
	assert(n >= 0 && (size_t)n < sizeof sb->msg);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sb->msg + n, sizeof sb->msg - (size_t)n, fmt, ap);
	va_end(ap);
	tc_sb_traceback(L, level, sb->trace, sizeof sb->trace);
	sb->have_error = 1;
}

int tc_sb_raise_fatal(lua_State *L)
{
	tc_sandbox *sb = tc_sb_get(L);
	assert(sb->fatal);
	lua_pushstring(L, sb->msg);
	return lua_error(L);
}

void tc_sb_check_fatal(lua_State *L, int status)
{
	tc_sandbox *sb = tc_sb_get(L);
	if (status == LUA_ERRMEM)
		tc_sb_set_fatal(L, TC_SB_MEMORY, 0, "memory budget of %zu bytes spent", sb->memory_limit);
	if (sb->fatal)
		tc_sb_raise_fatal(L);
}

static void spent(lua_State *L, tc_sandbox *sb)
{
	tc_sb_set_fatal(L, TC_SB_BUDGET, 0, "instruction budget of %" PRIu64 " spent", sb->instruction_limit);
	tc_sb_raise_fatal(L);
}

void tc_sb_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	tc_sandbox *sb = tc_sb_get(L);
	if (!sb->in_call)
		return;
	sb->stats.instructions += TC_SB_HOOK_EVERY;
	sb->remaining -= TC_SB_HOOK_EVERY;
	if (sb->fatal)
		tc_sb_raise_fatal(L);
	if (sb->remaining <= 0)
		spent(L, sb);
}

void tc_sb_charge(lua_State *L, uint64_t n)
{
	tc_sandbox *sb = tc_sb_get(L);
	if (!sb->in_call)
		return;
	if (n > INT64_MAX / 2)
		n = INT64_MAX / 2;
	sb->stats.instructions += n;
	sb->remaining -= (int64_t)n;
	if (sb->fatal)
		tc_sb_raise_fatal(L);
	if (sb->remaining <= 0)
		spent(L, sb);
}

int tc_sandbox_raise(lua_State *L, int fatal, const char *fmt, ...)
{
	char text[TC_SB_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (fatal) {
		tc_sb_set_fatal(L, TC_SB_HOST, 1, "%s", text);
		return tc_sb_raise_fatal(L);
	}
	luaL_where(L, 1);
	lua_pushstring(L, text);
	lua_concat(L, 2);
	return lua_error(L);
}

/* ---- pcall and xpcall: as Lua's, but a fatal error passes through ---- */

static int finish_pcall(lua_State *L, int status, lua_KContext extra)
{
	if (status != LUA_OK && status != LUA_YIELD) {
		tc_sb_check_fatal(L, status);
		lua_pushboolean(L, 0);
		lua_pushvalue(L, -2);
		return 2;
	}
	return lua_gettop(L) - (int)extra;
}

static int sb_pcall(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_pushboolean(L, 1);  /* the first result when all goes well */
	lua_insert(L, 1);
	int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
	return finish_pcall(L, status, 0);
}

static int sb_xpcall(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2);  /* true, f above the handler, below the arguments */
	int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
	return finish_pcall(L, status, 2);
}

/* ---- coroutines: resume tracks the running thread for memory errors ---- */

/* Resumes co with narg values from L's top. Returns the number of results
 * moved to L, or -1 with the error object on L's top. Re-raises fatal errors. */
static int resume(lua_State *L, lua_State *co, int narg)
{
	tc_sandbox *sb = tc_sb_get(L);
	if (!lua_checkstack(co, narg)) {
		lua_pushliteral(L, "too many arguments to resume");
		return -1;
	}
	if (lua_status(co) == LUA_OK && lua_gettop(co) == 0) {
		lua_pushliteral(L, "cannot resume dead coroutine");
		return -1;
	}
	lua_xmove(L, co, narg);
	lua_State *prev = sb->running;
	sb->running = co;
	int nres = 0;
	int status = lua_resume(co, L, narg, &nres);
	sb->running = prev;
	if (status == LUA_OK || status == LUA_YIELD) {
		if (!lua_checkstack(L, nres + 1)) {
			lua_pop(co, nres);
			lua_pushliteral(L, "too many results to resume");
			return -1;
		}
		lua_xmove(co, L, nres);
		return nres;
	}
	lua_xmove(co, L, 1);
	tc_sb_check_fatal(L, status);
	return -1;
}

static int sb_resume(lua_State *L)
{
	lua_State *co = lua_tothread(L, 1);
	luaL_argexpected(L, co, 1, "coroutine");
	int r = resume(L, co, lua_gettop(L) - 1);
	if (r < 0) {
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		return 2;
	}
	lua_pushboolean(L, 1);
	lua_insert(L, -(r + 1));
	return r + 1;
}

static int wrapped(lua_State *L)
{
	lua_State *co = lua_tothread(L, lua_upvalueindex(1));
	int r = resume(L, co, lua_gettop(L));
	if (r >= 0)
		return r;
	/* Close its pending to-be-closed variables, as Lua's wrap does; their
	 * handlers run under the budget too. */
	int status = lua_status(co);
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_State *prev = tc_sb_get(L)->running;
		tc_sb_get(L)->running = co;
		status = lua_resetthread(co);
		tc_sb_get(L)->running = prev;
		if (status != LUA_OK) {
			lua_pop(L, 1);
			lua_xmove(co, L, 1);
		}
		tc_sb_check_fatal(L, status);
	}
	if (lua_type(L, -1) == LUA_TSTRING) {
		luaL_where(L, 1);
		lua_insert(L, -2);
		lua_concat(L, 2);
	}
	return lua_error(L);
}

static int sb_wrap(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_State *co = lua_newthread(L);
	lua_pushvalue(L, 1);
	lua_xmove(L, co, 1);
	lua_pushcclosure(L, wrapped, 1);
	return 1;
}

/* What coroutine.status would say, for close's checks. */
static const char *co_status(lua_State *L, lua_State *co)
{
	if (L == co)
		return "running";
	switch (lua_status(co)) {
	case LUA_YIELD:
		return "suspended";
	case LUA_OK: {
		lua_Debug ar;
		if (lua_getstack(co, 0, &ar))
			return "normal";
		return lua_gettop(co) == 0 ? "dead" : "suspended";
	}
	default:
		return "dead";
	}
}

static int sb_close(lua_State *L)
{
	lua_State *co = lua_tothread(L, 1);
	luaL_argexpected(L, co, 1, "coroutine");
	const char *st = co_status(L, co);
	if (strcmp(st, "suspended") != 0 && strcmp(st, "dead") != 0)
		return luaL_error(L, "cannot close a %s coroutine", st);
	tc_sandbox *sb = tc_sb_get(L);
	lua_State *prev = sb->running;
	sb->running = co;
	int status = lua_resetthread(co);
	sb->running = prev;
	if (status == LUA_OK) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_xmove(co, L, 1);
	tc_sb_check_fatal(L, status);
	lua_pushboolean(L, 0);
	lua_insert(L, -2);
	return 2;
}

void tc_sb_open_control(lua_State *L)
{
	lua_pushglobaltable(L);
	lua_pushcfunction(L, sb_pcall);
	lua_setfield(L, -2, "pcall");
	lua_pushcfunction(L, sb_xpcall);
	lua_setfield(L, -2, "xpcall");
	lua_getfield(L, -1, LUA_COLIBNAME);
	lua_pushcfunction(L, sb_resume);
	lua_setfield(L, -2, "resume");
	lua_pushcfunction(L, sb_wrap);
	lua_setfield(L, -2, "wrap");
	lua_pushcfunction(L, sb_close);
	lua_setfield(L, -2, "close");
	lua_pop(L, 2);
}
