/* ping_worker_adapter.c - harness-only exports for ping_worker: the context a scenario's run
 * starts with, and what "then": { "context": ... } compares. Not part of the driver build. */
#include <hotswap/harness.h>

#include "ping_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PPING_WORKER_CONTEXT context;

    UNREFERENCED_PARAMETER(Args);
    context = (PPING_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                    PING_WORKER_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, PING_WORKER_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const PING_WORKER_CONTEXT *context = (const PING_WORKER_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"pings\":%ld,\"idle_ticks\":%ld}",
                         (long)context->Pings, (long)context->IdleTicks);
}
