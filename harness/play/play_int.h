/* play_int.h - the player's state and the pieces play*.c share. */
#ifndef HH_PLAY_PLAY_INT_H
#define HH_PLAY_PLAY_INT_H

#include <hotswap/harness.h>

#include "play.h"

struct hh_module;

#define HH_PLAY_MAX_MODULES 16
#define HH_PLAY_MAX_CONCURRENT 62 /* explored threads are 64 with the driver and the worker */

#define HH_PLAY_RULE_CACHE 8

/* What hh_player.adapter_call names while the module's adapter runs (play.c). */
extern const char hh_play_create_call[];
extern const char hh_play_destroy_call[];

struct hh_player {
    /* First what a fuzz session keeps from one run to the next (session.c clears the player
     * from sc on): the loaded modules and what was resolved from them, what the set-up
     * allocated and reuses, and which invariant covers each status seen. */
    struct hh_module *modules[HH_PLAY_MAX_MODULES]; /* loaded, oldest first */
    size_t nmodules;
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE routine;
    HOTSWAP_CREATE_CONTEXT *create;
    HOTSWAP_DESTROY_CONTEXT *destroy;
    HOTSWAP_DESCRIBE_CONTEXT *describe;
    PVOID *objects;           /* by scenario index */
    const char **names;
    /* The start context HotswapCreateContext was shown: valid, as harness.h promises, until
     * HotswapDestroyContext returns. */
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start;
    /* The invariant (index + 1, 0: none) that covers each of the first statuses seen: a
     * run's invocations see a few statuses over and over (play_check.c). */
    NTSTATUS rule_status[HH_PLAY_RULE_CACHE];
    size_t rule_of[HH_PLAY_RULE_CACHE];
    size_t nrule_cached;

    const struct hh_scenario *sc;
    const struct hh_play_options *opt;
    struct hh_play_result *res;
    struct hh_engine *e;
    size_t step;              /* the step running, or HH_STEP_START / HH_STEP_END */
    size_t exp_i;             /* the step's next expect entry */
    unsigned long exp_rep;    /* invocations already matched against it */
    size_t inv_cap;
    /* The step's first expectation mismatch (its text is `mismatch`, below). The worker
     * keeps running until it blocks, so that a contract failure behind the mismatch (a
     * livelock, say) is the one reported. */
    hh_time mismatch_time;
    unsigned long mismatch_invocation;

    /* explore: the images the scenario's hotswap steps swap in, loaded once by the explorer
     * and their data put back before each run; a swap takes its image from here, and the
     * run's modules are then the explorer's: a swap's end neither loads nor closes one. */
    struct hh_module *shelf[HH_PLAY_MAX_MODULES];
    size_t nshelf;
    PVOID context;
    int have_context;
    const char *adapter_call; /* "HotswapCreateContext" while it runs, and so on; or NULL */
    int expectations_off;     /* a fuzz session: invariants and contract checks only */
    int keep_engine;          /* a fuzz session: finish leaves e, setup resets it (virtual) */
    int no_logs;              /* a fuzz session: invocations are recorded without their log */
    int no_account;           /* a fuzz session's quiet run: no invocation records */
    int real;                 /* the real clock (opt->real_clock) */
    int plain;                /* virtual clock, nothing explored, recorded or told of progress */
    int abandoned;            /* a hung routine's thread was left running (real clock) */
    hh_time tolerance;        /* how far an invocation's time may be from an expected `at` */
    struct hh_tl_recorder rec; /* recording the timeline: rec.tl set */

    /* Driver mode (play_driver.c): the driver's routines, its DRIVER_OBJECT and RegistryPath. */
    PDRIVER_INITIALIZE load;  /* the newest image's load routine */
    PDRIVER_UNLOAD unload;    /* the scenario's "unload", or NULL: DriverObject->DriverUnload */
    DRIVER_OBJECT driver_object;
    UNICODE_STRING registry;
    WCHAR registry_text[160];
    int driver_loaded;        /* the load routine ran: the unload is due at the end */
    const void *unload_site_addr; /* DriverObject->DriverUnload last named, and its name */
    char unload_site[300];
    hh_invocation_fn on_invocation; /* play.c's, handed to the worker the driver starts */
    /* What a "worker.events[N]" object is until the worker exists: a header of no type. */
    DISPATCHER_HEADER unresolved;
    /* Under the controlled scheduler (play_explore.c): the strategy, the log of points, a
     * "schedule" replayed (owned, with its strategy and log) and the concurrent steps run. */
    struct hh_ex_strategy *exploring;
    struct hh_explore_log *explore_log;
    struct hh_ex_pool *pool; /* the explorer's OS threads, kept across its runs; NULL: the run's own */
    struct hh_ex_schedule *schedule;
    size_t nconc;

    /* The big buffers last: a fuzz session clears the player up to here for every run
     * (session.c), and these are written before they are read (own_log when it is used,
     * conc up to nconc, mismatch from its first byte). */
    char mismatch[1024];
    struct hh_explore_log own_log;
    struct hh_tl_preemptions preempted; /* recording a timeline: the points that preempted */
    struct hh_play_conc {
        struct hh_player *p;
        const struct hh_sc_step *st;
    } conc[HH_PLAY_MAX_CONCURRENT];
};

/* play_explore.c: after the engine is made, puts it under the controlled scheduler when the
 * options or the scenario's "schedule" ask (1), else nothing (0). */
int hh_play_explore_begin(struct hh_player *p);
/* Before the verdict: a replayed schedule the run left is a failure. */
void hh_play_explore_end(struct hh_player *p);
/* After the engine is freed. */
void hh_play_explore_free(struct hh_player *p);
/* A concurrent step: its call starts on a thread of its own. */
void hh_play_concurrent(struct hh_player *p, const struct hh_sc_step *st);

/* play.c: a step's action (or the start) on the timeline, when one is recorded. */
void hh_play_timeline_step(struct hh_player *p, const char *action);

/* play.c: one run in three parts, so that a fuzz session (session.c) can load the module
 * once and play steps it makes up as it goes. */
/* A new engine with the scenario's objects, context and start context; the implicit start. */
void hh_play_setup(struct hh_player *p);
/* A result to start from: zero, all but the diagnostics' text (read only up to their count). */
void hh__play_result_zero(struct hh_play_result *res);
/* p->sc->steps[i]: its time, its action, the worker's run and the step's checks. */
void hh_play_run_step(struct hh_player *p, size_t i);
/* The same for a step st that is not in the scenario's steps (a fuzz session's quiet run
 * plays a decoder's step where it was made), played as step number i. */
void hh_play_run_step_at(struct hh_player *p, const struct hh_sc_step *st, size_t i);
/* The checks at the end (context destroyed, pool), the verdict in p->res; frees the engine. */
void hh_play_finish(struct hh_player *p);

/* play_driver.c: driver mode. The load routine at the start (after the objects are built),
 * the unload at the end (before the pool check), and a hot-swap step's new image. */
void hh_play_driver_load(struct hh_player *p);
void hh_play_driver_unload(struct hh_player *p);
void hh_play_driver_swap(struct hh_player *p, const struct hh_sc_step *st);

/* play_module.c: the module and `routine` in it; in driver mode `routine` names the load
 * routine (p->load), and the first module's unload routine, if the scenario names one, is
 * looked up too. */
int hh_play_load(struct hh_player *p, const char *module, const char *routine);
void hh_play_unload_all(struct hh_player *p);
void hh_play_unload_old(struct hh_player *p);

/* play.c: the real clock's driver sleeps until the scenario's time `until` (the virtual
 * clock moves there at once, letting the worker run at each instant). */
void hh_play_move_clock(struct hh_player *p, hh_time until);

/* play_action.c */
void hh_play_action(struct hh_player *p, const struct hh_sc_step *st);

/* play_call.c: a "call" step; and, before the run, that the module exports every function
 * the steps before the first hot-swap call (-1 after a diagnostic for each that it lacks). */
void hh_play_call(struct hh_player *p, const struct hh_sc_step *st);
int hh_play_check_calls(struct hh_player *p);

/* play_globals.c: objects that are the module's exported globals. Before the run: that the
 * module exports each (-1 after a diagnostic for each it lacks); the address of objects[i]'s;
 * after the set-up, that each is initialized and of the type the scenario says (a failure
 * otherwise); before a step acts on objects[i], that it is a type the step acts on (0 after
 * a failure otherwise). */
int hh_play_check_globals_exported(struct hh_player *p);
PVOID hh_play_global(struct hh_player *p, size_t i);
void hh_play_check_globals(struct hh_player *p);
int hh__play_place_fits(struct hh_player *p, const struct hh_sc_step *st, size_t i);
/* The scenario's own objects always fit: validation checked their types. Inline: it is asked
 * before every object a step acts on. */
static inline int hh_play_global_fits(struct hh_player *p, const struct hh_sc_step *st,
                                      size_t i)
{
    const struct hh_sc_object *o = &p->sc->objects[i];
    return (!o->global && !o->worker_event) || hh__play_place_fits(p, st, i);
}
/* Driver mode: the "worker.events[N]" objects from the worker's start context, once the
 * worker exists; and, before a step uses objects[i], that it is known (0 after a failure
 * at the step otherwise). */
void hh_play_resolve_worker_events(struct hh_player *p);
/* Driver mode: the driver's worker number n (creation order, from 1), or NULL; how many it
 * has started. */
const struct hh_worker *hh_play_worker(struct hh_engine *e, unsigned n);
unsigned hh_play_worker_count(struct hh_engine *e);
/* The thread and state of the worker ref names (none: the first worker); -1 when the driver
 * has no such worker (rule timeline, naming `key`, the step's key that names it). */
int hh_play_worker_target(struct hh_player *p, const struct hh_sc_worker_ref *ref,
                          const char *key, PKTHREAD *thread, enum hh_worker_state *state);
int hh_play_object_known(struct hh_player *p, size_t i);

/* play_check.c */
/* Index + 1 of the first invariant that covers status, 0 when none does, found and
 * remembered (for the first few statuses: the scenario's rules stay the same all run). */
size_t hh__play_rule_lookup(struct hh_player *p, NTSTATUS status);
void hh__play_invariant_broken(struct hh_player *p, size_t i, const struct hh_invocation *inv);
/* Inline: it runs after every invocation, and most often finds a remembered answer. */
static inline void hh_play_check_invariants(struct hh_player *p,
                                            const struct hh_invocation *inv)
{
    size_t k, i;
    if (!p->sc->ninvariants)
        return;
    for (k = 0; k < p->nrule_cached && p->rule_status[k] != inv->status; k++)
        ;
    i = k < p->nrule_cached ? p->rule_of[k] : hh__play_rule_lookup(p, inv->status);
    if (i && p->sc->invariants[i - 1].decision != inv->decision)
        hh__play_invariant_broken(p, i, inv);
}
void hh_play_check_expectation(struct hh_player *p, const struct hh_invocation *inv);
void hh_play_check_step_end(struct hh_player *p, const struct hh_sc_step *st);
/* Turns a recorded expectation mismatch into the run's failure (or notes it beside one). */
void hh_play_settle_mismatch(struct hh_player *p);
void hh_play_check_then(struct hh_player *p, const struct hh_sc_step *st);
void hh_play_check_leaks(struct hh_player *p);
void hh_play_destroy_context(struct hh_player *p);

/* fuzz_emit.c: JSON as scenarios are written (two-space indent, "key": value), from
 * cJSON_Print's text (freed). */
char *hh_play_json_reindent(char *text);
/* A scenario's object (cfg, consumed) as written back: `name` and `description` first, the
 * other members in order but `drop`, "clock" and "schedule", "$schema" as seen from
 * out_path's folder, "true_means" (and `schedule` unless NULL) after "routine" or "driver". */
struct cJSON;
struct cJSON *hh_play_json_rewritten(struct cJSON *cfg, const char *name,
                                     const char *description, const char *drop,
                                     const char *config_path, const char *out_path,
                                     int true_means, const char *schedule);

/* play_text.c */
HH_DECLSPEC_NORETURN void hh_play_oom(void) HH_NORETURN_ATTR;
char *hh_play_strndup(const char *s, size_t n);
const char *hh_play_decision_name(int decision);
/* "step 3 (set work, stop)" or "the implicit start" */
const char *hh_play_step_text(const struct hh_player *p, char *buf, size_t len);

/* A step played when nothing watches the run (p->plain) and the step checks nothing at its
 * end (every step a fuzz target plays): act, then the worker runs until it blocks. This is
 * what hh_play_run_step_at does then, without its other questions; 0 when st is not such a
 * step. Inline for the fuzz targets' sessions, which play steps this way. */
static inline int hh_play_plain_step(struct hh_player *p, const struct hh_sc_step *st,
                                     size_t i)
{
    if (!p->plain || st->has_at || st->nexpect || st->has_then)
        return 0;
    p->step = i;
    p->exp_i = 0;
    p->exp_rep = 0;
    hh_play_action(p, st);
    if (!p->e->failed)
        hh_worker_run(p->e);
    if (p->mismatch[0])
        hh_play_settle_mismatch(p);
    return 1;
}

#endif
