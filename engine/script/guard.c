/*
 * Tampering. A library is frozen by handing scripts an empty proxy whose
 * locked metatable reads through to the real table and refuses writes; rawset
 * on a proxy is refused and rawget, rawlen, next and pairs read the real
 * table, so a frozen library still lists its functions. The base globals live
 * in a table no script can reach: each chunk has its own environment whose
 * missing names fall back to it, and assigning one of the base names there
 * is refused too. The string metatable is locked. setmetatable refuses __gc
 * and __mode.
 */
#include <assert.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "script/internal.h"

/* What getmetatable returns for everything the sandbox locks. */
#define LOCKED "locked"

const char tc_sb_key_envs = 0;
const char tc_sb_key_env_mt = 0;

int tc_sb_push_frozen(lua_State *L, int index)
{
	if (lua_type(L, index) != LUA_TTABLE)
		return 0;
	index = lua_absindex(L, index);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &tc_sb_key_frozen);
	lua_pushvalue(L, index);
	if (lua_rawget(L, -2) == LUA_TNIL) {
		lua_pop(L, 2);
		return 0;
	}
	lua_remove(L, -2);
	return 1;
}

/* The name of the frozen proxy at index (for messages). */
static const char *frozen_name(lua_State *L, int index)
{
	index = lua_absindex(L, index);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &tc_sb_key_names);
	lua_pushvalue(L, index);
	lua_rawget(L, -2);
	const char *name = lua_tostring(L, -1);  /* anchored in the names table */
	lua_pop(L, 2);
	return name ? name : "?";
}

static int frozen_write(lua_State *L)
{
	const char *name = frozen_name(L, 1);
	if (lua_type(L, 2) == LUA_TSTRING)
		return luaL_error(L, "cannot set '%s.%s': the library '%s' is read-only", name,
		                  lua_tostring(L, 2), name);
	return luaL_error(L, "cannot modify the library '%s': it is read-only", name);
}

static int frozen_len(lua_State *L)
{
	tc_sb_push_frozen(L, 1);
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
	return 1;
}

/* Makes the proxy of the table at t (pushed on top) and registers it. */
static void make_proxy(lua_State *L, int t, const char *name)
{
	lua_newtable(L);
	int p = lua_gettop(L);
	lua_createtable(L, 0, 4);
	lua_pushvalue(L, t);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, frozen_write);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, frozen_len);
	lua_setfield(L, -2, "__len");
	lua_pushliteral(L, LOCKED);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, p);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &tc_sb_key_frozen);
	lua_pushvalue(L, p);
	lua_pushvalue(L, t);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &tc_sb_key_names);
	lua_pushvalue(L, p);
	lua_pushstring(L, name);
	lua_rawset(L, -3);
	lua_pop(L, 1);
}

/* Replaces the table on top by its proxy, after freezing the tables it
 * holds (their fields become proxies too). seen maps each table frozen in
 * this pass to its proxy, so shared tables and cycles end. */
static void freeze(lua_State *L, int seen, const char *name)
{
	luaL_checkstack(L, 8, "tables nested too deeply to freeze");
	int t = lua_gettop(L);
	make_proxy(L, t, name);
	lua_pushvalue(L, t);
	lua_pushvalue(L, -2);
	lua_rawset(L, seen);
	lua_pushnil(L);
	while (lua_next(L, t)) {
		if (!lua_istable(L, -1)) {
			lua_pop(L, 1);
			continue;
		}
		if (tc_sb_push_frozen(L, -1)) {
			lua_pop(L, 2);  /* a proxy already */
			continue;
		}
		lua_pushvalue(L, -1);
		if (lua_rawget(L, seen) == LUA_TNIL) {
			lua_pop(L, 1);
			const char *field = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
			lua_pushfstring(L, "%s.%s", name, field);
			lua_insert(L, -2);
			freeze(L, seen, lua_tostring(L, -2));
			lua_remove(L, -2);  /* the name */
		} else {
			lua_remove(L, -2);  /* the table: its proxy stands in */
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, t);  /* an existing key: the traversal goes on */
	}
	lua_replace(L, t);
}

void tc_sb_freeze(lua_State *L, const char *name)
{
	assert(lua_istable(L, -1));
	lua_newtable(L);
	lua_insert(L, -2);
	freeze(L, lua_absindex(L, -2), name);
	lua_remove(L, -2);
}

/* ---- each chunk's environment ---- */

static int is_env(lua_State *L, int index)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &tc_sb_key_envs);
	lua_pushvalue(L, index);
	int yes = lua_rawget(L, -2) != LUA_TNIL;
	lua_pop(L, 2);
	return yes;
}

/* Refuses to shadow a base name from a chunk; other globals are its own. */
static void check_env_write(lua_State *L, int key)
{
	if (lua_type(L, key) != LUA_TSTRING)
		return;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &tc_sb_key_base);
	lua_pushvalue(L, key);
	int taken = lua_rawget(L, -2) != LUA_TNIL;
	lua_pop(L, 2);
	if (taken)
		luaL_error(L, "cannot assign the global '%s': the sandbox's base globals are read-only "
		           "(use a local)", lua_tostring(L, key));
}

static int env_write(lua_State *L)
{
	check_env_write(L, 2);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 0;
}

void tc_sb_new_env(lua_State *L)
{
	lua_createtable(L, 0, 1);
	lua_pushvalue(L, -1);
	lua_setfield(L, -2, LUA_GNAME);  /* _G is the chunk's own table */
	lua_rawgetp(L, LUA_REGISTRYINDEX, &tc_sb_key_env_mt);
	lua_setmetatable(L, -2);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &tc_sb_key_envs);
	lua_pushvalue(L, -2);
	lua_pushboolean(L, 1);
	lua_rawset(L, -3);
	lua_pop(L, 1);
}

/* ---- setmetatable and the raw functions ---- */

static int sb_setmetatable(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	int t = lua_type(L, 2);
	luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
	if (t == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "setmetatable: a metatable with __gc is refused "
			                  "(finalizers would run outside the instruction budget)");
		lua_pushliteral(L, "__mode");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "setmetatable: a metatable with __mode is refused "
			                  "(weak tables would make the run depend on the garbage collector)");
		lua_pop(L, 2);
	}
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

static int sb_rawset(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	if (tc_sb_push_frozen(L, 1)) {
		const char *name = frozen_name(L, 1);
		return luaL_error(L, "rawset: the library '%s' is read-only", name);
	}
	if (is_env(L, 1))
		check_env_write(L, 2);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 1;
}

static int sb_rawget(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	lua_settop(L, 2);
	if (tc_sb_push_frozen(L, 1))
		lua_replace(L, 1);
	lua_rawget(L, 1);
	return 1;
}

static int sb_rawlen(lua_State *L)
{
	int t = lua_type(L, 1);
	luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "table or string");
	if (tc_sb_push_frozen(L, 1))
		lua_replace(L, 1);
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
	return 1;
}

void tc_sb_open_guard(lua_State *L)
{
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &tc_sb_key_envs);
	lua_pushglobaltable(L);
	int g = lua_gettop(L);
	/* The environments' metatable, shared and locked. */
	lua_createtable(L, 0, 3);
	lua_pushvalue(L, g);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, env_write);
	lua_setfield(L, -2, "__newindex");
	lua_pushliteral(L, LOCKED);
	lua_setfield(L, -2, "__metatable");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &tc_sb_key_env_mt);

	lua_pushcfunction(L, sb_setmetatable);
	lua_setfield(L, g, "setmetatable");
	lua_pushcfunction(L, sb_rawset);
	lua_setfield(L, g, "rawset");
	lua_pushcfunction(L, sb_rawget);
	lua_setfield(L, g, "rawget");
	lua_pushcfunction(L, sb_rawlen);
	lua_setfield(L, g, "rawlen");

	/* The string metatable: getmetatable("") no longer hands it out. */
	lua_pushliteral(L, "");
	int ok = lua_getmetatable(L, -1);
	assert(ok);
	(void)ok;
	lua_pushliteral(L, LOCKED);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 3);
}
