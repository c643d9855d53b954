/* test_timer.c - KTIMER and DPCs on the virtual clock: notification and synchronization
 * timers, periodic re-arming, KeSetTimer on a queued timer, past due times, KeCancelTimer,
 * arm order for equal due times and the DPC's IRQL and arguments
 * (WAIT-SEMANTICS §2.4, §1.7; fact 18).
 */
#include "engine_test.h"

#define MAX_DPCS 16

struct dpc_log {
    struct hh_engine *e;
    unsigned n;
    int id[MAX_DPCS];
    KIRQL irql[MAX_DPCS];
    hh_time time[MAX_DPCS];
    ULONG_PTR arg1[MAX_DPCS], arg2[MAX_DPCS];
    BOOLEAN timer_signaled[MAX_DPCS];
    PKTIMER timer;
};

struct dpc_ctx {
    struct dpc_log *log;
    int id;
};

static VOID record_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    struct dpc_ctx *c = context;
    struct dpc_log *log = c->log;
    (void)dpc;
    if (log->n < MAX_DPCS) {
        log->id[log->n] = c->id;
        log->irql[log->n] = KeGetCurrentIrql();
        log->time[log->n] = log->e->now;
        log->arg1[log->n] = (ULONG_PTR)arg1;
        log->arg2[log->n] = (ULONG_PTR)arg2;
        log->timer_signaled[log->n] = log->timer ? KeReadStateTimer(log->timer) : FALSE;
    }
    log->n++;
}

/* Fact 18: KeInitializeTimer(Ex), either type, PASSIVE or DISPATCH: unsignaled, unqueued. */
static void fact18_initialize_timer_not_signaled(void)
{
    struct hh_engine *e = et_engine();
    KTIMER n, s, plain;
    KIRQL old;
    memset(&n, 0xCC, sizeof(n));
    memset(&s, 0xCC, sizeof(s));
    memset(&plain, 0xCC, sizeof(plain));
    KeInitializeTimerEx(&n, NotificationTimer);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KeInitializeTimerEx(&s, SynchronizationTimer);
    KeLowerIrql(old);
    KeInitializeTimer(&plain);
    CHECK(!KeReadStateTimer(&n));
    CHECK(!KeReadStateTimer(&s));
    CHECK(!KeReadStateTimer(&plain));
    CHECK_EQ(n.Header.Inserted, 0);
    CHECK_EQ(s.Header.WaitListHint, 0);
    CHECK_EQ(n.Header.HhKind, HH_OBJECT_NOTIFICATION_TIMER);
    CHECK_EQ(s.Header.HhKind, HH_OBJECT_SYNCHRONIZATION_TIMER);
    CHECK_EQ(plain.Header.HhKind, HH_OBJECT_NOTIFICATION_TIMER);
    CHECK_EQ(n.Header.Type, 8); /* the kernel's TimerNotificationObject */
    CHECK_EQ(s.Header.Type, 9); /* TimerSynchronizationObject */
    CHECK_EQ(plain.Header.Type, 8);
    CHECK_EQ(hh_engine_next_due(e), -1);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* §2.4: a notification timer's expiry satisfies every wait and it stays signaled. */
static void rule_notification_timer_stays_signaled(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    PVOID objs[1];
    objs[0] = &t;
    KeInitializeTimerEx(&t, NotificationTimer);
    CHECK(!KeSetTimer(&t, et_relative(ET_MS(10)), NULL));
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK_EQ(e->now, ET_MS(10));
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK(KeReadStateTimer(&t));
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
    CHECK(KeReadStateTimer(&t));
    et_done(e);
}

/* §2.4: a sync timer releases one waiter and resets; unwaited, it stays set until a wait. */
static void rule_sync_timer_resets_on_wait(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    PVOID objs[1];
    objs[0] = &t;
    KeInitializeTimerEx(&t, SynchronizationTimer);
    KeSetTimer(&t, et_relative(ET_MS(10)), NULL);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK(!KeReadStateTimer(&t));
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    KeSetTimer(&t, et_relative(ET_MS(10)), NULL);
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK(KeReadStateTimer(&t));
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
    CHECK(!KeReadStateTimer(&t));
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_TIMEOUT);
    et_done(e);
}

/* §2.4: a periodic timer is queued again on every expiry, at its due time plus the period. */
static void rule_periodic_timer_rearms_at_due_plus_period(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    KDPC dpc;
    struct dpc_log log;
    struct dpc_ctx ctx;
    memset(&log, 0, sizeof(log));
    log.e = e;
    ctx.log = &log;
    ctx.id = 1;
    KeInitializeTimerEx(&t, NotificationTimer);
    KeInitializeDpc(&dpc, record_dpc, &ctx);
    CHECK(!KeSetTimerEx(&t, et_relative(ET_MS(10)), 25, &dpc));
    CHECK_EQ(hh_engine_next_due(e), ET_MS(10));
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK(KeReadStateTimer(&t));
    CHECK_EQ(hh_engine_next_due(e), ET_MS(35));
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK_EQ(hh_engine_next_due(e), ET_MS(60));
    hh_engine_advance_to(e, ET_MS(100));
    CHECK_EQ(log.n, 4);
    CHECK_EQ(log.time[0], ET_MS(10));
    CHECK_EQ(log.time[1], ET_MS(35));
    CHECK_EQ(log.time[2], ET_MS(60));
    CHECK_EQ(log.time[3], ET_MS(85));
    CHECK_EQ(hh_engine_next_due(e), ET_MS(110));
    /* Cancelled, it stops. */
    CHECK(KeCancelTimer(&t));
    hh_engine_advance_to(e, ET_SECONDS(1));
    CHECK_EQ(log.n, 4);
    et_done(e);
}

/* §2.4: KeSetTimer on a queued timer returns TRUE and its old due time never fires. */
static void rule_set_timer_on_queued_returns_true(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    KeInitializeTimerEx(&t, NotificationTimer);
    CHECK(!KeSetTimer(&t, et_relative(ET_MS(10)), NULL));
    CHECK(KeSetTimer(&t, et_relative(ET_MS(20)), NULL));
    CHECK_EQ(hh_engine_expire_next(e, ET_MS(15)), -1);
    CHECK(!KeReadStateTimer(&t));
    CHECK_EQ(hh_engine_expire_next(e, ET_MS(20)), 0);
    CHECK_EQ(e->now, ET_MS(20));
    CHECK(KeReadStateTimer(&t));
    CHECK_EQ(hh_engine_next_due(e), -1);
    /* Expired, it is no longer queued. */
    CHECK(!KeSetTimer(&t, et_relative(ET_MS(20)), NULL));
    et_done(e);
}

/* §2.4: KeSetTimer makes the timer not signaled at once. */
static void rule_set_timer_clears_signal_state(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    KeInitializeTimerEx(&t, NotificationTimer);
    KeSetTimer(&t, et_relative(ET_MS(1)), NULL);
    hh_engine_advance_to(e, ET_MS(5));
    CHECK(KeReadStateTimer(&t));
    KeSetTimer(&t, et_relative(ET_MS(1)), NULL);
    CHECK(!KeReadStateTimer(&t));
    et_done(e);
}

/* §2.4 (ros-timer): a past due time signals inside KeSetTimer, runs the DPC, wakes the waiter. */
static void rule_past_due_time_signals_at_once(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t, zero;
    KDPC dpc;
    struct dpc_log log;
    struct dpc_ctx ctx;
    PVOID objs[1];
    LARGE_INTEGER due;
    memset(&log, 0, sizeof(log));
    log.e = e;
    ctx.log = &log;
    ctx.id = 7;
    objs[0] = &t;
    hh_engine_advance_to(e, ET_SECONDS(1));
    KeInitializeTimerEx(&t, SynchronizationTimer);
    KeInitializeTimerEx(&zero, NotificationTimer);
    KeInitializeDpc(&dpc, record_dpc, &ctx);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK(!KeSetTimer(&t, et_absolute(ET_MS(500)), &dpc));
    CHECK_EQ(e->now, ET_SECONDS(1));
    CHECK_EQ(log.n, 1);
    CHECK_EQ(log.time[0], ET_SECONDS(1));
    CHECK_EQ(t.Header.Inserted, 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK(!KeReadStateTimer(&t)); /* consumed by the waiter */
    /* An absolute due time of exactly now, and DueTime 0 (the year 1601), are past too. */
    CHECK(!KeSetTimer(&t, et_absolute(ET_SECONDS(1)), NULL));
    CHECK(KeReadStateTimer(&t));
    due.QuadPart = 0;
    CHECK(!KeSetTimer(&zero, due, NULL));
    CHECK(KeReadStateTimer(&zero));
    CHECK_EQ(hh_engine_next_due(e), -1);
    et_done(e);
}

/* §2.4: a periodic timer with a past due time signals at once and is queued a period later. */
static void rule_past_due_periodic_timer_requeued(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    hh_engine_advance_to(e, ET_SECONDS(1));
    KeInitializeTimerEx(&t, NotificationTimer);
    CHECK(!KeSetTimerEx(&t, et_absolute(0), 100, NULL));
    CHECK(KeReadStateTimer(&t));
    CHECK_EQ(hh_engine_next_due(e), ET_SECONDS(1) + ET_MS(100));
    et_done(e);
}

/* §2.4: an absolute due time fires at that system time. */
static void rule_absolute_due_time(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    KeInitializeTimerEx(&t, NotificationTimer);
    hh_engine_advance_to(e, ET_MS(5));
    KeSetTimer(&t, et_absolute(ET_MS(20)), NULL);
    CHECK_EQ(hh_engine_next_due(e), ET_MS(20));
    hh_engine_advance_to(e, ET_MS(19));
    CHECK(!KeReadStateTimer(&t));
    hh_engine_advance_to(e, ET_MS(20));
    CHECK(KeReadStateTimer(&t));
    et_done(e);
}

/* §2.4 (ros-timer): KeCancelTimer returns whether it was queued and keeps the signal state. */
static void rule_cancel_returns_whether_queued(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    KeInitializeTimerEx(&t, NotificationTimer);
    CHECK(!KeCancelTimer(&t));
    KeSetTimer(&t, et_relative(ET_MS(10)), NULL);
    CHECK(KeCancelTimer(&t));
    CHECK(!KeCancelTimer(&t));
    CHECK_EQ(hh_engine_next_due(e), -1);
    hh_engine_advance_to(e, ET_MS(50));
    CHECK(!KeReadStateTimer(&t));
    KeSetTimer(&t, et_relative(ET_MS(10)), NULL);
    hh_engine_advance_to(e, ET_MS(100));
    CHECK(KeReadStateTimer(&t));
    CHECK(!KeCancelTimer(&t));
    CHECK(KeReadStateTimer(&t));
    et_done(e);
}

/* Equal due times fire in the order the timers were armed; re-arming moves a timer last. */
static void rule_equal_due_times_fire_in_arm_order(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t[3];
    KDPC dpc[3];
    struct dpc_log log;
    struct dpc_ctx ctx[3];
    int i;
    memset(&log, 0, sizeof(log));
    log.e = e;
    for (i = 0; i < 3; i++) {
        ctx[i].log = &log;
        ctx[i].id = i + 1;
        KeInitializeTimerEx(&t[i], NotificationTimer);
        KeInitializeDpc(&dpc[i], record_dpc, &ctx[i]);
    }
    KeSetTimer(&t[1], et_relative(ET_MS(5)), &dpc[1]);
    KeSetTimer(&t[0], et_absolute(ET_MS(5)), &dpc[0]);
    KeSetTimer(&t[2], et_relative(ET_MS(5)), &dpc[2]);
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK_EQ(log.n, 3);
    CHECK_EQ(log.id[0], 2);
    CHECK_EQ(log.id[1], 1);
    CHECK_EQ(log.id[2], 3);
    log.n = 0;
    KeSetTimer(&t[0], et_relative(ET_MS(5)), &dpc[0]);
    KeSetTimer(&t[1], et_relative(ET_MS(5)), &dpc[1]);
    KeSetTimer(&t[2], et_relative(ET_MS(5)), &dpc[2]);
    CHECK(KeSetTimer(&t[0], et_relative(ET_MS(5)), &dpc[0]));
    hh_engine_advance_to(e, ET_MS(10));
    CHECK_EQ(log.n, 3);
    CHECK_EQ(log.id[0], 2);
    CHECK_EQ(log.id[1], 3);
    CHECK_EQ(log.id[2], 1);
    et_done(e);
}

/* §2.4: the DPC runs at DISPATCH_LEVEL after the signal, with the system time as arguments. */
static void rule_dpc_runs_at_dispatch_level(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    KDPC dpc;
    struct dpc_log log;
    struct dpc_ctx ctx;
    uint64_t system_time = (uint64_t)(HH_SYSTEM_TIME_BASE + ET_MS(30));
    memset(&log, 0, sizeof(log));
    log.e = e;
    log.timer = &t;
    ctx.log = &log;
    ctx.id = 1;
    KeInitializeTimerEx(&t, SynchronizationTimer);
    KeInitializeDpc(&dpc, record_dpc, &ctx);
    KeSetTimer(&t, et_relative(ET_MS(30)), &dpc);
    CHECK_EQ(log.n, 0);
    hh_engine_advance_to(e, ET_MS(100));
    CHECK_EQ(log.n, 1);
    CHECK_EQ(log.irql[0], DISPATCH_LEVEL);
    CHECK_EQ(log.time[0], ET_MS(30));
    CHECK(log.timer_signaled[0]);
    CHECK_EQ(log.arg1[0], system_time & 0xFFFFFFFFu);
    CHECK_EQ(log.arg2[0], system_time >> 32);
    CHECK_EQ(e->driver->irql, PASSIVE_LEVEL);
    CHECK_EQ(e->worker->irql, PASSIVE_LEVEL);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"fact18_initialize_timer_not_signaled", fact18_initialize_timer_not_signaled},
        {"rule_notification_timer_stays_signaled", rule_notification_timer_stays_signaled},
        {"rule_sync_timer_resets_on_wait", rule_sync_timer_resets_on_wait},
        {"rule_periodic_timer_rearms_at_due_plus_period",
         rule_periodic_timer_rearms_at_due_plus_period},
        {"rule_set_timer_on_queued_returns_true", rule_set_timer_on_queued_returns_true},
        {"rule_set_timer_clears_signal_state", rule_set_timer_clears_signal_state},
        {"rule_past_due_time_signals_at_once", rule_past_due_time_signals_at_once},
        {"rule_past_due_periodic_timer_requeued", rule_past_due_periodic_timer_requeued},
        {"rule_absolute_due_time", rule_absolute_due_time},
        {"rule_cancel_returns_whether_queued", rule_cancel_returns_whether_queued},
        {"rule_equal_due_times_fire_in_arm_order", rule_equal_due_times_fire_in_arm_order},
        {"rule_dpc_runs_at_dispatch_level", rule_dpc_runs_at_dispatch_level},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
