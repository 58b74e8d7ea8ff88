/*
 * The tocsin Lua API in runs, against hand-computed timelines: every
 * expected time is worked out from the scenario in the comment above it.
 * Fixed handling times (10 min) and a fixed channel latency (5 min) make
 * the runs exact. Each run's event log is read back as JSON.
 */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sim/log_json.h"

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)

/* Monday 2022-08-22 00:00 UTC. a and b handle anything in 10 min; mail
 * takes 5 min; c works office hours. %s: extra YAML (doctrine, injects). */
static const char base_yaml[] =
	"exercise: {name: lua, start: '2022-08-22T00:00:00Z', duration: 1d}\n"
	"actors:\n"
	"  - {id: a, level: technical, staff: 1, handling: {default: 10m}}\n"
	"  - {id: b, level: operational, staff: 1, handling: {default: 10m}}\n"
	"  - {id: c, level: technical, staff: 1, handling: {default: 10m},\n"
	"     schedule: {mon-fri: '09:00-17:00'}}\n"
	"channels: [{id: mail, latency: 5m}]\n"
	"incidents: [{id: i, severity: high, required: [a, b]}]\n"
	"scripts: ['%s']\n"
	"%s";

/* a passes an alert on to b as an early warning (created at 10 min,
 * delivered at 15, handled 15-25). */
static const char relay_yaml[] =
	"doctrine:\n"
	"  name: relay\n"
	"  rules:\n"
	"    - {actor: a, on: alert, send: {kind: early-warning, to: b}}\n"
	"injects:\n"
	"  - {id: detect, at: T+0, to: a, kind: alert, incident: i}\n";

typedef struct result {
	int rc;
	char error[4096];
	json_t **records;
	size_t count;
	char *log;
	size_t log_len;
} result;

static tc_scenario *load(const char *lua, const char *extra)
{
	static char lua_path[4096];
	snprintf(lua_path, sizeof lua_path, "%s", test_write_temp("api.lua", lua));
	static char yaml[16384];
	snprintf(yaml, sizeof yaml, base_yaml, lua_path, extra);
	return test_scenario("api.yaml", yaml);
}

static void run_scenario(const tc_scenario *s, const tc_run_options *opt, result *res)
{
	memset(res, 0, sizeof *res);
	FILE *out = open_memstream(&res->log, &res->log_len);
	assert_non_null(out);
	tc_log_json log;
	tc_log_json_init(&log, tc_alloc_default(), out);
	tc_sink sink = tc_log_json_sink(&log);
	tc_run *run = NULL;
	assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, opt, &sink), 0);
	res->rc = tc_run_execute(run);
	if (res->rc)
		snprintf(res->error, sizeof res->error, "%s", tc_run_error_message(run));
	tc_log_json_flush(&log);
	tc_run_free(run);
	tc_log_json_release(&log);
	fclose(out);
	for (char *line = res->log; line && *line;) {
		char *end = strchr(line, '\n');
		assert_non_null(end);
		json_error_t err;
		json_t *j = json_loadb(line, (size_t)(end - line), 0, &err);
		if (!j)
			fail_msg("bad log line: %s", err.text);
		res->records = realloc(res->records, (res->count + 1) * sizeof *res->records);
		res->records[res->count++] = j;
		line = end + 1;
	}
}

static void run_lua(const char *lua, const char *extra, result *res)
{
	tc_scenario *s = load(lua, extra);
	tc_run_options opt = {.seed = 7, .until = TC_TIME_NEVER};
	run_scenario(s, &opt, res);
	tc_scenario_free(s);
}

static void result_release(result *res)
{
	for (size_t i = 0; i < res->count; i++)
		json_decref(res->records[i]);
	free(res->records);
	free(res->log);
}

static const char *str(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(j, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long num(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(j, key);
	if (!json_is_integer(v))
		fail_msg("no integer '%s'", key);
	return json_integer_value(v);
}

/* The n-th record of an event type (optionally with field key == value). */
static const json_t *find(const result *res, const char *event, const char *key,
                          const char *value, size_t n)
{
	for (size_t i = 0; i < res->count; i++) {
		const json_t *r = res->records[i];
		const char *e = str(r, "event");
		if (!e || strcmp(e, event) != 0)
			continue;
		if (key && (!str(r, key) || strcmp(str(r, key), value) != 0))
			continue;
		if (n-- == 0)
			return r;
	}
	return NULL;
}

static const json_t *must(const result *res, const char *event, const char *key,
                          const char *value, size_t n)
{
	const json_t *r = find(res, event, key, value, n);
	if (!r)
		fail_msg("no %s record #%zu with %s = %s", event, n, key ? key : "-",
		         value ? value : "-");
	return r;
}

static size_t count(const result *res, const char *event, const char *key, const char *value)
{
	size_t n = 0;
	while (find(res, event, key, value, n))
		n++;
	return n;
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("expected '%s' in:\n%s", part, text);
}

/* ---- scheduling ---- */

/* at T+01:00 an alert from outside reaches a at once (handled 60-70 min);
 * every 30 min ticks at 30, 60 and 90 min and cancels itself; after 2h
 * logs at 120 min. */
static void at_after_every_cancel(void **state)
{
	(void)state;
	result res;
	run_lua("local n = 0\n"
	        "tocsin.at('T+01:00', function() tocsin.send{to = 'a', kind = 'alert', incident = 'i'} end)\n"
	        "tocsin.every('30m', function(h)\n"
	        "  n = n + 1\n"
	        "  tocsin.log('tick', n, tocsin.format())\n"
	        "  if n == 3 then tocsin.cancel(h) end\n"
	        "end)\n"
	        "tocsin.after('2h', function() tocsin.log('after', tocsin.now()) end)\n",
	        "", &res);
	assert_int_equal(res.rc, 0);
	const json_t *created = must(&res, "message-created", NULL, NULL, 0);
	assert_int_equal(num(created, "t"), 1 * HOUR);
	assert_null(str(created, "from"));
	assert_string_equal(str(created, "to"), "a");
	assert_int_equal(num(created, "severity"), 3);  /* the incident's: high */
	assert_non_null(json_object_get(json_object_get(created, "binding"), "script"));
	assert_int_equal(num(must(&res, "message-handled", NULL, NULL, 0), "t"), 70 * MIN);
	assert_int_equal(count(&res, "script-log", NULL, NULL), 4);
	const char *ticks[] = {"tick\t1\tT+00:30:00", "tick\t2\tT+01:00:00", "tick\t3\tT+01:30:00"};
	for (size_t k = 0; k < 3; k++) {
		const json_t *r = must(&res, "script-log", NULL, NULL, k);
		assert_string_equal(str(r, "text"), ticks[k]);
		assert_int_equal(num(r, "t"), (long long)(k + 1) * 30 * MIN);
	}
	const json_t *after = must(&res, "script-log", NULL, NULL, 3);
	assert_string_equal(str(after, "text"), "after\t7200000");
	result_release(&res);
}

/* ---- reacting ---- */

/* The early warning reaches b at 15 min; the handler answers with a sitrep
 * from b (created at 15, parent the early warning, message 2), delivered to
 * a at 20 and handled 20-30. */
static void on_delivered_with_filter(void **state)
{
	(void)state;
	result res;
	run_lua("tocsin.on('delivered', {to = 'b', kind = 'early-warning'}, function(ev)\n"
	        "  tocsin.log('got', ev.id, ev.from, ev.to, ev.kind, ev.incident)\n"
	        "  tocsin.send{from = 'b', to = 'a', kind = 'sitrep'}\n"
	        "end)\n"
	        "tocsin.on('delivered', {to = 'b', kind = 'ack'}, function() error('never') end)\n",
	        relay_yaml, &res);
	assert_int_equal(res.rc, 0);
	assert_string_equal(str(must(&res, "script-log", NULL, NULL, 0), "text"),
	                    "got\t2\ta\tb\tearly-warning\ti");
	const json_t *sitrep = must(&res, "message-created", "kind", "sitrep", 0);
	assert_int_equal(num(sitrep, "t"), 15 * MIN);
	assert_string_equal(str(sitrep, "from"), "b");
	assert_int_equal(num(json_object_get(sitrep, "binding"), "message"), 2);
	assert_int_equal(num(must(&res, "message-handled", "kind", "sitrep", 0), "t"), 30 * MIN);
	assert_int_equal(count(&res, "script-log", NULL, NULL), 1);
	result_release(&res);
}

/* Filters read message events as their views do: from and to are the
 * message's ends, actor its receiver; other events match on actor only.
 * a handles the alert from outside at 10 min and becomes aware; b handles
 * the early warning from a at 25 min. */
static void filters_read_messages_as_views_do(void **state)
{
	(void)state;
	result res;
	run_lua("tocsin.on('handled', {actor = 'b'}, function(ev) tocsin.log('actor b', ev.kind, ev.actor, tocsin.now()) end)\n"
	        "tocsin.on('handled', {from = 'a'}, function(ev) tocsin.log('from a', ev.kind) end)\n"
	        "tocsin.on('handled', {to = 'a'}, function(ev) tocsin.log('to a', ev.kind) end)\n"
	        "tocsin.on('aware', {actor = 'a'}, function(ev) tocsin.log('a aware', ev.incident) end)\n"
	        "tocsin.on('aware', {from = 'a'}, function() tocsin.log('never') end)\n"
	        "tocsin.on('aware', {kind = 'alert'}, function() tocsin.log('never') end)\n",
	        relay_yaml, &res);
	assert_int_equal(res.rc, 0);
	const char *expected[] = {"to a\talert", "a aware\ti", "actor b\tearly-warning\tb\t1500000",
	                          "from a\tearly-warning"};
	assert_int_equal(count(&res, "script-log", NULL, NULL), 4);
	for (size_t k = 0; k < 4; k++)
		assert_string_equal(str(must(&res, "script-log", NULL, NULL, k), "text"), expected[k]);
	result_release(&res);
}

/* b becomes aware when it has handled the early warning, at 25 min: the
 * predicate holds after that event and the callback runs once, then. */
static void when_fires_once_when_state_holds(void **state)
{
	(void)state;
	result res;
	run_lua("tocsin.when(function() return tocsin.aware('b', 'i') ~= nil end, function()\n"
	        "  tocsin.set_staff('a', 0)\n"
	        "  tocsin.log('b aware at', tocsin.now(), tocsin.actor('b'):aware('i'))\n"
	        "end)\n",
	        relay_yaml, &res);
	assert_int_equal(res.rc, 0);
	const json_t *staff = must(&res, "staff-changed", NULL, NULL, 0);
	assert_int_equal(num(staff, "t"), 25 * MIN);
	assert_int_equal(num(staff, "staff"), 0);
	assert_non_null(json_object_get(json_object_get(staff, "cause"), "script"));
	assert_string_equal(str(must(&res, "script-log", NULL, NULL, 0), "text"),
	                    "b aware at\t1500000\t1500000");
	assert_int_equal(count(&res, "script-log", NULL, NULL), 1);
	result_release(&res);
}

/* The contingency inject: the early warning reaches b at 15 min, so a
 * deadline of 20 min is met and nothing is sent; with 10 min it is missed
 * and the alert goes out at 10 min. */
static void unless_is_a_one_line_contingency(void **state)
{
	(void)state;
	static const char lua[] =
		"tocsin.unless('%s', 'delivered', {to = 'b', kind = 'early-warning'}, function()"
		" tocsin.send{to = 'b', kind = 'alert', incident = 'i', body = 'did you hear?'} end)\n";
	char text[512];
	result res;
	snprintf(text, sizeof text, lua, "T+00:20");
	run_lua(text, relay_yaml, &res);
	assert_int_equal(res.rc, 0);
	assert_null(find(&res, "message-created", "body", "did you hear?", 0));
	result_release(&res);

	snprintf(text, sizeof text, lua, "T+00:10");
	run_lua(text, relay_yaml, &res);
	assert_int_equal(res.rc, 0);
	const json_t *sent = must(&res, "message-created", "body", "did you hear?", 0);
	assert_int_equal(num(sent, "t"), 10 * MIN);
	assert_string_equal(str(sent, "to"), "b");
	result_release(&res);
}

/* ---- acting ---- */

/* c works 09:00-17:00; an alert reaches it at 00:00. At 01:00 a script puts
 * c on 24/7: handled 01:00-01:10, the hour's wait all off-hours. At 02:00 c
 * is sent home; a second alert at 03:00 waits; at 05:00 c is back on its
 * schedule, so the alert waits until 09:00: six hours off-hours (two sent
 * home, four off schedule), handled 09:00-09:10. */
static void hours_override_and_the_off_hours_split(void **state)
{
	(void)state;
	result res;
	run_lua("tocsin.at('T+01:00', function() tocsin.set_hours('c', 'always') end)\n"
	        "tocsin.at('T+02:00', function() tocsin.set_hours('c', 'off') end)\n"
	        "tocsin.at('T+03:00', function() tocsin.send{to = 'c', kind = 'alert'} end)\n"
	        "tocsin.at('T+05:00', function()\n"
	        "  tocsin.log(tocsin.actor('c').hours, tocsin.actor('c').queued, tocsin.actor('c').on_duty)\n"
	        "  tocsin.set_hours('c', 'schedule')\n"
	        "end)\n",
	        "injects: [{id: night, at: T+0, to: c, kind: alert}]\n", &res);
	assert_int_equal(res.rc, 0);
	const json_t *first = must(&res, "message-handled", NULL, NULL, 0);
	assert_int_equal(num(first, "t"), 70 * MIN);
	assert_int_equal(num(json_object_get(first, "wait"), "off_hours"), 1 * HOUR);
	assert_int_equal(num(json_object_get(first, "wait"), "queue"), 0);
	const json_t *second = must(&res, "message-handled", NULL, NULL, 1);
	assert_int_equal(num(second, "t"), 9 * HOUR + 10 * MIN);
	assert_int_equal(num(json_object_get(second, "wait"), "off_hours"), 6 * HOUR);
	assert_string_equal(str(must(&res, "hours-changed", NULL, NULL, 1), "hours"), "off");
	assert_string_equal(str(must(&res, "script-log", NULL, NULL, 0), "text"), "off\t1\tfalse");
	result_release(&res);
}

/* A second incident opened at 00:00 and escalated; the alert about it
 * takes its current severity; a becomes aware of it at 10 min. */
static void open_and_escalate_an_incident(void **state)
{
	(void)state;
	result res;
	run_lua("tocsin.at(0, function()\n"
	        "  local j = tocsin.open_incident{id = 'j', title = 'second wave', severity = 'medium',\n"
	        "                                 detector = 'a', required = {'a', 'b'}}\n"
	        "  tocsin.escalate('j', 'critical')\n"
	        "  tocsin.send{to = 'a', kind = 'alert', incident = 'j'}\n"
	        "  tocsin.log(j.id, j.title, j.severity, j.opened)\n"
	        "end)\n",
	        "", &res);
	assert_int_equal(res.rc, 0);
	const json_t *opened = must(&res, "incident-opened", NULL, NULL, 0);
	assert_string_equal(str(opened, "incident"), "j");
	assert_string_equal(str(opened, "title"), "second wave");
	assert_int_equal(num(opened, "severity"), 2);
	assert_string_equal(str(opened, "detector"), "a");
	assert_int_equal(json_array_size(json_object_get(opened, "required")), 2);
	const json_t *esc = must(&res, "incident-escalated", NULL, NULL, 0);
	assert_int_equal(num(esc, "from"), 2);
	assert_int_equal(num(esc, "severity"), 4);
	assert_int_equal(num(must(&res, "message-created", NULL, NULL, 0), "severity"), 4);
	const json_t *aware = must(&res, "actor-aware", "incident", "j", 0);
	assert_int_equal(num(aware, "t"), 10 * MIN);
	assert_string_equal(str(must(&res, "script-log", NULL, NULL, 0), "text"),
	                    "j\tsecond wave\tcritical\ttrue");
	result_release(&res);
}

/* mail goes down at 5 min and up at 1 h: the early warning created at
 * 10 min is held until 1 h and delivered at 1 h 05. */
static void channel_down_and_up(void **state)
{
	(void)state;
	result res;
	run_lua("tocsin.at('5m', function() tocsin.channel_down('mail') end)\n"
	        "tocsin.at('1h', function()\n"
	        "  tocsin.log(tocsin.channel('mail').up)\n"
	        "  tocsin.channel_up('mail')\n"
	        "end)\n",
	        relay_yaml, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(num(must(&res, "message-held", NULL, NULL, 0), "t"), 10 * MIN);
	assert_int_equal(num(must(&res, "message-delivered", "kind", "early-warning", 0), "t"),
	                 65 * MIN);
	assert_string_equal(str(must(&res, "script-log", NULL, NULL, 0), "text"), "false");
	result_release(&res);
}

/* tocsin.end_exercise at 2 h ends the run there. */
static void end_exercise(void **state)
{
	(void)state;
	result res;
	run_lua("tocsin.at('2h', function() tocsin.end_exercise() end)\n", "", &res);
	assert_int_equal(res.rc, 0);
	const json_t *end = must(&res, "run-ended", NULL, NULL, 0);
	assert_int_equal(num(end, "t"), 2 * HOUR);
	assert_string_equal(str(end, "reason"), "script");
	result_release(&res);
}

/* ---- doctrine handlers ---- */

/* a's rules propose an early warning and an info to b at 10 min; its Lua
 * handler raises the first to critical, vetoes the second and adds a sitrep. */
static void lua_handler_sees_and_changes_the_rules_output(void **state)
{
	(void)state;
	const char *handlers = test_write_temp("handlers.lua",
		"return {\n"
		"  a = function(msg, ctx)\n"
		"    tocsin.log(ctx.actor, msg.kind, msg.from, #ctx.outbox, ctx.outbox[1].kind, ctx.outbox[1].to)\n"
		"    ctx.outbox[1].severity = 'critical'\n"
		"    ctx.outbox[2].veto = true\n"
		"    ctx.send{to = 'b', kind = 'sitrep', body = 'from lua'}\n"
		"  end,\n"
		"}\n");
	char extra[2048];
	snprintf(extra, sizeof extra,
	         "doctrine:\n"
	         "  name: mixed\n"
	         "  script: '%s'\n"
	         "  rules:\n"
	         "    - {actor: a, on: alert, send: [{kind: early-warning, to: b}, {kind: info, to: b}]}\n"
	         "injects:\n"
	         "  - {id: detect, at: T+0, to: a, kind: alert, incident: i}\n",
	         handlers);
	result res;
	run_lua("-- the doctrine does it all\n", extra, &res);
	assert_int_equal(res.rc, 0);
	assert_string_equal(str(must(&res, "script-log", NULL, NULL, 0), "text"),
	                    "a\talert\tnil\t2\tearly-warning\tb");
	const json_t *ew = must(&res, "message-created", "kind", "early-warning", 0);
	assert_int_equal(num(ew, "t"), 10 * MIN);
	assert_int_equal(num(ew, "severity"), 4);
	assert_null(find(&res, "message-created", "kind", "info", 0));
	const json_t *sitrep = must(&res, "message-created", "kind", "sitrep", 0);
	assert_string_equal(str(sitrep, "body"), "from lua");
	assert_string_equal(str(sitrep, "from"), "a");
	assert_int_equal(num(json_object_get(sitrep, "binding"), "message"), 1);
	assert_int_equal(num(must(&res, "message-created", "kind", "early-warning", 0), "msg") + 1,
	                 num(sitrep, "msg"));
	result_release(&res);
}

/* Runs api.lua with a doctrine whose Lua handlers are handlers_lua and whose
 * rule has a propose an early warning and an info to b when it handles an
 * alert (at 10 min). */
static void run_with_handlers(const char *lua, const char *handlers_lua, result *res)
{
	static char handlers[4096];
	snprintf(handlers, sizeof handlers, "%s", test_write_temp("handlers.lua", handlers_lua));
	char extra[6000];
	snprintf(extra, sizeof extra,
	         "doctrine:\n"
	         "  name: mixed\n"
	         "  script: '%s'\n"
	         "  rules:\n"
	         "    - {actor: a, on: alert, send: [{kind: early-warning, to: b}, {kind: info, to: b}]}\n"
	         "injects:\n"
	         "  - {id: detect, at: T+0, to: a, kind: alert, incident: i}\n",
	         handlers);
	run_lua(lua, extra, res);
}

/* A handler that never reads ctx.outbox sends the rules' proposals and what
 * ctx.send added, in that order, as they were; one that reads it after
 * ctx.send sees every entry with its keys. */
static void the_outbox_is_built_when_read(void **state)
{
	(void)state;
	result res;
	run_with_handlers("-- the doctrine does it all\n", "return {a = function(msg, ctx)\n"
	                      "  ctx.send{to = 'b', kind = 'sitrep', body = 'first', tlp = 'red'}\n"
	                      "end}\n", &res);
	assert_int_equal(res.rc, 0);
	const char *kinds[] = {"early-warning", "info", "sitrep"};
	for (size_t k = 0; k < 3; k++) {
		const json_t *m = must(&res, "message-created", "from", "a", k);
		assert_string_equal(str(m, "kind"), kinds[k]);
		assert_int_equal(num(m, "t"), 10 * MIN);
		assert_int_equal(num(json_object_get(m, "binding"), "message"), 1);
		assert_int_equal(num(m, "severity"), 3);
		assert_string_equal(str(m, "incident"), "i");
	}
	assert_string_equal(str(must(&res, "message-created", "kind", "sitrep", 0), "tlp"), "RED");
	assert_string_equal(str(must(&res, "message-created", "kind", "sitrep", 0), "body"), "first");
	result_release(&res);

	run_with_handlers("-- the doctrine does it all\n", "return {a = function(msg, ctx)\n"
	                      "  ctx.send{to = 'b', kind = 'sitrep', body = 'first', parent = 1}\n"
	                      "  ctx.send{to = 'b', kind = 'ack', veto = true}\n"
	                      "  local e = ctx.outbox[3]\n"
	                      "  tocsin.log(#ctx.outbox, e.kind, e.to, e.body, e.severity, e.tlp, e.incident, e.from, e.parent)\n"
	                      "  ctx.outbox[1].veto = true\n"
	                      "  ctx.send{to = 'b', kind = 'decision'}\n"
	                      "end}\n", &res);
	assert_int_equal(res.rc, 0);
	assert_string_equal(str(must(&res, "script-log", NULL, NULL, 0), "text"),
	                    "3\tsitrep\tb\tfirst\thigh\tAMBER\ti\tnil\tnil");
	const char *sent[] = {"info", "sitrep", "decision"};
	for (size_t k = 0; k < 3; k++)
		assert_string_equal(str(must(&res, "message-created", "from", "a", k), "kind"), sent[k]);
	assert_null(find(&res, "message-created", "from", "a", 3));
	result_release(&res);
}

/* Two actors' handlers answer each other with ctx.send: each has its own
 * ctx.send, still there at every call. a handles the alert at 10 min and
 * tells b (15 min), which answers (25, 30), and so on: a sends at 10, 40,
 * 70 and 100 min, b answers at 25, 55, 85 and 115 min, then a stops. */
static void handlers_of_two_actors_answer_each_other(void **state)
{
	(void)state;
	result res;
	run_with_handlers("-- the doctrine does it all\n",
	                  "local sent = 0\n"
	                  "return {\n"
	                  "  a = function(msg, ctx)\n"
	                  "    if sent < 4 then sent = sent + 1; ctx.send{to = 'b', kind = 'sitrep'} end\n"
	                  "    for _, e in ipairs(ctx.outbox) do e.veto = e.kind ~= 'sitrep' end\n"
	                  "  end,\n"
	                  "  b = function(msg, ctx)\n"
	                  "    if msg.kind == 'sitrep' then ctx.send{to = msg.from, kind = 'sitrep'} end\n"
	                  "  end,\n"
	                  "}\n", &res);
	assert_int_equal(res.rc, 0);
	const long long at[] = {10, 25, 40, 55, 70, 85, 100, 115};
	for (size_t k = 0; k < 8; k++) {
		const json_t *m = must(&res, "message-created", "kind", "sitrep", k);
		assert_int_equal(num(m, "t"), at[k] * MIN);
		assert_string_equal(str(m, "from"), k % 2 ? "b" : "a");
	}
	assert_null(find(&res, "message-created", "kind", "sitrep", 8));
	result_release(&res);
}

/* An actor's ctx is the same table at each call (what the handler keeps
 * in it stays), with a new outbox each time: a at 10 min with the rules'
 * two proposals and a sitrep added; b (one handler) takes the three in
 * turn from 15 min and answers the sitrep at 45; a handles the answer at
 * 60 min with an empty outbox, and replaces it with an empty one. */
static void ctx_is_the_actors_and_its_outbox_the_calls(void **state)
{
	(void)state;
	result res;
	run_with_handlers("-- the doctrine does it all\n",
	                  "return {\n"
	                  "  a = function(msg, ctx)\n"
	                  "    ctx.calls = (ctx.calls or 0) + 1\n"
	                  "    tocsin.log(ctx.calls, msg.kind, #ctx.outbox)\n"
	                  "    ctx.outbox[#ctx.outbox + 1] = {to = 'b', kind = 'sitrep'}\n"
	                  "    if ctx.calls == 2 then ctx.outbox = {} end\n"
	                  "  end,\n"
	                  "  b = function(msg, ctx)\n"
	                  "    if msg.kind == 'sitrep' then ctx.send{to = 'a', kind = 'decision'} end\n"
	                  "  end,\n"
	                  "}\n", &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(count(&res, "script-log", NULL, NULL), 2);
	assert_string_equal(str(must(&res, "script-log", NULL, NULL, 0), "text"), "1\talert\t2");
	assert_string_equal(str(must(&res, "script-log", NULL, NULL, 1), "text"), "2\tdecision\t0");
	assert_int_equal(num(must(&res, "script-log", NULL, NULL, 1), "t"), 60 * MIN);
	assert_int_equal(count(&res, "message-created", "kind", "sitrep"), 1);
	result_release(&res);
}

/* ctx.send and ctx.outbox belong to one call of the handler. */
static void ctx_outlives_its_call_only_as_an_error(void **state)
{
	(void)state;
	result res;
	run_with_handlers("-- the doctrine does it all\n", "local saved\n"
	                      "tocsin.at('1h', function() saved.send{to = 'b', kind = 'info'} end)\n"
	                      "return {a = function(msg, ctx) saved = ctx end}\n", &res);
	assert_int_equal(res.rc, TC_ESCRIPT);
	assert_contains(res.error, "ctx.send was called after its handler returned");
	result_release(&res);
	run_with_handlers("-- the doctrine does it all\n", "local saved\n"
	                      "tocsin.at('1h', function() return saved.outbox end)\n"
	                      "return {a = function(msg, ctx) saved = ctx end}\n", &res);
	assert_int_equal(res.rc, TC_ESCRIPT);
	assert_contains(res.error, "ctx.outbox was read after its handler returned");
	result_release(&res);
}

/* ---- errors ---- */

static void expect_failure(const char *lua, const char *extra, int rc, const char *const *parts)
{
	result res;
	run_lua(lua, extra, &res);
	assert_int_equal(res.rc, rc);
	for (; *parts; parts++)
		assert_contains(res.error, *parts);
	assert_null(find(&res, "run-ended", NULL, NULL, 0));
	result_release(&res);
}

/* retry as in a doctrine rule: a positive delay, 3 resends by default. b
 * never acks the alert sent at 0: resent at 1, 2 and 3 h. */
static void retry_as_in_the_yaml(void **state)
{
	(void)state;
	result res;
	run_lua("tocsin.at(0, function()\n"
	        "  tocsin.send{from = 'a', to = 'b', kind = 'alert', retry = {after = '1h'}}\n"
	        "end)\n", "", &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(count(&res, "retry", NULL, NULL), 3);
	for (size_t k = 0; k < 3; k++)
		assert_int_equal(num(must(&res, "retry", NULL, NULL, k), "t"), (long long)(k + 1) * HOUR);
	result_release(&res);
	const char *zero[] = {"api.lua:1:", "retry.after must be a positive delay", NULL};
	expect_failure("tocsin.at(0, function() tocsin.send{from = 'a', to = 'b', kind = 'alert',"
	               " retry = {after = 0}} end)\n", "", TC_ESCRIPT, zero);
	const char *max[] = {"retry.max from 1 to 100", NULL};
	expect_failure("tocsin.at(0, function() tocsin.send{from = 'a', to = 'b', kind = 'alert',"
	               " retry = {after = '1h', max = 0}} end)\n", "", TC_ESCRIPT, max);
}

static void runtime_error_names_file_line_callback_and_time(void **state)
{
	(void)state;
	const char *parts[] = {"at T+01:00:00", "api.lua:2:", "boom", "timer registered at",
	                       "api.lua:1", "traceback", NULL};
	expect_failure("tocsin.at('T+01:00', function()\n"
	               "  error('boom')\n"
	               "end)\n",
	               "", TC_ESCRIPT, parts);
}

static void errors_can_be_recorded_and_the_run_goes_on(void **state)
{
	(void)state;
	tc_scenario *s = load("tocsin.at('T+01:00', function() error('boom') end)\n"
	                      "tocsin.at('T+02:00', function() tocsin.log('still here') end)\n", "");
	tc_run_options opt = {.seed = 7, .until = TC_TIME_NEVER, .script_errors_continue = 1};
	result res;
	run_scenario(s, &opt, &res);
	assert_int_equal(res.rc, 0);
	const json_t *err = must(&res, "script-error", NULL, NULL, 0);
	assert_int_equal(num(err, "t"), 1 * HOUR);
	assert_contains(str(err, "error"), "boom");
	assert_int_equal(num(must(&res, "script-log", NULL, NULL, 0), "t"), 2 * HOUR);
	assert_non_null(find(&res, "run-ended", NULL, NULL, 0));
	result_release(&res);
	tc_scenario_free(s);
}

static void acting_while_loading_is_refused(void **state)
{
	(void)state;
	const char *parts[] = {"api.lua:1:", "tocsin.send cannot be called while the script loads",
	                       NULL};
	expect_failure("tocsin.send{to = 'a', kind = 'alert'}\n", "", TC_ESCRIPT, parts);
}

static void a_view_read_after_its_callback_is_an_error(void **state)
{
	(void)state;
	const char *parts[] = {"api.lua:3:", "was read after its callback returned", NULL};
	expect_failure("local saved\n"
	               "tocsin.on('delivered', function(ev) saved = ev end)\n"
	               "tocsin.at('2h', function() return saved.kind end)\n",
	               relay_yaml, TC_ESCRIPT, parts);
}

static void unknown_names_get_suggestions(void **state)
{
	(void)state;
	const char *kind[] = {"unknown message kind 'alrt' (did you mean 'alert'?)", NULL};
	expect_failure("tocsin.at(0, function() tocsin.send{to = 'a', kind = 'alrt'} end)\n", "",
	               TC_ESCRIPT, kind);
	const char *actor[] = {"unknown actor 'bb'", "api.lua:1:", NULL};
	expect_failure("tocsin.on('delivered', {to = 'bb'}, print)\n", "", TC_ESCRIPT, actor);
	const char *event[] = {"unknown event 'delivred'", NULL};
	expect_failure("tocsin.on('delivred', print)\n", "", TC_ESCRIPT, event);
	const char *field[] = {"api.lua:1:", "an actor has no field 'staf'", NULL};
	expect_failure("tocsin.at(0, function() return tocsin.actor('a').staf end)\n", "",
	               TC_ESCRIPT, field);
	const char *past[] = {"is in the past", NULL};
	expect_failure("tocsin.at('2h', function() tocsin.at('1h', print) end)\n", "", TC_ESCRIPT,
	               past);
}

static void doctrine_for_an_unknown_actor(void **state)
{
	(void)state;
	const char *handlers = test_write_temp("bad.lua", "return {b = print, cc = function() end}\n");
	char extra[1024];
	snprintf(extra, sizeof extra, "doctrine: '%s'\n", handlers);
	const char *parts[] = {"bad.lua: handler for unknown actor 'cc'", NULL};
	tc_scenario *s = load("-- nothing\n", extra);
	tc_run *run = NULL;
	tc_run_options opt = {.seed = 1, .until = TC_TIME_NEVER};
	assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, &opt, NULL), 0);
	assert_int_equal(tc_run_prepare(run), TC_ESCRIPT);
	for (const char *const *p = parts; *p; p++)
		assert_contains(tc_run_error_message(run), *p);
	tc_run_free(run);
	tc_scenario_free(s);
}

/* An infinite loop meets the instruction budget, a table bomb the memory
 * budget: both end the run with a message. */
static void budgets_end_runaway_callbacks(void **state)
{
	(void)state;
	tc_scenario *s = load("tocsin.at('1h', function() while true do end end)\n", "");
	tc_run_options opt = {.seed = 7, .until = TC_TIME_NEVER, .script_instructions = 100000};
	result res;
	run_scenario(s, &opt, &res);
	assert_int_equal(res.rc, TC_ESCRIPT);
	assert_contains(res.error, "instruction");
	assert_contains(res.error, "at T+01:00:00");
	result_release(&res);
	tc_scenario_free(s);

	s = load("tocsin.at('1h', function() local t = {} for i = 1, 1e9 do t[i] = {i} end end)\n",
	         "");
	opt = (tc_run_options){.seed = 7, .until = TC_TIME_NEVER, .script_memory = 4 << 20};
	run_scenario(s, &opt, &res);
	assert_int_equal(res.rc, TC_ESCRIPT);
	assert_contains(res.error, "memory");
	result_release(&res);
	tc_scenario_free(s);
}

static int count_records(void *ud, const tc_run *run, const tc_record *rec)
{
	(void)run;
	(void)rec;
	(*(uint64_t *)ud)++;
	return 0;
}

/* Without a sink the engine skips filling the records nobody reads; a
 * script's own records (here the log lines of a tocsin.on handler) must
 * not pass for the record before them, which the handler listens to. The
 * run is the same with and without a sink. */
static void runs_without_a_sink_are_the_same(void **state)
{
	(void)state;
	tc_scenario *s = load("local n = 0\n"
	                      "tocsin.on('handled', function(ev) n = n + 1; tocsin.log(n, ev.kind) end)\n"
	                      "tocsin.on('aware', function(ev) tocsin.log(ev.actor) end)\n", relay_yaml);
	tc_run_options opt = {.seed = 7, .until = TC_TIME_NEVER};
	uint64_t records = 0;
	tc_sink sink = {count_records, &records};
	tc_run_stats with, without;
	for (int k = 0; k < 2; k++) {
		tc_run *run = NULL;
		assert_int_equal(tc_run_new(&run, tc_alloc_default(), s, &opt, k ? NULL : &sink), 0);
		if (tc_run_execute(run))
			fail_msg("%s", tc_run_error_message(run));
		*(k ? &without : &with) = *tc_run_stats_of(run);
		tc_run_free(run);
	}
	assert_int_equal(records, with.records);
	assert_int_equal(with.records, without.records);
	assert_int_equal(with.events, without.events);
	assert_int_equal(with.messages, without.messages);
	tc_scenario_free(s);
}

/* When the machine's memory runs out (not the scripts' budget), the run
 * fails with TC_ENOMEM wherever it happens: compiling, a top level, a
 * callback building tables, a doctrine handler; even when script errors
 * are recorded and skipped. Nothing leaks. */
static void out_of_memory_is_not_a_script_error(void **state)
{
	(void)state;
	const char *handlers = test_write_temp("oom-handlers.lua",
		"return {a = function(msg, ctx) ctx.send{to = 'b', kind = 'sitrep', body = ('x'):rep(100)} end}\n");
	char extra[1024];
	snprintf(extra, sizeof extra,
	         "doctrine: {name: oom, script: '%s'}\n"
	         "injects: [{id: detect, at: T+0, to: a, kind: alert, incident: i}]\n", handlers);
	tc_scenario *s = load("local kept = {}\n"
	                      "tocsin.every('1h', function(h)\n"
	                      "  kept[#kept + 1] = {n = #kept, text = ('y'):rep(64)}\n"
	                      "  if #kept == 5 then tocsin.cancel(h) end\n"
	                      "end)\n"
	                      "tocsin.on('handled', function(ev) tocsin.log(ev.kind, ev.to) end)\n", extra);
	tc_run_options opt = {.seed = 7, .until = TC_TIME_NEVER, .script_errors_continue = 1};
	tc_failing_alloc fa;
	tc_failing_alloc_init(&fa, -1);
	tc_run *run = NULL;
	assert_int_equal(tc_run_new(&run, &fa.alloc, s, &opt, NULL), TC_OK);
	if (tc_run_execute(run) != TC_OK)
		fail_msg("%s", tc_run_error_message(run));
	tc_run_free(run);
	long total = fa.allocations;
	assert_true(total > 100);
	for (long k = 0; k < total; k++) {
		tc_failing_alloc_init(&fa, k);
		run = NULL;
		int rc = tc_run_new(&run, &fa.alloc, s, &opt, NULL);
		if (rc == TC_OK)
			rc = tc_run_execute(run);
		if (rc != TC_ENOMEM)
			fail_msg("allocation %ld of %ld: result %d (%s)", k, total, rc,
			         run ? tc_run_error_message(run) : "no run");
		tc_run_free(run);
		if (fa.live_blocks != 0)
			fail_msg("allocation %ld of %ld: %ld blocks leaked", k, total, fa.live_blocks);
	}
	tc_scenario_free(s);
}

/* ---- determinism ---- */

static const char random_lua[] =
	"local t = {zulu = 1, alpha = 2, [3] = 'c', [1] = 'a', mike = 3, [2] = 'b'}\n"
	"tocsin.every('1h', function()\n"
	"  local keys = {}\n"
	"  for k in pairs(t) do keys[#keys + 1] = tostring(k) end\n"
	"  tocsin.log(table.concat(keys, ','), tocsin.random(1, 1000000), math.random(),\n"
	"             tocsin.draw{dist = 'lognormal', median = '20m', p90 = '1h'}, tostring({}))\n"
	"end)\n";

static void same_seed_same_log_and_canonical_order(void **state)
{
	(void)state;
	result one, two;
	run_lua(random_lua, relay_yaml, &one);
	run_lua(random_lua, relay_yaml, &two);
	assert_int_equal(one.rc, 0);
	assert_int_equal(one.log_len, two.log_len);
	assert_memory_equal(one.log, two.log, one.log_len);
	const char *first = str(must(&one, "script-log", NULL, NULL, 0), "text");
	assert_true(strncmp(first, "1,2,3,alpha,mike,zulu\t", 22) == 0);
	assert_null(strstr(one.log, "0x"));
	result_release(&one);
	result_release(&two);
}

/* Each script draws from its own stream: adding a script with draws of its
 * own leaves the first script's draws as they were. */
static void scripts_draw_from_their_own_streams(void **state)
{
	(void)state;
	result alone, with_other;
	run_lua(random_lua, "", &alone);
	/* The second script goes in through the load options, as --script does. */
	tc_scenario *s = NULL;
	static char lua_path[4096];
	snprintf(lua_path, sizeof lua_path, "%s", test_write_temp("api.lua", random_lua));
	static char yaml[16384];
	snprintf(yaml, sizeof yaml, base_yaml, lua_path, "");
	static char yaml_path[4096];  /* test_write_temp's buffer is reused */
	snprintf(yaml_path, sizeof yaml_path, "%s", test_write_temp("api2.yaml", yaml));
	const char *extra_scripts[] = {test_write_temp("other.lua",
		"tocsin.every('10m', function() tocsin.log('other', math.random()) end)\n")};
	tc_load_options lopt = {.script_paths = extra_scripts, .script_path_count = 1};
	const char *errors = NULL;
	int rc = test_load_file(yaml_path, &lopt, &s, &errors);
	if (rc)
		fail_msg("%s", errors);
	tc_run_options opt = {.seed = 7, .until = TC_TIME_NEVER};
	run_scenario(s, &opt, &with_other);
	assert_int_equal(with_other.rc, 0);
	assert_true(count(&with_other, "script-log", NULL, NULL) > count(&alone, "script-log", NULL, NULL));
	for (size_t k = 0; k < 5; k++) {
		const char *a = str(must(&alone, "script-log", NULL, NULL, k), "text");
		size_t n = 0, found = 0;
		const json_t *r;
		while ((r = find(&with_other, "script-log", NULL, NULL, n++)))
			if (strncmp(str(r, "text"), "other", 5) != 0 && found++ == k) {
				/* the serial of tostring({}) may differ; compare the draws */
				const char *b = str(r, "text");
				const char *cut_a = strrchr(a, '\t'), *cut_b = strrchr(b, '\t');
				assert_int_equal(cut_a - a, cut_b - b);
				assert_memory_equal(a, b, (size_t)(cut_a - a));
				break;
			}
	}
	result_release(&alone);
	result_release(&with_other);
	tc_scenario_free(s);
}

/* Every allocation of a run with Lua may fail: the run then fails cleanly
 * (out of memory, or a script error when Lua's own allocation failed),
 * never crashes, and leaks nothing. */
static void allocation_failures_fail_cleanly(void **state)
{
	(void)state;
	tc_scenario *s = load("tocsin.every('20m', function(h) tocsin.send{to = 'a', kind = 'alert',"
	                      " incident = 'i', body = 'x'} end)\n"
	                      "tocsin.on('handled', {kind = 'early-warning'}, function(ev)"
	                      " tocsin.log(ev.kind, ev.to) end)\n", relay_yaml);
	tc_run_options opt = {.seed = 7, .until = 3 * HOUR};
	tc_failing_alloc probe;
	tc_failing_alloc_init(&probe, -1);
	tc_run *run = NULL;
	assert_int_equal(tc_run_new(&run, &probe.alloc, s, &opt, NULL), 0);
	if (tc_run_execute(run))
		fail_msg("%s", tc_run_error_message(run));
	tc_run_free(run);
	long total = probe.allocations;
	assert_true(total > 100);
	for (long k = 0; k < total; k += k < 400 ? 1 : 13) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		run = NULL;
		int rc = tc_run_new(&run, &fa.alloc, s, &opt, NULL);
		if (rc == 0)
			rc = tc_run_execute(run);
		if (rc != TC_ENOMEM && rc != TC_ESCRIPT)
			fail_msg("failing allocation %ld of %ld: result %d", k, total, rc);
		tc_run_free(run);
		if (fa.live_blocks != 0)
			fail_msg("failing allocation %ld: %ld blocks leaked", k, fa.live_blocks);
	}
	tc_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(at_after_every_cancel),
		cmocka_unit_test(on_delivered_with_filter),
		cmocka_unit_test(filters_read_messages_as_views_do),
		cmocka_unit_test(retry_as_in_the_yaml),
		cmocka_unit_test(when_fires_once_when_state_holds),
		cmocka_unit_test(unless_is_a_one_line_contingency),
		cmocka_unit_test(hours_override_and_the_off_hours_split),
		cmocka_unit_test(open_and_escalate_an_incident),
		cmocka_unit_test(channel_down_and_up),
		cmocka_unit_test(end_exercise),
		cmocka_unit_test(lua_handler_sees_and_changes_the_rules_output),
		cmocka_unit_test(the_outbox_is_built_when_read),
		cmocka_unit_test(handlers_of_two_actors_answer_each_other),
		cmocka_unit_test(ctx_is_the_actors_and_its_outbox_the_calls),
		cmocka_unit_test(ctx_outlives_its_call_only_as_an_error),
		cmocka_unit_test(runtime_error_names_file_line_callback_and_time),
		cmocka_unit_test(errors_can_be_recorded_and_the_run_goes_on),
		cmocka_unit_test(acting_while_loading_is_refused),
		cmocka_unit_test(a_view_read_after_its_callback_is_an_error),
		cmocka_unit_test(unknown_names_get_suggestions),
		cmocka_unit_test(doctrine_for_an_unknown_actor),
		cmocka_unit_test(budgets_end_runaway_callbacks),
		cmocka_unit_test(runs_without_a_sink_are_the_same),
		cmocka_unit_test(out_of_memory_is_not_a_script_error),
		cmocka_unit_test(same_seed_same_log_and_canonical_order),
		cmocka_unit_test(scripts_draw_from_their_own_streams),
		cmocka_unit_test(allocation_failures_fail_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
