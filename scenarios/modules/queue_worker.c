/* queue_worker.c - the queue worker's routine and its context.
 *
 * Driver code: builds unchanged against the WDK's wdm.h. STATUS_WAIT_0 accepts one work item,
 * STATUS_TIMEOUT does housekeeping, STATUS_WAIT_1 (stop) ends the thread.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "queue_worker.h"

/* Version 2 of the driver differs only in what it logs, so a scenario can tell which image
 * served an invocation across a hot-swap. */
#if QUEUE_WORKER_VERSION >= 2
#define QW_LOG "QueueWorker v2: "
#else
#define QW_LOG "QueueWorker: "
#endif

static VOID
QueueWorkerAcceptItem(_Inout_ PQUEUE_WORKER_CONTEXT Context)
{
    KIRQL oldIrql;
    LONG item;
    ULONG slot = 0;
    BOOLEAN accepted = FALSE;

    KeAcquireSpinLock(&Context->Lock, &oldIrql);
    item = Context->Processed + Context->Deferred + 1;
    if (Context->InUse < Context->Capacity) {
        slot = Context->InUse++;
        Context->Buffers[slot].AcceptedAt = KeQueryInterruptTime();
        Context->Buffers[slot].Sequence = (ULONG)item;
        Context->Processed++;
        accepted = TRUE;
    } else {
        Context->Deferred++;
    }
    KeReleaseSpinLock(&Context->Lock, oldIrql);

    if (accepted) {
        DbgPrint(QW_LOG "processed item %ld in buffer %lu, continuing\n", (long)item,
                 (unsigned long)slot);
    } else {
        DbgPrint(QW_LOG "no free buffer for item %ld, deferred, continuing\n", (long)item);
    }
}

static VOID
QueueWorkerHousekeeping(_Inout_ PQUEUE_WORKER_CONTEXT Context)
{
    KIRQL oldIrql;
    ULONG recycled;
    ULONG resumed;
    LONG round;

    KeAcquireSpinLock(&Context->Lock, &oldIrql);
    recycled = Context->InUse;
    Context->Recycled += (LONG)recycled;
    resumed = (ULONG)Context->Deferred;
    if (resumed > Context->Capacity) {
        resumed = Context->Capacity;
    }
    Context->Deferred -= (LONG)resumed;
    Context->Processed += (LONG)resumed;
    Context->InUse = resumed;
    round = ++Context->Timeouts;
    KeReleaseSpinLock(&Context->Lock, oldIrql);

    DbgPrint(QW_LOG "housekeeping %ld recycled %lu buffers, resumed %lu deferred items, "
             "continuing\n",
             (long)round, (unsigned long)recycled, (unsigned long)resumed);
}

_Use_decl_annotations_
NTSTATUS
QueueWorkerCreateContext(PKEVENT WorkEvent, PKEVENT StopEvent, ULONG Capacity,
                         PQUEUE_WORKER_CONTEXT *Context)
{
    PQUEUE_WORKER_CONTEXT context;

    *Context = NULL;
    if (WorkEvent == NULL || StopEvent == NULL || Capacity == 0 ||
        Capacity > QUEUE_WORKER_MAX_CAPACITY) {
        return STATUS_INVALID_PARAMETER;
    }

    context = (PQUEUE_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                     QUEUE_WORKER_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Buffers = (PQUEUE_WORKER_BUFFER)ExAllocatePool2(
        POOL_FLAG_NON_PAGED, (SIZE_T)Capacity * sizeof(QUEUE_WORKER_BUFFER),
        QUEUE_WORKER_POOL_TAG);
    if (context->Buffers == NULL) {
        ExFreePoolWithTag(context, QUEUE_WORKER_POOL_TAG);
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    context->WorkEvent = WorkEvent;
    context->StopEvent = StopEvent;
    context->Capacity = Capacity;
    KeInitializeSpinLock(&context->Lock);
    *Context = context;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID
QueueWorkerDeleteContext(PQUEUE_WORKER_CONTEXT Context)
{
    ExFreePoolWithTag(Context->Buffers, QUEUE_WORKER_POOL_TAG);
    ExFreePoolWithTag(Context, QUEUE_WORKER_POOL_TAG);
}

_Use_decl_annotations_
BOOLEAN
QueueWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PQUEUE_WORKER_CONTEXT context = (PQUEUE_WORKER_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_WAIT_0:
        QueueWorkerAcceptItem(context);
        return TRUE;

    case STATUS_TIMEOUT:
        QueueWorkerHousekeeping(context);
        return TRUE;

    case STATUS_WAIT_1:
        DbgPrint(QW_LOG "stop requested after %ld items, terminating\n",
                 (long)context->Processed);
        return FALSE;

    default:
        DbgPrint(QW_LOG "unexpected wait status 0x%08lx, terminating\n",
                 (unsigned long)WaitStatus);
        return FALSE;
    }
}
