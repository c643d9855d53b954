/* test_semaphore.c - KSEMAPHORE: count, limit, the wait's decrement, release and over-release
 * (WAIT-SEMANTICS §2.3, §3; facts 26, 30). NtReleaseSemaphore's status maps to
 * hh_semaphore_release's; the raised STATUS_SEMAPHORE_LIMIT_EXCEEDED (Win32 FALSE/WAIT_FAILED)
 * to rule semaphore-limit. Fact 25 (NtCreateSemaphore, initial > maximum) has no Ke
 * counterpart: KeInitializeSemaphore checks nothing; the scenario validator owns that check.
 */
#include "engine_test.h"

struct sem_call {
    PRKSEMAPHORE s;
    PRKSEMAPHORE wait_on;
    LONG adjustment;
    LONG previous;
    NTSTATUS status;
};

static void release_fn(void *arg)
{
    struct sem_call *c = arg;
    c->previous = KeReleaseSemaphore(c->s, SEMAPHORE_INCREMENT, c->adjustment, FALSE);
}

/* SignalObjectAndWait(S, W, 0): KeReleaseSemaphore(Wait = TRUE), then a zero-timeout wait. */
static void signal_and_wait_fn(void *arg)
{
    struct sem_call *c = arg;
    LARGE_INTEGER zero = et_zero();
    c->previous = KeReleaseSemaphore(c->s, SEMAPHORE_INCREMENT, 1, TRUE);
    c->status = KeWaitForSingleObject(c->wait_on, Executive, KernelMode, FALSE, &zero);
}

/* §2.3: KeInitializeSemaphore(Count, Limit) sets the state to Count. */
static void rule_initialize_semaphore_count(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s;
    KeInitializeSemaphore(&s, 2, 5);
    CHECK_EQ(KeReadStateSemaphore(&s), 2);
    CHECK_EQ(s.Limit, 5);
    CHECK_EQ(s.Header.HhKind, HH_OBJECT_SEMAPHORE);
    CHECK_EQ(s.Header.Type, 5); /* the kernel's SemaphoreObject */
    et_done(e);
}

/* §2.3: each satisfied wait decrements the count by one; at 0 the wait is not satisfied. */
static void rule_wait_decrements_by_one(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s;
    PVOID objs[1];
    objs[0] = &s;
    KeInitializeSemaphore(&s, 2, 5);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateSemaphore(&s), 1);
    CHECK_EQ(et_poll(e, e->worker, WaitAll, 1, objs), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateSemaphore(&s), 0);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_TIMEOUT);
    CHECK_EQ(KeReadStateSemaphore(&s), 0);
    et_done(e);
}

/* Fact 26: an over-release fails with the count and the previous-count output untouched. */
static void fact26_over_release_leaves_count(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s;
    PVOID objs[1];
    LONG prev = 0x7777;
    objs[0] = &s;
    KeInitializeSemaphore(&s, 1, 2);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
    CHECK_EQ(KeReadStateSemaphore(&s), 0);
    CHECK_EQ(hh_semaphore_release(e, &s, 3, &prev), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(prev, 0x7777);
    CHECK_EQ(KeReadStateSemaphore(&s), 0);
    CHECK_EQ(hh_semaphore_release(e, &s, 1, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, 0);
    CHECK_EQ(hh_semaphore_release(e, &s, 1, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, 1);
    prev = 0x7777;
    CHECK_EQ(hh_semaphore_release(e, &s, 1, &prev), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(prev, 0x7777);
    CHECK_EQ(KeReadStateSemaphore(&s), 2);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Fact 26, decision 7: KeReleaseSemaphore past the limit is rule semaphore-limit. */
static void fact26_ke_release_past_limit_is_semaphore_limit(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s;
    struct sem_call c;
    KeInitializeSemaphore(&s, 1, 2);
    c.s = &s;
    c.adjustment = 1;
    CHECK_EQ(et_as(e, e->worker, release_fn, &c), 0);
    CHECK_EQ(c.previous, 1);
    CHECK_EQ(et_as(e, e->worker, release_fn, &c), -1);
    CHECK_RULE(e, HH_RULE_SEMAPHORE_LIMIT);
    CHECK_CONTAINS(e->failure.message, "STATUS_SEMAPHORE_LIMIT_EXCEEDED");
    CHECK_EQ(KeReadStateSemaphore(&s), 2);
    et_done(e);
}

/* §2.3 (ros-sem): a negative or overflowing adjustment is past the limit too. */
static void rule_release_negative_or_overflowing_adjustment(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s;
    LONG prev = 0x7777;
    KeInitializeSemaphore(&s, MAXLONG - 1, MAXLONG);
    CHECK_EQ(hh_semaphore_release(e, &s, 2, &prev), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(hh_semaphore_release(e, &s, -1, &prev), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(hh_semaphore_release(e, &s, MAXLONG, &prev), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(prev, 0x7777);
    CHECK_EQ(KeReadStateSemaphore(&s), MAXLONG - 1);
    CHECK_EQ(hh_semaphore_release(e, &s, 1, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, MAXLONG - 1);
    CHECK_EQ(KeReadStateSemaphore(&s), MAXLONG);
    et_done(e);
}

/* §2.3, §3: a release returns 0, satisfies the waiter (count - 1) and keeps the rest. */
static void rule_release_satisfies_waiter(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s;
    PVOID objs[1];
    LONG prev = 0x7777;
    objs[0] = &s;
    KeInitializeSemaphore(&s, 0, 5);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(hh_semaphore_release(e, &s, 2, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, 0);
    CHECK_EQ(KeReadStateSemaphore(&s), 1);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    et_done(e);
}

/* Fact 30: release S0 + zero wait on S1 succeeds; repeated, S0 is at its limit and S1 untouched. */
static void fact30_signal_and_wait_semaphores(void)
{
    struct hh_engine *e = et_engine();
    KSEMAPHORE s0, s1;
    struct sem_call c;
    LONG prev = 0x7777;
    KeInitializeSemaphore(&s0, 0, 1);
    KeInitializeSemaphore(&s1, 1, 1);
    c.s = &s0;
    c.wait_on = &s1;
    c.status = STATUS_PENDING;
    CHECK_EQ(et_as(e, e->worker, signal_and_wait_fn, &c), 0);
    CHECK_EQ(c.previous, 0);
    CHECK_EQ(c.status, STATUS_WAIT_0);
    CHECK_EQ(KeReadStateSemaphore(&s0), 1);
    CHECK_EQ(KeReadStateSemaphore(&s1), 0);
    CHECK_EQ(e->worker->irql, PASSIVE_LEVEL);
    c.status = STATUS_PENDING;
    CHECK_EQ(et_as(e, e->worker, signal_and_wait_fn, &c), -1);
    CHECK_RULE(e, HH_RULE_SEMAPHORE_LIMIT);
    CHECK_EQ(c.status, STATUS_PENDING);
    CHECK_EQ(KeReadStateSemaphore(&s0), 1);
    CHECK_EQ(KeReadStateSemaphore(&s1), 0);
    CHECK_EQ(hh_semaphore_release(e, &s0, 1, &prev), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(hh_semaphore_release(e, &s1, 1, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, 0);
    et_done(e);
}

/* §2.3: a semaphore made by the engine starts at count 0 with the largest limit. */
static void rule_engine_semaphore_defaults(void)
{
    struct hh_engine *e = et_engine();
    PKSEMAPHORE s = hh_engine_new_object(e, HH_OBJECT_SEMAPHORE);
    CHECK_EQ(s->Header.SignalState, 0);
    CHECK_EQ(s->Limit, MAXLONG);
    CHECK(!hh_object_signaled(e, s));
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"rule_initialize_semaphore_count", rule_initialize_semaphore_count},
        {"rule_wait_decrements_by_one", rule_wait_decrements_by_one},
        {"fact26_over_release_leaves_count", fact26_over_release_leaves_count},
        {"fact26_ke_release_past_limit_is_semaphore_limit",
         fact26_ke_release_past_limit_is_semaphore_limit},
        {"rule_release_negative_or_overflowing_adjustment",
         rule_release_negative_or_overflowing_adjustment},
        {"rule_release_satisfies_waiter", rule_release_satisfies_waiter},
        {"fact30_signal_and_wait_semaphores", fact30_signal_and_wait_semaphores},
        {"rule_engine_semaphore_defaults", rule_engine_semaphore_defaults},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
