/* probe_dpc_adapter.c - harness-only exports for probe_dpc. */
#include <hotswap/harness.h>

#include "probe_dpc.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PPROBE_DPC_CONTEXT context;
    NTSTATUS status;

    context = (PPROBE_DPC_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                  PROBE_DPC_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Done = (PKEVENT)HotswapFindObject(Args, "done");
    status = context->Done != NULL ? ProbeDpcStart(context) : STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(context, PROBE_DPC_POOL_TAG);
        return status;
    }
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ProbeDpcStop();
    ExFreePoolWithTag(Context, PROBE_DPC_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const PROBE_DPC_CONTEXT *c = (const PROBE_DPC_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size,
                         "{\"kicks\":%ld,\"dpc_runs\":%ld,\"duplicate_inserts\":%ld,"
                         "\"removed_was_queued\":%ld,\"removed_dpc_runs\":%ld,"
                         "\"timer_dpc_runs\":%ld,\"work_runs\":%ld,\"ran_inside_routine\":%ld,"
                         "\"dpc_irql\":%u,\"work_irql\":%u}",
                         (long)c->Kicks, (long)c->DpcRuns, (long)c->DuplicateInserts,
                         (long)c->RemovedWasQueued, (long)c->RemovedDpcRuns,
                         (long)c->TimerDpcRuns, (long)c->WorkRuns, (long)c->RanInsideRoutine,
                         (unsigned)c->DpcIrql, (unsigned)c->WorkIrql);
}
