/* drain_worker.c - the drain worker's routine: STATUS_WAIT_0 takes one item, STATUS_ALERTED
 * polls again, STATUS_TIMEOUT (nothing left) ends the thread. Answering a poll's timeout with
 * TRUE would spin without ever blocking. */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "drain_worker.h"

_Use_decl_annotations_
BOOLEAN
DrainWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PDRAIN_WORKER_CONTEXT context = (PDRAIN_WORKER_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_WAIT_0:
        context->Drained++;
        DbgPrint("DrainWorker: drained item %ld, continuing\n", (long)context->Drained);
        return TRUE;

    case STATUS_ALERTED:
        context->Alerts++;
        DbgPrint("DrainWorker: alerted, polling again\n");
        return TRUE;

    case STATUS_TIMEOUT:
        DbgPrint("DrainWorker: backlog empty after %ld items, terminating\n",
                 (long)context->Drained);
        return FALSE;

    default:
        DbgPrint("DrainWorker: unexpected wait status 0x%08lx, terminating\n",
                 (unsigned long)WaitStatus);
        return FALSE;
    }
}
