/* acpi_like_driver.h - a driver shaped like acpi.sys's hot-swappable work queue: globals for
 * its events, its queue and its lock; a load routine that registers the worker routine as an
 * endpoint and starts the worker from a start context on its stack; a producer callable at
 * DISPATCH_LEVEL; an unload that ends the worker and frees what is left. Its worker returns
 * TRUE on the terminate event (true_means "terminate"). A later image of it swaps in through
 * the same load routine: it finds the extension the first one made and migrates the queue
 * while the endpoints are stalled. */
#ifndef ACPI_LIKE_DRIVER_H
#define ACPI_LIKE_DRIVER_H

#define ACPI_LIKE_POOL_TAG 'kLcA'

typedef struct _ACPI_LIKE_WORK_ITEM {
    LIST_ENTRY Link;
    ULONG Value;
} ACPI_LIKE_WORK_ITEM, *PACPI_LIKE_WORK_ITEM;

/* What one image hands the next at a hot-swap: where its state lives. */
typedef struct _ACPI_LIKE_STATE {
    PKSPIN_LOCK QueueLock;
    PLIST_ENTRY Queue;
    PKEVENT WorkEvent;      /* the events the worker thread waits on */
    PKEVENT TerminateEvent;
    PVOID WorkerThread;     /* the worker's thread object, referenced: unload waits on it */
    LONG ItemsHandled;
} ACPI_LIKE_STATE, *PACPI_LIKE_STATE;

/* The endpoint ids, the same in every image. */
enum {
    AcpiLikeWorkerId = 1,
    AcpiLikeStateId = 2
};

typedef VOID ACPI_LIKE_GET_STATE(PACPI_LIKE_STATE State);
typedef ACPI_LIKE_GET_STATE *PACPI_LIKE_GET_STATE;

extern KEVENT ACPIWorkEvent;
extern KEVENT ACPITerminateEvent;
extern KSPIN_LOCK ACPIWorkQueueLock;
extern LIST_ENTRY ACPIWorkQueue;

DRIVER_INITIALIZE AcpiLikeLoad;
DRIVER_UNLOAD AcpiLikeUnload;
/* The producer: queues an item and signals the worker; any IRQL <= DISPATCH_LEVEL. */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS AcpiLikeQueueWork(ULONG Value);
/* How many items the worker has handled, across images. */
LONG AcpiLikeItemsHandled(VOID);
/* The phases the last swap-in saw, one decimal digit each (1 PreProcess, 2 ProxyStalled,
 * 3 PostProcess): 123 for a whole swap. */
LONG AcpiLikeSwapPhases(VOID);

#endif
