/* option_values.c - values that options of several commands share, read one way: the
 * polarity (--true-means) and durations (--timeout, --tolerance), in the grammar of scenario
 * files; and a scenario file loaded with what the command line gives it.
 */
#include "cli.h"
#include "msgs.h"
#include "platform/plat.h"
#include "scenario/scenario.h"

int hh_cli_load_scenario(const struct hh_cli *cli, const char *file, struct hh_scenario **out,
                         struct hh_diags *diags)
{
    struct hh_sc_defaults defaults;
    defaults.true_means = cli->true_means;
    return hh_scenario_load_with(file, &defaults, out, diags);
}

int hh_parse_true_means(const char *v, int *out)
{
    int meaning = hh_true_means_from_name(v);
    if (meaning == HH_TRUE_MEANS_UNSET) {
        hh_msg_usage("--true-means takes continue (TRUE waits again, as on the WDK page) or "
                     "terminate (TRUE ends the thread, as acpi.sys does), not '%s'", v);
        return 2;
    }
    *out = meaning;
    return 0;
}

int hh_parse_duration_option(const char *option, const char *v, const char *takes,
                             int64_t max, int64_t *ticks)
{
    const char *why = NULL;
    if (hh_duration_parse(v, ticks, &why) != 0) {
        hh_msg_usage("%s takes %s, not '%s': %s", option, takes, v, why);
        return 2;
    }
    if (*ticks > max) {
        hh_msg_usage("%s takes %s, not '%s': longer than that", option, takes, v);
        return 2;
    }
    return 0;
}

int hh_parse_timeout(const char *v, struct hh_cli *cli)
{
    int64_t ticks;
    if (hh_parse_duration_option("--timeout", v,
                                 "a duration such as 10s, 1.5s or 500ms (0: no limit; at most "
                                 "a day)",
                                 INT64_C(86400) * HH_TICKS_PER_SECOND, &ticks) != 0)
        return 2;
    cli->timeout_set = 1;
    cli->timeout_ms = (unsigned long)((ticks + 9999) / 10000); /* rounded up to 1 ms */
    return 0;
}

int64_t hh_cli_watchdog(const struct hh_cli *cli)
{
    return (int64_t)(cli->timeout_set ? cli->timeout_ms : HH_CLI_DEFAULT_TIMEOUT_MS) *
           (HH_TICKS_PER_SECOND / 1000);
}

void hh_warn_missing_dirs(const char *const *dirs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        int kind = hh_plat_path_kind(dirs[i]);
        if (kind != HH_PLAT_DIR)
            hh_msg_warning("--module-path %s: %s; modules are looked for in the other "
                           "places only",
                           dirs[i], kind == HH_PLAT_FILE ? "a file, not a folder"
                                                         : "no such folder");
    }
}
