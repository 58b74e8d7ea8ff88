/*
 * Doctrine: how actors react to what they handle. A doctrine is a list of
 * rules; when an actor finishes handling a message, every rule of that actor
 * whose filter matches fires, in file order: it sends messages, acknowledges,
 * or convenes a meeting. Doctrines live in their own file so researchers can
 * swap them (--doctrine) without touching the scenario.
 */
#ifndef TC_MODEL_DOCTRINE_H
#define TC_MODEL_DOCTRINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/timefmt.h"
#include "model/vocab.h"

/* Whom a message goes to. Resolved when it is sent. */
typedef enum tc_target_type {
	TC_TARGET_ACTOR,         /* one actor */
	TC_TARGET_SENDER,        /* the sender of the message being handled */
	TC_TARGET_MEMBERS,       /* the members of the reacting actor (a network) */
	TC_TARGET_MEMBERS_OF,    /* the members of a named network actor */
	TC_TARGET_REQUIRED,      /* the actors the incident requires */
	TC_TARGET_LEVEL,         /* every actor of a level */
} tc_target_type;

typedef struct tc_target {
	tc_target_type type;
	uint32_t actor;          /* TC_TARGET_ACTOR, TC_TARGET_MEMBERS_OF */
	tc_level level;          /* TC_TARGET_LEVEL */
} tc_target;

/* One message a rule (or a meeting's outcome) sends. */
typedef struct tc_send_def {
	tc_kind_id kind;
	const tc_target *to;
	size_t to_count;
	int severity;            /* -1: the handled message's */
	int tlp;                 /* -1: the handled message's */
	int channel;             /* forced channel index, or -1: routed */
	tc_time retry_after;     /* resend when no ack arrived within it; 0 = never */
	int retry_max;           /* resends at most */
} tc_send_def;

typedef struct tc_rule_def {
	uint32_t actor;          /* the reacting actor */
	const char *label;       /* where the rule is written: "file:line" */
	/* Filter on the handled message. */
	const uint8_t *on_kinds; /* kind_count flags, NULL = any kind */
	int min_severity;
	const uint8_t *from;     /* actor_count flags, NULL = any sender */
	unsigned from_levels;    /* bit per level, 0 = any */
	int incident;            /* index, or -1 for any */
	int once;                /* fire at most once per incident */
	/* Actions. */
	const tc_send_def *sends;
	size_t send_count;
	int ack;                 /* reply ack to the sender */
	int convene;             /* meeting index, or -1 */
} tc_rule_def;

typedef struct tc_doctrine_def {
	const char *name;
	const char *file;        /* NULL when inline in the scenario */
	char sha256[65];         /* of the doctrine file, "" when inline */
	const tc_rule_def *rules;
	size_t rule_count;
	/* Rules of actor a are rules[first_rule[a] .. first_rule[a + 1]). */
	const size_t *first_rule;
	/* Lua handlers (a .lua doctrine, or `script:` in a YAML one), or NULL.
	 * An actor's YAML rules propose their messages first; its Lua handler
	 * sees them and may add, change or veto them. */
	const struct tc_script_def *script;
} tc_doctrine_def;

#endif
