/* status_table.c - the status-table worker's routine (driver code): counts each queue's
 * wake-ups; anything that is not a STATUS_WAIT_n (a timeout, an alert) ends the thread.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "status_table.h"

_Use_decl_annotations_
BOOLEAN
StatusTableRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PSTATUS_TABLE_CONTEXT context = (PSTATUS_TABLE_CONTEXT)WorkerContext;

    if (WaitStatus >= STATUS_WAIT_0 && WaitStatus <= STATUS_WAIT_63) {
        /* BUG: trusts the status to name one of its STATUS_TABLE_QUEUES objects. */
        context->Counts[WaitStatus - STATUS_WAIT_0]++;
        return TRUE;
    }
    context->Other++;
    DbgPrint("StatusTable: status 0x%08lx, terminating\n", (unsigned long)WaitStatus);
    return FALSE;
}
