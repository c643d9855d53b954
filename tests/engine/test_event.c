/* test_event.c - events: KeInitializeEvent, KeSetEvent, KeResetEvent, KeClearEvent,
 * KePulseEvent, KeReadStateEvent, and what satisfying a wait does to each kind
 * (WAIT-SEMANTICS §2.1, §3; facts 1-6, 8, 9, 11, 19-22, 28, 29).
 * NT facts (N) map to the Ke routine the NT call wraps; the Win32 SignalObjectAndWait of facts
 * 28-29 maps to KeSetEvent(Wait = TRUE) followed by a KeWaitForSingleObject, as the kernel does.
 */
#include "engine_test.h"

/* Fact 1: a new event reads 0 when initialized FALSE and 1 when TRUE, either type, any IRQL. */
static void fact01_initialize_event_state(void)
{
    struct hh_engine *e = et_engine();
    KEVENT n, s;
    KIRQL old;
    KeInitializeEvent(&n, NotificationEvent, FALSE);
    KeInitializeEvent(&s, SynchronizationEvent, FALSE);
    CHECK_EQ(KeReadStateEvent(&n), 0);
    CHECK_EQ(KeReadStateEvent(&s), 0);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KeInitializeEvent(&n, NotificationEvent, TRUE);
    KeInitializeEvent(&s, SynchronizationEvent, TRUE);
    KeLowerIrql(old);
    CHECK_EQ(KeReadStateEvent(&n), 1);
    CHECK_EQ(KeReadStateEvent(&s), 1);
    CHECK_EQ(n.Header.HhKind, HH_OBJECT_NOTIFICATION_EVENT);
    CHECK_EQ(s.Header.HhKind, HH_OBJECT_SYNCHRONIZATION_EVENT);
    CHECK_EQ(n.Header.Type, 0); /* the kernel's EventNotificationObject */
    CHECK_EQ(s.Header.Type, 1); /* EventSynchronizationObject */
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Fact 2: KePulseEvent returns the previous state (0x12345678) and leaves the event at 0. */
static void fact02_pulse_returns_previous_and_clears(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    ev.Header.SignalState = 0x12345678;
    CHECK_EQ(KePulseEvent(&ev, 0, FALSE), 0x12345678);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    et_done(e);
}

/* Fact 3: KeClearEvent on a state of 0x12345678 leaves 0. */
static void fact03_clear_event(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    ev.Header.SignalState = 0x12345678;
    KeClearEvent(&ev);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    et_done(e);
}

/* Fact 4: KeSetEvent on state 0 returns 0 and leaves 1. */
static void fact04_set_event_from_zero(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    CHECK_EQ(KeSetEvent(&ev, IO_NO_INCREMENT, FALSE), 0);
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    et_done(e);
}

/* Fact 5: KeResetEvent on state 1 returns 1 and leaves 0. */
static void fact05_reset_event_returns_previous(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    CHECK_EQ(KeResetEvent(&ev), 1);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    et_done(e);
}

/* Fact 6: KeSetEvent on state 0x23456789 returns it and sets exactly 1. */
static void fact06_set_event_sets_exactly_one(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    ev.Header.SignalState = 0x23456789;
    CHECK_EQ(KeSetEvent(&ev, IO_NO_INCREMENT, FALSE), 0x23456789);
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    et_done(e);
}

/* Fact 19: pulsing a new synchronization event returns 0 and leaves 0 (NtPulseEvent). */
static void fact19_pulse_unsignaled_sync_event(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    CHECK_EQ(KePulseEvent(&ev, 0, FALSE), 0);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    et_done(e);
}

/* Fact 20, §3: sets return 0 then 1 and never accumulate; the next poll takes the one signal. */
static void fact20_set_does_not_accumulate(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[1];
    objs[0] = &ev;
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    CHECK_EQ(KeSetEvent(&ev, 0, FALSE), 0);
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    CHECK_EQ(KeSetEvent(&ev, 0, FALSE), 1);
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_TIMEOUT);
    et_done(e);
}

/* Fact 21: NtResetEvent = KeResetEvent: state 1 -> previous 1 -> previous 0. */
static void fact21_reset_twice(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    KeInitializeEvent(&ev, SynchronizationEvent, TRUE);
    CHECK_EQ(KeResetEvent(&ev), 1);
    CHECK_EQ(KeResetEvent(&ev), 0);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    et_done(e);
}

/* Fact 22: pulsing a signaled event returns previous 1 and leaves it reset. */
static void fact22_pulse_signaled_event(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    CHECK_EQ(KeSetEvent(&ev, 0, FALSE), 0);
    CHECK_EQ(KePulseEvent(&ev, 0, FALSE), 1);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    et_done(e);
}

/* §2.1: a notification event satisfies any number of waits and stays signaled. */
static void rule_notification_event_not_reset_by_wait(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[1];
    objs[0] = &ev;
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
    CHECK_EQ(et_poll(e, e->worker, WaitAll, 1, objs), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    et_done(e);
}

/* §2.1: a synchronization event is reset by the wait it satisfies. */
static void rule_sync_event_reset_by_wait(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[1];
    objs[0] = &ev;
    KeInitializeEvent(&ev, SynchronizationEvent, TRUE);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_TIMEOUT);
    KeSetEvent(&ev, 0, FALSE);
    CHECK_EQ(et_poll(e, e->worker, WaitAll, 1, objs), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    et_done(e);
}

/* Fact 8 (one waiter): KeSetEvent releases it from the wait list; the state stays 1. */
static void fact08_notification_set_releases_waiter(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[1];
    objs[0] = &ev;
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(ev.Header.WaitListHint, 1);
    CHECK_EQ(KeSetEvent(&ev, 0, FALSE), 0);
    CHECK_EQ(ev.Header.WaitListHint, 0);
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    et_done(e);
}

/* Fact 9 (one waiter): KeSetEvent returns 0, the waiter takes the signal, state stays 0. */
static void fact09_sync_set_consumed_by_waiter(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[1];
    objs[0] = &ev;
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(KeSetEvent(&ev, 0, FALSE), 0);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING); /* delivered once */
    et_done(e);
}

/* Fact 11 (one waiter): KePulseEvent releases the waiter of either kind and leaves state 0. */
static void fact11_pulse_releases_waiter(void)
{
    struct hh_engine *e = et_engine();
    KEVENT n, s;
    PVOID objs[1];
    KeInitializeEvent(&n, NotificationEvent, FALSE);
    KeInitializeEvent(&s, SynchronizationEvent, FALSE);
    objs[0] = &n;
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(KePulseEvent(&n, 0, FALSE), 0);
    CHECK_EQ(KeReadStateEvent(&n), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    objs[0] = &s;
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(KePulseEvent(&s, 0, FALSE), 0);
    CHECK_EQ(KeReadStateEvent(&s), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    et_done(e);
}

/* §2.1: a pulse with nobody waiting wakes nobody, and a later wait does not see it. */
static void rule_pulse_without_waiters_is_lost(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[1];
    objs[0] = &ev;
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    CHECK_EQ(KePulseEvent(&ev, 0, FALSE), 0);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_TIMEOUT);
    et_done(e);
}

/* §2.1 (facts 2, 11): a WaitAll waiter re-tests after the pulse's reset and keeps waiting. */
static void rule_pulse_lost_for_wait_all_waiter(void)
{
    struct hh_engine *e = et_engine();
    KEVENT p, q;
    PVOID objs[2];
    objs[0] = &p;
    objs[1] = &q;
    KeInitializeEvent(&p, NotificationEvent, FALSE);
    KeInitializeEvent(&q, SynchronizationEvent, TRUE);
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(KePulseEvent(&p, 0, FALSE), 0);
    CHECK_EQ(KeReadStateEvent(&p), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
    CHECK_EQ(KeReadStateEvent(&q), 1);
    /* Still waiting: a real set completes it, with both side effects. */
    CHECK_EQ(KeSetEvent(&p, 0, FALSE), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&p), 1);
    CHECK_EQ(KeReadStateEvent(&q), 0);
    et_done(e);
}

/* §2.1 (fact 11): a pulse releases a WaitAny waiter with its index; nothing else changes. */
static void rule_pulse_releases_wait_any_waiter(void)
{
    struct hh_engine *e = et_engine();
    KEVENT a, p;
    PVOID objs[2];
    objs[0] = &a;
    objs[1] = &p;
    KeInitializeEvent(&a, SynchronizationEvent, FALSE);
    KeInitializeEvent(&p, SynchronizationEvent, FALSE);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 2, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(KePulseEvent(&p, 0, FALSE), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_1);
    CHECK_EQ(KeReadStateEvent(&a), 0);
    CHECK_EQ(KeReadStateEvent(&p), 0);
    et_done(e);
}

/* §2.1, §3: a set sync event only wakes a WaitAll to re-test; failing, it stays set. */
static void rule_sync_event_not_consumed_by_failed_wait_all(void)
{
    struct hh_engine *e = et_engine();
    KEVENT s, n;
    PVOID objs[2];
    objs[0] = &s;
    objs[1] = &n;
    KeInitializeEvent(&s, SynchronizationEvent, FALSE);
    KeInitializeEvent(&n, NotificationEvent, FALSE);
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(KeSetEvent(&s, 0, FALSE), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
    CHECK_EQ(KeReadStateEvent(&s), 1);
    CHECK_EQ(KeSetEvent(&n, 0, FALSE), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&s), 0);
    CHECK_EQ(KeReadStateEvent(&n), 1);
    et_done(e);
}

struct signal_and_wait {
    PRKEVENT signal, wait;
    LONG previous;
    NTSTATUS first, second;
};

static void signal_and_wait_fn(void *arg)
{
    struct signal_and_wait *c = arg;
    LARGE_INTEGER zero = et_zero();
    c->previous = KeSetEvent(c->signal, 0, TRUE);
    c->first = KeWaitForSingleObject(c->wait, Executive, KernelMode, FALSE, &zero);
    c->second = KeWaitForSingleObject(c->wait, Executive, KernelMode, FALSE, &zero);
}

/* Fact 28: KeSetEvent(E, Wait = TRUE) + zero wait on E takes its own signal; a second times out. */
static void fact28_signal_and_wait_own_event(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    struct signal_and_wait c;
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    c.signal = c.wait = &ev;
    CHECK_EQ(et_as(e, e->worker, signal_and_wait_fn, &c), 0);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(c.previous, 0);
    CHECK_EQ(c.first, STATUS_WAIT_0);
    CHECK_EQ(c.second, STATUS_TIMEOUT);
    CHECK_EQ(e->worker->irql, PASSIVE_LEVEL);
    et_done(e);
}

/* Fact 29: signal E0 and zero wait on a reset manual E1 times out; E0 keeps the signal. */
static void fact29_signal_and_wait_other_event(void)
{
    struct hh_engine *e = et_engine();
    KEVENT e0, e1;
    struct signal_and_wait c;
    KeInitializeEvent(&e0, SynchronizationEvent, FALSE);
    KeInitializeEvent(&e1, NotificationEvent, FALSE);
    c.signal = &e0;
    c.wait = &e1;
    CHECK_EQ(et_as(e, e->worker, signal_and_wait_fn, &c), 0);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(c.first, STATUS_TIMEOUT);
    CHECK_EQ(KeReadStateEvent(&e0), 1);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"fact01_initialize_event_state", fact01_initialize_event_state},
        {"fact02_pulse_returns_previous_and_clears", fact02_pulse_returns_previous_and_clears},
        {"fact03_clear_event", fact03_clear_event},
        {"fact04_set_event_from_zero", fact04_set_event_from_zero},
        {"fact05_reset_event_returns_previous", fact05_reset_event_returns_previous},
        {"fact06_set_event_sets_exactly_one", fact06_set_event_sets_exactly_one},
        {"fact19_pulse_unsignaled_sync_event", fact19_pulse_unsignaled_sync_event},
        {"fact20_set_does_not_accumulate", fact20_set_does_not_accumulate},
        {"fact21_reset_twice", fact21_reset_twice},
        {"fact22_pulse_signaled_event", fact22_pulse_signaled_event},
        {"rule_notification_event_not_reset_by_wait", rule_notification_event_not_reset_by_wait},
        {"rule_sync_event_reset_by_wait", rule_sync_event_reset_by_wait},
        {"fact08_notification_set_releases_waiter", fact08_notification_set_releases_waiter},
        {"fact09_sync_set_consumed_by_waiter", fact09_sync_set_consumed_by_waiter},
        {"fact11_pulse_releases_waiter", fact11_pulse_releases_waiter},
        {"rule_pulse_without_waiters_is_lost", rule_pulse_without_waiters_is_lost},
        {"rule_pulse_lost_for_wait_all_waiter", rule_pulse_lost_for_wait_all_waiter},
        {"rule_pulse_releases_wait_any_waiter", rule_pulse_releases_wait_any_waiter},
        {"rule_sync_event_not_consumed_by_failed_wait_all",
         rule_sync_event_not_consumed_by_failed_wait_all},
        {"fact28_signal_and_wait_own_event", fact28_signal_and_wait_own_event},
        {"fact29_signal_and_wait_other_event", fact29_signal_and_wait_other_event},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
