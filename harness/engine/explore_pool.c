/* explore_pool.c - the OS threads and gates of explored threads, kept across runs.
 *
 * Making an OS thread and its gate for every explored thread of every run cost most of an
 * explored schedule. A carrier is one OS thread and its gate: parked on the gate between
 * runs, handed an explored thread's body for one run, and back on the gate once the body
 * returned. The body's first turn is the gate's first opening, so a carrier costs a run no
 * more switches than a fresh thread did. The pool (the explorer's, or a run's own) joins its
 * carriers when freed, but for one whose body the watchdog gave up on: that one it forgets.
 *
 * With an explorer's pool (hh_ex_pool_new), the driver and the carriers stay on the CPU the
 * pool was made on, from the pool's making to its freeing (both on the driver's thread),
 * where the OS allows it (a run's own pool, for one run, is not worth the pin): only
 * one explored thread runs at a time, and a hand-off to a thread on the same CPU is a direct
 * switch, where one to another CPU waits for that CPU, which on a loaded machine runs other
 * processes (docs/performance.md, section 7).
 */
#include "engine_int.h"

#include <stdlib.h>

#include "explore/strategy.h"
#include "platform/plat.h"

struct hh_ex_carrier {
    struct hh_ex_pool *pool;
    struct hh_plat_thread *os;
    struct hh_plat_gate *gate;
    int (*body)(void *); /* nonzero: it was stopped, and its owner waits on `back` */
    void *arg;
    int busy; /* given to a thread of the current run */
    int quit;
};

struct hh_ex_pool {
    struct hh_ex_carrier *c[HH_EX_MAX_THREADS];
    unsigned n;
    int cpu;    /* where the driver and the carriers run; -1: wherever the OS puts them */
    int pinned; /* this pool pinned the driver (not an outer pool of the same thread) */
    struct hh_plat_gate *back;   /* a stopped body returned */
    struct hh_plat_gate *driver; /* the driver's: it sleeps there while others run */
};

/* A pool of this thread pinned it: a pool made inside its life (a run's own) leaves the pin
 * to it. */
static HH_THREAD_LOCAL int driver_pinned;

static void carrier_main(void *arg)
{
    struct hh_ex_carrier *c = arg;
    if (c->pool->cpu >= 0)
        (void)hh_plat_pin_to_cpu(c->pool->cpu); /* refused: only slower */
    for (;;) {
        hh_plat_gate_wait(c->gate, 0);
        if (c->quit)
            return;
        if (c->body(c->arg))
            hh_plat_gate_open(c->pool->back);
    }
}

struct hh_ex_pool *hh__ex_pool_new(int pin)
{
    struct hh_ex_pool *pool = calloc(1, sizeof(*pool));
    if (!pool)
        return NULL;
    pool->cpu = pin ? hh_plat_current_cpu() : -1;
    if (pool->cpu >= 0 && !driver_pinned) {
        if (hh_plat_pin_to_cpu(pool->cpu) == 0)
            driver_pinned = pool->pinned = 1;
        else
            pool->cpu = -1;
    }
    if (hh_plat_gate_new(&pool->back) != 0) {
        free(pool);
        return NULL;
    }
    if (hh_plat_gate_new(&pool->driver) != 0) {
        hh_plat_gate_free(pool->back);
        free(pool);
        return NULL;
    }
    return pool;
}

struct hh_ex_pool *hh_ex_pool_new(void)
{
    return hh__ex_pool_new(1);
}

void hh_ex_pool_free(struct hh_ex_pool *pool)
{
    unsigned i;
    if (!pool)
        return;
    for (i = 0; i < pool->n; i++) {
        struct hh_ex_carrier *c = pool->c[i];
        c->quit = 1;
        hh_plat_gate_open(c->gate);
        hh_plat_thread_join(c->os);
        hh_plat_gate_free(c->gate);
        free(c);
    }
    hh_plat_gate_free(pool->back);
    hh_plat_gate_free(pool->driver);
    if (pool->pinned) {
        hh_plat_unpin();
        driver_pinned = 0;
    }
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
        if (hh_plat_gate_new(&c->gate) != 0) {
            free(c);
            return NULL;
        }
        if (hh_plat_thread_start(&c->os, carrier_main, c) != 0) {
            hh_plat_gate_free(c->gate);
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

struct hh_plat_gate *hh__ex_carrier_gate(const struct hh_ex_carrier *c)
{
    return c->gate;
}

void hh__ex_carrier_lose(struct hh_ex_carrier *c)
{
    struct hh_ex_pool *pool = c->pool;
    unsigned i;
    for (i = 0; i < pool->n; i++) {
        if (pool->c[i] == c) {
            pool->c[i] = pool->c[--pool->n];
            return;
        }
    }
}

struct hh_plat_gate *hh__ex_pool_driver_gate(const struct hh_ex_pool *pool)
{
    return pool->driver;
}

void hh__ex_carrier_give_back(struct hh_ex_carrier *c, int running)
{
    if (running) {
        /* The body sleeps on the gate (its first turn, or a pass): woken, it sees it was
         * killed and returns nonzero; the carrier says so on `back`. */
        hh_plat_gate_open(c->gate);
        hh_plat_gate_wait(c->pool->back, 0);
    }
    c->busy = 0;
}
