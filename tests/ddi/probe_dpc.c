/* probe_dpc.c - the DPC and work-item probe's routine (see probe_dpc.h).
 *
 * STATUS_WAIT_0 (kick): under the device lock, queue the kick DPC twice (the second insert
 * finds it queued), queue and remove a second DPC, and set the poll timer with a due time
 * already past; its DPC takes the same lock. All of them run after the lock is released. The
 * kick DPC queues the work item, which runs at PASSIVE_LEVEL once the worker waits again and
 * sets done. STATUS_WAIT_1 (done): the work is complete. STATUS_WAIT_2 (stop): end the thread.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "probe_dpc.h"

static DEVICE_OBJECT ProbeDevice;
static KSPIN_LOCK ProbeLock;
static KDPC ProbeKickDpc;
static KDPC ProbeRemovedDpc;
static KDPC ProbeTimerDpc;
static KTIMER ProbeTimer;
static PIO_WORKITEM ProbeWorkItem;

static IO_WORKITEM_ROUTINE ProbeWork;
static KDEFERRED_ROUTINE ProbeKick;
static KDEFERRED_ROUTINE ProbeRemoved;
static KDEFERRED_ROUTINE ProbePoll;

_Use_decl_annotations_
static VOID
ProbeWork(PDEVICE_OBJECT DeviceObject, PVOID WorkContext)
{
    PPROBE_DPC_CONTEXT context = (PPROBE_DPC_CONTEXT)WorkContext;

    UNREFERENCED_PARAMETER(DeviceObject);
    context->WorkRuns++;
    context->WorkIrql = KeGetCurrentIrql();
    if (context->InRoutine) {
        context->RanInsideRoutine++;
    }
    KeSetEvent(context->Done, IO_NO_INCREMENT, FALSE);
}

_Use_decl_annotations_
static VOID
ProbeKick(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PPROBE_DPC_CONTEXT context = (PPROBE_DPC_CONTEXT)DeferredContext;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    context->DpcRuns++;
    context->DpcIrql = KeGetCurrentIrql();
    IoQueueWorkItem(ProbeWorkItem, ProbeWork, DelayedWorkQueue, context);
}

_Use_decl_annotations_
static VOID
ProbeRemoved(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PPROBE_DPC_CONTEXT context = (PPROBE_DPC_CONTEXT)DeferredContext;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    context->RemovedDpcRuns++;
}

_Use_decl_annotations_
static VOID
ProbePoll(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PPROBE_DPC_CONTEXT context = (PPROBE_DPC_CONTEXT)DeferredContext;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&ProbeLock);
    context->TimerDpcRuns++;
    KeReleaseSpinLockFromDpcLevel(&ProbeLock);
}

NTSTATUS
ProbeDpcStart(PPROBE_DPC_CONTEXT Context)
{
    ProbeDevice.Type = 3; /* IO_TYPE_DEVICE */
    ProbeDevice.Size = (USHORT)sizeof(ProbeDevice);
    KeInitializeSpinLock(&ProbeLock);
    KeInitializeDpc(&ProbeKickDpc, ProbeKick, Context);
    KeInitializeDpc(&ProbeRemovedDpc, ProbeRemoved, Context);
    KeInitializeDpc(&ProbeTimerDpc, ProbePoll, Context);
    KeSetImportanceDpc(&ProbeTimerDpc, HighImportance);
    KeInitializeTimerEx(&ProbeTimer, NotificationTimer);
    ProbeWorkItem = IoAllocateWorkItem(&ProbeDevice);
    if (ProbeWorkItem == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    return STATUS_SUCCESS;
}

VOID
ProbeDpcStop(VOID)
{
    KeCancelTimer(&ProbeTimer);
    KeRemoveQueueDpc(&ProbeKickDpc);
    if (ProbeWorkItem != NULL) {
        IoFreeWorkItem(ProbeWorkItem);
        ProbeWorkItem = NULL;
    }
}

static VOID
ProbeHandleKick(PPROBE_DPC_CONTEXT Context)
{
    KIRQL oldIrql;
    LARGE_INTEGER past;

    past.QuadPart = 0; /* January 1601: long past, so the timer is signaled at once */
    KeAcquireSpinLock(&ProbeLock, &oldIrql);
    Context->Kicks++;
    KeInsertQueueDpc(&ProbeKickDpc, NULL, NULL);
    if (!KeInsertQueueDpc(&ProbeKickDpc, NULL, NULL)) {
        Context->DuplicateInserts++;
    }
    KeInsertQueueDpc(&ProbeRemovedDpc, NULL, NULL);
    if (KeRemoveQueueDpc(&ProbeRemovedDpc)) {
        Context->RemovedWasQueued++;
    }
    KeSetTimer(&ProbeTimer, past, &ProbeTimerDpc);
    KeReleaseSpinLock(&ProbeLock, oldIrql);
}

_Use_decl_annotations_
BOOLEAN
ProbeDpcWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PPROBE_DPC_CONTEXT context = (PPROBE_DPC_CONTEXT)WorkerContext;
    BOOLEAN result = TRUE;

    context->InRoutine = TRUE;
    switch (WaitStatus) {
    case STATUS_WAIT_0:
        ProbeHandleKick(context);
        DbgPrint("ProbeDpc: kick %ld, %ld DPC runs\n", (long)context->Kicks,
                 (long)context->DpcRuns);
        break;

    case STATUS_WAIT_1:
        DbgPrint("ProbeDpc: work done (%ld)\n", (long)context->WorkRuns);
        break;

    default:
        DbgPrint("ProbeDpc: stop (0x%08lx)\n", (unsigned long)WaitStatus);
        result = FALSE;
        break;
    }
    context->InRoutine = FALSE;
    return result;
}
