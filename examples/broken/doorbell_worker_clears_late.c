/* doorbell_worker_clears_late.c - the doorbell worker with its KeClearEvent after the work
 * instead of before it (scenarios/modules/doorbell_worker.c is the right one).
 *
 * A ring that comes while the routine works sets the doorbell, and the clear at the end wipes
 * it out: the device rang, and nobody ever answers. `run` on the virtual clock cannot show
 * it, because there the work takes no time and no DPC runs during it; on the real clock it is
 * the first thing that goes wrong (doorbell_worker_clears_late.json), and `explore` runs the
 * ring's DPC at each DDI call of the routine (doorbell_worker_clears_late_explored.json).
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "doorbell_worker.h"

_Use_decl_annotations_
BOOLEAN
DoorbellWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PDOORBELL_WORKER_CONTEXT context = (PDOORBELL_WORKER_CONTEXT)WorkerContext;
    ULONG polls;

    if (WaitStatus != STATUS_WAIT_0) {
        DbgPrint("DoorbellWorker: status 0x%08lx after %ld rings, terminating\n",
                 (unsigned long)WaitStatus, (long)context->Handled);
        return FALSE;
    }
    context->Handled++;
    DoorbellDeviceStartCommand(context);
    for (polls = 0; polls < DOORBELL_MAX_POLLS && DoorbellDeviceBusy(context); polls++) {
        KeStallExecutionProcessor(DOORBELL_POLL_MICROSECONDS);
    }
    KeClearEvent(context->Doorbell); /* the bug: a ring during the work is lost here */
    DbgPrint("DoorbellWorker: handled ring %ld, continuing\n", (long)context->Handled);
    return TRUE;
}
