/* realtime.c - the real clock: the dispatcher model run by OS threads in real time.
 *
 * The kernel keeps its dispatcher state under one lock and puts a thread to sleep on its own
 * wait gate until another thread or the clock interrupt completes its wait; this does the
 * same with the engine. The engine's lock is the dispatcher lock; the worker runs on an OS
 * thread of its own and sleeps on its gate whenever the model leaves it blocked; the driver's
 * thread (the scenario's steps) is also the clock interrupt: it sleeps until the next step or
 * the next timer, and whoever takes the lock moves the clock to the OS's monotonic time.
 * The routine runs unlocked, so steps happen while it runs: the races the virtual clock, which
 * stops while the routine runs, cannot show. A user APC goes through the OS where it has them
 * (QueueUserAPC to the worker's thread, run in its alertable sleep).
 */
#include "engine_int.h"

#include <stdlib.h>

#include "common/status.h"
#include "platform/plat.h"

struct hh_realtime {
    struct hh_plat_mutex *lock;
    uint64_t start_ns;    /* monotonic time of the clock's 0 */
    hh_time tick;         /* the clock's resolution */
    struct hh_plat_gate *driver_gate;
    struct hh_plat_gate *worker_gate;
    struct hh_plat_thread *thread; /* the worker's, while it runs */
    int stop;             /* the worker must leave its wait and end */
    int worker_busy;      /* woken, running, or blocked in a wait of the routine's own */
    unsigned apcs_queued; /* user APCs the OS has yet to run on the worker's thread */
    /* Gates to open once the lock is let go (WAKE_*): a thread woken under the lock would
     * only block on it again, as the kernel readies threads after it drops its own. */
    unsigned wakes;
    int settling;         /* the driver waits, without a limit, for the worker to block */
};

#define WAKE_WORKER 1u
#define WAKE_DRIVER 2u

/* This OS thread's depth in the dispatcher lock, and whether it is the worker. */
static HH_THREAD_LOCAL unsigned lock_depth;
static HH_THREAD_LOCAL int on_worker;

/* ---- The clock ---------------------------------------------------------------------------- */

static hh_time real_now(const struct hh_realtime *rt)
{
    uint64_t ns = hh_plat_monotonic_ns() - rt->start_ns;
    hh_time t = (hh_time)(ns / 100u);
    return t - t % rt->tick;
}

/* The driver fires every timer due by now, each at its due time, as the clock interrupt
 * would; the worker only moves the clock up to the tick before the next unfired timer, so
 * the clock never passes a timer that has not fired. */
static void sync_clock(struct hh_engine *e)
{
    struct hh_realtime *rt = e->rt;
    hh_time now = real_now(rt);
    if (!on_worker) {
        while (!e->failed && hh_engine_expire_next(e, now) == 0)
            ;
        hh_work_run(e); /* the scenario's thread is the system worker thread too */
    } else {
        hh_time due = hh_engine_next_due(e);
        if (due >= 0 && now >= due)
            now = due > 0 ? (due - 1) - (due - 1) % rt->tick : 0;
    }
    if (e->now < now)
        e->now = now;
}

/* ---- The dispatcher lock ------------------------------------------------------------------ */

static void take(struct hh_engine *e, unsigned depth)
{
    hh_plat_mutex_lock(e->rt->lock);
    lock_depth = depth;
    e->current = on_worker ? e->worker : e->driver_acting ? e->driver_acting : e->driver;
    if (depth == 1) /* not inside a DPC that spins: DPCs do not nest */
        sync_clock(e);
}

static unsigned give(struct hh_engine *e)
{
    struct hh_realtime *rt = e->rt;
    unsigned depth = lock_depth, wakes = rt->wakes;
    rt->wakes = 0;
    lock_depth = 0;
    hh_plat_mutex_unlock(rt->lock);
    if (wakes & WAKE_WORKER)
        hh_plat_gate_open(rt->worker_gate);
    if (wakes & WAKE_DRIVER)
        hh_plat_gate_open(rt->driver_gate);
    return depth;
}

void hh_engine_lock(struct hh_engine *e)
{
    if (!e->rt)
        return;
    if (lock_depth == 0)
        take(e, 1);
    else
        lock_depth++;
}

void hh_engine_unlock(struct hh_engine *e)
{
    if (!e->rt)
        return;
    if (lock_depth == 1)
        give(e);
    else if (lock_depth > 1)
        lock_depth--;
}

unsigned hh__lock_depth(void)
{
    return lock_depth;
}

void hh__lock_restore(struct hh_engine *e, unsigned depth)
{
    if (!e->rt)
        return;
    if (depth == 0 && lock_depth > 0)
        give(e);
    else if (depth > 0 && lock_depth == 0)
        take(e, depth);
    else
        lock_depth = depth;
}

/* Sleeps on g with the lock let go, until g opens or the clock reaches `until` (-1: no
 * deadline); takes the lock back as deep as it was. */
static void sleep_on(struct hh_engine *e, struct hh_plat_gate *g, hh_time until)
{
    struct hh_realtime *rt = e->rt;
    /* A time too far for the OS's clock (an absolute timeout centuries ahead) is no deadline. */
    uint64_t deadline = until < 0 || (uint64_t)until > (UINT64_MAX - rt->start_ns) / 100u
                            ? 0
                            : rt->start_ns + (uint64_t)until * 100u;
    unsigned depth = give(e);
    hh_plat_gate_wait(g, deadline);
    take(e, depth);
}

void hh_engine_realtime_pause(struct hh_engine *e)
{
    struct hh_realtime *rt = e->rt;
    /* Sleeping on its own gate may use up an opening meant for a later sleep; every sleep
     * here tests its condition before it sleeps, so none is lost. */
    struct hh_plat_gate *g = on_worker ? rt->worker_gate : rt->driver_gate;
    unsigned depth = give(e);
    hh_plat_gate_wait(g, hh_plat_monotonic_ns() + 20000u);
    take(e, depth);
}

/* ---- Hooks of the model ------------------------------------------------------------------- */

void hh__rt_wake(struct hh_engine *e, struct _KTHREAD *t)
{
    if (t != e->worker) {
        /* Driver code blocked on the scenario's thread (hh__rt_block) may go on; other
         * threads own mutexes but never run. */
        if (t->blocked || t->has_pending)
            e->rt->wakes |= WAKE_DRIVER;
        return;
    }
    e->rt->worker_busy = 1;
    e->rt->wakes |= WAKE_WORKER;
}

void hh__rt_timer_queued(struct hh_engine *e)
{
    if (on_worker) /* the driver plans its sleep itself when it queues one */
        e->rt->wakes |= WAKE_DRIVER;
}

NTSTATUS hh__rt_worker_wait(struct hh_engine *e)
{
    struct hh_realtime *rt = e->rt;
    for (;;) {
        NTSTATUS status;
        if (rt->stop || e->failed)
            return STATUS_PENDING;
        status = hh_wait_poll(e, e->worker);
        if (status != STATUS_PENDING) {
            rt->worker_busy = 1;
            return status;
        }
        rt->worker_busy = 0;
        rt->wakes |= WAKE_DRIVER;
        sleep_on(e, rt->worker_gate, -1);
    }
}

int hh__rt_block(struct hh_engine *e, struct _KTHREAD *t)
{
    struct hh_realtime *rt = e->rt;
    (void)t;
    if (e->failed)
        return 0;
    if (rt->stop) /* the run ends under it: nothing will fire its timers any more */
        hh_engine_abort(e, HH_RULE_TIMELINE,
                        "the run ended while the routine was still blocked in a wait of its "
                        "own (real clock): the scenario ends before the routine's work does");
    /* The driver waits for this thread with no step to come before it blocks, and no timer
     * is queued: nothing can end the wait. */
    if (t == e->system_worker) /* a work item, on the scenario's thread: nothing else would run */
        hh_engine_abort(e, HH_RULE_TIMELINE,
                        "a work item waits for something that has not happened yet (real "
                        "clock): its wait would block the scenario's own thread, which runs it; "
                        "under the real clock a work item may only wait for what is already "
                        "signaled or poll");
    if (t != e->worker) {
        /* Driver code on the scenario's thread (a `call` step, the driver's load or unload):
         * the thread sleeps until the worker (hh__rt_wake) or the next timer, which it fires
         * itself when it takes the lock back, ends the wait. With the worker idle and no
         * timer queued nothing can. */
        hh_time due = hh_engine_next_due(e);
        if (!rt->worker_busy && due < 0 && e->work.Flink == &e->work)
            return 0;
        sleep_on(e, rt->driver_gate, due);
        return 1;
    }
    if (rt->settling && hh_engine_next_due(e) < 0 && e->work.Flink == &e->work)
        return 0;
    sleep_on(e, rt->worker_gate, -1);
    return 1;
}

/* ---- The worker's OS thread --------------------------------------------------------------- */

static void worker_main(void *arg)
{
    struct hh_engine *e = arg;
    on_worker = 1;
    hh_engine_make_current(e);
    hh_engine_lock(e);
    hh__worker_body(e);
    e->rt->worker_busy = 0;
    e->rt->apcs_queued = 0; /* an ended thread never runs them */
    e->rt->wakes |= WAKE_DRIVER;
    hh_engine_unlock(e);
    hh_engine_make_current(NULL);
    on_worker = 0;
}

void hh__rt_start_worker(struct hh_engine *e)
{
    struct hh_realtime *rt = e->rt;
    rt->stop = 0;
    rt->worker_busy = 1;
    if (hh_plat_thread_start(&rt->thread, worker_main, e) != 0) {
        rt->thread = NULL;
        rt->worker_busy = 0;
        hh_engine_fail(e, HH_RULE_TIMELINE,
                       "the OS would not start a thread for the worker (real clock)");
    }
}

void hh__rt_stop_worker(struct hh_engine *e)
{
    struct hh_realtime *rt = e->rt;
    unsigned depth;
    if (!rt->thread)
        return;
    rt->stop = 1;
    rt->wakes |= WAKE_WORKER;
    if (e->failed && e->failure.rule == HH_RULE_WATCHDOG && e->state == HH_WORKER_RUNNING) {
        /* The routine does not return: no thread can be stopped safely, so it is left
         * running, with everything it may touch (the engine, its lock, the module). */
        e->abandoned = 1;
        return;
    }
    depth = give(e);
    hh_plat_thread_join(rt->thread); /* a routine still running is waited for */
    take(e, depth);
    rt->thread = NULL;
    rt->stop = 0;
    rt->worker_busy = 0;
}

/* ---- User APCs ---------------------------------------------------------------------------- */

/* Runs on the worker's thread, while it sleeps on its gate (an alertable sleep). */
static void run_user_apc(void *arg)
{
    struct hh_engine *e = arg;
    hh_engine_lock(e);
    if (e->rt->apcs_queued)
        e->rt->apcs_queued--;
    hh_queue_user_apc(e, e->worker);
    e->rt->wakes |= WAKE_DRIVER;
    hh_engine_unlock(e);
}

void hh_engine_realtime_user_apc(struct hh_engine *e)
{
    struct hh_realtime *rt = e->rt;
    if (!rt || !rt->thread || hh_plat_queue_apc(rt->thread, run_user_apc, e) != 0) {
        hh_queue_user_apc(e, e->worker); /* no OS APCs here (POSIX): straight to the model */
        return;
    }
    rt->apcs_queued++;
    rt->worker_busy = 1;
}

/* ---- The driver --------------------------------------------------------------------------- */

static void free_rt(struct hh_realtime *rt)
{
    hh_plat_gate_free(rt->worker_gate);
    hh_plat_gate_free(rt->driver_gate);
    hh_plat_mutex_free(rt->lock);
    free(rt);
}

int hh_engine_realtime_begin(struct hh_engine *e, hh_time tick)
{
    struct hh_realtime *rt = calloc(1, sizeof(*rt));
    if (!rt)
        return -1;
    if (hh_plat_mutex_new(&rt->lock) != 0 || hh_plat_gate_new(&rt->driver_gate) != 0 ||
        hh_plat_gate_new(&rt->worker_gate) != 0) {
        free_rt(rt);
        return -1;
    }
    rt->tick = tick > 0 ? tick : 1;
    rt->start_ns = hh_plat_monotonic_ns() - (uint64_t)e->now * 100u;
    e->rt = rt;
    on_worker = 0;
    lock_depth = 0;
    hh_engine_lock(e); /* the driver holds it except while it sleeps */
    return 0;
}

/* The watchdog: one invocation of the routine, running (or blocked in a wait of its own)
 * past e->watchdog, fails the run. Returns when to look again, or -1. The driver measures
 * the invocation, never the timeline: a long timeline with the worker blocked is fine. */
static hh_time watch(struct hh_engine *e)
{
    char st[48], since[32], limit[32];
    hh_time due;
    if (!e->watchdog || e->failed || !e->rt->worker_busy)
        return -1;
    if (e->state != HH_WORKER_RUNNING) /* about to be called: look again a little later */
        return e->now + e->watchdog / 4 + 1;
    due = e->running_since + e->watchdog;
    if (e->now < due)
        return due;
    hh_engine_fail(e, HH_RULE_WATCHDOG,
                   "invocation %lu (%s (0x%08X), called at %s) still running after the %s "
                   "limit (--timeout): the routine does not return",
                   e->invocations, hh_status_name(e->running_status, st, sizeof(st)),
                   (unsigned)e->running_status,
                   hh__duration_text(e->running_since, since, sizeof(since)),
                   hh__duration_text(e->watchdog, limit, sizeof(limit)));
    e->failure.invocation = e->invocations;
    e->failure.time = e->running_since;
    return -1;
}

static hh_time earliest(hh_time a, hh_time b)
{
    return a < 0 || (b >= 0 && b < a) ? b : a;
}

void hh_engine_realtime_sleep_until(struct hh_engine *e, hh_time until)
{
    while (e->rt && !e->failed && e->now < until) {
        hh_time due = earliest(hh_engine_next_due(e), watch(e));
        if (e->failed)
            break;
        sleep_on(e, e->rt->driver_gate, due >= 0 && due < until ? due : until);
    }
}

/* The worker sleeps in a wait of the routine's own that only a timer could end, and none is
 * queued: wake it so that it sees the deadlock (hh__rt_block). */
static int blocked_for_good(const struct hh_engine *e)
{
    const struct _KTHREAD *w = e->worker;
    return e->state == HH_WORKER_RUNNING && w->blocked && !w->has_pending && !w->retest &&
           hh_engine_next_due(e) < 0 && e->work.Flink == &e->work;
}

int hh_engine_realtime_settle(struct hh_engine *e, hh_time limit)
{
    struct hh_realtime *rt = e->rt;
    int settled = 0;
    if (!rt)
        return 1;
    /* With a limit, the next step may yet signal what a routine's own wait waits for. */
    rt->settling = limit < 0;
    for (;;) {
        hh_time due = earliest(hh_engine_next_due(e), watch(e));
        hh_time wake = limit;
        if (e->failed || (!rt->worker_busy && !rt->apcs_queued) || !rt->thread) {
            settled = 1;
            break;
        }
        if (limit >= 0 && e->now >= limit)
            break;
        if (rt->settling && blocked_for_good(e))
            rt->wakes |= WAKE_WORKER;
        if (due >= 0 && (wake < 0 || due < wake))
            wake = due;
        sleep_on(e, rt->driver_gate, wake);
    }
    rt->settling = 0;
    return settled;
}

void hh_engine_realtime_end(struct hh_engine *e)
{
    if (!e->rt)
        return;
    hh__rt_stop_worker(e);
    give(e);
    if (e->abandoned)
        return; /* the worker's thread still uses the lock and gates */
    free_rt(e->rt);
    e->rt = NULL;
    e->current = e->driver;
}
