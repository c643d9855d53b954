/* test_lock.c - the lock DDIs of <hotswap/wdm_lock.h> on one thread: each contract check is
 * broken once inside hh_engine_guarded and its rule and message checked; the legal sequences
 * (recursion rules, IRQL effects, the APC-disable counts) must not fail.
 */
#include "shim_test.h"

static KSPIN_LOCK spin;
static KLOCK_QUEUE_HANDLE handle;
static FAST_MUTEX fm;
static KGUARDED_MUTEX gm;
static ERESOURCE res;
static KMUTANT mutant;
static EX_PUSH_LOCK push;

/* ---- Spin locks ------------------------------------------------------------------------ */
static void queued_twice(void *arg)
{
    KLOCK_QUEUE_HANDLE second;
    (void)arg;
    KeAcquireInStackQueuedSpinLock(&spin, &handle);
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&spin, &second);
}

static void queued_release_unfilled(void *arg)
{
    KLOCK_QUEUE_HANDLE empty;
    (void)arg;
    memset(&empty, 0, sizeof(empty));
    KeReleaseInStackQueuedSpinLock(&empty);
}

static void queued_at_dpc_level_at_passive(void *arg)
{
    (void)arg;
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&spin, &handle);
}

static void try_at_passive(void *arg)
{
    (void)arg;
    KeTryToAcquireSpinLockAtDpcLevel(&spin);
}

static void synch_above(void *arg)
{
    (void)arg;
    KfRaiseIrql(HIGH_LEVEL);
    KeAcquireSpinLockRaiseToSynch(&spin);
}

static void test_spin_family(void)
{
    struct hh_engine *e = test_engine();
    KIRQL old;
    KeInitializeSpinLock(&spin);
    KeAcquireInStackQueuedSpinLock(&spin, &handle);
    CHECK_EQ(e->current->spinlocks, 1);
    CHECK_EQ(KeTestSpinLock(&spin), FALSE);
    CHECK_EQ(KeTryToAcquireSpinLockAtDpcLevel(&spin), FALSE); /* held by itself: FALSE */
    KeReleaseInStackQueuedSpinLock(&handle);
    CHECK_EQ(e->current->spinlocks, 0);
    CHECK_EQ(e->current->irql, PASSIVE_LEVEL);
    old = KeRaiseIrqlToSynchLevel();
    CHECK_EQ(e->current->irql, 12);
    KeLowerIrql(old);
    CHECK_EQ(e->failed, 0);
    test_engine_done(e);

    e = test_engine();
    CHECK_ABORTS(e, queued_twice, NULL, HH_RULE_SPINLOCK, "SPIN_LOCK_ALREADY_OWNED");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, queued_release_unfilled, NULL, HH_RULE_SPINLOCK, "no in-stack acquire filled");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, queued_at_dpc_level_at_passive, NULL, HH_RULE_IRQL,
                 "KeAcquireInStackQueuedSpinLockAtDpcLevel called at PASSIVE_LEVEL");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, try_at_passive, NULL, HH_RULE_IRQL, "requires DISPATCH_LEVEL");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, synch_above, NULL, HH_RULE_IRQL, "it requires IRQL <= IRQL 12");
    test_engine_done(e);
}

/* ---- Regions and mutants --------------------------------------------------------------- */
static void leave_unentered(void *arg)
{
    (void)arg;
    KeLeaveCriticalRegion();
}

static void leave_guarded_after_critical(void *arg)
{
    (void)arg;
    KeEnterCriticalRegion();
    KeLeaveGuardedRegion();
}

static void release_mutant_not_owned(void *arg)
{
    (void)arg;
    KeReleaseMutant(&mutant, MUTANT_INCREMENT, FALSE, FALSE);
}

static void test_regions_and_mutants(void)
{
    struct hh_engine *e = test_engine();
    KeEnterCriticalRegion();
    KeEnterGuardedRegion();
    CHECK_EQ(e->current->kernel_apc_disable, 1);
    CHECK_EQ(e->current->special_apc_disable, 1);
    CHECK_EQ(e->current->nheld, 2);
    CHECK_EQ(KeAreApcsDisabled(), TRUE);
    CHECK_EQ(KeAreAllApcsDisabled(), TRUE);
    KeLeaveGuardedRegion();
    KeLeaveCriticalRegion();
    CHECK_EQ(e->current->nheld, 0);
    CHECK_EQ(KeAreApcsDisabled(), FALSE);
    /* A mutant made owned by its creator; abandoned by a release with Abandon = TRUE. */
    KeInitializeMutant(&mutant, TRUE);
    CHECK_EQ(mutant.OwnerThread, e->current);
    CHECK_EQ(KeAreApcsDisabled(), FALSE); /* a mutant, unlike a KMUTEX, leaves APCs on */
    CHECK_EQ(KeReleaseMutant(&mutant, MUTANT_INCREMENT, TRUE, FALSE), 0);
    CHECK_EQ(mutant.OwnerThread, NULL);
    CHECK_EQ(mutant.Header.Abandoned, 1);
    CHECK_EQ(e->failed, 0);
    test_engine_done(e);

    e = test_engine();
    CHECK_ABORTS(e, leave_unentered, NULL, HH_RULE_LOCK, "KERNEL_APC_PENDING_DURING_EXIT (0x20)");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, leave_guarded_after_critical, NULL, HH_RULE_LOCK,
                 "in no guarded region it entered with KeEnterGuardedRegion");
    test_engine_done(e);
    e = test_engine();
    KeInitializeMutant(&mutant, FALSE);
    CHECK_ABORTS(e, release_mutant_not_owned, NULL, HH_RULE_MUTANT_NOT_OWNED,
                 "KeReleaseMutant on a mutant of the routine's own");
    test_engine_done(e);
}

/* ---- Fast and guarded mutexes ---------------------------------------------------------- */
static void fast_twice(void *arg)
{
    (void)arg;
    ExAcquireFastMutex(&fm);
    ExAcquireFastMutex(&fm);
}

static void guarded_twice(void *arg)
{
    (void)arg;
    KeAcquireGuardedMutex(&gm);
    KeAcquireGuardedMutexUnsafe(&gm);
}

static void fast_release_unowned(void *arg)
{
    (void)arg;
    KfRaiseIrql(APC_LEVEL);
    ExReleaseFastMutex(&fm);
}

static void fast_release_at_passive(void *arg)
{
    (void)arg;
    ExReleaseFastMutex(&fm);
}

static void fast_at_dispatch(void *arg)
{
    (void)arg;
    KfRaiseIrql(DISPATCH_LEVEL);
    ExAcquireFastMutex(&fm);
}

static void fast_unsafe_with_apcs(void *arg)
{
    (void)arg;
    ExAcquireFastMutexUnsafe(&fm);
}

static void fast_uninitialized(void *arg)
{
    (void)arg;
    memset(&fm, 0, sizeof(fm));
    ExAcquireFastMutex(&fm);
}

static void test_fast_and_guarded(void)
{
    struct hh_engine *e = test_engine();
    ExInitializeFastMutex(&fm);
    ExAcquireFastMutex(&fm);
    CHECK_EQ(e->current->irql, APC_LEVEL);
    CHECK_EQ(fm.Owner, e->current);
    CHECK_EQ(fm.Count, 0);
    CHECK_EQ(ExTryToAcquireFastMutex(&fm), FALSE);
    ExReleaseFastMutex(&fm);
    CHECK_EQ(e->current->irql, PASSIVE_LEVEL);
    CHECK_EQ(fm.Count, 1);
    KeInitializeGuardedMutex(&gm);
    KeAcquireGuardedMutex(&gm);
    CHECK_EQ(e->current->special_apc_disable, 1);
    CHECK_EQ(e->current->irql, PASSIVE_LEVEL);
    KeReleaseGuardedMutex(&gm);
    CHECK_EQ(e->current->special_apc_disable, 0);
    CHECK_EQ(e->current->nheld, 0);
    CHECK_EQ(e->failed, 0);
    test_engine_done(e);

    e = test_engine();
    ExInitializeFastMutex(&fm);
    CHECK_ABORTS(e, fast_twice, NULL, HH_RULE_DEADLOCK, "already owns a fast mutex");
    CHECK_CONTAINS(e->failure.message, "ExAcquireFastMutex at ");
    CHECK_CONTAINS(e->failure.message, "test_lock.c:");
    CHECK_CONTAINS(e->failure.message, "(taken at ");
    CHECK_CONTAINS(e->failure.message, "the kernel deadlocks");
    test_engine_done(e);
    e = test_engine();
    KeInitializeGuardedMutex(&gm);
    CHECK_ABORTS(e, guarded_twice, NULL, HH_RULE_DEADLOCK, "KeAcquireGuardedMutexUnsafe at ");
    test_engine_done(e);
    e = test_engine();
    ExInitializeFastMutex(&fm);
    CHECK_ABORTS(e, fast_release_unowned, NULL, HH_RULE_LOCK,
                 "which does not own it (nobody holds it)");
    test_engine_done(e);
    e = test_engine();
    ExInitializeFastMutex(&fm);
    CHECK_ABORTS(e, fast_release_at_passive, NULL, HH_RULE_IRQL, "it requires APC_LEVEL");
    test_engine_done(e);
    e = test_engine();
    ExInitializeFastMutex(&fm);
    CHECK_ABORTS(e, fast_at_dispatch, NULL, HH_RULE_IRQL, "ExAcquireFastMutex called at DISPATCH_LEVEL");
    test_engine_done(e);
    e = test_engine();
    ExInitializeFastMutex(&fm);
    CHECK_ABORTS(e, fast_unsafe_with_apcs, NULL, HH_RULE_LOCK, "outside a critical region");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, fast_uninitialized, NULL, HH_RULE_LOCK, "ExInitializeFastMutex never initialized");
    test_engine_done(e);
}

/* ---- Resources ------------------------------------------------------------------------- */
static void resource_without_region(void *arg)
{
    (void)arg;
    ExAcquireResourceExclusiveLite(&res, TRUE);
}

static void resource_shared_then_exclusive(void *arg)
{
    (void)arg;
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&res, TRUE);
    ExAcquireResourceExclusiveLite(&res, TRUE);
}

static void resource_release_unowned(void *arg)
{
    (void)arg;
    ExReleaseResourceLite(&res);
}

static void resource_delete_held(void *arg)
{
    (void)arg;
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&res, TRUE);
    ExDeleteResourceLite(&res);
}

static void resource_owner_pointer_bits(void *arg)
{
    static ERESOURCE_THREAD owner;
    (void)arg;
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&res, TRUE);
    ExSetResourceOwnerPointer(&res, &owner);
}

static void resource_convert_shared(void *arg)
{
    (void)arg;
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&res, TRUE);
    ExConvertExclusiveToSharedLite(&res);
}

static void resource_after_delete(void *arg)
{
    (void)arg;
    ExDeleteResourceLite(&res);
    ExIsResourceAcquiredExclusiveLite(&res);
}

static void test_resource(void)
{
    struct hh_engine *e = test_engine();
    ExInitializeResourceLite(&res);
    KeEnterCriticalRegion();
    CHECK_EQ(ExAcquireResourceExclusiveLite(&res, TRUE), TRUE);
    CHECK_EQ(ExAcquireResourceSharedLite(&res, TRUE), TRUE); /* the owner: exclusive again */
    CHECK_EQ(ExIsResourceAcquiredExclusiveLite(&res), TRUE);
    CHECK_EQ(ExIsResourceAcquiredSharedLite(&res), 2);
    CHECK_EQ(e->current->nheld, 2); /* the region and the resource, once */
    ExReleaseResourceLite(&res);
    ExReleaseResourceLite(&res);
    CHECK_EQ(res.ActiveEntries, 0);
    CHECK_EQ(res.Flag & ResourceOwnedExclusive, 0);
    CHECK_EQ(ExAcquireResourceSharedLite(&res, FALSE), TRUE);
    CHECK_EQ(ExAcquireResourceExclusiveLite(&res, FALSE), FALSE); /* a shared owner, no wait */
    ExReleaseResourceLite(&res);
    KeLeaveCriticalRegion();
    CHECK_EQ(e->current->nheld, 0);
    CHECK_EQ(e->failed, 0);
    test_engine_done(e);

    e = test_engine();
    ExInitializeResourceLite(&res);
    CHECK_ABORTS(e, resource_without_region, NULL, HH_RULE_LOCK,
                 "with normal kernel APCs enabled");
    CHECK_CONTAINS(e->failure.message, "KeEnterCriticalRegion");
    test_engine_done(e);
    e = test_engine();
    ExInitializeResourceLite(&res);
    CHECK_ABORTS(e, resource_shared_then_exclusive, NULL, HH_RULE_DEADLOCK,
                 "holds a resource outside pool memory (a global or a stack variable) shared");
    CHECK_CONTAINS(e->failure.message, "waits for its own release");
    test_engine_done(e);
    e = test_engine();
    ExInitializeResourceLite(&res);
    CHECK_ABORTS(e, resource_release_unowned, NULL, HH_RULE_LOCK, "RESOURCE_NOT_OWNED (0xE3)");
    test_engine_done(e);
    e = test_engine();
    ExInitializeResourceLite(&res);
    CHECK_ABORTS(e, resource_delete_held, NULL, HH_RULE_LOCK, "still held or waited for");
    test_engine_done(e);
    e = test_engine();
    ExInitializeResourceLite(&res);
    CHECK_ABORTS(e, resource_owner_pointer_bits, NULL, HH_RULE_LOCK, "two low bits");
    test_engine_done(e);
    e = test_engine();
    ExInitializeResourceLite(&res);
    CHECK_ABORTS(e, resource_convert_shared, NULL, HH_RULE_LOCK,
                 "which does not hold it exclusively");
    test_engine_done(e);
    e = test_engine();
    ExInitializeResourceLite(&res);
    CHECK_ABORTS(e, resource_after_delete, NULL, HH_RULE_LOCK, "(or that was deleted)");
    test_engine_done(e);
}

/* ---- Push locks ------------------------------------------------------------------------ */
static void push_exclusive_twice(void *arg)
{
    (void)arg;
    KeEnterCriticalRegion();
    ExAcquirePushLockExclusive(&push);
    ExAcquirePushLockShared(&push);
}

static void push_release_wrong_mode(void *arg)
{
    (void)arg;
    KeEnterCriticalRegion();
    ExAcquirePushLockShared(&push);
    ExReleasePushLockExclusive(&push);
}

static void push_without_region(void *arg)
{
    (void)arg;
    ExAcquirePushLockShared(&push);
}

static void test_push_lock(void)
{
    struct hh_engine *e = test_engine();
    ExInitializePushLock(&push);
    KeEnterCriticalRegion();
    ExAcquirePushLockShared(&push);
    ExAcquirePushLockShared(&push); /* a shared owner gets shared access again */
    CHECK_EQ(e->current->nheld, 2);
    ExReleasePushLockShared(&push);
    ExReleasePushLockShared(&push);
    KeLeaveCriticalRegion();
    CHECK_EQ(e->current->nheld, 0);
    CHECK_EQ(e->failed, 0);
    test_engine_done(e);

    e = test_engine();
    ExInitializePushLock(&push);
    CHECK_ABORTS(e, push_exclusive_twice, NULL, HH_RULE_DEADLOCK, "a push lock is not recursive");
    CHECK_CONTAINS(e->failure.message, "ExAcquirePushLockShared at ");
    test_engine_done(e);
    e = test_engine();
    ExInitializePushLock(&push);
    CHECK_ABORTS(e, push_release_wrong_mode, NULL, HH_RULE_LOCK, "holds shared");
    test_engine_done(e);
    e = test_engine();
    ExInitializePushLock(&push);
    CHECK_ABORTS(e, push_without_region, NULL, HH_RULE_LOCK, "with normal kernel APCs enabled");
    test_engine_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"spin_family", test_spin_family},
        {"regions_and_mutants", test_regions_and_mutants},
        {"fast_and_guarded", test_fast_and_guarded},
        {"resource", test_resource},
        {"push_lock", test_push_lock},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
