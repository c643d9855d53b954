/* device_reset_worker.c - the device reset worker's routine.
 *
 * STATUS_WAIT_0: reset the device (the routine itself waits, so time passes inside the
 * invocation). STATUS_WAIT_1: stop.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "device_reset_worker.h"

#define DEVICE_RESET_RELATIVE_MS(ms) (-(LONGLONG)(ms) * 10000)

/* Returns FALSE when a stop arrived during the reset. */
static BOOLEAN
DeviceResetPerform(_Inout_ PDEVICE_RESET_CONTEXT Context)
{
    LARGE_INTEGER due;
    NTSTATUS status;
    ULONGLONG started = KeQueryInterruptTime();

    /* Hold the reset line: the timer's expiry ends the hold. */
    due.QuadPart = DEVICE_RESET_RELATIVE_MS(DEVICE_RESET_HOLD_MS);
    (void)KeSetTimer(&Context->HoldTimer, due, NULL);
    status = KeWaitForSingleObject(&Context->HoldTimer, Executive, KernelMode, FALSE, NULL);
    if (status != STATUS_SUCCESS) {
        DbgPrint("DeviceReset: hold wait returned 0x%08lx\n", (unsigned long)status);
    }

    due.QuadPart = DEVICE_RESET_RELATIVE_MS(DEVICE_RESET_SETTLE_MS);
    (void)KeDelayExecutionThread(KernelMode, FALSE, &due);

    due.QuadPart = DEVICE_RESET_RELATIVE_MS(DEVICE_RESET_STOP_WINDOW_MS);
    status = KeWaitForSingleObject(Context->StopEvent, Executive, KernelMode, FALSE, &due);

    Context->LastResetMs = (ULONG)((KeQueryInterruptTime() - started) / 10000);
    return (BOOLEAN)(status == STATUS_TIMEOUT);
}

_Use_decl_annotations_
NTSTATUS
DeviceResetCreateContext(PKEVENT StopEvent, PDEVICE_RESET_CONTEXT *Context)
{
    PDEVICE_RESET_CONTEXT context;

    *Context = NULL;
    if (StopEvent == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    context = (PDEVICE_RESET_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                     DEVICE_RESET_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->StopEvent = StopEvent;
    KeInitializeTimer(&context->HoldTimer);
    *Context = context;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID
DeviceResetDeleteContext(PDEVICE_RESET_CONTEXT Context)
{
    (void)KeCancelTimer(&Context->HoldTimer);
    ExFreePoolWithTag(Context, DEVICE_RESET_POOL_TAG);
}

_Use_decl_annotations_
BOOLEAN
DeviceResetRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PDEVICE_RESET_CONTEXT context = (PDEVICE_RESET_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_WAIT_0:
        if (!DeviceResetPerform(context)) {
            context->Aborted++;
            DbgPrint("DeviceReset: stop during reset, terminating\n");
            return FALSE;
        }
        context->Resets++;
        DbgPrint("DeviceReset: reset %ld took %lu ms, continuing\n", (long)context->Resets,
                 (unsigned long)context->LastResetMs);
        return TRUE;

    case STATUS_WAIT_1:
        DbgPrint("DeviceReset: stop after %ld resets, terminating\n", (long)context->Resets);
        return FALSE;

    default:
        DbgPrint("DeviceReset: unexpected wait status 0x%08lx, terminating\n",
                 (unsigned long)WaitStatus);
        return FALSE;
    }
}
