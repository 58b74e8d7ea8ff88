/*
 * IANA time zones read from TZif files (RFC 8536), without any libc time-zone
 * call: localtime/mktime and the TZ variable are process-global state, and
 * simulation runs execute in parallel threads. A loaded zone is immutable
 * and may be shared between threads.
 *
 * Offsets come from the file's transition table (64-bit data of v2+ files)
 * and, after the last transition, from the POSIX TZ footer
 * ("CET-1CEST,M3.5.0,M10.5.0/3"), which "slim" files and years after 2037
 * depend on. Leap-second ("right/") files are rejected.
 */
#ifndef TC_TZ_H
#define TC_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"

/* One date of a POSIX TZ rule: Jn, n or Mm.w.d, and a local time of day. */
typedef struct tc_tz_rule_date {
	char kind;       /* 'J': day n 1-365 without Feb 29; 'N': day n 0-365; 'M' */
	uint8_t month;   /* 'M': 1-12 */
	uint8_t week;    /* 'M': 1-5, 5 = last */
	uint8_t wday;    /* 'M': 0 = Sunday .. 6 */
	uint16_t yday;   /* 'J', 'N' */
	int32_t time;    /* seconds after local midnight, -167h..167h */
} tc_tz_rule_date;

/* A POSIX TZ string; offsets are seconds EAST of UTC (POSIX writes west). */
typedef struct tc_tz_rule {
	int32_t std_off;
	int32_t dst_off;
	int has_dst;
	tc_tz_rule_date start, end;  /* start in standard time, end in DST */
} tc_tz_rule;

typedef struct tc_tz {
	const char *name;
	tc_alloc *alloc;         /* NULL when nothing was allocated (UTC) */
	void *block;             /* transitions, offsets and name */
	size_t block_size;
	const int64_t *trans;    /* transition instants, UTC seconds, increasing */
	const int32_t *trans_off;/* offset in force from trans[i] on */
	size_t ntrans;
	int32_t initial_off;     /* before trans[0]: time type 0 */
	int has_rule;            /* the footer governs from trans[ntrans-1] on */
	tc_tz_rule rule;
} tc_tz;

/*
 * Load zone name ("Europe/Paris", "UTC", "America/New_York") from $TZDIR or
 * /usr/share/zoneinfo. Names that are not plain zone names (empty, absolute,
 * empty or "." components, characters outside [A-Za-z0-9/_+-], longer than
 * 255 bytes) are rejected with TC_EINVAL before touching the disk. "UTC" and
 * "Etc/UTC" are built in and need no tzdata. Returns TC_OK, TC_ENOENT (no such
 * zone), TC_EINVAL (bad name or malformed file), TC_EIO or TC_ENOMEM, with a
 * message in err (errlen bytes). On failure *tz is left empty (safe to release).
 */
int tc_tz_load(tc_tz *tz, tc_alloc *a, const char *name, char *err, size_t errlen);
/* Same, reading from directory dir instead of $TZDIR. */
int tc_tz_load_dir(tc_tz *tz, tc_alloc *a, const char *dir, const char *name, char *err,
                   size_t errlen);
/* Read the TZif file at path; name is what tc_tz_name will return. */
int tc_tz_load_file(tc_tz *tz, tc_alloc *a, const char *path, const char *name, char *err,
                    size_t errlen);
/* Parse TZif data held in memory (used by the loaders, tests and fuzzing). */
int tc_tz_parse(tc_tz *tz, tc_alloc *a, const void *data, size_t len, const char *name,
                char *err, size_t errlen);
/* The built-in UTC zone; allocates nothing. */
void tc_tz_utc(tc_tz *tz);
void tc_tz_release(tc_tz *tz);

const char *tc_tz_name(const tc_tz *tz);

/* UTC offset in seconds east of Greenwich at the UTC instant utc_seconds. */
int32_t tc_tz_offset(const tc_tz *tz, int64_t utc_seconds);

/*
 * Local wall-clock seconds (seconds since 1970-01-01T00:00 read as local time)
 * to UTC seconds. A local time in a gap (spring forward: 02:30 on a night when
 * 02:00 jumps to 03:00) is mapped with the offset in force before the
 * transition, i.e. moved forward by the length of the gap (02:30 -> 03:30
 * DST). An ambiguous local time (autumn overlap) gives the earlier instant.
 */
int64_t tc_tz_local_to_utc(const tc_tz *tz, int64_t local_seconds);

/*
 * First instant > utc_seconds at which the offset may change, or INT64_MAX
 * when it never changes again. Steps through a zone's history.
 */
int64_t tc_tz_next_transition(const tc_tz *tz, int64_t utc_seconds);

#endif
