/*
 * The event log: every line parses back as JSON (jansson, an independent
 * parser), the records are consistent with each other, and the same
 * scenario, seed and replication give byte-identical logs.
 */
#include "test_support.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/log_json.h"

static char *run_to_memory(const tc_scenario *s, uint64_t seed, uint32_t replication,
                           size_t *len)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	tc_log_json log;
	tc_log_json_init(&log, tc_alloc_default(), f);
	tc_sink sink = tc_log_json_sink(&log);
	tc_run_options opt = {.seed = seed, .replication = replication, .until = TC_TIME_NEVER};
	tc_run *run;
	assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, &opt, &sink), 0);
	assert_int_equal(tc_run_execute(run), 0);
	tc_run_free(run);
	tc_log_json_release(&log);
	long size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	char *data = malloc((size_t)size + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	data[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return data;
}

static tc_scenario *flagship(void)
{
	tc_diag diag;
	tc_diag_init(&diag, tc_alloc_default());
	tc_scenario *s = NULL;
	int rc = tc_scenario_load(&s, tc_alloc_default(),
	                          test_source_path("scenarios/hospital-ransomware.yaml"), NULL, &diag);
	if (rc)
		tc_diag_print(&diag, stderr);
	assert_int_equal(rc, 0);
	tc_diag_release(&diag);
	return s;
}

static void same_seed_same_bytes(void **state)
{
	(void)state;
	tc_scenario *s = flagship();
	size_t n1, n2, n3, n4;
	char *a = run_to_memory(s, 42, 0, &n1);
	char *b = run_to_memory(s, 42, 0, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	/* Another seed, or another replication of the same seed, differs. */
	char *c = run_to_memory(s, 43, 0, &n3);
	char *d = run_to_memory(s, 42, 1, &n4);
	assert_true(n1 != n3 || memcmp(a, c, n1) != 0);
	assert_true(n1 != n4 || memcmp(a, d, n1) != 0);
	free(a);
	free(b);
	free(c);
	free(d);
	/* A scenario loaded again (new addresses, new hash seeds) still gives
	 * the same bytes. */
	tc_scenario *again = flagship();
	a = run_to_memory(s, 7, 3, &n1);
	b = run_to_memory(again, 7, 3, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	free(a);
	free(b);
	tc_scenario_free(again);
	tc_scenario_free(s);
}

static json_int_t int_of(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v))
		fail_msg("key '%s' is not an integer", key);
	return json_integer_value(v);
}

/* Parse every line; check order, numbering, the self-contained header, and
 * that each handled message's wait adds up to its life since creation. */
static void every_line_parses_and_adds_up(void **state)
{
	(void)state;
	tc_scenario *s = flagship();
	size_t len;
	char *data = run_to_memory(s, 2022, 0, &len);
	json_int_t created_at[4096];
	for (size_t i = 0; i < 4096; i++)
		created_at[i] = -1;
	json_int_t seq = 0, last_t = INT64_MIN, handled = 0;
	char *line = data;
	const char *first_event = NULL, *last_event = NULL;
	json_t *last = NULL;
	while (line < data + len) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		json_error_t err;
		json_t *rec = json_loadb(line, (size_t)(nl - line), 0, &err);
		if (!rec)
			fail_msg("line %lld does not parse: %s", (long long)seq + 1, err.text);
		assert_int_equal(int_of(rec, "seq"), seq);
		json_int_t t = int_of(rec, "t");
		assert_true(t >= last_t);
		last_t = t;
		const char *event = json_string_value(json_object_get(rec, "event"));
		assert_non_null(event);
		/* Keys in the documented order: seq, t, event first. */
		assert_true(strncmp(line, "{\"seq\":", 7) == 0);
		if (seq == 0) {
			first_event = "run-started";
			assert_string_equal(event, "run-started");
			assert_string_equal(json_string_value(json_object_get(rec, "format")),
			                    "tocsin-events");
			assert_int_equal(int_of(rec, "seed"), 2022);
			json_t *sc = json_object_get(rec, "scenario");
			assert_int_equal(json_array_size(json_object_get(sc, "actors")), s->actor_count);
			assert_int_equal(json_array_size(json_object_get(sc, "objectives")),
			                 s->objective_count);
			assert_int_equal(strlen(json_string_value(json_object_get(sc, "sha256"))), 64);
			json_t *rules = json_object_get(json_object_get(sc, "doctrine"), "rules");
			assert_int_equal(json_array_size(rules), s->doctrine.rule_count);
			/* The flagship's script, named as the loader resolved it; its
			 * doctrine has no Lua handlers. */
			json_t *scripts = json_object_get(sc, "scripts");
			assert_int_equal(json_array_size(scripts), 1);
			json_t *lua = json_array_get(scripts, 0);
			const char *name = json_string_value(json_object_get(lua, "name"));
			assert_non_null(name);
			assert_non_null(strstr(name, "scenarios/hospital-ransomware.lua"));
			assert_string_equal(json_string_value(json_object_get(lua, "role")), "injects");
			assert_true(json_is_false(json_object_get(lua, "extra")));
			assert_int_equal(strlen(json_string_value(json_object_get(lua, "sha256"))), 64);
			assert_true(json_is_null(json_object_get(json_object_get(sc, "doctrine"),
			                                         "script")));
		}
		if (strcmp(event, "message-created") == 0 || strcmp(event, "retry") == 0) {
			json_int_t id = int_of(rec, "msg");
			assert_true(id > 0 && id < 4096);
			created_at[id] = t;
		}
		if (strcmp(event, "message-handled") == 0) {
			json_int_t id = int_of(rec, "msg");
			json_t *w = json_object_get(rec, "wait");
			json_int_t sum = int_of(w, "hold") + int_of(w, "channel") + int_of(w, "queue") +
			                 int_of(w, "off_hours") + int_of(w, "handling");
			assert_int_equal(sum, int_of(w, "total"));
			assert_true(created_at[id] >= 0);
			assert_int_equal(int_of(w, "total"), t - created_at[id]);
			handled++;
		}
		last_event = event;
		json_decref(last);
		last = rec;
		line = nl + 1;
		seq++;
	}
	assert_non_null(first_event);
	assert_string_equal(last_event, "run-ended");
	json_t *stats = json_object_get(last, "stats");
	assert_int_equal(int_of(stats, "handled"), handled);
	assert_true(handled > 10);
	json_decref(last);
	free(data);
	tc_scenario_free(s);
}

/* One script of the run-started record is name, role, extra, sha256, bytes. */
static void expect_script(json_t *js, const char *name, const char *role, int extra,
                          const char *sha256, json_int_t bytes)
{
	assert_true(json_is_object(js));
	assert_int_equal(json_object_size(js), 5);
	assert_string_equal(json_string_value(json_object_get(js, "name")), name);
	assert_string_equal(json_string_value(json_object_get(js, "role")), role);
	assert_true(json_is_boolean(json_object_get(js, "extra")));
	assert_int_equal(json_is_true(json_object_get(js, "extra")), extra);
	assert_string_equal(json_string_value(json_object_get(js, "sha256")), sha256);
	assert_int_equal(int_of(js, "bytes"), bytes);
}

/* The log says exactly which Lua produced it: the scenario's scripts, the
 * --script ones and the doctrine's, each with its digest. */
static void run_started_names_the_scripts(void **state)
{
	(void)state;
	char inj[4096], extra[4096], handlers[4096], text[2048];
	snprintf(inj, sizeof inj, "%s", test_write_temp("log-inj.lua", "local n = 1\n"));
	snprintf(extra, sizeof extra, "%s", test_write_temp("log-extra.lua", "-- extra\n"));
	snprintf(handlers, sizeof handlers, "%s", test_write_temp("log-h.lua", "return {}\n"));
	snprintf(text, sizeof text, "script: %s\nrules:\n  - {actor: cert, on: any, ack: true}\n",
	         strrchr(handlers, '/') + 1);
	char doctrine[4096];
	snprintf(doctrine, sizeof doctrine, "%s", test_write_temp("log-d.yaml", text));
	snprintf(text, sizeof text, TEST_SCENARIO_BASE "scripts: %s\ndoctrine: %s\n",
	         strrchr(inj, '/') + 1, strrchr(doctrine, '/') + 1);
	const char *scenario = test_write_temp("log-scripts.yaml", text);
	const char *const paths[] = {extra};
	tc_load_options opt = {.script_paths = paths, .script_path_count = 1};
	tc_scenario *s;
	const char *errors;
	assert_int_equal(test_load_file(scenario, &opt, &s, &errors), 0);
	size_t len;
	char *data = run_to_memory(s, 1, 0, &len);
	json_error_t err;
	json_t *rec = json_loadb(data, strcspn(data, "\n"), 0, &err);
	assert_non_null(rec);
	json_t *sc = json_object_get(rec, "scenario");
	json_t *scripts = json_object_get(sc, "scripts");
	assert_int_equal(json_array_size(scripts), 2);
	expect_script(json_array_get(scripts, 0), inj, "injects", 0,
	              "ba9f9a2bed35892058546909a14bf21aa88c7ec9b556ea28b0e3c6aa6cad10b2", 12);
	expect_script(json_array_get(scripts, 1), extra, "injects", 1,
	              "97afb609c2de0d1135e9f3702e14a0c73482db2f0720d0292afd65a226456ab8", 9);
	json_t *d = json_object_get(sc, "doctrine");
	assert_string_equal(json_string_value(json_object_get(d, "file")), doctrine);
	expect_script(json_object_get(d, "script"), handlers, "doctrine", 0,
	              "1232d8379de77e154ca533689af2e42629dd7574bda5a0a390799849f07607c3", 10);
	assert_int_equal(json_array_size(json_object_get(d, "rules")), 1);
	json_decref(rec);
	free(data);
	tc_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_seed_same_bytes),
		cmocka_unit_test(every_line_parses_and_adds_up),
		cmocka_unit_test(run_started_names_the_scripts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
