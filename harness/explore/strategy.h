/* strategy.h - the search strategies of interleaving exploration: at each scheduling point of
 * a run under the controlled scheduler, which simulated thread runs next.
 *
 * A run is a sequence of scheduling points. At each, the caller describes the threads that
 * can run (small ids, stable across runs: creation order), the thread that was running, and
 * each enabled thread's next operation; the strategy answers with the thread to run. The
 * same calls drive every strategy:
 *
 *     while (hh_ex_begin_run(s)) {
 *         ... at each scheduling point: id = hh_ex_choose(s, &point);
 *             (id == HH_EX_ABANDON: the rest of this run is covered by other runs; stop it)
 *         hh_ex_end_run(s, failed);     (a failed run's schedule: hh_ex_trace)
 *     }
 *
 * The strategies (docs/explore.md): exhaustive depth-first search under a preemption bound
 * with sleep sets, PCT (randomized priorities with change points), replay of a recorded
 * schedule, and a byte string's choices (a fuzzer's input). Nothing here knows the engine: the points are all it sees.
 */
#ifndef HH_EXPLORE_STRATEGY_H
#define HH_EXPLORE_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

#define HH_EX_MAX_THREADS 64 /* thread sets are 64-bit masks */
#define HH_EX_NONE (-1)      /* no thread: none was running (it blocked or ended) */
#define HH_EX_ABANDON (-2)   /* choose: every enabled thread is asleep (DFS), end the run */
#define HH_EX_UNBOUNDED 0xffffffffu
#define HH_EX_DEFAULT_BOUND 2 /* preemptions: most concurrency bugs need at most two */
#define HH_EX_DEFAULT_DEPTH 3 /* PCT's d */

/* How an operation touches its object. Two operations are dependent (their order may
 * matter) when either is HH_EX_UNKNOWN, or both touch the same object and one writes;
 * HH_EX_NOTHING (an ended thread: nothing pending) is independent of everything.
 * Whatever can enable or disable another operation (a wait is enabled by a set of the
 * same event) must be reported as a write of that object. */
enum hh_ex_access { HH_EX_READ, HH_EX_WRITE, HH_EX_UNKNOWN, HH_EX_NOTHING };

struct hh_ex_op {
    const void *object;    /* identity of the object (a dispatcher header, a lock, a cell) */
    enum hh_ex_access access;
};

/* One scheduling point. ops[id] is read for every id below n_threads: an enabled
 * thread's next operation, a blocked thread's operation it waits in (HH_EX_UNKNOWN when it
 * waits on several objects), for a thread not runnable yet the object whose write makes it
 * runnable (a DPC not queued: its KDPC), HH_EX_NOTHING only for an ended one. names[id] is
 * read for the enabled ids. */
struct hh_ex_point {
    unsigned n_threads;         /* ids are below this (at most HH_EX_MAX_THREADS) */
    uint64_t enabled;           /* bit id: the thread can run; at least one bit */
    int running;                /* the thread that was running, or HH_EX_NONE */
    const struct hh_ex_op *ops; /* each thread's pending operation; NULL: all unknown */
    const char *const *names;   /* thread names for schedules; NULL or a NULL entry: "#id" */
};

/* Dependence of two operations (see enum hh_ex_access). */
int hh_ex_dependent(const struct hh_ex_op *a, const struct hh_ex_op *b);

struct hh_ex_strategy;
struct hh_ex_schedule;

/* Exhaustive DFS, lowest thread id first, every schedule with at most `bound` preemptions
 * (HH_EX_UNBOUNDED: all). A preemption is a switch away from a running thread that is still
 * enabled. sleep_sets: prune orders of independent operations (docs/explore.md says what
 * is kept). */
struct hh_ex_strategy *hh_ex_dfs_new(unsigned bound, int sleep_sets);
/* PCT: `depth` (d >= 1) gives d-1 priority change points over an estimate of the run
 * length (initial_steps for the first run, then the longest run seen); `runs` runs;
 * deterministic per seed. */
struct hh_ex_strategy *hh_ex_pct_new(uint64_t seed, unsigned depth, unsigned long runs,
                                     unsigned long initial_steps);
/* One run following `schedule` (which must outlive the strategy); see hh_ex_divergence. */
struct hh_ex_strategy *hh_ex_replay_new(const struct hh_ex_schedule *schedule);
/* One run whose choices are the bytes of data (which must outlive the strategy): at each point
 * with more than one enabled thread the next byte modulo their number ranks them from the
 * choice without a preemption (0) upwards in id order; past the end, 0 (bytes.c). */
struct hh_ex_strategy *hh_ex_bytes_new(const uint8_t *data, size_t size);
/* Bytes taken so far by a strategy of hh_ex_bytes_new (0 for any other). */
size_t hh_ex_bytes_used(const struct hh_ex_strategy *s);
void hh_ex_free(struct hh_ex_strategy *s);

/* 1: start a run; 0: the search is over (exhausted, or the runs asked for are done). */
int hh_ex_begin_run(struct hh_ex_strategy *s);
/* The thread to run at this point: an enabled id, or HH_EX_ABANDON (DFS only). Returns
 * HH_EX_NONE for a point without an enabled thread or with ids out of range. */
int hh_ex_choose(struct hh_ex_strategy *s, const struct hh_ex_point *p);
void hh_ex_end_run(struct hh_ex_strategy *s, int failed);

/* The choices of the current (or, after end_run, the last) run: thread ids, one a point.
 * Valid until the next begin_run. hh_ex_schedule_from_trace makes it a schedule. */
const uint8_t *hh_ex_trace(const struct hh_ex_strategy *s, size_t *n);

struct hh_ex_stats {
    unsigned long runs;        /* runs begun */
    unsigned long failed;      /* runs ended with failed != 0 */
    unsigned long abandoned;   /* runs ended after HH_EX_ABANDON */
    unsigned long points;      /* scheduling points over all runs */
    unsigned long longest;     /* points of the longest run */
    unsigned long nondeterministic; /* DFS: replayed prefixes whose enabled set differed */
    int exhausted;             /* begin_run has returned 0 */
    unsigned bound;            /* DFS: the preemption bound; PCT: the depth d; replay: 0 */
    unsigned preemptions_max;  /* most preemptions in one run */
    unsigned preemptions_last; /* preemptions of the current or last run */
};
void hh_ex_get_stats(const struct hh_ex_strategy *s, struct hh_ex_stats *out);

/* Replay: 1 when the run left the schedule (the recorded thread was not enabled, the run
 * went on past the schedule's end, or it ended before it), with what happened in msg. */
int hh_ex_divergence(const struct hh_ex_strategy *s, char *msg, size_t msg_size);

#endif
