/* explore_test.c - the schedule of an explored run in words, for the explore tests. */
#include "explore_test.h"

#include <stdlib.h>

#include "check.h"
#include "explore/schedule.h"

char *hh_test_schedule_text(struct hh_ex_strategy *s, const struct hh_explore_log *log)
{
    const char *names[HH_EX_MAX_THREADS];
    size_t n, i;
    const uint8_t *trace = hh_ex_trace(s, &n);
    struct hh_ex_schedule *sc;
    char *text;
    for (i = 0; i < log->n_threads; i++)
        names[i] = log->names[i];
    sc = hh_ex_schedule_from_trace(trace, n, names, log->n_threads);
    text = hh_ex_schedule_format(sc);
    hh_ex_schedule_free(sc);
    return text;
}

unsigned long hh_test_dfs_search(unsigned bound, hh_test_run_fn run, unsigned long *failed,
                                 char **first)
{
    struct hh_ex_strategy *s = hh_ex_dfs_new(bound, 1);
    struct hh_explore_log log;
    struct hh_ex_stats stats;
    *failed = 0;
    if (first)
        *first = NULL;
    while (hh_ex_begin_run(s)) {
        int f = run(s, &log) && !log.abandoned;
        hh_ex_end_run(s, f);
        if (f && first && !*first)
            *first = hh_test_schedule_text(s, &log);
        *failed += f;
        free(log.events);
    }
    hh_ex_get_stats(s, &stats);
    CHECK(stats.exhausted);
    CHECK_EQ(stats.nondeterministic, 0);
    hh_ex_free(s);
    return stats.runs;
}
