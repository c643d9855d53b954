/* ex_fast_mutex.c - FAST_MUTEX and KGUARDED_MUTEX: one object, as in the kernel since
 * Windows 8. A fast mutex raises to APC_LEVEL (ExAcquireFastMutex) and a guarded mutex enters
 * a guarded region (KeAcquireGuardedMutex); the Unsafe forms do neither and require the caller
 * to have APCs off already. Neither is recursive: an owner that takes it again waits for
 * itself forever (rule "deadlock", with both call sites).
 *
 * Count is 1 when free, 0 when held, -n with n waiters; a contended acquire blocks on the
 * embedded synchronization event (hh_lock_wait, the scheduling point), and a release with
 * waiters sets it, handing the mutex to the first waiter, as the kernel does.
 */
#define HOTSWAP_NO_LOCK_SITES
#include "lock_common.h"

#include <stdio.h>

#define FAST_MUTEX_MAGIC 0x584D5446u /* "FTMX" */

enum flavour { FAST, FAST_UNSAFE, GUARDED, GUARDED_UNSAFE };

static int is_guarded(enum flavour f)
{
    return f == GUARDED || f == GUARDED_UNSAFE;
}

static int is_unsafe(enum flavour f)
{
    return f == FAST_UNSAFE || f == GUARDED_UNSAFE;
}

static const char *kind_of(enum flavour f)
{
    return is_guarded(f) ? "guarded mutex" : "fast mutex";
}

static void init(PFAST_MUTEX m)
{
    m->Count = 1;
    m->Owner = NULL;
    m->Contention = 0;
    hh_object_set_kind(&m->Event.Header, HH_OBJECT_SYNCHRONIZATION_EVENT);
    m->Event.Header.Abandoned = 0;
    m->Event.Header.Inserted = 0;
    m->Event.Header.WaitListHint = 0;
    m->Event.Header.SignalState = 0;
    m->OldIrql = PASSIVE_LEVEL;
    m->HhMagic = FAST_MUTEX_MAGIC;
}

static void check_init(struct hh_engine *e, const char *routine, enum flavour f, PFAST_MUTEX m)
{
    hh_lock_require_init(e, routine, kind_of(f), m, m->HhMagic, FAST_MUTEX_MAGIC,
                         is_guarded(f) ? "KeInitializeGuardedMutex" : "ExInitializeFastMutex");
}

/* The Unsafe forms: "APC_LEVEL, or inside a critical region" for a fast mutex, "APC_LEVEL, or
 * inside a guarded region" for a guarded mutex (their Learn pages). */
static void check_unsafe_context(struct hh_engine *e, const char *routine, enum flavour f)
{
    const struct _KTHREAD *t = e->current;
    int ok = f == FAST_UNSAFE ? hh_lock_apcs_disabled(t)
                              : t->irql >= APC_LEVEL || t->special_apc_disable != 0;
    if (!ok)
        hh_engine_abort(e, HH_RULE_LOCK,
                        "%s by thread '%s' at PASSIVE_LEVEL outside a %s region: the Unsafe "
                        "form does not disable APCs itself; call it at APC_LEVEL or after %s, "
                        "or use the form without Unsafe",
                        routine, t->name, f == FAST_UNSAFE ? "critical" : "guarded",
                        f == FAST_UNSAFE ? "KeEnterCriticalRegion" : "KeEnterGuardedRegion");
}

/* Takes m for the current thread; `wait` FALSE: only when free (the Try forms). */
static BOOLEAN acquire(const char *routine, enum flavour f, PFAST_MUTEX m, BOOLEAN wait,
                       const char *file, int line)
{
    struct hh_engine *e = hh_shim_enter(routine);
    PKTHREAD t = e->current;
    KIRQL old = t->irql;
    char name[480];
    hh_shim_require_irql(e, routine, APC_LEVEL);
    check_init(e, routine, f, m);
    if (is_unsafe(f))
        check_unsafe_context(e, routine, f);
    if (!wait && m->Count != 1) {
        hh_shim_leave(e); /* held, by this thread or another: the Try forms fail */
        return FALSE;
    }
    if (m->Owner == t) {
        char site[300], call[300];
        hh_engine_abort(e, HH_RULE_DEADLOCK,
                        "%s: thread '%s' already owns %s%s. A %s is not recursive: the thread "
                        "waits for itself and the kernel deadlocks",
                        hh_lock_call(routine, file, line, call, sizeof(call)), t->name,
                        hh_lock_name(e, kind_of(f), m, name, sizeof(name)),
                        hh_held_site(hh_held_find(t, m, kind_of(f)), site, sizeof(site)),
                        kind_of(f));
    }
    if (f == FAST)
        t->irql = APC_LEVEL; /* raised before it takes the mutex, as the kernel does */
    else if (f == GUARDED)
        t->special_apc_disable++;
    if (--m->Count < 0) {
        char what[700], owner[80];
        m->Contention++;
        snprintf(what, sizeof(what), "%s: thread '%s' waits for %s, which %s", routine,
                 t->name, hh_lock_name(e, kind_of(f), m, name, sizeof(name)),
                 hh_lock_owner_text(m->Owner, owner, sizeof(owner)));
        hh_lock_wait(e, t, &m->Event, what); /* the release hands it over */
    }
    m->Owner = t;
    if (f == FAST)
        m->OldIrql = old;
    hh_held_push(t, m, kind_of(f), file, line);
    hh_shim_leave(e);
    return TRUE;
}

static void release(const char *routine, enum flavour f, PFAST_MUTEX m)
{
    struct hh_engine *e = hh_shim_enter(routine);
    PKTHREAD t = e->current;
    char name[480], owner[80], at[24];
    if (f == FAST && t->irql != APC_LEVEL)
        hh_engine_abort(e, HH_RULE_IRQL,
                        "ExReleaseFastMutex called at %s; it requires APC_LEVEL, where "
                        "ExAcquireFastMutex left the thread",
                        hh_irql_name(t->irql, at, sizeof(at)));
    hh_shim_require_irql(e, routine, APC_LEVEL);
    check_init(e, routine, f, m);
    if (m->Owner != t)
        hh_engine_abort(e, HH_RULE_LOCK,
                        "%s on %s by thread '%s', which does not own it (%s): only the owner "
                        "may release it; a free kernel does not check and releases it anyway, "
                        "so the owner's exclusion is silently lost",
                        routine, hh_lock_name(e, kind_of(f), m, name, sizeof(name)), t->name,
                        hh_lock_owner_text(m->Owner, owner, sizeof(owner)));
    m->Owner = NULL;
    hh_held_pop(t, m, kind_of(f));
    if (++m->Count <= 0)
        hh_event_set(e, &m->Event); /* the first waiter owns it next */
    if (f == GUARDED)
        t->special_apc_disable--;
    if (f == FAST)
        hh_shim_lower(e, routine, (KIRQL)m->OldIrql); /* leaves */
    else
        hh_shim_leave(e);
}

/* ---- Fast mutexes ---------------------------------------------------------------------- */
VOID ExInitializeFastMutex(PFAST_MUTEX FastMutex)
{
    init(FastMutex);
}

VOID HhExAcquireFastMutexAt(PFAST_MUTEX FastMutex, const char *File, int Line)
{
    acquire("ExAcquireFastMutex", FAST, FastMutex, TRUE, File, Line);
}

VOID ExAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    acquire("ExAcquireFastMutex", FAST, FastMutex, TRUE, NULL, 0);
}

VOID ExReleaseFastMutex(PFAST_MUTEX FastMutex)
{
    release("ExReleaseFastMutex", FAST, FastMutex);
}

VOID HhExAcquireFastMutexUnsafeAt(PFAST_MUTEX FastMutex, const char *File, int Line)
{
    acquire("ExAcquireFastMutexUnsafe", FAST_UNSAFE, FastMutex, TRUE, File, Line);
}

VOID ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    acquire("ExAcquireFastMutexUnsafe", FAST_UNSAFE, FastMutex, TRUE, NULL, 0);
}

VOID ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    release("ExReleaseFastMutexUnsafe", FAST_UNSAFE, FastMutex);
}

BOOLEAN HhExTryToAcquireFastMutexAt(PFAST_MUTEX FastMutex, const char *File, int Line)
{
    return acquire("ExTryToAcquireFastMutex", FAST, FastMutex, FALSE, File, Line);
}

BOOLEAN ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    return acquire("ExTryToAcquireFastMutex", FAST, FastMutex, FALSE, NULL, 0);
}

/* ---- Guarded mutexes ------------------------------------------------------------------- */
VOID KeInitializeGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    init(Mutex);
}

VOID HhKeAcquireGuardedMutexAt(PKGUARDED_MUTEX Mutex, const char *File, int Line)
{
    acquire("KeAcquireGuardedMutex", GUARDED, Mutex, TRUE, File, Line);
}

VOID KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    acquire("KeAcquireGuardedMutex", GUARDED, Mutex, TRUE, NULL, 0);
}

VOID KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    release("KeReleaseGuardedMutex", GUARDED, Mutex);
}

VOID HhKeAcquireGuardedMutexUnsafeAt(PKGUARDED_MUTEX Mutex, const char *File, int Line)
{
    acquire("KeAcquireGuardedMutexUnsafe", GUARDED_UNSAFE, Mutex, TRUE, File, Line);
}

VOID KeAcquireGuardedMutexUnsafe(PKGUARDED_MUTEX Mutex)
{
    acquire("KeAcquireGuardedMutexUnsafe", GUARDED_UNSAFE, Mutex, TRUE, NULL, 0);
}

VOID KeReleaseGuardedMutexUnsafe(PKGUARDED_MUTEX Mutex)
{
    release("KeReleaseGuardedMutexUnsafe", GUARDED_UNSAFE, Mutex);
}

BOOLEAN HhKeTryToAcquireGuardedMutexAt(PKGUARDED_MUTEX Mutex, const char *File, int Line)
{
    return acquire("KeTryToAcquireGuardedMutex", GUARDED, Mutex, FALSE, File, Line);
}

BOOLEAN KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    return acquire("KeTryToAcquireGuardedMutex", GUARDED, Mutex, FALSE, NULL, 0);
}
