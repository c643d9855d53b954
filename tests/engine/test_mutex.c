/* test_mutex.c - KMUTEX and mutants: ownership, recursion, MINLONG, non-owner release,
 * abandonment, a KMUTEX held at thread end (WAIT-SEMANTICS §1.1, §1.2, §2.2, decision 3;
 * facts 13-17, 23, 24, 31). NtCreateMutant(owned) maps to hh_acquire by another thread,
 * NtReleaseMutant/ReleaseMutex to hh_mutant_release/KeReleaseMutex, ERROR_NOT_OWNER to
 * STATUS_MUTANT_NOT_OWNED. The thread's KernelApcDisable count (fact 14) is not modelled.
 */
#include "engine_test.h"

struct mutex_call {
    PRKMUTEX m;
    KPROCESSOR_MODE mode;
    PVOID objects[2];
    ULONG count;
    WAIT_TYPE type;
    NTSTATUS status;
    LONG previous;
};

static void release_fn(void *arg)
{
    struct mutex_call *c = arg;
    c->previous = KeReleaseMutex(c->m, FALSE);
}

static void wait_fn(void *arg)
{
    struct mutex_call *c = arg;
    LARGE_INTEGER zero = et_zero();
    c->status = KeWaitForSingleObject(c->m, Executive, KernelMode, FALSE, &zero);
}

static void wait_multiple_fn(void *arg)
{
    struct mutex_call *c = arg;
    LARGE_INTEGER zero = et_zero();
    c->status = KeWaitForMultipleObjects(c->count, c->objects, c->type, Executive, c->mode,
                                         FALSE, &zero, NULL);
}

/* Acquires m as thread t with a zero-timeout KeWaitForSingleObject; returns the status. */
static NTSTATUS wait_as(struct hh_engine *e, PKTHREAD t, PRKMUTEX m)
{
    struct mutex_call c;
    c.m = m;
    c.status = STATUS_PENDING;
    CHECK_EQ(et_as(e, t, wait_fn, &c), 0);
    return c.status;
}

/* Releases m as thread t with KeReleaseMutex; returns the previous state. */
static LONG release_as(struct hh_engine *e, PKTHREAD t, PRKMUTEX m)
{
    struct mutex_call c;
    c.m = m;
    c.previous = 0x7777;
    CHECK_EQ(et_as(e, t, release_fn, &c), 0);
    return c.previous;
}

/* Fact 13: KeInitializeMutex -> state 1, no owner, ApcDisable 1; a mutant has ApcDisable 0. */
static void fact13_initialize_mutex(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX m;
    PKMUTANT made, mutant;
    memset(&m, 0xCC, sizeof(m));
    KeInitializeMutex(&m, 0);
    CHECK_EQ(KeReadStateMutex(&m), 1);
    CHECK(m.OwnerThread == NULL);
    CHECK_EQ(m.ApcDisable, 1);
    CHECK_EQ(m.Header.Abandoned, 0);
    CHECK_EQ(m.Header.Type, 2); /* the kernel's MutantObject */
    CHECK_EQ(m.Header.HhKind, HH_OBJECT_MUTEX);
    made = hh_engine_new_object(e, HH_OBJECT_MUTEX);
    mutant = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    CHECK_EQ(made->Header.SignalState, 1);
    CHECK_EQ(made->ApcDisable, 1);
    CHECK_EQ(mutant->Header.SignalState, 1);
    CHECK_EQ(mutant->ApcDisable, 0);
    CHECK(mutant->OwnerThread == NULL);
    CHECK_EQ(made->Header.Type, 2);
    CHECK_EQ(mutant->Header.Type, 2);
    CHECK_EQ(mutant->Header.HhKind, HH_OBJECT_MUTANT);
    et_done(e);
}

/* Fact 13: KeInitializeMutant(TRUE) = owned by the caller, state 0; its release returns 0. */
static void fact13_owned_mutant_release(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD creator = hh_engine_thread(e, "creator");
    LONG prev = 0x7777;
    CHECK_EQ(hh_acquire(e, creator, m), STATUS_SUCCESS);
    CHECK_EQ(m->Header.SignalState, 0);
    CHECK(m->OwnerThread == creator);
    CHECK_EQ(hh_mutant_release(e, creator, m, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, 0);
    CHECK_EQ(m->Header.SignalState, 1);
    CHECK(m->OwnerThread == NULL);
    et_done(e);
}

/* Fact 14: a KernelMode wait takes a free KMUTEX (state 0, owner); the release returns 0. */
static void fact14_wait_acquires_free_kmutex(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX m;
    KeInitializeMutex(&m, 0);
    CHECK_EQ(wait_as(e, e->worker, &m), STATUS_SUCCESS);
    CHECK_EQ(KeReadStateMutex(&m), 0);
    CHECK(m.OwnerThread == e->worker);
    CHECK_EQ(release_as(e, e->worker, &m), 0);
    CHECK_EQ(KeReadStateMutex(&m), 1);
    CHECK(m.OwnerThread == NULL);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Fact 15: 7 recursive waits give -1..-7, releases return -7..-1, then 0 frees it. */
static void fact15_recursive_acquire_and_release(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX m;
    LONG i;
    KeInitializeMutex(&m, 0);
    CHECK_EQ(wait_as(e, e->worker, &m), STATUS_SUCCESS);
    for (i = 1; i <= 7; i++) {
        CHECK_EQ(wait_as(e, e->worker, &m), STATUS_SUCCESS);
        CHECK_EQ(KeReadStateMutex(&m), -i);
    }
    for (i = 7; i >= 1; i--)
        CHECK_EQ(release_as(e, e->worker, &m), -i);
    CHECK(m.OwnerThread == e->worker);
    CHECK_EQ(release_as(e, e->worker, &m), 0);
    CHECK_EQ(KeReadStateMutex(&m), 1);
    CHECK(m.OwnerThread == NULL);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Fact 16: a mutex held MINLONG times, acquired again: rule mutant-limit, state unchanged. */
static void fact16_mutant_limit(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX m;
    struct mutex_call c;
    KeInitializeMutex(&m, 0);
    CHECK_EQ(wait_as(e, e->worker, &m), STATUS_SUCCESS);
    m.Header.SignalState = MINLONG;
    c.m = &m;
    CHECK_EQ(et_as(e, e->worker, wait_fn, &c), -1);
    CHECK_RULE(e, HH_RULE_MUTANT_LIMIT);
    CHECK_CONTAINS(e->failure.message, "STATUS_MUTANT_LIMIT_EXCEEDED");
    CHECK_EQ(KeReadStateMutex(&m), MINLONG);
    CHECK(m.OwnerThread == e->worker);
    et_done(e);
}

/* Fact 16, §1.3: in a WaitAll the limit is raised before any side effect. */
static void fact16_mutant_limit_in_wait_all_has_no_side_effects(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX m;
    KEVENT ev;
    struct mutex_call c;
    KeInitializeMutex(&m, 0);
    KeInitializeEvent(&ev, SynchronizationEvent, TRUE);
    CHECK_EQ(wait_as(e, e->worker, &m), STATUS_SUCCESS);
    m.Header.SignalState = MINLONG;
    c.objects[0] = &ev;
    c.objects[1] = &m;
    c.count = 2;
    c.type = WaitAll;
    c.mode = KernelMode;
    CHECK_EQ(et_as(e, e->worker, wait_multiple_fn, &c), -1);
    CHECK_RULE(e, HH_RULE_MUTANT_LIMIT);
    CHECK_EQ(KeReadStateEvent(&ev), 1);
    CHECK_EQ(KeReadStateMutex(&m), MINLONG);
    et_done(e);
}

/* Fact 16 (ros-wait): a MINLONG mutex ahead of an unsignaled object raises. */
static void fact16_mutant_limit_raised_before_unsatisfied_object(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX m;
    KEVENT ev;
    struct mutex_call c;
    KeInitializeMutex(&m, 0);
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    CHECK_EQ(wait_as(e, e->worker, &m), STATUS_SUCCESS);
    m.Header.SignalState = MINLONG;
    c.objects[0] = &m;
    c.objects[1] = &ev;
    c.count = 2;
    c.type = WaitAll;
    c.mode = KernelMode;
    c.status = STATUS_PENDING;
    CHECK_EQ(et_as(e, e->worker, wait_multiple_fn, &c), -1);
    CHECK_RULE(e, HH_RULE_MUTANT_LIMIT);
    CHECK_EQ(c.status, STATUS_PENDING);
    et_done(e);
}

/* Fact 17: releasing a free mutex is STATUS_MUTANT_NOT_OWNED, no bug check; state stays 1. */
static void fact17_release_free_mutex_not_owned(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX m;
    struct mutex_call c;
    LONG prev = 0x7777;
    KeInitializeMutex(&m, 0);
    CHECK_EQ(hh_mutant_release(e, e->driver, &m, &prev), STATUS_MUTANT_NOT_OWNED);
    CHECK_EQ(prev, 0x7777);
    CHECK_EQ(KeReadStateMutex(&m), 1);
    c.m = &m;
    CHECK_EQ(et_as(e, e->worker, release_fn, &c), -1);
    CHECK_RULE(e, HH_RULE_MUTANT_NOT_OWNED);
    CHECK_CONTAINS(e->failure.message, "STATUS_MUTANT_NOT_OWNED");
    CHECK_EQ(KeReadStateMutex(&m), 1);
    CHECK(m.OwnerThread == NULL);
    et_done(e);
}

/* §2.2: a release by a thread other than the owner is rule mutant-not-owned. */
static void rule_release_by_other_thread_not_owned(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX m;
    PKTHREAD other = hh_engine_thread(e, "other");
    struct mutex_call c;
    KeInitializeMutex(&m, 0);
    CHECK_EQ(hh_acquire(e, other, &m), STATUS_SUCCESS);
    c.m = &m;
    CHECK_EQ(et_as(e, e->worker, release_fn, &c), -1);
    CHECK_RULE(e, HH_RULE_MUTANT_NOT_OWNED);
    CHECK_EQ(KeReadStateMutex(&m), 0);
    CHECK(m.OwnerThread == other);
    et_done(e);
}

/* §2.2 (ros-mutex): a non-owner releasing an abandoned mutant gets STATUS_ABANDONED instead. */
static void rule_release_of_abandoned_mutant_raises_abandoned(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD other = hh_engine_thread(e, "other");
    struct mutex_call c;
    LONG prev = 0x7777;
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    hh_thread_rundown(e, other);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(hh_mutant_release(e, e->worker, m, &prev), STATUS_ABANDONED);
    CHECK_EQ(m->Header.SignalState, 1);
    CHECK_EQ(m->Header.Abandoned, 1);
    c.m = m;
    CHECK_EQ(et_as(e, e->worker, release_fn, &c), -1);
    CHECK_RULE(e, HH_RULE_MUTANT_NOT_OWNED);
    CHECK_CONTAINS(e->failure.message, "STATUS_ABANDONED");
    et_done(e);
}

/* Fact 23: an owned mutant taken again goes to -1; releases return -1 then 0; free again. */
static void fact23_owned_mutant_recursion(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD creator = hh_engine_thread(e, "creator");
    LONG prev = 0;
    CHECK_EQ(hh_acquire(e, creator, m), STATUS_SUCCESS);
    CHECK_EQ(m->Header.SignalState, 0);
    CHECK(m->OwnerThread == creator);
    CHECK_EQ(hh_acquire(e, creator, m), STATUS_SUCCESS);
    CHECK_EQ(m->Header.SignalState, -1);
    /* Owned once: the thread's list holds it exactly once. */
    CHECK(creator->mutants.Flink == &m->MutantListEntry);
    CHECK(m->MutantListEntry.Flink == &creator->mutants);
    CHECK_EQ(hh_mutant_release(e, creator, m, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, -1);
    CHECK_EQ(hh_mutant_release(e, creator, m, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, 0);
    CHECK_EQ(m->Header.SignalState, 1);
    CHECK(m->OwnerThread == NULL);
    CHECK(creator->mutants.Flink == &creator->mutants);
    /* Held by someone else, another thread cannot take it. */
    CHECK_EQ(hh_acquire(e, creator, m), STATUS_SUCCESS);
    CHECK_EQ(hh_acquire(e, hh_engine_thread(e, "other"), m), STATUS_TIMEOUT);
    CHECK_EQ(m->Header.SignalState, 0);
    et_done(e);
}

/* Fact 24: an abandoned mutant gives its next acquirer 0x80 and clears the abandoned flag. */
static void fact24_abandoned_mutant_next_acquirer(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD other = hh_engine_thread(e, "other");
    PVOID objs[1];
    LONG prev = 0;
    objs[0] = m;
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    hh_thread_rundown(e, other);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(m->Header.SignalState, 1);
    CHECK_EQ(m->Header.Abandoned, 1);
    CHECK(m->OwnerThread == NULL);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_ABANDONED_WAIT_0);
    CHECK_EQ(STATUS_ABANDONED_WAIT_0, 0x80);
    CHECK_EQ(m->Header.SignalState, 0);
    CHECK(m->OwnerThread == e->worker);
    CHECK_EQ(m->Header.Abandoned, 0);
    /* Released and taken again: a plain success now. */
    CHECK_EQ(hh_mutant_release(e, e->worker, m, &prev), STATUS_SUCCESS);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
    et_done(e);
}

/* §1.2: the abandoned status carries the index of the mutant (STATUS_ABANDONED_WAIT_0 + 1). */
static void rule_abandoned_status_carries_index(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    KEVENT ev;
    PVOID objs[2];
    KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
    objs[0] = &ev;
    objs[1] = m;
    CHECK_EQ(hh_acquire(e, hh_engine_thread(e, "other"), m), STATUS_SUCCESS);
    hh_thread_rundown(e, hh_engine_thread(e, "other"));
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 2, objs), STATUS_ABANDONED_WAIT_0 + 1);
    et_done(e);
}

/* §1.2: a signaled object ahead of an abandoned mutant wins; the mutant is untouched. */
static void rule_abandonment_does_not_change_winner(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    KEVENT ev;
    PVOID objs[2];
    KeInitializeEvent(&ev, SynchronizationEvent, TRUE);
    objs[0] = &ev;
    objs[1] = m;
    CHECK_EQ(hh_acquire(e, hh_engine_thread(e, "other"), m), STATUS_SUCCESS);
    hh_thread_rundown(e, hh_engine_thread(e, "other"));
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 2, objs), STATUS_WAIT_0);
    CHECK_EQ(m->Header.Abandoned, 1);
    CHECK_EQ(m->Header.SignalState, 1);
    CHECK(m->OwnerThread == NULL);
    et_done(e);
}

/* §2.2: a mutant abandoned under a waiting worker goes to it with STATUS_ABANDONED_WAIT_n. */
static void rule_abandon_wakes_blocked_waiter(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD other = hh_engine_thread(e, "other");
    KEVENT ev;
    PVOID objs[2];
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    objs[0] = &ev;
    objs[1] = m;
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 2, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    hh_thread_rundown(e, other);
    CHECK(m->OwnerThread == e->worker);
    CHECK_EQ(m->Header.SignalState, 0);
    CHECK_EQ(m->Header.Abandoned, 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_ABANDONED_WAIT_0 + 1);
    et_done(e);
}

/* §2.2: when the owner's release frees the mutex, ownership passes to the waiter. */
static void rule_release_passes_ownership_to_waiter(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTEX);
    PKTHREAD other = hh_engine_thread(e, "other");
    PVOID objs[1];
    LONG prev = 0x7777;
    objs[0] = m;
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    CHECK_EQ(et_begin(e, e->worker, WaitAny, 1, objs, KernelMode, FALSE, NULL), STATUS_PENDING);
    CHECK_EQ(hh_mutant_release(e, other, m, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, -1);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_PENDING); /* still held once */
    CHECK_EQ(hh_mutant_release(e, other, m, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, 0);
    CHECK(m->OwnerThread == e->worker);
    CHECK_EQ(m->Header.SignalState, 0);
    CHECK_EQ(hh_wait_poll(e, e->worker), STATUS_WAIT_0);
    et_done(e);
}

/* §1.2: a mutex counts as satisfiable when the caller already owns it, even at state <= 0. */
static void rule_owner_reacquires_in_wait_any(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTEX);
    KEVENT ev;
    PVOID objs[2];
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    objs[0] = &ev;
    objs[1] = m;
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 2, objs), STATUS_WAIT_1);
    CHECK_EQ(m->Header.SignalState, 0);
    CHECK_EQ(et_poll(e, e->worker, WaitAny, 2, objs), STATUS_WAIT_1);
    CHECK_EQ(m->Header.SignalState, -1);
    /* Another thread cannot take it. */
    CHECK_EQ(et_poll(e, hh_engine_thread(e, "other"), WaitAny, 2, objs), STATUS_TIMEOUT);
    et_done(e);
}

/* Fact 31: 32 recursive waits, 32 releases, then the 33rd release is STATUS_MUTANT_NOT_OWNED. */
static void fact31_recursion_then_not_owned(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PVOID objs[1];
    struct mutex_call c;
    LONG prev;
    int i;
    objs[0] = m;
    for (i = 0; i < 32; i++)
        CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
    CHECK_EQ(m->Header.SignalState, -31);
    for (i = 0; i < 32; i++)
        CHECK_EQ(hh_mutant_release(e, e->worker, m, &prev), STATUS_SUCCESS);
    CHECK_EQ(prev, 0);
    CHECK_EQ(hh_mutant_release(e, e->worker, m, &prev), STATUS_MUTANT_NOT_OWNED);
    CHECK_EQ(m->Header.SignalState, 1);
    c.m = m;
    CHECK_EQ(et_as(e, e->worker, release_fn, &c), -1);
    CHECK_RULE(e, HH_RULE_MUTANT_NOT_OWNED);
    et_done(e);
}

/* Decision 3: a thread ending with a KMUTEX is rule held-mutex, never an abandonment. */
static void decision3_kmutex_held_at_rundown(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX m;
    PKTHREAD other = hh_engine_thread(e, "other");
    KeInitializeMutex(&m, 0);
    CHECK_EQ(hh_acquire(e, other, &m), STATUS_SUCCESS);
    hh_thread_rundown(e, other);
    CHECK_RULE(e, HH_RULE_HELD_MUTEX);
    CHECK_CONTAINS(e->failure.message, "KERNEL_APC_PENDING_DURING_EXIT (0x20)");
    CHECK_CONTAINS(e->failure.message, "at -1;");
    CHECK_CONTAINS(e->failure.message, "THREAD_TERMINATE_HELD_MUTEX (0x4000008A)");
    CHECK_EQ(m.Header.Abandoned, 0);
    et_done(e);
}

/* Bug check 0x20's parameter 2 is the thread's APC-disable count: one per KMUTEX held (a
 * recursive acquisition disables nothing more, ros KiSatisfyMutantWait); mutants count none. */
static void rule_held_kmutexes_counted_in_apc_disable(void)
{
    struct hh_engine *e = et_engine();
    KMUTEX a, b;
    PKMUTANT mutant = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD other = hh_engine_thread(e, "other");
    KeInitializeMutex(&a, 0);
    KeInitializeMutex(&b, 0);
    CHECK_EQ(hh_acquire(e, other, &a), STATUS_SUCCESS);
    CHECK_EQ(hh_acquire(e, other, &a), STATUS_SUCCESS);
    CHECK_EQ(hh_acquire(e, other, mutant), STATUS_SUCCESS);
    CHECK_EQ(hh_acquire(e, other, &b), STATUS_SUCCESS);
    hh_thread_rundown(e, other);
    CHECK_RULE(e, HH_RULE_HELD_MUTEX);
    CHECK_CONTAINS(e->failure.message, "at -2;");
    CHECK_CONTAINS(e->failure.message, "and other KMUTEXes");
    CHECK_EQ(mutant->Header.Abandoned, 1);
    et_done(e);
}

/* Decision 3: only a mutant is abandoned; a thread holding none ends cleanly. */
static void decision3_rundown_without_mutexes_is_clean(void)
{
    struct hh_engine *e = et_engine();
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD other = hh_engine_thread(e, "other");
    LONG prev;
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    CHECK_EQ(hh_mutant_release(e, other, m, &prev), STATUS_SUCCESS);
    hh_thread_rundown(e, other);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(m->Header.Abandoned, 0);
    CHECK_EQ(m->Header.SignalState, 1);
    et_done(e);
}

/* KWFMO-doc: a mutex in a wait requires WaitMode KernelMode. A routine's own UserMode wait
 * naming a KMUTEX, alone or among others, is rule wait-objects and touches nothing; a
 * mutant (an NT mutex, which user-mode waits take) in a UserMode wait is allowed. */
static void rule_kmutex_in_user_mode_wait_is_violation(void)
{
    int mutant;
    for (mutant = 0; mutant < 2; mutant++) {
        struct hh_engine *e = et_engine();
        PKMUTANT m = hh_engine_new_object(e, mutant ? HH_OBJECT_MUTANT : HH_OBJECT_MUTEX);
        KEVENT ev;
        struct mutex_call c;
        memset(&c, 0, sizeof(c));
        KeInitializeEvent(&ev, NotificationEvent, TRUE);
        c.objects[0] = &ev;
        c.objects[1] = m;
        c.count = 2;
        c.type = WaitAny;
        c.mode = UserMode;
        c.status = STATUS_PENDING;
        if (mutant) {
            CHECK_EQ(et_as(e, e->worker, wait_multiple_fn, &c), 0);
            CHECK_NO_FAILURE(e);
            CHECK_EQ(c.status, STATUS_WAIT_0);
        } else {
            CHECK_EQ(et_as(e, e->worker, wait_multiple_fn, &c), -1);
            CHECK_RULE(e, HH_RULE_WAIT_OBJECTS);
            CHECK_CONTAINS(e->failure.message, "KernelMode");
            CHECK_EQ(c.status, STATUS_PENDING);
            CHECK_EQ(m->Header.SignalState, 1);
        }
        et_done(e);
    }
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"fact13_initialize_mutex", fact13_initialize_mutex},
        {"rule_held_kmutexes_counted_in_apc_disable", rule_held_kmutexes_counted_in_apc_disable},
        {"rule_kmutex_in_user_mode_wait_is_violation",
         rule_kmutex_in_user_mode_wait_is_violation},
        {"fact13_owned_mutant_release", fact13_owned_mutant_release},
        {"fact14_wait_acquires_free_kmutex", fact14_wait_acquires_free_kmutex},
        {"fact15_recursive_acquire_and_release", fact15_recursive_acquire_and_release},
        {"fact16_mutant_limit", fact16_mutant_limit},
        {"fact16_mutant_limit_in_wait_all_has_no_side_effects",
         fact16_mutant_limit_in_wait_all_has_no_side_effects},
        {"fact16_mutant_limit_raised_before_unsatisfied_object",
         fact16_mutant_limit_raised_before_unsatisfied_object},
        {"fact17_release_free_mutex_not_owned", fact17_release_free_mutex_not_owned},
        {"rule_release_by_other_thread_not_owned", rule_release_by_other_thread_not_owned},
        {"rule_release_of_abandoned_mutant_raises_abandoned",
         rule_release_of_abandoned_mutant_raises_abandoned},
        {"fact23_owned_mutant_recursion", fact23_owned_mutant_recursion},
        {"fact24_abandoned_mutant_next_acquirer", fact24_abandoned_mutant_next_acquirer},
        {"rule_abandoned_status_carries_index", rule_abandoned_status_carries_index},
        {"rule_abandonment_does_not_change_winner", rule_abandonment_does_not_change_winner},
        {"rule_abandon_wakes_blocked_waiter", rule_abandon_wakes_blocked_waiter},
        {"rule_release_passes_ownership_to_waiter", rule_release_passes_ownership_to_waiter},
        {"rule_owner_reacquires_in_wait_any", rule_owner_reacquires_in_wait_any},
        {"fact31_recursion_then_not_owned", fact31_recursion_then_not_owned},
        {"decision3_kmutex_held_at_rundown", decision3_kmutex_held_at_rundown},
        {"decision3_rundown_without_mutexes_is_clean", decision3_rundown_without_mutexes_is_clean},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
