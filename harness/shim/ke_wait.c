/* ke_wait.c - KeWaitForSingleObject, KeWaitForMultipleObjects and KeDelayExecutionThread
 * called by a routine.
 *
 * They use the same wait model as the worker's own wait. A wait that cannot complete at once
 * blocks the routine; no scenario step runs meanwhile, so the clock moves to the next timer
 * until the wait completes, and a wait nothing can complete is reported as a deadlock.
 */
#include "pool.h"
#include "shim.h"

#include <stdio.h>
#include <string.h>

static int valid_object(const PVOID object)
{
    const DISPATCHER_HEADER *h = object;
    return h && ((h->HhKind >= HH_OBJECT_NOTIFICATION_EVENT &&
                  h->HhKind <= HH_OBJECT_SYNCHRONIZATION_TIMER) ||
                 h->HhKind == HH_OBJECT_THREAD);
}

/* The IRQL rules of the waits: KeWaitXxx at IRQL <= APC_LEVEL, or at DISPATCH_LEVEL with a
 * zero timeout (zero_max, DISPATCH_LEVEL); KeDelayExecutionThread at <= APC_LEVEL whatever the
 * interval (zero_max, APC_LEVEL). A preceding Ke*(Wait = TRUE) call is judged by the IRQL it was
 * made at, which the wait restores. */
static void enter_wait(struct hh_engine *e, const char *routine, const LARGE_INTEGER *timeout,
                       KIRQL zero_max)
{
    struct _KTHREAD *t = e->current;
    KIRQL irql = t->wait_next ? t->wait_irql : t->irql;
    int zero = timeout && timeout->QuadPart == 0;
    if (irql > APC_LEVEL && (!zero || irql > zero_max)) {
        char name[24];
        hh_engine_abort(e, HH_RULE_WAIT_IRQL,
                        "%s at %s with %s: it requires IRQL <= APC_LEVEL%s; on a real system "
                        "a wait that has to block there cannot switch threads and the machine "
                        "bug-checks, while one satisfied at once passes unnoticed",
                        routine, hh_irql_name(irql, name, sizeof(name)),
                        zero ? "a zero timeout" : timeout ? "a non-zero timeout"
                                                          : "no timeout (an infinite wait)",
                        zero_max > APC_LEVEL ? ", or DISPATCH_LEVEL with a zero timeout"
                                             : " even with a zero interval");
    }
    if (t->wait_next) {
        t->irql = t->wait_irql;
        t->wait_next = FALSE;
        hh_dpc_dispatch(e); /* the IRQL dropped: DPCs queued meanwhile run */
    }
}

/* The routine's own wait, for a picture of the run. */
static void trace_wait(struct hh_engine *e, enum hh_trace_kind kind, ULONG count,
                       NTSTATUS status)
{
    struct hh_trace_event ev;
    if (!e->trace)
        return;
    hh_trace_event_init(&ev, kind, NULL);
    ev.count = count;
    ev.status = status;
    hh_engine_trace(e, &ev);
}

static NTSTATUS wait_now(struct hh_engine *e, struct hh_wait *w, const LARGE_INTEGER *timeout,
                         const char *routine, const void *caller)
{
    struct _KTHREAD *t = e->current;
    NTSTATUS status;
    hh_wait_set_timeout(e, w, timeout);
    /* Its own time stamp: the worker loop's burst_time must still see the clock move. */
    if (e->now != e->nested_burst_time) {
        e->nested_burst_time = e->now;
        e->nested_burst = 0;
    }
    if (++e->nested_burst > e->livelock_limit && t->sim)
        hh_engine_abort(e, HH_RULE_LIVELOCK,
                        "%s made %lu waits without the clock moving: system threads that "
                        "keep waking each other (an event set back and forth), or a loop of "
                        "zero-timeout waits, never let time pass",
                        t->name, e->nested_burst);
    if (e->nested_burst > e->livelock_limit)
        hh_engine_abort(e, HH_RULE_LIVELOCK,
                        "the routine made %lu waits without the clock moving: a loop of "
                        "zero-timeout waits inside one invocation never ends",
                        e->nested_burst);
    trace_wait(e, HH_TRACE_WAIT, w->count, 0);
    status = hh_wait_begin(e, t, w);
    if (status == STATUS_PENDING) {
        t->wait_routine = routine;
        t->wait_caller = caller;
        status = hh_wait_block(e, t);
        t->wait_routine = NULL;
        t->wait_caller = NULL;
    }
    trace_wait(e, HH_TRACE_WAITED, w->count, status);
    hh_shim_leave(e);
    return status;
}

/* KeWaitForMultipleObjects for itself and KeWaitForSingleObject: `routine` names the one the
 * module called, `caller` is where it called it. */
static NTSTATUS wait_multiple(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                              KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                              PLARGE_INTEGER Timeout, PKWAIT_BLOCK WaitBlockArray,
                              const char *routine, const void *caller)
{
    struct hh_engine *e = hh_shim_enter("KeWaitForMultipleObjects");
    struct hh_wait w;
    ULONG i;
    enter_wait(e, "KeWaitForMultipleObjects", Timeout, DISPATCH_LEVEL);
    if (Count > MAXIMUM_WAIT_OBJECTS || (Count > THREAD_WAIT_OBJECTS && !WaitBlockArray))
        hh_engine_abort(e, HH_RULE_WAIT_OBJECTS,
                        "KeWaitForMultipleObjects with Count %lu%s: the kernel bug-checks "
                        "MAXIMUM_WAIT_OBJECTS_EXCEEDED (0xC); more than THREAD_WAIT_OBJECTS (3) "
                        "needs a WaitBlockArray, and MAXIMUM_WAIT_OBJECTS (64) is the limit",
                        (unsigned long)Count, WaitBlockArray ? "" : " and no WaitBlockArray");
    if (Count == 0 || (WaitType != WaitAny && WaitType != WaitAll))
        hh_engine_abort(e, HH_RULE_WAIT_OBJECTS,
                        "KeWaitForMultipleObjects with Count %lu and WaitType %d: Count must be "
                        "1..64 and WaitType WaitAny or WaitAll",
                        (unsigned long)Count, (int)WaitType);
    for (i = 0; i < Count; i++) {
        ULONG j;
        /* The same object twice in a WaitAll is invalid (WAIT-SEMANTICS §1.5, decision 5). */
        for (j = 0; WaitType == WaitAll && j < i; j++) {
            if (Object[j] == Object[i])
                hh_engine_abort(e, HH_RULE_WAIT_OBJECTS,
                                "KeWaitForMultipleObjects(WaitAll) lists one object twice "
                                "(Object[%lu] and Object[%lu]): the kernel's behaviour is "
                                "undocumented and the NT layer rejects it with "
                                "STATUS_INVALID_PARAMETER_MIX; list each object once",
                                (unsigned long)j, (unsigned long)i);
        }
        if (!valid_object(Object[i])) {
            char where[400], at[420];
            if (hh_engine_describe_place(e, Object[i], where, sizeof(where)))
                snprintf(at, sizeof(at), "at %s", where);
            else
                snprintf(at, sizeof(at), "%p", Object[i]);
            hh_engine_abort(e, HH_RULE_BUGCHECK,
                            "KeWaitForMultipleObjects: Object[%lu] (%s) is not an initialized "
                            "dispatcher object",
                            (unsigned long)i, at);
        }
        /* Mutex waits must be KernelMode (KWFMO-doc), for the routine's own waits as for
         * the start context's (where the scenario is rejected). */
        if (WaitMode != KernelMode &&
            ((DISPATCHER_HEADER *)Object[i])->HhKind == HH_OBJECT_MUTEX) {
            char what[160];
            hh_engine_abort(e, HH_RULE_WAIT_OBJECTS,
                            "KeWaitForMultipleObjects with WaitMode UserMode on %s "
                            "(Object[%lu]): a KMUTEX may only be waited on in KernelMode, as "
                            "the documentation of KeWaitForSingleObject and "
                            "KeWaitForMultipleObjects requires; pass KernelMode",
                            hh_engine_describe_object(e, Object[i], what, sizeof(what)),
                            (unsigned long)i);
        }
        w.objects[i] = Object[i];
    }
    w.count = Count;
    w.type = WaitType;
    w.mode = WaitMode;
    w.alertable = Alertable;
    w.timeout_status = STATUS_TIMEOUT;
    return wait_now(e, &w, Timeout, routine, caller); /* leaves */
}

NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                  KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                  PKWAIT_BLOCK WaitBlockArray)
{
    (void)WaitReason;
    return wait_multiple(Count, Object, WaitType, WaitMode, Alertable, Timeout, WaitBlockArray,
                         "KeWaitForMultipleObjects", HH_RETURN_ADDRESS());
}

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                               BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    PVOID objects[1];
    objects[0] = Object;
    (void)WaitReason;
    return wait_multiple(1, objects, WaitAny, WaitMode, Alertable, Timeout, NULL,
                         "KeWaitForSingleObject", HH_RETURN_ADDRESS());
}

NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                PLARGE_INTEGER Interval)
{
    struct hh_engine *e = hh_shim_enter("KeDelayExecutionThread");
    struct hh_wait w;
    if (!Interval)
        hh_engine_abort(e, HH_RULE_BUGCHECK, "KeDelayExecutionThread with a NULL Interval");
    enter_wait(e, "KeDelayExecutionThread", Interval, APC_LEVEL);
    w.count = 0;
    w.type = WaitAny;
    w.mode = WaitMode;
    w.alertable = Alertable;
    w.timeout_status = STATUS_SUCCESS;
    return wait_now(e, &w, Interval, "KeDelayExecutionThread", HH_RETURN_ADDRESS()); /* leaves */
}
