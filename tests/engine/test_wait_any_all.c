/* test_wait_any_all.c - the object test of KeWaitForMultipleObjects: WaitAny's lowest index and
 * single side effect, WaitAll's all-or-nothing, re-test, STATUS_ABANDONED, waking at signal
 * time, duplicates, count limits (WAIT-SEMANTICS §1.1-§1.5, §3, decisions 4-5; facts 27, 32-34).
 * Win32/NT waits map to the same Ke wait; NT's STATUS_INVALID_PARAMETER_MIX for WaitAll
 * duplicates maps to rule wait-objects.
 */
#include "engine_test.h"

#define EVENTS 64

struct multi_call {
    ULONG count;
    PVOID *objects;
    WAIT_TYPE type;
    BOOLEAN use_blocks;
    NTSTATUS status;
};

static void wait_multiple_fn(void *arg)
{
    static KWAIT_BLOCK blocks[MAXIMUM_WAIT_OBJECTS + 1];
    struct multi_call *c = arg;
    LARGE_INTEGER zero = et_zero();
    c->status = KeWaitForMultipleObjects(c->count, c->objects, c->type, Executive, KernelMode,
                                         FALSE, &zero, c->use_blocks ? blocks : NULL);
}

/* A zero-timeout KeWaitForMultipleObjects as the worker; -1 when a failure unwound it. */
static NTSTATUS ke_wait(struct hh_engine *e, ULONG count, PVOID *objects, WAIT_TYPE type,
                        BOOLEAN use_blocks)
{
    struct multi_call c;
    c.count = count;
    c.objects = objects;
    c.type = type;
    c.use_blocks = use_blocks;
    c.status = STATUS_PENDING;
    if (et_as(e, e->worker, wait_multiple_fn, &c) != 0)
        return -1;
    return c.status;
}

/* Fact 27: 64 events: the lowest signaled index wins and only the winner is cleared. */
static void fact27_wait_any_64_events_lowest_index(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev[EVENTS];
    PVOID objs[EVENTS];
    int i;
    for (i = 0; i < EVENTS; i++) {
        KeInitializeEvent(&ev[i], i == 0 ? NotificationEvent : SynchronizationEvent, TRUE);
        objs[i] = &ev[i];
    }
    CHECK_EQ(ke_wait(e, EVENTS, objs, WaitAny, TRUE), STATUS_WAIT_0);
    CHECK_EQ(ke_wait(e, EVENTS, objs, WaitAny, TRUE), STATUS_WAIT_0);
    KeResetEvent(&ev[0]);
    for (i = 1; i < EVENTS; i++) {
        int j;
        CHECK_EQ(ke_wait(e, EVENTS, objs, WaitAny, TRUE), STATUS_WAIT_0 + i);
        for (j = 1; j < EVENTS; j++)
            CHECK_EQ(KeReadStateEvent(&ev[j]), j > i);
    }
    CHECK_EQ(ke_wait(e, EVENTS, objs, WaitAny, TRUE), STATUS_TIMEOUT);
    CHECK_EQ(STATUS_WAIT_0 + 63, STATUS_WAIT_63);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* §1.2: the lowest satisfiable index wins whatever the object kinds, and only it is touched. */
static void rule_wait_any_lowest_satisfiable_index(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE empty, sem;
    PKMUTANT held = hh_engine_new_object(e, HH_OBJECT_MUTEX);
    KEVENT b, c;
    PVOID objs[5];
    KeInitializeSemaphore(&empty, 0, 3);
    KeInitializeSemaphore(&sem, 2, 3);
    KeInitializeEvent(&b, SynchronizationEvent, TRUE);
    KeInitializeEvent(&c, SynchronizationEvent, TRUE);
    CHECK_EQ(hh_acquire(e, hh_engine_thread(e, "other"), held), STATUS_SUCCESS);
    objs[0] = &empty;
    objs[1] = held;
    objs[2] = &sem;
    objs[3] = &b;
    objs[4] = &c;
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 5, objs), STATUS_WAIT_2);
    CHECK_EQ(KeReadStateSemaphore(&sem), 1);
    CHECK_EQ(KeReadStateEvent(&b), 1);
    CHECK_EQ(KeReadStateEvent(&c), 1);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 5, objs), STATUS_WAIT_2);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 5, objs), STATUS_WAIT_3);
    CHECK_EQ(KeReadStateEvent(&b), 0);
    CHECK_EQ(KeReadStateEvent(&c), 1);
    et_done(e);
}

/* §1.2: a WaitAny waiter gets the first object signaled even if a lower one follows. */
static void rule_wait_any_woken_at_signal_time(void)
{
    struct hh_engine *e = et_engine();
    KEVENT a, b;
    PVOID objs[2];
    KeInitializeEvent(&a, SynchronizationEvent, FALSE);
    KeInitializeEvent(&b, SynchronizationEvent, FALSE);
    objs[0] = &a;
    objs[1] = &b;
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 2, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    KeSetEvent(&b, 0, FALSE);
    KeSetEvent(&a, 0, FALSE);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_1);
    CHECK_EQ(KeReadStateEvent(&a), 1);
    CHECK_EQ(KeReadStateEvent(&b), 0);
    et_done(e);
}

/* A blocked wait keeps every object it names, whatever their count (the wait copies one or
 * two by assignment and more by memcpy): the last one's signal wakes it. */
static void rule_blocked_wait_keeps_every_object(void)
{
    static const ULONG counts[] = {1, 2, 3, MAXIMUM_WAIT_OBJECTS};
    size_t k;
    for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
        struct hh_engine *e = et_engine();
        KEVENT ev[MAXIMUM_WAIT_OBJECTS];
        PVOID objs[MAXIMUM_WAIT_OBJECTS];
        ULONG i, n = counts[k];
        for (i = 0; i < n; i++) {
            KeInitializeEvent(&ev[i], SynchronizationEvent, FALSE);
            objs[i] = &ev[i];
        }
        CHECK_EQ(et_begin(e, e->worker, WaitAny, n, objs, KernelMode, FALSE, NULL),
                 STATUS_PENDING);
        KeSetEvent(&ev[n - 1], 0, FALSE);
        CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0 + (NTSTATUS)(n - 1));
        CHECK_EQ(KeReadStateEvent(&ev[n - 1]), 0);
        et_done(e);
    }
}

/* Fact 32: a failed WaitAll leaves every object as it was; a satisfied one clears all. */
static void fact32_wait_all_no_side_effects_on_failure(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev[3];
    PVOID objs[3];
    int i;
    for (i = 0; i < 3; i++) {
        KeInitializeEvent(&ev[i], SynchronizationEvent, i != 1);
        objs[i] = &ev[i];
    }
    CHECK_EQ(ke_wait(e, 3, objs, WaitAll, FALSE), STATUS_TIMEOUT);
    CHECK_EQ(KeReadStateEvent(&ev[0]), 1);
    CHECK_EQ(KeReadStateEvent(&ev[1]), 0);
    CHECK_EQ(KeReadStateEvent(&ev[2]), 1);
    KeSetEvent(&ev[1], 0, FALSE);
    CHECK_EQ(ke_wait(e, 3, objs, WaitAll, FALSE), STATUS_SUCCESS);
    for (i = 0; i < 3; i++)
        CHECK_EQ(KeReadStateEvent(&ev[i]), 0);
    et_done(e);
}

/* Decision 4: a satisfied WaitAll applies every side effect in array order. */
static void decision4_wait_all_applies_every_side_effect(void)
{
    struct hh_engine *e = et_engine();
    KEVENT sync, notification;
    KSEMAPHORE sem;
    KMUTEX m1, m2;
    PVOID objs[5];
    KeInitializeEvent(&sync, SynchronizationEvent, TRUE);
    KeInitializeEvent(&notification, NotificationEvent, TRUE);
    KeInitializeSemaphore(&sem, 2, 2);
    KeInitializeMutex(&m1, 0);
    KeInitializeMutex(&m2, 0);
    objs[0] = &m2;
    objs[1] = &sync;
    objs[2] = &sem;
    objs[3] = &m1;
    objs[4] = &notification;
    CHECK_EQ(et_poll(e, e->worker, WaitAll, 5, objs), STATUS_WAIT_0);
    CHECK_EQ(STATUS_WAIT_0, STATUS_SUCCESS);
    CHECK_EQ(KeReadStateEvent(&sync), 0);
    CHECK_EQ(KeReadStateEvent(&notification), 1);
    CHECK_EQ(KeReadStateSemaphore(&sem), 1);
    CHECK(m1.OwnerThread == e->worker);
    CHECK(m2.OwnerThread == e->worker);
    CHECK_EQ(KeReadStateMutex(&m1), 0);
    CHECK_EQ(KeReadStateMutex(&m2), 0);
    /* Owned in array order: m2 joined the thread's list first. */
    CHECK(e->worker->mutants.Flink == &m2.MutantListEntry);
    CHECK(e->worker->mutants.Blink == &m1.MutantListEntry);
    et_done(e);
}

/* Decision 4: a WaitAll with an abandoned mutant returns exactly STATUS_ABANDONED. */
static void decision4_wait_all_abandoned_returns_0x80(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD other = hh_engine_thread(e, "other");
    KEVENT a, b;
    PVOID objs[3];
    KeInitializeEvent(&a, SynchronizationEvent, TRUE);
    KeInitializeEvent(&b, NotificationEvent, TRUE);
    objs[0] = &a;
    objs[1] = &b;
    objs[2] = m;
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    hh_thread_rundown(e, other);
    CHECK_EQ(et_poll(e, e->worker, WaitAll, 3, objs), STATUS_ABANDONED);
    CHECK_EQ(STATUS_ABANDONED, 0x80);
    CHECK_EQ(KeReadStateEvent(&a), 0);
    CHECK(m->OwnerThread == e->worker);
    CHECK_EQ(m->Header.Abandoned, 0);
    CHECK_EQ(m->Header.SignalState, 0);
    et_done(e);
}

/* §1.3: a WaitAll re-tests on each signal, never sees STATUS_KERNEL_APC, takes all at once. */
static void rule_wait_all_retests_on_signal(void)
{
    struct hh_engine *e = et_engine();
    KEVENT a, b;
    PVOID objs[2];
    NTSTATUS status;
    KeInitializeEvent(&a, SynchronizationEvent, FALSE);
    KeInitializeEvent(&b, SynchronizationEvent, FALSE);
    objs[0] = &a;
    objs[1] = &b;
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    KeSetEvent(&a, 0, FALSE);
    status = hh_wait_poll(e, e->worker);
    CHECK_EQ(status, STATUS_PENDING);
    CHECK(status != STATUS_KERNEL_APC);
    CHECK_EQ(KeReadStateEvent(&a), 1);
    KeSetEvent(&b, 0, FALSE);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&a), 0);
    CHECK_EQ(KeReadStateEvent(&b), 0);
    et_done(e);
}

/* §1.3 (WFMO-doc): a mutex in a waiting WaitAll can be taken by another thread meanwhile. */
static void rule_wait_all_leaves_objects_to_others(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD other = hh_engine_thread(e, "other");
    KEVENT ev;
    PVOID objs[2];
    LONG prev;
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    objs[0] = m;
    objs[1] = &ev;
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    KeSetEvent(&ev, 0, FALSE);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    CHECK_EQ(hh_mutant_release(e, other, m, &prev), STATUS_SUCCESS);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK(m->OwnerThread == e->worker);
    CHECK_EQ(KeReadStateEvent(&ev), 0);
    et_done(e);
}

/* §1.3: a WaitAll woken to re-test keeps its deadline; timed out, it changed nothing. */
static void rule_wait_all_deadline_does_not_grow(void)
{
    struct hh_engine *e = et_engine();
    KEVENT a, b;
    PVOID objs[2];
    LARGE_INTEGER timeout = et_relative(ET_MS(100));
    KeInitializeEvent(&a, SynchronizationEvent, FALSE);
    KeInitializeEvent(&b, SynchronizationEvent, FALSE);
    objs[0] = &a;
    objs[1] = &b;
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, KernelMode, FALSE, &timeout),
             STATUS_PENDING);
    hh_engine_advance_to(e, ET_MS(50));
    KeSetEvent(&a, 0, FALSE);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING);
    CHECK_EQ(hh_engine_next_due(e), ET_MS(100));
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(10)), 0);
    CHECK_EQ(e->now, ET_MS(100));
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_TIMEOUT);
    CHECK_EQ(KeReadStateEvent(&a), 1);
    et_done(e);
}

/* §1.3, §3 (ros-wait): a timer armed first wakes the WaitAll before its own timeout. */
static void rule_wait_all_woken_by_timer_before_own_timeout(void)
{
    struct hh_engine *e = et_engine();
    KTIMER x;
    KEVENT ev;
    PVOID objs[2];
    LARGE_INTEGER timeout = et_relative(ET_MS(100));
    KeInitializeTimerEx(&x, SynchronizationTimer);
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    objs[0] = &x;
    objs[1] = &ev;
    KeSetTimer(&x, et_relative(ET_MS(100)), NULL);
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, KernelMode, FALSE, &timeout),
             STATUS_PENDING);
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK_EQ(e->now, ET_MS(100));
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    CHECK(!KeReadStateTimer(&x));
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    et_done(e);
}

/* §3, arm order: a timeout armed before the timer fires first; the timer stays set. */
static void rule_wait_all_own_timeout_before_later_timer(void)
{
    struct hh_engine *e = et_engine();
    KTIMER x;
    KEVENT ev;
    PVOID objs[2];
    LARGE_INTEGER timeout = et_relative(ET_MS(100));
    KeInitializeTimerEx(&x, SynchronizationTimer);
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    objs[0] = &x;
    objs[1] = &ev;
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, KernelMode, FALSE, &timeout),
             STATUS_PENDING);
    KeSetTimer(&x, et_relative(ET_MS(100)), NULL);
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_TIMEOUT);
    CHECK(KeReadStateTimer(&x));
    et_done(e);
}

/* §1.3, §1.7: a WaitAll woken at its deadline that cannot complete times out then. */
static void rule_wait_all_retest_at_deadline_times_out(void)
{
    struct hh_engine *e = et_engine();
    KTIMER x;
    KEVENT ev;
    PVOID objs[2];
    LARGE_INTEGER timeout = et_relative(ET_MS(100));
    KeInitializeTimerEx(&x, NotificationTimer);
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    objs[0] = &x;
    objs[1] = &ev;
    KeSetTimer(&x, et_relative(ET_MS(100)), NULL);
    CHECK_EQ(et_begin(e, e->worker, WaitAll, 2, objs, KernelMode, FALSE, &timeout),
             STATUS_PENDING);
    CHECK_EQ(hh_engine_expire_next(e, ET_SECONDS(1)), 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_TIMEOUT);
    CHECK_EQ(e->now, ET_MS(100));
    CHECK_EQ(hh_engine_next_due(e), -1);
    et_done(e);
}

/* Fact 33, decision 5: WaitAny allows duplicates; the first entry's index wins. */
static void fact33_wait_any_duplicates_allowed(void)
{
    struct hh_engine *e = et_engine();
    KEVENT n, s;
    PVOID objs[3];
    KeInitializeEvent(&n, NotificationEvent, FALSE);
    KeInitializeEvent(&s, SynchronizationEvent, TRUE);
    objs[0] = &s;
    objs[1] = &s;
    CHECK_EQ(ke_wait(e, 2, objs, WaitAny, FALSE), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(&s), 0);
    CHECK_NO_FAILURE(e);
    objs[0] = &n;
    objs[1] = &s;
    objs[2] = &s;
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 3, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    KeSetEvent(&s, 0, FALSE);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_1);
    CHECK_EQ(KeReadStateEvent(&s), 0);
    et_done(e);
}

/* Fact 33, §1.5: one object twice in a WaitAll is rule wait-objects, nothing taken. */
static void fact33_wait_all_duplicate_is_invalid(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s;
    KEVENT ev;
    PVOID objs[3];
    KeInitializeSemaphore(&s, 2, 2);
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    objs[0] = &s;
    objs[1] = &ev;
    objs[2] = &s;
    CHECK_EQ(ke_wait(e, 3, objs, WaitAll, FALSE), -1);
    CHECK_RULE(e, HH_RULE_WAIT_OBJECTS);
    CHECK_CONTAINS(e->failure.message, "STATUS_INVALID_PARAMETER_MIX");
    CHECK_EQ(KeReadStateSemaphore(&s), 2);
    et_done(e);
}

/* Fact 34, §1.4: up to 3 objects need no wait blocks, up to 64 with them. */
static void fact34_count_within_limits(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[MAXIMUM_WAIT_OBJECTS];
    int i;
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    for (i = 0; i < MAXIMUM_WAIT_OBJECTS; i++)
        objs[i] = &ev;
    CHECK_EQ(ke_wait(e, THREAD_WAIT_OBJECTS, objs, WaitAny, FALSE), STATUS_WAIT_0);
    CHECK_EQ(ke_wait(e, MAXIMUM_WAIT_OBJECTS, objs, WaitAny, TRUE), STATUS_WAIT_0);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Fact 34: Count 4 without a WaitBlockArray is bug check 0xC (rule wait-objects). */
static void fact34_count_4_without_wait_blocks(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[4];
    int i;
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    for (i = 0; i < 4; i++)
        objs[i] = &ev;
    CHECK_EQ(ke_wait(e, 4, objs, WaitAny, FALSE), -1);
    CHECK_RULE(e, HH_RULE_WAIT_OBJECTS);
    CHECK_CONTAINS(e->failure.message, "MAXIMUM_WAIT_OBJECTS_EXCEEDED");
    et_done(e);
}

/* Fact 34: Count 65 with a WaitBlockArray is bug check 0xC (rule wait-objects). */
static void fact34_count_65_with_wait_blocks(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[MAXIMUM_WAIT_OBJECTS + 1];
    int i;
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    for (i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++)
        objs[i] = &ev;
    CHECK_EQ(ke_wait(e, MAXIMUM_WAIT_OBJECTS + 1, objs, WaitAny, TRUE), -1);
    CHECK_RULE(e, HH_RULE_WAIT_OBJECTS);
    CHECK_CONTAINS(e->failure.message, "MAXIMUM_WAIT_OBJECTS_EXCEEDED");
    et_done(e);
}

/* §1.4: Count 0 and a WaitType other than WaitAny/WaitAll are rule wait-objects. */
static void rule_count_zero_and_bad_wait_type(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[1];
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    objs[0] = &ev;
    CHECK_EQ(ke_wait(e, 0, objs, WaitAny, FALSE), -1);
    CHECK_RULE(e, HH_RULE_WAIT_OBJECTS);
    et_done(e);
    e = et_engine();
    CHECK_EQ(ke_wait(e, 1, objs, WaitNotification, FALSE), -1);
    CHECK_RULE(e, HH_RULE_WAIT_OBJECTS);
    et_done(e);
}

/* Choice (WAIT-SEMANTICS §1.5, fact 33): the Ke layer does not check a WaitAll that lists one
 * object twice (ReactOS resets a synchronization event once per entry); the NT layer rejects it
 * with STATUS_INVALID_PARAMETER_MIX. The harness keeps it a finding (rule wait-objects) and
 * touches nothing; a WaitAny may list an object twice. */
static void choice_wait_all_listing_object_twice_is_finding(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    PVOID objs[2];
    KeInitializeEvent(&ev, SynchronizationEvent, TRUE);
    objs[0] = &ev;
    objs[1] = &ev;
    CHECK_EQ(ke_wait(e, 2, objs, WaitAny, FALSE), STATUS_WAIT_0);
    CHECK_NO_FAILURE(e);
    KeSetEvent(&ev, 0, FALSE);
    CHECK_EQ(ke_wait(e, 2, objs, WaitAll, FALSE), -1);
    CHECK_RULE(e, HH_RULE_WAIT_OBJECTS);
    CHECK_CONTAINS(e->failure.message, "lists one object twice");
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"choice_wait_all_listing_object_twice_is_finding",
         choice_wait_all_listing_object_twice_is_finding},
        {"fact27_wait_any_64_events_lowest_index", fact27_wait_any_64_events_lowest_index},
        {"rule_wait_any_lowest_satisfiable_index", rule_wait_any_lowest_satisfiable_index},
        {"rule_wait_any_woken_at_signal_time", rule_wait_any_woken_at_signal_time},
        {"rule_blocked_wait_keeps_every_object", rule_blocked_wait_keeps_every_object},
        {"fact32_wait_all_no_side_effects_on_failure", fact32_wait_all_no_side_effects_on_failure},
        {"decision4_wait_all_applies_every_side_effect",
         decision4_wait_all_applies_every_side_effect},
        {"decision4_wait_all_abandoned_returns_0x80", decision4_wait_all_abandoned_returns_0x80},
        {"rule_wait_all_retests_on_signal", rule_wait_all_retests_on_signal},
        {"rule_wait_all_leaves_objects_to_others", rule_wait_all_leaves_objects_to_others},
        {"rule_wait_all_deadline_does_not_grow", rule_wait_all_deadline_does_not_grow},
        {"rule_wait_all_woken_by_timer_before_own_timeout",
         rule_wait_all_woken_by_timer_before_own_timeout},
        {"rule_wait_all_own_timeout_before_later_timer",
         rule_wait_all_own_timeout_before_later_timer},
        {"rule_wait_all_retest_at_deadline_times_out", rule_wait_all_retest_at_deadline_times_out},
        {"fact33_wait_any_duplicates_allowed", fact33_wait_any_duplicates_allowed},
        {"fact33_wait_all_duplicate_is_invalid", fact33_wait_all_duplicate_is_invalid},
        {"fact34_count_within_limits", fact34_count_within_limits},
        {"fact34_count_4_without_wait_blocks", fact34_count_4_without_wait_blocks},
        {"fact34_count_65_with_wait_blocks", fact34_count_65_with_wait_blocks},
        {"rule_count_zero_and_bad_wait_type", rule_count_zero_and_bad_wait_type},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
