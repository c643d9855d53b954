/* test_threads.c - thread ids and priorities, KeMemoryBarrier, the ordered and spin-lock
 * Interlocked forms.
 */
#include "shim_test.h"

static void test_thread_ids_and_priorities(void)
{
    struct hh_engine *e = test_engine();
    HANDLE driver_id = PsGetCurrentThreadId();
    HANDLE worker_id;
    CHECK_EQ((ULONG_PTR)driver_id % 4, 0);
    CHECK(driver_id != NULL);
    e->current = e->worker;
    worker_id = PsGetCurrentThreadId();
    CHECK(worker_id != driver_id);
    CHECK(KeGetCurrentThread() == e->worker);
    CHECK_EQ(KeQueryPriorityThread(KeGetCurrentThread()), 8);
    CHECK_EQ(KeSetPriorityThread(KeGetCurrentThread(), LOW_REALTIME_PRIORITY), 8);
    CHECK_EQ(KeQueryPriorityThread(e->worker), LOW_REALTIME_PRIORITY);
    CHECK_EQ(KeQueryPriorityThread(e->driver), 8);
    KeMemoryBarrier();
    test_engine_done(e);
}

static void bad_priority(void *arg)
{
    (void)arg;
    (void)KeSetPriorityThread(KeGetCurrentThread(), HIGH_PRIORITY + 1);
}

static void priority_above_dispatch(void *arg)
{
    (void)arg;
    (void)KfRaiseIrql(HIGH_LEVEL);
    (void)KeSetPriorityThread(KeGetCurrentThread(), 9);
}

static void test_priority_findings(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, bad_priority, NULL, HH_RULE_BUGCHECK, "a priority must be 1 to");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, priority_above_dispatch, NULL, HH_RULE_IRQL, "KeSetPriorityThread called at");
    test_engine_done(e);
}

static void test_ordered_interlocked(void)
{
    LONG volatile v = 1;
    LONG64 volatile w = 0x0F0F;
    CHECK_EQ(InterlockedIncrementAcquire(&v), 2);
    CHECK_EQ(InterlockedIncrementRelease(&v), 3);
    CHECK_EQ(InterlockedDecrementAcquire(&v), 2);
    CHECK_EQ(InterlockedDecrementRelease(&v), 1);
    CHECK_EQ(InterlockedCompareExchangeAcquire(&v, 5, 1), 1);
    CHECK_EQ(InterlockedCompareExchangeRelease(&v, 6, 1), 5);
    CHECK_EQ(v, 5);
    CHECK_EQ(InterlockedXor64(&w, 0xFF00), 0x0F0F);
    CHECK_EQ(w, 0xF00F);
    CHECK_EQ(InterlockedOr64(&w, 0x0FF0), 0xF00F);
    CHECK_EQ(InterlockedAnd64(&w, 0x00FF), 0xFFFF);
    CHECK_EQ(w, 0x00FF);
    w = (LONG64)0x8000000000000000ULL;
    CHECK_EQ(InterlockedXor64(&w, -1), (LONG64)0x8000000000000000ULL);
    CHECK_EQ(w, 0x7FFFFFFFFFFFFFFFLL);
}

static void test_ex_interlocked(void)
{
    struct hh_engine *e = test_engine();
    KSPIN_LOCK lock;
    LARGE_INTEGER total, inc, old;
    ULONG count = 0xFFFFFFFFu;
    LONGLONG dest = 7, xchg = 9, cmp = 7;
    KeInitializeSpinLock(&lock);
    total.QuadPart = 0xFFFFFFFFLL;
    inc.QuadPart = 1;
    old = ExInterlockedAddLargeInteger(&total, inc, &lock);
    CHECK_EQ(old.QuadPart, 0xFFFFFFFFLL);
    CHECK_EQ(total.HighPart, 1);
    CHECK_EQ(total.LowPart, 0);
    CHECK_EQ(ExInterlockedAddUlong(&count, 2, &lock), 0xFFFFFFFFu);
    CHECK_EQ(count, 1);
    ExInterlockedAddLargeStatistic(&total, 5);
    CHECK_EQ(total.QuadPart, 0x100000005LL);
    CHECK_EQ(ExInterlockedCompareExchange64(&dest, &xchg, &cmp, &lock), 7);
    CHECK_EQ(dest, 9);
    CHECK_EQ(lock, 0);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    test_engine_done(e);
}

static KSPIN_LOCK g_lock;

static void add_under_own_lock(void *arg)
{
    ULONG n = 0;
    KIRQL old;
    (void)arg;
    KeInitializeSpinLock(&g_lock);
    KeAcquireSpinLock(&g_lock, &old);
    (void)ExInterlockedAddUlong(&n, 1, &g_lock);
}

static void test_ex_interlocked_takes_its_lock(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, add_under_own_lock, NULL, HH_RULE_SPINLOCK, "SPIN_LOCK_ALREADY_OWNED");
    test_engine_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"thread_ids_and_priorities", test_thread_ids_and_priorities},
        {"priority_findings", test_priority_findings},
        {"ordered_interlocked", test_ordered_interlocked},
        {"ex_interlocked", test_ex_interlocked},
        {"ex_interlocked_takes_its_lock", test_ex_interlocked_takes_its_lock},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
