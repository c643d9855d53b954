/* request_queue.h - a device's request queue: a producer (called at DISPATCH_LEVEL from the
 * driver's DPC) queues requests under a spin lock and sets the work event (0, a
 * synchronization event); the worker completes them; the stop event (1) ends the thread.
 * Planted bug: the "cancel all" request (code 255) cancels what is pending but leaks its own
 * allocation; only a fuzz input that calls the producer with that code finds it.
 */
#ifndef REQUEST_QUEUE_H
#define REQUEST_QUEUE_H

#define REQUEST_QUEUE_POOL_TAG 0x51716552UL /* 'ReqQ' */
#define REQUEST_CODE_CANCEL_ALL 255

typedef struct _DEVICE_REQUEST {
    LIST_ENTRY Link;
    ULONG Code;
} DEVICE_REQUEST, *PDEVICE_REQUEST;

typedef struct _REQUEST_QUEUE {
    KSPIN_LOCK Lock;
    LIST_ENTRY Pending;
    PKEVENT Work;
    LONG Completed;
    LONG Cancelled;
} REQUEST_QUEUE, *PREQUEST_QUEUE;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE RequestQueueRoutine;
NTSTATUS RequestQueueSubmit(PREQUEST_QUEUE Queue, ULONG Code);
VOID RequestQueueFlush(PREQUEST_QUEUE Queue);

#endif
