/* test_worker.c - the hot-swap worker loop: wait on the start context, call the routine,
 * continue or terminate, the true_means switch, livelock, the worker's mutexes at its end, and
 * determinism (SPEC §1, §4, §6; WAIT-SEMANTICS decisions 1-3, §6.1).
 * The worker is the model's only thread that blocks; other threads only take, release and
 * abandon mutexes, which is what the single-waiter tests here rely on.
 */
#include "engine_test.h"

/* A worker on `count` objects with the given answers; started, waiting. */
static void start_worker(struct hh_engine *e, struct et_routine *r, struct et_start *s)
{
    r->e = e;
    et_configure(e, r, s);
    hh_worker_start(e);
}

static void init(struct et_routine *r, struct et_start *s, ULONG count, PVOID *objects)
{
    ULONG i;
    memset(r, 0, sizeof(*r));
    memset(s, 0, sizeof(*s));
    r->answer = TRUE;
    s->type = WaitAny;
    s->count = count;
    for (i = 0; i < count; i++)
        s->objects[i] = objects[i];
}

/* SPEC §1, decision 1: TRUE (the default polarity) waits again on the same objects. */
static void decision1_continue_waits_again(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = work;
    init(&r, &s, 1, objs);
    start_worker(e, &r, &s);
    CHECK_EQ(r.calls, 0);
    CHECK_EQ(e->state, HH_WORKER_WAITING);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(e->state, HH_WORKER_WAITING);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 2);
    CHECK_EQ(r.reported, 2);
    CHECK_EQ(r.inv[1].index, 2);
    CHECK_EQ(r.inv[1].raw, 1);
    CHECK_EQ(r.inv[1].decision, HH_DECISION_CONTINUE);
    CHECK_EQ(KeReadStateEvent(work), 0);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* SPEC §1, decision 1: FALSE ends the thread; later signals invoke nothing. */
static void decision1_terminate_ends_thread(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = work;
    init(&r, &s, 1, objs);
    r.answer = FALSE;
    start_worker(e, &r, &s);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.inv[0].decision, HH_DECISION_TERMINATE);
    CHECK_EQ(e->state, HH_WORKER_TERMINATED);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    hh_engine_advance_to(e, ET_SECONDS(1));
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(KeReadStateEvent(work), 1);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Decision 1: with true_means terminate, TRUE ends the thread; reports keep the raw BOOLEAN. */
static void decision1_true_means_terminate(void)
{
    static const BOOLEAN answers[] = {FALSE, FALSE, TRUE};
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    int i;
    objs[0] = work;
    init(&r, &s, 1, objs);
    r.script = answers;
    r.script_len = 3;
    s.true_means = HH_TRUE_MEANS_TERMINATE;
    start_worker(e, &r, &s);
    for (i = 0; i < 4; i++) {
        KeSetEvent(work, 0, FALSE);
        hh_worker_run(e);
    }
    CHECK_EQ(r.calls, 3);
    CHECK_EQ(r.inv[0].raw, 0);
    CHECK_EQ(r.inv[0].decision, HH_DECISION_CONTINUE);
    CHECK_EQ(r.inv[1].decision, HH_DECISION_CONTINUE);
    CHECK_EQ(r.inv[2].raw, 1);
    CHECK_EQ(r.inv[2].decision, HH_DECISION_TERMINATE);
    CHECK_EQ(e->state, HH_WORKER_TERMINATED);
    et_done(e);
}

/* SPEC §6: a status delivered after the routine chose terminate is not given to it: rule
 * call-after-terminate. A delivered status reaches a waiting worker like a completed wait. */
static void rule_call_after_terminate(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    static const BOOLEAN answers[] = {TRUE, FALSE};
    objs[0] = work;
    init(&r, &s, 1, objs);
    r.script = answers;
    r.script_len = 2;
    start_worker(e, &r, &s);
    hh_worker_deliver(e, STATUS_TIMEOUT);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.status[0], STATUS_TIMEOUT);
    CHECK_EQ(e->state, HH_WORKER_WAITING);
    hh_worker_deliver(e, STATUS_WAIT_0);
    CHECK_EQ(e->state, HH_WORKER_TERMINATED);
    CHECK_NO_FAILURE(e);
    hh_worker_deliver(e, STATUS_WAIT_0);
    CHECK_EQ(r.calls, 2);
    CHECK_RULE(e, HH_RULE_CALL_AFTER_TERMINATE);
    et_done(e);
}

/* §6.1: the routine gets Context and STATUS_WAIT_0 + k, at PASSIVE_LEVEL, on the worker. */
static void rule_routine_gets_context_and_wait_status(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT a = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PKEVENT b = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT c = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[3];
    struct et_routine r;
    struct et_start s;
    objs[0] = a;
    objs[1] = b;
    objs[2] = c;
    init(&r, &s, 3, objs);
    start_worker(e, &r, &s);
    KeSetEvent(c, 0, FALSE);
    hh_worker_run(e);
    KeSetEvent(b, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 2);
    CHECK_EQ(r.status[0], STATUS_WAIT_2);
    CHECK_EQ(r.status[1], STATUS_WAIT_1);
    CHECK(r.context[0] == &r);
    CHECK_EQ(r.irql[0], PASSIVE_LEVEL);
    CHECK(!r.ran_as_other);
    CHECK(e->current == e->driver);
    et_done(e);
}

/* §1.2: b then a signaled before the worker runs: STATUS_WAIT_1, then STATUS_WAIT_0. */
static void rule_worker_woken_at_signal_time(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT a = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT b = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PVOID objs[2];
    struct et_routine r;
    struct et_start s;
    objs[0] = a;
    objs[1] = b;
    init(&r, &s, 2, objs);
    start_worker(e, &r, &s);
    KeSetEvent(b, 0, FALSE);
    KeSetEvent(a, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 2);
    CHECK_EQ(r.status[0], STATUS_WAIT_1);
    CHECK_EQ(r.status[1], STATUS_WAIT_0);
    et_done(e);
}

/* Decision 2, §6.1: the start context is copied; later changes to the caller's copy do nothing. */
static void decision2_start_context_is_copied(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT other = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start;
    struct et_routine r;
    memset(&r, 0, sizeof(r));
    memset(&start, 0, sizeof(start));
    r.e = e;
    r.answer = TRUE;
    start.WorkerRoutine = et_routine_fn;
    start.Context = &r;
    start.WaitType = WaitAny;
    start.WaitMode = KernelMode;
    start.EventCount = 1;
    start.Events[0] = work;
    hh_worker_configure(e, &start, HH_TRUE_MEANS_CONTINUE, NULL, NULL);
    start.Events[0] = other;
    start.HasTimeout = TRUE;
    start.Timeout.QuadPart = 0;
    start.Context = NULL;
    hh_worker_start(e);
    KeSetEvent(other, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 0);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 1);
    CHECK(r.context[0] == &r);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Decision 2: HasTimeout FALSE means an infinite wait whatever Timeout holds. */
static void decision2_has_timeout_false_is_infinite(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = idle;
    init(&r, &s, 1, objs);
    s.has_timeout = FALSE;
    s.timeout = -ET_MS(1);
    start_worker(e, &r, &s);
    CHECK_EQ(hh_engine_next_due(e), -1);
    hh_engine_advance_to(e, ET_SECONDS(1));
    CHECK_EQ(r.calls, 0);
    CHECK_EQ(e->state, HH_WORKER_WAITING);
    et_done(e);
}

/* §1.2, §2.2: an abandoned mutant hands STATUS_ABANDONED_WAIT_n to the routine. */
static void rule_worker_gets_abandoned_status(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD other = hh_engine_thread(e, "other");
    PVOID objs[2];
    struct et_routine r;
    struct et_start s;
    objs[0] = idle;
    objs[1] = m;
    init(&r, &s, 2, objs);
    r.answer = FALSE;
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    start_worker(e, &r, &s);
    hh_thread_rundown(e, other);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.status[0], STATUS_ABANDONED_WAIT_0 + 1);
    et_done(e);
}

/* §1.6: an alertable start context ends with STATUS_ALERTED; a non-alertable one does not. */
static void rule_worker_alertable_start_context(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = idle;
    init(&r, &s, 1, objs);
    s.alertable = TRUE;
    start_worker(e, &r, &s);
    hh_alert(e, e->worker, KernelMode);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(r.status[0], STATUS_ALERTED);
    et_done(e);

    e = et_engine();
    idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    objs[0] = idle;
    init(&r, &s, 1, objs);
    start_worker(e, &r, &s);
    hh_alert(e, e->worker, KernelMode);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 0);
    CHECK(e->worker->alerted[KernelMode]);
    et_done(e);
}

/* SPEC §6: a poll answered with continue is rule livelock after the set number of calls. */
static void rule_livelock_poll_answered_continue(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = idle;
    init(&r, &s, 1, objs);
    s.has_timeout = TRUE;
    s.timeout = 0;
    e->livelock_limit = 20;
    start_worker(e, &r, &s);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_EQ(r.calls, 21); /* "more than" the limit */
    CHECK_EQ(r.status[0], STATUS_TIMEOUT);
    CHECK_EQ(e->state, HH_WORKER_FAILED);
    CHECK_EQ(e->now, 0);
    CHECK_CONTAINS(e->failure.message, "the wait's timeout is 0, a poll");
    et_done(e);
}

/* A notification event that stays signaled, answered with continue: the livelock names
 * the event and the fix, not a poll or a timeout the wait does not have. */
static void rule_livelock_names_the_event_that_stays_signaled(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT stop = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[2];
    struct et_routine r;
    struct et_start s;
    hh_engine_name_object(e, work, "work");
    objs[0] = stop;
    objs[1] = work;
    init(&r, &s, 2, objs);
    e->livelock_limit = 20;
    start_worker(e, &r, &s);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_CONTAINS(e->failure.message, "the last given STATUS_WAIT_1 (0x00000001)");
    CHECK_CONTAINS(e->failure.message, "'work' (notification event) stayed signaled");
    CHECK_CONTAINS(e->failure.message, "KeClearEvent");
    CHECK_CONTAINS(e->failure.message, "synchronization event");
    CHECK(strstr(e->failure.message, "poll") == NULL);
    CHECK(strstr(e->failure.message, "timeout") == NULL);
    et_done(e);
}

/* A mutex the worker keeps: every wait acquires it again; the fix is to release it. */
static void rule_livelock_names_the_mutex_the_worker_owns(void)
{
    struct hh_engine *e = et_engine();
    PKMUTEX lock = hh_engine_new_object(e, HH_OBJECT_MUTEX);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    hh_engine_name_object(e, lock, "lock");
    objs[0] = lock;
    init(&r, &s, 1, objs);
    e->livelock_limit = 20;
    start_worker(e, &r, &s);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_CONTAINS(e->failure.message, "'lock' (KMUTEX) is owned by the worker");
    CHECK_CONTAINS(e->failure.message, "KeReleaseMutex");
    et_done(e);
}

/* SPEC §6: the same for an absolute timeout already passed, answered with continue. */
static void rule_livelock_passed_absolute_timeout(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = idle;
    init(&r, &s, 1, objs);
    s.has_timeout = TRUE;
    s.timeout = HH_SYSTEM_TIME_BASE + ET_SECONDS(1);
    e->livelock_limit = 20;
    r.e = e;
    et_configure(e, &r, &s);
    hh_engine_advance_to(e, ET_SECONDS(2));
    hh_worker_start(e);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_EQ(r.calls, 21); /* "more than" the limit */
    CHECK_EQ(r.time[0], ET_SECONDS(2));
    CHECK_CONTAINS(e->failure.message, "the wait's absolute timeout has passed");
    et_done(e);
}

/* SPEC §6: a poll answered with continue a few times, then terminate, is no livelock. */
static void rule_no_livelock_when_poll_loop_ends(void)
{
    static const BOOLEAN answers[] = {TRUE, TRUE, TRUE, TRUE, TRUE, FALSE};
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = idle;
    init(&r, &s, 1, objs);
    r.script = answers;
    r.script_len = 6;
    s.has_timeout = TRUE;
    s.timeout = 0;
    e->livelock_limit = 20;
    start_worker(e, &r, &s);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(r.calls, 6);
    CHECK_EQ(e->state, HH_WORKER_TERMINATED);
    et_done(e);
}

/* Inside the routine: 1 ms of delay (the clock moves), then a zero-timeout wait. */
static void delay_then_poll(struct et_routine *r, NTSTATUS status)
{
    LARGE_INTEGER interval = et_relative(ET_MS(1)), zero = et_zero();
    (void)status;
    CHECK_EQ(KeDelayExecutionThread(KernelMode, FALSE, &interval), STATUS_SUCCESS);
    CHECK_EQ(KeWaitForSingleObject(r->user, Executive, KernelMode, FALSE, &zero),
             STATUS_TIMEOUT);
    if (r->calls >= 40)
        r->answer = FALSE;
}

/* SPEC §6: time moving inside each invocation is no livelock, even ending on a poll. */
static void rule_no_livelock_when_time_moves_in_routine(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = idle;
    init(&r, &s, 1, objs);
    r.body = delay_then_poll;
    r.user = idle;
    s.has_timeout = TRUE;
    s.timeout = 0;
    e->livelock_limit = 20;
    start_worker(e, &r, &s);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(r.calls, 40);
    CHECK_EQ(r.time[39], ET_MS(39));
    CHECK_EQ(e->state, HH_WORKER_TERMINATED);
    et_done(e);
}

/* Inside the routine: zero-timeout waits on r->user, far more than the livelock limit. */
static void poll_forever(struct et_routine *r, NTSTATUS status)
{
    LARGE_INTEGER zero = et_zero();
    int i;
    (void)status;
    for (i = 0; i < 1000; i++)
        KeWaitForSingleObject(r->user, Executive, KernelMode, FALSE, &zero);
}

/* SPEC §6: a loop of zero-timeout waits inside one invocation is rule livelock. */
static void rule_livelock_poll_loop_in_routine(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = work;
    init(&r, &s, 1, objs);
    r.body = poll_forever;
    r.user = idle;
    e->livelock_limit = 20;
    start_worker(e, &r, &s);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(e->state, HH_WORKER_FAILED);
    et_done(e);
}

/* Inside the routine: an infinite wait on r->user; `answer` records the status. */
static void wait_forever(struct et_routine *r, NTSTATUS status)
{
    NTSTATUS got;
    (void)status;
    got = KeWaitForSingleObject(r->user, Executive, KernelMode, FALSE, NULL);
    r->answer = got == STATUS_WAIT_0;
}

/* §2.4, SPEC §1: a routine's own wait moves the virtual clock to the timer that ends it.
 * Then the worker waits on its start context's objects again, not on the routine's timer (the
 * thread keeps its copy of the start wait between waits; a wait of the routine's replaces
 * it). */
static void rule_routine_wait_moves_clock_to_timer(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKTIMER timer = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_TIMER);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = work;
    init(&r, &s, 1, objs);
    r.body = wait_forever;
    r.user = timer;
    start_worker(e, &r, &s);
    hh_timer_set(e, timer, -ET_SECONDS(5), 0, NULL);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(e->now, ET_SECONDS(5));
    CHECK_EQ(r.reported, 1);
    CHECK_EQ(r.inv[0].raw, 1);
    CHECK(!KeReadStateTimer(timer));
    r.body = NULL;
    hh_timer_set(e, timer, -ET_SECONDS(1), 0, NULL);
    hh_engine_advance_to(e, ET_SECONDS(7));
    hh_worker_run(e);
    CHECK_EQ(r.calls, 1); /* the timer is not the worker's to wait on */
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 2);
    CHECK_EQ(r.status[1], STATUS_WAIT_0);
    CHECK_EQ(e->worker->wait.count, 1);
    CHECK(e->worker->wait.objects[0] == (PVOID)work);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* SPEC §6: a routine waiting forever on an object nothing can signal is rule deadlock. */
static void rule_deadlock_routine_waits_forever(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT idle = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = work;
    init(&r, &s, 1, objs);
    r.body = wait_forever;
    r.user = idle;
    start_worker(e, &r, &s);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_DEADLOCK);
    CHECK_EQ(e->state, HH_WORKER_FAILED);
    CHECK_EQ(idle->Header.WaitListHint, 0);
    et_done(e);
}

/* Inside the routine: take the mutex in r->user (zero-timeout wait) and keep it. */
static void take_mutex(struct et_routine *r, NTSTATUS status)
{
    LARGE_INTEGER zero = et_zero();
    (void)status;
    CHECK_EQ(KeWaitForSingleObject(r->user, Executive, KernelMode, FALSE, &zero),
             STATUS_SUCCESS);
}

/* Decision 3, §2.2: mutants the worker holds at its end are abandoned. */
static void decision3_worker_mutants_abandoned_at_end(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = work;
    init(&r, &s, 1, objs);
    r.body = take_mutex;
    r.user = m;
    r.answer = FALSE;
    start_worker(e, &r, &s);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(e->state, HH_WORKER_TERMINATED);
    CHECK_EQ(m->Header.SignalState, 1);
    CHECK_EQ(m->Header.Abandoned, 1);
    CHECK(m->OwnerThread == NULL);
    CHECK_EQ(hh_acquire(e, hh_engine_thread(e, "next"), m), STATUS_ABANDONED);
    et_done(e);
}

/* A worker that returns holding a KMUTEX it took in that call is rule held-at-return, at that
 * return; with that check off, its end holding the KMUTEX is rule held-mutex (decision 3). */
static void decision3_worker_ending_with_kmutex(void)
{
    int off;
    for (off = 0; off < 2; off++) {
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTEX);
    PVOID objs[1];
    struct et_routine r;
    struct et_start s;
    objs[0] = work;
    init(&r, &s, 1, objs);
    r.body = take_mutex;
    r.user = m;
    r.answer = FALSE;
    start_worker(e, &r, &s);
    e->checks_off[HH_RULE_HELD_AT_RETURN] = (unsigned char)off;
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, off ? HH_RULE_HELD_MUTEX : HH_RULE_HELD_AT_RETURN);
    if (!off)
        CHECK_CONTAINS(e->failure.message, "returned holding a KMUTEX");
    CHECK_EQ(e->state, HH_WORKER_FAILED);
    CHECK_EQ(m->Header.Abandoned, 0);
    et_done(e);
    }
}

/* ---- Determinism ------------------------------------------------------------------------ */

struct trace_entry {
    unsigned long index;
    hh_time time;
    NTSTATUS status;
    unsigned raw;
    int decision;
};

struct trace {
    unsigned n;
    struct trace_entry entry[ET_MAX_CALLS];
    LONG states[4];
    hh_time now;
    int failed;
};

/* Ends the thread when the abandoned mutant is handed over. */
static void sequence_body(struct et_routine *r, NTSTATUS status)
{
    if (status == STATUS_ABANDONED_WAIT_0 + 2)
        r->answer = FALSE;
}

/* Events, a periodic timer, timeouts, an alert, a pulse and an abandonment, in one run. */
static void run_sequence(struct trace *out)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKTIMER tick = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_TIMER);
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKTHREAD other = hh_engine_thread(e, "other");
    PVOID objs[3];
    struct et_routine r;
    struct et_start s;
    unsigned i;
    objs[0] = work;
    objs[1] = tick;
    objs[2] = m;
    init(&r, &s, 3, objs);
    r.body = sequence_body;
    s.alertable = TRUE;
    s.has_timeout = TRUE;
    s.timeout = -ET_MS(20);
    CHECK_EQ(hh_acquire(e, other, m), STATUS_SUCCESS);
    start_worker(e, &r, &s);
    hh_timer_set(e, tick, -ET_MS(7), 25, NULL);
    hh_engine_advance_to(e, ET_MS(5));
    hh_event_set(e, work);
    hh_worker_run(e);
    hh_engine_advance_to(e, ET_MS(30));
    hh_alert(e, e->worker, KernelMode);
    hh_worker_run(e);
    hh_event_pulse(e, work);
    hh_worker_run(e);
    hh_engine_advance_to(e, ET_MS(80));
    hh_thread_rundown(e, other);
    hh_worker_run(e);
    memset(out, 0, sizeof(*out));
    out->n = r.reported;
    for (i = 0; i < r.reported && i < ET_MAX_CALLS; i++) {
        out->entry[i].index = r.inv[i].index;
        out->entry[i].time = r.inv[i].time;
        out->entry[i].status = r.inv[i].status;
        out->entry[i].raw = r.inv[i].raw;
        out->entry[i].decision = r.inv[i].decision;
    }
    out->states[0] = work->Header.SignalState;
    out->states[1] = tick->Header.SignalState;
    out->states[2] = m->Header.SignalState;
    out->states[3] = m->Header.Abandoned;
    out->now = e->now;
    out->failed = e->failed;
    et_done(e);
}

/* SPEC §1: the same calls give the same invocations, times, statuses and states (determinism). */
static void rule_same_sequence_same_trace(void)
{
    static struct trace first, second;
    unsigned i;
    run_sequence(&first);
    run_sequence(&second);
    CHECK_EQ(first.failed, 0);
    CHECK(first.n > 8);
    CHECK_EQ(first.n, second.n);
    for (i = 0; i < first.n && i < ET_MAX_CALLS; i++) {
        CHECK_EQ(first.entry[i].index, second.entry[i].index);
        CHECK_EQ(first.entry[i].time, second.entry[i].time);
        CHECK_EQ(first.entry[i].status, second.entry[i].status);
        CHECK_EQ(first.entry[i].raw, second.entry[i].raw);
        CHECK_EQ(first.entry[i].decision, second.entry[i].decision);
    }
    for (i = 0; i < 4; i++)
        CHECK_EQ(first.states[i], second.states[i]);
    CHECK_EQ(first.states[3], 1);
    CHECK_EQ(first.now, second.now);
    /* And it is the kernel's sequence: work at 5 ms, the tick at 7, the 20 ms timeout from 7,
     * the alert and the pulse at 30, ticks every 25 ms with timeouts 20 ms after each, then
     * the abandoned mutant, which the worker abandons again when it ends. */
    CHECK_EQ(first.n, 10);
    for (i = 0; i < 10; i++) {
        static const NTSTATUS status[10] = {
            STATUS_WAIT_0, STATUS_WAIT_1, STATUS_TIMEOUT, STATUS_ALERTED, STATUS_WAIT_0,
            STATUS_WAIT_1, STATUS_TIMEOUT, STATUS_WAIT_1, STATUS_TIMEOUT,
            STATUS_ABANDONED_WAIT_0 + 2,
        };
        static const int ms[10] = {5, 7, 27, 30, 30, 32, 52, 57, 77, 80};
        CHECK_EQ(first.entry[i].status, status[i]);
        CHECK_EQ(first.entry[i].time, ET_MS(ms[i]));
    }
    CHECK_EQ(first.entry[first.n - 1].decision, HH_DECISION_TERMINATE);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"decision1_continue_waits_again", decision1_continue_waits_again},
        {"decision1_terminate_ends_thread", decision1_terminate_ends_thread},
        {"decision1_true_means_terminate", decision1_true_means_terminate},
        {"rule_call_after_terminate", rule_call_after_terminate},
        {"rule_routine_gets_context_and_wait_status", rule_routine_gets_context_and_wait_status},
        {"rule_worker_woken_at_signal_time", rule_worker_woken_at_signal_time},
        {"decision2_start_context_is_copied", decision2_start_context_is_copied},
        {"decision2_has_timeout_false_is_infinite", decision2_has_timeout_false_is_infinite},
        {"rule_worker_gets_abandoned_status", rule_worker_gets_abandoned_status},
        {"rule_worker_alertable_start_context", rule_worker_alertable_start_context},
        {"rule_livelock_poll_answered_continue", rule_livelock_poll_answered_continue},
        {"rule_livelock_passed_absolute_timeout", rule_livelock_passed_absolute_timeout},
        {"rule_livelock_names_the_event_that_stays_signaled",
         rule_livelock_names_the_event_that_stays_signaled},
        {"rule_livelock_names_the_mutex_the_worker_owns",
         rule_livelock_names_the_mutex_the_worker_owns},
        {"rule_no_livelock_when_poll_loop_ends", rule_no_livelock_when_poll_loop_ends},
        {"rule_no_livelock_when_time_moves_in_routine",
         rule_no_livelock_when_time_moves_in_routine},
        {"rule_livelock_poll_loop_in_routine", rule_livelock_poll_loop_in_routine},
        {"rule_routine_wait_moves_clock_to_timer", rule_routine_wait_moves_clock_to_timer},
        {"rule_deadlock_routine_waits_forever", rule_deadlock_routine_waits_forever},
        {"decision3_worker_mutants_abandoned_at_end", decision3_worker_mutants_abandoned_at_end},
        {"decision3_worker_ending_with_kmutex", decision3_worker_ending_with_kmutex},
        {"rule_same_sequence_same_trace", rule_same_sequence_same_trace},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
