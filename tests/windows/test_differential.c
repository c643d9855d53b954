/* test_differential.c - the dispatcher model held against real Win32 objects.
 *
 * Random sequences of operations on events, mutexes and semaphores run twice: on the
 * harness's engine and on Windows (or Wine) objects through plat.h's real-synchronization
 * interface, by the test's main thread and by two helper threads that acquire, release, exit
 * holding mutexes, and block in waits. After every operation each result and each object's
 * state are compared. Where Win32 differs from the kernel by design the comparison maps it
 * (docs/windows.md lists each case); any other difference fails with the seed, the sequence
 * and its operations, so that `test_differential --seed S --only N` replays it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine/engine.h"
#include "platform/plat.h"
#include "wine.h"

#define MAX_OBJECTS 6
#define PUPPETS 2
#define TRACE_MAX 16384

/* ---- Configuration and the one PRNG ------------------------------------------------------ */
static uint64_t base_seed = 20261124;
static unsigned long sequences_per_point = 250; /* 2000 in all */
static unsigned steps_per_sequence = 40;
static long only_sequence = -1;

static uint64_t rng_state;

static uint32_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static unsigned pick(unsigned n)
{
    return rnd() % n;
}

/* ---- One object on both sides ------------------------------------------------------------- */
struct object {
    int kind; /* HH_PLAT_SYNC_* */
    PVOID model;
    struct hh_plat_sync *real;
};

/* A helper thread: it runs one command at a time for the main thread. */
enum { CMD_NONE, CMD_ACQUIRE, CMD_RELEASE, CMD_BLOCK, CMD_EXIT };
struct puppet {
    struct hh_plat_thread *thread;
    struct hh_plat_sync *go, *done, *waiting;
    PKTHREAD model;
    int cmd;
    struct object *target;
    uint32_t wait_result;
    int release_result;
    int alive, blocked;
    unsigned generation;
};

struct run {
    struct hh_engine *e;
    PKTHREAD main;
    struct object obj[MAX_OBJECTS];
    unsigned nobj;
    struct puppet pup[PUPPETS];
    unsigned long sequence;
    char trace[TRACE_MAX];
    size_t tlen;
    char failure[2048];
    unsigned mapped_waitall_abandoned, mapped_release_abandoned, blocked_waits;
};

static void trace(struct run *r, const char *fmt, ...) HH_PRINTF(2, 3);

static void trace(struct run *r, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (r->tlen >= TRACE_MAX - 2)
        return;
    va_start(ap, fmt);
    n = vsnprintf(r->trace + r->tlen, TRACE_MAX - r->tlen, fmt, ap);
    va_end(ap);
    if (n > 0)
        r->tlen += (size_t)n < TRACE_MAX - r->tlen ? (size_t)n : TRACE_MAX - r->tlen - 1;
}

static int differ(struct run *r, const char *fmt, ...) HH_PRINTF(2, 3);

static int differ(struct run *r, const char *fmt, ...)
{
    va_list ap;
    if (r->failure[0])
        return 1;
    va_start(ap, fmt);
    vsnprintf(r->failure, sizeof(r->failure), fmt, ap);
    va_end(ap);
    return 1;
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case HH_PLAT_SYNC_AUTO_EVENT: return "auto-event";
    case HH_PLAT_SYNC_MANUAL_EVENT: return "manual-event";
    case HH_PLAT_SYNC_MUTEX: return "mutex";
    default: return "semaphore";
    }
}

static struct run the_run;

/* ---- Helper threads ------------------------------------------------------------------------ */
static void puppet_main(void *arg)
{
    struct puppet *p = arg;
    for (;;) {
        hh_plat_sync_wait(&p->go, 1, 0, HH_PLAT_INFINITE, 0);
        switch (p->cmd) {
        case CMD_ACQUIRE:
            p->wait_result = hh_plat_sync_wait(&p->target->real, 1, 0, 0, 0);
            break;
        case CMD_RELEASE:
            p->release_result = hh_plat_sync_release(p->target->real, 1, NULL);
            break;
        case CMD_BLOCK:
            /* "waiting" and the start of the wait are one step: the main thread knows this
             * thread is waiting once it sees it. A separate event from "done": Wine signals
             * it again when an APC interrupts the wait. */
            p->wait_result =
                hh_plat_sync_signal_and_wait(p->waiting, p->target->real, HH_PLAT_INFINITE, 1);
            break;
        case CMD_EXIT:
            hh_plat_sync_set(p->done);
            return;
        default:
            break;
        }
        hh_plat_sync_set(p->done);
    }
}

static void noop_apc(void *arg)
{
    (void)arg;
}

/* Runs cmd on puppet p and waits until it is done (or, for CMD_BLOCK, waiting). */
static void command(struct puppet *p, int cmd, struct object *target)
{
    struct hh_plat_sync *answer = cmd == CMD_BLOCK ? p->waiting : p->done;
    p->cmd = cmd;
    p->target = target;
    if (cmd == CMD_BLOCK)
        hh_plat_sync_reset(p->waiting);
    if (hh_plat_sync_signal_and_wait(p->go, answer, 20000, 0) != HH_PLAT_WAIT_OBJECT_0) {
        fprintf(stderr, "test_differential: helper %s did not answer\n%s", p->model->name,
                the_run.trace);
        abort();
    }
}

/* A helper thread stands for a new thread of the model; its OS thread lives on from one
 * sequence to the next (starting threads is slow under Wine) unless it exits. */
static void puppet_attach(struct run *r, struct puppet *p, unsigned index)
{
    char name[32];
    if (!p->alive) {
        CHECK_EQ(hh_plat_sync_new(HH_PLAT_SYNC_AUTO_EVENT, 0, 0, &p->go, NULL, 0), 0);
        CHECK_EQ(hh_plat_sync_new(HH_PLAT_SYNC_AUTO_EVENT, 0, 0, &p->done, NULL, 0), 0);
        CHECK_EQ(hh_plat_sync_new(HH_PLAT_SYNC_AUTO_EVENT, 0, 0, &p->waiting, NULL, 0), 0);
        p->cmd = CMD_NONE;
        CHECK_EQ(hh_plat_thread_start(&p->thread, puppet_main, p), 0);
        p->alive = 1;
    }
    snprintf(name, sizeof(name), "t%u.%u", index, p->generation++);
    p->model = hh_engine_thread(r->e, name);
    p->blocked = 0;
}

/* The thread ends: mutexes it holds are abandoned on both sides. */
static void puppet_exit(struct run *r, struct puppet *p)
{
    command(p, CMD_EXIT, NULL);
    hh_plat_thread_join(p->thread);
    hh_plat_sync_free(p->go);
    hh_plat_sync_free(p->done);
    hh_plat_sync_free(p->waiting);
    p->alive = 0;
    hh_thread_rundown(r->e, p->model);
}

/* ---- Results, mapped ---------------------------------------------------------------------- */
/* A Win32 thread is a user thread: after a wait that returned STATUS_USER_APC it returns to
 * user mode, where its APCs run. The model's thread is a system thread, which keeps them
 * queued (UserApcPending): deliver them on the model's side too. */
static void back_to_user_mode(struct run *r, PKTHREAD t, NTSTATUS model)
{
    if (model == STATUS_USER_APC)
        hh_user_apcs_delivered(r->e, t);
}

static int same_wait(struct run *r, const char *what, NTSTATUS model, uint32_t real, int all,
                     unsigned n)
{
    /* WaitAll with an abandoned mutex: the kernel says STATUS_ABANDONED (index 0); Win32
     * documents any WAIT_ABANDONED_0 + i in the range. */
    if (all && model == STATUS_ABANDONED && real >= HH_PLAT_WAIT_ABANDONED_0 &&
        real < HH_PLAT_WAIT_ABANDONED_0 + n) {
        r->mapped_waitall_abandoned++;
        return 0;
    }
    /* Otherwise the numbers are the same: STATUS_WAIT_n is WAIT_OBJECT_0 + n,
     * STATUS_ABANDONED_WAIT_n WAIT_ABANDONED_0 + n, STATUS_USER_APC WAIT_IO_COMPLETION and
     * STATUS_TIMEOUT WAIT_TIMEOUT. */
    if ((uint32_t)model == real)
        return 0;
    return differ(r, "%s: the model says 0x%08lX, Win32 says 0x%08lX", what,
                  (unsigned long)(ULONG)model, (unsigned long)real);
}

static int compare_states(struct run *r, const char *after)
{
    unsigned i;
    for (i = 0; i < r->nobj; i++) {
        struct object *o = &r->obj[i];
        DISPATCHER_HEADER *h = o->model;
        struct hh_plat_sync_state st;
        if (hh_plat_sync_query(o->real, &st) != 0)
            return differ(r, "the state of object %u cannot be read", i);
        if (st.signal != h->SignalState)
            return differ(r, "after %s: object %u (%s) has signal state %ld in the model, "
                          "%ld in Win32",
                          after, i, kind_name(o->kind), (long)h->SignalState, st.signal);
        if (o->kind == HH_PLAT_SYNC_MUTEX) {
            PKMUTANT m = o->model;
            int owned = m->OwnerThread == r->main;
            if (owned != st.owned_by_caller)
                return differ(r, "after %s: mutex %u is %sowned by the main thread in the "
                              "model, %sin Win32",
                              after, i, owned ? "" : "not ", st.owned_by_caller ? "" : "not ");
            if ((h->Abandoned != 0) != st.abandoned)
                return differ(r, "after %s: mutex %u is %sabandoned in the model, %sin Win32",
                              after, i, h->Abandoned ? "" : "not ", st.abandoned ? "" : "not ");
        }
    }
    return 0;
}

/* ---- Building a sequence's objects -------------------------------------------------------- */
static void add_object(struct run *r)
{
    struct object *o = &r->obj[r->nobj];
    unsigned i = r->nobj++;
    long initial = 0, limit = 0;
    o->kind = 1 + (int)pick(4);
    switch (o->kind) {
    case HH_PLAT_SYNC_AUTO_EVENT:
    case HH_PLAT_SYNC_MANUAL_EVENT:
        initial = (long)pick(2);
        o->model = hh_engine_new_object(r->e, o->kind == HH_PLAT_SYNC_AUTO_EVENT
                                                  ? HH_OBJECT_SYNCHRONIZATION_EVENT
                                                  : HH_OBJECT_NOTIFICATION_EVENT);
        ((DISPATCHER_HEADER *)o->model)->SignalState = initial;
        break;
    case HH_PLAT_SYNC_SEMAPHORE:
        limit = 1 + (long)pick(4);
        initial = (long)pick((unsigned)limit + 1);
        o->model = hh_engine_new_object(r->e, HH_OBJECT_SEMAPHORE);
        ((DISPATCHER_HEADER *)o->model)->SignalState = initial;
        ((PKSEMAPHORE)o->model)->Limit = limit;
        break;
    default:
        o->model = hh_engine_new_object(r->e, HH_OBJECT_MUTANT);
        initial = pick(3) == 0; /* owned by the main thread at creation */
        if (initial)
            hh_acquire(r->e, r->main, o->model);
        break;
    }
    CHECK_EQ(hh_plat_sync_new(o->kind, initial, limit, &o->real, NULL, 0), 0);
    trace(r, "  new %u: %s initial %ld limit %ld\n", i, kind_name(o->kind), initial, limit);
}

/* ---- Operations ----------------------------------------------------------------------------- */
static struct puppet *free_puppet(struct run *r)
{
    struct puppet *p = &r->pup[pick(PUPPETS)];
    return p->alive && !p->blocked ? p : NULL;
}

static int op_event(struct run *r, struct object *o, unsigned i)
{
    unsigned what = pick(3);
    if (o->kind != HH_PLAT_SYNC_AUTO_EVENT && o->kind != HH_PLAT_SYNC_MANUAL_EVENT)
        return 0;
    if (what == 0) {
        trace(r, "  set %u\n", i);
        hh_event_set(r->e, o->model);
        CHECK_EQ(hh_plat_sync_set(o->real), 0);
    } else if (what == 1) {
        trace(r, "  reset %u\n", i);
        hh_event_reset(r->e, o->model);
        CHECK_EQ(hh_plat_sync_reset(o->real), 0);
    } else {
        trace(r, "  pulse %u\n", i);
        hh_event_pulse(r->e, o->model);
        CHECK_EQ(hh_plat_sync_pulse(o->real), 0);
    }
    return 1;
}

static int op_release_semaphore(struct run *r, struct object *o, unsigned i)
{
    long count = 1 + (long)pick(3), real_prev = -1;
    LONG model_prev = -1;
    NTSTATUS model;
    int real;
    if (o->kind != HH_PLAT_SYNC_SEMAPHORE)
        return 0;
    trace(r, "  release %u by %ld\n", i, count);
    model = hh_semaphore_release(r->e, o->model, (LONG)count, &model_prev);
    real = hh_plat_sync_release(o->real, count, &real_prev);
    if (model == STATUS_SUCCESS && real == 0) {
        if (model_prev != real_prev)
            differ(r, "release %u: previous count %ld in the model, %ld in Win32", i,
                   (long)model_prev, real_prev);
    } else if (!(model == STATUS_SEMAPHORE_LIMIT_EXCEEDED && real == HH_PLAT_SYNC_LIMIT)) {
        differ(r, "release %u by %ld: the model says 0x%08lX, Win32 says %d", i, count,
               (unsigned long)(ULONG)model, real);
    }
    return 1;
}

/* Release of a mutex by the main thread or a helper. A thread that does not own it: the
 * kernel raises STATUS_MUTANT_NOT_OWNED, or STATUS_ABANDONED for an abandoned one; Win32
 * fails both with ERROR_NOT_OWNER. */
static int op_release_mutex(struct run *r, struct object *o, unsigned i)
{
    struct puppet *p = pick(2) ? free_puppet(r) : NULL;
    PKTHREAD t = p ? p->model : r->main;
    LONG prev;
    NTSTATUS model;
    int real;
    if (o->kind != HH_PLAT_SYNC_MUTEX)
        return 0;
    trace(r, "  release mutex %u by %s\n", i, p ? t->name : "main");
    model = hh_mutant_release(r->e, t, o->model, &prev);
    if (p) {
        command(p, CMD_RELEASE, o);
        real = p->release_result;
    } else {
        real = hh_plat_sync_release(o->real, 1, NULL);
    }
    if (model == STATUS_SUCCESS && real == 0)
        return 1;
    if ((model == STATUS_MUTANT_NOT_OWNED || model == STATUS_ABANDONED) &&
        real == HH_PLAT_SYNC_NOT_OWNER) {
        if (model == STATUS_ABANDONED)
            r->mapped_release_abandoned++;
        return 1;
    }
    differ(r, "release mutex %u: the model says 0x%08lX, Win32 says %d", i,
           (unsigned long)(ULONG)model, real);
    return 1;
}

/* A helper takes the object without waiting (WaitForSingleObject with timeout 0). */
static int op_acquire(struct run *r, struct object *o, unsigned i)
{
    struct puppet *p = free_puppet(r);
    NTSTATUS model;
    if (!p)
        return 0;
    trace(r, "  %s acquires %u\n", p->model->name, i);
    model = hh_acquire(r->e, p->model, o->model);
    command(p, CMD_ACQUIRE, o);
    same_wait(r, "acquire", model, p->wait_result, 0, 1);
    return 1;
}

/* A helper thread ends, holding whatever it holds, and a new one takes its place. */
static int op_exit(struct run *r)
{
    unsigned k = pick(PUPPETS);
    struct puppet *p = &r->pup[k];
    if (!p->alive || p->blocked)
        return 0;
    trace(r, "  %s exits\n", p->model->name);
    puppet_exit(r, p);
    puppet_attach(r, p, k);
    return 1;
}

/* A user APC queued to the main thread; an alertable wait delivers it. */
static int op_apc(struct run *r)
{
    trace(r, "  apc to main\n");
    hh_queue_user_apc(r->e, r->main);
    CHECK_EQ(hh_plat_queue_apc(NULL, noop_apc, NULL), 0);
    return 1;
}

/* The main thread polls: WaitAny (duplicates allowed) or WaitAll (distinct objects). */
static int op_wait(struct run *r)
{
    struct hh_wait w;
    struct hh_plat_sync *real[MAX_OBJECTS];
    unsigned n = 1 + pick(r->nobj < 4 ? r->nobj : 4), k;
    int all = (int)pick(2), alertable = pick(3) == 0;
    unsigned idx[MAX_OBJECTS];
    NTSTATUS model;
    uint32_t got;
    char what[160];
    size_t used;
    memset(&w, 0, sizeof(w));
    for (k = 0; k < n; k++) {
        unsigned j;
        int dup;
        do {
            idx[k] = pick(r->nobj);
            dup = 0;
            for (j = 0; j < k && all; j++)
                dup |= idx[j] == idx[k];
        } while (dup);
    }
    used = (size_t)snprintf(what, sizeof(what), "wait %s%s [", all ? "all" : "any",
                            alertable ? " alertable" : "");
    for (k = 0; k < n; k++) {
        w.objects[k] = r->obj[idx[k]].model;
        real[k] = r->obj[idx[k]].real;
        used += (size_t)snprintf(what + used, sizeof(what) - used, "%s%u", k ? " " : "",
                                 idx[k]);
    }
    snprintf(what + used, sizeof(what) - used, "]");
    w.count = n;
    w.type = all ? WaitAll : WaitAny;
    w.mode = UserMode; /* every Win32 wait is a UserMode wait */
    w.alertable = (BOOLEAN)alertable;
    w.has_deadline = TRUE;
    w.deadline = r->e->now; /* a poll */
    w.timeout_status = STATUS_TIMEOUT;
    model = hh_wait_begin(r->e, r->main, &w);
    back_to_user_mode(r, r->main, model);
    got = hh_plat_sync_wait(real, n, all, 0, alertable);
    trace(r, "  %s -> model 0x%lX, Win32 0x%lX\n", what, (unsigned long)(ULONG)model,
          (unsigned long)got);
    same_wait(r, what, model, got, all, n);
    return 1;
}

/* A helper blocks on one object (alertable); later operations may wake it. */
static int op_block(struct run *r, struct object *o, unsigned i)
{
    struct puppet *p = free_puppet(r);
    struct hh_wait w;
    NTSTATUS model;
    if (!p)
        return 0;
    memset(&w, 0, sizeof(w));
    w.count = 1;
    w.objects[0] = o->model;
    w.type = WaitAny;
    w.mode = UserMode;
    w.alertable = TRUE;
    w.has_deadline = FALSE;
    trace(r, "  %s blocks on %u\n", p->model->name, i);
    model = hh_wait_begin(r->e, p->model, &w);
    back_to_user_mode(r, p->model, model);
    command(p, CMD_BLOCK, o);
    r->blocked_waits++;
    if (model != STATUS_PENDING) {
        /* Satisfied at once: the helper's wait returns at once too. */
        if (hh_plat_sync_wait(&p->done, 1, 0, 20000, 0) != HH_PLAT_WAIT_OBJECT_0)
            return differ(r, "%s's wait on %u: the model completes it at once (0x%08lX), "
                          "Win32 keeps it waiting", p->model->name, i, (unsigned long)model);
        same_wait(r, "blocking wait", model, p->wait_result, 0, 1);
        return 1;
    }
    p->blocked = 1;
    return 1;
}

/* After each operation: a blocked helper the model has woken must have woken on Win32 too,
 * with the same result. One the model keeps waiting is checked when it is unblocked. */
static void check_blocked(struct run *r)
{
    unsigned k;
    for (k = 0; k < PUPPETS; k++) {
        struct puppet *p = &r->pup[k];
        NTSTATUS model;
        if (!p->blocked)
            continue;
        model = hh_wait_poll(r->e, p->model);
        if (model == STATUS_PENDING)
            continue;
        back_to_user_mode(r, p->model, model);
        trace(r, "  %s wakes: model 0x%lX\n", p->model->name, (unsigned long)(ULONG)model);
        if (hh_plat_sync_wait(&p->done, 1, 0, 5000, 0) != HH_PLAT_WAIT_OBJECT_0) {
            /* Still blocked on Win32: the clean-up's APC ends it. */
            differ(r, "%s: the model wakes its wait (0x%08lX), Win32 keeps it waiting",
                   p->model->name, (unsigned long)model);
            return;
        }
        p->blocked = 0;
        same_wait(r, "woken wait", model, p->wait_result, 0, 1);
    }
}

/* Ends a blocked helper's wait with a user APC, as both sides agree it is still waiting. */
static void unblock(struct run *r, struct puppet *p)
{
    NTSTATUS model;
    int compare = !r->failure[0];
    trace(r, "  apc to %s\n", p->model->name);
    hh_queue_user_apc(r->e, p->model);
    model = hh_wait_poll(r->e, p->model);
    back_to_user_mode(r, p->model, model);
    CHECK_EQ(hh_plat_queue_apc(p->thread, noop_apc, NULL), 0);
    if (hh_plat_sync_wait(&p->done, 1, 0, 20000, 0) != HH_PLAT_WAIT_OBJECT_0) {
        fprintf(stderr, "test_differential: a user APC does not end %s's alertable wait\n%s",
                p->model->name, r->trace);
        abort(); /* the helper is stuck: nothing sensible can follow */
    }
    p->blocked = 0;
    if (compare)
        same_wait(r, "wait ended by an APC", model, p->wait_result, 0, 1);
}

/* ---- A sequence ---------------------------------------------------------------------------- */
static void drain_main_apcs(void)
{
    static struct hh_plat_sync *never;
    if (!never)
        CHECK_EQ(hh_plat_sync_new(HH_PLAT_SYNC_MANUAL_EVENT, 0, 0, &never, NULL, 0), 0);
    while (hh_plat_sync_wait(&never, 1, 0, 0, 1) == HH_PLAT_WAIT_IO_COMPLETION) {
    }
}

static void one_sequence(struct run *r)
{
    unsigned step, k, n = 2 + pick(MAX_OBJECTS - 1);
    r->e = hh_engine_new();
    r->main = hh_engine_thread(r->e, "main");
    r->nobj = 0;
    r->tlen = 0;
    r->failure[0] = '\0';
    trace(r, "sequence %lu (seed %llu):\n", r->sequence, (unsigned long long)base_seed);
    for (k = 0; k < PUPPETS; k++) {
        r->pup[k].generation = 0;
        puppet_attach(r, &r->pup[k], k);
    }
    while (r->nobj < n)
        add_object(r);
    /* Some mutexes start owned by a helper. */
    for (k = 0; k < r->nobj; k++) {
        if (r->obj[k].kind == HH_PLAT_SYNC_MUTEX && pick(3) == 0)
            op_acquire(r, &r->obj[k], k);
    }
    compare_states(r, "creation");
    for (step = 0; step < steps_per_sequence && !r->failure[0]; step++) {
        unsigned i = pick(r->nobj);
        struct object *o = &r->obj[i];
        int done = 0;
        while (!done) {
            switch (pick(10)) {
            case 0: case 1: done = op_event(r, o, i); break;
            case 2: done = op_release_semaphore(r, o, i); break;
            case 3: done = op_release_mutex(r, o, i); break;
            case 4: done = op_acquire(r, o, i); break;
            case 5: done = pick(4) == 0 && op_exit(r); break;
            case 6: done = pick(3) == 0 && op_apc(r); break;
            case 7: done = op_block(r, o, i); break;
            default: done = op_wait(r); break;
            }
            if (!done) {
                i = pick(r->nobj);
                o = &r->obj[i];
            }
        }
        check_blocked(r);
        if (!r->failure[0])
            compare_states(r, "the operation");
    }
    for (k = 0; k < PUPPETS; k++) {
        if (r->pup[k].blocked)
            unblock(r, &r->pup[k]);
        /* After a difference a helper may keep an APC the model knows nothing of. */
        if (r->failure[0] && r->pup[k].alive)
            puppet_exit(r, &r->pup[k]);
    }
    /* APCs queued to the main thread and never delivered must not leak into the next. */
    drain_main_apcs();
    for (k = 0; k < r->nobj; k++)
        hh_plat_sync_free(r->obj[k].real);
    hh_engine_free(r->e);
    r->e = NULL;
}

/* ---- TAP points: each runs a block of sequences --------------------------------------------- */
static unsigned long total_sequences;

static void run_block(unsigned block)
{
    unsigned long s, first = (unsigned long)block * sequences_per_point;
    for (s = first; s < first + sequences_per_point; s++) {
        if (only_sequence >= 0 && (unsigned long)only_sequence != s)
            continue;
        rng_state = base_seed * 0x100000001B3ull + s;
        the_run.sequence = s;
        one_sequence(&the_run);
        total_sequences++;
        if (the_run.failure[0]) {
            printf("# %s", the_run.trace);
            for (char *line = the_run.trace; (line = strchr(line, '\n')) != NULL;)
                *line++ = ' ';
            hh_check_fail(__FILE__, __LINE__,
                          "difference in sequence %lu (replay: test_differential --seed %llu "
                          "--only %lu): %s",
                          s, (unsigned long long)base_seed, s, the_run.failure);
        }
    }
}

#define BLOCK(n)                                                                                \
    static void test_block_##n(void)                                                           \
    {                                                                                           \
        run_block(n);                                                                           \
    }
BLOCK(0)
BLOCK(1)
BLOCK(2)
BLOCK(3)
BLOCK(4)
BLOCK(5)
BLOCK(6)
BLOCK(7)

/* The kernel satisfies each entry of a WaitAll that names one object twice; Win32 (like
 * NtWaitForMultipleObjects) refuses the call, and the scenario format rejects such a file.
 * Not compared with the model, checked here. Wine accepts the call (docs/windows.md). */
static void test_waitall_duplicate_fails(void)
{
    struct hh_plat_sync *ev, *objs[2];
    uint32_t all;
    CHECK_EQ(hh_plat_sync_new(HH_PLAT_SYNC_MANUAL_EVENT, 1, 0, &ev, NULL, 0), 0);
    objs[0] = objs[1] = ev;
    all = hh_plat_sync_wait(objs, 2, 1, 0, 0);
    if (under_wine() && all == HH_PLAT_WAIT_OBJECT_0)
        printf("# Wine satisfies a WaitAll naming one handle twice; Windows fails it\n");
    else
        CHECK_EQ(all, HH_PLAT_WAIT_FAILED);
    CHECK_EQ(hh_plat_sync_wait(objs, 2, 0, 0, 0), HH_PLAT_WAIT_OBJECT_0); /* WaitAny: fine */
    hh_plat_sync_free(ev);
}

static void test_summary(void)
{
    printf("# %lu sequences of %u operations (seed %llu); mapped by design: %u WaitAll "
           "abandoned results, %u releases of an abandoned mutex; %u blocking waits\n",
           total_sequences, steps_per_sequence, (unsigned long long)base_seed,
           the_run.mapped_waitall_abandoned, the_run.mapped_release_abandoned,
           the_run.blocked_waits);
    CHECK(total_sequences > 0);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"sequences_0", test_block_0}, {"sequences_1", test_block_1},
        {"sequences_2", test_block_2}, {"sequences_3", test_block_3},
        {"sequences_4", test_block_4}, {"sequences_5", test_block_5},
        {"sequences_6", test_block_6}, {"sequences_7", test_block_7},
        {"waitall_duplicate_fails", test_waitall_duplicate_fails},
        {"summary", test_summary},
    };
    int i, out = 1;
    const char *env = hh_plat_getenv("HH_DIFF_SEQUENCES");
    hh_plat_init();
    if (env)
        sequences_per_point = strtoul(env, NULL, 10) / 8 + 1;
    /* Our options first; what is left goes to the runner (a test name, --list). */
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            base_seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only_sequence = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc)
            steps_per_sequence = (unsigned)strtoul(argv[++i], NULL, 10);
        else
            argv[out++] = argv[i];
    }
    return hh_test_main(out, argv, tests, HH_TEST_COUNT(tests));
}
