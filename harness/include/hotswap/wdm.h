/* <hotswap/wdm.h> - the user-mode subset of wdm.h that a worker routine builds against.
 *
 * A routine source includes this instead of <wdm.h> when HOTSWAP_HARNESS is defined and
 * otherwise compiles unchanged. Types, constants and status values are the kernel's; the
 * routines are implemented by libhotswap on the harness's dispatcher objects, virtual clock,
 * tracked pool and per-thread IRQL. Object layouts are the harness's own: a routine that only
 * uses the documented API never notices.
 */
#ifndef HOTSWAP_WDM_H
#define HOTSWAP_WDM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <hh/hh.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Annotations and calling conventions: accepted and ignored ------------------------- */
#define NTAPI
#define NTSYSAPI
#define NTKERNELAPI
#define FASTCALL
#define DECLSPEC_NORETURN HH_DECLSPEC_NORETURN
#define FORCEINLINE static inline
#define IN
#define OUT
#define OPTIONAL
#include <hotswap/wdm_sal.h> /* the source annotations, as no-ops */

#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define ANYSIZE_ARRAY 1
#define PAGED_CODE() ((void)0)
#define ALLOC_PRAGMA_IGNORED 1

/* ---- Basic NT types ------------------------------------------------------------------- */
#define VOID void
typedef void *PVOID;
typedef char CHAR;
typedef CHAR *PCHAR;
typedef unsigned char UCHAR;
typedef UCHAR *PUCHAR;
typedef UCHAR BOOLEAN;
typedef BOOLEAN *PBOOLEAN;
typedef signed char CCHAR;
typedef int16_t SHORT;
typedef uint16_t USHORT;
typedef int32_t LONG;
typedef LONG *PLONG;
typedef uint32_t ULONG;
typedef ULONG *PULONG;
typedef int64_t LONGLONG;
typedef int64_t LONG64;
typedef uint64_t ULONGLONG;
typedef uint64_t ULONG64;
typedef ULONG64 *PULONG64;
typedef intptr_t LONG_PTR;
typedef uintptr_t ULONG_PTR;
typedef size_t SIZE_T;
typedef SIZE_T *PSIZE_T;
typedef const char *PCSTR;
typedef char *PSTR;
typedef LONG NTSTATUS;
typedef ULONG LOGICAL;
typedef PVOID HANDLE;

#define TRUE 1
#define FALSE 0
#ifndef NULL
#define NULL ((void *)0)
#endif

/* As wdm.h declares them: the halves both anonymous (li.LowPart) and named (li.u.LowPart). */
typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    struct {
        ULONG LowPart;
        ULONG HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

/* ---- Status values (the kernel's numbers) --------------------------------------------- */
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status) ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status) ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status) ((((ULONG)(Status)) >> 30) == 3)

#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_WAIT_0 ((NTSTATUS)0x00000000L)
#define STATUS_WAIT_1 ((NTSTATUS)0x00000001L)
#define STATUS_WAIT_2 ((NTSTATUS)0x00000002L)
#define STATUS_WAIT_3 ((NTSTATUS)0x00000003L)
#define STATUS_WAIT_63 ((NTSTATUS)0x0000003FL)
#define STATUS_ABANDONED ((NTSTATUS)0x00000080L)
#define STATUS_ABANDONED_WAIT_0 ((NTSTATUS)0x00000080L)
#define STATUS_ABANDONED_WAIT_63 ((NTSTATUS)0x000000BFL)
#define STATUS_USER_APC ((NTSTATUS)0x000000C0L)
#define STATUS_KERNEL_APC ((NTSTATUS)0x00000100L)
#define STATUS_ALERTED ((NTSTATUS)0x00000101L)
#define STATUS_TIMEOUT ((NTSTATUS)0x00000102L)
#define STATUS_PENDING ((NTSTATUS)0x00000103L)
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#define STATUS_NO_YIELD_PERFORMED ((NTSTATUS)0x40000024L)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017L)
#define STATUS_INVALID_PARAMETER_MIX ((NTSTATUS)0xC0000030L)
#define STATUS_MUTANT_NOT_OWNED ((NTSTATUS)0xC0000046L)
#define STATUS_SEMAPHORE_LIMIT_EXCEEDED ((NTSTATUS)0xC0000047L)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BBL)
#define STATUS_INVALID_PARAMETER_1 ((NTSTATUS)0xC00000EFL)
#define STATUS_INVALID_PARAMETER_2 ((NTSTATUS)0xC00000F0L)
#define STATUS_INVALID_PARAMETER_3 ((NTSTATUS)0xC00000F1L)
#define STATUS_MUTANT_LIMIT_EXCEEDED ((NTSTATUS)0xC0000191L)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)
#define STATUS_RESOURCE_IN_USE ((NTSTATUS)0xC0000708L)

#define MAXIMUM_WAIT_OBJECTS 64
#define THREAD_WAIT_OBJECTS 3
#define MINLONG ((LONG)0x80000000)
#define MAXLONG ((LONG)0x7fffffff)

/* ---- IRQL ------------------------------------------------------------------------------ */
typedef UCHAR KIRQL;
typedef KIRQL *PKIRQL;
#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define CMCI_LEVEL 5
#define SYNCH_LEVEL 12 /* x64 */
#define CLOCK_LEVEL 13
#define IPI_LEVEL 14
#define POWER_LEVEL 14
#define PROFILE_LEVEL 15
#define HIGH_LEVEL 15

typedef ULONG_PTR KSPIN_LOCK;
typedef KSPIN_LOCK *PKSPIN_LOCK;

/* ---- Modes, wait types, reasons -------------------------------------------------------- */
typedef CCHAR KPROCESSOR_MODE;
typedef enum _MODE { KernelMode, UserMode, MaximumMode } MODE;

typedef enum _WAIT_TYPE { WaitAll, WaitAny, WaitNotification, WaitDequeue, WaitDpc } WAIT_TYPE;

typedef enum _KWAIT_REASON {
    Executive,
    FreePage,
    PageIn,
    PoolAllocation,
    DelayExecution,
    Suspended,
    UserRequest,
    WrExecutive,
    WrFreePage,
    WrPageIn,
    WrPoolAllocation,
    WrDelayExecution,
    WrSuspended,
    WrUserRequest,
    WrEventPair,
    WrQueue,
    WrLpcReceive,
    WrLpcReply,
    WrVirtualMemory,
    WrPageOut,
    WrRendezvous,
    WrKeyedEvent,
    WrTerminated,
    WrProcessInSwap,
    WrCpuRateControl,
    WrCalloutStack,
    WrKernel,
    WrResource,
    WrPushLock,
    WrMutex,
    WrQuantumEnd,
    WrDispatchInt,
    WrPreempted,
    WrYieldExecution,
    WrFastMutex,
    WrGuardedMutex,
    WrRundown,
    WrAlertByThreadId,
    WrDeferredPreempt,
    MaximumWaitReason
} KWAIT_REASON;

typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
typedef enum _TIMER_TYPE { NotificationTimer, SynchronizationTimer } TIMER_TYPE;

typedef LONG KPRIORITY;
#define IO_NO_INCREMENT 0
#define EVENT_INCREMENT 1
#define SEMAPHORE_INCREMENT 1
#define MUTANT_INCREMENT 1

/* ---- Dispatcher objects ------------------------------------------------------------------
 * Type holds the kernel's object type, as code that reads it expects (the values of the
 * kernel's KOBJECTS: events 0 and 1, mutants and KMUTEX 2, semaphores 5, threads 6, timers 8
 * and 9).
 * HhKind is the harness's own kind (HH_OBJECT_* below), which the engine reads and writes
 * with the other fields; a routine only passes the objects to the Ke routines. */
#define HH_OBJECT_NONE 0
#define HH_OBJECT_NOTIFICATION_EVENT 1
#define HH_OBJECT_SYNCHRONIZATION_EVENT 2
#define HH_OBJECT_MUTEX 3
#define HH_OBJECT_MUTANT 4
#define HH_OBJECT_SEMAPHORE 5
#define HH_OBJECT_NOTIFICATION_TIMER 6
#define HH_OBJECT_SYNCHRONIZATION_TIMER 7
/* A thread (KTHREAD/ETHREAD): signaled once it ended. 8 is the engine's own (a wait timer). */
#define HH_OBJECT_THREAD 9

typedef struct _DISPATCHER_HEADER {
    UCHAR Type;         /* the kernel's object type */
    UCHAR Abandoned;    /* mutants: the owner ended holding it */
    UCHAR Inserted;     /* timers: queued on the harness timer queue */
    UCHAR WaitListHint; /* nonzero while the worker has this object in a blocked wait */
    LONG SignalState;
    UCHAR HhKind;       /* HH_OBJECT_*: 0 for memory no KeInitializeXxx has made an object */
} DISPATCHER_HEADER;

typedef struct _KTHREAD KTHREAD, *PKTHREAD, *PRKTHREAD;
typedef struct _KTHREAD ETHREAD, *PETHREAD;

typedef struct _KEVENT {
    DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT, *PRKEVENT;

typedef struct _KMUTANT {
    DISPATCHER_HEADER Header;
    PKTHREAD OwnerThread;
    LIST_ENTRY MutantListEntry; /* reserved for the harness */
    UCHAR ApcDisable;           /* nonzero for a KMUTEX */
} KMUTANT, *PKMUTANT, *PRKMUTANT, KMUTEX, *PKMUTEX, *PRKMUTEX;

typedef struct _KSEMAPHORE {
    DISPATCHER_HEADER Header;
    LONG Limit;
} KSEMAPHORE, *PKSEMAPHORE, *PRKSEMAPHORE;

#include "wdm_dpc.h" /* KDPC, IO_WORKITEM */

typedef struct _KTIMER {
    DISPATCHER_HEADER Header;
    ULARGE_INTEGER DueTime; /* interrupt time, 100 ns units */
    LONG Period;            /* milliseconds; 0 = one-shot */
    PKDPC Dpc;
    ULONG64 Sequence;       /* arm order: equal due times fire in this order */
    ULONG QueueIndex;       /* position in the harness timer queue */
} KTIMER, *PKTIMER, *PRKTIMER;

typedef struct _KWAIT_BLOCK {
    PVOID Object;
    USHORT WaitKey;
    UCHAR WaitType;
    UCHAR Reserved;
} KWAIT_BLOCK, *PKWAIT_BLOCK, *PRKWAIT_BLOCK;

/* ---- The hot-swap worker --------------------------------------------------------------- */
typedef BOOLEAN DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE(PVOID WorkerContext, NTSTATUS WaitStatus);
typedef DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE *PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE;

/* Field names, order and by-value Timeout as the WDK header declares them (sic: Altertable). */
typedef struct _DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT {
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE WorkerRoutine;
    PVOID Context;
    WAIT_TYPE WaitType;
    KWAIT_REASON WaitReason;
    KPROCESSOR_MODE WaitMode;
    BOOLEAN Altertable;
    BOOLEAN HasTimeout;
    LARGE_INTEGER Timeout;
    ULONG EventCount;
    /* A literal 1, not ANYSIZE_ARRAY: clang exempts a trailing [1] array from -Warray-bounds
     * only when its size is not a macro, so Events[1] = &Stop compiles as with the WDK. */
    PKEVENT Events[1];
} DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT,
    *PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT;

/* ---- Events ---------------------------------------------------------------------------- */
HH_API VOID KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
HH_API LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
HH_API LONG KeResetEvent(PRKEVENT Event);
HH_API VOID KeClearEvent(PRKEVENT Event);
HH_API LONG KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
HH_API LONG KeReadStateEvent(PRKEVENT Event);

/* ---- Mutexes (KMUTEX; also releases mutants handed in by a scenario) ------------------- */
HH_API VOID KeInitializeMutex(PRKMUTEX Mutex, ULONG Level);
HH_API LONG KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait);
HH_API LONG KeReadStateMutex(PRKMUTEX Mutex);

/* ---- Semaphores ------------------------------------------------------------------------ */
HH_API VOID KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit);
HH_API LONG KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment,
                               BOOLEAN Wait);
HH_API LONG KeReadStateSemaphore(PRKSEMAPHORE Semaphore);

/* ---- Timers (DPCs: wdm_dpc.h) ------------------------------------------------------- */
HH_API VOID KeInitializeTimer(PKTIMER Timer);
HH_API VOID KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type);
HH_API BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc);
HH_API BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc);
HH_API BOOLEAN KeCancelTimer(PKTIMER Timer);
HH_API BOOLEAN KeReadStateTimer(PKTIMER Timer);

/* ---- Waits ----------------------------------------------------------------------------- */
HH_API NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
                                      KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                      PLARGE_INTEGER Timeout);
HH_API NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                         KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                         BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                         PKWAIT_BLOCK WaitBlockArray);
HH_API NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                       PLARGE_INTEGER Interval);
#define KeWaitForMutexObject KeWaitForSingleObject

/* ---- Threads and time ------------------------------------------------------------------ */
HH_API PKTHREAD KeGetCurrentThread(void);
HH_API PETHREAD PsGetCurrentThread(void);
HH_API VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime);
HH_API VOID KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
HH_API ULONGLONG KeQueryInterruptTime(void);
HH_API ULONGLONG KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp);
HH_API VOID KeQueryTickCount(PLARGE_INTEGER TickCount);
HH_API ULONG KeQueryTimeIncrement(void);
HH_API LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency);
/* Busy-waits MicroSeconds of real time under `run --clock real`; returns at once under the
 * virtual clock, which stands still while the routine runs. */
HH_API VOID KeStallExecutionProcessor(ULONG MicroSeconds);

/* ---- IRQL and spin locks --------------------------------------------------------------- */
HH_API KIRQL KeGetCurrentIrql(void);
HH_API KIRQL KfRaiseIrql(KIRQL NewIrql);
HH_API VOID KeLowerIrql(KIRQL NewIrql);
HH_API KIRQL KeRaiseIrqlToDpcLevel(void);
#define KeRaiseIrql(NewIrql, OldIrql) (*(OldIrql) = KfRaiseIrql(NewIrql))
HH_API VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
HH_API KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock);
HH_API VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);
HH_API VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
HH_API VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);
#define KeAcquireSpinLock(SpinLock, OldIrql) (*(OldIrql) = KeAcquireSpinLockRaiseToDpc(SpinLock))

/* ---- Pool ------------------------------------------------------------------------------ */
typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_USE_QUOTA 0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED 0x0000000000000002ULL
#define POOL_FLAG_SESSION 0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED 0x0000000000000008ULL
#define POOL_FLAG_RAISE_ON_FAILURE 0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED 0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE 0x0000000000000080ULL
#define POOL_FLAG_PAGED 0x0000000000000100ULL

typedef enum _POOL_TYPE {
    NonPagedPool = 0,
    NonPagedPoolExecute = 0,
    PagedPool = 1,
    NonPagedPoolMustSucceed = 2,
    NonPagedPoolCacheAligned = 4,
    PagedPoolCacheAligned = 5,
    NonPagedPoolNx = 512,
    NonPagedPoolNxCacheAligned = 516
} POOL_TYPE;

HH_API PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
HH_API PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
HH_API PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
HH_API VOID ExFreePool(PVOID P);
HH_API VOID ExFreePoolWithTag(PVOID P, ULONG Tag);

/* The same routines with the caller's source position, so that a leak report names the line
 * that allocated. The macros keep driver source unchanged. File is a string that stays as it
 * is while the module is loaded (the macros' __FILE__): the pool knows a site by its pointer. */
HH_API PVOID HhExAllocatePool2At(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag,
                                 const char *File, int Line);
HH_API PVOID HhExAllocatePoolWithTagAt(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                       const char *File, int Line);
HH_API PVOID HhExAllocatePoolZeroAt(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                    const char *File, int Line);
HH_API VOID HhExFreePoolAt(PVOID P, const char *File, int Line);
HH_API VOID HhExFreePoolWithTagAt(PVOID P, ULONG Tag, const char *File, int Line);
#ifndef HOTSWAP_NO_POOL_SITES
#define ExAllocatePool2(f, n, t) HhExAllocatePool2At((f), (n), (t), __FILE__, __LINE__)
#define ExAllocatePoolWithTag(p, n, t) HhExAllocatePoolWithTagAt((p), (n), (t), __FILE__, __LINE__)
#define ExAllocatePoolZero(p, n, t) HhExAllocatePoolZeroAt((p), (n), (t), __FILE__, __LINE__)
#define ExFreePool(p) HhExFreePoolAt((p), __FILE__, __LINE__)
#define ExFreePoolWithTag(p, t) HhExFreePoolWithTagAt((p), (t), __FILE__, __LINE__)
#endif

/* ---- Interlocked ----------------------------------------------------------------------- */
HH_API LONG InterlockedIncrement(LONG volatile *Addend);
HH_API LONG InterlockedDecrement(LONG volatile *Addend);
HH_API LONG InterlockedExchange(LONG volatile *Target, LONG Value);
HH_API LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value);
HH_API LONG InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comparand);
HH_API LONG InterlockedOr(LONG volatile *Destination, LONG Value);
HH_API LONG InterlockedAnd(LONG volatile *Destination, LONG Value);
HH_API LONG InterlockedXor(LONG volatile *Destination, LONG Value);
HH_API LONG64 InterlockedIncrement64(LONG64 volatile *Addend);
HH_API LONG64 InterlockedDecrement64(LONG64 volatile *Addend);
HH_API LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value);
HH_API LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value);
HH_API LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 Exchange,
                                           LONG64 Comparand);
HH_API PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value);
HH_API PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange,
                                               PVOID Comparand);

/* ---- Debug output (captured per invocation) -------------------------------------------- */
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3
#define DPFLTR_IHVDRIVER_ID 77
#define DPFLTR_DEFAULT_ID 101
/* Formatted as the kernel formats, on every host (LLP64: %lx is 32 bits; %I64x, %Ix, %wZ, %Z,
 * %ws, %S, ...), so no compiler format attribute: gcc's and clang's would check LP64 rules. */
HH_API ULONG DbgPrint(PCSTR Format, ...);
HH_API ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
HH_API ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, va_list arglist);
HH_API ULONG vDbgPrintExWithPrefix(PCSTR Prefix, ULONG ComponentId, ULONG Level, PCSTR Format,
                                   va_list arglist);
#define KdPrint(args) DbgPrint args
#define KdPrintEx(args) DbgPrintEx args

/* ---- Bug checks ------------------------------------------------------------------------ */
HH_API DECLSPEC_NORETURN VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2,
                                           ULONG_PTR P3, ULONG_PTR P4) HH_NORETURN_ATTR;
HH_API DECLSPEC_NORETURN VOID KeBugCheck(ULONG BugCheckCode) HH_NORETURN_ATTR;

#define IRQL_NOT_GREATER_OR_EQUAL 0x00000009
#define IRQL_NOT_LESS_OR_EQUAL 0x0000000A
#define MAXIMUM_WAIT_OBJECTS_EXCEEDED 0x0000000C
#define SPIN_LOCK_ALREADY_OWNED 0x0000000F
#define SPIN_LOCK_NOT_OWNED 0x00000010
#define KERNEL_APC_PENDING_DURING_EXIT 0x00000020
#define WORKER_THREAD_RETURNED_AT_BAD_IRQL 0x000000E1
#define WORKER_INVALID 0x000000E4
#define BAD_POOL_CALLER 0x000000C2
#define THREAD_TERMINATE_HELD_MUTEX 0x4000008A

/* ---- The rest, one part per file ------------------------------------------------------ */
#include <hotswap/wdm_string.h> /* UNICODE_STRING, ANSI_STRING and their Rtl routines */
#include <hotswap/wdm_rtl.h>  /* structure macros, ASSERT, __fastfail, Rtl*Memory */
#include <hotswap/wdm_list.h> /* LIST_ENTRY, SINGLE_LIST_ENTRY and SLIST routines */
#include <hotswap/wdm_pool.h> /* PAGE_SIZE, quota, lookaside lists */
#include <hotswap/wdm_interlocked.h> /* Acquire/Release forms, ExInterlocked arithmetic */
#include <hotswap/wdm_thread.h> /* thread ids, priorities, KeMemoryBarrier */

#ifdef __cplusplus
}
#endif

/* The sub-headers: each group of DDIs in a file of its own. */
#include <hotswap/wdm_lock.h>
#include <hotswap/wdm_proxy.h> /* Driver Hot Swap: extension, endpoints, wrappers, worker */
#include <hotswap/wdm_object.h> /* handles, object references, system threads */

#endif
