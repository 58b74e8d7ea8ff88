/* The Lua sandbox: budgets, the library set, determinism, tampering, error
 * text. Hostile scripts assert the exact fragments of their error and that
 * the sandbox still works afterwards. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "core/alloc.h"
#include "core/error.h"
#include "script/sandbox.h"

/* ---- a host: a fixed uniform stream and a captured output ---- */

typedef struct host {
	const double *draws;    /* cycled; NULL: 0.5 */
	size_t ndraws, next;
	char out[1 << 16];
	size_t out_len;
	int lines, max_lines;   /* max_lines 0: unlimited */
} host;

static double host_uniform(void *ud)
{
	host *h = ud;
	if (!h->draws)
		return 0.5;
	return h->draws[h->next++ % h->ndraws];
}

static int host_print(void *ud, const char *line, size_t len)
{
	host *h = ud;
	if (h->max_lines && h->lines >= h->max_lines)
		return 1;
	h->lines++;
	if (h->out_len + len + 1 < sizeof h->out) {
		memcpy(h->out + h->out_len, line, len);
		h->out_len += len;
		h->out[h->out_len++] = '\n';
		h->out[h->out_len] = '\0';
	}
	return 0;
}

static tc_sandbox *open_sb(host *h, size_t memory, uint64_t instructions)
{
	tc_sandbox_limits lim = {memory, instructions};
	tc_sandbox_host hh = {host_uniform, host_print, h};
	tc_sandbox *sb = NULL;
	assert_int_equal(tc_sandbox_new(&sb, tc_alloc_default(), &lim, &hh), TC_OK);
	assert_int_equal(tc_sandbox_seal(sb), TC_OK);
	return sb;
}

/* Small budgets keep the hostile cases fast under the sanitizers. */
static tc_sandbox *small_sb(host *h)
{
	memset(h, 0, sizeof *h);
	return open_sb(h, 4 << 20, 200000);
}

/* Loads and runs src as chunk "t.lua"; returns the code. */
static int run(tc_sandbox *sb, const char *src)
{
	int rc = tc_sandbox_load(sb, "t.lua", src, strlen(src));
	if (rc != TC_OK)
		return rc;
	return tc_sandbox_call(sb, 0, 0, "test");
}

static void must_run(tc_sandbox *sb, const char *src)
{
	int rc = run(sb, src);
	if (rc != TC_OK)
		fail_msg("script failed: %s", tc_sandbox_error(sb));
}

static void assert_has(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("expected \"%s\" in:\n%s", part, text);
}

/* Runs src, which must fail with code rc; returns the error text. */
static const char *must_fail(tc_sandbox *sb, const char *src, int rc)
{
	int got = run(sb, src);
	if (got != rc)
		fail_msg("expected code %d, got %d: %s", rc, got, tc_sandbox_error(sb));
	return tc_sandbox_error(sb);
}

/* The sandbox still works after a failure. */
static void still_usable(tc_sandbox *sb)
{
	lua_State *L = tc_sandbox_lua(sb);
	const char *src = "local t = {} for i = 1, 100 do t[i] = i end return #t + 1";
	assert_int_equal(tc_sandbox_load(sb, "after.lua", src, strlen(src)), TC_OK);
	assert_int_equal(tc_sandbox_call(sb, 0, 1, "after"), TC_OK);
	assert_int_equal(lua_tointeger(L, -1), 101);
	lua_pop(L, 1);
	assert_int_equal(lua_gettop(L), 0);
}

/* Runs src returning one string; returns a static copy. */
static const char *eval(tc_sandbox *sb, const char *src)
{
	static char buf[8192];
	lua_State *L = tc_sandbox_lua(sb);
	if (tc_sandbox_load(sb, "t.lua", src, strlen(src)) != TC_OK ||
	    tc_sandbox_call(sb, 0, 1, "eval") != TC_OK)
		fail_msg("script failed: %s", tc_sandbox_error(sb));
	size_t len;
	const char *s = lua_tolstring(L, -1, &len);
	assert_non_null(s);
	snprintf(buf, sizeof buf, "%s", s);
	lua_pop(L, 1);
	return buf;
}

/* ---- basics ---- */

static void runs_and_returns(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	assert_string_equal(eval(sb, "return ('x'):rep(3) .. #{1, 2}"), "xxx2");
	must_run(sb, "print('a', 1, nil, true, 2.5)");
	assert_string_equal(h.out, "a\t1\tnil\ttrue\t2.5\n");
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void syntax_error_names_the_file(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *src = "x = = 1";
	assert_int_equal(tc_sandbox_load(sb, "inj.lua", src, strlen(src)), TC_ESCRIPT);
	assert_has(tc_sandbox_error(sb), "inj.lua:1:");
	assert_has(tc_sandbox_error(sb), "unexpected symbol near '='");
	assert_int_equal(lua_gettop(tc_sandbox_lua(sb)), 0);
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void runtime_error_format(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "local function f()\n  error('boom')\nend\nf()\n", TC_ESCRIPT);
	assert_has(e, "t.lua:2: boom (in test)\nstack traceback:\n");
	assert_has(e, "t.lua:2: in ");
	assert_has(e, "t.lua:4: in main chunk");
	still_usable(sb);
	tc_sandbox_free(sb);
}

/* ---- budgets ---- */

static void infinite_loop_is_stopped(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "local x = 0\nwhile true do x = x + 1 end\n", TC_ESCRIPT);
	assert_has(e, "t.lua:2: instruction budget of 200000 spent (in test)");
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void infinite_loop_in_pcall(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "print(pcall(function()\n while true do end\n end))\n"
	                              "while true do end", TC_ESCRIPT);
	assert_has(e, "t.lua:2: instruction budget of 200000 spent (in test)");
	assert_int_equal(h.lines, 0);
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void infinite_loop_in_coroutine_in_pcall(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "local co = coroutine.create(function()\n"
	                              "  while true do end\nend)\n"
	                              "print(pcall(coroutine.resume, co))\nprint('escaped')",
	                          TC_ESCRIPT);
	assert_has(e, "t.lua:2: instruction budget of 200000 spent (in test)");
	assert_int_equal(h.lines, 0);
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void memory_bomb(void **state)
{
	(void)state;
	host h;
	memset(&h, 0, sizeof h);
	tc_sandbox *sb = open_sb(&h, 4 << 20, 0);
	const char *e = must_fail(sb, "local t = {}\nfor i = 1, 1e9 do t[i] = i end\n", TC_ENOMEM);
	assert_has(e, "t.lua:2: memory budget of 4194304 bytes spent (in test)");
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void memory_bombs_elsewhere(void **state)
{
	(void)state;
	host h;
	memset(&h, 0, sizeof h);
	tc_sandbox *sb = open_sb(&h, 4 << 20, 0);
	/* In a coroutine, under pcall: the place is the coroutine's. */
	const char *e = must_fail(sb, "print(pcall(coroutine.wrap(function()\n"
	                              "  local t = {}\n  for i = 1, 1e9 do t[i] = i end\nend)))",
	                          TC_ENOMEM);
	assert_has(e, "t.lua:3: memory budget of 4194304 bytes spent (in test)");
	assert_int_equal(h.lines, 0);
	still_usable(sb);
	/* load reports memory as nil and a message: still fatal. */
	e = must_fail(sb, "local big = 'return {' .. string.rep('1.5,', 5e5) .. '}'\n"
	                  "print(load(big, 'big', 't', {}))", TC_ENOMEM);
	assert_has(e, "memory budget of 4194304 bytes spent");
	assert_int_equal(h.lines, 0);
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void string_rep_bomb(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "local ok = pcall(string.rep, 'x', 1e9)\nprint('caught', ok)",
	                          TC_ENOMEM);
	assert_has(e, "t.lua:1: memory budget of 4194304 bytes spent (in test)");
	assert_int_equal(h.lines, 0);
	still_usable(sb);
	tc_sandbox_free(sb);
}


/* ---- hostile scripts: forbidden libraries and functions ---- */

static void forbidden_names_are_absent(void **state)
{
	(void)state;
	static const struct {
		const char *src, *err;
	} cases[] = {
		{"io.write('x')", "t.lua:1: attempt to index a nil value (global 'io')"},
		{"os.exit(1)", "t.lua:1: attempt to index a nil value (global 'os')"},
		{"return package.loaded", "t.lua:1: attempt to index a nil value (global 'package')"},
		{"require('os')", "t.lua:1: attempt to call a nil value (global 'require')"},
		{"debug.sethook()", "t.lua:1: attempt to index a nil value (global 'debug')"},
		{"dofile('/etc/passwd')", "t.lua:1: attempt to call a nil value (global 'dofile')"},
		{"loadfile('/etc/passwd')", "t.lua:1: attempt to call a nil value (global 'loadfile')"},
		{"collectgarbage('count')", "t.lua:1: attempt to call a nil value (global 'collectgarbage')"},
		{"string.dump(print)", "t.lua:1: attempt to call a nil value (field 'dump')"},
		{"warn('@on')", "t.lua:1: attempt to call a nil value (global 'warn')"},
		{"math.randomseed(42)", "t.lua:1: math.randomseed is not available: math.random draws "
		                        "from the run's seeded stream (in test)"},
	};
	host h;
	tc_sandbox *sb = small_sb(&h);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_has(must_fail(sb, cases[i].src, TC_ESCRIPT), cases[i].err);
		still_usable(sb);
	}
	tc_sandbox_free(sb);
}

static void bytecode_is_refused(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	/* string.dump is gone: a hand-made header is enough to ask. */
	const char *e = must_fail(sb, "local f, err = load('\\27Lua\\84\\0', 'b', 't', {})\n"
	                              "error(err, 0)", TC_ESCRIPT);
	assert_has(e, "attempt to load a binary chunk (mode is 't')");
	still_usable(sb);
	e = must_fail(sb, "load('\\27Lua', 'b', 'b', {})", TC_ESCRIPT);
	assert_has(e, "t.lua:1: load: only text chunks can be loaded (mode 't'), not 'b'");
	e = must_fail(sb, "load('\\27Lua', 'b', 'bt', {})", TC_ESCRIPT);
	assert_has(e, "not 'bt'");
	const char bin[] = "\x1bLua\x54\x00";
	assert_int_equal(tc_sandbox_load(sb, "bin.lua", bin, sizeof bin - 1), TC_ESCRIPT);
	assert_has(tc_sandbox_error(sb), "attempt to load a binary chunk (mode is 't')");
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void load_needs_an_environment(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "local f = load('return string')\nreturn f()", TC_ESCRIPT);
	assert_has(e, "t.lua:1: load: the environment (4th argument) is required in the sandbox: "
	              "load(text, name, 't', env) (in test)");
	still_usable(sb);
	/* With one, it works, and sees only what it is given. */
	assert_string_equal(eval(sb, "local f = load('return x .. type(string)', 'c', 't', {x = 'a'})\n"
	                             "return (pcall(f)) and 'ok' or select(2, pcall(f))"),
	                    "[string \"c\"]:1: attempt to call a nil value (global 'type')");
	assert_string_equal(eval(sb, "return load('return x', 'c', 't', {x = 'a'})()"), "a");
	tc_sandbox_free(sb);
}

/* ---- hostile scripts: tampering ---- */

static void string_metatable_is_locked(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	assert_string_equal(eval(sb, "return tostring(getmetatable(''))"), "locked");
	const char *e = must_fail(sb, "getmetatable('').__index = {upper = print}", TC_ESCRIPT);
	assert_has(e, "t.lua:1: attempt to index a string value");
	e = must_fail(sb, "setmetatable('', {})", TC_ESCRIPT);
	assert_has(e, "bad argument #1 to 'setmetatable' (table expected, got string)");
	still_usable(sb);
	assert_string_equal(eval(sb, "return ('abc'):upper()"), "ABC");
	tc_sandbox_free(sb);
}

static void finalizers_and_weak_tables_are_refused(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "setmetatable({}, {__gc = function() while true do end end})",
	                          TC_ESCRIPT);
	assert_has(e, "t.lua:1: setmetatable: a metatable with __gc is refused (finalizers would "
	              "run outside the instruction budget) (in test)");
	still_usable(sb);
	/* A __gc added afterwards: Lua 5.4 marks objects for finalization only
	 * at setmetatable, so it never runs (not even in lua_close). */
	must_run(sb, "local mt = {}\nkeep = setmetatable({}, mt)\n"
	             "mt.__gc = function() print('finalized') end\n"
	             "assert(not pcall(setmetatable, {}, mt))");
	e = must_fail(sb, "local cache = setmetatable({}, {__mode = 'k'})", TC_ESCRIPT);
	assert_has(e, "t.lua:1: setmetatable: a metatable with __mode is refused (weak tables "
	              "would make the run depend on the garbage collector) (in test)");
	still_usable(sb);
	tc_sandbox_free(sb);
	assert_int_equal(h.lines, 0);
}

static void libraries_are_frozen(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "string.find = nil", TC_ESCRIPT);
	assert_has(e, "t.lua:1: cannot set 'string.find': the library 'string' is read-only (in test)");
	e = must_fail(sb, "table.evil = 1", TC_ESCRIPT);
	assert_has(e, "t.lua:1: cannot set 'table.evil': the library 'table' is read-only");
	e = must_fail(sb, "rawset(math, 'pi', 3)", TC_ESCRIPT);
	assert_has(e, "t.lua:1: rawset: the library 'math' is read-only");
	e = must_fail(sb, "setmetatable(coroutine, nil)", TC_ESCRIPT);
	assert_has(e, "t.lua:1: cannot change a protected metatable");
	e = must_fail(sb, "getmetatable(utf8).__index.char = nil", TC_ESCRIPT);
	assert_has(e, "t.lua:1: attempt to index a nil value (field '__index')");
	still_usable(sb);
	/* Still readable: pairs lists the functions, rawget reads through. */
	assert_string_equal(eval(sb, "local n = 0 for k, v in pairs(string) do n = n + 1 end\n"
	                             "return n .. ' ' .. type(rawget(string, 'find')) .. ' ' .. #string"
	                             " .. ' ' .. rawlen(table) .. ' ' .. tostring(math.pi):sub(1, 4)"),
	                    "16 function 0 0 3.14");
	assert_string_equal(eval(sb, "local n = 0 for i, v in ipairs(math) do n = n + 1 end return "
	                             "tostring(n) .. tostring(next(utf8))"),
	                    "0char");
	tc_sandbox_free(sb);
}

static void globals_are_per_chunk(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	must_run(sb, "_G.x = 1\ny = 2\nfunction f() return 3 end");
	assert_string_equal(eval(sb, "return tostring(x) .. tostring(y) .. tostring(f) .. "
	                             "tostring(_G == _ENV)"),
	                    "nilnilniltrue");
	const char *e = must_fail(sb, "print = function() end", TC_ESCRIPT);
	assert_has(e, "t.lua:1: cannot assign the global 'print': the sandbox's base globals are "
	              "read-only (use a local) (in test)");
	e = must_fail(sb, "rawset(_G, 'pairs', next)", TC_ESCRIPT);
	assert_has(e, "cannot assign the global 'pairs'");
	e = must_fail(sb, "setmetatable(_G, nil)", TC_ESCRIPT);
	assert_has(e, "cannot change a protected metatable");
	assert_string_equal(eval(sb, "return tostring(getmetatable(_G))"), "locked");
	still_usable(sb);
	assert_string_equal(eval(sb, "local print = 5 return tostring(print)"), "5");
	tc_sandbox_free(sb);
}

/* ---- hostile scripts: loops everywhere ---- */

static void loops_cannot_be_caught(void **state)
{
	(void)state;
	static const char *const cases[] = {
		/* nested pcall */
		"pcall(pcall, pcall, function()\n while true do end\nend)\nprint('escaped')",
		/* the handler of xpcall */
		"xpcall(error, function()\n while true do end\nend)\nprint('escaped')",
		/* a coroutine */
		("local co = coroutine.create(function()\n while true do end\nend)\n"
		 "print(coroutine.resume(co))"),
		/* coroutine.wrap inside pcall */
		"print(pcall(coroutine.wrap(function()\n while true do end\nend)))",
		/* a coroutine that catches inside itself */
		("print(coroutine.resume(coroutine.create(function()\n"
		 " pcall(function() while true do end end)\n"
		 " coroutine.yield(1)\nend)))"),
		/* a to-be-closed variable's handler */
		("do local x <close> = setmetatable({}, {__close = function()\n"
		 " while true do end\nend}) end"),
		/* coroutine.close runs pending __close handlers */
		("local co = coroutine.create(function()\n local x <close> = setmetatable({},\n"
		 " {__close = function() while true do end end})\n coroutine.yield()\nend)\n"
		 "coroutine.resume(co)\nprint(coroutine.close(co))"),
		/* load of a looping chunk */
		"pcall(load('while true do end', 'inner', 't', {}))\nprint('escaped')",
		/* a comparator of table.sort */
		"print(pcall(table.sort, {3, 2, 1}, function(a, b)\n while true do end\nend))",
		/* a gsub callback */
		"print(pcall(string.gsub, 'abc', '.', function()\n while true do end\nend))",
	};
	host h;
	tc_sandbox *sb = small_sb(&h);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *e = must_fail(sb, cases[i], TC_ESCRIPT);
		if (!strstr(e, "instruction budget of 200000 spent (in test)"))
			fail_msg("case %zu: %s", i, e);
		assert_int_equal(h.lines, 0);
		still_usable(sb);
	}
	tc_sandbox_free(sb);
}

static void budget_error_names_the_line(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "local co = coroutine.wrap(function()\n"
	                              "  local n = 0\n  while true do\n    n = n + 1\n  end\nend)\n"
	                              "pcall(co)\n", TC_ESCRIPT);
	assert_true(strstr(e, "t.lua:3: instruction budget") || strstr(e, "t.lua:4: instruction budget"));
	assert_has(e, "stack traceback:\n\tt.lua:");
	tc_sandbox_free(sb);
}

/* A coroutine killed by the budget dies inside the hook, where Lua turns
 * hooks off: its __close handlers must never run afterwards. */
static void dead_coroutines_run_no_close_handlers(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	lua_State *L = tc_sandbox_lua(sb);
	const char *e = must_fail(sb, "local f = coroutine.wrap(function()\n"
	                              "  local x <close> = setmetatable({}, {__close = function()\n"
	                              "    while true do end end})\n"
	                              "  while true do end\nend)\nf()", TC_ESCRIPT);
	assert_has(e, "t.lua:4: instruction budget of 200000 spent (in test)");
	still_usable(sb);
	/* The same coroutine, closed by a later call. */
	const char *src = "co = coroutine.create(function()\n"
	                  "  local x <close> = setmetatable({}, {__close = function()\n"
	                  "    while true do end end})\n"
	                  "  while true do end\nend)\n"
	                  "coroutine.resume(co)";
	assert_int_equal(tc_sandbox_load(sb, "mk.lua", src, strlen(src)), TC_OK);
	lua_pushvalue(L, -1);
	int chunk = luaL_ref(L, LUA_REGISTRYINDEX);
	assert_int_equal(tc_sandbox_call(sb, 0, 0, "make"), TC_ESCRIPT);
	assert_has(tc_sandbox_error(sb), "mk.lua:4: instruction budget");
	lua_rawgeti(L, LUA_REGISTRYINDEX, chunk);
	lua_getupvalue(L, -1, 1);  /* the chunk's environment */
	lua_getfield(L, -1, "co");
	assert_int_equal(lua_type(L, -1), LUA_TTHREAD);
	lua_State *co = lua_tothread(L, -1);
	lua_pop(L, 3);
	const char *closer = "local co = ...\nprint(coroutine.close(co))\nprint(coroutine.status(co))";
	assert_int_equal(tc_sandbox_load(sb, "close.lua", closer, strlen(closer)), TC_OK);
	lua_pushthread(co);
	lua_xmove(co, L, 1);
	assert_int_equal(tc_sandbox_call(sb, 1, 0, "close"), TC_OK);
	assert_has(h.out, "false\tmk.lua:4: instruction budget of 200000 spent\ndead\n");
	luaL_unref(L, LUA_REGISTRYINDEX, chunk);
	tc_sandbox_free(sb);
}

/* A coroutine made in one call keeps the hook when resumed by a later one. */
static void coroutines_keep_the_hook_across_calls(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	lua_State *L = tc_sandbox_lua(sb);
	const char *src = "return coroutine.create(function() coroutine.yield() while true do end end)";
	assert_int_equal(tc_sandbox_load(sb, "mk.lua", src, strlen(src)), TC_OK);
	assert_int_equal(tc_sandbox_call(sb, 0, 1, "make"), TC_OK);
	int co = luaL_ref(L, LUA_REGISTRYINDEX);
	src = "local co = ...\ncoroutine.resume(co)\nprint(coroutine.resume(co))";
	for (int i = 0; i < 2; i++) {
		assert_int_equal(tc_sandbox_load(sb, "go.lua", src, strlen(src)), TC_OK);
		lua_rawgeti(L, LUA_REGISTRYINDEX, co);
		int rc = tc_sandbox_call(sb, 1, 0, "resume");
		if (i == 0) {
			assert_int_equal(rc, TC_ESCRIPT);
			assert_has(tc_sandbox_error(sb), "mk.lua:1: instruction budget of 200000 spent (in resume)");
		} else {
			assert_int_equal(rc, TC_OK);  /* dead by now: resume says so */
		}
	}
	assert_string_equal(h.out, "false\tcannot resume dead coroutine\n");
	luaL_unref(L, LUA_REGISTRYINDEX, co);
	tc_sandbox_free(sb);
}

/* One instruction comparing two long equal strings reads every byte: the
 * time limit ends what the instruction count cannot. */
static void heavy_instructions_meet_the_time_limit(void **state)
{
	(void)state;
	host h;
	memset(&h, 0, sizeof h);
	tc_sandbox_limits lim = {16 << 20, 0};
	tc_sandbox_host hh = {host_uniform, host_print, &h};
	tc_sandbox *sb = NULL;
	assert_int_equal(tc_sandbox_new(&sb, tc_alloc_default(), &lim, &hh), TC_OK);
	assert_int_equal(tc_sandbox_seal(sb), TC_OK);
	tc_sandbox_set_time_limit(sb, 0.2);
	const char *e = must_fail(sb, "local a = string.rep('x', 4e6)\n"
	                              "local b = string.rep('x', 4e6 - 1) .. 'x'\n"
	                              "while true do\n  local same = a == b\nend", TC_ESCRIPT);
	assert_has(e, "time limit of 0.2 s per call spent after ");
	assert_has(e, "(an instruction working on long strings or many values?) (in test)");
	still_usable(sb);
	tc_sandbox_free(sb);
}

/* ---- hostile scripts: memory and recursion ---- */

static void deep_recursion_overflows_cleanly(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"local function f(n) return 1 + f(n + 1) end\nf(1)",
		"local t = setmetatable({}, {__index = function(t, k) return t[k] end})\nreturn t.x",
		"local function f(s) return (s:gsub('.', f)) end\nf('ab')",
		"local function f() local ok, e = pcall(f) if not ok then error(e, 0) end end\nf()",
		("local t = setmetatable({}, {__tostring = function(t) return tostring(t) end})\n"
		 "print(t)"),
		"local co\nco = function() return coroutine.wrap(co)() end\nco()",
	};
	host h;
	memset(&h, 0, sizeof h);
	tc_sandbox *sb = open_sb(&h, 64 << 20, 50u * 1000 * 1000);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *e = must_fail(sb, cases[i], TC_ESCRIPT);
		if (!strstr(e, "stack overflow"))
			fail_msg("case %zu: %s", i, e);
		still_usable(sb);
	}
	tc_sandbox_free(sb);
}

static void pathological_patterns_are_refused(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "return string.find(string.rep('a', 5000), "
	                              "string.rep('a*', 20) .. 'b')", TC_ESCRIPT);
	assert_has(e, "t.lua:1: string.find: pattern too costly for this subject: up to ");
	assert_has(e, "steps on 5000 bytes (the sandbox allows 1e+08; see docs/security.md)");
	still_usable(sb);
	e = must_fail(sb, "local s = string.rep('a', 3000)\nreturn s:match('(a-)(a-)(a-)$')", TC_ESCRIPT);
	assert_has(e, "t.lua:2: string.match: pattern too costly");
	e = must_fail(sb, "for w in string.rep('x', 4000):gmatch('x*x*x*y') do end", TC_ESCRIPT);
	assert_has(e, "string.gmatch: pattern too costly");
	e = must_fail(sb, "return (string.rep(' ', 9000)):gsub('%s*%s*%s*x', '')", TC_ESCRIPT);
	assert_has(e, "string.gsub: pattern too costly");
	e = must_fail(sb, "return ('x'):find(string.rep('x', 513))", TC_ESCRIPT);
	assert_has(e, "string.find: pattern of 513 bytes refused (at most 512 in the sandbox)");
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void ordinary_patterns_pass(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	/* 2 KB of words and spaces, squeezed. */
	assert_string_equal(eval(sb, "local t = {} for i = 1, 400 do t[i] = 'w' .. i end\n"
	                             "local s = table.concat(t, '   ')\nassert(#s > 2000)\n"
	                             "local r, n = s:gsub('%s+', ' ')\nreturn #r .. ' ' .. n"),
	                    "1891 399");
	assert_string_equal(eval(sb, "return table.concat({string.match('anssi-42', '^(%w+)-(%d+)$')}, ',')"),
	                    "anssi,42");
	assert_string_equal(eval(sb, "local out = {}\nfor k, v in ('a = 1, bb = 22'):gmatch('(%w+)%s*=%s*(%w+)') do\n"
	                             "out[#out + 1] = k .. v end return table.concat(out, ';')"),
	                    "a1;bb22");
	assert_string_equal(eval(sb, "return tostring(('x.y'):find('.', 1, true))"), "2");
	assert_string_equal(eval(sb, "return (string.rep('ab', 3000):gsub('b', 'c'):sub(1, 4))"), "acac");
	assert_string_equal(eval(sb, "return ('[x]'):match('%b[]') .. ('THE (quick) fox'):find('%f[%a]%a+%f[%A]')"),
	                    "[x]1");
	tc_sandbox_free(sb);
}

/* ---- hostile error objects ---- */

static void hostile_error_objects(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	const char *e = must_fail(sb, "error(setmetatable({}, {__tostring = function()\n"
	                              "  while true do end\nend}))", TC_ESCRIPT);
	assert_has(e, "t.lua:2: instruction budget of 200000 spent (in test)");
	still_usable(sb);
	e = must_fail(sb, "error(setmetatable({}, {__tostring = function() error('no') end}))",
	              TC_ESCRIPT);
	assert_has(e, "t.lua:1: (error object is a table value whose __tostring failed) (in test)");
	still_usable(sb);
	e = must_fail(sb, "error(setmetatable({}, {__tostring = function() return {} end}))",
	              TC_ESCRIPT);
	assert_has(e, "t.lua:1: (error object is a table value whose __tostring failed) (in test)");
	tc_sandbox_free(sb);
	sb = small_sb(&h);
	e = must_fail(sb, "local t, u = {}, {}\nprint(tostring(u), t)\nerror(t)", TC_ESCRIPT);
	assert_string_equal(h.out, "table: #1\ttable: #2\n");
	assert_has(e, "t.lua:3: (error object is a table value #2) (in test)");
	e = must_fail(sb, "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
	              TC_ESCRIPT);
	assert_has(e, "t.lua:1: custom (in test)");
	e = must_fail(sb, "error()", TC_ESCRIPT);
	assert_has(e, "t.lua:1: (error object is a nil value) (in test)");
	e = must_fail(sb, "error(42)", TC_ESCRIPT);
	assert_has(e, "t.lua:1: 42 (in test)");
	e = must_fail(sb, "error(string.rep('x', 10000))", TC_ESCRIPT);
	assert_has(e, "xxx [...] (in test)\nstack traceback:");
	assert_true(strlen(e) < 4096 + 2048 + 64);
	still_usable(sb);
	tc_sandbox_free(sb);
}

/* ---- output ---- */

static void output_flood_is_fatal(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	h.max_lines = 3;
	const char *e = must_fail(sb, "for i = 1, 10 do\n  pcall(print, i)\nend", TC_ESCRIPT);
	assert_has(e, "t.lua:2: output limit reached (in test)");
	assert_string_equal(h.out, "1\n2\n3\n");
	h.max_lines = 0;
	still_usable(sb);
	must_run(sb, "print(string.rep('y', 5000))");
	assert_int_equal(h.lines, 4);
	assert_has(h.out, "yyy [...]\n");
	assert_int_equal(strlen(strrchr(h.out, '\n') - 1) >= 1, 1);
	tc_sandbox_free(sb);
}

/* ---- determinism ---- */

/* The same script in two sandboxes (two hash seeds), over tables built in
 * different orders, lists the same keys in the same order. */
static void iteration_is_canonical(void **state)
{
	(void)state;
	const char *src =
		"local a, b = {}, {}\n"
		"local keys = {'zeta', 'alpha', 10, 'Beta', -3, 2.5, 'alpha2', 1, 'b', 100000, ''}\n"
		"for i = 1, #keys do a[keys[i]] = i end\n"
		"for i = #keys, 1, -1 do b[keys[i]] = i end\n"
		"for i = 1, 200 do a['k' .. i] = i b['k' .. (201 - i)] = 201 - i end\n"
		"for i = 1, 200, 3 do a['k' .. i] = nil b['k' .. i] = nil end\n"
		"local function list(t) local o = {} for k in pairs(t) do o[#o + 1] = tostring(k) end\n"
		"  return table.concat(o, ',') end\n"
		"local function nexts(t) local o, k = {}, next(t)\n"
		"  while k ~= nil do o[#o + 1] = tostring(k) k = next(t, k) end return table.concat(o, ',') end\n"
		"assert(list(a) == list(b), 'insertion order shows')\n"
		"assert(nexts(a) == list(a), 'next and pairs differ')\n"
		"return list(a)";
	host h1, h2;
	tc_sandbox *s1 = small_sb(&h1);
	tc_sandbox *s2 = small_sb(&h2);
	char first[8192];
	snprintf(first, sizeof first, "%s", eval(s1, src));
	assert_string_equal(first, eval(s2, src));
	/* Numbers ascending (integers and floats together), then strings bytewise. */
	const char *head = "-3,1,2.5,10,100000,,Beta,alpha,alpha2,b,k101,k102,k104,k105,k107,";
	assert_true(strncmp(first, head, strlen(head)) == 0);
	assert_non_null(strstr(first, ",k99,zeta"));
	/* Other key types are refused by name. */
	const char *e = must_fail(s1, "for k in pairs({[true] = 1, x = 2}) do end", TC_ESCRIPT);
	assert_has(e, "t.lua:1: pairs: cannot order a key of type boolean (only number and string "
	              "keys iterate in a deterministic order)");
	e = must_fail(s1, "next({[{}] = 1})", TC_ESCRIPT);
	assert_has(e, "t.lua:1: next: cannot order a key of type table");
	still_usable(s1);
	/* Keys removed during the loop are skipped; __pairs is honoured. */
	assert_string_equal(eval(s1, "local t = {a = 1, b = 2, c = 3} local o = ''\n"
	                             "for k, v in pairs(t) do o = o .. k .. v t.b = nil end\n"
	                             "local p = setmetatable({}, {__pairs = function(t)\n"
	                             "  return function(_, k) if not k then return 1, 'one' end end, t, nil end})\n"
	                             "for k, v in pairs(p) do o = o .. k .. v end return o"),
	                    "a1c31one");
	tc_sandbox_free(s1);
	tc_sandbox_free(s2);
}

static void tostring_shows_serials(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	must_run(sb, "local t, f = {}, function() end\n"
	             "print(t, f, t, coroutine.create(f), print)\n"
	             "print(string.format('%p %s %5.3s|%p|%p', t, t, f, 42, 'str'))\n"
	             "print(setmetatable({}, {__name = 'Incident'}), tostring(1.0), 2^63, -0.0)");
	assert_string_equal(h.out,
	                    "table: #1\tfunction: #2\ttable: #1\tthread: #3\tfunction: #4\n"
	                    "#1 table: #1   fun|(null)|#5\n"
	                    "Incident: #6\t1.0\t9.2233720368548e+18\t-0.0\n");
	const char *e = must_fail(sb, "print(setmetatable({}, {__tostring = function() return 1 end}))",
	                          TC_ESCRIPT);
	assert_has(e, "t.lua:1: '__tostring' must return a string");
	tc_sandbox_free(sb);
}

static const double fixed_draws[] = {0.0, 0.999999, 0.5, 0.25, 0.75};

static void random_comes_from_the_host(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	h.draws = fixed_draws;
	h.ndraws = sizeof fixed_draws / sizeof fixed_draws[0];
	/* random(): the draw itself. random(6): 3 bits from the top of a draw,
	 * drawn again above 5: 0.999999 -> 7 (again), 0.5 -> 4 -> 5; then
	 * 0.25 -> 2 -> 3. random(3, 3) draws nothing. random(-2, 1): 2 bits:
	 * 0.75 -> 3 -> 1. */
	assert_string_equal(eval(sb, "return table.concat({math.random(), math.random(6),\n"
	                             "math.random(6), math.random(3, 3), math.random(-2, 1)}, ' ')"),
	                    "0.0 5 3 3 1");
	assert_int_equal(h.next, 5);
	/* 64 bits: 53 from the top of one draw, 11 from the top of the next.
	 * Whole range: 0.0 then 0.999999 -> 2047 above the minimum.
	 * math.random(0): 0.5 -> bit 63, then 0.25 -> 2^9. */
	h.next = 0;
	assert_string_equal(eval(sb, "return math.random(math.mininteger, math.maxinteger) .. ' ' .. "
	                             "math.random(0)"),
	                    "-9223372036854773761 -9223372036854775296");
	const char *e = must_fail(sb, "math.random(2, 1)", TC_ESCRIPT);
	assert_has(e, "t.lua:1: bad argument #2 to 'random' (interval is empty)");
	e = must_fail(sb, "math.random(-5)", TC_ESCRIPT);
	assert_has(e, "t.lua:1: bad argument #1 to 'random' (interval is empty)");
	e = must_fail(sb, "math.random(1, 2, 3)", TC_ESCRIPT);
	assert_has(e, "t.lua:1: wrong number of arguments");
	e = must_fail(sb, "math.random(1.5)", TC_ESCRIPT);
	assert_has(e, "number has no integer representation");
	tc_sandbox_free(sb);
}

/* Uniform on [1, 6] from an evenly spread stream: every face as often. */
static double spread_draw(void *ud)
{
	unsigned *i = ud;
	return (double)(*i)++ / 4096.0;  /* 12 bits, then wraps below */
}

static void random_integers_are_exact(void **state)
{
	(void)state;
	unsigned counter = 0;
	tc_sandbox_host hh = {spread_draw, NULL, &counter};
	tc_sandbox *sb = NULL;
	assert_int_equal(tc_sandbox_new(&sb, tc_alloc_default(), NULL, &hh), TC_OK);
	assert_int_equal(tc_sandbox_seal(sb), TC_OK);
	/* Draws i/4096 in turn: 3 bits each, 512 draws give each of 0..5. */
	assert_string_equal(eval(sb, "local c = {0, 0, 0, 0, 0, 0} local n = 0\n"
	                             "while n < 3072 do local r = math.random(6) c[r] = c[r] + 1 n = n + 1 end\n"
	                             "return table.concat(c, ' ')"),
	                    "512 512 512 512 512 512");
	assert_int_equal(counter, 3072);
	tc_sandbox_free(sb);
}

static void sort_is_stable(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	assert_string_equal(eval(sb, "local t = {}\nfor i = 1, 300 do t[i] = {k = i % 7, i = i} end\n"
	                             "table.sort(t, function(a, b) return a.k < b.k end)\n"
	                             "for i = 2, #t do local a, b = t[i - 1], t[i]\n"
	                             "  assert(a.k < b.k or (a.k == b.k and a.i < b.i)) end\n"
	                             "local u = {5, 3, 9, 1, 1, 8} table.sort(u) local v = {'b', 'a', 'c'}\n"
	                             "table.sort(v, function(x, y) return x > y end)\n"
	                             "return table.concat(u, ',') .. ' ' .. table.concat(v)"),
	                    "1,1,3,5,8,9 cba");
	const char *e = must_fail(sb, "local t = {3, 1, 2}\n"
	                              "print(pcall(table.sort, t, function(a, b) error('cmp') end))\n"
	                              "print(table.concat(t, ','))\ntable.sort({1, 'x'})", TC_ESCRIPT);
	assert_has(h.out, "cmp\n3,1,2\n");
	assert_has(e, "attempt to compare");
	tc_sandbox_free(sb);
}

/* ---- the host's side ---- */

static int host_fatal(lua_State *L)
{
	return tc_sandbox_raise(L, 1, "too many log lines (%d)", 5);
}

static int host_soft(lua_State *L)
{
	return tc_sandbox_raise(L, 0, "bad actor '%s'", luaL_checkstring(L, 1));
}

static int host_describe(lua_State *L)
{
	char buf[32];
	tc_sandbox_describe(L, 1, buf, sizeof buf);
	lua_pushstring(L, buf);
	return 1;
}

static int host_of(lua_State *L)
{
	lua_pushboolean(L, tc_sandbox_of(L) != NULL);
	return 1;
}

static tc_sandbox *host_sb(host *h)
{
	memset(h, 0, sizeof *h);
	tc_sandbox_limits lim = {4 << 20, 200000};
	tc_sandbox_host hh = {host_uniform, host_print, h};
	tc_sandbox *sb = NULL;
	assert_int_equal(tc_sandbox_new(&sb, tc_alloc_default(), &lim, &hh), TC_OK);
	lua_State *L = tc_sandbox_lua(sb);
	static const luaL_Reg fns[] = {{"fatal", host_fatal}, {"soft", host_soft},
	                               {"describe", host_describe}, {"of", host_of}, {NULL, NULL}};
	luaL_newlib(L, fns);
	lua_newtable(L);
	lua_pushinteger(L, 7);
	lua_setfield(L, -2, "seven");
	lua_setfield(L, -2, "const");
	assert_int_equal(tc_sandbox_add_library(sb, "host"), TC_OK);
	assert_int_equal(lua_gettop(L), 0);
	assert_int_equal(tc_sandbox_seal(sb), TC_OK);
	return sb;
}

static void host_library(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = host_sb(&h);
	assert_string_equal(eval(sb, "return tostring(host.of()) .. host.const.seven .. "
	                             "host.describe({}) .. host.describe('s') .. host.describe(2.0) .. "
	                             "host.describe(setmetatable({}, {__tostring = error}))"),
	                    "true7table: #1s2.0table: #2");
	const char *e = must_fail(sb, "host.const.seven = 8", TC_ESCRIPT);
	assert_has(e, "t.lua:1: cannot set 'host.const.seven': the library 'host.const' is read-only");
	e = must_fail(sb, "host.fatal = nil", TC_ESCRIPT);
	assert_has(e, "cannot set 'host.fatal': the library 'host' is read-only");
	e = must_fail(sb, "print(pcall(function() host.soft('x') end))\nprint(pcall(host.fatal))\n"
	                  "print('escaped')",
	              TC_ESCRIPT);
	assert_has(e, "t.lua:2: too many log lines (5) (in test)");
	assert_string_equal(h.out, "false\tt.lua:1: bad actor 'x'\n");
	still_usable(sb);
	tc_sandbox_free(sb);
}

static void calls_take_arguments_and_results(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	lua_State *L = tc_sandbox_lua(sb);
	const char *src = "return function(a, b) return a + b, a * b end";
	assert_int_equal(tc_sandbox_load(sb, "fn.lua", src, strlen(src)), TC_OK);
	assert_int_equal(tc_sandbox_call(sb, 0, 1, "load fn"), TC_OK);
	int ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	lua_pushinteger(L, 6);
	lua_pushinteger(L, 7);
	assert_int_equal(tc_sandbox_call(sb, 2, LUA_MULTRET, "sum"), TC_OK);
	assert_int_equal(lua_gettop(L), 2);
	assert_int_equal(lua_tointeger(L, 1), 13);
	assert_int_equal(lua_tointeger(L, 2), 42);
	lua_settop(L, 0);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	lua_pushinteger(L, 6);
	assert_int_equal(tc_sandbox_call(sb, 1, 2, "sum of nil"), TC_ESCRIPT);
	assert_has(tc_sandbox_error(sb), "fn.lua:1: attempt to perform arithmetic on a nil value "
	                                 "(local 'b') (in sum of nil)");
	assert_int_equal(lua_gettop(L), 0);
	/* Coroutines may yield across pcall, as in Lua. */
	assert_string_equal(eval(sb, "local co = coroutine.wrap(function()\n"
	                             "  local ok, v = pcall(function() return coroutine.yield(1) + 1 end)\n"
	                             "  return tostring(ok) .. v end)\n"
	                             "co() return co(41)"),
	                    "true42");
	tc_sandbox_stats st;
	tc_sandbox_stats_of(sb, &st);
	assert_int_equal(st.calls, 4);
	assert_true(st.memory > 10000 && st.memory_peak >= st.memory);
	luaL_unref(L, LUA_REGISTRYINDEX, ref);
	tc_sandbox_free(sb);
}

static void stats_count_instructions(void **state)
{
	(void)state;
	host h;
	tc_sandbox *sb = small_sb(&h);
	tc_sandbox_stats st;
	tc_sandbox_stats_of(sb, &st);
	assert_int_equal(st.calls, 0);
	assert_int_equal(st.instructions, 0);
	/* 50000 iterations of a 2-instruction loop: 100 hooks of 1000. */
	must_run(sb, "for i = 1, 50000 do end");
	tc_sandbox_stats_of(sb, &st);
	assert_int_equal(st.calls, 1);
	assert_true(st.instructions >= 50000 && st.instructions <= 101000);
	tc_sandbox_free(sb);
}

static int open_library(lua_State *L)
{
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, host_of);
	lua_setfield(L, -2, "of");
	return 1;
}

/* As the engine builds tocsin: a call before sealing returns the table. */
static void library_built_by_a_call_before_sealing(void **state)
{
	(void)state;
	host h;
	memset(&h, 0, sizeof h);
	tc_sandbox_host hh = {host_uniform, host_print, &h};
	tc_sandbox *sb = NULL;
	assert_int_equal(tc_sandbox_new(&sb, tc_alloc_default(), NULL, &hh), TC_OK);
	lua_State *L = tc_sandbox_lua(sb);
	lua_pushcfunction(L, open_library);
	assert_int_equal(tc_sandbox_call(sb, 0, 1, "opening"), TC_OK);
	assert_int_equal(tc_sandbox_add_library(sb, "lib"), TC_OK);
	assert_int_equal(tc_sandbox_seal(sb), TC_OK);
	assert_string_equal(eval(sb, "return tostring(lib.of())"), "true");
	tc_sandbox_free(sb);
}

static int make_library(lua_State *L)
{
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, host_of);
	lua_setfield(L, -2, "of");
	return 1;
}

/* Every allocation of the set-up and of a first call can fail: TC_ENOMEM
 * and no leak. */
static void every_failed_allocation_is_enomem(void **state)
{
	(void)state;
	host h;
	memset(&h, 0, sizeof h);
	tc_sandbox_host hh = {host_uniform, host_print, &h};
	/* A script that reaches much of the sandbox: any of it may fail. */
	static const char busy[] =
		"local t = {b = 1, a = 2, 3, 4}\n"
		"for k, v in pairs(t) do t[k] = tostring(v) .. string.format('%p', t) end\n"
		"local co = coroutine.wrap(function(x) coroutine.yield(x .. '!') end)\n"
		"local ok, e = pcall(error, setmetatable({}, {__tostring = function() return 'e' end}))\n"
		"table.sort(t, function(a, b) return a > b end)\n"
		"print(co('y'), ('a b'):gsub('%s+', '_'), ok, next(t), math.random(3))\n"
		"return select('#', table.unpack(t))";
	int succeeded = 0;
	for (long k = 0; !succeeded; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		tc_sandbox *sb = NULL;
		int rc = tc_sandbox_new(&sb, &fa.alloc, NULL, &hh);
		if (rc == TC_OK) {
			/* The caller's own allocations, protected as it must. */
			rc = tc_sandbox_protect(sb, make_library, NULL, 1);
			if (rc == TC_OK)
				rc = tc_sandbox_add_library(sb, "extra");
			if (rc == TC_OK)
				rc = tc_sandbox_seal(sb);
			if (rc == TC_OK)
				rc = tc_sandbox_load(sb, "x.lua", busy, strlen(busy));
			if (rc == TC_OK)
				rc = tc_sandbox_call(sb, 0, 1, "x");
			succeeded = rc == TC_OK;
			tc_sandbox_free(sb);
		} else {
			assert_null(sb);
		}
		assert_true(rc == TC_OK || rc == TC_ENOMEM);
		assert_int_equal(fa.live_blocks, 0);
		assert_int_equal(fa.live_bytes, 0);
		assert_true(k < 100000);
	}
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_and_returns),
		cmocka_unit_test(syntax_error_names_the_file),
		cmocka_unit_test(runtime_error_format),
		cmocka_unit_test(infinite_loop_is_stopped),
		cmocka_unit_test(infinite_loop_in_pcall),
		cmocka_unit_test(infinite_loop_in_coroutine_in_pcall),
		cmocka_unit_test(memory_bomb),
		cmocka_unit_test(string_rep_bomb),
		cmocka_unit_test(memory_bombs_elsewhere),
		cmocka_unit_test(forbidden_names_are_absent),
		cmocka_unit_test(bytecode_is_refused),
		cmocka_unit_test(load_needs_an_environment),
		cmocka_unit_test(string_metatable_is_locked),
		cmocka_unit_test(finalizers_and_weak_tables_are_refused),
		cmocka_unit_test(libraries_are_frozen),
		cmocka_unit_test(globals_are_per_chunk),
		cmocka_unit_test(loops_cannot_be_caught),
		cmocka_unit_test(budget_error_names_the_line),
		cmocka_unit_test(coroutines_keep_the_hook_across_calls),
		cmocka_unit_test(dead_coroutines_run_no_close_handlers),
		cmocka_unit_test(heavy_instructions_meet_the_time_limit),
		cmocka_unit_test(deep_recursion_overflows_cleanly),
		cmocka_unit_test(pathological_patterns_are_refused),
		cmocka_unit_test(ordinary_patterns_pass),
		cmocka_unit_test(hostile_error_objects),
		cmocka_unit_test(output_flood_is_fatal),
		cmocka_unit_test(iteration_is_canonical),
		cmocka_unit_test(tostring_shows_serials),
		cmocka_unit_test(random_comes_from_the_host),
		cmocka_unit_test(random_integers_are_exact),
		cmocka_unit_test(sort_is_stable),
		cmocka_unit_test(host_library),
		cmocka_unit_test(calls_take_arguments_and_results),
		cmocka_unit_test(stats_count_instructions),
		cmocka_unit_test(every_failed_allocation_is_enomem),
		cmocka_unit_test(library_built_by_a_call_before_sealing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
