/* probe_proxy.c - a driver's Driver Hot Swap set-up, as its DriverEntry writes it: check the
 * feature, create the DriverProxy extension, register the endpoints, take their wrappers, and
 * start a hot-swappable worker on a start context allocated, filled and freed around the
 * call. The worker drains a counter the producer endpoint fills; a "swap" event makes the
 * worker try to swap its own endpoints (the rundown cannot wait for the call it runs in).
 * Version 2 of each endpoint is here too, with ProbeProxySwap registering it.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "probe_proxy.h"

#define PROBE_PROXY_TAG 0x78506250UL /* 'PbPx' */

PDRIVER_PROXY_EXTENSION ProbeProxyExtension;
PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeProxyWorker;
PPROBE_PROXY_QUEUE_WORK ProbeProxyQueueWork;
KEVENT ProbeProxyWorkEvent;
KEVENT ProbeProxyStopEvent;
KEVENT ProbeProxySwapEvent;
LONG ProbeProxyQueued;
LONG ProbeProxyPhases;
NTSTATUS ProbeProxySwapStatus;
NTSTATUS ProbeProxyThreadStatus;
BOOLEAN ProbeProxyPlantRawRoutine;

static HANDLE ProbeProxyThread;

static PROBE_PROXY_QUEUE_WORK ProbeProxyQueueWorkV1;
static PROBE_PROXY_QUEUE_WORK ProbeProxyQueueWorkV2;
static DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeProxyWorkerV1;
static DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeProxyWorkerV2;
static DRIVER_PROXY_REGISTER_CALLBACK ProbeProxySwapCallback;

_Use_decl_annotations_
static NTSTATUS ProbeProxyQueueWorkV1(PVOID DeviceContext, ULONG Items)
{
    UNREFERENCED_PARAMETER(DeviceContext);
    InterlockedExchangeAdd(&ProbeProxyQueued, (LONG)Items);
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
static NTSTATUS ProbeProxyQueueWorkV2(PVOID DeviceContext, ULONG Items)
{
    UNREFERENCED_PARAMETER(DeviceContext);
    InterlockedExchangeAdd(&ProbeProxyQueued, 10 * (LONG)Items); /* version 2 counts in tens */
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
static BOOLEAN ProbeProxyWorkerV1(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    switch (WaitStatus) {
    case STATUS_WAIT_0:
        return NT_SUCCESS(ProbeProxyQueueWork(WorkerContext, 1));
    case STATUS_WAIT_2:
        ProbeProxySwapStatus = ProbeProxySwap();
        return TRUE;
    default:
        return FALSE;
    }
}

_Use_decl_annotations_
static BOOLEAN ProbeProxyWorkerV2(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    if (WaitStatus == STATUS_WAIT_0) {
        return NT_SUCCESS(ProbeProxyQueueWork(WorkerContext, 1));
    }
    return WaitStatus != STATUS_WAIT_1;
}

_Use_decl_annotations_
static NTSTATUS ProbeProxySwapCallback(DRIVER_PROXY_REGISTER_CALLBACK_PHASE Phase, PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    ProbeProxyPhases = ProbeProxyPhases * 10 + (LONG)Phase + 1;
    return STATUS_SUCCESS;
}

/* The endpoint table of one version of the driver: the same ids and parameter counts. */
static VOID ProbeProxyEndpoints(PDRIVER_PROXY_ENDPOINT_INFORMATION Endpoints,
                                PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE Worker,
                                PPROBE_PROXY_QUEUE_WORK QueueWork)
{
    Endpoints[0].Id = ProbeProxyWorkerId;
    Endpoints[0].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)Worker;
    Endpoints[0].ParameterCount = 2;
    Endpoints[1].Id = ProbeProxyQueueWorkId;
    Endpoints[1].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)QueueWork;
    Endpoints[1].ParameterCount = 2;
}

NTSTATUS ProbeProxySwap(void)
{
    DRIVER_PROXY_ENDPOINT_INFORMATION endpoints[2];

    ProbeProxyEndpoints(endpoints, ProbeProxyWorkerV2, ProbeProxyQueueWorkV2);
    ProbeProxyPhases = 0;
    return IoRegisterDriverProxyEndpoints(ProbeProxyExtension, endpoints, ARRAYSIZE(endpoints),
                                          ProbeProxySwapCallback, NULL);
}

_Use_decl_annotations_
NTSTATUS ProbeProxyDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    DRIVER_PROXY_FEATURE_FLAGS features;
    DRIVER_PROXY_EXTENSION_CREATION_FLAGS flags;
    DRIVER_PROXY_ENDPOINT_INFORMATION endpoints[2];
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);
    IoGetDriverProxyFeatures(DriverObject, &features);
    if (!features.Enabled) {
        return STATUS_NOT_SUPPORTED;
    }
    flags.AsUlong = 0;
    status = IoCreateDriverProxyExtension(DriverObject, flags, &ProbeProxyExtension);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    ProbeProxyEndpoints(endpoints, ProbeProxyWorkerV1, ProbeProxyQueueWorkV1);
    status = IoRegisterDriverProxyEndpoints(ProbeProxyExtension, endpoints, ARRAYSIZE(endpoints),
                                            NULL, NULL);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    ProbeProxyWorker = (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE)IoGetDriverProxyEndpointWrapper(
        ProbeProxyExtension, ProbeProxyWorkerId);
    status = IoGetDriverProxyWrapperFromEndpoint(ProbeProxyExtension, ProbeProxyQueueWorkV1,
                                                 &ProbeProxyQueueWork);
    if (!NT_SUCCESS(status) || ProbeProxyWorker == NULL) {
        return STATUS_UNSUCCESSFUL;
    }

    KeInitializeEvent(&ProbeProxyWorkEvent, SynchronizationEvent, FALSE);
    KeInitializeEvent(&ProbeProxyStopEvent, NotificationEvent, FALSE);
    KeInitializeEvent(&ProbeProxySwapEvent, SynchronizationEvent, FALSE);
    start = ExAllocatePool2(POOL_FLAG_NON_PAGED,
                            FIELD_OFFSET(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT,
                                         Events) + 3 * sizeof(PKEVENT),
                            PROBE_PROXY_TAG);
    if (start == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    start->WorkerRoutine = ProbeProxyPlantRawRoutine ? ProbeProxyWorkerV1 : ProbeProxyWorker;
    start->Context = DriverObject;
    start->WaitType = WaitAny;
    start->WaitReason = Executive;
    start->WaitMode = KernelMode;
    start->Altertable = FALSE;
    start->HasTimeout = FALSE;
    start->EventCount = 3;
    start->Events[0] = &ProbeProxyWorkEvent;
    start->Events[1] = &ProbeProxyStopEvent;
    start->Events[2] = &ProbeProxySwapEvent;
    status = IoDriverProxyCreateHotSwappableWorkerThread(ProbeProxyExtension, &ProbeProxyThread,
                                                         THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                                         start);
    ExFreePoolWithTag(start, PROBE_PROXY_TAG); /* the kernel keeps its own copy */
    ProbeProxyThreadStatus = status;
    return status;
}
