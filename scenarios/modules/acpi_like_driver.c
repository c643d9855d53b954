/* acpi_like_driver.c - a hot-swappable work queue written as acpi.sys writes its own: the
 * work and terminate events, the queue and its spin lock are globals; AcpiLikeLoad (the
 * DriverEntry) creates the DriverProxy extension, registers the worker routine, fills a start
 * context on its stack and starts the worker thread; AcpiLikeQueueWork queues under the spin
 * lock and sets the work event, from any IRQL up to DISPATCH_LEVEL; the worker drains the
 * queue, clears the work event once it is empty and returns TRUE on the terminate event;
 * AcpiLikeUnload sets the terminate event, waits for the worker thread to end (the load
 * routine kept a reference to its thread object and closed the handle) and frees what is
 * still queued.
 *
 * Loaded again as a later image (ACPI_LIKE_VERSION=2) against the same driver object, the
 * load routine finds the extension the first image made and swaps its endpoints in: in
 * PreProcess it asks the running image where its state is (the state endpoint); in
 * ProxyStalled, with no endpoint call running, it moves the queued items into its own queue
 * and takes over the events the worker thread waits on (the thread keeps its start context).
 *
 * Broken builds (examples/broken): ACPI_LIKE_NEVER_CLEARS forgets KeClearEvent,
 * ACPI_LIKE_LEAKS_EMPTY_REQUEST returns early without freeing an empty request,
 * ACPI_LIKE_UNLOAD_LEAVES_WORKER unloads without ending the worker; ACPI_LIKE_FAIL_MIGRATION
 * is a later image whose migration fails in ProxyStalled (the swap rolls back);
 * ACPI_LIKE_CLEARS_OUTSIDE_LOCK clears the work event after the drain loop found the queue
 * empty, outside the lock: a producer that queues and sets the event in between has its item
 * stranded (a lost wake-up, which only `explore` makes happen).
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "acpi_like_driver.h"

#ifndef ACPI_LIKE_VERSION
#define ACPI_LIKE_VERSION 1
#endif

KEVENT ACPIWorkEvent;
KEVENT ACPITerminateEvent;
KSPIN_LOCK ACPIWorkQueueLock;
LIST_ENTRY ACPIWorkQueue;

static PDRIVER_PROXY_EXTENSION AcpiLikeExtension;
static ACPI_LIKE_STATE AcpiLikeState;  /* where this image's state is */
static ACPI_LIKE_STATE AcpiLikeOldState; /* the running image's, during a swap-in */
static LONG AcpiLikePhases;

static DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE AcpiLikeWorker;
static ACPI_LIKE_GET_STATE AcpiLikeGetState;
static DRIVER_PROXY_REGISTER_CALLBACK AcpiLikeSwapCallback;

_Use_decl_annotations_
NTSTATUS
AcpiLikeQueueWork(ULONG Value)
{
    PACPI_LIKE_WORK_ITEM item;
    KIRQL oldIrql;

    item = (PACPI_LIKE_WORK_ITEM)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*item),
                                                 ACPI_LIKE_POOL_TAG);
    if (item == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    item->Value = Value;
    KeAcquireSpinLock(AcpiLikeState.QueueLock, &oldIrql);
    InsertTailList(AcpiLikeState.Queue, &item->Link);
    KeReleaseSpinLock(AcpiLikeState.QueueLock, oldIrql);
    KeSetEvent(AcpiLikeState.WorkEvent, IO_NO_INCREMENT, FALSE);
    return STATUS_SUCCESS;
}

/* The next item, or NULL after clearing the work event under the lock: a producer's insert,
 * made under the same lock, cannot fall between the test and the clear. */
static PACPI_LIKE_WORK_ITEM
AcpiLikeNextItem(VOID)
{
    PACPI_LIKE_WORK_ITEM item = NULL;
    KIRQL oldIrql;

    KeAcquireSpinLock(AcpiLikeState.QueueLock, &oldIrql);
    if (!IsListEmpty(AcpiLikeState.Queue)) {
        item = CONTAINING_RECORD(RemoveHeadList(AcpiLikeState.Queue), ACPI_LIKE_WORK_ITEM, Link);
    } else {
#if !defined(ACPI_LIKE_NEVER_CLEARS) && !defined(ACPI_LIKE_CLEARS_OUTSIDE_LOCK)
        KeClearEvent(AcpiLikeState.WorkEvent);
#endif
    }
    KeReleaseSpinLock(AcpiLikeState.QueueLock, oldIrql);
    return item;
}

_Use_decl_annotations_
static BOOLEAN
AcpiLikeWorker(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PACPI_LIKE_WORK_ITEM item;

    UNREFERENCED_PARAMETER(WorkerContext);
    if (WaitStatus == STATUS_WAIT_1) {
        DbgPrint("AcpiLike v%d: terminate after %ld items\n", ACPI_LIKE_VERSION,
                 (long)AcpiLikeState.ItemsHandled);
        return TRUE; /* as acpi.sys: TRUE ends the thread */
    }
    while ((item = AcpiLikeNextItem()) != NULL) {
        if (item->Value == 0) {
            DbgPrint("AcpiLike v%d: empty request dropped\n", ACPI_LIKE_VERSION);
#ifndef ACPI_LIKE_LEAKS_EMPTY_REQUEST
            ExFreePoolWithTag(item, ACPI_LIKE_POOL_TAG);
#endif
            continue;
        }
        AcpiLikeState.ItemsHandled++;
        DbgPrint("AcpiLike v%d: item %lu\n", ACPI_LIKE_VERSION, (unsigned long)item->Value);
        ExFreePoolWithTag(item, ACPI_LIKE_POOL_TAG);
    }
#ifdef ACPI_LIKE_CLEARS_OUTSIDE_LOCK
    KeClearEvent(AcpiLikeState.WorkEvent); /* the queue was empty a moment ago */
#endif
    return FALSE;
}

_Use_decl_annotations_
static VOID
AcpiLikeGetState(PACPI_LIKE_STATE State)
{
    *State = AcpiLikeState;
}

LONG
AcpiLikeItemsHandled(VOID)
{
    return AcpiLikeState.ItemsHandled;
}

LONG
AcpiLikeSwapPhases(VOID)
{
    return AcpiLikePhases;
}

/* ProxyStalled: no endpoint call runs and none starts, so the running image's worker is not
 * draining: its items move to this image's queue, and its events (the ones the thread waits
 * on) become this image's. */
static NTSTATUS
AcpiLikeMigrate(VOID)
{
#ifdef ACPI_LIKE_FAIL_MIGRATION
    DbgPrint("AcpiLike v%d: migration refused\n", ACPI_LIKE_VERSION);
    return STATUS_INSUFFICIENT_RESOURCES;
#else
    KIRQL oldIrql;

    KeAcquireSpinLock(AcpiLikeOldState.QueueLock, &oldIrql);
    KeAcquireSpinLockAtDpcLevel(AcpiLikeState.QueueLock);
    while (!IsListEmpty(AcpiLikeOldState.Queue)) {
        InsertTailList(AcpiLikeState.Queue, RemoveHeadList(AcpiLikeOldState.Queue));
    }
    KeReleaseSpinLockFromDpcLevel(AcpiLikeState.QueueLock);
    KeReleaseSpinLock(AcpiLikeOldState.QueueLock, oldIrql);
    AcpiLikeState.WorkEvent = AcpiLikeOldState.WorkEvent;
    AcpiLikeState.TerminateEvent = AcpiLikeOldState.TerminateEvent;
    AcpiLikeState.WorkerThread = AcpiLikeOldState.WorkerThread;
    AcpiLikeState.ItemsHandled = AcpiLikeOldState.ItemsHandled;
    return STATUS_SUCCESS;
#endif
}

_Use_decl_annotations_
static NTSTATUS
AcpiLikeSwapCallback(DRIVER_PROXY_REGISTER_CALLBACK_PHASE Phase, PVOID Context)
{
    PACPI_LIKE_GET_STATE getState;

    UNREFERENCED_PARAMETER(Context);
    AcpiLikePhases = AcpiLikePhases * 10 + (LONG)Phase + 1;
    switch (Phase) {
    case DriverProxyRegisterCallbackPreProcess:
        /* Endpoint calls still run: ask the running image where its state is. */
        getState = (PACPI_LIKE_GET_STATE)IoGetDriverProxyEndpointWrapper(AcpiLikeExtension,
                                                                          AcpiLikeStateId);
        if (getState == NULL) {
            return STATUS_NOT_FOUND;
        }
        getState(&AcpiLikeOldState);
        return STATUS_SUCCESS;
    case DriverProxyRegisterCallbackProxyStalled:
        return AcpiLikeMigrate();
    default:
        DbgPrint("AcpiLike v%d: swapped in with %ld items handled\n", ACPI_LIKE_VERSION,
                 (long)AcpiLikeState.ItemsHandled);
        return STATUS_SUCCESS;
    }
}

static VOID
AcpiLikeEndpoints(PDRIVER_PROXY_ENDPOINT_INFORMATION Endpoints)
{
    Endpoints[0].Id = AcpiLikeWorkerId;
    Endpoints[0].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)AcpiLikeWorker;
    Endpoints[0].ParameterCount = 2;
    Endpoints[1].Id = AcpiLikeStateId;
    Endpoints[1].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)AcpiLikeGetState;
    Endpoints[1].ParameterCount = 1;
}

/* The first image: the extension, the endpoints and the worker thread. */
static NTSTATUS
AcpiLikeStart(PDRIVER_OBJECT DriverObject, PDRIVER_PROXY_ENDPOINT_INFORMATION Endpoints)
{
    DRIVER_PROXY_EXTENSION_CREATION_FLAGS flags;
    union {
        DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT Start;
        UCHAR Room[FIELD_OFFSET(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
                   2 * sizeof(PKEVENT)];
    } start;
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT context = &start.Start;
    HANDLE thread;
    NTSTATUS status;

    flags.AsUlong = 0;
    status = IoCreateDriverProxyExtension(DriverObject, flags, &AcpiLikeExtension);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = IoRegisterDriverProxyEndpoints(AcpiLikeExtension, Endpoints, 2, NULL, NULL);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    /* Filled through a pointer, as a pool-allocated one would be: Events is declared with
     * ANYSIZE_ARRAY (1) elements, and the union gives it room for two. */
    RtlZeroMemory(&start, sizeof(start));
    context->WorkerRoutine = (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE)
        IoGetDriverProxyEndpointWrapper(AcpiLikeExtension, AcpiLikeWorkerId);
    context->Context = NULL;
    context->WaitType = WaitAny;
    context->WaitReason = Executive;
    context->WaitMode = KernelMode;
    context->Altertable = FALSE;
    context->HasTimeout = FALSE;
    context->EventCount = 2;
    context->Events[0] = &ACPIWorkEvent;
    context->Events[1] = &ACPITerminateEvent;
    /* The system copies the start context: the one on this stack may go. */
    status = IoDriverProxyCreateHotSwappableWorkerThread(AcpiLikeExtension, &thread,
                                                         THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                                         context);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    /* Keep the thread object, for the unload to wait on; the handle is not needed. */
    status = ObReferenceObjectByHandle(thread, SYNCHRONIZE, *PsThreadType, KernelMode,
                                       &AcpiLikeState.WorkerThread, NULL);
    ZwClose(thread);
    return status;
}

_Use_decl_annotations_
NTSTATUS
AcpiLikeLoad(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    DRIVER_PROXY_FEATURE_FLAGS features;
    DRIVER_PROXY_ENDPOINT_INFORMATION endpoints[2];
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);
    IoGetDriverProxyFeatures(DriverObject, &features);
    if (!features.Enabled) {
        return STATUS_NOT_SUPPORTED;
    }
    KeInitializeEvent(&ACPIWorkEvent, NotificationEvent, FALSE);
    KeInitializeEvent(&ACPITerminateEvent, NotificationEvent, FALSE);
    KeInitializeSpinLock(&ACPIWorkQueueLock);
    InitializeListHead(&ACPIWorkQueue);
    AcpiLikeState.QueueLock = &ACPIWorkQueueLock;
    AcpiLikeState.Queue = &ACPIWorkQueue;
    AcpiLikeState.WorkEvent = &ACPIWorkEvent;
    AcpiLikeState.TerminateEvent = &ACPITerminateEvent;
    AcpiLikeState.ItemsHandled = 0;
#ifndef ACPI_LIKE_PHASES_FROM_IMAGE
    AcpiLikePhases = 0;
#endif
    AcpiLikeEndpoints(endpoints);

    /* An extension on this driver object already: this image replaces a running one. */
    AcpiLikeExtension = IoGetDriverProxyExtensionFromDriverObject(DriverObject);
    if (AcpiLikeExtension == NULL) {
        status = AcpiLikeStart(DriverObject, endpoints);
    } else {
        status = IoRegisterDriverProxyEndpoints(AcpiLikeExtension, endpoints, 2,
                                                AcpiLikeSwapCallback, NULL);
    }
    /* A swap that rolled back leaves the running image's unload in place. */
    if (NT_SUCCESS(status)) {
        DriverObject->DriverUnload = AcpiLikeUnload;
    }
    return status;
}

_Use_decl_annotations_
VOID
AcpiLikeUnload(PDRIVER_OBJECT DriverObject)
{
    PLIST_ENTRY entry;
    KIRQL oldIrql;

    UNREFERENCED_PARAMETER(DriverObject);
#ifndef ACPI_LIKE_UNLOAD_LEAVES_WORKER
    KeSetEvent(AcpiLikeState.TerminateEvent, IO_NO_INCREMENT, FALSE);
    KeWaitForSingleObject(AcpiLikeState.WorkerThread, Executive, KernelMode, FALSE, NULL);
#endif
    ObDereferenceObject(AcpiLikeState.WorkerThread);
    KeAcquireSpinLock(AcpiLikeState.QueueLock, &oldIrql);
    while (!IsListEmpty(AcpiLikeState.Queue)) {
        entry = RemoveHeadList(AcpiLikeState.Queue);
        ExFreePoolWithTag(CONTAINING_RECORD(entry, ACPI_LIKE_WORK_ITEM, Link),
                          ACPI_LIKE_POOL_TAG);
    }
    KeReleaseSpinLock(AcpiLikeState.QueueLock, oldIrql);
}
