/* test_thread.c - thread objects, system threads on the baton scheduler, kernel handles and
 * object references (docs/semantics.md, "System threads" and "Handles"; WAIT-SEMANTICS §2:
 * a thread object is signaled when the thread terminates).
 */
#include "engine_test.h"

#include <string.h>

/* ---- Thread objects ---------------------------------------------------------------------- */

static void rule_thread_is_a_dispatcher_object(void)
{
    struct hh_engine *e = et_engine();
    char what[160];
    CHECK_EQ(e->worker->Header.HhKind, HH_OBJECT_THREAD);
    CHECK_EQ(e->worker->Header.Type, 6); /* the kernel's ThreadObject */
    CHECK_EQ(e->worker->Header.SignalState, 0);
    CHECK_EQ(hh_engine_thread(e, "dispatch")->Header.HhKind, HH_OBJECT_THREAD);
    CHECK_STR(hh_engine_describe_object(e, e->worker, what, sizeof(what)),
              "the thread 'worker'");
    et_done(e);
}

/* A started worker waiting on `object` alone, answering `answer`. */
static void start_worker_on(struct hh_engine *e, struct et_routine *r, PVOID object,
                            BOOLEAN answer)
{
    struct et_start s;
    memset(r, 0, sizeof(*r));
    memset(&s, 0, sizeof(s));
    s.type = WaitAny;
    s.count = 1;
    s.objects[0] = object;
    r->answer = answer;
    et_configure(e, r, &s);
    hh_worker_start(e);
}

/* The worker's thread object is signaled when the routine chooses terminate, and not before. */
static void rule_worker_thread_signaled_at_terminate(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    start_worker_on(e, &r, work, TRUE);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(e->worker->Header.SignalState, 0);
    r.answer = FALSE;
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_EQ(e->state, HH_WORKER_TERMINATED);
    CHECK_EQ(e->worker->Header.SignalState, 1);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Driver code on the scenario's thread sets the worker's stop event, then waits on the
 * worker's thread: the worker runs inside that wait and its end completes it. */
struct stop_call {
    PKEVENT stop;
    NTSTATUS status;
};

static void stop_and_wait_for_worker(void *arg)
{
    struct stop_call *c = arg;
    struct hh_engine *e = hh_engine_current();
    KeSetEvent(c->stop, 0, FALSE);
    c->status = KeWaitForSingleObject(e->worker, Executive, KernelMode, FALSE, NULL);
}

static void rule_wait_on_worker_thread_runs_the_worker(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT stop = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    struct et_routine r;
    struct stop_call c;
    start_worker_on(e, &r, stop, FALSE);
    c.stop = stop;
    c.status = -1;
    CHECK_EQ(et_as(e, hh_engine_thread(e, "dispatch"), stop_and_wait_for_worker, &c), 0);
    CHECK_EQ(c.status, STATUS_WAIT_0);
    CHECK_EQ(r.calls, 1);
    CHECK_EQ(e->state, HH_WORKER_TERMINATED);
    CHECK(e->current == e->driver);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* ---- System threads ------------------------------------------------------------------------ */

struct sys {
    PKEVENT event;    /* what the thread waits on, or sets */
    PKEVENT other;
    int runs;
    int after_wait;
    int after_terminate;
    PKTHREAD self;
    KIRQL irql;
    NTSTATUS wait_status;
    char trace[32];
    int ntrace;
};

static void setter(PVOID arg)
{
    struct sys *x = arg;
    x->runs++;
    x->self = KeGetCurrentThread();
    x->irql = KeGetCurrentIrql();
    KeSetEvent(x->event, 0, FALSE);
}

static void waiter(PVOID arg)
{
    struct sys *x = arg;
    x->runs++;
    x->wait_status = KeWaitForSingleObject(x->event, Executive, KernelMode, FALSE, NULL);
    x->after_wait++;
}

static void terminator(PVOID arg)
{
    struct sys *x = arg;
    x->runs++;
    PsTerminateSystemThread(STATUS_SUCCESS);
    x->after_terminate++;
}

static PKTHREAD create(struct hh_engine *e, void (*fn)(PVOID), struct sys *x)
{
    PKTHREAD t = NULL;
    CHECK_EQ(hh_thread_create(e, fn, x, NULL, &t), STATUS_SUCCESS);
    CHECK(t != NULL);
    return t;
}

/* A system thread running fn on x, whose event is a new notification event. */
static PKTHREAD create_on_event(struct hh_engine *e, void (*fn)(PVOID), struct sys *x)
{
    memset(x, 0, sizeof(*x));
    x->event = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    return create(e, fn, x);
}

/* Ready at creation, it first runs at the next scheduling point, runs to its end there, and its
 * thread object is signaled then. */
static void rule_system_thread_runs_at_next_scheduling_point(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    PKTHREAD t;
    memset(&x, 0, sizeof(x));
    x.event = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    CHECK(e->sched == NULL); /* nothing exists before the first thread */
    t = create(e, setter, &x);
    CHECK_EQ(x.runs, 0);
    CHECK_EQ(t->Header.SignalState, 0);
    CHECK_STR(t->name, "system thread 1");
    hh_worker_run(e);
    CHECK_EQ(x.runs, 1);
    CHECK(x.self == t);
    CHECK_EQ(x.irql, PASSIVE_LEVEL);
    CHECK_EQ(KeReadStateEvent(x.event), 1);
    CHECK_EQ(t->Header.SignalState, 1);
    CHECK(e->current == e->driver);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* A thread blocked in a wait gives the baton back; a later signal readies it and the next
 * scheduling point runs it from where it blocked. */
static void rule_blocked_thread_runs_after_signal(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    PKTHREAD t;
    memset(&x, 0, sizeof(x));
    x.event = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    t = create(e, waiter, &x);
    hh_worker_run(e);
    CHECK_EQ(x.runs, 1);
    CHECK_EQ(x.after_wait, 0);
    CHECK(t->blocked);
    hh_engine_advance_to(e, ET_MS(50)); /* nothing wakes it */
    CHECK_EQ(x.after_wait, 0);
    hh_event_set(e, x.event);
    CHECK_EQ(x.after_wait, 0); /* ready, not running: the signaller goes on */
    hh_worker_run(e);
    CHECK_EQ(x.after_wait, 1);
    CHECK_EQ(x.wait_status, STATUS_WAIT_0);
    CHECK_EQ(KeReadStateEvent(x.event), 0); /* the waiter took the synchronization event */
    CHECK_EQ(t->Header.SignalState, 1);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* A system thread's own timeout completes at its due time when the clock gets there. */
static void delayer(PVOID arg)
{
    struct sys *x = arg;
    LARGE_INTEGER interval;
    interval.QuadPart = -(LONGLONG)ET_MS(20);
    x->runs++;
    x->wait_status = KeDelayExecutionThread(KernelMode, FALSE, &interval);
    x->after_wait = (int)(KeQueryInterruptTime() / HH_TICKS_PER_MS);
}

static void rule_system_thread_delay_on_virtual_clock(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    memset(&x, 0, sizeof(x));
    create(e, delayer, &x);
    hh_worker_run(e);
    CHECK_EQ(x.runs, 1);
    CHECK_EQ(x.after_wait, 0);
    hh_engine_advance_to(e, ET_MS(100));
    CHECK_EQ(x.after_wait, 20);
    CHECK_EQ(x.wait_status, STATUS_SUCCESS);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

static void rule_terminate_ends_thread_where_called(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    PKTHREAD t;
    memset(&x, 0, sizeof(x));
    t = create(e, terminator, &x);
    hh_worker_run(e);
    CHECK_EQ(x.runs, 1);
    CHECK_EQ(x.after_terminate, 0);
    CHECK_EQ(t->Header.SignalState, 1);
    /* Not on a system thread: the call returns. */
    CHECK_EQ(PsTerminateSystemThread(STATUS_SUCCESS), STATUS_INVALID_PARAMETER);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Driver code on the scenario's thread that waits on a system thread's object lets it run. */
struct join {
    PKTHREAD t;
    NTSTATUS status;
};

static void join_thread(void *arg)
{
    struct join *j = arg;
    j->status = KeWaitForSingleObject(j->t, Executive, KernelMode, FALSE, NULL);
}

static void rule_wait_on_thread_object_runs_ready_threads(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    struct join j;
    j.t = create_on_event(e, setter, &x);
    j.status = -1;
    CHECK_EQ(et_as(e, e->driver, join_thread, &j), 0);
    CHECK_EQ(j.status, STATUS_WAIT_0);
    CHECK_EQ(x.runs, 1);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* Waiting on a thread that is itself blocked on what nothing sets: no thread is ready and no
 * timer is left, a deadlock named with the waiting thread and the thread it waits on. */
static void rule_deadlock_on_blocked_thread(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    struct join j;
    j.t = create_on_event(e, waiter, &x);
    CHECK_EQ(et_as(e, hh_engine_thread(e, "dispatch"), join_thread, &j), -1);
    CHECK_RULE(e, HH_RULE_DEADLOCK);
    CHECK_CONTAINS(e->failure.message, "code running as the thread 'dispatch' waits forever "
                                       "(WaitAny, no timeout) on the thread 'system thread 1' "
                                       "[not signaled], no thread is ready");
    CHECK_EQ(x.runs, 1);
    et_done(e);
}

/* A mutant a system thread owns when it ends is abandoned before its thread object is
 * signaled. */
static void mutant_owner(PVOID arg)
{
    struct sys *x = arg;
    x->wait_status = KeWaitForSingleObject(x->event, Executive, KernelMode, FALSE, NULL);
}

static void decision3_system_thread_mutant_abandoned(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    PKTHREAD t;
    memset(&x, 0, sizeof(x));
    x.event = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    t = create(e, mutant_owner, &x);
    hh_worker_run(e);
    CHECK_EQ(x.wait_status, STATUS_WAIT_0);
    CHECK_EQ(t->Header.SignalState, 1);
    CHECK_EQ(x.event->Header.SignalState, 1);
    CHECK_EQ(x.event->Header.Abandoned, 1);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* A system thread that ends holding a KMUTEX: thread exit bug-checks before the rundown. */
static void decision3_system_thread_ending_with_kmutex(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    memset(&x, 0, sizeof(x));
    x.event = hh_engine_new_object(e, HH_OBJECT_MUTEX);
    create(e, mutant_owner, &x);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_HELD_MUTEX);
    CHECK_CONTAINS(e->failure.message, "thread 'system thread 1' ended holding");
    et_done(e);
}

/* Threads that keep waking each other without the clock moving are a livelock. */
static void ping_forever(PVOID arg)
{
    struct sys *x = arg;
    for (;;) {
        KeSetEvent(x->other, 0, FALSE);
        KeWaitForSingleObject(x->event, Executive, KernelMode, FALSE, NULL);
    }
}

static void rule_livelock_threads_waking_each_other(void)
{
    struct hh_engine *e = et_engine();
    struct sys a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    a.event = b.other = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    b.event = a.other = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    e->livelock_limit = 100;
    create(e, ping_forever, &a);
    create(e, ping_forever, &b);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_LIVELOCK);
    CHECK_CONTAINS(e->failure.message, "made 101 waits without the clock moving: system "
                                       "threads that keep waking each other");
    et_done(e); /* both threads are torn down blocked, without running on */
}

/* A bug check inside a system thread ends the run, naming the thread. */
static void bugchecker(PVOID arg)
{
    (void)arg;
    KeBugCheckEx(0xE2, 0, 0, 0, 0);
}

static void rule_failure_in_system_thread_names_it(void)
{
    struct hh_engine *e = et_engine();
    create(e, bugchecker, NULL);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_BUGCHECK);
    CHECK_CONTAINS(e->failure.message, "(on system thread 1)");
    et_done(e);
}

/* A thread still blocked at the end is a finding, and the engine's end tears it down. */
static void rule_thread_still_running_at_end(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    memset(&x, 0, sizeof(x));
    x.event = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    hh_engine_name_object(e, x.event, "never");
    create(e, waiter, &x);
    hh_worker_run(e);
    hh_engine_check_handles(e);
    CHECK_RULE(e, HH_RULE_HANDLE_LEAK);
    CHECK_CONTAINS(e->failure.message, "system thread 1 (start routine");
    CHECK_CONTAINS(e->failure.message, "is still running at the end of the scenario in "
                                       "KeWaitForSingleObject");
    CHECK_CONTAINS(e->failure.message, "on 'never' (notification event)");
    et_done(e);
    CHECK_EQ(x.after_wait, 0); /* torn down without running on */
}

/* A thread created and never scheduled is torn down at the end without running. */
static void rule_unscheduled_thread_torn_down(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    memset(&x, 0, sizeof(x));
    create(e, setter, &x);
    et_done(e);
    CHECK_EQ(x.runs, 0);
}

/* The real clock refuses system threads, and says so in the run's log. */
static void rule_real_clock_refuses_system_threads(void)
{
    struct hh_engine *e = et_engine();
    HANDLE h = (HANDLE)(ULONG_PTR)1;
    CHECK_EQ(hh_engine_realtime_begin(e, HH_TICKS_PER_MS), 0);
    CHECK_EQ(PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, setter, NULL),
             STATUS_NOT_SUPPORTED);
    CHECK(h == NULL);
    CHECK(e->sched == NULL);
    CHECK(e->log != NULL);
    CHECK_CONTAINS(e->log, "system threads run under the virtual clock only");
    hh_engine_realtime_end(e);
    et_done(e);
}

/* ---- Handles and references ----------------------------------------------------------------- */

static void rule_handles_are_kernel_handles(void)
{
    struct hh_engine *e = et_engine();
    HANDLE a = hh_handle_open(e, e->worker, NULL);
    HANDLE b = hh_handle_open(e, e->worker, NULL);
    CHECK(a != NULL);
    CHECK(a != b);
    CHECK_EQ((ULONG_PTR)a % 4, 0);
    CHECK(((ULONG_PTR)a & 0x80000000u) != 0);
    CHECK(hh_handle_object(e, a) == (PVOID)e->worker);
    CHECK_EQ(hh_handle_close(e, a, NULL), STATUS_SUCCESS);
    CHECK(hh_handle_object(e, a) == NULL);
    CHECK_EQ(hh_handle_close(e, (HANDLE)(ULONG_PTR)0x1234, NULL), STATUS_INVALID_HANDLE);
    CHECK_EQ(hh_handle_close(e, NULL, NULL), STATUS_INVALID_HANDLE);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(hh_handle_close(e, b, NULL), STATUS_SUCCESS);
    hh_engine_check_handles(e);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

static void rule_handle_closed_twice_bugchecks(void)
{
    struct hh_engine *e = et_engine();
    HANDLE h = hh_handle_open(e, e->worker, NULL);
    CHECK_EQ(hh_handle_close(e, h, NULL), STATUS_SUCCESS);
    CHECK_EQ(hh_handle_close(e, h, NULL), STATUS_INVALID_HANDLE);
    CHECK_RULE(e, HH_RULE_BUGCHECK);
    CHECK_CONTAINS(e->failure.message, "INVALID_KERNEL_HANDLE (0x93)");
    CHECK_CONTAINS(e->failure.message, "to the thread 'worker'");
    et_done(e);
}

static void rule_handle_left_open_is_a_leak(void)
{
    struct hh_engine *e = et_engine();
    hh_handle_open(e, e->worker, NULL);
    hh_engine_check_handles(e);
    CHECK_RULE(e, HH_RULE_HANDLE_LEAK);
    CHECK_CONTAINS(e->failure.message, "1 handle still open at the end of the scenario: handle "
                                       "0x");
    CHECK_CONTAINS(e->failure.message, "to the thread 'worker', opened at an unknown place");
    et_done(e);
}

static void rule_handle_leak_switchable(void)
{
    struct hh_engine *e = et_engine();
    e->checks_off[HH_RULE_HANDLE_LEAK] = 1;
    hh_handle_open(e, e->worker, NULL);
    hh_object_reference(e, e->worker, NULL);
    hh_engine_check_handles(e);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

static void rule_references_balance(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT ev = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    CHECK(hh_object_known(e, e->worker));
    CHECK(!hh_object_known(e, ev));
    hh_handle_open(e, ev, NULL);
    CHECK(hh_object_known(e, ev));
    CHECK_EQ(hh_object_reference(e, e->worker, NULL), 1);
    CHECK_EQ(hh_object_reference(e, e->worker, NULL), 2);
    CHECK_EQ(hh_object_dereference(e, e->worker, NULL), 1);
    hh_engine_check_handles(e);
    CHECK_RULE(e, HH_RULE_HANDLE_LEAK); /* the handle comes first */
    CHECK_CONTAINS(e->failure.message, "1 handle still open");
    et_done(e);

    e = et_engine();
    hh_object_reference(e, e->worker, NULL);
    hh_engine_check_handles(e);
    CHECK_RULE(e, HH_RULE_HANDLE_LEAK);
    CHECK_CONTAINS(e->failure.message, "1 object reference still held at the end of the "
                                       "scenario: a reference to the thread 'worker'");
    et_done(e);
}

static void rule_dereference_never_taken_bugchecks(void)
{
    struct hh_engine *e = et_engine();
    CHECK_EQ(hh_object_dereference(e, e->worker, NULL), 0);
    CHECK_RULE(e, HH_RULE_BUGCHECK);
    CHECK_CONTAINS(e->failure.message, "REFERENCE_BY_POINTER (0x18)");
    et_done(e);
}

/* Through the DDIs: a system thread's handle, referenced, closed, waited on, dereferenced. */
static void ddi_create_reference_wait_close(void *arg)
{
    struct sys *x = arg;
    HANDLE h = NULL;
    PVOID thread = NULL, other = NULL;
    CLIENT_ID id;
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    CHECK_EQ(PsCreateSystemThread(&h, THREAD_ALL_ACCESS, &oa, NULL, &id, setter, x),
             STATUS_SUCCESS);
    CHECK(h != NULL);
    CHECK_EQ((ULONG_PTR)id.UniqueProcess, 4);
    CHECK_EQ(ObReferenceObjectByHandle(h, SYNCHRONIZE, *ExEventObjectType, KernelMode, &other,
                                       NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK(other == NULL);
    CHECK_EQ(ObReferenceObjectByHandle(h, SYNCHRONIZE, *PsThreadType, UserMode, &other, NULL),
             STATUS_INVALID_HANDLE);
    CHECK_EQ(ObReferenceObjectByHandle(h, SYNCHRONIZE, *PsThreadType, KernelMode, &thread,
                                       NULL), STATUS_SUCCESS);
    CHECK_EQ(ZwClose(h), STATUS_SUCCESS);
    CHECK_EQ(ObReferenceObjectByHandle(h, SYNCHRONIZE, NULL, KernelMode, &other, NULL),
             STATUS_INVALID_HANDLE);
    CHECK_EQ(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL), STATUS_WAIT_0);
    CHECK_EQ((ULONG_PTR)id.UniqueThread, ((PKTHREAD)thread)->id * 4u);
    ObDereferenceObject(thread);
}

static void ddi_system_thread_round_trip(void)
{
    struct hh_engine *e = et_engine();
    struct sys x;
    memset(&x, 0, sizeof(x));
    x.event = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    CHECK_EQ(et_as(e, e->driver, ddi_create_reference_wait_close, &x), 0);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(x.runs, 1);
    hh_engine_check_handles(e);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

static void reference_own_event(void *arg)
{
    ObReferenceObject((PKEVENT)arg);
}

static void ddi_reference_of_driver_memory_bugchecks(void)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    CHECK_EQ(et_as(e, e->driver, reference_own_event, &ev), -1);
    CHECK_RULE(e, HH_RULE_BUGCHECK);
    CHECK_CONTAINS(e->failure.message, "not an object of the object manager");
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"rule_thread_is_a_dispatcher_object", rule_thread_is_a_dispatcher_object},
        {"rule_worker_thread_signaled_at_terminate", rule_worker_thread_signaled_at_terminate},
        {"rule_wait_on_worker_thread_runs_the_worker",
         rule_wait_on_worker_thread_runs_the_worker},
        {"rule_system_thread_runs_at_next_scheduling_point",
         rule_system_thread_runs_at_next_scheduling_point},
        {"rule_blocked_thread_runs_after_signal", rule_blocked_thread_runs_after_signal},
        {"rule_system_thread_delay_on_virtual_clock", rule_system_thread_delay_on_virtual_clock},
        {"rule_terminate_ends_thread_where_called", rule_terminate_ends_thread_where_called},
        {"rule_wait_on_thread_object_runs_ready_threads",
         rule_wait_on_thread_object_runs_ready_threads},
        {"rule_deadlock_on_blocked_thread", rule_deadlock_on_blocked_thread},
        {"decision3_system_thread_mutant_abandoned", decision3_system_thread_mutant_abandoned},
        {"decision3_system_thread_ending_with_kmutex", decision3_system_thread_ending_with_kmutex},
        {"rule_livelock_threads_waking_each_other", rule_livelock_threads_waking_each_other},
        {"rule_failure_in_system_thread_names_it", rule_failure_in_system_thread_names_it},
        {"rule_thread_still_running_at_end", rule_thread_still_running_at_end},
        {"rule_unscheduled_thread_torn_down", rule_unscheduled_thread_torn_down},
        {"rule_real_clock_refuses_system_threads", rule_real_clock_refuses_system_threads},
        {"rule_handles_are_kernel_handles", rule_handles_are_kernel_handles},
        {"rule_handle_closed_twice_bugchecks", rule_handle_closed_twice_bugchecks},
        {"rule_handle_left_open_is_a_leak", rule_handle_left_open_is_a_leak},
        {"rule_handle_leak_switchable", rule_handle_leak_switchable},
        {"rule_references_balance", rule_references_balance},
        {"rule_dereference_never_taken_bugchecks", rule_dereference_never_taken_bugchecks},
        {"ddi_system_thread_round_trip", ddi_system_thread_round_trip},
        {"ddi_reference_of_driver_memory_bugchecks", ddi_reference_of_driver_memory_bugchecks},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
