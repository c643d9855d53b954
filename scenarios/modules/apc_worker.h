/* apc_worker.h - a worker whose wait is UserMode and alertable, so that user APCs queued to
 * the thread run between invocations (the wait returns STATUS_USER_APC after delivering them)
 * and alerts of either mode interrupt it.
 *
 * Objects, in start-context order: 0 = stop (notification event), 1 = data (synchronization
 * event). No mutex may be in the set: a UserMode wait can have its kernel stack swapped.
 */
#ifndef APC_WORKER_H
#define APC_WORKER_H

#define APC_WORKER_POOL_TAG 0x4C637041UL /* "ApcL" in pool dumps */

typedef struct _APC_WORKER_CONTEXT {
    LONG Records;
    LONG Apcs;
    LONG Alerts;
} APC_WORKER_CONTEXT, *PAPC_WORKER_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ApcWorkerRoutine;

#endif
