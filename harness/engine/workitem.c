/* workitem.c - the system work queue behind IoQueueWorkItem and its one system worker thread.
 *
 * A work item runs at PASSIVE_LEVEL on a thread of its own ("system worker"), never where it
 * was queued. System worker threads run at a higher priority than a driver's threads, so under
 * the virtual clock the queue runs whenever the processor would otherwise go to the worker:
 * after a step's action and after each clock instant's DPCs, when the worker blocks, and before
 * a routine's own wait moves the clock. Under the real clock it runs on the scenario's thread
 * when that takes the dispatcher lock. Returning at another IRQL is a bug check.
 */
#include "engine_int.h"

#include <stdio.h>

void hh_work_queue(struct hh_engine *e, PIO_WORKITEM w)
{
    if (e->explore && hh__ex_on_thread(e)) {
        hh__ex_queue_work(e, w); /* explored: its own thread on the system worker */
        return;
    }
    w->queued = TRUE;
    hh__list_insert_tail(&e->work, &w->entry);
    if (e->rt)
        hh__rt_timer_queued(e); /* the scenario's thread must come and run it */
}

struct work_call {
    PIO_WORKITEM_ROUTINE routine;
    PDEVICE_OBJECT device;
    PVOID context;
};

static void call_work(void *arg)
{
    struct work_call *c = arg;
    c->routine(c->device, c->context);
}

int hh__work_call(struct hh_engine *e, struct _KTHREAD *sys, PIO_WORKITEM w)
{
    struct work_call c;
    c.routine = w->routine;
    c.device = w->device;
    c.context = w->context;
    e->current = sys;
    sys->irql = PASSIVE_LEVEL;
    if (hh__guard_top)
        call_work(&c); /* a failure unwinds to the foreign code that is running */
    else if (hh_engine_guarded(e, call_work, &c) != 0)
        return -1;
    if (sys->irql != PASSIVE_LEVEL || sys->spinlocks) {
        char irql[24];
        hh_engine_fail(e, HH_RULE_BUGCHECK,
                       "a work item's routine returned at %s%s: the kernel bug-checks "
                       "WORKER_THREAD_RETURNED_AT_BAD_IRQL (0xE1)",
                       hh_irql_name(sys->irql, irql, sizeof(irql)),
                       sys->spinlocks ? " holding a spin lock" : "");
        return -1;
    }
    return 0;
}

void hh_work_run(struct hh_engine *e)
{
    struct _KTHREAD *saved, *sys;
    unsigned long runs = 0;
    if (!hh_work_pending(e) || e->failed)
        return;
    if (!e->system_worker)
        e->system_worker = hh_engine_thread(e, "system worker");
    sys = e->system_worker;
    saved = e->current;
    e->in_work = 1;
    while (e->work.Flink != &e->work && !e->failed) {
        PIO_WORKITEM w = (PIO_WORKITEM)((char *)e->work.Flink - offsetof(IO_WORKITEM, entry));
        if (++runs > e->livelock_limit) {
            hh_engine_fail(e, HH_RULE_LIVELOCK,
                           "%lu work items ran in a row without the clock moving: a work item "
                           "that queues itself again each time keeps the system worker busy "
                           "forever", runs - 1);
            break;
        }
        hh__list_remove(&w->entry);
        /* No longer queued once it runs: the routine may queue it again or free it. */
        w->queued = FALSE;
        if (hh__work_call(e, sys, w) != 0)
            break;
    }
    e->current = saved;
    e->in_work = 0;
}
