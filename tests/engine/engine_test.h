/* engine_test.h - fixtures the engine's unit tests share.
 *
 * A fresh engine per test (current for the kernel shim), waits made on a thread through the
 * engine's own entry points, guarded calls made as a given thread, and a recording worker
 * routine whose answers a test scripts. Nothing here decides what a test expects.
 */
#ifndef HH_TESTS_ENGINE_ENGINE_TEST_H
#define HH_TESTS_ENGINE_ENGINE_TEST_H

#include "check.h"
#include "engine/engine.h"

#define ET_MAX_CALLS 64

/* Virtual times in ticks since the scenario started. */
#define ET_MS(n) ((hh_time)(n) * HH_TICKS_PER_MS)
#define ET_SECONDS(n) ((hh_time)(n) * HH_TICKS_PER_SECOND)
#define ET_HOURS(n) ((hh_time)(n) * 3600 * HH_TICKS_PER_SECOND)

/* A failure was recorded under rule `want` (the report shows what was recorded instead). */
#define CHECK_RULE(e, want)                                                                  \
    do {                                                                                     \
        if (!(e)->failed || (e)->failure.rule != (want))                                     \
            hh_check_fail(__FILE__, __LINE__, "CHECK_RULE(%s): %s (rule %d): %s", #want,      \
                          (e)->failed ? "failed under another rule" : "no failure",          \
                          (int)(e)->failure.rule, (e)->failure.message);                     \
    } while (0)

#define CHECK_NO_FAILURE(e)                                                                  \
    do {                                                                                     \
        if ((e)->failed)                                                                     \
            hh_check_fail(__FILE__, __LINE__, "unexpected failure (rule %d): %s",            \
                          (int)(e)->failure.rule, (e)->failure.message);                     \
    } while (0)

/* The recording worker routine: its WorkerContext is the struct itself. */
struct et_routine {
    struct hh_engine *e;
    unsigned calls;
    NTSTATUS status[ET_MAX_CALLS];
    hh_time time[ET_MAX_CALLS];
    KIRQL irql[ET_MAX_CALLS];
    PVOID context[ET_MAX_CALLS];
    int ran_as_other; /* the routine ran with e->current other than the worker */
    /* Raw BOOLEANs to return, one per call; `answer` once the script runs out. */
    const BOOLEAN *script;
    unsigned script_len;
    BOOLEAN answer;
    /* Optional code run inside the routine before it answers. */
    void (*body)(struct et_routine *r, NTSTATUS status);
    void *user;
    /* What the engine reported for each invocation (log pointers cleared). */
    unsigned reported;
    struct hh_invocation inv[ET_MAX_CALLS];
};

/* The worker's start context, as a test states it (type has no default: WaitAll is 0). */
struct et_start {
    WAIT_TYPE type;
    KPROCESSOR_MODE mode;
    BOOLEAN alertable;
    BOOLEAN has_timeout;
    LONGLONG timeout; /* the kernel's Timeout value: <0 relative, >=0 absolute */
    ULONG count;
    PVOID objects[MAXIMUM_WAIT_OBJECTS];
    int true_means;
};

struct hh_engine *et_engine(void);
void et_done(struct hh_engine *e);

/* Kernel Timeout values. */
LARGE_INTEGER et_relative(hh_time ticks);
LARGE_INTEGER et_absolute(hh_time at); /* system time of virtual time `at` */
LARGE_INTEGER et_zero(void);

/* KeWaitForMultipleObjects on thread t through hh_wait_begin (timeout NULL: infinite). */
NTSTATUS et_begin(struct hh_engine *e, PKTHREAD t, WAIT_TYPE type, ULONG count,
                  PVOID const *objects, KPROCESSOR_MODE mode, BOOLEAN alertable,
                  const LARGE_INTEGER *timeout);
/* A zero-timeout, non-alertable KernelMode wait on thread t. */
NTSTATUS et_poll(struct hh_engine *e, PKTHREAD t, WAIT_TYPE type, ULONG count,
                 PVOID const *objects);

/* Runs fn(arg) as thread t, guarded: 0 when it returned, -1 when a failure unwound it. */
int et_as(struct hh_engine *e, PKTHREAD t, void (*fn)(void *arg), void *arg);

/* Configures the worker with the recording routine and the given start context. */
void et_configure(struct hh_engine *e, struct et_routine *r, const struct et_start *s);
/* Under the controlled scheduler (choose with user, log zeroed first, pool may be NULL): the
 * worker started, waiting on `object` alone, its routine running body and answering TRUE.
 * r and s must live as long as e. */
void et_explore_worker(struct hh_engine *e, hh_explore_choose_fn choose, void *user,
                       struct hh_explore_log *log, struct hh_ex_pool *pool,
                       struct et_routine *r, struct et_start *s, PVOID object,
                       void (*body)(struct et_routine *r, NTSTATUS status));
BOOLEAN et_routine_fn(PVOID context, NTSTATUS status);

#endif
