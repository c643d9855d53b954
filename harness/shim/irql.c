/* irql.c - the running thread's IRQL, spin locks and KeBugCheck(Ex).
 *
 * Raising to a lower IRQL, lowering to a higher one, taking a spin lock twice or releasing
 * one that is not held end the run under the rule the kernel's bug check matches. A held
 * spin lock stores its owner's KTHREAD pointer with the low bit set, so ownership needs no
 * side table; the thread's spinlocks count lets the engine check what is held at return.
 */
#include <stdio.h>

#include "pool.h"
#include "shim.h"
#include "explore/strategy.h"

#define LOCK_HELD_BIT ((ULONG_PTR)1)

/* ---- IRQL ------------------------------------------------------------------------------ */
KIRQL KeGetCurrentIrql(void)
{
    struct hh_engine *e = hh_shim_enter("KeGetCurrentIrql");
    KIRQL irql = e->current->irql;
    hh_shim_leave(e);
    return irql;
}

KIRQL hh_shim_raise(struct hh_engine *e, const char *routine, KIRQL irql)
{
    char to[24], at[24];
    KIRQL old = e->current->irql;
    if (irql > HIGH_LEVEL)
        hh_engine_abort(e, HH_RULE_IRQL, "%s(%u): not an IRQL (HIGH_LEVEL, 15, is the highest)",
                        routine, (unsigned)irql);
    if (irql < old)
        hh_engine_abort(e, HH_RULE_IRQL,
                        "%s to %s while at %s raises to a lower IRQL: its documentation says "
                        "a bug check occurs (IRQL_NOT_GREATER_OR_EQUAL, 0x9); the x64 inline "
                        "form only asserts it in debug builds and Driver Verifier stops it "
                        "(0xC4, 0x30), else the IRQL silently drops",
                        routine, hh_irql_name(irql, to, sizeof(to)),
                        hh_irql_name(old, at, sizeof(at)));
    e->current->irql = irql;
    hh_shim_leave(e);
    return old;
}

void hh_shim_lower(struct hh_engine *e, const char *routine, KIRQL irql)
{
    char to[24], at[24];
    if (irql > e->current->irql)
        hh_engine_abort(e, HH_RULE_IRQL,
                        "%s to %s while at %s lowers to a higher IRQL, which its documentation "
                        "calls a fatal error: Driver Verifier stops it (0xC4, 0x31), else the "
                        "processor runs on at the wrong IRQL",
                        routine, hh_irql_name(irql, to, sizeof(to)),
                        hh_irql_name(e->current->irql, at, sizeof(at)));
    e->current->irql = irql;
    hh_shim_leave(e);
}

KIRQL KfRaiseIrql(KIRQL NewIrql)
{
    return hh_shim_raise(hh_shim_enter("KeRaiseIrql"), "KeRaiseIrql", NewIrql);
}

KIRQL KeRaiseIrqlToDpcLevel(void)
{
    return hh_shim_raise(hh_shim_enter("KeRaiseIrqlToDpcLevel"), "KeRaiseIrqlToDpcLevel",
                    DISPATCH_LEVEL);
}

VOID KeLowerIrql(KIRQL NewIrql)
{
    hh_shim_lower(hh_shim_enter("KeLowerIrql"), "KeLowerIrql", NewIrql);
}

/* ---- Spin locks ------------------------------------------------------------------------ */
static PKTHREAD lock_owner(struct hh_engine *e, KSPIN_LOCK value)
{
    PKTHREAD t;
    if (!(value & LOCK_HELD_BIT))
        return NULL;
    for (t = e->threads; t; t = t->next) {
        if (((ULONG_PTR)t | LOCK_HELD_BIT) == value)
            return t;
    }
    return NULL;
}

/* A sentence on who holds a lock: "it is free", "thread worker holds it", or garbage. */
static const char *holder_text(struct hh_engine *e, KSPIN_LOCK value, char *buf, size_t len)
{
    PKTHREAD owner = lock_owner(e, value);
    if (value == 0)
        snprintf(buf, len, "it is free");
    else if (owner)
        snprintf(buf, len, "thread %s holds it", owner->name);
    else
        snprintf(buf, len, "it holds 0x%llx, which no acquire wrote: was it initialized with "
                 "KeInitializeSpinLock?", (unsigned long long)value);
    return buf;
}

/* Whether the thread holding a spin lock is running, so that a real-clock spinner on another
 * thread sees it released: the worker inside its routine, or a DPC (or raised code) on the
 * scenario's thread. Under the virtual clock only one thread runs at a time. */
static int holder_runs(const struct hh_engine *e, PKTHREAD owner)
{
    if (!e->rt || e->failed)
        return 0;
    if (owner == e->worker)
        return e->state == HH_WORKER_RUNNING && !owner->blocked;
    return owner == e->driver && owner->irql >= DISPATCH_LEVEL;
}

/* "KeAcquireSpinLock(the lock at offset 8 in the block of 64 bytes, tag ...)", "...(the lock
 * at the global QueueLock (...))", or the address when the lock is in neither. */
static const char *call_text(struct hh_engine *e, const char *routine, PKSPIN_LOCK lock,
                             char *buf, size_t len)
{
    char where[400];
    if (hh_engine_describe_place(e, (const void *)lock, where, sizeof(where)))
        snprintf(buf, len, "%s(the lock at %s)", routine, where);
    else
        snprintf(buf, len, "%s(%p)", routine, (void *)lock);
    return buf;
}

/* The thread's list of held locks (the first HH_HELD_LOCKS_MAX), for the report of a routine
 * that returns with one still held. */
static void note_held(PKTHREAD t, PKSPIN_LOCK lock, const void *caller)
{
    if (t->spinlocks < HH_HELD_LOCKS_MAX) {
        t->held_locks[t->spinlocks].lock = lock;
        t->held_locks[t->spinlocks].caller = caller;
    }
    t->spinlocks++;
}

static void note_released(PKTHREAD t, PKSPIN_LOCK lock)
{
    unsigned i, n = t->spinlocks < HH_HELD_LOCKS_MAX ? t->spinlocks : HH_HELD_LOCKS_MAX;
    for (i = 0; i < n && t->held_locks[i].lock != lock; i++)
        ;
    for (; i + 1 < n; i++)
        t->held_locks[i] = t->held_locks[i + 1];
    t->spinlocks--;
}

void hh_shim_spin_take(struct hh_engine *e, const char *routine, PKSPIN_LOCK lock,
                       const void *caller)
{
    char holder[160], call[480];
    PKTHREAD owner = lock_owner(e, *lock);
    while (e->explore && *lock != 0 && owner && owner != e->current && hh__ex_on_thread(e)) {
        hh__ex_spin(e, lock); /* an explored thread spins: the holder runs meanwhile */
        owner = lock_owner(e, *lock);
    }
    while (*lock != 0 && owner && owner != e->current && holder_runs(e, owner)) {
        hh_engine_realtime_pause(e); /* spin, as the processor would, until it is released */
        owner = lock_owner(e, *lock);
    }
    if (*lock != 0 && owner == e->current)
        hh_engine_abort(e, HH_RULE_SPINLOCK,
                        "%s: thread %s already holds this spin lock and would spin forever, "
                        "hanging the processor (checked builds bug-check with "
                        "SPIN_LOCK_ALREADY_OWNED, 0xF)",
                        call_text(e, routine, lock, call, sizeof(call)), e->current->name);
    if (*lock != 0 && owner)
        hh_engine_abort(e, HH_RULE_DEADLOCK,
                        "%s: thread %s holds this spin lock and cannot run while thread %s "
                        "spins on it, so the processor would spin forever",
                        call_text(e, routine, lock, call, sizeof(call)), owner->name,
                        e->current->name);
    if (*lock != 0)
        hh_engine_abort(e, HH_RULE_SPINLOCK, "%s: %s",
                        call_text(e, routine, lock, call, sizeof(call)),
                        holder_text(e, *lock, holder, sizeof(holder)));
    *lock = (ULONG_PTR)e->current | LOCK_HELD_BIT;
    note_held(e->current, lock, caller);
}

void hh_shim_spin_give(struct hh_engine *e, const char *routine, PKSPIN_LOCK lock)
{
    char holder[160], call[480];
    if (*lock != ((ULONG_PTR)e->current | LOCK_HELD_BIT))
        hh_engine_abort(e, HH_RULE_SPINLOCK,
                        "%s releases a spin lock thread %s does not hold (%s): a free build "
                        "releases it under its holder, checked builds bug-check with "
                        "SPIN_LOCK_NOT_OWNED (0x10)",
                        call_text(e, routine, lock, call, sizeof(call)), e->current->name,
                        holder_text(e, *lock, holder, sizeof(holder)));
    *lock = 0;
    note_released(e->current, lock);
}

/* The ...AtDpcLevel forms do not raise: the caller must already be at DISPATCH_LEVEL. */
void hh_shim_require_dispatch(struct hh_engine *e, const char *routine)
{
    char at[24];
    if (e->current->irql < DISPATCH_LEVEL)
        hh_engine_abort(e, HH_RULE_IRQL,
                        "%s called at %s; it requires DISPATCH_LEVEL (use KeAcquireSpinLock, "
                        "or raise the IRQL first)",
                        routine, hh_irql_name(e->current->irql, at, sizeof(at)));
}

VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock)
{
    *SpinLock = 0;
}

KIRQL hh_shim_spin_take_raising(const char *routine, PKSPIN_LOCK lock, KIRQL level,
                                const void *caller)
{
    struct hh_engine *e = hh_shim_enter_on(routine, (const void *)lock, HH_EX_WRITE);
    KIRQL old = e->current->irql;
    hh_shim_require_irql(e, routine, level);
    hh_shim_spin_take(e, routine, lock, caller);
    e->current->irql = level;
    hh_shim_leave(e);
    return old;
}

KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock)
{
    return hh_shim_spin_take_raising("KeAcquireSpinLock", SpinLock, DISPATCH_LEVEL,
                                     HH_RETURN_ADDRESS());
}

VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    struct hh_engine *e = hh_shim_enter_on("KeReleaseSpinLock", (const void *)SpinLock,
                                           HH_EX_WRITE);
    hh_shim_spin_give(e, "KeReleaseSpinLock", SpinLock);
    hh_shim_lower(e, "KeReleaseSpinLock", NewIrql); /* leaves */
}

VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    struct hh_engine *e = hh_shim_enter_on("KeAcquireSpinLockAtDpcLevel", (const void *)SpinLock,
                                           HH_EX_WRITE);
    hh_shim_require_dispatch(e, "KeAcquireSpinLockAtDpcLevel");
    hh_shim_spin_take(e, "KeAcquireSpinLockAtDpcLevel", SpinLock, HH_RETURN_ADDRESS());
    hh_shim_leave(e);
}

VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
{
    struct hh_engine *e = hh_shim_enter_on("KeReleaseSpinLockFromDpcLevel",
                                           (const void *)SpinLock, HH_EX_WRITE);
    hh_shim_require_dispatch(e, "KeReleaseSpinLockFromDpcLevel");
    hh_shim_spin_give(e, "KeReleaseSpinLockFromDpcLevel", SpinLock);
    hh_shim_leave(e);
}

/* ---- Bug checks ------------------------------------------------------------------------ */
static const char *bugcheck_name(ULONG code)
{
    switch (code) {
    case IRQL_NOT_GREATER_OR_EQUAL:
        return " IRQL_NOT_GREATER_OR_EQUAL";
    case IRQL_NOT_LESS_OR_EQUAL:
        return " IRQL_NOT_LESS_OR_EQUAL";
    case MAXIMUM_WAIT_OBJECTS_EXCEEDED:
        return " MAXIMUM_WAIT_OBJECTS_EXCEEDED";
    case SPIN_LOCK_ALREADY_OWNED:
        return " SPIN_LOCK_ALREADY_OWNED";
    case SPIN_LOCK_NOT_OWNED:
        return " SPIN_LOCK_NOT_OWNED";
    case KERNEL_APC_PENDING_DURING_EXIT:
        return " KERNEL_APC_PENDING_DURING_EXIT";
    case BAD_POOL_CALLER:
        return " BAD_POOL_CALLER";
    case THREAD_TERMINATE_HELD_MUTEX:
        return " THREAD_TERMINATE_HELD_MUTEX";
    default:
        return "";
    }
}

VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    hh_engine_abort(hh_shim_enter("KeBugCheckEx"), HH_RULE_BUGCHECK,
                    "the routine called KeBugCheckEx(0x%08lX%s, 0x%llX, 0x%llX, 0x%llX, 0x%llX)",
                    (unsigned long)BugCheckCode, bugcheck_name(BugCheckCode),
                    (unsigned long long)P1, (unsigned long long)P2, (unsigned long long)P3,
                    (unsigned long long)P4);
}

VOID KeBugCheck(ULONG BugCheckCode)
{
    hh_engine_abort(hh_shim_enter("KeBugCheck"), HH_RULE_BUGCHECK,
                    "the routine called KeBugCheck(0x%08lX%s)", (unsigned long)BugCheckCode,
                    bugcheck_name(BugCheckCode));
}
