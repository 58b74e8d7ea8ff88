/*
 * The library set: base, table, string, math, utf8 and coroutine, less what
 * reaches outside the state or depends on the process (dofile, loadfile,
 * collectgarbage, warn, string.dump, math.randomseed); load for text chunks
 * with an explicit environment only; math.random from the run's stream; a
 * stable merge sort in place of table.sort, whose pivot Lua draws from the
 * clock; and a charge on the instruction budget for library functions whose
 * work grows with their arguments (the hook does not see C code).
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "script/internal.h"

void tc_sb_wrap(lua_State *L, int index, const char *name, lua_CFunction fn)
{
	index = lua_absindex(L, index);
	lua_getfield(L, index, name);
	assert(lua_iscfunction(L, -1));
	lua_pushcclosure(L, fn, 1);
	lua_setfield(L, index, name);
}

/* The original C function of a wrapper, called in the wrapper's own frame so
 * that its messages name the function the script called. */
static int call_original(lua_State *L)
{
	lua_CFunction orig = lua_tocfunction(L, lua_upvalueindex(1));
	assert(orig);
	return orig(L);
}

/* ---- charged library functions ---- */

/* Bytes of work worth one VM instruction. */
enum { BYTES_PER_INSTRUCTION = 64 };

/* What a charged function's work grows with, besides its strings. */
enum span { SPAN_NONE, SPAN_INSERT, SPAN_REMOVE, SPAN_MOVE, SPAN_CONCAT };

static uint64_t string_cost(lua_State *L, int i)
{
	return lua_type(L, i) == LUA_TSTRING ? lua_rawlen(L, i) / BYTES_PER_INSTRUCTION : 0;
}

static uint64_t distance(lua_Integer from, lua_Integer to)
{
	return to > from ? (uint64_t)to - (uint64_t)from : 0;
}

/* Elements a table function will move, from its arguments (raw lengths: no
 * metamethod runs twice). */
static uint64_t span_cost(lua_State *L, enum span span)
{
	int nargs = lua_gettop(L);
	lua_Integer n = lua_istable(L, 1) ? (lua_Integer)lua_rawlen(L, 1) : 0;
	switch (span) {
	case SPAN_INSERT:
		return nargs == 3 ? distance(lua_tointeger(L, 2), n + 1) : 0;
	case SPAN_REMOVE:
		return nargs >= 2 ? distance(lua_tointeger(L, 2), n) : 0;
	case SPAN_MOVE:
		return distance(lua_tointeger(L, 2), lua_tointeger(L, 3)) + 1;
	case SPAN_CONCAT:
		return distance(luaL_optinteger(L, 3, 1), luaL_optinteger(L, 4, n)) + 1;
	case SPAN_NONE:
		break;
	}
	return 0;
}

static int charged(lua_State *L)
{
	int nargs = lua_gettop(L);
	uint64_t cost = 1 + span_cost(L, (enum span)lua_tointeger(L, lua_upvalueindex(2)));
	for (int i = 1; i <= nargs; i++)
		cost += string_cost(L, i);
	int r = call_original(L);
	int top = lua_gettop(L);
	for (int i = top - r + 1; i <= top; i++)
		cost += 1 + string_cost(L, i);
	tc_sb_charge(L, cost);
	return r;
}

static void charge(lua_State *L, int lib, const char *name, enum span span)
{
	lib = lua_absindex(L, lib);
	lua_getfield(L, lib, name);
	assert(lua_iscfunction(L, -1));
	lua_pushinteger(L, span);
	lua_pushcclosure(L, charged, 2);
	lua_setfield(L, lib, name);
}

static void charge_all(lua_State *L, int lib, const char *const *names)
{
	for (; *names; names++)
		charge(L, lib, *names, SPAN_NONE);
}

/* ---- load: text only, explicit environment ---- */

static int sb_load(lua_State *L)
{
	if (lua_gettop(L) < 4)
		return luaL_error(L, "load: the environment (4th argument) is required in the sandbox: "
		                  "load(text, name, 't', env)");
	const char *mode = luaL_optstring(L, 3, "t");
	if (strcmp(mode, "t") != 0)
		return luaL_error(L, "load: only text chunks can be loaded (mode 't'), not '%s'", mode);
	lua_settop(L, 4);
	lua_pushliteral(L, "t");
	lua_replace(L, 3);
	int r = call_original(L);
	/* load reports a failure as nil and a message; memory is fatal. */
	if (r == 2 && lua_isnil(L, -2) && lua_type(L, -1) == LUA_TSTRING &&
	    strcmp(lua_tostring(L, -1), "not enough memory") == 0)
		tc_sb_check_fatal(L, LUA_ERRMEM);
	return r;
}

/* ---- math.random from the host's stream ---- */

/* The top nbits (1..64) bits of fresh uniform draws. */
static uint64_t random_bits(tc_sandbox *sb, int nbits)
{
	assert(nbits >= 1 && nbits <= 64);
	uint64_t r = 0;
	while (nbits > 0) {
		double u = sb->host.uniform(sb->host.ud);
		assert(u >= 0.0 && u < 1.0);
		uint64_t b53 = (uint64_t)ldexp(u, 53);
		int take = nbits < 53 ? nbits : 53;
		r = (take == 64 ? 0 : r << take) | (b53 >> (53 - take));
		nbits -= take;
	}
	return r;
}

/* A uniform integer in [lo, up]: the fewest bits that cover the range,
 * drawn again until they fall in it, so every value is exactly as likely. */
static lua_Integer random_range(tc_sandbox *sb, lua_Integer lo, lua_Integer up)
{
	uint64_t span = (uint64_t)up - (uint64_t)lo;
	if (span == 0)
		return lo;
	int nbits = 64;
	while (nbits > 1 && (span >> (nbits - 1)) == 0)
		nbits--;
	uint64_t r;
	do
		r = random_bits(sb, nbits);
	while (r > span);
	return (lua_Integer)((uint64_t)lo + r);
}

static int sb_random(lua_State *L)
{
	tc_sandbox *sb = tc_sb_get(L);
	lua_Integer lo, up;
	switch (lua_gettop(L)) {
	case 0:
		lua_pushnumber(L, (lua_Number)sb->host.uniform(sb->host.ud));
		return 1;
	case 1:
		lo = 1;
		up = luaL_checkinteger(L, 1);
		if (up == 0) {  /* math.random(0): an integer of 64 random bits */
			lua_pushinteger(L, (lua_Integer)random_bits(sb, 64));
			return 1;
		}
		luaL_argcheck(L, lo <= up, 1, "interval is empty");
		break;
	case 2:
		lo = luaL_checkinteger(L, 1);
		up = luaL_checkinteger(L, 2);
		luaL_argcheck(L, lo <= up, 2, "interval is empty");
		break;
	default:
		return luaL_error(L, "wrong number of arguments");
	}
	lua_pushinteger(L, random_range(sb, lo, up));
	return 1;
}

static int sb_randomseed(lua_State *L)
{
	return luaL_error(L, "math.randomseed is not available: math.random draws from the run's "
	                  "seeded stream");
}

/* ---- table.sort: a stable merge sort, the same order in every process ---- */

/* a < b with the comparator at index 2, or the < operator. */
static int less(lua_State *L, int a, int b)
{
	if (lua_isnil(L, 2))
		return lua_compare(L, a, b, LUA_OPLT);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, a);
	lua_pushvalue(L, b);
	lua_call(L, 2, 1);
	int r = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return r;
}

/* Merges src[lo..mid) and src[mid..hi) into dst (both raw arrays). */
static void merge(lua_State *L, int src, int dst, lua_Integer lo, lua_Integer mid, lua_Integer hi)
{
	lua_Integer i = lo, j = mid;
	for (lua_Integer k = lo; k < hi; k++) {
		int take_right = 0;
		if (i < mid && j < hi) {
			lua_rawgeti(L, src, j);
			lua_rawgeti(L, src, i);
			take_right = less(L, -2, -1);  /* right < left: the right one first */
			lua_pop(L, 2);
		} else {
			take_right = i >= mid;
		}
		lua_rawgeti(L, src, take_right ? j++ : i++);
		lua_rawseti(L, dst, k);
	}
}

static int sb_sort(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = luaL_len(L, 1);
	if (n < 2)
		return 0;
	luaL_argcheck(L, n < INT_MAX, 1, "array too big");
	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	tc_sb_charge(L, (uint64_t)n * (1 + (uint64_t)log2((double)n)));
	lua_createtable(L, (int)n, 0);
	lua_createtable(L, (int)n, 0);
	int a = 3, b = 4;
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, 1, i);
		lua_rawseti(L, a, i);
	}
	for (lua_Integer width = 1; width < n; width *= 2) {
		for (lua_Integer lo = 1; lo <= n; lo += 2 * width) {
			lua_Integer mid = lo + width > n + 1 ? n + 1 : lo + width;
			lua_Integer hi = lo + 2 * width > n + 1 ? n + 1 : lo + 2 * width;
			merge(L, a, b, lo, mid, hi);
		}
		int t = a;
		a = b;
		b = t;
	}
	/* The table changes only once every comparison has succeeded. */
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, a, i);
		lua_seti(L, 1, i);
	}
	return 0;
}

/* ---- opening ---- */

static void remove_field(lua_State *L, int index, const char *name)
{
	index = lua_absindex(L, index);
	lua_pushnil(L);
	lua_setfield(L, index, name);
}

void tc_sb_open_libs(lua_State *L)
{
	static const char *const string_charged[] = {
		"byte", "char", "lower", "pack", "rep", "reverse", "sub", "unpack", "upper", NULL};
	static const char *const table_charged[] = {"pack", "unpack", NULL};
	static const char *const utf8_charged[] = {"char", "codepoint", "len", "offset", NULL};

	lua_pushglobaltable(L);
	int g = lua_gettop(L);
	remove_field(L, g, "dofile");
	remove_field(L, g, "loadfile");
	remove_field(L, g, "collectgarbage");
	remove_field(L, g, "warn");
	remove_field(L, g, LUA_GNAME);  /* each chunk's _G is its own table */
	tc_sb_wrap(L, g, "load", sb_load);
	charge(L, g, "select", SPAN_NONE);

	lua_getfield(L, g, LUA_STRLIBNAME);
	remove_field(L, -1, "dump");
	charge_all(L, lua_gettop(L), string_charged);
	lua_pop(L, 1);

	lua_getfield(L, g, LUA_TABLIBNAME);
	charge_all(L, lua_gettop(L), table_charged);
	charge(L, -1, "insert", SPAN_INSERT);
	charge(L, -1, "remove", SPAN_REMOVE);
	charge(L, -1, "move", SPAN_MOVE);
	charge(L, -1, "concat", SPAN_CONCAT);
	lua_pushcfunction(L, sb_sort);
	lua_setfield(L, -2, "sort");
	lua_pop(L, 1);

	lua_getfield(L, g, LUA_UTF8LIBNAME);
	charge_all(L, lua_gettop(L), utf8_charged);
	lua_pop(L, 1);

	lua_getfield(L, g, LUA_MATHLIBNAME);
	lua_pushcfunction(L, sb_random);
	lua_setfield(L, -2, "random");
	lua_pushcfunction(L, sb_randomseed);
	lua_setfield(L, -2, "randomseed");
	lua_pop(L, 2);
}
