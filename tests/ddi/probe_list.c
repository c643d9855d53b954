/* probe_list.c - a request-queue worker that uses every list DDI of <hotswap/wdm_list.h>.
 *
 * Written the way a driver keeps its queues: requests come from a nonpaged lookaside list,
 * wait in a LIST_ENTRY queue under a spin lock, are recycled through a SINGLE_LIST_ENTRY
 * stack and reported done through an S-list. Each "work" signal queues four requests and
 * drains them; "stop" ends the thread. Context "mode": 0 as described, 1 removes a drained
 * request a second time (a corrupt list: fast-fail), 2 calls ExInterlockedInsertTailList
 * while holding the queue's lock (SPIN_LOCK_ALREADY_OWNED).
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/harness.h>
#else
#include <wdm.h>
#endif

#define PROBE_LIST_TAG 0x744C6250UL /* 'PbLt' */

typedef struct _PROBE_REQUEST {
    LIST_ENTRY Link;
    SINGLE_LIST_ENTRY RecycleLink;
    SLIST_ENTRY DoneLink;
    ULONG Id;
} PROBE_REQUEST, *PPROBE_REQUEST;

typedef struct _PROBE_LIST_CONTEXT {
    _Guarded_by_(PendingLock) LIST_ENTRY Pending;
    KSPIN_LOCK PendingLock;
    SINGLE_LIST_ENTRY Recycled;
    KSPIN_LOCK RecycleLock;
    SLIST_HEADER Completed;
    NPAGED_LOOKASIDE_LIST Requests;
    LONG64 Mode;
    ULONG NextId;
    ULONG Processed;
    ULONG OrderChecksum; /* sum of position * id over the drain: the order the queue gave */
    ULONG CompletedDepth;
    ULONG EmptyChecks;   /* IsListEmpty and friends that held */
} PROBE_LIST_CONTEXT, *PPROBE_LIST_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeListRoutine;

_Check_return_ _Ret_maybenull_ _IRQL_requires_max_(DISPATCH_LEVEL)
static PPROBE_REQUEST
ProbeNewRequest(_Inout_ PPROBE_LIST_CONTEXT Context)
{
    PPROBE_REQUEST request = (PPROBE_REQUEST)ExAllocateFromNPagedLookasideList(&Context->Requests);

    if (request != NULL) {
        RtlZeroMemory(request, sizeof(*request));
        request->Id = ++Context->NextId;
    }
    return request;
}

/* Queues four requests: two under KeAcquireSpinLock, two through the ExInterlocked forms.
 * The queue then reads 3, 1, 2, 4 (ids relative to this round). */
_Requires_lock_not_held_(Context->PendingLock)
static VOID
ProbeQueueRequests(_Inout_ PPROBE_LIST_CONTEXT Context)
{
    PPROBE_REQUEST request[4];
    KIRQL oldIrql;
    ULONG i;

    for (i = 0; i < RTL_NUMBER_OF(request); i++) {
        request[i] = ProbeNewRequest(Context);
        if (request[i] == NULL) {
            return;
        }
    }
    KeAcquireSpinLock(&Context->PendingLock, &oldIrql);
    InsertTailList(&Context->Pending, &request[0]->Link);
    InsertTailList(&Context->Pending, &request[1]->Link);
    if (Context->Mode == 2) {
        /* The lock is already ours: the kernel spins forever. */
        ExInterlockedInsertTailList(&Context->Pending, &request[2]->Link, &Context->PendingLock);
    }
    KeReleaseSpinLock(&Context->PendingLock, oldIrql);
    if (ExInterlockedInsertHeadList(&Context->Pending, &request[2]->Link,
                                    &Context->PendingLock) == &request[0]->Link) {
        Context->EmptyChecks++;
    }
    (VOID)ExInterlockedInsertTailList(&Context->Pending, &request[3]->Link,
                                      &Context->PendingLock);
}

static VOID
ProbeDrain(PPROBE_LIST_CONTEXT Context)
{
    PLIST_ENTRY entry;
    PSINGLE_LIST_ENTRY recycled;
    PSLIST_ENTRY done;
    PPROBE_REQUEST request, last;
    ULONG base = Context->NextId - 4, position = 0;
    KIRQL oldIrql;

    /* Take the last one off the tail first, and put it back at the tail. */
    KeAcquireSpinLock(&Context->PendingLock, &oldIrql);
    last = CONTAINING_RECORD(RemoveTailList(&Context->Pending), PROBE_REQUEST, Link);
    InsertTailList(&Context->Pending, &last->Link);
    KeReleaseSpinLock(&Context->PendingLock, oldIrql);

    while ((entry = ExInterlockedRemoveHeadList(&Context->Pending, &Context->PendingLock)) != NULL) {
        request = CONTAINING_RECORD(entry, PROBE_REQUEST, Link);
        position++;
        Context->OrderChecksum += position * (request->Id - base);
        Context->Processed++;
        if (Context->Mode == 1 && position == 2) {
            /* A second remove of an entry already off the queue. */
            RemoveEntryList(&request->Link);
        }
        (VOID)InterlockedPushEntrySList(&Context->Completed, &request->DoneLink);
    }
    if (IsListEmpty(&Context->Pending)) {
        Context->EmptyChecks++;
    }
    Context->CompletedDepth = ExQueryDepthSList(&Context->Completed);

    /* Completed -> the recycle stack (one pop, then a flush of the rest) -> the lookaside. */
    done = InterlockedPopEntrySList(&Context->Completed);
    if (done != NULL) {
        request = CONTAINING_RECORD(done, PROBE_REQUEST, DoneLink);
        PushEntryList(&Context->Recycled, &request->RecycleLink);
    }
    done = InterlockedFlushSList(&Context->Completed);
    while (done != NULL) {
        request = CONTAINING_RECORD(done, PROBE_REQUEST, DoneLink);
        done = done->Next;
        (VOID)ExInterlockedPushEntryList(&Context->Recycled, &request->RecycleLink,
                                         &Context->RecycleLock);
    }
    if (ExQueryDepthSList(&Context->Completed) == 0) {
        Context->EmptyChecks++;
    }
    recycled = ExInterlockedPopEntryList(&Context->Recycled, &Context->RecycleLock);
    while (recycled != NULL) {
        ExFreeToNPagedLookasideList(&Context->Requests,
                                    CONTAINING_RECORD(recycled, PROBE_REQUEST, RecycleLink));
        recycled = PopEntryList(&Context->Recycled);
    }
}

_Use_decl_annotations_
BOOLEAN
ProbeListRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PPROBE_LIST_CONTEXT context = (PPROBE_LIST_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_WAIT_0:
        ProbeQueueRequests(context);
        ProbeDrain(context);
        return TRUE;
    default:
        return FALSE;
    }
}

#ifdef HOTSWAP_HARNESS
/* ---- Harness-only exports ------------------------------------------------------------- */
HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PPROBE_LIST_CONTEXT context;

    context = (PPROBE_LIST_CONTEXT)ExAllocatePoolZero(NonPagedPoolNx, sizeof(*context),
                                                      PROBE_LIST_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    InitializeListHead(&context->Pending);
    KeInitializeSpinLock(&context->PendingLock);
    context->Recycled.Next = NULL;
    KeInitializeSpinLock(&context->RecycleLock);
    InitializeSListHead(&context->Completed);
    ExInitializeNPagedLookasideList(&context->Requests, NULL, NULL, 0, sizeof(PROBE_REQUEST),
                                    PROBE_LIST_TAG, 0);
    (VOID)HotswapContextGetInt(Args, "mode", &context->Mode);
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    PPROBE_LIST_CONTEXT context = (PPROBE_LIST_CONTEXT)Context;

    ExDeleteNPagedLookasideList(&context->Requests);
    ExFreePoolWithTag(context, PROBE_LIST_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const PROBE_LIST_CONTEXT *context = (const PROBE_LIST_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size,
                         "{\"processed\":%lu,\"order_checksum\":%lu,\"completed_depth\":%lu,"
                         "\"empty_checks\":%lu}",
                         (unsigned long)context->Processed,
                         (unsigned long)context->OrderChecksum,
                         (unsigned long)context->CompletedDepth,
                         (unsigned long)context->EmptyChecks);
}
#endif
