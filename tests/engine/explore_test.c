/* explore_test.c - the schedule of an explored run in words, for the explore tests. */
#include "explore_test.h"

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
