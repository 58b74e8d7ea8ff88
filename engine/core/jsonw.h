/*
 * A small JSON writer over tc_buf that places the commas itself, for output
 * written once per run (the resolved scenario). The per-event records keep
 * their hand-laid fixed layout in sim/log_json.c: that is the hot path.
 */
#ifndef TC_JSONW_H
#define TC_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum { TC_JSONW_MAX_DEPTH = 32 };

typedef struct tc_jsonw {
	tc_buf *b;
	int depth;
	int after_key;                  /* the next value follows "key": */
	uint8_t has_items[TC_JSONW_MAX_DEPTH];
	char closer[TC_JSONW_MAX_DEPTH];  /* '}' or ']' for each open level */
} tc_jsonw;

void tc_jsonw_init(tc_jsonw *w, tc_buf *b);
void tc_jsonw_object(tc_jsonw *w);   /* { */
void tc_jsonw_array(tc_jsonw *w);    /* [ */
void tc_jsonw_end(tc_jsonw *w);      /* } or ], whichever is open */
void tc_jsonw_key(tc_jsonw *w, const char *key);
void tc_jsonw_str(tc_jsonw *w, const char *s);  /* NULL writes null */
void tc_jsonw_int(tc_jsonw *w, int64_t v);
void tc_jsonw_uint(tc_jsonw *w, uint64_t v);
void tc_jsonw_double(tc_jsonw *w, double v);
void tc_jsonw_bool(tc_jsonw *w, int v);
void tc_jsonw_null(tc_jsonw *w);

/* key + value in one call. */
void tc_jsonw_kstr(tc_jsonw *w, const char *key, const char *s);
void tc_jsonw_kint(tc_jsonw *w, const char *key, int64_t v);
void tc_jsonw_kbool(tc_jsonw *w, const char *key, int v);
/* key and an array of the n strings items[] (each NULL writes null). */
void tc_jsonw_kstrs(tc_jsonw *w, const char *key, const char *const *items, size_t n);

#endif
