/* test_alert.c - alerts and user APCs against waits: the order of the tests on entry, the
 * Alertable x WaitMode table, KiCheckAlertability's order and the pending alert flag
 * (WAIT-SEMANTICS §1.6, §3, decision 6).
 * hh_alert is KeAlertThread and hh_queue_user_apc a user-mode KeInsertQueueApc; Win32
 * WAIT_IO_COMPLETION is STATUS_USER_APC, which KernelMode waits never return.
 */
#include "engine_test.h"

static NTSTATUS begin(struct hh_engine *e, PVOID object, KPROCESSOR_MODE mode, BOOLEAN alertable,
                      const LARGE_INTEGER *timeout)
{
    PVOID objs[1];
    objs[0] = object;
    return et_begin(e, e->worker, WaitAny, 1, objs, mode, alertable, timeout);
}

/* Decision 6: a satisfiable wait returns the object despite a pending alert, which stays. */
static void decision6_object_before_alert(void)
{
    struct hh_engine *e = et_engine();
    KEVENT signaled, idle;
    LARGE_INTEGER zero = et_zero();
    KeInitializeEvent(&signaled, NotificationEvent, TRUE);
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    hh_alert(e, e->worker, KernelMode);
    CHECK_EQ(begin(e, &signaled, KernelMode, TRUE, NULL), STATUS_WAIT_0);
    CHECK(e->worker->alerted[KernelMode]);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_ALERTED);
    CHECK(!e->worker->alerted[KernelMode]);
    et_done(e);
}

/* Decision 6: an object beats a queued user APC too. */
static void decision6_object_before_user_apc(void)
{
    struct hh_engine *e = et_engine();
    KEVENT signaled;
    KeInitializeEvent(&signaled, SynchronizationEvent, TRUE);
    hh_queue_user_apc(e, e->worker);
    CHECK_EQ(begin(e, &signaled, UserMode, TRUE, NULL), STATUS_WAIT_0);
    CHECK_EQ(e->worker->user_apcs, 1);
    et_done(e);
}

/* Decision 6: a pending alert beats a zero timeout (STATUS_ALERTED) and is consumed by it. */
static void decision6_alert_before_zero_timeout(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    LARGE_INTEGER zero = et_zero();
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    hh_alert(e, e->worker, KernelMode);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_ALERTED);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_TIMEOUT);
    et_done(e);
}

/* Decision 6: a queued user APC beats a zero timeout in an alertable UserMode wait. */
static void decision6_user_apc_before_zero_timeout(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    LARGE_INTEGER zero = et_zero();
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    hh_queue_user_apc(e, e->worker);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, &zero), STATUS_USER_APC);
    CHECK_EQ(e->worker->user_apcs, 1);
    et_done(e);
}

/* §1.6 (KiCheckAlertability, KiDeliverApc): a system thread never returns to user mode, so a
 * wait that returns STATUS_USER_APC delivers nothing. The APC stays queued, UserApcPending
 * stays set, and every later UserMode wait, alertable or not, returns STATUS_USER_APC at
 * once; KernelMode waits are untouched. A user thread's return to user mode clears both. */
static void rule_user_apc_stays_pending_in_system_thread(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle, signaled;
    LARGE_INTEGER zero = et_zero();
    int i;
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    KeInitializeEvent(&signaled, NotificationEvent, TRUE);
    /* Queued to a non-alertable UserMode wait, it sets nothing pending. */
    CHECK_EQ(begin(e, &idle, UserMode, FALSE, &zero), STATUS_TIMEOUT);
    hh_queue_user_apc(e, e->worker);
    CHECK_EQ(begin(e, &idle, UserMode, FALSE, &zero), STATUS_TIMEOUT);
    CHECK(!e->worker->user_apc_pending);
    /* An alertable UserMode wait returns STATUS_USER_APC and sets UserApcPending... */
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, &zero), STATUS_USER_APC);
    CHECK(e->worker->user_apc_pending);
    for (i = 0; i < 3; i++) {
        /* ...after which every UserMode wait returns it at once, even an infinite one... */
        CHECK_EQ(begin(e, &idle, UserMode, TRUE, NULL), STATUS_USER_APC);
        CHECK_EQ(begin(e, &idle, UserMode, FALSE, NULL), STATUS_USER_APC);
        CHECK_EQ(e->worker->user_apcs, 1);
    }
    /* ...unless an object satisfies it first; KernelMode waits never see it. */
    CHECK_EQ(begin(e, &signaled, UserMode, FALSE, NULL), STATUS_WAIT_0);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_TIMEOUT);
    CHECK_EQ(begin(e, &idle, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
    hh_user_apcs_delivered(e, e->worker);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, &zero), STATUS_TIMEOUT);
    et_done(e);
}

/* The same seen from the worker: an APC queued to its alertable UserMode wait ends every wait
 * that follows, so a routine that answers STATUS_USER_APC with continue spins: livelock. */
static void rule_user_apc_answered_with_continue_livelocks(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    struct et_routine r;
    struct et_start s;
    memset(&r, 0, sizeof(r));
    memset(&s, 0, sizeof(s));
    r.answer = TRUE;
    s.type = WaitAny;
    s.mode = UserMode;
    s.alertable = TRUE;
    s.count = 1;
    s.objects[0] = idle;
    et_configure(e, &r, &s);
    e->livelock_limit = 50;
    hh_worker_start(e);
    CHECK_EQ(r.calls, 0);
    hh_queue_user_apc(e, e->worker);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_EQ(r.calls, 51);
    CHECK_EQ(r.status[0], STATUS_USER_APC);
    CHECK_EQ(r.status[50 < ET_MAX_CALLS ? 50 : ET_MAX_CALLS - 1], STATUS_USER_APC);
    et_done(e);
}

/* §1.6 table, row Alertable TRUE / KernelMode: an alert interrupts the wait... */
static void table_kernel_alertable_alert_interrupts(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, NULL), STATUS_PENDING);
    hh_alert(e, e->worker, KernelMode);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_ALERTED);
    CHECK(!e->worker->alerted[KernelMode]);
    et_done(e);
}

/* §1.6 table, TRUE/KernelMode: no user APC; KernelMode never returns STATUS_USER_APC. */
static void table_kernel_alertable_user_apc_not_delivered(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    LARGE_INTEGER zero = et_zero();
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, NULL), STATUS_PENDING);
    hh_queue_user_apc(e, e->worker);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
    KeSetEvent(&idle, 0, FALSE);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    KeResetEvent(&idle);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_TIMEOUT);
    CHECK_EQ(e->worker->user_apcs, 1);
    et_done(e);
}

/* §1.6 table, TRUE/UserMode: alerts of either mode and user APCs both end the wait. */
static void table_user_alertable_alert_and_apc(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, NULL), STATUS_PENDING);
    hh_alert(e, e->worker, KernelMode);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_ALERTED);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, NULL), STATUS_PENDING);
    hh_alert(e, e->worker, UserMode);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_ALERTED);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, NULL), STATUS_PENDING);
    hh_queue_user_apc(e, e->worker);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_USER_APC);
    CHECK_EQ(e->worker->user_apcs, 1);
    CHECK(e->worker->user_apc_pending);
    CHECK(!e->worker->alerted[KernelMode]);
    CHECK(!e->worker->alerted[UserMode]);
    et_done(e);
}

/* §1.6 table, FALSE/either mode: neither ends the wait; the alert stays pending till alertable. */
static void table_non_alertable_neither(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    LARGE_INTEGER zero = et_zero();
    KPROCESSOR_MODE mode;
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    for (mode = KernelMode; mode <= UserMode; mode++) {
        CHECK_EQ(begin(e, &idle, mode, FALSE, NULL), STATUS_PENDING);
        hh_alert(e, e->worker, KernelMode);
        hh_queue_user_apc(e, e->worker);
        CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
        KeSetEvent(&idle, 0, FALSE);
        CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
        KeResetEvent(&idle);
        /* On entry too: a non-alertable poll just times out. */
        CHECK_EQ(begin(e, &idle, mode, FALSE, &zero), STATUS_TIMEOUT);
        CHECK(e->worker->alerted[KernelMode]);
    }
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, NULL), STATUS_ALERTED);
    CHECK(!e->worker->alerted[KernelMode]);
    et_done(e);
}

/* §1.6 (KeAlertThread): a UserMode alert spares a KernelMode wait and stays pending. */
static void rule_user_mode_alert_spares_kernel_wait(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    LARGE_INTEGER zero = et_zero();
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, NULL), STATUS_PENDING);
    hh_alert(e, e->worker, UserMode);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
    CHECK(e->worker->alerted[UserMode]);
    KeSetEvent(&idle, 0, FALSE);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    KeResetEvent(&idle);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_TIMEOUT);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, &zero), STATUS_ALERTED);
    CHECK(!e->worker->alerted[UserMode]);
    et_done(e);
}

/* §1.6 (KiCheckAlertability): alert for the mode, then user APC, then KernelMode alert. */
static void rule_check_alertability_order(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    LARGE_INTEGER zero = et_zero();
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    hh_alert(e, e->worker, UserMode);
    hh_queue_user_apc(e, e->worker);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, &zero), STATUS_ALERTED);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, &zero), STATUS_USER_APC);
    /* The APC stays queued (a system thread): it keeps beating a KernelMode alert. */
    hh_alert(e, e->worker, KernelMode);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, &zero), STATUS_USER_APC);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_ALERTED);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_TIMEOUT);
    /* Delivered (a user thread's return to user mode), the KernelMode alert comes next. */
    hh_user_apcs_delivered(e, e->worker);
    hh_alert(e, e->worker, KernelMode);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, &zero), STATUS_ALERTED);
    CHECK_EQ(begin(e, &idle, UserMode, TRUE, &zero), STATUS_TIMEOUT);
    et_done(e);
}

/* §1.6: alerting an already alerted thread changes nothing; one alert ends one wait. */
static void rule_alerts_do_not_accumulate(void)
{
    struct hh_engine *e = et_engine();
    KEVENT idle;
    LARGE_INTEGER zero = et_zero();
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    hh_alert(e, e->worker, KernelMode);
    hh_alert(e, e->worker, KernelMode);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_ALERTED);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_TIMEOUT);
    et_done(e);
}

/* §1.3, §1.6: a WaitAll woken to re-test takes its objects before a later alert (ros-wait). */
static void rule_wait_all_retest_beats_later_alert(void)
{
    struct hh_engine *e = et_engine();
    KEVENT a, b, idle;
    PVOID objs[2];
    LARGE_INTEGER zero = et_zero();
    KeInitializeEvent(&a, SynchronizationEvent, FALSE);
    KeInitializeEvent(&b, NotificationEvent, TRUE);
    KeInitializeEvent(&idle, NotificationEvent, FALSE);
    objs[0] = &a;
    objs[1] = &b;
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, KernelMode, TRUE, NULL), STATUS_PENDING);
    KeSetEvent(&a, 0, FALSE);
    hh_alert(e, e->worker, KernelMode);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&a), 0);
    CHECK(e->worker->alerted[KernelMode]);
    CHECK_EQ(begin(e, &idle, KernelMode, TRUE, &zero), STATUS_ALERTED);
    et_done(e);
}

/* §1.3, §1.6: the same for a user APC; a failing re-test lets that APC end the wait. */
static void rule_wait_all_retest_then_user_apc(void)
{
    struct hh_engine *e = et_engine();
    PKTHREAD other;
    KEVENT a, b;
    PVOID objs[2];
    KeInitializeEvent(&a, SynchronizationEvent, FALSE);
    KeInitializeEvent(&b, NotificationEvent, TRUE);
    objs[0] = &a;
    objs[1] = &b;
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, UserMode, TRUE, NULL), STATUS_PENDING);
    KeSetEvent(&a, 0, FALSE);
    hh_queue_user_apc(e, e->worker);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK_EQ(e->worker->user_apcs, 1);
    /* The APC ends the next wait on entry... */
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, UserMode, TRUE, NULL), STATUS_USER_APC);
    /* ...and a failing re-test lets a late APC end the wait (another thread). */
    other = hh_engine_thread(e, "other");
    CHECK_EQ(et_begin(e, other, WaitAll, 2, objs, UserMode, TRUE, NULL), STATUS_PENDING);
    KeSetEvent(&a, 0, FALSE);
    KeResetEvent(&b);
    hh_queue_user_apc(e, other);
    CHECK_EQ(hh_wait_poll(e, other), STATUS_USER_APC);
    CHECK_EQ(KeReadStateEvent(&a), 1);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"decision6_object_before_alert", decision6_object_before_alert},
        {"decision6_object_before_user_apc", decision6_object_before_user_apc},
        {"decision6_alert_before_zero_timeout", decision6_alert_before_zero_timeout},
        {"decision6_user_apc_before_zero_timeout", decision6_user_apc_before_zero_timeout},
        {"rule_user_apc_stays_pending_in_system_thread",
         rule_user_apc_stays_pending_in_system_thread},
        {"rule_user_apc_answered_with_continue_livelocks",
         rule_user_apc_answered_with_continue_livelocks},
        {"table_kernel_alertable_alert_interrupts", table_kernel_alertable_alert_interrupts},
        {"table_kernel_alertable_user_apc_not_delivered",
         table_kernel_alertable_user_apc_not_delivered},
        {"table_user_alertable_alert_and_apc", table_user_alertable_alert_and_apc},
        {"table_non_alertable_neither", table_non_alertable_neither},
        {"rule_user_mode_alert_spares_kernel_wait", rule_user_mode_alert_spares_kernel_wait},
        {"rule_check_alertability_order", rule_check_alertability_order},
        {"rule_alerts_do_not_accumulate", rule_alerts_do_not_accumulate},
        {"rule_wait_all_retest_beats_later_alert", rule_wait_all_retest_beats_later_alert},
        {"rule_wait_all_retest_then_user_apc", rule_wait_all_retest_then_user_apc},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
