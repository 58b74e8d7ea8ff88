/*
 * JSON lines for the event log. Keys are written in a fixed order and
 * numbers without printf on the hot path; ids, not indices, name things so a
 * log reads on its own.
 */
#include "sim/log_json.h"

#include <string.h>

#include "core/error.h"
#include "core/version.h"

void tc_log_json_init(tc_log_json *log, tc_alloc *a, FILE *out)
{
	memset(log, 0, sizeof *log);
	log->out = out;
	tc_buf_init(&log->line, a);
}

void tc_log_json_release(tc_log_json *log)
{
	tc_buf_release(&log->line);
}

/* ,"k": for a string literal k, whose length the compiler knows: keys are
 * most of a record's bytes and the hot path is a copy of each. */
#define KEY(b, k) tc_buf_add((b), ",\"" k "\":", sizeof(",\"" k "\":") - 1)
#define KEY_INT(b, k, v) (KEY(b, k), tc_buf_add_i64((b), (v)))
#define KEY_STR(b, k, v) (KEY(b, k), str_or_null((b), (v)))
#define KEY_BOOL(b, k, v) (KEY(b, k), (v) ? tc_buf_add((b), "true", 4) : tc_buf_add((b), "false", 5))

static void str_or_null(tc_buf *b, const char *v)
{
	if (v)
		tc_buf_add_json_string(b, v);
	else
		tc_buf_add(b, "null", 4);
}

static const char *actor_id(const tc_scenario *s, int a)
{
	return a >= 0 ? s->actors[a].id : NULL;
}

static const char *incident_id(const tc_run *run, int i)
{
	return i >= 0 ? tc_run_incident_at(run, i).id : NULL;
}

static void cause_object(tc_buf *b, const tc_scenario *s, tc_cause c)
{
	switch (c.type) {
	case TC_CAUSE_MESSAGE:
		tc_buf_adds(b, "{\"message\":");
		tc_buf_add_u64(b, c.id);
		break;
	case TC_CAUSE_INJECT:
		tc_buf_adds(b, "{\"inject\":");
		tc_buf_add_json_string(b, s->injects[c.id].id);
		break;
	case TC_CAUSE_MEETING:
		tc_buf_adds(b, "{\"meeting\":");
		tc_buf_add_u64(b, c.id);
		break;
	case TC_CAUSE_SCRIPT:
		tc_buf_adds(b, "{\"script\":");
		tc_buf_add_u64(b, c.id);
		break;
	case TC_CAUSE_NONE:
		tc_buf_adds(b, "null");
		return;
	}
	tc_buf_addc(b, '}');
}

static void message_fields(tc_buf *b, const tc_run *run, const tc_record *r)
{
	const tc_scenario *s = tc_run_scenario(run);
	KEY_INT(b, "msg", (int64_t)r->message);
	KEY_STR(b, "kind", s->kinds[r->kind].name);
	KEY_STR(b, "from", actor_id(s, r->actor));
	KEY_STR(b, "to", actor_id(s, r->peer));
	KEY_STR(b, "incident", incident_id(run, r->incident));
	KEY_INT(b, "severity", r->severity);
	KEY_STR(b, "tlp", tc_tlp_name((tc_tlp)r->tlp));
	KEY_STR(b, "channel", r->channel >= 0 ? s->channels[r->channel].id : NULL);
	KEY_INT(b, "attempt", r->attempt);
}

static void meeting_fields(tc_buf *b, const tc_run *run, const tc_record *r)
{
	const tc_scenario *s = tc_run_scenario(run);
	KEY_STR(b, "meeting", s->meetings[r->meeting].id);
	KEY_INT(b, "instance", (int64_t)r->meeting_id);
	KEY_STR(b, "incident", incident_id(run, r->incident));
}

static void wait_object(tc_buf *b, const tc_record *r, tc_time total)
{
	KEY(b, "wait");
	tc_buf_adds(b, "{\"hold\":");
	tc_buf_add_i64(b, r->wait_hold);
	tc_buf_adds(b, ",\"channel\":");
	tc_buf_add_i64(b, r->wait_channel);
	tc_buf_adds(b, ",\"queue\":");
	tc_buf_add_i64(b, r->wait_queue);
	tc_buf_adds(b, ",\"off_hours\":");
	tc_buf_add_i64(b, r->wait_off_hours);
	tc_buf_adds(b, ",\"handling\":");
	tc_buf_add_i64(b, r->handling);
	tc_buf_adds(b, ",\"total\":");
	tc_buf_add_i64(b, total);
	tc_buf_addc(b, '}');
}

static void stats_object(tc_buf *b, const tc_run_stats *st)
{
	KEY(b, "stats");
	tc_buf_adds(b, "{\"events\":");
	tc_buf_add_u64(b, st->events);
	tc_buf_adds(b, ",\"messages\":");
	tc_buf_add_u64(b, st->messages);
	tc_buf_adds(b, ",\"delivered\":");
	tc_buf_add_u64(b, st->delivered);
	tc_buf_adds(b, ",\"lost\":");
	tc_buf_add_u64(b, st->lost);
	tc_buf_adds(b, ",\"handled\":");
	tc_buf_add_u64(b, st->handled);
	tc_buf_adds(b, ",\"retries\":");
	tc_buf_add_u64(b, st->retries);
	tc_buf_adds(b, ",\"meetings_held\":");
	tc_buf_add_u64(b, st->meetings_held);
	tc_buf_adds(b, ",\"meetings_failed\":");
	tc_buf_add_u64(b, st->meetings_failed);
	tc_buf_addc(b, '}');
}

void tc_log_json_format(tc_buf *b, const tc_run *run, const tc_record *r)
{
	const tc_scenario *s = tc_run_scenario(run);
	tc_buf_adds(b, "{\"seq\":");
	tc_buf_add_u64(b, r->seq);
	KEY_INT(b, "t", r->time);
	KEY_STR(b, "event", tc_record_type_name(r->type));
	switch (r->type) {
	case TC_REC_RUN_STARTED: {
		const tc_run_options *o = tc_run_options_of(run);
		KEY_STR(b, "format", "tocsin-events");
		KEY_INT(b, "version", TC_EVENT_LOG_VERSION);
		KEY_STR(b, "tocsin", TOCSIN_VERSION);
		KEY(b, "seed");
		tc_buf_add_u64(b, o->seed);
		KEY_INT(b, "replication", o->replication);
		KEY_INT(b, "until", o->until == TC_TIME_NEVER ? s->duration : o->until);
		KEY(b, "scenario");
		tc_log_json_scenario(b, s);
		break;
	}
	case TC_REC_INJECT_FIRED:
		KEY_STR(b, "inject", s->injects[r->inject].id);
		KEY_INT(b, "occurrence", r->count);
		KEY_STR(b, "incident", incident_id(run, r->incident));
		break;
	case TC_REC_MESSAGE_CREATED:
	case TC_REC_RETRY:
		message_fields(b, run, r);
		KEY(b, "parents");
		tc_buf_addc(b, '[');
		if (r->cause.type != TC_CAUSE_NONE)
			cause_object(b, s, r->cause);
		tc_buf_addc(b, ']');
		KEY(b, "binding");
		cause_object(b, s, r->cause);
		if (r->meeting >= 0) {
			KEY_STR(b, "meeting", s->meetings[r->meeting].id);
			KEY_INT(b, "instance", (int64_t)r->meeting_id);
		}
		if (r->text)
			KEY_STR(b, "body", r->text);
		break;
	case TC_REC_MESSAGE_HELD:
	case TC_REC_MESSAGE_SENT:
	case TC_REC_MESSAGE_LOST:
		message_fields(b, run, r);
		if (r->text)
			KEY_STR(b, "reason", r->text);
		break;
	case TC_REC_MESSAGE_DELIVERED:
		message_fields(b, run, r);
		KEY_INT(b, "latency", r->wait_channel);
		break;
	case TC_REC_MESSAGE_QUEUED:
		message_fields(b, run, r);
		KEY_INT(b, "pending", r->count);
		KEY_STR(b, "reason", r->text);
		break;
	case TC_REC_HANDLING_STARTED:
		message_fields(b, run, r);
		KEY_BOOL(b, "on_call", r->on_call);
		break;
	case TC_REC_MESSAGE_HANDLED:
		message_fields(b, run, r);
		KEY_BOOL(b, "on_call", r->on_call);
		wait_object(b, r, r->wait_hold + r->wait_channel + r->wait_queue + r->wait_off_hours +
		                  r->handling);
		break;
	case TC_REC_ACTOR_AWARE:
		KEY_STR(b, "actor", actor_id(s, r->actor));
		KEY_STR(b, "incident", incident_id(run, r->incident));
		KEY(b, "cause");
		cause_object(b, s, r->cause);
		break;
	case TC_REC_CALLOUT:
		KEY_STR(b, "actor", actor_id(s, r->actor));
		KEY_INT(b, "staff", r->count);
		KEY_STR(b, "state", r->text);
		break;
	case TC_REC_MEETING_CONVENED:
		meeting_fields(b, run, r);
		KEY_STR(b, "by", actor_id(s, r->actor));
		KEY_INT(b, "participants", r->count);
		KEY(b, "cause");
		cause_object(b, s, r->cause);
		break;
	case TC_REC_MEETING_JOINED:
		meeting_fields(b, run, r);
		KEY_STR(b, "actor", actor_id(s, r->actor));
		KEY_INT(b, "msg", (int64_t)r->message);
		KEY_INT(b, "attendees", r->count);
		break;
	case TC_REC_MEETING_STARTED:
		meeting_fields(b, run, r);
		KEY_INT(b, "attendees", r->count);
		KEY(b, "binding");
		cause_object(b, s, r->cause);
		break;
	case TC_REC_MEETING_ENDED:
		meeting_fields(b, run, r);
		KEY_INT(b, "attendees", r->count);
		break;
	case TC_REC_MEETING_FAILED:
		meeting_fields(b, run, r);
		KEY_INT(b, "attendees", r->count);
		KEY_STR(b, "reason", r->text);
		break;
	case TC_REC_CHANNEL_DOWN:
	case TC_REC_CHANNEL_UP:
		KEY_STR(b, "channel", s->channels[r->channel].id);
		KEY(b, "cause");
		cause_object(b, s, r->cause);
		break;
	case TC_REC_STAFF_CHANGED:
		KEY_STR(b, "actor", actor_id(s, r->actor));
		KEY_INT(b, "staff", r->count);
		KEY(b, "cause");
		cause_object(b, s, r->cause);
		break;
	case TC_REC_HOURS_CHANGED:
		KEY_STR(b, "actor", actor_id(s, r->actor));
		KEY_STR(b, "hours", r->text);
		KEY(b, "cause");
		cause_object(b, s, r->cause);
		break;
	case TC_REC_INCIDENT_OPENED: {
		tc_run_incident inc = tc_run_incident_at(run, r->incident);
		KEY_STR(b, "incident", inc.id);
		KEY_STR(b, "title", inc.title);
		KEY_INT(b, "severity", inc.severity);
		KEY_STR(b, "detector", actor_id(s, inc.detector));
		KEY(b, "required");
		tc_buf_addc(b, '[');
		for (size_t i = 0; i < inc.required_count; i++) {
			if (i)
				tc_buf_addc(b, ',');
			tc_buf_add_json_string(b, s->actors[inc.required[i]].id);
		}
		tc_buf_addc(b, ']');
		break;
	}
	case TC_REC_INCIDENT_ESCALATED:
		KEY_STR(b, "incident", incident_id(run, r->incident));
		KEY_INT(b, "from", r->count);
		KEY_INT(b, "severity", r->severity);
		KEY(b, "cause");
		cause_object(b, s, r->cause);
		break;
	case TC_REC_SCRIPT_LOG:
	case TC_REC_SCRIPT_ERROR:
		if (r->type == TC_REC_SCRIPT_LOG)
			KEY(b, "text");
		else
			KEY(b, "error");
		tc_buf_add_json_stringn(b, r->text, (size_t)r->text_len);
		break;
	case TC_REC_RUN_ENDED:
		KEY_STR(b, "reason", r->text);
		stats_object(b, tc_run_stats_of(run));
		break;
	case TC_REC_TYPE_COUNT:
		break;
	}
	tc_buf_addc(b, '}');
}

int tc_log_json_flush(tc_log_json *log)
{
	size_t n = log->line.len;
	int failed = n && fwrite(log->line.data, 1, n, log->out) != n;
	tc_buf_reset(&log->line);
	if (failed) {
		log->io_error = 1;
		return TC_EIO;
	}
	return TC_OK;
}

static int write_record(void *ud, const tc_run *run, const tc_record *rec)
{
	tc_log_json *log = ud;
	tc_log_json_format(&log->line, run, rec);
	tc_buf_addc(&log->line, '\n');
	if (log->line.failed)
		return TC_ENOMEM;
	if (log->line.len >= TC_LOG_JSON_CHUNK || rec->type == TC_REC_RUN_ENDED)
		return tc_log_json_flush(log);
	return TC_OK;
}

tc_sink tc_log_json_sink(tc_log_json *log)
{
	tc_sink sink = {write_record, log};
	return sink;
}
