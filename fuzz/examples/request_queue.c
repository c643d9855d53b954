/* request_queue.c - see request_queue.h. Built twice: request_queue with the planted leak,
 * request_queue_fixed (REQUEST_QUEUE_FIXED) with the fix, for the regression test that an
 * emitted scenario fails on the first and passes on the second.
 */
#include <hotswap/harness.h>

#include "request_queue.h"

/* Cancels what is pending. Takes and frees the items under the queue's lock. */
static VOID
RequestQueueCancelPending(PREQUEST_QUEUE Queue)
{
    KIRQL oldIrql;

    KeAcquireSpinLock(&Queue->Lock, &oldIrql);
    while (!IsListEmpty(&Queue->Pending)) {
        PLIST_ENTRY entry = RemoveHeadList(&Queue->Pending);
        ExFreePoolWithTag(CONTAINING_RECORD(entry, DEVICE_REQUEST, Link),
                          REQUEST_QUEUE_POOL_TAG);
        Queue->Cancelled++;
    }
    KeReleaseSpinLock(&Queue->Lock, oldIrql);
}

NTSTATUS
RequestQueueSubmit(PREQUEST_QUEUE Queue, ULONG Code)
{
    PDEVICE_REQUEST request;
    KIRQL oldIrql;

    request = (PDEVICE_REQUEST)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*request),
                                               REQUEST_QUEUE_POOL_TAG);
    if (request == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    request->Code = Code;
    if (Code == REQUEST_CODE_CANCEL_ALL) {
        RequestQueueCancelPending(Queue);
#ifdef REQUEST_QUEUE_FIXED
        ExFreePoolWithTag(request, REQUEST_QUEUE_POOL_TAG);
#endif
        return STATUS_SUCCESS; /* bug (unless fixed): the cancel request itself leaks */
    }
    KeAcquireSpinLock(&Queue->Lock, &oldIrql);
    InsertTailList(&Queue->Pending, &request->Link);
    KeReleaseSpinLock(&Queue->Lock, oldIrql);
    KeSetEvent(Queue->Work, IO_NO_INCREMENT, FALSE);
    return STATUS_SUCCESS;
}

VOID
RequestQueueFlush(PREQUEST_QUEUE Queue)
{
    RequestQueueCancelPending(Queue);
}

BOOLEAN
RequestQueueRoutine(PVOID Context, NTSTATUS WaitStatus)
{
    PREQUEST_QUEUE queue = (PREQUEST_QUEUE)Context;
    PDEVICE_REQUEST request;
    KIRQL oldIrql;

    if (WaitStatus != STATUS_WAIT_0) {
        DbgPrint("RequestQueue: stop after %ld requests\n", (long)queue->Completed);
        return FALSE; /* FALSE ends the thread (WDK polarity) */
    }
    for (;;) {
        request = NULL;
        KeAcquireSpinLock(&queue->Lock, &oldIrql);
        if (!IsListEmpty(&queue->Pending)) {
            request = CONTAINING_RECORD(RemoveHeadList(&queue->Pending), DEVICE_REQUEST, Link);
        }
        KeReleaseSpinLock(&queue->Lock, oldIrql);
        if (request == NULL) {
            break;
        }
        DbgPrint("RequestQueue: request %lu\n", (unsigned long)request->Code);
        queue->Completed++;
        ExFreePoolWithTag(request, REQUEST_QUEUE_POOL_TAG);
    }
    return TRUE;
}
