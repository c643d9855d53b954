/* calls.c - a routine module whose exported functions a scenario's "call" steps run: one that
 * adds its arguments, one that sets an event it is given, and ones that break the rules a
 * call is checked against (a spin lock or a raised IRQL kept, a pool block never freed). */
#include <hotswap/wdm.h>

#define CALLS_POOL_TAG 'llaC'

KSPIN_LOCK CallsLock; /* zero: free, as KeInitializeSpinLock leaves it */

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE CallsRoutine;
ULONG_PTR CallsSum(ULONG_PTR A, ULONG_PTR B, ULONG_PTR C, ULONG_PTR D);
NTSTATUS CallsSetEvent(PKEVENT Event);
NTSTATUS CallsSetAndWait(PKEVENT Set, PVOID WaitFor);
VOID CallsHoldLock(VOID);
VOID CallsRaiseIrql(VOID);
PVOID CallsAllocate(ULONG Size);

/* TRUE (terminate) on the second object, FALSE on the first. */
BOOLEAN CallsRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    UNREFERENCED_PARAMETER(WorkerContext);
    return WaitStatus == STATUS_WAIT_1;
}

ULONG_PTR CallsSum(ULONG_PTR A, ULONG_PTR B, ULONG_PTR C, ULONG_PTR D)
{
    return A + B + C + D;
}

NTSTATUS CallsSetEvent(PKEVENT Event)
{
    if (Event == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    KeSetEvent(Event, IO_NO_INCREMENT, FALSE);
    return STATUS_SUCCESS;
}

/* Sets one object and waits (no timeout) for another: a stop routine that sets the worker's
 * stop event and waits for its thread, or for an event nobody sets (a deadlock). */
NTSTATUS CallsSetAndWait(PKEVENT Set, PVOID WaitFor)
{
    KeSetEvent(Set, IO_NO_INCREMENT, FALSE);
    return KeWaitForSingleObject(WaitFor, Executive, KernelMode, FALSE, NULL);
}

VOID CallsHoldLock(VOID)
{
    KIRQL oldIrql;

    KeAcquireSpinLock(&CallsLock, &oldIrql);
}

VOID CallsRaiseIrql(VOID)
{
    KIRQL oldIrql;

    KeRaiseIrql(DISPATCH_LEVEL, &oldIrql);
}

PVOID CallsAllocate(ULONG Size)
{
    return ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, CALLS_POOL_TAG);
}

/* A flag one thread polls for and another raises. The poller looks again and again with no
 * DDI between two looks: nothing can preempt it, so under explore a poller chosen before
 * the setter runs on for ever (explore's watchdog reports it), and one chosen after returns
 * at once. */
volatile LONG CallsReady;
VOID CallsPollReady(VOID);
VOID CallsSetReady(VOID);

VOID CallsPollReady(VOID)
{
    while (CallsReady == 0) {
    }
}

VOID CallsSetReady(VOID)
{
    CallsReady = 1;
}

/* Never initialized: a scenario that waits on it is told so. */
KEVENT CallsEventNeverInitialized;

/* Driver mode: load routines that start the worker (once, a second time, or beside a system
 * thread of their own), start none, or fail; an unload that ends the worker. */
KEVENT CallsDriverWork;
KEVENT CallsDriverStop;
static PDRIVER_PROXY_EXTENSION CallsExtension;

DRIVER_INITIALIZE CallsDriverLoad;
DRIVER_INITIALIZE CallsDriverLoadTwice;
DRIVER_INITIALIZE CallsDriverLoadSignaled;
DRIVER_INITIALIZE CallsDriverLoadNoWorker;
DRIVER_INITIALIZE CallsDriverLoadFails;
DRIVER_INITIALIZE CallsDriverLoadNoUnload;
DRIVER_INITIALIZE CallsDriverLoadWithThread;
DRIVER_UNLOAD CallsDriverUnload;

static NTSTATUS CallsStartWorker(PDRIVER_OBJECT DriverObject, ULONG Workers, BOOLEAN WorkReady)
{
    DRIVER_PROXY_EXTENSION_CREATION_FLAGS flags;
    DRIVER_PROXY_ENDPOINT_INFORMATION endpoint;
    union {
        DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT Start;
        UCHAR Room[FIELD_OFFSET(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
                   2 * sizeof(PKEVENT)];
    } start;
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT context = &start.Start;
    HANDLE thread;
    NTSTATUS status;

    flags.AsUlong = 0;
    status = IoCreateDriverProxyExtension(DriverObject, flags, &CallsExtension);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    endpoint.Id = 1;
    endpoint.EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)CallsRoutine;
    endpoint.ParameterCount = 2;
    status = IoRegisterDriverProxyEndpoints(CallsExtension, &endpoint, 1, NULL, NULL);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    KeInitializeEvent(&CallsDriverWork, SynchronizationEvent, WorkReady);
    KeInitializeEvent(&CallsDriverStop, NotificationEvent, FALSE);
    RtlZeroMemory(&start, sizeof(start));
    context->WorkerRoutine = (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE)
        IoGetDriverProxyEndpointWrapper(CallsExtension, 1);
    context->WaitType = WaitAny;
    context->WaitMode = KernelMode;
    context->EventCount = 2;
    context->Events[0] = &CallsDriverWork; /* through the pointer: the union has the room */
    context->Events[1] = &CallsDriverStop;
    DriverObject->DriverUnload = CallsDriverUnload;
    for (; Workers > 0 && NT_SUCCESS(status); Workers--) {
        status = IoDriverProxyCreateHotSwappableWorkerThread(CallsExtension, &thread,
                                                             THREAD_ALL_ACCESS, NULL, NULL,
                                                             NULL, context);
        if (NT_SUCCESS(status)) {
            ZwClose(thread); /* the thread lives on; the handle is not needed */
        }
    }
    return status;
}

LONG CallsDriverLoads; /* how often CallsDriverLoad ran in this image's life */
LONG CallsDriverLoadCount(VOID);

LONG CallsDriverLoadCount(VOID)
{
    return CallsDriverLoads;
}

NTSTATUS CallsDriverLoad(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    CallsDriverLoads++;
    return CallsStartWorker(DriverObject, 1, FALSE);
}

NTSTATUS CallsDriverLoadTwice(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    return CallsStartWorker(DriverObject, 2, FALSE);
}

/* The work event signaled before the worker starts: its first wait returns at once. */
NTSTATUS CallsDriverLoadSignaled(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    return CallsStartWorker(DriverObject, 1, TRUE);
}

NTSTATUS CallsDriverLoadNoWorker(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = CallsDriverUnload;
    return STATUS_SUCCESS;
}

NTSTATUS CallsDriverLoadFails(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    return STATUS_NOT_FOUND; /* its device is absent */
}

/* Loads, and sets no DriverUnload: such a driver cannot be unloaded. */
NTSTATUS CallsDriverLoadNoUnload(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    return STATUS_SUCCESS;
}

static VOID CallsSystemThread(PVOID StartContext)
{
    UNREFERENCED_PARAMETER(StartContext);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Starts a system thread of its own besides the worker (one that ends at once). */
NTSTATUS CallsDriverLoadWithThread(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    HANDLE thread;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);
    status = PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                  CallsSystemThread, NULL);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    ZwClose(thread);
    return CallsStartWorker(DriverObject, 1, FALSE);
}

VOID CallsDriverUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    if (CallsExtension != NULL) {
        KeSetEvent(&CallsDriverStop, IO_NO_INCREMENT, FALSE);
    }
}
