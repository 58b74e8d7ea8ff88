/*
 * scripts: the Lua files a scenario names (`scripts:`), those added with
 * --script, and a doctrine's handlers. The loader only brings the text in,
 * with its digest and RNG entity; each run compiles it in its own sandbox,
 * which reports syntax errors with the script's file:line.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/rng.h"
#include "core/sha256.h"
#include "scenario/loader.h"

/* An error at the YAML node that names the file, or, for a file given on
 * the command line (node NULL), at the file itself. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void script_error(loader *ld, const tc_ynode *node, const char *path, const char *fmt, ...)
{
	char text[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (node)
		ld_error(ld, node, "%s", text);
	else
		tc_diag_add(ld->diag, path, 0, 0, "%s", text);
}

/* Lua takes a chunk that starts with ESC for precompiled code, which the
 * sandbox refuses (bytecode can break the VM's invariants): say so here,
 * at the line that names the file, rather than at run time. */
static int check_source(loader *ld, const tc_ynode *node, const char *what, const char *path,
                        const char *text, size_t len)
{
	if (len == 0 || text[0] != '\x1b')
		return 0;
	if (len >= 4 && memcmp(text, "\x1bLua", 4) == 0)
		script_error(ld, node, path, "%s '%s': precompiled Lua is not accepted: give the source",
		             what, path);
	else
		script_error(ld, node, path, "%s '%s' begins with the byte 0x1b (ESC), which Lua "
		                             "takes for precompiled code: give the source", what, path);
	return -1;
}

int ld_script(loader *ld, const tc_ynode *node, const char *what, const char *written,
              const char *path, tc_script_role role, int extra, tc_script_def *def,
              ld_file_id *id)
{
	assert(what && written && path && def);
	ld_file_id own;
	if (!id)
		id = &own;
	if (node) {
		if (ld_check_named_file(ld, node, path, what, "Lua source", id))
			return -1;
	} else {
		ld_file_identity(path, id);
	}
	char *data, err[600];
	size_t len;
	int rc = tc_file_read(ld->alloc, path, TC_MAX_SCRIPT_BYTES, &data, &len, err, sizeof err);
	if (rc) {
		if (rc == TC_ELIMIT)
			script_error(ld, node, path, "%s '%s' is larger than the limit of %d bytes", what,
			             path, TC_MAX_SCRIPT_BYTES);
		else
			script_error(ld, node, path, "%s", err);
		ld_status(ld, rc);
		return -1;
	}
	char *text = NULL;
	if (check_source(ld, node, what, path, data, len) == 0 && (text = ld_alloc(ld, len + 1))) {
		memcpy(text, data, len);
		text[len] = '\0';
	}
	tc_free(ld->alloc, data, len + 1);
	if (!text)
		return -1;
	uint8_t digest[TC_SHA256_SIZE];
	tc_sha256(text, len, digest);
	memset(def, 0, sizeof *def);
	def->name = path;
	def->text = text;
	def->len = len;
	tc_sha256_hex(digest, def->sha256);
	def->role = role;
	/* From the name as written, not as resolved: the draws must not depend
	 * on the directory the scenario is run from. */
	def->entity = tc_rng_entity(written);
	def->extra = extra;
	return 0;
}

/* Where a script was first listed, to report it listed again. */
typedef struct script_seen {
	ld_file_id id;
	const char *path;
	int line;                /* in the scenario; 0: given with --script */
} script_seen;

static int listed_twice(loader *ld, const tc_ynode *node, const script_seen *seen, size_t n,
                        const script_seen *now)
{
	for (size_t i = 0; i < n; i++) {
		const script_seen *first = &seen[i];
		if (!(first->id.known && now->id.known && first->id.dev == now->id.dev &&
		      first->id.ino == now->id.ino) && strcmp(first->path, now->path) != 0)
			continue;
		if (first->line && node)
			ld_error(ld, node, "script file '%s' is listed twice (first at line %d)", now->path,
			         first->line);
		else if (first->line)
			tc_diag_add(ld->diag, now->path, 0, 0, "script file '%s' is listed twice (first "
			            "at %s:%d)", now->path, ld->doc->file, first->line);
		else
			script_error(ld, node, now->path, "script file '%s' is listed twice (first with "
			             "--script)", now->path);
		return 1;
	}
	return 0;
}

int ld_scripts(loader *ld, const tc_ynode *node, const tc_load_options *opt)
{
	size_t listed = 0, given = opt ? opt->script_path_count : 0;
	int rc = 0;
	if (node && (node->type == TC_YMAP || tc_yscalar_is_null(node))) {
		ld_error(ld, node, "expected a script file name or a list of them, got %s",
		         node->type == TC_YMAP ? "a mapping" : "nothing");
		node = NULL;
		rc = -1;
	}
	if (node)
		listed = node->type == TC_YSEQ ? node->count : 1;
	if (listed > TC_MAX_SCRIPTS) {
		ld_error(ld, node, "too many scripts: %zu (at most %d)", listed, TC_MAX_SCRIPTS);
		ld_status(ld, TC_ELIMIT);
		return -1;
	}
	if (listed + given > TC_MAX_SCRIPTS) {
		tc_diag_add(ld->diag, opt->script_paths[TC_MAX_SCRIPTS - listed], 0, 0,
		            "too many scripts: the scenario lists %zu and --script adds %zu (at most "
		            "%d in all)", listed, given, TC_MAX_SCRIPTS);
		ld_status(ld, TC_ELIMIT);
		return -1;
	}
	if (listed + given == 0)
		return rc;
	tc_script_def *list = ld_alloc(ld, (listed + given) * sizeof *list);
	if (!list)
		return -1;
	script_seen seen[TC_MAX_SCRIPTS];
	size_t n = 0;
	for (size_t i = 0; i < listed + given; i++) {
		const tc_ynode *e = NULL;
		const char *written, *path;
		if (i < listed) {
			e = node->type == TC_YSEQ ? node->items[i] : node;
			if (ld_file_name(ld, e, "script file", &written) ||
			    !(path = ld_resolve_path(ld, ld->doc->file, written))) {
				rc = -1;
				continue;
			}
		} else {
			written = opt->script_paths[i - listed];
			assert(written);
			if (!(path = tc_arena_strdup(ld->ar, written))) {
				ld_oom(ld);
				return -1;
			}
		}
		script_seen *now = &seen[n];
		now->path = path;
		now->line = e ? e->line : 0;
		if (ld_script(ld, e, "script file", written, path, TC_SCRIPT_INJECTS, i >= listed,
		              &list[n], &now->id) ||
		    listed_twice(ld, e, seen, n, now)) {
			rc = -1;
			continue;
		}
		n++;
	}
	ld->s->scripts = list;
	ld->s->script_count = n;
	return rc;
}
