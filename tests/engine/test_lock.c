/* test_lock.c - locks on the worker thread: a routine that returns holding a lock or inside a
 * region it entered (rule held-at-return, at that return), and a lock another thread holds
 * (the worker waits on the lock's dispatcher object until the owner releases it, or reports a
 * deadlock when nothing can).
 */
#include <stdio.h>
#include <string.h>

#include "engine_test.h"

static FAST_MUTEX fm;
static ERESOURCE res;
static PKTHREAD client;
static int guarded_line, region_line, resource_line; /* where the body below enters and takes */

static void start_worker(struct hh_engine *e, struct et_routine *r, struct et_start *s,
                         PKEVENT work, void (*body)(struct et_routine *, NTSTATUS))
{
    memset(r, 0, sizeof(*r));
    memset(s, 0, sizeof(*s));
    r->answer = TRUE;
    r->body = body;
    r->e = e;
    s->type = WaitAny;
    s->count = 1;
    s->objects[0] = work;
    et_configure(e, r, s);
    hh_worker_start(e);
}

/* ---- held-at-return -------------------------------------------------------------------- */
static void enter_region_and_take_resource(struct et_routine *r, NTSTATUS status)
{
    (void)r;
    (void)status;
    guarded_line = __LINE__ + 1;
    KeEnterGuardedRegion();
    region_line = __LINE__ + 1;
    KeEnterCriticalRegion();
    resource_line = __LINE__ + 1;
    ExAcquireResourceSharedLite(&res, TRUE);
}

static void balanced(struct et_routine *r, NTSTATUS status)
{
    (void)r;
    (void)status;
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(&res, TRUE);
    ExReleaseResourceLite(&res);
    KeLeaveCriticalRegion();
}

static void held_at_return_names_what_and_where(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    struct et_start s;
    char want[200];
    ExInitializeResourceLite(&res);
    start_worker(e, &r, &s, work, enter_region_and_take_resource);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_HELD_AT_RETURN);
    CHECK_EQ(e->failure.invocation, 1);
    /* Newest first, each with its line. */
    CHECK_CONTAINS(e->failure.message, "a resource taken at ");
    snprintf(want, sizeof(want), "test_lock.c:%d; a critical region entered at ", resource_line);
    CHECK_CONTAINS(e->failure.message, want);
    snprintf(want, sizeof(want), "test_lock.c:%d; a guarded region entered at ", region_line);
    CHECK_CONTAINS(e->failure.message, want);
    snprintf(want, sizeof(want), "test_lock.c:%d. A worker routine", guarded_line);
    CHECK_CONTAINS(e->failure.message, want);
    et_done(e);
}

static void held_at_return_can_be_turned_off(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    struct et_start s;
    ExInitializeResourceLite(&res);
    e->checks_off[HH_RULE_HELD_AT_RETURN] = 1;
    start_worker(e, &r, &s, work, enter_region_and_take_resource);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(e->worker->nheld, 3);
    et_done(e);
}

static void balanced_routine_passes(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    struct et_start s;
    ExInitializeResourceLite(&res);
    start_worker(e, &r, &s, work, balanced);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(r.calls, 2);
    CHECK_EQ(e->worker->nheld, 0);
    et_done(e);
}

/* ---- Contention ------------------------------------------------------------------------ */
static void client_takes(void *arg)
{
    (void)arg;
    ExAcquireFastMutex(&fm);
}

static void worker_takes_fast_mutex(struct et_routine *r, NTSTATUS status)
{
    (void)status;
    ExAcquireFastMutex(&fm);
    r->user = (void *)(ULONG_PTR)(fm.Owner == r->e->worker);
    ExReleaseFastMutex(&fm);
}

static void contended_without_release_is_a_deadlock(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    struct et_start s;
    ExInitializeFastMutex(&fm);
    client = hh_engine_thread(e, "client");
    CHECK_EQ(et_as(e, client, client_takes, NULL), 0);
    start_worker(e, &r, &s, work, worker_takes_fast_mutex);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_DEADLOCK);
    CHECK_CONTAINS(e->failure.message,
                   "ExAcquireFastMutex: thread 'worker' waits for a fast mutex outside pool "
                   "memory (a global or a stack variable), which thread 'client' holds it");
    CHECK_EQ(fm.Contention, 1);
    et_done(e);
}

/* The client releases from a timer's DPC while the worker waits: as another thread would. */
static VOID client_releases(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
    struct hh_engine *e = ctx;
    PKTHREAD saved = e->current;
    KIRQL irql = client->irql;
    (void)dpc;
    (void)a1;
    (void)a2;
    e->current = client;
    client->irql = APC_LEVEL;
    ExReleaseFastMutex(&fm);
    client->irql = irql;
    e->current = saved;
}

static void contended_waits_until_the_owner_releases(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    struct et_start s;
    KTIMER timer;
    KDPC dpc;
    LARGE_INTEGER due;
    ExInitializeFastMutex(&fm);
    client = hh_engine_thread(e, "client");
    CHECK_EQ(et_as(e, client, client_takes, NULL), 0);
    CHECK_EQ(fm.Count, 0);
    KeInitializeTimer(&timer);
    KeInitializeDpc(&dpc, client_releases, e);
    due.QuadPart = -ET_MS(10);
    KeSetTimer(&timer, due, &dpc);
    start_worker(e, &r, &s, work, worker_takes_fast_mutex);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.time[0], 0);
    CHECK_EQ(e->now, ET_MS(10));    /* it waited for the release */
    CHECK(r.user != NULL);          /* and owned the mutex after it */
    CHECK_EQ(fm.Contention, 1);
    CHECK_EQ(fm.Count, 1);          /* free again, no waiter left */
    CHECK_EQ(fm.Owner, NULL);
    CHECK_EQ(client->nheld, 0);
    et_done(e);
}

/* ---- Resource waits: the release grants the resource before the waiter runs ------------ */
static BOOLEAN worker_got;
static ULONG shared_waiters_seen, exclusive_waiters_seen;

static void client_takes_resource(void *arg)
{
    KeEnterCriticalRegion();
    if (arg)
        ExAcquireResourceExclusiveLite(&res, TRUE);
    else
        ExAcquireResourceSharedLite(&res, TRUE);
}

static VOID client_releases_resource(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
    struct hh_engine *e = ctx;
    PKTHREAD saved = e->current;
    (void)dpc;
    (void)a1;
    (void)a2;
    e->current = client;
    shared_waiters_seen = ExGetSharedWaiterCount(&res);
    exclusive_waiters_seen = ExGetExclusiveWaiterCount(&res);
    ExReleaseResourceForThreadLite(&res, (ERESOURCE_THREAD)client);
    e->current = saved;
}

static void worker_takes_resource(struct et_routine *r, NTSTATUS status)
{
    (void)status;
    KeEnterCriticalRegion();
    if (r->user)
        ExAcquireResourceExclusiveLite(&res, TRUE);
    else
        ExAcquireResourceSharedLite(&res, TRUE);
    worker_got = r->user ? ExIsResourceAcquiredExclusiveLite(&res)
                         : ExIsResourceAcquiredSharedLite(&res) == 1;
    ExReleaseResourceLite(&res);
    KeLeaveCriticalRegion();
}

/* exclusive: 1 the worker asks for exclusive access while the client holds it shared; 0 the
 * worker asks for shared access while the client holds it exclusively. */
static void resource_wait(int exclusive)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    struct et_start s;
    KTIMER timer;
    KDPC dpc;
    LARGE_INTEGER due;
    ExInitializeResourceLite(&res);
    client = hh_engine_thread(e, "client");
    CHECK_EQ(et_as(e, client, client_takes_resource, exclusive ? NULL : &res), 0);
    KeInitializeTimer(&timer);
    KeInitializeDpc(&dpc, client_releases_resource, e);
    due.QuadPart = -ET_MS(5);
    KeSetTimer(&timer, due, &dpc);
    worker_got = FALSE;
    start_worker(e, &r, &s, work, worker_takes_resource);
    r.user = exclusive ? &res : NULL;
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(e->now, ET_MS(5));
    CHECK_EQ(shared_waiters_seen, exclusive ? 0 : 1);
    CHECK_EQ(exclusive_waiters_seen, exclusive ? 1 : 0);
    CHECK_EQ(worker_got, TRUE);
    CHECK_EQ(res.ActiveEntries, 0);
    CHECK_EQ(res.ContentionCount, 1);
    CHECK_EQ(e->worker->nheld, 0);
    CHECK_EQ(client->nheld, 1); /* its critical region: the release gave up the resource only */
    et_done(e);
}

static void shared_waiter_granted_by_exclusive_release(void)
{
    resource_wait(0);
}

static void exclusive_waiter_granted_by_shared_release(void)
{
    resource_wait(1);
}

/* ---- A step's code: a DPC returns holding what it took --------------------------------- */
static KSPIN_LOCK dpc_lock;

static VOID dpc_keeps_spin_lock(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
    (void)dpc;
    (void)ctx;
    (void)a1;
    (void)a2;
    KeAcquireSpinLockAtDpcLevel(&dpc_lock);
}

static void dpc_returning_with_a_spin_lock(void)
{
    struct hh_engine *e = et_engine();
    KTIMER timer;
    KDPC dpc;
    LARGE_INTEGER due;
    KeInitializeSpinLock(&dpc_lock);
    KeInitializeTimer(&timer);
    KeInitializeDpc(&dpc, dpc_keeps_spin_lock, NULL);
    due.QuadPart = -ET_MS(1);
    KeSetTimer(&timer, due, &dpc);
    hh_engine_advance_to(e, ET_MS(2));
    CHECK_RULE(e, HH_RULE_HELD_AT_RETURN);
    CHECK_CONTAINS(e->failure.message, "a timer's DPC returned still holding what it took: a "
                                       "spin lock");
    et_done(e);
}

/* A fast mutex kept past the return leaves the thread at APC_LEVEL: irql-at-return says why. */
static int fast_line;

static void keeps_fast_mutex(struct et_routine *r, NTSTATUS status)
{
    (void)r;
    (void)status;
    fast_line = __LINE__ + 1;
    ExAcquireFastMutex(&fm);
}

static void fast_mutex_kept_is_named_at_apc_level(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    struct et_start s;
    char want[120];
    ExInitializeFastMutex(&fm);
    start_worker(e, &r, &s, work, keeps_fast_mutex);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_IRQL_AT_RETURN);
    snprintf(want, sizeof(want), "at APC_LEVEL; it must return at PASSIVE_LEVEL "
             "(_IRQL_requires_same_): a fast mutex is still held (taken at ");
    CHECK_CONTAINS(e->failure.message, want);
    snprintf(want, sizeof(want), "test_lock.c:%d)", fast_line);
    CHECK_CONTAINS(e->failure.message, want);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"held_at_return_names_what_and_where", held_at_return_names_what_and_where},
        {"held_at_return_can_be_turned_off", held_at_return_can_be_turned_off},
        {"balanced_routine_passes", balanced_routine_passes},
        {"contended_without_release_is_a_deadlock", contended_without_release_is_a_deadlock},
        {"contended_waits_until_the_owner_releases", contended_waits_until_the_owner_releases},
        {"shared_waiter_granted_by_exclusive_release",
         shared_waiter_granted_by_exclusive_release},
        {"exclusive_waiter_granted_by_shared_release",
         exclusive_waiter_granted_by_shared_release},
        {"dpc_returning_with_a_spin_lock", dpc_returning_with_a_spin_lock},
        {"fast_mutex_kept_is_named_at_apc_level", fast_mutex_kept_is_named_at_apc_level},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
