/* For the XSI strerror_r (thread-safe), without GNU extensions. */
#define _POSIX_C_SOURCE 200809L

#include "scenario/yaml_tree.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "core/error.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

void tc_ylimits_default(tc_ylimits *lim)
{
	lim->max_bytes = (size_t)8 << 20;
	lim->max_depth = 64;
	lim->max_nodes = 1000000;
	lim->max_scalar_bytes = (size_t)1 << 20;
}

/* ---- scalar syntax (YAML 1.2 core schema), shared by tags and accessors ---- */

enum { PARSE_OK = 0, PARSE_SYNTAX = 1, PARSE_RANGE = 2, PARSE_NONFINITE = 3 };

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int text_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

static int text_is_null(const char *s, size_t n)
{
	return n == 0 || text_is(s, n, "~") || text_is(s, n, "null") || text_is(s, n, "Null") ||
	       text_is(s, n, "NULL");
}

static int parse_bool(const char *s, size_t n, int *out)
{
	if (text_is(s, n, "true") || text_is(s, n, "True") || text_is(s, n, "TRUE")) {
		*out = 1;
		return PARSE_OK;
	}
	if (text_is(s, n, "false") || text_is(s, n, "False") || text_is(s, n, "FALSE")) {
		*out = 0;
		return PARSE_OK;
	}
	return PARSE_SYNTAX;
}

/* [-+]?[0-9]+ into an int64_t; PARSE_RANGE when it does not fit. */
static int parse_int(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i == n)
		return PARSE_SYNTAX;
	const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	uint64_t v = 0;
	int overflow = 0;
	for (; i < n; i++) {
		if (!is_digit(s[i]))
			return PARSE_SYNTAX;
		unsigned d = (unsigned)(s[i] - '0');
		/* v * 10 + d <= limit  <=>  v <= (limit - d) / 10 */
		if (overflow || v > (limit - d) / 10)
			overflow = 1;
		else
			v = v * 10 + d;
	}
	if (overflow)
		return PARSE_RANGE;
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return PARSE_OK;
}

/*
 * Significant digits kept before rounding: any decimal needs at most 767
 * significant digits to decide its double rounding, so past this many only
 * "was anything non-zero dropped" matters (a sticky trailing 1).
 */
enum { MAX_SIG_DIGITS = 800, MAX_EXP10 = 999999999 };

/*
 * [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, correctly rounded.
 * The syntax is checked here; the conversion is done by strtod on a string
 * rewritten as "<digits>e<exponent>" with no radix character, the one part of
 * strtod's syntax that depends on the locale, so the result is the same
 * whatever locale the embedding program set.
 */
static int parse_double(const char *s, size_t n, double *out)
{
	size_t i = 0;
	int neg = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	const char *rest = s + i;
	size_t rn = n - i;
	if (text_is(rest, rn, ".inf") || text_is(rest, rn, ".Inf") || text_is(rest, rn, ".INF") ||
	    text_is(s, n, ".nan") || text_is(s, n, ".NaN") || text_is(s, n, ".NAN"))
		return PARSE_NONFINITE;

	char digits[MAX_SIG_DIGITS + 1];
	size_t nd = 0, mantissa_digits = 0;
	int sticky = 0;
	int64_t exp10 = 0;
	for (; i < n && is_digit(s[i]); i++) {
		mantissa_digits++;
		if (nd == 0 && s[i] == '0')
			continue;
		if (nd < MAX_SIG_DIGITS) {
			digits[nd++] = s[i];
		} else {
			exp10++;
			sticky |= s[i] != '0';
		}
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && is_digit(s[i]); i++) {
			mantissa_digits++;
			if (nd == 0 && s[i] == '0') {
				exp10--;
			} else if (nd < MAX_SIG_DIGITS) {
				digits[nd++] = s[i];
				exp10--;
			} else {
				sticky |= s[i] != '0';
			}
		}
	}
	if (mantissa_digits == 0)
		return PARSE_SYNTAX;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		int eneg = 0;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		size_t start = i;
		int64_t e = 0;
		for (; i < n && is_digit(s[i]); i++)
			if (e <= MAX_EXP10)
				e = e * 10 + (s[i] - '0');
		if (i == start)
			return PARSE_SYNTAX;
		exp10 += eneg ? -e : e;
	}
	if (i != n)
		return PARSE_SYNTAX;
	if (nd == 0) {
		*out = neg ? -0.0 : 0.0;
		return PARSE_OK;
	}
	if (sticky) {
		digits[nd++] = '1';
		exp10--;
	}
	/* Beyond these the result is 0 or infinite anyway. */
	if (exp10 > MAX_EXP10)
		exp10 = MAX_EXP10;
	if (exp10 < -MAX_EXP10)
		exp10 = -MAX_EXP10;
	char text[MAX_SIG_DIGITS + 32];
	snprintf(text, sizeof text, "%s%.*se%lld", neg ? "-" : "", (int)nd, digits,
		 (long long)exp10);
	char *end;
	double v = strtod(text, &end);
	assert(*end == '\0');
	if (!isfinite(v))
		return PARSE_RANGE;
	*out = v;
	return PARSE_OK;
}

/* ---- messages ---- */

enum { EXCERPT_CAP = TC_YEXCERPT_CAP, EXCERPT_CHARS = 48 };

/* A short printable excerpt of s[0..n) for messages: control characters
 * escaped, cut at a character boundary with "..." past EXCERPT_CHARS. */
static const char *excerpt(char out[EXCERPT_CAP], const char *s, size_t n)
{
	size_t o = 0, i = 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (o >= EXCERPT_CHARS && (c & 0xC0) != 0x80)
			break;
		if (c == '\n') {
			memcpy(out + o, "\\n", 2);
			o += 2;
		} else if (c == '\t') {
			memcpy(out + o, "\\t", 2);
			o += 2;
		} else if (c < 0x20 || c == 0x7F) {
			snprintf(out + o, 5, "\\x%02X", c);
			o += 4;
		} else {
			out[o++] = (char)c;
		}
	}
	if (i < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	assert(o < EXCERPT_CAP);
	out[o] = '\0';
	return out;
}

const char *tc_yexcerpt(char out[TC_YEXCERPT_CAP], const tc_ynode *n)
{
	if (!n || n->type != TC_YSCALAR) {
		out[0] = '\0';
		return out;
	}
	return excerpt(out, n->text, n->len);
}

enum { DESCRIBE_CAP = EXCERPT_CAP + 24 };

/* What a node is, for "got ..." in messages. */
static const char *describe(char out[DESCRIBE_CAP], const tc_ynode *n)
{
	char ex[EXCERPT_CAP];
	if (!n)
		snprintf(out, DESCRIBE_CAP, "nothing");
	else if (n->type == TC_YMAP)
		snprintf(out, DESCRIBE_CAP, "a mapping");
	else if (n->type == TC_YSEQ)
		snprintf(out, DESCRIBE_CAP, "a sequence");
	else if (n->plain && n->len == 0)
		snprintf(out, DESCRIBE_CAP, "an empty value");
	else if (n->plain && text_is_null(n->text, n->len))
		snprintf(out, DESCRIBE_CAP, "null");
	else if (n->plain)
		snprintf(out, DESCRIBE_CAP, "'%s'", excerpt(ex, n->text, n->len));
	else
		snprintf(out, DESCRIBE_CAP, "the string \"%s\"", excerpt(ex, n->text, n->len));
	return out;
}

static int mark_int(size_t v)
{
	return v >= (size_t)INT_MAX ? INT_MAX : (int)v + 1;
}

/* ---- the builder: a tree grown from libyaml's event stream ---- */

/*
 * An anchor, kept in a crit-bit tree keyed by name: lookups and inserts cost
 * at most one step per bit of the name whatever the names are, so a file
 * cannot make them slow the way crafted collisions slow a hash table.
 * Internal nodes and leaves share this struct.
 */
typedef struct anchor {
	int internal;
	/* internal node */
	struct anchor *child[2];
	size_t byte;
	unsigned char otherbits;  /* every bit set but the critical one */
	/* leaf */
	const char *name;
	size_t len;
	tc_ynode *node;
	size_t size;      /* nodes in the subtree, alias expansions included */
	size_t height;    /* collection levels in it, aliases expanded: scalar 0 */
	int complete;     /* its node has ended: aliases may use it */
} anchor;

typedef struct frame {
	tc_ynode *node;        /* the open sequence or mapping */
	size_t first;          /* its first child in builder.kids */
	size_t nodes_before;   /* builder.nodes before it was counted */
	size_t height;         /* the greatest height of its children so far */
	anchor *anchor;        /* its anchor, completed when it ends */
} frame;

typedef struct builder {
	tc_alloc *alloc;
	tc_arena *arena;       /* the document's */
	tc_arena scratch;      /* anchors, freed after loading */
	const tc_ylimits *lim;
	tc_diag *diag;
	const char *file;
	const unsigned char *input;
	size_t input_len;
	frame *frames;
	size_t nframes, frames_cap;
	tc_ynode **kids;       /* children of every open collection, in order */
	size_t nkids, kids_cap;
	anchor *anchors;       /* crit-bit tree root */
	tc_ynode *root;
	size_t nodes;
	int documents;
	int status;
	int stop;
} builder;

static int severity(int code)
{
	switch (code) {
	case TC_OK: return 0;
	case TC_EINVAL: return 1;
	case TC_ELIMIT: return 2;
	default: return 3;  /* TC_ENOMEM */
	}
}

PRINTF_LIKE(5, 6)
static void fail(builder *b, int code, int line, int column, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	tc_diag_add(b->diag, b->file, line, column, "%s", text);
	if (severity(code) > severity(b->status))
		b->status = code;
	/* Past a limit or out of memory, go no further: that is the point. */
	if (code != TC_EINVAL)
		b->stop = 1;
}

static void out_of_memory(builder *b, yaml_mark_t m)
{
	fail(b, TC_ENOMEM, mark_int(m.line), mark_int(m.column),
	     "out of memory while loading the document");
}

static int count_nodes(builder *b, size_t k, yaml_mark_t m)
{
	if (k > b->lim->max_nodes - b->nodes) {
		fail(b, TC_ELIMIT, mark_int(m.line), mark_int(m.column),
		     "more than %zu nodes (an alias counts its anchored content each time "
		     "it is used)",
		     b->lim->max_nodes);
		return 0;
	}
	b->nodes += k;
	return 1;
}

static tc_ynode *new_node(builder *b, tc_ynode_type type, yaml_mark_t m)
{
	tc_ynode *n = tc_arena_alloc(b->arena, sizeof *n);
	if (!n) {
		out_of_memory(b, m);
		return NULL;
	}
	n->type = type;
	n->file = b->file;
	n->line = mark_int(m.line);
	n->column = mark_int(m.column);
	return n;
}

static unsigned char name_byte(const char *name, size_t len, size_t i)
{
	return i < len ? (unsigned char)name[i] : 0;
}

static int crit_direction(const anchor *p, const char *name, size_t len)
{
	return (1 + (p->otherbits | name_byte(name, len, p->byte))) >> 8;
}

static anchor *anchor_find(const builder *b, const char *name, size_t len)
{
	anchor *p = b->anchors;
	if (!p)
		return NULL;
	while (p->internal)
		p = p->child[crit_direction(p, name, len)];
	return p->len == len && memcmp(p->name, name, len) == 0 ? p : NULL;
}

/* Insert leaf, whose name is not in the tree (names hold no NUL). */
static int anchor_insert(builder *b, anchor *leaf)
{
	if (!b->anchors) {
		b->anchors = leaf;
		return TC_OK;
	}
	anchor *p = b->anchors;
	while (p->internal)
		p = p->child[crit_direction(p, leaf->name, leaf->len)];
	size_t longest = p->len > leaf->len ? p->len : leaf->len;
	size_t byte = 0;
	unsigned bits = 0;
	for (; byte < longest; byte++) {
		bits = name_byte(p->name, p->len, byte) ^ name_byte(leaf->name, leaf->len, byte);
		if (bits)
			break;
	}
	assert(bits);
	while (bits & (bits - 1))
		bits &= bits - 1;
	anchor *in = tc_arena_alloc(&b->scratch, sizeof *in);
	if (!in)
		return TC_ENOMEM;
	in->internal = 1;
	in->byte = byte;
	in->otherbits = (unsigned char)(bits ^ 0xFF);
	int dir = (1 + (in->otherbits | name_byte(p->name, p->len, byte))) >> 8;
	in->child[1 - dir] = leaf;
	anchor **where = &b->anchors;
	for (;;) {
		anchor *q = *where;
		if (!q->internal || q->byte > byte || (q->byte == byte && q->otherbits > in->otherbits))
			break;
		where = &q->child[crit_direction(q, leaf->name, leaf->len)];
	}
	in->child[dir] = *where;
	*where = in;
	return TC_OK;
}

/* Register &name for n; NULL when it cannot be (already reported). */
static anchor *define_anchor(builder *b, const yaml_char_t *yname, tc_ynode *n, yaml_mark_t m)
{
	const char *name = (const char *)yname;
	size_t len = strlen(name);
	char ex[EXCERPT_CAP];
	if (len > b->lim->max_scalar_bytes) {
		fail(b, TC_ELIMIT, n->line, n->column,
		     "anchor name of %zu bytes exceeds the limit of %zu bytes", len,
		     b->lim->max_scalar_bytes);
		return NULL;
	}
	anchor *prev = anchor_find(b, name, len);
	if (prev) {
		fail(b, TC_EINVAL, n->line, n->column,
		     "duplicate anchor '&%s' (first defined at line %d, column %d)",
		     excerpt(ex, name, len), prev->node->line, prev->node->column);
		return NULL;
	}
	anchor *an = tc_arena_alloc(&b->scratch, sizeof *an);
	char *copy = an ? tc_arena_strndup(&b->scratch, name, len) : NULL;
	if (!copy) {
		out_of_memory(b, m);
		return NULL;
	}
	an->name = copy;
	an->len = len;
	an->node = n;
	if (anchor_insert(b, an) != TC_OK) {
		out_of_memory(b, m);
		return NULL;
	}
	return an;
}

/* Append n, whose subtree is height collection levels deep, to the
 * innermost open collection. */
static void push_kid(builder *b, tc_ynode *n, size_t height, yaml_mark_t m)
{
	frame *f = &b->frames[b->nframes - 1];
	if (height > f->height)
		f->height = height;
	if (tc_grow(b->alloc, (void **)&b->kids, &b->kids_cap, b->nkids + 1, sizeof *b->kids)) {
		out_of_memory(b, m);
		return;
	}
	b->kids[b->nkids++] = n;
}

/* n is about to become a child of the innermost open collection: when that
 * is a mapping expecting a key, n must be a usable key. */
static void check_key(builder *b, const tc_ynode *n, yaml_mark_t m)
{
	const frame *f = &b->frames[b->nframes - 1];
	if (f->node->type != TC_YMAP || (b->nkids - f->first) % 2 != 0)
		return;
	int line = mark_int(m.line), column = mark_int(m.column);
	if (n->type != TC_YSCALAR)
		fail(b, TC_EINVAL, line, column, "mapping keys must be scalars, got %s",
		     n->type == TC_YMAP ? "a mapping" : "a sequence");
	else if (n->plain && text_is(n->text, n->len, "<<"))
		fail(b, TC_EINVAL, line, column,
		     "merge keys (<<) are not supported: write the keys out, or quote \"<<\" "
		     "to use it as an ordinary key");
	else if (n->plain && n->len == 0)
		fail(b, TC_EINVAL, line, column, "empty mapping key: expected a name before ':'");
}

/* The document's top node must be a mapping. */
static void root_error(builder *b, const tc_ynode *n, yaml_mark_t m)
{
	char got[DESCRIBE_CAP];
	if (n && n->type == TC_YSCALAR && n->plain && text_is_null(n->text, n->len))
		fail(b, TC_EINVAL, mark_int(m.line), mark_int(m.column),
		     "empty document: expected a mapping");
	else
		fail(b, TC_EINVAL, mark_int(m.line), mark_int(m.column),
		     "expected a mapping at the top of the document, got %s",
		     n ? describe(got, n) : "an alias");
	b->stop = 1;
}

static void show_tag(char out[EXCERPT_CAP + 2], const char *tag)
{
	char ex[EXCERPT_CAP];
	size_t plen = strlen(YAML_TAG_PREFIX);
	if (strncmp(tag, YAML_TAG_PREFIX, plen) == 0)
		snprintf(out, EXCERPT_CAP + 2, "!!%s", excerpt(ex, tag + plen, strlen(tag + plen)));
	else
		snprintf(out, EXCERPT_CAP + 2, "%s", excerpt(ex, tag, strlen(tag)));
}

/* Apply an explicit tag: only the standard ones of the core schema. */
static void apply_tag(builder *b, tc_ynode *n, const yaml_char_t *ytag)
{
	const char *tag = (const char *)ytag;
	size_t plen = strlen(YAML_TAG_PREFIX);
	const char *name = strncmp(tag, YAML_TAG_PREFIX, plen) == 0 ? tag + plen : "";
	char shown[EXCERPT_CAP + 2], ex[EXCERPT_CAP];
	show_tag(shown, tag);
	int known = !strcmp(name, "str") || !strcmp(name, "int") || !strcmp(name, "float") ||
		    !strcmp(name, "bool") || !strcmp(name, "null") || !strcmp(name, "seq") ||
		    !strcmp(name, "map");
	if (!known) {
		fail(b, TC_EINVAL, n->line, n->column,
		     "tag %s is not supported (only !!str, !!int, !!float, !!bool, !!null, "
		     "!!seq and !!map)",
		     shown);
		return;
	}
	const char *want = n->type == TC_YMAP ? "map" : n->type == TC_YSEQ ? "seq" : NULL;
	if (want || !strcmp(name, "map") || !strcmp(name, "seq")) {
		if (!want || strcmp(name, want) != 0)
			fail(b, TC_EINVAL, n->line, n->column, "tag %s cannot be used on %s", shown,
			     n->type == TC_YMAP ? "a mapping" :
			     n->type == TC_YSEQ ? "a sequence" : "a scalar");
		return;
	}
	if (!strcmp(name, "str")) {
		n->plain = 0;
		return;
	}
	int ok;
	int64_t i;
	double d;
	int flag;
	if (!strcmp(name, "int"))
		ok = parse_int(n->text, n->len, &i) == PARSE_OK;
	else if (!strcmp(name, "float"))
		ok = parse_double(n->text, n->len, &d) == PARSE_OK;
	else if (!strcmp(name, "bool"))
		ok = parse_bool(n->text, n->len, &flag) == PARSE_OK;
	else
		ok = text_is_null(n->text, n->len);
	if (!ok)
		fail(b, TC_EINVAL, n->line, n->column, "'%s' is not a valid %s",
		     excerpt(ex, n->text, n->len), shown);
	/* Typed by its tag: the accessors read it as if it were plain. */
	n->plain = 1;
}

/*
 * Where a scalar's text starts (1-based), when its bytes map one to one onto
 * the source characters of a single line; else 0. libyaml's marks give the
 * start of the node (its anchor or tag when it has one) and the end of the
 * scalar itself, both counted in characters. Without properties, a quoted
 * scalar whose width is its text plus the quotes has no escapes; with them,
 * only the end is known to belong to the scalar, which is exact for plain
 * scalars (they have no escapes) but not for quoted ones.
 */
static int text_column(const yaml_event_t *ev, const char *value, size_t len)
{
	yaml_mark_t start = ev->start_mark, end = ev->end_mark;
	yaml_scalar_style_t style = ev->data.scalar.style;
	int quoted = style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		     style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	if ((!quoted && style != YAML_PLAIN_SCALAR_STYLE) || end.line != start.line ||
	    memchr(value, '\n', len))
		return 0;
	size_t chars = 0;
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)value[i] & 0xC0) != 0x80;
	size_t width = chars + (quoted ? 2 : 0);
	int has_properties = ev->data.scalar.anchor || ev->data.scalar.tag;
	if (end.column < width || end.column - width < start.column ||
	    (!has_properties && end.column - width != start.column) ||
	    (has_properties && quoted))
		return 0;
	return mark_int(end.column - width) + (quoted ? 1 : 0);
}

static void on_scalar(builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t m = ev->start_mark;
	size_t len = ev->data.scalar.length;
	const char *value = (const char *)ev->data.scalar.value;
	if (len > b->lim->max_scalar_bytes) {
		fail(b, TC_ELIMIT, mark_int(m.line), mark_int(m.column),
		     "scalar of %zu bytes exceeds the limit of %zu bytes", len,
		     b->lim->max_scalar_bytes);
		return;
	}
	if (!count_nodes(b, 1, m))
		return;
	tc_ynode *n = new_node(b, TC_YSCALAR, m);
	if (!n)
		return;
	n->text = tc_arena_strndup(b->arena, value, len);
	if (!n->text) {
		out_of_memory(b, m);
		return;
	}
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->text_column = text_column(ev, value, len);
	if (b->nframes == 0) {
		root_error(b, n, m);
		return;
	}
	/* A "\0" escape would silently cut the C string short. */
	if (memchr(value, '\0', len))
		fail(b, TC_EINVAL, n->line, n->column,
		     "a scalar cannot contain a NUL character (\\0)");
	if (ev->data.scalar.tag)
		apply_tag(b, n, ev->data.scalar.tag);
	if (ev->data.scalar.anchor) {
		anchor *an = define_anchor(b, ev->data.scalar.anchor, n, m);
		if (an) {
			an->size = 1;
			an->complete = 1;
		}
	}
	check_key(b, n, m);
	push_kid(b, n, 0, m);
}

static void on_alias(builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t m = ev->start_mark;
	const char *name = (const char *)ev->data.alias.anchor;
	size_t len = strlen(name);
	char ex[EXCERPT_CAP];
	if (b->nframes == 0) {
		root_error(b, NULL, m);
		return;
	}
	anchor *an = anchor_find(b, name, len);
	tc_ynode *n;
	size_t height = 0;
	if (!an || !an->complete) {
		if (!an)
			fail(b, TC_EINVAL, mark_int(m.line), mark_int(m.column),
			     "unknown anchor: '*%s' is used before any '&%s' defines it",
			     excerpt(ex, name, len), ex);
		else
			fail(b, TC_EINVAL, mark_int(m.line), mark_int(m.column),
			     "alias '*%s' is inside the node it refers to (recursive aliases are "
			     "not supported)",
			     excerpt(ex, name, len));
		/* A stand-in keeps the mapping's keys and values paired. */
		if (!count_nodes(b, 1, m))
			return;
		n = new_node(b, TC_YSCALAR, m);
		if (!n)
			return;
		n->text = "";
	} else {
		/* The depth limit holds for the tree as walked, aliases expanded:
		 * otherwise chained anchors could nest without bound. */
		if (an->height > b->lim->max_depth - b->nframes) {
			fail(b, TC_ELIMIT, mark_int(m.line), mark_int(m.column),
			     "nesting deeper than %zu levels once '*%s' is expanded",
			     b->lim->max_depth, excerpt(ex, name, len));
			return;
		}
		if (!count_nodes(b, an->size, m))
			return;
		height = an->height;
		if (an->node->type == TC_YSCALAR) {
			/* Scalars are copied so that the copy has its own position. */
			n = new_node(b, TC_YSCALAR, m);
			if (!n)
				return;
			n->text = an->node->text;
			n->len = an->node->len;
			n->plain = an->node->plain;
		} else {
			n = an->node;
		}
	}
	check_key(b, n, m);
	push_kid(b, n, height, m);
}

static void on_collection_start(builder *b, const yaml_event_t *ev, tc_ynode_type type)
{
	const yaml_mark_t m = ev->start_mark;
	const yaml_char_t *tag = type == TC_YMAP ? ev->data.mapping_start.tag
						: ev->data.sequence_start.tag;
	const yaml_char_t *name = type == TC_YMAP ? ev->data.mapping_start.anchor
						 : ev->data.sequence_start.anchor;
	if (b->nframes >= b->lim->max_depth) {
		fail(b, TC_ELIMIT, mark_int(m.line), mark_int(m.column),
		     "nesting deeper than %zu levels", b->lim->max_depth);
		return;
	}
	size_t before = b->nodes;
	if (!count_nodes(b, 1, m))
		return;
	tc_ynode *n = new_node(b, type, m);
	if (!n)
		return;
	if (b->nframes == 0 && type != TC_YMAP) {
		root_error(b, n, m);
		return;
	}
	if (tag)
		apply_tag(b, n, tag);
	anchor *an = name ? define_anchor(b, name, n, m) : NULL;
	if (b->stop)
		return;
	if (b->nframes > 0)
		check_key(b, n, m);
	if (tc_grow(b->alloc, (void **)&b->frames, &b->frames_cap, b->nframes + 1,
		    sizeof *b->frames)) {
		out_of_memory(b, m);
		return;
	}
	frame *f = &b->frames[b->nframes++];
	f->node = n;
	f->first = b->nkids;
	f->nodes_before = before;
	f->height = 0;
	f->anchor = an;
}

static int compare_key_slots(const void *pa, const void *pb)
{
	tc_ynode *const *sa = *(tc_ynode *const *const *)pa;
	tc_ynode *const *sb = *(tc_ynode *const *const *)pb;
	const tc_ynode *ka = *sa, *kb = *sb;
	size_t n = ka->len < kb->len ? ka->len : kb->len;
	int c = memcmp(ka->text, kb->text, n);
	if (c)
		return c;
	if (ka->len != kb->len)
		return ka->len < kb->len ? -1 : 1;
	/* Same text: document order (slots of one items array). */
	return sa < sb ? -1 : sa > sb;
}

/*
 * Report every key that repeats an earlier one, in document order. Sorting
 * pointers to the key slots keeps it O(n log n) for huge mappings.
 */
static void check_duplicates(builder *b, const tc_ynode *map, yaml_mark_t m)
{
	size_t n = map->count;
	if (n < 2)
		return;
	tc_ynode ***sorted = tc_malloc(b->alloc, n * sizeof *sorted);
	size_t *first_of = tc_malloc(b->alloc, n * sizeof *first_of);
	if (!sorted || !first_of) {
		tc_free(b->alloc, sorted, n * sizeof *sorted);
		tc_free(b->alloc, first_of, n * sizeof *first_of);
		out_of_memory(b, m);
		return;
	}
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		first_of[i] = SIZE_MAX;
		if (map->items[2 * i]->type == TC_YSCALAR)
			sorted[nk++] = &map->items[2 * i];
	}
	qsort(sorted, nk, sizeof *sorted, compare_key_slots);
	for (size_t i = 1; i < nk; i++) {
		const tc_ynode *prev = *sorted[i - 1], *cur = *sorted[i];
		if (prev->len == cur->len && memcmp(prev->text, cur->text, cur->len) == 0) {
			size_t first = first_of[(size_t)(sorted[i - 1] - map->items) / 2];
			if (first == SIZE_MAX)
				first = (size_t)(sorted[i - 1] - map->items) / 2;
			first_of[(size_t)(sorted[i] - map->items) / 2] = first;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (first_of[i] == SIZE_MAX)
			continue;
		const tc_ynode *key = map->items[2 * i], *first = map->items[2 * first_of[i]];
		char ex[EXCERPT_CAP];
		excerpt(ex, key->text, key->len);
		if (first->line == key->line)
			fail(b, TC_EINVAL, key->line, key->column,
			     "duplicate key '%s' (first defined at line %d, column %d)", ex,
			     first->line, first->column);
		else
			fail(b, TC_EINVAL, key->line, key->column,
			     "duplicate key '%s' (first defined at line %d)", ex, first->line);
	}
	tc_free(b->alloc, sorted, n * sizeof *sorted);
	tc_free(b->alloc, first_of, n * sizeof *first_of);
}

static void on_collection_end(builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t m = ev->start_mark;
	assert(b->nframes > 0);
	frame f = b->frames[--b->nframes];
	tc_ynode *n = f.node;
	size_t nk = b->nkids - f.first;
	if (nk) {
		n->items = tc_arena_alloc(b->arena, nk * sizeof *n->items);
		if (!n->items) {
			out_of_memory(b, m);
			return;
		}
		memcpy(n->items, b->kids + f.first, nk * sizeof *n->items);
	}
	b->nkids = f.first;
	if (n->type == TC_YMAP) {
		assert(nk % 2 == 0);
		n->count = nk / 2;
		check_duplicates(b, n, m);
	} else {
		n->count = nk;
	}
	if (f.anchor) {
		f.anchor->size = b->nodes - f.nodes_before;
		f.anchor->height = f.height + 1;
		f.anchor->complete = 1;
	}
	if (b->nframes == 0)
		b->root = n;
	else
		push_kid(b, n, f.height + 1, m);
}

static void on_event(builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t m = ev->start_mark;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (b->documents++ > 0) {
			fail(b, TC_EINVAL, mark_int(m.line), mark_int(m.column),
			     "only one document per file (a second document starts here)");
			b->stop = 1;
		}
		break;
	case YAML_STREAM_END_EVENT:
		if (b->documents == 0)
			fail(b, TC_EINVAL, 1, 1, "empty document: expected a mapping");
		break;
	case YAML_SCALAR_EVENT:
		on_scalar(b, ev);
		break;
	case YAML_ALIAS_EVENT:
		on_alias(b, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		on_collection_start(b, ev, TC_YSEQ);
		break;
	case YAML_MAPPING_START_EVENT:
		on_collection_start(b, ev, TC_YMAP);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		on_collection_end(b, ev);
		break;
	default:
		break;
	}
}

/* The 1-based line and column of a byte offset, counting line breaks and
 * characters the way libyaml's marks do. */
static void offset_position(const unsigned char *s, size_t len, size_t offset, int *line,
			    int *column)
{
	size_t l = 0, c = 0;
	if (offset > len)
		offset = len;
	for (size_t i = 0; i < offset; i++) {
		unsigned char ch = s[i];
		int is_break = ch == '\n' || (ch == '\r' && !(i + 1 < len && s[i + 1] == '\n')) ||
			       (ch == 0xC2 && i + 1 < len && s[i + 1] == 0x85) ||
			       (ch == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
				(s[i + 2] == 0xA8 || s[i + 2] == 0xA9));
		if (is_break) {
			l++;
			c = 0;
			i += ch == 0xC2 ? 1 : ch == 0xE2 ? 2 : 0;
		} else if ((ch & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = mark_int(l);
	*column = mark_int(c);
}

static void parser_error(builder *b, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown problem";
	int line, column;
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		out_of_memory(b, p->problem_mark);
		return;
	case YAML_READER_ERROR:
		offset_position(b->input, b->input_len, p->problem_offset, &line, &column);
		if (!strcmp(problem, "control characters are not allowed")) {
			if (p->problem_value == 0)
				fail(b, TC_EINVAL, line, column,
				     "NUL byte in the input (YAML text cannot contain NUL)");
			else
				fail(b, TC_EINVAL, line, column,
				     "control character U+%04X is not allowed in YAML text",
				     (unsigned)p->problem_value);
		} else if (!strcmp(problem, "invalid Unicode character")) {
			fail(b, TC_EINVAL, line, column, "invalid UTF-8: %s U+%04X", problem,
			     (unsigned)p->problem_value);
		} else if (p->problem_value >= 0) {
			fail(b, TC_EINVAL, line, column, "invalid UTF-8: %s (byte 0x%02X)", problem,
			     (unsigned)p->problem_value);
		} else {
			fail(b, TC_EINVAL, line, column, "invalid UTF-8: %s", problem);
		}
		break;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		line = mark_int(p->problem_mark.line);
		column = mark_int(p->problem_mark.column);
		if (p->context)
			fail(b, TC_EINVAL, line, column,
			     "YAML syntax error: %s %s (started at line %d, column %d)", problem,
			     p->context, mark_int(p->context_mark.line),
			     mark_int(p->context_mark.column));
		else
			fail(b, TC_EINVAL, line, column, "YAML syntax error: %s", problem);
		break;
	default:
		fail(b, TC_EINVAL, 0, 0, "YAML error: %s", problem);
		break;
	}
	b->stop = 1;
}

static void doc_reset(tc_ydoc *doc, tc_alloc *a)
{
	memset(doc, 0, sizeof *doc);
	tc_arena_init(&doc->arena, a);
}

void tc_ydoc_release(tc_ydoc *doc)
{
	tc_alloc *a = doc->arena.alloc;
	tc_arena_release(&doc->arena);
	doc_reset(doc, a);
}

static int load(tc_ydoc *doc, tc_alloc *a, const char *name, const unsigned char *data,
		size_t len, const tc_ylimits *lim, tc_diag *diag)
{
	builder b;
	memset(&b, 0, sizeof b);
	b.alloc = a;
	b.arena = &doc->arena;
	tc_arena_init(&b.scratch, a);
	b.lim = lim;
	b.diag = diag;
	b.file = name;
	/* A UTF-8 byte order mark is dropped here rather than by libyaml, which
	 * would count it as a column of the first line. */
	if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
		data += 3;
		len -= 3;
	}
	b.input = data;
	b.input_len = len;
	const yaml_mark_t start = {0, 0, 0};
	doc->file = tc_arena_strdup(&doc->arena, name);
	if (!doc->file)
		out_of_memory(&b, start);
	else
		b.file = doc->file;   /* nodes point at the copy, which lives as long as they do */

	yaml_parser_t parser;
	if (!b.stop && !yaml_parser_initialize(&parser)) {
		out_of_memory(&b, start);
	} else if (!b.stop) {
		/* Never guess UTF-16 from a byte order mark. */
		yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
		yaml_parser_set_input_string(&parser, data, len);
		while (!b.stop) {
			yaml_event_t ev;
			if (!yaml_parser_parse(&parser, &ev)) {
				parser_error(&b, &parser);
				break;
			}
			int done = ev.type == YAML_STREAM_END_EVENT;
			on_event(&b, &ev);
			yaml_event_delete(&ev);
			if (done)
				break;
		}
		yaml_parser_delete(&parser);
	}

	tc_free(a, b.frames, b.frames_cap * sizeof *b.frames);
	tc_free(a, b.kids, b.kids_cap * sizeof *b.kids);
	tc_arena_release(&b.scratch);
	if (b.status != TC_OK) {
		tc_ydoc_release(doc);
		return b.status;
	}
	assert(b.root && b.root->type == TC_YMAP);
	doc->root = b.root;
	doc->nodes = b.nodes;
	return TC_OK;
}

int tc_ydoc_load_buffer(tc_ydoc *doc, tc_alloc *a, const char *name, const char *data,
			size_t len, const tc_ylimits *lim, tc_diag *diag)
{
	tc_ylimits defaults;
	if (!lim) {
		tc_ylimits_default(&defaults);
		lim = &defaults;
	}
	if (!name)
		name = "<input>";
	doc_reset(doc, a);
	if (len > lim->max_bytes) {
		tc_diag_add(diag, name, 0, 0, "input of %zu bytes exceeds the limit of %zu bytes",
			    len, lim->max_bytes);
		return TC_ELIMIT;
	}
	static const unsigned char empty[1] = {0};
	return load(doc, a, name, len ? (const unsigned char *)data : empty, len, lim, diag);
}

static void io_error(tc_diag *diag, const char *path, const char *what, int err)
{
	char text[256];
	if (strerror_r(err, text, sizeof text) != 0)
		snprintf(text, sizeof text, "error %d", err);
	tc_diag_add(diag, path, 0, 0, "%s: %s", what, text);
}

int tc_ydoc_load_file(tc_ydoc *doc, tc_alloc *a, const char *path, const tc_ylimits *lim,
		      tc_diag *diag)
{
	tc_ylimits defaults;
	if (!lim) {
		tc_ylimits_default(&defaults);
		lim = &defaults;
	}
	doc_reset(doc, a);
	FILE *f = fopen(path, "rb");
	if (!f) {
		io_error(diag, path, "cannot open the file", errno);
		return TC_EIO;
	}
	/* Read at most one byte past the limit: a huge file is never read. */
	size_t limit = lim->max_bytes < SIZE_MAX ? lim->max_bytes + 1 : SIZE_MAX;
	char *data = NULL;
	size_t cap = 0, len = 0;
	int rc = TC_OK;
	for (;;) {
		if (len == cap) {
			if (cap == limit)
				break;
			size_t want = cap ? cap * 2 : 64 * 1024;
			if (want > limit || want < cap)
				want = limit;
			char *bigger = cap ? tc_realloc(a, data, cap, want) : tc_malloc(a, want);
			if (!bigger) {
				tc_diag_add(diag, path, 0, 0, "out of memory while reading the file");
				rc = TC_ENOMEM;
				break;
			}
			data = bigger;
			cap = want;
		}
		size_t got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (rc == TC_OK && ferror(f)) {
		io_error(diag, path, "cannot read the file", errno);
		rc = TC_EIO;
	}
	fclose(f);
	if (rc == TC_OK && len > lim->max_bytes) {
		tc_diag_add(diag, path, 0, 0, "file is larger than the limit of %zu bytes",
			    lim->max_bytes);
		rc = TC_ELIMIT;
	}
	if (rc == TC_OK)
		rc = load(doc, a, path, data ? (const unsigned char *)data
					     : (const unsigned char *)"", len, lim, diag);
	tc_free(a, data, cap);
	return rc;
}

/* ---- accessors ---- */

const tc_ynode *tc_ymap_get(const tc_ynode *map, const char *key)
{
	if (!map || map->type != TC_YMAP)
		return NULL;
	size_t len = strlen(key);
	for (size_t i = 0; i < map->count; i++) {
		const tc_ynode *k = map->items[2 * i];
		if (k->type == TC_YSCALAR && k->len == len && memcmp(k->text, key, len) == 0)
			return map->items[2 * i + 1];
	}
	return NULL;
}

/* Where n was read from: its own file, else the document's. */
static const char *node_file(const tc_ydoc *doc, const tc_ynode *n)
{
	if (n && n->file)
		return n->file;
	return doc ? doc->file : NULL;
}

static const char *type_name(tc_ynode_type type)
{
	switch (type) {
	case TC_YMAP: return "a mapping";
	case TC_YSEQ: return "a sequence";
	default: return "a scalar";
	}
}

int tc_yexpect(const tc_ydoc *doc, const tc_ynode *n, tc_ynode_type type, const char *what,
	       tc_diag *diag)
{
	if (n && n->type == type)
		return TC_OK;
	char got[DESCRIBE_CAP];
	tc_diag_add(diag, node_file(doc, n), n ? n->line : 0, n ? n->column : 0,
		    "expected %s%s%s%s, got %s", type_name(type), what ? " (" : "",
		    what ? what : "", what ? ")" : "", describe(got, n));
	return TC_EINVAL;
}

size_t tc_ycheck_keys(const tc_ydoc *doc, const tc_ynode *map, const char *const *allowed,
		      size_t n, const char *context, tc_diag *diag)
{
	if (!map || map->type != TC_YMAP)
		return 0;
	size_t unknown = 0;
	for (size_t i = 0; i < map->count; i++) {
		const tc_ynode *key = map->items[2 * i];
		int found = 0;
		for (size_t j = 0; j < n && !found; j++)
			found = text_is(key->text, key->len, allowed[j]);
		if (found)
			continue;
		unknown++;
		if (diag && tc_diag_errors(diag) >= diag->max_entries) {
			/* The message would be dropped: count it without the cost of a
			 * hint (an edit distance per allowed key, for each of up to a
			 * million keys). */
			tc_diag_add(diag, node_file(doc, key), key->line, key->column, "unknown key");
			continue;
		}
		char ex[EXCERPT_CAP], where[EXCERPT_CAP + 8] = "";
		excerpt(ex, key->text, key->len);
		if (context)
			snprintf(where, sizeof where, " in %s", context);
		const char *hint = tc_suggest(key->text, allowed, n);
		if (hint) {
			tc_diag_add(diag, node_file(doc, key), key->line, key->column,
				    "unknown key '%s'%s (did you mean '%s'?)", ex, where, hint);
			continue;
		}
		char list[512];
		size_t used = 0;
		list[0] = '\0';
		for (size_t j = 0; j < n; j++) {
			int w = snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "",
					 allowed[j]);
			if (w < 0 || (size_t)w >= sizeof list - used) {
				/* Cut: end the list with "..." where it still fits. */
				memcpy(list + (used < sizeof list - 4 ? used : sizeof list - 4), "...",
				       4);
				break;
			}
			used += (size_t)w;
		}
		if (n)
			tc_diag_add(diag, node_file(doc, key), key->line, key->column,
				    "unknown key '%s'%s (expected one of: %s)", ex, where, list);
		else
			tc_diag_add(diag, node_file(doc, key), key->line, key->column,
				    "unknown key '%s'%s (no keys are expected here)", ex, where);
	}
	return unknown;
}

int tc_yscalar_is_null(const tc_ynode *n)
{
	if (!n)
		return 1;
	return n->type == TC_YSCALAR && n->plain && text_is_null(n->text, n->len);
}

/* The error for a value that is not of the expected kind; when it is a quoted
 * string that would be valid unquoted, say so. */
static int wrong_kind(const tc_ydoc *doc, const tc_ynode *n, const char *expected,
		      int valid_unquoted, tc_diag *diag)
{
	char got[DESCRIBE_CAP];
	tc_diag_add(diag, node_file(doc, n), n ? n->line : 0, n ? n->column : 0,
		    "expected %s, got %s%s", expected, describe(got, n),
		    valid_unquoted ? " (quoted values are strings: remove the quotes)" : "");
	return TC_EINVAL;
}

int tc_yscalar_bool(const tc_ydoc *doc, const tc_ynode *n, int *out, tc_diag *diag)
{
	int v;
	if (!n || n->type != TC_YSCALAR)
		return wrong_kind(doc, n, "true or false", 0, diag);
	int rc = parse_bool(n->text, n->len, &v);
	if (!n->plain)
		return wrong_kind(doc, n, "true or false", rc == PARSE_OK, diag);
	if (rc != PARSE_OK) {
		static const char *const yaml11[] = {"yes", "no", "on", "off", "y", "n",
						     "Yes", "No", "On", "Off", "YES", "NO",
						     "ON", "OFF", "Y", "N"};
		int legacy = 0;
		for (size_t i = 0; i < sizeof yaml11 / sizeof *yaml11 && !legacy; i++)
			legacy = text_is(n->text, n->len, yaml11[i]);
		char got[DESCRIBE_CAP];
		tc_diag_add(diag, node_file(doc, n), n->line, n->column,
			    "expected true or false, got %s%s", describe(got, n),
			    legacy ? " (YAML 1.1 booleans such as yes/no/on/off are not accepted)"
				   : "");
		return TC_EINVAL;
	}
	*out = v;
	return TC_OK;
}

int tc_yscalar_int(const tc_ydoc *doc, const tc_ynode *n, int64_t min, int64_t max,
		   int64_t *out, tc_diag *diag)
{
	int64_t v = 0;
	if (!n || n->type != TC_YSCALAR)
		return wrong_kind(doc, n, "an integer", 0, diag);
	int rc = parse_int(n->text, n->len, &v);
	if (!n->plain || rc == PARSE_SYNTAX)
		return wrong_kind(doc, n, "an integer", !n->plain && rc != PARSE_SYNTAX, diag);
	if (rc == PARSE_RANGE || v < min || v > max) {
		char ex[EXCERPT_CAP];
		tc_diag_add(diag, node_file(doc, n), n->line, n->column,
			    "integer %s is out of range (expected %lld to %lld)",
			    excerpt(ex, n->text, n->len), (long long)min, (long long)max);
		return TC_ERANGE;
	}
	*out = v;
	return TC_OK;
}

int tc_yscalar_double(const tc_ydoc *doc, const tc_ynode *n, double min, double max,
		      double *out, tc_diag *diag)
{
	double v = 0;
	if (!n || n->type != TC_YSCALAR)
		return wrong_kind(doc, n, "a number", 0, diag);
	int rc = parse_double(n->text, n->len, &v);
	if (!n->plain || rc == PARSE_SYNTAX)
		return wrong_kind(doc, n, "a number", !n->plain && rc != PARSE_SYNTAX, diag);
	char ex[EXCERPT_CAP];
	if (rc == PARSE_NONFINITE) {
		tc_diag_add(diag, node_file(doc, n), n->line, n->column,
			    "expected a finite number, got '%s'", excerpt(ex, n->text, n->len));
		return TC_EINVAL;
	}
	if (rc == PARSE_RANGE || !(v >= min && v <= max)) {
		tc_diag_add(diag, node_file(doc, n), n->line, n->column,
			    "number %s is out of range (expected %g to %g)",
			    excerpt(ex, n->text, n->len), min, max);
		return TC_ERANGE;
	}
	*out = v;
	return TC_OK;
}

int tc_yscalar_string(const tc_ydoc *doc, const tc_ynode *n, const char *what,
		      const char **out, tc_diag *diag)
{
	if (!n || n->type != TC_YSCALAR || tc_yscalar_is_null(n)) {
		char got[DESCRIBE_CAP];
		tc_diag_add(diag, node_file(doc, n), n ? n->line : 0, n ? n->column : 0,
			    "expected a string%s%s%s, got %s", what ? " (" : "", what ? what : "",
			    what ? ")" : "", describe(got, n));
		return TC_EINVAL;
	}
	*out = n->text;
	return TC_OK;
}
