/* doorbell_worker_adapter.c - harness-only exports for doorbell_worker, and the device it
 * drives: a status register that reads busy `busy_polls` times after a command starts, and a
 * timer DPC that rings the doorbell once, `ring_after_ms` into the first command (0: never), as
 * the device's interrupt DPC would. */
#include <hotswap/harness.h>

#include "doorbell_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

static KDEFERRED_ROUTINE DoorbellDeviceRingDpc;

static VOID
DoorbellDeviceRingDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
                      PVOID SystemArgument2)
{
    PDOORBELL_WORKER_CONTEXT context = (PDOORBELL_WORKER_CONTEXT)DeferredContext;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    context->Rings++;
    (void)KeSetEvent(context->Doorbell, IO_NO_INCREMENT, FALSE);
}

VOID
DoorbellDeviceStartCommand(PDOORBELL_WORKER_CONTEXT Context)
{
    LARGE_INTEGER due;

    Context->StatusReads = 0;
    if (Context->RingAfterMs > 0 && !Context->RingArmed) {
        Context->RingArmed = TRUE;
        due.QuadPart = -(LONGLONG)Context->RingAfterMs * 10000;
        (void)KeSetTimer(&Context->RingTimer, due, &Context->RingDpc);
    }
}

BOOLEAN
DoorbellDeviceBusy(PDOORBELL_WORKER_CONTEXT Context)
{
    return ++Context->StatusReads <= Context->BusyPolls;
}

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PDOORBELL_WORKER_CONTEXT context;
    PVOID doorbell = HotswapFindObject(Args, "doorbell");
    LONG64 busyPolls = 0, ringAfterMs = 0;

    (void)HotswapContextGetInt(Args, "busy_polls", &busyPolls);
    (void)HotswapContextGetInt(Args, "ring_after_ms", &ringAfterMs);
    if (doorbell == NULL && Args->ObjectCount > 0) {
        doorbell = Args->Objects[0];
    }
    if (doorbell == NULL || busyPolls < 0 || busyPolls > DOORBELL_MAX_POLLS || ringAfterMs < 0 ||
        ringAfterMs > 3600000) {
        return STATUS_INVALID_PARAMETER;
    }
    context = (PDOORBELL_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                        DOORBELL_WORKER_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Doorbell = (PKEVENT)doorbell;
    context->BusyPolls = (LONG)busyPolls;
    context->RingAfterMs = (LONG)ringAfterMs;
    KeInitializeTimer(&context->RingTimer);
    KeInitializeDpc(&context->RingDpc, DoorbellDeviceRingDpc, context);
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    PDOORBELL_WORKER_CONTEXT context = (PDOORBELL_WORKER_CONTEXT)Context;

    (void)KeCancelTimer(&context->RingTimer);
    ExFreePoolWithTag(context, DOORBELL_WORKER_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const DOORBELL_WORKER_CONTEXT *context = (const DOORBELL_WORKER_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"handled\":%ld,\"rings\":%ld}", (long)context->Handled,
                         (long)context->Rings);
}
