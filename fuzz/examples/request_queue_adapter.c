/* request_queue_adapter.c - harness-only exports for request_queue: the queue is the
 * context, its work event the scenario's "work" (else object 0); what is still pending is
 * cancelled with it, as the driver's unload does.
 */
#include <hotswap/harness.h>

#include "request_queue.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PREQUEST_QUEUE queue;
    PVOID work = HotswapFindObject(Args, "work");

    if (work == NULL && Args->ObjectCount > 0) {
        work = Args->Objects[0];
    }
    queue = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*queue), REQUEST_QUEUE_POOL_TAG);
    if (queue == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    KeInitializeSpinLock(&queue->Lock);
    InitializeListHead(&queue->Pending);
    queue->Work = (PKEVENT)work;
    *Context = queue;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    PREQUEST_QUEUE queue = (PREQUEST_QUEUE)Context;

    RequestQueueFlush(queue);
    ExFreePoolWithTag(queue, REQUEST_QUEUE_POOL_TAG);
}
