/* careless_worker.c - a queue worker with one classic driver mistake per work item kind, for
 * the contract-check gallery: each scenario names the mistake in its context ("mistake") and
 * the harness must catch it with the matching rule.
 *
 * Every mistake here is one that compiles, passes a quick manual test, and takes a machine
 * down (or leaks) in the field.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "careless_worker.h"

static VOID
CarelessWorkerDoItem(_Inout_ PCARELESS_WORKER_CONTEXT Context)
{
    KIRQL oldIrql;
    PVOID buffer;
    LARGE_INTEGER timeout;
    LONG previous;

    switch (Context->Mistake) {
    case CarelessLeakBuffer:
        /* The item's buffer is never freed. */
        buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, CARELESS_WORKER_POOL_TAG);
        UNREFERENCED_PARAMETER(buffer);
        break;
    case CarelessDoubleFree:
        buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, CARELESS_WORKER_POOL_TAG);
        ExFreePoolWithTag(buffer, CARELESS_WORKER_POOL_TAG);
        ExFreePoolWithTag(buffer, CARELESS_WORKER_POOL_TAG); /* freed again on the error path */
        break;
    case CarelessKeepSpinLock:
        KeAcquireSpinLock(&Context->Lock, &oldIrql);
        Context->Items++;
        if (Context->Items > 0) {
            return; /* the early return skips the release */
        }
        KeReleaseSpinLock(&Context->Lock, oldIrql);
        break;
    case CarelessRaiseNotLowered:
        KeRaiseIrql(DISPATCH_LEVEL, &oldIrql);
        Context->Items++;
        break; /* KeLowerIrql(oldIrql) forgotten */
    case CarelessReleaseUnownedMutex:
        /* Releases a mutex this thread never acquired. */
        previous = KeReleaseMutex(&Context->Mutex, FALSE);
        UNREFERENCED_PARAMETER(previous);
        break;
    case CarelessOverReleaseSemaphore:
        /* Credits two units for one item; the semaphore's limit is 1. */
        previous = KeReleaseSemaphore(&Context->Credits, IO_NO_INCREMENT, 2, FALSE);
        UNREFERENCED_PARAMETER(previous);
        break;
    case CarelessWaitAtDispatch:
        KeAcquireSpinLock(&Context->Lock, &oldIrql);
        timeout.QuadPart = -10 * 1000 * 10; /* 10 ms */
        (VOID)KeWaitForSingleObject(&Context->Idle, Executive, KernelMode, FALSE, &timeout);
        KeReleaseSpinLock(&Context->Lock, oldIrql);
        break;
    case CarelessHang:
        for (;;) {
            Context->Items++; /* spins: the completion it polls for never comes */
        }
    default:
        Context->Items++;
        break;
    }
}

_Use_decl_annotations_
BOOLEAN
CarelessWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PCARELESS_WORKER_CONTEXT context = (PCARELESS_WORKER_CONTEXT)WorkerContext;

    if (WaitStatus != STATUS_WAIT_0) {
        return FALSE;
    }
    CarelessWorkerDoItem(context);
    if (context->Mistake == CarelessBadBoolean) {
        return (BOOLEAN)(context->Items + 1); /* "non-zero means continue", but it is 2 */
    }
    return TRUE;
}
