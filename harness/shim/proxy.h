/* proxy.h - the Driver Hot Swap state of one engine (proxy.c), for the engine and its drivers.
 *
 * The extensions the run's drivers created and the endpoint wrappers handed out. An unload
 * frees what a driver owns, as the system does when a driver object goes away; the engine's
 * end unloads every driver.
 */
#ifndef HH_SHIM_PROXY_H
#define HH_SHIM_PROXY_H

#include "engine/engine.h"

/* Frees every extension and forgets every endpoint (NULL: nothing). A wrapper called after
 * it is a finding. */
void hh_proxy_free(struct hh_proxy *p);
/* The driver's unload: its extension and endpoints go away. */
HH_API void hh_proxy_driver_unload(struct hh_engine *e, PDRIVER_OBJECT driver);

/* The kernel's copy of a start context that IoDriverProxyCreateHotSwappableWorkerThread
 * accepted: EventCount events long, its WorkerRoutine the endpoint's wrapper of the worker
 * routine's own type; NULL without memory. Freed with hh_proxy_free_start. */
HH_API PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT hh_proxy_copy_start(
    PDRIVER_PROXY_EXTENSION ext, const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start);
HH_API void hh_proxy_free_start(PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT copy);

/* Calls of endpoint `id` through its wrappers: running now (the rundown waits for them), and
 * made since it was registered. -1 for an id the extension does not have. */
HH_API LONG hh_proxy_in_flight(PDRIVER_PROXY_EXTENSION ext, DRIVER_PROXY_ENDPOINT_FUNCTION_ID id);
HH_API LONG hh_proxy_calls(PDRIVER_PROXY_EXTENSION ext, DRIVER_PROXY_ENDPOINT_FUNCTION_ID id);

/* The last IoRegisterDriverProxyEndpoints with a phased callback on ext: status[phase] is what
 * that phase's callback returned, STATUS_PENDING for a phase it did not reach (a phase before
 * failed, or the rundown did). All STATUS_PENDING before any such call. */
HH_API void hh_proxy_last_phases(PDRIVER_PROXY_EXTENSION ext,
                                 NTSTATUS status[DriverProxyRegisterCallbackMax]);

#endif
