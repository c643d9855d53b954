/* ping_worker.c - the driver's worker routine, compiled unchanged for the kernel and for the
 * harness: STATUS_WAIT_0 (ping) answers a request, STATUS_TIMEOUT counts an idle tick, and
 * STATUS_WAIT_1 (stop) or anything unexpected ends the thread. */
#include "ping_worker.h"

_Use_decl_annotations_
BOOLEAN
PingWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PPING_WORKER_CONTEXT context = (PPING_WORKER_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_WAIT_0:
        context->Pings++;
        DbgPrint("PingWorker: pong %ld\n", context->Pings);
        return TRUE;

    case STATUS_TIMEOUT:
        context->IdleTicks++;
#ifdef PING_WORKER_PLANTED_BUG
        /* The bug this project's fuzzing is shown finding (meson -Dplanted_bug=true): after
         * three idle ticks the worker "powers down" by ending its thread, which nothing
         * restarts. The scenarios never idle that long and pass. */
        if (context->IdleTicks == 3) {
            DbgPrint("PingWorker: idle for 3 ticks, powering down\n");
            return FALSE;
        }
#endif
        return TRUE;

    default:
        DbgPrint("PingWorker: status %08lx, stopping after %ld pings\n", WaitStatus,
                 context->Pings);
        return FALSE;
    }
}
