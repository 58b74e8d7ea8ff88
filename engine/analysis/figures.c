/*
 * The columns of replications.csv: which figures of a run's metrics a sweep
 * keeps, named as docs/sweep.md lists them.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis/figures.h"
#include "core/error.h"

enum source {
	RUN_END_REASON, RUN_SPAN_END, RUN_EVENTS, RUN_MESSAGES, RUN_DELIVERED, RUN_LOST,
	RUN_HANDLED, RUN_RETRIES, RUN_MEETINGS_HELD, RUN_MEETINGS_FAILED, RUN_INCIDENTS_OPENED,
	INC_COP, INC_REQUIRED_AWARE, INC_LEVEL_FIRST, INC_LEVEL_ALL, INC_AWARE, INC_BOTTLENECK,
	INC_PATH_CAUSE,
	ACT_HANDLED, ACT_BUSY, ACT_UTILISATION, ACT_BACKLOG_MAX, ACT_RESPONSE_P50, ACT_RESPONSE_P90,
	OBJ_MET, OBJ_REASON, OBJ_ELAPSED, OBJ_MARGIN,
};

static const char *const kind_names[TC_FIGURE_KIND_COUNT] = {"time", "count", "ratio", "flag",
                                                             "label"};

const char *tc_figure_kind_name(tc_figure_kind kind)
{
	assert(kind < TC_FIGURE_KIND_COUNT);
	return kind_names[kind];
}

int tc_figure_kind_parse(const char *name)
{
	for (int k = 0; k < TC_FIGURE_KIND_COUNT; k++)
		if (strcmp(name, kind_names[k]) == 0)
			return k;
	return -1;
}

typedef struct builder {
	tc_figure_set *fs;
	size_t cap;
	tc_alloc *alloc;
	int failed;
} builder;

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static void add(builder *b, tc_figure_kind kind, int headline, int source, int index_sub[2],
                const char *fmt, ...)
{
	if (b->failed)
		return;
	tc_figure_set *fs = b->fs;
	if (fs->count == b->cap &&
	    tc_grow(b->alloc, (void **)&fs->figures, &b->cap, fs->count + 1, sizeof *fs->figures)) {
		b->failed = 1;
		return;
	}
	char name[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	const char *copy = tc_arena_strdup(&fs->arena, name);
	if (!copy) {
		b->failed = 1;
		return;
	}
	fs->figures[fs->count++] = (tc_figure){.name = copy, .kind = kind, .headline = headline,
	                                       .source = source, .index = index_sub[0],
	                                       .sub = index_sub[1]};
}

#define AT(i, s) ((int[2]){(int)(i), (int)(s)})

static void run_figures(builder *b)
{
	add(b, TC_FIGURE_LABEL, 0, RUN_END_REASON, AT(0, 0), "end_reason");
	add(b, TC_FIGURE_TIME, 0, RUN_SPAN_END, AT(0, 0), "span_end_ms");
	add(b, TC_FIGURE_COUNT, 0, RUN_EVENTS, AT(0, 0), "events");
	add(b, TC_FIGURE_COUNT, 1, RUN_MESSAGES, AT(0, 0), "messages");
	add(b, TC_FIGURE_COUNT, 0, RUN_DELIVERED, AT(0, 0), "delivered");
	add(b, TC_FIGURE_COUNT, 1, RUN_LOST, AT(0, 0), "lost");
	add(b, TC_FIGURE_COUNT, 0, RUN_HANDLED, AT(0, 0), "handled");
	add(b, TC_FIGURE_COUNT, 0, RUN_RETRIES, AT(0, 0), "retries");
	add(b, TC_FIGURE_COUNT, 0, RUN_MEETINGS_HELD, AT(0, 0), "meetings_held");
	add(b, TC_FIGURE_COUNT, 0, RUN_MEETINGS_FAILED, AT(0, 0), "meetings_failed");
	add(b, TC_FIGURE_COUNT, 0, RUN_INCIDENTS_OPENED, AT(0, 0), "incidents_opened");
}

static void incident_figures(builder *b, const tc_setup *s, size_t i)
{
	const char *id = s->incidents[i].id;
	add(b, TC_FIGURE_TIME, 1, INC_COP, AT(i, 0), "incident/%s/time_to_cop_ms", id);
	add(b, TC_FIGURE_COUNT, 0, INC_REQUIRED_AWARE, AT(i, 0), "incident/%s/required_aware", id);
	for (int lv = 0; lv < TC_LEVEL_COUNT; lv++) {
		size_t members = 0;
		for (size_t a = 0; a < s->actor_count; a++)
			members += (size_t)tc_setup_level_member(s, (int)i, (tc_level)lv, a);
		if (!members)
			continue;
		const char *level = tc_level_name((tc_level)lv);
		add(b, TC_FIGURE_TIME, 0, INC_LEVEL_FIRST, AT(i, lv), "incident/%s/level/%s/first_ms",
		    id, level);
		add(b, TC_FIGURE_TIME, 1, INC_LEVEL_ALL, AT(i, lv), "incident/%s/level/%s/all_ms", id,
		    level);
	}
	for (size_t a = 0; a < s->actor_count; a++)
		add(b, TC_FIGURE_TIME, 0, INC_AWARE, AT(i, a), "incident/%s/aware/%s_ms", id,
		    s->actors[a].id);
	add(b, TC_FIGURE_LABEL, 1, INC_BOTTLENECK, AT(i, 0), "incident/%s/path/bottleneck", id);
	for (int c = 0; c < TC_PATH_CAUSE_COUNT; c++)
		add(b, TC_FIGURE_TIME, 0, INC_PATH_CAUSE, AT(i, c), "incident/%s/path/%s_ms", id,
		    tc_path_cause_name((tc_path_cause)c));
}

static void actor_figures(builder *b, const tc_setup *s, size_t a)
{
	const char *id = s->actors[a].id;
	add(b, TC_FIGURE_COUNT, 0, ACT_HANDLED, AT(a, 0), "actor/%s/handled", id);
	add(b, TC_FIGURE_TIME, 0, ACT_BUSY, AT(a, 0), "actor/%s/busy_staff_ms", id);
	add(b, TC_FIGURE_RATIO, 0, ACT_UTILISATION, AT(a, 0), "actor/%s/utilisation", id);
	add(b, TC_FIGURE_COUNT, 0, ACT_BACKLOG_MAX, AT(a, 0), "actor/%s/backlog_max", id);
	add(b, TC_FIGURE_TIME, 0, ACT_RESPONSE_P50, AT(a, 0), "actor/%s/response_p50_ms", id);
	add(b, TC_FIGURE_TIME, 0, ACT_RESPONSE_P90, AT(a, 0), "actor/%s/response_p90_ms", id);
}

static void objective_figures(builder *b, const tc_setup *s, size_t o)
{
	const char *id = s->objectives[o].def.id;
	add(b, TC_FIGURE_FLAG, 1, OBJ_MET, AT(o, 0), "objective/%s/met", id);
	add(b, TC_FIGURE_LABEL, 0, OBJ_REASON, AT(o, 0), "objective/%s/reason", id);
	add(b, TC_FIGURE_TIME, 1, OBJ_ELAPSED, AT(o, 0), "objective/%s/elapsed_ms", id);
	add(b, TC_FIGURE_TIME, 0, OBJ_MARGIN, AT(o, 0), "objective/%s/margin_ms", id);
}

int tc_figure_set_init(tc_figure_set *fs, tc_alloc *a, const tc_setup *setup)
{
	*fs = (tc_figure_set){0};
	tc_arena_init(&fs->arena, a);
	builder b = {.fs = fs, .alloc = a};
	run_figures(&b);
	for (size_t i = 0; i < setup->incident_count; i++)
		if (!setup->incidents[i].opened)
			incident_figures(&b, setup, i);
	for (size_t o = 0; o < setup->objective_count; o++)
		objective_figures(&b, setup, o);
	for (size_t k = 0; k < setup->actor_count; k++)
		actor_figures(&b, setup, k);
	fs->cap = b.cap;
	if (b.failed) {
		tc_figure_set_release(fs);
		return TC_ENOMEM;
	}
	return TC_OK;
}

void tc_figure_set_release(tc_figure_set *fs)
{
	if (fs->figures)
		tc_free(fs->arena.alloc, fs->figures, fs->cap * sizeof *fs->figures);
	tc_arena_release(&fs->arena);
	*fs = (tc_figure_set){0};
}

static tc_figure_value time_value(tc_time t)
{
	return t == TC_TIME_NEVER ? (tc_figure_value){0}
	                          : (tc_figure_value){.present = 1, .number = (double)t};
}

static tc_figure_value number_value(double v)
{
	return (tc_figure_value){.present = v == v, .number = v == v ? v : 0};
}

static tc_figure_value label_value(const char *label)
{
	return (tc_figure_value){.present = label != NULL, .label = label};
}

static size_t incidents_opened(const tc_setup *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->incident_count; i++)
		n += s->incidents[i].opened != 0;
	return n;
}

static tc_figure_value run_value(const tc_figure *f, const tc_metrics *m)
{
	const tc_totals *t = &m->totals;
	switch (f->source) {
	case RUN_END_REASON: return label_value(t->end_reason);
	case RUN_SPAN_END: return time_value(t->span_end);
	case RUN_EVENTS: return number_value((double)t->events);
	case RUN_MESSAGES: return number_value((double)t->messages);
	case RUN_DELIVERED: return number_value((double)t->delivered);
	case RUN_LOST: return number_value((double)t->lost);
	case RUN_HANDLED: return number_value((double)t->handled);
	case RUN_RETRIES: return number_value((double)t->retries);
	case RUN_MEETINGS_HELD: return number_value((double)t->meetings_held);
	case RUN_MEETINGS_FAILED: return number_value((double)t->meetings_failed);
	default: return number_value((double)incidents_opened(m->setup));
	}
}

static tc_figure_value incident_value(const tc_figure *f, const tc_metrics *m)
{
	const tc_setup *s = m->setup;
	const tc_incident_metrics *im = &m->incidents[f->index];
	switch (f->source) {
	case INC_COP: return time_value(im->time_to_cop);
	case INC_REQUIRED_AWARE: return number_value(im->required_aware);
	case INC_LEVEL_FIRST: return time_value(im->levels[f->sub].first);
	case INC_LEVEL_ALL: return time_value(im->levels[f->sub].all);
	case INC_AWARE:
		return time_value(m->awareness[(size_t)f->index * s->actor_count + (size_t)f->sub]
		                      .since_start);
	case INC_BOTTLENECK:
		return label_value(im->path.bottleneck == TC_NONE
		                   ? NULL : s->actors[im->path.bottleneck].id);
	default:
		assert(f->source == INC_PATH_CAUSE);
		return im->path.target_actor == TC_NONE ? (tc_figure_value){0}
		                                         : time_value(im->path.by_cause[f->sub]);
	}
}

static tc_figure_value actor_value(const tc_figure *f, const tc_metrics *m)
{
	const tc_actor_metrics *am = &m->actors[f->index];
	switch (f->source) {
	case ACT_HANDLED: return number_value((double)am->handled);
	case ACT_BUSY: return time_value(am->busy_duty + am->busy_on_call);
	case ACT_UTILISATION: return number_value(am->utilisation);
	case ACT_BACKLOG_MAX: return number_value((double)am->backlog_max);
	case ACT_RESPONSE_P50: return time_value(am->response.p50);
	default:
		assert(f->source == ACT_RESPONSE_P90);
		return time_value(am->response.p90);
	}
}

static tc_figure_value objective_value(const tc_figure *f, const tc_metrics *m)
{
	const tc_objective_result *r = &m->objectives[f->index];
	switch (f->source) {
	case OBJ_MET: return number_value(r->verdict == TC_VERDICT_MET);
	case OBJ_REASON: return label_value(tc_objective_reason_name(r->reason));
	case OBJ_ELAPSED:
		return r->event_at == TC_TIME_NEVER || r->anchor_at == TC_TIME_NEVER
		       ? (tc_figure_value){0} : time_value(r->event_at - r->anchor_at);
	default:
		assert(f->source == OBJ_MARGIN);
		return time_value(r->margin);
	}
}

void tc_figure_values(const tc_figure_set *fs, const tc_metrics *m, tc_figure_value *out)
{
	for (size_t k = 0; k < fs->count; k++) {
		const tc_figure *f = &fs->figures[k];
		out[k] = f->source <= RUN_INCIDENTS_OPENED ? run_value(f, m)
		         : f->source <= INC_PATH_CAUSE     ? incident_value(f, m)
		         : f->source <= ACT_RESPONSE_P90   ? actor_value(f, m)
		                                           : objective_value(f, m);
	}
}
