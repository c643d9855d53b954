/* test_workers.c - a driver's several hot-swappable workers (driver mode): each its own thread,
 * start context, wait, bursts and checks; invocations numbered across the run and attributed
 * to their worker; a wait on one worker's thread object lets it run to its end; failures
 * inside an invocation name the worker; the real clock refuses a second worker.
 */
#include "engine_test.h"

#include <string.h>

/* One worker's routine: counts its calls and answers `answer` (true_means continue), or
 * terminate on STATUS_WAIT_1. */
struct device {
    struct hh_engine *e;
    PKEVENT work, stop;
    unsigned calls;
    PKTHREAD ran_on;    /* e->current inside the routine */
    BOOLEAN spin;       /* answer continue without blocking: a livelock */
    struct device *spawn; /* started as a new worker from inside the routine, once */
    NTSTATUS spawned;
};

/* What the engine reported, in order. */
struct seen {
    unsigned n;
    struct hh_invocation inv[32];
};

static void on_invocation(void *user, const struct hh_invocation *inv)
{
    struct seen *s = user;
    if (s->n < 32) {
        s->inv[s->n] = *inv;
        s->inv[s->n].log = NULL;
        s->n++;
    }
}

static NTSTATUS start_device(struct hh_engine *e, struct device *d, const char *routine,
                             PKTHREAD *thread);

static BOOLEAN device_routine(PVOID context, NTSTATUS status)
{
    struct device *d = context;
    d->calls++;
    d->ran_on = d->e->current;
    if (d->spawn) {
        d->spawned = start_device(d->e, d->spawn, "Spawned", NULL);
        d->spawn = NULL;
    }
    if (status == STATUS_WAIT_1)
        return FALSE; /* true_means continue: FALSE ends the thread */
    if (!d->spin)
        KeClearEvent(d->work);
    return TRUE;
}

static struct device *new_device(struct hh_engine *e, struct device *d)
{
    memset(d, 0, sizeof(*d));
    d->e = e;
    d->work = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    d->stop = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    return d;
}

/* IoDriverProxyCreateHotSwappableWorkerThread's part: a start context on the stack. */
static NTSTATUS start_device(struct hh_engine *e, struct device *d, const char *routine,
                             PKTHREAD *thread)
{
    union {
        DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start;
        unsigned char room[sizeof(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT) +
                           2 * sizeof(PKEVENT)];
    } u;
    memset(&u, 0, sizeof(u));
    u.start.WorkerRoutine = device_routine;
    u.start.Context = d;
    u.start.WaitType = WaitAny;
    u.start.WaitMode = KernelMode;
    u.start.EventCount = 2;
    u.start.Events[0] = d->work;
    u.start.Events[1] = d->stop;
    return hh_worker_start_driver(e, &u.start, routine, thread);
}

/* A driver-mode engine with workers a and b started (routines named ra and rb; NULL:
 * unnamed) and their invocations reported to seen; b's thread in *tb (may be NULL). */
static void two_workers(struct hh_engine *e, struct device *a, struct device *b,
                        struct seen *seen, const char *ra, const char *rb, PKTHREAD *tb)
{
    memset(seen, 0, sizeof(*seen));
    hh_worker_allow_driver(e, HH_TRUE_MEANS_CONTINUE, on_invocation, seen);
    CHECK_EQ(start_device(e, new_device(e, a), ra, NULL), STATUS_SUCCESS);
    CHECK_EQ(start_device(e, new_device(e, b), rb, tb), STATUS_SUCCESS);
}

/* b answers continue without clearing its event: after the run, a livelock. */
static void spin_second(struct hh_engine *e, struct device *b)
{
    b->spin = TRUE;
    KeSetEvent(b->work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
}

/* Two workers: a signal wakes only the worker that waits on it; each invocation says whose
 * it is, and the index runs across the whole run. */
static void workers_each_woken_by_their_own_objects(void)
{
    struct hh_engine *e = et_engine();
    struct device a, b;
    struct seen seen;
    PKTHREAD ta = NULL, tb = NULL;
    struct hh_worker *w;
    two_workers(e, &a, &b, &seen, "GlobalWorker", "DeviceWorker", &tb);
    ta = hh_engine_workers(e)->thread;
    CHECK(ta == e->worker); /* the first is the engine's worker thread */
    CHECK(tb != ta && tb != NULL);
    CHECK_STR(tb->name, "worker 2");
    KeSetEvent(b.work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(a.calls, 0);
    CHECK_EQ(b.calls, 1);
    CHECK(b.ran_on == tb);
    KeSetEvent(a.work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(a.calls, 1);
    CHECK(a.ran_on == ta);
    CHECK_EQ(seen.n, 2);
    CHECK_EQ(seen.inv[0].index, 1);
    CHECK_EQ(seen.inv[0].worker, 2);
    CHECK_EQ(seen.inv[1].index, 2);
    CHECK_EQ(seen.inv[1].worker, 1);
    /* The engine's fields are the first worker's again once the others ran. */
    CHECK(e->worker == ta);
    w = hh_engine_workers(e);
    CHECK(w != NULL && w->next != NULL && w->next->next == NULL);
    CHECK_STR(w->routine, "GlobalWorker");
    CHECK_EQ(w->state, HH_WORKER_WAITING);
    CHECK_EQ(w->next->state, HH_WORKER_WAITING);
    CHECK(hh_engine_worker_of(e, tb) == w->next);
    /* Reports name its thread object (a reference the driver leaked, a wait on it). */
    {
        char what[200];
        CHECK_CONTAINS(hh_engine_describe_object(e, tb, what, sizeof(what)), "'worker 2'");
    }
    CHECK_NO_FAILURE(e);
    et_done(e);
}

struct stop_call {
    struct device *d;
    PKTHREAD thread;
    NTSTATUS status;
};

static void stop_and_wait(void *arg)
{
    struct stop_call *c = arg;
    KeSetEvent(c->d->stop, 0, FALSE);
    c->status = KeWaitForSingleObject(c->thread, Executive, KernelMode, FALSE, NULL);
}

/* A device's removal: the driver sets the worker's stop event and waits on its thread
 * object; the worker runs inside that wait, ends, and the wait completes. The other worker
 * stays where it was. */
static void wait_on_worker_thread_runs_it_to_its_end(void)
{
    struct hh_engine *e = et_engine();
    struct device a, b;
    struct seen seen;
    struct stop_call c;
    PKTHREAD tb = NULL;
    char label[64];
    two_workers(e, &a, &b, &seen, NULL, "DeviceWorker", &tb);
    c.d = &b;
    c.thread = tb;
    c.status = STATUS_PENDING;
    CHECK_EQ(et_as(e, e->driver, stop_and_wait, &c), 0);
    CHECK_EQ(c.status, STATUS_SUCCESS);
    CHECK_EQ(b.calls, 1);
    CHECK_EQ(a.calls, 0);
    CHECK_EQ(seen.n, 1);
    CHECK_EQ(seen.inv[0].worker, 2);
    CHECK_EQ(seen.inv[0].decision, HH_DECISION_TERMINATE);
    CHECK_EQ(((DISPATCHER_HEADER *)tb)->SignalState, 1);
    CHECK_EQ(hh_engine_workers(e)->next->state, HH_WORKER_TERMINATED);
    CHECK_EQ(hh_engine_workers(e)->state, HH_WORKER_WAITING);
    CHECK_STR(hh_worker_label(hh_engine_workers(e)->next, label, sizeof(label)),
                 "worker 2 (DeviceWorker)");
    CHECK_STR(hh_worker_label(hh_engine_workers(e), label, sizeof(label)), "worker 1");
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* A livelock in the second worker: the report starts with that worker's label, and the
 * failure is its invocation's. */
static void livelock_names_the_worker(void)
{
    struct hh_engine *e = et_engine();
    struct device a, b;
    struct seen seen;
    e->livelock_limit = 5;
    two_workers(e, &a, &b, &seen, "GlobalWorker", "DeviceWorker", NULL);
    spin_second(e, &b);
    CHECK_EQ(b.calls, 6);
    CHECK(strncmp(e->failure.message, "worker 2 (DeviceWorker): 6 invocations in a row", 47) ==
          0);
    CHECK_EQ(e->failure.invocation, 6);
    et_done(e);
}

/* With one worker a failure reads as it always did: no label. */
static void one_worker_failure_has_no_label(void)
{
    struct hh_engine *e = et_engine();
    struct device a;
    struct seen seen;
    memset(&seen, 0, sizeof(seen));
    e->livelock_limit = 5;
    hh_worker_allow_driver(e, HH_TRUE_MEANS_CONTINUE, on_invocation, &seen);
    CHECK_EQ(start_device(e, new_device(e, &a), "GlobalWorker", NULL), STATUS_SUCCESS);
    a.spin = TRUE;
    KeSetEvent(a.work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK(strncmp(e->failure.message, "6 invocations in a row", 22) == 0);
    CHECK_EQ(seen.inv[0].worker, 1);
    et_done(e);
}

/* A reset after a failure in the second worker keeps the engine's own worker thread (the
 * first's) and frees the rest: the engine is as new. */
static void reset_after_a_second_worker_failed(void)
{
    struct hh_engine *e = et_engine();
    struct device a, b;
    struct seen seen;
    PKTHREAD first = e->worker, second = NULL;
    const void *kept;
    e->livelock_limit = 3;
    two_workers(e, &a, &b, &seen, NULL, NULL, &second);
    spin_second(e, &b);
    CHECK(e->worker == second); /* the failing worker stays selected for the report */
    kept = e->start;
    hh_engine_reset(e);
    CHECK(e->worker == first);
    CHECK(e->workers == NULL && e->selected == NULL && e->start == NULL);
    CHECK(e->start_spare == kept); /* the selected one's copy, for the next run; the rest go */
    CHECK_EQ(e->state, HH_WORKER_NOT_STARTED);
    CHECK_STR(e->worker->name, "worker");
    CHECK(e->threads == e->worker && e->worker->next == e->driver && e->driver->next == NULL);
    et_done(e);
}

/* The real clock plays one worker: a second is refused with rule driver, saying so. */
static void real_clock_refuses_a_second_worker(void)
{
    struct hh_engine *e = et_engine();
    struct device a, b;
    struct seen seen;
    memset(&seen, 0, sizeof(seen));
    CHECK_EQ(hh_engine_realtime_begin(e, HH_TICKS_PER_MS), 0);
    hh_worker_allow_driver(e, HH_TRUE_MEANS_CONTINUE, on_invocation, &seen);
    CHECK_EQ(start_device(e, new_device(e, &a), NULL, NULL), STATUS_SUCCESS);
    CHECK_EQ(start_device(e, new_device(e, &b), NULL, NULL), STATUS_INSUFFICIENT_RESOURCES);
    CHECK_RULE(e, HH_RULE_DRIVER);
    CHECK_CONTAINS(e->failure.message, "a real-clock run plays one worker per driver");
    hh_engine_realtime_end(e);
    et_done(e);
}

/* A worker's routine starts another worker: the new one makes its first wait, and the
 * routine goes on as the worker it was, its invocation reported as its own. */
static void worker_started_from_a_routine(void)
{
    struct hh_engine *e = et_engine();
    struct device a, b;
    struct seen seen;
    PKTHREAD ta;
    memset(&seen, 0, sizeof(seen));
    hh_worker_allow_driver(e, HH_TRUE_MEANS_CONTINUE, on_invocation, &seen);
    CHECK_EQ(start_device(e, new_device(e, &a), NULL, &ta), STATUS_SUCCESS);
    a.spawn = new_device(e, &b);
    KeSetEvent(a.work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(a.spawned, STATUS_SUCCESS);
    CHECK(a.ran_on == ta);
    CHECK_EQ(seen.n, 1);
    CHECK_EQ(seen.inv[0].worker, 1);
    CHECK(e->worker == ta);
    CHECK_EQ(e->state, HH_WORKER_WAITING);
    CHECK_EQ(hh_engine_workers(e)->next->state, HH_WORKER_WAITING);
    KeSetEvent(b.work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(b.calls, 1);
    CHECK_EQ(seen.inv[1].worker, 2);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"workers_each_woken_by_their_own_objects", workers_each_woken_by_their_own_objects},
        {"wait_on_worker_thread_runs_it_to_its_end", wait_on_worker_thread_runs_it_to_its_end},
        {"livelock_names_the_worker", livelock_names_the_worker},
        {"one_worker_failure_has_no_label", one_worker_failure_has_no_label},
        {"reset_after_a_second_worker_failed", reset_after_a_second_worker_failed},
        {"real_clock_refuses_a_second_worker", real_clock_refuses_a_second_worker},
        {"worker_started_from_a_routine", worker_started_from_a_routine},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
