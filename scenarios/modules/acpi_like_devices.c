/* acpi_like_devices.c - a driver with a global hot-swappable worker and one per device, as
 * acpi.sys keeps its second worker in a device extension. AcpiDevLoad (the DriverEntry)
 * registers both worker routines as endpoints and starts the global worker; AcpiDevStartDevice
 * (what an AddDevice/StartDevice path does) allocates the device extension and starts the
 * device's own worker with the extension as its context; AcpiDevNotify queues a request to
 * one device under its spin lock and sets its event; AcpiDevRemoveDevice stops the device's
 * worker by setting its stop event, waits for the thread object to end, drops the reference
 * and frees the extension; AcpiDevUnload removes what is left and ends the global worker.
 * Every worker returns TRUE to end (true_means "terminate").
 *
 * Broken build (examples/broken): ACPI_DEV_REMOVE_NO_WAIT frees the extension without
 * waiting for the device's worker, which still runs on it.
 *
 * Settling build (tests/timeline): ACPI_DEV_SETTLE_MS gives the device that many
 * milliseconds to settle after each request, which its worker waits out in its routine.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#define ACPI_DEV_POOL_TAG 'vDcA'
#define ACPI_DEV_MAX 4

enum {
    AcpiDevGlobalWorkerId = 1,
    AcpiDevDeviceWorkerId = 2
};

typedef struct _ACPI_DEV_REQUEST {
    LIST_ENTRY Link;
    ULONG Value;
} ACPI_DEV_REQUEST, *PACPI_DEV_REQUEST;

typedef struct _ACPI_DEV_EXTENSION {
    ULONG Id;
    KSPIN_LOCK Lock;
    LIST_ENTRY Requests;
    KEVENT WorkEvent;
    KEVENT StopEvent;
    PVOID WorkerThread; /* referenced: removal waits on it */
    LONG Handled;
} ACPI_DEV_EXTENSION, *PACPI_DEV_EXTENSION;

KEVENT AcpiDevGlobalEvent;
KEVENT AcpiDevTerminateEvent;

static PDRIVER_PROXY_EXTENSION AcpiDevExtension;
static PVOID AcpiDevGlobalThread;
static PACPI_DEV_EXTENSION AcpiDevDevices[ACPI_DEV_MAX];
static LONG AcpiDevGlobalPasses;

DRIVER_INITIALIZE AcpiDevLoad;
DRIVER_UNLOAD AcpiDevUnload;
DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE AcpiDevGlobalWorker;
DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE AcpiDevDeviceWorker;
NTSTATUS AcpiDevStartDevice(ULONG Id);
NTSTATUS AcpiDevNotify(ULONG Id, ULONG Value);
NTSTATUS AcpiDevRemoveDevice(ULONG Id);
VOID AcpiDevKickGlobal(VOID);

/* Starts a hot-swappable worker on the endpoint `Id`, waiting on Work (STATUS_WAIT_0) and
 * Stop (STATUS_WAIT_1), and returns its thread object, referenced. */
static NTSTATUS
AcpiDevStartWorker(DRIVER_PROXY_ENDPOINT_FUNCTION_ID Id, PVOID Context, PKEVENT Work,
                   PKEVENT Stop, PVOID *Thread)
{
    union {
        DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT Start;
        UCHAR Room[FIELD_OFFSET(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
                   2 * sizeof(PKEVENT)];
    } start;
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT context = &start.Start;
    HANDLE handle;
    NTSTATUS status;

    RtlZeroMemory(&start, sizeof(start));
    context->WorkerRoutine = (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE)
        IoGetDriverProxyEndpointWrapper(AcpiDevExtension, Id);
    context->Context = Context;
    context->WaitType = WaitAny;
    context->WaitMode = KernelMode;
    context->EventCount = 2;
    context->Events[0] = Work;
    context->Events[1] = Stop;
    status = IoDriverProxyCreateHotSwappableWorkerThread(AcpiDevExtension, &handle,
                                                         THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                                         context);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, Thread,
                                       NULL);
    ZwClose(handle);
    return status;
}

/* Ends a worker: its stop event, then its thread's end, then the reference goes. */
static VOID
AcpiDevStopWorker(PKEVENT Stop, PVOID *Thread)
{
    KeSetEvent(Stop, IO_NO_INCREMENT, FALSE);
    KeWaitForSingleObject(*Thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(*Thread);
    *Thread = NULL;
}

_Use_decl_annotations_
BOOLEAN
AcpiDevGlobalWorker(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    UNREFERENCED_PARAMETER(WorkerContext);
    if (WaitStatus == STATUS_WAIT_1) {
        DbgPrint("AcpiDev: global worker ends after %ld passes\n", (long)AcpiDevGlobalPasses);
        return TRUE;
    }
    AcpiDevGlobalPasses++;
    DbgPrint("AcpiDev: global pass %ld\n", (long)AcpiDevGlobalPasses);
    return FALSE;
}

_Use_decl_annotations_
BOOLEAN
AcpiDevDeviceWorker(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PACPI_DEV_EXTENSION device = (PACPI_DEV_EXTENSION)WorkerContext;
    PACPI_DEV_REQUEST request;
    KIRQL oldIrql;

    if (WaitStatus == STATUS_WAIT_1) {
        DbgPrint("AcpiDev: device %lu worker ends after %ld requests\n",
                 (unsigned long)device->Id, (long)device->Handled);
        return TRUE;
    }
    for (;;) {
        request = NULL;
        KeAcquireSpinLock(&device->Lock, &oldIrql);
        if (!IsListEmpty(&device->Requests)) {
            request = CONTAINING_RECORD(RemoveHeadList(&device->Requests), ACPI_DEV_REQUEST,
                                        Link);
        } else {
            KeClearEvent(&device->WorkEvent);
        }
        KeReleaseSpinLock(&device->Lock, oldIrql);
        if (request == NULL) {
            break;
        }
        device->Handled++;
        DbgPrint("AcpiDev: device %lu request %lu\n", (unsigned long)device->Id,
                 (unsigned long)request->Value);
        ExFreePoolWithTag(request, ACPI_DEV_POOL_TAG);
#ifdef ACPI_DEV_SETTLE_MS
        {
            LARGE_INTEGER settle;
            settle.QuadPart = -10000LL * ACPI_DEV_SETTLE_MS; /* relative, 100 ns units */
            KeDelayExecutionThread(KernelMode, FALSE, &settle);
        }
#endif
    }
    return FALSE;
}

/* The start path of device Id (0..3): its extension and its own worker. */
NTSTATUS
AcpiDevStartDevice(ULONG Id)
{
    PACPI_DEV_EXTENSION device;
    NTSTATUS status;

    if (Id >= ACPI_DEV_MAX || AcpiDevDevices[Id] != NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    device = (PACPI_DEV_EXTENSION)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*device),
                                                  ACPI_DEV_POOL_TAG);
    if (device == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    device->Id = Id;
    KeInitializeSpinLock(&device->Lock);
    InitializeListHead(&device->Requests);
    KeInitializeEvent(&device->WorkEvent, NotificationEvent, FALSE);
    KeInitializeEvent(&device->StopEvent, NotificationEvent, FALSE);
    status = AcpiDevStartWorker(AcpiDevDeviceWorkerId, device, &device->WorkEvent,
                                &device->StopEvent, &device->WorkerThread);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(device, ACPI_DEV_POOL_TAG);
        return status;
    }
    AcpiDevDevices[Id] = device;
    return STATUS_SUCCESS;
}

/* A request for device Id, from any IRQL up to DISPATCH_LEVEL. */
NTSTATUS
AcpiDevNotify(ULONG Id, ULONG Value)
{
    PACPI_DEV_EXTENSION device = Id < ACPI_DEV_MAX ? AcpiDevDevices[Id] : NULL;
    PACPI_DEV_REQUEST request;
    KIRQL oldIrql;

    if (device == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    request = (PACPI_DEV_REQUEST)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*request),
                                                 ACPI_DEV_POOL_TAG);
    if (request == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    request->Value = Value;
    KeAcquireSpinLock(&device->Lock, &oldIrql);
    InsertTailList(&device->Requests, &request->Link);
    KeReleaseSpinLock(&device->Lock, oldIrql);
    KeSetEvent(&device->WorkEvent, IO_NO_INCREMENT, FALSE);
    return STATUS_SUCCESS;
}

/* The removal of device Id: its worker stops before its extension goes. */
NTSTATUS
AcpiDevRemoveDevice(ULONG Id)
{
    PACPI_DEV_EXTENSION device = Id < ACPI_DEV_MAX ? AcpiDevDevices[Id] : NULL;
    PLIST_ENTRY entry;

    if (device == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    AcpiDevDevices[Id] = NULL;
#ifdef ACPI_DEV_REMOVE_NO_WAIT
    KeSetEvent(&device->StopEvent, IO_NO_INCREMENT, FALSE);
    ObDereferenceObject(device->WorkerThread);
#else
    AcpiDevStopWorker(&device->StopEvent, &device->WorkerThread);
#endif
    while (!IsListEmpty(&device->Requests)) {
        entry = RemoveHeadList(&device->Requests);
        ExFreePoolWithTag(CONTAINING_RECORD(entry, ACPI_DEV_REQUEST, Link), ACPI_DEV_POOL_TAG);
    }
    ExFreePoolWithTag(device, ACPI_DEV_POOL_TAG);
    return STATUS_SUCCESS;
}

/* Global work: the global worker makes one pass. */
VOID
AcpiDevKickGlobal(VOID)
{
    KeSetEvent(&AcpiDevGlobalEvent, IO_NO_INCREMENT, FALSE);
}

_Use_decl_annotations_
NTSTATUS
AcpiDevLoad(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    DRIVER_PROXY_EXTENSION_CREATION_FLAGS flags;
    DRIVER_PROXY_ENDPOINT_INFORMATION endpoints[2];
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);
    flags.AsUlong = 0;
    status = IoCreateDriverProxyExtension(DriverObject, flags, &AcpiDevExtension);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    endpoints[0].Id = AcpiDevGlobalWorkerId;
    endpoints[0].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)AcpiDevGlobalWorker;
    endpoints[0].ParameterCount = 2;
    endpoints[1].Id = AcpiDevDeviceWorkerId;
    endpoints[1].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)AcpiDevDeviceWorker;
    endpoints[1].ParameterCount = 2;
    status = IoRegisterDriverProxyEndpoints(AcpiDevExtension, endpoints, 2, NULL, NULL);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    KeInitializeEvent(&AcpiDevGlobalEvent, SynchronizationEvent, FALSE);
    KeInitializeEvent(&AcpiDevTerminateEvent, NotificationEvent, FALSE);
    DriverObject->DriverUnload = AcpiDevUnload;
    return AcpiDevStartWorker(AcpiDevGlobalWorkerId, NULL, &AcpiDevGlobalEvent,
                              &AcpiDevTerminateEvent, &AcpiDevGlobalThread);
}

_Use_decl_annotations_
VOID
AcpiDevUnload(PDRIVER_OBJECT DriverObject)
{
    ULONG id;

    UNREFERENCED_PARAMETER(DriverObject);
    for (id = 0; id < ACPI_DEV_MAX; id++) {
        AcpiDevRemoveDevice(id);
    }
    if (AcpiDevGlobalThread != NULL) {
        AcpiDevStopWorker(&AcpiDevTerminateEvent, &AcpiDevGlobalThread);
    }
}
