/*
 * The engine's core loop without a log: two actors answer each other
 * forever through a channel (one doctrine rule each: on ping, send ping to
 * the sender). Every message is created, routed, sent with a drawn latency,
 * delivered, handled for a drawn time and answered: two queue events and
 * five records (handed to no sink) per message. With one ball in play the
 * event queue holds a single event; with 1 000 it holds about 1 000.
 * Prints tab-separated lines: benchmark, case, median, best, unit.
 * Usage: bench_pingpong [repetitions]   (default 5)
 */
#include "bench_util.h"

#include <stdint.h>

#include "sim/run.h"

/* Events per repetition, about 0.5 s on the development machine. A message
 * takes 2.44 s on average (latency 1.44 s, handling 1 s) and two events, so
 * the run stops at the time that many events take: the limit of events is
 * an error, not a way to stop. */
enum { EVENTS = 4000000 };

static tc_time until_for(unsigned balls)
{
	return (tc_time)(EVENTS / 2.0 / balls * 2440.0);
}

static tc_scenario *make_scenario(unsigned balls)
{
	char path[4096];
	FILE *f = bench_temp_yaml(path, sizeof path);
	if (!f)
		return NULL;
	bench_pingpong_head(f, balls);
	fprintf(f, "doctrine:\n"
	           "  name: ping-pong\n"
	           "  rules:\n"
	           "    - {actor: a, on: ping, send: {kind: ping, to: sender}}\n"
	           "    - {actor: b, on: ping, send: {kind: ping, to: sender}}\n");
	bench_pingpong_serve(f, balls);
	if (fclose(f))
		return NULL;
	return bench_load(path);
}

int main(int argc, char **argv)
{
	int reps = bench_reps(argc, argv, "bench_pingpong");
	if (reps < 0)
		return 2;
	static const unsigned balls[] = {1, 1000};
	for (size_t c = 0; c < sizeof balls / sizeof balls[0]; c++) {
		tc_scenario *s = make_scenario(balls[c]);
		if (!s)
			return 1;
		double events[100], messages[100];
		for (int r = -1; r < reps; r++) {   /* r = -1 warms up */
			double ev, msg;
			if (bench_time_run(s, until_for(balls[c]), "bench_pingpong", &ev, &msg))
				return 1;
			if (r >= 0) {
				events[r] = ev;
				messages[r] = msg;
			}
		}
		double best, median = bench_median(events, reps, &best);
		printf("pingpong\tballs=%u events\t%.2f\t%.2f\tM events/s\n", balls[c], median / 1e6,
		       best / 1e6);
		median = bench_median(messages, reps, &best);
		printf("pingpong\tballs=%u messages\t%.2f\t%.2f\tM messages/s\n", balls[c], median / 1e6,
		       best / 1e6);
		fflush(stdout);
		tc_scenario_free(s);
	}
	return 0;
}
