/* timer_worker.c - the timer-paced worker's routine.
 *
 * STATUS_WAIT_1: a tick (the synchronization timer reset itself by satisfying the wait).
 * STATUS_WAIT_2: the watchdog fired; a notification timer stays signaled until it is set
 * again, so the routine re-arms it with KeSetTimer before it waits again. STATUS_TIMEOUT: idle.
 * STATUS_WAIT_0: stop; both timers are cancelled before the thread ends.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "timer_worker.h"

#define TIMER_WORKER_RELATIVE_MS(ms) (-(LONGLONG)(ms) * 10000)

_Use_decl_annotations_
BOOLEAN
TimerWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PTIMER_WORKER_CONTEXT context = (PTIMER_WORKER_CONTEXT)WorkerContext;
    LARGE_INTEGER due;

    switch (WaitStatus) {
    case STATUS_WAIT_1:
        context->Ticks++;
        DbgPrint("TimerWorker: tick %ld, continuing\n", (long)context->Ticks);
        return TRUE;

    case STATUS_WAIT_2:
        context->Expirations++;
        due.QuadPart = TIMER_WORKER_RELATIVE_MS(context->WatchdogMs);
        (void)KeSetTimer(context->Watchdog, due, NULL);
        DbgPrint("TimerWorker: watchdog expired (%ld), re-armed for %ld ms, continuing\n",
                 (long)context->Expirations, (long)context->WatchdogMs);
        return TRUE;

    case STATUS_TIMEOUT:
        context->Idle++;
        DbgPrint("TimerWorker: idle %ld, continuing\n", (long)context->Idle);
        return TRUE;

    case STATUS_WAIT_0:
        (void)KeCancelTimer(context->Tick);
        (void)KeCancelTimer(context->Watchdog);
        DbgPrint("TimerWorker: stop after %ld ticks, timers cancelled, terminating\n",
                 (long)context->Ticks);
        return FALSE;

    default:
        DbgPrint("TimerWorker: unexpected wait status 0x%08lx, terminating\n",
                 (unsigned long)WaitStatus);
        return FALSE;
    }
}
