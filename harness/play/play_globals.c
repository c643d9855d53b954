/* play_globals.c - scenario objects that are the module's own exported globals.
 *
 * An object with "global" is the module's variable of that name, not one the harness makes:
 * the worker waits on it and steps act on it where the driver keeps it. Its state is what
 * the driver's code (HotswapCreateContext, or a call) gave it, and its type is read from its
 * dispatcher header (HhKind, set by KeInitializeXxx), so memory no KeInitializeXxx has made
 * an object, or an object of a type the step cannot act on, is reported by name.
 */
#include <stdio.h>
#include <string.h>

#include "common/suggest.h"
#include "module.h"
#include "play_int.h"

int hh_play_check_globals_exported(struct hh_player *p)
{
    const struct hh_scenario *sc = p->sc;
    struct hh_module *m = p->modules[0];
    size_t i;
    int bad = 0;
    for (i = 0; i < sc->nobjects; i++) {
        const struct hh_sc_object *o = &sc->objects[i];
        char best[HH_SUGGEST_MAX_LEN + 1], near[HH_SUGGEST_MAX_LEN + 32] = "", path[160];
        if (!o->global || hh_module_symbol(m, o->global))
            continue;
        if (hh_module_suggest_export(m, o->global, best, sizeof(best)))
            snprintf(near, sizeof(near), " (did you mean '%s'?)", best);
        if (o->from_step) /* named by a step: the diagnostic stands there */
            snprintf(path, sizeof(path), "%s", o->from_path);
        else
            snprintf(path, sizeof(path), "objects[%lu].global", (unsigned long)i);
        hh_diags_add(&p->res->diags, sc->file, o->global_pos.line, o->global_pos.col, path,
                     "%s exports no global '%s'%s: define it at file scope, not static, and, "
                     "on Windows, export it", hh_module_path(m), o->global, near);
        bad = 1;
    }
    return bad ? -1 : 0;
}

PVOID hh_play_global(struct hh_player *p, size_t i)
{
    return hh_module_symbol(p->modules[0], p->sc->objects[i].global);
}

/* "'QueueWorkEvent' (the module's global QueueWorkEvent)" */
static const char *global_text(const struct hh_sc_object *o, char *buf, size_t len)
{
    if (o->worker_event && o->worker > 1)
        snprintf(buf, len, "'%s' (worker %u's start context's Events[%d])", o->name,
                 o->worker, o->worker_event - 1);
    else if (o->worker_event)
        snprintf(buf, len, "'%s' (the worker's start context's Events[%d])", o->name,
                 o->worker_event - 1);
    else if (strcmp(o->name, o->global) == 0)
        snprintf(buf, len, "'%s' (the module's global)", o->name);
    else
        snprintf(buf, len, "'%s' (the module's global %s)", o->name, o->global);
    return buf;
}

/* "objects[1] " for an object the scenario lists; "" for one a step named. */
static const char *object_index(const struct hh_sc_object *o, size_t i, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!o->from_step)
        snprintf(buf, len, "objects[%lu] ", (unsigned long)i);
    return buf;
}

void hh_play_check_globals(struct hh_player *p)
{
    const struct hh_scenario *sc = p->sc;
    char where[40];
    size_t i;
    for (i = 0; i < sc->nobjects && !p->e->failed; i++) {
        const struct hh_sc_object *o = &sc->objects[i];
        const DISPATCHER_HEADER *h = p->objects[i];
        char what[160];
        if (!o->global)
            continue;
        if (h->HhKind == HH_OBJECT_NONE)
            hh_engine_fail(p->e, HH_RULE_CONTEXT,
                           "%s%s is not a dispatcher object after the set-up: its header "
                           "is all zero (HhKind 0), as no KeInitializeXxx has run on it; "
                           "initialize it in the module's set-up (%s)",
                           object_index(o, i, where, sizeof(where)),
                           global_text(o, what, sizeof(what)),
                           sc->driver_mode ? sc->driver.load : "HotswapCreateContext");
        else if (o->type != HH_OBJECT_NONE && h->HhKind != o->type)
            hh_engine_fail(p->e, HH_RULE_CONTEXT,
                           "%s%s is a %s, and the scenario says it is a %s",
                           object_index(o, i, where, sizeof(where)),
                           global_text(o, what, sizeof(what)),
                           hh_sc_object_type_name(h->HhKind), hh_sc_object_type_name(o->type));
    }
}

/* The start context of the driver's worker number n (from 1), or NULL while it has not
 * started that many. */
static const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *worker_start(struct hh_player *p,
                                                                           unsigned n)
{
    const struct hh_worker *w = hh_play_worker(p->e, n);
    return w ? w->start : NULL;
}

void hh_play_resolve_worker_events(struct hh_player *p)
{
    const struct hh_scenario *sc = p->sc;
    size_t i;
    for (i = 0; i < sc->nobjects; i++) {
        const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start;
        ULONG n = (ULONG)sc->objects[i].worker_event;
        if (n && (start = worker_start(p, sc->objects[i].worker)) != NULL && n <= start->EventCount)
            p->objects[i] = start->Events[n - 1];
    }
}

/* Fails the step: object i is a place of a worker's start context that is not there. */
static int object_unknown(struct hh_player *p, size_t i)
{
    const struct hh_sc_object *o = &p->sc->objects[i];
    const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start = worker_start(p, o->worker);
    char step[200], place[32] = "worker";
    hh_play_step_text(p, step, sizeof(step));
    if (o->worker > 1)
        snprintf(place, sizeof(place), "worker[%u]", o->worker);
    if (!start && o->worker > 1)
        hh_engine_fail(p->e, HH_RULE_TIMELINE,
                       "%s: '%s' is a place in the start context of worker %u, and the driver "
                       "has started %u worker%s so far (IoDriverProxyCreateHotSwappableWorker"
                       "Thread)", step, o->name, o->worker, hh_play_worker_count(p->e),
                       hh_play_worker_count(p->e) == 1 ? "" : "s");
    else if (!start)
        hh_engine_fail(p->e, HH_RULE_TIMELINE,
                       "%s: '%s' is a place in the worker's start context, and no worker "
                       "exists: %s started none (IoDriverProxyCreateHotSwappableWorkerThread)",
                       step, o->name, p->sc->driver.load);
    else
        hh_engine_fail(p->e, HH_RULE_TIMELINE,
                       "%s: '%s' is past the worker's start context, which lists %lu object%s "
                       "(%s.events[0] to %s.events[%lu])", step, o->name,
                       (unsigned long)start->EventCount, start->EventCount == 1 ? "" : "s",
                       place, place, (unsigned long)start->EventCount - 1);
    return 0;
}

int hh_play_object_known(struct hh_player *p, size_t i)
{
    return p->objects[i] != &p->unresolved || object_unknown(p, i);
}

const struct hh_worker *hh_play_worker(struct hh_engine *e, unsigned n)
{
    const struct hh_worker *w = hh_engine_workers(e);
    for (; w; w = w->next) {
        if (w->number == n)
            return w;
    }
    return NULL;
}

int hh_play_worker_target(struct hh_player *p, const struct hh_sc_worker_ref *ref,
                          const char *key, PKTHREAD *thread, enum hh_worker_state *state)
{
    struct hh_engine *e = p->e;
    const struct hh_worker *w = hh_engine_workers(e);
    char step[200];
    if (!w || (!ref->number && !ref->routine)) { /* the first worker (routine mode: the one) */
        *thread = w ? w->thread : e->worker;
        *state = w ? w->state : e->state;
        return 0;
    }
    for (; w; w = w->next) {
        if (ref->number ? w->number == ref->number : strcmp(w->routine, ref->routine) == 0) {
            *thread = w->thread;
            *state = w->state;
            return 0;
        }
    }
    hh_play_step_text(p, step, sizeof(step));
    if (ref->number)
        hh_engine_fail(e, HH_RULE_TIMELINE,
                       "%s: %s names worker %u, and the driver has started %u worker%s so far",
                       step, key, ref->number, hh_play_worker_count(e),
                       hh_play_worker_count(e) == 1 ? "" : "s");
    else
        hh_engine_fail(e, HH_RULE_TIMELINE,
                       "%s: %s names the worker running %s, and none of the driver's %u "
                       "worker%s does (a routine is named by its exported symbol)",
                       step, key, ref->routine, hh_play_worker_count(e),
                       hh_play_worker_count(e) == 1 ? "" : "s");
    return -1;
}

unsigned hh_play_worker_count(struct hh_engine *e)
{
    const struct hh_worker *w = hh_engine_workers(e);
    unsigned n = 0;
    for (; w; w = w->next)
        n++;
    return n;
}

/* Whether a global or start-context object fits the step's action; fails the step if not. */
int hh__play_place_fits(struct hh_player *p, const struct hh_sc_step *st, size_t i)
{
    const struct hh_sc_object *o = &p->sc->objects[i];
    const DISPATCHER_HEADER *h = p->objects[i];
    char what[160], step[200], verb[120];
    if (!hh_play_object_known(p, i))
        return 0;
    if (hh_sc_action_takes(st->action, h->HhKind))
        return 1;
    hh_play_describe_step(p->sc, p->step, verb, sizeof(verb));
    verb[strcspn(verb, " ")] = '\0';
    hh_engine_fail(p->e, HH_RULE_TIMELINE, "%s: %s is %s%s, which \"%s\" does not act on",
                   hh_play_step_text(p, step, sizeof(step)), global_text(o, what, sizeof(what)),
                   h->HhKind == HH_OBJECT_NONE ? "not initialized (HhKind 0)" : "a ",
                   h->HhKind == HH_OBJECT_NONE ? "" : hh_sc_object_type_name(h->HhKind), verb);
    return 0;
}
