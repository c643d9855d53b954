/* test_bytes.c - the bytes strategy: each byte ranks the enabled threads from the choice
 * without a preemption, a point with one enabled thread takes none, the end of the bytes
 * means "no preemption"; the byte strings reach every final state the unbounded search does;
 * the lost wake-up needs one nonzero byte in the right place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "explore/strategy.h"
#include "model.h"

static int choose_at(struct hh_ex_strategy *s, uint64_t enabled, int running)
{
    struct hh_ex_point p;
    memset(&p, 0, sizeof(p));
    p.n_threads = 4;
    p.enabled = enabled;
    p.running = running;
    return hh_ex_choose(s, &p);
}

static void test_mapping(void)
{
    /* enabled {0, 1, 3}, running 1: ranks 1, 3, 0; a byte is taken modulo 3 */
    static const uint8_t in[] = {0, 1, 2, 3, 5, 1, 7};
    struct hh_ex_strategy *s = hh_ex_bytes_new(in, sizeof(in));
    struct hh_ex_stats st;
    CHECK(hh_ex_begin_run(s));
    CHECK_EQ(choose_at(s, 0xb, 1), 1);
    CHECK_EQ(choose_at(s, 0xb, 1), 3);
    CHECK_EQ(choose_at(s, 0xb, 1), 0);
    CHECK_EQ(choose_at(s, 0xb, 1), 1);
    CHECK_EQ(choose_at(s, 0xb, 3), 1); /* rank 2 from 3: 0, then 1 */
    CHECK_EQ(hh_ex_bytes_used(s), 5);
    /* one enabled thread: no byte taken */
    CHECK_EQ(choose_at(s, 0x4, HH_EX_NONE), 2);
    CHECK_EQ(hh_ex_bytes_used(s), 5);
    /* running blocked: the default is the lowest enabled, rank 1 the next */
    CHECK_EQ(choose_at(s, 0xa, HH_EX_NONE), 3);
    CHECK_EQ(choose_at(s, 0xa, 0), 3); /* 7 % 2 = 1: from 1 to 3 */
    CHECK_EQ(hh_ex_bytes_used(s), 7);
    /* past the end: the running thread, else the lowest */
    CHECK_EQ(choose_at(s, 0xb, 3), 3);
    CHECK_EQ(choose_at(s, 0xa, HH_EX_NONE), 1);
    CHECK_EQ(hh_ex_bytes_used(s), 7);
    hh_ex_end_run(s, 0);
    CHECK(!hh_ex_begin_run(s)); /* one run */
    hh_ex_get_stats(s, &st);
    CHECK_EQ(st.runs, 1);
    CHECK_EQ(st.points, 10);
    CHECK_EQ(st.preemptions_max, 3); /* 3 and 0 away from 1, 1 away from 3 */
    CHECK_EQ(hh_ex_bytes_used(s), 7);
    hh_ex_free(s);
}

static int run_bytes(const struct model *m, const uint8_t *in, size_t n,
                     struct model_final *f)
{
    struct hh_ex_strategy *s = hh_ex_bytes_new(in, n);
    int abandoned;
    CHECK(s != NULL);
    CHECK(hh_ex_begin_run(s));
    abandoned = model_run(m, s, f);
    hh_ex_end_run(s, f->deadlock);
    hh_ex_free(s);
    return abandoned;
}

/* Every byte string of `len` bytes of 0 and 1 on a model of two threads: the final states
 * are exactly those of every schedule (a string that long covers each choice point). */
static void reaches_every_state(const struct model *m, unsigned len)
{
    struct model_states all, got;
    uint8_t in[16];
    unsigned long bits;
    unsigned i;
    memset(&all, 0, sizeof(all));
    memset(&got, 0, sizeof(got));
    model_enumerate(m, HH_EX_UNBOUNDED, &all);
    for (bits = 0; bits < (1ul << len); bits++) {
        struct model_final f;
        for (i = 0; i < len; i++)
            in[i] = (uint8_t)((bits >> i) & 1u);
        CHECK_EQ(run_bytes(m, in, len, &f), 0);
        model_states_add(&got, &f);
    }
    CHECK(model_states_equal(&all, &got));
    model_states_free(&all);
    model_states_free(&got);
}

static void test_reaches_every_final_state(void)
{
    struct model m;
    uint64_t seed = 42;
    unsigned checked = 0;
    model_lost_wakeup(&m, 0);
    reaches_every_state(&m, 10);
    while (checked < 200) {
        model_random(&m, &seed);
        if (m.n_threads != 2)
            continue;
        reaches_every_state(&m, 12);
        checked++;
    }
}

/* The zero input never preempts: no lost wake-up; one nonzero byte at the worker's clear
 * finds it, and the same bytes find it every time. */
static void test_lost_wakeup(void)
{
    static const uint8_t zeros[8];
    uint8_t in[8];
    struct model m;
    struct model_final f;
    unsigned at, hits = 0;
    model_lost_wakeup(&m, 1);
    CHECK_EQ(run_bytes(&m, zeros, sizeof(zeros), &f), 0);
    CHECK(!f.deadlock);
    CHECK_EQ(run_bytes(&m, NULL, 0, &f), 0);
    CHECK(!f.deadlock);
    for (at = 0; at < sizeof(in); at++) {
        int again;
        memset(in, 0, sizeof(in));
        in[at] = 1;
        run_bytes(&m, in, sizeof(in), &f);
        again = f.deadlock;
        run_bytes(&m, in, sizeof(in), &f);
        CHECK_EQ(again, f.deadlock);
        hits += (unsigned)f.deadlock;
    }
    CHECK(hits >= 1);
    printf("# lost wake-up found by %u of 8 inputs with one byte 1\n", hits);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"mapping", test_mapping},
        {"reaches_every_final_state", test_reaches_every_final_state},
        {"lost_wakeup", test_lost_wakeup},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
