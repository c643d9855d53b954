/* test_dfs.c - the depth-first search under a preemption bound, with and without sleep
 * sets, against counts derived by hand and against brute-force enumeration of the model
 * programs (model.h): the same schedules without reduction, the same final states with.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "explore/strategy.h"
#include "model.h"

/* Two threads of k increments each: of two variables (independent) or of one (dependent). */
static void two_incrementers(struct model *m, unsigned k, int dependent)
{
    unsigned i;
    memset(m, 0, sizeof(*m));
    m->n_threads = 2;
    m->names[0] = "t0";
    m->names[1] = "t1";
    for (i = 0; i < k; i++) {
        m->prog[0][i].code = M_INC;
        m->prog[1][i].code = M_INC;
        m->prog[1][i].var = dependent ? 0 : 1;
    }
}

static unsigned long binomial(unsigned n, unsigned k)
{
    unsigned long r = 1;
    unsigned i;
    if (k > n)
        return 0;
    for (i = 1; i <= k; i++)
        r = r * (n - k + i) / i;
    return r;
}

/* Interleavings of two threads of k steps with at most `bound` preemptions, by hand: an
 * interleaving of B blocks switches B-1 times, and the switch after the block where the
 * first thread to finish finishes is no preemption, so it has B-2. Blocks alternate: B =
 * 2m splits both threads into m blocks, B = 2m+1 one into m+1 and the other into m;
 * either thread may start. */
static unsigned long interleavings(unsigned k, unsigned bound)
{
    unsigned long n = 0;
    unsigned b;
    for (b = 2; b <= 2 * k; b++) {
        unsigned m = b / 2;
        if (bound != HH_EX_UNBOUNDED && b - 2 > bound)
            break;
        n += b % 2 ? 2 * binomial(k - 1, m) * binomial(k - 1, m - 1)
                   : 2 * binomial(k - 1, m - 1) * binomial(k - 1, m - 1);
    }
    return n;
}

static const unsigned bounds[] = {0, 1, 2, 3, HH_EX_UNBOUNDED};

static void test_plain_counts_match_hand_derived_interleavings(void)
{
    unsigned k, b, dep;
    CHECK_EQ(interleavings(3, HH_EX_UNBOUNDED), binomial(6, 3)); /* the formula itself */
    CHECK_EQ(interleavings(4, 1), 2 + 2 * 3);
    for (dep = 0; dep < 2; dep++) {
        for (k = 1; k <= 4; k++) {
            for (b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++) {
                struct model m;
                struct hh_ex_strategy *s = hh_ex_dfs_new(bounds[b], 0);
                struct model_states none = {0};
                struct hh_ex_stats st;
                two_incrementers(&m, k, (int)dep);
                CHECK_EQ(model_explore(&m, s, NULL, 100000), interleavings(k, bounds[b]));
                CHECK_EQ(model_enumerate(&m, bounds[b], &none), interleavings(k, bounds[b]));
                hh_ex_get_stats(s, &st);
                CHECK(st.exhausted);
                CHECK_EQ(st.abandoned, 0);
                CHECK_EQ(st.bound, bounds[b]);
                CHECK(bounds[b] == HH_EX_UNBOUNDED || st.preemptions_max <= bounds[b]);
                CHECK_EQ(hh_ex_begin_run(s), 0); /* stays exhausted */
                model_states_free(&none);
                hh_ex_free(s);
            }
        }
    }
}

struct sleep_case {
    unsigned k;
    int dependent;
    unsigned bound;
    unsigned long complete, abandoned;
};

static void test_sleep_set_counts_match_hand_derived(void)
{
    /* Derived in docs/explore.md's terms: with independent moves, every order but the first
     * is abandoned as soon as the other thread sleeps; dependent moves never sleep; under
     * bound 0 the first thread's first move is followed by more of it (it stays enabled),
     * so it does not sleep in the other branch (the covering order would preempt). */
    static const struct sleep_case cases[] = {
        {1, 0, HH_EX_UNBOUNDED, 1, 1}, {1, 0, 0, 1, 1}, {1, 0, 2, 1, 1},
        {2, 0, HH_EX_UNBOUNDED, 1, 2}, {2, 0, 0, 2, 0}, {2, 0, 1, 3, 1}, {2, 0, 2, 3, 2},
        {1, 1, HH_EX_UNBOUNDED, 2, 0}, {2, 1, HH_EX_UNBOUNDED, 6, 0},
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct model m;
        struct hh_ex_strategy *s = hh_ex_dfs_new(cases[i].bound, 1);
        struct hh_ex_stats st;
        two_incrementers(&m, cases[i].k, cases[i].dependent);
        CHECK_EQ(model_explore(&m, s, NULL, 100000), cases[i].complete);
        hh_ex_get_stats(s, &st);
        CHECK_EQ(st.abandoned, cases[i].abandoned);
        CHECK_EQ(st.runs, cases[i].complete + cases[i].abandoned);
        CHECK(st.exhausted);
        hh_ex_free(s);
    }
}

/* The ground truth for random models: plain DFS runs every schedule the enumeration counts
 * and reaches the same final states; with sleep sets it reaches the same states in no more
 * runs, and fewer over the whole set. Models of more than 20000 schedules are left out
 * (time). */
static void test_random_models_against_brute_force(void)
{
    uint64_t seed = 42;
    unsigned long plain_total = 0, sleep_total = 0;
    int n;
    for (n = 0; n < 1000; n++) {
        struct model m;
        size_t b;
        model_random(&m, &seed);
        for (b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++) {
            struct model_states truth = {0}, plain = {0}, reduced = {0};
            struct hh_ex_strategy *p, *r;
            unsigned long count = model_enumerate(&m, bounds[b], &truth), np, nr;
            if (count > 20000) {
                model_states_free(&truth);
                continue;
            }
            p = hh_ex_dfs_new(bounds[b], 0);
            r = hh_ex_dfs_new(bounds[b], 1);
            np = model_explore(&m, p, &plain, 1000000);
            nr = model_explore(&m, r, &reduced, 1000000);
            if (np != count || !model_states_equal(&truth, &plain) ||
                !model_states_equal(&truth, &reduced) || nr > np) {
                char text[512];
                model_print(&m, text, sizeof(text));
                hh_check_fail(__FILE__, __LINE__, "model %d bound %u: %s: enumerated %lu "
                              "schedules %lu states; plain DFS %lu runs %lu states; sleep "
                              "sets %lu runs %lu states", n, bounds[b], text, count,
                              (unsigned long)truth.n, np, (unsigned long)plain.n, nr,
                              (unsigned long)reduced.n);
            }
            plain_total += np;
            sleep_total += nr;
            model_states_free(&truth);
            model_states_free(&plain);
            model_states_free(&reduced);
            hh_ex_free(p);
            hh_ex_free(r);
        }
    }
    printf("# random models: %lu plain runs, %lu with sleep sets\n", plain_total, sleep_total);
    CHECK(sleep_total < plain_total);
}

/* Found by the random models at more moves: under bound 0, t1 stores v0 and blocks in a
 * wait that t0's increment ends, t2 stores v0 too, and t1 then reads it. Putting t0 to
 * sleep under the order that runs t1 and t2 first would mean covering it by an order where
 * t0's increment comes first and t1, no longer blocked, is preempted: beyond the bound. The
 * search must keep t0 awake (a pending operation of another thread depends on its move). */
static void test_sleeper_that_unblocks_a_waiter(void)
{
    static const struct model_op t0[] = {{M_INC, 1, 0, 0}, {M_END, 0, 0, 0}};
    static const struct model_op t1[] = {{M_STORE, 0, 0, 2}, {M_WAIT, 1, 0, 0},
                                         {M_LOAD, 0, 0, 0}, {M_END, 0, 0, 0}};
    static const struct model_op t2[] = {{M_STORE, 0, 0, 1}, {M_END, 0, 0, 0}};
    struct model m;
    size_t b;
    memset(&m, 0, sizeof(m));
    m.n_threads = 3;
    m.names[0] = "t0";
    m.names[1] = "t1";
    m.names[2] = "t2";
    memcpy(m.prog[0], t0, sizeof(t0));
    memcpy(m.prog[1], t1, sizeof(t1));
    memcpy(m.prog[2], t2, sizeof(t2));
    for (b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++) {
        struct model_states truth = {0}, reduced = {0};
        struct hh_ex_strategy *s = hh_ex_dfs_new(bounds[b], 1);
        model_enumerate(&m, bounds[b], &truth);
        model_explore(&m, s, &reduced, 100000);
        CHECK(model_states_equal(&truth, &reduced));
        if (bounds[b] == 0)
            CHECK_EQ(truth.n, 3);
        model_states_free(&truth);
        model_states_free(&reduced);
        hh_ex_free(s);
    }
}

static int finds_deadlock(const struct model *m, struct hh_ex_strategy *s, unsigned long *runs)
{
    *runs = 0;
    while (hh_ex_begin_run(s)) {
        struct model_final f;
        int abandoned = model_run(m, s, &f);
        (*runs)++;
        hh_ex_end_run(s, !abandoned && f.deadlock);
        if (!abandoned && f.deadlock)
            return 1;
    }
    return 0;
}

static void test_lost_wakeup_needs_one_preemption(void)
{
    int sleep_sets;
    for (sleep_sets = 0; sleep_sets < 2; sleep_sets++) {
        struct model m;
        struct hh_ex_strategy *s;
        struct hh_ex_stats st;
        unsigned long runs;
        size_t n;
        model_lost_wakeup(&m, 0);
        s = hh_ex_dfs_new(0, sleep_sets);
        CHECK(!finds_deadlock(&m, s, &runs));
        hh_ex_get_stats(s, &st);
        CHECK(st.exhausted);
        hh_ex_free(s);
        s = hh_ex_dfs_new(1, sleep_sets);
        CHECK(finds_deadlock(&m, s, &runs));
        hh_ex_get_stats(s, &st);
        CHECK_EQ(st.preemptions_last, 1);
        CHECK(!st.exhausted);
        CHECK_EQ(st.failed, 1);
        hh_ex_trace(s, &n);
        CHECK(n > 0);
        printf("# lost wake-up (sleep sets %s): found in run %lu\n", sleep_sets ? "on" : "off", runs);
        hh_ex_free(s);
        s = hh_ex_dfs_new(2, sleep_sets);
        CHECK(finds_deadlock(&m, s, &runs));
        hh_ex_free(s);
    }
}

/* A caller stops a failed run at once: the search cannot tell whether the last thread could
 * have gone on, and must assume it could. t0 (two moves) fails when it moves first and the
 * run stops there; had the search taken t0 as unable to go on, it would put t0 to sleep
 * when t1 moves first (bound 0 forbids nothing there) and abandon that order. */
static void test_run_stopped_early_keeps_its_thread_awake(void)
{
    struct model m;
    struct hh_ex_strategy *s = hh_ex_dfs_new(0, 1);
    struct hh_ex_op ops[2] = {{&m.init[0], HH_EX_WRITE}, {&m.init[1], HH_EX_WRITE}};
    struct hh_ex_point p = {2, 3, HH_EX_NONE, NULL, NULL};
    struct model_final f;
    struct hh_ex_stats st;
    const uint8_t *t;
    size_t n;
    p.ops = ops;
    two_incrementers(&m, 2, 0);
    CHECK(hh_ex_begin_run(s)); /* t0 moves first and fails; the caller stops there */
    CHECK_EQ(hh_ex_choose(s, &p), 0);
    hh_ex_end_run(s, 1);
    CHECK(hh_ex_begin_run(s)); /* t1 first, through to the end */
    CHECK_EQ(model_run(&m, s, &f), 0);
    hh_ex_end_run(s, 0);
    t = hh_ex_trace(s, &n);
    CHECK_EQ(n, 4);
    CHECK_EQ(t[0], 1);
    hh_ex_get_stats(s, &st);
    CHECK_EQ(st.abandoned, 0);
    hh_ex_free(s);
}

/* A program that does not repeat itself: the second run's first point offers other threads
 * than the first run's did. The search counts it and goes on from there as new. */
static void test_nondeterminism_counted(void)
{
    struct hh_ex_strategy *s = hh_ex_dfs_new(2, 0);
    struct hh_ex_point p = {2, 3, HH_EX_NONE, NULL, NULL};
    struct hh_ex_stats st;
    CHECK(hh_ex_begin_run(s));
    CHECK_EQ(hh_ex_choose(s, &p), 0);
    p.running = 0;
    CHECK_EQ(hh_ex_choose(s, &p), 0);
    hh_ex_end_run(s, 0);
    CHECK(hh_ex_begin_run(s)); /* replays 0, then takes 1 at the second point */
    p.running = HH_EX_NONE;
    p.enabled = 1;             /* but the first point now offers only thread 0 */
    CHECK_EQ(hh_ex_choose(s, &p), 0);
    hh_ex_end_run(s, 0);
    hh_ex_get_stats(s, &st);
    CHECK_EQ(st.nondeterministic, 1);
    hh_ex_free(s);
}

static void test_bad_points_are_refused(void)
{
    struct hh_ex_strategy *s = hh_ex_dfs_new(2, 1);
    struct hh_ex_point p = {0};
    CHECK(hh_ex_begin_run(s));
    p.n_threads = 2;
    p.running = HH_EX_NONE;
    CHECK_EQ(hh_ex_choose(s, &p), HH_EX_NONE); /* nothing enabled */
    p.enabled = 4;
    CHECK_EQ(hh_ex_choose(s, &p), HH_EX_NONE); /* id 2 of 2 threads */
    p.enabled = 3;
    CHECK_EQ(hh_ex_choose(s, &p), 0);          /* ops NULL: everything dependent */
    hh_ex_end_run(s, 0);
    hh_ex_free(s);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"plain_counts_match_hand_derived_interleavings", test_plain_counts_match_hand_derived_interleavings},
        {"sleep_set_counts_match_hand_derived", test_sleep_set_counts_match_hand_derived},
        {"random_models_against_brute_force", test_random_models_against_brute_force},
        {"sleeper_that_unblocks_a_waiter", test_sleeper_that_unblocks_a_waiter},
        {"lost_wakeup_needs_one_preemption", test_lost_wakeup_needs_one_preemption},
        {"run_stopped_early_keeps_its_thread_awake", test_run_stopped_early_keeps_its_thread_awake},
        {"nondeterminism_counted", test_nondeterminism_counted},
        {"bad_points_are_refused", test_bad_points_are_refused},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
