/*
 * The engine's loop when every handled message calls a Lua doctrine
 * handler: the ping-pong of bench_pingpong.c (two actors answering each
 * other through a channel, drawn latency and handling times, no log), with
 * the answer decided in Lua. Each message costs two queue events, five
 * records and one call of a handler(msg, ctx) through the sandbox.
 *
 * Cases:
 *   yaml      the YAML rule alone (no Lua): the baseline, as bench_pingpong;
 *   outbox    the YAML rule proposes the answer; the Lua handler looks at
 *             the message and leaves the proposal as it is;
 *   outbox-read  the same, the handler reading the proposal in ctx.outbox;
 *   send      a Lua-only doctrine: the handler answers with ctx.send;
 *   when      the yaml case with one tocsin.when predicate, checked after
 *             every event (the cost of a predicate per event).
 * One ball in play (a queue of two events) and 1 000 (about 1 000 pending,
 * staff 1 000 each so that none waits).
 * Prints tab-separated lines: benchmark, case, median, best, unit.
 * Usage: bench_lua [repetitions]   (default 5)
 * BENCH_LUA_CASE=NAME runs that case alone, and BENCH_LUA_EVENTS=N sets the
 * events of a repetition (default 2 000 000): to profile one case, or count
 * its instructions under valgrind.
 */
#include "bench_util.h"

#include <stdint.h>
#include <string.h>

#include "sim/run.h"

/* Events per repetition: the run stops at the time that many events take
 * (a message takes 2.44 s on average and two events). */
static double events_per_rep = 2000000;

typedef struct bench_case {
	const char *name;
	const char *rules;    /* YAML rules of the doctrine (NULL: none) */
	const char *handlers; /* the doctrine's Lua handlers (NULL: none) */
	const char *script;   /* a scenario script (NULL: none) */
} bench_case;

static const char yaml_rules[] =
	"    - {actor: a, on: ping, send: {kind: ping, to: sender}}\n"
	"    - {actor: b, on: ping, send: {kind: ping, to: sender}}\n";

static const bench_case cases[] = {
	{"yaml", yaml_rules, NULL, NULL},
	{"outbox", yaml_rules,
	 "local function keep(msg, ctx)\n"
	 "  if msg.kind ~= 'ping' then error('not a ping') end\n"
	 "end\n"
	 "return {a = keep, b = keep}\n",
	 NULL},
	{"outbox-read", yaml_rules,
	 "local function keep(msg, ctx)\n"
	 "  if ctx.outbox[1].kind ~= 'ping' then error('no ping proposed') end\n"
	 "end\n"
	 "return {a = keep, b = keep}\n",
	 NULL},
	{"send", NULL,
	 "local function answer(msg, ctx)\n"
	 "  ctx.send{to = msg.from, kind = 'ping'}\n"
	 "end\n"
	 "return {a = answer, b = answer}\n",
	 NULL},
	{"when", yaml_rules, NULL,
	 "tocsin.when(function() return false end, function() end)\n"},
};

static tc_time until_for(unsigned balls)
{
	return (tc_time)(events_per_rep / 2.0 / balls * 2440.0);
}

/* Writes text into a fresh temporary file whose name ends in suffix. */
static int write_temp(char *path, size_t size, const char *suffix, const char *text)
{
	char base[4096];
	FILE *f = bench_temp_yaml(base, sizeof base);
	if (!f)
		return -1;
	fclose(f);
	remove(base);
	snprintf(path, size, "%s%s", base, suffix);
	if (!(f = fopen(path, "w")))
		return -1;
	fputs(text, f);
	return fclose(f);
}

static tc_scenario *make_scenario(const bench_case *c, unsigned balls)
{
	char path[4096], handlers[4200] = "", script[4200] = "";
	if ((c->handlers && write_temp(handlers, sizeof handlers, ".lua", c->handlers)) ||
	    (c->script && write_temp(script, sizeof script, "-script.lua", c->script)))
		return NULL;
	FILE *f = bench_temp_yaml(path, sizeof path);
	if (!f)
		return NULL;
	bench_pingpong_head(f, balls);
	if (c->script)
		fprintf(f, "scripts: ['%s']\n", script);
	fprintf(f, "doctrine:\n  name: ping-pong\n");
	if (c->handlers)
		fprintf(f, "  script: '%s'\n", handlers);
	if (c->rules)
		fprintf(f, "  rules:\n%s", c->rules);
	bench_pingpong_serve(f, balls);
	if (fclose(f))
		return NULL;
	tc_scenario *s = bench_load(path);
	if (!getenv("TOCSIN_BENCH_KEEP")) {
		if (handlers[0])
			remove(handlers);
		if (script[0])
			remove(script);
	}
	return s;
}

int main(int argc, char **argv)
{
	int reps = bench_reps(argc, argv, "bench_lua");
	if (reps < 0)
		return 2;
	static const unsigned balls[] = {1, 1000};
	const char *only = getenv("BENCH_LUA_CASE");
	const char *scale = getenv("BENCH_LUA_EVENTS");
	if (scale && atof(scale) >= 1000)
		events_per_rep = atof(scale);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		if (only && strcmp(only, cases[k].name) != 0)
			continue;
		for (size_t b = 0; b < sizeof balls / sizeof balls[0]; b++) {
			tc_scenario *s = make_scenario(&cases[k], balls[b]);
			if (!s)
				return 1;
			double events[100], messages[100];
			for (int r = -1; r < reps; r++) {   /* r = -1 warms up */
				double ev, msg;
				if (bench_time_run(s, until_for(balls[b]), cases[k].name, &ev, &msg))
					return 1;
				if (r >= 0) {
					events[r] = ev;
					messages[r] = msg;
				}
			}
			double best, median = bench_median(events, reps, &best);
			printf("lua\t%s balls=%u events\t%.2f\t%.2f\tM events/s\n", cases[k].name,
			       balls[b], median / 1e6, best / 1e6);
			median = bench_median(messages, reps, &best);
			printf("lua\t%s balls=%u messages\t%.2f\t%.2f\tM messages/s\n", cases[k].name,
			       balls[b], median / 1e6, best / 1e6);
			fflush(stdout);
			tc_scenario_free(s);
		}
	}
	return 0;
}
