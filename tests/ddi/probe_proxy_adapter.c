/* probe_proxy_adapter.c - harness-only exports for the Driver Hot Swap probe: the set-up runs
 * the driver's DriverEntry (and, with context "swap", the new image's registration), then
 * checks what the lookups give; ProbeProxyRoutine is the kernel thread's call of the worker's
 * wrapper, which the scenario's worker makes (with "driver", the driver starts its own). */
#include <hotswap/harness.h>

#include <stdlib.h>

#include "probe_check.h"
#include "probe_proxy.h"

typedef struct _PROBE_PROXY_CONTEXT {
    DRIVER_OBJECT Driver;
    ULONG Checks;
    ULONG FailedLine;
} PROBE_PROXY_CONTEXT, *PPROBE_PROXY_CONTEXT;

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;
DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeProxyRoutine;

static VOID ProbeProxyLookups(PPROBE_PROXY_CONTEXT context)
{
    DRIVER_PROXY_EXTENSION_CREATION_FLAGS flags;
    PDRIVER_PROXY_EXTENSION second = ProbeProxyExtension;
    PPROBE_PROXY_QUEUE_WORK missing = ProbeProxyQueueWork;

    flags.AsUlong = 0;
    PROBE_CHECK(context, IoCreateDriverProxyExtension(&context->Driver, flags, &second) ==
                             STATUS_RESOURCE_IN_USE);
    PROBE_CHECK(context, IoGetDriverProxyExtensionFromDriverObject(&context->Driver) ==
                             ProbeProxyExtension);
    PROBE_CHECK(context, IoGetDriverProxyEndpointWrapper(ProbeProxyExtension, 99) == NULL);
    PROBE_CHECK(context, IoGetDriverProxyWrapperFromEndpoint(ProbeProxyExtension, ProbeProxySwap,
                                                             &missing) == STATUS_NOT_FOUND);
    PROBE_CHECK(context, missing == NULL);
    PROBE_CHECK(context, (PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION)ProbeProxyQueueWork ==
                             IoGetDriverProxyEndpointWrapper(ProbeProxyExtension,
                                                             ProbeProxyQueueWorkId));
    /* No worker thread can be started from driver code yet: the documented refusal. */
    PROBE_CHECK(context, ProbeProxyThreadStatus == STATUS_NOT_SUPPORTED);
}

NTSTATUS HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PPROBE_PROXY_CONTEXT context = (PPROBE_PROXY_CONTEXT)calloc(1, sizeof(*context));
    LONG64 swap = 0, raw = 0;
    NTSTATUS status;

    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    HotswapContextGetInt(Args, "swap", &swap);
    HotswapContextGetInt(Args, "raw", &raw);
    context->Driver.Type = IO_TYPE_DRIVER;
    context->Driver.Size = (SHORT)sizeof(DRIVER_OBJECT);
    ProbeProxyPlantRawRoutine = raw != 0;
    ProbeProxyQueued = 0;
    ProbeProxyPhases = 0;
    ProbeProxySwapStatus = STATUS_SUCCESS;
    *Context = context;
    status = ProbeProxyDriverEntry(&context->Driver, NULL);
    PROBE_CHECK(context, status == ProbeProxyThreadStatus);
    ProbeProxyLookups(context);
    if (swap) {
        ProbeProxySwapStatus = ProbeProxySwap();
    }
    return STATUS_SUCCESS;
}

BOOLEAN ProbeProxyRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    return ProbeProxyWorker(WorkerContext, WaitStatus);
}

VOID HotswapDestroyContext(PVOID Context)
{
    free(Context);
}

SIZE_T HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const PROBE_PROXY_CONTEXT *context = (const PROBE_PROXY_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size,
                         "{\"checks\":%lu,\"failed_line\":%lu,\"queued\":%ld,\"phases\":%ld,"
                         "\"swap_status\":\"%08lX\"}",
                         (unsigned long)context->Checks, (unsigned long)context->FailedLine,
                         (long)ProbeProxyQueued, (long)ProbeProxyPhases,
                         (unsigned long)(ULONG)ProbeProxySwapStatus);
}
