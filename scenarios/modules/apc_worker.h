/* apc_worker.h - a worker whose wait is UserMode and alertable, so that alerts of either mode
 * interrupt it, and a user APC queued to the thread ends it with STATUS_USER_APC (without
 * running: a system thread never returns to user mode, where user APCs run).
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
