/* runner_local.c - playing one scenario in this process: the reference every isolated run
 * must agree with, and what --no-isolate and an isolated child both do. */
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"
#include "runner.h"

unsigned long hh_run_kill_ms(const struct hh_cli *cli, const struct hh_scenario *sc)
{
    unsigned long timeout_ms = cli->timeout_set ? cli->timeout_ms : HH_CLI_DEFAULT_TIMEOUT_MS;
    if (!timeout_ms || !sc || !hh_play_real_clock(sc, cli->clock))
        return timeout_ms;
    return (unsigned long)(hh_play_timeline(sc) / HH_TICKS_PER_MS) + 2 * timeout_ms + 2000;
}

void hh_play_options_from(const struct hh_cli *cli, struct hh_play_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->module_dirs = cli->dirs;
    opt->nmodule_dirs = cli->ndirs;
    opt->livelock_limit = cli->livelock_limit;
    opt->clock = cli->clock;
    opt->timeline = cli->record_timeline;
    opt->tolerance = cli->tolerance_set ? cli->tolerance : HH_REAL_TOLERANCE;
    opt->watchdog = hh_cli_watchdog(cli);
    memcpy(opt->checks_off, cli->checks_off, sizeof(opt->checks_off));
}

void hh_run_local(const struct hh_cli *cli, struct hh_case *c)
{
    struct hh_play_options opt;
    uint64_t t0 = hh_plat_monotonic_ns();
    hh_play_options_from(cli, &opt);
    hh_play(c->sc, &opt, &c->res);
    c->end = HH_END_NORMAL;
    c->seconds = (double)(hh_plat_monotonic_ns() - t0) / 1e9;
}

void hh_case_free(struct hh_case *c)
{
    hh_play_result_free(&c->res);
    free(c->output);
    c->output = NULL;
}
