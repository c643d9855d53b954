/* test_dpc.c - the DPC queue, timer DPCs and I/O work items. DPCs are queued, never called
 * where they are queued
 * (ros-dpc KeInsertQueueDpc, KiRetireDpcList; ros-timerobj KiSignalTimer; ros-dpc
 * KiTimerExpiration): every timer due at an instant is signaled before any of their DPCs runs;
 * a DPC queued at DISPATCH_LEVEL runs once the IRQL drops below it; DPCs never nest and never
 * run as a thread blocked in a wait. Work items run at PASSIVE_LEVEL on the system worker
 * thread, before the worker's turn (docs/semantics.md).
 */
#include "engine_test.h"

#define MAX_EVENTS 32

/* What the DPCs and routines of a test did, in order. */
struct trace {
    struct hh_engine *e;
    unsigned n;
    char what[MAX_EVENTS];  /* 'b' a DPC began, 'e' it ended, 'r' the routine */
    int id[MAX_EVENTS];
    KIRQL irql[MAX_EVENTS];
    PKTHREAD thread[MAX_EVENTS];
    BOOLEAN result[MAX_EVENTS]; /* what the DPC's own call returned */
};

struct dpc_ctx {
    struct trace *trace;
    int id;
    PKTIMER timer;       /* cancelled or set by the DPC */
    PKDPC dpc;           /* queued by the DPC */
    PKSPIN_LOCK lock;    /* taken by the DPC */
    PKMUTEX mutex;       /* released by the DPC */
    PKEVENT event;       /* set by the DPC */
};

static void note(struct trace *t, char what, int id, BOOLEAN result)
{
    if (t->n < MAX_EVENTS) {
        t->what[t->n] = what;
        t->id[t->n] = id;
        t->irql[t->n] = t->e->current->irql;
        t->thread[t->n] = t->e->current;
        t->result[t->n] = result;
    }
    t->n++;
}

static void init_trace(struct trace *t, struct hh_engine *e)
{
    memset(t, 0, sizeof(*t));
    t->e = e;
}

static VOID record_dpc(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    struct dpc_ctx *c = context;
    (void)dpc, (void)a1, (void)a2;
    note(c->trace, 'b', c->id, FALSE);
    note(c->trace, 'e', c->id, FALSE);
}

static VOID cancel_dpc(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    struct dpc_ctx *c = context;
    (void)dpc, (void)a1, (void)a2;
    note(c->trace, 'b', c->id, KeCancelTimer(c->timer));
}

static VOID set_event_dpc(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    struct dpc_ctx *c = context;
    (void)dpc, (void)a1, (void)a2;
    KeSetEvent(c->event, 0, FALSE);
    note(c->trace, 'b', c->id, FALSE);
}

static VOID lock_dpc(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    struct dpc_ctx *c = context;
    (void)dpc, (void)a1, (void)a2;
    KeAcquireSpinLockAtDpcLevel(c->lock);
    note(c->trace, 'b', c->id, FALSE);
    KeReleaseSpinLockFromDpcLevel(c->lock);
}

/* Queues c->dpc (directly, and through a past-due timer when c->timer is set). */
static VOID queue_dpc(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    struct dpc_ctx *c = context;
    LARGE_INTEGER past;
    (void)dpc, (void)a1, (void)a2;
    note(c->trace, 'b', c->id, FALSE);
    past.QuadPart = 0;
    if (c->timer)
        KeSetTimer(c->timer, past, c->dpc);
    else
        note(c->trace, 'q', c->id, KeInsertQueueDpc(c->dpc, NULL, NULL));
    note(c->trace, 'e', c->id, FALSE);
}

static VOID release_mutex_dpc(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    struct dpc_ctx *c = context;
    (void)dpc, (void)a1, (void)a2;
    note(c->trace, 'b', c->id, FALSE);
    KeReleaseMutex(c->mutex, FALSE);
    note(c->trace, 'e', c->id, FALSE);
}

static void ctx_init(struct dpc_ctx *c, struct trace *t, int id)
{
    memset(c, 0, sizeof(*c));
    c->trace = t;
    c->id = id;
}

/* A worker routine that runs `body` once, on its first call, and continues. */
static void start_worker(struct hh_engine *e, struct et_routine *r, ULONG count, PVOID *objects,
                         void (*body)(struct et_routine *, NTSTATUS), void *user)
{
    struct et_start s;
    ULONG i;
    memset(r, 0, sizeof(*r));
    memset(&s, 0, sizeof(s));
    r->e = e;
    r->answer = TRUE;
    r->body = body;
    r->user = user;
    s.type = WaitAny;
    s.count = count;
    for (i = 0; i < count; i++)
        s.objects[i] = objects[i];
    et_configure(e, r, &s);
    hh_worker_start(e);
}

/* ---- All timers due at one instant are signaled before their DPCs run ------------------ */

/* Timer `cancel` (armed first) has a DPC that cancels `wanted`, due at the same instant. The
 * kernel has already signaled `wanted` when the DPC runs: KeCancelTimer returns FALSE and the
 * routine waiting on `wanted` wakes (it was a false deadlock when the DPC ran inline). */
struct cancel_case {
    KTIMER cancel, wanted;
    KDPC dpc;
    struct dpc_ctx ctx;
    struct trace trace;
    NTSTATUS waited;
};

static void wait_for_wanted(struct et_routine *r, NTSTATUS status)
{
    struct cancel_case *k = r->user;
    (void)status;
    if (r->calls != 1)
        return;
    KeSetTimer(&k->cancel, et_relative(ET_MS(10)), &k->dpc);
    KeSetTimer(&k->wanted, et_relative(ET_MS(10)), NULL);
    k->waited = KeWaitForSingleObject(&k->wanted, Executive, KernelMode, FALSE, NULL);
}

static void rule_dpc_cancelling_timer_due_same_instant_finds_it_signaled(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT go = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct cancel_case k;
    memset(&k, 0, sizeof(k));
    init_trace(&k.trace, e);
    ctx_init(&k.ctx, &k.trace, 1);
    k.ctx.timer = &k.wanted;
    KeInitializeTimerEx(&k.cancel, NotificationTimer);
    KeInitializeTimerEx(&k.wanted, NotificationTimer);
    KeInitializeDpc(&k.dpc, cancel_dpc, &k.ctx);
    objs[0] = go;
    start_worker(e, &r, 1, objs, wait_for_wanted, &k);
    KeSetEvent(go, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(k.waited, STATUS_WAIT_0);
    CHECK_EQ(e->now, ET_MS(10));
    CHECK_EQ(k.trace.n, 1);
    CHECK_EQ(k.trace.result[0], FALSE); /* KeCancelTimer: no longer queued */
    CHECK(KeReadStateTimer(&k.wanted));
    et_done(e);
}

/* The worker waits on [tick (a synchronization timer), data]. Timer `device` (armed first)
 * has a DPC that sets `data`; both timers are due at the same instant. The kernel signals
 * `tick` before the DPC runs, so the worker gets STATUS_WAIT_0 and then STATUS_WAIT_1. */
static void rule_timer_signals_before_dpc_of_earlier_timer_runs(void)
{
    struct hh_engine *e = et_engine();
    PKTIMER tick = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_TIMER);
    PKEVENT data = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    KTIMER device;
    KDPC dpc;
    struct dpc_ctx ctx;
    struct trace trace;
    struct et_routine r;
    PVOID objs[2];
    init_trace(&trace, e);
    ctx_init(&ctx, &trace, 1);
    ctx.event = data;
    objs[0] = tick;
    objs[1] = data;
    start_worker(e, &r, 2, objs, NULL, NULL);
    KeInitializeTimerEx(&device, NotificationTimer);
    KeInitializeDpc(&dpc, set_event_dpc, &ctx);
    KeSetTimer(&device, et_relative(ET_MS(10)), &dpc);
    KeSetTimer(tick, et_relative(ET_MS(10)), NULL);
    hh_engine_advance_to(e, ET_MS(20));
    CHECK_NO_FAILURE(e);
    CHECK_EQ(trace.n, 1);
    CHECK_EQ(r.calls, 2);
    CHECK_EQ(r.status[0], STATUS_WAIT_0);
    CHECK_EQ(r.status[1], STATUS_WAIT_1);
    CHECK_EQ(r.time[0], ET_MS(10));
    CHECK_EQ(r.time[1], ET_MS(10));
    et_done(e);
}

/* ---- KeSetTimer with a past due time ---------------------------------------------------- */

/* At PASSIVE_LEVEL the timer is signaled and its DPC runs before KeSetTimer returns. */
static void rule_past_due_timer_dpc_runs_before_set_timer_returns_at_passive(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    KDPC dpc;
    struct dpc_ctx ctx;
    struct trace trace;
    LARGE_INTEGER past;
    init_trace(&trace, e);
    ctx_init(&ctx, &trace, 1);
    KeInitializeTimerEx(&t, NotificationTimer);
    KeInitializeDpc(&dpc, record_dpc, &ctx);
    past.QuadPart = 0;
    CHECK(!KeSetTimer(&t, past, &dpc));
    CHECK(KeReadStateTimer(&t));
    CHECK_EQ(trace.n, 2);
    CHECK_EQ(trace.irql[0], DISPATCH_LEVEL);
    CHECK(dpc.DpcData == NULL);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    et_done(e);
}

/* Under a spin lock the DPC takes, KeSetTimer with a past due time signals the timer and queues
 * the DPC; it runs when the lock is released (it was a false SPIN_LOCK_ALREADY_OWNED). */
static void rule_past_due_timer_dpc_waits_for_irql_to_drop(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    KDPC dpc;
    KSPIN_LOCK lock;
    KIRQL old;
    struct dpc_ctx ctx;
    struct trace trace;
    init_trace(&trace, e);
    ctx_init(&ctx, &trace, 1);
    ctx.lock = &lock;
    KeInitializeSpinLock(&lock);
    KeInitializeTimerEx(&t, NotificationTimer);
    KeInitializeDpc(&dpc, lock_dpc, &ctx);
    hh_engine_advance_to(e, ET_MS(50));
    KeAcquireSpinLock(&lock, &old);
    CHECK(!KeSetTimer(&t, et_absolute(ET_MS(10)), &dpc));
    CHECK(KeReadStateTimer(&t));
    CHECK_EQ(trace.n, 0);
    CHECK(dpc.DpcData != NULL);
    KeReleaseSpinLock(&lock, old);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(trace.n, 1);
    CHECK_EQ(trace.irql[0], DISPATCH_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    et_done(e);
}

/* The same inside a routine: raised with KeRaiseIrql, the DPC runs at KeLowerIrql. */
struct raised_case {
    KTIMER t;
    KDPC dpc;
    struct dpc_ctx ctx;
    struct trace trace;
    unsigned before_lower;
};

static void set_timer_raised(struct et_routine *r, NTSTATUS status)
{
    struct raised_case *k = r->user;
    KIRQL old;
    LARGE_INTEGER past;
    (void)status;
    past.QuadPart = 0;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KeSetTimer(&k->t, past, &k->dpc);
    k->before_lower = k->trace.n;
    KeLowerIrql(old);
    note(&k->trace, 'r', 0, FALSE);
}

static void rule_past_due_timer_dpc_runs_at_lower_irql_in_routine(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT go = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct raised_case k;
    memset(&k, 0, sizeof(k));
    init_trace(&k.trace, e);
    ctx_init(&k.ctx, &k.trace, 1);
    KeInitializeTimerEx(&k.t, NotificationTimer);
    KeInitializeDpc(&k.dpc, record_dpc, &k.ctx);
    objs[0] = go;
    start_worker(e, &r, 1, objs, set_timer_raised, &k);
    KeSetEvent(go, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(k.before_lower, 0);
    CHECK_EQ(k.trace.n, 3);
    CHECK_EQ(k.trace.what[0], 'b');
    CHECK_EQ(k.trace.what[2], 'r');
    /* The running worker was interrupted: the DPC ran on its processor. */
    CHECK(k.trace.thread[0] == e->worker);
    et_done(e);
}

/* ---- DPCs never nest ------------------------------------------------------------------- */

/* A DPC that queues another (directly, or through a past-due timer) finishes first. */
static void rule_dpcs_never_nest(void)
{
    struct hh_engine *e = et_engine();
    KTIMER t;
    KDPC outer, inner, outer2;
    struct dpc_ctx co, ci, co2;
    struct trace trace;
    init_trace(&trace, e);
    ctx_init(&co, &trace, 1);
    ctx_init(&ci, &trace, 2);
    ctx_init(&co2, &trace, 3);
    co.dpc = &inner;
    co.timer = &t;
    co2.dpc = &inner;
    KeInitializeTimerEx(&t, NotificationTimer);
    KeInitializeDpc(&outer, queue_dpc, &co);
    KeInitializeDpc(&inner, record_dpc, &ci);
    KeInitializeDpc(&outer2, queue_dpc, &co2);
    CHECK(KeInsertQueueDpc(&outer, NULL, NULL));
    CHECK_NO_FAILURE(e);
    CHECK_EQ(trace.n, 4);
    CHECK_EQ(trace.what[0], 'b');
    CHECK_EQ(trace.id[0], 1);
    CHECK_EQ(trace.what[1], 'e');
    CHECK_EQ(trace.id[1], 1);
    CHECK_EQ(trace.id[2], 2);
    CHECK(KeReadStateTimer(&t));
    trace.n = 0;
    CHECK(KeInsertQueueDpc(&outer2, NULL, NULL));
    CHECK_EQ(trace.n, 5);
    CHECK_EQ(trace.what[1], 'q');
    CHECK_EQ(trace.result[1], TRUE);
    CHECK_EQ(trace.what[2], 'e');
    CHECK_EQ(trace.id[2], 3);
    CHECK_EQ(trace.id[3], 2);
    et_done(e);
}

/* ---- DPCs never run as a blocked thread ------------------------------------------------- */

/* The routine holds a KMUTEX and sleeps; a timer's DPC releases the mutex. The DPC runs on the
 * processor, not as the blocked worker, so the release raises STATUS_MUTANT_NOT_OWNED. */
struct mutex_case {
    KMUTEX m;
    KTIMER t;
    KDPC dpc;
    struct dpc_ctx ctx;
    struct trace trace;
};

static void hold_mutex_and_sleep(struct et_routine *r, NTSTATUS status)
{
    struct mutex_case *k = r->user;
    LARGE_INTEGER ten = et_relative(ET_MS(10));
    (void)status;
    KeWaitForSingleObject(&k->m, Executive, KernelMode, FALSE, NULL);
    KeSetTimer(&k->t, et_relative(ET_MS(5)), &k->dpc);
    KeDelayExecutionThread(KernelMode, FALSE, &ten);
    KeReleaseMutex(&k->m, FALSE);
}

static void rule_dpc_never_runs_as_blocked_worker(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT go = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct mutex_case k;
    memset(&k, 0, sizeof(k));
    init_trace(&k.trace, e);
    ctx_init(&k.ctx, &k.trace, 1);
    k.ctx.mutex = &k.m;
    KeInitializeMutex(&k.m, 0);
    KeInitializeTimerEx(&k.t, NotificationTimer);
    KeInitializeDpc(&k.dpc, release_mutex_dpc, &k.ctx);
    objs[0] = go;
    start_worker(e, &r, 1, objs, hold_mutex_and_sleep, &k);
    KeSetEvent(go, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_MUTANT_NOT_OWNED);
    CHECK_EQ(k.trace.n, 1);
    CHECK(k.trace.thread[0] != e->worker);
    CHECK_EQ(k.trace.irql[0], DISPATCH_LEVEL);
    CHECK_EQ(e->now, ET_MS(5));
    et_done(e);
}

/* ---- KeInsertQueueDpc, KeRemoveQueueDpc ------------------------------------------------- */

/* Queued twice, a DPC is queued once (FALSE the second time) and runs once; removed before it
 * runs, it never runs (ros-dpc). At DISPATCH_LEVEL nothing runs until the IRQL drops. */
static void rule_insert_twice_false_remove_returns_queued(void)
{
    struct hh_engine *e = et_engine();
    KDPC a, b;
    struct dpc_ctx ca, cb;
    struct trace trace;
    KIRQL old;
    init_trace(&trace, e);
    ctx_init(&ca, &trace, 1);
    ctx_init(&cb, &trace, 2);
    KeInitializeDpc(&a, record_dpc, &ca);
    KeInitializeDpc(&b, record_dpc, &cb);
    CHECK(!KeRemoveQueueDpc(&a));
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    CHECK(KeInsertQueueDpc(&a, (PVOID)1, NULL));
    CHECK(!KeInsertQueueDpc(&a, (PVOID)2, NULL));
    CHECK(a.SystemArgument1 == (PVOID)1);
    CHECK(KeInsertQueueDpc(&b, NULL, NULL));
    CHECK(KeRemoveQueueDpc(&b));
    CHECK(!KeRemoveQueueDpc(&b));
    CHECK_EQ(trace.n, 0);
    KeLowerIrql(old);
    CHECK_EQ(trace.n, 2);
    CHECK_EQ(trace.id[0], 1);
    /* Run, it may be queued again. */
    CHECK(KeInsertQueueDpc(&a, NULL, NULL));
    CHECK_EQ(trace.n, 4);
    et_done(e);
}

/* HighImportance goes to the head of the queue; the others to its tail (ros-dpc). */
static void rule_high_importance_dpc_runs_first(void)
{
    struct hh_engine *e = et_engine();
    KDPC d[3];
    struct dpc_ctx c[3];
    struct trace trace;
    KIRQL old;
    int i;
    init_trace(&trace, e);
    for (i = 0; i < 3; i++) {
        ctx_init(&c[i], &trace, i + 1);
        KeInitializeDpc(&d[i], record_dpc, &c[i]);
    }
    CHECK_EQ(d[0].Importance, MediumImportance);
    KeSetImportanceDpc(&d[2], HighImportance);
    KeSetImportanceDpc(&d[1], LowImportance);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KeInsertQueueDpc(&d[0], NULL, NULL);
    KeInsertQueueDpc(&d[1], NULL, NULL);
    KeInsertQueueDpc(&d[2], NULL, NULL);
    KeLowerIrql(old);
    CHECK_EQ(trace.n, 6);
    CHECK_EQ(trace.id[0], 3);
    CHECK_EQ(trace.id[2], 1);
    CHECK_EQ(trace.id[4], 2);
    et_done(e);
}

/* ---- I/O work items --------------------------------------------------------------------- */

struct work_case {
    struct trace trace;
    DEVICE_OBJECT device;
    PIO_WORKITEM item;
    PKEVENT event;       /* set by the work item */
    KTIMER timer;
    KDPC dpc;
    PDEVICE_OBJECT seen_device;
    PVOID seen_context;
    int free_in_routine;
    int raise_in_routine;
};

static VOID work_routine(PDEVICE_OBJECT device, PVOID context)
{
    struct work_case *k = context;
    k->seen_device = device;
    k->seen_context = context;
    note(&k->trace, 'w', 0, FALSE);
    if (k->event)
        KeSetEvent(k->event, 0, FALSE);
    if (k->free_in_routine)
        IoFreeWorkItem(k->item);
    if (k->raise_in_routine) {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
    }
}

static VOID queue_work_dpc(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    struct work_case *k = context;
    (void)dpc, (void)a1, (void)a2;
    note(&k->trace, 'b', 1, FALSE);
    IoQueueWorkItem(k->item, work_routine, DelayedWorkQueue, k);
}

static void work_case_init(struct work_case *k, struct hh_engine *e)
{
    memset(k, 0, sizeof(*k));
    init_trace(&k->trace, e);
    k->free_in_routine = 1;
}

/* The routine queues a work item and returns: the item runs when the worker blocks, at
 * PASSIVE_LEVEL as the system worker thread, with its device object and context; the event it
 * sets wakes the worker at the same instant. */
static void queue_and_return(struct et_routine *r, NTSTATUS status)
{
    struct work_case *k = r->user;
    if (status != STATUS_WAIT_0)
        return;
    k->item = IoAllocateWorkItem(&k->device);
    IoQueueWorkItem(k->item, work_routine, DelayedWorkQueue, k);
    note(&k->trace, 'r', 0, FALSE);
}

static void rule_work_item_runs_on_system_worker_when_worker_blocks(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT go = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT done = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[2];
    struct et_routine r;
    struct work_case k;
    work_case_init(&k, e);
    k.event = done;
    objs[0] = go;
    objs[1] = done;
    start_worker(e, &r, 2, objs, queue_and_return, &k);
    hh_engine_advance_to(e, ET_MS(5));
    KeSetEvent(go, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(k.trace.n, 2);
    CHECK_EQ(k.trace.what[0], 'r');
    CHECK_EQ(k.trace.what[1], 'w');
    CHECK(k.trace.thread[1] != e->worker);
    CHECK_STR(k.trace.thread[1]->name, "system worker");
    CHECK_EQ(k.trace.irql[1], PASSIVE_LEVEL);
    CHECK(k.seen_device == &k.device);
    CHECK(k.seen_context == &k);
    CHECK_EQ(r.calls, 2);
    CHECK_EQ(r.status[1], STATUS_WAIT_1);
    CHECK_EQ(r.time[1], ET_MS(5));
    CHECK(e->current == e->driver);
    et_done(e);
}

/* A timer's DPC queues a work item (the classic deferral): at the instant, the DPC runs, then
 * the work item, then the worker, woken by what the item set. */
static void rule_dpc_queues_work_item_before_worker_turn(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT done = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct work_case k;
    work_case_init(&k, e);
    k.event = done;
    k.free_in_routine = 0;
    objs[0] = done;
    start_worker(e, &r, 1, objs, NULL, NULL);
    k.item = IoAllocateWorkItem(&k.device);
    KeInitializeTimerEx(&k.timer, NotificationTimer);
    KeInitializeDpc(&k.dpc, queue_work_dpc, &k);
    KeSetTimer(&k.timer, et_relative(ET_MS(10)), &k.dpc);
    hh_engine_advance_to(e, ET_MS(20));
    CHECK_NO_FAILURE(e);
    CHECK_EQ(k.trace.n, 2);
    CHECK_EQ(k.trace.what[0], 'b');
    CHECK_EQ(k.trace.irql[0], DISPATCH_LEVEL);
    CHECK_EQ(k.trace.what[1], 'w');
    CHECK_EQ(k.trace.irql[1], PASSIVE_LEVEL);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.time[0], ET_MS(10));
    IoFreeWorkItem(k.item);
    et_done(e);
}

/* A routine that queues a work item and then waits for it is not a deadlock: the blocked
 * routine yields to the system worker before the clock would move. */
static void queue_and_wait(struct et_routine *r, NTSTATUS status)
{
    struct work_case *k = r->user;
    (void)status;
    k->item = IoAllocateWorkItem(&k->device);
    IoQueueWorkItem(k->item, work_routine, DelayedWorkQueue, k);
    note(&k->trace, 'r', (int)KeWaitForSingleObject(k->event, Executive, KernelMode, FALSE,
                                                    NULL), FALSE);
}

static void rule_routine_waiting_for_its_work_item_is_no_deadlock(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT go = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    KEVENT done;
    PVOID objs[1];
    struct et_routine r;
    struct work_case k;
    work_case_init(&k, e);
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    k.event = &done;
    objs[0] = go;
    start_worker(e, &r, 1, objs, queue_and_wait, &k);
    KeSetEvent(go, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(k.trace.n, 2);
    CHECK_EQ(k.trace.what[0], 'w');
    CHECK_EQ(k.trace.what[1], 'r');
    CHECK_EQ(k.trace.id[1], STATUS_WAIT_0);
    CHECK_EQ(e->now, 0);
    et_done(e);
}

/* WORKER_INVALID: queued twice before it ran (0x1), freed while queued (0x2). */
static void queue_twice_fn(void *arg)
{
    struct work_case *k = arg;
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    IoQueueWorkItem(k->item, work_routine, DelayedWorkQueue, k);
    if (k->free_in_routine)
        IoFreeWorkItem(k->item);
    else
        IoQueueWorkItem(k->item, work_routine, DelayedWorkQueue, k);
    KeLowerIrql(old);
}

static void rule_work_item_queued_or_freed_while_queued_is_bugcheck(void)
{
    int freed;
    for (freed = 0; freed < 2; freed++) {
        struct hh_engine *e = et_engine();
        struct work_case k;
        work_case_init(&k, e);
        k.free_in_routine = freed;
        k.item = IoAllocateWorkItem(&k.device);
        CHECK_EQ(et_as(e, e->driver, queue_twice_fn, &k), -1);
        CHECK_RULE(e, HH_RULE_BUGCHECK);
        CHECK_CONTAINS(e->failure.message,
                       freed ? "WORKER_INVALID (0xE4, 0x2)" : "WORKER_INVALID (0xE4, 0x1)");
        CHECK_EQ(k.trace.n, 0);
        et_done(e);
    }
}

/* A work item's routine that returns at DISPATCH_LEVEL: WORKER_THREAD_RETURNED_AT_BAD_IRQL. */
static void rule_work_item_returning_raised_is_bugcheck(void)
{
    struct hh_engine *e = et_engine();
    struct work_case k;
    work_case_init(&k, e);
    k.raise_in_routine = 1;
    k.item = IoAllocateWorkItem(&k.device);
    IoQueueWorkItem(k.item, work_routine, DelayedWorkQueue, &k);
    CHECK_EQ(k.trace.n, 0); /* queued, not run where it was queued */
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_BUGCHECK);
    CHECK_CONTAINS(e->failure.message, "WORKER_THREAD_RETURNED_AT_BAD_IRQL (0xE1)");
    et_done(e);
}

/* A DPC or a work item that queues itself again each time never lets the processor go:
 * rule livelock, not a hung harness. */
static VOID requeue_dpc(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    (void)context, (void)a1, (void)a2;
    KeInsertQueueDpc(dpc, NULL, NULL);
}

static VOID requeue_work(PDEVICE_OBJECT device, PVOID context)
{
    struct work_case *k = context;
    (void)device;
    IoQueueWorkItem(k->item, requeue_work, DelayedWorkQueue, k);
}

static void rule_self_requeueing_dpc_or_work_item_is_livelock(void)
{
    struct hh_engine *e = et_engine();
    KDPC dpc;
    struct work_case k;
    e->livelock_limit = 100;
    KeInitializeDpc(&dpc, requeue_dpc, NULL);
    KeInsertQueueDpc(&dpc, NULL, NULL);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_CONTAINS(e->failure.message, "a DPC that queues itself");
    et_done(e);

    e = et_engine();
    e->livelock_limit = 100;
    work_case_init(&k, e);
    k.item = IoAllocateWorkItem(&k.device);
    IoQueueWorkItem(k.item, requeue_work, DelayedWorkQueue, &k);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_CONTAINS(e->failure.message, "a work item that queues itself");
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"rule_dpc_cancelling_timer_due_same_instant_finds_it_signaled",
         rule_dpc_cancelling_timer_due_same_instant_finds_it_signaled},
        {"rule_timer_signals_before_dpc_of_earlier_timer_runs",
         rule_timer_signals_before_dpc_of_earlier_timer_runs},
        {"rule_past_due_timer_dpc_runs_before_set_timer_returns_at_passive",
         rule_past_due_timer_dpc_runs_before_set_timer_returns_at_passive},
        {"rule_past_due_timer_dpc_waits_for_irql_to_drop",
         rule_past_due_timer_dpc_waits_for_irql_to_drop},
        {"rule_past_due_timer_dpc_runs_at_lower_irql_in_routine",
         rule_past_due_timer_dpc_runs_at_lower_irql_in_routine},
        {"rule_dpcs_never_nest", rule_dpcs_never_nest},
        {"rule_dpc_never_runs_as_blocked_worker", rule_dpc_never_runs_as_blocked_worker},
        {"rule_insert_twice_false_remove_returns_queued",
         rule_insert_twice_false_remove_returns_queued},
        {"rule_high_importance_dpc_runs_first", rule_high_importance_dpc_runs_first},
        {"rule_work_item_runs_on_system_worker_when_worker_blocks",
         rule_work_item_runs_on_system_worker_when_worker_blocks},
        {"rule_dpc_queues_work_item_before_worker_turn",
         rule_dpc_queues_work_item_before_worker_turn},
        {"rule_routine_waiting_for_its_work_item_is_no_deadlock",
         rule_routine_waiting_for_its_work_item_is_no_deadlock},
        {"rule_work_item_queued_or_freed_while_queued_is_bugcheck",
         rule_work_item_queued_or_freed_while_queued_is_bugcheck},
        {"rule_self_requeueing_dpc_or_work_item_is_livelock",
         rule_self_requeueing_dpc_or_work_item_is_livelock},
        {"rule_work_item_returning_raised_is_bugcheck",
         rule_work_item_returning_raised_is_bugcheck},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
