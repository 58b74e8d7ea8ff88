/*
 * Catalogues: shared actor, channel and meeting definitions that scenarios
 * include and adapt, so that ANSSI's parameters live in one file.
 *
 * A scenario's `include:` names catalogue files; an entry of its actors,
 * channels or meetings with `extends: ID` starts from the catalogue's entry
 * ID and replaces it key by key. The merge happens on the YAML tree, before
 * the section is read, so the merged entry is checked by the same readers as
 * any other and each error names the file the offending node came from.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "scenario/loader.h"

static const char *const section_keys[LD_CAT_SECTIONS] = {"actors", "channels", "meetings"};
static const char *const section_what[LD_CAT_SECTIONS] = {"actor", "channel", "meeting"};

void ld_catalogues_init(loader *ld)
{
	ld_catalogues *c = &ld->cat;
	memset(c, 0, sizeof *c);
	tc_arena_init(&c->scratch, ld->alloc);
	for (int i = 0; i < LD_CAT_SECTIONS; i++)
		tc_strmap_init(&c->ids[i], ld->alloc);
}

void ld_catalogues_release(loader *ld)
{
	ld_catalogues *c = &ld->cat;
	for (size_t i = 0; i < c->count; i++)
		tc_ydoc_release(&c->docs[i]);
	for (int i = 0; i < LD_CAT_SECTIONS; i++) {
		tc_strmap_release(&c->ids[i]);
		tc_free(ld->alloc, c->entries[i], c->entry_cap[i] * sizeof *c->entries[i]);
	}
	tc_free(ld->alloc, c->failed, c->failed_cap * sizeof *c->failed);
	tc_arena_release(&c->scratch);
	ld_catalogues_init(ld);
}

void *ld_scratch(loader *ld, size_t n)
{
	void *p = tc_arena_alloc(&ld->cat.scratch, n);
	if (!p)
		ld_oom(ld);
	return p;
}

/* The entries of one section of a catalogue: mappings with unique ids. */
static int catalogue_section(loader *ld, const tc_ynode *seq, int section)
{
	ld_catalogues *c = &ld->cat;
	const char *what = section_what[section];
	char expected[64];
	snprintf(expected, sizeof expected, "a list of %ss", what);
	if (ld_expect(ld, seq, TC_YSEQ, expected))
		return -1;
	if (tc_grow(ld->alloc, (void **)&c->entries[section], &c->entry_cap[section],
	            c->entry_count[section] + seq->count, sizeof *c->entries[section])) {
		ld_oom(ld);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < seq->count; i++) {
		const tc_ynode *n = seq->items[i], *id;
		const char *text;
		snprintf(expected, sizeof expected, "a catalogue %s (a mapping with an id)", what);
		if (ld_expect(ld, n, TC_YMAP, expected) || !(id = ld_required(ld, n, "id", what)) ||
		    ld_id(ld, id, "an id", &text)) {
			rc = -1;
			continue;
		}
		const tc_ynode *ext = tc_ymap_get(n, "extends");
		if (ext) {
			ld_error(ld, ext, "catalogue %s '%s': a catalogue entry cannot extend another "
			         "(scenarios extend catalogue entries)", what, text);
			rc = -1;
		}
		int existing, put = tc_strmap_put(&c->ids[section], id->text,
		                                  (int)c->entry_count[section], &existing);
		if (put == 1) {
			const tc_ynode *first = c->entries[section][existing];
			ld_error(ld, id, "%s '%s' is already defined in the included catalogues (at "
			         "%s:%d)", what, text, first->file ? first->file : "?", first->line);
			rc = -1;
			continue;
		}
		if (put) {
			ld_oom(ld);
			return -1;
		}
		c->entries[section][c->entry_count[section]++] = n;
	}
	return rc;
}

/* One included file: `catalogue: {name, description}` and its sections. */
static int catalogue_body(loader *ld, const tc_ynode *root)
{
	static const char *const keys[] = {"catalogue", "actors", "channels", "meetings"};
	static const char *const header_keys[] = {"name", "description"};
	if (ld_expect(ld, root, TC_YMAP, "a catalogue (a mapping with catalogue and actors, "
	                                 "channels or meetings)"))
		return -1;
	int rc = ld_keys(ld, root, keys, sizeof keys / sizeof *keys, "catalogue file");
	const tc_ynode *head = ld_required(ld, root, "catalogue", "catalogue file"), *v;
	const char *text;
	if (!head || ld_expect(ld, head, TC_YMAP, "a mapping with the catalogue's name"))
		rc = -1;
	else {
		rc |= ld_keys(ld, head, header_keys, 2, "catalogue");
		if ((v = ld_required(ld, head, "name", "catalogue")))
			rc |= ld_string(ld, v, "a name", &text);
		else
			rc = -1;
		if ((v = tc_ymap_get(head, "description")))
			rc |= ld_string(ld, v, "a description", &text);
	}
	for (int i = 0; i < LD_CAT_SECTIONS; i++)
		if ((v = tc_ymap_get(root, section_keys[i])))
			rc |= catalogue_section(ld, v, i);
	return rc;
}

static int include_one(loader *ld, const tc_ynode *n, ld_file_id *ids, tc_include_def *def)
{
	ld_catalogues *c = &ld->cat;
	const char *written, *path;
	if (ld_file_name(ld, n, "catalogue file", &written) ||
	    !(path = ld_resolve_path(ld, ld->doc->file, written)) ||
	    ld_check_named_file(ld, n, path, "catalogue file", "catalogue and actors",
	                        &ids[c->count]))
		return -1;
	for (size_t k = 0; k < c->count; k++) {
		const ld_file_id *a = &ids[k], *b = &ids[c->count];
		if ((a->known && b->known && a->dev == b->dev && a->ino == b->ino) ||
		    strcmp(c->docs[k].file, path) == 0) {
			ld_error(ld, n, "catalogue file '%s' is included twice", written);
			return -1;
		}
	}
	if (ld_read_yaml(ld, path, &c->docs[c->count], def->sha256))
		return -1;
	c->count++;
	/* The tree goes with the load; the scenario keeps the name. */
	if (!(def->file = tc_arena_strdup(ld->ar, path))) {
		ld_oom(ld);
		return -1;
	}
	return catalogue_body(ld, c->docs[c->count - 1].root);
}

int ld_include(loader *ld, const tc_ynode *node)
{
	if (!node)
		return 0;
	ld_catalogues *c = &ld->cat;
	size_t n = node->type == TC_YSEQ ? node->count : 1;
	if (node->type == TC_YMAP || n == 0) {
		ld_error(ld, node, "expected a catalogue file name or a list of them, got %s",
		         n == 0 ? "an empty list" : "a mapping");
		return -1;
	}
	if (n > TC_MAX_INCLUDES) {
		ld_error(ld, node, "too many catalogue files: %zu (at most %d)", n, TC_MAX_INCLUDES);
		ld_status(ld, TC_ELIMIT);
		return -1;
	}
	ld_file_id *ids = ld_scratch(ld, n * sizeof *ids);
	tc_include_def *defs = ld_alloc(ld, n * sizeof *defs);
	if (!ids || !(c->docs = ld_scratch(ld, n * sizeof *c->docs)) || !defs)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const tc_ynode *item = node->type == TC_YSEQ ? node->items[i] : node;
		size_t before = c->count;
		if (include_one(ld, item, ids, &defs[before])) {
			c->include_failed = 1;
			rc = -1;
		}
		if (ld->oom)
			return -1;
	}
	ld->s->includes = defs;
	ld->s->include_count = c->count;
	return rc;
}

static int is_null(const tc_ynode *n)
{
	return n->type == TC_YSCALAR && tc_yscalar_is_null(n);
}

tc_ynode *ld_copy_node(loader *ld, const tc_ynode *n)
{
	tc_ynode *copy = ld_scratch(ld, sizeof *copy);
	if (copy)
		*copy = *n;
	return copy;
}

/* Base's `handling` with the entry's kinds replacing or added to it. */
static const tc_ynode *merge_handling(loader *ld, const tc_ynode *base, const tc_ynode *over)
{
	if (base->type != TC_YMAP || over->type != TC_YMAP)
		return over;   /* the reader reports the wrong type */
	tc_ynode *m = ld_copy_node(ld, over);
	tc_ynode **items = ld_scratch(ld, (2 * (base->count + over->count) + 1) * sizeof *items);
	if (!m || !items)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < base->count; i++)
		if (!tc_ymap_get(over, base->items[2 * i]->text)) {
			items[2 * k] = base->items[2 * i];
			items[2 * k++ + 1] = base->items[2 * i + 1];
		}
	for (size_t i = 0; i < over->count; i++)
		if (!is_null(over->items[2 * i + 1])) {
			items[2 * k] = over->items[2 * i];
			items[2 * k++ + 1] = over->items[2 * i + 1];
		}
	m->items = items;
	m->count = k;
	return m;
}

/*
 * The catalogue entry base adapted by the scenario's entry over: each key of
 * over replaces base's (null removes it), `handling` merges by kind, and the
 * id is base's unless over gives one. The result stands where over stands.
 */
static const tc_ynode *merge(loader *ld, const tc_ynode *base, const tc_ynode *over,
                             const tc_ynode *ext_key, const tc_ynode *ext)
{
	tc_ynode *m = ld_copy_node(ld, over);
	tc_ynode **items = ld_scratch(ld, (2 * (base->count + over->count) + 2) * sizeof *items);
	if (!m || !items)
		return NULL;
	size_t k = 0;
	if (!tc_ymap_get(over, "id")) {
		/* The id is the catalogue's, placed where the scenario names it. */
		tc_ynode *key = ld_copy_node(ld, ext_key), *id = ld_copy_node(ld, ext);
		if (!key || !id)
			return NULL;
		key->text = "id";
		key->len = 2;
		key->text_column = 0;
		items[2 * k] = key;
		items[2 * k++ + 1] = id;
	}
	for (size_t i = 0; i < base->count; i++) {
		const tc_ynode *key = base->items[2 * i], *value = base->items[2 * i + 1];
		const tc_ynode *o = tc_ymap_get(over, key->text);
		if (o && is_null(o))
			continue;
		if (o && strcmp(key->text, "handling") == 0)
			value = merge_handling(ld, value, o);
		else if (o)
			continue;   /* the scenario's, below in its own order */
		if (!value)
			return NULL;
		items[2 * k] = (tc_ynode *)key;
		items[2 * k++ + 1] = (tc_ynode *)value;
	}
	for (size_t i = 0; i < over->count; i++) {
		const tc_ynode *key = over->items[2 * i], *value = over->items[2 * i + 1];
		if (strcmp(key->text, "extends") == 0 || is_null(value) ||
		    (strcmp(key->text, "handling") == 0 && tc_ymap_get(base, "handling")))
			continue;
		items[2 * k] = (tc_ynode *)key;
		items[2 * k++ + 1] = (tc_ynode *)value;
	}
	m->items = items;
	m->count = k;
	return m;
}

static int mark_failed(loader *ld, const tc_ynode *n)
{
	ld_catalogues *c = &ld->cat;
	if (tc_grow(ld->alloc, (void **)&c->failed, &c->failed_cap, c->failed_count + 1,
	            sizeof *c->failed)) {
		ld_oom(ld);
		return -1;
	}
	c->failed[c->failed_count++] = n;
	return 0;
}

int ld_extend_failed(const loader *ld, const tc_ynode *n)
{
	for (size_t i = 0; i < ld->cat.failed_count; i++)
		if (ld->cat.failed[i] == n)
			return 1;
	return 0;
}

/* The catalogue entry `extends: ID` names, or NULL after reporting why not. */
static const tc_ynode *base_entry(loader *ld, const tc_ynode *ext, int section)
{
	ld_catalogues *c = &ld->cat;
	const char *what = section_what[section];
	char id_what[64];
	snprintf(id_what, sizeof id_what, "the id of a catalogue %s", what);
	const char *text;
	if (ld_id(ld, ext, id_what, &text))
		return NULL;
	if (c->count == 0 && !c->include_failed) {
		ld_error(ld, ext, "extends the catalogue %s '%s', but the scenario includes no "
		         "catalogue (add include: FILE)", what, text);
		return NULL;
	}
	int at = tc_strmap_get(&c->ids[section], ext->text);
	if (at >= 0)
		return c->entries[section][at];
	/* The entry may be in the catalogue that could not be read: that
	 * error says it all. */
	if (c->include_failed)
		return NULL;
	size_t n = c->entry_count[section];
	const char **names = ld_scratch(ld, (n ? n : 1) * sizeof *names);
	if (!names)
		return NULL;
	for (size_t i = 0; i < n; i++)
		names[i] = tc_ymap_get(c->entries[section][i], "id")->text;
	char unknown[64], expected[96];
	snprintf(unknown, sizeof unknown, "catalogue %s", what);
	snprintf(expected, sizeof expected, n ? "one of the included catalogues' %ss" :
	         "a %s, and the included catalogues define none", what);
	ld_unknown_name(ld, ext, unknown, names, n, expected);
	return NULL;
}

const tc_ynode *ld_extend(loader *ld, const tc_ynode *seq, int section)
{
	assert(section >= 0 && section < LD_CAT_SECTIONS);
	if (!seq || seq->type != TC_YSEQ)
		return seq;
	size_t extending = 0;
	for (size_t i = 0; i < seq->count; i++)
		extending += tc_ymap_get(seq->items[i], "extends") != NULL;
	if (!extending)
		return seq;
	tc_ynode *out = ld_copy_node(ld, seq);
	tc_ynode **items = ld_scratch(ld, seq->count * sizeof *items);
	if (!out || !items)
		return NULL;
	for (size_t i = 0; i < seq->count; i++) {
		const tc_ynode *n = seq->items[i], *ext = tc_ymap_get(n, "extends"), *base;
		items[i] = (tc_ynode *)n;
		if (!ext)
			continue;
		const tc_ynode *ext_key = NULL;
		for (size_t k = 0; k < n->count; k++)
			if (n->items[2 * k + 1] == ext)
				ext_key = n->items[2 * k];
		assert(ext_key);
		if (!(base = base_entry(ld, ext, section))) {
			if (mark_failed(ld, n))
				return NULL;
			continue;
		}
		const tc_ynode *merged = merge(ld, base, n, ext_key, ext);
		if (!merged)
			return NULL;
		items[i] = (tc_ynode *)merged;
	}
	out->items = items;
	return out;
}
