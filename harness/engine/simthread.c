/* simthread.c - system threads (PsCreateSystemThread) under the virtual clock: one OS thread
 * per simulated thread, one baton.
 *
 * - Each system thread runs its start routine on an OS thread of its own, so that its stack
 *   (the driver's frames) survives while it is blocked in a wait; but exactly one simulated
 *   thread runs at a time. The baton moves through gates (plat.h): a system thread sleeps on
 *   its own gate, the scheduler on the scheduler's; whoever opens another's gate then sleeps
 *   on its own. No two OS threads ever run model or driver code at once, so the model needs
 *   no lock (the virtual clock has none), and each gate's open/wait orders the memory.
 * - The scenario's OS thread is the scheduler. A thread is ready when it was just created and
 *   when its blocked wait completed (hh__unwait, or a WaitAll waiter's retest, calls
 *   hh__sched_readied); ready threads get the baton in the order they became ready, as the
 *   kernel's ready queue serves threads of one priority. The scheduling points are those of
 *   the scenario's OS thread: after each step and clock instant (hh_worker_run) and the
 *   worker's start, and inside a blocked wait of code on that thread (the worker's routine, a
 *   `call` step, a DPC) before the clock moves (hh_wait_block), after work items.
 * - A system thread runs until it blocks in a wait that does not complete at once
 *   (hh_wait_block on its own OS thread calls hh__sched_block: baton back, sleep on its gate,
 *   ready again once the wait completed) or ends: its start routine returns, or
 *   PsTerminateSystemThread longjmps to the base guard its OS thread set (guards are per OS
 *   thread). Its end checks what it still holds, runs it down (mutants abandoned) and signals
 *   its thread object. A failure inside it (a bug check) unwinds to the same guard and hands
 *   the baton back; the scheduler sees e->failed and stops.
 * - hh_sched_switch_to is the one place the baton goes to a thread here: a thread runs until
 *   it blocks or ends. Under explore, hh_thread_create makes an explored thread instead
 *   (explore_sched.c), whose every shim entry is a possible switch point; both run the same
 *   body (hh__system_thread_body) and end the same way.
 * - When the engine is freed, threads still blocked (or never run) are torn down: each wakes
 *   with `kill` set and unwinds to its base guard without running more driver code, and its OS
 *   thread is joined.
 * - The real clock refuses system threads (STATUS_NOT_SUPPORTED): there the scenario and the
 *   worker already run unlocked on OS threads of their own, and threads that block would need
 *   the dispatcher lock and gates of realtime.c.
 * Nothing here exists before the first PsCreateSystemThread: a run without system threads
 * creates no OS thread and pays a NULL test at each scheduling point.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"

enum sim_state { SIM_READY, SIM_RUNNING, SIM_BLOCKED, SIM_ENDED };

/* How a system thread's base guard was reached (setjmp's value; 1 is hh_engine_fail's). */
#define JUMP_FAILED 1
#define JUMP_TERMINATED 2
#define JUMP_KILLED 3

struct hh_simthread {
    struct hh_engine *e;
    struct _KTHREAD *t;
    void (*routine)(PVOID);
    PVOID context;
    const void *creator; /* where PsCreateSystemThread was called (a return address) */
    struct hh_plat_thread *os;
    struct hh_plat_gate *gate;
    enum sim_state state;
    int ready;           /* ready to run: ready_seq says since when */
    uint64_t ready_seq;
    int kill;            /* the engine ends: unwind without running driver code */
    struct hh_guard *base;
    struct hh_simthread *next;
};

struct hh_sched {
    struct hh_plat_gate *gate;     /* the scheduler's */
    struct hh_simthread *threads;  /* in creation order */
    unsigned created;
    uint64_t ready_seq;
    unsigned long switches;        /* baton hand-overs since the clock last moved */
    hh_time switch_time;
};

/* The system thread this OS thread runs; NULL on the scheduler's (and every other) thread. */
static HH_THREAD_LOCAL struct hh_simthread *self;

int hh__sched_is_self(const struct _KTHREAD *t)
{
    return self && self->t == t;
}

int hh__sched_on_simthread(void)
{
    return self != NULL;
}

void hh__sched_readied(struct hh_engine *e, struct _KTHREAD *t)
{
    struct hh_simthread *st = t->sim;
    if (st->state != SIM_BLOCKED || st->ready)
        return;
    st->ready = 1;
    st->ready_seq = ++e->sched->ready_seq;
}

/* ---- The thread's own side ----------------------------------------------------------------- */

/* Hands the baton back and sleeps until it comes again; unwinds when the engine ends. */
static void hand_back(struct hh_simthread *st, struct hh_plat_gate *sched_gate)
{
    hh_plat_gate_open(sched_gate);
    hh_plat_gate_wait(st->gate, 0);
    if (st->kill)
        longjmp(st->base->jb, JUMP_KILLED);
}

void hh__sched_block(struct hh_engine *e, struct _KTHREAD *t)
{
    struct hh_simthread *st = t->sim;
    st->state = SIM_BLOCKED;
    st->ready = 0;
    hand_back(st, e->sched->gate);
}

/* The start routine returned or the thread terminated: what it still holds is checked, then
 * it is run down and its thread object signaled. Guarded: those checks may fail. */
struct ending {
    struct hh_engine *e;
    struct _KTHREAD *t;
};

static void end_thread(void *arg)
{
    const struct ending *end = arg;
    char who[80];
    snprintf(who, sizeof(who), "the start routine of %s", end->t->name);
    hh_held_check_code(end->e, end->t, who, 0, 0);
    hh_thread_end(end->e, end->t);
}

static void system_thread_end(struct hh_engine *e, struct _KTHREAD *t)
{
    struct ending end;
    end.e = e;
    end.t = t;
    hh_engine_guarded(e, end_thread, &end);
}

/* A failure on this thread: the report says which thread it happened on. */
static void name_thread_in_failure(struct hh_engine *e, const struct _KTHREAD *t)
{
    size_t used = strlen(e->failure.message);
    snprintf(e->failure.message + used, sizeof(e->failure.message) - used, " (on %s)",
             t->name);
}

int hh__system_thread_body(struct hh_engine *e, struct _KTHREAD *t, void (*routine)(PVOID),
                           PVOID context, struct hh_guard **base)
{
    struct hh_guard g;
    g.prev = hh__guard_top;
    g.lock_depth = 0;
    hh__guard_top = &g;
    *base = &g;
    switch (setjmp(g.jb)) { /* a use of setjmp ISO C allows: a switch's whole expression */
    case 0:
        routine(context);
        break;
    case JUMP_KILLED:
        hh__guard_top = g.prev;
        *base = NULL;
        return 1;
    case JUMP_TERMINATED: /* PsTerminateSystemThread */
        break;
    default: /* JUMP_FAILED */
        hh__guard_top = g.prev;
        *base = NULL;
        name_thread_in_failure(e, t);
        return 0;
    }
    hh__guard_top = g.prev;
    *base = NULL;
    system_thread_end(e, t);
    return 0;
}

static void sim_main(void *arg)
{
    struct hh_simthread *st = arg;
    struct hh_plat_gate *sched_gate = st->e->sched->gate;
    self = st;
    hh_engine_make_current(st->e);
    hh_plat_gate_wait(st->gate, 0); /* the first turn */
    if (st->kill || hh__system_thread_body(st->e, st->t, st->routine, st->context, &st->base))
        return; /* torn down: the engine joins this thread and expects no hand-over */
    st->state = SIM_ENDED;
    hh_plat_gate_open(sched_gate); /* the last touch: the scheduler may free st now */
}

void hh_thread_exit(struct hh_engine *e, NTSTATUS status)
{
    struct hh_simthread *st = self;
    struct hh_guard *base;
    (void)status; /* nothing reads a thread's exit status here (NtQueryInformationThread) */
    if (e->explore) /* an explored system thread's */
        base = hh__ex_system_base(e);
    else
        base = st && e->current == st->t ? st->base : NULL;
    if (base)
        longjmp(base->jb, JUMP_TERMINATED);
}

/* ---- The scheduler's side ------------------------------------------------------------------ */

NTSTATUS hh_thread_create(struct hh_engine *e, void (*routine)(PVOID), PVOID context,
                          const void *caller, PKTHREAD *out)
{
    struct hh_sched *s = e->sched;
    struct hh_simthread *st, **tail;
    char name[32];
    *out = NULL;
    if (e->explore) /* an explored thread: explore's scheduler runs it */
        return hh__ex_system_thread(e, routine, context, caller, out);
    if (e->rt)
        return STATUS_NOT_SUPPORTED;
    if (!s) {
        s = calloc(1, sizeof(*s));
        if (!s || hh_plat_gate_new(&s->gate) != 0) {
            free(s);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        e->sched = s;
    }
    st = calloc(1, sizeof(*st));
    if (!st || hh_plat_gate_new(&st->gate) != 0) {
        free(st);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    st->e = e;
    st->routine = routine;
    st->context = context;
    st->creator = caller;
    st->state = SIM_READY;
    if (hh_plat_thread_start(&st->os, sim_main, st) != 0) {
        hh_plat_gate_free(st->gate);
        free(st);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    snprintf(name, sizeof(name), "system thread %u", ++s->created);
    st->t = hh__thread_new(e, name);
    st->t->sim = st;
    st->ready = 1;
    st->ready_seq = ++s->ready_seq;
    for (tail = &s->threads; *tail; tail = &(*tail)->next)
        ;
    *tail = st;
    *out = st->t;
    return STATUS_SUCCESS;
}

void hh_sched_switch_to(struct hh_engine *e, PKTHREAD t)
{
    struct hh_sched *s = e->sched;
    struct hh_simthread *st = t->sim;
    struct _KTHREAD *saved = e->current;
    if (!s || !st || self || (st->state != SIM_READY && st->state != SIM_BLOCKED))
        return;
    st->state = SIM_RUNNING;
    st->ready = 0;
    e->current = t;
    hh_plat_gate_open(st->gate);
    hh_plat_gate_wait(s->gate, 0);
    e->current = saved;
    if (st->state == SIM_ENDED && st->os) {
        hh_plat_thread_join(st->os);
        st->os = NULL;
    }
}

/* The ready thread that became ready first, or NULL. */
static struct hh_simthread *next_ready(const struct hh_sched *s)
{
    struct hh_simthread *st, *best = NULL;
    for (st = s->threads; st; st = st->next) {
        if (st->ready && st->state != SIM_ENDED && (!best || st->ready_seq < best->ready_seq))
            best = st;
    }
    return best;
}

int hh_sched_run_ready(struct hh_engine *e)
{
    struct hh_sched *s = e->sched;
    struct hh_simthread *st;
    int ran = 0;
    if (!s || self || e->rt)
        return 0;
    while (!e->failed && (st = next_ready(s)) != NULL) {
        if (e->now != s->switch_time) {
            s->switch_time = e->now;
            s->switches = 0;
        }
        /* Waits count toward livelock themselves (ke_wait.c); this also catches threads that
         * hand a contended lock back and forth (hh_lock_wait). */
        if (++s->switches > e->livelock_limit) {
            hh_engine_fail(e, HH_RULE_LIVELOCK,
                           "system threads got the processor %lu times in a row without the "
                           "clock moving: threads that keep waking each other (an event set "
                           "back and forth) never let time pass",
                           s->switches - 1);
            break;
        }
        hh_sched_switch_to(e, st->t);
        ran = 1;
        if (!e->failed)
            hh_work_run(e); /* what the thread queued runs before the next thread */
    }
    return ran;
}

/* ---- The end -------------------------------------------------------------------------------- */

/* " in KeWaitForSingleObject called from F at x.c:3 (m.so+0x10) on the thread 'system
 * thread 2' [not signaled]", or "" when it is not blocked in a wait. */
/* Whether addr lies in the harness's own library: a start routine that ends in a tail call to
 * its wait returns straight to hh__system_thread_body, which is no call site of the driver's. */
static int in_harness(const void *addr)
{
    struct hh_plat_addr here, there;
    void (*fn)(struct hh_engine *, NTSTATUS) = hh_thread_exit;
    const void *own;
    memcpy(&own, &fn, sizeof(own)); /* ISO C has no cast from code to data */
    return hh_plat_addr_info(own, &here) == 0 && hh_plat_addr_info(addr, &there) == 0 &&
           strcmp(here.module, there.module) == 0;
}

static void wait_text(struct hh_engine *e, const struct _KTHREAD *t, char *buf, size_t len)
{
    char site[600], what[160];
    size_t used;
    ULONG i;
    buf[0] = '\0';
    if (!t->blocked)
        return;
    if (t->wait_caller && !in_harness(t->wait_caller) &&
        hh_plat_code_site(t->wait_caller, 1, site, sizeof(site)))
        snprintf(buf, len, " in %s called from %s", t->wait_routine ? t->wait_routine : "a wait",
                 site);
    else
        snprintf(buf, len, " in %s", t->wait_routine ? t->wait_routine : "a wait");
    for (i = 0; i < t->wait.count; i++) {
        used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", i ? ", " : " on ",
                 hh_engine_describe_object(e, t->wait.objects[i], what, sizeof(what)));
    }
}

void hh__thread_alive_fail(struct hh_engine *e, const struct _KTHREAD *t,
                           void (*routine)(PVOID), const void *creator, int never_run)
{
    const void *fn;
    char start[300], where[600], wait[1400];
    memcpy(&fn, &routine, sizeof(fn)); /* ISO C has no cast from code to data */
    if (!hh_plat_code_site(fn, 0, start, sizeof(start)))
        snprintf(start, sizeof(start), "a function");
    if (!creator || !hh_plat_code_site(creator, 1, where, sizeof(where)))
        snprintf(where, sizeof(where), "an unknown place");
    wait_text(e, t, wait, sizeof(wait));
    hh_engine_fail(e, HH_RULE_HANDLE_LEAK,
                   "%s (start routine %s, created by PsCreateSystemThread called from %s) is "
                   "still running at the end of the scenario%s%s: the driver unloads while its "
                   "thread runs code that is gone; make every system thread end before the "
                   "driver unloads (signal it, then wait on its thread object)",
                   t->name, start, where, never_run ? ", never run" : "", wait);
}

int hh_system_threads_check_ended(struct hh_engine *e)
{
    struct hh_sched *s = e->sched;
    struct hh_simthread *st;
    if (e->explore)
        return hh__ex_check_alive(e);
    if (!s)
        return 0;
    for (st = s->threads; st && st->state == SIM_ENDED; st = st->next)
        ;
    if (!st)
        return 0;
    hh__thread_alive_fail(e, st->t, st->routine, st->creator, st->state == SIM_READY);
    return 1;
}

void hh__sched_free(struct hh_engine *e)
{
    struct hh_sched *s = e->sched;
    struct hh_simthread *st, *next;
    if (!s)
        return;
    for (st = s->threads; st; st = next) {
        next = st->next;
        if (st->os) {
            if (st->state != SIM_ENDED) {
                st->kill = 1;
                hh_plat_gate_open(st->gate);
            }
            hh_plat_thread_join(st->os);
        }
        hh_plat_gate_free(st->gate);
        st->t->sim = NULL;
        free(st);
    }
    hh_plat_gate_free(s->gate);
    free(s);
    e->sched = NULL;
}
