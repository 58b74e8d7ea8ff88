/* The names of the objective enums, shared by the log's writer and reader. */
#include "model/incident.h"

const char *const tc_subject_type_names[3] = {
	[TC_SUBJECT_ACTOR] = "actor",
	[TC_SUBJECT_LEVEL] = "level",
	[TC_SUBJECT_ALL_REQUIRED] = "all-required",
};

const char *const tc_objective_event_names[3] = {
	[TC_EVENT_SENDS] = "sends",
	[TC_EVENT_AWARE] = "aware",
	[TC_EVENT_MEETING_HELD] = "meeting-held",
};

const char *const tc_anchor_type_names[4] = {
	[TC_ANCHOR_T0] = "T0",
	[TC_ANCHOR_INCIDENT_START] = "incident-start",
	[TC_ANCHOR_AWARE] = "aware",
	[TC_ANCHOR_OBJECTIVE] = "objective",
};
