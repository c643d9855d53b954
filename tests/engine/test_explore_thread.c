/* test_explore_thread.c - system threads under the controlled scheduler (explore_sched.c):
 * a thread PsCreateSystemThread makes is an explored thread that polls on its wait's timeout,
 * ends on PsTerminateSystemThread and signals its thread object; a thread that signals its
 * "done" event before it is done is caught on its way out only by a preemption
 * (docs/explore.md, System threads).
 */
#include "engine_test.h"
#include "explore_test.h"

#include <stdlib.h>
#include <string.h>

#include "explore/strategy.h"

/* The driver's state: a stop event, a "done" event, a count of samples and of what the
 * thread did after signaling done, under a spin lock. */
static KSPIN_LOCK lock;
static PKEVENT stop, done;
static LONG samples, after_done;
static int signals_early;

static void poll_thread(PVOID context)
{
    LARGE_INTEGER period = et_relative(10 * HH_TICKS_PER_MS);
    KIRQL irql;
    (void)context;
    while (KeWaitForSingleObject(stop, Executive, KernelMode, FALSE, &period) ==
           STATUS_TIMEOUT) {
        KeAcquireSpinLock(&lock, &irql);
        samples++;
        KeReleaseSpinLock(&lock, irql);
    }
    if (signals_early)
        KeSetEvent(done, 0, FALSE);
    KeAcquireSpinLock(&lock, &irql);
    after_done++;
    KeReleaseSpinLock(&lock, irql);
    PsTerminateSystemThread(STATUS_SUCCESS);
    samples = -1000; /* not reached: the thread ended */
}

static int choose(void *user, const struct hh_ex_point *pt)
{
    return hh_ex_choose(user, pt);
}

/* One run: the driver creates the thread, lets 35 ms pass (three samples), sets the stop
 * event and waits on `done` (the early build) or the thread object; 1 when the wait
 * returned with the thread not ended yet. */
static int one_run(struct hh_ex_strategy *s, struct hh_explore_log *log)
{
    struct hh_engine *e = et_engine();
    HANDLE handle;
    PVOID thread;
    int early;
    memset(log, 0, sizeof(*log));
    CHECK_EQ(hh_explore_begin(e, choose, s, log, NULL), 0);
    KeInitializeSpinLock(&lock);
    samples = after_done = 0;
    stop = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    done = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    CHECK_EQ(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, poll_thread,
                                  NULL),
             STATUS_SUCCESS);
    CHECK_EQ(ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &thread,
                                       NULL),
             STATUS_SUCCESS);
    CHECK_EQ(ZwClose(handle), STATUS_SUCCESS);
    hh_explore_settle(e); /* the thread starts and waits for its first period */
    hh_engine_advance_to(e, 35 * HH_TICKS_PER_MS);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(samples, 3);
    KeSetEvent(stop, 0, FALSE);
    CHECK_EQ(KeWaitForSingleObject(signals_early ? (PVOID)done : thread, Executive, KernelMode,
                                   FALSE, NULL),
             STATUS_WAIT_0);
    early = !hh_object_signaled(e, thread);
    /* What the unload's return checks: a thread on its way out is rule handle-leak. */
    CHECK_EQ(hh_system_threads_check_ended(e), early);
    if (!early) {
        CHECK_EQ(after_done, 1);
        CHECK_EQ(samples, 3);
        ObDereferenceObject(thread);
        hh_engine_check_handles(e);
        CHECK_NO_FAILURE(e);
    }
    et_done(e);
    return early;
}

/* Waiting on the thread object: every schedule sees the thread ended, its samples taken on
 * its wait's timeouts, its handle and reference accounted for. */
static void thread_object_signaled_at_its_end(void)
{
    unsigned long early;
    signals_early = 0;
    CHECK(hh_test_dfs_search(2, one_run, &early, NULL) >= 1);
    CHECK_EQ(early, 0);
}

/* Waiting on an event the thread sets before it is done: no schedule without a preemption
 * returns to the driver with the thread still running, one with a preemption does. */
static void signaled_early_needs_a_preemption(void)
{
    unsigned long early;
    signals_early = 1;
    hh_test_dfs_search(0, one_run, &early, NULL);
    CHECK_EQ(early, 0);
    CHECK(hh_test_dfs_search(1, one_run, &early, NULL) > 1);
    CHECK(early > 0);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"thread_object_signaled_at_its_end", thread_object_signaled_at_its_end},
        {"signaled_early_needs_a_preemption", signaled_early_needs_a_preemption},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
