/* test_explore.c - the controlled scheduler (explore_sched.c) under the search strategies:
 * a worker that clears its event outside the lock and a producer thread; the lost wake-up is
 * reached only by a preemption, the same choices give the same run, and a recorded schedule
 * replays it (docs/explore.md).
 */
#include "engine_test.h"
#include "explore_test.h"

#include <stdlib.h>
#include <string.h>

#include "explore/schedule.h"
#include "explore/strategy.h"
#include "platform/plat.h"

/* The driver's state: a count of queued items under a spin lock, a notification event. */
static KSPIN_LOCK lock;
static LONG queued, handled;
static PKEVENT work;

/* The worker drains under the lock, then clears the event outside it (the bug). */
static void drain(struct et_routine *r, NTSTATUS status)
{
    KIRQL irql;
    (void)r;
    (void)status;
    for (;;) {
        KeAcquireSpinLock(&lock, &irql);
        if (queued == 0) {
            KeReleaseSpinLock(&lock, irql);
            break;
        }
        queued--;
        handled++;
        KeReleaseSpinLock(&lock, irql);
    }
    KeClearEvent(work);
}

static void produce(void *arg)
{
    KIRQL irql;
    (void)arg;
    KeAcquireSpinLock(&lock, &irql);
    queued++;
    KeReleaseSpinLock(&lock, irql);
    KeSetEvent(work, 0, FALSE);
}

static struct hh_ex_pool *search_pool; /* the pool search() gives each run */

static int choose(void *user, const struct hh_ex_point *pt)
{
    return hh_ex_choose(user, pt);
}

/* One run: the driver queues an item and sets the event, a producer thread queues another
 * at the same time; 1 when an item is left queued with the event clear (the lost wake-up). */
static int one_run(struct hh_ex_strategy *s, struct hh_explore_log *log,
                   struct hh_ex_pool *pool)
{
    struct hh_engine *e = et_engine();
    struct et_routine r;
    struct et_start st;
    int lost;
    KeInitializeSpinLock(&lock);
    queued = handled = 0;
    work = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    et_explore_worker(e, choose, s, log, pool, &r, &st, work, drain);
    queued = 1;
    KeSetEvent(work, 0, FALSE); /* the driver's own: no scheduling point */
    CHECK_EQ(hh_explore_spawn(e, hh_engine_thread(e, "producer"), produce, NULL), 0);
    hh_explore_settle(e);
    CHECK_NO_FAILURE(e);
    CHECK_EQ(queued + handled, 2);
    lost = queued > 0 && !hh_object_signaled(e, work);
    et_done(e);
    return lost;
}

static int pooled_run(struct hh_ex_strategy *s, struct hh_explore_log *log)
{
    return one_run(s, log, search_pool);
}

/* Runs the whole search; the first failing schedule (malloc'd, or NULL) and the count. */
static unsigned long search(unsigned bound, char **first, unsigned long *failed,
                            struct hh_ex_pool *pool)
{
    search_pool = pool;
    return hh_test_dfs_search(bound, pooled_run, failed, first);
}

static void lost_wakeup_needs_a_preemption(void)
{
    char *first;
    unsigned long failed;
    search(0, &first, &failed, NULL);
    CHECK_EQ(failed, 0);
    CHECK(first == NULL);
    search(1, &first, &failed, NULL);
    CHECK(failed > 0);
    CHECK(first != NULL);
    free(first);
}

/* The same search twice: the same number of runs, the same first finding. */
static void same_choices_same_runs(void)
{
    char *a, *b;
    unsigned long fa, fb, ra = search(2, &a, &fa, NULL), rb = search(2, &b, &fb, NULL);
    CHECK_EQ(ra, rb);
    CHECK_EQ(fa, fb);
    CHECK(a && b);
    CHECK_STR(a, b);
    free(a);
    free(b);
}

/* A recorded schedule replays the failure, point for point, every time. */
static void schedule_replays_the_run(void)
{
    char *first, err[200];
    unsigned long failed;
    struct hh_ex_schedule *sc;
    struct hh_explore_log logs[2];
    int k;
    search(1, &first, &failed, NULL);
    CHECK(first != NULL);
    CHECK_EQ(hh_ex_schedule_parse(first, strlen(first), &sc, err, sizeof(err)), 0);
    for (k = 0; k < 2; k++) {
        struct hh_ex_strategy *s = hh_ex_replay_new(sc);
        char msg[300];
        CHECK(hh_ex_begin_run(s));
        CHECK_EQ(one_run(s, &logs[k], NULL), 1);
        hh_ex_end_run(s, 1);
        CHECK(!hh_ex_divergence(s, msg, sizeof(msg)));
        hh_ex_free(s);
    }
    CHECK_EQ(logs[0].n, logs[1].n);
    CHECK(logs[0].n > 0);
    for (k = 0; (size_t)k < logs[0].n; k++) {
        CHECK_EQ(logs[0].events[k].thread, logs[1].events[k].thread);
        CHECK_STR(logs[0].events[k].ddi, logs[1].events[k].ddi);
    }
    CHECK_STR(logs[0].names[1], "worker");
    CHECK_STR(logs[0].names[2], "producer");
    free(logs[0].events);
    free(logs[1].events);
    hh_ex_schedule_free(sc);
    free(first);
}

static void wait_forever(void *arg)
{
    KeWaitForSingleObject(arg, Executive, KernelMode, FALSE, NULL);
}

/* A concurrent thread that waits on what nobody sets: the driver, with no timer left, reports
 * the deadlock and names the thread; the run ends without hanging. */
static void deadlock_run(struct hh_ex_pool *pool)
{
    struct hh_engine *e = et_engine();
    struct hh_ex_strategy *s = hh_ex_dfs_new(HH_EX_DEFAULT_BOUND, 1);
    struct hh_explore_log log;
    PKEVENT never = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    memset(&log, 0, sizeof(log));
    CHECK(hh_ex_begin_run(s));
    CHECK_EQ(hh_explore_begin(e, choose, s, &log, pool), 0);
    CHECK_EQ(hh_explore_spawn(e, hh_engine_thread(e, "stuck"), wait_forever, never), 0);
    CHECK_EQ(hh_explore_spawn(e, hh_engine_thread(e, "stuck"), wait_forever, never), -1);
    hh_explore_settle(e);
    CHECK_RULE(e, HH_RULE_DEADLOCK);
    CHECK(strstr(e->failure.message, "stuck waits") != NULL);
    hh_ex_end_run(s, 1);
    et_done(e);
    hh_ex_free(s);
    free(log.events);
}

static void thread_waiting_forever_is_a_deadlock(void)
{
    deadlock_run(NULL);
}

/* The explorer's pool keeps its OS threads across runs: a whole search runs on the two it
 * made first (the worker's and the producer's), with the same runs and the same finding as
 * threads made for each run; a run torn down in the middle of a thread's wait gives its
 * thread back, and the next search reuses it; freeing the pool ends them all and gives the
 * driver back its CPUs, also when runs with pools of their own ran inside its life. */
static void pool_serves_every_run_alike(void)
{
    unsigned cpus = hh_plat_cpu_count();
    struct hh_ex_pool *pool = hh_ex_pool_new();
    char *a, *b;
    unsigned long fa, fb, ra, rb;
    CHECK(pool != NULL);
    CHECK_EQ(hh_ex_pool_size(pool), 0);
    ra = search(2, &a, &fa, NULL);
    rb = search(2, &b, &fb, pool);
    CHECK_EQ(hh_ex_pool_size(pool), 2);
    CHECK_EQ(ra, rb);
    CHECK_EQ(fa, fb);
    CHECK(a && b);
    CHECK_STR(a, b);
    free(b);
    hh_ex_pool_free(hh_ex_pool_new()); /* a pool within the pool's life leaves its pin be */
    deadlock_run(pool);
    CHECK_EQ(hh_ex_pool_size(pool), 2);
    rb = search(2, &b, &fb, pool);
    CHECK_EQ(hh_ex_pool_size(pool), 2);
    CHECK_EQ(ra, rb);
    CHECK_EQ(fa, fb);
    CHECK(b != NULL);
    CHECK_STR(a, b);
    free(a);
    free(b);
    hh_ex_pool_free(pool);
    CHECK_EQ(hh_plat_cpu_count(), cpus); /* the driver's pin is undone with its pool */
}

static volatile LONG flag;

static void poll_flag(struct et_routine *r, NTSTATUS status)
{
    (void)r;
    (void)status;
    while (!flag)
        (void)KeGetCurrentIrql(); /* a DDI: a scheduling point, but nothing that blocks */
}

static void raise_flag(void *arg)
{
    (void)arg;
    KeSetEvent(work, 0, FALSE);
    flag = 1;
}

/* A worker that polls for what the producer does runs forever in the schedule that never
 * preempts it: that run is cut, not judged, and the search goes on and ends. */
static void polling_run_is_cut(void)
{
    struct hh_ex_strategy *s = hh_ex_dfs_new(0, 1);
    unsigned long runs = 0, cut = 0, failed = 0;
    while (hh_ex_begin_run(s)) {
        struct hh_engine *e = et_engine();
        struct hh_explore_log log;
        struct et_routine r;
        struct et_start st;
        flag = 0;
        work = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
        memset(&log, 0, sizeof(log));
        CHECK_EQ(hh_explore_begin(e, choose, s, &log, NULL), 0);
        memset(&r, 0, sizeof(r));
        memset(&st, 0, sizeof(st));
        st.type = WaitAny;
        st.count = 1;
        st.objects[0] = work;
        r.script = (const BOOLEAN *)"\0";
        r.script_len = 1; /* FALSE: terminate after the first call */
        r.body = poll_flag;
        et_configure(e, &r, &st);
        hh_worker_start(e);
        KeSetEvent(work, 0, FALSE);
        CHECK_EQ(hh_explore_spawn(e, hh_engine_thread(e, "producer"), raise_flag, NULL), 0);
        hh_explore_settle(e);
        cut += log.cut != 0;
        failed += e->failed && !log.cut;
        hh_ex_end_run(s, e->failed && !log.abandoned);
        et_done(e);
        free(log.events);
        runs++;
    }
    CHECK(runs >= 2);
    CHECK_EQ(cut, 1);
    CHECK_EQ(failed, 0);
    hh_ex_free(s);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"lost_wakeup_needs_a_preemption", lost_wakeup_needs_a_preemption},
        {"same_choices_same_runs", same_choices_same_runs},
        {"schedule_replays_the_run", schedule_replays_the_run},
        {"thread_waiting_forever_is_a_deadlock", thread_waiting_forever_is_a_deadlock},
        {"polling_run_is_cut", polling_run_is_cut},
        {"pool_serves_every_run_alike", pool_serves_every_run_alike},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
