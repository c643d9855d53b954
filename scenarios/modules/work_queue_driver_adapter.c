/* work_queue_driver_adapter.c - harness-only exports for work_queue_driver: the set-up runs
 * the driver's own initialization of its globals, the tear-down its unload's flush. */
#include <hotswap/harness.h>

#include "work_queue_driver.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    UNREFERENCED_PARAMETER(Args);
    WorkQueueInitialize();
    *Context = NULL; /* the driver keeps its state in globals */
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    WorkQueueFlush();
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    UNREFERENCED_PARAMETER(Context);
    return HotswapFormat(Buffer, Size, "{\"handled\":%ld,\"queued\":%s}", (long)WorkQueueHandled,
                         IsListEmpty(&WorkQueue) ? "false" : "true");
}
