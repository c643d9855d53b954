/* play.h - plays one validated scenario against its routine module and judges it.
 *
 * The player owns the run: it loads the module, builds the objects, the context and the
 * start context, performs the steps on an engine, checks every invocation against the
 * scenario's expectations and invariants, and leaves a verdict with a full account. It never
 * prints; the CLI renders the result.
 */
#ifndef HH_PLAY_PLAY_H
#define HH_PLAY_PLAY_H

#include <stddef.h>

#include <hotswap/harness.h>

#include "engine/engine.h"
#include "scenario/diag.h"
#include "scenario/scenario.h"
#include "timeline.h"

#define HH_PLAY_PASS 0
#define HH_PLAY_FAIL 1  /* the routine broke an expectation or a contract check */
#define HH_PLAY_ERROR 2 /* the scenario could not be run (module or symbol missing) */

#define HH_STEP_START ((size_t)-1) /* the implicit start before the first step */
#define HH_STEP_END ((size_t)-2)   /* the checks after the last step */

/* How far a run has got, told as it goes so that a process watching from outside (the
 * parent of an isolated run) can name where a crash or a hang happened. */
enum hh_play_phase {
    HH_PLAY_AT_SETUP,      /* loading the module, building objects, HotswapCreateContext */
    HH_PLAY_AT_STEP,       /* a step's action and the worker's run: an invocation may follow */
    HH_PLAY_AT_INVOCATION, /* an invocation returned and was recorded */
    HH_PLAY_AT_CHECKS,     /* the worker blocked or ended: the step's checks (DescribeContext) */
    HH_PLAY_AT_END         /* after the last step: HotswapDestroyContext and the leak check */
};

struct hh_play_invocation;
struct hh_ex_strategy;
/* step: the step index, or HH_STEP_START / HH_STEP_END; inv: the recorded invocation for
 * HH_PLAY_AT_INVOCATION, else NULL. */
typedef void (*hh_play_progress_fn)(void *user, enum hh_play_phase phase, size_t step,
                                    const struct hh_play_invocation *inv);

struct hh_play_options {
    const char *const *module_dirs; /* --module-path, searched after the scenario's folder */
    size_t nmodule_dirs;
    unsigned long livelock_limit;   /* 0: the scenario's, else the harness default */
    unsigned char checks_off[HH_RULE_COUNT]; /* --check RULE=off, beside the scenario's own */
    hh_play_progress_fn progress;   /* may be NULL */
    void *progress_user;
    /* The clock of a scenario that names none (`run --clock`); a scenario's own "clock" wins.
     * The real clock puts the worker on an OS thread of its own and the steps at their real
     * times; an expected `at` holds within `tolerance`; the clock moves in whole `tick`s (0:
     * HH_REAL_TICK). */
    int clock;
    hh_time tolerance;
    hh_time tick;
    /* Real clock: the longest one invocation may run (rule watchdog; its thread is then left
     * running, and the caller should end the process soon), and the longest the worker may
     * go on without blocking (rule livelock). Under `explore` (with `explore` below): the
     * longest one explored thread may hold the baton without a scheduling point (rule
     * watchdog; that thread is stopped where it is, for good). 0: no limit. The virtual clock has
     * neither otherwise: there the process that plays it is killed (`run --timeout`). */
    hh_time watchdog;
    /* explore: the strategy every scheduling point of the run asks (harness/explore), and
     * the log of the points (the caller's, zeroed); NULL: none, unless the scenario has a
     * "schedule", which the run then follows. */
    struct hh_ex_strategy *explore;
    struct hh_explore_log *explore_log;
    int timeline; /* record the run's timeline into the result (hh_play_result.timeline) */
    void (*timeline_added)(void *progress_user); /* after each timeline event; may be NULL */
};

/* How long the scenario's steps take from the start: the last `at`, with the `advance`s. */
hh_time hh_play_timeline(const struct hh_scenario *sc);

#define HH_CLOCK_VIRTUAL 0
#define HH_CLOCK_REAL 1
#define HH_CLOCK_VIRTUAL_ALWAYS 2 /* whatever the scenario names: fuzz sessions, which must
                                     replay the same every time */

/* Whether sc plays on the real clock under the option `clock` (HH_CLOCK_*). */
int hh_play_real_clock(const struct hh_scenario *sc, int clock);

#define HH_REAL_TICK HH_TICKS_PER_MS              /* timers due within 1 ms fire together */
#define HH_REAL_TOLERANCE (25 * HH_TICKS_PER_MS)  /* the default --tolerance */

/* One invocation, kept for the account. */
struct hh_play_invocation {
    unsigned long index;
    size_t step;
    hh_time time;
    NTSTATUS status;
    unsigned raw;
    int decision;
    char *log;
    /* Driver mode: the worker's creation order (from 1) and "worker 2 (Routine)"; 0 and NULL
     * otherwise. Reports name it when a run has more than one worker. */
    unsigned worker;
    char *worker_label;
};

struct hh_play_result {
    int outcome;             /* HH_PLAY_* */
    enum hh_rule rule;       /* for HH_PLAY_FAIL */
    size_t step;             /* the step it happened in, or HH_STEP_START / HH_STEP_END */
    unsigned long invocation; /* 0 when not inside an invocation */
    hh_time time;
    char *headline;          /* one line: what went wrong (malloc'd; NULL on a pass) */
    struct hh_play_invocation *invocations;
    size_t ninvocations;
    size_t invoked; /* invocations that returned, whether the account keeps them or not */
    size_t steps_run;
    hh_time end_time;
    struct hh_diags diags;   /* for HH_PLAY_ERROR */
    int has_timeline;        /* recorded (hh_play_options.timeline) */
    struct hh_timeline timeline;
};

/* Plays sc. Returns the outcome, also stored in res (free it with hh_play_result_free). */
int hh_play(const struct hh_scenario *sc, const struct hh_play_options *opt,
            struct hh_play_result *res);
/* Frees what res holds and zeroes it, all but the diagnostics' text (their count is 0): so
 * one result reused for many runs, such as a fuzz session's or explore's, pays no 40 KB clear
 * per run. hh_play_result_clear is the same. */
void hh_play_result_free(struct hh_play_result *res);
void hh_play_result_clear(struct hh_play_result *res);

/* A step's action in words, as reports show it: "set work, stop", "advance 250ms". */
const char *hh_play_describe_step(const struct hh_scenario *sc, size_t step, char *buf,
                                  size_t len);

/* "STATUS_WAIT_1 (0x00000001)", or the number alone when it has no name. */
const char *hh_play_status_text(NTSTATUS s, char *buf, size_t len);

/* "step 3 (steps[2]: set work)", "the implicit start" or "the end of the scenario". */
const char *hh_play_where_text(const struct hh_scenario *sc, size_t step, char *buf,
                               size_t len);
/* What an invocation came to: "-> continue (TRUE)", "-> terminate (FALSE)", "-> continue
 * (not a BOOLEAN)" or "did not return". */
const char *hh_play_result_text(const struct hh_play_invocation *v, char *buf, size_t len);
/* Whether an invocation came from a driver's second or later worker: then reports name each
 * invocation's worker. */
int hh_play_result_several_workers(const struct hh_play_result *res);

/* ---- explore (play_explore.c) ------------------------------------------------------------
 * Many runs of one scenario under the controlled scheduler (opt->explore set before each),
 * the module loaded once and its writable data put back before every run. */
struct hh_play_explorer;
/* Loads sc's module (sc and opt must outlive it). 0, or -1 with the reason in diags (a module
 * that cannot be loaded, a hotswap step). */
int hh_play_explorer_open(const struct hh_scenario *sc, const struct hh_play_options *opt,
                          struct hh_play_explorer **out, struct hh_diags *diags);
/* One run from the module's loaded state; the outcome, also in res (hh_play_result_free). */
int hh_play_explorer_run(struct hh_play_explorer *x, struct hh_play_result *res);
void hh_play_explorer_close(struct hh_play_explorer *x);
/* explore_emit.c: the scenario text (len bytes, read from from_path) as a scenario to write
 * at out_path, named `name`, with `description`, "true_means" and "schedule"; malloc'd, or NULL
 * with the reason in why. */
char *hh_play_explore_emit(const char *text, size_t len, const char *from_path,
                           const char *out_path, const char *name, const char *description,
                           int true_means, const char *schedule, char *why, size_t whylen);

/* ---- Fuzz sessions (session.c) ------------------------------------------------------------
 * A session loads the scenario's module once and then plays many runs, each on a fresh
 * machine built from the scenario's objects, wait and context, of steps its caller makes up
 * as it goes (a fuzz input decoded against the state). The scenario's own steps and
 * expectations are not played; its invariants and every contract check are. */
struct hh_session;

#define HH_SESSION_NAME_MAX 64 /* a step's thread name and note are cut to this */

/* Loads sc's module and routine (sc and opt must outlive the session). Returns 0, or -1
 * with the reason in diags (a module or symbol that cannot be loaded). */
int hh_session_open(const struct hh_scenario *sc, const struct hh_play_options *opt,
                    struct hh_session **out, struct hh_diags *diags);
void hh_session_close(struct hh_session *s);
/* Starts a run: the machine as new (the last run's reset: hh_engine_reset), the module's
 * data as loaded, the context made and the worker started (the implicit start; invocations
 * it causes belong to it). The previous run's account is dropped. */
void hh_session_begin(struct hh_session *s);
/* on: build a new machine for every run instead (what a reset must be equivalent to; the
 * tests compare the two). */
void hh_session_fresh_machines(struct hh_session *s, int on);
/* off: the runs that begin after it record their invocations without the DbgPrint log (log
 * NULL), sparing a copy per invocation; on (the default): with it. A fuzz target plays with
 * logs off and plays a finding's input again with them on to show them. */
void hh_session_keep_logs(struct hh_session *s, int on);
/* off: the runs that begin after it keep no account: no copy of their steps, no record of
 * their invocations (hh_session_result has the outcome, the rule, the failure's headline and
 * the count of invocations, `invoked`). on (the default): the whole account. A fuzz target
 * plays quietly and plays a finding's input again with the account, for its report: every
 * run starts from the same state, so it comes out the same. */
void hh_session_keep_account(struct hh_session *s, int on);
int hh_session_keeps_account(const struct hh_session *s);
/* Plays one step now (a copy is kept for the account; expect and then are ignored): its action, then the worker runs until it blocks or ends. Returns 0, or -1
 * once the run has failed. */
int hh_session_step(struct hh_session *s, const struct hh_sc_step *st);
/* "for STATUS_WAIT_1 (0x00000001)", the note of the steps a decoder makes to produce status:
 * made once and kept as long as the session, so that a step played with it keeps a pointer,
 * not a copy. NULL when the session keeps HH_SESSION_NOTES notes already (few statuses
 * recur: the scenario's alphabet). */
#define HH_SESSION_NOTES 8
const char *hh_session_status_note(struct hh_session *s, NTSTATUS status);
/* The worker, blocked in its wait, is handed `status` as the wait's result without any
 * object changing (hh_wait_complete), and runs. Kept in the account as a step with no
 * action (HH_ACT_NONE), its note "deliver ..." and its count the status. Returns 0, -1 once
 * the run has failed, or 1 when the worker was not blocked in its wait or status is
 * STATUS_PENDING, which the engine reads as "not completed" (nothing happened). */
int hh_session_deliver(struct hh_session *s, NTSTATUS status);
/* Ends the run: the end-of-scenario checks (context destroyed, pool); returns HH_PLAY_PASS
 * or HH_PLAY_FAIL, with the account in hh_session_result until the next begin. */
int hh_session_end(struct hh_session *s);
/* Drops the ended run's account now rather than at the next begin, so that a run frees all
 * it allocated (libFuzzer re-runs every input after which more was allocated than freed,
 * to look for leaks). */
void hh_session_forget(struct hh_session *s);

/* The running machine (between begin and end) and the scenario's object i in it. */
struct hh_engine *hh_session_engine(const struct hh_session *s);
PVOID hh_session_object(const struct hh_session *s, size_t i);
/* The scenario as configured, with the current run's steps as its steps. */
const struct hh_scenario *hh_session_scenario(const struct hh_session *s);
const struct hh_play_result *hh_session_result(const struct hh_session *s);
/* The loaded routine, and the context HotswapCreateContext made for the current run. */
PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE hh_session_routine(const struct hh_session *s);
PVOID hh_session_context(const struct hh_session *s);
/* The module's HotswapCreateContext and HotswapDestroyContext (NULL when it has none) and the
 * arguments the current run's set-up gave the first: for the bare baseline
 * (fuzz/bare_status_sequence.c), which makes a context for each input as a hand-written
 * target does. */
void hh_session_adapter(const struct hh_session *s, HOTSWAP_CREATE_CONTEXT **create,
                        HOTSWAP_DESTROY_CONTEXT **destroy, HOTSWAP_CONTEXT_ARGS *args);

#endif
