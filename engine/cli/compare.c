/*
 * tocsin compare: two variants of a scenario (two doctrines, two scenario
 * files, or two sets of overrides) swept side by side on the same
 * replications, then compared replication by replication (docs/compare.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/paired.h"
#include "cli/cli.h"
#include "cli/sweep_out.h"
#include "core/error.h"
#include "core/fileio.h"
#include "report/compare.h"
#include "sweep/exec.h"
#include "sweep/manifest.h"

static const char help[] =
	"usage: tocsin compare SCENARIO --doctrine A --doctrine B [options]\n"
	"       tocsin compare SCENARIO_A SCENARIO_B [options]\n"
	"       tocsin compare SCENARIO [--a-set PATH=VALUE]... [--b-set PATH=VALUE]...\n"
	"                      [options]\n"
	"\n"
	"Sweeps two variants of a scenario on the same replications (replication I of\n"
	"each side is `tocsin run --seed S --replication I` of that side), so with common\n"
	"random numbers they meet the same chance events wherever they do not differ, and\n"
	"compares them replication by replication: for every figure, both means and the\n"
	"paired difference B - A with its 95% interval; for every objective, both chances\n"
	"of meeting it and their difference (docs/compare.md). Writes DIR/a and DIR/b (two\n"
	"sweep directories), DIR/compare.json and DIR/compare.html, then a table.\n"
	"\n"
	"The variants, one kind at a time:\n"
	"  --doctrine FILE   twice: side A's doctrine, then side B's\n"
	"  SCENARIO_A SCENARIO_B\n"
	"                    two scenario files (structural variants: another actor, a\n"
	"                    liaison officer); only the figures both have are compared\n"
	"  --a-set PATH=VALUE, --b-set PATH=VALUE\n"
	"                    overrides of side A, of side B (repeatable; a side without\n"
	"                    any runs the scenario as it is); --set applies to both\n"
	"\n"
	"  -n N              replications of each side, 2 to 2^32-1 (default 2000)\n"
	"  --independent     side B on seed S+1 instead of S: no common random numbers,\n"
	"                    to see what they save (the analysis is the same)\n"
	"  --jobs N          worker threads (default: every core; 1 per rank under MPI)\n"
	"  --out DIR         where to write (default: compares/<scenario file name>, or\n"
	"                    compares/<A>-vs-<B> for two scenario files)\n"
	"  --quiet           no progress and no table\n"
	"\n"
	"Run options (both sides):\n"
	"  --seed N          0 to 2^63-1 (default: side A's scenario's exercise.seed)\n"
	"  --script FILE     run this Lua file after the scenario's scripts (repeatable)\n"
	"  --set PATH=VALUE  override a scenario value on both sides (repeatable)\n"
	"  --until DURATION  stop at this time from T+0 (e.g. 36h, T+12:00)\n"
	"  --max-events N    fail if a run needs more events (default 1000000000)\n"
	"  --on-script-error=stop|continue\n"
	"  --lua-memory SIZE, --lua-instructions N\n"
	"                    as for tocsin run\n";

enum { MAX_SIDES = 2 };

typedef struct compare_args {
	const char *scenarios[MAX_SIDES];
	size_t scenario_count;
	const char *doctrines[MAX_SIDES];
	size_t doctrine_count;
	const char **sets[MAX_SIDES];  /* --a-set, --b-set */
	size_t set_count[MAX_SIDES];
	const char *out;
	cli_sim_options sim;
	uint64_t n, jobs;
	int independent, quiet;
} compare_args;

static int parse_args(int argc, char **argv, compare_args *a)
{
	static const char *const set_options[MAX_SIDES] = {"--a-set", "--b-set"};
	a->n = 2000;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		int side = cli_is_option(arg, "--a-set") ? 0 : cli_is_option(arg, "--b-set") ? 1 : -1;
		if (side >= 0) {
			if (!(v = cli_option_value(argc, argv, &i, set_options[side])) || !strchr(v, '='))
				return cli_usage_error("compare", "%s needs PATH=VALUE (e.g. "
				                       "actors.anssi.staff=4)", set_options[side]);
			a->sets[side][a->set_count[side]++] = v;
			continue;
		}
		if (cli_is_option(arg, "--doctrine")) {
			if (!(v = cli_option_value(argc, argv, &i, "--doctrine")) || !*v)
				return cli_usage_error("compare", "--doctrine needs a file");
			if (a->doctrine_count == MAX_SIDES)
				return cli_usage_error("compare", "--doctrine three times: give it twice, "
				                                  "side A's then side B's");
			a->doctrines[a->doctrine_count++] = v;
			continue;
		}
		int rc = cli_sim_option(argc, argv, &i, "compare", &a->sim);
		if (rc == 0)
			rc = cli_sweep_option(argc, argv, &i, "compare", 2, &a->n, &a->jobs, &a->out);
		if (rc == 1)
			continue;
		if (rc)
			return rc;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			return 1;
		} else if (strcmp(arg, "--quiet") == 0) {
			a->quiet = 1;
		} else if (strcmp(arg, "--independent") == 0) {
			a->independent = 1;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return cli_usage_error("compare", "unknown option '%s'", arg);
		} else if (a->scenario_count == MAX_SIDES) {
			return cli_usage_error("compare", "three scenario files: give one (with two "
			                                  "doctrines or --a-set/--b-set) or two");
		} else {
			a->scenarios[a->scenario_count++] = arg;
		}
	}
	if (!a->scenario_count)
		return cli_usage_error("compare", "no scenario file given");
	int by_doctrine = a->doctrine_count > 0, by_scenario = a->scenario_count == 2;
	int by_set = a->set_count[0] + a->set_count[1] > 0;
	if (by_doctrine + by_scenario + by_set > 1)
		return cli_usage_error("compare", "one kind of variant at a time: two doctrines, two "
		                                  "scenario files, or --a-set/--b-set overrides");
	if (a->doctrine_count == 1)
		return cli_usage_error("compare", "one --doctrine: give it twice, side A's then "
		                                  "side B's");
	if (!by_doctrine && !by_scenario && !by_set)
		return cli_usage_error("compare", "nothing to compare: give --doctrine twice, two "
		                                  "scenario files, or --a-set/--b-set overrides");
	return 0;
}

/* ---- the sides ------------------------------------------------------------------ */

typedef struct side_text {
	char dir[4096];
	char *label;               /* owned */
	size_t label_size;
} side_text;

/* "PATH=V; PATH=V", or what a side without overrides runs. */
static int sets_label(side_text *t, const char *const *sets, size_t n)
{
	size_t size = 64;
	for (size_t i = 0; i < n; i++)
		size += strlen(sets[i]) + 2;
	if (!(t->label = tc_malloc(tc_alloc_default(), size)))
		return TC_ENOMEM;
	t->label_size = size;
	if (!n)
		snprintf(t->label, size, "the scenario as it is");
	else
		t->label[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(t->label, "; ");
		strcat(t->label, sets[i]);
	}
	return TC_OK;
}

static int copy_label(side_text *t, const char *text)
{
	t->label_size = strlen(text) + 1;
	if (!(t->label = tc_malloc(tc_alloc_default(), t->label_size)))
		return TC_ENOMEM;
	memcpy(t->label, text, t->label_size);
	return TC_OK;
}

static void release_text(side_text *t)
{
	if (t->label)
		tc_free(tc_alloc_default(), t->label, t->label_size);
	t->label = NULL;
}

static void output_dir(const compare_args *a, char *dir, size_t n)
{
	if (a->out) {
		snprintf(dir, n, "%s", a->out);
		return;
	}
	char first[4096];
	cli_default_out("compares", a->scenarios[0], first, sizeof first);
	if (a->scenario_count == 1) {
		snprintf(dir, n, "%s", first);
		return;
	}
	char second[4096];
	cli_default_out("", a->scenarios[1], second, sizeof second);
	snprintf(dir, n, "%.2000s-vs-%.2000s", first, second + 1); /* "/NAME" */
}

/* ---- after the sweeps --------------------------------------------------------- */

static void side_info(tc_compare_side *out, const side_text *t, const tc_manifest *m)
{
	*out = (tc_compare_side){
		.label = t->label, .dir = strrchr(t->dir, '/') + 1, .scenario_file = m->scenario_file,
		.scenario_name = m->scenario_name, .scenario_sha256 = m->scenario_sha256,
		.doctrine = m->doctrine, .sets = m->sets, .set_count = m->set_count, .seed = m->seed,
	};
}

/* Write compare.json and compare.html: both or neither. */
static int write_outputs(const char *dir, const tc_compare_info *info, const tc_paired *p)
{
	tc_alloc *a = tc_alloc_default();
	tc_buf json, html;
	tc_buf_init(&json, a);
	tc_buf_init(&html, a);
	tc_compare_json(&json, info, p);
	tc_compare_html(&html, info, p);
	char err[1024] = "", path[4200];
	tc_atomic_file fj = {0}, fh = {0};
	int rc = json.failed || html.failed ? (snprintf(err, sizeof err, "out of memory"), TC_ENOMEM)
	                                    : TC_OK;
	int opened = 0;
	if (!rc) {
		snprintf(path, sizeof path, "%s/compare.json", dir);
		if (!(rc = tc_atomic_open(&fj, path, err, sizeof err)))
			opened = 1;
	}
	if (!rc) {
		snprintf(path, sizeof path, "%s/compare.html", dir);
		if (!(rc = tc_atomic_open(&fh, path, err, sizeof err)))
			opened = 2;
	}
	if (!rc && (fwrite(json.data, 1, json.len, fj.f) != json.len ||
	            fwrite(html.data, 1, html.len, fh.f) != html.len)) {
		snprintf(err, sizeof err, "cannot write in %.300s: %s", dir, strerror(errno));
		rc = TC_EIO;
	}
	if (opened >= 1 && (rc || tc_atomic_commit(&fj, err, sizeof err)))
		rc = rc ? (tc_atomic_abort(&fj), rc) : TC_EIO;
	if (opened >= 2 && (rc || tc_atomic_commit(&fh, err, sizeof err)))
		rc = rc ? (tc_atomic_abort(&fh), rc) : TC_EIO;
	if (rc)
		fprintf(stderr, "tocsin compare: %s\n", err);
	tc_buf_release(&json);
	tc_buf_release(&html);
	return rc ? EXIT_INVALID : EXIT_VALID;
}

/* Read both sides back, compare them and write the outputs. */
static int analyse(const compare_args *a, const char *dir, const side_text texts[MAX_SIDES],
                   const char *variants)
{
	tc_alloc *alloc = tc_alloc_default();
	char err[1024], path[4200];
	tc_manifest m[MAX_SIDES];
	int loaded = 0, status = EXIT_VALID;
	for (; loaded < MAX_SIDES; loaded++) {
		snprintf(path, sizeof path, "%.4095s/sweep.json", texts[loaded].dir);
		if (tc_manifest_read(&m[loaded], alloc, path, err, sizeof err)) {
			fprintf(stderr, "tocsin compare: %s\n", err);
			status = EXIT_INVALID;
			break;
		}
	}
	char csv[MAX_SIDES][4200];
	tc_paired_side sides[MAX_SIDES];
	for (int s = 0; s < loaded; s++) {
		snprintf(csv[s], sizeof csv[s], "%.4095s/replications.csv", texts[s].dir);
		sides[s] = (tc_paired_side){csv[s], m[s].columns, m[s].column_count};
	}
	tc_paired p;
	if (!status && tc_paired_read(&p, alloc, &sides[0], &sides[1], 0, err, sizeof err)) {
		fprintf(stderr, "tocsin compare: %s\n", err);
		status = EXIT_INVALID;
	}
	if (!status) {
		tc_compare_info info = {.dir = dir, .variants = variants,
		                        .independent = a->independent};
		side_info(&info.a, &texts[0], &m[0]);
		side_info(&info.b, &texts[1], &m[1]);
		status = write_outputs(dir, &info, &p);
		if (!status && !a->quiet) {
			tc_buf text;
			tc_buf_init(&text, alloc);
			tc_compare_text(&text, &info, &p, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
			fwrite(text.data, 1, text.len, stdout);
			printf("\n  comparison: %s/compare.json, %s/compare.html\n", dir, dir);
			tc_buf_release(&text);
		}
		tc_paired_release(&p);
	}
	for (int s = 0; s < loaded; s++)
		tc_manifest_release(&m[s]);
	return status;
}

/* A comparison written before must not sit next to the sweeps of this one. */
static int remove_stale(const char *dir)
{
	static const char *const names[] = {"compare.json", "compare.html"};
	char path[4200];
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (unlink(path) != 0 && errno != ENOENT) {
			fprintf(stderr, "tocsin compare: cannot remove %s: %s\n", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int compare(compare_args *a, unsigned jobs)
{
	char dir[4096];
	output_dir(a, dir, sizeof dir);
	side_text texts[MAX_SIDES] = {{.label = NULL}};
	const char *variants = a->doctrine_count ? "doctrine" : a->scenario_count == 2 ? "scenario"
	                                                                                 : "set";
	int rc = TC_OK;
	for (int s = 0; s < MAX_SIDES && !rc; s++) {
		snprintf(texts[s].dir, sizeof texts[s].dir, "%.4000s/%c", dir, s ? 'b' : 'a');
		rc = a->doctrine_count ? copy_label(&texts[s], a->doctrines[s])
		     : a->scenario_count == 2 ? copy_label(&texts[s], a->scenarios[s])
		                              : sets_label(&texts[s], a->sets[s], a->set_count[s]);
	}
	if (rc)
		fprintf(stderr, "tocsin compare: out of memory\n");
	int rank = tc_exec_mpi_rank();
	if (!rc && rank == 0 && (cli_make_dirs(dir) || remove_stale(dir)))
		rc = TC_EIO;
	/* Under MPI every rank must know that rank 0 cannot go on. */
	int status = tc_exec_mpi_agree(rc) ? EXIT_INVALID : EXIT_VALID;
	if (!status) {
		cli_sweep_side sides[MAX_SIDES];
		for (int s = 0; s < MAX_SIDES; s++)
			sides[s] = (cli_sweep_side){
				.scenario = a->scenarios[a->scenario_count == 2 ? s : 0],
				.doctrine = a->doctrine_count ? a->doctrines[s] : NULL,
				.sets = a->sets[s], .set_count = a->set_count[s], .dir = texts[s].dir,
			};
		sides[1].seed_offset = a->independent ? 1 : 0;
		cli_sweep_job job = {
			.command = "compare", .sim = &a->sim, .sides = sides, .side_count = MAX_SIDES,
			.replications = (uint32_t)a->n, .first = 0, .last = (uint32_t)a->n,
			.jobs = jobs, .quiet = a->quiet,
		};
		status = cli_sweep_run(&job);
	}
	if (!status && rank == 0)
		status = analyse(a, dir, texts, variants);
	for (int s = 0; s < MAX_SIDES; s++)
		release_text(&texts[s]);
	return status;
}

int cmd_compare(int argc, char **argv)
{
	char err[1024] = "";
	int ranks = tc_exec_mpi_start(&argc, &argv, err, sizeof err);
	if (ranks < 0) {
		fprintf(stderr, "tocsin compare: %s\n", err);
		return EXIT_INVALID;
	}
	tc_alloc *alloc = tc_alloc_default();
	compare_args a = {0};
	int status = EXIT_VALID;
	for (int s = 0; s < MAX_SIDES; s++)
		if (!(a.sets[s] = tc_calloc(alloc, (size_t)argc + 1, sizeof *a.sets[s])))
			status = EXIT_INVALID;
	if (!status && cli_sim_options_init(&a.sim, argc))
		status = EXIT_INVALID;
	if (status)
		fprintf(stderr, "tocsin compare: out of memory\n");
	int rc = status ? status : parse_args(argc, argv, &a);
	status = rc == 1 ? EXIT_VALID : rc;
	if (rc == 0)
		status = compare(&a, a.jobs ? (unsigned)a.jobs : ranks > 1 ? 1 : cli_cores());
	cli_sim_options_release(&a.sim);
	for (int s = 0; s < MAX_SIDES; s++)
		tc_free(alloc, a.sets[s], ((size_t)argc + 1) * sizeof *a.sets[s]);
	tc_exec_mpi_stop();
	return status;
}
