/* doorbell_worker.c - the doorbell worker's routine.
 *
 * STATUS_WAIT_0: a ring. The doorbell is a notification event, so the wait does not reset it:
 * the routine clears it first, then does the work, so that a ring that comes while it works
 * leaves the doorbell signaled and the next wait ends at once. STATUS_WAIT_1: stop.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "doorbell_worker.h"

static VOID
DoorbellWorkerRunCommand(PDOORBELL_WORKER_CONTEXT Context)
{
    ULONG polls;

    DoorbellDeviceStartCommand(Context);
    for (polls = 0; polls < DOORBELL_MAX_POLLS && DoorbellDeviceBusy(Context); polls++) {
        KeStallExecutionProcessor(DOORBELL_POLL_MICROSECONDS);
    }
}

_Use_decl_annotations_
BOOLEAN
DoorbellWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PDOORBELL_WORKER_CONTEXT context = (PDOORBELL_WORKER_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_WAIT_0:
        KeClearEvent(context->Doorbell);
        context->Handled++;
        DoorbellWorkerRunCommand(context);
        DbgPrint("DoorbellWorker: handled ring %ld, continuing\n", (long)context->Handled);
        return TRUE;

    case STATUS_WAIT_1:
        DbgPrint("DoorbellWorker: stop after %ld rings, terminating\n", (long)context->Handled);
        return FALSE;

    default:
        DbgPrint("DoorbellWorker: unexpected wait status 0x%08lx, terminating\n",
                 (unsigned long)WaitStatus);
        return FALSE;
    }
}
