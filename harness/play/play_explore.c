/* play_explore.c - a run under the controlled scheduler: concurrent steps on threads of their
 * own, a scenario's "schedule" replayed by `run`, and the repeated runs of `explore`, each
 * from the module's loaded state.
 *
 * The engine interleaves (engine/explore_sched.c); the strategy chooses (harness/explore).
 * Here a run is tied to both: which strategy its points go to, what a concurrent step's
 * thread does, and what a replay that left its schedule means for the verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/schedule.h"
#include "explore/strategy.h"
#include "module.h"
#include "play_int.h"

/* The strategy's choice. A switch away from the running thread while it could go on is a
 * preemption: a recorded timeline marks it at the point the log records next. */
static int choose(void *user, const struct hh_ex_point *pt)
{
    struct hh_player *p = user;
    int id = hh_ex_choose(p->exploring, pt);
    if (p->rec.tl && p->explore_log && pt->running >= 0 && id >= 0 && id != pt->running &&
        (pt->enabled >> pt->running & 1))
        hh_tl_preemption(&p->preempted, p->explore_log->n);
    return id;
}

int hh_play_explore_begin(struct hh_player *p)
{
    const struct hh_play_options *opt = p->opt;
    char err[300];
    if (opt && opt->explore) {
        p->exploring = opt->explore;
        p->explore_log = opt->explore_log;
    } else if (p->sc->schedule) {
        /* `run` follows the scenario's schedule; the file validated, so it parses. */
        if (hh_ex_schedule_parse(p->sc->schedule, strlen(p->sc->schedule), &p->schedule, err,
                                 sizeof(err)) != 0 ||
            !(p->exploring = hh_ex_replay_new(p->schedule)))
            hh_play_oom();
        hh_ex_begin_run(p->exploring);
        memset(&p->own_log, 0, sizeof(p->own_log));
        p->explore_log = &p->own_log;
    } else {
        return 0;
    }
    if (hh_explore_begin(p->e, choose, p, p->explore_log, p->pool) != 0)
        hh_play_oom();
    return 1;
}

void hh_play_explore_end(struct hh_player *p)
{
    char msg[600];
    if (!p->schedule)
        return;
    if (hh_ex_divergence(p->exploring, msg, sizeof(msg))) {
        if (!p->e->failed)
            hh_engine_fail(p->e, HH_RULE_TIMELINE,
                           "the run left the scenario's \"schedule\": %s; the routine or the "
                           "driver code no longer makes the calls it was recorded on: explore "
                           "the scenario again (hotswap-harness explore) for a new one",
                           msg);
    }
    hh_ex_end_run(p->exploring, p->e->failed);
}

void hh_play_explore_free(struct hh_player *p)
{
    if (p->schedule) {
        hh_ex_free(p->exploring);
        hh_ex_schedule_free(p->schedule);
        free(p->own_log.events);
        p->schedule = NULL;
    }
    p->exploring = NULL;
    p->explore_log = NULL;
    p->nconc = 0;
    hh_tl_preemptions_free(&p->preempted);
}

static void run_concurrent(void *arg)
{
    struct hh_play_conc *c = arg;
    hh_play_call(c->p, c->st);
}

void hh_play_concurrent(struct hh_player *p, const struct hh_sc_step *st)
{
    struct hh_play_conc *c;
    if (p->nconc == HH_PLAY_MAX_CONCURRENT) {
        hh_engine_fail(p->e, HH_RULE_TIMELINE, "more than %d concurrent steps in one run",
                       HH_PLAY_MAX_CONCURRENT);
        return;
    }
    c = &p->conc[p->nconc++];
    c->p = p;
    c->st = st;
    /* A concurrent advance is the clock moving while the others run: its timers' DPCs may
     * come at any of their scheduling points. */
    if (st->action == HH_ACT_ADVANCE
            ? hh_explore_spawn_clock(p->e, hh_engine_thread(p->e, st->thread),
                                     p->e->now + st->advance) != 0
            : hh_explore_spawn(p->e, hh_engine_thread(p->e, st->thread), run_concurrent, c) != 0)
        hh_engine_fail(p->e, HH_RULE_TIMELINE,
                       "the concurrent step's thread could not be made (the thread '%s' already "
                       "runs a step, or the OS would give no thread)",
                       st->thread);
}

/* ---- explore: many runs, the module loaded once ------------------------------------------ */

struct hh_play_explorer {
    struct hh_player p;
    /* The modules as loaded (the scenario's, and on the shelf the images its hotswap steps
     * swap in) and their functions: each run starts from these. */
    struct hh_player base;
    struct hh_play_result setup; /* the load's diagnostics */
};

/* The images the scenario's hotswap steps swap in, loaded now and their data kept as loaded,
 * onto p's shelf; p's modules and functions stay the scenario's own. */
static int load_swaps(struct hh_player *p)
{
    const struct hh_scenario *sc = p->sc;
    struct hh_player own = *p;
    size_t i;
    for (i = 0; i < sc->nsteps; i++) {
        const struct hh_sc_step *st = &sc->steps[i];
        const struct hh_sc_hotswap *h = &st->hotswap;
        if (st->action != HH_ACT_HOTSWAP)
            continue;
        if (hh_play_load(p, h->module,
                         sc->driver_mode ? h->load : h->routine ? h->routine : sc->routine) != 0 ||
            hh_module_snapshot_data(p->modules[p->nmodules - 1], sc->file, &p->res->diags) != 0) {
            struct hh_diags *d = &p->res->diags;
            if (d->n && d->items[d->n - 1].line == 0) { /* say which step swaps it in */
                d->items[d->n - 1].line = st->pos.line;
                d->items[d->n - 1].col = st->pos.col;
                snprintf(d->items[d->n - 1].path, sizeof(d->items[0].path), "%s", st->path);
            }
            return -1;
        }
    }
    for (i = own.nmodules; i < p->nmodules; i++)
        p->shelf[p->nshelf++] = p->modules[i];
    p->nmodules = own.nmodules;
    p->routine = own.routine;
    p->create = own.create;
    p->destroy = own.destroy;
    p->describe = own.describe;
    p->load = own.load;
    p->unload = own.unload;
    return 0;
}

/* Closes the explorer's modules, the shelf's too (kept loaded when a run was abandoned). */
static void unload_base(struct hh_play_explorer *x)
{
    size_t i;
    for (i = 0; i < x->base.nshelf; i++)
        x->base.modules[x->base.nmodules++] = x->base.shelf[i];
    x->base.nshelf = 0;
    x->base.abandoned = x->p.abandoned;
    x->base.res = &x->setup;
    hh_play_unload_all(&x->base);
}

int hh_play_explorer_open(const struct hh_scenario *sc, const struct hh_play_options *opt,
                          struct hh_play_explorer **out, struct hh_diags *diags)
{
    struct hh_play_explorer *x = calloc(1, sizeof(*x));
    size_t i;
    if (!x)
        hh_play_oom();
    x->p.sc = sc;
    x->p.opt = opt;
    x->p.res = &x->setup;
    hh_diags_init(&x->setup.diags);
    if (!(x->p.pool = hh_ex_pool_new()))
        hh_play_oom();
    if (hh_play_load(&x->p, sc->module, sc->routine) != 0 || hh_play_check_calls(&x->p) != 0 ||
        hh_play_check_globals_exported(&x->p) != 0 ||
        hh_module_snapshot_data(x->p.modules[0], sc->file, &x->setup.diags) != 0 ||
        load_swaps(&x->p) != 0) {
        *diags = x->setup.diags;
        for (i = 0; i < x->p.nshelf; i++) /* the swaps' images loaded so far */
            x->p.modules[x->p.nmodules++] = x->p.shelf[i];
        hh_play_unload_all(&x->p);
        hh_ex_pool_free(x->p.pool);
        free(x);
        return -1;
    }
    x->base = x->p;
    *out = x;
    return 0;
}

/* The run's driver code: its set-up, its steps and its end, on the pool's runner. */
static void run_steps(void *arg)
{
    struct hh_player *p = arg;
    size_t i;
    hh_play_setup(p);
    for (i = 0; i < p->sc->nsteps && !p->e->failed; i++) {
        hh_play_run_step(p, i);
        p->res->steps_run = i + 1;
    }
    hh_play_finish(p);
}

int hh_play_explorer_run(struct hh_play_explorer *x, struct hh_play_result *res)
{
    const struct hh_player *base = &x->base;
    struct hh_player *p = &x->p;
    const void *site_addr = p->unload_site_addr;
    char site[sizeof(p->unload_site)];
    size_t i;
    if (!p->abandoned) {
        for (i = 0; i < base->nmodules; i++)
            hh_module_restore_data(base->modules[i]);
        for (i = 0; i < base->nshelf; i++)
            hh_module_restore_data(base->shelf[i]);
    }
    memcpy(site, p->unload_site, sizeof(site)); /* named by the last run: kept, not looked up */
    memset(p, 0, sizeof(*p));
    memcpy(p->modules, base->modules, sizeof(base->modules));
    p->nmodules = base->nmodules;
    memcpy(p->shelf, base->shelf, sizeof(base->shelf));
    p->nshelf = base->nshelf;
    p->routine = base->routine;
    p->create = base->create;
    p->destroy = base->destroy;
    p->describe = base->describe;
    p->load = base->load; /* driver mode: the load routine runs again, on fresh globals */
    p->unload = base->unload;
    p->unload_site_addr = site_addr;
    memcpy(p->unload_site, site, sizeof(p->unload_site));
    p->sc = base->sc;
    p->opt = base->opt;
    p->pool = base->pool;
    p->res = res;
    p->step = HH_STEP_START;
    hh__play_result_zero(res);
    if (hh_ex_pool_run(p->pool, run_steps, p) != 0) {
        /* Its driver code never came back: the run ends here, as it stands. */
        hh_explore_driver_hung(p->e);
        hh_play_finish(p);
    }
    return res->outcome;
}

void hh_play_explorer_close(struct hh_play_explorer *x)
{
    if (!x)
        return;
    unload_base(x);
    hh_play_result_free(&x->setup);
    hh_ex_pool_free(x->p.pool);
    free(x);
}
