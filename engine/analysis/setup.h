/*
 * What the analysis knows of a run before its first event: the resolved
 * scenario that run-started embeds (docs/event-log.md), reduced to what the
 * metrics need. It is built from that JSON whether the records come from a
 * file or from a running simulation (which serialises its scenario once), so
 * both paths analyse exactly the same thing.
 */
#ifndef TC_ANALYSIS_SETUP_H
#define TC_ANALYSIS_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/calendar.h"
#include "core/timefmt.h"
#include "core/tz.h"
#include "model/incident.h"
#include "model/vocab.h"

typedef struct tc_setup_actor {
	const char *id, *name;
	tc_level level;
	int64_t staff;             /* at T+0 */
	int always_on_duty;
	tc_timeline duty;          /* compiled duty intervals (empty when always on duty);
	                            * its arrays live in the setup's arena */
} tc_setup_actor;

typedef struct tc_setup_incident {
	const char *id, *title;
	int severity;
	tc_time start;
	int detector;              /* actor index or TC_NONE */
	const uint32_t *required;  /* actor indices */
	size_t required_count;
	int opened;                /* opened during the run by a script */
} tc_setup_incident;

typedef struct tc_setup_objective {
	tc_objective_def def;      /* indices into the setup's arrays */
} tc_setup_objective;

typedef struct tc_setup {
	tc_arena arena;            /* owns every string and array below */
	tc_tz tz;                  /* the exercise zone (objectives' calendar months) */

	const char *name, *file, *sha256, *tocsin_version;
	const char **sets;         /* the overrides "PATH=VALUE" (--set), in order */
	size_t set_count;
	uint64_t seed;
	uint32_t replication;
	int64_t start_utc_ms;      /* T+0 */
	const char *start;         /* ISO 8601 with offset, as the log writes it */
	const char *timezone;
	tc_time duration, span_start, until;   /* until: TC_TIME_NEVER when not given */

	const char **kinds;        /* by tc_kind_id */
	const uint8_t *kind_informative;
	size_t kind_count;
	tc_setup_actor *actors;
	size_t actor_count;
	const char **channels;
	size_t channel_count;
	tc_setup_incident *incidents;  /* the scenario's, then those opened by scripts */
	size_t incident_count, incident_cap;
	const char **injects;
	size_t inject_count;
	const char **meetings;     /* meeting ids */
	size_t meeting_count;
	tc_setup_objective *objectives;
	size_t objective_count;

	struct tc_setup_index *index;  /* id -> index maps of the tables (setup.c) */
} tc_setup;

/*
 * Read the setup from run-started's JSON text (the whole record, or just its
 * "scenario" object is not enough: seed, replication and tocsin come from the
 * record). Loads the exercise zone from the system's zoneinfo. TC_OK,
 * TC_ENOMEM, or TC_EINVAL / TC_ENOENT (unknown zone) with a message in err
 * naming the field: "scenario.actors[3].level: expected one of technical,
 * operational, strategic, political". On failure s is released.
 */
int tc_setup_parse(tc_setup *s, tc_alloc *a, const char *json, size_t len, char *err,
                   size_t errlen);

/* Actor index by id, or TC_NONE. (Likewise for the other tables.) */
int tc_setup_actor_index(const tc_setup *s, const char *id);
int tc_setup_channel_index(const tc_setup *s, const char *id);
int tc_setup_incident_index(const tc_setup *s, const char *id);
int tc_setup_inject_index(const tc_setup *s, const char *id);
int tc_setup_meeting_index(const tc_setup *s, const char *id);
int tc_setup_kind_index(const tc_setup *s, const char *name);

/* Append an incident opened by a script (incident-opened); strings and the
 * required list are copied. TC_OK, TC_ENOMEM, TC_ELIMIT (more incidents than
 * a run may have) or TC_EINVAL (the id is taken). */
int tc_setup_add_incident(tc_setup *s, const tc_setup_incident *inc);

/* Whether actor is in the set of `level` for incident inc: the incident's
 * required actors of that level, or every actor of the level when it
 * requires none of them (docs/metrics.md, "Levels"). */
int tc_setup_level_member(const tc_setup *s, int inc, tc_level level, size_t actor);

void tc_setup_release(tc_setup *s);

#endif
