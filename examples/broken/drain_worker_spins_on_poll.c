/* drain_worker_spins_on_poll.c - BROKEN: answers a poll's STATUS_TIMEOUT with TRUE.
 *
 * The wait has a zero timeout. Once the backlog is empty every wait returns STATUS_TIMEOUT at
 * once, and "nothing right now, look again" makes the thread spin at 100% CPU without ever
 * blocking. Objects: 0 = items (semaphore). No context.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE DrainWorkerRoutine;

_Use_decl_annotations_
BOOLEAN
DrainWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    UNREFERENCED_PARAMETER(WorkerContext);

    if (WaitStatus == STATUS_WAIT_0) {
        DbgPrint("DrainWorker: drained an item, continuing\n");
        return TRUE;
    }
    if (WaitStatus == STATUS_TIMEOUT) {
        /* Nothing queued right now: poll again. */
        return TRUE;
    }
    return FALSE;
}
