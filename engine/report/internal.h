/*
 * What the report writers share: names of the things the metrics refer to
 * by index, and the objectives' definitions written as the scenario does.
 */
#ifndef TC_REPORT_INTERNAL_H
#define TC_REPORT_INTERNAL_H

#include <assert.h>

#include "analysis/analysis.h"
#include "report/format.h"

/* Ids by index; NULL for TC_NONE. */
static inline const char *report_actor(const tc_setup *s, int a)
{
	assert(a < 0 || (size_t)a < s->actor_count);
	return a >= 0 ? s->actors[a].id : NULL;
}

static inline const char *report_incident(const tc_setup *s, int i)
{
	assert(i < 0 || (size_t)i < s->incident_count);
	return i >= 0 ? s->incidents[i].id : NULL;
}

static inline const char *report_channel(const tc_setup *s, int c)
{
	assert(c < 0 || (size_t)c < s->channel_count);
	return c >= 0 ? s->channels[c] : NULL;
}

static inline const char *report_kind(const tc_setup *s, tc_kind_id k)
{
	assert(k < s->kind_count);
	return s->kinds[k];
}

static inline const char *report_inject(const tc_setup *s, int i)
{
	assert(i < 0 || (size_t)i < s->inject_count);
	return i >= 0 ? s->injects[i] : NULL;
}

static inline const char *report_meeting(const tc_setup *s, int i)
{
	assert(i < 0 || (size_t)i < s->meeting_count);
	return i >= 0 ? s->meetings[i] : NULL;
}

/* Enough for any of the objective texts below (ids are at most 64 bytes). */
enum { REPORT_OBJECTIVE_TEXT = 192 };

/* An objective's subject, event and anchor as the scenario writes them:
 * "cert", "level:technical", "all-required"; "aware", "sends:alert",
 * "sends:alert to:cert", "meeting:crisis-cell"; "start", "incident-start",
 * "aware:cert", "objective:notify". */
void report_objective_subject(const tc_setup *s, const tc_objective_def *o, char *buf,
                              size_t n);
void report_objective_event(const tc_setup *s, const tc_objective_def *o, char *buf, size_t n);
void report_objective_after(const tc_setup *s, const tc_objective_def *o, char *buf, size_t n);

#endif
