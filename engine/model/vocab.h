/*
 * The small vocabularies of the domain: response levels, severities, TLP
 * markings and message kinds. Names are what scenario files write.
 */
#ifndef TC_MODEL_VOCAB_H
#define TC_MODEL_VOCAB_H

#include <stddef.h>
#include <stdint.h>

/* The EU Blueprint's layers, plus the technical/operational split in France. */
typedef enum tc_level {
	TC_LEVEL_TECHNICAL,
	TC_LEVEL_OPERATIONAL,
	TC_LEVEL_STRATEGIC,
	TC_LEVEL_POLITICAL,
	TC_LEVEL_COUNT
} tc_level;

const char *tc_level_name(tc_level level);
/* Returns 0 and sets *out, or -1 when name is not a level. */
int tc_level_parse(const char *name, tc_level *out);
extern const char *const tc_level_names[TC_LEVEL_COUNT];

/* Severity 0..4: info, low, medium, high, critical (a 0-4 scale as in the
 * EU cyber crisis stages; integers are accepted too). */
enum { TC_SEVERITY_MAX = 4 };
const char *tc_severity_name(int severity);
int tc_severity_parse(const char *text, int *out);
extern const char *const tc_severity_names[TC_SEVERITY_MAX + 1];

/* Traffic Light Protocol 2.0. */
typedef enum tc_tlp {
	TC_TLP_CLEAR,
	TC_TLP_GREEN,
	TC_TLP_AMBER,
	TC_TLP_AMBER_STRICT,
	TC_TLP_RED,
	TC_TLP_COUNT
} tc_tlp;
const char *tc_tlp_name(tc_tlp tlp);
int tc_tlp_parse(const char *text, tc_tlp *out);
extern const char *const tc_tlp_names[TC_TLP_COUNT];

/*
 * Message kinds. The built-in kinds cover the usual crisis traffic; a
 * scenario may declare more under `kinds:`. A kind is informative unless
 * declared otherwise: handling an informative message about an incident makes
 * the handler aware of it. ack and convene are not informative (a meeting
 * informs those who attend it).
 */
typedef uint16_t tc_kind_id;
enum { TC_KIND_MAX = 256 };

typedef struct tc_kind {
	const char *name;
	int informative;
} tc_kind;

/* Indices of the built-in kinds, always present in this order. */
enum {
	TC_KIND_ALERT,
	TC_KIND_EARLY_WARNING,
	TC_KIND_INCIDENT_NOTIFICATION,
	TC_KIND_INTERMEDIATE_REPORT,
	TC_KIND_FINAL_REPORT,
	TC_KIND_SITREP,
	TC_KIND_REQUEST_ASSISTANCE,
	TC_KIND_ASSISTANCE_OFFER,
	TC_KIND_DECISION,
	TC_KIND_CONVENE,
	TC_KIND_ACK,
	TC_KIND_PRESS,
	TC_KIND_INFO,
	TC_KIND_BUILTIN_COUNT
};
extern const tc_kind tc_builtin_kinds[TC_KIND_BUILTIN_COUNT];

#endif
