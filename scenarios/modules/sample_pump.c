/* sample_pump.c - the sample pump's routine.
 *
 * STATUS_WAIT_1: the wait took one unit of the samples semaphore; the sample joins the batch,
 * which is pushed when full. STATUS_WAIT_2: flush the partial batch. STATUS_WAIT_0: stop.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "sample_pump.h"

static VOID
SamplePumpPush(_Inout_ PSAMPLE_PUMP_CONTEXT Context, _In_ PCSTR Why)
{
    Context->Batches++;
    DbgPrint("SamplePump: pushed batch %ld of %lu samples (%s)\n", (long)Context->Batches,
             (unsigned long)Context->Pending, Why);
    Context->Pending = 0;
}

_Use_decl_annotations_
BOOLEAN
SamplePumpRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PSAMPLE_PUMP_CONTEXT context = (PSAMPLE_PUMP_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_WAIT_1:
        context->Consumed++;
        context->Pending++;
        DbgPrint("SamplePump: sample %ld, continuing\n", (long)context->Consumed);
        if (context->Pending >= context->BatchSize) {
            SamplePumpPush(context, "full");
        }
        return TRUE;

    case STATUS_WAIT_2:
        context->Flushes++;
        if (context->Pending != 0) {
            SamplePumpPush(context, "flush");
        }
        DbgPrint("SamplePump: flush %ld done, continuing\n", (long)context->Flushes);
        return TRUE;

    case STATUS_WAIT_0:
        DbgPrint("SamplePump: stop with %lu samples unpushed, %ld left on the semaphore, "
                 "terminating\n",
                 (unsigned long)context->Pending, (long)KeReadStateSemaphore(context->Samples));
        return FALSE;

    default:
        DbgPrint("SamplePump: unexpected wait status 0x%08lx, terminating\n",
                 (unsigned long)WaitStatus);
        return FALSE;
    }
}
