/* alert_worker_adapter.c - harness-only exports for alert_worker. */
#include <hotswap/harness.h>

#include "alert_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PALERT_WORKER_CONTEXT context;
    PVOID stop = HotswapFindObject(Args, "stop");

    if (stop == NULL) {
        stop = Args->Objects[0];
    }
    context = (PALERT_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                     ALERT_WORKER_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->StopEvent = (PKEVENT)stop;
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, ALERT_WORKER_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const ALERT_WORKER_CONTEXT *context = (const ALERT_WORKER_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"scans\":%ld,\"alerts\":%ld}", (long)context->Scans,
                         (long)context->Alerts);
}
