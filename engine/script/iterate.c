/*
 * Canonical iteration. Lua's own next walks a table in hash order, and the
 * string hash is seeded per process: two runs of the same scenario would see
 * pairs in different orders. Here next and pairs give number keys in
 * ascending order, then string keys in bytewise order; any other key type is
 * an error naming it. pairs takes a sorted snapshot of the keys (keys added
 * during the loop are not visited, keys set to nil are skipped); next finds
 * the successor by a scan, so a loop of next alone is quadratic: use pairs.
 * A __pairs metamethod is honoured, as in Lua: its iterator is the script's
 * own code, built on these.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "script/internal.h"

typedef struct key {
	int is_string;
	int is_int;
	lua_Integer i;
	lua_Number d;
	const char *s;
	size_t len;
	lua_Integer slot;   /* index in the Lua table of the keys */
} key;

/* i < d exactly, for a float d that is not an integer in range. */
static int int_lt_float(lua_Integer i, lua_Number d)
{
	if (d >= 0x1p63)
		return 1;
	if (d < -0x1p63)
		return 0;
	return (lua_Number)i < d ? 1 : (lua_Number)i > d ? 0 : i < (lua_Integer)floor(d);
}

static int float_lt_int(lua_Number d, lua_Integer i)
{
	if (d >= 0x1p63)
		return 0;
	if (d < -0x1p63)
		return 1;
	return d < (lua_Number)i ? 1 : d > (lua_Number)i ? 0 : (lua_Integer)ceil(d) < i;
}

static int key_cmp(const key *a, const key *b)
{
	if (a->is_string != b->is_string)
		return a->is_string ? 1 : -1;
	if (a->is_string) {
		size_t m = a->len < b->len ? a->len : b->len;
		int c = memcmp(a->s, b->s, m);
		if (c)
			return c;
		return a->len < b->len ? -1 : a->len > b->len;
	}
	if (a->is_int && b->is_int)
		return a->i < b->i ? -1 : a->i > b->i;
	if (!a->is_int && !b->is_int)
		return a->d < b->d ? -1 : a->d > b->d;
	if (a->is_int)
		return int_lt_float(a->i, b->d) ? -1 : 1;
	return float_lt_int(a->d, b->i) ? -1 : 1;
}

static int key_qcmp(const void *a, const void *b)
{
	return key_cmp(a, b);
}

/* Reads the key at index into k, or raises an error naming its type. */
static void read_key(lua_State *L, int index, key *k, const char *fn)
{
	memset(k, 0, sizeof *k);
	switch (lua_type(L, index)) {
	case LUA_TNUMBER:
		k->is_int = lua_isinteger(L, index);
		if (k->is_int)
			k->i = lua_tointeger(L, index);
		else
			k->d = lua_tonumber(L, index);
		return;
	case LUA_TSTRING:
		k->is_string = 1;
		k->s = lua_tolstring(L, index, &k->len);
		return;
	default:
		luaL_error(L, "%s: cannot order a key of type %s (only number and string keys "
		           "iterate in a deterministic order)", fn, luaL_typename(L, index));
	}
}

/* The table to walk: the real one behind a frozen library. Leaves it on top. */
static int target(lua_State *L, int index)
{
	luaL_checktype(L, index, LUA_TTABLE);
	if (!tc_sb_push_frozen(L, index))
		lua_pushvalue(L, index);
	return lua_gettop(L);
}

static int sb_next(lua_State *L)
{
	lua_settop(L, 2);
	int t = target(L, 1);
	int have_after = !lua_isnil(L, 2);
	key after, best, k;
	if (have_after)
		read_key(L, 2, &after, "next");
	int found = 0;
	uint64_t n = 0;
	lua_pushnil(L);  /* slot 4: the best key so far */
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		n++;
		read_key(L, -1, &k, "next");
		if (have_after && key_cmp(&k, &after) <= 0)
			continue;
		if (!found || key_cmp(&k, &best) < 0) {
			best = k;
			found = 1;
			lua_pushvalue(L, -1);
			lua_replace(L, 4);
		}
	}
	tc_sb_charge(L, 1 + n / 8);
	if (!found) {
		lua_pushnil(L);
		return 1;
	}
	lua_settop(L, 4);
	lua_pushvalue(L, 4);
	lua_rawget(L, t);
	return 2;
}

/* The iterator of pairs: upvalues are the sorted keys and the position. */
static int pairs_step(lua_State *L)
{
	lua_Integer pos = lua_tointeger(L, lua_upvalueindex(2));
	lua_Integer n = (lua_Integer)lua_rawlen(L, lua_upvalueindex(1));
	int t = target(L, 1);
	while (pos < n) {
		pos++;
		lua_rawgeti(L, lua_upvalueindex(1), pos);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, t) != LUA_TNIL) {
			lua_pushinteger(L, pos);
			lua_replace(L, lua_upvalueindex(2));
			return 2;
		}
		lua_pop(L, 2);  /* removed during the loop */
	}
	lua_pushinteger(L, pos);
	lua_replace(L, lua_upvalueindex(2));
	lua_pushnil(L);
	return 1;
}

static int sb_pairs(lua_State *L)
{
	luaL_checkany(L, 1);
	if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
		lua_pushvalue(L, 1);
		lua_call(L, 1, 3);
		return 3;
	}
	lua_settop(L, 1);
	int t = target(L, 1);
	/* The keys, in a Lua table so that they stay alive while sorted. */
	lua_newtable(L);
	int ks = lua_gettop(L);
	lua_Integer n = 0;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, ks, ++n);
	}
	if (n > 1) {
		key *arr = lua_newuserdatauv(L, (size_t)n * sizeof *arr, 0);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, ks, i);
			read_key(L, -1, &arr[i - 1], "pairs");
			arr[i - 1].slot = i;
			lua_pop(L, 1);  /* the keys table keeps the string alive */
		}
		tc_sb_charge(L, (uint64_t)n * (1 + (uint64_t)log2((double)n)) / 4);
		qsort(arr, (size_t)n, sizeof *arr, key_qcmp);
		lua_createtable(L, (int)n, 0);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, ks, arr[i - 1].slot);
			lua_rawseti(L, -2, i);
		}
		ks = lua_gettop(L);
	} else if (n == 1) {
		key k;
		lua_rawgeti(L, ks, 1);
		read_key(L, -1, &k, "pairs");
		lua_pop(L, 1);
	}
	lua_pushvalue(L, ks);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, pairs_step, 2);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

void tc_sb_open_iterate(lua_State *L)
{
	lua_pushglobaltable(L);
	lua_pushcfunction(L, sb_next);
	lua_setfield(L, -2, "next");
	lua_pushcfunction(L, sb_pairs);
	lua_setfield(L, -2, "pairs");
	lua_pop(L, 1);
}
