/* <hotswap/wdm_lock.h> - the locks of wdm.h beyond KSPIN_LOCK and KMUTEX: in-stack queued
 * spin locks, SYNCH_LEVEL, critical and guarded regions, mutants, fast and guarded mutexes,
 * executive resources and push locks. Included by <hotswap/wdm.h>; not used alone.
 *
 * Semantics are the kernel's (docs/semantics.md, "Locks"). Layouts are the harness's own: the
 * fields a driver never touches hold what the harness needs to name a lock's owner and the
 * source line that took it. The acquire routines are macros that pass __FILE__/__LINE__, as
 * the pool routines do; define HOTSWAP_NO_LOCK_SITES to call the plain functions.
 */
#ifndef HOTSWAP_WDM_LOCK_H
#define HOTSWAP_WDM_LOCK_H

#ifndef HOTSWAP_WDM_H
#error "include <hotswap/wdm.h>, not <hotswap/wdm_lock.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* x64: IPI_LEVEL - 2, the IRQL the dispatcher lock is held at. */
#ifndef SYNCH_LEVEL
#define SYNCH_LEVEL 12
#endif

/* ---- In-stack queued spin locks and the rest of the spin-lock family ------------------- */
typedef struct _KSPIN_LOCK_QUEUE {
    struct _KSPIN_LOCK_QUEUE *volatile Next;
    PKSPIN_LOCK volatile Lock;
} KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;

typedef struct _KLOCK_QUEUE_HANDLE {
    KSPIN_LOCK_QUEUE LockQueue;
    KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

HH_API VOID KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle);
HH_API VOID KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle);
HH_API VOID KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
                                                     PKLOCK_QUEUE_HANDLE LockHandle);
HH_API VOID KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle);
HH_API VOID KeAcquireInStackQueuedSpinLockForDpc(PKSPIN_LOCK SpinLock,
                                                 PKLOCK_QUEUE_HANDLE LockHandle);
HH_API VOID KeReleaseInStackQueuedSpinLockForDpc(PKLOCK_QUEUE_HANDLE LockHandle);
HH_API BOOLEAN KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
HH_API BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock);
HH_API KIRQL KeRaiseIrqlToSynchLevel(void);
HH_API KIRQL KeAcquireSpinLockRaiseToSynch(PKSPIN_LOCK SpinLock);

/* ---- Critical and guarded regions ------------------------------------------------------ */
HH_API VOID KeEnterCriticalRegion(void);
HH_API VOID KeLeaveCriticalRegion(void);
HH_API VOID KeEnterGuardedRegion(void);
HH_API VOID KeLeaveGuardedRegion(void);
HH_API BOOLEAN KeAreApcsDisabled(void);
HH_API BOOLEAN KeAreAllApcsDisabled(void);
HH_API VOID HhKeEnterCriticalRegionAt(const char *File, int Line);
HH_API VOID HhKeEnterGuardedRegionAt(const char *File, int Line);

/* ---- Mutants (a KMUTEX is a mutant that disables normal kernel APCs) ------------------- */
HH_API VOID KeInitializeMutant(PRKMUTANT Mutant, BOOLEAN InitialOwner);
HH_API LONG KeReleaseMutant(PRKMUTANT Mutant, KPRIORITY Increment, BOOLEAN Abandon,
                            BOOLEAN Wait);
HH_API LONG KeReadStateMutant(PRKMUTANT Mutant);

/* ---- Fast mutexes and guarded mutexes (one object, as in the kernel since Windows 8) --- */
typedef struct _FAST_MUTEX {
    LONG Count;       /* 1 free, 0 held, -n held with n threads waiting */
    PKTHREAD Owner;
    ULONG Contention; /* how many acquires had to wait */
    KEVENT Event;     /* synchronization event the waiters block on */
    ULONG OldIrql;    /* ExAcquireFastMutex: the IRQL ExReleaseFastMutex restores */
    ULONG HhMagic;    /* set by the initializer: a lock never initialized is a finding */
} FAST_MUTEX, *PFAST_MUTEX, KGUARDED_MUTEX, *PKGUARDED_MUTEX;

HH_API VOID ExInitializeFastMutex(PFAST_MUTEX FastMutex);
HH_API VOID ExAcquireFastMutex(PFAST_MUTEX FastMutex);
HH_API VOID ExReleaseFastMutex(PFAST_MUTEX FastMutex);
HH_API VOID ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex);
HH_API VOID ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex);
HH_API BOOLEAN ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex);
HH_API VOID KeInitializeGuardedMutex(PKGUARDED_MUTEX Mutex);
HH_API VOID KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex);
HH_API VOID KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex);
HH_API VOID KeAcquireGuardedMutexUnsafe(PKGUARDED_MUTEX Mutex);
HH_API VOID KeReleaseGuardedMutexUnsafe(PKGUARDED_MUTEX Mutex);
HH_API BOOLEAN KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex);
HH_API VOID HhExAcquireFastMutexAt(PFAST_MUTEX FastMutex, const char *File, int Line);
HH_API VOID HhExAcquireFastMutexUnsafeAt(PFAST_MUTEX FastMutex, const char *File, int Line);
HH_API BOOLEAN HhExTryToAcquireFastMutexAt(PFAST_MUTEX FastMutex, const char *File, int Line);
HH_API VOID HhKeAcquireGuardedMutexAt(PKGUARDED_MUTEX Mutex, const char *File, int Line);
HH_API VOID HhKeAcquireGuardedMutexUnsafeAt(PKGUARDED_MUTEX Mutex, const char *File, int Line);
HH_API BOOLEAN HhKeTryToAcquireGuardedMutexAt(PKGUARDED_MUTEX Mutex, const char *File, int Line);

/* ---- Executive resources --------------------------------------------------------------- */
typedef ULONG_PTR ERESOURCE_THREAD, *PERESOURCE_THREAD;

typedef struct _OWNER_ENTRY {
    ERESOURCE_THREAD OwnerThread;
    ULONG OwnerCount;
} OWNER_ENTRY, *POWNER_ENTRY;

#define ResourceNeverExclusive 0x0010
#define ResourceReleaseByOtherThread 0x0020
#define ResourceOwnedExclusive 0x0080

/* Owners that can hold one resource shared at once; more is a harness limit (a clear error). */
#define HH_RESOURCE_OWNERS 8

typedef struct _ERESOURCE {
    USHORT Flag;                    /* ResourceOwnedExclusive while held exclusively */
    USHORT ActiveEntries;           /* owner entries in use */
    ULONG NumberOfSharedWaiters;
    ULONG NumberOfExclusiveWaiters;
    KSEMAPHORE SharedWaiters;       /* shared waiters block here; a grant releases them */
    KEVENT ExclusiveWaiters;        /* synchronization event: one exclusive waiter per grant */
    OWNER_ENTRY OwnerTable[HH_RESOURCE_OWNERS]; /* [0] is the owner while exclusive */
    ULONG ContentionCount;
    ULONG HhMagic;
} ERESOURCE, *PERESOURCE;

#define ExGetCurrentResourceThread() ((ERESOURCE_THREAD)PsGetCurrentThread())
#define ExIsResourceAcquiredLite ExIsResourceAcquiredSharedLite

HH_API NTSTATUS ExInitializeResourceLite(PERESOURCE Resource);
HH_API NTSTATUS ExReinitializeResourceLite(PERESOURCE Resource);
HH_API NTSTATUS ExDeleteResourceLite(PERESOURCE Resource);
HH_API BOOLEAN ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait);
HH_API BOOLEAN ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait);
HH_API BOOLEAN ExAcquireSharedStarveExclusive(PERESOURCE Resource, BOOLEAN Wait);
HH_API BOOLEAN ExAcquireSharedWaitForExclusive(PERESOURCE Resource, BOOLEAN Wait);
HH_API VOID ExReleaseResourceLite(PERESOURCE Resource);
HH_API VOID ExReleaseResourceForThreadLite(PERESOURCE Resource,
                                           ERESOURCE_THREAD ResourceThreadId);
HH_API VOID ExConvertExclusiveToSharedLite(PERESOURCE Resource);
HH_API VOID ExSetResourceOwnerPointer(PERESOURCE Resource, PVOID OwnerPointer);
HH_API BOOLEAN ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource);
HH_API ULONG ExIsResourceAcquiredSharedLite(PERESOURCE Resource);
HH_API ULONG ExGetExclusiveWaiterCount(PERESOURCE Resource);
HH_API ULONG ExGetSharedWaiterCount(PERESOURCE Resource);
HH_API BOOLEAN HhExAcquireResourceAt(PERESOURCE Resource, BOOLEAN Wait, int How,
                                     const char *File, int Line);
/* How, for HhExAcquireResourceAt */
#define HH_RESOURCE_EXCLUSIVE 0
#define HH_RESOURCE_SHARED 1
#define HH_RESOURCE_STARVE_EXCLUSIVE 2
#define HH_RESOURCE_WAIT_FOR_EXCLUSIVE 3

/* ---- Push locks (Windows 10 1809 and later): reader/writer, not recursive -------------- */
typedef struct _EX_PUSH_LOCK {
    ERESOURCE HhLock; /* the harness models a push lock on the resource's owner table */
} EX_PUSH_LOCK, *PEX_PUSH_LOCK;

#define EX_DEFAULT_PUSH_LOCK_FLAGS 0

HH_API VOID ExInitializePushLock(PEX_PUSH_LOCK PushLock);
HH_API VOID ExAcquirePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags);
HH_API VOID ExAcquirePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags);
HH_API BOOLEAN ExTryAcquirePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags);
HH_API BOOLEAN ExTryAcquirePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags);
HH_API VOID ExReleasePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags);
HH_API VOID ExReleasePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags);
HH_API VOID HhExAcquirePushLockAt(PEX_PUSH_LOCK PushLock, int Shared, const char *File,
                                  int Line);
#define ExTryAcquirePushLockExclusive(Lock)                                                   \
    ExTryAcquirePushLockExclusiveEx((Lock), EX_DEFAULT_PUSH_LOCK_FLAGS)
#define ExTryAcquirePushLockShared(Lock)                                                      \
    ExTryAcquirePushLockSharedEx((Lock), EX_DEFAULT_PUSH_LOCK_FLAGS)
#define ExReleasePushLockExclusive(Lock)                                                      \
    ExReleasePushLockExclusiveEx((Lock), EX_DEFAULT_PUSH_LOCK_FLAGS)
#define ExReleasePushLockShared(Lock) ExReleasePushLockSharedEx((Lock), EX_DEFAULT_PUSH_LOCK_FLAGS)

#ifdef HOTSWAP_NO_LOCK_SITES
#define ExAcquirePushLockExclusive(Lock)                                                      \
    ExAcquirePushLockExclusiveEx((Lock), EX_DEFAULT_PUSH_LOCK_FLAGS)
#define ExAcquirePushLockShared(Lock) ExAcquirePushLockSharedEx((Lock), EX_DEFAULT_PUSH_LOCK_FLAGS)
#else
#define ExAcquirePushLockExclusive(Lock) HhExAcquirePushLockAt((Lock), 0, __FILE__, __LINE__)
#define ExAcquirePushLockShared(Lock) HhExAcquirePushLockAt((Lock), 1, __FILE__, __LINE__)
#define KeEnterCriticalRegion() HhKeEnterCriticalRegionAt(__FILE__, __LINE__)
#define KeEnterGuardedRegion() HhKeEnterGuardedRegionAt(__FILE__, __LINE__)
#define ExAcquireFastMutex(m) HhExAcquireFastMutexAt((m), __FILE__, __LINE__)
#define ExAcquireFastMutexUnsafe(m) HhExAcquireFastMutexUnsafeAt((m), __FILE__, __LINE__)
#define ExTryToAcquireFastMutex(m) HhExTryToAcquireFastMutexAt((m), __FILE__, __LINE__)
#define KeAcquireGuardedMutex(m) HhKeAcquireGuardedMutexAt((m), __FILE__, __LINE__)
#define KeAcquireGuardedMutexUnsafe(m) HhKeAcquireGuardedMutexUnsafeAt((m), __FILE__, __LINE__)
#define KeTryToAcquireGuardedMutex(m) HhKeTryToAcquireGuardedMutexAt((m), __FILE__, __LINE__)
#define ExAcquireResourceExclusiveLite(r, w)                                                  \
    HhExAcquireResourceAt((r), (w), HH_RESOURCE_EXCLUSIVE, __FILE__, __LINE__)
#define ExAcquireResourceSharedLite(r, w)                                                     \
    HhExAcquireResourceAt((r), (w), HH_RESOURCE_SHARED, __FILE__, __LINE__)
#define ExAcquireSharedStarveExclusive(r, w)                                                  \
    HhExAcquireResourceAt((r), (w), HH_RESOURCE_STARVE_EXCLUSIVE, __FILE__, __LINE__)
#define ExAcquireSharedWaitForExclusive(r, w)                                                 \
    HhExAcquireResourceAt((r), (w), HH_RESOURCE_WAIT_FOR_EXCLUSIVE, __FILE__, __LINE__)
#endif

#ifdef __cplusplus
}
#endif

#endif
