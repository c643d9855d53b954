/* config_worker_holds_mutex.c - BROKEN: the thread ends while it holds a KMUTEX.
 *
 * On stop the routine takes the configuration lock to flush pending changes, and the early
 * return for "nothing to flush" skips KeReleaseMutex. A system thread that exits holding a
 * KMUTEX bug-checks the machine (THREAD_TERMINATE_HELD_MUTEX, 0x4000008A); the harness
 * reports it earlier, at the return that still holds the KMUTEX (rule held-at-return).
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "config_worker_holds_mutex.h"

static KMUTEX ConfigLock;
static LONG ConfigApplied;
static LONG ConfigDirty;

_Use_decl_annotations_
VOID
ConfigWorkerInitialize(VOID)
{
    KeInitializeMutex(&ConfigLock, 0);
    ConfigApplied = 0;
    ConfigDirty = 0;
}

_Use_decl_annotations_
BOOLEAN
ConfigWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    UNREFERENCED_PARAMETER(WorkerContext);

    (void)KeWaitForSingleObject(&ConfigLock, Executive, KernelMode, FALSE, NULL);

    if (WaitStatus == STATUS_WAIT_0) {
        ConfigApplied++;
        DbgPrint("ConfigWorker: applied change %ld, continuing\n", (long)ConfigApplied);
        KeReleaseMutex(&ConfigLock, FALSE);
        return TRUE;
    }

    if (ConfigDirty == 0) {
        DbgPrint("ConfigWorker: nothing to flush, terminating\n");
        return FALSE;
    }
    DbgPrint("ConfigWorker: flushed configuration, terminating\n");
    ConfigDirty = 0;
    KeReleaseMutex(&ConfigLock, FALSE);
    return FALSE;
}
