/* queue_worker.h - a driver's queue worker: work items signaled through a synchronization
 * event, housekeeping on every wait timeout, a notification event to stop.
 *
 * The worker owns a fixed set of transfer buffers (Capacity). Each work item takes one; when
 * none is free the item is deferred until housekeeping recycles the buffers. Objects, in
 * start-context order: 0 = work event, 1 = stop event.
 */
#ifndef QUEUE_WORKER_H
#define QUEUE_WORKER_H

#ifndef QUEUE_WORKER_VERSION
#define QUEUE_WORKER_VERSION 1
#endif

#define QUEUE_WORKER_POOL_TAG 0x6B725751UL /* 'krWQ': "QWrk" in pool dumps */
#define QUEUE_WORKER_MAX_CAPACITY 1024UL

typedef struct _QUEUE_WORKER_BUFFER {
    ULONGLONG AcceptedAt; /* interrupt time the item was accepted */
    ULONG Sequence;       /* 1-based item number */
} QUEUE_WORKER_BUFFER, *PQUEUE_WORKER_BUFFER;

typedef struct _QUEUE_WORKER_CONTEXT {
    PKEVENT WorkEvent;
    PKEVENT StopEvent;
    KSPIN_LOCK Lock; /* guards everything below; producers take it at DISPATCH_LEVEL */
    ULONG Capacity;
    ULONG InUse;
    PQUEUE_WORKER_BUFFER Buffers;
    LONG Processed;
    LONG Deferred;
    LONG Recycled;
    LONG Timeouts;
} QUEUE_WORKER_CONTEXT, *PQUEUE_WORKER_CONTEXT;

_IRQL_requires_max_(APC_LEVEL)
_Must_inspect_result_
NTSTATUS
QueueWorkerCreateContext(_In_ PKEVENT WorkEvent, _In_ PKEVENT StopEvent, _In_ ULONG Capacity,
                         _Out_ PQUEUE_WORKER_CONTEXT *Context);

_IRQL_requires_max_(APC_LEVEL)
VOID
QueueWorkerDeleteContext(_In_ PQUEUE_WORKER_CONTEXT Context);

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE QueueWorkerRoutine;

#endif
