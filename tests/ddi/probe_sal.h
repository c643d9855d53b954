/* probe_sal.h - a sample ring and its helpers, declared the way a driver's header declares
 * them: with the source annotations of the WDK (SAL 2 and the older __drv_ forms). Every
 * annotation <hotswap/wdm.h> accepts appears here or in probe_sal.c, so one that stops
 * compiling (removed, or defined with another arity) fails the build; on Windows <sal.h> comes
 * first, as MSVC's C library headers bring it, so one defined twice fails it too.
 */
#ifndef PROBE_SAL_H
#define PROBE_SAL_H

#define PROBE_SAL_SLOTS 8
#define PROBE_SAL_TAG 0x6C615350UL /* 'PSal' */

typedef struct _PROBE_SAL_RING {
    KSPIN_LOCK Lock;
    _Guarded_by_(Lock) _Field_range_(0, PROBE_SAL_SLOTS) ULONG Count;
    _Field_size_(PROBE_SAL_SLOTS) PULONG Slots;
    _Field_size_opt_(PROBE_SAL_SLOTS) PULONG Spare;
    _Field_size_bytes_(sizeof(ULONG)) PVOID Cookie;
    _Field_size_bytes_opt_(sizeof(ULONG)) PVOID SpareCookie;
    _Interlocked_ LONG volatile Users;
} PROBE_SAL_RING, *PPROBE_SAL_RING;

typedef _Struct_size_bytes_(Size) struct _PROBE_SAL_HEADER {
    ULONG Size;
    UCHAR Data[8];
} PROBE_SAL_HEADER, *PPROBE_SAL_HEADER;

_IRQL_requires_max_(DISPATCH_LEVEL)
_Must_inspect_result_
_Success_(return != FALSE)
_When_(Ring->Count == 0, _Ret_range_(FALSE, FALSE))
BOOLEAN
ProbeSalRingPeek(_In_ PPROBE_SAL_RING Ring, _Out_ PULONG Value, _Out_opt_ PULONG Count);

_IRQL_requires_max_(DISPATCH_LEVEL)
_Requires_lock_not_held_(Ring->Lock)
VOID
ProbeSalRingPush(_Inout_ PPROBE_SAL_RING Ring, _In_range_(0, 0xFFFF) ULONG Value);

_IRQL_requires_(DISPATCH_LEVEL)
_Requires_lock_held_(Ring->Lock)
_Requires_exclusive_lock_held_(Ring->Lock)
ULONG
ProbeSalRingSumLocked(_In_ PPROBE_SAL_RING Ring);

_IRQL_requires_max_(DISPATCH_LEVEL)
_IRQL_raises_(DISPATCH_LEVEL)
_Acquires_lock_(Ring->Lock)
_Acquires_exclusive_lock_(Ring->Lock)
_Post_same_lock_(Ring->Lock, Ring->Lock)
__drv_maxIRQL(DISPATCH_LEVEL)
__drv_raisesIRQL(DISPATCH_LEVEL)
__drv_setsIRQL(DISPATCH_LEVEL)
__drv_acquiresResource(SpinLock)
VOID
ProbeSalRingLock(_Inout_ PPROBE_SAL_RING Ring, _Out_ __drv_savesIRQL PKIRQL OldIrql);

_IRQL_requires_(DISPATCH_LEVEL)
_Releases_lock_(Ring->Lock)
_Releases_exclusive_lock_(Ring->Lock)
__drv_requiresIRQL(DISPATCH_LEVEL)
__drv_minIRQL(DISPATCH_LEVEL)
__drv_mustHold(SpinLock)
__drv_releasesResource(SpinLock)
VOID
ProbeSalRingUnlock(_Inout_ PPROBE_SAL_RING Ring, _In_ __drv_restoresIRQL KIRQL OldIrql);

/* The _IRQL_ forms of the same, on a raise of its own. */
_IRQL_requires_max_(DISPATCH_LEVEL)
_IRQL_raises_(DISPATCH_LEVEL)
_IRQL_saves_global_(OldIrql, Ring)
__drv_savesIRQLGlobal(OldIrql, Ring)
KIRQL
ProbeSalRaise(_In_ PPROBE_SAL_RING Ring);

_IRQL_requires_(DISPATCH_LEVEL)
_IRQL_restores_global_(OldIrql, Ring)
__drv_restoresIRQLGlobal(OldIrql, Ring)
VOID
ProbeSalLower(_In_ PPROBE_SAL_RING Ring, _In_ _IRQL_restores_ KIRQL OldIrql);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
ProbeSalSaveIrql(_Out_ _IRQL_saves_ PKIRQL Irql);

_IRQL_requires_max_(DISPATCH_LEVEL)
_Check_return_
_Ret_maybenull_
_Post_writable_byte_size_(Size)
__drv_allocatesMem(Mem)
PVOID
ProbeSalAllocate(_In_ SIZE_T Size);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
ProbeSalFree(_Frees_ptr_opt_ __drv_freesMem(Mem) PVOID Block);

_IRQL_requires_max_(DISPATCH_LEVEL)
_Must_inspect_result_
_Success_(return == STATUS_SUCCESS)
NTSTATUS
ProbeSalCreateRing(_Outptr_result_maybenull_ PPROBE_SAL_RING *Ring);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID
ProbeSalDeleteRing(_In_ _Frees_ptr_ PPROBE_SAL_RING Ring);

_IRQL_requires_max_(PASSIVE_LEVEL)
_IRQL_requires_min_(PASSIVE_LEVEL)
_IRQL_requires_same_
_IRQL_always_function_max_(DISPATCH_LEVEL)
ULONG
ProbeSalRun(VOID);

#endif
