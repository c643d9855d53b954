/* ke_event.c - KeInitializeEvent, KeSetEvent, KeResetEvent, KeClearEvent, KePulseEvent,
 * KeReadStateEvent on the engine's event model.
 *
 * Wait = TRUE leaves the caller at DISPATCH_LEVEL holding the dispatcher lock until its next
 * KeWaitXxx, which restores the IRQL it had; returning before that wait is an IRQL failure.
 */
#include "shim.h"
#include "explore/strategy.h"

/* The Wait = TRUE contract shared by KeSetEvent, KePulseEvent, KeReleaseMutex and
 * KeReleaseSemaphore. */
void hh_shim_wait_next(struct hh_engine *e, BOOLEAN wait)
{
    struct _KTHREAD *t = e->current;
    if (!wait)
        return;
    if (!t->wait_next) {
        t->wait_irql = t->irql;
        t->wait_next = TRUE;
    }
    t->irql = DISPATCH_LEVEL;
}

VOID KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    hh_object_set_kind(&Event->Header, Type == SynchronizationEvent
                                           ? HH_OBJECT_SYNCHRONIZATION_EVENT
                                           : HH_OBJECT_NOTIFICATION_EVENT);
    Event->Header.Abandoned = 0;
    Event->Header.Inserted = 0;
    Event->Header.WaitListHint = 0;
    Event->Header.SignalState = State ? 1 : 0;
}

LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    struct hh_engine *e = hh_shim_enter_on("KeSetEvent", Event, HH_EX_WRITE);
    LONG prev;
    (void)Increment;
    if (Wait && e->current->irql > APC_LEVEL) {
        char at[24];
        /* Stopped, as the documentation forbids it; but real kernels, checked builds too,
         * let the call through: say what follows instead. */
        hh_engine_abort(e, HH_RULE_IRQL,
                        "KeSetEvent(Wait = TRUE) called at %s; with Wait TRUE the documented "
                        "limit is IRQL <= APC_LEVEL. A real system does not check it: the call "
                        "returns at DISPATCH_LEVEL holding the dispatcher lock, and the wait "
                        "that must follow runs at %s, where it may only poll; one that has to "
                        "block cannot switch threads and the machine bug-checks",
                        hh_irql_name(e->current->irql, at, sizeof(at)), at);
    }
    hh_shim_require_irql(e, "KeSetEvent", DISPATCH_LEVEL);
    prev = hh_event_set(e, Event);
    hh_shim_wait_next(e, Wait);
    hh_shim_leave(e);
    return prev;
}

LONG KeResetEvent(PRKEVENT Event)
{
    struct hh_engine *e = hh_shim_enter_on("KeResetEvent", Event, HH_EX_WRITE);
    LONG prev;
    hh_shim_require_irql(e, "KeResetEvent", DISPATCH_LEVEL);
    prev = hh_event_reset(e, Event);
    hh_shim_leave(e);
    return prev;
}

VOID KeClearEvent(PRKEVENT Event)
{
    struct hh_engine *e = hh_shim_enter_on("KeClearEvent", Event, HH_EX_WRITE);
    hh_shim_require_irql(e, "KeClearEvent", DISPATCH_LEVEL);
    hh_event_reset(e, Event);
    hh_shim_leave(e);
}

LONG KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    struct hh_engine *e = hh_shim_enter_on("KePulseEvent", Event, HH_EX_WRITE);
    LONG prev;
    (void)Increment;
    hh_shim_require_irql(e, "KePulseEvent", DISPATCH_LEVEL);
    prev = hh_event_pulse(e, Event);
    hh_shim_wait_next(e, Wait);
    hh_shim_leave(e);
    return prev;
}

LONG KeReadStateEvent(PRKEVENT Event)
{
    return hh_shim_read_state("KeReadStateEvent", &Event->Header);
}
