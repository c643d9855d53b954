/* apc_worker_adapter.c - harness-only exports for apc_worker. */
#include <hotswap/harness.h>

#include "apc_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PAPC_WORKER_CONTEXT context;

    UNREFERENCED_PARAMETER(Args);
    context = (PAPC_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                   APC_WORKER_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, APC_WORKER_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const APC_WORKER_CONTEXT *context = (const APC_WORKER_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"records\":%ld,\"apcs\":%ld,\"alerts\":%ld}",
                         (long)context->Records, (long)context->Apcs, (long)context->Alerts);
}
