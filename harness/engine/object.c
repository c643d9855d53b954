/* object.c - the dispatcher objects' own rules: what satisfies a wait on each kind, the side
 * effect of satisfying it, and the state changes other threads make (set, reset, pulse,
 * release, acquire, abandon, alert, APC).
 *
 * Every change that can signal an object ends in hh__signal, so a blocked waiter is tested
 * at the moment of the signal, as KiWaitTest does under the dispatcher lock.
 */
#include "engine_int.h"

#include <stdio.h>

void hh__list_init(LIST_ENTRY *head)
{
    head->Flink = head->Blink = head;
}

void hh__list_insert_tail(LIST_ENTRY *head, LIST_ENTRY *entry)
{
    entry->Flink = head;
    entry->Blink = head->Blink;
    head->Blink->Flink = entry;
    head->Blink = entry;
}

void hh__list_remove(LIST_ENTRY *entry)
{
    entry->Blink->Flink = entry->Flink;
    entry->Flink->Blink = entry->Blink;
    entry->Flink = entry->Blink = entry;
}

static int is_auto_reset(const DISPATCHER_HEADER *h)
{
    return h->HhKind == HH_OBJECT_SYNCHRONIZATION_EVENT ||
           h->HhKind == HH_OBJECT_SYNCHRONIZATION_TIMER;
}

static void own_mutant(struct _KTHREAD *t, PKMUTANT m)
{
    if (!t->mutants.Flink)
        hh__list_init(&t->mutants);
    m->OwnerThread = t;
    hh__list_insert_tail(&t->mutants, &m->MutantListEntry);
    t->kernel_apc_disable += m->ApcDisable; /* a KMUTEX disables normal kernel APCs */
}

/* m leaves its owner's list (released or run down); the caller sets OwnerThread. */
static void disown_mutant(PKMUTANT m)
{
    hh__list_remove(&m->MutantListEntry);
    m->OwnerThread->kernel_apc_disable -= m->ApcDisable;
}

static NTSTATUS satisfy(struct hh_engine *e, struct _KTHREAD *t, DISPATCHER_HEADER *h)
{
    if (hh__is_mutant(h)) {
        PKMUTANT m = (PKMUTANT)h;
        if (h->SignalState == MINLONG) {
            char what[160];
            hh_engine_fail(e, HH_RULE_MUTANT_LIMIT,
                           "%s acquired recursively past MINLONG times: the kernel raises "
                           "STATUS_MUTANT_LIMIT_EXCEEDED",
                           hh_engine_describe_object(e, h, what, sizeof(what)));
            return STATUS_SUCCESS;
        }
        h->SignalState--;
        if (h->SignalState == 0) {
            own_mutant(t, m);
            if (h->Abandoned) {
                h->Abandoned = 0;
                return STATUS_ABANDONED;
            }
        }
        return STATUS_SUCCESS;
    }
    if (h->HhKind == HH_OBJECT_SEMAPHORE)
        h->SignalState--;
    else if (is_auto_reset(h))
        h->SignalState = 0;
    return STATUS_SUCCESS;
}

NTSTATUS hh__satisfy(struct hh_engine *e, struct _KTHREAD *t, DISPATCHER_HEADER *h)
{
    NTSTATUS status = satisfy(e, t, h);
    hh__trace_object(e, h);
    return status;
}

BOOLEAN hh_object_signaled(struct hh_engine *e, PVOID object)
{
    (void)e;
    return ((DISPATCHER_HEADER *)object)->SignalState > 0;
}

/* ---- Events ----------------------------------------------------------------------------- */

LONG hh_event_set(struct hh_engine *e, PRKEVENT ev)
{
    LONG prev = ev->Header.SignalState;
    ev->Header.SignalState = 1; /* exactly 1: sets never accumulate */
    if (prev != 1)
        hh__trace_object(e, &ev->Header); /* before the waiters it wakes take it */
    if (prev == 0)
        hh__signal(e, &ev->Header);
    return prev;
}

LONG hh_event_reset(struct hh_engine *e, PRKEVENT ev)
{
    LONG prev = ev->Header.SignalState;
    ev->Header.SignalState = 0;
    if (prev != 0)
        hh__trace_object(e, &ev->Header);
    return prev;
}

LONG hh_event_pulse(struct hh_engine *e, PRKEVENT ev)
{
    LONG prev = ev->Header.SignalState;
    /* Only a pulse of a non-signaled event with waiters wakes anyone; a woken WaitAll waiter
     * re-tests after the reset below and keeps waiting. */
    if (prev == 0 && ev->Header.WaitListHint) {
        ev->Header.SignalState = 1;
        hh__trace_object(e, &ev->Header);
        hh__signal(e, &ev->Header);
    }
    ev->Header.SignalState = 0;
    if (prev != 0 || ev->Header.WaitListHint)
        hh__trace_object(e, &ev->Header);
    return prev;
}

/* ---- Mutexes and mutants ---------------------------------------------------------------- */

NTSTATUS hh_mutant_release(struct hh_engine *e, PKTHREAD t, PRKMUTANT m, LONG *prev)
{
    LONG before = m->Header.SignalState;
    if (m->OwnerThread != t)
        return m->Header.Abandoned ? STATUS_ABANDONED : STATUS_MUTANT_NOT_OWNED;
    *prev = before;
    m->Header.SignalState++;
    if (m->Header.SignalState == 1) {
        disown_mutant(m);
        m->OwnerThread = NULL;
        hh__trace_object(e, &m->Header);
        hh__signal(e, &m->Header);
    } else {
        hh__trace_object(e, &m->Header);
    }
    return STATUS_SUCCESS;
}

LONG hh_mutant_abandon(struct hh_engine *e, PRKMUTANT m)
{
    LONG before = m->Header.SignalState;
    m->Header.SignalState = 1;
    m->Header.Abandoned = 1;
    if (m->OwnerThread) {
        disown_mutant(m);
        m->OwnerThread = NULL;
    }
    if (before <= 0)
        hh__signal(e, &m->Header);
    return before;
}

/* The thread ends. Its mutants are abandoned (state 1, owner none, waiters tested). A KMUTEX is
 * not: acquiring one disabled normal kernel APCs, and thread exit checks the APC-disable count
 * before anything else, so the kernel bug-checks KERNEL_APC_PENDING_DURING_EXIT (0x20) before
 * the rundown could reach THREAD_TERMINATE_HELD_MUTEX (0x4000008A). */
void hh_thread_rundown(struct hh_engine *e, PKTHREAD t)
{
    char what[160];
    LIST_ENTRY *entry;
    PKMUTANT first = NULL;
    long kmutexes = 0;
    if (!t->mutants.Flink)
        return;
    for (entry = t->mutants.Flink; entry != &t->mutants; entry = entry->Flink) {
        PKMUTANT m = (PKMUTANT)((char *)entry - offsetof(KMUTANT, MutantListEntry));
        if (m->ApcDisable && kmutexes++ == 0)
            first = m;
    }
    if (first)
        hh_engine_fail(e, HH_RULE_HELD_MUTEX,
                       "thread '%s' ended holding %s%s: acquiring a KMUTEX disables normal "
                       "kernel APCs, and thread exit checks that first, so the kernel "
                       "bug-checks KERNEL_APC_PENDING_DURING_EXIT (0x20) with parameter 2, the "
                       "APC-disable count, at %ld; past that check the rundown would bug-check "
                       "THREAD_TERMINATE_HELD_MUTEX (0x4000008A). Release every KMUTEX before "
                       "the routine returns terminate",
                       t->name, hh_engine_describe_object(e, first, what, sizeof(what)),
                       kmutexes > 1 ? " and other KMUTEXes" : "", -(long)t->kernel_apc_disable);
    while (t->mutants.Flink != &t->mutants) {
        PKMUTANT m = (PKMUTANT)((char *)t->mutants.Flink - offsetof(KMUTANT, MutantListEntry));
        if (m->ApcDisable) {
            disown_mutant(m);
            continue;
        }
        disown_mutant(m);
        m->OwnerThread = NULL;
        m->Header.SignalState = 1;
        m->Header.Abandoned = 1;
        hh__trace_object(e, &m->Header);
        hh__signal(e, &m->Header);
    }
}

void hh_thread_end(struct hh_engine *e, PKTHREAD t)
{
    /* The kernel's order: the rundown (KeRundownThread) before the thread object is signaled
     * (KeTerminateThread), so a waiter on the thread finds its mutants already abandoned. */
    hh_thread_rundown(e, t);
    if (t->Header.SignalState > 0)
        return;
    t->Header.SignalState = 1;
    hh__trace_object(e, &t->Header);
    hh__signal(e, &t->Header);
}

/* ---- Semaphores ------------------------------------------------------------------------- */

NTSTATUS hh_semaphore_release(struct hh_engine *e, PRKSEMAPHORE s, LONG adjustment, LONG *prev)
{
    LONG before = s->Header.SignalState;
    /* The sum is checked in 64 bits: a negative adjustment or an overflow is past the limit
     * too, as the kernel treats it. */
    int64_t after = (int64_t)before + adjustment;
    if (after > s->Limit || after < before)
        return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    *prev = before;
    s->Header.SignalState = (LONG)after;
    hh__trace_object(e, &s->Header);
    if (before == 0 && after > 0)
        hh__signal(e, &s->Header);
    return STATUS_SUCCESS;
}

/* ---- Another thread takes an object without waiting ------------------------------------- */

NTSTATUS hh_acquire(struct hh_engine *e, PKTHREAD t, PVOID object)
{
    DISPATCHER_HEADER *h = object;
    if (!hh__satisfiable(t, h))
        return STATUS_TIMEOUT;
    return hh__satisfy(e, t, h);
}

/* ---- Alerts and APCs (KeAlertThread, KiInsertQueueApc) ----------------------------------- */

void hh_alert(struct hh_engine *e, PKTHREAD t, KPROCESSOR_MODE mode)
{
    if (t->alerted[(int)mode])
        return;
    /* A WaitAll waiter woken to re-test is not waiting: the alert only sets the flag. */
    if (t->blocked && !t->has_pending && !t->retest && t->wait.alertable &&
        mode <= t->wait.mode)
        hh__unwait(e, t, STATUS_ALERTED);
    else
        t->alerted[(int)mode] = TRUE;
}

void hh_queue_user_apc(struct hh_engine *e, PKTHREAD t)
{
    t->user_apcs++;
    /* As for alerts, a woken WaitAll waiter finds the APC when it re-tests. */
    if (t->blocked && !t->has_pending && !t->retest && t->wait.alertable &&
        t->wait.mode == UserMode) {
        t->user_apc_pending = TRUE;
        hh__unwait(e, t, STATUS_USER_APC);
    }
}

void hh_user_apcs_delivered(struct hh_engine *e, PKTHREAD t)
{
    (void)e;
    t->user_apcs = 0;
    t->user_apc_pending = FALSE;
}

/* ---- Names for reports ------------------------------------------------------------------- */

void hh_engine_name_object(struct hh_engine *e, PVOID object, const char *name)
{
    size_t i;
    for (i = 0; i < e->nowned; i++) {
        if (e->owned[i] == object) {
            e->owned_names[i] = name;
            return;
        }
    }
    if (e->nnamed < HH_NAMED_MAX) { /* not made here: a module's own object */
        e->named[e->nnamed] = object;
        e->named_names[e->nnamed++] = name;
    }
}

/* The kernel's KOBJECTS values (ReactOS ketypes.h, the Windows Research Kernel). */
#define KERNEL_EVENT_NOTIFICATION 0
#define KERNEL_EVENT_SYNCHRONIZATION 1
#define KERNEL_MUTANT 2
#define KERNEL_SEMAPHORE 5
#define KERNEL_THREAD 6
#define KERNEL_TIMER_NOTIFICATION 8
#define KERNEL_TIMER_SYNCHRONIZATION 9

void hh_object_set_kind(DISPATCHER_HEADER *h, int kind)
{
    static const UCHAR kernel_type[] = {
        [HH_OBJECT_NOTIFICATION_EVENT] = KERNEL_EVENT_NOTIFICATION,
        [HH_OBJECT_SYNCHRONIZATION_EVENT] = KERNEL_EVENT_SYNCHRONIZATION,
        [HH_OBJECT_MUTEX] = KERNEL_MUTANT,
        [HH_OBJECT_MUTANT] = KERNEL_MUTANT,
        [HH_OBJECT_SEMAPHORE] = KERNEL_SEMAPHORE,
        [HH_OBJECT_NOTIFICATION_TIMER] = KERNEL_TIMER_NOTIFICATION,
        [HH_OBJECT_SYNCHRONIZATION_TIMER] = KERNEL_TIMER_SYNCHRONIZATION,
        [HH_OBJECT_WAIT_TIMER] = KERNEL_TIMER_NOTIFICATION,
        [HH_OBJECT_THREAD] = KERNEL_THREAD,
    };
    h->HhKind = (UCHAR)kind;
    h->Type = (unsigned)kind < sizeof(kernel_type) ? kernel_type[kind] : 0;
}

static const char *kind_name(int type)
{
    switch (type) {
    case HH_OBJECT_NOTIFICATION_EVENT:
        return "notification event";
    case HH_OBJECT_SYNCHRONIZATION_EVENT:
        return "synchronization event";
    case HH_OBJECT_MUTEX:
        return "KMUTEX";
    case HH_OBJECT_MUTANT:
        return "mutant";
    case HH_OBJECT_SEMAPHORE:
        return "semaphore";
    case HH_OBJECT_NOTIFICATION_TIMER:
        return "notification timer";
    case HH_OBJECT_SYNCHRONIZATION_TIMER:
        return "synchronization timer";
    case HH_OBJECT_THREAD:
        return "thread";
    default:
        return "object";
    }
}

const char *hh_engine_describe_object(struct hh_engine *e, PVOID object, char *buf, size_t len)
{
    const DISPATCHER_HEADER *h = object;
    size_t i;
    if (h->HhKind == HH_OBJECT_THREAD) { /* every thread has a name of the run */
        snprintf(buf, len, "the thread '%s'", ((const struct _KTHREAD *)object)->name);
        return buf;
    }
    for (i = 0; i < e->nowned; i++) {
        if (e->owned[i] == object && e->owned_names[i]) {
            snprintf(buf, len, "'%s' (%s)", e->owned_names[i], kind_name(h->HhKind));
            return buf;
        }
    }
    for (i = 0; i < e->nnamed; i++) {
        if (e->named[i] == object) {
            snprintf(buf, len, "'%s' (%s, the module's global)", e->named_names[i],
                     kind_name(h->HhKind));
            return buf;
        }
    }
    /* No address: reports must read the same on every run. */
    snprintf(buf, len, "a %s of the routine's own (not a scenario object)", kind_name(h->HhKind));
    return buf;
}
