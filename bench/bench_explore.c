/* bench_explore.c - what one explored schedule costs against one in-process `run` of the same
 * scenario: both through the player with the module loaded once and its data put back before
 * each run (hh_play_explorer_run); the baseline plays the concurrent steps one after the
 * other, the explored runs are the DFS's schedules (each a run with its threads and switches).
 *
 *   bench-explore SCENARIO MODULE_DIR [SECONDS]   prints "run_us explored_us ratio schedules"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/strategy.h"
#include "platform/plat.h"
#include "play/play.h"

static double elapsed_us(uint64_t t0, unsigned long n)
{
    return (double)(hh_plat_monotonic_ns() - t0) / 1e3 / (double)n;
}

int main(int argc, char **argv)
{
    struct hh_scenario *sc;
    struct hh_diags d;
    struct hh_play_options opt;
    struct hh_play_explorer *x;
    struct hh_play_result res;
    struct hh_explore_log log;
    const char *dirs[1];
    double seconds = argc > 3 ? atof(argv[3]) : 1.0, run_us, ex_us;
    unsigned long n = 0, schedules = 0;
    uint64_t t0, budget;
    if (argc < 3) {
        fputs("usage: bench-explore SCENARIO MODULE_DIR [SECONDS]\n", stderr);
        return 2;
    }
    budget = (uint64_t)(seconds * 1e9);
    hh_diags_init(&d);
    if (hh_scenario_load(argv[1], &sc, &d) != 0) {
        fprintf(stderr, "bench-explore: %s does not load\n", argv[1]);
        return 2;
    }
    memset(&opt, 0, sizeof(opt));
    dirs[0] = argv[2];
    opt.module_dirs = dirs;
    opt.nmodule_dirs = 1;
    opt.clock = HH_CLOCK_VIRTUAL_ALWAYS;
    opt.watchdog = 10 * HH_TICKS_PER_SECOND; /* explore's, at its default --timeout */
    if (hh_play_explorer_open(sc, &opt, &x, &d) != 0) {
        fprintf(stderr, "bench-explore: the module does not load\n");
        return 2;
    }
    /* The baseline: the scenario played as `run` plays it. */
    t0 = hh_plat_monotonic_ns();
    do {
        hh_play_explorer_run(x, &res);
        hh_play_result_free(&res);
        n++;
    } while (hh_plat_monotonic_ns() - t0 < budget);
    run_us = elapsed_us(t0, n);
    /* The explored runs: the whole DFS within the default bound, again and again. */
    n = 0;
    t0 = hh_plat_monotonic_ns();
    do {
        struct hh_ex_strategy *s = hh_ex_dfs_new(HH_EX_DEFAULT_BOUND, 1);
        while (hh_ex_begin_run(s)) {
            memset(&log, 0, sizeof(log));
            opt.explore = s;
            opt.explore_log = &log;
            hh_play_explorer_run(x, &res);
            hh_ex_end_run(s, res.outcome == HH_PLAY_FAIL);
            hh_play_result_free(&res);
            free(log.events);
            n++;
        }
        opt.explore = NULL;
        opt.explore_log = NULL;
        schedules = n;
        hh_ex_free(s);
    } while (hh_plat_monotonic_ns() - t0 < budget);
    ex_us = elapsed_us(t0, n);
    printf("%.2f %.2f %.2f %lu\n", run_us, ex_us, ex_us / run_us, schedules);
    hh_play_explorer_close(x);
    hh_scenario_free(sc);
    return 0;
}
