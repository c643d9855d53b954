/* work_queue_driver.h - a driver that keeps its work queue and its two notification events
 * in globals, as acpi.sys does: producers queue items under a spin lock and set the work
 * event; the hot-swappable worker drains the queue, clears the event once the queue is
 * empty, and returns TRUE (terminate) on the stop event. */
#ifndef WORK_QUEUE_DRIVER_H
#define WORK_QUEUE_DRIVER_H

#define WORK_QUEUE_POOL_TAG 'iQkW'

typedef struct _WORK_QUEUE_ITEM {
    LIST_ENTRY Link;
    ULONG Value;
} WORK_QUEUE_ITEM, *PWORK_QUEUE_ITEM;

extern KSPIN_LOCK WorkQueueLock;
extern LIST_ENTRY WorkQueue;
extern KEVENT WorkQueueEvent;
extern KEVENT WorkQueueStopEvent;
extern LONG WorkQueueHandled;

/* The driver's initialization of its globals. */
VOID WorkQueueInitialize(VOID);
/* Frees what is still queued (unload). */
VOID WorkQueueFlush(VOID);
/* The producer: any IRQL <= DISPATCH_LEVEL. */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS QueueWorkItem(ULONG Value);
DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE WorkQueueWorkerRoutine;

#endif
