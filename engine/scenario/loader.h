/*
 * Internal to the scenario loader: the state shared by its files and the
 * typed readers that turn YAML nodes into model values, each reporting
 * file:line:column and what was expected.
 */
#ifndef TC_SCENARIO_LOADER_H
#define TC_SCENARIO_LOADER_H

#include "core/strmap.h"
#include "scenario/scenario.h"
#include "scenario/yaml_tree.h"

enum { LD_ACTORS, LD_CHANNELS, LD_INCIDENTS, LD_MEETINGS, LD_INJECTS, LD_OBJECTIVES, LD_KINDS,
       LD_MAP_COUNT };

/* What an actor's schedule needs until the exercise span is known. */
typedef struct actor_schedule {
	tc_weekly weekly;
	int64_t *holidays;
	size_t holiday_count;
	const tc_tz *tz;
} actor_schedule;

/* The sections a catalogue may define (docs/scenario.md, "include"). */
enum { LD_CAT_ACTORS, LD_CAT_CHANNELS, LD_CAT_MEETINGS, LD_CAT_SECTIONS };

/* The catalogues a scenario includes, kept until its load ends: merged
 * entries point into their trees. */
typedef struct ld_catalogues {
	tc_ydoc *docs;
	size_t count;
	int include_failed;                     /* a catalogue could not be read */
	tc_arena scratch;                       /* merged entries, node lists */
	tc_strmap ids[LD_CAT_SECTIONS];         /* id -> index in entries */
	const tc_ynode **entries[LD_CAT_SECTIONS];
	size_t entry_count[LD_CAT_SECTIONS], entry_cap[LD_CAT_SECTIONS];
	const tc_ynode **failed;                /* entries whose extends failed */
	size_t failed_count, failed_cap;
	int unnamed[LD_MAP_COUNT];              /* such an entry without an id */
} ld_catalogues;

/* Cells of edit-distance tables all "did you mean" hints of one load may
 * fill: a fraction of a second, thousands of hints in a realistic file. */
#define LD_SUGGEST_BUDGET ((size_t)100 * 1000 * 1000)

typedef struct loader {
	tc_alloc *alloc;
	tc_diag *diag;
	tc_scenario *s;
	tc_arena *ar;            /* the scenario's arena */
	const tc_ydoc *doc;      /* the file being read (scenario or doctrine) */
	tc_strmap ids[LD_MAP_COUNT];
	int oom;
	int status;              /* TC_ELIMIT, TC_EIO... when the load failed for that reason */
	size_t suggest_budget;   /* edit-distance cells left for "did you mean" hints */
	actor_schedule *schedules;   /* one per actor, freed after load */
	ld_catalogues cat;
	tc_ydoc *set_docs;       /* the overrides' values, until the load ends */
	size_t set_doc_count, set_doc_cap;
} loader;

/* The scenario's top-level keys (its sections), in the order the reference
 * lists them. */
extern const char *const ld_section_names[];
enum { LD_SECTION_COUNT = 11 };

/* Parse YAML text named name (in diagnostics), with the SHA-256 of its bytes. */
int ld_parse_yaml(loader *ld, const char *name, const char *data, size_t len, tc_ydoc *doc,
                  char sha256[65]);
/* Read and parse a YAML file. */
int ld_read_yaml(loader *ld, const char *path, tc_ydoc *doc, char sha256[65]);
/* Record why the load fails when it is more specific than TC_EINVAL. */
void ld_status(loader *ld, int code);

/* Files named by other files (a doctrine, scripts). */

/* A file name: a non-empty string ("expected a WHAT name, got ..."). *out
 * is n's text. */
int ld_file_name(loader *ld, const tc_ynode *n, const char *what, const char **out);
/* path relative to the directory of the file base that names it (an
 * absolute path stays as it is), in the arena. NULL when out of memory. */
const char *ld_resolve_path(loader *ld, const char *base, const char *path);

/* A file's identity, to recognise one file named twice under two spellings. */
typedef struct ld_file_id {
	uint64_t dev, ino;
	int known;               /* 0: it could not be stat'ed */
} ld_file_id;

/*
 * A file named by a scenario or a doctrine comes with it, from wherever that
 * came from: it is read only when it is a non-empty regular file. A FIFO or
 * a device would block the loader or never end, and special files such as
 * those of /proc show as empty regular files. (A path given on the command
 * line is the user's own and may be anything readable, /dev/fd/N included.)
 * Errors at node: "cannot open WHAT 'path': ...", "WHAT 'path' is not a
 * regular file", "WHAT 'path' is empty (expected EXPECTED)". id (may be
 * NULL) receives the file's identity.
 */
int ld_check_named_file(loader *ld, const tc_ynode *node, const char *path, const char *what,
                        const char *expected, ld_file_id *id);
/* The identity of path, unknown when it cannot be stat'ed (the read that
 * follows reports why). Never blocks, whatever the file is. */
void ld_file_identity(const char *path, ld_file_id *id);

/* The zone named by n (loaded once per scenario). */
const tc_tz *ld_zone(loader *ld, const tc_ynode *n);

/* A short printable excerpt of scalar n for a message, in a buffer that
 * lives until the end of the enclosing full expression's block. */
#define LD_EX(n) tc_yexcerpt((char[TC_YEXCERPT_CAP]){0}, (n))

/* The file node n was read from (the current file's name when n is NULL). */
const char *ld_node_file(const loader *ld, const tc_ynode *n);
/* A "did you mean" hint for word among names[0..n), or NULL: none is close,
 * the diagnostics are full or the load's budget of hints is spent. */
const char *ld_suggest(loader *ld, const char *word, const char *const *names, size_t n);
/* Report an error at node n, in n's file. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void ld_error(loader *ld, const tc_ynode *n, const char *fmt, ...);
/* Report msg at byte offset inside scalar n (a parser's error offset). */
void ld_error_at(loader *ld, const tc_ynode *n, size_t offset, const char *msg);
/* Allocation from the scenario arena; records out-of-memory. */
void *ld_alloc(loader *ld, size_t n);
void ld_oom(loader *ld);

/* Readers: return 0 on success, -1 after reporting an error. */
int ld_expect(loader *ld, const tc_ynode *n, tc_ynode_type type, const char *what);
/* Report every unknown key of map; -1 when there was one. Callers go on
 * reading the known keys (the load still fails: any diagnostic refuses the
 * scenario) but may skip checks that would only echo the unknown key. */
int ld_keys(loader *ld, const tc_ynode *map, const char *const *allowed, size_t n, const char *what);
const tc_ynode *ld_required(loader *ld, const tc_ynode *map, const char *key, const char *what);
int ld_string(loader *ld, const tc_ynode *n, const char *what, const char **out);
int ld_id(loader *ld, const tc_ynode *n, const char *what, const char **out);
int ld_int(loader *ld, const tc_ynode *n, int64_t min, int64_t max, int64_t *out);
int ld_bool(loader *ld, const tc_ynode *n, int *out);
int ld_probability(loader *ld, const tc_ynode *n, double *out);
int ld_duration(loader *ld, const tc_ynode *n, tc_duration *out);
/* A duration in milliseconds: calendar months are refused. */
int ld_span(loader *ld, const tc_ynode *n, tc_time *out);
/* An exercise time: a T+ offset or duration from T+0, or an absolute date-time. */
int ld_time(loader *ld, const tc_ynode *n, tc_time *out);
int ld_dist(loader *ld, const tc_ynode *n, tc_dist *out);
int ld_level(loader *ld, const tc_ynode *n, tc_level *out);
/* The level after `prefix` bytes of scalar n ("level:NAME"). */
int ld_level_in(loader *ld, const tc_ynode *n, size_t prefix, tc_level *out);
/* "unknown WHAT 'x' (did you mean 'y'?)", else listing what is expected. */
void ld_unknown_name(loader *ld, const tc_ynode *n, const char *what, const char *const *names,
                     size_t count, const char *expected);
int ld_severity(loader *ld, const tc_ynode *n, int *out);
int ld_tlp(loader *ld, const tc_ynode *n, int *out);
int ld_kind(loader *ld, const tc_ynode *n, tc_kind_id *out);
/* An id defined in map `which` (LD_ACTORS...); what names it in messages. */
int ld_ref(loader *ld, const tc_ynode *n, int which, const char *what, int *out);
/* A scalar id or a sequence of ids, resolved to indices. */
int ld_refs(loader *ld, const tc_ynode *n, int which, const char *what, uint32_t **out,
            size_t *count);
/* Recipients: an actor id, sender, members, members:ID, required, level:NAME. */
int ld_targets(loader *ld, const tc_ynode *n, const tc_target **out, size_t *count);
/* One message to send (rules and meeting outcomes). */
int ld_send(loader *ld, const tc_ynode *n, tc_send_def *out);
/* Register an id; reports a duplicate. */
int ld_define(loader *ld, const tc_ynode *n, int which, const char *what, const char *id, int index);

/*
 * A section that is a list of entries with ids (actors, channels...). Every
 * model struct starts with `const char *id`. Ids are registered first, so
 * entries may refer to ones listed later; then fn reads each entry.
 */
typedef int (*ld_entry_fn)(loader *ld, const tc_ynode *n, size_t index);
int ld_list(loader *ld, const tc_ynode *seq, int which, const char *what, size_t min, size_t max,
            size_t elem_size, void **items, size_t *count, ld_entry_fn fn);

/* Catalogues (catalogue.c). */
/* Allocation from the scratch arena, freed when the load ends (merged and
 * overridden trees); records out-of-memory. */
void *ld_scratch(loader *ld, size_t n);
/* A shallow copy of n in the scratch arena. */
tc_ynode *ld_copy_node(loader *ld, const tc_ynode *n);
void ld_catalogues_init(loader *ld);
void ld_catalogues_release(loader *ld);
/* The scenario's `include:` (node may be NULL): read each catalogue file,
 * check its shape and index its entries; sets s->includes. */
int ld_include(loader *ld, const tc_ynode *node);
/*
 * Section seq of the scenario (LD_CAT_ACTORS...) with each entry that has
 * `extends: ID` replaced by the catalogue's entry ID adapted by the entry's
 * keys. seq itself when nothing extends (or it is not a sequence); NULL when
 * out of memory. An entry whose `extends` is wrong is reported, kept as it
 * is and marked: ld_list defines its id and reads it no further.
 */
const tc_ynode *ld_extend(loader *ld, const tc_ynode *seq, int section);
int ld_extend_failed(const loader *ld, const tc_ynode *n);

/* Overrides (overrides.c). */
/* A copy of mapping map in the scratch arena whose value of key (compared by
 * text) is value, the pair added last when absent; NULL when out of memory. */
const tc_ynode *ld_map_set(loader *ld, const tc_ynode *map, const tc_ynode *key,
                           const tc_ynode *value);
/*
 * The scenario's root (a mapping, with includes and extends resolved) with
 * opt's overrides applied in order (docs/scenario.md, "Overrides"); root
 * itself when there are none. An override that cannot apply is reported at
 * its own position in its pseudo-file and skipped. Copies only the nodes
 * along each path; the values' documents live until ld_overrides_release.
 * Records the overrides in the scenario. NULL when out of memory.
 */
const tc_ynode *ld_override(loader *ld, const tc_ynode *root, const tc_load_options *opt);
void ld_overrides_release(loader *ld);
/* The rank of diagnostics file among the overrides' pseudo-files (0 for
 * the first), or -1 when it is not one. */
long ld_override_rank(const tc_load_options *opt, const char *file);

/* Sections. */
int ld_actors(loader *ld, const tc_ynode *seq);
int ld_compile_schedules(loader *ld, const tc_ynode *seq);
int ld_channels(loader *ld, const tc_ynode *seq);
int ld_incidents(loader *ld, const tc_ynode *seq);
int ld_meetings(loader *ld, const tc_ynode *seq);
int ld_injects(loader *ld, const tc_ynode *seq);
/* The injects' `objective`, once the objectives are read (seq: as given to
 * ld_injects). */
int ld_inject_objectives(loader *ld, const tc_ynode *seq);
int ld_objectives(loader *ld, const tc_ynode *seq);
int ld_doctrine(loader *ld, const tc_ynode *node, const char *override_path);
/* The scenario's `scripts:` (node may be NULL), then opt's --script files. */
int ld_scripts(loader *ld, const tc_ynode *node, const tc_load_options *opt);

/*
 * Read the Lua file at path into def (the text, NUL-terminated, in the
 * arena; its SHA-256; its RNG entity from `written`, the name as the user
 * wrote it). node is the YAML node that names it: errors are reported there
 * and the file must pass ld_check_named_file. node NULL: a path from the
 * command line, anything readable; errors name the file itself. what
 * ("script file", "doctrine file") names it in messages. Refuses a file
 * larger than TC_MAX_SCRIPT_BYTES and precompiled Lua. Compiles nothing.
 * id (may be NULL) receives the file's identity.
 */
int ld_script(loader *ld, const tc_ynode *node, const char *what, const char *written,
              const char *path, tc_script_role role, int extra, tc_script_def *def,
              ld_file_id *id);

#endif
