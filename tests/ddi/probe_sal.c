/* probe_sal.c - the annotated sample ring of probe_sal.h: helpers a driver writes, annotated
 * as the WDK's code analysis wants them. ProbeSalRun exercises them and returns 0 when every
 * result holds, else the line of the first that does not. The annotations are no-ops here:
 * what this file checks is that each one compiles, in the places drivers put it.
 */
#ifdef HOTSWAP_HARNESS
#ifdef _WIN32
#include <sal.h> /* first, as MSVC's C library headers bring it: its forms win, none clash */
#endif
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "probe_sal.h"

typedef _Function_class_(PROBE_SAL_VISIT) ULONG PROBE_SAL_VISIT(_In_ ULONG Value);
typedef PROBE_SAL_VISIT *PPROBE_SAL_VISIT;

static PROBE_SAL_VISIT ProbeSalDouble;

static ULONG ProbeSalRuns;

_Use_decl_annotations_
static ULONG
ProbeSalDouble(ULONG Value)
{
    return Value * 2;
}

_Use_decl_annotations_
BOOLEAN
ProbeSalRingPeek(PPROBE_SAL_RING Ring, PULONG Value, PULONG Count)
{
    KIRQL oldIrql;
    BOOLEAN found = FALSE;

    *Value = 0;
    ProbeSalRingLock(Ring, &oldIrql);
    if (Ring->Count != 0) {
        *Value = Ring->Slots[Ring->Count - 1];
        found = TRUE;
    }
    if (Count != NULL) {
        *Count = Ring->Count;
    }
    ProbeSalRingUnlock(Ring, oldIrql);
    return found;
}

_Use_decl_annotations_
VOID
ProbeSalRingPush(PPROBE_SAL_RING Ring, ULONG Value)
{
    KIRQL oldIrql;

    ProbeSalRingLock(Ring, &oldIrql);
    if (Ring->Count < PROBE_SAL_SLOTS) {
        Ring->Slots[Ring->Count++] = Value;
    }
    ProbeSalRingUnlock(Ring, oldIrql);
}

_Use_decl_annotations_
ULONG
ProbeSalRingSumLocked(PPROBE_SAL_RING Ring)
{
    ULONG i, sum = 0;

    for (i = 0; i < Ring->Count; i++) {
        sum += Ring->Slots[i];
    }
    return sum;
}

_Use_decl_annotations_
VOID
ProbeSalRingLock(PPROBE_SAL_RING Ring, PKIRQL OldIrql)
{
    KeAcquireSpinLock(&Ring->Lock, OldIrql);
}

_Use_decl_annotations_
VOID
ProbeSalRingUnlock(PPROBE_SAL_RING Ring, KIRQL OldIrql)
{
    KeReleaseSpinLock(&Ring->Lock, OldIrql);
}

_Use_decl_annotations_
KIRQL
ProbeSalRaise(PPROBE_SAL_RING Ring)
{
    KIRQL oldIrql;

    UNREFERENCED_PARAMETER(Ring);
    KeRaiseIrql(DISPATCH_LEVEL, &oldIrql);
    return oldIrql;
}

_Use_decl_annotations_
VOID
ProbeSalLower(PPROBE_SAL_RING Ring, KIRQL OldIrql)
{
    UNREFERENCED_PARAMETER(Ring);
    KeLowerIrql(OldIrql);
}

_Use_decl_annotations_
VOID
ProbeSalSaveIrql(PKIRQL Irql)
{
    *Irql = KeGetCurrentIrql();
}

_Use_decl_annotations_
PVOID
ProbeSalAllocate(SIZE_T Size)
{
    return ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, PROBE_SAL_TAG);
}

_Use_decl_annotations_
VOID
ProbeSalFree(PVOID Block)
{
    if (Block != NULL) {
        ExFreePoolWithTag(Block, PROBE_SAL_TAG);
    }
}

_Use_decl_annotations_
NTSTATUS
ProbeSalCreateRing(PPROBE_SAL_RING *Ring)
{
    PPROBE_SAL_RING ring;

    *Ring = NULL;
    ring = (PPROBE_SAL_RING)ProbeSalAllocate(sizeof(*ring));
    if (ring == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    ring->Slots = (PULONG)ProbeSalAllocate(PROBE_SAL_SLOTS * sizeof(ULONG));
    if (ring->Slots == NULL) {
        ProbeSalFree(ring);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    KeInitializeSpinLock(&ring->Lock);
    *Ring = ring;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID
ProbeSalDeleteRing(PPROBE_SAL_RING Ring)
{
    ProbeSalFree(Ring->Spare);
    ProbeSalFree(Ring->Slots);
    ProbeSalFree(Ring);
}

/* ---- Buffers and strings, annotated in the definition itself ---------------------------- */

static VOID
ProbeSalCopy(_Out_writes_bytes_(Size) PVOID Destination, _In_reads_bytes_(Size) const VOID *Source,
             _In_ SIZE_T Size, _Out_writes_(1) PSIZE_T Copied)
{
    RtlCopyMemory(Destination, Source, Size);
    *Copied = Size;
}

static SIZE_T
ProbeSalCopyName(_Out_writes_z_(Capacity) _Null_terminated_ PCHAR Destination,
                 _In_ SIZE_T Capacity, _In_z_ PCSTR Source, _In_opt_z_ PCSTR Suffix)
{
    SIZE_T n = 0;

    while (n + 1 < Capacity && Source[n] != '\0') {
        Destination[n] = Source[n];
        n++;
    }
    while (Suffix != NULL && n + 1 < Capacity && *Suffix != '\0') {
        Destination[n++] = *Suffix++;
    }
    Destination[n] = '\0';
    return n;
}

static VOID
ProbeSalUpcase(_Inout_z_ PCHAR Text)
{
    for (; *Text != '\0'; Text++) {
        if (*Text >= 'a' && *Text <= 'z') {
            *Text = (CHAR)(*Text - 'a' + 'A');
        }
    }
}

static ULONG
ProbeSalSum(_In_reads_(Count) const ULONG *Values, _In_ ULONG Count,
            _In_reads_opt_(Count) const ULONG *Weights,
            _In_reads_bytes_opt_(Count * sizeof(ULONG)) const VOID *Mask,
            _In_reads_z_(4) PCSTR Tag)
{
    ULONG i, sum = 0;

    UNREFERENCED_PARAMETER(Tag);
    for (i = 0; i < Count; i++) {
        if (Mask == NULL || ((const ULONG *)Mask)[i] != 0) {
            sum += Values[i] * (Weights != NULL ? Weights[i] : 1);
        }
    }
    return sum;
}

_Success_(return != 0)
static ULONG
ProbeSalFill(_Out_writes_to_(Capacity, return) PULONG Values, _In_ ULONG Capacity,
             _Out_writes_to_opt_(Capacity, return) PULONG Copy,
             _Out_writes_opt_(Capacity) PULONG Zeroed,
             _Out_writes_bytes_all_(sizeof(ULONG)) PULONG Last,
             _Out_writes_bytes_to_(sizeof(ULONG), sizeof(ULONG)) PULONG First,
             _Out_writes_bytes_opt_(sizeof(ULONG)) PULONG Spare)
{
    ULONG i;

    for (i = 0; i < Capacity; i++) {
        Values[i] = i + 1;
        if (Copy != NULL) {
            Copy[i] = i + 1;
        }
        if (Zeroed != NULL) {
            Zeroed[i] = 0;
        }
    }
    *Last = Capacity;
    *First = 1;
    if (Spare != NULL) {
        *Spare = 0;
    }
    return Capacity;
}

static VOID
ProbeSalScale(_Inout_updates_(Count) PULONG Values, _In_ ULONG Count,
              _Inout_updates_opt_(Count) PULONG Others,
              _Inout_updates_bytes_(sizeof(ULONG)) PULONG Total,
              _Inout_updates_bytes_opt_(sizeof(ULONG)) PULONG Calls,
              _Inout_opt_ PULONG Spare, _In_ __drv_strictTypeMatch(__drv_typeConst) ULONG Factor)
{
    ULONG i;

    for (i = 0; i < Count; i++) {
        Values[i] *= Factor;
        *Total += Values[i];
        if (Others != NULL) {
            Others[i] *= Factor;
        }
    }
    if (Calls != NULL) {
        (*Calls)++;
    }
    if (Spare != NULL) {
        *Spare = Factor;
    }
}

_Ret_notnull_
static PULONG
ProbeSalFirstSlot(_In_ _Notnull_ PPROBE_SAL_RING Ring)
{
    return &Ring->Slots[0];
}

_Must_inspect_result_
static NTSTATUS
ProbeSalLookup(_In_ PPROBE_SAL_RING Ring, _In_ ULONG Value,
               _Outptr_ PULONG *Slot, _Outptr_opt_ PULONG *Spare,
               _Out_ _Maybenull_ _Post_maybenull_ PULONG *Found,
               _Out_range_(0, PROBE_SAL_SLOTS) PULONG Index)
{
    ULONG i;

    *Slot = ProbeSalFirstSlot(Ring);
    if (Spare != NULL) {
        *Spare = NULL;
    }
    *Found = NULL;
    *Index = 0;
    for (i = 0; i < Ring->Count; i++) {
        if (Ring->Slots[i] == Value) {
            *Found = &Ring->Slots[i];
            *Index = i;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_NOT_FOUND;
}

_At_(Ring->Users, _Out_range_(>=, 1))
__drv_at(Ring->Users, _Out_range_(>=, 1))
__drv_arg(Ring, _Pre_notnull_)
__drv_when(Ring != NULL, __drv_maxIRQL(DISPATCH_LEVEL))
static VOID
ProbeSalUse(_Inout_ _Pre_notnull_ __drv_aliasesMem PPROBE_SAL_RING Ring)
{
    _Benign_race_begin_
    (VOID)InterlockedIncrement(&Ring->Users);
    _Benign_race_end_
}

_Requires_shared_lock_held_(Resource)
_Kernel_requires_resource_held_(Resource)
static BOOLEAN
ProbeSalShared(_In_ PERESOURCE Resource)
{
    return ExIsResourceAcquiredSharedLite(Resource) != 0;
}

_IRQL_requires_max_(APC_LEVEL)
_Acquires_shared_lock_(Resource)
_Kernel_acquires_resource_(Resource)
_Kernel_requires_resource_not_held_(Resource)
__drv_neverHold(Resource)
static VOID
ProbeSalTakeShared(_Inout_ PERESOURCE Resource)
{
    KeEnterCriticalRegion();
    (VOID)ExAcquireResourceSharedLite(Resource, TRUE);
}

_IRQL_requires_max_(APC_LEVEL)
_Releases_shared_lock_(Resource)
_Kernel_releases_resource_(Resource)
static VOID
ProbeSalDropShared(_Inout_ PERESOURCE Resource)
{
    ExReleaseResourceLite(Resource);
    KeLeaveCriticalRegion();
}

_IRQL_requires_max_(APC_LEVEL)
_Acquires_nonreentrant_lock_(Mutex)
static VOID
ProbeSalTakeMutex(_Inout_ PFAST_MUTEX Mutex)
{
    ExAcquireFastMutex(Mutex);
}

_Releases_nonreentrant_lock_(Mutex)
static VOID
ProbeSalDropMutex(_Inout_ PFAST_MUTEX Mutex)
{
    ExReleaseFastMutex(Mutex);
}

_Kernel_float_saved_
_Kernel_float_restored_
_Strict_type_match_
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL)
_Ret_range_(0, 1)
static ULONG
ProbeSalPrintf(_In_ _Printf_format_string_ PCSTR Format, _In_opt_ PVOID Argument,
               _Inout_opt_ PULONG Calls)
{
    UNREFERENCED_PARAMETER(Argument);
    if (Calls != NULL) {
        (*Calls)++;
    }
    return Format[0] == '%' ? 1 : 0;
}

#define PROBE_SAL_CHECK(Condition)                                                           \
    do {                                                                                     \
        if (!(Condition) && failed == 0) {                                                   \
            failed = __LINE__;                                                               \
        }                                                                                    \
    } while (0)

_Use_decl_annotations_
ULONG
ProbeSalRun(VOID)
{
    PPROBE_SAL_RING ring = NULL;
    PPROBE_SAL_VISIT visit = ProbeSalDouble;
    ULONG failed = 0, value = 0, count = 0, index = 0, calls = 0, total = 0, last = 0;
    ULONG first = 0, spareValue = 0;
    SIZE_T copied = 0;
    ULONG values[4], copy[4], zeroed[4], weights[4] = {1, 2, 3, 4}, mask[4] = {1, 0, 1, 1};
    PULONG slot = NULL, spare = NULL, found = NULL;
    CHAR name[16];
    KIRQL before, saved, raised;
    ERESOURCE resource;
    FAST_MUTEX mutex;

    ProbeSalRuns++;
    if (!NT_SUCCESS(ProbeSalCreateRing(&ring)) || ring == NULL) {
        return __LINE__;
    }
    PROBE_SAL_CHECK(!ProbeSalRingPeek(ring, &value, &count) && count == 0);
    ProbeSalRingPush(ring, 7);
    ProbeSalRingPush(ring, visit(ProbeSalRuns + 10));
    PROBE_SAL_CHECK(ProbeSalRingPeek(ring, &value, NULL) && value == 2 * (ProbeSalRuns + 10));
    ProbeSalRingLock(ring, &before);
    PROBE_SAL_CHECK(ProbeSalRingSumLocked(ring) == 7 + value &&
                    KeGetCurrentIrql() == DISPATCH_LEVEL);
    ProbeSalRingUnlock(ring, before);
    raised = ProbeSalRaise(ring);
    ProbeSalSaveIrql(&saved);
    ProbeSalLower(ring, raised);
    PROBE_SAL_CHECK(saved == DISPATCH_LEVEL && KeGetCurrentIrql() == PASSIVE_LEVEL);
    PROBE_SAL_CHECK(NT_SUCCESS(ProbeSalLookup(ring, 7, &slot, &spare, &found, &index)) &&
                    found == slot && index == 0 && spare == NULL);
    PROBE_SAL_CHECK(ProbeSalLookup(ring, 99, &slot, NULL, &found, &index) == STATUS_NOT_FOUND &&
                    found == NULL);
    ProbeSalUse(ring);
    PROBE_SAL_CHECK(ring->Users == 1);

    PROBE_SAL_CHECK(ProbeSalCopyName(name, sizeof(name), "ring", "-a") == 6);
    ProbeSalUpcase(name);
    PROBE_SAL_CHECK(RtlEqualMemory(name, "RING-A", 7));
    PROBE_SAL_CHECK(ProbeSalFill(values, 4, copy, zeroed, &last, &first, NULL) == 4 &&
                    last == 4 && first == 1 && zeroed[3] == 0);
    ProbeSalCopy(copy, values, sizeof(values), &copied);
    PROBE_SAL_CHECK(copied == sizeof(values) && copy[2] == 3);
    PROBE_SAL_CHECK(ProbeSalSum(values, 4, weights, mask, "Ring") == 1 + 9 + 16);
    PROBE_SAL_CHECK(ProbeSalSum(values, 4, NULL, NULL, "Ring") == 10);
    ProbeSalScale(values, 4, copy, &total, &calls, &spareValue, 3);
    PROBE_SAL_CHECK(total == 30 && copy[3] == 12 && calls == 1 && spareValue == 3);
    PROBE_SAL_CHECK(ProbeSalPrintf("%lu", NULL, &calls) == 1 && calls == 2);

    ExInitializeResourceLite(&resource);
    ProbeSalTakeShared(&resource);
    PROBE_SAL_CHECK(ProbeSalShared(&resource));
    ProbeSalDropShared(&resource);
    (VOID)ExDeleteResourceLite(&resource);
    ExInitializeFastMutex(&mutex);
    ProbeSalTakeMutex(&mutex);
    PROBE_SAL_CHECK(KeGetCurrentIrql() == APC_LEVEL);
    ProbeSalDropMutex(&mutex);

    _Analysis_assume_(ring != NULL);
    __analysis_assume(ring->Count == 2);
    ProbeSalDeleteRing(ring);
    return failed;
}
