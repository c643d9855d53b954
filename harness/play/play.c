/* play.c - one scenario run: load, build, step, judge, tear down.
 *
 * Steps happen on the scenario's own thread ("driver"); after each action the worker runs
 * until it blocks. Every invocation is checked as it happens (invariants first, then the
 * step's expectations in order), so a run stops at the first thing that went wrong and the
 * account names that step and invocation.
 */
#include "play.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hotswap/harness.h>

#include "common/status.h"
#include "common/textput.h"
#include "play_int.h"

/* ---- Invocations: record, then check ------------------------------------------------------ */

static void progress(struct hh_player *p, enum hh_play_phase phase,
                     const struct hh_play_invocation *inv)
{
    if (p->opt && p->opt->progress)
        p->opt->progress(p->opt->progress_user, phase, p->step, inv);
}

static void record(struct hh_player *p, const struct hh_invocation *inv)
{
    struct hh_play_result *res = p->res;
    struct hh_play_invocation *r;
    if (res->ninvocations == p->inv_cap) {
        size_t cap = p->inv_cap ? p->inv_cap * 2 : 32;
        struct hh_play_invocation *grown = realloc(res->invocations, cap * sizeof(*grown));
        if (!grown)
            hh_play_oom();
        res->invocations = grown;
        p->inv_cap = cap;
    }
    r = &res->invocations[res->ninvocations++];
    r->index = inv->index;
    r->step = p->step;
    r->time = inv->time;
    r->status = inv->status;
    r->raw = inv->raw;
    r->decision = inv->decision;
    r->log = p->no_logs ? NULL : hh_play_strndup(inv->log, inv->log_len);
    r->worker = inv->worker;
    r->worker_label = NULL;
    if (inv->worker) {
        char label[128];
        const struct hh_worker *w = hh_play_worker(p->e, inv->worker);
        label[0] = '\0';
        if (w)
            hh_worker_label(w, label, sizeof(label));
        r->worker_label = hh_play_strndup(label, strlen(label));
    }
    if (p->rec.tl) {
        struct hh_tl_event ev;
        hh_tl_event_init(&ev, HH_TL_RETURN, p->e->now, p->step);
        ev.value = (long long)inv->index;
        ev.status = inv->status;
        ev.worker = inv->worker;
        hh_timeline_record(&p->rec, &ev);
    }
    progress(p, HH_PLAY_AT_INVOCATION, r);
}

static void on_invocation(void *user, const struct hh_invocation *inv)
{
    struct hh_player *p = user;
    p->res->invoked++;
    if (!p->no_account)
        record(p, inv);
    if (p->e->failed)
        return; /* a contract check already failed this invocation */
    hh_play_check_invariants(p, inv);
    if (!p->e->failed && !p->expectations_off)
        hh_play_check_expectation(p, inv);
}

/* ---- Set-up ------------------------------------------------------------------------------- */

/* calloc(n, size), or *kept cleared when a fuzz session's last run left it (keep_engine: the
 * same scenario, so the same size). */
static void *zeroed(struct hh_player *p, void *kept, size_t n, size_t size)
{
    void *m;
    if (kept && p->keep_engine) {
        memset(kept, 0, n * size);
        return kept;
    }
    free(kept);
    m = calloc(n, size);
    if (!m)
        hh_play_oom();
    return m;
}

static LONGLONG due_argument(const struct hh_sc_timeout *t)
{
    /* KeSetTimerEx: negative = relative, positive = absolute system time. */
    if (t->kind == HH_TIMEOUT_ABSOLUTE)
        return HH_SYSTEM_TIME_BASE + t->ticks;
    return -t->ticks;
}

static int build_objects(struct hh_player *p)
{
    const struct hh_scenario *sc = p->sc;
    size_t i;
    p->objects = zeroed(p, p->objects, sc->nobjects ? sc->nobjects : 1, sizeof(*p->objects));
    for (i = 0; i < sc->nobjects; i++) {
        const struct hh_sc_object *o = &sc->objects[i];
        DISPATCHER_HEADER *h;
        if (o->same_as != (size_t)-1) {
            p->objects[i] = p->objects[o->same_as];
            continue;
        }
        if (o->worker_event) { /* known once the driver started its worker */
            p->objects[i] = &p->unresolved;
            continue;
        }
        if (o->global) { /* the driver's own, as its code left it */
            p->objects[i] = hh_play_global(p, i);
            hh_engine_name_object(p->e, p->objects[i], o->name);
            continue;
        }
        h = hh_engine_new_object(p->e, o->type);
        p->objects[i] = h;
        hh_engine_name_object(p->e, h, o->name);
        switch (o->type) {
        case HH_OBJECT_NOTIFICATION_EVENT:
        case HH_OBJECT_SYNCHRONIZATION_EVENT:
            h->SignalState = o->signaled ? 1 : 0;
            break;
        case HH_OBJECT_MUTEX:
        case HH_OBJECT_MUTANT:
            if (o->owner)
                hh_acquire(p->e, hh_engine_thread(p->e, o->owner), h);
            break;
        case HH_OBJECT_SEMAPHORE:
            h->SignalState = o->count;
            ((PKSEMAPHORE)h)->Limit = o->limit;
            break;
        default: /* timers */
            if (o->armed)
                hh_timer_set(p->e, (PKTIMER)h, due_argument(&o->due), o->period_ms, NULL);
            break;
        }
    }
    return 0;
}

static DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *build_start(struct hh_player *p)
{
    const struct hh_scenario *sc = p->sc;
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *s;
    size_t i, n = sc->nobjects ? sc->nobjects : 1;
    s = zeroed(p, p->start, 1,
               offsetof(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
                   n * sizeof(PKEVENT));
    s->WorkerRoutine = p->routine;
    s->Context = NULL;
    s->WaitType = sc->wait.type;
    s->WaitReason = sc->wait.reason;
    s->WaitMode = sc->wait.mode;
    s->Altertable = (BOOLEAN)(sc->wait.alertable != 0);
    s->HasTimeout = sc->wait.timeout.kind != HH_TIMEOUT_INFINITE;
    s->Timeout.QuadPart = s->HasTimeout ? due_argument(&sc->wait.timeout) : 0;
    s->EventCount = (ULONG)sc->nobjects;
    for (i = 0; i < sc->nobjects; i++)
        s->Events[i] = p->objects[i];
    return s;
}

struct create_call {
    HOTSWAP_CREATE_CONTEXT *create;
    HOTSWAP_CONTEXT_ARGS args;
    PVOID context;
    NTSTATUS status;
};

static void call_create(void *arg)
{
    struct create_call *c = arg;
    c->status = c->create(&c->args, &c->context);
}

const char hh_play_create_call[] = "HotswapCreateContext";
const char hh_play_destroy_call[] = "HotswapDestroyContext";

/* What runs outside the routine, for the pool blocks allocated then (engine.h, phase_text). */
static const char *phase_text(void *user, char *buf, size_t len)
{
    const struct hh_player *p = user;
    char step[200];
    /* Every fuzz run's two: a static text each, interned once (engine.h) */
    if (p->adapter_call == hh_play_create_call && p->step == HH_STEP_START)
        return "HotswapCreateContext (the set-up)";
    if (p->adapter_call == hh_play_destroy_call && p->step == HH_STEP_END && !p->sc->driver_mode)
        return "HotswapDestroyContext (the end of the scenario)";
    if (p->adapter_call && p->step == HH_STEP_START)
        hh_text_put(buf, len, hh_text_put(buf, len, 0, p->adapter_call), " (the set-up)");
    else if (p->adapter_call)
        snprintf(buf, len, "%s (%s)", p->adapter_call, hh_play_step_text(p, step, sizeof(step)));
    else
        hh_play_step_text(p, buf, len);
    return buf;
}

static void create_context(struct hh_player *p, DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *s)
{
    struct create_call c;
    size_t i;
    unsigned nheld, spinlocks;
    if (!p->create)
        return;
    p->names = zeroed(p, (void *)p->names, p->sc->nobjects ? p->sc->nobjects : 1,
                      sizeof(*p->names));
    for (i = 0; i < p->sc->nobjects; i++)
        p->names[i] = p->sc->objects[i].name;
    memset(&c, 0, sizeof(c));
    c.create = p->create;
    c.args.ObjectCount = (ULONG)p->sc->nobjects;
    c.args.Objects = (PVOID const *)p->objects;
    c.args.ObjectNames = p->names;
    c.args.ContextJson = p->sc->context_json;
    c.args.StartContext = s;
    c.status = STATUS_SUCCESS;
    nheld = p->e->current->nheld;
    spinlocks = p->e->current->spinlocks;
    p->adapter_call = hh_play_create_call;
    if (hh_engine_guarded(p->e, call_create, &c) != 0)
        return;
    p->adapter_call = NULL;
    hh_held_check_code(p->e, p->e->current, "HotswapCreateContext", nheld, spinlocks);
    if (!NT_SUCCESS(c.status)) {
        char name[48];
        hh_engine_fail(p->e, HH_RULE_CONTEXT, "HotswapCreateContext failed with %s",
                       hh_status_name(c.status, name, sizeof(name)));
        return;
    }
    s->Context = c.context;
    p->context = c.context;
    p->have_context = 1;
}

/* ---- The clock ---------------------------------------------------------------------------- */

int hh_play_real_clock(const struct hh_scenario *sc, int clock)
{
    if (clock == HH_CLOCK_VIRTUAL_ALWAYS)
        return 0;
    if (sc->clock) /* a timeline written for one clock says so, and keeps it */
        return sc->clock == HH_SC_CLOCK_REAL;
    return clock == HH_CLOCK_REAL;
}

hh_time hh_play_timeline(const struct hh_scenario *sc)
{
    hh_time t = 0;
    size_t i;
    for (i = 0; i < sc->nsteps; i++) {
        const struct hh_sc_step *st = &sc->steps[i];
        if (st->has_at && st->at > t)
            t = st->at;
        if (st->action == HH_ACT_ADVANCE)
            t += st->advance;
    }
    return t;
}

void hh_play_move_clock(struct hh_player *p, hh_time until)
{
    if (!p->real) {
        hh_engine_advance_to(p->e, until);
        return;
    }
    hh_engine_realtime_sleep_until(p->e, until);
}

/* After an action the worker runs until it blocks in its wait. The virtual clock runs it here;
 * under the real clock it runs on its own thread and the driver waits for it, but only until
 * the next step's time (within the tolerance): the next step does not wait for a routine
 * still busy when it is due (the race the real clock is for). A step whose checks need the
 * worker blocked (it expects invocations, or has `then`) fails instead. */
static void settle(struct hh_player *p, size_t next, int must)
{
    const struct hh_scenario *sc = p->sc;
    hh_time limit = -1;
    char at[32], due[32], tol[32];
    if (!p->real) {
        hh_worker_run(p->e);
        return;
    }
    /* Steps at one instant happen one after the other, each after the worker blocked, as
     * under the virtual clock: a step is late only past the tolerance. */
    if (next < sc->nsteps && sc->steps[next].has_at)
        limit = sc->steps[next].at + p->tolerance;
    if (hh_engine_realtime_settle(p->e, limit) || !must)
        return;
    hh_engine_fail(p->e, HH_RULE_TIMELINE,
                   "the worker was still running at %s, past the time step %lu was due (%s, "
                   "with the %s tolerance): on the real clock the routine takes longer than "
                   "the scenario leaves between steps",
                   hh_duration_format(p->e->now, at, sizeof(at)), (unsigned long)next + 1,
                   hh_duration_format(sc->steps[next].at, due, sizeof(due)),
                   hh_duration_format(p->tolerance, tol, sizeof(tol)));
}

/* ---- Steps -------------------------------------------------------------------------------- */

void hh_play_timeline_step(struct hh_player *p, const char *action)
{
    struct hh_tl_event ev;
    if (!p->rec.tl)
        return;
    hh_tl_event_init(&ev, HH_TL_STEP, p->e->now, p->step);
    ev.text = (char *)action;
    hh_timeline_record(&p->rec, &ev);
}

/* Starts recording the timeline: the objects as built, then every change. */
static void start_timeline(struct hh_player *p)
{
    p->rec.tl = &p->res->timeline;
    p->rec.objects = (PVOID const *)p->objects;
    p->rec.nobjects = p->sc->nobjects;
    p->rec.step = &p->step;
    p->rec.added = p->opt->timeline_added;
    p->rec.added_user = p->opt->progress_user;
    p->rec.points = p->explore_log; /* set by hh_play_explore_begin, or NULL */
    p->rec.points_seen = 0;
    p->rec.preempted = &p->preempted; /* filled by play_explore.c's chooser */
    p->rec.preempted_seen = 0;
    p->rec.engine = p->e;
    p->res->has_timeline = 1;
    hh_timeline_snapshot(&p->rec, p->e);
    hh_engine_set_trace(p->e, hh_timeline_sink, &p->rec);
}

void hh_play_run_step(struct hh_player *p, size_t i)
{
    hh_play_run_step_at(p, &p->sc->steps[i], i);
}

void hh_play_run_step_at(struct hh_player *p, const struct hh_sc_step *st, size_t i)
{
    struct hh_engine *e = p->e;
    if (hh_play_plain_step(p, st, i))
        return;
    p->step = i;
    p->exp_i = 0;
    p->exp_rep = 0;
    progress(p, HH_PLAY_AT_STEP, NULL);
    if (st->has_at && p->real) {
        hh_play_move_clock(p, st->at); /* late by what the OS took, never early */
    } else if (st->has_at) {
        if (st->at < e->now) {
            char want[32], now[32];
            hh_engine_fail(e, HH_RULE_TIMELINE,
                           "the step is at %s but the clock is already at %s: the routine's "
                           "own waits moved it past; move this step later or drop its \"at\"",
                           hh_duration_format(st->at, want, sizeof(want)),
                           hh_duration_format(e->now, now, sizeof(now)));
            return;
        }
        hh_engine_advance_to(e, st->at);
    }
    if (!e->failed && p->rec.tl) {
        char what[160];
        hh_play_timeline_step(p, hh_play_describe_step(p->sc, i, what, sizeof(what)));
    }
    if (!e->failed && st->concurrent && e->explore)
        hh_play_concurrent(p, st);
    else if (!e->failed)
        hh_play_action(p, st);
    /* Explored: a run of concurrent steps (and the step before it) settles as a whole. */
    if (!e->failed && !(e->explore && i + 1 < p->sc->nsteps && p->sc->steps[i + 1].concurrent))
        settle(p, i + 1, st->nexpect > 0 || st->has_then);
    progress(p, HH_PLAY_AT_CHECKS, NULL);
    if (p->mismatch[0])
        hh_play_settle_mismatch(p);
    if (!e->failed && p->exp_i < st->nexpect)
        hh_play_check_step_end(p, st);
    if (!e->failed && st->has_then)
        hh_play_check_then(p, st);
}

/* ---- The run ------------------------------------------------------------------------------ */

static void finish(struct hh_player *p)
{
    struct hh_engine *e = p->e;
    struct hh_play_result *res = p->res;
    struct hh_timeline *tl;
    /* Real clock: the worker's thread ends (at its wait) before the context goes. */
    hh_engine_realtime_settle(e, -1);
    if (!e->failed && !e->abandoned)
        hh_play_driver_unload(p); /* nothing when no driver was loaded; its worker still runs */
    hh_engine_realtime_end(e);
    if (p->have_context && p->destroy && !e->abandoned)
        hh_play_destroy_context(p);
    /* After the driver's unload: its threads ended, its handles closed, then its pool. */
    hh_engine_check_handles(e);
    if (!e->failed)
        hh_play_check_leaks(p);
    /* The explored run ends here: the unload's waits are scheduling points too (a system
     * thread on its way out while the unload returns), and a schedule covers them. */
    if (p->exploring)
        hh_play_explore_end(p);
    res->end_time = e->now;
    if (e->failed && !p->no_account && e->failure.invocation > res->ninvocations) {
        /* The failure ended an invocation that never returned: keep it in the account. */
        struct hh_invocation inv;
        memset(&inv, 0, sizeof(inv));
        inv.index = e->failure.invocation;
        inv.worker = e->selected ? e->selected->number : 0;
        inv.time = e->running_since;
        inv.status = e->running_status;
        inv.decision = 0;
        inv.log = e->log ? e->log : "";
        inv.log_len = e->log_len;
        tl = p->rec.tl;
        p->rec.tl = NULL; /* its call is on the timeline; it never returned */
        record(p, &inv);
        p->rec.tl = tl;
    }
    if (e->failed) {
        res->outcome = HH_PLAY_FAIL;
        res->rule = e->failure.rule;
        res->time = e->failure.time;
        res->invocation = e->failure.invocation;
        res->step = p->step;
        res->headline = hh_play_strndup(e->failure.message, strlen(e->failure.message));
    }
}

void hh_play_setup(struct hh_player *p)
{
    const struct hh_scenario *sc = p->sc;
    const struct hh_play_options *opt = p->opt;
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start;
    size_t i;
    if (p->e) /* a fuzz session's machine, kept from its last run (keep_engine) */
        hh_engine_reset(p->e);
    else
        p->e = hh_engine_new();
    hh_engine_make_current(p->e);
    p->real = opt && hh_play_real_clock(sc, opt->clock);
    p->tolerance = p->real ? opt->tolerance : 0;
    if (p->real && hh_engine_realtime_begin(p->e, opt->tick ? opt->tick : HH_REAL_TICK) != 0)
        hh_engine_fail(p->e, HH_RULE_TIMELINE,
                       "the real clock needs a lock, two gates and a thread from the OS, and "
                       "it would not give them");
    p->e->watchdog = opt && (p->real || opt->explore) ? opt->watchdog : 0;
    if (!p->real)
        hh_play_explore_begin(p); /* its watchdog takes e->watchdog */
    p->e->livelock_limit = opt && opt->livelock_limit ? opt->livelock_limit
                           : sc->livelock_limit       ? sc->livelock_limit
                                                      : HH_DEFAULT_LIVELOCK_LIMIT;
    /* Byte by byte, branch-free: it runs at every fuzz input. */
    for (i = 0; i < HH_RULE_COUNT; i++)
        p->e->checks_off[i] =
            (unsigned char)(sc->checks_off[i] | (opt ? opt->checks_off[i] : 0));
    p->e->phase_text = phase_text;
    p->e->phase_user = p;
    p->e->context_scenario = sc->context_json;
    build_objects(p);
    if (opt && opt->timeline)
        start_timeline(p);
    p->plain = !p->real && !p->e->explore && !p->rec.tl && !(opt && opt->progress);
    if (sc->driver_mode) { /* the driver's load routine starts the worker */
        p->on_invocation = on_invocation;
        progress(p, HH_PLAY_AT_STEP, NULL);
        hh_play_timeline_step(p, "load the driver");
        hh_play_driver_load(p);
        hh_play_resolve_worker_events(p);
        hh_play_check_globals(p);
        hh_engine_realtime_settle(p->e, -1);
        hh_play_settle_mismatch(p);
        return;
    }
    start = build_start(p);
    create_context(p, start);
    hh_play_check_globals(p);
    hh_worker_configure(p->e, start, sc->true_means, on_invocation, p);
    p->start = start;
    if (!p->e->failed && sc->start_step == (size_t)-1) {
        progress(p, HH_PLAY_AT_STEP, NULL);
        hh_play_timeline_step(p, "start the worker");
        hh_worker_start(p->e);
        hh_engine_realtime_settle(p->e, -1); /* the start is not raced: nothing for virtual */
        hh_play_settle_mismatch(p);
    }
}

void hh_play_finish(struct hh_player *p)
{
    if (!p->e->failed)
        p->step = HH_STEP_END;
    progress(p, HH_PLAY_AT_END, NULL);
    finish(p);
    hh_engine_set_trace(p->e, NULL, NULL);
    hh_timeline_recorder_end(&p->rec);
    hh_engine_make_current(NULL);
    /* A hung routine's thread still runs in the engine and the module: both stay. */
    p->abandoned = p->e->abandoned;
    /* A fuzz session keeps its machine for the next run's reset (keep_engine). */
    if (!p->abandoned && !p->keep_engine)
        hh_engine_free(p->e);
    if (p->abandoned || !p->keep_engine)
        p->e = NULL;
    if (!p->e) { /* else a fuzz session's next run (keep_engine) clears and reuses them */
        free(p->objects);
        p->objects = NULL;
        free(p->names);
        p->names = NULL;
        free(p->start);
        p->start = NULL;
    }
    hh_play_explore_free(p);
}

int hh_play(const struct hh_scenario *sc, const struct hh_play_options *opt,
            struct hh_play_result *res)
{
    struct hh_player p;
    size_t i;
    memset(res, 0, sizeof(*res));
    hh_diags_init(&res->diags);
    memset(&p, 0, sizeof(p));
    p.sc = sc;
    p.opt = opt;
    p.res = res;
    p.step = HH_STEP_START;
    progress(&p, HH_PLAY_AT_SETUP, NULL);
    if (hh_play_load(&p, sc->module, sc->routine) != 0 || hh_play_check_calls(&p) != 0 ||
        hh_play_check_globals_exported(&p) != 0) {
        res->outcome = HH_PLAY_ERROR;
        hh_play_unload_all(&p);
        return res->outcome;
    }
    hh_play_setup(&p);
    for (i = 0; i < sc->nsteps && !p.e->failed; i++) {
        hh_play_run_step(&p, i);
        res->steps_run = i + 1;
    }
    hh_play_finish(&p);
    hh_play_unload_all(&p);
    return res->outcome;
}

void hh_play_result_clear(struct hh_play_result *res)
{
    size_t i;
    /* Only what was allocated: under AddressSanitizer free(NULL) records its caller's stack
     * too, and a fuzz target plays its invocations without logs. */
    for (i = 0; i < res->ninvocations; i++) {
        if (res->invocations[i].log)
            free(res->invocations[i].log);
        if (res->invocations[i].worker_label)
            free(res->invocations[i].worker_label);
    }
    if (res->invocations)
        free(res->invocations);
    if (res->headline)
        free(res->headline);
    if (res->timeline.events)
        hh_timeline_free(&res->timeline);
    hh__play_result_zero(res);
}

/* Everything but the diagnostics' text, which is read only up to their count: clearing it
 * all (over 40 KB) was most of what a fuzz input cost (docs/fuzzing.md), and most of what
 * one explored or benchmarked run spent outside the scenario (docs/performance.md). */
void hh__play_result_zero(struct hh_play_result *res)
{
    memset(res, 0, offsetof(struct hh_play_result, diags));
    res->diags.n = 0;
    res->diags.dropped = 0;
    res->has_timeline = 0;
    memset(&res->timeline, 0, sizeof(res->timeline));
}

void hh_play_result_free(struct hh_play_result *res)
{
    hh_play_result_clear(res);
}
