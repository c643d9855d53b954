/* sample_pump_adapter.c - harness-only exports for sample_pump: "samples" object (else index 1)
 * and "batch" from the scenario's context (default 4). */
#include <hotswap/harness.h>

#include "sample_pump.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PSAMPLE_PUMP_CONTEXT context;
    PVOID samples = HotswapFindObject(Args, "samples");
    LONG64 batch = SAMPLE_PUMP_DEFAULT_BATCH;

    if (samples == NULL && Args->ObjectCount > 1) {
        samples = Args->Objects[1];
    }
    (void)HotswapContextGetInt(Args, "batch", &batch);
    if (samples == NULL || batch < 1 || batch > 4096) {
        return STATUS_INVALID_PARAMETER;
    }
    context = (PSAMPLE_PUMP_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                    SAMPLE_PUMP_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Samples = (PKSEMAPHORE)samples;
    context->BatchSize = (ULONG)batch;
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, SAMPLE_PUMP_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const SAMPLE_PUMP_CONTEXT *context = (const SAMPLE_PUMP_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size,
                         "{\"consumed\":%ld,\"pending\":%lu,\"batches\":%ld,\"flushes\":%ld}",
                         (long)context->Consumed, (unsigned long)context->Pending,
                         (long)context->Batches, (long)context->Flushes);
}
