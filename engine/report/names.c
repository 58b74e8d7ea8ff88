/* Names shared by the report writers (report/internal.h). */
#include <stdio.h>

#include "report/internal.h"

void report_objective_subject(const tc_setup *s, const tc_objective_def *o, char *buf,
                              size_t n)
{
	switch (o->subject) {
	case TC_SUBJECT_ACTOR:
		snprintf(buf, n, "%s", report_actor(s, o->subject_actor));
		return;
	case TC_SUBJECT_LEVEL:
		snprintf(buf, n, "level:%s", tc_level_name(o->subject_level));
		return;
	case TC_SUBJECT_ALL_REQUIRED:
		break;
	}
	snprintf(buf, n, "all-required");
}

void report_objective_event(const tc_setup *s, const tc_objective_def *o, char *buf, size_t n)
{
	switch (o->event) {
	case TC_EVENT_SENDS:
		if (o->to_actor >= 0)
			snprintf(buf, n, "sends:%s to:%s", report_kind(s, o->kind),
			         report_actor(s, o->to_actor));
		else
			snprintf(buf, n, "sends:%s", report_kind(s, o->kind));
		return;
	case TC_EVENT_MEETING_HELD:
		snprintf(buf, n, "meeting:%s", report_meeting(s, o->meeting));
		return;
	case TC_EVENT_AWARE:
		break;
	}
	snprintf(buf, n, "aware");
}

void report_objective_after(const tc_setup *s, const tc_objective_def *o, char *buf, size_t n)
{
	switch (o->anchor) {
	case TC_ANCHOR_T0:
		snprintf(buf, n, "start");
		return;
	case TC_ANCHOR_AWARE:
		snprintf(buf, n, "aware:%s", report_actor(s, o->anchor_actor));
		return;
	case TC_ANCHOR_OBJECTIVE:
		assert(o->anchor_objective >= 0 && (size_t)o->anchor_objective < s->objective_count);
		snprintf(buf, n, "objective:%s", s->objectives[o->anchor_objective].def.id);
		return;
	case TC_ANCHOR_INCIDENT_START:
		break;
	}
	snprintf(buf, n, "incident-start");
}
