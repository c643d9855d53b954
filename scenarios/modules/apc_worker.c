/* apc_worker.c - the routine of a worker waiting alertably in UserMode.
 *
 * STATUS_WAIT_1: a data record is ready. STATUS_ALERTED: the thread was alerted; wait again.
 * STATUS_WAIT_0: stop. STATUS_USER_APC: a user APC is queued to the thread. This is a system
 * thread, which never returns to user mode, so the APC never runs: it stays queued and every
 * later UserMode wait returns STATUS_USER_APC at once. Waiting again would spin; end the thread.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "apc_worker.h"

_Use_decl_annotations_
BOOLEAN
ApcWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PAPC_WORKER_CONTEXT context = (PAPC_WORKER_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_WAIT_1:
        context->Records++;
        DbgPrint("ApcWorker: record %ld, continuing\n", (long)context->Records);
        return TRUE;

    case STATUS_USER_APC:
        context->Apcs++;
        DbgPrint("ApcWorker: user APC queued, never delivered to a system thread; "
                 "terminating\n");
        return FALSE;

    case STATUS_ALERTED:
        context->Alerts++;
        DbgPrint("ApcWorker: alerted (%ld), continuing\n", (long)context->Alerts);
        return TRUE;

    case STATUS_WAIT_0:
        DbgPrint("ApcWorker: stop after %ld records, terminating\n", (long)context->Records);
        return FALSE;

    default:
        DbgPrint("ApcWorker: unexpected wait status 0x%08lx, terminating\n",
                 (unsigned long)WaitStatus);
        return FALSE;
    }
}
