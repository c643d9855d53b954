/* timer_worker_adapter.c - harness-only exports for timer_worker: "tick" and "watchdog"
 * objects (else indexes 1 and 2) and "watchdog_ms" from the scenario's context (default 250). */
#include <hotswap/harness.h>

#include "timer_worker.h"

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
    PTIMER_WORKER_CONTEXT context;
    PVOID tick = AdapterObject(Args, "tick", 1);
    PVOID watchdog = AdapterObject(Args, "watchdog", 2);
    LONG64 watchdogMs = TIMER_WORKER_DEFAULT_WATCHDOG_MS;

    (void)HotswapContextGetInt(Args, "watchdog_ms", &watchdogMs);
    if (tick == NULL || watchdog == NULL || watchdogMs < 1 || watchdogMs > 3600000) {
        return STATUS_INVALID_PARAMETER;
    }
    context = (PTIMER_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                     TIMER_WORKER_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Tick = (PKTIMER)tick;
    context->Watchdog = (PKTIMER)watchdog;
    context->WatchdogMs = (LONG)watchdogMs;
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, TIMER_WORKER_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const TIMER_WORKER_CONTEXT *context = (const TIMER_WORKER_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"ticks\":%ld,\"expirations\":%ld,\"idle\":%ld}",
                         (long)context->Ticks, (long)context->Expirations, (long)context->Idle);
}
