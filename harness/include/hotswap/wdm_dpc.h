/* <hotswap/wdm_dpc.h> - DPCs and I/O work items.
 *
 * Included by <hotswap/wdm.h> (after the basic types); not meant to be included alone. A KDPC
 * is queued on the simulated processor's DPC queue and runs at DISPATCH_LEVEL once the IRQL of
 * the processor drops below DISPATCH_LEVEL; an IO_WORKITEM runs at PASSIVE_LEVEL on a system
 * worker thread of the simulated machine (docs/semantics.md says when).
 */
#ifndef HOTSWAP_WDM_DPC_H
#define HOTSWAP_WDM_DPC_H

#include "wdm_device.h"

/* ---- DPCs ------------------------------------------------------------------------------ */
struct _KDPC;
typedef VOID KDEFERRED_ROUTINE(struct _KDPC *Dpc, PVOID DeferredContext, PVOID SystemArgument1,
                               PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

typedef enum _KDPC_IMPORTANCE {
    LowImportance,
    MediumImportance,
    HighImportance,
    MediumHighImportance
} KDPC_IMPORTANCE;

typedef struct _KDPC {
    UCHAR Type;
    UCHAR Importance;
    USHORT Number;
    LIST_ENTRY DpcListEntry; /* on the DPC queue while queued */
    PKDEFERRED_ROUTINE DeferredRoutine;
    PVOID DeferredContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    PVOID DpcData;           /* non-NULL while queued */
    PVOID HhTimer;           /* reserved for the harness: the timer whose expiry queued it */
} KDPC, *PKDPC, *PRKDPC;

HH_API VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext);
/* FALSE, and nothing changes, when the DPC is already queued. */
HH_API BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2);
/* Whether it was queued. */
HH_API BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc);
HH_API VOID KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance);

/* ---- I/O work items -------------------------------------------------------------------- */
typedef struct _IO_WORKITEM IO_WORKITEM, *PIO_WORKITEM;
typedef VOID IO_WORKITEM_ROUTINE(PDEVICE_OBJECT DeviceObject, PVOID Context);
typedef IO_WORKITEM_ROUTINE *PIO_WORKITEM_ROUTINE;

typedef enum _WORK_QUEUE_TYPE {
    CriticalWorkQueue,
    DelayedWorkQueue,
    HyperCriticalWorkQueue,
    NormalWorkQueue,
    BackgroundWorkQueue,
    RealTimeWorkQueue,
    SuperCriticalWorkQueue,
    MaximumWorkQueue
} WORK_QUEUE_TYPE;

HH_API PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject);
/* IoAllocateWorkItem with the caller's source position: a work item never freed is a pool leak
 * that names the line that allocated it. */
HH_API PIO_WORKITEM HhIoAllocateWorkItemAt(PDEVICE_OBJECT DeviceObject, const char *File,
                                           int Line);
#ifndef HOTSWAP_NO_POOL_SITES
#define IoAllocateWorkItem(d) HhIoAllocateWorkItemAt((d), __FILE__, __LINE__)
#endif
HH_API VOID IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
                            WORK_QUEUE_TYPE QueueType, PVOID Context);
HH_API VOID IoFreeWorkItem(PIO_WORKITEM IoWorkItem);

#endif
