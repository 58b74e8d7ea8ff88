/*
 * The options that say how runs are made, shared by run, sweep and compare:
 * the same flag means the same thing in every command.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "core/error.h"
#include "core/timefmt.h"
#include "scenario/scenario.h"
#include "sim/run.h"

/* Below this a Lua state cannot even open its libraries: surely a mistake
 * (64 for 64M, say). */
#define MIN_LUA_MEMORY ((uint64_t)1 << 20)

int cli_sim_options_init(cli_sim_options *o, int argc)
{
	*o = (cli_sim_options){.max_events = 1000000000};
	tc_alloc *a = tc_alloc_default();
	o->scripts = tc_calloc(a, (size_t)argc + 1, sizeof *o->scripts);
	o->sets = tc_calloc(a, (size_t)argc + 1, sizeof *o->sets);
	o->capacity = (size_t)argc + 1;
	return o->scripts && o->sets ? 0 : -1;
}

void cli_sim_options_release(cli_sim_options *o)
{
	tc_alloc *a = tc_alloc_default();
	tc_free(a, o->scripts, o->capacity * sizeof *o->scripts);
	tc_free(a, o->sets, o->capacity * sizeof *o->sets);
	o->scripts = o->sets = NULL;
}

int cli_sim_option(int argc, char **argv, int *i, const char *cmd, cli_sim_options *o)
{
	const char *arg = argv[*i], *v;
	if (cli_is_option(arg, "--seed")) {
		if (!(v = cli_option_value(argc, argv, i, "--seed")) ||
		    cli_parse_u64(v, INT64_MAX, &o->seed))
			return cli_usage_error(cmd, "--seed needs a whole number from 0 to 2^63-1");
		o->have_seed = 1;
	} else if (cli_is_option(arg, "--max-events")) {
		if (!(v = cli_option_value(argc, argv, i, "--max-events")) ||
		    cli_parse_u64(v, UINT64_MAX, &o->max_events) || o->max_events == 0)
			return cli_usage_error(cmd, "--max-events needs a whole number above 0");
	} else if (cli_is_option(arg, "--doctrine")) {
		if (!(o->doctrine = cli_option_value(argc, argv, i, "--doctrine")))
			return cli_usage_error(cmd, "--doctrine needs a file");
	} else if (cli_is_option(arg, "--script")) {
		if (!(v = cli_option_value(argc, argv, i, "--script")) || !*v)
			return cli_usage_error(cmd, "--script needs a file");
		o->scripts[o->script_count++] = v;
	} else if (cli_is_option(arg, "--set")) {
		/* The loader checks PATH=VALUE, at its position in the option. */
		if (!(v = cli_option_value(argc, argv, i, "--set")))
			return cli_usage_error(cmd, "--set needs PATH=VALUE (e.g. actors.anssi.staff=4)");
		o->sets[o->set_count++] = v;
	} else if (cli_is_option(arg, "--on-script-error")) {
		v = cli_option_value(argc, argv, i, "--on-script-error");
		if (v && strcmp(v, "stop") == 0)
			o->continue_on_script_error = 0;
		else if (v && strcmp(v, "continue") == 0)
			o->continue_on_script_error = 1;
		else
			return cli_usage_error(cmd, "--on-script-error needs stop or continue%s%s%s",
			                       v ? ", not '" : "", v ? v : "", v ? "'" : "");
	} else if (cli_is_option(arg, "--lua-memory")) {
		if (!(v = cli_option_value(argc, argv, i, "--lua-memory")) ||
		    cli_parse_size(v, &o->lua_memory) || o->lua_memory < MIN_LUA_MEMORY)
			return cli_usage_error(cmd, "--lua-memory needs a size of at least 1M: bytes "
			                            "with an optional K, M or G suffix (e.g. 64M)");
	} else if (cli_is_option(arg, "--lua-instructions")) {
		if (!(v = cli_option_value(argc, argv, i, "--lua-instructions")) ||
		    cli_parse_u64(v, UINT64_MAX, &o->lua_instructions) || o->lua_instructions == 0)
			return cli_usage_error(cmd, "--lua-instructions needs a whole number above 0");
	} else if (cli_is_option(arg, "--until")) {
		if (!(o->until = cli_option_value(argc, argv, i, "--until")))
			return cli_usage_error(cmd, "--until needs a duration");
	} else {
		return 0;
	}
	return 1;
}

int cli_sim_run_options(const cli_sim_options *o, const char *cmd, tc_run_options *out)
{
	*out = (tc_run_options){.seed = o->seed, .until = TC_TIME_NEVER,
	                        .max_events = o->max_events, .script_memory = o->lua_memory,
	                        .script_instructions = o->lua_instructions,
	                        .script_errors_continue = o->continue_on_script_error};
	if (!o->until)
		return 0;
	tc_duration d;
	char err[256];
	size_t off;
	int bad = tc_duration_parse(o->until, strlen(o->until), &d, err, sizeof err, &off);
	if (bad || d.months)
		return cli_usage_error(cmd, "--until: %s", bad ? err : "give days, not months");
	out->until = d.ms;
	return 0;
}

int cli_sim_load(const cli_sim_options *o, const char *path, const char *const *extra_sets,
                 size_t extra_count, tc_scenario **out)
{
	tc_alloc *a = tc_alloc_default();
	size_t n = o->set_count + extra_count;
	const char **sets = tc_calloc(a, n + 1, sizeof *sets);
	if (!sets) {
		fprintf(stderr, "tocsin: out of memory\n");
		return EXIT_INVALID;
	}
	memcpy(sets, o->sets, o->set_count * sizeof *sets);
	if (extra_count)
		memcpy(sets + o->set_count, extra_sets, extra_count * sizeof *sets);
	tc_diag diag;
	tc_diag_init(&diag, a);
	tc_load_options load = {.doctrine_path = o->doctrine, .script_paths = o->scripts,
	                        .script_path_count = o->script_count, .sets = sets,
	                        .set_count = n};
	int status = EXIT_VALID;
	if (tc_scenario_load(out, a, path, &load, &diag)) {
		tc_diag_print(&diag, stderr);
		status = EXIT_INVALID;
	}
	tc_diag_release(&diag);
	tc_free(a, sets, (n + 1) * sizeof *sets);
	return status;
}
