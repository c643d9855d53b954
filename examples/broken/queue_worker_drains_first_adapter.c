/* queue_worker_drains_first_adapter.c - harness-only exports. */
#include <hotswap/harness.h>

#include "queue_worker_drains_first.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PDRAINS_FIRST_CONTEXT context = (PDRAINS_FIRST_CONTEXT)ExAllocatePool2(
        POOL_FLAG_NON_PAGED, sizeof(*context), DRAINS_FIRST_POOL_TAG);

    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->WorkEvent = (PKEVENT)Args->Objects[0];
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, DRAINS_FIRST_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const DRAINS_FIRST_CONTEXT *context = (const DRAINS_FIRST_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"processed\":%ld}", (long)context->Processed);
}
