/* telemetry_worker_adapter.c - harness-only exports: the collector's state from the
 * scenario's "context" ({ "report_every": N }). */
#include <hotswap/harness.h>

#include "telemetry_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    LONG64 reportEvery = 0;

    (void)HotswapContextGetInt(Args, "report_every", &reportEvery);
    *Context = NULL;
    return TelemetryInitialize((ULONG)reportEvery);
}

VOID
HotswapDestroyContext(PVOID Context)
{
    (void)Context;
    TelemetryCleanup();
}
