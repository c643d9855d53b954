/* test_timeout.c - wait timeouts on the virtual clock: polls, relative intervals measured from
 * the start of each wait, absolute times (passed or not), infinite waits, and long timeouts
 * that cost nothing to advance (WAIT-SEMANTICS §1.1, §1.7, decision 6, SPEC §4; fact 10).
 * Fact 10's five waiting thread objects cannot be modelled; its kernel core is kept: a WaitAny
 * with a 1 ms timeout on objects nobody signals returns STATUS_TIMEOUT after exactly 1 ms.
 */
#include "engine_test.h"

static BOOLEAN always_continue(PVOID context, NTSTATUS status)
{
    return et_routine_fn(context, status);
}

/* Decision 6, §1.7: a zero timeout returns STATUS_TIMEOUT at once; no clock move, no timer. */
static void rule_poll_times_out_at_once(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    PVOID objs[1];
    objs[0] = &idle;
    KeInitializeEvent(&idle, SynchronizationEvent, FALSE);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_TIMEOUT);
    CHECK_EQ(et_poll(e, e->worker, WaitAll, 1, objs), STATUS_TIMEOUT);
    CHECK_EQ(e->now, 0);
    CHECK_EQ(hh_engine_next_due(e), -1);
    CHECK(!e->worker->blocked);
    et_done(e);
}

/* Decision 6, §1.7: an absolute timeout already passed (or equal to now) behaves like zero. */
static void rule_passed_absolute_timeout_times_out_at_once(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    PVOID objs[1];
    LARGE_INTEGER past = et_absolute(ET_SECONDS(1)), now = et_absolute(ET_SECONDS(5));
    objs[0] = &idle;
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    hh_engine_advance_to(e, ET_SECONDS(5));
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, &past), STATUS_TIMEOUT);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, &now), STATUS_TIMEOUT);
    CHECK_EQ(e->now, ET_SECONDS(5));
    CHECK_EQ(hh_engine_next_due(e), -1);
    /* A satisfiable wait with a passed timeout still returns the object. */
    KeSetEvent(&idle, 0, FALSE);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, &past), STATUS_WAIT_0);
    et_done(e);
}

/* §1.7: a future absolute timeout ends the wait at that system time. */
static void rule_absolute_timeout_in_future(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    PVOID objs[1];
    LARGE_INTEGER at = et_absolute(ET_SECONDS(3));
    objs[0] = &idle;
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    hh_engine_advance_to(e, ET_SECONDS(1));
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, &at), STATUS_PENDING);
    CHECK_EQ(hh_engine_next_due(e), ET_SECONDS(3));
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(10)), 0);
    CHECK_EQ(e->now, ET_SECONDS(3));
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_TIMEOUT);
    et_done(e);
}

/* §1.7, SPEC §4: a relative timeout is measured from the start of the wait it belongs to. */
static void rule_relative_timeout_from_start_of_wait(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    PVOID objs[1];
    LARGE_INTEGER interval = et_relative(ET_SECONDS(1));
    objs[0] = &idle;
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    hh_engine_advance_to(e, ET_SECONDS(2));
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, &interval),
             STATUS_PENDING);
    CHECK_EQ(hh_engine_next_due(e), ET_SECONDS(3));
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(10)), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_TIMEOUT);
    CHECK_EQ(e->now, ET_SECONDS(3));
    et_done(e);
}

/* SPEC §4: the worker's 100 ms timeout restarts with each wait (30, then 130 ms). */
static void rule_worker_relative_timeout_restarts_each_wait(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    struct et_start s;
    memset(&r, 0, sizeof(r));
    memset(&s, 0, sizeof(s));
    r.answer = TRUE;
    s.type = WaitAny;
    s.count = 1;
    s.objects[0] = work;
    s.has_timeout = TRUE;
    s.timeout = -ET_MS(100);
    et_configure(e, &r, &s);
    hh_worker_start(e);
    hh_engine_advance_to(e, ET_MS(30));
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    hh_engine_advance_to(e, ET_MS(200));
    CHECK_NO_FAILURE(e);
    CHECK_EQ(r.calls, 2);
    CHECK_EQ(r.status[0], STATUS_WAIT_0);
    CHECK_EQ(r.time[0], ET_MS(30));
    CHECK_EQ(r.status[1], STATUS_TIMEOUT);
    CHECK_EQ(r.time[1], ET_MS(130));
    et_done(e);
}

/* §1.7: a NULL timeout waits forever: no timer is queued and ten hours change nothing. */
static void rule_null_timeout_is_infinite(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    PVOID objs[1];
    objs[0] = &idle;
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(hh_engine_next_due(e), -1);
    hh_engine_advance_to(e, ET_HOURS(10));
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
    CHECK_EQ(e->now, ET_HOURS(10));
    et_done(e);
}

/* §1.1: the timeout completes the wait with STATUS_TIMEOUT (0x102), side effects none. */
static void rule_timeout_status_value(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s;
    PVOID objs[1];
    LARGE_INTEGER interval = et_relative(ET_MS(5));
    objs[0] = &s;
    KeInitializeSemaphore(&s, 0, 1);
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 1, objs, KernelMode, FALSE, &interval),
             STATUS_PENDING);
    hh_engine_advance_to(e, ET_MS(5));
    CHECK_EQ(hh_wait_poll(e, e->worker), 0x102);
    CHECK_EQ(KeReadStateSemaphore(&s), 0);
    CHECK(!e->worker->blocked);
    et_done(e);
}

/* Fact 10 (kernel core): a 1 ms WaitAny on five unsignaled objects times out at 1 ms. */
static void fact10_wait_any_1ms_timeout(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev[5];
    PVOID objs[5];
    LARGE_INTEGER interval = et_relative(ET_MS(1));
    int i;
    for (i = 0; i < 5; i++) {
        KeInitializeEvent(&ev[i], SynchronizationEvent, FALSE);
        objs[i] = &ev[i];
    }
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 5, objs, KernelMode, FALSE, &interval),
             STATUS_PENDING);
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK_EQ(e->now, ET_MS(1));
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_TIMEOUT);
    et_done(e);
}

/* SPEC §4, §1.7: a one-hour timeout over ten hours: exactly ten timeouts, on the hour. */
static void rule_one_hour_timeout_over_ten_hours(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start;
    struct et_routine r;
    unsigned i;
    memset(&r, 0, sizeof(r));
    memset(&start, 0, sizeof(start));
    r.e = e;
    r.answer = TRUE;
    start.WorkerRoutine = always_continue;
    start.Context = &r;
    start.WaitType = WaitAny;
    start.WaitReason = Executive;
    start.WaitMode = KernelMode;
    start.HasTimeout = TRUE;
    start.Timeout.QuadPart = -ET_HOURS(1);
    start.EventCount = 1;
    start.Events[0] = idle;
    hh_worker_configure(e, &start, HH_TRUE_MEANS_CONTINUE, NULL, NULL);
    hh_worker_start(e);
    hh_engine_advance_to(e, ET_HOURS(10));
    CHECK_NO_FAILURE(e);
    CHECK_EQ(r.calls, 10);
    for (i = 0; i < 10; i++) {
        CHECK_EQ(r.status[i], STATUS_TIMEOUT);
        CHECK_EQ(r.time[i], ET_HOURS(i + 1));
    }
    CHECK_EQ(e->now, ET_HOURS(10));
    CHECK_EQ(e->state, HH_WORKER_WAITING);
    CHECK_EQ(hh_engine_next_due(e), ET_HOURS(11));
    et_done(e);
}

/* §1.7 (ros KiComputeDueTime): the due time is the interrupt time minus the interval, compared
 * unsigned, so a relative timeout of -MAXLONGLONG (about 29,000 years) or LONGLONG_MIN never
 * comes, however far the clock has moved: it saturates, it does not wrap into the past. */
static void rule_long_relative_timeout_saturates(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    PVOID objs[1];
    LARGE_INTEGER longest, lowest;
    longest.QuadPart = -INT64_MAX;
    lowest.QuadPart = INT64_MIN;
    objs[0] = &idle;
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    /* LONGLONG_MIN at 0. */
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, &lowest), STATUS_PENDING);
    CHECK_EQ(hh_engine_next_due(e), -1);
    hh_engine_advance_to(e, ET_MS(10));
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
    /* -MAXLONGLONG and LONGLONG_MIN once the clock has moved. */
    KeSetEvent(&idle, 0, FALSE);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    KeResetEvent(&idle);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, &longest),
             STATUS_PENDING);
    CHECK_EQ(e->worker->wait.deadline, HH_TIME_NEVER);
    hh_engine_advance_to(e, ET_HOURS(24 * 365));
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
    KeSetEvent(&idle, 0, FALSE);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    KeResetEvent(&idle);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, &lowest),
             STATUS_PENDING);
    CHECK_EQ(e->worker->wait.deadline, HH_TIME_NEVER);
    et_done(e);
}

/* The same for timers: KeSetTimer at 10 ms with -MAXLONGLONG stays queued and never fires. */
static void rule_long_relative_timer_saturates(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t, u;
    LARGE_INTEGER longest, lowest;
    longest.QuadPart = -INT64_MAX;
    lowest.QuadPart = INT64_MIN;
    KeInitializeTimerEx(&t, NotificationTimer);
    KeInitializeTimerEx(&u, NotificationTimer);
    CHECK(!KeSetTimer(&u, lowest, NULL));
    hh_engine_advance_to(e, ET_MS(10));
    CHECK(!KeSetTimer(&t, longest, NULL));
    CHECK(!KeReadStateTimer(&t));
    CHECK(!KeReadStateTimer(&u));
    CHECK_EQ(hh_engine_next_due(e), -1);
    CHECK_EQ(hh_engine_expire_next(e, HH_TIME_NEVER), -1);
    hh_engine_advance_to(e, ET_HOURS(1));
    CHECK(!KeReadStateTimer(&t));
    CHECK(!KeReadStateTimer(&u));
    CHECK(KeCancelTimer(&t));
    CHECK(KeCancelTimer(&u));
    et_done(e);
}

/* A routine that waits 29,000 years on an event nothing signals hangs: a deadlock, not a
 * timeout at the end of the clock. */
static void wait_longest(struct et_routine *r, NTSTATUS status)
{
    LARGE_INTEGER longest;
    (void)status;
    longest.QuadPart = -INT64_MAX;
    KeWaitForSingleObject(r->user, Executive, KernelMode, FALSE, &longest);
}

static void rule_long_relative_timeout_in_routine_is_deadlock(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT go = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    struct et_routine r;
    struct et_start s;
    memset(&r, 0, sizeof(r));
    memset(&s, 0, sizeof(s));
    r.answer = TRUE;
    r.body = wait_longest;
    r.user = idle;
    s.type = WaitAny;
    s.count = 1;
    s.objects[0] = go;
    et_configure(e, &r, &s);
    hh_worker_start(e);
    hh_engine_advance_to(e, ET_MS(10));
    KeSetEvent(go, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_DEADLOCK);
    CHECK_CONTAINS(e->failure.message, "thousands of years");
    CHECK_EQ(e->now, ET_MS(10));
    et_done(e);
}

/* Choice: KeDelayExecutionThread with a zero interval yields the processor; ReactOS returns
 * STATUS_NO_YIELD_PERFORMED (0x40000024) when no other thread was ready, Windows is not
 * documented. The harness, whose routine never competes for a processor, returns
 * STATUS_SUCCESS, at once, without moving the clock. */
static void choice_delay_zero_interval_returns_success(void)
{
    struct hh_engine *e = et_engine();
    LARGE_INTEGER zero = et_zero();
    CHECK_EQ(STATUS_NO_YIELD_PERFORMED, 0x40000024);
    hh_engine_advance_to(e, ET_MS(3));
    e->current = e->worker;
    CHECK_EQ(KeDelayExecutionThread(KernelMode, FALSE, &zero), STATUS_SUCCESS);
    e->current = e->driver;
    CHECK_EQ(e->now, ET_MS(3));
    CHECK_NO_FAILURE(e);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"choice_delay_zero_interval_returns_success",
         choice_delay_zero_interval_returns_success},
        {"rule_long_relative_timeout_saturates", rule_long_relative_timeout_saturates},
        {"rule_long_relative_timer_saturates", rule_long_relative_timer_saturates},
        {"rule_long_relative_timeout_in_routine_is_deadlock",
         rule_long_relative_timeout_in_routine_is_deadlock},
        {"rule_poll_times_out_at_once", rule_poll_times_out_at_once},
        {"rule_passed_absolute_timeout_times_out_at_once",
         rule_passed_absolute_timeout_times_out_at_once},
        {"rule_absolute_timeout_in_future", rule_absolute_timeout_in_future},
        {"rule_relative_timeout_from_start_of_wait", rule_relative_timeout_from_start_of_wait},
        {"rule_worker_relative_timeout_restarts_each_wait",
         rule_worker_relative_timeout_restarts_each_wait},
        {"rule_null_timeout_is_infinite", rule_null_timeout_is_infinite},
        {"rule_timeout_status_value", rule_timeout_status_value},
        {"fact10_wait_any_1ms_timeout", fact10_wait_any_1ms_timeout},
        {"rule_one_hour_timeout_over_ten_hours", rule_one_hour_timeout_over_ten_hours},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
