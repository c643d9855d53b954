/* work_queue_driver.c - a work queue kept in globals, fed by a producer that may run at
 * DISPATCH_LEVEL and drained by the hot-swappable worker (TRUE = terminate, as acpi.sys).
 *
 * Built with WORK_QUEUE_NEVER_CLEARS, the worker forgets to clear the work event once the
 * queue is empty (examples/broken): the notification event stays signaled and the worker is
 * woken again and again with nothing to do. Built with WORK_QUEUE_CLEARS_OUTSIDE_LOCK, it
 * clears the event after the loop that found the queue empty, outside the lock: a producer
 * that queues and sets the event in between has its item stranded (a lost wake-up, which
 * only `explore` makes happen).
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "work_queue_driver.h"

KSPIN_LOCK WorkQueueLock;
LIST_ENTRY WorkQueue;
KEVENT WorkQueueEvent;
KEVENT WorkQueueStopEvent;
LONG WorkQueueHandled;

VOID
WorkQueueInitialize(VOID)
{
    KeInitializeSpinLock(&WorkQueueLock);
    InitializeListHead(&WorkQueue);
    KeInitializeEvent(&WorkQueueEvent, NotificationEvent, FALSE);
    KeInitializeEvent(&WorkQueueStopEvent, NotificationEvent, FALSE);
    WorkQueueHandled = 0;
}

VOID
WorkQueueFlush(VOID)
{
    KIRQL oldIrql;
    PLIST_ENTRY entry;

    KeAcquireSpinLock(&WorkQueueLock, &oldIrql);
    while (!IsListEmpty(&WorkQueue)) {
        entry = RemoveHeadList(&WorkQueue);
        ExFreePoolWithTag(CONTAINING_RECORD(entry, WORK_QUEUE_ITEM, Link), WORK_QUEUE_POOL_TAG);
    }
    KeReleaseSpinLock(&WorkQueueLock, oldIrql);
}

_Use_decl_annotations_
NTSTATUS
QueueWorkItem(ULONG Value)
{
    PWORK_QUEUE_ITEM item;
    KIRQL oldIrql;

    item = (PWORK_QUEUE_ITEM)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*item),
                                             WORK_QUEUE_POOL_TAG);
    if (item == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    item->Value = Value;
    KeAcquireSpinLock(&WorkQueueLock, &oldIrql);
    InsertTailList(&WorkQueue, &item->Link);
    KeReleaseSpinLock(&WorkQueueLock, oldIrql);
    KeSetEvent(&WorkQueueEvent, IO_NO_INCREMENT, FALSE);
    return STATUS_SUCCESS;
}

/* Takes the next item, or clears the work event under the lock when there is none: a
 * producer's insert, done under the same lock, cannot slip in between the test and the
 * clear, and its KeSetEvent comes after its insert. */
static PWORK_QUEUE_ITEM
WorkQueueNext(VOID)
{
    PWORK_QUEUE_ITEM item = NULL;
    KIRQL oldIrql;

    KeAcquireSpinLock(&WorkQueueLock, &oldIrql);
    if (!IsListEmpty(&WorkQueue)) {
        item = CONTAINING_RECORD(RemoveHeadList(&WorkQueue), WORK_QUEUE_ITEM, Link);
    } else {
#if !defined(WORK_QUEUE_NEVER_CLEARS) && !defined(WORK_QUEUE_CLEARS_OUTSIDE_LOCK)
        KeClearEvent(&WorkQueueEvent);
#endif
    }
    KeReleaseSpinLock(&WorkQueueLock, oldIrql);
    return item;
}

_Use_decl_annotations_
BOOLEAN
WorkQueueWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PWORK_QUEUE_ITEM item;

    UNREFERENCED_PARAMETER(WorkerContext);
    if (WaitStatus == STATUS_WAIT_1) {
        DbgPrint("WorkQueue: stop after %ld items\n", (long)WorkQueueHandled);
        return TRUE;
    }
    while ((item = WorkQueueNext()) != NULL) {
        WorkQueueHandled++;
        DbgPrint("WorkQueue: item %lu\n", (unsigned long)item->Value);
        ExFreePoolWithTag(item, WORK_QUEUE_POOL_TAG);
    }
#ifdef WORK_QUEUE_CLEARS_OUTSIDE_LOCK
    KeClearEvent(&WorkQueueEvent);
#endif
    return FALSE;
}
