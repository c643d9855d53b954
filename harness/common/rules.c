/* rules.c - names and one-line descriptions of the contract checks, and which may be
 * turned off. Pure data, shared by the engine, the parser and the CLI. */
#include "rules.h"

#include <stdio.h>
#include <string.h>

static const char *const rule_names[] = {
#define HH_RULE_NAME(id, name, what) name,
    HH_RULES(HH_RULE_NAME)
#undef HH_RULE_NAME
};

static const char *const rule_descriptions[] = {
#define HH_RULE_WHAT(id, name, what) what,
    HH_RULES(HH_RULE_WHAT)
#undef HH_RULE_WHAT
};

const char *hh_rule_name(enum hh_rule rule)
{
    return (unsigned)rule < HH_RULE_COUNT ? rule_names[rule] : "unknown";
}

const char *hh_rule_description(enum hh_rule rule)
{
    return (unsigned)rule < HH_RULE_COUNT ? rule_descriptions[rule] : "unknown rule";
}

enum hh_rule hh_rule_from_name(const char *name)
{
    int r;
    for (r = 0; r < HH_RULE_COUNT; r++) {
        if (strcmp(rule_names[r], name) == 0)
            return (enum hh_rule)r;
    }
    return HH_RULE_NONE;
}

int hh_rule_switchable(enum hh_rule rule)
{
    switch (rule) {
    case HH_RULE_POOL_LEAK:
    case HH_RULE_BAD_BOOLEAN:
    case HH_RULE_IRQL_AT_RETURN:
    case HH_RULE_HELD_MUTEX:
    case HH_RULE_HELD_AT_RETURN:
    case HH_RULE_INVARIANT:
    case HH_RULE_ASSERTION:        /* a free build compiles ASSERT out */
    case HH_RULE_OVERLAPPING_COPY: /* memcpy's result, not a crash */
    case HH_RULE_RAW_ROUTINE:      /* the thread runs; only its hot-swap is lost */
    case HH_RULE_HANDLE_LEAK:      /* a leak, as pool-leak */
        return 1;
    default:
        return 0;
    }
}
