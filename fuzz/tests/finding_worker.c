/* finding_worker.c - a test routine (not an example) with one bug for each rule a fuzz
 * finding can have, chosen by the scenario's context ("bug": n, the numbers below). Built
 * twice: as finding_worker_buggy, and with FINDING_WORKER_FIXED as finding_worker_fixed, where
 * each bug has the fix a driver author would make. A regression emitted from the buggy one's
 * finding must fail on it and pass on the fixed one.
 *
 * "work" (index 0) is the queue's notification event, cleared once the queue is drained,
 * "stop" (index 1) ends the worker. Most bugs strike on the second work item, so the finding
 * needs the steps before it too.
 */
#include <hotswap/harness.h>

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE FindingWorkerRoutine;
HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;

#define FINDING_TAG 0x646E6946UL /* 'Find' */

enum finding_bug {
    BUG_INVARIANT = 1,     /* continues on stop */
    BUG_LIVELOCK,          /* never clears the notification event "work" */
    BUG_DEADLOCK,          /* waits with no timeout on an event nothing sets */
    BUG_BAD_BOOLEAN,       /* returns 2 */
    BUG_IRQL_AT_RETURN,    /* raises to DISPATCH_LEVEL and returns there */
    BUG_POOL_LEAK,         /* overwrites its buffer pointer */
    BUG_BAD_FREE,          /* frees its buffer twice */
    BUG_POOL_CALL,         /* a zero-byte allocation */
    BUG_HELD_MUTEX,        /* ends holding its KMUTEX */
    BUG_MUTANT_NOT_OWNED,  /* releases a KMUTEX it does not own */
    BUG_SEMAPHORE_LIMIT,   /* releases its semaphore past the limit */
    BUG_WAIT_IRQL,         /* waits with a timeout at DISPATCH_LEVEL */
    BUG_IRQL,              /* KeLowerIrql to a higher IRQL */
    BUG_SPINLOCK,          /* takes its spin lock twice */
    BUG_WAIT_OBJECTS,      /* waits on four objects without a wait-block array */
    BUG_BUGCHECK,          /* KeBugCheckEx */
    BUG_CRASH,             /* writes through NULL */
    BUG_USE_AFTER_FREE,    /* reads a pool block it freed (AddressSanitizer's report) */
    BUG_OVERFLOW           /* writes one byte past a pool block (AddressSanitizer's report) */
};

typedef struct _FINDING_CONTEXT {
    LONG64 Bug;
    ULONG Work;
    PKEVENT WorkEvent;
    PVOID Buffer;
    KEVENT Never;
    KEVENT Ready[4];
    KMUTEX Lock;
    KSEMAPHORE Slots;
    KSPIN_LOCK QueueLock;
} FINDING_CONTEXT, *PFINDING_CONTEXT;

#ifndef FINDING_WORKER_FIXED
static volatile LONG *volatile Nowhere; /* volatile: the store through it stays */
#endif

static BOOLEAN
FindingStop(PFINDING_CONTEXT Context)
{
#ifdef FINDING_WORKER_FIXED
    (VOID)Context;
    return FALSE;
#else
    return Context->Bug == BUG_INVARIANT; /* the bug: TRUE waits again after stop */
#endif
}

static VOID
FindingRaiseAndWait(PFINDING_CONTEXT Context)
{
    LARGE_INTEGER timeout;
    KIRQL old;

    timeout.QuadPart = -10000; /* 1 ms */
#ifndef FINDING_WORKER_FIXED
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    (VOID)KeWaitForSingleObject(&Context->Never, Executive, KernelMode, FALSE, &timeout);
    KeLowerIrql(old);
#else
    (VOID)old;
    (VOID)KeWaitForSingleObject(&Context->Never, Executive, KernelMode, FALSE, &timeout);
#endif
}

static VOID
FindingWaitForReady(PFINDING_CONTEXT Context)
{
    PVOID objects[4];
    ULONG i;
#ifdef FINDING_WORKER_FIXED
    KWAIT_BLOCK blocks[4];
#else
    PKWAIT_BLOCK blocks = NULL;
#endif

    for (i = 0; i < 4; i++) {
        objects[i] = &Context->Ready[i];
    }
    (VOID)KeWaitForMultipleObjects(4, objects, WaitAny, Executive, KernelMode, FALSE, NULL,
                                   blocks);
}

/* A pool block's use after its free, or one past its end: a crash that AddressSanitizer
 * reports at the line here, the harness having poisoned the freed block (fuzz_cli_test.py). */
static VOID
FindingTouchBuffer(PFINDING_CONTEXT Context)
{
    volatile UCHAR *buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, FINDING_TAG);

    if (buffer == NULL) {
        return;
    }
    buffer[0] = 1;
#ifndef FINDING_WORKER_FIXED
    if (Context->Bug == BUG_USE_AFTER_FREE) {
        ExFreePoolWithTag((PVOID)buffer, FINDING_TAG);
        Context->Work += buffer[0];
        return;
    }
    buffer[64] = 1;
#else
    (VOID)Context;
#endif
    ExFreePoolWithTag((PVOID)buffer, FINDING_TAG);
}

/* The second work item, where most bugs strike. */
static BOOLEAN
FindingSecondWork(PFINDING_CONTEXT Context)
{
    KIRQL old;

    switch (Context->Bug) {
    case BUG_BAD_BOOLEAN:
#ifndef FINDING_WORKER_FIXED
        return (BOOLEAN)2;
#else
        return TRUE;
#endif
    case BUG_IRQL_AT_RETURN:
        KeRaiseIrql(DISPATCH_LEVEL, &old);
#ifdef FINDING_WORKER_FIXED
        KeLowerIrql(old);
#endif
        return TRUE;
    case BUG_MUTANT_NOT_OWNED:
#ifndef FINDING_WORKER_FIXED
        KeReleaseMutex(&Context->Lock, FALSE);
#endif
        return TRUE;
    case BUG_WAIT_IRQL:
        FindingRaiseAndWait(Context);
        return TRUE;
    case BUG_IRQL:
#ifndef FINDING_WORKER_FIXED
        KeLowerIrql(DISPATCH_LEVEL);
#endif
        return TRUE;
    case BUG_SPINLOCK:
        KeAcquireSpinLock(&Context->QueueLock, &old);
#ifndef FINDING_WORKER_FIXED
        KeAcquireSpinLock(&Context->QueueLock, &old);
#endif
        KeReleaseSpinLock(&Context->QueueLock, old);
        return TRUE;
    case BUG_WAIT_OBJECTS:
        FindingWaitForReady(Context);
        return TRUE;
    case BUG_BUGCHECK:
#ifndef FINDING_WORKER_FIXED
        KeBugCheckEx(0xE2, 0, 0, 0, 0);
#else
        return TRUE;
#endif
    case BUG_CRASH:
#ifndef FINDING_WORKER_FIXED
        *Nowhere = 1;
#endif
        return TRUE;
    case BUG_USE_AFTER_FREE:
    case BUG_OVERFLOW:
        FindingTouchBuffer(Context);
        return TRUE;
    default:
        return TRUE;
    }
}

static VOID
FindingTakeBuffer(PFINDING_CONTEXT Context)
{
    SIZE_T size = 64 * (SIZE_T)(Context->Bug == BUG_POOL_CALL ? 2 - Context->Work : 1);

    if (Context->Bug == BUG_BAD_FREE && Context->Buffer != NULL) {
        ExFreePoolWithTag(Context->Buffer, FINDING_TAG);
#ifdef FINDING_WORKER_FIXED
        Context->Buffer = NULL;
#endif
        return;
    }
#ifdef FINDING_WORKER_FIXED
    if (size == 0) {
        return;
    }
    if (Context->Buffer != NULL) {
        ExFreePoolWithTag(Context->Buffer, FINDING_TAG);
    }
#endif
    Context->Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, FINDING_TAG);
}

_Use_decl_annotations_
BOOLEAN
FindingWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PFINDING_CONTEXT context = (PFINDING_CONTEXT)WorkerContext;
    LARGE_INTEGER timeout;

    if (WaitStatus == STATUS_WAIT_1) {
        return FindingStop(context);
    }
    if (WaitStatus != STATUS_WAIT_0) {
        return TRUE;
    }
    context->Work++;
#ifndef FINDING_WORKER_FIXED
    if (context->Bug != BUG_LIVELOCK)
#endif
    {
        KeClearEvent(context->WorkEvent); /* the queue is drained */
    }
    switch (context->Bug) {
    case BUG_DEADLOCK:
        timeout.QuadPart = -10000; /* 1 ms */
#ifdef FINDING_WORKER_FIXED
        (VOID)KeWaitForSingleObject(&context->Never, Executive, KernelMode, FALSE, &timeout);
#else
        (VOID)timeout;
        (VOID)KeWaitForSingleObject(&context->Never, Executive, KernelMode, FALSE, NULL);
#endif
        return TRUE;
    case BUG_POOL_LEAK:
    case BUG_BAD_FREE:
    case BUG_POOL_CALL:
        FindingTakeBuffer(context);
        return TRUE;
    case BUG_HELD_MUTEX:
        (VOID)KeWaitForSingleObject(&context->Lock, Executive, KernelMode, FALSE, NULL);
#ifdef FINDING_WORKER_FIXED
        KeReleaseMutex(&context->Lock, FALSE);
#endif
        return TRUE;
    case BUG_SEMAPHORE_LIMIT:
#ifdef FINDING_WORKER_FIXED
        if (KeReadStateSemaphore(&context->Slots) != 0) {
            return TRUE;
        }
#endif
        (VOID)KeReleaseSemaphore(&context->Slots, 0, 1, FALSE);
        return TRUE;
    default:
        return context->Work == 2 ? FindingSecondWork(context) : TRUE;
    }
}

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PFINDING_CONTEXT context = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                               FINDING_TAG);
    ULONG i;

    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    if (!HotswapContextGetInt(Args, "bug", &context->Bug)) {
        ExFreePoolWithTag(context, FINDING_TAG);
        return STATUS_INVALID_PARAMETER;
    }
    context->WorkEvent = (PKEVENT)HotswapFindObject(Args, "work");
    KeInitializeEvent(&context->Never, NotificationEvent, FALSE);
    for (i = 0; i < 4; i++) {
        KeInitializeEvent(&context->Ready[i], NotificationEvent, TRUE);
    }
    KeInitializeMutex(&context->Lock, 0);
    KeInitializeSemaphore(&context->Slots, 0, 1);
    KeInitializeSpinLock(&context->QueueLock);
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    PFINDING_CONTEXT context = (PFINDING_CONTEXT)Context;

    if (context->Buffer != NULL) {
        ExFreePoolWithTag(context->Buffer, FINDING_TAG);
    }
    ExFreePoolWithTag(context, FINDING_TAG);
}
