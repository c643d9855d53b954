/* worker.c - the hot-swappable worker thread: wait on the start context, call the routine,
 * continue or end (IoDriverProxyCreateHotSwappableWorkerThread's loop).
 *
 * Each call is guarded, so a bug check inside the routine ends the invocation, not the
 * harness. After each call the contract checks that need no scenario run: the BOOLEAN, the
 * IRQL at return, livelock; then the driver of the engine hears of the invocation.
 */
#include "engine_int.h"
#include "platform/plat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"

void hh_worker_configure(struct hh_engine *e,
                         const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start,
                         int true_means, hh_invocation_fn fn, void *user)
{
    if (start->EventCount > MAXIMUM_WAIT_OBJECTS) {
        fprintf(stderr, "hotswap: a start context with %lu objects; the limit is %d\n",
                (unsigned long)start->EventCount, MAXIMUM_WAIT_OBJECTS);
        abort();
    }
    size_t size = hh__start_size(start);
    /* The kernel copies the start context; the caller may free its own. A reset engine
     * takes the last run's copy when it has the size (a fuzz target's every input). */
    if (e->start) /* a reset engine has none: free(NULL) costs a stack trace under ASan */
        free(e->start);
    e->start = NULL;
    if (e->start_spare && e->start_spare_size == size) {
        hh_plat_unpoison(e->start_spare, size);
        e->start = e->start_spare;
        e->start_spare = NULL;
    } else {
        e->start = malloc(size);
    }
    if (!e->start) {
        fputs("hotswap: out of memory\n", stderr);
        abort();
    }
    memcpy(e->start, start, size);
    /* The worker waits the same way every time: only a relative deadline moves with the
     * clock, so begin_wait sets that and nothing else. Every member is set here (no memset:
     * the objects past count are never read). */
    e->start_wait.count = start->EventCount;
    memcpy(e->start_wait.objects, start->Events, start->EventCount * sizeof(PKEVENT));
    e->start_wait.type = start->WaitType;
    e->start_wait.mode = start->WaitMode;
    e->start_wait.alertable = start->Altertable;
    e->start_wait.timeout_status = STATUS_TIMEOUT;
    hh_wait_set_timeout(e, &e->start_wait, NULL);
    e->true_means = true_means;
    e->on_invocation = fn;
    e->on_invocation_user = user;
}

size_t hh__start_size(const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start)
{
    ULONG n = start->EventCount ? start->EventCount : 1;
    return offsetof(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
           n * sizeof(PKEVENT);
}

static NTSTATUS begin_wait(struct hh_engine *e)
{
    if (e->start->HasTimeout) { /* hh_wait_set_timeout, inline: a relative one moves */
        e->start_wait.has_deadline = TRUE;
        e->start_wait.deadline = hh__deadline(e->now, e->start->Timeout.QuadPart);
    }
    return hh_wait_begin(e, e->worker, &e->start_wait);
}

static int decide(const struct hh_engine *e, unsigned raw)
{
    int truth = raw != 0;
    if (e->true_means == HH_TRUE_MEANS_TERMINATE)
        truth = !truth;
    return truth ? HH_DECISION_CONTINUE : HH_DECISION_TERMINATE;
}

/* ": the spin lock at offset 8 in the block of ... is still held (and 1 more), acquired by
 * Routine at x.c:40 (libm.so+0x1234)", naming the first lock the routine still holds and
 * where it took it; "" when it holds none. */
static const char *held_lock_text(struct hh_engine *e, const struct _KTHREAD *w, char *buf,
                                  size_t len)
{
    const struct hh_held_lock *held = &w->held_locks[0];
    char where[400], more[48], site[600], acquired[640];
    buf[0] = '\0';
    if (!w->spinlocks)
        return buf;
    more[0] = '\0';
    if (w->spinlocks > 1)
        snprintf(more, sizeof(more), " (and %u more)", w->spinlocks - 1);
    acquired[0] = '\0';
    if (held->caller && hh_plat_code_site(held->caller, 1, site, sizeof(site)))
        snprintf(acquired, sizeof(acquired), ", acquired by %s", site);
    if (hh_engine_describe_place(e, (const void *)held->lock, where, sizeof(where)))
        snprintf(buf, len, ": the spin lock at %s is still held%s%s", where, more, acquired);
    else
        snprintf(buf, len, ": a spin lock is still held%s%s", more, acquired);
    return buf;
}

/* What the routine left behind that keeps the IRQL up, for the report. */
static HH_COLD void irql_at_return(struct hh_engine *e)
{
    struct _KTHREAD *w = e->worker;
    const struct hh_held *fast;
    char irql[24], lock[500], site[300], held[360];
    fast = hh_held_kind(w, "fast mutex");
    held[0] = '\0';
    if (fast && w->irql == APC_LEVEL)
        snprintf(held, sizeof(held), ": a fast mutex is still held%s",
                 hh_held_site(fast, site, sizeof(site)));
    hh_engine_fail(e, HH_RULE_IRQL_AT_RETURN,
                   "the routine returned at %s; it must return at PASSIVE_LEVEL "
                   "(_IRQL_requires_same_)%s%s%s",
                   hh_irql_name(w->wait_next ? DISPATCH_LEVEL : w->irql, irql,
                                      sizeof(irql)),
                   held_lock_text(e, w, lock, sizeof(lock)), held,
                   w->wait_next ? ": a Ke*(Wait = TRUE) call was not followed by a wait" : "");
}

/* One routine call. Returns its decision, or 0 when the run failed. */
static int invoke(struct hh_engine *e, NTSTATUS status)
{
    struct hh_invocation inv;
    struct hh_guard g;
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE routine;
    PVOID context;
    BOOLEAN result;
    if (e->state == HH_WORKER_TERMINATED) {
        hh_engine_fail(e, HH_RULE_CALL_AFTER_TERMINATE,
                       "the worker was called with %08X after the routine chose terminate",
                       (unsigned)status);
        return 0;
    }
    routine = e->start->WorkerRoutine;
    context = e->start->Context;
    e->invocations++;
    e->running_status = status;
    e->running_since = e->now;
    e->nested_burst = 0;
    e->state = HH_WORKER_RUNNING;
    e->current = e->worker;
    if (e->log_len) { /* an empty log is already "" (or not made yet) */
        e->log_len = 0;
        e->log[0] = '\0';
    }
    memset(&inv, 0, sizeof(inv));
    inv.index = e->invocations;
    inv.worker = e->selected ? e->selected->number : 0;
    inv.time = e->now;
    inv.status = status;
    if (e->trace) {
        struct hh_trace_event ev;
        hh_trace_event_init(&ev, HH_TRACE_CALL, e->worker->name);
        ev.status = status;
        ev.count = inv.index;
        hh_engine_trace(e, &ev);
    }
    /* hh_engine_guarded's guard, inline: a failure inside the routine unwinds to here. This
     * is the hottest call of the harness; the inline guard spares it a trampoline and an
     * indirect call (docs/performance.md). */
    g.prev = hh__guard_top;
    g.lock_depth = e->rt ? hh__lock_depth() : 0;
    hh__guard_top = &g;
    if (setjmp(g.jb) != 0) {
        hh__guard_top = g.prev;
        if (e->rt)
            hh__lock_restore(e, g.lock_depth);
        e->current = e->rt ? e->worker : e->driver;
        e->state = HH_WORKER_FAILED;
        return 0;
    }
    /* What it holds on entry, so that what it takes and keeps is named at its return. */
    e->worker->nheld_at_call = e->worker->nheld;
    e->worker->kmutexes_at_call =
        hh__owns_mutants(e->worker) ? hh_kmutexes_held(e->worker) : 0;
    if (e->rt) { /* the routine runs unlocked, beside the scenario's steps */
        hh_engine_unlock(e);
        result = routine(context, status);
        hh_engine_lock(e);
    } else {
        result = routine(context, status);
        if (e->explore)
            hh__ex_returned(e); /* explore's watchdog may have given up on it meanwhile */
    }
    hh__guard_top = g.prev;
    e->current = e->rt ? e->worker : e->driver;
    inv.raw = result;
    inv.decision = decide(e, result);
    inv.log = e->log ? e->log : "";
    inv.log_len = e->log_len;
    if (result > 1)
        hh_engine_fail(e, HH_RULE_BAD_BOOLEAN,
                       "the routine returned BOOLEAN %u; only TRUE (1) and FALSE (0) are "
                       "defined, and callers that compare with TRUE disagree with those that "
                       "test for non-zero",
                       (unsigned)result);
    if (e->worker->irql != PASSIVE_LEVEL || e->worker->wait_next)
        irql_at_return(e);
    if (e->worker->nheld > e->worker->nheld_at_call || hh__owns_mutants(e->worker))
        hh__check_held_at_return(e); /* else it holds nothing it took in this call */
    if (e->on_invocation)
        e->on_invocation(e->on_invocation_user, &inv);
    if (e->failed) {
        e->state = HH_WORKER_FAILED;
        return 0;
    }
    if (inv.decision == HH_DECISION_TERMINATE) {
        e->state = HH_WORKER_TERMINATED;
        hh_thread_end(e, e->worker); /* a driver waiting on the worker's thread sees it end */
        if (e->failed) {
            e->failure.invocation = inv.index; /* the thread ended on this invocation's answer */
            e->state = HH_WORKER_FAILED;
        }
        return 0;
    }
    return HH_DECISION_CONTINUE;
}

/* Real clock: invocations in a row for longer than the watchdog limit, each returning in
 * time, but the worker never blocking: slow invocations that answer continue spin as surely
 * as fast ones, only fewer of them fit in the limit. */
static int too_long_unblocked(const struct hh_engine *e)
{
    return e->rt && e->watchdog > 0 && e->burst > 0 && e->now - e->burst_since > e->watchdog;
}

static HH_COLD void livelock(struct hh_engine *e, NTSTATUS status)
{
    char cause[400], name[48], span[128] = "", d1[32], d2[32];
    hh__livelock_cause(e, status, cause, sizeof(cause));
    if (too_long_unblocked(e) && e->burst <= e->livelock_limit)
        snprintf(span, sizeof(span), " for %s, past the %s limit (--timeout)",
                 hh__duration_text(e->now - e->burst_since, d1, sizeof(d1)),
                 hh__duration_text(e->watchdog, d2, sizeof(d2)));
    hh_engine_fail(e, HH_RULE_LIVELOCK,
                   "%lu invocations in a row without the worker blocking%s%s (the last given "
                   "%s (0x%08X), answered continue): %s",
                   e->burst, e->rt ? "" : " and without the clock moving", span,
                   hh_status_name(status, name, sizeof(name)), (unsigned)status, cause);
    e->state = HH_WORKER_FAILED;
}

/* The worker loop from a completed wait: call, wait again, until it blocks or ends. */
static void run_from(struct hh_engine *e, NTSTATUS status)
{
    for (;;) {
        if (e->failed) {
            e->state = HH_WORKER_FAILED; /* the wait itself failed (a kernel raise) */
            return;
        }
        if (status == STATUS_PENDING && !e->rt && hh_work_pending(e)) {
            /* The worker blocks: the system worker thread gets the processor first. */
            hh_work_run(e);
            status = hh_wait_poll(e, e->worker);
            continue;
        }
        if (status == STATUS_PENDING) {
            e->state = HH_WORKER_WAITING;
            e->burst = 0;
            /* The virtual clock hands control back to the engine's driver; a real thread
             * sleeps until its wait completes. */
            if (e->explore) {
                if ((status = hh__ex_worker_wait(e)) == STATUS_PENDING)
                    return;
                continue;
            }
            if (!e->rt || (status = hh__rt_worker_wait(e)) == STATUS_PENDING)
                return;
            continue;
        }
        if (invoke(e, status) != HH_DECISION_CONTINUE) {
            if (!e->rt && e->state == HH_WORKER_TERMINATED)
                hh_work_run(e); /* the thread ended: the system worker gets the processor */
            return;
        }
        /* Real time always moves a little: there a burst is counted by blocking alone. */
        if (!e->rt && e->now != e->burst_time) {
            e->burst_time = e->now;
            e->burst = 0;
        }
        if (e->burst == 0)
            e->burst_since = e->running_since;
        if (++e->burst > e->livelock_limit || too_long_unblocked(e)) {
            livelock(e, status);
            return;
        }
        status = begin_wait(e);
    }
}

void hh__worker_body(struct hh_engine *e)
{
    e->burst = 0;
    e->burst_time = e->now;
    run_from(e, begin_wait(e));
}

void hh_worker_start(struct hh_engine *e)
{
    if (e->state != HH_WORKER_NOT_STARTED || !e->start || e->failed)
        return;
    if (e->rt) {
        hh__rt_start_worker(e); /* the body runs on the worker's own OS thread */
    } else if (e->explore) {
        if (hh__ex_start_worker(e) == 0) /* the body runs on an explored thread */
            hh_explore_settle(e);
    } else {
        hh__worker_body(e);
        if (e->sched)
            hh_worker_run(e); /* threads the set-up created get their first turn */
    }
}

/* The worker, blocked in its own wait, runs if that wait completed; 1 when it ran. */
static int run_if_woken(struct hh_engine *e)
{
    NTSTATUS status;
    if (e->state != HH_WORKER_WAITING || e->failed)
        return 0;
    if (e->worker->has_pending) { /* hh_wait_poll's first case, the one nearly always met */
        e->worker->has_pending = FALSE;
        status = e->worker->pending_status;
    } else if ((status = hh_wait_poll(e, e->worker)) == STATUS_PENDING) {
        return 0;
    }
    run_from(e, status);
    return 1;
}

/* ---- Several workers (driver mode) ------------------------------------------------------
 * The engine's worker fields are the selected worker's; selecting another stores them in the
 * selected one's record and loads the other's. */
static void park(struct hh_engine *e, struct hh_worker *w)
{
    w->thread = e->worker;
    w->state = e->state;
    w->start = e->start;
    w->start_wait = e->start_wait;
    w->running_status = e->running_status;
    w->running_since = e->running_since;
    w->burst = e->burst;
    w->burst_time = e->burst_time;
    w->burst_since = e->burst_since;
    w->nested_burst = e->nested_burst;
    w->nested_burst_time = e->nested_burst_time;
}

static void select_worker(struct hh_engine *e, struct hh_worker *w)
{
    if (e->selected == w)
        return;
    park(e, e->selected);
    e->selected = w;
    e->worker = w->thread;
    e->state = w->state;
    e->start = w->start;
    e->start_wait = w->start_wait;
    e->running_status = w->running_status;
    e->running_since = w->running_since;
    e->burst = w->burst;
    e->burst_time = w->burst_time;
    e->burst_since = w->burst_since;
    e->nested_burst = w->nested_burst;
    e->nested_burst_time = w->nested_burst_time;
}

void hh__worker_select(struct hh_engine *e, struct hh_worker *w)
{
    if (w)
        select_worker(e, w);
}

void hh__worker_select_thread(struct hh_engine *e, const struct _KTHREAD *t)
{
    struct hh_worker *w;
    if (e->worker == t)
        return;
    for (w = e->workers; w; w = w->next) {
        if (w->thread == t) {
            select_worker(e, w);
            return;
        }
    }
}

int hh__worker_waits(const struct hh_engine *e, const struct _KTHREAD *t)
{
    const struct hh_worker *w;
    if (t == e->worker)
        return e->state == HH_WORKER_WAITING;
    for (w = e->workers; w; w = w->next) {
        if (w->thread == t)
            return w->state == HH_WORKER_WAITING; /* parked when it was deselected */
    }
    return 0;
}

struct hh_worker *hh_engine_workers(struct hh_engine *e)
{
    if (e->selected)
        park(e, e->selected);
    return e->workers;
}

struct hh_worker *hh_engine_worker_of(struct hh_engine *e, const struct _KTHREAD *t)
{
    struct hh_worker *w;
    for (w = hh_engine_workers(e); w; w = w->next) {
        if (w->thread == t)
            return w;
    }
    return NULL;
}

const char *hh_worker_label(const struct hh_worker *w, char *buf, size_t len)
{
    if (w->routine[0])
        snprintf(buf, len, "worker %u (%s)", w->number, w->routine);
    else
        snprintf(buf, len, "worker %u", w->number);
    return buf;
}

void hh__workers_free(struct hh_engine *e)
{
    struct hh_worker *w, *next;
    for (w = e->workers; w; w = next) {
        next = w->next;
        if (w != e->selected)
            free(w->start); /* the selected one's is e->start, which the engine frees */
        free(w);
    }
    e->workers = e->selected = NULL;
}

/* Every worker but the one on thread `skip` (NULL: none) whose wait completed runs, in
 * creation order, again while one ran (one may wake another); 1 when one ran. After a
 * failure the failing worker stays selected, for the report; else the selection returns. */
static int run_woken(struct hh_engine *e, const struct _KTHREAD *skip)
{
    struct hh_worker *prev = e->selected, *w;
    int ran = 0, again = 1;
    if (!e->workers)
        return skip == e->worker ? 0 : run_if_woken(e);
    while (again && !e->failed) {
        again = 0;
        for (w = e->workers; w && !e->failed; w = w->next) {
            if (w->thread == skip) /* a worker's thread never changes */
                continue;
            select_worker(e, w);
            again |= run_if_woken(e);
        }
        ran |= again;
    }
    if (!e->failed)
        select_worker(e, prev);
    return ran;
}

void hh_worker_run(struct hh_engine *e)
{
    if (e->rt)
        return;
    if (e->explore) {
        hh_explore_settle(e);
        return;
    }
    if (hh_work_pending(e))
        hh_work_run(e); /* queued work items run before the worker's turn */
    if (e->workers)
        run_woken(e, NULL);
    else
        run_if_woken(e); /* the routine's one worker: run_woken's loop for nothing */
    /* System threads the step or the worker readied run next, and the worker again when they
     * woke it, until nothing is ready. */
    while (e->sched && !e->failed && hh_sched_run_ready(e) && run_woken(e, NULL))
        ;
}

int hh__worker_resume(struct hh_engine *e, const struct _KTHREAD *blocked)
{
    struct _KTHREAD *saved = e->current;
    int ran;
    if (e->rt || hh__sched_on_simthread())
        return 0;
    ran = run_woken(e, blocked);
    e->current = saved; /* the routine's return leaves the scenario's thread current */
    return ran;
}

void hh_worker_deliver(struct hh_engine *e, NTSTATUS status)
{
    struct _KTHREAD *w = e->worker;
    if (e->failed || e->state == HH_WORKER_NOT_STARTED || e->state == HH_WORKER_RUNNING)
        return;
    if (e->state == HH_WORKER_TERMINATED) {
        invoke(e, status); /* reports call-after-terminate */
        return;
    }
    hh__drop_wait(e, w);
    run_from(e, status);
}

void hh_worker_swap(struct hh_engine *e, PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE routine)
{
    struct _KTHREAD *w = e->worker;
    if (e->state != HH_WORKER_WAITING)
        return;
    if (e->rt)
        hh__rt_stop_worker(e); /* its OS thread leaves the wait and ends */
    if (e->explore)
        hh__ex_retire(e, w); /* its explored thread ends at its wait */
    /* The old thread is torn down at its wait: the wait is dropped and what the thread
     * owned goes with it; the new thread starts from a clean slate with the same context. */
    hh__drop_wait(e, w);
    hh_thread_rundown(e, w);
    w->alerted[0] = w->alerted[1] = FALSE;
    w->user_apcs = 0;
    w->user_apc_pending = FALSE;
    w->irql = PASSIVE_LEVEL;
    w->kernel_apc_disable = w->special_apc_disable = 0;
    w->nheld = 0;
    e->start->WorkerRoutine = routine;
    e->state = HH_WORKER_NOT_STARTED;
    hh_worker_start(e);
}

void hh_worker_allow_driver(struct hh_engine *e, int true_means, hh_invocation_fn fn,
                            void *user)
{
    e->driver_mode = 1;
    e->true_means = true_means;
    e->on_invocation = fn;
    e->on_invocation_user = user;
}

/* A second worker under the real clock: refused, with the reason as the run's failure. */
static NTSTATUS refuse_second(struct hh_engine *e)
{
    hh_engine_fail(e, HH_RULE_DRIVER,
                   "the driver started a second hot-swappable worker thread: a real-clock run "
                   "plays one worker per driver; run the scenario with the virtual clock "
                   "(`run --clock virtual`) to play several");
    return STATUS_INSUFFICIENT_RESOURCES;
}

static struct hh_worker *new_worker(struct hh_engine *e, const char *routine)
{
    struct hh_worker *w = calloc(1, sizeof(*w)), **tail = &e->workers;
    unsigned n = 1;
    char name[32];
    if (!w) {
        fputs("hotswap: out of memory\n", stderr);
        abort();
    }
    for (; *tail; tail = &(*tail)->next)
        n++;
    w->number = n;
    snprintf(w->routine, sizeof(w->routine), "%s", routine ? routine : "");
    if (n == 1) {
        w->thread = e->worker; /* the engine's worker thread, as in every scenario */
    } else {
        snprintf(name, sizeof(name), "worker %u", n);
        w->thread = hh__thread_new(e, name);
    }
    w->state = HH_WORKER_NOT_STARTED;
    *tail = w;
    return w;
}

NTSTATUS hh_worker_start_driver(struct hh_engine *e,
                                const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start,
                                const char *routine, PKTHREAD *thread)
{
    struct _KTHREAD *creator = e->current;
    struct hh_worker *prev = e->selected, *w;
    if (!e->driver_mode)
        return STATUS_NOT_SUPPORTED;
    if (e->workers && e->rt)
        return refuse_second(e);
    w = new_worker(e, routine);
    if (!e->selected)
        e->selected = w; /* the first: the engine's fields are already its own */
    select_worker(e, w);
    hh_worker_configure(e, start, e->true_means, e->on_invocation, e->on_invocation_user);
    if (thread)
        *thread = e->worker;
    /* The new thread runs first, until it blocks (virtual clock; the real clock gives it its
     * own OS thread); then its creator goes on where it was. */
    hh_worker_start(e);
    if (!e->failed)
        select_worker(e, prev ? prev : w);
    e->current = creator;
    return STATUS_SUCCESS;
}
