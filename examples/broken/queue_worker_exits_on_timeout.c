/* queue_worker_exits_on_timeout.c - BROKEN: ends the thread on a housekeeping timeout.
 *
 * "Keep waiting only when there was work" reads naturally but is wrong: the wait has a timeout
 * for periodic housekeeping, and STATUS_TIMEOUT makes the routine return FALSE, so the worker
 * silently stops after its first idle period. Objects: 0 = work, 1 = stop. No context.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE QueueWorkerRoutine;

_Use_decl_annotations_
BOOLEAN
QueueWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    UNREFERENCED_PARAMETER(WorkerContext);

    if (WaitStatus == STATUS_WAIT_0) {
        DbgPrint("QueueWorker: processed an item, continuing\n");
    } else {
        DbgPrint("QueueWorker: wait status 0x%08lx, terminating\n", (unsigned long)WaitStatus);
    }
    return (BOOLEAN)(WaitStatus == STATUS_WAIT_0);
}
