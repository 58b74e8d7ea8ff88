/*
 * Scenario scripts: Lua source that drives an exercise (injects, contingency
 * injects, instrumentation) or a doctrine's Lua handlers. The scenario holds
 * the text; each run compiles it in its own sandbox (script/sandbox.h), so a
 * loaded scenario stays immutable and shared by parallel runs.
 */
#ifndef TC_MODEL_SCRIPT_H
#define TC_MODEL_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

typedef enum tc_script_role {
	TC_SCRIPT_INJECTS,       /* the scenario's `scripts:` and `--script` files */
	TC_SCRIPT_DOCTRINE,      /* a doctrine's handlers: the chunk returns {actor id = fn} */
} tc_script_role;

typedef struct tc_script_def {
	const char *name;        /* the path as the user wrote it, resolved against the
	                          * file that names it: what error messages show */
	const char *text;        /* the source, NUL-terminated; len excludes the NUL */
	size_t len;
	char sha256[65];         /* of the bytes, for the log's provenance */
	tc_script_role role;
	uint32_t entity;         /* stable RNG entity from the name: its own draws */
	int extra;               /* given with --script rather than by the scenario */
} tc_script_def;

#endif
