/* explore_sched.c - the controlled scheduler of `explore`: the worker and a scenario's
 * concurrent steps as simulated threads, one running at a time, switched at every DDI entry.
 *
 * - Thread 0 is the scenario's own OS thread (the driver: it plays the steps); the worker
 *   (thread 1 once started: by the scenario, or in driver mode by the driver's load routine
 *   through hh_worker_start_driver) and each concurrent step get a fiber of their own (a
 *   stack on that same OS thread), so that their frames survive while another runs. One
 *   baton, handed directly: the thread that holds it asks the strategy who runs next and
 *   switches to that thread's fiber.
 *   Nothing runs beside the holder, so the model needs no lock, and same choices give the
 *   same run on every platform.
 * - Scheduling points: every shim entry of an explored thread (hh_shim_enter calls
 *   hh__ex_point), a wait of its that blocks, and its end. The driver's own code is not
 *   interleaved: it runs only once everything else has settled (the worker blocked in its
 *   wait or ended, every concurrent step returned), or when nothing else can run (then it
 *   moves the clock to the next timer, or reports the deadlock).
 * - A point where one thread alone can run is not shown to the strategy: schedules list the
 *   choices that had an alternative.
 * - A failure hands the baton straight to the driver; threads still in the middle of their
 *   code are torn down when the engine is freed, without running more driver code.
 * - The fibers come from a pool (explore_pool.c) that outlives the run: the explorer's, so
 *   that its runs do not each make stacks.
 * - System threads (PsCreateSystemThread) are explored threads too: they outlive the steps,
 *   so the driver's code runs once each is blocked or ended, as for the worker.
 * - Several workers (driver mode) are explored threads each; the engine's worker fields are
 *   the selected worker's, so a thread takes back its selection when the baton returns.
 * - The watchdog (e->watchdog, explore --timeout): a thread that calls no DDI cannot be
 *   preempted, and one that never returns keeps the baton for ever. The pool's watchdog
 *   thread (an OS thread) watches the baton word, which the holder moves at each of its
 *   scheduling points and hand-offs. A thread that held the baton past the limit is stopped
 *   for good where it is, and the driver goes on from its switch: the run fails (rule
 *   watchdog), the engine and the module stay, and should it come back to the scheduler it
 *   stops there.
 * Nothing here exists without hh_explore_begin: other runs pay one NULL test per DDI entry.
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "explore/strategy.h"
#include "platform/plat.h"

#define X_DRIVER 0
#define JUMP_KILLED 3
#define LOG_MAX 1000000u /* events recorded per run; past it, the run is only counted */
/* Scheduling points a run may take: past them it is cut, not judged. A thread that polls
 * in a loop for what another thread does runs on forever in a schedule that never preempts
 * it, which a fair processor would not do. */
#define POINT_LIMIT 200000ul

struct xthread {
    struct hh_explore *x;
    unsigned id;
    struct _KTHREAD *t;
    void (*fn)(void *);
    void *arg;
    struct hh_ex_carrier *carrier; /* its fiber's; NULL for the driver */
    struct hh_plat_fiber *fiber;   /* where it runs: the pool's home for the driver */
    int ended, kill;
    struct hh_guard *base;
    const volatile KSPIN_LOCK *spin; /* the spin lock it spins on, or NULL */
    struct hh_ex_op op;              /* its pending operation */
    const char *ddi;                 /* what it does next, for the account */
    /* A DPC's or a work item's thread: its queue and its entry there; a DPC's DpcData names
     * this thread while it is queued for it. */
    struct xqueue *q;
    LIST_ENTRY *entry;
    PKDPC dpc;
    PIO_WORKITEM work;
    int started; /* has had its first turn */
    hh_time until; /* a clock's thread: where it moves the clock to */
    int hung; /* the watchdog gave up on it: stopped for good where it was */
    /* A system thread's (PsCreateSystemThread): its start routine, where it was created, and
     * the guard PsTerminateSystemThread unwinds to while it runs. */
    void (*routine)(PVOID);
    PVOID context;
    const void *creator;
    struct hh_guard *sys_base;
};

/* The DPC processor, or the system worker thread: what waits there, in order, one running. */
struct xqueue {
    LIST_ENTRY head;
    struct xthread *running;
};

struct hh_explore {
    struct hh_engine *e;
    hh_explore_choose_fn choose;
    void *user;
    struct hh_explore_log *log;
    struct hh_ex_pool *pool;
    int own_pool; /* made for this run alone: freed with it */
    struct xthread *th[HH_EX_MAX_THREADS];
    const char *names[HH_EX_MAX_THREADS];
    struct hh_ex_op ops[HH_EX_MAX_THREADS];
    unsigned n;
    int stopped;          /* the strategy abandoned the run: no more choices */
    PKTHREAD driver_wait; /* the thread the driver's code waits as; NULL: it settles */
    char driver_cell;     /* the object of the driver's pending operation: nobody else's */
    /* DPCs and work items queued by explored threads wait here, in the kernel's queue
     * order, each with a thread of its own; one runs at a time on each (DPCs never nest,
     * the system worker runs one item at a time). */
    struct xqueue dpcq, workq;
    unsigned systems;    /* system threads created in the run: their names' numbers */
    int watching; /* under a watchdog (e->watchdog): the baton word moves */
    int fired;    /* the watchdog gave up on a thread of this run */
};

/* The explored thread running now on this OS thread (each switch of fibers puts back its
 * own); NULL on the driver's (and every other) thread. */
static HH_THREAD_LOCAL struct xthread *xself;

/* ---- Who can run ---------------------------------------------------------------------- */

/* A DPC's (a work item's) thread starts when its entry is at the head of its queue and
 * nothing else runs there; one whose DPC was removed (KeRemoveQueueDpc) may start at once,
 * and only ends. */
static int queue_turn(const struct xthread *th)
{
    if (th->started)
        return 1;
    if (th->dpc && th->dpc->DpcData != th)
        return 1;
    return !th->q->running && th->q->head.Flink == th->entry;
}

static int runnable(const struct xthread *th)
{
    if (th->ended)
        return 0;
    if (th->q && !queue_turn(th))
        return 0;
    if (th->spin && *th->spin != 0)
        return 0;
    return !th->t->blocked || th->t->retest;
}

/* The explored threads other than the driver that can run, as a mask. */
static uint64_t others(const struct hh_explore *x)
{
    uint64_t mask = 0;
    unsigned i;
    for (i = 1; i < x->n; i++) {
        if (runnable(x->th[i]))
            mask |= (uint64_t)1 << i;
    }
    return mask;
}

/* Everything has settled: the worker blocked in its own wait (not in one of its routine's,
 * nor spinning) or ended, every system thread blocked or ended (they outlive the steps),
 * every concurrent step returned. */
static int settled(const struct hh_explore *x)
{
    unsigned i;
    for (i = 1; i < x->n; i++) {
        const struct xthread *th = x->th[i];
        if (th->ended || (th->routine && !runnable(th)))
            continue;
        if (runnable(th) || !hh__worker_waits(x->e, th->t))
            return 0;
    }
    return 1;
}

static int driver_ready(const struct hh_explore *x, uint64_t mask)
{
    if (x->e->failed || mask == 0)
        return 1;
    if (x->driver_wait)
        return !x->driver_wait->blocked || x->driver_wait->retest;
    return settled(x);
}

static int lowest(uint64_t mask)
{
    int i = 0;
    while (!(mask & 1)) {
        mask >>= 1;
        i++;
    }
    return i;
}

static void record(struct hh_explore *x, int id, int choice)
{
    struct hh_explore_log *log = x->log;
    struct hh_explore_event *ev;
    log->points++;
    if (log->n == LOG_MAX)
        return;
    if (log->n == log->cap) {
        size_t cap = log->cap ? log->cap * 2 : 256;
        struct hh_explore_event *grown = realloc(log->events, cap * sizeof(*grown));
        if (!grown) {
            log->n = LOG_MAX; /* stop recording; the run goes on */
            return;
        }
        log->events = grown;
        log->cap = cap;
    }
    ev = &log->events[log->n++];
    ev->thread = (unsigned)id;
    ev->ddi = x->th[id]->ddi;
    ev->choice = choice;
}

/* The thread to run next; `running` is the thread that was running if it can go on. */
static int pick(struct hh_explore *x, int running)
{
    uint64_t mask = others(x);
    struct hh_ex_point pt;
    unsigned i;
    int id;
    if (!x->e->failed && x->log->points >= POINT_LIMIT) {
        x->log->cut = 1;
        x->log->abandoned = 1;
        hh_engine_fail(x->e, HH_RULE_LIVELOCK,
                       "the explored run passed %lu scheduling points without settling (a "
                       "thread polling for what another does, in a schedule that never "
                       "preempts it); the run is cut and not judged",
                       POINT_LIMIT);
    }
    if (x->e->failed) {
        record(x, X_DRIVER, 0);
        return X_DRIVER;
    }
    if (driver_ready(x, mask))
        mask |= 1;
    if ((mask & (mask - 1)) == 0 || x->stopped) {
        id = running >= 0 && (mask >> running & 1) ? running : lowest(mask);
        record(x, id, 0);
        return id;
    }
    for (i = 0; i < x->n; i++) {
        if (i == X_DRIVER) {
            x->ops[i].object = &x->driver_cell;
            x->ops[i].access = HH_EX_WRITE;
        } else if (x->th[i]->ended) {
            x->ops[i].object = NULL;
            x->ops[i].access = HH_EX_NOTHING;
        } else {
            x->ops[i] = x->th[i]->op;
        }
    }
    pt.n_threads = x->n;
    pt.enabled = mask;
    pt.running = running;
    pt.ops = x->ops;
    pt.names = x->names;
    id = x->choose(x->user, &pt);
    if (id < 0 || (unsigned)id >= x->n || !(mask >> id & 1)) {
        /* HH_EX_ABANDON: every continuation is covered by another run. The run goes on
         * without preemptions, and its verdict is not counted. */
        x->stopped = 1;
        x->log->abandoned = 1;
        id = running >= 0 && (mask >> running & 1) ? running : lowest(mask);
        record(x, id, 0);
        return id;
    }
    x->log->choices++;
    record(x, id, 1);
    return id;
}

/* Under a watchdog the baton word moves to `holder` at each scheduling point of th (holder:
 * th) and each hand-off (the next thread), where the watchdog looks. A thread it gave up on,
 * back at such a point: the run ended without it, so it touches nothing more and stops
 * there until the explorer's thread is taken from it. */
static void look(struct hh_explore *x, const struct xthread *th, unsigned holder)
{
    if (x->watching && hh__ex_pool_baton(x->pool, holder) && th->id != X_DRIVER)
        hh__ex_pool_stay(x->pool);
}

static void watchdog_fires(struct hh_explore *x, struct xthread *th);

/* Hands the baton from `from` to thread `to` (a switch of fibers) and returns when it comes
 * back. What the OS thread keeps for its running code (the innermost guard, the current
 * engine, the explored thread) is the running fiber's, so `from` takes its own back. */
static void pass(struct hh_explore *x, struct xthread *from, int to)
{
    struct hh_engine *e = x->e;
    struct _KTHREAD *cur = e->current;
    struct hh_guard *guard = hh__guard_top;
    struct hh_engine *current = hh_engine_current();
    struct hh_worker *selected = e->selected;
    struct xthread *me = xself;
    if ((unsigned)to == from->id)
        return;
    look(x, from, (unsigned)to);
    hh_plat_fiber_switch(from->fiber, x->th[to]->fiber);
    xself = me;
    hh__guard_top = guard;
    hh_engine_make_current(current);
    if (from->kill)
        longjmp(from->base->jb, JUMP_KILLED);
    e->current = cur;
    /* Its worker's fields again (several workers); after a failure the failing worker's stay
     * selected, for the report. */
    if (!e->failed)
        hh__worker_select(e, selected);
    if (from->id == X_DRIVER && x->watching && !x->fired) {
        int hung = hh__ex_pool_hung(x->pool);
        if (hung > 0)
            watchdog_fires(x, x->th[hung]);
    }
}

/* ---- An explored thread's own side ----------------------------------------------------- */

/* Runs on its carrier from its first turn; returns nonzero when torn down (the engine waits
 * for that), 0 when it ended and handed the baton on. */
static int x_main(void *arg)
{
    struct xthread *th = arg;
    struct hh_explore *x = th->x;
    struct hh_guard g;
    int next;
    if (th->kill)
        return 1;
    xself = th;
    hh_engine_make_current(x->e);
    g.prev = NULL;
    g.lock_depth = 0;
    hh__guard_top = &g;
    th->base = &g;
    th->started = 1;
    if (setjmp(g.jb) == 0) {
        x->e->current = th->t;
        hh__worker_select_thread(x->e, th->t); /* a worker's thread: its own fields */
        th->fn(th->arg);
    }
    if (!th->kill)
        look(x, th, th->id);
    hh__guard_top = NULL;
    xself = NULL;
    hh_engine_make_current(NULL);
    if (th->kill)
        return 1; /* torn down: the engine waits for this and expects no hand-over */
    th->ended = 1;
    th->ddi = "returns";
    next = pick(x, HH_EX_NONE);
    look(x, th, (unsigned)next);
    hh__ex_pool_then(x->pool, x->th[next]->fiber); /* the carrier switches there */
    return 0;
}

void hh__ex_point(struct hh_engine *e, const char *ddi, const void *object, int access)
{
    struct xthread *th = xself;
    if (!th || th->x != e->explore)
        return; /* the driver's code is not interleaved */
    look(e->explore, th, th->id);
    if (e->failed)
        return;
    th->ddi = ddi;
    th->op.object = object;
    th->op.access = object ? (enum hh_ex_access)access : HH_EX_UNKNOWN;
    pass(e->explore, th, pick(e->explore, (int)th->id));
}

void hh__ex_spin(struct hh_engine *e, const volatile KSPIN_LOCK *lock)
{
    struct xthread *th = xself;
    look(e->explore, th, th->id);
    th->spin = lock;
    th->ddi = "takes the spin lock";
    th->op.object = (const void *)lock;
    th->op.access = HH_EX_WRITE;
    pass(e->explore, th, pick(e->explore, HH_EX_NONE));
    th->spin = NULL;
}

void hh__ex_returned(struct hh_engine *e)
{
    if (xself && xself->x == e->explore)
        look(e->explore, xself, xself->id);
}

int hh__ex_on_thread(const struct hh_engine *e)
{
    return xself && xself->x == e->explore;
}

/* The pending operation of a thread blocked in t's wait: the object it waits on (a set of
 * it ends the wait), or unknown for several. */
static void wait_op(struct xthread *th, const struct hh_wait *w)
{
    th->op.object = w->count == 1 ? w->objects[0] : NULL;
    th->op.access = w->count == 1 ? HH_EX_WRITE : HH_EX_UNKNOWN;
}

int hh__ex_wait(struct hh_engine *e, PKTHREAD t)
{
    struct hh_explore *x = e->explore;
    struct xthread *th = xself;
    int next;
    if (th && th->x == x) {
        look(x, th, th->id);
        th->ddi = "wakes from its wait";
        wait_op(th, &t->wait);
        pass(x, th, pick(x, HH_EX_NONE));
        return 1;
    }
    /* The driver's code (a `call` step) waits as t: the others run meanwhile. */
    if (e->failed || others(x) == 0)
        return 0;
    x->driver_wait = t;
    next = pick(x, HH_EX_NONE);
    if (next != X_DRIVER)
        pass(x, x->th[X_DRIVER], next);
    x->driver_wait = NULL;
    return 1;
}

NTSTATUS hh__ex_worker_wait(struct hh_engine *e)
{
    struct xthread *th = xself;
    NTSTATUS status;
    for (;;) {
        look(e->explore, th, th->id);
        th->ddi = "wakes from its wait";
        wait_op(th, &e->worker->wait);
        pass(e->explore, th, pick(e->explore, HH_EX_NONE));
        status = hh_wait_poll(e, e->worker);
        if (status != STATUS_PENDING || e->failed)
            return status;
    }
}

/* ---- The driver's side ------------------------------------------------------------------ */

static struct xthread *new_thread(struct hh_explore *x, PKTHREAD t, void (*fn)(void *),
                                  void *arg)
{
    struct xthread *th;
    if (x->n == HH_EX_MAX_THREADS)
        return NULL;
    th = calloc(1, sizeof(*th));
    if (!th)
        return NULL;
    th->x = x;
    th->id = x->n;
    th->t = t;
    th->fn = fn;
    th->arg = arg;
    th->ddi = "starts";
    th->op.object = NULL;
    th->op.access = HH_EX_UNKNOWN;
    if (!fn) {
        th->fiber = hh__ex_pool_driver(x->pool);
    } else if ((th->carrier = hh__ex_carrier_take(x->pool, x_main, th)) != NULL) {
        th->fiber = hh__ex_carrier_fiber(th->carrier);
    } else {
        free(th);
        return NULL;
    }
    x->names[x->n] = t->name;
    memcpy(x->log->names[x->n], t->name, sizeof(x->log->names[0]));
    x->log->n_threads = x->n + 1;
    x->th[x->n++] = th;
    return th;
}

int hh_explore_begin(struct hh_engine *e, hh_explore_choose_fn choose, void *user,
                     struct hh_explore_log *log, struct hh_ex_pool *pool)
{
    struct hh_explore *x;
    if (e->explore || e->rt)
        return -1;
    x = calloc(1, sizeof(*x));
    if (!x)
        return -1;
    x->e = e;
    x->choose = choose;
    x->user = user;
    x->log = log;
    x->pool = pool;
    if (!pool) {
        x->pool = hh__ex_pool_new();
        x->own_pool = 1;
    }
    if (!x->pool || hh__ex_pool_watch(x->pool, e->watchdog) != 0 ||
        !new_thread(x, e->driver, NULL, NULL)) {
        if (x->own_pool)
            hh_ex_pool_free(x->pool);
        free(x);
        return -1;
    }
    x->th[X_DRIVER]->ddi = "plays the next step";
    x->watching = e->watchdog > 0;
    hh__list_init(&x->dpcq.head);
    hh__list_init(&x->workq.head);
    e->explore = x;
    return 0;
}

int hh_explore_spawn(struct hh_engine *e, PKTHREAD t, void (*fn)(void *), void *arg)
{
    unsigned i;
    for (i = 0; i < e->explore->n; i++) {
        if (e->explore->th[i]->t == t && !e->explore->th[i]->ended)
            return -1; /* one KTHREAD cannot run two things at once */
    }
    return new_thread(e->explore, t, fn, arg) ? 0 : -1;
}

const char *hh_explore_thread_name(const struct hh_engine *e, unsigned id)
{
    return e->explore && id < e->explore->n ? e->explore->names[id] : NULL;
}

/* " (the worker in KeWaitForSingleObject)" and so on, for the deadlock's report. */
static void blocked_text(const struct hh_explore *x, char *buf, size_t len)
{
    size_t used = 0;
    unsigned i;
    buf[0] = '\0';
    for (i = 1; i < x->n && used + 1 < len; i++) {
        const struct xthread *th = x->th[i];
        int n;
        if (th->ended || hh__worker_waits(x->e, th->t))
            continue;
        n = snprintf(buf + used, len - used, "%s%s %s", used ? ", " : "", th->t->name,
                     th->spin ? "spins on a spin lock" : "waits");
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

void hh_explore_settle(struct hh_engine *e)
{
    struct hh_explore *x = e->explore;
    char who[600];
    look(x, x->th[X_DRIVER], X_DRIVER); /* a step's end: the driver's code moved on */
    for (;;) {
        if (e->failed || settled(x))
            return;
        if (hh_work_pending(e)) {
            hh_work_run(e);
            continue;
        }
        if (others(x) == 0) {
            /* Everything waits: time passes, as it would for blocked threads. */
            if (hh_engine_expire_next(e, INT64_MAX) == 0)
                continue;
            blocked_text(x, who, sizeof(who));
            hh_engine_fail(e, HH_RULE_DEADLOCK,
                           "every thread waits and no timer is left that could end a wait: "
                           "%s; the scenario's next step waits for them to return",
                           who);
            return;
        }
        pass(x, x->th[X_DRIVER], pick(x, HH_EX_NONE));
    }
}

/* The carriers back to the pool, each thread still in its code killed first: switched to, it
 * unwinds to its base guard without running more driver code, and its carrier switches back
 * here (the driver's). */
static void give_back(struct hh_explore *x, struct xthread *th)
{
    th->kill = !th->ended;
    if (th->kill) {
        struct hh_guard *guard = hh__guard_top;
        struct hh_engine *current = hh_engine_current();
        hh_plat_fiber_switch(x->th[X_DRIVER]->fiber, th->fiber);
        hh__guard_top = guard;
        hh_engine_make_current(current);
    }
    hh__ex_carrier_give_back(th->carrier);
    th->carrier = NULL;
}

static void give_back_threads(struct hh_explore *x)
{
    unsigned i;
    for (i = 0; i < x->n; i++) {
        if (x->th[i]->carrier)
            give_back(x, x->th[i]);
    }
}

void hh__ex_retire(struct hh_engine *e, const struct _KTHREAD *t)
{
    struct hh_explore *x = e->explore;
    unsigned i;
    for (i = 1; i < x->n; i++) {
        struct xthread *th = x->th[i];
        if (th->t == t && !th->ended && th->carrier) {
            give_back(x, th);
            th->ended = 1;
            th->ddi = "is recreated";
        }
    }
}

void hh__ex_free(struct hh_engine *e)
{
    struct hh_explore *x = e->explore;
    unsigned i;
    if (!x)
        return;
    give_back_threads(x);
    for (i = 0; i < x->n; i++) {
        if (x->th[i]->hung)
            return; /* it still runs, and reads its own and x: both stay */
    }
    for (i = 0; i < x->n; i++)
        free(x->th[i]);
    if (x->own_pool)
        hh_ex_pool_free(x->pool);
    free(x);
    e->explore = NULL;
}

/* ---- The watchdog ------------------------------------------------------------------------- */

/* th held the baton past the limit: the run fails, the others are torn down now (after a
 * failure nothing runs them), and th stays where it stopped, on a carrier its pool forgets. */
static void watchdog_fires(struct hh_explore *x, struct xthread *th)
{
    struct hh_engine *e = x->e;
    char limit[32], what[200] = "", st[48], since[32];
    int worker;
    hh__worker_select_thread(e, th->t); /* the report names its worker */
    worker = th->t == e->worker && e->state == HH_WORKER_RUNNING;
    th->hung = 1;
    x->fired = 1;
    if (worker)
        snprintf(what, sizeof(what), ", in invocation %lu (%s (0x%08X), called at %s)",
                 e->invocations, hh_status_name(e->running_status, st, sizeof(st)),
                 (unsigned)e->running_status,
                 hh__duration_text(e->running_since, since, sizeof(since)));
    hh_engine_fail(e, HH_RULE_WATCHDOG,
                   "%s held the baton past the %s limit (--timeout) without reaching a "
                   "scheduling point or returning%s; the last point it reached: %s. A thread "
                   "that calls no DDI cannot be preempted: it is stopped there for good, and "
                   "explore ends",
                   th->t->name, hh__duration_text(e->watchdog, limit, sizeof(limit)), what,
                   th->ddi);
    if (worker) {
        e->failure.invocation = e->invocations;
        e->failure.time = e->running_since;
    }
    e->abandoned = 1; /* the engine and the module stay for th */
    x->log->abandoned = 0; /* judged whatever the strategy said: no run can follow this one */
    hh__ex_carrier_lose(th->carrier);
    th->carrier = NULL;
    give_back_threads(x);
}

void hh_explore_driver_hung(struct hh_engine *e)
{
    struct hh_explore *x = e->explore;
    struct hh_guard *guard = hh__guard_top;
    char limit[32];
    x->th[X_DRIVER]->fiber = hh__ex_pool_driver(x->pool); /* the explorer's own, from now */
    x->th[X_DRIVER]->hung = 1;
    x->fired = 1;
    hh__guard_top = NULL; /* recorded here; nothing of the run's is left to unwind to */
    hh_engine_fail(e, HH_RULE_WATCHDOG,
                   "the driver's own code (the scenario's thread: a step that is not "
                   "concurrent, or the driver's load or unload) held the baton past the %s "
                   "limit (--timeout) without returning; it is not interleaved, so nothing "
                   "preempts it: it is stopped there for good, and explore ends",
                   hh__duration_text(e->watchdog, limit, sizeof(limit)));
    hh__guard_top = guard;
    e->abandoned = 1;      /* the engine and the module stay for its frames */
    x->log->abandoned = 0; /* judged whatever the strategy said: no run can follow this one */
    give_back_threads(x);
}

/* ---- DPCs and the clock ------------------------------------------------------------------ */

static void dpc_main(void *arg)
{
    struct xthread *th = arg;
    struct hh_explore *x = th->x;
    PKDPC dpc = th->dpc;
    if (dpc->DpcData != th)
        return; /* removed from the queue before its turn */
    hh__list_remove(&dpc->DpcListEntry);
    dpc->DpcData = NULL; /* it may queue itself again */
    x->dpcq.running = th;
    hh__dpc_run(x->e, th->t, dpc);
    th->t->irql = PASSIVE_LEVEL;
    x->dpcq.running = NULL;
}

static void work_main(void *arg)
{
    struct xthread *th = arg;
    struct hh_explore *x = th->x;
    hh__list_remove(&th->work->entry);
    th->work->queued = FALSE; /* its routine may queue it again or free it */
    x->workq.running = th;
    hh__work_call(x->e, th->t, th->work);
    x->workq.running = NULL;
}

/* "dpc:device" for a DPC the thread "device" queued ("dpc:device.2" for its second in the
 * run; "work:device" for a work item): the name stays the same from run to run, as
 * schedules need. A DPC queued by a DPC takes its queuer's base name. */
static int queued_name(const struct hh_explore *x, const char *kind, const char *queuer,
                       char *buf, size_t len)
{
    char base[24];
    size_t k = strlen(kind), n;
    unsigned i;
    if (strncmp(queuer, kind, k) == 0)
        queuer += k;
    n = strlen(queuer) < sizeof(base) - 4 - k ? strlen(queuer) : sizeof(base) - 4 - k;
    memcpy(base, kind, k);
    memcpy(base + k, queuer, n);
    base[k + n] = '\0';
    for (k = 1; k <= HH_EX_MAX_THREADS; k++) {
        if (k == 1)
            snprintf(buf, len, "%s", base);
        else
            snprintf(buf, len, "%s.%u", base, (unsigned)k);
        for (i = 0; i < x->n && strcmp(x->names[i], buf) != 0; i++)
            ;
        if (i == x->n)
            return 0;
    }
    return -1;
}

/* The run has no room (or the OS no thread) for one more explored thread: `what` needs it. */
static void no_thread(struct hh_engine *e, const char *what)
{
    hh_engine_fail(e, HH_RULE_TIMELINE,
                   "%s needs a thread of its own under explore, and the run has %d threads "
                   "already (the worker, the concurrent steps, the system threads and each "
                   "DPC and work item queued while they run), or the OS would give no thread: "
                   "fewer of them in one run",
                   what, HH_EX_MAX_THREADS);
}

/* A thread for what `kind` ("dpc:", "work:") the current thread queued, to run body once
 * it is its turn on q; NULL (and the run failed) past the threads a run may have. */
static struct xthread *queued_thread(struct hh_engine *e, const char *kind, struct xqueue *q,
                                     void (*body)(void *), const char *ddi)
{
    struct hh_explore *x = e->explore;
    struct xthread *th = NULL;
    char name[32];
    if (queued_name(x, kind, e->current->name, name, sizeof(name)) == 0)
        th = new_thread(x, hh_engine_thread(e, name), body, NULL);
    if (!th) {
        char what[80];
        snprintf(what, sizeof(what), "a %s queued by %s", kind[0] == 'd' ? "DPC" : "work item",
                 e->current->name);
        no_thread(e, what);
        return NULL;
    }
    th->arg = th;
    th->q = q;
    th->ddi = ddi;
    return th;
}

void hh__ex_take_dpcs(struct hh_engine *e)
{
    struct hh_explore *x = e->explore;
    LIST_ENTRY *high = &x->dpcq.head; /* high importance goes ahead, in the kernel's order */
    while (e->dpcs.Flink != &e->dpcs && !e->failed) {
        PKDPC dpc = (PKDPC)((char *)e->dpcs.Flink - offsetof(KDPC, DpcListEntry));
        struct xthread *th;
        hh__list_remove(&dpc->DpcListEntry);
        dpc->DpcData = NULL;
        if (!(th = queued_thread(e, "dpc:", &x->dpcq, dpc_main, "runs the DPC")))
            return;
        th->dpc = dpc;
        th->entry = &dpc->DpcListEntry;
        dpc->DpcData = th;
        if (dpc->Importance == HighImportance) {
            dpc->DpcListEntry.Flink = high->Flink;
            dpc->DpcListEntry.Blink = high;
            high->Flink->Blink = &dpc->DpcListEntry;
            high->Flink = &dpc->DpcListEntry;
            high = &dpc->DpcListEntry;
        } else {
            hh__list_insert_tail(&x->dpcq.head, &dpc->DpcListEntry);
        }
    }
}

void hh__ex_queue_work(struct hh_engine *e, PIO_WORKITEM w)
{
    struct hh_explore *x = e->explore;
    struct xthread *th = queued_thread(e, "work:", &x->workq, work_main, "runs the work item");
    if (!th)
        return;
    th->work = w;
    th->entry = &w->entry;
    w->queued = TRUE;
    hh__list_insert_tail(&x->workq.head, &w->entry);
}

/* The clock thread of a concurrent advance: the clock moves instant by instant, each a
 * scheduling point, and the DPCs of the timers it expires go to the DPC processor. */
static void clock_main(void *arg)
{
    struct xthread *th = arg;
    struct hh_engine *e = th->x->e;
    hh_time until = th->until;
    while (!e->failed && hh_engine_expire_next(e, until) == 0) {
        if (hh_engine_next_due(e) >= 0 && hh_engine_next_due(e) <= until)
            hh__ex_point(e, "moves the clock", NULL, HH_EX_UNKNOWN);
    }
    if (!e->failed && e->now < until)
        e->now = until;
}

int hh_explore_spawn_clock(struct hh_engine *e, PKTHREAD t, hh_time until)
{
    struct xthread *th;
    if (hh_explore_spawn(e, t, clock_main, NULL) != 0)
        return -1;
    th = e->explore->th[e->explore->n - 1];
    th->arg = th;
    th->until = until;
    th->ddi = "moves the clock";
    return 0;
}

/* ---- System threads --------------------------------------------------------------------- */

/* A system thread's body: its start routine and its end, as on `run` (simthread.c). */
static void system_main(void *arg)
{
    struct xthread *th = arg;
    (void)hh__system_thread_body(th->x->e, th->t, th->routine, th->context, &th->sys_base);
}

NTSTATUS hh__ex_system_thread(struct hh_engine *e, void (*routine)(PVOID), PVOID context,
                              const void *caller, PKTHREAD *out)
{
    struct hh_explore *x = e->explore;
    struct xthread *th = NULL;
    char name[32];
    snprintf(name, sizeof(name), "system thread %u", x->systems + 1);
    if (x->n < HH_EX_MAX_THREADS)
        th = new_thread(x, hh__thread_new(e, name), system_main, NULL);
    if (!th) {
        no_thread(e, "PsCreateSystemThread's thread");
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    x->systems++;
    th->arg = th;
    th->routine = routine;
    th->context = context;
    th->creator = caller;
    *out = th->t;
    return STATUS_SUCCESS;
}

struct hh_guard *hh__ex_system_base(const struct hh_engine *e)
{
    const struct xthread *th = xself;
    return th && th->x == e->explore && e->current == th->t ? th->sys_base : NULL;
}

int hh__ex_check_alive(struct hh_engine *e)
{
    struct hh_explore *x = e->explore;
    unsigned i;
    for (i = 1; i < x->n; i++) {
        const struct xthread *th = x->th[i];
        if (th->routine && !th->ended) {
            hh__thread_alive_fail(e, th->t, th->routine, th->creator, !th->started);
            return 1;
        }
    }
    return 0;
}

/* ---- The worker ------------------------------------------------------------------------- */

static void worker_main(void *arg)
{
    hh__worker_body(arg);
}

int hh__ex_start_worker(struct hh_engine *e)
{
    if (!new_thread(e->explore, e->worker, worker_main, e)) {
        hh_engine_fail(e, HH_RULE_TIMELINE,
                       "explore needs a fiber (a stack) for the worker, and the OS would "
                       "not give one");
        return -1;
    }
    return 0;
}
