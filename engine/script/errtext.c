/*
 * Text the sandbox shows: error messages and tracebacks (written into fixed
 * buffers, without allocating, so they work when memory is spent), tostring
 * with serials instead of addresses, print, and string.format's %p and %s.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "script/internal.h"

/* Traceback: the first levels and the last ones, as Lua's does. */
enum { TRACE_HEAD = 10, TRACE_TAIL = 11 };

static const char cut_mark[] = " [...]";

/* Appends to buf (holding *len bytes of n) what fits; a cut shows. */
static void add(char *buf, size_t n, size_t *len, const char *s, size_t slen)
{
	assert(n > sizeof cut_mark);
	if (*len >= n - 1)
		return;
	size_t room = n - 1 - *len;
	if (slen <= room) {
		memcpy(buf + *len, s, slen);
		*len += slen;
	} else {
		size_t keep = room >= sizeof cut_mark - 1 ? room - (sizeof cut_mark - 1) : 0;
		memcpy(buf + *len, s, keep);
		memcpy(buf + *len + keep, cut_mark, room - keep);
		*len = n - 1;
	}
	buf[*len] = '\0';
}

static void addf(char *buf, size_t n, size_t *len, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
static void addf(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	add(buf, n, len, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

void tc_sb_where(lua_State *L, int level, char *buf, size_t n)
{
	assert(n > 0);
	buf[0] = '\0';
	lua_Debug ar;
	for (int lv = level; lua_getstack(L, lv, &ar); lv++) {
		if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
			snprintf(buf, n, "%s:%d:", ar.short_src, ar.currentline);
			return;
		}
	}
}

/* The deepest level that exists (binary search: lua_getstack is linear in
 * the level, and a runaway recursion has hundreds of thousands). */
static int last_level(lua_State *L)
{
	lua_Debug ar;
	int lo = 0, hi = 1;
	while (lua_getstack(L, hi, &ar)) {
		lo = hi;
		if (hi > INT32_MAX / 2)
			break;
		hi *= 2;
	}
	while (lo + 1 < hi) {
		int mid = lo + (hi - lo) / 2;
		if (lua_getstack(L, mid, &ar))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void trace_level(lua_State *L, lua_Debug *ar, char *buf, size_t n, size_t *len)
{
	if (!lua_getinfo(L, "Slnt", ar))
		return;
	if (ar->currentline > 0)
		addf(buf, n, len, "\n\t%s:%d: in ", ar->short_src, ar->currentline);
	else
		addf(buf, n, len, "\n\t%s: in ", ar->short_src);
	if (ar->namewhat && *ar->namewhat)
		addf(buf, n, len, "%s '%s'", ar->namewhat, ar->name ? ar->name : "?");
	else if (*ar->what == 'm')
		addf(buf, n, len, "main chunk");
	else if (*ar->what == 'C')
		addf(buf, n, len, "a C function");
	else
		addf(buf, n, len, "function <%s:%d>", ar->short_src, ar->linedefined);
	if (ar->istailcall)
		addf(buf, n, len, "\n\t(...tail calls...)");
}

void tc_sb_traceback(lua_State *L, int level, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	add(buf, n, &len, "stack traceback:", 16);
	int last = last_level(L);
	lua_Debug ar;
	for (int lv = level; lv <= last && lua_getstack(L, lv, &ar); lv++) {
		if (lv == level + TRACE_HEAD && last - lv >= TRACE_TAIL) {
			int skip = last - lv - TRACE_TAIL + 1;
			addf(buf, n, &len, "\n\t...\t(skipping %d levels)", skip);
			lv += skip - 1;
			continue;
		}
		trace_level(L, &ar, buf, n, &len);
	}
}

/* ---- serials ---- */

uint64_t tc_sb_serial(lua_State *L, int index)
{
	tc_sandbox *sb = tc_sb_get(L);
	index = lua_absindex(L, index);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &tc_sb_key_serials);
	lua_pushvalue(L, index);
	lua_rawget(L, -2);
	if (lua_isinteger(L, -1)) {
		uint64_t s = (uint64_t)lua_tointeger(L, -1);
		lua_pop(L, 2);
		return s;
	}
	lua_pop(L, 1);
	uint64_t s = ++sb->next_serial;
	lua_pushvalue(L, index);
	lua_pushinteger(L, (lua_Integer)s);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	return s;
}

static int is_addressed(int type)
{
	return type == LUA_TTABLE || type == LUA_TFUNCTION || type == LUA_TUSERDATA ||
	       type == LUA_TTHREAD || type == LUA_TLIGHTUSERDATA;
}

/* The type name for "NAME: #N": __name when the metatable gives one. */
static const char *kind_name(lua_State *L, int index, char *buf, size_t n)
{
	const char *kind = luaL_typename(L, index);
	if (lua_getmetatable(L, index)) {
		lua_pushliteral(L, "__name");
		if (lua_rawget(L, -2) == LUA_TSTRING) {
			snprintf(buf, n, "%s", lua_tostring(L, -1));
			kind = buf;
		}
		lua_pop(L, 2);
	}
	return kind;
}

void tc_sb_tostring(lua_State *L, int index)
{
	index = lua_absindex(L, index);
	if (luaL_callmeta(L, index, "__tostring")) {
		if (!lua_isstring(L, -1) || lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "'__tostring' must return a string");
		return;
	}
	int type = lua_type(L, index);
	if (!is_addressed(type)) {
		luaL_tolstring(L, index, NULL);  /* nil, booleans, numbers, strings */
		return;
	}
	char name[64];
	const char *kind = kind_name(L, index, name, sizeof name);
	uint64_t s = tc_sb_serial(L, index);
	lua_pushfstring(L, "%s: #%I", kind, (lua_Integer)s);
}

static int sb_tostring(lua_State *L)
{
	luaL_checkany(L, 1);
	tc_sb_tostring(L, 1);
	return 1;
}

/* ---- tc_sandbox_describe: no metamethod, no allocation failure seen ---- */

static int serial_of(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)tc_sb_serial(L, 1));
	return 1;
}

/* A float as Lua's tostring writes it ("1.0", not "1"). */
static void add_float(char *buf, size_t n, size_t *len, lua_Number x)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, LUA_NUMBER_FMT, (LUAI_UACNUMBER)x);
	if (tmp[strspn(tmp, "-0123456789")] == '\0')
		strcat(tmp, ".0");
	add(buf, n, len, tmp, strlen(tmp));
}

void tc_sandbox_describe(lua_State *L, int index, char *buf, size_t n)
{
	assert(buf && n > 0);
	index = lua_absindex(L, index);
	int type = lua_type(L, index);
	size_t len = 0;
	buf[0] = '\0';
	if (n < sizeof cut_mark + 1) {
		snprintf(buf, n, "%s", "?");
		return;
	}
	switch (type) {
	case LUA_TNONE:
	case LUA_TNIL:
		add(buf, n, &len, "nil", 3);
		return;
	case LUA_TBOOLEAN:
		add(buf, n, &len, lua_toboolean(L, index) ? "true" : "false", lua_toboolean(L, index) ? 4 : 5);
		return;
	case LUA_TNUMBER:
		if (lua_isinteger(L, index))
			addf(buf, n, &len, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, index));
		else
			add_float(buf, n, &len, lua_tonumber(L, index));
		return;
	case LUA_TSTRING: {
		size_t slen;
		const char *s = lua_tolstring(L, index, &slen);
		add(buf, n, &len, s, slen);
		return;
	}
	default:
		break;
	}
	char name[64];
	const char *kind = kind_name(L, index, name, sizeof name);
	/* The serial may need memory: ask for it in protected mode. */
	if (lua_checkstack(L, 2)) {
		lua_pushcfunction(L, serial_of);
		lua_pushvalue(L, index);
		if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
			addf(buf, n, &len, "%s: #%" PRId64, kind, (int64_t)lua_tointeger(L, -1));
			lua_pop(L, 1);
			return;
		}
		lua_pop(L, 1);
	}
	addf(buf, n, &len, "%s: #?", kind);
}

/* ---- the message handler of tc_sandbox_call ---- */

static int tostring_protected(lua_State *L)
{
	tc_sb_tostring(L, 1);
	return 1;
}

int tc_sb_msgh(lua_State *L)
{
	tc_sandbox *sb = tc_sb_get(L);
	if (sb->fatal || sb->have_error)
		return 1;
	size_t len = 0;
	int type = lua_type(L, 1);
	if (type == LUA_TSTRING) {
		size_t slen;
		const char *s = lua_tolstring(L, 1, &slen);
		add(sb->msg, sizeof sb->msg, &len, s, slen);
	} else {
		char where[256];
		tc_sb_where(L, 1, where, sizeof where);
		if (where[0])
			addf(sb->msg, sizeof sb->msg, &len, "%s ", where);
		char desc[128];
		tc_sandbox_describe(L, 1, desc, sizeof desc);
		int has_meta = luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL;
		if (has_meta)
			lua_pop(L, 1);
		if (type == LUA_TNUMBER) {
			add(sb->msg, sizeof sb->msg, &len, desc, strlen(desc));
		} else if (!has_meta) {
			addf(sb->msg, sizeof sb->msg, &len, "(error object is a %s value%s%s)",
			     luaL_typename(L, 1), is_addressed(type) ? " " : "",
			     is_addressed(type) ? strchr(desc, '#') : "");
		} else {
			/* A hostile __tostring runs under the budget, protected. */
			lua_pushcfunction(L, tostring_protected);
			lua_pushvalue(L, 1);
			if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
				size_t slen;
				const char *s = lua_tolstring(L, -1, &slen);
				add(sb->msg, sizeof sb->msg, &len, s, slen);
			} else if (!sb->fatal) {
				addf(sb->msg, sizeof sb->msg, &len,
				     "(error object is a %s value whose __tostring failed)", luaL_typename(L, 1));
			}
			lua_pop(L, 1);
			if (sb->fatal)
				return 1;  /* the budget ran out in __tostring: that is the error */
		}
	}
	tc_sb_traceback(L, 1, sb->trace, sizeof sb->trace);
	sb->have_error = 1;
	return 1;
}

/* ---- print ---- */

static int sb_print(lua_State *L)
{
	tc_sandbox *sb = tc_sb_get(L);
	int n = lua_gettop(L);
	/* Every argument's text first: a __tostring may print too. */
	luaL_checkstack(L, n, "too many arguments to print");
	for (int i = 1; i <= n; i++)
		tc_sb_tostring(L, i);
	char line[TC_SANDBOX_PRINT_MAX + 1];
	size_t len = 0;
	for (int i = 1; i <= n; i++) {
		size_t slen;
		const char *s = lua_tolstring(L, n + i, &slen);
		if (i > 1)
			add(line, sizeof line, &len, "\t", 1);
		add(line, sizeof line, &len, s, slen);
	}
	tc_sb_charge(L, 1 + len / 64);
	if (sb->host.print && sb->host.print(sb->host.ud, line, len) != 0)
		return tc_sandbox_raise(L, 1, "output limit reached");
	return 0;
}

/* ---- string.format: %p and %s never show an address ---- */

static int sb_format(lua_State *L)
{
	size_t flen;
	const char *f = luaL_checklstring(L, 1, &flen);
	int arg = 1;
	char *copy = NULL;
	for (size_t i = 0; i < flen; i++) {
		if (f[i] != '%')
			continue;
		if (++i < flen && f[i] == '%')
			continue;
		while (i < flen && strchr("-+ #0123456789.", f[i]))
			i++;
		if (i >= flen)
			break;
		arg++;
		if (lua_type(L, arg) == LUA_TNONE)
			break;  /* Lua's format says which argument is missing */
		if (f[i] == 'p') {
			if (!copy) {
				copy = lua_newuserdatauv(L, flen + 1, 0);
				memcpy(copy, f, flen + 1);
				lua_replace(L, 1);  /* anchors the copy; the string goes in at the end */
				f = copy;
			}
			copy[i] = 's';
			if (is_addressed(lua_type(L, arg)) || lua_type(L, arg) == LUA_TSTRING)
				lua_pushfstring(L, "#%I", (lua_Integer)tc_sb_serial(L, arg));
			else
				lua_pushliteral(L, "(null)");
			lua_replace(L, arg);
		} else if (f[i] == 's' && is_addressed(lua_type(L, arg))) {
			tc_sb_tostring(L, arg);
			lua_replace(L, arg);
		}
	}
	if (copy) {
		lua_pushlstring(L, copy, flen);
		lua_replace(L, 1);
	}
	lua_CFunction orig = lua_tocfunction(L, lua_upvalueindex(1));
	int r = orig(L);
	if (r == 1 && lua_type(L, -1) == LUA_TSTRING)
		tc_sb_charge(L, 1 + lua_rawlen(L, -1) / 64);
	return r;
}

void tc_sb_open_text(lua_State *L)
{
	lua_pushglobaltable(L);
	lua_pushcfunction(L, sb_tostring);
	lua_setfield(L, -2, "tostring");
	lua_pushcfunction(L, sb_print);
	lua_setfield(L, -2, "print");
	lua_getfield(L, -1, LUA_STRLIBNAME);
	tc_sb_wrap(L, -1, "format", sb_format);
	lua_pop(L, 2);
}
