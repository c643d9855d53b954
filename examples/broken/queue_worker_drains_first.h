/* queue_worker_drains_first.h - a queue worker that drains queued work before it looks at why
 * it woke up. Objects: 0 = work (synchronization event), 1 = stop (notification event). */
#ifndef QUEUE_WORKER_DRAINS_FIRST_H
#define QUEUE_WORKER_DRAINS_FIRST_H

#define DRAINS_FIRST_POOL_TAG 0x516B7242UL /* "BrkQ" in pool dumps */

typedef struct _DRAINS_FIRST_CONTEXT {
    PKEVENT WorkEvent;
    LONG Processed;
} DRAINS_FIRST_CONTEXT, *PDRAINS_FIRST_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE QueueWorkerRoutine;

#endif
