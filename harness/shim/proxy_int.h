/* proxy_int.h - what proxy.c (the DDIs) and proxy_wrap.c (the wrappers) share.
 *
 * A slot is one endpoint: its extension, id, current function and call counts. Slot n is
 * reached through wrapper n of each kind, so a swap changes the function and keeps the
 * wrapper.
 */
#ifndef HH_SHIM_PROXY_INT_H
#define HH_SHIM_PROXY_INT_H

#include "proxy.h"

struct hh_proxy_slot {
    PDRIVER_PROXY_EXTENSION ext; /* NULL: free */
    DRIVER_PROXY_ENDPOINT_FUNCTION_ID id;
    PDRIVER_PROXY_ENDPOINT_FUNCTION target; /* the endpoint's current function */
    ULONG params;
    LONG in_flight; /* calls in, not yet out */
    LONG calls;
};

struct _DRIVER_PROXY_EXTENSION {
    struct hh_proxy *proxy;
    PDRIVER_OBJECT owner; /* NULL: created without an owning driver */
    BOOLEAN registering;  /* inside IoRegisterDriverProxyEndpoints */
    BOOLEAN stalled;      /* ProxyStalled to the switch: new calls are held */
    /* The last registration with a phased callback: each phase's status, STATUS_PENDING for
     * one it did not reach (hh_proxy_last_phases). */
    NTSTATUS phases[DriverProxyRegisterCallbackMax];
    struct _DRIVER_PROXY_EXTENSION *next;
};

struct hh_proxy {
    struct hh_proxy_slot slots[HH_PROXY_WRAPPERS];
    struct _DRIVER_PROXY_EXTENSION *extensions;
};

/* proxy_wrap.c: wrapper n of each kind, and the slot of a wrapper of either kind (-1: none). */
PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION hh__proxy_wrapper(unsigned n);
PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE hh__proxy_worker_wrapper(unsigned n);
int hh__proxy_slot_of(PDRIVER_PROXY_ENDPOINT_FUNCTION wrapper);

#endif
