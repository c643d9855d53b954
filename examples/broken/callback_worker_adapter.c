/* callback_worker_adapter.c - harness-only exports for callback_worker: a pool-allocated
 * context bound to the creating image, and its completion count for "context" checks. */
#include <hotswap/harness.h>

#include "callback_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PCALLBACK_WORKER_CONTEXT context;

    UNREFERENCED_PARAMETER(Args);
    context = (PCALLBACK_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                        CALLBACK_WORKER_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    CallbackWorkerBind(context);
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, CALLBACK_WORKER_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    return HotswapFormat(Buffer, Size, "{\"completed\":%ld}",
                         (long)((PCALLBACK_WORKER_CONTEXT)Context)->Completed);
}
