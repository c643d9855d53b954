/* test_realtime.c - the real clock (realtime.c): the worker on an OS thread of its own, the
 * dispatcher lock, the clock following the OS's monotonic clock in whole ticks, timers fired
 * by the driver's thread at their due times, a routine's own waits sleeping in the OS, the
 * deadlock and livelock rules, hot-swap and the end of a run (engine.h, "The real clock").
 *
 * The driver of the engine (this thread) holds the dispatcher lock except while it sleeps in
 * hh_engine_realtime_sleep_until or hh_engine_realtime_settle, so every read of the engine
 * or of a record the routine wrote is made holding it, after a settle. The routine runs
 * unlocked on the worker's thread: it only records (no CHECK there, a failed CHECK unwinds the
 * test's own thread) and reaches the engine through the kernel shim, which takes the lock.
 * Time bounds are tight below and generous above: the machine may be loaded. Every run ends
 * with hh_engine_realtime_end before a CHECK, so a failed CHECK leaves no thread running.
 */
#include "engine_test.h"

#include <stdio.h>
#include <stdlib.h>

#include "platform/plat.h"

#define RT_MAX_CALLS 64
#define TICK HH_TICKS_PER_MS /* the CLI's --clock real tick (HH_REAL_TICK) */
#define NS_PER_TICK UINT64_C(100)
#define NS_MS(n) ((uint64_t)(n) * UINT64_C(1000000))

/* ---- Which OS thread runs this ------------------------------------------------------------ */

/* A tag per OS thread, handed out on first use: 0 in every new thread until it asks. A
 * thread's address of a thread-local may be reused by the next thread the C library makes;
 * a tag never is. */
static HH_THREAD_LOCAL unsigned thread_tag;
static volatile LONG next_tag;

static unsigned my_tag(void)
{
    if (!thread_tag)
        thread_tag = (unsigned)InterlockedIncrement(&next_tag);
    return thread_tag;
}

/* ---- A recording routine for the real clock ---------------------------------------------- */

/* et_routine_fn reads e->now and e->current without the lock, which is a data race once the
 * routine runs beside the driver; this one reads them through the shim. */
struct rt_rec {
    struct hh_engine *e;
    unsigned calls;
    NTSTATUS status[RT_MAX_CALLS];
    hh_time time[RT_MAX_CALLS];      /* KeQueryInterruptTime at the call */
    uint64_t real_ns[RT_MAX_CALLS];  /* hh_plat_monotonic_ns at the call */
    unsigned tag[RT_MAX_CALLS];      /* the OS thread it ran on */
    const void *tls[RT_MAX_CALLS];   /* that thread's address of thread_tag */
    PKTHREAD thread[RT_MAX_CALLS];   /* KeGetCurrentThread: e->current under the lock */
    char which[RT_MAX_CALLS];        /* 'A' or 'B': the routine before or after a swap */
    BOOLEAN answer;
    void (*body)(struct rt_rec *r, NTSTATUS status);
    void *user;
    /* What bodies found */
    int saw;
    volatile LONG looks;
    unsigned spins;
    hh_time saw_at;
    NTSTATUS delay_status;
    uint64_t delay_real_ns;
    hh_time delay_before, delay_after;
    /* What the engine reported (on the worker's thread, under the lock) */
    unsigned reported;
    struct hh_invocation inv[RT_MAX_CALLS];
};

static BOOLEAN record(struct rt_rec *r, NTSTATUS status, char which)
{
    unsigned n = r->calls++;
    if (n < RT_MAX_CALLS) {
        r->real_ns[n] = hh_plat_monotonic_ns();
        r->status[n] = status;
        r->time[n] = (hh_time)KeQueryInterruptTime();
        r->tag[n] = my_tag();
        r->tls[n] = &thread_tag;
        r->thread[n] = KeGetCurrentThread();
        r->which[n] = which;
    }
    if (r->body)
        r->body(r, status);
    return r->answer;
}

static BOOLEAN routine_a(PVOID context, NTSTATUS status)
{
    return record(context, status, 'A');
}

static BOOLEAN routine_b(PVOID context, NTSTATUS status)
{
    return record(context, status, 'B');
}

static void on_invocation(void *user, const struct hh_invocation *inv)
{
    struct rt_rec *r = user;
    if (r->reported < RT_MAX_CALLS) {
        r->inv[r->reported] = *inv;
        r->inv[r->reported].log = NULL; /* points into the engine's buffer */
    }
    r->reported++;
}

/* A WaitAny KernelMode worker on `count` objects running routine_a; timeout_ticks > 0: a
 * relative timeout of that many ticks. Then the real clock, and the worker started and
 * settled in its first wait. Returns the real time the clock's 0 was taken at (about). */
static uint64_t rt_start(struct hh_engine *e, struct rt_rec *r, ULONG count, PVOID *objects,
                         hh_time timeout_ticks)
{
    size_t size = offsetof(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
                  (count ? count : 1) * sizeof(PKEVENT);
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start = calloc(1, size);
    uint64_t t0;
    ULONG i;
    CHECK(start != NULL);
    r->e = e;
    start->WorkerRoutine = routine_a;
    start->Context = r;
    start->WaitType = WaitAny;
    start->WaitReason = Executive;
    start->WaitMode = KernelMode;
    start->HasTimeout = timeout_ticks > 0;
    start->Timeout.QuadPart = -(LONGLONG)timeout_ticks;
    start->EventCount = count;
    for (i = 0; i < count; i++)
        start->Events[i] = objects[i];
    hh_worker_configure(e, start, HH_TRUE_MEANS_CONTINUE, on_invocation, r);
    free(start);
    t0 = hh_plat_monotonic_ns();
    CHECK_EQ(hh_engine_realtime_begin(e, TICK), 0);
    hh_worker_start(e);
    return t0;
}

static void rec_init(struct rt_rec *r)
{
    memset(r, 0, sizeof(*r));
    r->answer = TRUE;
}

/* ---- 1. The routine's thread ------------------------------------------------------------- */

/* The routine runs on an OS thread other than the driver's (a thread tag the driver's thread
 * does not have, and another address of a thread-local), and as the model's worker thread:
 * KeGetCurrentThread (e->current under the lock) is e->worker there, e->driver here. */
static void rt_routine_runs_on_its_own_os_thread(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    int settled;
    PKTHREAD driver_sees;
    objs[0] = work;
    rec_init(&r);
    rt_start(e, &r, 1, objs, 0);
    settled = hh_engine_realtime_settle(e, -1);
    KeSetEvent(work, 0, FALSE);
    settled += hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    driver_sees = KeGetCurrentThread();
    hh_engine_realtime_end(e);
    CHECK_EQ(settled, 2);
    CHECK_EQ(r.calls, 1);
    CHECK(r.tag[0] != 0);
    CHECK(r.tag[0] != my_tag());
    CHECK(r.tls[0] != (const void *)&thread_tag);
    CHECK(r.thread[0] == e->worker);
    CHECK(driver_sees == e->driver);
    CHECK(e->worker != e->driver);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- 2. A step's signal ------------------------------------------------------------------ */

/* A synchronization event set by the driver wakes the worker's thread: after the settle
 * (which says 1, settled) the routine was called once with STATUS_WAIT_0, answered continue,
 * and the event is not signaled any more (the wait took it); the worker waits again. */
static void rt_signal_from_driver_wakes_worker(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    int settled_start, settled;
    LONG state;
    enum hh_worker_state ws;
    objs[0] = work;
    rec_init(&r);
    rt_start(e, &r, 1, objs, 0);
    settled_start = hh_engine_realtime_settle(e, -1);
    KeSetEvent(work, 0, FALSE);
    settled = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    state = KeReadStateEvent(work);
    ws = e->state;
    hh_engine_realtime_end(e);
    CHECK_EQ(settled_start, 1);
    CHECK_EQ(settled, 1);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.status[0], STATUS_WAIT_0);
    CHECK_EQ(r.reported, 1);
    CHECK_EQ(r.inv[0].status, STATUS_WAIT_0);
    CHECK_EQ(r.inv[0].decision, HH_DECISION_CONTINUE);
    CHECK_EQ(state, 0);
    CHECK_EQ(ws, HH_WORKER_WAITING);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- 3. A relative timeout --------------------------------------------------------------- */

/* The start context's 30 ms relative timeout runs out in real time: sleeping to 45 ms gives
 * exactly one STATUS_TIMEOUT invocation, at the wait's deadline (its start + 30 ms, fired by
 * the driver's thread at that tick) or a little after it (the worker's thread takes the lock
 * when the OS runs it), and at least 30 ms of real time after the clock's 0. Exactly one as
 * long as the driver looked before the next deadline (the invocation + 30 ms); on a machine
 * so loaded that its sleep overshot that, every later timeout is 30 ms after the one before. */
static void rt_relative_timeout_in_real_time(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    uint64_t t0;
    int settled_start, settled;
    BOOLEAN has_deadline;
    hh_time deadline, checked_at;
    unsigned i, n;
    objs[0] = work;
    rec_init(&r);
    t0 = rt_start(e, &r, 1, objs, ET_MS(30));
    settled_start = hh_engine_realtime_settle(e, -1);
    has_deadline = e->worker->wait.has_deadline;
    deadline = e->worker->wait.deadline;
    hh_engine_realtime_sleep_until(e, ET_MS(45));
    /* The worker may still be on its way through the invocation: let it block again. */
    settled = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    checked_at = e->now;
    hh_engine_realtime_end(e);
    CHECK_EQ(settled_start, 1);
    CHECK_EQ(settled, 1);
    CHECK(has_deadline);
    CHECK_INT(deadline, >=, ET_MS(30));
    CHECK_INT(deadline, <=, ET_MS(30) + ET_MS(200)); /* the worker's thread started late */
    CHECK_INT(r.calls, >=, 1);
    CHECK_EQ(r.reported, r.calls);
    if (checked_at < r.inv[0].time + ET_MS(30)) {
        CHECK_EQ(r.calls, 1);
    } else {
        n = r.calls < RT_MAX_CALLS ? r.calls : RT_MAX_CALLS;
        for (i = 1; i < n; i++) {
            CHECK_EQ(r.inv[i].status, STATUS_TIMEOUT);
            CHECK_INT(r.inv[i].time, >=, r.inv[i - 1].time + ET_MS(30));
        }
    }
    CHECK_EQ(r.status[0], STATUS_TIMEOUT);
    CHECK_EQ(r.inv[0].status, STATUS_TIMEOUT);
    CHECK_INT(r.inv[0].time, >=, deadline);
    CHECK_INT(r.inv[0].time, <=, deadline + ET_MS(200));
    CHECK_INT(r.time[0], >=, r.inv[0].time);
    CHECK_INT(r.real_ns[0] - t0, >=, NS_MS(30));
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- 4. Steps happen while the routine runs ---------------------------------------------- */

/* On its first call the routine spins (KeStallExecutionProcessor, 1 ms at a time, at least
 * 500 ms in all) until another event, one it does not wait on, is signaled; `looks` counts the
 * times it found it not signaled, for the driver to read while it runs. */
static void spin_until_other(struct rt_rec *r, NTSTATUS status)
{
    PKEVENT other = r->user;
    unsigned i;
    (void)status;
    if (r->calls != 1)
        return;
    for (i = 0; i < 500; i++) {
        if (KeReadStateEvent(other)) {
            r->saw = 1;
            break;
        }
        InterlockedIncrement(&r->looks);
        KeStallExecutionProcessor(1000);
    }
    r->spins = i;
    r->saw_at = (hh_time)KeQueryInterruptTime();
}

/* The driver signals an object while the routine is still running, and the routine sees it
 * before it returns: what the virtual clock, which stops while the routine runs, can never
 * show. The driver does not settle after setting `work`; it waits (in 1 ms sleeps) until the
 * routine has found `other` not signaled at least once, 10 ms more, then sets it. */
static void rt_step_happens_while_routine_runs(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT other = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    int settled_start, settled, running_at_set;
    LONG looks_before;
    hh_time give_up, set_at;
    objs[0] = work;
    rec_init(&r);
    r.body = spin_until_other;
    r.user = other;
    rt_start(e, &r, 1, objs, 0);
    settled_start = hh_engine_realtime_settle(e, -1);
    KeSetEvent(work, 0, FALSE);
    give_up = e->now + ET_MS(150);
    while (InterlockedCompareExchange(&r.looks, 0, 0) == 0 && !e->failed && e->now < give_up)
        hh_engine_realtime_sleep_until(e, e->now + ET_MS(1));
    hh_engine_realtime_sleep_until(e, e->now + ET_MS(10));
    looks_before = InterlockedCompareExchange(&r.looks, 0, 0);
    running_at_set = e->state == HH_WORKER_RUNNING;
    set_at = e->now;
    KeSetEvent(other, 0, FALSE);
    settled = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    hh_engine_realtime_end(e);
    CHECK_EQ(settled_start, 1);
    CHECK_INT(looks_before, >=, 1); /* it had looked, and found nothing, before the set */
    CHECK(running_at_set);
    CHECK_EQ(settled, 1);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.status[0], STATUS_WAIT_0);
    CHECK_EQ(r.saw, 1);
    CHECK_INT(r.spins, >=, (unsigned)looks_before);
    CHECK_INT(r.spins, <, 500);
    CHECK_INT(r.saw_at, >=, set_at);
    CHECK_EQ(r.inv[0].decision, HH_DECISION_CONTINUE);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- 5. A routine's own wait ------------------------------------------------------------- */

static void delay_20ms(struct rt_rec *r, NTSTATUS status)
{
    LARGE_INTEGER interval = et_relative(ET_MS(20));
    uint64_t before;
    (void)status;
    r->delay_before = (hh_time)KeQueryInterruptTime();
    before = hh_plat_monotonic_ns();
    r->delay_status = KeDelayExecutionThread(KernelMode, FALSE, &interval);
    r->delay_real_ns = hh_plat_monotonic_ns() - before;
    r->delay_after = (hh_time)KeQueryInterruptTime();
}

/* KeDelayExecutionThread(20 ms) inside the routine sleeps the worker's OS thread for 20 ms of
 * real time (the virtual clock would jump to the timer at once): at least 20 ms less one tick
 * of real time (the wait's deadline counts from the tick the clock was at) and at least 20 ms
 * on the interrupt clock; the invocation itself was at the signal, near 0. */
static void rt_routine_wait_sleeps_in_real_time(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    int settled_start, settled;
    hh_time set_at;
    objs[0] = work;
    rec_init(&r);
    r.body = delay_20ms;
    rt_start(e, &r, 1, objs, 0);
    settled_start = hh_engine_realtime_settle(e, -1);
    set_at = e->now;
    KeSetEvent(work, 0, FALSE);
    settled = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    hh_engine_realtime_end(e);
    CHECK_EQ(settled_start, 1);
    CHECK_EQ(settled, 1);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.delay_status, STATUS_SUCCESS);
    CHECK_INT(r.delay_real_ns, >=, NS_MS(20) - TICK * NS_PER_TICK);
    CHECK_INT(r.delay_after - r.delay_before, >=, ET_MS(20));
    CHECK_INT(r.inv[0].time, >=, set_at);
    CHECK_INT(r.inv[0].time, <=, set_at + ET_MS(100));
    CHECK_INT(r.inv[0].time, <=, r.delay_before);
    CHECK_EQ(r.inv[0].decision, HH_DECISION_CONTINUE);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- 6. A timer's DPC -------------------------------------------------------------------- */

struct dpc_rec {
    struct hh_engine *e;
    unsigned calls;
    unsigned tag;
    PKTHREAD current;      /* e->current, read directly: the DPC runs under the lock */
    PKTHREAD thread;       /* KeGetCurrentThread */
    KIRQL irql;
    hh_time time;
    uint64_t real_ns;
};

static VOID record_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    struct dpc_rec *d = context;
    (void)dpc;
    (void)arg1;
    (void)arg2;
    if (d->calls++ == 0) {
        d->tag = my_tag();
        d->current = d->e->current;
        d->thread = KeGetCurrentThread();
        d->irql = KeGetCurrentIrql();
        d->time = d->e->now;
        d->real_ns = hh_plat_monotonic_ns();
    }
}

/* A KTIMER armed by the driver for 15 ms with a KDPC fires on the driver's thread (the clock
 * interrupt) at its due time exactly: the DPC runs there as the driver, at DISPATCH_LEVEL, at
 * least 15 ms less one tick of real time after the arming; the worker, waiting on the
 * (synchronization) timer, is then called on its own thread with STATUS_WAIT_0. */
static void rt_timer_dpc_fires_on_driver_thread(void)
{
    struct hh_engine *e = et_engine();
    KTIMER timer;
    KDPC dpc;
    struct dpc_rec d;
    PVOID objs[1];
    struct rt_rec r;
    int settled_start, settled;
    hh_time armed_at;
    uint64_t armed_ns;
    BOOLEAN was_queued;
    KeInitializeTimerEx(&timer, SynchronizationTimer);
    memset(&d, 0, sizeof(d));
    d.e = e;
    KeInitializeDpc(&dpc, record_dpc, &d);
    objs[0] = &timer;
    rec_init(&r);
    rt_start(e, &r, 1, objs, 0);
    settled_start = hh_engine_realtime_settle(e, -1);
    armed_at = e->now;
    armed_ns = hh_plat_monotonic_ns();
    was_queued = KeSetTimer(&timer, et_relative(ET_MS(15)), &dpc);
    hh_engine_realtime_sleep_until(e, armed_at + ET_MS(30));
    settled = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    hh_engine_realtime_end(e);
    CHECK_EQ(settled_start, 1);
    CHECK_EQ(settled, 1);
    CHECK(!was_queued);
    CHECK_EQ(d.calls, 1);
    CHECK_EQ(d.tag, my_tag());
    CHECK(d.current == e->driver);
    CHECK(d.thread == e->driver);
    CHECK_EQ(d.irql, DISPATCH_LEVEL);
    CHECK_EQ(d.time, armed_at + ET_MS(15));
    CHECK_INT(d.real_ns - armed_ns, >=, NS_MS(15) - TICK * NS_PER_TICK);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.status[0], STATUS_WAIT_0);
    CHECK(r.tag[0] != my_tag());
    CHECK(r.thread[0] == e->worker);
    CHECK_INT(r.inv[0].time, >=, armed_at + ET_MS(15));
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- 6b. A spin lock shared by a DPC and the routine ------------------------------------- */

struct shared_lock {
    KSPIN_LOCK lock;
    volatile LONG routine_holds; /* 1 while the routine holds the lock */
    volatile LONG dpc_saw_held;  /* the DPC got the lock while the routine still held it */
    volatile LONG dpc_calls;
};

static VOID shared_lock_dpc(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    struct shared_lock *s = context;
    (void)dpc;
    (void)a1;
    (void)a2;
    KeAcquireSpinLockAtDpcLevel(&s->lock);
    if (s->routine_holds)
        s->dpc_saw_held = 1;
    s->dpc_calls++;
    KeReleaseSpinLockFromDpcLevel(&s->lock);
}

/* The routine holds the lock 30 ms (spinning on KeStallExecutionProcessor at DISPATCH_LEVEL)
 * while a timer's DPC, due 5 ms in, wants it on the driver's thread. */
static void hold_shared_lock(struct rt_rec *r, NTSTATUS status)
{
    struct shared_lock *s = r->user;
    KIRQL old;
    (void)status;
    KeAcquireSpinLock(&s->lock, &old);
    s->routine_holds = 1;
    KeStallExecutionProcessor(30000);
    s->routine_holds = 0;
    KeReleaseSpinLock(&s->lock, old);
}

/* On the real clock the DPC spins until the routine lets go (two processors), as the kernel
 * would: no deadlock, the DPC runs once and never while the routine holds the lock. (On the
 * virtual clock the DPC cannot run while the routine does.) */
static void rt_dpc_spins_on_a_lock_the_routine_holds(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    KTIMER timer;
    KDPC dpc;
    struct shared_lock s;
    PVOID objs[1];
    struct rt_rec r;
    int settled_start, settled;
    memset(&s, 0, sizeof(s));
    KeInitializeSpinLock(&s.lock);
    KeInitializeTimer(&timer);
    KeInitializeDpc(&dpc, shared_lock_dpc, &s);
    objs[0] = work;
    rec_init(&r);
    r.body = hold_shared_lock;
    r.user = &s;
    rt_start(e, &r, 1, objs, 0);
    settled_start = hh_engine_realtime_settle(e, -1);
    KeSetEvent(work, 0, FALSE);
    KeSetTimer(&timer, et_relative(ET_MS(5)), &dpc);
    settled = hh_engine_realtime_settle(e, -1);
    hh_engine_realtime_sleep_until(e, e->now + ET_MS(10)); /* the DPC, if it is still due */
    hh_engine_realtime_end(e);
    CHECK_EQ(settled_start, 1);
    CHECK_EQ(settled, 1);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(s.dpc_calls, 1);
    CHECK_EQ(s.dpc_saw_held, 0);
    CHECK_EQ(s.lock, 0);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- 7. Deadlock ------------------------------------------------------------------------- */

static void wait_forever(struct rt_rec *r, NTSTATUS status)
{
    (void)status;
    r->delay_status = KeWaitForSingleObject(r->user, Executive, KernelMode, FALSE, NULL);
    r->saw = 1; /* never reached: the deadlock ends the invocation */
}

/* A routine waiting with no timeout on an event nothing sets, no timer queued: the settle
 * (no limit) returns instead of sleeping for ever, with rule "deadlock" recorded, the
 * real-clock explanation, and the worker failed. */
static void rt_deadlock_detected_under_real_clock(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT never = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    int settled_start, settled;
    uint64_t t;
    enum hh_worker_state ws;
    objs[0] = work;
    rec_init(&r);
    r.body = wait_forever;
    r.user = never;
    rt_start(e, &r, 1, objs, 0);
    settled_start = hh_engine_realtime_settle(e, -1);
    KeSetEvent(work, 0, FALSE);
    t = hh_plat_monotonic_ns();
    settled = hh_engine_realtime_settle(e, -1);
    t = hh_plat_monotonic_ns() - t;
    ws = e->state;
    hh_engine_realtime_end(e);
    CHECK_EQ(settled_start, 1);
    CHECK_EQ(settled, 1);
    CHECK_INT(t, <, NS_MS(1000));
    CHECK_RULE(e, HH_RULE_DEADLOCK);
    CHECK_CONTAINS(e->failure.message, "waits for the worker to block");
    CHECK_EQ(ws, HH_WORKER_FAILED);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.saw, 0);
    CHECK_EQ(never->Header.WaitListHint, 0);
    et_done(e);
}

/* ---- 8. Livelock ------------------------------------------------------------------------- */

static void stall_1100us(struct rt_rec *r, NTSTATUS status)
{
    (void)status;
    KeStallExecutionProcessor(1100);
    if (r->calls >= 100)
        r->answer = FALSE; /* an engine that misses the livelock fails the test, not hangs */
}

/* A notification event left signaled, answered with continue: under the real clock the clock
 * moves during every invocation (each stalls 1.1 ms, more than a tick), so the burst is counted
 * by the worker never blocking alone: rule "livelock" after livelock_limit (50) + 1
 * invocations, all on the worker's thread. */
static void rt_livelock_counted_without_blocking(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    int settled_start, settled;
    unsigned i, n;
    enum hh_worker_state ws;
    objs[0] = idle;
    rec_init(&r);
    r.body = stall_1100us;
    e->livelock_limit = 50;
    rt_start(e, &r, 1, objs, 0);
    settled_start = hh_engine_realtime_settle(e, -1);
    KeSetEvent(idle, 0, FALSE);
    settled = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    ws = e->state;
    hh_engine_realtime_end(e);
    CHECK_EQ(settled_start, 1);
    CHECK_EQ(settled, 1);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_CONTAINS(e->failure.message, "without the worker blocking");
    CHECK_EQ(ws, HH_WORKER_FAILED);
    CHECK_EQ(r.calls, 51); /* "more than" the limit */
    CHECK_EQ(r.reported, 51);
    n = r.calls < RT_MAX_CALLS ? r.calls : RT_MAX_CALLS;
    for (i = 0; i < n; i++) {
        CHECK_EQ(r.status[i], STATUS_WAIT_0);
        CHECK(r.tag[i] != my_tag());
    }
    CHECK_INT(r.inv[n - 1].time - r.inv[0].time, >=, ET_MS(50)); /* the clock moved */
    et_done(e);
}

/* ---- 9. Hot-swap ------------------------------------------------------------------------- */

/* Swapping the routine while the worker is blocked in its wait (the driver holding the lock)
 * ends the old OS thread at its wait and starts a new one: the next signal calls the new
 * routine, once, with STATUS_WAIT_0, on an OS thread neither the driver's nor the old one;
 * no failure. */
static void rt_hot_swap_under_real_clock(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    int settled[4];
    enum hh_worker_state before_swap, after_swap;
    objs[0] = work;
    rec_init(&r);
    rt_start(e, &r, 1, objs, 0);
    settled[0] = hh_engine_realtime_settle(e, -1);
    KeSetEvent(work, 0, FALSE);
    settled[1] = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    before_swap = e->state;
    hh_worker_swap(e, routine_b);
    settled[2] = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    after_swap = e->state;
    KeSetEvent(work, 0, FALSE);
    settled[3] = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    hh_engine_realtime_end(e);
    CHECK_EQ(settled[0] + settled[1] + settled[2] + settled[3], 4);
    CHECK_EQ(before_swap, HH_WORKER_WAITING);
    CHECK_EQ(after_swap, HH_WORKER_WAITING);
    CHECK_EQ(r.calls, 2);
    CHECK_EQ(r.which[0], 'A');
    CHECK_EQ(r.which[1], 'B');
    CHECK_EQ(r.status[1], STATUS_WAIT_0);
    CHECK(r.tag[1] != my_tag());
    CHECK(r.tag[1] != r.tag[0]);
    CHECK(r.thread[1] == e->worker);
    CHECK_EQ(e->state, HH_WORKER_WAITING);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- 10. The end of a real-clock run ----------------------------------------------------- */

/* hh_engine_realtime_end with the worker blocked in its wait returns at once (the thread
 * leaves its wait), and leaves one thread and the virtual clock, stopped where it was: e->rt
 * is NULL, real time passing moves nothing, and the worker, still waiting in the model, is now
 * run by hh_worker_run on the driver's own thread. The engine frees cleanly. */
static void rt_end_with_worker_blocked(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    int settled_start;
    uint64_t t, spin_end;
    hh_time stopped_at, later;
    objs[0] = work;
    rec_init(&r);
    rt_start(e, &r, 1, objs, 0);
    settled_start = hh_engine_realtime_settle(e, -1);
    t = hh_plat_monotonic_ns();
    hh_engine_realtime_end(e);
    t = hh_plat_monotonic_ns() - t;
    CHECK_EQ(settled_start, 1);
    CHECK_INT(t, <, NS_MS(500));
    CHECK(e->rt == NULL);
    CHECK(e->current == e->driver);
    CHECK_EQ(e->state, HH_WORKER_WAITING);
    stopped_at = (hh_time)KeQueryInterruptTime();
    spin_end = hh_plat_monotonic_ns() + NS_MS(3);
    while (hh_plat_monotonic_ns() < spin_end)
        ;
    later = (hh_time)KeQueryInterruptTime();
    CHECK_EQ(later, stopped_at);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.status[0], STATUS_WAIT_0);
    CHECK_EQ(r.tag[0], my_tag());
    CHECK(r.thread[0] == e->worker);
    CHECK_EQ(e->state, HH_WORKER_WAITING);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* After the routine chose terminate (FALSE), its OS thread ended by itself; the end joins it
 * and returns to one thread; later signals call nothing. */
static void rt_end_after_routine_terminated(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct rt_rec r;
    int settled_start, settled;
    uint64_t t;
    enum hh_worker_state ws;
    objs[0] = work;
    rec_init(&r);
    r.answer = FALSE;
    rt_start(e, &r, 1, objs, 0);
    settled_start = hh_engine_realtime_settle(e, -1);
    KeSetEvent(work, 0, FALSE);
    settled = hh_engine_realtime_settle(e, e->now + ET_SECONDS(2));
    ws = e->state;
    t = hh_plat_monotonic_ns();
    hh_engine_realtime_end(e);
    t = hh_plat_monotonic_ns() - t;
    CHECK_EQ(settled_start, 1);
    CHECK_EQ(settled, 1);
    CHECK_EQ(ws, HH_WORKER_TERMINATED);
    CHECK_INT(t, <, NS_MS(500));
    CHECK(e->rt == NULL);
    CHECK(e->current == e->driver);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.inv[0].decision, HH_DECISION_TERMINATE);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(e->state, HH_WORKER_TERMINATED);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- A watchdog ---------------------------------------------------------------------------- */

/* A real-clock engine that broke tends to hang rather than fail (a settle that never returns,
 * an end that joins a thread that never ends): past WATCHDOG_NS the run bails out, naming no
 * test (the last "ok" line shows where it stopped). */
#define WATCHDOG_NS NS_MS(20000)

static void watchdog(void *arg)
{
    struct hh_plat_gate *done = arg;
    if (hh_plat_gate_wait(done, hh_plat_monotonic_ns() + WATCHDOG_NS))
        return;
    fputs("Bail out! the real-clock tests hung for 20 s: a settle, sleep or end never "
          "returned\n",
          stdout);
    fflush(stdout);
    _Exit(1);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"rt_routine_runs_on_its_own_os_thread", rt_routine_runs_on_its_own_os_thread},
        {"rt_signal_from_driver_wakes_worker", rt_signal_from_driver_wakes_worker},
        {"rt_relative_timeout_in_real_time", rt_relative_timeout_in_real_time},
        {"rt_step_happens_while_routine_runs", rt_step_happens_while_routine_runs},
        {"rt_routine_wait_sleeps_in_real_time", rt_routine_wait_sleeps_in_real_time},
        {"rt_timer_dpc_fires_on_driver_thread", rt_timer_dpc_fires_on_driver_thread},
        {"rt_dpc_spins_on_a_lock_the_routine_holds", rt_dpc_spins_on_a_lock_the_routine_holds},
        {"rt_deadlock_detected_under_real_clock", rt_deadlock_detected_under_real_clock},
        {"rt_livelock_counted_without_blocking", rt_livelock_counted_without_blocking},
        {"rt_hot_swap_under_real_clock", rt_hot_swap_under_real_clock},
        {"rt_end_with_worker_blocked", rt_end_with_worker_blocked},
        {"rt_end_after_routine_terminated", rt_end_after_routine_terminated},
    };
    struct hh_plat_gate *done = NULL;
    struct hh_plat_thread *dog = NULL;
    int rc;
    if (hh_plat_gate_new(&done) != 0 || hh_plat_thread_start(&dog, watchdog, done) != 0)
        dog = NULL; /* no watchdog: a hang is left to the test runner's timeout */
    rc = hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
    if (dog) {
        hh_plat_gate_open(done);
        hh_plat_thread_join(dog);
    }
    hh_plat_gate_free(done);
    return rc;
}
