/* cmd_status.c - `hotswap-harness status` and `hotswap-harness rules`: reference answers. */
#include <stdio.h>

#include "cli.h"
#include "common/status.h"
#include "common/rules.h"
#include "msgs.h"

int hh_cmd_status(const char *arg)
{
    NTSTATUS s;
    char name[64];
    const char *when;
    if (hh_status_parse(arg, &s) != 0) {
        const char *near = hh_status_suggest(arg);
        if (near)
            hh_msg_error("'%s' is not a status name or number; did you mean %s?", arg, near);
        else
            hh_msg_error("'%s' is not a status name or number (try STATUS_WAIT_1, 0x102 or "
                         "258)",
                         arg);
        return 2;
    }
    when = hh_status_when(s);
    hh_msg_out("%s = 0x%08X (%ld)\n", hh_status_name(s, name, sizeof(name)), (unsigned)s,
               (long)s);
    hh_msg_out("%s\n", when ? when : "No wait returns this value, and it has no name here.");
    return 0;
}

int hh_cmd_rules(void)
{
    int r;
    hh_msg_out("%-22s %-4s %s\n", "RULE", "OFF?", "WHAT IT CATCHES");
    for (r = HH_RULE_NONE + 1; r < HH_RULE_COUNT; r++)
        hh_msg_out("%-22s %-4s %s\n", hh_rule_name((enum hh_rule)r),
                   hh_rule_switchable((enum hh_rule)r) ? "yes" : "no",
                   hh_rule_description((enum hh_rule)r));
    hh_msg_out("\nOFF? yes: a scenario's \"checks\" or --check RULE=off may turn it off.\n");
    return 0;
}
