/*
 * A small, hardened YAML document tree on top of libyaml 0.2.5.
 *
 * Scenario files come from other organisations and are untrusted, so the
 * loader enforces limits while libyaml's events stream in (size, depth, node
 * count with alias expansions, scalar size), refuses duplicate keys, unknown
 * tags, merge keys, several documents and embedded NULs, and reports every
 * problem as file:line:column in a tc_diag. docs/yaml.md lists what is
 * accepted and why.
 *
 * The tree is read-only and lives in one arena owned by the tc_ydoc. An alias
 * to a sequence or mapping shares the anchored node (the tree is then a DAG:
 * walkers see the same node twice, never a cycle); an alias to a scalar is a
 * copy carrying the alias's own position.
 */
#ifndef TC_YAML_TREE_H
#define TC_YAML_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/diag.h"

typedef enum tc_ynode_type { TC_YSCALAR, TC_YSEQ, TC_YMAP } tc_ynode_type;

typedef struct tc_ynode {
	tc_ynode_type type;
	/* The file the node was read from, as named in diagnostics (the
	 * document's name). A scenario's tree may mix nodes of several files
	 * (catalogue entries it extends, spreadsheet cells): each error names
	 * the node's own file. NULL only for nodes built without one. */
	const char *file;
	/* 1-based position of the node's start (its anchor or tag if it has
	 * one); columns count characters, not bytes. */
	int line, column;
	/* Scalars: the value, NUL-terminated UTF-8 without embedded NULs;
	 * len == strlen(text). NULL for collections. */
	const char *text;
	size_t len;
	/* The scalar was unquoted (plain style) or carried a !!int, !!float,
	 * !!bool or !!null tag: only such scalars can be null, booleans or
	 * numbers. Quoted, block (| >) and !!str scalars are strings. */
	int plain;
	/* Scalars: the column (on `line`) where the value's text starts in the
	 * source, after any anchor, tag or opening quote, when each byte of text
	 * is one source character there (a single-line scalar without escapes),
	 * so that text offsets map to columns; 0 otherwise (block scalars,
	 * multi-line or escaped ones, alias copies). */
	int text_column;
	/* Sequences: count items. Mappings: count PAIRS, items[2i] the key
	 * (always a scalar) and items[2i+1] its value. NULL when empty. */
	struct tc_ynode **items;
	size_t count;
} tc_ynode;

typedef struct tc_ylimits {
	size_t max_bytes;        /* input size, before parsing */
	size_t max_depth;        /* nested sequences/mappings, aliases expanded; the root is 1 */
	size_t max_nodes;        /* nodes, each alias counting its anchored subtree again */
	size_t max_scalar_bytes; /* one scalar's value (and one anchor name) */
} tc_ylimits;

/*
 * The defaults: 8 MiB, depth 64, 1 000 000 nodes, 1 MiB scalar. The largest
 * realistic scenario is well under 1 MiB with depth < 10; these bound the
 * work and memory of a hostile file (and of any walker of the tree) while
 * leaving a wide margin. See docs/yaml.md.
 */
void tc_ylimits_default(tc_ylimits *lim);

typedef struct tc_ydoc {
	tc_arena arena;        /* every node and string of the document */
	const tc_ynode *root;  /* a mapping after a successful load, else NULL */
	const char *file;      /* the name used in diagnostics */
	size_t nodes;          /* node count as limited (with alias expansions) */
} tc_ydoc;

/*
 * Load the single YAML document of a file or buffer; its root must be a
 * mapping. Returns TC_OK, or TC_EINVAL (malformed), TC_ELIMIT (a limit was
 * exceeded; loading stops there), TC_EIO (the file cannot be read) or
 * TC_ENOMEM, with every problem recorded in diag as file:line:column and
 * what was expected. Semantic problems (duplicate keys, bad tags, unknown
 * anchors, ...) are all collected; a libyaml syntax error stops parsing.
 * On failure doc->root is NULL and doc holds no memory. lim NULL means the
 * defaults. name (load_buffer) may be NULL for "<input>". data need not be
 * NUL-terminated. libyaml's own buffers use malloc, bounded by the input.
 */
int tc_ydoc_load_file(tc_ydoc *doc, tc_alloc *a, const char *path, const tc_ylimits *lim,
		      tc_diag *diag);
int tc_ydoc_load_buffer(tc_ydoc *doc, tc_alloc *a, const char *name, const char *data,
			size_t len, const tc_ylimits *lim, tc_diag *diag);
/* Free everything; safe on a failed load and twice. */
void tc_ydoc_release(tc_ydoc *doc);

/*
 * Accessors for the schema layer. Those taking a diag report a clear error at
 * the node's position (file from doc, which may be NULL) and return non-zero
 * (TC_EINVAL or TC_ERANGE) on error, leaving *out unchanged.
 */

/* The value of key in map (plain or quoted keys alike), NULL when absent or
 * map is NULL or not a mapping. Linear in the map's size. */
const tc_ynode *tc_ymap_get(const tc_ynode *map, const char *key);

/* Check n's type: "expected a mapping (actor), got a sequence". what may be
 * NULL. n NULL is reported without a position ("got nothing"). */
int tc_yexpect(const tc_ydoc *doc, const tc_ynode *n, tc_ynode_type type, const char *what,
	       tc_diag *diag);

/* Report each key of map not in allowed[0..n) as "unknown key 'staf' in actor
 * (did you mean 'staff'?)" (or listing the allowed keys when no key is close);
 * returns the number of unknown keys, 0 when map is not a mapping. */
size_t tc_ycheck_keys(const tc_ydoc *doc, const tc_ynode *map, const char *const *allowed,
		      size_t n, const char *context, tc_diag *diag);

/* A plain "", "~", "null", "Null" or "NULL" (YAML 1.2 core schema), or an
 * absent node (n NULL): 1; otherwise 0. */
int tc_yscalar_is_null(const tc_ynode *n);

/* true/True/TRUE or false/False/FALSE, plain only (never yes/no/on/off). */
int tc_yscalar_bool(const tc_ydoc *doc, const tc_ynode *n, int *out, tc_diag *diag);

/* A plain decimal integer [-+]?[0-9]+ within [min, max]; overflow-safe. */
int tc_yscalar_int(const tc_ydoc *doc, const tc_ynode *n, int64_t min, int64_t max,
		   int64_t *out, tc_diag *diag);

/* A plain finite decimal number (YAML 1.2 core float syntax, integers too)
 * within [min, max]; correctly rounded, independent of the C locale. */
int tc_yscalar_double(const tc_ydoc *doc, const tc_ynode *n, double min, double max,
		      double *out, tc_diag *diag);

/* Any scalar that is not null (so "name: 42" gives "42", "name: ''" gives "");
 * what names the value in the message: "expected a string (name), got ...". */
int tc_yscalar_string(const tc_ydoc *doc, const tc_ynode *n, const char *what,
		      const char **out, tc_diag *diag);

/* A short printable excerpt of scalar n for messages: control characters
 * escaped, cut at a character boundary with "..." after 48 bytes ("" for a
 * collection). Returns out. */
enum { TC_YEXCERPT_CAP = 72 };
const char *tc_yexcerpt(char out[TC_YEXCERPT_CAP], const tc_ynode *n);

#endif
