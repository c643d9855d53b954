/* probe_lock.c - a routine module that calls every lock DDI of <hotswap/wdm_lock.h> the way
 * driver code does and checks each documented result (Learn pages; docs/semantics.md, "Locks").
 *
 * Each STATUS_WAIT_0 runs one group of probes (the context's Group); a fact that does not hold
 * is counted in Failed and printed with its line. STATUS_WAIT_1 ends the thread. It builds
 * with -Wall -Wextra -Werror under gcc, clang and MinGW, as driver code must.
 */
#include "probe_lock.h"

#define PROBE(Context, Fact)                                                                 \
    ProbeCheck((Context), (Fact) ? TRUE : FALSE, #Fact, __LINE__)

static KSPIN_LOCK ProbeSpin;
static KSPIN_LOCK ProbeSpinInner;
static FAST_MUTEX ProbeFastMutex;
static FAST_MUTEX ProbeFastMutexOther;
static KGUARDED_MUTEX ProbeGuardedMutex;
static KMUTEX ProbeKmutex;
static KMUTANT ProbeMutant;
static ERESOURCE ProbeResource;
static ERESOURCE_THREAD ProbeResourceOwner;
static EX_PUSH_LOCK ProbePushLock;

static VOID ProbeCheck(PPROBE_LOCK_CONTEXT Context, BOOLEAN Holds, PCSTR Fact, int Line)
{
    Context->Checks++;
    if (!Holds) {
        Context->Failed++;
        DbgPrint("probe_lock.c:%d: %s does not hold\n", Line, Fact);
    }
}

static VOID ProbeSpinLocks(PPROBE_LOCK_CONTEXT Context)
{
    KLOCK_QUEUE_HANDLE handle;
    KLOCK_QUEUE_HANDLE inner;
    KIRQL oldIrql;

    KeInitializeSpinLock(&ProbeSpin);
    KeInitializeSpinLock(&ProbeSpinInner);
    PROBE(Context, KeTestSpinLock(&ProbeSpin));

    KeAcquireInStackQueuedSpinLock(&ProbeSpin, &handle);
    PROBE(Context, KeGetCurrentIrql() == DISPATCH_LEVEL);
    PROBE(Context, handle.OldIrql == PASSIVE_LEVEL);
    PROBE(Context, !KeTestSpinLock(&ProbeSpin));
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&ProbeSpinInner, &inner);
    PROBE(Context, !KeTryToAcquireSpinLockAtDpcLevel(&ProbeSpinInner));
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&inner);
    PROBE(Context, KeTryToAcquireSpinLockAtDpcLevel(&ProbeSpinInner));
    KeReleaseSpinLockFromDpcLevel(&ProbeSpinInner);
    KeAcquireSpinLockAtDpcLevel(&ProbeSpinInner);
    KeReleaseSpinLockFromDpcLevel(&ProbeSpinInner);
    PROBE(Context, KeGetCurrentIrql() == DISPATCH_LEVEL);
    KeReleaseInStackQueuedSpinLock(&handle);
    PROBE(Context, KeGetCurrentIrql() == PASSIVE_LEVEL);
    PROBE(Context, KeTestSpinLock(&ProbeSpin));

    KeAcquireInStackQueuedSpinLockForDpc(&ProbeSpin, &handle);
    PROBE(Context, KeGetCurrentIrql() == DISPATCH_LEVEL);
    KeReleaseInStackQueuedSpinLockForDpc(&handle);
    PROBE(Context, KeGetCurrentIrql() == PASSIVE_LEVEL);

    PROBE(Context, SYNCH_LEVEL == 12); /* x64: IPI_LEVEL - 2 */
    oldIrql = KeRaiseIrqlToSynchLevel();
    PROBE(Context, oldIrql == PASSIVE_LEVEL && KeGetCurrentIrql() == SYNCH_LEVEL);
    KeLowerIrql(oldIrql);
    oldIrql = KeAcquireSpinLockRaiseToSynch(&ProbeSpin);
    PROBE(Context, oldIrql == PASSIVE_LEVEL && KeGetCurrentIrql() == SYNCH_LEVEL);
    PROBE(Context, !KeTestSpinLock(&ProbeSpin));
    KeReleaseSpinLock(&ProbeSpin, oldIrql);
    PROBE(Context, KeGetCurrentIrql() == PASSIVE_LEVEL);
}

static VOID ProbeRegionsAndMutants(PPROBE_LOCK_CONTEXT Context)
{
    KIRQL oldIrql;
    NTSTATUS status;

    PROBE(Context, !KeAreApcsDisabled() && !KeAreAllApcsDisabled());
    KeEnterCriticalRegion();
    PROBE(Context, KeAreApcsDisabled() && !KeAreAllApcsDisabled());
    KeEnterCriticalRegion();
    KeLeaveCriticalRegion();
    PROBE(Context, KeAreApcsDisabled());
    KeLeaveCriticalRegion();
    PROBE(Context, !KeAreApcsDisabled());
    KeEnterGuardedRegion();
    PROBE(Context, KeAreApcsDisabled() && KeAreAllApcsDisabled());
    KeLeaveGuardedRegion();
    KeRaiseIrql(APC_LEVEL, &oldIrql);
    PROBE(Context, KeAreAllApcsDisabled() && !KeAreApcsDisabled());
    KeLowerIrql(oldIrql);

    /* A KMUTEX held disables normal kernel APCs; a mutant does not. */
    KeInitializeMutex(&ProbeKmutex, 0);
    status = KeWaitForSingleObject(&ProbeKmutex, Executive, KernelMode, FALSE, NULL);
    PROBE(Context, status == STATUS_SUCCESS && KeAreApcsDisabled());
    KeReleaseMutex(&ProbeKmutex, FALSE);
    PROBE(Context, !KeAreApcsDisabled());

    KeInitializeMutant(&ProbeMutant, TRUE);
    PROBE(Context, KeReadStateMutant(&ProbeMutant) == 0);
    PROBE(Context, !KeAreApcsDisabled());
    status = KeWaitForSingleObject(&ProbeMutant, Executive, KernelMode, FALSE, NULL);
    PROBE(Context, status == STATUS_SUCCESS && KeReadStateMutant(&ProbeMutant) == -1);
    PROBE(Context, KeReleaseMutant(&ProbeMutant, MUTANT_INCREMENT, FALSE, FALSE) == -1);
    /* Abandon: free at once whatever the recursion count, and the next owner is told. */
    PROBE(Context, KeReleaseMutant(&ProbeMutant, MUTANT_INCREMENT, TRUE, FALSE) == 0);
    PROBE(Context, KeReadStateMutant(&ProbeMutant) == 1);
    status = KeWaitForSingleObject(&ProbeMutant, Executive, KernelMode, FALSE, NULL);
    PROBE(Context, status == STATUS_ABANDONED_WAIT_0);
    KeReleaseMutant(&ProbeMutant, MUTANT_INCREMENT, FALSE, FALSE);
    PROBE(Context, KeReadStateMutant(&ProbeMutant) == 1);
}

static VOID ProbeMutexes(PPROBE_LOCK_CONTEXT Context)
{
    ExInitializeFastMutex(&ProbeFastMutex);
    ExInitializeFastMutex(&ProbeFastMutexOther);
    ExAcquireFastMutex(&ProbeFastMutex);
    PROBE(Context, KeGetCurrentIrql() == APC_LEVEL);
    PROBE(Context, !ExTryToAcquireFastMutex(&ProbeFastMutex)); /* not recursive */
    PROBE(Context, ExTryToAcquireFastMutex(&ProbeFastMutexOther));
    ExReleaseFastMutex(&ProbeFastMutexOther);
    PROBE(Context, KeGetCurrentIrql() == APC_LEVEL);
    ExReleaseFastMutex(&ProbeFastMutex);
    PROBE(Context, KeGetCurrentIrql() == PASSIVE_LEVEL);

    KeEnterCriticalRegion();
    ExAcquireFastMutexUnsafe(&ProbeFastMutex);
    PROBE(Context, KeGetCurrentIrql() == PASSIVE_LEVEL); /* the Unsafe form does not raise */
    ExReleaseFastMutexUnsafe(&ProbeFastMutex);
    KeLeaveCriticalRegion();

    KeInitializeGuardedMutex(&ProbeGuardedMutex);
    KeAcquireGuardedMutex(&ProbeGuardedMutex);
    PROBE(Context, KeGetCurrentIrql() == PASSIVE_LEVEL && KeAreAllApcsDisabled());
    PROBE(Context, !KeTryToAcquireGuardedMutex(&ProbeGuardedMutex));
    KeReleaseGuardedMutex(&ProbeGuardedMutex);
    PROBE(Context, !KeAreAllApcsDisabled());
    PROBE(Context, KeTryToAcquireGuardedMutex(&ProbeGuardedMutex));
    KeReleaseGuardedMutex(&ProbeGuardedMutex);
    KeEnterGuardedRegion();
    KeAcquireGuardedMutexUnsafe(&ProbeGuardedMutex);
    KeReleaseGuardedMutexUnsafe(&ProbeGuardedMutex);
    KeLeaveGuardedRegion();
    PROBE(Context, !KeAreApcsDisabled());
}

static VOID ProbeResources(PPROBE_LOCK_CONTEXT Context)
{
    PERESOURCE resource = &ProbeResource;

    PROBE(Context, NT_SUCCESS(ExInitializeResourceLite(resource)));
    KeEnterCriticalRegion();
    PROBE(Context, ExAcquireResourceExclusiveLite(resource, TRUE));
    PROBE(Context, ExIsResourceAcquiredExclusiveLite(resource));
    PROBE(Context, ExAcquireResourceExclusiveLite(resource, TRUE)); /* recursive */
    PROBE(Context, ExAcquireResourceSharedLite(resource, TRUE));    /* held as exclusive */
    PROBE(Context, ExIsResourceAcquiredSharedLite(resource) == 3);
    PROBE(Context, ExIsResourceAcquiredExclusiveLite(resource));
    ExReleaseResourceLite(resource);
    ExReleaseResourceLite(resource);
    ExReleaseResourceForThreadLite(resource, ExGetCurrentResourceThread());
    PROBE(Context, ExIsResourceAcquiredLite(resource) == 0);

    PROBE(Context, ExAcquireResourceSharedLite(resource, FALSE));
    PROBE(Context, !ExIsResourceAcquiredExclusiveLite(resource));
    PROBE(Context, !ExAcquireResourceExclusiveLite(resource, FALSE)); /* a shared owner */
    PROBE(Context, ExAcquireSharedStarveExclusive(resource, FALSE));
    PROBE(Context, ExAcquireSharedWaitForExclusive(resource, FALSE)); /* no exclusive waiter */
    PROBE(Context, ExIsResourceAcquiredSharedLite(resource) == 3);
    PROBE(Context, ExGetExclusiveWaiterCount(resource) == 0);
    PROBE(Context, ExGetSharedWaiterCount(resource) == 0);
    ExReleaseResourceLite(resource);
    ExReleaseResourceLite(resource);
    ExReleaseResourceLite(resource);

    PROBE(Context, ExAcquireResourceExclusiveLite(resource, TRUE));
    ExConvertExclusiveToSharedLite(resource);
    PROBE(Context, !ExIsResourceAcquiredExclusiveLite(resource));
    PROBE(Context, ExIsResourceAcquiredSharedLite(resource) == 1);
    /* Hand the shared hold to an owner pointer with its two low bits set, then release it. */
    ProbeResourceOwner = (ERESOURCE_THREAD)&ProbeResourceOwner | 3;
    ExSetResourceOwnerPointer(resource, (PVOID)ProbeResourceOwner);
    PROBE(Context, ExIsResourceAcquiredSharedLite(resource) == 0);
    ExReleaseResourceForThreadLite(resource, ProbeResourceOwner);
    PROBE(Context, ExAcquireResourceExclusiveLite(resource, FALSE)); /* free again */
    ExReleaseResourceLite(resource);
    KeLeaveCriticalRegion();

    PROBE(Context, NT_SUCCESS(ExReinitializeResourceLite(resource)));
    PROBE(Context, NT_SUCCESS(ExDeleteResourceLite(resource)));

    /* A push lock: shared again by a shared owner, never by its exclusive owner. */
    ExInitializePushLock(&ProbePushLock);
    KeEnterCriticalRegion();
    ExAcquirePushLockExclusive(&ProbePushLock);
    PROBE(Context, !ExTryAcquirePushLockShared(&ProbePushLock));
    PROBE(Context, !ExTryAcquirePushLockExclusive(&ProbePushLock));
    ExReleasePushLockExclusive(&ProbePushLock);
    ExAcquirePushLockShared(&ProbePushLock);
    PROBE(Context, ExTryAcquirePushLockShared(&ProbePushLock));
    PROBE(Context, !ExTryAcquirePushLockExclusive(&ProbePushLock));
    ExReleasePushLockShared(&ProbePushLock);
    ExReleasePushLockShared(&ProbePushLock);
    PROBE(Context, ExTryAcquirePushLockExclusive(&ProbePushLock));
    ExReleasePushLockExclusive(&ProbePushLock);
    KeLeaveCriticalRegion();
}

_Use_decl_annotations_
BOOLEAN ProbeLockRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PPROBE_LOCK_CONTEXT context = (PPROBE_LOCK_CONTEXT)WorkerContext;

    if (WaitStatus != STATUS_WAIT_0) {
        return FALSE;
    }
    switch (context->Group) {
    case PROBE_GROUP_SPIN:
        ProbeSpinLocks(context);
        break;
    case PROBE_GROUP_REGION:
        ProbeRegionsAndMutants(context);
        break;
    case PROBE_GROUP_MUTEX:
        ProbeMutexes(context);
        break;
    case PROBE_GROUP_RESOURCE:
        ProbeResources(context);
        break;
    default:
        DbgPrint("probe_lock: no group %ld\n", (long)context->Group);
        context->Failed++;
        break;
    }
    return TRUE;
}
