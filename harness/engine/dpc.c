/* dpc.c - the simulated processor's DPC queue (KeInsertQueueDpc, KeRemoveQueueDpc, the DPC
 * interrupt).
 *
 * A DPC is never called where it is queued: it waits on the queue until the processor's IRQL
 * is below DISPATCH_LEVEL (at once when queued from below it; when a spin lock is released or
 * the IRQL lowered otherwise), then the queue runs to empty, one DPC at a time, at
 * DISPATCH_LEVEL. A DPC queued by a DPC runs after it: DPCs never nest (KiRetireDpcList).
 * Timer expiry queues the DPCs of every timer due at the instant and only then runs them.
 */
#include "engine_int.h"

static PKDPC dpc_of(LIST_ENTRY *entry)
{
    return (PKDPC)((char *)entry - offsetof(KDPC, DpcListEntry));
}

BOOLEAN hh__dpc_queue(struct hh_engine *e, PKDPC dpc, PVOID arg1, PVOID arg2)
{
    if (dpc->DpcData)
        return FALSE;
    dpc->DpcData = &e->dpcs;
    dpc->HhTimer = NULL;
    dpc->SystemArgument1 = arg1;
    dpc->SystemArgument2 = arg2;
    if (dpc->Importance == HighImportance) { /* ahead of the others (ros-dpc) */
        dpc->DpcListEntry.Flink = e->dpcs.Flink;
        dpc->DpcListEntry.Blink = &e->dpcs;
        e->dpcs.Flink->Blink = &dpc->DpcListEntry;
        e->dpcs.Flink = &dpc->DpcListEntry;
    } else {
        hh__list_insert_tail(&e->dpcs, &dpc->DpcListEntry);
    }
    return TRUE;
}

BOOLEAN hh_dpc_insert(struct hh_engine *e, PKDPC dpc, PVOID arg1, PVOID arg2)
{
    BOOLEAN queued = hh__dpc_queue(e, dpc, arg1, arg2);
    hh_dpc_dispatch(e);
    return queued;
}

BOOLEAN hh_dpc_remove(struct hh_engine *e, PKDPC dpc)
{
    (void)e;
    if (!dpc->DpcData)
        return FALSE;
    hh__list_remove(&dpc->DpcListEntry);
    dpc->DpcData = NULL;
    return TRUE;
}

struct dpc_call {
    PKDEFERRED_ROUTINE routine;
    PKDPC dpc;
    PVOID context, arg1, arg2;
};

static void call_dpc(void *arg)
{
    struct dpc_call *c = arg;
    c->routine(c->dpc, c->context, c->arg1, c->arg2);
}

/* One DPC at DISPATCH_LEVEL on cpu. Pool it allocates is reported as the DPC's (and its
 * timer's); what it takes and still holds when it returns is rule held-at-return. */
static void run_one(struct hh_engine *e, struct _KTHREAD *cpu, struct dpc_call *c, PKTIMER timer)
{
    unsigned nheld = cpu->nheld, spinlocks = cpu->spinlocks;
    if (e->trace) {
        struct hh_trace_event ev;
        hh_trace_event_init(&ev, HH_TRACE_DPC, "DPC");
        ev.object = timer;
        hh_engine_trace(e, &ev);
    }
    cpu->irql = DISPATCH_LEVEL;
    cpu->dpc = c->dpc;
    cpu->dpc_timer = timer;
    if (hh__guard_top)
        call_dpc(c); /* a failure unwinds to the foreign code that is running */
    else if (hh_engine_guarded(e, call_dpc, c) != 0)
        nheld = cpu->nheld, spinlocks = cpu->spinlocks; /* it failed already */
    cpu->dpc = NULL;
    cpu->dpc_timer = NULL;
    hh_held_check_code(e, cpu, timer ? "a timer's DPC" : "a DPC", nheld, spinlocks);
}

/* The thread the DPC interrupts: the running one. A thread blocked in a wait is not running;
 * then the processor is the scenario's thread's (the clock interrupt's, in a real-clock run). */
static struct _KTHREAD *processor_thread(struct hh_engine *e)
{
    return e->current->blocked ? e->driver : e->current;
}

void hh__dpc_run(struct hh_engine *e, struct _KTHREAD *cpu, PKDPC dpc)
{
    struct dpc_call c;
    c.routine = dpc->DeferredRoutine;
    c.dpc = dpc;
    c.context = dpc->DeferredContext;
    c.arg1 = dpc->SystemArgument1;
    c.arg2 = dpc->SystemArgument2;
    if (c.routine)
        run_one(e, cpu, &c, (PKTIMER)dpc->HhTimer);
}

void hh_dpc_dispatch(struct hh_engine *e)
{
    struct _KTHREAD *interrupted, *cpu;
    unsigned long runs = 0;
    KIRQL saved;
    if (e->dpcs.Flink == &e->dpcs || e->failed)
        return;
    if (e->explore && hh__ex_on_thread(e)) {
        hh__ex_take_dpcs(e); /* explored: the DPC processor runs them, each a thread */
        return;
    }
    if (e->in_dpc)
        return;
    interrupted = e->current;
    cpu = processor_thread(e);
    if (cpu->irql >= DISPATCH_LEVEL)
        return;
    saved = cpu->irql;
    e->in_dpc = 1;
    e->current = cpu;
    cpu->irql = DISPATCH_LEVEL;
    while (e->dpcs.Flink != &e->dpcs && !e->failed) {
        PKDPC dpc = dpc_of(e->dpcs.Flink);
        if (++runs > e->livelock_limit) {
            hh_engine_fail(e, HH_RULE_LIVELOCK,
                           "%lu DPCs ran in a row without the processor's IRQL dropping below "
                           "DISPATCH_LEVEL: a DPC that queues itself again each time keeps "
                           "the processor in DPCs forever", runs - 1);
            break;
        }
        hh__list_remove(&dpc->DpcListEntry);
        dpc->DpcData = NULL; /* it may queue itself again */
        hh__dpc_run(e, cpu, dpc);
    }
    cpu->irql = saved;
    e->current = interrupted;
    e->in_dpc = 0;
}
