/* queue_worker_adapter.c - harness-only exports for queue_worker: builds the context from a
 * scenario's objects ("work", "stop", else indexes 0 and 1) and its "capacity" (default 4),
 * and describes it for "context" expectations. Not part of the driver build.
 */
#include <hotswap/harness.h>

#include "queue_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

static PVOID
AdapterObject(const HOTSWAP_CONTEXT_ARGS *Args, const char *Name, ULONG Index)
{
    PVOID object = HotswapFindObject(Args, Name);

    if (object == NULL && Index < Args->ObjectCount) {
        object = Args->Objects[Index];
    }
    return object;
}

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    LONG64 capacity = 4;
    PQUEUE_WORKER_CONTEXT context;
    NTSTATUS status;

    (void)HotswapContextGetInt(Args, "capacity", &capacity);
    if (capacity < 1 || capacity > (LONG64)QUEUE_WORKER_MAX_CAPACITY) {
        return STATUS_INVALID_PARAMETER;
    }
    status = QueueWorkerCreateContext((PKEVENT)AdapterObject(Args, "work", 0),
                                      (PKEVENT)AdapterObject(Args, "stop", 1), (ULONG)capacity,
                                      &context);
    if (NT_SUCCESS(status)) {
        *Context = context;
    }
    return status;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    QueueWorkerDeleteContext((PQUEUE_WORKER_CONTEXT)Context);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const QUEUE_WORKER_CONTEXT *context = (const QUEUE_WORKER_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size,
                         "{\"processed\":%ld,\"timeouts\":%ld,\"deferred\":%ld,"
                         "\"recycled\":%ld,\"in_use\":%lu,\"capacity\":%lu}",
                         (long)context->Processed, (long)context->Timeouts,
                         (long)context->Deferred, (long)context->Recycled,
                         (unsigned long)context->InUse, (unsigned long)context->Capacity);
}
