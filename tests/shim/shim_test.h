/* shim_test.h - what the shim tests share: an engine per test and calls that may fail.
 *
 * Each test makes a fresh engine current, runs the code under test inside
 * hh_engine_guarded when it may end the run, and checks e->failure.
 */
#ifndef HH_TESTS_SHIM_TEST_H
#define HH_TESTS_SHIM_TEST_H

#include <hotswap/wdm.h>

#include "check.h"
#include "engine/engine.h"

/* A pool tag whose bytes in memory read a, b, c, d (as a debugger shows it). */
#define TAG4(a, b, c, d)                                                                     \
    ((ULONG)(unsigned char)(a) | (ULONG)(unsigned char)(b) << 8 |                            \
     (ULONG)(unsigned char)(c) << 16 | (ULONG)(unsigned char)(d) << 24)

static inline struct hh_engine *test_engine(void)
{
    struct hh_engine *e = hh_engine_new();
    hh_engine_make_current(e);
    return e;
}

static inline void test_engine_done(struct hh_engine *e)
{
    hh_engine_make_current(NULL);
    hh_engine_free(e);
}

/* Runs fn(arg) guarded; checks that it ended the run under want_rule and that the message
 * names `needle`. */
#define CHECK_ABORTS(e, fn, arg, want_rule, needle)                                               \
    do {                                                                                     \
        CHECK_EQ(hh_engine_guarded((e), (fn), (arg)), -1);                                   \
        CHECK_STR(hh_rule_name((e)->failure.rule), hh_rule_name(want_rule));                      \
        CHECK_CONTAINS((e)->failure.message, (needle));                                      \
    } while (0)

#endif
