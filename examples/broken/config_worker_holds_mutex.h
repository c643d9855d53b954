/* config_worker_holds_mutex.h - a worker that applies configuration changes under a KMUTEX.
 * Objects: 0 = apply (synchronization event), 1 = stop (notification event). */
#ifndef CONFIG_WORKER_HOLDS_MUTEX_H
#define CONFIG_WORKER_HOLDS_MUTEX_H

_IRQL_requires_max_(APC_LEVEL)
VOID
ConfigWorkerInitialize(VOID);

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ConfigWorkerRoutine;

#endif
