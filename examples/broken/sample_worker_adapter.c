/* sample_worker_adapter.c - harness-only exports: the context ({ "mistake": N }, a
 * SAMPLE_MISTAKE), the worker's event (the scenario's "ready") and the device started and
 * stopped around the scenario, as the driver's D0 entry and exit would. */
#include <hotswap/harness.h>

#include "sample_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    LONG64 mistake = SampleNoMistake;
    PSAMPLE_WORKER_CONTEXT context;
    PVOID ready = HotswapFindObject(Args, "ready");

    (void)HotswapContextGetInt(Args, "mistake", &mistake);
    if (ready == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    context = (PSAMPLE_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                      SAMPLE_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Mistake = (SAMPLE_MISTAKE)mistake;
    context->SampleReady = (PKEVENT)ready;
    SampleDeviceStart(context);
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    SampleDeviceStop();
    ExFreePoolWithTag(Context, SAMPLE_POOL_TAG);
}
