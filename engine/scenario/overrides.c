/*
 * Overrides: `--set PATH=VALUE` changes one value of a scenario for one load,
 * so that a sweep can vary a parameter without a copy of the file.
 *
 * They apply to the tree once includes and extends are resolved and before
 * any section is read, so an overridden value is checked by the same readers
 * as a written one and reported at its place in the option. The file's tree
 * is never changed: each override copies the nodes along its path (copy on
 * write) into the scratch arena and shares the rest.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario/loader.h"

/* The sections that list entries with ids: an override selects one by id. */
static const struct {
	const char *section, *what;
} listed[] = {
	{"actors", "actor"},       {"channels", "channel"}, {"incidents", "incident"},
	{"meetings", "meeting"},   {"injects", "inject"},   {"objectives", "objective"},
};

/* One container on an override's path and the item it goes through. */
typedef struct step {
	const tc_ynode *node;    /* a mapping or a sequence */
	size_t slot;             /* pair (mapping) or item (sequence) index */
	const tc_ynode *key;     /* not NULL: a missing key of the mapping, added */
} step;

/* One override being applied. */
typedef struct override {
	loader *ld;
	const char *text;        /* "PATH=VALUE" as given */
	const char *file;        /* "--set PATH=VALUE": the pseudo-file of its messages */
	size_t path_len;         /* bytes of PATH */
	size_t *starts, *ends;   /* each segment of PATH: text[starts[i]..ends[i]) */
	size_t count;
	step *steps;             /* at most one per segment */
	size_t depth;
} override;

/* 1-based column of byte offset in text: columns count characters. */
static int column_of(const char *text, size_t offset)
{
	int column = 1;
	for (size_t i = 0; i < offset; i++)
		column += ((unsigned char)text[i] & 0xC0) != 0x80;
	return column;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void set_error(override *o, size_t offset, const char *fmt, ...)
{
	char text[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	tc_diag_add(o->ld->diag, o->file, 1, column_of(o->text, offset), "%s", text);
}

/* A scalar for text[from..to) where it stands in the option: for messages
 * (LD_EX, ld_unknown_name) and as a key the override adds. */
static int segment_node(override *o, size_t from, size_t to, tc_ynode *out)
{
	char *text = ld_scratch(o->ld, to - from + 1);
	if (!text)
		return -1;
	memcpy(text, o->text + from, to - from);
	int column = column_of(o->text, from);
	*out = (tc_ynode){.type = TC_YSCALAR, .file = o->file, .line = 1, .column = column,
	                  .text = text, .len = to - from, .plain = 1, .text_column = column};
	return 0;
}

/* The path before segment i, as the messages name a container ("actors.anssi"). */
#define PREFIX(o, i) (int)((o)->starts[i] - 1), (o)->text

/* Split PATH at its dots. */
static int split_path(override *o)
{
	size_t dots = 0;
	for (size_t i = 0; i < o->path_len; i++)
		dots += o->text[i] == '.';
	o->starts = ld_scratch(o->ld, (dots + 1) * sizeof *o->starts);
	o->ends = ld_scratch(o->ld, (dots + 1) * sizeof *o->ends);
	o->steps = ld_scratch(o->ld, (dots + 1) * sizeof *o->steps);
	if (!o->starts || !o->ends || !o->steps)
		return -1;
	size_t from = 0;
	for (size_t i = 0; i <= o->path_len; i++) {
		if (i < o->path_len && o->text[i] != '.')
			continue;
		if (i == from) {
			set_error(o, from, "expected a key or an id between dots, got nothing (PATH is "
			                   "SECTION.ID.KEY...)");
			return 1;
		}
		o->starts[o->count] = from;
		o->ends[o->count++] = i;
		from = i + 1;
	}
	return 0;
}

/* The first of the segments from `first` on that, joined with their dots,
 * equal some text of texts[0..n) (NULL entries never match): the longest
 * such run, so that an id or key with dots is found whole. Sets *last to the
 * run's last segment; -1 when none matches. */
static long match(const override *o, size_t first, const char *const *texts, size_t n,
                  size_t *last)
{
	for (size_t j = o->count; j-- > first;) {
		const char *want = o->text + o->starts[first];
		size_t len = o->ends[j] - o->starts[first];
		for (size_t k = 0; k < n; k++)
			if (texts[k] && strlen(texts[k]) == len && memcmp(texts[k], want, len) == 0) {
				*last = j;
				return (long)k;
			}
	}
	return -1;
}

/* The keys of mapping n (or the ids of the entries of list n), in scratch. */
static const char **names_of(override *o, const tc_ynode *n, int ids)
{
	const char **names = ld_scratch(o->ld, (n->count ? n->count : 1) * sizeof *names);
	for (size_t i = 0; names && i < n->count; i++) {
		const tc_ynode *key = ids ? tc_ymap_get(n->items[i], "id") : n->items[2 * i];
		names[i] = key && key->type == TC_YSCALAR ? key->text : NULL;
	}
	return names;
}

/* A hint among names[0..n) for segment i, or NULL. */
static const char *hint(override *o, size_t i, const char **names, size_t n)
{
	size_t kept = 0;
	for (size_t k = 0; k < n; k++)
		if (names[k])
			names[kept++] = names[k];
	tc_ynode seg;
	if (segment_node(o, o->starts[i], o->ends[i], &seg))
		return NULL;
	return ld_suggest(o->ld, seg.text, names, kept);
}

/* Walk mapping n with segment i: its pair, a key to add, or an error.
 * Returns the segment after the key, or 0 after an error, -1 out of memory. */
static long map_step(override *o, const tc_ynode *n, size_t i)
{
	step *st = &o->steps[o->depth++];
	*st = (step){.node = n};
	const char **keys = names_of(o, n, 0);
	if (!keys)
		return -1;
	size_t last;
	long at = match(o, i, keys, n->count, &last);
	if (at >= 0) {
		st->slot = (size_t)at;
		return (long)last + 1;
	}
	if (i + 1 == o->count) {
		tc_ynode seg, *key;
		if (segment_node(o, o->starts[i], o->ends[i], &seg) ||
		    !(key = ld_copy_node(o->ld, &seg)))
			return -1;
		st->key = key;
		return (long)o->count;
	}
	tc_ynode seg;
	if (segment_node(o, o->starts[i], o->ends[i], &seg))
		return -1;
	if (o->depth == 1) {
		set_error(o, o->starts[i], "the scenario has no '%s' (only the last key of a path "
		          "may be missing)", LD_EX(&seg));
		return 0;
	}
	const char *close = hint(o, i, keys, n->count);
	if (close)
		set_error(o, o->starts[i], "%.*s has no key '%s' (did you mean '%s'?)", PREFIX(o, i),
		          LD_EX(&seg), close);
	else
		set_error(o, o->starts[i], "%.*s has no key '%s' (only the last key of a path may be "
		          "missing)", PREFIX(o, i), LD_EX(&seg));
	return 0;
}

/* Walk the entries of a listed section with segment i, by id. Returns as
 * map_step; *skip when the entry meant is one whose extends failed. */
static long entry_step(override *o, const tc_ynode *n, size_t i, const char *what, int *skip)
{
	step *st = &o->steps[o->depth++];
	*st = (step){.node = n};
	const char **ids = names_of(o, n, 1);
	if (!ids)
		return -1;
	size_t last;
	long at = match(o, i, ids, n->count, &last);
	if (at >= 0) {
		st->slot = (size_t)at;
		*skip = ld_extend_failed(o->ld, n->items[at]);
		return (long)last + 1;
	}
	/* An entry whose extends failed has no id unless it gives one: it may
	 * be the one meant, and its error is reported already. */
	for (size_t k = 0; k < n->count; k++)
		if (!ids[k] && ld_extend_failed(o->ld, n->items[k])) {
			*skip = 1;
			return (long)o->count;
		}
	tc_ynode seg;
	if (segment_node(o, o->starts[i], o->ends[i], &seg))
		return -1;
	const char *close = hint(o, i, ids, n->count);
	if (close)
		set_error(o, o->starts[i], "no %s '%s' (did you mean '%s'?)", what, LD_EX(&seg), close);
	else
		set_error(o, o->starts[i], "no %s '%s' in the scenario", what, LD_EX(&seg));
	return 0;
}

/* Walk a list with an item number (segment i). Returns as map_step. */
static long index_step(override *o, const tc_ynode *n, size_t i)
{
	step *st = &o->steps[o->depth++];
	*st = (step){.node = n};
	size_t index = 0, k = o->starts[i];
	int number = 1;
	for (; k < o->ends[i] && number; k++) {
		char c = o->text[k];
		number = c >= '0' && c <= '9' && index <= (SIZE_MAX - 9) / 10;
		index = index * 10 + (size_t)(c - '0');
	}
	if (number && index < n->count) {
		st->slot = index;
		return (long)i + 1;
	}
	tc_ynode seg;
	if (segment_node(o, o->starts[i], o->ends[i], &seg))
		return -1;
	if (n->count == 0)
		set_error(o, o->starts[i], "%.*s is an empty list: it has no item '%s'", PREFIX(o, i),
		          LD_EX(&seg));
	else
		set_error(o, o->starts[i], "%.*s is a list: expected an item number from 0 to %zu, "
		          "got '%s'", PREFIX(o, i), n->count - 1, LD_EX(&seg));
	return 0;
}

/*
 * Follow the path from root, filling o->steps. 1 when it leads somewhere,
 * 0 after an error or when the override is to be skipped silently, -1 out
 * of memory.
 */
static int walk(override *o, const tc_ynode *root)
{
	tc_ynode seg;
	const char *section = NULL;
	if (segment_node(o, o->starts[0], o->ends[0], &seg))
		return -1;
	for (size_t k = 0; k < LD_SECTION_COUNT; k++)
		if (strcmp(seg.text, ld_section_names[k]) == 0)
			section = ld_section_names[k];
	if (!section) {
		ld_unknown_name(o->ld, &seg, "section", ld_section_names, LD_SECTION_COUNT,
		                "exercise, kinds, actors, channels, incidents, meetings, doctrine, "
		                "injects, objectives or scripts");
		return 0;
	}
	if (strcmp(section, "include") == 0) {
		set_error(o, 0, "'include' cannot be overridden: the catalogues are read before "
		                "the overrides apply");
		return 0;
	}
	const char *what = NULL;
	for (size_t k = 0; k < sizeof listed / sizeof *listed; k++)
		if (strcmp(section, listed[k].section) == 0)
			what = listed[k].what;
	const tc_ynode *n = root;
	size_t i = 0;
	while (i < o->count) {
		long next;
		int skip = 0;
		if (n->type == TC_YMAP)
			next = map_step(o, n, i);
		else if (n->type == TC_YSEQ && o->depth == 1 && what)
			next = entry_step(o, n, i, what, &skip);
		else if (n->type == TC_YSEQ)
			next = index_step(o, n, i);
		else if (o->depth == 1 && strcmp(section, "doctrine") == 0) {
			set_error(o, o->starts[i], "the doctrine is a file ('%s'): its keys are not the "
			          "scenario's (set doctrine to another file, or give --doctrine)",
			          LD_EX(n));
			return 0;
		} else {
			if (segment_node(o, o->starts[i], o->ends[i], &seg))
				return -1;
			set_error(o, o->starts[i], "%.*s is a single value, not a mapping or a list: "
			          "it has no '%s'", PREFIX(o, i), LD_EX(&seg));
			return 0;
		}
		if (next <= 0)
			return (int)next;
		if (skip)
			return 0;
		const step *st = &o->steps[o->depth - 1];
		if (st->key)
			break;
		n = n->type == TC_YMAP ? n->items[2 * st->slot + 1] : n->items[st->slot];
		i = (size_t)next;
	}
	return 1;
}

/* Copy the containers of o->steps from the deepest up, the deepest with
 * value in its slot (NULL: the item removed). The new root. */
static const tc_ynode *rebuild(loader *ld, const step *steps, size_t depth,
                               const tc_ynode *value)
{
	const tc_ynode *below = value;
	for (size_t d = depth; d-- > 0;) {
		const step *st = &steps[d];
		const tc_ynode *n = st->node;
		size_t width = n->type == TC_YMAP ? 2 : 1, used = n->count * width;
		tc_ynode *copy = ld_copy_node(ld, n);
		tc_ynode **items = ld_scratch(ld, (used + 2) * sizeof *items);
		if (!copy || !items)
			return NULL;
		if (used)
			memcpy(items, n->items, used * sizeof *items);
		if (st->key) {
			assert(below && n->type == TC_YMAP);
			items[used] = (tc_ynode *)st->key;
			items[used + 1] = (tc_ynode *)below;
			copy->count++;
		} else if (!below) {
			size_t at = st->slot * width;
			memmove(items + at, items + at + width, (used - at - width) * sizeof *items);
			copy->count--;
		} else {
			items[st->slot * width + width - 1] = (tc_ynode *)below;
		}
		copy->items = copy->count ? items : NULL;
		below = copy;
	}
	return below;
}

const tc_ynode *ld_map_set(loader *ld, const tc_ynode *map, const tc_ynode *key,
                           const tc_ynode *value)
{
	assert(map->type == TC_YMAP && key->type == TC_YSCALAR && value);
	step st = {.node = map, .key = key};
	for (size_t i = 0; i < map->count; i++)
		if (strcmp(map->items[2 * i]->text, key->text) == 0)
			st = (step){.node = map, .slot = i};
	return rebuild(ld, &st, 1, value);
}

/*
 * The YAML reader's errors about the value, into the load's diagnostics.
 * libyaml counts a line end after the text, so the end of the option is
 * line 2, column 1 for it: there is no line 2 in an option.
 */
static void value_errors(override *o, const tc_diag *local)
{
	static const char end[] = "(started at line 2, column 1)";
	int end_column = column_of(o->text, strlen(o->text));
	for (size_t i = 0; i < local->count; i++) {
		const tc_diag_entry *e = &local->items[i];
		const char *at = strstr(e->message, end);
		int line = e->line > 1 ? 1 : e->line, column = e->line > 1 ? end_column : e->column;
		if (at)
			tc_diag_add(o->ld->diag, o->file, line, column, "%.*s(started at the end)%s",
			            (int)(at - e->message), e->message, at + sizeof end - 1);
		else
			tc_diag_add(o->ld->diag, o->file, line, column, "%s", e->message);
	}
	o->ld->diag->dropped += local->dropped;
}

/*
 * VALUE, parsed as the value of a one-pair mapping whose key is padded so
 * that every position in it is the position in the option: "v:" and spaces
 * up to VALUE's column. NULL after an error (o->ld->oom when out of memory).
 */
static const tc_ynode *parse_value(override *o, tc_ydoc *doc)
{
	loader *ld = o->ld;
	const char *value = o->text + o->path_len + 1;
	size_t value_len = strlen(value);
	int column = column_of(o->text, o->path_len + 1);
	assert(column >= 4); /* a section's name is longer than "v" */
	size_t pad = (size_t)column - 1, len = pad + value_len;
	char *text = tc_malloc(ld->alloc, len + 1);
	if (!text) {
		ld_oom(ld);
		return NULL;
	}
	memcpy(text, "v:", 2);
	memset(text + 2, ' ', pad - 2);
	memcpy(text + pad, value, value_len + 1);
	tc_diag local;
	tc_diag_init(&local, ld->diag->alloc);
	int rc = tc_ydoc_load_buffer(doc, ld->alloc, o->file, text, len, NULL, &local);
	tc_free(ld->alloc, text, len + 1);
	value_errors(o, &local);
	tc_diag_release(&local);
	ld_status(ld, rc);
	if (rc)
		return NULL;
	assert(doc->root->count == 1); /* one line holds one pair */
	return doc->root->items[1];
}

/* Apply one override to root: the new root, root itself when it does not
 * apply (reported, or skipped), NULL when out of memory. */
static const tc_ynode *apply(loader *ld, const tc_ynode *root, const char *text)
{
	override o = {.ld = ld, .text = text};
	size_t len = strlen(text);
	char *file = ld_scratch(ld, len + 7);
	if (!file)
		return NULL;
	snprintf(file, len + 7, "--set %s", text);
	o.file = file;
	const char *eq = strchr(text, '='), *line_break = strpbrk(text, "\r\n");
	if (line_break) {
		set_error(&o, (size_t)(line_break - text), "expected PATH=VALUE on one line, got a "
		          "line break");
		return root;
	}
	if (!eq) {
		set_error(&o, len, len ? "expected '=' and a value after the path (PATH=VALUE)"
		                       : "expected PATH=VALUE, got nothing");
		return root;
	}
	o.path_len = (size_t)(eq - text);
	if (o.path_len == 0) {
		set_error(&o, 0, "expected a path before '=' (PATH=VALUE)");
		return root;
	}
	int rc = split_path(&o);
	if (rc == 0)
		rc = walk(&o, root) == 1 ? 0 : 1;
	if (ld->oom)
		return NULL;
	if (rc)
		return root;
	assert(ld->set_doc_count < ld->set_doc_cap);
	tc_ydoc *doc = &ld->set_docs[ld->set_doc_count];
	const tc_ynode *value = parse_value(&o, doc);
	if (!value)
		return ld->oom ? NULL : root;
	ld->set_doc_count++;
	if (value->type == TC_YSCALAR && tc_yscalar_is_null(value)) {
		if (o.steps[o.depth - 1].key)
			return root; /* nothing to remove */
		value = NULL;
	}
	return rebuild(ld, o.steps, o.depth, value);
}

const tc_ynode *ld_override(loader *ld, const tc_ynode *root, const tc_load_options *opt)
{
	size_t n = opt ? opt->set_count : 0;
	if (!n)
		return root;
	assert(opt->sets);
	const char **copies = ld_alloc(ld, n * sizeof *copies);
	ld->set_docs = tc_calloc(ld->alloc, n, sizeof *ld->set_docs);
	if (!copies || !ld->set_docs) {
		ld_oom(ld);
		return NULL;
	}
	ld->set_doc_cap = n;
	for (size_t i = 0; i < n; i++) {
		assert(opt->sets[i]);
		if (!(copies[i] = tc_arena_strdup(ld->ar, opt->sets[i]))) {
			ld_oom(ld);
			return NULL;
		}
	}
	ld->s->sets = copies;
	ld->s->set_count = n;
	for (size_t i = 0; i < n && root; i++)
		root = apply(ld, root, opt->sets[i]);
	return root;
}

void ld_overrides_release(loader *ld)
{
	for (size_t i = 0; i < ld->set_doc_count; i++)
		tc_ydoc_release(&ld->set_docs[i]);
	tc_free(ld->alloc, ld->set_docs, ld->set_doc_cap * sizeof *ld->set_docs);
	ld->set_docs = NULL;
	ld->set_doc_count = ld->set_doc_cap = 0;
}

long ld_override_rank(const tc_load_options *opt, const char *file)
{
	if (!opt || strncmp(file, "--set ", 6) != 0)
		return -1;
	for (size_t i = 0; i < opt->set_count; i++)
		if (strcmp(file + 6, opt->sets[i]) == 0)
			return (long)i;
	return -1;
}
