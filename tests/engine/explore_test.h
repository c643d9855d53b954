/* explore_test.h - what the controlled-scheduler tests share: a run's schedule in words. */
#ifndef HH_TESTS_ENGINE_EXPLORE_TEST_H
#define HH_TESTS_ENGINE_EXPLORE_TEST_H

#include "engine/engine.h"
#include "explore/strategy.h"

/* The schedule of the strategy's current run as explore prints it ("worker x3, producer"),
 * its threads named as the run's log names them; free() it. */
char *hh_test_schedule_text(struct hh_ex_strategy *s, const struct hh_explore_log *log);

/* One run of a search: 1 when it failed. */
typedef int (*hh_test_run_fn)(struct hh_ex_strategy *s, struct hh_explore_log *log);

/* Every run of a DFS search within `bound` (sleep sets on), checked exhausted and
 * deterministic; the runs, how many failed (not counting abandoned ones) and, when `first`
 * is given, the first failing schedule in words (malloc'd, or NULL). */
unsigned long hh_test_dfs_search(unsigned bound, hh_test_run_fn run, unsigned long *failed,
                                 char **first);

#endif
