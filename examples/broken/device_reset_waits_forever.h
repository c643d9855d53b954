/* device_reset_waits_forever.h - a reset worker that waits for the device's reset-complete
 * event. Objects: 0 = request (synchronization event), 1 = stop (notification event). */
#ifndef DEVICE_RESET_WAITS_FOREVER_H
#define DEVICE_RESET_WAITS_FOREVER_H

#define RESET_FOREVER_POOL_TAG 0x46527644UL /* "DvRF" in pool dumps */

typedef struct _RESET_FOREVER_CONTEXT {
    KEVENT ResetDone; /* meant to be set by the DPC of the device's reset-complete interrupt */
    LONG Resets;
} RESET_FOREVER_CONTEXT, *PRESET_FOREVER_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE DeviceResetRoutine;

#endif
