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

void hh__timer_insert_heap(struct hh_engine *e, PKTIMER timer, hh_time due)
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

void hh__timer_remove_heap(struct hh_engine *e, PKTIMER timer)
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
    hh_time due;
    if (!e->ntimers)
        return -1;
    due = (hh_time)e->timers[0]->DueTime.QuadPart;
    return due == HH_TIME_NEVER ? -1 : due;
}

/* The timer is due now: signal it (waking its waiters), queue it again if periodic, and
 * queue its DPC with the system time as arguments (KiSignalTimer, KiTimerExpiration). The
 * DPC runs later, after every timer due at this instant was signaled. */
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
    if (timer->Dpc) {
        uint64_t now = (uint64_t)(e->now + HH_SYSTEM_TIME_BASE);
        if (hh__dpc_queue(e, timer->Dpc, (PVOID)(ULONG_PTR)(now & 0xFFFFFFFFu),
                          (PVOID)(ULONG_PTR)(now >> 32)))
            timer->Dpc->HhTimer = timer; /* for reports and the timeline: whose DPC it is */
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
    hh_dpc_dispatch(e);
    return 0;
}

BOOLEAN hh_timer_set(struct hh_engine *e, PKTIMER t, LONGLONG due, LONG period_ms, PKDPC dpc)
{
    BOOLEAN was_queued = t->Header.Inserted;
    hh_time when = due < 0 ? hh__due_in(e->now, due) : due - HH_SYSTEM_TIME_BASE;
    if (was_queued)
        hh__timer_remove(e, t);
    t->Header.SignalState = 0;
    t->Period = period_ms;
    t->Dpc = dpc;
    /* A due time already past signals the timer inside this call and queues its DPC, which
     * runs before the call returns only when the caller is below DISPATCH_LEVEL. */
    hh__timer_insert(e, t, when < e->now ? e->now : when);
    hh__trace_object(e, &t->Header);
    if (when <= e->now) {
        expire(e, t);
        hh_dpc_dispatch(e);
    }
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
