/* drain_worker.h - a one-shot worker that drains a semaphore-counted backlog and exits. Its
 * wait is a poll (a zero timeout): every unit available is taken without blocking, and the
 * first poll that finds none returns STATUS_TIMEOUT, which ends the thread. The wait is
 * alertable (KernelMode) so an alert makes it look again before it gives up.
 *
 * Objects, in start-context order: 0 = items (semaphore).
 */
#ifndef DRAIN_WORKER_H
#define DRAIN_WORKER_H

#define DRAIN_WORKER_POOL_TAG 0x576E7244UL /* "DrnW" in pool dumps */

typedef struct _DRAIN_WORKER_CONTEXT {
    LONG Drained;
    LONG Alerts;
} DRAIN_WORKER_CONTEXT, *PDRAIN_WORKER_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE DrainWorkerRoutine;

#endif
