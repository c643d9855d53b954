/* <hotswap/wdm_device.h> - the minimal DEVICE_OBJECT stand-in that IoAllocateWorkItem takes.
 *
 * Included by <hotswap/wdm.h>; not meant to be included alone. A routine module only passes a
 * device object through (its own, kept in a global the way a driver keeps the one
 * IoCreateDevice gave it); the harness never reads its fields. Driver mode replaces this with
 * the full DRIVER_OBJECT / DEVICE_OBJECT pair.
 */
#ifndef HOTSWAP_WDM_DEVICE_H
#define HOTSWAP_WDM_DEVICE_H

typedef struct _DEVICE_OBJECT {
    SHORT Type; /* IO_TYPE_DEVICE (3) in the kernel */
    USHORT Size;
    PVOID DeviceExtension;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

#endif
