/*
 * Regression: the message pool may move (realloc) while the reactions to a
 * handled message are being sent; the handled message must be reached
 * through its slot afterwards, not through a pointer taken before. The
 * stale pointer was a heap use-after-free that AddressSanitizer reports
 * (scripts/test runs this file under it) and that crashed a large run.
 */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

enum { FAN_OUT = 40 };

static const char *fan_out_scenario(void)
{
	static char text[8192];
	size_t n = (size_t)snprintf(text, sizeof text,
	                            "exercise: {name: fan-out, start: 2024-01-01T00:00:00Z,"
	                            " duration: 1d}\n"
	                            "actors:\n"
	                            "  - {id: hub, level: technical, handling: {default: 1m}}\n");
	for (int i = 0; i < FAN_OUT; i++)
		n += (size_t)snprintf(text + n, sizeof text - n,
		                      "  - {id: r%02d, level: operational, handling: {default: 1m}}\n",
		                      i);
	snprintf(text + n, sizeof text - n,
	         "channels:\n"
	         "  - {id: wire, latency: 1m}\n"
	         "incidents:\n"
	         "  - {id: x, required: [hub]}\n"
	         "doctrine:\n"
	         "  name: fan-out\n"
	         "  rules:\n"
	         "    - {actor: hub, on: alert, send: {kind: info, to: \"level:operational\"}}\n"
	         "injects:\n"
	         "  - {id: first, at: 0, to: hub, kind: alert}\n"
	         "  - {id: second, at: 1h, to: hub, kind: alert}\n");
	return text;
}

/* The hub's one handler reacts to each alert with FAN_OUT messages, growing
 * the pool from its first few slots while the alert is still in hand. */
static void reactions_may_move_the_pool(void **state)
{
	(void)state;
	tc_scenario *s = test_scenario("fan-out.yaml", fan_out_scenario());
	test_trace t = {0};
	test_run(s, 1, 0, &t);
	/* Both alerts and every reaction were handled; the hub got its seat
	 * back after the first alert, so the second started on arrival. */
	assert_int_equal(test_trace_count(&t, TC_REC_MESSAGE_HANDLED), 2 + 2 * FAN_OUT);
	assert_int_equal(test_trace_count(&t, TC_REC_MESSAGE_QUEUED), 0);
	const tc_record *second = test_trace_find(&t, TC_REC_HANDLING_STARTED, 1 + FAN_OUT);
	assert_non_null(second);
	assert_int_equal(second->peer, 0);
	assert_int_equal(second->time, 3600000);
	const tc_record *end = test_trace_find(&t, TC_REC_RUN_ENDED, 0);
	assert_non_null(end);
	assert_string_equal(end->text, "duration");
	test_trace_release(&t);
	tc_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reactions_may_move_the_pool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
