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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
