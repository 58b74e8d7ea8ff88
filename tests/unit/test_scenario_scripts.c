/*
 * Scenario scripts in the loader: `scripts:` (a name or a list), --script
 * files after them, Lua doctrines and a YAML doctrine's `script:`; the text,
 * digest, role, extra flag and RNG entity each gets; and every refusal with
 * its exact message and file:line:column. The loader compiles no Lua.
 */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/rng.h"
#include "scenario/scenario.h"

#define BASE TEST_SCENARIO_BASE

#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_LOCAL "ba9f9a2bed35892058546909a14bf21aa88c7ec9b556ea28b0e3c6aa6cad10b2"
#define SHA256_RETURN "1232d8379de77e154ca533689af2e42629dd7574bda5a0a390799849f07607c3"

/* A directory of this test's own, so that the names scenarios write (and the
 * entities drawn from them) do not depend on the process id. */
static const char *dir(void)
{
	static char path[512];
	if (!path[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof path, "%s/tocsin-test-%ld-scripts", tmp ? tmp : "/tmp",
		         (long)getpid());
		char sub[600];
		snprintf(sub, sizeof sub, "%s/doctrines", path);
		assert_true(mkdir(path, 0700) == 0 || access(path, W_OK) == 0);
		assert_true(mkdir(sub, 0700) == 0 || access(sub, W_OK) == 0);
	}
	return path;
}

/* Text with each '$' replaced by the directory (rotating static buffers,
 * so that a few may be used in one call). */
static const char *expand(const char *text)
{
	static char out[4][8192];
	static int next;
	char *o = out[next++ % 4];
	size_t used = 0;
	for (const char *p = text; *p; p++) {
		const char *piece = *p == '$' ? dir() : (char[2]){*p, 0};
		size_t n = strlen(piece);
		assert_true(used + n < sizeof out[0]);
		memcpy(o + used, piece, n);
		used += n;
	}
	o[used] = '\0';
	return o;
}

/* Every file put in the directory, removed at the end (some are large). */
static char created[64][128];
static size_t created_count;

static int remove_files(void **state)
{
	(void)state;
	char path[1024];
	for (size_t i = 0; i < created_count; i++)
		if (snprintf(path, sizeof path, "%s/%s", dir(), created[i]) < (int)sizeof path)
			unlink(path);
	snprintf(path, sizeof path, "%s/doctrines", dir());
	rmdir(path);
	rmdir(dir());
	return 0;
}

/* Write text (of len bytes) as name in the directory; its full path. */
static const char *put_bytes(const char *name, const char *text, size_t len)
{
	size_t known = 0;
	while (known < created_count && strcmp(created[known], name) != 0)
		known++;
	if (known == created_count) {
		assert_true(created_count < 64 && strlen(name) < sizeof created[0]);
		strcpy(created[created_count++], name);
	}
	static char full[4][1024];
	static int next;
	char *f = full[next++ % 4];
	snprintf(f, sizeof full[0], "%s/%s", dir(), name);
	FILE *out = fopen(f, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(text, 1, len, out), len);
	assert_int_equal(fclose(out), 0);
	return f;
}

static const char *put(const char *name, const char *text)
{
	return put_bytes(name, text, strlen(text));
}

/* The scenario s.yaml: BASE, then extra from line 7. */
static const char *scenario(const char *extra)
{
	char text[8192];
	snprintf(text, sizeof text, BASE "%s", extra);
	return put("s.yaml", text);
}

/* Loading the scenario with extra fails with rc and exactly these errors
 * ('$' stands for the directory in both). */
static void expect_refused(const char *extra, const tc_load_options *opt, int rc,
                           const char *errors)
{
	const char *got;
	int result = test_load_file(scenario(extra), opt, NULL, &got);
	assert_string_equal(got, expand(errors));
	assert_int_equal(result, rc);
}

static tc_scenario *load(const char *extra, const tc_load_options *opt)
{
	tc_scenario *s;
	const char *errors;
	int rc = test_load_file(scenario(extra), opt, &s, &errors);
	if (rc)
		fail_msg("did not load: %s", errors);
	return s;
}

/* ---- what a good file resolves to ---- */

static void scripts_are_read_in_order(void **state)
{
	(void)state;
	put("abc.lua", "abc");
	put("local.lua", "local n = 1\n");
	tc_scenario *s = load("scripts: [abc.lua, local.lua]\n", NULL);
	assert_int_equal(s->script_count, 2);
	const tc_script_def *a = &s->scripts[0], *b = &s->scripts[1];
	/* Names resolved against the scenario's directory; the text as read. */
	assert_string_equal(a->name, expand("$/abc.lua"));
	assert_string_equal(b->name, expand("$/local.lua"));
	assert_int_equal(a->len, 3);
	assert_memory_equal(a->text, "abc", 4); /* NUL-terminated */
	assert_string_equal(b->text, "local n = 1\n");
	assert_string_equal(a->sha256, SHA256_ABC);
	assert_string_equal(b->sha256, SHA256_LOCAL);
	assert_int_equal(a->role, TC_SCRIPT_INJECTS);
	assert_int_equal(b->extra, 0);
	/* The entity comes from the name as written, not the resolved path. */
	assert_int_equal(a->entity, tc_rng_entity("abc.lua"));
	assert_int_equal(b->entity, tc_rng_entity("local.lua"));
	assert_int_not_equal(a->entity, tc_rng_entity(a->name));
	assert_null(s->doctrine.script);
	tc_scenario_free(s);

	/* One name alone; a name in a subdirectory; none at all. */
	put("doctrines/sub.lua", "local n = 1\n");
	s = load("scripts: doctrines/sub.lua\n", NULL);
	assert_int_equal(s->script_count, 1);
	assert_string_equal(s->scripts[0].name, expand("$/doctrines/sub.lua"));
	assert_int_equal(s->scripts[0].entity, tc_rng_entity("doctrines/sub.lua"));
	tc_scenario_free(s);
	s = load("scripts: []\n", NULL);
	assert_int_equal(s->script_count, 0);
	tc_scenario_free(s);
	s = load("", NULL);
	assert_int_equal(s->script_count, 0);
	assert_null(s->scripts);
	tc_scenario_free(s);

	/* An absolute name stays as it is; a script of exactly the limit loads. */
	char *big = malloc(TC_MAX_SCRIPT_BYTES);
	assert_non_null(big);
	memset(big, '-', TC_MAX_SCRIPT_BYTES);
	const char *path = put_bytes("limit.lua", big, TC_MAX_SCRIPT_BYTES);
	free(big);
	char extra[1200];
	snprintf(extra, sizeof extra, "scripts: [%s]\n", path);
	s = load(extra, NULL);
	assert_string_equal(s->scripts[0].name, path);
	assert_int_equal(s->scripts[0].len, TC_MAX_SCRIPT_BYTES);
	assert_int_equal(s->scripts[0].entity, tc_rng_entity(path));
	tc_scenario_free(s);
}

static void command_line_scripts_come_after_with_extra_set(void **state)
{
	(void)state;
	put("abc.lua", "abc");
	const char *given = put("given.lua", "local n = 1\n");
	char copy[1024];
	snprintf(copy, sizeof copy, "%s", given);
	const char *const paths[] = {copy};
	tc_load_options opt = {.script_paths = paths, .script_path_count = 1};
	tc_scenario *s = load("scripts: abc.lua\n", &opt);
	assert_int_equal(s->script_count, 2);
	assert_string_equal(s->scripts[0].name, expand("$/abc.lua"));
	assert_int_equal(s->scripts[0].extra, 0);
	const tc_script_def *g = &s->scripts[1];
	assert_string_equal(g->name, copy); /* the path as given */
	assert_int_equal(g->extra, 1);
	assert_int_equal(g->role, TC_SCRIPT_INJECTS);
	assert_int_equal(g->entity, tc_rng_entity(copy));
	assert_string_equal(g->sha256, SHA256_LOCAL);
	tc_scenario_free(s);
	/* Without scripts in the scenario. */
	s = load("", &opt);
	assert_int_equal(s->script_count, 1);
	assert_int_equal(s->scripts[0].extra, 1);
	tc_scenario_free(s);
}

static void lua_doctrines(void **state)
{
	(void)state;
	put("handlers.lua", "return {}\n");
	tc_scenario *s = load("doctrine: handlers.lua\n", NULL);
	const tc_doctrine_def *d = &s->doctrine;
	assert_non_null(d->script);
	assert_string_equal(d->name, "handlers.lua");
	assert_string_equal(d->file, expand("$/handlers.lua"));
	assert_string_equal(d->sha256, SHA256_RETURN);
	assert_int_equal(d->rule_count, 0);
	assert_non_null(d->first_rule);
	assert_int_equal(d->first_rule[s->actor_count], 0);
	assert_string_equal(d->script->name, expand("$/handlers.lua"));
	assert_string_equal(d->script->text, "return {}\n");
	assert_string_equal(d->script->sha256, SHA256_RETURN);
	assert_int_equal(d->script->role, TC_SCRIPT_DOCTRINE);
	assert_int_equal(d->script->extra, 0);
	assert_int_equal(d->script->entity, tc_rng_entity("handlers.lua"));
	assert_int_equal(s->script_count, 0); /* a doctrine is not among the injects */
	tc_scenario_free(s);

	/* The extension is recognised in any case. */
	put("LOUD.LUA", "return {}\n");
	s = load("doctrine: LOUD.LUA\n", NULL);
	assert_non_null(s->doctrine.script);
	assert_string_equal(s->doctrine.name, "LOUD.LUA");
	tc_scenario_free(s);

	/* --doctrine FILE.lua replaces a YAML doctrine; named as given. */
	char path[1024];
	snprintf(path, sizeof path, "%s", expand("$/handlers.lua"));
	tc_load_options opt = {.doctrine_path = path};
	s = load("doctrine: {rules: [{actor: cert, on: any, ack: true}]}\n", &opt);
	assert_int_equal(s->doctrine.rule_count, 0);
	assert_string_equal(s->doctrine.file, path);
	assert_string_equal(s->doctrine.script->name, path);
	assert_int_equal(s->doctrine.script->entity, tc_rng_entity(path));
	tc_scenario_free(s);
}

static void yaml_doctrines_with_a_script(void **state)
{
	(void)state;
	/* In a doctrine file, `script:` is relative to the doctrine's directory. */
	put("doctrines/h.lua", "return {}\n");
	put("doctrines/d.yaml", "name: d\nscript: h.lua\n"
	                        "rules:\n  - {actor: cert, on: any, ack: true}\n");
	tc_scenario *s = load("doctrine: doctrines/d.yaml\n", NULL);
	const tc_doctrine_def *d = &s->doctrine;
	assert_string_equal(d->name, "d");
	assert_int_equal(d->rule_count, 1);
	assert_non_null(d->script);
	assert_string_equal(d->script->name, expand("$/doctrines/h.lua"));
	assert_int_equal(d->script->role, TC_SCRIPT_DOCTRINE);
	assert_int_equal(d->script->entity, tc_rng_entity("h.lua"));
	assert_string_equal(d->script->sha256, SHA256_RETURN);
	tc_scenario_free(s);

	/* Inline, relative to the scenario; with a script, rules are optional. */
	put("inline.lua", "return {}\n");
	s = load("doctrine: {name: lua-only, script: inline.lua}\n", NULL);
	assert_string_equal(s->doctrine.name, "lua-only");
	assert_int_equal(s->doctrine.rule_count, 0);
	assert_non_null(s->doctrine.first_rule);
	assert_string_equal(s->doctrine.script->name, expand("$/inline.lua"));
	tc_scenario_free(s);

	/* Without a script they are not. */
	expect_refused("doctrine: {name: nothing}\n", NULL, TC_EINVAL,
	               "s.yaml:7:11: doctrine: missing required key 'rules'\n");
}

static void a_buffer_resolves_against_its_name(void **state)
{
	(void)state;
	put("abc.lua", "abc");
	const char *text = BASE "scripts: abc.lua\n";
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s;
	assert_int_equal(tc_scenario_load_buffer(&s, tc_alloc_default(), expand("$/virtual.yaml"),
	                                         text, strlen(text), NULL, &diag), TC_OK);
	tc_diag_release(&diag);
	assert_string_equal(s->scripts[0].name, expand("$/abc.lua"));
	tc_scenario_free(s);
}

/* ---- refusals ---- */

static void missing_and_special_files(void **state)
{
	(void)state;
	put("abc.lua", "abc");
	expect_refused("scripts: [abc.lua, missing.lua]\n", NULL, TC_ENOENT,
	               "s.yaml:7:20: cannot open script file '$/missing.lua': No such file or "
	               "directory\n");
	expect_refused("scripts: [/]\n", NULL, TC_EIO,
	               "s.yaml:7:11: script file '/' is not a regular file\n");
	/* A FIFO without a writer would block for ever if it were opened. */
	char fifo[1024];
	snprintf(fifo, sizeof fifo, "%s", expand("$/pipe.lua"));
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	expect_refused("scripts: pipe.lua\n", NULL, TC_EIO,
	               "s.yaml:7:10: script file '$/pipe.lua' is not a regular file\n");
	unlink(fifo);
	put("empty.lua", "");
	expect_refused("scripts: empty.lua\n", NULL, TC_EINVAL,
	               "s.yaml:7:10: script file '$/empty.lua' is empty (expected Lua source)\n");
	if (geteuid() != 0) { /* root reads anything */
		const char *secret = put("secret.lua", "abc");
		assert_int_equal(chmod(secret, 0), 0);
		expect_refused("scripts: secret.lua\n", NULL, TC_EIO,
		               "s.yaml:7:10: cannot open '$/secret.lua': Permission denied\n");
	}
	/* The doctrine's Lua, named by the scenario or by a doctrine file. */
	expect_refused("doctrine: nohandlers.lua\n", NULL, TC_ENOENT,
	               "s.yaml:7:11: cannot open doctrine file '$/nohandlers.lua': No such file or "
	               "directory\n");
	expect_refused("doctrine: empty.lua\n", NULL, TC_EINVAL,
	               "s.yaml:7:11: doctrine file '$/empty.lua' is empty (expected Lua source)\n");
	put("doctrines/nope.yaml", "name: nope\nscript: nope.lua\nrules: []\n");
	expect_refused("doctrine: doctrines/nope.yaml\n", NULL, TC_ENOENT,
	               "nope.yaml:2:9: cannot open script file '$/doctrines/nope.lua': No such file "
	               "or directory\n");
	expect_refused("doctrine: {script: /, rules: []}\n", NULL, TC_EIO,
	               "s.yaml:7:20: script file '/' is not a regular file\n");
}

static void command_line_files_are_named_in_their_errors(void **state)
{
	(void)state;
	/* No position: the error names the file itself. Anything readable is
	 * read, so a directory fails at the read. */
	const char *missing[] = {"/nonexistent/nope.lua"};
	tc_load_options opt = {.script_paths = missing, .script_path_count = 1};
	expect_refused("", &opt, TC_ENOENT,
	               "nope.lua:0:0: cannot open '/nonexistent/nope.lua': No such file or "
	               "directory\n");
	char d[1024];
	snprintf(d, sizeof d, "%s", dir());
	const char *dirs[] = {d};
	opt.script_paths = dirs;
	expect_refused("", &opt, TC_EIO, "scripts:0:0: cannot read '$': Is a directory\n");
	opt = (tc_load_options){.doctrine_path = "/nonexistent/x.lua"};
	expect_refused("", &opt, TC_ENOENT,
	               "x.lua:0:0: cannot open '/nonexistent/x.lua': No such file or directory\n");
	char big_path[1024];
	snprintf(big_path, sizeof big_path, "%s", expand("$/big.lua"));
	char *big = malloc(TC_MAX_SCRIPT_BYTES + 1);
	assert_non_null(big);
	memset(big, '-', TC_MAX_SCRIPT_BYTES + 1);
	put_bytes("big.lua", big, TC_MAX_SCRIPT_BYTES + 1);
	free(big);
	const char *bigs[] = {big_path};
	opt = (tc_load_options){.script_paths = bigs, .script_path_count = 1};
	expect_refused("", &opt, TC_ELIMIT,
	               "big.lua:0:0: script file '$/big.lua' is larger than the limit of 4194304 "
	               "bytes\n");
	/* Named by the scenario, the same file is refused at its line. */
	expect_refused("scripts: big.lua\n", NULL, TC_ELIMIT,
	               "s.yaml:7:10: script file '$/big.lua' is larger than the limit of 4194304 "
	               "bytes\n");
}

static void precompiled_lua_is_refused(void **state)
{
	(void)state;
	put("compiled.lua", "\x1bLuaT");
	expect_refused("scripts: compiled.lua\n", NULL, TC_EINVAL,
	               "s.yaml:7:10: script file '$/compiled.lua': precompiled Lua is not accepted: "
	               "give the source\n");
	expect_refused("doctrine: compiled.lua\n", NULL, TC_EINVAL,
	               "s.yaml:7:11: doctrine file '$/compiled.lua': precompiled Lua is not "
	               "accepted: give the source\n");
	char path[1024];
	snprintf(path, sizeof path, "%s", expand("$/compiled.lua"));
	const char *paths[] = {path};
	tc_load_options opt = {.script_paths = paths, .script_path_count = 1};
	expect_refused("", &opt, TC_EINVAL,
	               "compiled.lua:0:0: script file '$/compiled.lua': precompiled Lua is not "
	               "accepted: give the source\n");
	/* Lua would take any chunk starting with ESC for bytecode. */
	put("escape.lua", "\x1b[31m");
	expect_refused("scripts: escape.lua\n", NULL, TC_EINVAL,
	               "s.yaml:7:10: script file '$/escape.lua' begins with the byte 0x1b (ESC), "
	               "which Lua takes for precompiled code: give the source\n");
}

static void a_file_listed_twice(void **state)
{
	(void)state;
	put("abc.lua", "abc");
	put("local.lua", "local n = 1\n");
	expect_refused("scripts:\n  - abc.lua\n  - local.lua\n  - abc.lua\n", NULL, TC_EINVAL,
	               "s.yaml:10:5: script file '$/abc.lua' is listed twice (first at line 8)\n");
	/* Under another spelling it is still the same file. */
	expect_refused("scripts: [abc.lua, ./abc.lua]\n", NULL, TC_EINVAL,
	               "s.yaml:7:20: script file '$/./abc.lua' is listed twice (first at line 7)\n");
	char path[1024];
	snprintf(path, sizeof path, "%s", expand("$/abc.lua"));
	const char *twice[] = {path, path};
	tc_load_options opt = {.script_paths = twice, .script_path_count = 1};
	expect_refused("scripts: abc.lua\n", &opt, TC_EINVAL,
	               "abc.lua:0:0: script file '$/abc.lua' is listed twice (first at $/s.yaml:7)\n");
	opt.script_path_count = 2;
	expect_refused("", &opt, TC_EINVAL,
	               "abc.lua:0:0: script file '$/abc.lua' is listed twice (first with --script)\n");
}

/* "scripts: [x.lua, x.lua, ...]" with n names (the limit is checked before
 * any file is read). */
static const char *many_scripts(int n)
{
	static char extra[4096];
	strcpy(extra, "scripts: [");
	for (int i = 0; i < n; i++)
		strcat(extra, i ? ", x.lua" : "x.lua");
	strcat(extra, "]\n");
	return extra;
}

static void too_many_scripts(void **state)
{
	(void)state;
	expect_refused(many_scripts(TC_MAX_SCRIPTS + 1), NULL, TC_ELIMIT,
	               "s.yaml:7:10: too many scripts: 65 (at most 64)\n");
	/* 64 in the scenario and one more on the command line. */
	const char *paths[] = {"/somewhere/extra.lua"};
	tc_load_options opt = {.script_paths = paths, .script_path_count = 1};
	expect_refused(many_scripts(TC_MAX_SCRIPTS), &opt, TC_ELIMIT,
	               "extra.lua:0:0: too many scripts: the scenario lists 64 and --script adds 1 "
	               "(at most 64 in all)\n");
}

static void bad_names(void **state)
{
	(void)state;
	put("abc.lua", "abc");
	expect_refused("scripts: [abc.lua, '', ~, {a: b}, [x]]\n", NULL, TC_EINVAL,
	               "s.yaml:7:20: expected a script file name, got an empty string\n"
	               "s.yaml:7:24: expected a script file name, got nothing\n"
	               "s.yaml:7:27: expected a script file name, got a mapping\n"
	               "s.yaml:7:35: expected a script file name, got a sequence\n");
	expect_refused("scripts:\n  - abc.lua\n  -\n", NULL, TC_EINVAL,
	               "s.yaml:9:4: expected a script file name, got nothing\n");
	expect_refused("scripts: {a: b}\n", NULL, TC_EINVAL,
	               "s.yaml:7:10: expected a script file name or a list of them, got a mapping\n");
	expect_refused("scripts:\n", NULL, TC_EINVAL,
	               "s.yaml:7:9: expected a script file name or a list of them, got nothing\n");
	/* (The YAML reader refuses a NUL byte in any scalar.) */
	expect_refused("scripts: \"abc.lua\\0.txt\"\n", NULL, TC_EINVAL,
	               "s.yaml:7:10: a scalar cannot contain a NUL character (\\0)\n");
	expect_refused("doctrine: ''\n", NULL, TC_EINVAL,
	               "s.yaml:7:11: expected a doctrine file name, got an empty string\n");
	expect_refused("doctrine: {script: [a], rules: []}\n", NULL, TC_EINVAL,
	               "s.yaml:7:20: expected a script file name, got a sequence\n");
}

static void scripts_written_alike_would_share_draws(void **state)
{
	(void)state;
	/* Two files written "inj.lua", in the scenario's directory and in the
	 * doctrine's: one stream of random numbers for both. */
	put("inj.lua", "local n = 1\n");
	put("doctrines/inj.lua", "return {}\n");
	put("doctrines/same.yaml", "script: inj.lua\n");
	expect_refused("scripts: inj.lua\ndoctrine: doctrines/same.yaml\n", NULL, TC_EINVAL,
	               "s.yaml:0:0: scripts '$/doctrines/inj.lua' and '$/inj.lua' would draw the "
	               "same random numbers (their names as written hash alike): rename one\n");
}

static void a_script_cannot_also_be_the_doctrine(void **state)
{
	(void)state;
	put("handlers.lua", "return {}\n");
	expect_refused("scripts: handlers.lua\ndoctrine: handlers.lua\n", NULL, TC_EINVAL,
	               "s.yaml:0:0: '$/handlers.lua' is both a script and the doctrine's handlers: "
	               "a file is one or the other\n");
	char path[1024];
	snprintf(path, sizeof path, "%s", expand("$/handlers.lua"));
	const char *paths[] = {path};
	tc_load_options opt = {.doctrine_path = path, .script_paths = paths,
	                       .script_path_count = 1};
	expect_refused("", &opt, TC_EINVAL,
	               "s.yaml:0:0: '$/handlers.lua' is both a script and the doctrine's handlers: "
	               "a file is one or the other\n");
}

static void every_error_at_once(void **state)
{
	(void)state;
	put("compiled.lua", "\x1bLuaT");
	put("doctrines/two.yaml", "name: two\nscript: gone.lua\nrules: []\n");
	const char *paths[] = {"/nonexistent/extra.lua"};
	tc_load_options opt = {.script_paths = paths, .script_path_count = 1};
	expect_refused("scripts: [compiled.lua, gone.lua]\ndoctrine: doctrines/two.yaml\n", &opt,
	               TC_ENOENT,
	               "s.yaml:7:11: script file '$/compiled.lua': precompiled Lua is not accepted: "
	               "give the source\n"
	               "s.yaml:7:25: cannot open script file '$/gone.lua': No such file or "
	               "directory\n"
	               "extra.lua:0:0: cannot open '/nonexistent/extra.lua': No such file or "
	               "directory\n"
	               "two.yaml:2:9: cannot open script file '$/doctrines/gone.lua': No such file "
	               "or directory\n");
}

static void load_with_scripts_fails_cleanly_at_every_allocation(void **state)
{
	(void)state;
	put("abc.lua", "abc");
	put("doctrines/h.lua", "return {}\n");
	put("doctrines/d.yaml", "script: h.lua\nrules:\n  - {actor: cert, on: any, ack: true}\n");
	char path[1024];
	snprintf(path, sizeof path, "%s", put("given.lua", "local n = 1\n"));
	const char *paths[] = {path};
	tc_load_options opt = {.script_paths = paths, .script_path_count = 1};
	test_load_fails_cleanly(scenario("scripts: [abc.lua]\ndoctrine: doctrines/d.yaml\n"), &opt);
	put("handlers.lua", "return {}\n");
	test_load_fails_cleanly(scenario("doctrine: handlers.lua\n"), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scripts_are_read_in_order),
		cmocka_unit_test(command_line_scripts_come_after_with_extra_set),
		cmocka_unit_test(lua_doctrines),
		cmocka_unit_test(yaml_doctrines_with_a_script),
		cmocka_unit_test(a_buffer_resolves_against_its_name),
		cmocka_unit_test(missing_and_special_files),
		cmocka_unit_test(command_line_files_are_named_in_their_errors),
		cmocka_unit_test(precompiled_lua_is_refused),
		cmocka_unit_test(a_file_listed_twice),
		cmocka_unit_test(too_many_scripts),
		cmocka_unit_test(bad_names),
		cmocka_unit_test(scripts_written_alike_would_share_draws),
		cmocka_unit_test(a_script_cannot_also_be_the_doctrine),
		cmocka_unit_test(every_error_at_once),
		cmocka_unit_test(load_with_scripts_fails_cleanly_at_every_allocation),
	};
	return cmocka_run_group_tests(tests, NULL, remove_files);
}
