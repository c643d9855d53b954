/* ke_timer.c - KeInitializeTimer(Ex), KeSetTimer(Ex), KeCancelTimer and KeReadStateTimer on
 * the engine's timer queue and virtual clock. */
#include "shim.h"

VOID KeInitializeTimer(PKTIMER Timer)
{
    KeInitializeTimerEx(Timer, NotificationTimer);
}

VOID KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type)
{
    struct hh_engine *e = hh_shim_enter("KeInitializeTimerEx");
    hh_shim_require_irql(e, "KeInitializeTimer(Ex)", DISPATCH_LEVEL);
    hh_shim_leave(e);
    hh_object_set_kind(&Timer->Header, Type == SynchronizationTimer
                                           ? HH_OBJECT_SYNCHRONIZATION_TIMER
                                           : HH_OBJECT_NOTIFICATION_TIMER);
    Timer->Header.Abandoned = 0;
    Timer->Header.Inserted = 0;
    Timer->Header.WaitListHint = 0;
    Timer->Header.SignalState = 0;
    Timer->DueTime.QuadPart = 0;
    Timer->Period = 0;
    Timer->Dpc = NULL;
    Timer->Sequence = 0;
    Timer->QueueIndex = 0;
}

BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
    return KeSetTimerEx(Timer, DueTime, 0, Dpc);
}

BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc)
{
    struct hh_engine *e = hh_shim_enter("KeSetTimerEx");
    BOOLEAN was_queued;
    hh_shim_require_irql(e, "KeSetTimerEx", DISPATCH_LEVEL);
    if (Period < 0)
        hh_engine_abort(e, HH_RULE_BUGCHECK,
                        "KeSetTimerEx with a negative Period (%ld ms)", (long)Period);
    was_queued = hh_timer_set(e, Timer, DueTime.QuadPart, Period, Dpc);
    hh_shim_leave(e);
    return was_queued;
}

BOOLEAN KeCancelTimer(PKTIMER Timer)
{
    struct hh_engine *e = hh_shim_enter("KeCancelTimer");
    BOOLEAN was_queued;
    hh_shim_require_irql(e, "KeCancelTimer", DISPATCH_LEVEL);
    was_queued = hh_timer_cancel(e, Timer);
    hh_shim_leave(e);
    return was_queued;
}

BOOLEAN KeReadStateTimer(PKTIMER Timer)
{
    return hh_shim_read_state("KeReadStateTimer", &Timer->Header) > 0;
}
