/* explore_pool.c - the fibers of explored threads, kept across runs, and the explorer's
 * watchdog.
 *
 * Only one explored thread runs at a time, so each needs a stack of its own but not an OS
 * thread: a carrier is a fiber (plat.h) of the explorer's own OS thread, handed an explored
 * thread's body for one run, and a hand-off is a switch of stacks without the kernel (with an
 * OS thread and a gate per explored thread a hand-off cost about 3 us, most of an explored
 * schedule: docs/performance.md, section 7). Making a fiber costs a stack mapping, so the
 * pool keeps its carriers: between runs each is stopped where its last body returned, and
 * starts its next body when next switched to. The pool (the explorer's, or a run's own)
 * frees them when freed, but for one whose body the watchdog gave up on: that one it forgets.
 *
 * The watchdog (explore --timeout) cannot be a fiber, since code that calls no DDI never
 * switches: it is an OS thread of the pool's, made for the first run with a limit, that
 * looks at the baton word every quarter of the limit. The thread that holds the baton moves
 * the word at each of its scheduling points and hand-offs (hh__ex_pool_baton). A holder
 * other than the driver that left it unchanged past the limit is caught: the watchdog marks
 * the word, so that the holder stops at its next look (hh__ex_pool_stay), and rescues the
 * driver (hh_plat_fiber_rescue): the explorer's thread leaves the hung fiber where it is and
 * goes on with the driver, from the switch it made, which reports. The hung fiber is never
 * continued. The driver's own code is watched as well while it runs on the pool's runner
 * (hh_ex_pool_run: the explorer plays each run there): the driver moves the word at each
 * step, and when it holds the baton past the limit the explorer's thread goes on from
 * hh_ex_pool_run, which says so.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "explore/strategy.h"
#include "platform/plat.h"

/* Each carrier's stack: reserved, not committed, so generous (a thread's default is 8 MB;
 * driver code wants far less, the harness's reports a little more). */
#define STACK_BYTES ((size_t)4 << 20)

/* The baton word: the holder's thread id (0: the driver), the mark of the watchdog, and a
 * count that moves at every look. */
#define BATON_HOLDER 63
#define BATON_HUNG 64
#define BATON_COUNT_SHIFT 7

struct hh_ex_carrier {
    struct hh_ex_pool *pool;
    struct hh_plat_fiber *fiber;
    int (*body)(void *); /* nonzero: it was torn down, and the driver waits for it */
    void *arg;
    int busy; /* given to a thread of the current run */
};

struct hh_ex_pool {
    struct hh_ex_carrier *c[HH_EX_MAX_THREADS];
    unsigned n;
    struct hh_plat_fiber *home;   /* the explorer's OS thread */
    struct hh_plat_fiber *driver; /* where the driver's code runs: home, or the runner */
    struct hh_plat_fiber *runner; /* runs hh_ex_pool_run's fn, so that it can be watched */
    struct hh_plat_fiber *next;   /* where a carrier whose body ended switches to */
    void (*run_fn)(void *);
    void *run_arg;
    /* The watchdog: its thread, the gate it sleeps on (opened to end it), the limit of the
     * current run (0: none), the baton word, and the gate a hung fiber waits on. */
    struct hh_plat_thread *wd;
    struct hh_plat_gate *wd_gate;
    struct hh_plat_gate *stay;
    volatile int32_t wd_quit;
    volatile int32_t in_run; /* the runner runs: the driver's code is watched too */
    volatile int64_t limit_ns;
    volatile int32_t baton;
};

static void carrier_main(void *arg)
{
    struct hh_ex_carrier *c = arg;
    for (;;) {
        int torn = c->body(c->arg);
        hh_plat_fiber_switch(c->fiber, torn ? c->pool->driver : c->pool->next);
    }
}

struct hh_ex_pool *hh__ex_pool_new(void)
{
    struct hh_ex_pool *pool = calloc(1, sizeof(*pool));
    if (!pool)
        return NULL;
    if (hh_plat_fiber_enter(&pool->home) != 0) {
        free(pool);
        return NULL;
    }
    pool->driver = pool->home;
    return pool;
}

struct hh_ex_pool *hh_ex_pool_new(void)
{
    return hh__ex_pool_new();
}

void hh_ex_pool_free(struct hh_ex_pool *pool)
{
    unsigned i;
    if (!pool)
        return;
    for (i = 0; i < pool->n; i++) {
        hh_plat_fiber_free(pool->c[i]->fiber);
        free(pool->c[i]);
    }
    if (pool->wd) {
        (void)hh_plat_atomic_xchg32(&pool->wd_quit, 1);
        hh_plat_gate_open(pool->wd_gate);
        hh_plat_thread_join(pool->wd);
    }
    hh_plat_fiber_free(pool->runner);
    hh_plat_gate_free(pool->wd_gate);
    hh_plat_gate_free(pool->stay);
    hh_plat_fiber_leave(pool->home);
    free(pool);
}

unsigned hh_ex_pool_size(const struct hh_ex_pool *pool)
{
    return pool->n;
}

struct hh_ex_carrier *hh__ex_carrier_take(struct hh_ex_pool *pool, int (*body)(void *),
                                          void *arg)
{
    struct hh_ex_carrier *c = NULL;
    unsigned i;
    for (i = 0; i < pool->n && !c; i++) {
        if (!pool->c[i]->busy)
            c = pool->c[i];
    }
    if (!c) {
        if (pool->n == HH_EX_MAX_THREADS || !(c = calloc(1, sizeof(*c))))
            return NULL;
        c->pool = pool;
        if (hh_plat_fiber_new(&c->fiber, STACK_BYTES, carrier_main, c) != 0) {
            free(c);
            return NULL;
        }
        pool->c[pool->n++] = c;
    }
    c->body = body;
    c->arg = arg;
    c->busy = 1;
    return c;
}

struct hh_plat_fiber *hh__ex_carrier_fiber(const struct hh_ex_carrier *c)
{
    return c->fiber;
}

void hh__ex_carrier_give_back(struct hh_ex_carrier *c)
{
    c->busy = 0;
}

void hh__ex_carrier_lose(struct hh_ex_carrier *c)
{
    struct hh_ex_pool *pool = c->pool;
    unsigned i;
    hh_plat_fiber_keep(c->fiber);
    for (i = 0; i < pool->n; i++) {
        if (pool->c[i] == c) {
            pool->c[i] = pool->c[--pool->n];
            return;
        }
    }
}

struct hh_plat_fiber *hh__ex_pool_driver(const struct hh_ex_pool *pool)
{
    return pool->driver;
}

/* ---- The driver's code on a fiber of its own ---------------------------------------------- */

static void runner_main(void *arg)
{
    struct hh_ex_pool *pool = arg;
    for (;;) {
        pool->run_fn(pool->run_arg);
        hh_plat_fiber_switch(pool->runner, pool->home);
    }
}

int hh_ex_pool_run(struct hh_ex_pool *pool, void (*fn)(void *arg), void *arg)
{
    struct hh_guard *guard = hh__guard_top;
    struct hh_engine *current = hh_engine_current();
    if (!pool->runner && hh_plat_fiber_new(&pool->runner, STACK_BYTES, runner_main, pool) != 0) {
        fn(arg); /* no stack to be had: on the explorer's own, unwatched */
        return 0;
    }
    pool->run_fn = fn;
    pool->run_arg = arg;
    pool->driver = pool->runner;
    (void)hh__ex_pool_baton(pool, 0); /* the watchdog measures this run from its start */
    (void)hh_plat_atomic_xchg32(&pool->in_run, 1);
    hh_plat_fiber_switch(pool->home, pool->runner);
    (void)hh_plat_atomic_xchg32(&pool->in_run, 0);
    hh__guard_top = guard;
    hh_engine_make_current(current);
    pool->driver = pool->home;
    if (hh__ex_pool_hung(pool) == 0) {
        /* The driver's code held the baton past the limit: the runner stays where it was. */
        hh_plat_fiber_keep(pool->runner);
        pool->runner = NULL;
        return 1;
    }
    return 0;
}

void hh__ex_pool_then(struct hh_ex_pool *pool, struct hh_plat_fiber *next)
{
    pool->next = next;
}

/* ---- The watchdog ------------------------------------------------------------------------- */

static void watch_main(void *arg)
{
    struct hh_ex_pool *pool = arg;
    int32_t seen = -1;
    uint64_t since = 0;
    for (;;) {
        int64_t limit = hh_plat_atomic_add64(&pool->limit_ns, 0);
        uint64_t now;
        int32_t at;
        (void)hh_plat_gate_wait(pool->wd_gate, hh_plat_monotonic_ns() +
                                                   (limit > 0 ? (uint64_t)limit / 4 + 1
                                                              : 1000000000u));
        if (hh_plat_atomic_add32(&pool->wd_quit, 0))
            return;
        now = hh_plat_monotonic_ns();
        at = hh_plat_atomic_add32(&pool->baton, 0);
        /* The driver is watched only while it runs a run's code (hh_ex_pool_run). */
        if (limit <= 0 || at != seen ||
            ((at & BATON_HOLDER) == 0 && !hh_plat_atomic_add32(&pool->in_run, 0))) {
            seen = at;
            since = now;
            continue;
        }
        if (now - since < (uint64_t)limit ||
            hh_plat_atomic_cas32(&pool->baton, at | BATON_HUNG, at) != at)
            continue;
        /* A hung explored thread: the driver goes on from its switch and reports. The driver's
         * own code hung: the explorer goes on from hh_ex_pool_run. */
        if (hh_plat_fiber_rescue(pool->home,
                                 (at & BATON_HOLDER) ? pool->driver : pool->home) != 0) {
            fputs("hotswap-harness: an explored thread held the baton past the limit "
                  "(--timeout), and this platform cannot take the explorer's thread back "
                  "from it\n",
                  stderr);
            abort();
        }
        return; /* that run is the explorer's last */
    }
}

int hh__ex_pool_watch(struct hh_ex_pool *pool, hh_time limit)
{
    (void)hh_plat_atomic_xchg64(&pool->limit_ns, limit > 0 ? (int64_t)limit * 100 : 0);
    if (limit <= 0 || pool->wd)
        return 0;
    if ((!pool->wd_gate && hh_plat_gate_new(&pool->wd_gate) != 0) ||
        (!pool->stay && hh_plat_gate_new(&pool->stay) != 0))
        return -1;
    return hh_plat_thread_start(&pool->wd, watch_main, pool);
}

int hh__ex_pool_baton(struct hh_ex_pool *pool, unsigned holder)
{
    int32_t old = pool->baton;
    if (!pool->wd)
        return 0;
    for (;;) {
        uint32_t count = ((uint32_t)old >> BATON_COUNT_SHIFT) + 1u;
        int32_t next, was;
        if (old & BATON_HUNG)
            return 1;
        next = (int32_t)(((count & 0xffffffu) << BATON_COUNT_SHIFT) | holder);
        was = hh_plat_atomic_cas32(&pool->baton, next, old);
        if (was == old)
            return 0;
        old = was;
    }
}

int hh__ex_pool_hung(const struct hh_ex_pool *pool)
{
    int32_t at = pool->baton;
    return pool->wd && (at & BATON_HUNG) ? (int)(at & BATON_HOLDER) : -1;
}

void hh__ex_pool_stay(struct hh_ex_pool *pool)
{
    /* Woken now and then: a rescue takes effect where the thread is in user mode. */
    for (;;)
        (void)hh_plat_gate_wait(pool->stay, hh_plat_monotonic_ns() + 10000000u);
}
