/* ke_spinlock_ext.c - the spin-lock family beyond KeAcquireSpinLock: in-stack queued spin
 * locks (and their ForDpc forms), KeTryToAcquireSpinLockAtDpcLevel, KeTestSpinLock and the
 * SYNCH_LEVEL forms.
 *
 * A queued spin lock is the same KSPIN_LOCK taken through a handle on the caller's stack; the
 * ownership, bug checks and held-at-return rule are those of irql.c. The handle records the
 * lock and the IRQL to restore, as the kernel's does.
 */
#include "shim.h"

/* The handle's lock, or rule "spinlock" when the handle was never filled by an acquire. */
static PKSPIN_LOCK handle_lock(struct hh_engine *e, const char *routine,
                               PKLOCK_QUEUE_HANDLE handle)
{
    if (!handle || !handle->LockQueue.Lock)
        hh_engine_abort(e, HH_RULE_SPINLOCK,
                        "%s with a KLOCK_QUEUE_HANDLE that no in-stack acquire filled: pass "
                        "the handle the acquire was given",
                        routine);
    return handle->LockQueue.Lock;
}

/* Takes the lock through the handle at DISPATCH_LEVEL; `raise` saves the old IRQL first. */
static void acquire_queued(const char *routine, PKSPIN_LOCK lock, PKLOCK_QUEUE_HANDLE handle,
                           int raise)
{
    struct hh_engine *e = hh_shim_enter(routine);
    KIRQL old = e->current->irql;
    if (raise)
        hh_shim_require_irql(e, routine, DISPATCH_LEVEL);
    else
        hh_shim_require_dispatch(e, routine);
    hh_shim_spin_take(e, routine, lock);
    handle->LockQueue.Next = NULL;
    handle->LockQueue.Lock = lock;
    handle->OldIrql = old;
    e->current->irql = DISPATCH_LEVEL;
    hh_shim_leave(e);
}

static void release_queued(const char *routine, PKLOCK_QUEUE_HANDLE handle, int lower)
{
    struct hh_engine *e = hh_shim_enter(routine);
    PKSPIN_LOCK lock = handle_lock(e, routine, handle);
    hh_shim_require_dispatch(e, routine);
    hh_shim_spin_give(e, routine, lock);
    handle->LockQueue.Lock = NULL; /* a second release of the same handle is caught */
    if (lower)
        hh_shim_lower(e, routine, handle->OldIrql); /* leaves */
    else
        hh_shim_leave(e);
}

VOID KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
    acquire_queued("KeAcquireInStackQueuedSpinLock", SpinLock, LockHandle, 1);
}

VOID KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle)
{
    release_queued("KeReleaseInStackQueuedSpinLock", LockHandle, 1);
}

VOID KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
                                              PKLOCK_QUEUE_HANDLE LockHandle)
{
    acquire_queued("KeAcquireInStackQueuedSpinLockAtDpcLevel", SpinLock, LockHandle, 0);
}

VOID KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle)
{
    release_queued("KeReleaseInStackQueuedSpinLockFromDpcLevel", LockHandle, 0);
}

/* The ForDpc forms raise to DISPATCH_LEVEL when the caller is below it (a threaded DPC) and
 * restore the IRQL they found: the same as the plain forms at any IRQL <= DISPATCH_LEVEL. */
VOID KeAcquireInStackQueuedSpinLockForDpc(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
    acquire_queued("KeAcquireInStackQueuedSpinLockForDpc", SpinLock, LockHandle, 1);
}

VOID KeReleaseInStackQueuedSpinLockForDpc(PKLOCK_QUEUE_HANDLE LockHandle)
{
    release_queued("KeReleaseInStackQueuedSpinLockForDpc", LockHandle, 1);
}

BOOLEAN KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    struct hh_engine *e = hh_shim_enter("KeTryToAcquireSpinLockAtDpcLevel");
    hh_shim_require_dispatch(e, "KeTryToAcquireSpinLockAtDpcLevel");
    if (*SpinLock != 0) { /* held, by anyone: the kernel returns FALSE without spinning */
        hh_shim_leave(e);
        return FALSE;
    }
    hh_shim_spin_take(e, "KeTryToAcquireSpinLockAtDpcLevel", SpinLock);
    hh_shim_leave(e);
    return TRUE;
}

BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock)
{
    struct hh_engine *e = hh_shim_enter("KeTestSpinLock");
    BOOLEAN free_now = *SpinLock == 0;
    hh_shim_leave(e);
    return free_now;
}

KIRQL KeRaiseIrqlToSynchLevel(void)
{
    return hh_shim_raise(hh_shim_enter("KeRaiseIrqlToSynchLevel"), "KeRaiseIrqlToSynchLevel",
                         SYNCH_LEVEL);
}

KIRQL KeAcquireSpinLockRaiseToSynch(PKSPIN_LOCK SpinLock)
{
    return hh_shim_spin_take_raising("KeAcquireSpinLockRaiseToSynch", SpinLock, SYNCH_LEVEL);
}
