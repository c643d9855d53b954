/* journal_guard.c - the journal guard's routine (driver code).
 *
 * STATUS_WAIT_0: lock and request taken; serve the request, release the lock.
 * STATUS_ABANDONED: the same, but the client died mid-update: journal a repair first.
 * STATUS_TIMEOUT: housekeeping frees the journal; the third idle tick in a row ends the thread.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "journal_guard.h"

_Use_decl_annotations_
BOOLEAN
JournalGuardRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PJOURNAL_GUARD_CONTEXT context = (PJOURNAL_GUARD_CONTEXT)WorkerContext;

    if (WaitStatus == STATUS_ABANDONED) {
        context->Repairs++;
        /* BUG: a journal still pending from an earlier repair is overwritten, not freed. */
        context->Journal = ExAllocatePool2(POOL_FLAG_NON_PAGED, 256, JOURNAL_GUARD_POOL_TAG);
        DbgPrint("JournalGuard: client died holding the lock, repair %ld journaled\n",
                 (long)context->Repairs);
    }
    if (WaitStatus == STATUS_WAIT_0 || WaitStatus == STATUS_ABANDONED) {
        context->Uses++;
        context->Idle = 0;
        KeReleaseMutex(context->Lock, FALSE);
        return TRUE;
    }
    if (WaitStatus == STATUS_TIMEOUT) {
        if (context->Journal != NULL) {
            ExFreePoolWithTag(context->Journal, JOURNAL_GUARD_POOL_TAG);
            context->Journal = NULL;
        }
        if (++context->Idle < JOURNAL_GUARD_IDLE_TICKS) {
            return TRUE;
        }
        DbgPrint("JournalGuard: idle after %ld requests, terminating\n", (long)context->Uses);
        return FALSE;
    }
    DbgPrint("JournalGuard: status 0x%08lx, terminating\n", (unsigned long)WaitStatus);
    return FALSE;
}
