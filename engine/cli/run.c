/*
 * tocsin run SCENARIO: one run as fast as possible, its event log, and a
 * short summary a facilitator reads at a glance.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "core/error.h"
#include "core/fileio.h"
#include "scenario/scenario.h"
#include "sim/log_json.h"
#include "sim/run.h"

static const char help[] =
	"usage: tocsin run SCENARIO [--seed N] [--replication I] [--doctrine FILE]\n"
	"                  [--script FILE]... [--out DIR] [--until DURATION]\n"
	"                  [--max-events N] [--on-script-error=stop|continue]\n"
	"                  [--lua-memory SIZE] [--lua-instructions N] [--quiet]\n"
	"\n"
	"Runs the scenario as fast as possible and writes DIR/events.jsonl (default DIR:\n"
	"runs/<scenario file name>). The same scenario, seed, replication and build give\n"
	"a byte-identical log.\n"
	"\n"
	"  --seed N          0 to 2^63-1 (default: the scenario's exercise.seed)\n"
	"  --replication I   replication index, 0 to 2^32-1 (default 0)\n"
	"  --doctrine FILE   replace the scenario's doctrine (FILE.lua: a Lua doctrine)\n"
	"  --script FILE     run this Lua file after the scenario's scripts (repeatable)\n"
	"  --out DIR         where to write events.jsonl\n"
	"  --until DURATION  stop at this time from T+0 (e.g. 36h, T+12:00)\n"
	"  --max-events N    fail if the run needs more events (default 1000000000)\n"
	"  --on-script-error=stop|continue\n"
	"                    when a Lua callback fails: fail the run (stop, the default)\n"
	"                    or record a script-error event and go on (continue)\n"
	"  --lua-memory SIZE memory of the run's Lua, in bytes with an optional K, M or G\n"
	"                    suffix, at least 1M (default 64M)\n"
	"  --lua-instructions N\n"
	"                    Lua instructions per callback, above 0 (default 10000000)\n"
	"  --quiet           no summary\n";

typedef struct run_args {
	const char *scenario, *doctrine, *out, *until;
	const char **scripts;    /* --script, in order (argc slots) */
	size_t script_count;
	int have_seed, quiet, continue_on_script_error;
	uint64_t seed, replication, max_events, lua_memory, lua_instructions;
} run_args;

/* Below this a Lua state cannot even open its libraries: surely a mistake
 * (64 for 64M, say). */
#define MIN_LUA_MEMORY ((uint64_t)1 << 20)

static int parse_args(int argc, char **argv, run_args *a)
{
	a->max_events = 1000000000;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *v;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			return 1;
		} else if (strcmp(arg, "--quiet") == 0) {
			a->quiet = 1;
		} else if (cli_is_option(arg, "--seed")) {
			if (!(v = cli_option_value(argc, argv, &i, "--seed")) ||
			    cli_parse_u64(v, INT64_MAX, &a->seed))
				return cli_usage_error("run", "--seed needs a whole number from 0 to 2^63-1");
			a->have_seed = 1;
		} else if (cli_is_option(arg, "--replication")) {
			if (!(v = cli_option_value(argc, argv, &i, "--replication")) ||
			    cli_parse_u64(v, UINT32_MAX, &a->replication))
				return cli_usage_error("run", "--replication needs a whole number from 0 to "
				                              "4294967295");
		} else if (cli_is_option(arg, "--max-events")) {
			if (!(v = cli_option_value(argc, argv, &i, "--max-events")) ||
			    cli_parse_u64(v, UINT64_MAX, &a->max_events) || a->max_events == 0)
				return cli_usage_error("run", "--max-events needs a whole number above 0");
		} else if (cli_is_option(arg, "--doctrine")) {
			if (!(a->doctrine = cli_option_value(argc, argv, &i, "--doctrine")))
				return cli_usage_error("run", "--doctrine needs a file");
		} else if (cli_is_option(arg, "--script")) {
			if (!(v = cli_option_value(argc, argv, &i, "--script")) || !*v)
				return cli_usage_error("run", "--script needs a file");
			a->scripts[a->script_count++] = v;
		} else if (cli_is_option(arg, "--on-script-error")) {
			v = cli_option_value(argc, argv, &i, "--on-script-error");
			if (v && strcmp(v, "stop") == 0)
				a->continue_on_script_error = 0;
			else if (v && strcmp(v, "continue") == 0)
				a->continue_on_script_error = 1;
			else
				return cli_usage_error("run", "--on-script-error needs stop or continue%s%s%s",
				                       v ? ", not '" : "", v ? v : "", v ? "'" : "");
		} else if (cli_is_option(arg, "--lua-memory")) {
			if (!(v = cli_option_value(argc, argv, &i, "--lua-memory")) ||
			    cli_parse_size(v, &a->lua_memory) || a->lua_memory < MIN_LUA_MEMORY)
				return cli_usage_error("run", "--lua-memory needs a size of at least 1M: bytes "
				                              "with an optional K, M or G suffix (e.g. 64M)");
		} else if (cli_is_option(arg, "--lua-instructions")) {
			if (!(v = cli_option_value(argc, argv, &i, "--lua-instructions")) ||
			    cli_parse_u64(v, UINT64_MAX, &a->lua_instructions) || a->lua_instructions == 0)
				return cli_usage_error("run", "--lua-instructions needs a whole number above 0");
		} else if (cli_is_option(arg, "--out")) {
			if (!(a->out = cli_option_value(argc, argv, &i, "--out")))
				return cli_usage_error("run", "--out needs a directory");
		} else if (cli_is_option(arg, "--until")) {
			if (!(a->until = cli_option_value(argc, argv, &i, "--until")))
				return cli_usage_error("run", "--until needs a duration");
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return cli_usage_error("run", "unknown option '%s'", arg);
		} else if (a->scenario) {
			return cli_usage_error("run", "one scenario at a time ('%s' and '%s')",
			                       a->scenario, arg);
		} else {
			a->scenario = arg;
		}
	}
	if (!a->scenario)
		return cli_usage_error("run", "no scenario file given");
	return 0;
}

/* mkdir -p */
static int make_dirs(const char *path, char *err, size_t errlen)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		snprintf(err, errlen, "path too long: '%.200s...'", path);
		return -1;
	}
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
				snprintf(err, errlen, "cannot create directory '%.300s': %s", buf, strerror(errno));
				return -1;
			}
			*p = saved;
			if (!saved)
				return 0;
		}
	}
}

static void default_out(const char *scenario, char *out, size_t n)
{
	const char *base = strrchr(scenario, '/');
	base = base ? base + 1 : scenario;
	size_t len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
		len -= 5;
	else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
		len -= 4;
	snprintf(out, n, "runs/%.*s", (int)len, base);
}

/* Durations for people, signed: to the second under an hour, to the minute
 * above (an actor may learn of an incident before its recorded start). */
static void human_duration(tc_time ms, char *buf, size_t n)
{
	tc_time size = ms < 0 ? -ms : ms;
	tc_time unit = size >= TC_HOUR ? TC_MINUTE : TC_SECOND;
	size = (size + unit / 2) / unit * unit;
	buf[0] = ms < 0 ? '-' : '+';
	tc_duration_format(size, buf + 1, n - 1);
}

static void print_incident(const tc_run *run, size_t i)
{
	const tc_scenario *s = tc_run_scenario(run);
	const tc_incident_def *inc = &s->incidents[i];
	char buf[64];
	tc_time_format(inc->start, buf, sizeof buf);
	printf("  incident %s (%s, started %s)\n", inc->id, tc_severity_name(inc->severity), buf);
	tc_time cop = inc->start;
	size_t unaware = 0;
	for (size_t k = 0; k < inc->required_count; k++) {
		tc_time at = tc_run_aware_at(run, (int)inc->required[k], (int)i);
		if (at == TC_TIME_NEVER)
			unaware++;
		else if (at > cop)
			cop = at;
	}
	if (unaware) {
		printf("    common operational picture: not reached (%zu of %zu required actors "
		       "never aware)\n", unaware, inc->required_count);
	} else {
		human_duration(cop - inc->start, buf, sizeof buf);
		printf("    common operational picture: %s after the incident started\n", buf + 1);
	}
	size_t width = 0;
	for (size_t a = 0; a < s->actor_count; a++)
		if (strlen(s->actors[a].id) > width)
			width = strlen(s->actors[a].id);
	for (size_t a = 0; a < s->actor_count; a++) {
		tc_time at = tc_run_aware_at(run, (int)a, (int)i);
		int required = 0;
		for (size_t k = 0; k < inc->required_count; k++)
			required |= inc->required[k] == a;
		if (at == TC_TIME_NEVER && !required)
			continue;
		if (at == TC_TIME_NEVER)
			snprintf(buf, sizeof buf, "never");
		else
			human_duration(at - inc->start, buf, sizeof buf);
		printf("    %-*s  aware %s\n", (int)width, s->actors[a].id, buf);
	}
}

static void print_summary(const tc_run *run, const char *log_path)
{
	const tc_scenario *s = tc_run_scenario(run);
	const tc_run_options *o = tc_run_options_of(run);
	const tc_run_stats *st = tc_run_stats_of(run);
	char end[64];
	tc_time_format(st->end_time, end, sizeof end);
	printf("%s\n", s->name);
	printf("  seed %llu, replication %lu, doctrine %s: ended at %s (%s)\n",
	       (unsigned long long)o->seed, (unsigned long)o->replication,
	       s->doctrine.name ? s->doctrine.name : "none", end, st->end_reason);
	printf("  %llu events, %llu messages: %llu delivered, %llu lost, %llu handled, "
	       "%llu retries; meetings: %llu held, %llu failed\n",
	       (unsigned long long)st->events, (unsigned long long)st->messages,
	       (unsigned long long)st->delivered, (unsigned long long)st->lost,
	       (unsigned long long)st->handled, (unsigned long long)st->retries,
	       (unsigned long long)st->meetings_held, (unsigned long long)st->meetings_failed);
	for (size_t i = 0; i < s->incident_count; i++)
		print_incident(run, i);
	printf("  event log: %s\n", log_path);
}

int cmd_run(int argc, char **argv)
{
	tc_alloc *a = tc_alloc_default();
	run_args args = {.scripts = tc_malloc(a, (size_t)argc * sizeof *args.scripts)};
	if (!args.scripts) {
		fprintf(stderr, "tocsin run: out of memory\n");
		return EXIT_INVALID;
	}
	int rc = parse_args(argc, argv, &args);
	int status = rc == 1 ? EXIT_VALID : rc; /* 1: --help */
	tc_run_options opt = {.replication = (uint32_t)args.replication, .until = TC_TIME_NEVER,
	                      .max_events = args.max_events, .script_memory = args.lua_memory,
	                      .script_instructions = args.lua_instructions,
	                      .script_errors_continue = args.continue_on_script_error};
	if (rc == 0 && args.until) {
		tc_duration d;
		char err[256];
		size_t off;
		int bad = tc_duration_parse(args.until, strlen(args.until), &d, err, sizeof err, &off);
		if (bad || d.months)
			status = cli_usage_error("run", "--until: %s", bad ? err : "give days, not months");
		else
			opt.until = d.ms;
	}
	tc_scenario *s = NULL;
	if (rc == 0 && status == EXIT_VALID) {
		tc_diag diag;
		tc_diag_init(&diag, a);
		tc_load_options load = {.doctrine_path = args.doctrine, .script_paths = args.scripts,
		                        .script_path_count = args.script_count};
		if (tc_scenario_load(&s, a, args.scenario, &load, &diag)) {
			tc_diag_print(&diag, stderr);
			status = EXIT_INVALID;
		}
		tc_diag_release(&diag);
	}
	tc_free(a, args.scripts, (size_t)argc * sizeof *args.scripts);
	if (!s) /* --help, a usage error or an invalid scenario */
		return status;
	opt.seed = args.have_seed ? args.seed : s->default_seed;

	char out[4096], path[4200], err[512] = "";
	if (args.out)
		snprintf(out, sizeof out, "%s", args.out);
	else
		default_out(args.scenario, out, sizeof out);
	snprintf(path, sizeof path, "%s/events.jsonl", out);
	tc_atomic_file file;
	if (make_dirs(out, err, sizeof err) || tc_atomic_open(&file, path, err, sizeof err)) {
		fprintf(stderr, "tocsin run: %s\n", err);
		tc_scenario_free(s);
		return EXIT_INVALID;
	}
	tc_log_json log;
	tc_log_json_init(&log, a, file.f);
	tc_sink sink = tc_log_json_sink(&log);
	tc_run *run = NULL;
	rc = tc_run_new(&run, a, s, &opt, &sink);
	if (rc == 0)
		rc = tc_run_execute(run);
	if (rc == 0)
		rc = tc_atomic_commit(&file, err, sizeof err) ? TC_EIO : 0;
	else
		tc_atomic_abort(&file);
	if (rc) {
		fprintf(stderr, "tocsin run: %s: run failed: %s\n", args.scenario,
		        err[0] ? err : run ? tc_run_error_message(run) : tc_strerror(rc));
	} else if (!args.quiet) {
		print_summary(run, path);
	}
	tc_run_free(run);
	tc_log_json_release(&log);
	tc_scenario_free(s);
	return rc ? EXIT_INVALID : EXIT_VALID;
}
