/* The inject actions' names, as scenarios, the event log and MSEL
 * spreadsheets write them. */
#include "model/inject.h"

const char *const tc_inject_action_names[TC_INJECT_ACTION_COUNT] = {
	[TC_INJECT_MESSAGE] = "message",
	[TC_INJECT_CHANNEL_DOWN] = "channel-down",
	[TC_INJECT_CHANNEL_UP] = "channel-up",
	[TC_INJECT_SET_STAFF] = "set-staff",
	[TC_INJECT_CONVENE] = "convene",
	[TC_INJECT_END] = "end",
};
