/* test_misc.c - DbgPrint capture, the clocks, Interlocked, RtlCompareMemory, the adapter.
 *
 * The clocks are checked after moving e->now; Interlocked at the wrap-around points; the
 * adapter helpers on well-formed, odd and broken context JSON.
 */
#include <string.h>

#include <hotswap/harness.h>

#include "shim_test.h"

static void test_dbgprint_capture(void)
{
    struct hh_engine *e = test_engine();
    static char big[2000];
    memset(big, 'x', sizeof(big) - 1);
    CHECK_EQ(DbgPrint("work %d of %s\n", 3, "four"), STATUS_SUCCESS);
    CHECK_EQ(DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL, "[%u]", 7u), STATUS_SUCCESS);
    CHECK_STR(e->log, "work 3 of four\n[7]");
    hh_engine_log_clear(e);
    KdPrint(("%s|", big));
    CHECK_EQ(e->log_len, sizeof(big));
    CHECK_EQ(e->log[sizeof(big) - 2], 'x');
    CHECK_EQ(e->log[sizeof(big) - 1], '|');
    test_engine_done(e);
}

static void test_clocks_follow_the_engine(void)
{
    struct hh_engine *e = test_engine();
    LARGE_INTEGER t, freq;
    ULONG64 qpc = 0;
    e->now = 25 * HH_TICKS_PER_SECOND + 1234567;
    KeQuerySystemTime(&t);
    CHECK_EQ(t.QuadPart, HH_SYSTEM_TIME_BASE + e->now);
    KeQuerySystemTimePrecise(&t);
    CHECK_EQ(t.QuadPart, HH_SYSTEM_TIME_BASE + e->now);
    CHECK_EQ(KeQueryInterruptTime(), e->now);
    CHECK_EQ(KeQueryInterruptTimePrecise(&qpc), e->now);
    CHECK_EQ(qpc, e->now);
    CHECK_EQ(KeQueryTimeIncrement(), 156250);
    KeQueryTickCount(&t);
    CHECK_EQ(t.QuadPart, e->now / 156250);
    t = KeQueryPerformanceCounter(&freq);
    CHECK_EQ(t.QuadPart, e->now);
    CHECK_EQ(freq.QuadPart, 10000000);
    e->now += HH_TICKS_PER_MS;
    CHECK_EQ(KeQueryPerformanceCounter(NULL).QuadPart, e->now);
    test_engine_done(e);
}

static void test_current_thread(void)
{
    struct hh_engine *e = test_engine();
    CHECK(KeGetCurrentThread() == e->current);
    e->current = e->worker;
    CHECK(PsGetCurrentThread() == e->worker);
    test_engine_done(e);
}

static void test_interlocked_32(void)
{
    LONG volatile v = 5;
    CHECK_EQ(InterlockedIncrement(&v), 6);
    CHECK_EQ(InterlockedDecrement(&v), 5);
    CHECK_EQ(InterlockedExchange(&v, 9), 5);
    CHECK_EQ(InterlockedExchangeAdd(&v, 3), 9);
    CHECK_EQ(v, 12);
    CHECK_EQ(InterlockedCompareExchange(&v, 1, 99), 12);
    CHECK_EQ(v, 12);
    CHECK_EQ(InterlockedCompareExchange(&v, 1, 12), 12);
    CHECK_EQ(v, 1);
    CHECK_EQ(InterlockedOr(&v, 6), 1);
    CHECK_EQ(InterlockedAnd(&v, 3), 7);
    CHECK_EQ(InterlockedXor(&v, 1), 3);
    CHECK_EQ(v, 2);
    v = MAXLONG;
    CHECK_EQ(InterlockedExchangeAdd(&v, 1), MAXLONG);
    CHECK_EQ(v, MINLONG);
    CHECK_EQ(InterlockedDecrement(&v), MAXLONG);
}

static void test_interlocked_64_and_pointers(void)
{
    LONG64 volatile v = 1LL << 40;
    PVOID volatile p = NULL;
    int a, b;
    CHECK_EQ(InterlockedIncrement64(&v), (1LL << 40) + 1);
    CHECK_EQ(InterlockedDecrement64(&v), 1LL << 40);
    CHECK_EQ(InterlockedExchangeAdd64(&v, 5), 1LL << 40);
    CHECK_EQ(InterlockedExchange64(&v, -2), (1LL << 40) + 5);
    CHECK_EQ(InterlockedCompareExchange64(&v, 7, -2), -2);
    CHECK_EQ(v, 7);
    v = INT64_MAX;
    CHECK_EQ(InterlockedExchangeAdd64(&v, 1), INT64_MAX);
    CHECK_EQ(v, INT64_MIN);
    CHECK(InterlockedExchangePointer(&p, &a) == NULL);
    CHECK(InterlockedCompareExchangePointer(&p, &b, NULL) == &a);
    CHECK(p == &a);
    CHECK(InterlockedCompareExchangePointer(&p, &b, &a) == &a);
    CHECK(p == &b);
}

static void test_rtl_compare_memory(void)
{
    static const char a[] = "abcdef", b[] = "abcxef";
    CHECK_EQ(RtlCompareMemory(a, b, 6), 3);
    CHECK_EQ(RtlCompareMemory(a, a, 6), 6);
    CHECK_EQ(RtlCompareMemory(a, b, 0), 0);
    CHECK(RtlEqualMemory(a, b, 3));
}

static void test_find_object(void)
{
    int x, y;
    PVOID objects[] = {&x, &y};
    const char *names[] = {"work", "stop"};
    HOTSWAP_CONTEXT_ARGS args = {2, objects, names, NULL, NULL};
    CHECK(HotswapFindObject(&args, "stop") == &y);
    CHECK(HotswapFindObject(&args, "work") == &x);
    CHECK(HotswapFindObject(&args, "Stop") == NULL);
    CHECK(HotswapFindObject(NULL, "work") == NULL);
}

static void test_context_get_int(void)
{
    HOTSWAP_CONTEXT_ARGS args = {0, NULL, NULL, NULL, NULL};
    LONG64 v = 77;
    CHECK_EQ(HotswapContextGetInt(&args, "capacity", &v), FALSE);
    args.ContextJson = "{ \"capacity\": 4, \"neg\": -12, \"big\": 9007199254740992, "
                       "\"frac\": 1.5, \"text\": \"4\", \"exp\": 2e3 }";
    CHECK_EQ(HotswapContextGetInt(&args, "capacity", &v), TRUE);
    CHECK_EQ(v, 4);
    CHECK_EQ(HotswapContextGetInt(&args, "neg", &v), TRUE);
    CHECK_EQ(v, -12);
    CHECK_EQ(HotswapContextGetInt(&args, "big", &v), TRUE);
    CHECK_EQ(v, 9007199254740992LL);
    CHECK_EQ(HotswapContextGetInt(&args, "exp", &v), TRUE);
    CHECK_EQ(v, 2000);
    v = 77;
    CHECK_EQ(HotswapContextGetInt(&args, "frac", &v), FALSE);
    CHECK_EQ(HotswapContextGetInt(&args, "text", &v), FALSE);
    CHECK_EQ(HotswapContextGetInt(&args, "Capacity", &v), FALSE);
    CHECK_EQ(HotswapContextGetInt(&args, "missing", &v), FALSE);
    CHECK_EQ(v, 77);
    args.ContextJson = "[4]";
    CHECK_EQ(HotswapContextGetInt(&args, "capacity", &v), FALSE);
    args.ContextJson = "{ \"capacity\": 4";
    CHECK_EQ(HotswapContextGetInt(&args, "capacity", &v), FALSE);
    args.ContextJson = "{ \"huge\": 1e300 }";
    CHECK_EQ(HotswapContextGetInt(&args, "huge", &v), FALSE);
    CHECK_EQ(v, 77);
}

/* The engine keeps the last "context" parsed, across resets; a text of other content (even
 * at the same address) is parsed anew. */
static void test_context_kept_by_the_engine(void)
{
    struct hh_engine *e = test_engine();
    HOTSWAP_CONTEXT_ARGS args = {0, NULL, NULL, NULL, NULL};
    char text[32] = "{ \"n\": 1 }";
    LONG64 v = 0;
    args.ContextJson = text;
    CHECK_EQ(HotswapContextGetInt(&args, "n", &v), TRUE);
    CHECK_EQ(v, 1);
    CHECK(e->context_tree != NULL);
    text[7] = '2';
    CHECK_EQ(HotswapContextGetInt(&args, "n", &v), TRUE);
    CHECK_EQ(v, 2);
    hh_engine_reset(e);
    hh_engine_make_current(e);
    CHECK(e->context_tree != NULL);
    CHECK_EQ(HotswapContextGetInt(&args, "n", &v), TRUE);
    CHECK_EQ(v, 2);
    args.ContextJson = "{ \"m\": 3 }";
    CHECK_EQ(HotswapContextGetInt(&args, "n", &v), FALSE);
    CHECK_EQ(HotswapContextGetInt(&args, "m", &v), TRUE);
    CHECK_EQ(v, 3);
    test_engine_done(e); /* frees the kept tree (LeakSanitizer) */
}

/* A reset keeps the objects' memory for the next run's objects, made as new. */
static void test_reset_reuses_object_memory(void)
{
    struct hh_engine *e = test_engine();
    DISPATCHER_HEADER *ev = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    DISPATCHER_HEADER *mx = hh_engine_new_object(e, HH_OBJECT_MUTEX), *again, *sem;
    ev->SignalState = 1;
    CHECK(mx != NULL);
    hh_engine_reset(e);
    hh_engine_make_current(e);
    CHECK_EQ(e->nowned, 0);
    CHECK_EQ(e->nkept, 2);
    again = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    CHECK(again == ev);
    CHECK_EQ(again->SignalState, 0);
    CHECK_EQ(again->HhKind, HH_OBJECT_NOTIFICATION_EVENT);
    sem = hh_engine_new_object(e, HH_OBJECT_SEMAPHORE);
    CHECK(sem != NULL);
    CHECK_EQ(sem->SignalState, 0);
    CHECK_EQ(((PKSEMAPHORE)sem)->Limit, MAXLONG);
    CHECK_EQ(e->nowned, 2);
    test_engine_done(e);
}

/* A reset keeps the worker's start-context copy for the next run's of the same size, and
 * gives the kept threads back as new: nothing held, no lock waited on. */
static void test_reset_keeps_start_context(void)
{
    struct hh_engine *e = test_engine();
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start, *copy;
    struct {
        DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start;
        PKEVENT more;
    } two;
    KSPIN_LOCK lock = 0;
    memset(&start, 0, sizeof(start));
    memset(&two, 0, sizeof(two));
    start.EventCount = 1;
    start.Events[0] = (PKEVENT)hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    start.Context = &start;
    hh_worker_configure(e, &start, HH_TRUE_MEANS_CONTINUE, NULL, NULL);
    copy = e->start;
    hh_held_push(e->worker, &lock, "fast mutex", "x.c", 3);
    strcpy(e->worker->lock_wait, "the fast mutex");
    e->worker->spinlocks = 1;
    hh_engine_reset(e);
    hh_engine_make_current(e);
    CHECK(e->start == NULL);
    CHECK(e->start_spare == copy); /* kept, not freed (malloc could give the address back) */
    CHECK_EQ(e->worker->nheld, 0);
    CHECK_EQ(e->worker->spinlocks, 0);
    CHECK_STR(e->worker->lock_wait, "");
    CHECK_STR(e->worker->name, "worker");
    CHECK_EQ(e->worker->id, 1);
    CHECK_EQ(e->driver->id, 2);
    start.Events[0] = (PKEVENT)hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    hh_worker_configure(e, &start, HH_TRUE_MEANS_CONTINUE, NULL, NULL);
    CHECK(e->start == copy); /* the same size: the kept copy */
    CHECK(e->start_spare == NULL);
    CHECK(e->start->Events[0] == start.Events[0]);
    CHECK(e->start->Context == &start);
    hh_engine_reset(e);
    hh_engine_make_current(e);
    two.start = start;
    two.start.EventCount = 2;
    two.start.Events[0] = (PKEVENT)hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    two.more = (PKEVENT)hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    hh_worker_configure(e, &two.start, HH_TRUE_MEANS_CONTINUE, NULL, NULL);
    CHECK_EQ(e->start->EventCount, 2); /* another size: a copy of its own */
    CHECK(e->start->Events[1] == two.more);
    test_engine_done(e);
}

static void test_format(void)
{
    char buf[8];
    CHECK_EQ(HotswapFormat(buf, sizeof(buf), "{\"n\":%d}", 12), 8);
    CHECK_STR(buf, "{\"n\":12");
    CHECK_EQ(HotswapFormat(buf, sizeof(buf), "%s", "{}"), 2);
    CHECK_STR(buf, "{}");
    CHECK_EQ(HotswapFormat(NULL, 0, "%d", 12345), 5);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"dbgprint_capture", test_dbgprint_capture},
        {"clocks_follow_the_engine", test_clocks_follow_the_engine},
        {"current_thread", test_current_thread},
        {"interlocked_32", test_interlocked_32},
        {"interlocked_64_and_pointers", test_interlocked_64_and_pointers},
        {"rtl_compare_memory", test_rtl_compare_memory},
        {"find_object", test_find_object},
        {"context_get_int", test_context_get_int},
        {"context_kept_by_the_engine", test_context_kept_by_the_engine},
        {"reset_reuses_object_memory", test_reset_reuses_object_memory},
        {"reset_keeps_start_context", test_reset_keeps_start_context},
        {"format", test_format},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
