/* device_reset_worker.h - a worker that resets a device on request and waits inside the
 * routine: it holds the reset line for a time measured by its own KTIMER (KeSetTimer +
 * KeWaitForSingleObject), lets the device settle (KeDelayExecutionThread), then gives a stop
 * request a short window (KeWaitForSingleObject on the stop event with a timeout) before it
 * declares the device up.
 *
 * Objects, in start-context order: 0 = request (synchronization event), 1 = stop (notification
 * event).
 */
#ifndef DEVICE_RESET_WORKER_H
#define DEVICE_RESET_WORKER_H

#define DEVICE_RESET_POOL_TAG 0x73527644UL /* "DvRs" in pool dumps */
#define DEVICE_RESET_HOLD_MS 5
#define DEVICE_RESET_SETTLE_MS 2
#define DEVICE_RESET_STOP_WINDOW_MS 3

typedef struct _DEVICE_RESET_CONTEXT {
    PKEVENT StopEvent;
    KTIMER HoldTimer;
    LONG Resets;
    LONG Aborted;
    ULONG LastResetMs;
} DEVICE_RESET_CONTEXT, *PDEVICE_RESET_CONTEXT;

_IRQL_requires_max_(APC_LEVEL)
_Must_inspect_result_
NTSTATUS
DeviceResetCreateContext(_In_ PKEVENT StopEvent, _Out_ PDEVICE_RESET_CONTEXT *Context);

_IRQL_requires_max_(APC_LEVEL)
VOID
DeviceResetDeleteContext(_In_ PDEVICE_RESET_CONTEXT Context);

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE DeviceResetRoutine;

#endif
