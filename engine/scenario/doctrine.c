/*
 * doctrine: reaction rules, inline in the scenario or in their own file
 * (named by the scenario, or replacing it with --doctrine), and Lua
 * handlers: a .lua doctrine file, or `script:` in a YAML doctrine.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "scenario/loader.h"

static int kind_filter(loader *ld, const tc_ynode *n, const uint8_t **out)
{
	if (n->type == TC_YSCALAR && strcmp(n->text, "any") == 0) {
		*out = NULL;
		return 0;
	}
	size_t total = n->type == TC_YSEQ ? n->count : 1;
	if (n->type == TC_YMAP || total == 0) {
		ld_error(ld, n, "expected any, a message kind or a list of kinds, got %s",
		         total ? "a mapping" : "an empty list");
		return -1;
	}
	uint8_t *flags = ld_alloc(ld, ld->s->kind_count);
	if (!flags)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < total; i++) {
		tc_kind_id k;
		if (ld_kind(ld, n->type == TC_YSEQ ? n->items[i] : n, &k) == 0)
			flags[k] = 1;
		else
			rc = -1;
	}
	*out = flags;
	return rc;
}

static int level_filter(loader *ld, const tc_ynode *n, unsigned *out)
{
	size_t total = n->type == TC_YSEQ ? n->count : 1;
	if (n->type == TC_YMAP || total == 0) {
		ld_error(ld, n, "expected a level or a list of levels, got %s",
		         total ? "a mapping" : "an empty list");
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < total; i++) {
		tc_level level;
		if (ld_level(ld, n->type == TC_YSEQ ? n->items[i] : n, &level) == 0)
			*out |= 1u << level;
		else
			rc = -1;
	}
	return rc;
}

static int rule(loader *ld, const tc_ynode *n, tc_rule_def *r)
{
	static const char *const keys[] = {"actor", "on", "min_severity", "from", "from_level",
	                                   "incident", "once", "ack", "send", "convene"};
	if (ld_expect(ld, n, TC_YMAP, "a rule (a mapping with actor and on)"))
		return -1;
	int rc = ld_keys(ld, n, keys, sizeof keys / sizeof *keys, "rule"), actor = 0;
	const tc_ynode *v;
	char label[512];
	snprintf(label, sizeof label, "%s:%d", ld_node_file(ld, n), n->line);
	if (!(r->label = tc_arena_strdup(ld->ar, label))) {
		ld_oom(ld);
		return -1;
	}
	r->incident = -1;
	r->convene = -1;
	if ((v = ld_required(ld, n, "actor", "rule")))
		rc |= ld_ref(ld, v, LD_ACTORS, "actor", &actor);
	else
		rc = -1;
	r->actor = (uint32_t)(actor < 0 ? 0 : actor);
	if ((v = ld_required(ld, n, "on", "rule")))
		rc |= kind_filter(ld, v, &r->on_kinds);
	else
		rc = -1;
	if ((v = tc_ymap_get(n, "min_severity")))
		rc |= ld_severity(ld, v, &r->min_severity);
	if ((v = tc_ymap_get(n, "from"))) {
		uint32_t *ids;
		size_t count;
		uint8_t *flags = ld_alloc(ld, ld->s->actor_count);
		rc |= ld_refs(ld, v, LD_ACTORS, "actor", &ids, &count);
		for (size_t i = 0; flags && ids && i < count; i++)
			flags[ids[i]] = 1;
		r->from = flags;
	}
	if ((v = tc_ymap_get(n, "from_level")))
		rc |= level_filter(ld, v, &r->from_levels);
	if ((v = tc_ymap_get(n, "incident")))
		rc |= ld_ref(ld, v, LD_INCIDENTS, "incident", &r->incident);
	if ((v = tc_ymap_get(n, "once")))
		rc |= ld_bool(ld, v, &r->once);
	if ((v = tc_ymap_get(n, "ack")))
		rc |= ld_bool(ld, v, &r->ack);
	if ((v = tc_ymap_get(n, "send"))) {
		size_t total = v->type == TC_YSEQ ? v->count : 1;
		tc_send_def *list = ld_alloc(ld, (total ? total : 1) * sizeof *list);
		for (size_t i = 0; list && i < total; i++)
			rc |= ld_send(ld, v->type == TC_YSEQ ? v->items[i] : v, &list[i]);
		r->sends = list;
		r->send_count = list ? total : 0;
	}
	if ((v = tc_ymap_get(n, "convene")))
		rc |= ld_ref(ld, v, LD_MEETINGS, "meeting", &r->convene);
	if (!rc && !r->ack && !r->send_count && r->convene < 0) {
		ld_error(ld, n, "rule for '%s' does nothing: give it send, ack or convene",
		         ld->s->actors[r->actor].id);
		rc = -1;
	}
	return rc;
}

/* Group the rules by actor, keeping file order within an actor. */
static int index_rules(loader *ld, tc_doctrine_def *d, tc_rule_def *rules, size_t count)
{
	size_t na = ld->s->actor_count;
	size_t *first = ld_alloc(ld, (na + 1) * sizeof *first);
	tc_rule_def *sorted = ld_alloc(ld, (count ? count : 1) * sizeof *sorted);
	if (!first || !sorted)
		return -1;
	for (size_t i = 0; i < count; i++)
		first[rules[i].actor + 1]++;
	for (size_t a = 0; a < na; a++)
		first[a + 1] += first[a];
	size_t *next = tc_calloc(ld->alloc, na + 1, sizeof *next);
	if (!next) {
		ld_oom(ld);
		return -1;
	}
	memcpy(next, first, (na + 1) * sizeof *next);
	for (size_t i = 0; i < count; i++)
		sorted[next[rules[i].actor]++] = rules[i];
	tc_free(ld->alloc, next, (na + 1) * sizeof *next);
	d->rules = sorted;
	d->rule_count = count;
	d->first_rule = first;
	return 0;
}

/* A YAML doctrine's Lua handlers: `script: FILE`, relative to the file the
 * doctrine is written in. */
static int doctrine_script(loader *ld, const tc_ynode *v, tc_doctrine_def *d)
{
	const char *written, *path;
	tc_script_def *def = ld_alloc(ld, sizeof *def);
	if (!def || ld_file_name(ld, v, "script file", &written) ||
	    !(path = ld_resolve_path(ld, ld->doc->file, written)) ||
	    ld_script(ld, v, "script file", written, path, TC_SCRIPT_DOCTRINE, 0, def, NULL))
		return -1;
	d->script = def;
	return 0;
}

static int doctrine_body(loader *ld, const tc_ynode *n, tc_doctrine_def *d)
{
	static const char *const keys[] = {"name", "description", "rules", "script"};
	if (ld_expect(ld, n, TC_YMAP, "a doctrine (a mapping with name and rules or script)"))
		return -1;
	int rc = ld_keys(ld, n, keys, sizeof keys / sizeof *keys, "doctrine");
	const tc_ynode *v;
	if ((v = tc_ymap_get(n, "name")))
		rc |= ld_string(ld, v, "a doctrine name", &d->name);
	/* The description is for readers of the file only, but must be text. */
	const char *description;
	if ((v = tc_ymap_get(n, "description")))
		rc |= ld_string(ld, v, "a doctrine description", &description);
	/* With Lua handlers, YAML rules are optional. */
	const tc_ynode *script = tc_ymap_get(n, "script");
	if (script)
		rc |= doctrine_script(ld, script, d);
	const tc_ynode *rules = script ? tc_ymap_get(n, "rules")
	                               : ld_required(ld, n, "rules", "doctrine");
	if (!rules)
		return script && !rc ? index_rules(ld, d, NULL, 0) : -1;
	if (ld_expect(ld, rules, TC_YSEQ, "a list of rules"))
		return -1;
	if (rules->count > TC_MAX_RULES) {
		ld_error(ld, rules, "too many rules: %zu (at most %d)", rules->count, TC_MAX_RULES);
		ld_status(ld, TC_ELIMIT);
		return -1;
	}
	tc_rule_def *list = ld_alloc(ld, (rules->count ? rules->count : 1) * sizeof *list);
	if (!list)
		return -1;
	for (size_t i = 0; i < rules->count; i++)
		rc |= rule(ld, rules->items[i], &list[i]);
	if (rc)
		return -1;
	return index_rules(ld, d, list, rules->count);
}

/* Unnamed, a doctrine file is known by its file name. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* A doctrine whose file name ends in .lua (in any case) is Lua. */
static int is_lua(const char *path)
{
	size_t n = strlen(path);
	if (n < 4)
		return 0;
	const char *ext = path + n - 4;
	return ext[0] == '.' && (ext[1] | 0x20) == 'l' && (ext[2] | 0x20) == 'u' &&
	       (ext[3] | 0x20) == 'a';
}

/* A Lua doctrine: handlers only, no YAML rules. node: the scenario's
 * `doctrine:` (NULL for --doctrine); path is in the arena. */
static int lua_doctrine(loader *ld, const tc_ynode *node, const char *written, const char *path,
                        tc_doctrine_def *d)
{
	tc_script_def *def = ld_alloc(ld, sizeof *def);
	if (!def || ld_script(ld, node, "doctrine file", written, path, TC_SCRIPT_DOCTRINE, 0, def,
	                      NULL))
		return -1;
	d->file = path;
	d->name = base_name(path);
	memcpy(d->sha256, def->sha256, sizeof d->sha256);
	d->script = def;
	return index_rules(ld, d, NULL, 0);
}

static int doctrine_file(loader *ld, const char *path, tc_doctrine_def *d)
{
	tc_ydoc doc;
	const tc_ydoc *scenario_doc = ld->doc;
	if (ld_read_yaml(ld, path, &doc, d->sha256))
		return -1;
	if (!(d->file = tc_arena_strdup(ld->ar, path))) {
		tc_ydoc_release(&doc);
		ld_oom(ld);
		return -1;
	}
	d->name = base_name(d->file);
	ld->doc = &doc;
	int rc = doctrine_body(ld, doc.root, d);
	ld->doc = scenario_doc;
	tc_ydoc_release(&doc);
	return rc;
}

int ld_doctrine(loader *ld, const tc_ynode *node, const char *override_path)
{
	tc_doctrine_def *d = &ld->s->doctrine;
	d->name = "none";
	if (override_path) {
		if (!is_lua(override_path))
			return doctrine_file(ld, override_path, d);
		const char *path = tc_arena_strdup(ld->ar, override_path);
		if (!path) {
			ld_oom(ld);
			return -1;
		}
		return lua_doctrine(ld, NULL, override_path, path, d);
	}
	if (!node) {
		/* No doctrine: nobody reacts. Still a valid (if silent) exercise. */
		return index_rules(ld, d, NULL, 0);
	}
	if (node->type == TC_YSCALAR) {
		if (tc_yscalar_is_null(node)) {
			ld_error(ld, node, "expected a doctrine file name or an inline doctrine, got "
			                   "nothing");
			return -1;
		}
		const char *written, *path;
		if (ld_file_name(ld, node, "doctrine file", &written) ||
		    !(path = ld_resolve_path(ld, ld->doc->file, written)))
			return -1;
		if (is_lua(written))
			return lua_doctrine(ld, node, written, path, d);
		if (ld_check_named_file(ld, node, path, "doctrine file", "name and rules", NULL))
			return -1;
		return doctrine_file(ld, path, d);
	}
	d->name = "inline"; /* unless it says otherwise */
	return doctrine_body(ld, node, d);
}
