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
#include "analysis/feed.h"
#include "report/report.h"
#include "sim/log_json.h"
#include "sim/run.h"

static const char help[] =
	"usage: tocsin run SCENARIO [--seed N] [--replication I] [--doctrine FILE]\n"
	"                  [--script FILE]... [--set PATH=VALUE]... [--out DIR]\n"
	"                  [--until DURATION]\n"
	"                  [--max-events N] [--on-script-error=stop|continue]\n"
	"                  [--lua-memory SIZE] [--lua-instructions N]\n"
	"                  [--report FORMATS] [--quiet]\n"
	"\n"
	"Runs the scenario as fast as possible and writes DIR/events.jsonl (default DIR:\n"
	"runs/<scenario file name>) and its report: report.json, one CSV file per table\n"
	"and report.html (docs/metrics.md). The same scenario, seed, replication and\n"
	"build give byte-identical files.\n"
	"\n"
	"  --replication I   replication index, 0 to 2^32-1 (default 0)\n"
	"  --out DIR         where to write events.jsonl\n"
	CLI_SIM_HELP
	"  --report FORMATS  which report to write: a comma-separated list of json, csv,\n"
	"                    html and text (the summary on stdout), all (the default)\n"
	"                    or none\n"
	"  --quiet           no summary\n";

typedef struct run_args {
	const char *scenario, *out;
	cli_sim_options sim;
	int quiet;
	unsigned formats;          /* TC_REPORT_* */
	int summary;
	uint64_t replication;
} run_args;

static int parse_args(int argc, char **argv, run_args *a)
{
	a->formats = TC_REPORT_ALL;
	a->summary = 1;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *v;
		int rc = cli_sim_option(argc, argv, &i, "run", &a->sim);
		if (rc == 1)
			continue;
		if (rc)
			return rc;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			return 1;
		} else if (strcmp(arg, "--quiet") == 0) {
			a->quiet = 1;
		} else if (cli_is_option(arg, "--replication")) {
			if (!(v = cli_option_value(argc, argv, &i, "--replication")) ||
			    cli_parse_u64(v, UINT32_MAX, &a->replication))
				return cli_usage_error("run", "--replication needs a whole number from 0 to "
				                              "4294967295");
		} else if (cli_is_option(arg, "--report")) {
			if (!(v = cli_option_value(argc, argv, &i, "--report")) ||
			    cli_parse_formats(v, &a->formats, &a->summary))
				return cli_usage_error("run", "--report needs a comma-separated list of "
				                              "json, csv, html, text, all, or none");
		} else if (cli_is_option(arg, "--out")) {
			if (!(a->out = cli_option_value(argc, argv, &i, "--out")))
				return cli_usage_error("run", "--out needs a directory");
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
int cli_make_dirs(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		fprintf(stderr, "tocsin: path too long: '%.200s...'\n", path);
		return -1;
	}
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
				fprintf(stderr, "tocsin: cannot create directory '%.300s': %s\n", buf,
				        strerror(errno));
				return -1;
			}
			*p = saved;
			if (!saved)
				return 0;
		}
	}
}

void cli_default_out(const char *parent, const char *scenario, char *out, size_t n)
{
	const char *base = strrchr(scenario, '/');
	base = base ? base + 1 : scenario;
	size_t len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
		len -= 5;
	else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
		len -= 4;
	snprintf(out, n, "%s/%.*s", parent, (int)len, base);
}

int cmd_run(int argc, char **argv)
{
	tc_alloc *a = tc_alloc_default();
	run_args args = {0};
	if (cli_sim_options_init(&args.sim, argc)) {
		fprintf(stderr, "tocsin run: out of memory\n");
		return EXIT_INVALID;
	}
	int rc = parse_args(argc, argv, &args);
	int status = rc == 1 ? EXIT_VALID : rc; /* 1: --help */
	tc_run_options opt;
	if (rc == 0)
		status = cli_sim_run_options(&args.sim, "run", &opt);
	opt.replication = (uint32_t)args.replication;
	tc_scenario *s = NULL;
	if (rc == 0 && status == EXIT_VALID)
		status = cli_sim_load(&args.sim, args.scenario, NULL, 0, &s);
	if (s)
		opt.seed = args.sim.have_seed ? args.sim.seed : s->default_seed;
	cli_sim_options_release(&args.sim);
	if (!s) /* --help, a usage error or an invalid scenario */
		return status;

	char out[4096], path[4200], err[512] = "";
	if (args.out)
		snprintf(out, sizeof out, "%s", args.out);
	else
		cli_default_out("runs", args.scenario, out, sizeof out);
	snprintf(path, sizeof path, "%s/events.jsonl", out);
	tc_atomic_file file;
	if (cli_make_dirs(out)) {
		tc_scenario_free(s);
		return EXIT_INVALID;
	}
	if (tc_atomic_open(&file, path, err, sizeof err)) {
		fprintf(stderr, "tocsin run: %s\n", err);
		tc_scenario_free(s);
		return EXIT_INVALID;
	}
	tc_log_json log;
	tc_log_json_init(&log, a, file.f);
	tc_sink log_sink = tc_log_json_sink(&log);
	/* The analysis reads the records as they are written: the report needs
	 * no second pass over the log. */
	tc_analysis *an = tc_analysis_new(a);
	tc_analysis_feed feed;
	tc_analysis_feed_init(&feed, a, an, &log_sink);
	tc_sink sink = tc_analysis_feed_sink(&feed);
	tc_run *run = NULL;
	const tc_metrics *m = NULL;
	rc = an ? tc_run_new(&run, a, s, &opt, &sink) : TC_ENOMEM;
	if (rc == 0)
		rc = tc_run_execute(run);
	if (rc == 0)
		rc = tc_atomic_commit(&file, err, sizeof err) ? TC_EIO : 0;
	else
		tc_atomic_abort(&file);
	if (rc == 0 && tc_analysis_finish(an, &m))
		snprintf(err, sizeof err, "the analysis failed: %s", tc_analysis_error(an));
	status = EXIT_VALID;
	if (rc || !m) {
		fprintf(stderr, "tocsin run: %s: run failed: %s\n", args.scenario,
		        err[0] ? err
		        : feed.error ? tc_analysis_error(an)
		        : run ? tc_run_error_message(run) : tc_strerror(rc));
		status = EXIT_INVALID;
	} else {
		/* The files of an earlier run's report would no longer match the log. */
		tc_report_remove(out, TC_REPORT_ALL & ~args.formats);
		status = cli_output_report(m, out, args.formats, args.summary && !args.quiet, "run");
		if (status == EXIT_VALID && !args.quiet)
			printf("  event log: %s\n%s%s%s", path, args.formats & TC_REPORT_HTML
			       ? "  report: " : "", args.formats & TC_REPORT_HTML ? out : "",
			       args.formats & TC_REPORT_HTML ? "/report.html\n" : "");
	}
	tc_run_free(run);
	tc_analysis_feed_release(&feed);
	tc_analysis_free(an);
	tc_log_json_release(&log);
	tc_scenario_free(s);
	return status;
}
