/*
 * A growable byte buffer, reused across writes so the hot path allocates only
 * while it grows. Also the JSON writing primitives of the event log.
 */
#ifndef TC_BUF_H
#define TC_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

typedef struct tc_buf {
	tc_alloc *alloc;
	char *data;    /* always NUL-terminated when len > 0 or after tc_buf_reserve */
	size_t len, cap;
	int failed;    /* a growth failed: the content is truncated */
} tc_buf;

void tc_buf_init(tc_buf *b, tc_alloc *a);
void tc_buf_release(tc_buf *b);
/* Forget the content, keep the memory. */
static inline void tc_buf_reset(tc_buf *b) { b->len = 0; if (b->data) b->data[0] = '\0'; }

int tc_buf_reserve(tc_buf *b, size_t extra);
/* tc_buf_add when the buffer must grow first (or has failed). */
void tc_buf_add_slow(tc_buf *b, const void *p, size_t n);

/* Appending is inline: the event log calls it a few dozen times a record,
 * and with the room already there it is a copy and a terminator. */
static inline void tc_buf_add(tc_buf *b, const void *p, size_t n)
{
	if (b->len + n < b->cap && !b->failed) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else {
		tc_buf_add_slow(b, p, n);
	}
}

static inline void tc_buf_adds(tc_buf *b, const char *s) { tc_buf_add(b, s, strlen(s)); }
static inline void tc_buf_addc(tc_buf *b, char c) { tc_buf_add(b, &c, 1); }
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void tc_buf_printf(tc_buf *b, const char *fmt, ...);

/* Decimal integers without printf (hot path). */
void tc_buf_add_i64(tc_buf *b, int64_t v);
void tc_buf_add_u64(tc_buf *b, uint64_t v);
/* A JSON number for a double: shortest round-trip form; null when not finite. */
void tc_buf_add_double(tc_buf *b, double v);
/* A JSON string literal with quotes and escapes; the input must be UTF-8. */
void tc_buf_add_json_string(tc_buf *b, const char *s);
void tc_buf_add_json_stringn(tc_buf *b, const char *s, size_t n);

#endif
