/* rules.c - names and one-line descriptions of the contract checks, and IRQL names. */
#include "engine.h"

#include <stdio.h>

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

const char *hh_irql_name(KIRQL irql, char *buf, size_t len)
{
    static const char *const names[] = {"PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL"};
    if (irql < 3)
        snprintf(buf, len, "%s", names[irql]);
    else
        snprintf(buf, len, "IRQL %u", (unsigned)irql);
    return buf;
}
