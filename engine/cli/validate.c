/*
 * tocsin validate FILE...: load each scenario and report every error.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/diag.h"
#include "scenario/scenario.h"

static const char help[] =
	"usage: tocsin validate [--doctrine FILE] SCENARIO...\n"
	"\n"
	"Checks each scenario (and the doctrine it names, or FILE) and prints every\n"
	"error as file:line:column: error: message. Exit status: 0 all valid, 1 some\n"
	"invalid, 2 usage error.\n";

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

int cmd_validate(int argc, char **argv)
{
	const char *doctrine = NULL;
	int files = 0, invalid = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return EXIT_VALID;
		}
		if (strncmp(argv[i], "--doctrine", 10) == 0 && (argv[i][10] == '\0' || argv[i][10] == '=')) {
			if (!(doctrine = cli_option_value(argc, argv, &i, "--doctrine")))
				return cli_usage_error("validate", "--doctrine needs a file");
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage_error("validate", "unknown option '%s'", argv[i]);
	}
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--doctrine", 10) == 0) {
			if (argv[i][10] == '\0')
				i++;
			continue;
		}
		files++;
		tc_diag diag;
		tc_diag_init(&diag, tc_alloc_default());
		tc_scenario *s = NULL;
		tc_load_options opt = {.doctrine_path = doctrine};
		if (tc_scenario_load(&s, tc_alloc_default(), argv[i], &opt, &diag) == 0) {
			printf("%s: valid: %zu actor%s, %zu channel%s, %zu incident%s, %zu inject%s, "
			       "%zu meeting%s, %zu objective%s, %zu doctrine rule%s\n", argv[i],
			       s->actor_count, plural(s->actor_count), s->channel_count,
			       plural(s->channel_count), s->incident_count, plural(s->incident_count),
			       s->inject_count, plural(s->inject_count), s->meeting_count,
			       plural(s->meeting_count), s->objective_count, plural(s->objective_count),
			       s->doctrine.rule_count, plural(s->doctrine.rule_count));
			tc_scenario_free(s);
		} else {
			tc_diag_print(&diag, stderr);
			fprintf(stderr, "%s: invalid (%zu error%s)\n", argv[i], tc_diag_errors(&diag),
			        plural(tc_diag_errors(&diag)));
			invalid++;
		}
		tc_diag_release(&diag);
	}
	if (files == 0)
		return cli_usage_error("validate", "no scenario file given");
	return invalid ? EXIT_INVALID : EXIT_VALID;
}
