#include "core/jsonw.h"

#include <assert.h>
#include <string.h>

void tc_jsonw_init(tc_jsonw *w, tc_buf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

/* Before any value: the comma that separates it from the previous one. */
static void separate(tc_jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->has_items[w->depth - 1])
			tc_buf_addc(w->b, ',');
		w->has_items[w->depth - 1] = 1;
	}
}

static void open_level(tc_jsonw *w, char opener, char closer)
{
	separate(w);
	assert(w->depth < TC_JSONW_MAX_DEPTH);
	tc_buf_addc(w->b, opener);
	w->closer[w->depth] = closer;
	w->has_items[w->depth++] = 0;
}

void tc_jsonw_object(tc_jsonw *w)
{
	open_level(w, '{', '}');
}

void tc_jsonw_array(tc_jsonw *w)
{
	open_level(w, '[', ']');
}

void tc_jsonw_end(tc_jsonw *w)
{
	assert(w->depth > 0 && !w->after_key);
	tc_buf_addc(w->b, w->closer[--w->depth]);
}

void tc_jsonw_key(tc_jsonw *w, const char *key)
{
	assert(w->depth > 0 && w->closer[w->depth - 1] == '}' && !w->after_key);
	separate(w);
	tc_buf_add_json_string(w->b, key);
	tc_buf_addc(w->b, ':');
	w->after_key = 1;
}

void tc_jsonw_str(tc_jsonw *w, const char *s)
{
	separate(w);
	if (s)
		tc_buf_add_json_string(w->b, s);
	else
		tc_buf_adds(w->b, "null");
}

void tc_jsonw_int(tc_jsonw *w, int64_t v)
{
	separate(w);
	tc_buf_add_i64(w->b, v);
}

void tc_jsonw_uint(tc_jsonw *w, uint64_t v)
{
	separate(w);
	tc_buf_add_u64(w->b, v);
}

void tc_jsonw_double(tc_jsonw *w, double v)
{
	separate(w);
	tc_buf_add_double(w->b, v);
}

void tc_jsonw_bool(tc_jsonw *w, int v)
{
	separate(w);
	tc_buf_adds(w->b, v ? "true" : "false");
}

void tc_jsonw_null(tc_jsonw *w)
{
	separate(w);
	tc_buf_adds(w->b, "null");
}

void tc_jsonw_kstr(tc_jsonw *w, const char *key, const char *s)
{
	tc_jsonw_key(w, key);
	tc_jsonw_str(w, s);
}

void tc_jsonw_kint(tc_jsonw *w, const char *key, int64_t v)
{
	tc_jsonw_key(w, key);
	tc_jsonw_int(w, v);
}

void tc_jsonw_kbool(tc_jsonw *w, const char *key, int v)
{
	tc_jsonw_key(w, key);
	tc_jsonw_bool(w, v);
}

void tc_jsonw_kstrs(tc_jsonw *w, const char *key, const char *const *items, size_t n)
{
	tc_jsonw_key(w, key);
	tc_jsonw_array(w);
	for (size_t i = 0; i < n; i++)
		tc_jsonw_str(w, items[i]);
	tc_jsonw_end(w);
}
