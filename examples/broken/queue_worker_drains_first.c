/* queue_worker_drains_first.c - BROKEN: keeps running after its stop event when work is also
 * pending.
 *
 * The routine checks for work before it looks at the wait status, and a stop that arrives with
 * work queued only earns one more wait. Woken by stop (STATUS_WAIT_1) with work signaled, it
 * processes the work and returns TRUE: the thread outlives the stop request, which a driver
 * unloading or being hot-swapped is waiting on.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "queue_worker_drains_first.h"

_Use_decl_annotations_
BOOLEAN
QueueWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PDRAINS_FIRST_CONTEXT context = (PDRAINS_FIRST_CONTEXT)WorkerContext;

    if (WaitStatus == STATUS_WAIT_0 || KeReadStateEvent(context->WorkEvent) != 0) {
        KeClearEvent(context->WorkEvent);
        context->Processed++;
        DbgPrint("QueueWorker: processed item %ld, continuing\n", (long)context->Processed);
        return TRUE;
    }
    if (WaitStatus == STATUS_WAIT_1) {
        DbgPrint("QueueWorker: stop requested, terminating\n");
        return FALSE;
    }
    return TRUE;
}
