/* test_waiters.c - several threads blocked on one object (WAIT-SEMANTICS fact 9): each
 * signal serves the waiter that began waiting first, and an object still waited on stays
 * on the wait list when one of its waiters leaves. Both were found by the differential test
 * against Win32 (tests/windows/test_differential.c) and are kept here for every platform.
 */
#include "engine_test.h"

/* Two threads blocked on one semaphore: a release of one wakes the first, the next release
 * the second (the first waiter's wake must not take the object off the wait list). */
static void fact_second_waiter_still_woken(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s;
    PVOID objs[1];
    PKTHREAD a = hh_engine_thread(e, "a"), b = hh_engine_thread(e, "b");
    LONG prev;
    KeInitializeSemaphore(&s, 0, 5);
    objs[0] = &s;
    CHECK_EQ(et_begin(e, a, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(et_begin(e, b, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(hh_semaphore_release(e, &s, 1, &prev), STATUS_SUCCESS);
    CHECK_EQ(hh_wait_poll(e, a), STATUS_WAIT_0);
    CHECK_EQ(hh_wait_poll(e, b), STATUS_PENDING);
    CHECK_EQ(hh_semaphore_release(e, &s, 3, &prev), STATUS_SUCCESS);
    CHECK_EQ(hh_wait_poll(e, b), STATUS_WAIT_0);
    CHECK_EQ(s.Header.SignalState, 2);
    et_done(e);
}

/* A synchronization event set once with two waiters: the one that waited first gets it,
 * whichever thread was made first. */
static void fact_first_come_first_served(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[1];
    PKTHREAD early = hh_engine_thread(e, "made first"), late = hh_engine_thread(e, "made later");
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    objs[0] = &ev;
    CHECK_EQ(et_begin(e, late, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(et_begin(e, early, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    hh_event_set(e, &ev);
    CHECK_EQ(hh_wait_poll(e, late), STATUS_WAIT_0);
    CHECK_EQ(hh_wait_poll(e, early), STATUS_PENDING);
    CHECK_EQ(ev.Header.SignalState, 0);
    hh_event_set(e, &ev);
    CHECK_EQ(hh_wait_poll(e, early), STATUS_WAIT_0);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"fact_second_waiter_still_woken", fact_second_waiter_still_woken},
        {"fact_first_come_first_served", fact_first_come_first_served},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
