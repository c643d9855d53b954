/* timer.c - the virtual clock and its timer queue: KTIMERs and the threads' wait timeouts.
 *
 * One min-heap ordered by (due time, arm sequence), so timers due at the same instant fire
 * in the order they were armed. The clock moves only here, to the next due time or to a
 * target the engine's driver names; a one-hour timeout costs one heap operation.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>

static int earlier(const KTIMER *a, const KTIMER *b)
{
    if (a->DueTime.QuadPart != b->DueTime.QuadPart)
        return a->DueTime.QuadPart < b->DueTime.QuadPart;
    return a->Sequence < b->Sequence;
}

static void place(struct hh_engine *e, size_t i, PKTIMER t)
{
    e->timers[i] = t;
    t->QueueIndex = (ULONG)i;
}

static void sift_up(struct hh_engine *e, size_t i)
{
    PKTIMER t = e->timers[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(t, e->timers[parent]))
            break;
        place(e, i, e->timers[parent]);
        i = parent;
    }
    place(e, i, t);
}

static void sift_down(struct hh_engine *e, size_t i)
{
    PKTIMER t = e->timers[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= e->ntimers)
            break;
        if (child + 1 < e->ntimers && earlier(e->timers[child + 1], e->timers[child]))
            child++;
        if (!earlier(e->timers[child], t))
            break;
        place(e, i, e->timers[child]);
        i = child;
    }
    place(e, i, t);
}

void hh__timer_insert(struct hh_engine *e, PKTIMER timer, hh_time due)
{
    if (e->ntimers == e->timers_cap) {
        size_t cap = e->timers_cap ? e->timers_cap * 2 : 16;
        PKTIMER *grown = realloc(e->timers, cap * sizeof(*grown));
        if (!grown) {
            fputs("hotswap: out of memory\n", stderr);
            abort();
        }
        e->timers = grown;
        e->timers_cap = cap;
    }
    timer->DueTime.QuadPart = (ULONGLONG)due;
    timer->Sequence = ++e->timer_seq;
    timer->Header.Inserted = 1;
    e->timers[e->ntimers] = timer;
    sift_up(e, e->ntimers++);
    if (e->rt && e->timers[0] == timer)
        hh__rt_timer_queued(e);
}

void hh__timer_remove(struct hh_engine *e, PKTIMER timer)
{
    size_t i = timer->QueueIndex;
    timer->Header.Inserted = 0;
    if (--e->ntimers == i)
        return;
    place(e, i, e->timers[e->ntimers]);
    if (i > 0 && earlier(e->timers[i], e->timers[(i - 1) / 2]))
        sift_up(e, i);
    else
        sift_down(e, i);
}

hh_time hh_engine_next_due(const struct hh_engine *e)
{
    return e->ntimers ? (hh_time)e->timers[0]->DueTime.QuadPart : -1;
}

struct dpc_call {
    PKDPC dpc;
    hh_time now;
};

static void call_dpc(void *arg)
{
    struct dpc_call *c = arg;
    ULONG_PTR now = (ULONG_PTR)(uint64_t)(c->now + HH_SYSTEM_TIME_BASE);
    c->dpc->DeferredRoutine(c->dpc, c->dpc->DeferredContext, (PVOID)(now & 0xFFFFFFFFu),
                            (PVOID)(ULONG_PTR)((uint64_t)now >> 32));
}

/* A DPC runs at DISPATCH_LEVEL on whatever thread the clock interrupted. */
static void run_dpc(struct hh_engine *e, PKTIMER timer, PKDPC dpc)
{
    struct dpc_call c;
    PKTHREAD t = e->current;
    KIRQL saved = t->irql;
    unsigned nheld = t->nheld, spinlocks = t->spinlocks;
    c.dpc = dpc;
    c.now = e->now;
    t->irql = DISPATCH_LEVEL;
    t->dpc = dpc;
    t->dpc_timer = timer;
    if (hh__guard_top)
        call_dpc(&c); /* a failure unwinds to the routine that is running */
    else if (hh_engine_guarded(e, call_dpc, &c) != 0)
        nheld = t->nheld, spinlocks = t->spinlocks; /* it failed already */
    t->dpc = NULL;
    t->dpc_timer = NULL;
    hh_held_check_code(e, t, "a timer's DPC", nheld, spinlocks);
    t->irql = saved;
}

/* The timer is due now: signal it, queue it again if periodic, then run its DPC. */
static void expire(struct hh_engine *e, PKTIMER timer)
{
    if (timer->Header.HhKind == HH_OBJECT_WAIT_TIMER) {
        struct _KTHREAD *t =
            (struct _KTHREAD *)((char *)timer - offsetof(struct _KTHREAD, wait_timer));
        hh__timer_remove(e, timer);
        /* A WaitAll waiter already woken to re-test had this timer cancelled by that wake
         * (KiUnwaitThread): it tests its objects before the timeout when it runs. */
        if (t->blocked && !t->has_pending && !t->retest)
            hh__unwait(e, t, t->wait.timeout_status);
        return;
    }
    hh__timer_remove(e, timer);
    timer->Header.SignalState = 1;
    /* Queued again before the waiters are tested, so that the state recorded has its next due
     * time; testing waiters queues no timer, so the arm order is the same either way. */
    if (timer->Period > 0)
        hh__timer_insert(e, timer, e->now + (hh_time)timer->Period * HH_TICKS_PER_MS);
    hh__trace_object(e, &timer->Header);
    hh__signal(e, &timer->Header);
    if (timer->Dpc && timer->Dpc->DeferredRoutine) {
        if (e->trace) {
            struct hh_trace_event ev;
            hh_trace_event_init(&ev, HH_TRACE_DPC, "DPC");
            ev.object = timer;
            hh_engine_trace(e, &ev);
        }
        run_dpc(e, timer, timer->Dpc);
    }
}

int hh_engine_expire_next(struct hh_engine *e, hh_time limit)
{
    hh_time due = hh_engine_next_due(e);
    if (due < 0 || due > limit)
        return -1;
    if (due > e->now)
        e->now = due;
    while (e->ntimers && (hh_time)e->timers[0]->DueTime.QuadPart <= e->now && !e->failed)
        expire(e, e->timers[0]);
    return 0;
}

BOOLEAN hh_timer_set(struct hh_engine *e, PKTIMER t, LONGLONG due, LONG period_ms, PKDPC dpc)
{
    BOOLEAN was_queued = t->Header.Inserted;
    hh_time when = due < 0 ? e->now - due : due - HH_SYSTEM_TIME_BASE;
    if (was_queued)
        hh__timer_remove(e, t);
    t->Header.SignalState = 0;
    t->Period = period_ms;
    t->Dpc = dpc;
    /* A due time already past expires at once, inside this call. */
    hh__timer_insert(e, t, when < e->now ? e->now : when);
    hh__trace_object(e, &t->Header);
    if (when <= e->now)
        expire(e, t);
    return was_queued;
}

BOOLEAN hh_timer_cancel(struct hh_engine *e, PKTIMER t)
{
    BOOLEAN was_queued = t->Header.Inserted;
    if (was_queued) {
        hh__timer_remove(e, t);
        hh__trace_object(e, &t->Header);
    }
    return was_queued;
}

void hh_engine_advance_to(struct hh_engine *e, hh_time until)
{
    while (!e->failed && hh_engine_expire_next(e, until) == 0)
        hh_worker_run(e);
    if (e->now < until && !e->failed)
        e->now = until;
}
