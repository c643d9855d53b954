/* device_reset_worker_adapter.c - harness-only exports for device_reset_worker: the "stop"
 * object (else index 1). */
#include <hotswap/harness.h>

#include "device_reset_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PDEVICE_RESET_CONTEXT context;
    PVOID stop = HotswapFindObject(Args, "stop");
    NTSTATUS status;

    if (stop == NULL && Args->ObjectCount > 1) {
        stop = Args->Objects[1];
    }
    status = DeviceResetCreateContext((PKEVENT)stop, &context);
    if (NT_SUCCESS(status)) {
        *Context = context;
    }
    return status;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    DeviceResetDeleteContext((PDEVICE_RESET_CONTEXT)Context);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const DEVICE_RESET_CONTEXT *context = (const DEVICE_RESET_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"resets\":%ld,\"aborted\":%ld,\"last_reset_ms\":%lu}",
                         (long)context->Resets, (long)context->Aborted,
                         (unsigned long)context->LastResetMs);
}
