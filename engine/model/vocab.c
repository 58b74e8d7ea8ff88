#include "model/vocab.h"

#include <string.h>

const char *const tc_level_names[TC_LEVEL_COUNT] = {
	"technical", "operational", "strategic", "political",
};

const char *const tc_severity_names[TC_SEVERITY_MAX + 1] = {
	"info", "low", "medium", "high", "critical",
};

const char *const tc_tlp_names[TC_TLP_COUNT] = {
	"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED",
};

const tc_kind tc_builtin_kinds[TC_KIND_BUILTIN_COUNT] = {
	[TC_KIND_ALERT] = {"alert", 1},
	[TC_KIND_EARLY_WARNING] = {"early-warning", 1},
	[TC_KIND_INCIDENT_NOTIFICATION] = {"incident-notification", 1},
	[TC_KIND_INTERMEDIATE_REPORT] = {"intermediate-report", 1},
	[TC_KIND_FINAL_REPORT] = {"final-report", 1},
	[TC_KIND_SITREP] = {"sitrep", 1},
	[TC_KIND_REQUEST_ASSISTANCE] = {"request-assistance", 1},
	[TC_KIND_ASSISTANCE_OFFER] = {"assistance-offer", 1},
	[TC_KIND_DECISION] = {"decision", 1},
	[TC_KIND_CONVENE] = {"convene", 0},
	[TC_KIND_ACK] = {"ack", 0},
	[TC_KIND_PRESS] = {"press", 1},
	[TC_KIND_INFO] = {"info", 1},
};

static int lookup(const char *const *names, int n, const char *text)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], text) == 0)
			return i;
	return -1;
}

const char *tc_level_name(tc_level level)
{
	return (unsigned)level < TC_LEVEL_COUNT ? tc_level_names[level] : "?";
}

int tc_level_parse(const char *name, tc_level *out)
{
	int i = lookup(tc_level_names, TC_LEVEL_COUNT, name);
	if (i < 0)
		return -1;
	*out = (tc_level)i;
	return 0;
}

const char *tc_severity_name(int severity)
{
	return severity >= 0 && severity <= TC_SEVERITY_MAX ? tc_severity_names[severity] : "?";
}

int tc_severity_parse(const char *text, int *out)
{
	int i = lookup(tc_severity_names, TC_SEVERITY_MAX + 1, text);
	if (i < 0 && text[0] >= '0' && text[0] <= '0' + TC_SEVERITY_MAX && text[1] == '\0')
		i = text[0] - '0';
	if (i < 0)
		return -1;
	*out = i;
	return 0;
}

const char *tc_tlp_name(tc_tlp tlp)
{
	return (unsigned)tlp < TC_TLP_COUNT ? tc_tlp_names[tlp] : "?";
}

int tc_tlp_parse(const char *text, tc_tlp *out)
{
	/* TLP:AMBER and lower case are common in practice. */
	if (strncmp(text, "TLP:", 4) == 0)
		text += 4;
	for (int i = 0; i < TC_TLP_COUNT; i++) {
		const char *a = tc_tlp_names[i], *b = text;
		while (*a && *b && (*a == *b || (*b >= 'a' && *b <= 'z' && *b - 32 == *a)))
			a++, b++;
		if (!*a && !*b) {
			*out = (tc_tlp)i;
			return 0;
		}
	}
	return -1;
}
