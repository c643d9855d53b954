/* alert_worker.c - the scanning worker's routine.
 *
 * STATUS_TIMEOUT: periodic scan. STATUS_ALERTED: someone alerted the thread to scan now; the
 * alert is counted and the worker goes on. STATUS_WAIT_0: stop.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "alert_worker.h"

static VOID
AlertWorkerScan(_Inout_ PALERT_WORKER_CONTEXT Context)
{
    Context->Scans++;
    Context->LastScan = KeQueryInterruptTime();
}

_Use_decl_annotations_
BOOLEAN
AlertWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PALERT_WORKER_CONTEXT context = (PALERT_WORKER_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_TIMEOUT:
        AlertWorkerScan(context);
        DbgPrint("AlertWorker: periodic scan %ld, continuing\n", (long)context->Scans);
        return TRUE;

    case STATUS_ALERTED:
        context->Alerts++;
        AlertWorkerScan(context);
        DbgPrint("AlertWorker: alerted (%ld), scan %ld, continuing\n", (long)context->Alerts,
                 (long)context->Scans);
        return TRUE;

    case STATUS_WAIT_0:
        DbgPrint("AlertWorker: stop after %ld scans, terminating\n", (long)context->Scans);
        return FALSE;

    default:
        DbgPrint("AlertWorker: unexpected wait status 0x%08lx, terminating\n",
                 (unsigned long)WaitStatus);
        return FALSE;
    }
}
