/*
 * MSEL spreadsheets: export (scenario -> CSV) and import (CSV -> a YAML tree
 * of the cells -> the loader -> the scenario file's injects: rewritten).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "core/error.h"
#include "scenario/msel.h"
#include "scenario/yaml_tree.h"

enum {
	COL_ID, COL_TIME, COL_INCIDENT, COL_FROM, COL_TO, COL_CHANNEL, COL_KIND, COL_SEVERITY,
	COL_TLP, COL_SUBJECT, COL_DESCRIPTION, COL_EXPECTED, COL_OBJECTIVE, COL_ACTION, COL_ACTOR,
	COL_STAFF, COL_MEETING, COL_EVERY, COL_COUNT, COL_UNTIL,
};

const char *const tc_msel_columns[TC_MSEL_COLUMNS] = {
	[COL_ID] = "id", [COL_TIME] = "time", [COL_INCIDENT] = "incident", [COL_FROM] = "from",
	[COL_TO] = "to", [COL_CHANNEL] = "channel", [COL_KIND] = "kind",
	[COL_SEVERITY] = "severity", [COL_TLP] = "TLP", [COL_SUBJECT] = "subject",
	[COL_DESCRIPTION] = "description", [COL_EXPECTED] = "expected action",
	[COL_OBJECTIVE] = "objective", [COL_ACTION] = "action", [COL_ACTOR] = "actor",
	[COL_STAFF] = "staff", [COL_MEETING] = "meeting", [COL_EVERY] = "repeat every",
	[COL_COUNT] = "repeat count", [COL_UNTIL] = "repeat until",
};

/* The same in lower case, as headers are matched. */
static const char *const lower_columns[TC_MSEL_COLUMNS] = {
	"id", "time", "incident", "from", "to", "channel", "kind", "severity", "tlp", "subject",
	"description", "expected action", "objective", "action", "actor", "staff", "meeting",
	"repeat every", "repeat count", "repeat until",
};

/* The inject key each column fills; every, count and until go under repeat. */
static const char *const column_keys[TC_MSEL_COLUMNS] = {
	"id", "at", "incident", "from", "to", "channel", "kind", "severity", "tlp", "subject",
	"description", "expected", "objective", "action", "actor", "staff", "meeting",
	"every", "count", "until",
};

/* The order of an inject's keys in the YAML import writes (repeat last). */
static const int key_order[TC_MSEL_COLUMNS] = {
	COL_ID, COL_TIME, COL_ACTION, COL_SUBJECT, COL_INCIDENT, COL_FROM, COL_TO, COL_CHANNEL,
	COL_KIND, COL_SEVERITY, COL_TLP, COL_ACTOR, COL_STAFF, COL_MEETING, COL_DESCRIPTION,
	COL_EXPECTED, COL_OBJECTIVE, COL_EVERY, COL_COUNT, COL_UNTIL,
};

/* Free text is kept as written, blanks and all, and is never a number or null. */
static int is_text(int col)
{
	return col == COL_SUBJECT || col == COL_DESCRIPTION || col == COL_EXPECTED;
}

static int is_repeat(int col)
{
	return col == COL_EVERY || col == COL_COUNT || col == COL_UNTIL;
}

/* ---- export ---- */

static void add_time(tc_buf *b, tc_time t)
{
	char text[40];
	tc_time_format(t, text, sizeof text);
	tc_buf_adds(b, text);
}

/* Distribution parameters are whole milliseconds (the loader reads durations). */
static void add_duration(tc_buf *b, double ms)
{
	char text[40];
	tc_duration_format((int64_t)llround(ms), text, sizeof text);
	tc_buf_adds(b, text);
}

/* The weights of an empirical distribution are its probabilities, left out
 * when all are equal. */
static void add_empirical(tc_buf *b, const tc_dist *d)
{
	tc_buf_adds(b, ", values: [");
	for (size_t i = 0; i < d->n; i++) {
		if (i)
			tc_buf_adds(b, ", ");
		add_duration(b, d->values[i]);
	}
	tc_buf_addc(b, ']');
	int equal = 1;
	for (size_t i = 0; i < d->n; i++)
		equal &= d->cumulative[i] == (double)(i + 1) / (double)d->n;
	if (equal)
		return;
	tc_buf_adds(b, ", weights: [");
	for (size_t i = 0; i < d->n; i++) {
		if (i)
			tc_buf_adds(b, ", ");
		tc_buf_add_double(b, d->cumulative[i] - (i ? d->cumulative[i - 1] : 0.0));
	}
	tc_buf_addc(b, ']');
}

/* A fixed duration as a duration, any other distribution as a YAML flow
 * mapping as scenarios write it. */
static void add_dist(tc_buf *b, const tc_dist *d)
{
	static const char *const params[][3] = {
		[TC_DIST_FIXED] = {"value"},
		[TC_DIST_UNIFORM] = {"min", "max"},
		[TC_DIST_EXPONENTIAL] = {"mean"},
		[TC_DIST_NORMAL] = {"mean", "sd"},
		[TC_DIST_LOGNORMAL] = {"median", NULL, "p90"}, /* p[1] is sigma */
		[TC_DIST_TRIANGULAR] = {"min", "mode", "max"},
		[TC_DIST_EMPIRICAL] = {NULL},
	};
	if (d->kind == TC_DIST_FIXED) {
		add_duration(b, d->p[0]);
		return;
	}
	tc_buf_printf(b, "{dist: %s", tc_dist_kind_name(d->kind));
	if (d->kind == TC_DIST_EMPIRICAL)
		add_empirical(b, d);
	for (int i = 0; i < 3; i++)
		if (params[d->kind][i]) {
			tc_buf_printf(b, ", %s: ", params[d->kind][i]);
			add_duration(b, d->p[i]);
		}
	tc_buf_addc(b, '}');
}

static void add_id(tc_buf *b, const char *id)
{
	if (id)
		tc_buf_adds(b, id);
}

/* The text of one cell of inj's row; nothing for what does not apply. */
static void cell_text(const tc_scenario *s, const tc_inject_def *inj, int col, tc_buf *b)
{
	int message = inj->action == TC_INJECT_MESSAGE;
	int channel = inj->action == TC_INJECT_CHANNEL_DOWN || inj->action == TC_INJECT_CHANNEL_UP;
	switch (col) {
	case COL_ID: add_id(b, inj->id); break;
	case COL_TIME: add_time(b, inj->at); break;
	case COL_INCIDENT:
		if (inj->incident >= 0)
			add_id(b, s->incidents[inj->incident].id);
		break;
	case COL_FROM:
		if (message && inj->from >= 0)
			add_id(b, s->actors[inj->from].id);
		break;
	case COL_TO:
		for (size_t i = 0; message && i < inj->to_count; i++) {
			if (i)
				tc_buf_adds(b, ", ");
			add_id(b, s->actors[inj->to[i]].id);
		}
		break;
	case COL_CHANNEL:
		if (message && inj->channel >= 0)
			add_id(b, s->channels[inj->channel].id);
		else if (channel)
			add_id(b, s->channels[inj->target].id);
		break;
	case COL_KIND:
		if (message)
			add_id(b, s->kinds[inj->kind].name);
		break;
	case COL_SEVERITY:
		if (message)
			add_id(b, tc_severity_name(inj->severity));
		break;
	case COL_TLP:
		if (message)
			add_id(b, tc_tlp_name((tc_tlp)inj->tlp));
		break;
	case COL_SUBJECT: add_id(b, inj->subject); break;
	case COL_DESCRIPTION: add_id(b, inj->description); break;
	case COL_EXPECTED: add_id(b, inj->expected); break;
	case COL_OBJECTIVE:
		if (inj->objective >= 0)
			add_id(b, s->objectives[inj->objective].id);
		break;
	case COL_ACTION:
		if (!message)
			add_id(b, tc_inject_action_names[inj->action]);
		break;
	case COL_ACTOR:
		if (inj->action == TC_INJECT_SET_STAFF)
			add_id(b, s->actors[inj->target].id);
		break;
	case COL_STAFF:
		if (inj->action == TC_INJECT_SET_STAFF)
			tc_buf_add_i64(b, inj->staff);
		break;
	case COL_MEETING:
		if (inj->action == TC_INJECT_CONVENE)
			add_id(b, s->meetings[inj->target].id);
		break;
	case COL_EVERY:
		if (message && inj->repeats)
			add_dist(b, &inj->every);
		break;
	case COL_COUNT:
		if (message && inj->repeats && inj->count)
			tc_buf_add_u64(b, inj->count);
		break;
	case COL_UNTIL:
		if (message && inj->repeats && inj->until != TC_TIME_NEVER)
			add_time(b, inj->until);
		break;
	default: assert(0);
	}
}

int tc_msel_export(const tc_scenario *s, tc_buf *out)
{
	for (int col = 0; col < TC_MSEL_COLUMNS; col++) {
		if (col)
			tc_buf_addc(out, ',');
		tc_csv_add_field(out, tc_msel_columns[col], ',');
	}
	tc_buf_addc(out, '\n');
	tc_buf cell;
	tc_buf_init(&cell, out->alloc);
	for (size_t i = 0; i < s->inject_count && !out->failed; i++) {
		for (int col = 0; col < TC_MSEL_COLUMNS; col++) {
			tc_buf_reset(&cell);
			cell_text(s, &s->injects[i], col, &cell);
			if (col)
				tc_buf_addc(out, ',');
			tc_csv_add_field(out, cell.len ? cell.data : NULL, ',');
		}
		tc_buf_addc(out, '\n');
	}
	int failed = out->failed || cell.failed;
	tc_buf_release(&cell);
	return failed ? TC_ENOMEM : TC_OK;
}

/* ---- import: the CSV as a YAML tree ---- */

/* Nodes of the cells read as YAML, aliases expanded, all cells together:
 * the YAML reader's own bound for a whole file. */
#define MAX_CELL_NODES ((size_t)1000000)

typedef struct importer {
	tc_alloc *a;
	tc_arena ar;                  /* the tree */
	tc_diag *diag;
	const char *csv_name;         /* in ar: every node names it */
	int field_of[TC_MSEL_COLUMNS];    /* each column's field index, or -1 */
	const tc_csv_row *header;
	size_t cell_nodes;            /* see MAX_CELL_NODES */
	int status;                   /* TC_ENOMEM or TC_ELIMIT when that is why it failed */
} importer;

static void out_of_memory(importer *im)
{
	if (im->status != TC_ENOMEM)
		tc_diag_add(im->diag, im->csv_name, 0, 0, "out of memory reading the MSEL");
	im->status = TC_ENOMEM;
}

static tc_ynode *new_node(importer *im, tc_ynode_type type, int row, int column)
{
	tc_ynode *n = tc_arena_alloc(&im->ar, sizeof *n);
	if (!n) {
		out_of_memory(im);
		return NULL;
	}
	n->type = type;
	n->file = im->csv_name;
	n->line = row;
	n->column = column;
	return n;
}

static tc_ynode *new_scalar(importer *im, const char *text, size_t len, int plain, int row,
                            int column)
{
	tc_ynode *n = new_node(im, TC_YSCALAR, row, column);
	char *copy = n ? tc_arena_strndup(&im->ar, text, len) : NULL;
	if (!copy) {
		out_of_memory(im);
		return NULL;
	}
	n->text = copy;
	n->len = len;
	n->plain = plain;
	return n;
}

/* items[0..count) copied into the arena (NULL for none). */
static int set_items(importer *im, tc_ynode *n, tc_ynode *const *items, size_t count)
{
	if (!count)
		return 0;
	n->items = tc_arena_alloc(&im->ar, count * sizeof *n->items);
	if (!n->items) {
		out_of_memory(im);
		return -1;
	}
	memcpy(n->items, items, count * sizeof *items);
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void trim(const char **text, size_t *len)
{
	while (*len && is_space((*text)[0]))
		(*text)++, (*len)--;
	while (*len && is_space((*text)[*len - 1]))
		(*len)--;
}

/* A short printable excerpt of text for messages. */
static const char *excerpt(char out[TC_YEXCERPT_CAP], const char *text, size_t len)
{
	tc_ynode n = {.type = TC_YSCALAR, .text = text, .len = len};
	return tc_yexcerpt(out, &n);
}

/* Recipients: ids separated by commas, semicolons or blanks (ids never hold
 * them); one id is a scalar, several a sequence. */
static tc_ynode *recipients(importer *im, const char *text, size_t len, int row, int column)
{
	static const char separators[] = ",; \t\n\r";
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		count += !strchr(separators, text[i]) && (i == 0 || strchr(separators, text[i - 1]));
	tc_ynode *seq = count == 1 ? NULL : new_node(im, TC_YSEQ, row, column);
	if (count != 1 && (!seq || (count && !(seq->items = tc_arena_alloc(&im->ar,
	                                                        count * sizeof *seq->items))))) {
		out_of_memory(im);
		return NULL;
	}
	for (size_t i = 0; i < len;) {
		if (strchr(separators, text[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && !strchr(separators, text[i]))
			i++;
		tc_ynode *id = new_scalar(im, text + start, i - start, 1, row, column);
		if (!id || count == 1)
			return id;
		seq->items[seq->count++] = id;
	}
	return seq;
}

/* A copy of a cell's YAML tree, every node at the cell. */
static tc_ynode *copy_tree(importer *im, const tc_ynode *n, int row, int column)
{
	tc_ynode *c = n->type == TC_YSCALAR ? new_scalar(im, n->text, n->len, n->plain, row, column)
	                                    : new_node(im, n->type, row, column);
	if (!c || n->type == TC_YSCALAR)
		return c;
	size_t k = n->type == TC_YMAP ? 2 * n->count : n->count;
	if (k && !(c->items = tc_arena_alloc(&im->ar, k * sizeof *c->items))) {
		out_of_memory(im);
		return NULL;
	}
	for (size_t i = 0; i < k; i++)
		if (!(c->items[i] = copy_tree(im, n->items[i], row, column)))
			return NULL;
	c->count = n->count;
	return c;
}

/* A cell holding a YAML flow mapping ({dist: exponential, mean: 10m}): read
 * by the YAML reader, its errors moved to the cell. */
static tc_ynode *yaml_cell(importer *im, const char *text, size_t len, int row, int column)
{
	tc_ylimits lim;
	tc_ylimits_default(&lim);
	lim.max_nodes = MAX_CELL_NODES - im->cell_nodes;
	tc_diag local;
	tc_diag_init(&local, im->a);
	tc_ydoc doc;
	int rc = tc_ydoc_load_buffer(&doc, im->a, "cell", text, len, &lim, &local);
	int multiline = memchr(text, '\n', len) != NULL;
	for (size_t i = 0; i < local.count; i++) {
		const tc_diag_entry *e = &local.items[i];
		if (multiline)
			tc_diag_add(im->diag, im->csv_name, row, column, "in this cell, line %d "
			            "column %d: %s", e->line, e->column, e->message);
		else if (e->line > 1) /* past the text: the reader counts a last line end */
			tc_diag_add(im->diag, im->csv_name, row, column, "at the end of this cell: %s",
			            e->message);
		else
			tc_diag_add(im->diag, im->csv_name, row, column, "in this cell, at character "
			            "%d: %s", e->column, e->message);
	}
	tc_diag_release(&local);
	if (rc == TC_ENOMEM || rc == TC_ELIMIT)
		im->status = rc;
	if (rc) {
		if (rc == TC_ENOMEM)
			out_of_memory(im);
		return NULL;
	}
	im->cell_nodes += doc.nodes;
	tc_ynode *copy = copy_tree(im, doc.root, row, column);
	tc_ydoc_release(&doc);
	return copy;
}

/* The value of a non-blank cell. */
static tc_ynode *cell_value(importer *im, int col, const tc_csv_field *f, int row, int column)
{
	if (is_text(col))
		return new_scalar(im, f->text, f->len, 0, row, column);
	const char *text = f->text;
	size_t len = f->len;
	trim(&text, &len);
	if (col == COL_TO)
		return recipients(im, text, len, row, column);
	if (col == COL_EVERY && text[0] == '{')
		return yaml_cell(im, text, len, row, column);
	return new_scalar(im, text, len, 1, row, column);
}

static int same_name(const char *a, size_t len, const char *lower)
{
	size_t i = 0;
	for (; i < len && lower[i]; i++) {
		char c = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] - 'A' + 'a') : a[i];
		if (c != lower[i])
			return 0;
	}
	return i == len && !lower[i];
}

static void unknown_column(importer *im, const char *name, size_t len, int column)
{
	char ex[TC_YEXCERPT_CAP], lower[TC_YEXCERPT_CAP];
	excerpt(ex, name, len);
	const char *hint = NULL;
	/* A scenario's key for a column named otherwise (at, expected...). */
	for (int col = 0; col < TC_MSEL_COLUMNS && !hint; col++)
		if (same_name(name, len, column_keys[col]) && strcmp(column_keys[col], lower_columns[col]))
			hint = tc_msel_columns[col];
	if (!hint && len < sizeof lower) {
		for (size_t i = 0; i <= len; i++)
			lower[i] = i < len && name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a')
			                                                        : (i < len ? name[i] : '\0');
		const char *near = tc_suggest(lower, lower_columns, TC_MSEL_COLUMNS);
		for (int col = 0; near && col < TC_MSEL_COLUMNS; col++)
			if (near == lower_columns[col])
				hint = tc_msel_columns[col];
	}
	if (hint)
		tc_diag_add(im->diag, im->csv_name, im->header->number, column,
		            "unknown column '%s' (did you mean '%s'?)", ex, hint);
	else
		tc_diag_add(im->diag, im->csv_name, im->header->number, column,
		            "unknown column '%s' (expected id, time, incident, from, to, channel, kind, "
		            "severity, TLP, subject, description, expected action, objective, action, "
		            "actor, staff, meeting, repeat every, repeat count or repeat until)", ex);
}

/* Map the header's names to columns: case and surrounding blanks do not
 * matter; unknown and repeated names are errors; id and time are required. */
static int read_header(importer *im, const tc_csv_row *h)
{
	int rc = 0;
	im->header = h;
	for (int col = 0; col < TC_MSEL_COLUMNS; col++)
		im->field_of[col] = -1;
	for (size_t i = 0; i < h->count; i++) {
		const char *name = h->fields[i].text;
		size_t len = h->fields[i].len;
		trim(&name, &len);
		if (!len)
			continue; /* an unnamed column must stay empty (read_row) */
		int col = 0;
		while (col < TC_MSEL_COLUMNS && !same_name(name, len, lower_columns[col]))
			col++;
		if (col == TC_MSEL_COLUMNS) {
			unknown_column(im, name, len, (int)i + 1);
			rc = -1;
		} else if (im->field_of[col] >= 0) {
			tc_diag_add(im->diag, im->csv_name, h->number, (int)i + 1, "column '%s' is "
			            "already column %d", tc_msel_columns[col], im->field_of[col] + 1);
			rc = -1;
		} else {
			im->field_of[col] = (int)i;
		}
	}
	for (int col = COL_ID; col <= COL_TIME; col++)
		if (im->field_of[col] < 0) {
			tc_diag_add(im->diag, im->csv_name, h->number, 1, "no '%s' column: the header "
			            "names the columns, id and time at least", tc_msel_columns[col]);
			rc = -1;
		}
	return rc;
}

/* One row as an inject's mapping: a key per non-blank cell, the repeat
 * cells in a repeat mapping. NULL after reporting an error. */
static tc_ynode *read_row(importer *im, const tc_csv_row *r)
{
	int rc = 0;
	for (size_t i = 0; i < r->count; i++) {
		const char *text = r->fields[i].text;
		size_t len = r->fields[i].len;
		trim(&text, &len);
		int named = 0;
		for (int col = 0; col < TC_MSEL_COLUMNS && !named; col++)
			named = im->field_of[col] == (int)i;
		if (len && !named) {
			tc_diag_add(im->diag, im->csv_name, r->number, (int)i + 1,
			            "a value in a column without a name in the header");
			rc = -1;
		}
	}
	tc_ynode *items[2 * TC_MSEL_COLUMNS], *repeat[6];
	size_t count = 0, repeat_count = 0;
	int repeat_column = 0;
	for (int k = 0; k < TC_MSEL_COLUMNS; k++) {
		int col = key_order[k], f = im->field_of[col];
		if (f < 0 || (size_t)f >= r->count)
			continue;
		const tc_csv_field *field = &r->fields[f];
		const char *text = field->text;
		size_t len = field->len;
		trim(&text, &len);
		if (!len)
			continue; /* an empty cell: the key is absent */
		tc_ynode *key = new_scalar(im, column_keys[col], strlen(column_keys[col]), 1,
		                           r->number, f + 1);
		tc_ynode *value = key ? cell_value(im, col, field, r->number, f + 1) : NULL;
		if (!value) {
			rc = -1;
			continue;
		}
		if (is_repeat(col)) {
			repeat_column = repeat_column ? repeat_column : f + 1;
			repeat[repeat_count++] = key;
			repeat[repeat_count++] = value;
		} else {
			items[count++] = key;
			items[count++] = value;
		}
	}
	if (repeat_count && !rc) {
		tc_ynode *map = new_node(im, TC_YMAP, r->number, repeat_column);
		tc_ynode *key = new_scalar(im, "repeat", 6, 1, r->number, repeat_column);
		if (!map || !key || set_items(im, map, repeat, repeat_count))
			return NULL;
		map->count = repeat_count / 2;
		items[count++] = key;
		items[count++] = map;
	}
	tc_ynode *map = rc ? NULL : new_node(im, TC_YMAP, r->number, im->field_of[COL_ID] + 1);
	if (!map || set_items(im, map, items, count))
		return NULL;
	map->count = count / 2;
	return map;
}

/* The injects: a sequence of the rows' mappings, NULL after errors. */
static tc_ynode *read_rows(importer *im, const tc_csv *csv)
{
	if (!csv->row_count) {
		tc_diag_add(im->diag, im->csv_name, 0, 0, "no header row: the file has no rows");
		return NULL;
	}
	if (read_header(im, &csv->rows[0]))
		return NULL;
	size_t n = csv->row_count - 1;
	tc_ynode *seq = new_node(im, TC_YSEQ, csv->rows[0].number, 1);
	if (!seq || (n && !(seq->items = tc_arena_alloc(&im->ar, n * sizeof *seq->items)))) {
		out_of_memory(im);
		return NULL;
	}
	int rc = 0;
	for (size_t i = 0; i < n && im->status != TC_ENOMEM; i++) {
		const tc_csv_row *r = &csv->rows[i + 1];
		int blank = 1;
		for (size_t k = 0; k < r->count && blank; k++) {
			const char *text = r->fields[k].text;
			size_t len = r->fields[k].len;
			trim(&text, &len);
			blank = len == 0;
		}
		if (blank)
			continue; /* blanks only, as a spreadsheet's empty row may be */
		tc_ynode *map = read_row(im, r);
		if (map)
			seq->items[seq->count++] = map;
		else
			rc = -1;
	}
	return rc || im->status ? NULL : seq;
}

/* ---- import: writing the YAML ---- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A YAML 1.2 core integer or float, safe unquoted anywhere. */
static int is_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < len && is_digit(s[i]))
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && is_digit(s[i]))
			i++, digits++;
	}
	if (!digits)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == len || !is_digit(s[i]))
			return 0;
		while (i < len && is_digit(s[i]))
			i++;
	}
	return i == len;
}

/*
 * A double-quoted YAML scalar: nothing a cell holds can end it or start a
 * new key. Escaped: the quote, the backslash, every control character, and
 * the characters YAML reads as line breaks (U+0085, U+2028, U+2029) or
 * refuses (U+FEFF, U+FFFE, U+FFFF). The text is UTF-8 (the CSV reader and
 * the YAML reader check it).
 */
static void add_quoted(tc_buf *b, const char *text, size_t len)
{
	tc_buf_addc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		const unsigned char *u = (const unsigned char *)text + i;
		size_t rest = len - i;
		switch (c) {
		case '"': tc_buf_adds(b, "\\\""); continue;
		case '\\': tc_buf_adds(b, "\\\\"); continue;
		case '\n': tc_buf_adds(b, "\\n"); continue;
		case '\t': tc_buf_adds(b, "\\t"); continue;
		case '\r': tc_buf_adds(b, "\\r"); continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			tc_buf_printf(b, "\\x%02X", c);
		} else if (c == 0xC2 && rest >= 2 && u[1] >= 0x80 && u[1] <= 0x9F) {
			tc_buf_printf(b, "\\x%02X", u[1]); /* C1 controls, U+0085 among them */
			i++;
		} else if (c == 0xE2 && rest >= 3 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9)) {
			tc_buf_adds(b, u[2] == 0xA8 ? "\\L" : "\\P");
			i += 2;
		} else if (c == 0xEF && rest >= 3 && ((u[1] == 0xBB && u[2] == 0xBF) ||
		                                      (u[1] == 0xBF && u[2] >= 0xBE))) {
			tc_buf_printf(b, "\\u%s", u[1] == 0xBB ? "FEFF" : u[2] == 0xBE ? "FFFE" : "FFFF");
			i += 2;
		} else {
			tc_buf_addc(b, (char)c);
		}
	}
	tc_buf_addc(b, '"');
}

/* Unquoted only what must stay a number; every other scalar quoted. */
static void add_scalar(tc_buf *b, const tc_ynode *n)
{
	if (n->plain && is_number(n->text, n->len))
		tc_buf_add(b, n->text, n->len);
	else
		add_quoted(b, n->text, n->len);
}

/* A value in flow style; own_keys: keys import wrote itself, unquoted. */
static void add_value(tc_buf *b, const tc_ynode *n, int own_keys)
{
	if (n->type == TC_YSCALAR) {
		add_scalar(b, n);
		return;
	}
	tc_buf_addc(b, n->type == TC_YMAP ? '{' : '[');
	for (size_t i = 0; i < n->count; i++) {
		if (i)
			tc_buf_adds(b, ", ");
		if (n->type == TC_YSEQ) {
			add_value(b, n->items[i], 0);
			continue;
		}
		if (own_keys)
			tc_buf_add(b, n->items[2 * i]->text, n->items[2 * i]->len);
		else
			add_scalar(b, n->items[2 * i]);
		tc_buf_adds(b, ": ");
		add_value(b, n->items[2 * i + 1], 0);
	}
	tc_buf_addc(b, n->type == TC_YMAP ? '}' : ']');
}

/* The injects: section: a block mapping per inject, a blank line between. */
static void add_section(tc_buf *b, const tc_ynode *seq, const char *eol)
{
	if (!seq->count) {
		tc_buf_printf(b, "injects: []%s", eol);
		return;
	}
	tc_buf_printf(b, "injects:%s", eol);
	for (size_t i = 0; i < seq->count; i++) {
		const tc_ynode *map = seq->items[i];
		if (i)
			tc_buf_adds(b, eol);
		for (size_t k = 0; k < map->count; k++) {
			const tc_ynode *key = map->items[2 * k], *value = map->items[2 * k + 1];
			tc_buf_adds(b, k ? "    " : "  - ");
			tc_buf_add(b, key->text, key->len);
			tc_buf_adds(b, ": ");
			add_value(b, value, strcmp(key->text, "repeat") == 0);
			tc_buf_adds(b, eol);
		}
	}
}

/* Where lines start, as the YAML reader counts them: after LF, CRLF, a lone
 * CR, U+0085, U+2028 and U+2029. starts[k] is line k+1, starts[*count] ==
 * len; *cap for freeing. */
static size_t *line_starts(tc_alloc *a, const char *text, size_t len, size_t *count,
                           size_t *cap)
{
	size_t n = 0;
	size_t *starts = NULL;
	*cap = 0;
	if (tc_grow(a, (void **)&starts, cap, 64, sizeof *starts))
		return NULL;
	starts[n++] = 0;
	for (size_t i = 0; i < len;) {
		const unsigned char *u = (const unsigned char *)text + i;
		size_t rest = len - i, brk = 0;
		if (u[0] == '\r')
			brk = rest >= 2 && u[1] == '\n' ? 2 : 1;
		else if (u[0] == '\n')
			brk = 1;
		else if (u[0] == 0xC2 && rest >= 2 && u[1] == 0x85)
			brk = 2;
		else if (u[0] == 0xE2 && rest >= 3 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
			brk = 3;
		i += brk ? brk : 1;
		if (brk && i < len) {
			/* Room for this start and the final len. */
			if (n + 1 >= *cap && tc_grow(a, (void **)&starts, cap, n + 2, sizeof *starts)) {
				tc_free(a, starts, *cap * sizeof *starts);
				return NULL;
			}
			starts[n++] = i;
		}
	}
	starts[n] = len;
	*count = n;
	return starts;
}

/* A line that is blank or a comment starting at column 1. */
static int comment_or_blank(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i == len || line[i] == '\r' || line[i] == '\n' || line[0] == '#';
}

/*
 * The bytes [*start, *end) of the top-level injects: section of the
 * scenario text: from the line of its key to the next top-level key or the
 * end, less the comment and blank lines just before that. *found 0 when the
 * scenario has no injects: key.
 */
static int section_range(importer *im, const char *name, const char *text, size_t len,
                         size_t *start, size_t *end, int *found)
{
	tc_ydoc doc;
	int rc = tc_ydoc_load_buffer(&doc, im->a, name, text, len, NULL, im->diag);
	if (rc)
		return rc;
	const tc_ynode *root = doc.root, *key = NULL;
	for (size_t i = 0; i < root->count; i++)
		if (strcmp(root->items[2 * i]->text, "injects") == 0)
			key = root->items[2 * i];
	*found = key != NULL;
	*start = *end = len;
	if (!key) {
		tc_ydoc_release(&doc);
		return TC_OK;
	}
	size_t next = 0; /* the line of the next top-level key, 0 for none */
	for (size_t i = 0; i < root->count; i++) {
		size_t line = (size_t)root->items[2 * i]->line;
		if (line > (size_t)key->line && (!next || line < next))
			next = line;
	}
	size_t key_line = (size_t)key->line, key_column = (size_t)key->column;
	tc_ydoc_release(&doc);
	if (key_column != 1) {
		tc_diag_add(im->diag, name, (int)key_line, (int)key_column, "cannot replace this "
		            "injects: section: the scenario's top-level keys must start at column 1 "
		            "(a block mapping)");
		return TC_EINVAL;
	}
	size_t count, cap;
	size_t *starts = line_starts(im->a, text, len, &count, &cap);
	if (!starts) {
		out_of_memory(im);
		return TC_ENOMEM;
	}
	assert(key_line >= 1 && key_line <= count && next <= count);
	size_t last = next ? next - 1 : count; /* index of the first line kept after */
	while (last > key_line && comment_or_blank(text + starts[last - 1],
	                                           starts[last] - starts[last - 1]))
		last--;
	*start = starts[key_line - 1];
	*end = starts[last];
	tc_free(im->a, starts, cap * sizeof *starts);
	return TC_OK;
}

/* The splice: the text before the section, the new section, the rest. */
static int write_scenario(importer *im, const tc_ynode *seq, const char *name, const char *text,
                          size_t len, tc_buf *out)
{
	size_t start, end;
	int found;
	int rc = section_range(im, name, text, len, &start, &end, &found);
	if (rc)
		return rc;
	/* The file's own line ends. */
	const char *lf = memchr(text, '\n', len);
	const char *eol = lf && lf > text && lf[-1] == '\r' ? "\r\n" : "\n";
	tc_buf_add(out, text, start);
	if (!found && len) {
		if (text[len - 1] != '\n')
			tc_buf_adds(out, eol);
		tc_buf_adds(out, eol); /* a blank line before the new section */
	}
	add_section(out, seq, eol);
	tc_buf_add(out, text + end, len - end);
	if (out->failed) {
		out_of_memory(im);
		return TC_ENOMEM;
	}
	return TC_OK;
}

static int same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_dist(const tc_dist *a, const tc_dist *b)
{
	if (a->kind != b->kind || memcmp(a->p, b->p, sizeof a->p) != 0 || a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->values[i] != b->values[i] || a->cumulative[i] != b->cumulative[i])
			return 0;
	return 1;
}

/* Whether two loads resolved to the same injects. */
static int same_injects(const tc_scenario *a, const tc_scenario *b)
{
	if (a->inject_count != b->inject_count)
		return 0;
	for (size_t i = 0; i < a->inject_count; i++) {
		const tc_inject_def *x = &a->injects[i], *y = &b->injects[i];
		if (!same_text(x->id, y->id) || x->action != y->action || x->entity != y->entity ||
		    x->at != y->at || x->incident != y->incident || !same_text(x->subject, y->subject) ||
		    x->objective != y->objective || x->from != y->from || x->to_count != y->to_count ||
		    (x->to_count && memcmp(x->to, y->to, x->to_count * sizeof *x->to) != 0) ||
		    x->kind != y->kind || x->severity != y->severity || x->tlp != y->tlp ||
		    x->channel != y->channel || !same_text(x->description, y->description) ||
		    !same_text(x->expected, y->expected) || x->repeats != y->repeats ||
		    (x->repeats && (!same_dist(&x->every, &y->every) || x->count != y->count ||
		                    x->until != y->until)) ||
		    x->target != y->target || x->staff != y->staff)
			return 0;
	}
	return 1;
}

/* The last check: the text written loads, to the injects the CSV gave. */
static int check_result(importer *im, const char *name, const tc_buf *text,
                        const tc_scenario *expected)
{
	tc_diag local;
	tc_diag_init(&local, im->a);
	tc_scenario *s = NULL;
	int rc = tc_scenario_load_buffer(&s, im->a, name, text->data, text->len, NULL, &local);
	for (size_t i = 0; i < local.count; i++)
		tc_diag_add(im->diag, local.items[i].file, local.items[i].line, local.items[i].column,
		            "%s", local.items[i].message);
	tc_diag_release(&local);
	if (rc == TC_ENOMEM) {
		out_of_memory(im);
	} else if (rc) {
		tc_diag_add(im->diag, name, 0, 0, "with the imported injects, the scenario would not "
		            "load (above); nothing was written");
	} else if (!same_injects(expected, s)) {
		tc_diag_add(im->diag, name, 0, 0, "with the imported injects, the scenario would "
		            "resolve to other injects than those checked (a bug); nothing was "
		            "written");
		rc = TC_EINVAL;
	}
	tc_scenario_free(s);
	return rc;
}

int tc_msel_import(tc_alloc *a, const char *csv_name, const char *csv, size_t csv_len,
                   const char *scenario_name, const char *yaml, size_t yaml_len,
                   tc_msel_import_result *out, tc_diag *diag)
{
	memset(out, 0, sizeof *out);
	importer im = {.a = a, .diag = diag};
	tc_arena_init(&im.ar, a);
	tc_csv table;
	memset(&table, 0, sizeof table);
	tc_scenario *s = NULL;
	tc_buf text;
	tc_buf_init(&text, a);
	int rc = TC_OK;
	if (!(im.csv_name = tc_arena_strdup(&im.ar, csv_name ? csv_name : "<msel>"))) {
		tc_diag_add(diag, csv_name ? csv_name : "<msel>", 0, 0, "out of memory");
		rc = TC_ENOMEM;
	}
	if (!rc)
		rc = tc_csv_parse(&table, a, im.csv_name, csv, csv_len, NULL, diag);
	const tc_ynode *seq = rc ? NULL : read_rows(&im, &table);
	if (!rc && !seq)
		rc = im.status ? im.status : TC_EINVAL;
	if (!rc) {
		tc_load_options opt = {.injects = seq};
		rc = tc_scenario_load_buffer(&s, a, scenario_name, yaml, yaml_len, &opt, diag);
	}
	if (!rc)
		rc = write_scenario(&im, seq, scenario_name, yaml, yaml_len, &text);
	if (!rc)
		rc = check_result(&im, scenario_name, &text, s);
	if (!rc) {
		/* Exactly len + 1 bytes, for the caller to free. */
		out->text = tc_malloc(a, text.len + 1);
		if (out->text) {
			memcpy(out->text, text.data, text.len + 1);
			out->len = text.len;
			out->inject_count = s->inject_count;
		} else {
			out_of_memory(&im);
			rc = TC_ENOMEM;
		}
	}
	tc_buf_release(&text);
	tc_scenario_free(s);
	tc_csv_release(&table);
	tc_arena_release(&im.ar);
	return rc;
}
