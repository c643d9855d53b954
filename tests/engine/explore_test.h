/* explore_test.h - what the controlled-scheduler tests share: a run's schedule in words. */
#ifndef HH_TESTS_ENGINE_EXPLORE_TEST_H
#define HH_TESTS_ENGINE_EXPLORE_TEST_H

#include "engine/engine.h"
#include "explore/strategy.h"

/* The schedule of the strategy's current run as explore prints it ("worker x3, producer"),
 * its threads named as the run's log names them; free() it. */
char *hh_test_schedule_text(struct hh_ex_strategy *s, const struct hh_explore_log *log);

#endif
