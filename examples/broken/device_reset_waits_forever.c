/* device_reset_waits_forever.c - BROKEN: waits with no timeout on an event nothing signals.
 *
 * The routine starts a reset and waits for ResetDone, which the reset-complete DPC should set;
 * that interrupt was never connected, so nothing ever sets it. An infinite wait inside the
 * routine hangs the worker for good: no stop, no unload, no hot-swap. A bounded wait (and a
 * path for the timeout) is the fix.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "device_reset_waits_forever.h"

_Use_decl_annotations_
BOOLEAN
DeviceResetRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PRESET_FOREVER_CONTEXT context = (PRESET_FOREVER_CONTEXT)WorkerContext;

    if (WaitStatus == STATUS_WAIT_0) {
        KeClearEvent(&context->ResetDone);
        DbgPrint("DeviceReset: reset started, waiting for completion\n");
        (void)KeWaitForSingleObject(&context->ResetDone, Executive, KernelMode, FALSE, NULL);
        context->Resets++;
        DbgPrint("DeviceReset: reset %ld complete, continuing\n", (long)context->Resets);
        return TRUE;
    }
    DbgPrint("DeviceReset: wait status 0x%08lx, terminating\n", (unsigned long)WaitStatus);
    return FALSE;
}
