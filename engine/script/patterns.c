/*
 * Lua's pattern matcher backtracks inside one C call, where the count hook
 * never fires: string.find(string.rep("a", 5000), string.rep("a*", 20) .. "b")
 * would run for ages. find, match, gmatch and gsub (also as string methods)
 * first bound the work from the pattern and the subject, refuse what is over
 * TC_SANDBOX_PATTERN_COST, and charge the bound to the instruction budget.
 *
 * The bound (docs/security.md, "Patterns"): with n the subject length, m the
 * pattern length,
 *   cost = A * (m + 1) * product over branching items of their factor
 *                      * (R + 1) when the pattern has a scanning item
 * where A = 1 when anchored by '^' (not in gmatch), else n + 1 start positions;
 * an item is a single-character class with a quantifier, %b or a back
 * reference %1-%9. Only the items before the pattern's tail count: the tail
 * is the longest suffix of items that cannot fail (with * - ?) plus the one
 * quantified item before it, since a match that reaches it ends there. Of the
 * items that count, a quantified class (* + -) whose characters may also
 * start what follows it is branching with factor (R + 1), and ? with factor 2
 * under the same condition; the other quantified classes, %b and back
 * references are scanning items. R is the longest run, in the subject, of the
 * characters of the items' classes (n for %b, back references and when the
 * run is not measured).
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "script/internal.h"

/* A set of bytes. */
typedef struct cset {
	uint8_t bits[32];
} cset;

static void cset_add(cset *s, unsigned c) { s->bits[c >> 3] |= (uint8_t)(1u << (c & 7)); }
static int cset_has(const cset *s, unsigned c) { return s->bits[c >> 3] >> (c & 7) & 1; }
static void cset_fill(cset *s) { memset(s->bits, 0xff, sizeof s->bits); }

static int cset_meets(const cset *a, const cset *b)
{
	for (size_t i = 0; i < sizeof a->bits; i++)
		if (a->bits[i] & b->bits[i])
			return 1;
	return 0;
}

static void cset_union(cset *a, const cset *b)
{
	for (size_t i = 0; i < sizeof a->bits; i++)
		a->bits[i] |= b->bits[i];
}

/* The class %c (Lua's, through <ctype.h> as lstrlib does). */
static int in_class(int ch, int cl)
{
	int r;
	switch (tolower(cl)) {
	case 'a': r = isalpha(ch); break;
	case 'c': r = iscntrl(ch); break;
	case 'd': r = isdigit(ch); break;
	case 'g': r = isgraph(ch); break;
	case 'l': r = islower(ch); break;
	case 'p': r = ispunct(ch); break;
	case 's': r = isspace(ch); break;
	case 'u': r = isupper(ch); break;
	case 'w': r = isalnum(ch); break;
	case 'x': r = isxdigit(ch); break;
	default: return cl == ch;
	}
	r = r != 0;
	return isupper(cl) ? !r : r;
}

static void add_class(cset *s, int cl)
{
	for (int c = 0; c < 256; c++)
		if (in_class(c, cl))
			cset_add(s, (unsigned)c);
}

typedef enum item_kind {
	IT_CLASS,      /* a single-character class, maybe quantified */
	IT_SCAN,       /* %b or a back reference: scans, never branches */
	IT_OPAQUE,     /* %f and what the analysis gives up on: any first character */
	IT_CAPTURE,    /* ( ) () : consume nothing */
	IT_END,        /* $ at the end */
} item_kind;

typedef struct item {
	item_kind kind;
	char quant;    /* 0, '*', '+', '-', '?' */
	cset set;      /* the characters it may consume first */
} item;

enum { MAX_ITEMS = TC_SANDBOX_PATTERN_MAX };

typedef struct analysis {
	item items[MAX_ITEMS];
	size_t count;
	int anchored;
} analysis;

/* Parses a [set] from p (at '['); returns the position after ']', or end
 * when malformed (the matcher then raises its own error). */
static size_t parse_set(const char *p, size_t i, size_t end, cset *out)
{
	memset(out, 0, sizeof *out);
	size_t j = i + 1;
	int negate = j < end && p[j] == '^';
	if (negate)
		j++;
	size_t first = j;
	/* The first character (even ']') belongs to the set, as in Lua. */
	while (j < end && (j == first || p[j] != ']')) {
		if (p[j] == '%' && j + 1 < end) {
			add_class(out, (unsigned char)p[j + 1]);
			j += 2;
		} else if (j + 2 < end && p[j + 1] == '-' && p[j + 2] != ']') {
			for (int c = (unsigned char)p[j]; c <= (unsigned char)p[j + 2]; c++)
				cset_add(out, (unsigned)c);
			j += 3;
		} else {
			cset_add(out, (unsigned char)p[j]);
			j++;
		}
	}
	if (j >= end) {
		cset_fill(out);
		return end;
	}
	if (negate)
		for (size_t k = 0; k < sizeof out->bits; k++)
			out->bits[k] = (uint8_t)~out->bits[k];
	return j + 1;
}

static void analyse(const char *p, size_t len, int gmatch, analysis *a)
{
	size_t i = 0;
	a->count = 0;
	a->anchored = !gmatch && len > 0 && p[0] == '^';
	if (a->anchored)
		i = 1;
	while (i < len && a->count < MAX_ITEMS) {
		item *it = &a->items[a->count++];
		memset(it, 0, sizeof *it);
		char c = p[i];
		if (c == '(' || c == ')') {
			it->kind = IT_CAPTURE;
			i += (c == '(' && i + 1 < len && p[i + 1] == ')') ? 2 : 1;
			continue;
		}
		if (c == '$' && i + 1 == len) {
			it->kind = IT_END;
			i++;
			continue;
		}
		if (c == '%' && i + 1 < len && p[i + 1] == 'b') {
			it->kind = IT_SCAN;
			if (i + 2 < len)
				cset_add(&it->set, (unsigned char)p[i + 2]);
			i += 4;
			continue;
		}
		if (c == '%' && i + 1 < len && p[i + 1] == 'f') {
			it->kind = IT_OPAQUE;
			cset_fill(&it->set);
			cset dummy;
			i = i + 2 < len && p[i + 2] == '[' ? parse_set(p, i + 2, len, &dummy) : len;
			continue;
		}
		if (c == '%' && i + 1 < len && isdigit((unsigned char)p[i + 1])) {
			it->kind = IT_SCAN;
			cset_fill(&it->set);
			i += 2;
			continue;
		}
		it->kind = IT_CLASS;
		if (c == '%') {
			if (i + 1 >= len) {
				it->kind = IT_OPAQUE;  /* malformed: Lua says so */
				cset_fill(&it->set);
				break;
			}
			add_class(&it->set, (unsigned char)p[i + 1]);
			i += 2;
		} else if (c == '[') {
			i = parse_set(p, i, len, &it->set);
		} else if (c == '.') {
			cset_fill(&it->set);
			i++;
		} else {
			cset_add(&it->set, (unsigned char)c);
			i++;
		}
		if (i < len && strchr("*+-?", p[i])) {
			it->quant = p[i];
			i++;
		}
	}
	if (i < len) {  /* more items than the analysis keeps: assume the worst */
		item *it = &a->items[a->count - 1];
		it->kind = IT_SCAN;
		cset_fill(&it->set);
	}
}

static int never_fails(const item *it)
{
	return it->kind == IT_CAPTURE ||
	       (it->kind == IT_CLASS && it->quant && it->quant != '+');
}

/* The longest run in s of bytes of set. */
static size_t longest_run(const char *s, size_t n, const cset *set)
{
	size_t best = 0, run = 0;
	for (size_t i = 0; i < n; i++) {
		run = cset_has(set, (unsigned char)s[i]) ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/* The bound described at the top; n is the subject's length. Runs are
 * measured in s when measure is set, else taken as n. */
static double estimate(const analysis *a, size_t plen, const char *s, size_t n, int measure)
{
	/* The tail: items that never fail, and the quantified one before them. */
	size_t tail = a->count;
	while (tail > 0 && never_fails(&a->items[tail - 1]))
		tail--;
	if (tail > 0 && a->items[tail - 1].kind == IT_CLASS && a->items[tail - 1].quant)
		tail--;
	double cost = (a->anchored ? 1.0 : (double)n + 1.0) * ((double)plen + 1.0);
	int scanning = 0;
	size_t scan_run = 0;
	cset first;  /* what may start the rest of the pattern after item k */
	memset(&first, 0, sizeof first);
	for (size_t k = a->count; k-- > 0;) {
		const item *it = &a->items[k];
		if (k < tail) {
			if (it->kind == IT_SCAN) {
				scanning = 1;
				scan_run = n;
			} else if (it->kind == IT_CLASS && it->quant) {
				size_t run = measure ? longest_run(s, n, &it->set) : n;
				int branching = cset_meets(&it->set, &first);
				if (it->quant == '?')
					cost *= branching ? 2.0 : 1.0;
				else if (branching)
					cost *= (double)run + 1.0;
				else {
					scanning = 1;
					scan_run = run > scan_run ? run : scan_run;
				}
			}
		}
		switch (it->kind) {
		case IT_CAPTURE:
			break;
		case IT_END:
			memset(&first, 0, sizeof first);
			break;
		case IT_CLASS:
			if (it->quant && it->quant != '+')
				cset_union(&first, &it->set);
			else
				first = it->set;
			break;
		case IT_SCAN:
		case IT_OPAQUE:
			first = it->set;
			break;
		}
	}
	if (scanning)
		cost *= (double)scan_run + 1.0;
	return cost;
}

static size_t quantified(const analysis *a)
{
	size_t q = 0;
	for (size_t k = 0; k < a->count; k++)
		q += a->items[k].kind == IT_CLASS && a->items[k].quant;
	return q;
}

/* Measuring runs costs n per quantified item: worth it for a few. */
enum { MEASURE_MAX_ITEMS = 16 };

/* Refuses or charges the call name(s, p, ...) about to run; gmatch reads '^'
 * as a plain character, plain is find's fourth argument. */
static void check(lua_State *L, const char *name, int gmatch, int plain)
{
	size_t n, plen;
	const char *s = luaL_checklstring(L, 1, &n);
	const char *p = luaL_checklstring(L, 2, &plen);
	if (n > TC_SANDBOX_PATTERN_SUBJECT_MAX)
		luaL_error(L, "string.%s: subject of %zu bytes refused (at most %d in the sandbox)", name, n,
		           TC_SANDBOX_PATTERN_SUBJECT_MAX);
	if (plen > TC_SANDBOX_PATTERN_MAX)
		luaL_error(L, "string.%s: pattern of %zu bytes refused (at most %d in the sandbox)", name,
		           plen, TC_SANDBOX_PATTERN_MAX);
	double cost = ((double)n + 1.0) * ((double)plen + 1.0);
	uint64_t measured = 0;
	if (!plain) {
		/* Off the C stack: gsub callbacks may nest this deeply. */
		analysis *a = lua_newuserdatauv(L, sizeof *a, 0);
		analyse(p, plen, gmatch, a);
		cost = estimate(a, plen, s, n, 0);
		size_t q = quantified(a);
		if (cost > (double)TC_SANDBOX_PATTERN_COST && q <= MEASURE_MAX_ITEMS) {
			cost = estimate(a, plen, s, n, 1);
			measured = (uint64_t)q * n;
		}
		lua_pop(L, 1);
	}
	if (cost > (double)TC_SANDBOX_PATTERN_COST)
		luaL_error(L, "string.%s: pattern too costly for this subject: up to %.3g steps on %zu "
		           "bytes (the sandbox allows %.3g; see docs/security.md)", name, cost, n,
		           (double)TC_SANDBOX_PATTERN_COST);
	tc_sb_charge(L, 1 + (uint64_t)cost / TC_SANDBOX_PATTERN_STEPS_PER_INSTRUCTION +
	                    measured / TC_SANDBOX_PATTERN_STEPS_PER_INSTRUCTION);
}

static int original(lua_State *L)
{
	lua_CFunction orig = lua_tocfunction(L, lua_upvalueindex(1));
	assert(orig);
	return orig(L);
}

static int sb_find(lua_State *L)
{
	check(L, "find", 0, lua_toboolean(L, 4));
	return original(L);
}

static int sb_match(lua_State *L)
{
	check(L, "match", 0, 0);
	return original(L);
}

static int sb_gmatch(lua_State *L)
{
	check(L, "gmatch", 1, 0);
	return original(L);
}

static int sb_gsub(lua_State *L)
{
	check(L, "gsub", 0, 0);
	int r = original(L);
	if (lua_type(L, -r) == LUA_TSTRING)
		tc_sb_charge(L, lua_rawlen(L, -r) / 64);
	return r;
}

void tc_sb_open_patterns(lua_State *L)
{
	lua_pushglobaltable(L);
	lua_getfield(L, -1, LUA_STRLIBNAME);
	tc_sb_wrap(L, -1, "find", sb_find);
	tc_sb_wrap(L, -1, "match", sb_match);
	tc_sb_wrap(L, -1, "gmatch", sb_gmatch);
	tc_sb_wrap(L, -1, "gsub", sb_gsub);
	lua_pop(L, 2);
}
