/* engine_int.h - what the engine's own files share and nobody else may call.
 *
 * The signal path (an object became signaled: test the waiters), the satisfaction rules
 * and the timer queue. Each function keeps the kernel's order of effects.
 */
#ifndef HH_ENGINE_ENGINE_INT_H
#define HH_ENGINE_ENGINE_INT_H

#include <stdio.h>

#include "engine.h"

/* The thread's own wait timer, told apart from dispatcher timers by this type. */
#define HH_OBJECT_WAIT_TIMER 8

static inline int hh__is_mutant(const DISPATCHER_HEADER *h)
{
    return h->HhKind == HH_OBJECT_MUTEX || h->HhKind == HH_OBJECT_MUTANT;
}

/* Whether thread t could take object h now (mutex: free or already its own). Inline: every
 * wait tests every object it names with it. */
static inline int hh__satisfiable(const struct _KTHREAD *t, const DISPATCHER_HEADER *h)
{
    if (hh__is_mutant(h))
        return h->SignalState > 0 || ((const KMUTANT *)h)->OwnerThread == t;
    return h->SignalState > 0;
}

/* Applies the side effect of t taking h; returns STATUS_ABANDONED when it took an abandoned
 * mutant, else STATUS_SUCCESS. */
NTSTATUS hh__satisfy(struct hh_engine *e, struct _KTHREAD *t, DISPATCHER_HEADER *h);
/* h may have become signaled: wake the threads blocked on it, in order (KiWaitTest). */
void hh__signal(struct hh_engine *e, DISPATCHER_HEADER *h);
/* Completes t's blocked wait with status. */
void hh__unwait(struct hh_engine *e, struct _KTHREAD *t, NTSTATUS status);
/* Drops t's wait without completing it (the thread is torn down, or its status is supplied
 * from outside the model). */
void hh__drop_wait(struct hh_engine *e, struct _KTHREAD *t);

/* A real-clock span for a message: whole seconds as "2s", else milliseconds ("1003ms"). */
static inline const char *hh__duration_text(hh_time t, char *buf, size_t len)
{
    if (t % (1000 * HH_TICKS_PER_MS) == 0)
        snprintf(buf, len, "%llds", (long long)(t / (1000 * HH_TICKS_PER_MS)));
    else
        snprintf(buf, len, "%lldms", (long long)(t / HH_TICKS_PER_MS));
    return buf;
}

/* The cause of a livelock whose invocations kept getting status, and its usual fix, in
 * words (livelock.c). */
void hh__livelock_cause(struct hh_engine *e, NTSTATUS status, char *buf, size_t len);

/* The innermost guard of this OS thread (engine.c). */
extern HH_THREAD_LOCAL struct hh_guard *hh__guard_top;
/* Back at a guard after a longjmp: the dispatcher lock as deep as when it was set. */
void hh__lock_restore(struct hh_engine *e, unsigned depth);
unsigned hh__lock_depth(void);

/* realtime.c: the hooks the model calls in a real-clock run (e->rt set). */
/* Thread t became runnable (its wait completed, or a WaitAll retest is due). */
void hh__rt_wake(struct hh_engine *e, struct _KTHREAD *t);
/* A timer was queued: the driver may have to wake earlier than it planned. */
void hh__rt_timer_queued(struct hh_engine *e);
/* The worker is blocked in its own wait: sleeps until that wait completes. Returns its status,
 * or STATUS_PENDING when the run is ending and the thread must end. */
NTSTATUS hh__rt_worker_wait(struct hh_engine *e);
/* A routine's own wait: sleeps once. Returns 1 to poll again, 0 when nothing can end the wait
 * (a deadlock, or the run ending). */
int hh__rt_block(struct hh_engine *e, struct _KTHREAD *t);
/* Starts the worker's OS thread (running hh__worker_body); ends it at its wait. */
/* The bytes of a start context's copy (worker.c): its header and EventCount events, one at
 * least. */
size_t hh__start_size(const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start);
void hh__rt_start_worker(struct hh_engine *e);
void hh__rt_stop_worker(struct hh_engine *e);
/* worker.c: the worker thread's life from its first wait, for realtime.c's OS thread. */
void hh__worker_body(struct hh_engine *e);

/* engine.c: a new thread of the machine, named (at most 31 bytes kept). */
struct _KTHREAD *hh__thread_new(struct hh_engine *e, const char *name);

/* simthread.c: the hooks of the model. */
/* System thread t's wait completed (or a WaitAll retest is due): it is ready to run. */
void hh__sched_readied(struct hh_engine *e, struct _KTHREAD *t);
/* Whether this OS thread is system thread t's own (then t's blocked wait hands the baton
 * back instead of moving the clock). */
int hh__sched_is_self(const struct _KTHREAD *t);
/* Whether this OS thread is a system thread's (not the scheduler's). */
int hh__sched_on_simthread(void);
/* System thread t, blocked, on its own OS thread: hands the baton back and sleeps until the
 * scheduler hands it over again (or unwinds the thread when the run ends). */
void hh__sched_block(struct hh_engine *e, struct _KTHREAD *t);
/* The end of the engine: threads still blocked are torn down without running driver code. */
void hh__sched_free(struct hh_engine *e);
/* System thread t's life on its own OS thread: routine(context) under a guard of its own
 * (*base while it runs), which PsTerminateSystemThread unwinds to, then its end; a failure
 * on it names the thread. 1 when torn down (longjmp to *base, JUMP_KILLED), else 0. */
int hh__system_thread_body(struct hh_engine *e, struct _KTHREAD *t, void (*routine)(PVOID),
                           PVOID context, struct hh_guard **base);
/* Rule handle-leak for system thread t, still running at the end of the scenario. */
void hh__thread_alive_fail(struct hh_engine *e, const struct _KTHREAD *t,
                           void (*routine)(PVOID), const void *creator, int never_run);
/* explore_sched.c: the hooks of the model in an explored run (e->explore set). */
/* t, blocked, waits: an explored thread hands the baton on (1); the driver lets the others
 * run (1), or returns 0 when none can (then time must move). */
int hh__ex_wait(struct hh_engine *e, PKTHREAD t);
/* The worker blocked in its own wait: returns its status once it completed. */
NTSTATUS hh__ex_worker_wait(struct hh_engine *e);
/* The worker's thread, made at its start; -1 after a failure. */
int hh__ex_start_worker(struct hh_engine *e);
/* PsCreateSystemThread under explore: an explored thread runs routine(context), and the
 * strategy may run it at any scheduling point. */
NTSTATUS hh__ex_system_thread(struct hh_engine *e, void (*routine)(PVOID), PVOID context,
                              const void *caller, PKTHREAD *out);
/* The guard PsTerminateSystemThread unwinds to on the running explored system thread, or
 * NULL (not one, or not in its start routine). */
struct hh_guard *hh__ex_system_base(const struct hh_engine *e);
/* The end of the run: an explored system thread not ended yet is rule handle-leak (1). */
int hh__ex_check_alive(struct hh_engine *e);
/* The worker's routine returned: a thread the watchdog gave up on stops here for good, before
 * its invocation is recorded into a run that ended without it. */
void hh__ex_returned(struct hh_engine *e);
void hh__ex_free(struct hh_engine *e);
/* A swap recreates the worker's thread t: the explored thread that ran it, blocked in its
 * wait, is torn down there without running more driver code, and ends. */
void hh__ex_retire(struct hh_engine *e, const struct _KTHREAD *t);
/* explore_pool.c: a carrier (a fiber of the explorer's OS thread, kept across runs) runs
 * body(arg) from its next switch; NULL when no stack can be had. When the body returns it
 * switches to the driver (the pool's home) if it returned nonzero (it was torn down), else
 * to the fiber hh__ex_pool_then named last. Given back when the run ends. */
struct hh_ex_carrier;
struct hh_plat_fiber;
struct hh_ex_pool *hh__ex_pool_new(void);
struct hh_ex_carrier *hh__ex_carrier_take(struct hh_ex_pool *pool, int (*body)(void *),
                                          void *arg);
struct hh_plat_fiber *hh__ex_carrier_fiber(const struct hh_ex_carrier *c);
void hh__ex_carrier_give_back(struct hh_ex_carrier *c);
/* c's body never came back (the watchdog gave up on it): the pool forgets c, never freeing
 * its fiber, which is stopped where it was. */
void hh__ex_carrier_lose(struct hh_ex_carrier *c);
/* The fiber the driver's code runs on now: the pool's home, or its runner in hh_ex_pool_run. */
struct hh_plat_fiber *hh__ex_pool_driver(const struct hh_ex_pool *pool);
void hh__ex_pool_then(struct hh_ex_pool *pool, struct hh_plat_fiber *next);
/* The watchdog: limit for the run about to start (0: none; the first with one makes the
 * watchdog's OS thread: -1 when the OS gives none). The baton's holder moves the baton word
 * to `holder` at each of its scheduling points and hand-offs: 1 when the watchdog gave up on
 * it meanwhile, and it must stop (hh__ex_pool_stay, which does not return). After the driver
 * was rescued, hh__ex_pool_hung says which thread was given up on (0: the driver's own code);
 * else -1. */
int hh__ex_pool_watch(struct hh_ex_pool *pool, hh_time limit);
int hh__ex_pool_baton(struct hh_ex_pool *pool, unsigned holder);
int hh__ex_pool_hung(const struct hh_ex_pool *pool);
void hh__ex_pool_stay(struct hh_ex_pool *pool);
/* handle.c */
void hh__handles_free(struct hh_engine *e);
/* worker.c: a wait on the scenario's OS thread of thread `blocked` lets every other worker
 * run whose own wait completed; 1 when one ran. */
int hh__worker_resume(struct hh_engine *e, const struct _KTHREAD *blocked);
/* Several workers: the engine's worker fields become w's (NULL: nothing changes), or those of
 * the worker whose thread is t (nothing when t is no worker's); whether worker thread t is
 * blocked in its own wait (0 when t is no worker's). Explore's threads switch mid-routine,
 * so each takes back the selection it had. */
void hh__worker_select(struct hh_engine *e, struct hh_worker *w);
void hh__worker_select_thread(struct hh_engine *e, const struct _KTHREAD *t);
int hh__worker_waits(const struct hh_engine *e, const struct _KTHREAD *t);
/* worker.c: frees the workers' records (driver mode). */
void hh__workers_free(struct hh_engine *e);

/* lock.c: the worker's routine returns in the state it was called in (rule held-at-return). */
/* Whether t owns a mutant (a KMUTEX among them, maybe): most threads own none, and the
 * checks around a routine call count the KMUTEXes only when it does. */
static inline int hh__owns_mutants(const struct _KTHREAD *t)
{
    return t->mutants.Flink && t->mutants.Flink != &t->mutants;
}
void hh__check_held_at_return(struct hh_engine *e);
/* trace.c: object h changed (a no-op without a sink; the thread's own wait timer is not an
 * object anyone sees). */
void hh__trace_object_slow(struct hh_engine *e, const DISPATCHER_HEADER *h);
static inline void hh__trace_object(struct hh_engine *e, const DISPATCHER_HEADER *h)
{
    if (e->trace && h->HhKind != HH_OBJECT_WAIT_TIMER)
        hh__trace_object_slow(e, h);
}

/* dpc.c: KeInsertQueueDpc without the DPC interrupt (timer expiry requests it once, after
 * every timer due at the instant). */
BOOLEAN hh__dpc_queue(struct hh_engine *e, PKDPC dpc, PVOID arg1, PVOID arg2);
/* One DPC, taken off its queue already, at DISPATCH_LEVEL on cpu. */
void hh__dpc_run(struct hh_engine *e, struct _KTHREAD *cpu, PKDPC dpc);
/* explore_sched.c: the DPCs an explored thread queued go to the DPC processor, each on a
 * thread of its own. */
void hh__ex_take_dpcs(struct hh_engine *e);
/* explore_sched.c: a work item an explored thread queues runs on the system worker thread,
 * with a thread of its own, one item at a time. */
void hh__ex_queue_work(struct hh_engine *e, PIO_WORKITEM w);
/* workitem.c: one work item, taken off its queue already, at PASSIVE_LEVEL on sys; 0, or -1
 * when the run failed (in it, or it returned at another IRQL). */
int hh__work_call(struct hh_engine *e, struct _KTHREAD *sys, PIO_WORKITEM w);

/* The due time of a relative interval (<= 0) started now: now minus the interval, saturated at
 * HH_TIME_NEVER (KiComputeDueTime subtracts unsigned, so even LONGLONG_MIN is far ahead). */
static inline hh_time hh__due_in(hh_time now, LONGLONG interval)
{
    uint64_t ahead = (uint64_t)0 - (uint64_t)interval;
    return ahead > (uint64_t)(HH_TIME_NEVER - now) ? HH_TIME_NEVER : now + (hh_time)ahead;
}

/* The interrupt time a wait's timeout ends it: negative relative to now, positive an absolute
 * system time (KeWaitForMultipleObjects' Timeout). */
static inline hh_time hh__deadline(hh_time now, LONGLONG timeout)
{
    return timeout <= 0 ? hh__due_in(now, timeout) : timeout - HH_SYSTEM_TIME_BASE;
}

void hh__timer_insert_heap(struct hh_engine *e, PKTIMER timer, hh_time due);
void hh__timer_remove_heap(struct hh_engine *e, PKTIMER timer);
/* The queue most often holds one timer, the worker's own wait's, armed and cancelled at every
 * status: that case inline, the heap's general one in timer.c. */
static inline void hh__timer_insert(struct hh_engine *e, PKTIMER timer, hh_time due)
{
    if (e->ntimers == 0 && e->timers_cap && !e->rt) {
        timer->DueTime.QuadPart = (ULONGLONG)due;
        timer->Sequence = ++e->timer_seq;
        timer->Header.Inserted = 1;
        timer->QueueIndex = 0;
        e->timers[0] = timer;
        e->ntimers = 1;
        return;
    }
    hh__timer_insert_heap(e, timer, due);
}
static inline void hh__timer_remove(struct hh_engine *e, PKTIMER timer)
{
    if (e->ntimers == 1) { /* it is the one */
        timer->Header.Inserted = 0;
        e->ntimers = 0;
        return;
    }
    hh__timer_remove_heap(e, timer);
}

void hh__list_init(LIST_ENTRY *head);
void hh__list_insert_tail(LIST_ENTRY *head, LIST_ENTRY *entry);
void hh__list_remove(LIST_ENTRY *entry);

#endif
