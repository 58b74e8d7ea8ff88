/*
 * A loaded scenario: the immutable description every run of it shares
 * (read-only after load, so runs may proceed in parallel threads).
 */
#ifndef TC_SCENARIO_H
#define TC_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/timefmt.h"
#include "core/tz.h"
#include "model/actor.h"
#include "model/channel.h"
#include "model/doctrine.h"
#include "model/incident.h"
#include "model/inject.h"
#include "model/meeting.h"
#include "model/script.h"
#include "model/vocab.h"

/* Documented limits (docs/scenario.md): beyond them a scenario is refused. */
enum {
	TC_MAX_ACTORS = 10000,
	TC_MAX_CHANNELS = 256,
	TC_MAX_INCIDENTS = 1000,
	TC_MAX_INJECTS = 100000,
	TC_MAX_MEETINGS = 1000,
	TC_MAX_OBJECTIVES = 1000,
	TC_MAX_RULES = 100000,
	TC_MAX_STAFF = 100000,
	TC_MAX_ZONES = 64,
	TC_MAX_SCRIPTS = 64,
	TC_MAX_INCLUDES = 16,             /* catalogue files of one scenario */
	TC_MAX_SCRIPT_BYTES = 4 << 20,    /* one Lua file */
	TC_MAX_DUTY_INTERVALS = 4000000,  /* all actors' compiled schedules together */
};
/* Times (incident starts, injects, meetings) lie within this of T+0. */
#define TC_MAX_TIME_OFFSET (366 * TC_DAY)

/* A catalogue file the scenario includes: which one, and which bytes. */
typedef struct tc_include_def {
	const char *file;            /* resolved against the scenario's directory */
	char sha256[65];
} tc_include_def;

typedef struct tc_scenario {
	tc_alloc *alloc;
	tc_arena arena;              /* everything below lives here */
	const char *file;
	char sha256[65];             /* of the scenario file's bytes */
	const char *name;
	const char *description;
	const char *timezone;        /* the exercise's zone: date-times and months */
	const tc_tz *tz;
	int64_t epoch_utc_ms;        /* T+0 as a UTC instant */
	tc_time duration;            /* the exercise ends at T+duration */
	tc_time span_start;          /* earliest time anything refers to (<= 0) */
	uint64_t default_seed;

	const tc_include_def *includes; /* `include:`, in order */
	size_t include_count;
	const char *const *sets;     /* the overrides "PATH=VALUE" it was loaded with, in order */
	size_t set_count;

	tc_kind kinds[TC_KIND_MAX];
	size_t kind_count;
	tc_actor_def *actors;
	size_t actor_count;
	tc_channel_def *channels;
	size_t channel_count;
	tc_incident_def *incidents;
	size_t incident_count;
	tc_inject_def *injects;
	size_t inject_count;
	tc_meeting_def *meetings;
	size_t meeting_count;
	tc_objective_def *objectives;
	size_t objective_count;
	tc_doctrine_def doctrine;
	/* Lua: the scenario's `scripts:` in order, then the --script files
	 * (role TC_SCRIPT_INJECTS); the doctrine's handlers are doctrine.script. */
	const tc_script_def *scripts;
	size_t script_count;

	tc_tz *zones;                /* loaded once per distinct zone name */
	size_t zone_count;
	const uint32_t *actor_order; /* actor indices sorted by id, for lookups */
} tc_scenario;

struct tc_ynode;

typedef struct tc_load_options {
	const char *doctrine_path;   /* replaces the scenario's doctrine (--doctrine) */
	const char *const *script_paths; /* added after the scenario's scripts (--script) */
	size_t script_path_count;
	const struct tc_ynode *injects; /* replaces the file's injects: (msel import) */
	/* Overrides "PATH=VALUE" (--set), applied in order after includes and
	 * extends are resolved, before the sections are read (docs/scenario.md,
	 * "Overrides"). PATH is dot-separated: a section, then an entry by its
	 * id in sections that list entries, then keys; VALUE is YAML flow text
	 * (4, 2h, "a text", {median: 1h, p90: 4h}; null removes the key). An
	 * error in one is reported at its own position, in a pseudo-file named
	 * after the option ("--set actors.ansi.staff=4:1:8: ..."). */
	const char *const *sets;
	size_t set_count;
} tc_load_options;

/*
 * Load and validate a scenario file (and the doctrine it names, or
 * opt->doctrine_path). Every problem goes to diag with file:line:column; on
 * any error nothing is returned (*out is NULL) and the result is TC_EINVAL,
 * TC_ELIMIT (a documented limit is exceeded), TC_EIO or TC_ENOENT (a file
 * cannot be read) or TC_ENOMEM. opt may be NULL.
 */
int tc_scenario_load(tc_scenario **out, tc_alloc *a, const char *path,
                     const tc_load_options *opt, tc_diag *diag);
/*
 * The same from YAML text data[0..len) (need not be NUL-terminated). name
 * stands for the file in diagnostics and in the log (NULL: "<input>"); a
 * doctrine file the scenario names is read relative to name's directory.
 * tc_scenario_load reads the file and calls this.
 */
int tc_scenario_load_buffer(tc_scenario **out, tc_alloc *a, const char *name, const char *data,
                            size_t len, const tc_load_options *opt, tc_diag *diag);
void tc_scenario_free(tc_scenario *s);

/* Index of the actor with this id, or -1. O(log n). */
int tc_scenario_find_actor(const tc_scenario *s, const char *id);
/* Index of the kind with this name, or -1. */
int tc_scenario_find_kind(const tc_scenario *s, const char *name);

#endif
