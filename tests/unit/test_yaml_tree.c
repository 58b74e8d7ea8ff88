/* The hardened YAML tree: positions, styles, aliases, limits, hostile input,
 * accessor messages and allocation failures. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/error.h"
#include "scenario/yaml_tree.h"

/* ---- helpers ---- */

static int load_n(tc_ydoc *doc, tc_diag *d, const char *text, size_t len, const tc_ylimits *lim)
{
	tc_diag_init(d, tc_alloc_default());
	return tc_ydoc_load_buffer(doc, tc_alloc_default(), "t.yaml", text, len, lim, d);
}

static int load(tc_ydoc *doc, tc_diag *d, const char *text, const tc_ylimits *lim)
{
	return load_n(doc, d, text, strlen(text), lim);
}

static void check_diag(const tc_diag *d, size_t i, int line, int column, const char *message)
{
	assert_true(i < d->count);
	assert_string_equal(d->items[i].message, message);
	assert_int_equal(d->items[i].line, line);
	assert_int_equal(d->items[i].column, column);
}

/* Load text expecting exactly one error. */
static void expect_error_lim(const char *text, size_t len, const tc_ylimits *lim, int rc,
			     int line, int column, const char *message)
{
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load_n(&doc, &d, text, len, lim), rc);
	assert_null(doc.root);
	if (d.count != 1)
		tc_diag_print(&d, stdout);
	assert_int_equal(tc_diag_errors(&d), 1);
	check_diag(&d, 0, line, column, message);
	assert_string_equal(d.items[0].file, "t.yaml");
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void expect_error(const char *text, int line, int column, const char *message)
{
	expect_error_lim(text, strlen(text), NULL, TC_EINVAL, line, column, message);
}

static const tc_ynode *get(const tc_ynode *map, const char *key)
{
	const tc_ynode *n = tc_ymap_get(map, key);
	assert_non_null(n);
	return n;
}

static void check_scalar(const tc_ynode *n, const char *text, int plain, int line, int column)
{
	assert_int_equal(n->type, TC_YSCALAR);
	assert_string_equal(n->text, text);
	assert_int_equal(n->len, strlen(text));
	assert_int_equal(n->plain, plain);
	assert_int_equal(n->line, line);
	assert_int_equal(n->column, column);
}

/* ---- well-formed documents ---- */

static void positions_are_exact(void **state)
{
	(void)state;
	const char *text = "id: hospital\n"
			   "actors:\n"
			   "  - id: anssi\n"
			   "    staff: 4\n"
			   "  - {id: \"cert-fr\", staff: 2}\n"
			   "tags: [\xc3\xa9, \xc3\xbc, x]\n";
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, text, NULL), TC_OK);
	assert_int_equal(tc_diag_errors(&d), 0);
	assert_string_equal(doc.file, "t.yaml");
	const tc_ynode *root = doc.root;
	assert_int_equal(root->type, TC_YMAP);
	assert_int_equal(root->line, 1);
	assert_int_equal(root->column, 1);
	assert_int_equal(root->count, 3);
	check_scalar(root->items[0], "id", 1, 1, 1);
	check_scalar(root->items[1], "hospital", 1, 1, 5);

	const tc_ynode *actors = get(root, "actors");
	assert_int_equal(actors->type, TC_YSEQ);
	assert_int_equal(actors->count, 2);
	assert_int_equal(actors->line, 3);
	assert_int_equal(actors->column, 3);

	const tc_ynode *a0 = actors->items[0];
	assert_int_equal(a0->type, TC_YMAP);
	assert_int_equal(a0->line, 3);
	assert_int_equal(a0->column, 5);
	check_scalar(a0->items[0], "id", 1, 3, 5);
	check_scalar(get(a0, "id"), "anssi", 1, 3, 9);
	check_scalar(a0->items[2], "staff", 1, 4, 5);
	check_scalar(get(a0, "staff"), "4", 1, 4, 12);

	const tc_ynode *a1 = actors->items[1];
	assert_int_equal(a1->type, TC_YMAP);
	assert_int_equal(a1->line, 5);
	assert_int_equal(a1->column, 5);
	check_scalar(a1->items[0], "id", 1, 5, 6);
	check_scalar(get(a1, "id"), "cert-fr", 0, 5, 10);
	check_scalar(a1->items[2], "staff", 1, 5, 21);
	check_scalar(get(a1, "staff"), "2", 1, 5, 28);

	/* Columns count characters: x is the 14th character, the 16th byte. */
	const tc_ynode *tags = get(root, "tags");
	assert_int_equal(tags->count, 3);
	check_scalar(tags->items[0], "\xc3\xa9", 1, 6, 8);
	check_scalar(tags->items[1], "\xc3\xbc", 1, 6, 11);
	check_scalar(tags->items[2], "x", 1, 6, 14);

	assert_null(tc_ymap_get(root, "absent"));
	assert_null(tc_ymap_get(tags, "x"));
	assert_null(tc_ymap_get(NULL, "x"));
	tc_ydoc_release(&doc);
	tc_ydoc_release(&doc);  /* twice is harmless */
	tc_diag_release(&d);
}

static void styles_and_multiline_scalars(void **state)
{
	(void)state;
	const char *text = "plain: hello world\n"
			   "single: 'it''s'\n"
			   "double: \"tab\\there \\u00e9\"\n"
			   "literal: |\n"
			   "  line one\n"
			   "  line two\n"
			   "folded: >\n"
			   "  folded\n"
			   "  text\n"
			   "multi: first\n"
			   "  second\n"
			   "empty:\n"
			   "quoted_empty: \"\"\n"
			   "\"<<\": quoted keys are ordinary\n";
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, text, NULL), TC_OK);
	const tc_ynode *r = doc.root;
	check_scalar(get(r, "plain"), "hello world", 1, 1, 8);
	check_scalar(get(r, "single"), "it's", 0, 2, 9);
	check_scalar(get(r, "double"), "tab\there \xc3\xa9", 0, 3, 9);
	check_scalar(get(r, "literal"), "line one\nline two\n", 0, 4, 10);
	check_scalar(get(r, "folded"), "folded text\n", 0, 7, 9);
	check_scalar(get(r, "multi"), "first second", 1, 10, 8);
	/* An empty value sits right after its ':'. */
	check_scalar(get(r, "empty"), "", 1, 12, 7);
	check_scalar(get(r, "quoted_empty"), "", 0, 13, 15);
	check_scalar(get(r, "<<"), "quoted keys are ordinary", 1, 14, 7);
	assert_true(tc_yscalar_is_null(get(r, "empty")));
	assert_false(tc_yscalar_is_null(get(r, "quoted_empty")));
	assert_false(tc_yscalar_is_null(get(r, "plain")));
	assert_true(tc_yscalar_is_null(NULL));
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void anchors_and_aliases_share(void **state)
{
	(void)state;
	const char *text = "base: &b\n"
			   "  staff: 2\n"
			   "  zone: Europe/Paris\n"
			   "a: *b\n"
			   "name: &n anssi\n"
			   "again: *n\n";
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, text, NULL), TC_OK);
	const tc_ynode *r = doc.root;
	const tc_ynode *base = get(r, "base");
	assert_ptr_equal(get(r, "a"), base);
	assert_int_equal(base->line, 1);  /* the mapping starts at its anchor */
	assert_int_equal(base->column, 7);
	/* A scalar alias is a copy at the alias's position sharing the text. */
	const tc_ynode *name = get(r, "name"), *again = get(r, "again");
	check_scalar(name, "anssi", 1, 5, 7);
	check_scalar(again, "anssi", 1, 6, 8);
	assert_ptr_equal(again->text, name->text);
	/* root + base + {map, staff, 2, zone, Europe/Paris} + a + 5 again
	 * + name + anssi + again + 1 */
	assert_int_equal(doc.nodes, 17);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void standard_tags(void **state)
{
	(void)state;
	const char *text = "a: !!str 12\n"
			   "b: !!int \"12\"\n"
			   "c: !!float 1.5\n"
			   "d: !!bool \"true\"\n"
			   "e: !!null \"\"\n"
			   "f: !!map {x: 1}\n"
			   "g: !!seq [1]\n"
			   "h: !<tag:yaml.org,2002:str> 7\n";
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, text, NULL), TC_OK);
	const tc_ynode *r = doc.root;
	int64_t i = 0;
	double x = 0;
	int flag = 0;
	check_scalar(get(r, "a"), "12", 0, 1, 4);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "b"), 0, 100, &i, &d), TC_OK);
	assert_int_equal(i, 12);
	assert_int_equal(tc_yscalar_double(&doc, get(r, "c"), 0, 2, &x, &d), TC_OK);
	assert_true(x == 1.5);
	assert_int_equal(tc_yscalar_bool(&doc, get(r, "d"), &flag, &d), TC_OK);
	assert_int_equal(flag, 1);
	assert_true(tc_yscalar_is_null(get(r, "e")));
	assert_int_equal(get(r, "f")->type, TC_YMAP);
	assert_int_equal(get(r, "g")->type, TC_YSEQ);
	check_scalar(get(r, "h"), "7", 0, 8, 4);
	assert_int_equal(tc_diag_errors(&d), 0);
	/* !!str makes a string: not an integer. */
	assert_int_equal(tc_yscalar_int(&doc, get(r, "a"), 0, 100, &i, &d), TC_EINVAL);
	check_diag(&d, 0, 1, 4,
		   "expected an integer, got the string \"12\" (quoted values are strings: "
		   "remove the quotes)");
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void bad_tags_are_all_reported(void **state)
{
	(void)state;
	const char *text = "a: !foo x\n"
			   "b: !!binary aGk=\n"
			   "c: !!map x\n"
			   "d: !!int 1.5\n"
			   "e: !!seq {x: 1}\n"
			   "f: ! y\n";
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, text, NULL), TC_EINVAL);
	assert_null(doc.root);
	assert_int_equal(tc_diag_errors(&d), 6);
	const char *only = " is not supported (only !!str, !!int, !!float, !!bool, !!null, "
			   "!!seq and !!map)";
	char msg[256];
	snprintf(msg, sizeof msg, "tag !foo%s", only);
	check_diag(&d, 0, 1, 4, msg);
	snprintf(msg, sizeof msg, "tag !!binary%s", only);
	check_diag(&d, 1, 2, 4, msg);
	check_diag(&d, 2, 3, 4, "tag !!map cannot be used on a scalar");
	check_diag(&d, 3, 4, 4, "'1.5' is not a valid !!int");
	check_diag(&d, 4, 5, 4, "tag !!seq cannot be used on a mapping");
	snprintf(msg, sizeof msg, "tag !%s", only);
	check_diag(&d, 5, 6, 4, msg);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void byte_order_mark_is_skipped(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, "\xEF\xBB\xBF" "a: 1\n", NULL), TC_OK);
	check_scalar(doc.root->items[0], "a", 1, 1, 1);
	check_scalar(doc.root->items[1], "1", 1, 1, 4);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void crlf_and_unicode_line_breaks(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, "a: 1\r\nb: 2\r\n", NULL), TC_OK);
	check_scalar(get(doc.root, "b"), "2", 1, 2, 4);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	/* libyaml (YAML 1.1) also breaks lines at CR, NEL, LS and PS. */
	assert_int_equal(load(&doc, &d, "a: x\xc2\x85" "b: c\rc: \"x\xe2\x80\xa8y\"\nd: 4\n", NULL),
			 TC_OK);
	check_scalar(get(doc.root, "b"), "c", 1, 2, 4);
	/* a line separator inside quotes is kept, yet moves to the next line */
	check_scalar(get(doc.root, "c"), "x\xe2\x80\xa8y", 0, 3, 4);
	check_scalar(get(doc.root, "d"), "4", 1, 5, 4);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	/* Invalid bytes after such breaks: the positions computed from libyaml's
	 * byte offset agree with its marks. */
	const char *invalid = "invalid UTF-8: invalid leading UTF-8 octet (byte 0xFF)";
	expect_error("a: 1\r\nb: 2\r\nc: \xff\n", 3, 4, invalid);
	expect_error("a: x\xc2\x85" "b: c\rc: \"x\xe2\x80\xa8y\"\nd: \xff\n", 5, 4, invalid);
}

/* ---- malformed documents ---- */

static void syntax_errors_name_position_and_context(void **state)
{
	(void)state;
	expect_error("a: [1, 2\n", 2, 1,
		     "YAML syntax error: did not find expected ',' or ']' while parsing a flow "
		     "sequence (started at line 1, column 4)");
	expect_error("a: b\n c: d\n", 2, 3,
		     "YAML syntax error: mapping values are not allowed in this context");
	expect_error("a: \"open\n", 2, 1,
		     "YAML syntax error: found unexpected end of stream while scanning a "
		     "quoted scalar (started at line 1, column 4)");
}

static void semantic_errors_are_collected_until_a_syntax_error(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, "a: *x\nb: *y\nc: [\n", NULL), TC_EINVAL);
	assert_int_equal(tc_diag_errors(&d), 3);
	check_diag(&d, 0, 1, 4, "unknown anchor: '*x' is used before any '&x' defines it");
	check_diag(&d, 1, 2, 4, "unknown anchor: '*y' is used before any '&y' defines it");
	assert_int_equal(d.items[2].line, 4);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void invalid_utf8_nul_and_control_characters(void **state)
{
	(void)state;
	expect_error("a: ok\nb: \xff\n", 2, 4,
		     "invalid UTF-8: invalid leading UTF-8 octet (byte 0xFF)");
	/* The column counts the two-byte é as one character; the position is the
	 * offending byte's. */
	expect_error("a: \xc3\xa9\xc3(\n", 1, 6,
		     "invalid UTF-8: invalid trailing UTF-8 octet (byte 0x28)");
	expect_error("a: \xc3", 1, 4, "invalid UTF-8: incomplete UTF-8 octet sequence");
	expect_error("a: \xc0\x80\n", 1, 4, "invalid UTF-8: invalid length of a UTF-8 sequence");
	expect_error("a: \xed\xa0\x80\n", 1, 4, "invalid UTF-8: invalid Unicode character U+D800");
	/* UTF-16 is not guessed from its byte order mark. */
	expect_error_lim("\xff\xfe" "a\0:\0", 6, NULL, TC_EINVAL, 1, 1,
			 "invalid UTF-8: invalid leading UTF-8 octet (byte 0xFF)");
	expect_error_lim("a: b\0c\n", 7, NULL, TC_EINVAL, 1, 5,
			 "NUL byte in the input (YAML text cannot contain NUL)");
	expect_error("a: b\x01\n", 1, 5, "control character U+0001 is not allowed in YAML text");
	expect_error("a: \"x\\0y\"\n", 1, 4, "a scalar cannot contain a NUL character (\\0)");
}

static void empty_documents(void **state)
{
	(void)state;
	expect_error("", 1, 1, "empty document: expected a mapping");
	expect_error("# only a comment\n\n", 1, 1, "empty document: expected a mapping");
	expect_error("---\n", 2, 1, "empty document: expected a mapping");
	expect_error("--- ~\n", 1, 5, "empty document: expected a mapping");
}

static void root_must_be_one_mapping(void **state)
{
	(void)state;
	expect_error("hello\n", 1, 1, "expected a mapping at the top of the document, got 'hello'");
	expect_error("\"hello\"\n", 1, 1,
		     "expected a mapping at the top of the document, got the string \"hello\"");
	expect_error("- a\n- b\n", 1, 1,
		     "expected a mapping at the top of the document, got a sequence");
	expect_error("a: 1\n---\nb: 2\n", 2, 1,
		     "only one document per file (a second document starts here)");
	expect_error("a: 1\n...\n---\nb: 2\n", 3, 1,
		     "only one document per file (a second document starts here)");
}

static void duplicate_keys(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	const char *text = "id: 1\n"
			   "name: x\n"
			   "id: 2\n"
			   "name: y\n"
			   "\"id\": 3\n"
			   "sub: {a: 1, b: 2, a: 3}\n";
	assert_int_equal(load(&doc, &d, text, NULL), TC_EINVAL);
	assert_int_equal(tc_diag_errors(&d), 4);
	/* Inner mappings end first; each map's duplicates in document order. */
	check_diag(&d, 0, 6, 19, "duplicate key 'a' (first defined at line 6, column 7)");
	check_diag(&d, 1, 3, 1, "duplicate key 'id' (first defined at line 1)");
	check_diag(&d, 2, 4, 1, "duplicate key 'name' (first defined at line 2)");
	check_diag(&d, 3, 5, 1, "duplicate key 'id' (first defined at line 1)");
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	/* Keys are compared by their full text, not a prefix. */
	assert_int_equal(load(&doc, &d, "ab: 1\na: 2\nabc: 3\nb: 4\n", NULL), TC_OK);
	assert_int_equal(doc.root->count, 4);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void bad_keys(void **state)
{
	(void)state;
	expect_error("? [a, b]\n: 1\n", 1, 3, "mapping keys must be scalars, got a sequence");
	expect_error("? {x: 1}\n: 1\n", 1, 3, "mapping keys must be scalars, got a mapping");
	expect_error("m: &m {x: 1}\n*m : 2\n", 2, 1, "mapping keys must be scalars, got a mapping");
	expect_error("? \n: v\n", 1, 2, "empty mapping key: expected a name before ':'");
	expect_error("base: &b {x: 1}\nd:\n  <<: *b\n", 3, 3,
		     "merge keys (<<) are not supported: write the keys out, or quote \"<<\" "
		     "to use it as an ordinary key");
}

static void bad_aliases_and_anchors(void **state)
{
	(void)state;
	expect_error("a: *nope\n", 1, 4, "unknown anchor: '*nope' is used before any '&nope' defines it");
	expect_error("a: *x\nb: &x 1\n", 1, 4, "unknown anchor: '*x' is used before any '&x' defines it");
	expect_error("a: &x [1, *x]\n", 1, 11,
		     "alias '*x' is inside the node it refers to (recursive aliases are not "
		     "supported)");
	expect_error("a: &x 1\nb: &x 2\n", 2, 4, "duplicate anchor '&x' (first defined at line 1, column 4)");
}

/* ---- hostile input ---- */

static void billion_laughs_fails_fast(void **state)
{
	(void)state;
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_buf_adds(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'j'; c++) {
		tc_buf_printf(&b, "%c: &%c [", c, c);
		for (int i = 0; i < 10; i++)
			tc_buf_printf(&b, "%s*%c", i ? ", " : "", c - 1);
		tc_buf_adds(&b, "]\n");
	}
	/*
	 * Each level holds 1 + 10 * the previous: a 11, b 111, ..., e 111111.
	 * Before line 6: 1 + 12 + 112 + 1112 + 11112 + 111112 = 133461 nodes;
	 * then "f" and its sequence make 133463 and the k-th *e 133463 +
	 * 111111 k, over 1000000 at k = 8: column 8 + 4 * 7 = 36.
	 */
	expect_error_lim(b.data, b.len, NULL, TC_ELIMIT, 6, 36,
			 "more than 1000000 nodes (an alias counts its anchored content each "
			 "time it is used)");
	tc_buf_release(&b);
}

static void deep_flow_nesting_is_refused(void **state)
{
	(void)state;
	enum { DEPTH = 100000 };
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_buf_adds(&b, "a: ");
	for (int i = 0; i < DEPTH; i++)
		tc_buf_addc(&b, '[');
	for (int i = 0; i < DEPTH; i++)
		tc_buf_addc(&b, ']');
	tc_buf_addc(&b, '\n');
	/* The root is level 1, the k-th '[' level k + 1 at column 3 + k. */
	expect_error_lim(b.data, b.len, NULL, TC_ELIMIT, 1, 67, "nesting deeper than 64 levels");
	tc_buf_release(&b);
}

static void deep_block_nesting_is_refused(void **state)
{
	(void)state;
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_buf_adds(&b, "a:\n  ");
	for (int i = 0; i < 100000; i++)
		tc_buf_adds(&b, "- ");
	tc_buf_adds(&b, "x\n");
	/* The k-th '-' starts level k + 1 at column 3 + 2 (k - 1). */
	expect_error_lim(b.data, b.len, NULL, TC_ELIMIT, 2, 129, "nesting deeper than 64 levels");
	tc_buf_release(&b);
}

/* Mappings nested by indentation, levels deep: level i at line i, column i. */
static char *indented_maps(int levels)
{
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	for (int i = 0; i < levels; i++)
		tc_buf_printf(&b, "%*sk:%s\n", i, "", i == levels - 1 ? " v" : "");
	return b.data;
}

static void depth_limit_by_one(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	char *ok = indented_maps(64);
	assert_int_equal(load(&doc, &d, ok, NULL), TC_OK);
	const tc_ynode *n = doc.root;
	for (int i = 1; i < 64; i++)
		n = get(n, "k");
	check_scalar(get(n, "k"), "v", 1, 64, 67);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	char *deep = indented_maps(65);
	expect_error_lim(deep, strlen(deep), NULL, TC_ELIMIT, 65, 65, "nesting deeper than 64 levels");
	free(ok);
	free(deep);

	tc_ylimits lim;
	tc_ylimits_default(&lim);
	lim.max_depth = 3;
	assert_int_equal(load(&doc, &d, "a: [[1]]\n", &lim), TC_OK);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	expect_error_lim("a: [[[1]]]\n", 11, &lim, TC_ELIMIT, 1, 6, "nesting deeper than 3 levels");
}

static void depth_limit_counts_alias_expansions(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	tc_ylimits lim;
	tc_ylimits_default(&lim);
	lim.max_depth = 3;
	/* *a is two levels: at the top level it reaches level 3, inside a list 4. */
	assert_int_equal(load(&doc, &d, "a: &a [[1]]\nb: *a\n", &lim), TC_OK);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	expect_error_lim("a: &a [[1]]\nb: [*a]\n", 20, &lim, TC_ELIMIT, 2, 5,
			 "nesting deeper than 3 levels once '*a' is expanded");

	/*
	 * Chained anchors each nested 40 levels in the text, well under 64, but
	 * 80 levels once expanded: a walker recursing over the tree must be able
	 * to rely on the limit.
	 */
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_buf_adds(&b, "a: &a ");
	for (int i = 0; i < 40; i++)
		tc_buf_addc(&b, '[');
	for (int i = 0; i < 40; i++)
		tc_buf_addc(&b, ']');
	tc_buf_adds(&b, "\nb: ");
	for (int i = 0; i < 40; i++)
		tc_buf_addc(&b, '[');
	tc_buf_adds(&b, "*a");
	for (int i = 0; i < 40; i++)
		tc_buf_addc(&b, ']');
	tc_buf_addc(&b, '\n');
	/* The 40 levels of b's lists and the root leave room for 23 more. */
	expect_error_lim(b.data, b.len, NULL, TC_ELIMIT, 2, 44,
			 "nesting deeper than 64 levels once '*a' is expanded");
	tc_buf_release(&b);
}

static void node_limit_by_one(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	tc_ylimits lim;
	tc_ylimits_default(&lim);
	/* root, a, the sequence, 1, 2 */
	lim.max_nodes = 5;
	assert_int_equal(load(&doc, &d, "a: [1, 2]\n", &lim), TC_OK);
	assert_int_equal(doc.nodes, 5);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	lim.max_nodes = 4;
	expect_error_lim("a: [1, 2]\n", 10, &lim, TC_ELIMIT, 1, 8,
			 "more than 4 nodes (an alias counts its anchored content each time it "
			 "is used)");
	/* The alias counts the three nodes of its sequence again: 9 in all. */
	const char *alias = "a: &a [1, 2]\nb: *a\n";
	lim.max_nodes = 9;
	assert_int_equal(load(&doc, &d, alias, &lim), TC_OK);
	assert_int_equal(doc.nodes, 9);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	lim.max_nodes = 8;
	expect_error_lim(alias, strlen(alias), &lim, TC_ELIMIT, 2, 4,
			 "more than 8 nodes (an alias counts its anchored content each time it "
			 "is used)");
}

static void scalar_and_size_limits_by_one(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	tc_ylimits lim;
	tc_ylimits_default(&lim);
	lim.max_scalar_bytes = 10;
	assert_int_equal(load(&doc, &d, "a: 0123456789\n", &lim), TC_OK);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	expect_error_lim("a: 0123456789A\n", 15, &lim, TC_ELIMIT, 1, 4,
			 "scalar of 11 bytes exceeds the limit of 10 bytes");
	expect_error_lim("a: &anchor_of11 1\n", 18, &lim, TC_ELIMIT, 1, 4,
			 "anchor name of 11 bytes exceeds the limit of 10 bytes");

	tc_ylimits_default(&lim);
	lim.max_bytes = 7;
	assert_int_equal(load(&doc, &d, "a: 123\n", &lim), TC_OK);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	expect_error_lim("a: 1234\n", 8, &lim, TC_ELIMIT, 0, 0,
			 "input of 8 bytes exceeds the limit of 7 bytes");

	/* The same through a file. */
	const char *path = test_write_temp("size.yaml", "a: 123\n");
	assert_non_null(path);
	tc_diag_init(&d, tc_alloc_default());
	assert_int_equal(tc_ydoc_load_file(&doc, tc_alloc_default(), path, &lim, &d), TC_OK);
	assert_string_equal(doc.file, path);
	tc_ydoc_release(&doc);
	path = test_write_temp("size.yaml", "a: 1234\n");
	assert_int_equal(tc_ydoc_load_file(&doc, tc_alloc_default(), path, &lim, &d), TC_ELIMIT);
	assert_int_equal(tc_diag_errors(&d), 1);
	check_diag(&d, 0, 0, 0, "file is larger than the limit of 7 bytes");
	assert_string_equal(d.items[0].file, path);
	unlink(path);
	tc_diag_release(&d);
}

/* Records the largest allocation so a test can see a file was not read whole. */
typedef struct peak_alloc {
	tc_alloc alloc;
	size_t largest;
} peak_alloc;

static void *peak_fn(void *ud, void *ptr, size_t old_size, size_t new_size)
{
	peak_alloc *pa = ud;
	(void)old_size;
	if (new_size == 0) {
		free(ptr);
		return NULL;
	}
	if (new_size > pa->largest)
		pa->largest = new_size;
	return realloc(ptr, new_size);
}

static void huge_file_is_not_read(void **state)
{
	(void)state;
	const char *tmp = test_write_temp("huge.yaml", "a: ");
	assert_non_null(tmp);
	char path[4096];
	snprintf(path, sizeof path, "%s", tmp);
	FILE *f = fopen(path, "ab");
	assert_non_null(f);
	static char chunk[1 << 16];
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 1024; i++)  /* a 64 MiB scalar */
		assert_int_equal(fwrite(chunk, 1, sizeof chunk, f), sizeof chunk);
	fclose(f);

	peak_alloc pa = {{peak_fn, NULL}, 0};
	pa.alloc.ud = &pa;
	tc_ydoc doc;
	tc_diag d;
	tc_diag_init(&d, tc_alloc_default());
	assert_int_equal(tc_ydoc_load_file(&doc, &pa.alloc, path, NULL, &d), TC_ELIMIT);
	assert_null(doc.root);
	assert_int_equal(tc_diag_errors(&d), 1);
	check_diag(&d, 0, 0, 0, "file is larger than the limit of 8388608 bytes");
	assert_true(pa.largest <= (size_t)8 * 1024 * 1024 + 1);
	unlink(path);
	tc_diag_release(&d);
}

static void missing_file_is_an_io_error(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	tc_diag_init(&d, tc_alloc_default());
	assert_int_equal(tc_ydoc_load_file(&doc, tc_alloc_default(), "/nonexistent/x.yaml", NULL, &d),
			 TC_EIO);
	assert_null(doc.root);
	check_diag(&d, 0, 0, 0, "cannot open the file: No such file or directory");
	tc_diag_release(&d);
}

static void two_hundred_thousand_keys(void **state)
{
	(void)state;
	enum { N = 200000 };
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	for (int i = 0; i < N; i++)
		tc_buf_printf(&b, "k%d: %d\n", i, i);
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load_n(&doc, &d, b.data, b.len, NULL), TC_OK);
	assert_int_equal(doc.root->count, N);
	check_scalar(get(doc.root, "k199999"), "199999", 1, N, 10);
	assert_int_equal(doc.nodes, 1 + 2 * N);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);

	/* One duplicate at the very end is still found, naming the first. */
	tc_buf_adds(&b, "k5: again\n");
	expect_error_lim(b.data, b.len, NULL, TC_EINVAL, N + 1, 1,
			 "duplicate key 'k5' (first defined at line 6)");
	tc_buf_release(&b);
}

static void two_hundred_thousand_items(void **state)
{
	(void)state;
	enum { N = 200000 };
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_buf_adds(&b, "items:\n");
	for (int i = 0; i < N; i++)
		tc_buf_printf(&b, "- %d\n", i);
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load_n(&doc, &d, b.data, b.len, NULL), TC_OK);
	const tc_ynode *items = get(doc.root, "items");
	assert_int_equal(items->type, TC_YSEQ);
	assert_int_equal(items->count, N);
	check_scalar(items->items[N - 1], "199999", 1, N + 1, 3);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	tc_buf_release(&b);
}

/* ---- accessors ---- */

static const char *const accessor_doc =
	"name: anssi\n"                     /* 1 */
	"staff: 4\n"                        /* 2 */
	"big: 99999999999999999999\n"       /* 3 */
	"ratio: 0.25\n"                     /* 4 */
	"quoted: \"12\"\n"                  /* 5 */
	"flag: yes\n"                       /* 6 */
	"on: True\n"                        /* 7 */
	"nan: .nan\n"                       /* 8 */
	"list: [1, 2]\n"                    /* 9 */
	"nothing:\n"                        /* 10 */
	"qtrue: \"true\"\n"                 /* 11 */
	"exp: 1.5e3\n"                      /* 12 */
	"min: -9223372036854775808\n"       /* 13 */
	"over: 9223372036854775808\n"       /* 14 */
	"huge: 1e999\n"                     /* 15 */
	"tilde: ~\n"                        /* 16 */
	"hex: 0x1F\n";                      /* 17 */

static void integer_accessor(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, accessor_doc, NULL), TC_OK);
	const tc_ynode *r = doc.root;
	int64_t v = -1;
	assert_int_equal(tc_yscalar_int(&doc, get(r, "staff"), 1, 10, &v, &d), TC_OK);
	assert_int_equal(v, 4);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "min"), INT64_MIN, 0, &v, &d), TC_OK);
	assert_true(v == INT64_MIN);
	assert_int_equal(tc_diag_errors(&d), 0);

	v = 77;
	assert_int_equal(tc_yscalar_int(&doc, get(r, "staff"), 5, 10, &v, &d), TC_ERANGE);
	assert_int_equal(v, 77);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "big"), INT64_MIN, INT64_MAX, &v, &d), TC_ERANGE);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "over"), INT64_MIN, INT64_MAX, &v, &d), TC_ERANGE);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "ratio"), 0, 10, &v, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "quoted"), 0, 100, &v, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "list"), 0, 100, &v, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "nothing"), 0, 100, &v, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "tilde"), 0, 100, &v, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_int(&doc, get(r, "hex"), 0, 100, &v, &d), TC_EINVAL);
	assert_int_equal(v, 77);
	check_diag(&d, 0, 2, 8, "integer 4 is out of range (expected 5 to 10)");
	check_diag(&d, 1, 3, 6,
		   "integer 99999999999999999999 is out of range (expected -9223372036854775808 "
		   "to 9223372036854775807)");
	check_diag(&d, 2, 14, 7,
		   "integer 9223372036854775808 is out of range (expected -9223372036854775808 "
		   "to 9223372036854775807)");
	check_diag(&d, 3, 4, 8, "expected an integer, got '0.25'");
	check_diag(&d, 4, 5, 9,
		   "expected an integer, got the string \"12\" (quoted values are strings: "
		   "remove the quotes)");
	check_diag(&d, 5, 9, 7, "expected an integer, got a sequence");
	check_diag(&d, 6, 10, 9, "expected an integer, got an empty value");
	check_diag(&d, 7, 16, 8, "expected an integer, got null");
	check_diag(&d, 8, 17, 6, "expected an integer, got '0x1F'");
	assert_string_equal(d.items[0].file, "t.yaml");
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void double_accessor(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, accessor_doc, NULL), TC_OK);
	const tc_ynode *r = doc.root;
	double x = -1;
	assert_int_equal(tc_yscalar_double(&doc, get(r, "ratio"), 0, 1, &x, &d), TC_OK);
	assert_true(x == 0.25);
	assert_int_equal(tc_yscalar_double(&doc, get(r, "exp"), 0, 1e4, &x, &d), TC_OK);
	assert_true(x == 1500.0);
	assert_int_equal(tc_yscalar_double(&doc, get(r, "staff"), 0, 10, &x, &d), TC_OK);
	assert_true(x == 4.0);
	assert_int_equal(tc_diag_errors(&d), 0);

	x = 9;
	assert_int_equal(tc_yscalar_double(&doc, get(r, "nan"), 0, 1, &x, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_double(&doc, get(r, "exp"), 0, 1, &x, &d), TC_ERANGE);
	assert_int_equal(tc_yscalar_double(&doc, get(r, "huge"), -1e308, 1e308, &x, &d), TC_ERANGE);
	assert_int_equal(tc_yscalar_double(&doc, get(r, "name"), 0, 1, &x, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_double(&doc, get(r, "quoted"), 0, 100, &x, &d), TC_EINVAL);
	assert_true(x == 9);
	check_diag(&d, 0, 8, 6, "expected a finite number, got '.nan'");
	check_diag(&d, 1, 12, 6, "number 1.5e3 is out of range (expected 0 to 1)");
	check_diag(&d, 2, 15, 7, "number 1e999 is out of range (expected -1e+308 to 1e+308)");
	check_diag(&d, 3, 1, 7, "expected a number, got 'anssi'");
	check_diag(&d, 4, 5, 9,
		   "expected a number, got the string \"12\" (quoted values are strings: remove "
		   "the quotes)");
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

/* Parse one plain scalar with tc_yscalar_double. */
static int parse_number(const char *text, double *out)
{
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_buf_printf(&b, "x: %s\n", text);
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load_n(&doc, &d, b.data, b.len, NULL), TC_OK);
	int rc = tc_yscalar_double(&doc, get(doc.root, "x"), -1e308, 1e308, out, &d);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
	tc_buf_release(&b);
	return rc;
}

static void doubles_are_correctly_rounded(void **state)
{
	(void)state;
	double x;
	assert_int_equal(parse_number("0.1", &x), TC_OK);
	assert_true(x == 0.1);
	assert_int_equal(parse_number("1e23", &x), TC_OK);
	assert_true(x == 1e23);
	assert_int_equal(parse_number("-.5", &x), TC_OK);
	assert_true(x == -0.5);
	assert_int_equal(parse_number("+12.", &x), TC_OK);
	assert_true(x == 12.0);
	assert_int_equal(parse_number("2.2250738585072011e-308", &x), TC_OK);
	assert_true(x == 2.2250738585072011e-308);
	assert_int_equal(parse_number("0.000000000000000000000000000001E+30", &x), TC_OK);
	assert_true(x == 1.0);
	/* The exact binary value of 0.1, digit for digit. */
	assert_int_equal(parse_number("0.1000000000000000055511151231257827021181583404541015625", &x),
			 TC_OK);
	assert_true(x == 0.1);
	/*
	 * 2^53 + 1 lies exactly halfway between two doubles: it rounds to even
	 * (2^53), but any non-zero digit, however far past the 800 digits kept,
	 * must round it up to 2^53 + 2.
	 */
	tc_buf b;
	tc_buf_init(&b, tc_alloc_default());
	tc_buf_adds(&b, "9007199254740993.");
	for (int i = 0; i < 900; i++)
		tc_buf_addc(&b, '0');
	assert_int_equal(parse_number(b.data, &x), TC_OK);
	assert_true(x == 9007199254740992.0);
	tc_buf_addc(&b, '1');
	assert_int_equal(parse_number(b.data, &x), TC_OK);
	assert_true(x == 9007199254740994.0);
	tc_buf_release(&b);
	assert_int_equal(parse_number("1e-400", &x), TC_OK);
	assert_true(x == 0.0);
	assert_int_equal(parse_number("1e99999999999999999999", &x), TC_ERANGE);
	assert_int_equal(parse_number(".", &x), TC_EINVAL);
	assert_int_equal(parse_number("1e", &x), TC_EINVAL);
	assert_int_equal(parse_number("1,5", &x), TC_EINVAL);
	assert_int_equal(parse_number("1_000", &x), TC_EINVAL);
	assert_int_equal(parse_number("-.inf", &x), TC_EINVAL);
	assert_int_equal(parse_number("0x10", &x), TC_EINVAL);
}

static void bool_and_string_accessors(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	assert_int_equal(load(&doc, &d, accessor_doc, NULL), TC_OK);
	const tc_ynode *r = doc.root;
	int flag = -1;
	assert_int_equal(tc_yscalar_bool(&doc, get(r, "on"), &flag, &d), TC_OK);
	assert_int_equal(flag, 1);
	const char *s = NULL;
	assert_int_equal(tc_yscalar_string(&doc, get(r, "name"), "name", &s, &d), TC_OK);
	assert_string_equal(s, "anssi");
	assert_int_equal(tc_yscalar_string(&doc, get(r, "staff"), "id", &s, &d), TC_OK);
	assert_string_equal(s, "4");
	assert_int_equal(tc_diag_errors(&d), 0);

	flag = 5;
	assert_int_equal(tc_yscalar_bool(&doc, get(r, "flag"), &flag, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_bool(&doc, get(r, "qtrue"), &flag, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_bool(&doc, get(r, "name"), &flag, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_bool(&doc, NULL, &flag, &d), TC_EINVAL);
	assert_int_equal(flag, 5);
	s = "unchanged";
	assert_int_equal(tc_yscalar_string(&doc, get(r, "nothing"), "name", &s, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_string(&doc, get(r, "list"), "title", &s, &d), TC_EINVAL);
	assert_int_equal(tc_yscalar_string(&doc, get(r, "tilde"), NULL, &s, &d), TC_EINVAL);
	assert_string_equal(s, "unchanged");
	check_diag(&d, 0, 6, 7,
		   "expected true or false, got 'yes' (YAML 1.1 booleans such as yes/no/on/off "
		   "are not accepted)");
	check_diag(&d, 1, 11, 8,
		   "expected true or false, got the string \"true\" (quoted values are strings: "
		   "remove the quotes)");
	check_diag(&d, 2, 1, 7, "expected true or false, got 'anssi'");
	check_diag(&d, 3, 0, 0, "expected true or false, got nothing");
	check_diag(&d, 4, 10, 9, "expected a string (name), got an empty value");
	check_diag(&d, 5, 9, 7, "expected a string (title), got a sequence");
	check_diag(&d, 6, 16, 8, "expected a string, got null");
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

static void expect_and_check_keys(void **state)
{
	(void)state;
	tc_ydoc doc;
	tc_diag d;
	const char *text = "actor:\n"
			   "  id: anssi\n"
			   "  staf: 2\n"
			   "  zzz: 1\n"
			   "  long: \"a very long string value that goes on and on and on for ever\"\n"
			   "list: [1]\n";
	assert_int_equal(load(&doc, &d, text, NULL), TC_OK);
	const tc_ynode *actor = get(doc.root, "actor");
	assert_int_equal(tc_yexpect(&doc, actor, TC_YMAP, "actor", &d), TC_OK);
	assert_int_equal(tc_diag_errors(&d), 0);
	assert_int_equal(tc_yexpect(&doc, get(doc.root, "list"), TC_YMAP, "actor", &d), TC_EINVAL);
	assert_int_equal(tc_yexpect(&doc, get(actor, "id"), TC_YSEQ, NULL, &d), TC_EINVAL);
	assert_int_equal(tc_yexpect(&doc, NULL, TC_YMAP, "actor", &d), TC_EINVAL);
	assert_int_equal(tc_yexpect(&doc, get(actor, "long"), TC_YMAP, "actor", &d), TC_EINVAL);
	assert_int_equal(tc_yexpect(&doc, actor, TC_YSCALAR, "name", &d), TC_EINVAL);
	check_diag(&d, 0, 6, 7, "expected a mapping (actor), got a sequence");
	check_diag(&d, 1, 2, 7, "expected a sequence, got 'anssi'");
	check_diag(&d, 2, 0, 0, "expected a mapping (actor), got nothing");
	check_diag(&d, 3, 5, 9,
		   "expected a mapping (actor), got the string \"a very long string value "
		   "that goes on and on and...\"");
	check_diag(&d, 4, 2, 3, "expected a scalar (name), got a mapping");
	tc_diag_release(&d);

	tc_diag_init(&d, tc_alloc_default());
	const char *const allowed[] = {"id", "staff", "timezone", "long"};
	assert_int_equal(tc_ycheck_keys(&doc, actor, allowed, 4, "actor", &d), 2);
	assert_int_equal(tc_diag_errors(&d), 2);
	check_diag(&d, 0, 3, 3, "unknown key 'staf' in actor (did you mean 'staff'?)");
	check_diag(&d, 1, 4, 3, "unknown key 'zzz' in actor (expected one of: id, staff, timezone, long)");
	assert_int_equal(tc_ycheck_keys(&doc, actor, allowed, 0, NULL, &d), 4);
	check_diag(&d, 2, 2, 3, "unknown key 'id' (no keys are expected here)");
	assert_int_equal(tc_ycheck_keys(&doc, get(doc.root, "list"), allowed, 4, "x", &d), 0);
	tc_ydoc_release(&doc);
	tc_diag_release(&d);
}

/* ---- allocation failures ---- */

static const char *const rich_doc =
	"id: exercise\n"
	"defaults: &d {staff: 2, zone: Europe/Paris, hours: [8, 18]}\n"
	"actors:\n"
	"  - id: anssi\n"
	"    <<x: *d\n"
	"    name: &n ANSSI\n"
	"  - id: cert\n"
	"    alias_of: *n\n"
	"    tags: !!seq [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q]\n"
	"    ratio: !!float 0.5\n";

static void check_rich_doc(const tc_ydoc *doc)
{
	const tc_ynode *actors = get(doc->root, "actors");
	assert_int_equal(actors->count, 2);
	assert_ptr_equal(get(actors->items[0], "<<x"), get(doc->root, "defaults"));
	check_scalar(get(actors->items[1], "alias_of"), "ANSSI", 1, 8, 15);
	assert_int_equal(get(actors->items[1], "tags")->count, 17);
}

static void allocation_failures_at_every_point(void **state)
{
	(void)state;
	long k;
	for (k = 0; k < 100000; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		tc_diag d;
		tc_diag_init(&d, tc_alloc_default());
		tc_ydoc doc;
		int rc = tc_ydoc_load_buffer(&doc, &fa.alloc, "rich.yaml", rich_doc,
					     strlen(rich_doc), NULL, &d);
		if (rc == TC_OK) {
			assert_int_equal(tc_diag_errors(&d), 0);
			check_rich_doc(&doc);
			tc_ydoc_release(&doc);
			assert_int_equal(fa.live_blocks, 0);
			tc_diag_release(&d);
			break;
		}
		assert_int_equal(rc, TC_ENOMEM);
		assert_null(doc.root);
		assert_int_equal(fa.live_blocks, 0);
		assert_int_equal(fa.live_bytes, 0);
		assert_int_equal(tc_diag_errors(&d), 1);
		assert_string_equal(d.items[0].message, "out of memory while loading the document");
		tc_ydoc_release(&doc);
		tc_diag_release(&d);
	}
	/* File name, nodes, kids, frames, duplicate checks, anchors: many points. */
	assert_true(k >= 8);

	/* The same through a file, including its read buffer. */
	const char *path = test_write_temp("rich.yaml", rich_doc);
	assert_non_null(path);
	for (k = 0; k < 100000; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		tc_diag d;
		tc_diag_init(&d, tc_alloc_default());
		tc_ydoc doc;
		int rc = tc_ydoc_load_file(&doc, &fa.alloc, path, NULL, &d);
		if (rc == TC_OK) {
			check_rich_doc(&doc);
			tc_ydoc_release(&doc);
			assert_int_equal(fa.live_blocks, 0);
			tc_diag_release(&d);
			break;
		}
		assert_int_equal(rc, TC_ENOMEM);
		assert_int_equal(fa.live_blocks, 0);
		assert_int_equal(tc_diag_errors(&d), 1);
		tc_diag_release(&d);
	}
	assert_true(k >= 9);
	unlink(path);
}

static void allocation_failures_with_errors(void **state)
{
	(void)state;
	/* A document with errors: every failure point gives ENOMEM or the
	 * same three errors, and never leaks. */
	const char *text = "a: 1\nb: &x [*y, 2]\na: 3\nc: !foo 4\n";
	long k;
	for (k = 0; k < 100000; k++) {
		tc_failing_alloc fa;
		tc_failing_alloc_init(&fa, k);
		tc_diag d;
		tc_diag_init(&d, &fa.alloc);
		tc_ydoc doc;
		int rc = tc_ydoc_load_buffer(&doc, &fa.alloc, "e.yaml", text, strlen(text), NULL, &d);
		assert_null(doc.root);
		assert_true(rc == TC_EINVAL || rc == TC_ENOMEM);
		assert_true(tc_diag_errors(&d) >= 1);
		tc_diag_release(&d);
		assert_int_equal(fa.live_blocks, 0);
		if (rc == TC_EINVAL)
			break;
	}
	tc_failing_alloc fa;
	tc_failing_alloc_init(&fa, -1);
	tc_diag d;
	tc_diag_init(&d, &fa.alloc);
	tc_ydoc doc;
	assert_int_equal(tc_ydoc_load_buffer(&doc, &fa.alloc, "e.yaml", text, strlen(text), NULL, &d),
			 TC_EINVAL);
	assert_int_equal(tc_diag_errors(&d), 3);
	check_diag(&d, 0, 2, 8, "unknown anchor: '*y' is used before any '&y' defines it");
	check_diag(&d, 1, 4, 4,
		   "tag !foo is not supported (only !!str, !!int, !!float, !!bool, !!null, !!seq "
		   "and !!map)");
	check_diag(&d, 2, 3, 1, "duplicate key 'a' (first defined at line 1)");
	tc_diag_release(&d);
	assert_int_equal(fa.live_blocks, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(positions_are_exact),
		cmocka_unit_test(styles_and_multiline_scalars),
		cmocka_unit_test(anchors_and_aliases_share),
		cmocka_unit_test(standard_tags),
		cmocka_unit_test(bad_tags_are_all_reported),
		cmocka_unit_test(byte_order_mark_is_skipped),
		cmocka_unit_test(crlf_and_unicode_line_breaks),
		cmocka_unit_test(syntax_errors_name_position_and_context),
		cmocka_unit_test(semantic_errors_are_collected_until_a_syntax_error),
		cmocka_unit_test(invalid_utf8_nul_and_control_characters),
		cmocka_unit_test(empty_documents),
		cmocka_unit_test(root_must_be_one_mapping),
		cmocka_unit_test(duplicate_keys),
		cmocka_unit_test(bad_keys),
		cmocka_unit_test(bad_aliases_and_anchors),
		cmocka_unit_test(billion_laughs_fails_fast),
		cmocka_unit_test(deep_flow_nesting_is_refused),
		cmocka_unit_test(deep_block_nesting_is_refused),
		cmocka_unit_test(depth_limit_by_one),
		cmocka_unit_test(depth_limit_counts_alias_expansions),
		cmocka_unit_test(node_limit_by_one),
		cmocka_unit_test(scalar_and_size_limits_by_one),
		cmocka_unit_test(huge_file_is_not_read),
		cmocka_unit_test(missing_file_is_an_io_error),
		cmocka_unit_test(two_hundred_thousand_keys),
		cmocka_unit_test(two_hundred_thousand_items),
		cmocka_unit_test(integer_accessor),
		cmocka_unit_test(double_accessor),
		cmocka_unit_test(doubles_are_correctly_rounded),
		cmocka_unit_test(bool_and_string_accessors),
		cmocka_unit_test(expect_and_check_keys),
		cmocka_unit_test(allocation_failures_at_every_point),
		cmocka_unit_test(allocation_failures_with_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
