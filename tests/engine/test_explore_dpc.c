/* test_explore_dpc.c - DPCs and work items under the controlled scheduler (explore_sched.c):
 * a concurrent advance moves the clock on a thread of its own, and each DPC an explored
 * thread queues (a timer's among them) is a thread of the DPC processor, which the strategy
 * may run at any scheduling point of the others; one DPC runs there at a time, in the queue's
 * order, and a spin lock the routine holds keeps a DPC that wants it out. A work item is a
 * thread of the system worker the same way, at PASSIVE_LEVEL (docs/explore.md).
 */
#include "engine_test.h"
#include "explore_test.h"

#include <stdlib.h>
#include <string.h>

#include "explore/schedule.h"
#include "explore/strategy.h"

#define MS HH_TICKS_PER_MS

static PKEVENT bell;
static KTIMER timer;
static KDPC ring_dpc;
static LONG handled, rings, armed;
static KIRQL dpc_irql;

static int choose(void *user, const struct hh_ex_point *pt)
{
    return hh_ex_choose(user, pt);
}

static VOID ring(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    (void)dpc;
    (void)context;
    (void)arg1;
    (void)arg2;
    dpc_irql = KeGetCurrentIrql();
    rings++;
    KeSetEvent(bell, 0, FALSE);
}

/* The doorbell routine that clears late: the first ring arms the device's ring 5ms ahead,
 * the work stalls twice, and the clear at the end wipes a ring that came meanwhile. */
static void handle(struct et_routine *r, NTSTATUS status)
{
    (void)r;
    (void)status;
    handled++;
    if (!armed) {
        LARGE_INTEGER due;
        armed = 1;
        due.QuadPart = -5 * 10000;
        KeSetTimer(&timer, due, &ring_dpc);
    }
    KeStallExecutionProcessor(10);
    KeStallExecutionProcessor(10);
    KeClearEvent(bell);
}

/* The worker's routine and start context: they live until the run's engine goes. */
static struct et_routine routine;
static struct et_start start;

/* Under the strategy: the worker with `body` started, and rung once by the driver. */
static void ring_worker(struct hh_engine *e, struct hh_ex_strategy *s,
                        struct hh_explore_log *log, void (*body)(struct et_routine *, NTSTATUS))
{
    et_explore_worker(e, choose, s, log, NULL, &routine, &start, bell, body);
    KeSetEvent(bell, 0, FALSE);
}

/* ring_worker, then a producer thread beside it, until everything settled. */
static void ring_with_producer(struct hh_engine *e, struct hh_ex_strategy *s,
                               struct hh_explore_log *log,
                               void (*body)(struct et_routine *, NTSTATUS),
                               void (*producer)(void *))
{
    ring_worker(e, s, log, body);
    CHECK_EQ(hh_explore_spawn(e, hh_engine_thread(e, "producer"), producer, NULL), 0);
    hh_explore_settle(e);
    CHECK_NO_FAILURE(e);
}

/* One run: the driver rings, a clock thread moves 5ms while the worker handles it, then
 * the driver moves on 20ms; 1 when a ring was lost (handled once for two rings). */
static int doorbell_run(struct hh_ex_strategy *s, struct hh_explore_log *log)
{
    struct hh_engine *e = et_engine();
    int lost;
    handled = rings = armed = 0;
    dpc_irql = PASSIVE_LEVEL;
    bell = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    KeInitializeTimer(&timer);
    KeInitializeDpc(&ring_dpc, ring, NULL);
    ring_worker(e, s, log, handle);
    CHECK_EQ(hh_explore_spawn_clock(e, hh_engine_thread(e, "clock"), e->now + 5 * MS), 0);
    hh_explore_settle(e);
    hh_engine_advance_to(e, e->now + 20 * MS);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(rings, 1);
    CHECK_EQ(dpc_irql, DISPATCH_LEVEL);
    CHECK_EQ(e->now, 25 * MS);
    lost = handled == 1;
    KeCancelTimer(&timer);
    et_done(e);
    return lost;
}


/* Without a preemption the ring comes once the routine returned; with one, the timer's DPC
 * rings between the work and the late clear, and the schedule names its thread. Replayed,
 * the schedule loses the ring again. */
static void timer_dpc_rings_during_the_routine(void)
{
    unsigned long lost;
    char *first, err[200], msg[300];
    struct hh_ex_schedule *sc;
    struct hh_ex_strategy *replay;
    struct hh_explore_log log;
    CHECK(hh_test_dfs_search(0, doorbell_run, &lost, &first) >= 1);
    CHECK_EQ(lost, 0);
    CHECK(hh_test_dfs_search(1, doorbell_run, &lost, &first) > 1);
    CHECK(lost > 0);
    CHECK(first != NULL);
    CHECK(strstr(first, "clock, dpc:clock") != NULL);
    CHECK_EQ(hh_ex_schedule_parse(first, strlen(first), &sc, err, sizeof(err)), 0);
    replay = hh_ex_replay_new(sc);
    CHECK(hh_ex_begin_run(replay));
    CHECK_EQ(doorbell_run(replay, &log), 1);
    hh_ex_end_run(replay, 1);
    CHECK(!hh_ex_divergence(replay, msg, sizeof(msg)));
    CHECK_STR(log.names[2], "clock");
    CHECK_STR(log.names[3], "dpc:clock");
    free(log.events);
    hh_ex_free(replay);
    hh_ex_schedule_free(sc);
    free(first);
}

/* ---- The spin lock keeps the DPC out ---------------------------------------------------- */

static KSPIN_LOCK lock;
static LONG inside, seen_inside, dpc_ran;

static void locked_work(struct et_routine *r, NTSTATUS status)
{
    KIRQL irql;
    (void)r;
    (void)status;
    KeAcquireSpinLock(&lock, &irql);
    inside = 1;
    KeStallExecutionProcessor(1); /* scheduling points while it holds the lock */
    KeStallExecutionProcessor(1);
    inside = 0;
    KeReleaseSpinLock(&lock, irql);
    KeClearEvent(bell);
}

static VOID locked_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    (void)dpc;
    (void)context;
    (void)arg1;
    (void)arg2;
    KeAcquireSpinLockAtDpcLevel(&lock);
    seen_inside |= inside;
    dpc_ran++;
    KeReleaseSpinLockFromDpcLevel(&lock);
}

static void queue_locked_dpc(void *arg)
{
    (void)arg;
    KeInsertQueueDpc(&ring_dpc, NULL, NULL);
}

/* A producer queues a DPC that takes the routine's lock: in no schedule does the DPC run
 * inside the routine's critical section, and in some it spins on the lock meanwhile. */
static void spin_lock_keeps_the_dpc_out(void)
{
    struct hh_ex_strategy *s = hh_ex_dfs_new(HH_EX_UNBOUNDED, 1);
    unsigned long runs = 0, spun = 0;
    seen_inside = 0;
    while (hh_ex_begin_run(s)) {
        struct hh_engine *e = et_engine();
        struct hh_explore_log log;
        size_t i;
        KeInitializeSpinLock(&lock);
        inside = dpc_ran = 0;
        bell = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
        KeInitializeDpc(&ring_dpc, locked_dpc, NULL);
        ring_with_producer(e, s, &log, locked_work, queue_locked_dpc);
        CHECK_EQ(dpc_ran, 1);
        for (i = 0; i < log.n; i++)
            spun += strcmp(log.names[log.events[i].thread], "dpc:producer") == 0 &&
                    strcmp(log.events[i].ddi, "takes the spin lock") == 0;
        hh_ex_end_run(s, 0);
        et_done(e);
        free(log.events);
        runs++;
    }
    CHECK(runs > 2);
    CHECK_EQ(seen_inside, 0);
    CHECK(spun > 0);
    hh_ex_free(s);
}

/* ---- The DPC processor's queue ------------------------------------------------------------ */

static KDPC dpcs[3];
static char order[8];
static LONG running, overlapped, removed;

static VOID note_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    size_t n = strlen(order);
    (void)dpc;
    (void)arg1;
    (void)arg2;
    overlapped |= running;
    running = 1;
    order[n] = *(const char *)context;
    KeStallExecutionProcessor(1); /* a point inside the DPC: another could start here */
    running = 0;
}

static void queue_three(void *arg)
{
    KIRQL irql;
    (void)arg;
    KeRaiseIrql(DISPATCH_LEVEL, &irql);
    KeInsertQueueDpc(&dpcs[0], NULL, NULL);
    KeInsertQueueDpc(&dpcs[1], NULL, NULL); /* high importance: ahead of the first */
    KeInsertQueueDpc(&dpcs[2], NULL, NULL);
    removed = KeRemoveQueueDpc(&dpcs[2]);
    KeLowerIrql(irql);
}

static void idle(struct et_routine *r, NTSTATUS status)
{
    (void)r;
    (void)status;
    KeStallExecutionProcessor(1);
    KeClearEvent(bell);
}

/* Three DPCs queued by a producer, one at a time: they never overlap, the high-importance
 * one goes ahead of the first when both wait, and the third runs unless it was removed
 * before its turn. */
static void dpcs_run_one_at_a_time_in_queue_order(void)
{
    struct hh_ex_strategy *s = hh_ex_dfs_new(HH_EX_DEFAULT_BOUND, 1);
    unsigned long runs = 0, in_time = 0, high_first = 0;
    while (hh_ex_begin_run(s)) {
        struct hh_engine *e = et_engine();
        struct hh_explore_log log;
        memset(order, 0, sizeof(order));
        running = overlapped = removed = 0;
        bell = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
        KeInitializeDpc(&dpcs[0], note_dpc, "a");
        KeInitializeDpc(&dpcs[1], note_dpc, "b");
        KeInitializeDpc(&dpcs[2], note_dpc, "c");
        KeSetImportanceDpc(&dpcs[1], HighImportance);
        ring_with_producer(e, s, &log, idle, queue_three);
        /* The DPC processor is not the producer's: the first may run before the second is
         * queued, and the third before its removal. */
        CHECK(strncmp(order, "ba", 2) == 0 || strncmp(order, "ab", 2) == 0);
        CHECK_STR(order + 2, removed ? "" : "c");
        high_first += order[0] == 'b';
        CHECK_EQ(overlapped, 0);
        in_time += removed;
        CHECK_STR(log.names[3], "dpc:producer");
        CHECK_STR(log.names[4], "dpc:producer.2");
        hh_ex_end_run(s, 0);
        et_done(e);
        free(log.events);
        runs++;
    }
    CHECK(runs > 2);
    CHECK(in_time > 0 && in_time < runs);
    CHECK(high_first > 0 && high_first < runs);
    hh_ex_free(s);
}

/* ---- Work items on the system worker ----------------------------------------------------- */

static DEVICE_OBJECT device;
static PIO_WORKITEM items[2];
static char work_order[4];
static LONG work_running, work_overlapped, work_irql_bad, work_before_return, producer_done;

static VOID note_work(PDEVICE_OBJECT dev, PVOID context)
{
    size_t n = strlen(work_order);
    (void)dev;
    work_overlapped |= work_running;
    work_running = 1;
    work_irql_bad |= KeGetCurrentIrql() != PASSIVE_LEVEL;
    work_before_return |= !producer_done;
    work_order[n] = *(const char *)context;
    KeStallExecutionProcessor(1); /* a point inside the item: the other waits its turn */
    work_running = 0;
}

static void queue_two_items(void *arg)
{
    (void)arg;
    IoQueueWorkItem(items[0], note_work, DelayedWorkQueue, "a");
    IoQueueWorkItem(items[1], note_work, DelayedWorkQueue, "b");
    KeStallExecutionProcessor(1);
    producer_done = 1;
}

/* Two work items a producer queues: each is a thread of the system worker, at
 * PASSIVE_LEVEL, in the order queued, one at a time; one may run before the producer
 * returns. */
static void work_items_run_in_order_on_the_system_worker(void)
{
    struct hh_ex_strategy *s = hh_ex_dfs_new(HH_EX_DEFAULT_BOUND, 1);
    unsigned long runs = 0, early = 0;
    while (hh_ex_begin_run(s)) {
        struct hh_engine *e = et_engine();
        struct hh_explore_log log;
        memset(work_order, 0, sizeof(work_order));
        work_running = work_overlapped = work_irql_bad = work_before_return = 0;
        producer_done = 0;
        bell = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
        items[0] = IoAllocateWorkItem(&device);
        items[1] = IoAllocateWorkItem(&device);
        ring_with_producer(e, s, &log, idle, queue_two_items);
        CHECK_STR(work_order, "ab");
        CHECK_EQ(work_overlapped, 0);
        CHECK_EQ(work_irql_bad, 0);
        CHECK_STR(log.names[3], "work:producer");
        CHECK_STR(log.names[4], "work:producer.2");
        early += work_before_return;
        IoFreeWorkItem(items[0]);
        IoFreeWorkItem(items[1]);
        hh_ex_end_run(s, 0);
        et_done(e);
        free(log.events);
        runs++;
    }
    CHECK(early > 0 && early < runs);
    hh_ex_free(s);
}

/* ---- A DPC that queues itself for ever ------------------------------------------------------ */

static LONG requeues;

static VOID requeue(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    (void)context;
    (void)arg1;
    (void)arg2;
    requeues++;
    KeInsertQueueDpc(dpc, NULL, NULL);
}

static void queue_requeuing_dpc(void *arg)
{
    (void)arg;
    KeInsertQueueDpc(&ring_dpc, NULL, NULL);
}

/* Each queueing is a thread: past the threads a run may have, the run fails with rule
 * timeline and says why, instead of hanging. */
static void dpc_queuing_itself_ends_the_run(void)
{
    struct hh_engine *e = et_engine();
    struct hh_ex_strategy *s = hh_ex_dfs_new(0, 1);
    struct hh_explore_log log;
    CHECK(hh_ex_begin_run(s));
    requeues = 0;
    bell = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    KeInitializeDpc(&ring_dpc, requeue, NULL);
    ring_worker(e, s, &log, idle);
    CHECK_EQ(hh_explore_spawn(e, hh_engine_thread(e, "producer"), queue_requeuing_dpc, NULL), 0);
    hh_explore_settle(e);
    CHECK_RULE(e, HH_RULE_TIMELINE);
    CHECK(strstr(e->failure.message, "a DPC queued by dpc:producer") != NULL);
    CHECK(strstr(e->failure.message, "64 threads") != NULL);
    CHECK(requeues > 50 && requeues < HH_EX_MAX_THREADS);
    hh_ex_end_run(s, 1);
    et_done(e);
    hh_ex_free(s);
    free(log.events);
}

/* The driver's own code is not interleaved: a DPC it queues runs at once, as in a run that
 * explores nothing, and makes no thread. */
static void driver_dpc_runs_at_once(void)
{
    struct hh_engine *e = et_engine();
    struct hh_ex_strategy *s = hh_ex_dfs_new(HH_EX_DEFAULT_BOUND, 1);
    struct hh_explore_log log;
    CHECK(hh_ex_begin_run(s));
    memset(&log, 0, sizeof(log));
    rings = 0;
    bell = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    KeInitializeDpc(&ring_dpc, ring, NULL);
    CHECK_EQ(hh_explore_begin(e, choose, s, &log, NULL), 0);
    KeInsertQueueDpc(&ring_dpc, NULL, NULL);
    CHECK_EQ(rings, 1);
    CHECK_EQ(log.n_threads, 1);
    hh_ex_end_run(s, 0);
    et_done(e);
    hh_ex_free(s);
    free(log.events);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"timer_dpc_rings_during_the_routine", timer_dpc_rings_during_the_routine},
        {"spin_lock_keeps_the_dpc_out", spin_lock_keeps_the_dpc_out},
        {"dpcs_run_one_at_a_time_in_queue_order", dpcs_run_one_at_a_time_in_queue_order},
        {"work_items_run_in_order_on_the_system_worker",
         work_items_run_in_order_on_the_system_worker},
        {"dpc_queuing_itself_ends_the_run", dpc_queuing_itself_ends_the_run},
        {"driver_dpc_runs_at_once", driver_dpc_runs_at_once},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
