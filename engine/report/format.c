#include "report/format.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

/* Round mag (ms) half up to a whole number of unit. */
static uint64_t round_to(uint64_t mag, uint64_t unit)
{
	return (mag + unit / 2) / unit;
}

void tc_report_duration(tc_time ms, char *buf, size_t n)
{
	if (ms == TC_TIME_NEVER) {
		snprintf(buf, n, "%s", TC_REPORT_NOT_REACHED);
		return;
	}
	const char *sign = ms < 0 ? "-" : "";
	/* The magnitude as unsigned: -INT64_MIN does not fit in an int64. */
	uint64_t mag = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	const uint64_t s = 1000, m = 60 * s, h = 60 * m;
	if (mag == 0) {
		snprintf(buf, n, "0s");
		return;
	}
	if (mag < s) {
		snprintf(buf, n, "%s%llums", sign, (unsigned long long)mag);
		return;
	}
	/* Each branch rounds first, then checks whether the rounding carried it
	 * into the next unit (59.6 s is "1m 00s", not "60s"). */
	uint64_t secs = round_to(mag, s);
	if (secs < 60) {
		snprintf(buf, n, "%s%llus", sign, (unsigned long long)secs);
		return;
	}
	if (secs < 60 * 60) {
		snprintf(buf, n, "%s%llum %02llus", sign, (unsigned long long)(secs / 60),
		         (unsigned long long)(secs % 60));
		return;
	}
	uint64_t mins = round_to(mag, m);
	if (mins < 24 * 60) {
		snprintf(buf, n, "%s%lluh %02llum", sign, (unsigned long long)(mins / 60),
		         (unsigned long long)(mins % 60));
		return;
	}
	uint64_t hours = round_to(mag, h);
	snprintf(buf, n, "%s%llud %02lluh", sign, (unsigned long long)(hours / 24),
	         (unsigned long long)(hours % 24));
}

void tc_report_margin(tc_time ms, char *buf, size_t n)
{
	if (ms == TC_TIME_NEVER || ms <= 0) {
		tc_report_duration(ms, buf, n);
		return;
	}
	char text[TC_REPORT_FMT_SIZE];
	tc_report_duration(ms, text, sizeof text);
	snprintf(buf, n, "+%s", text);
}

void tc_report_instant(tc_time t, char *buf, size_t n)
{
	if (t == TC_TIME_NEVER) {
		snprintf(buf, n, "%s", TC_REPORT_NOT_REACHED);
		return;
	}
	/* People read the clock to the second; the ms are in report.json. Times
	 * lie within +-2^62, so rounding cannot overflow. */
	tc_time s = t < 0 ? -((-t + 500) / 1000) : (t + 500) / 1000;
	tc_time_format(s * 1000, buf, n);
}

void tc_report_percent(double ratio, char *buf, size_t n)
{
	if (isnan(ratio)) {
		snprintf(buf, n, "n/a");
		return;
	}
	/* printf alone rounds halves to even ("12%" for 12.5); adding 0.0 turns
	 * a -0 from round() into 0. */
	snprintf(buf, n, "%.0f%%", round(ratio * 100.0) + 0.0);
}
