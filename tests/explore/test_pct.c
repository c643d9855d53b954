/* test_pct.c - PCT: it finds the lost wake-up within a bounded number of runs for every
 * seed of a fixed set, gives the same schedules for the same seed and others for another,
 * stops after the runs asked for, and learns the run length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "explore/strategy.h"
#include "model.h"

static void test_finds_lost_wakeup_for_every_seed(void)
{
    uint64_t seed;
    unsigned long worst = 0;
    for (seed = 1; seed <= 20; seed++) {
        struct model m;
        struct hh_ex_strategy *s = hh_ex_pct_new(seed, 2, 200, 4);
        unsigned long runs = 0;
        int found = 0;
        model_lost_wakeup(&m, 1);
        while (!found && hh_ex_begin_run(s)) {
            struct model_final f;
            CHECK_EQ(model_run(&m, s, &f), 0);
            found = f.deadlock;
            hh_ex_end_run(s, found);
            runs++;
        }
        if (!found)
            hh_check_fail(__FILE__, __LINE__, "seed %lu: no lost wake-up in 200 runs",
                          (unsigned long)seed);
        if (runs > worst)
            worst = runs;
        hh_ex_free(s);
    }
    printf("# lost wake-up found by PCT d=2 within %lu runs for seeds 1..20\n", worst);
}

/* The concatenated traces of `runs` runs of the model under PCT with this seed. */
static size_t traces(uint64_t seed, uint8_t *out, size_t size)
{
    struct model m;
    struct hh_ex_strategy *s = hh_ex_pct_new(seed, 3, 50, 4);
    size_t used = 0;
    model_lost_wakeup(&m, 1);
    while (hh_ex_begin_run(s)) {
        struct model_final f;
        const uint8_t *t;
        size_t n;
        model_run(&m, s, &f);
        hh_ex_end_run(s, f.deadlock);
        t = hh_ex_trace(s, &n);
        CHECK(used + n <= size);
        memcpy(out + used, t, n);
        used += n;
    }
    hh_ex_free(s);
    return used;
}

/* Without change points (d = 1) the highest-priority thread runs until it blocks or ends:
 * no preemption, so never the lost wake-up; the change point is what finds it. */
static void test_depth_one_never_preempts(void)
{
    struct model m;
    struct hh_ex_strategy *s = hh_ex_pct_new(3, 1, 200, 4);
    struct hh_ex_stats st;
    model_lost_wakeup(&m, 1);
    while (hh_ex_begin_run(s)) {
        struct model_final f;
        model_run(&m, s, &f);
        CHECK(!f.deadlock);
        hh_ex_end_run(s, f.deadlock);
    }
    hh_ex_get_stats(s, &st);
    CHECK_EQ(st.runs, 200);
    CHECK_EQ(st.preemptions_max, 0);
    hh_ex_free(s);
}

static void test_same_seed_same_schedules(void)
{
    static uint8_t a[4096], b[4096], c[4096];
    size_t na = traces(7, a, sizeof(a)), nb = traces(7, b, sizeof(b)), nc = traces(8, c, sizeof(c));
    CHECK_EQ(na, nb);
    CHECK(memcmp(a, b, na) == 0);
    CHECK(na != nc || memcmp(a, c, na) != 0);
}

static void test_stops_after_runs_and_learns_length(void)
{
    struct model m;
    struct hh_ex_strategy *s = hh_ex_pct_new(1, 3, 5, 1);
    struct hh_ex_stats st;
    model_lost_wakeup(&m, 1);
    CHECK_EQ(model_explore(&m, s, NULL, 100), 5);
    hh_ex_get_stats(s, &st);
    CHECK_EQ(st.runs, 5);
    CHECK(st.exhausted);
    CHECK_EQ(st.bound, 3);
    CHECK(st.longest >= 6); /* worker 2 or 3 points, producer 2, counter 3 */
    CHECK(hh_ex_pct_new(1, 0, 5, 1) == NULL);
    hh_ex_free(s);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"finds_lost_wakeup_for_every_seed", test_finds_lost_wakeup_for_every_seed},
        {"depth_one_never_preempts", test_depth_one_never_preempts},
        {"same_seed_same_schedules", test_same_seed_same_schedules},
        {"stops_after_runs_and_learns_length", test_stops_after_runs_and_learns_length},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
