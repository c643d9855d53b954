/* sample_worker.c - the sampling driver's DPC and worker routine (sample_worker.h).
 *
 * The DPC allocates a SAMPLE per period and puts it on a ring under SampleQueueLock, then sets
 * the worker's event; the worker takes every queued sample off under the same lock, adds it to
 * its totals and frees it. The two mistakes are the classic ones of such a pair: samples never
 * freed (a leak that grows by one block per period), and an early return that skips the
 * lock's release.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "sample_worker.h"

KSPIN_LOCK SampleQueueLock;
PSAMPLE SampleRing[SAMPLE_RING_SIZE];
ULONG SampleHead;
ULONG SampleCount;
ULONG SampleSequence;
KTIMER SampleTimer;
KDPC SampleDpc;

KDEFERRED_ROUTINE SampleTimerDpc;

/* The device's reading; the first one after power-up is empty. */
static ULONG
SampleReadDevice(ULONG Sequence)
{
    return (Sequence - 1) * 7;
}

VOID
SampleTimerDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PSAMPLE_WORKER_CONTEXT context = (PSAMPLE_WORKER_CONTEXT)DeferredContext;
    PSAMPLE sample;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    sample = (PSAMPLE)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(SAMPLE), SAMPLE_POOL_TAG);
    if (sample == NULL) {
        return;
    }
    sample->Sequence = ++SampleSequence;
    sample->Value = SampleReadDevice(sample->Sequence);
    KeAcquireSpinLockAtDpcLevel(&SampleQueueLock);
    if (SampleCount < SAMPLE_RING_SIZE) {
        SampleRing[(SampleHead + SampleCount) % SAMPLE_RING_SIZE] = sample;
        SampleCount++;
        sample = NULL;
    }
    KeReleaseSpinLockFromDpcLevel(&SampleQueueLock);
    if (sample != NULL) {
        ExFreePoolWithTag(sample, SAMPLE_POOL_TAG); /* the ring is full: drop the reading */
    }
    (void)KeSetEvent(context->SampleReady, IO_NO_INCREMENT, FALSE);
}

/* The next queued sample, or NULL; SampleQueueLock held. */
static PSAMPLE
SampleDequeueLocked(VOID)
{
    PSAMPLE sample;

    if (SampleCount == 0) {
        return NULL;
    }
    sample = SampleRing[SampleHead];
    SampleHead = (SampleHead + 1) % SAMPLE_RING_SIZE;
    SampleCount--;
    return sample;
}

VOID
SampleDeviceStart(PSAMPLE_WORKER_CONTEXT Context)
{
    LARGE_INTEGER due;

    KeInitializeSpinLock(&SampleQueueLock);
    SampleHead = 0;
    SampleCount = 0;
    SampleSequence = 0;
    KeInitializeTimer(&SampleTimer);
    KeInitializeDpc(&SampleDpc, SampleTimerDpc, Context);
    due.QuadPart = -(LONGLONG)SAMPLE_PERIOD_MS * 10000;
    (void)KeSetTimerEx(&SampleTimer, due, SAMPLE_PERIOD_MS, &SampleDpc);
}

VOID
SampleDeviceStop(VOID)
{
    PSAMPLE sample;
    KIRQL oldIrql;

    (void)KeCancelTimer(&SampleTimer);
    KeAcquireSpinLock(&SampleQueueLock, &oldIrql);
    while ((sample = SampleDequeueLocked()) != NULL) {
        ExFreePoolWithTag(sample, SAMPLE_POOL_TAG);
    }
    KeReleaseSpinLock(&SampleQueueLock, oldIrql);
}

_Use_decl_annotations_
BOOLEAN
SampleWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PSAMPLE_WORKER_CONTEXT context = (PSAMPLE_WORKER_CONTEXT)WorkerContext;
    PSAMPLE sample;
    KIRQL oldIrql;

    if (WaitStatus != STATUS_WAIT_0) {
        return FALSE; /* stop */
    }
    KeAcquireSpinLock(&SampleQueueLock, &oldIrql);
    while ((sample = SampleDequeueLocked()) != NULL) {
        if (sample->Value == 0 && context->Mistake == SampleReturnsHoldingLock) {
            return TRUE; /* an empty reading: nothing to hand on, and the lock stays held */
        }
        context->Total += sample->Value;
        context->Consumed++;
        if (context->Mistake != SampleKeepsSamples) {
            ExFreePoolWithTag(sample, SAMPLE_POOL_TAG);
        }
    }
    KeReleaseSpinLock(&SampleQueueLock, oldIrql);
    return TRUE;
}
