/* crash_on_stop.c - a test routine (not an example): a NULL write when stop (STATUS_WAIT_1)
 * comes, so the tests see replay's crash verdict and a crash turned into a scenario.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE CrashOnStopRoutine;

static volatile LONG *volatile Nowhere;

_Use_decl_annotations_
BOOLEAN
CrashOnStopRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    (void)WorkerContext;
    if (WaitStatus == STATUS_WAIT_1) {
        *Nowhere = 1;
    }
    return WaitStatus == STATUS_WAIT_0;
}
