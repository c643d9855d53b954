/* probe_memory.c - a buffer worker that uses every memory, pool, Interlocked, thread and
 * header DDI of <hotswap/wdm_rtl.h>, <hotswap/wdm_pool.h>, <hotswap/wdm_interlocked.h> and
 * <hotswap/wdm_thread.h>, and reads the start context's objects as kernel code may.
 *
 * Each "work" signal runs every probe; a probe that does not see the kernel's result records
 * its line in FailedLine (0: all held) and Checks counts those that held. Context "mode"
 * plants one bug instead: 1 a false NT_ASSERT, 2 an overlapping RtlCopyMemory, 3 __fastfail,
 * 4 paged pool allocated under a spin lock. probe_sal.c adds annotated helpers, every source
 * annotation of the header in use.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/harness.h>
#else
#include <wdm.h>
#endif

#include "probe_check.h"
#include "probe_sal.h"

#define PROBE_MEMORY_TAG 0x6D4D6250UL /* 'PbMm' */

typedef struct _PROBE_RECORD {
    ULONG Kind;
    LIST_ENTRY Link;
    UCHAR Payload[24];
} PROBE_RECORD, *PPROBE_RECORD;

C_ASSERT(FIELD_OFFSET(PROBE_RECORD, Link) == sizeof(PVOID));

typedef struct _PROBE_MEMORY_CONTEXT {
    LONG64 Mode;
    ULONG Checks;
    ULONG FailedLine;
    LONG64 Ticks;
    LONG64 CounterMs;
    ULONG EventTypes; /* Header.Type of the start context's objects, a nibble each */
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT StartContext;
    KSPIN_LOCK Lock;
    LARGE_INTEGER Bytes;
    ULONG Rounds;
    PAGED_LOOKASIDE_LIST Scratch;
} PROBE_MEMORY_CONTEXT, *PPROBE_MEMORY_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeMemoryRoutine;

static VOID
ProbeRtl(PPROBE_MEMORY_CONTEXT Context)
{
    UCHAR a[32], b[32];
    ULONG pattern[8];
    PCHAR text = (PCHAR)a;
    PROBE_RECORD record;

    RtlFillMemory(a, sizeof(a), 0x11);
    RtlZeroMemory(a, 4);
    RtlCopyMemory(b, a, sizeof(a));
    PROBE_CHECK(Context, RtlEqualMemory(a, b, sizeof(a)));
    b[31] = 0;
    PROBE_CHECK(Context, RtlCompareMemory(a, b, sizeof(a)) == 31);
    RtlMoveMemory(a + 1, a, 16);
    PROBE_CHECK(Context, a[4] == 0 && a[5] == 0x11);
    RtlFillBytes(b, 8, 0x22);
    RtlZeroBytes(b + 8, 8);
    RtlCopyBytes(a, b, 16);
    PROBE_CHECK(Context, a[7] == 0x22 && a[8] == 0);
    PROBE_CHECK(Context, RtlSecureZeroMemory(b, sizeof(b)) == b && b[31] == 0);
    RtlFillMemoryUlong(pattern, sizeof(pattern), 0xFEEDF00D);
    PROBE_CHECK(Context, RtlCompareMemoryUlong(pattern, sizeof(pattern), 0xFEEDF00D) == 32);
    pattern[5] = 0;
    PROBE_CHECK(Context, RtlCompareMemoryUlong(pattern, sizeof(pattern), 0xFEEDF00D) == 20);
    PROBE_CHECK(Context, RTL_NUMBER_OF(pattern) == 8 && ARRAYSIZE(record.Payload) == 24);
    PROBE_CHECK(Context, CONTAINING_RECORD(&record.Link, PROBE_RECORD, Link) == &record);
    text[0] = 'x';
    PROBE_CHECK(Context, a[0] == 'x');
    ASSERT(Context->Rounds < 1000);
    NT_ASSERT(Context->StartContext != NULL);
    if (Context->Mode == 1) {
        NT_ASSERT(Context->Rounds == 0 && "the first round only");
    }
    if (Context->Mode == 2) {
        RtlCopyMemory(a + 8, a, 16); /* overlapping: RtlMoveMemory was meant */
    }
    if (Context->Mode == 3) {
        __fastfail(FAST_FAIL_INVALID_ARG);
    }
}

static VOID
ProbePool(PPROBE_MEMORY_CONTEXT Context)
{
    PUCHAR zeroed, raw, quota, page, scratch;
    BOOLEAN charged = FALSE;
    KIRQL oldIrql;

    zeroed = (PUCHAR)ExAllocatePoolZero(NonPagedPoolNx, 40, PROBE_MEMORY_TAG);
    raw = (PUCHAR)ExAllocatePoolUninitialized(NonPagedPoolNx, 40, PROBE_MEMORY_TAG);
    quota = (PUCHAR)ExAllocatePoolWithQuotaTag(
        (POOL_TYPE)(PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE), 24, PROBE_MEMORY_TAG);
    page = (PUCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED, PAGE_SIZE, PROBE_MEMORY_TAG);
    scratch = (PUCHAR)ExAllocateFromPagedLookasideList(&Context->Scratch);
    if (zeroed == NULL || raw == NULL || quota == NULL || page == NULL || scratch == NULL) {
        Context->FailedLine = __LINE__;
        return;
    }
    PROBE_CHECK(Context, zeroed[39] == 0);
    PROBE_CHECK(Context, ExQueryPoolBlockSize(raw, &charged) == 40 && !charged);
    PROBE_CHECK(Context, ExQueryPoolBlockSize(quota, &charged) == 24 && charged);
    PROBE_CHECK(Context, ((ULONG_PTR)page & (PAGE_SIZE - 1)) == 0);
    PROBE_CHECK(Context, BYTES_TO_PAGES(PAGE_SIZE + 1) == 2 && BYTE_OFFSET(page) == 0);
    RtlZeroMemory(scratch, 64);
    ExFreeToPagedLookasideList(&Context->Scratch, scratch);
    if (Context->Mode == 4) {
        KeAcquireSpinLock(&Context->Lock, &oldIrql);
        scratch = (PUCHAR)ExAllocatePoolWithTag(PagedPool, 16, PROBE_MEMORY_TAG);
        KeReleaseSpinLock(&Context->Lock, oldIrql);
    }
    ExFreePoolWithTag(page, PROBE_MEMORY_TAG);
    ExFreePoolWithTag(quota, PROBE_MEMORY_TAG);
    ExFreePoolWithTag(raw, PROBE_MEMORY_TAG);
    ExFreePoolWithTag(zeroed, PROBE_MEMORY_TAG);
}

static VOID
ProbeInterlocked(PPROBE_MEMORY_CONTEXT Context)
{
    static LONG volatile users;
    static LONG64 volatile flags = 0x5;
    LONGLONG value = 1, exchange = 2, comparand = 1;
    LARGE_INTEGER add;
    ULONG counter = 10;

    users = 0;
    PROBE_CHECK(Context, InterlockedIncrementAcquire(&users) == 1);
    PROBE_CHECK(Context, InterlockedIncrementRelease(&users) == 2);
    PROBE_CHECK(Context, InterlockedDecrementAcquire(&users) == 1);
    PROBE_CHECK(Context, InterlockedDecrementRelease(&users) == 0);
    PROBE_CHECK(Context, InterlockedCompareExchangeAcquire(&users, 7, 0) == 0);
    PROBE_CHECK(Context, InterlockedCompareExchangeRelease(&users, 8, 0) == 7 && users == 7);
    PROBE_CHECK(Context, InterlockedXor64(&flags, 0x3) == 0x5 && flags == 0x6);
    flags = 0x5;
    PROBE_CHECK(Context, ExInterlockedCompareExchange64(&value, &exchange, &comparand,
                                                        &Context->Lock) == 1 && value == 2);
    add.QuadPart = 0x80000000LL;
    (VOID)ExInterlockedAddLargeInteger(&Context->Bytes, add, &Context->Lock);
    ExInterlockedAddLargeStatistic(&Context->Bytes, 0x80000000UL);
    PROBE_CHECK(Context, Context->Bytes.HighPart == (LONG)Context->Rounds + 1 &&
                             Context->Bytes.LowPart == 0);
    PROBE_CHECK(Context, ExInterlockedAddUlong(&counter, 5, &Context->Lock) == 10 &&
                             counter == 15);
    KeMemoryBarrier();
}

static VOID
ProbeThreadAndTime(PPROBE_MEMORY_CONTEXT Context)
{
    PKTHREAD thread = KeGetCurrentThread();
    LARGE_INTEGER ticks, frequency, counter;
    KPRIORITY old;

    PROBE_CHECK(Context, thread != NULL && PsGetCurrentThreadId() != NULL);
    old = KeSetPriorityThread(thread, LOW_REALTIME_PRIORITY);
    PROBE_CHECK(Context, KeQueryPriorityThread(thread) == LOW_REALTIME_PRIORITY);
    (VOID)KeSetPriorityThread(thread, old);
    KeQueryTickCount(&ticks);
    counter = KeQueryPerformanceCounter(&frequency);
    Context->Ticks = ticks.QuadPart;
    Context->CounterMs = counter.QuadPart / (frequency.QuadPart / 1000);
    PROBE_CHECK(Context, KeQueryTimeIncrement() == 156250);
    PROBE_CHECK(Context, (ULONGLONG)ticks.QuadPart * KeQueryTimeIncrement() <=
                             KeQueryInterruptTime());
    PROBE_CHECK(Context, SYNCH_LEVEL > DISPATCH_LEVEL && SYNCH_LEVEL < HIGH_LEVEL);
}

/* Kernel code may read an object's Header.Type: 0/1 events, 2 mutants, 5 semaphores. */
static VOID
ProbeHeader(PPROBE_MEMORY_CONTEXT Context)
{
    ULONG i, types = 0;
    LARGE_INTEGER li;

    for (i = 0; i < Context->StartContext->EventCount && i < 8; i++) {
        types |= (ULONG)Context->StartContext->Events[i]->Header.Type << (4 * i);
    }
    Context->EventTypes = types;
    li.QuadPart = 0x0000000700000009LL;
    PROBE_CHECK(Context, li.LowPart == 9 && li.HighPart == 7 && li.u.LowPart == 9);
}

_Use_decl_annotations_
BOOLEAN
ProbeMemoryRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PPROBE_MEMORY_CONTEXT context = (PPROBE_MEMORY_CONTEXT)WorkerContext;

    if (WaitStatus != STATUS_WAIT_0) {
        return FALSE;
    }
    ProbeRtl(context);
    ProbePool(context);
    ProbeInterlocked(context);
    ProbeThreadAndTime(context);
    ProbeHeader(context);
    PROBE_CHECK(context, ProbeSalRun() == 0); /* the annotated helpers of probe_sal.c */
    context->Rounds++;
    return TRUE;
}

#ifdef HOTSWAP_HARNESS
/* ---- Harness-only exports ------------------------------------------------------------- */
HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

/* A start context filled the way a driver fills it: a buffer sized for two events, then
 * Events[1] = &Stop (which must compile under -Warray-bounds -Werror). */
static KEVENT ProbeWork, ProbeStop;
static UCHAR ProbeStartBuffer[FIELD_OFFSET(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT,
                                           Events) + 2 * sizeof(PKEVENT)];

static PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT
ProbeFillStartContext(PVOID Context)
{
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT StartContext =
        (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT)(PVOID)ProbeStartBuffer;

    KeInitializeEvent(&ProbeWork, SynchronizationEvent, FALSE);
    KeInitializeEvent(&ProbeStop, NotificationEvent, FALSE);
    StartContext->WorkerRoutine = ProbeMemoryRoutine;
    StartContext->Context = Context;
    StartContext->WaitType = WaitAny;
    StartContext->WaitReason = Executive;
    StartContext->WaitMode = KernelMode;
    StartContext->Altertable = FALSE;
    StartContext->HasTimeout = FALSE;
    StartContext->EventCount = 2;
    StartContext->Events[0] = &ProbeWork;
    StartContext->Events[1] = &ProbeStop;
    return StartContext;
}

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PPROBE_MEMORY_CONTEXT context;
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT own;

    context = (PPROBE_MEMORY_CONTEXT)ExAllocatePoolZero(NonPagedPoolNx, sizeof(*context),
                                                        PROBE_MEMORY_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    (VOID)HotswapContextGetInt(Args, "mode", &context->Mode);
    KeInitializeSpinLock(&context->Lock);
    ExInitializePagedLookasideList(&context->Scratch, NULL, NULL, 0, 64, PROBE_MEMORY_TAG, 0);
    /* The driver's own start context reads as the kernel's objects too... */
    own = ProbeFillStartContext(context);
    if (own->Events[1]->Header.Type != 0 || own->Events[0]->Header.Type != 1) {
        ExFreePoolWithTag(context, PROBE_MEMORY_TAG);
        return STATUS_UNSUCCESSFUL;
    }
    /* ...but the worker waits on the scenario's. */
    context->StartContext =
        (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT)(ULONG_PTR)Args->StartContext;
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    PPROBE_MEMORY_CONTEXT context = (PPROBE_MEMORY_CONTEXT)Context;

    ExDeletePagedLookasideList(&context->Scratch);
    ExFreePoolWithTag(context, PROBE_MEMORY_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const PROBE_MEMORY_CONTEXT *context = (const PROBE_MEMORY_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size,
                         "{\"checks\":%lu,\"failed_line\":%lu,\"ticks\":%lld,\"counter_ms\":%lld,"
                         "\"event_types\":%lu}",
                         (unsigned long)context->Checks, (unsigned long)context->FailedLine,
                         (long long)context->Ticks, (long long)context->CounterMs,
                         (unsigned long)context->EventTypes);
}
#endif
