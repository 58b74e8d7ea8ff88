/*
 * The figures that need the whole run: per-actor summaries, percentiles,
 * awareness by level, the common operational picture and the totals.
 * Definitions: docs/metrics.md.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/internal.h"
#include "core/error.h"

static int compare_time(const void *a, const void *b)
{
	tc_time x = *(const tc_time *)a, y = *(const tc_time *)b;
	return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least p% of the values at or below it. */
static tc_time nearest_rank(const tc_time *sorted, size_t n, unsigned p)
{
	assert(n > 0 && p > 0 && p <= 100);
	size_t rank = (size_t)(((uint64_t)p * n + 99) / 100);
	return sorted[rank - 1];
}

void percentiles_of(tc_time *values, size_t n, tc_percentiles *out)
{
	out->count = n;
	if (n == 0) {
		out->p50 = out->p90 = out->p99 = out->max = TC_TIME_NEVER;
		out->mean = NAN;
		return;
	}
	qsort(values, n, sizeof *values, compare_time);
	out->p50 = nearest_rank(values, n, 50);
	out->p90 = nearest_rank(values, n, 90);
	out->p99 = nearest_rank(values, n, 99);
	out->max = values[n - 1];
	/* Summed as doubles: a mean of many long waits must not overflow. */
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)values[i];
	out->mean = sum / (double)n;
}

static void actor_summaries(tc_analysis *an)
{
	tc_metrics *m = &an->metrics;
	tc_time end = m->totals.span_end, span = end - m->totals.span_start;
	for (size_t i = 0; i < an->setup.actor_count; i++) {
		actor_state *st = &an->actors[i];
		tc_actor_metrics *am = &m->actors[i];
		analysis_advance(an, i, end);
		am->utilisation = am->capacity > 0 ? (double)am->busy_duty / (double)am->capacity
		                                   : NAN;
		am->backlog_mean = span > 0 ? st->backlog_area / (double)span : 0.0;
		if (am->backlog_max == 0)
			am->backlog_max_at = TC_TIME_NEVER;
		percentiles_of(st->responses, st->response_count, &am->response);
	}
}

/* Is actor a in objective/level set of `level` for incident inc? The
 * incident's required actors of that level, or all of the level when it
 * requires none of them. */
int analysis_level_member(const tc_analysis *an, int inc, tc_level level, size_t actor)
{
	return tc_setup_level_member(&an->setup, inc, level, actor);
}

static void level_figures(tc_analysis *an, int inc, tc_incident_metrics *im)
{
	const tc_setup *s = &an->setup;
	const tc_awareness *aw = &an->awareness[(size_t)inc * s->actor_count];
	for (int lv = 0; lv < TC_LEVEL_COUNT; lv++) {
		tc_level_metrics *l = &im->levels[lv];
		l->first = l->all = TC_TIME_NEVER;
		tc_time last = TC_TIME_ALWAYS_START;
		for (size_t a = 0; a < s->actor_count; a++) {
			if (!analysis_level_member(an, inc, (tc_level)lv, a))
				continue;
			l->actors++;
			if (aw[a].at == TC_TIME_NEVER)
				continue;
			l->aware++;
			if (aw[a].since_start < l->first)
				l->first = aw[a].since_start;
			if (aw[a].since_start > last)
				last = aw[a].since_start;
		}
		if (l->actors && l->aware == l->actors)
			l->all = last;
	}
}

static void common_picture(tc_analysis *an, int inc, tc_incident_metrics *im)
{
	const tc_setup *s = &an->setup;
	const tc_setup_incident *in = &s->incidents[inc];
	const tc_awareness *aw = &an->awareness[(size_t)inc * s->actor_count];
	tc_time last = TC_TIME_ALWAYS_START;
	im->required = (uint32_t)in->required_count;
	for (size_t k = 0; k < in->required_count; k++) {
		const tc_awareness *x = &aw[in->required[k]];
		if (x->at == TC_TIME_NEVER)
			continue;
		im->required_aware++;
		if (x->at > last)
			last = x->at;
	}
	/* No required actor: no common picture to reach. */
	if (im->required && im->required_aware == im->required) {
		im->cop_at = last;
		im->time_to_cop = last - in->start;
	} else {
		im->cop_at = im->time_to_cop = TC_TIME_NEVER;
	}
}

static void totals(tc_analysis *an)
{
	tc_metrics *m = &an->metrics;
	tc_totals *t = &m->totals;
	size_t direct = an->setup.channel_count;
	t->events = an->events;
	t->messages = m->hop_count;
	for (size_t i = 0; i < m->hop_count; i++) {
		const tc_hop *h = &m->hops[i];
		tc_count_row *k = &t->by_kind[h->kind];
		tc_count_row *c = &t->by_channel[h->channel == TC_NONE ? direct : (size_t)h->channel];
		int delivered = h->delivered != TC_TIME_NEVER, lost = h->status == TC_HOP_LOST,
		    handled = h->status == TC_HOP_HANDLED;
		k->messages++, c->messages++;
		k->delivered += delivered, c->delivered += delivered;
		k->lost += lost, c->lost += lost;
		k->handled += handled, c->handled += handled;
		t->delivered += delivered;
		t->lost += lost;
		t->handled += handled;
		t->retries += h->attempt > 1;
	}
}

static int alloc_results(tc_analysis *an)
{
	const tc_setup *s = &an->setup;
	tc_metrics *m = &an->metrics;
	m->incidents = tc_calloc(an->a, one_or(s->incident_count),
	                         sizeof *m->incidents);
	m->objectives = tc_calloc(an->a, one_or(s->objective_count),
	                          sizeof *m->objectives);
	m->totals.by_kind = tc_calloc(an->a, one_or(s->kind_count),
	                              sizeof *m->totals.by_kind);
	m->totals.by_channel = tc_calloc(an->a, s->channel_count + 1, sizeof *m->totals.by_channel);
	if (!m->incidents || !m->objectives || !m->totals.by_kind || !m->totals.by_channel)
		return TC_ENOMEM;
	for (size_t i = 0; i < s->incident_count; i++)
		m->incidents[i].path.target_actor = m->incidents[i].path.bottleneck = TC_NONE;
	return TC_OK;
}

int metrics_compute(tc_analysis *an)
{
	tc_metrics *m = &an->metrics;
	int rc = alloc_results(an);
	if (rc)
		return rc;
	m->hops = an->hops;
	m->awareness = an->awareness;
	actor_summaries(an);
	for (size_t i = 0; i < an->setup.incident_count; i++) {
		tc_incident_metrics *im = &m->incidents[i];
		common_picture(an, (int)i, im);
		level_figures(an, (int)i, im);
		if ((rc = path_compute(an, (int)i, &im->path)))
			return rc;
	}
	if ((rc = objectives_evaluate(an)))
		return rc;
	totals(an);
	return TC_OK;
}
