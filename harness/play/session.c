/* session.c - fuzz sessions: the module loaded once, many runs of steps made up as they go.
 *
 * A run is the player's own set-up, step and finish (play.c) on a scenario view whose steps
 * are the run's: every step is judged by the same invariants and contract checks as under
 * `run`, only the scenario's expectations are off. Every run starts from the module's loaded
 * state: its writable data, saved before its context was first created, is copied back
 * before the run sets up. Nothing here decodes or prints.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textput.h"
#include "module.h"
#include "play_int.h"

struct hh_session {
    struct hh_scenario view;   /* the configuration, with the run's steps */
    struct hh_play_options opt;
    struct hh_player p;
    struct hh_play_result res;
    /* The run's steps; their objects, thread and note are stored here. */
    struct hh_sc_step *steps;
    size_t (*objects)[MAXIMUM_WAIT_OBJECTS];
    char (*threads)[HH_SESSION_NAME_MAX];
    char (*notes)[HH_SESSION_NAME_MAX];
    size_t nsteps, cap;
    size_t npaths; /* steps[0 .. npaths) hold their path ("steps[N]") from an earlier run */
    int running;
    int fresh; /* a new machine for every run instead of one reset (hh_session_fresh_machines) */
    int no_logs; /* runs record no DbgPrint logs (hh_session_keep_logs) */
    int quiet;   /* runs keep no account (hh_session_keep_account) */
    NTSTATUS note_status[HH_SESSION_NOTES]; /* hh_session_status_note */
    char status_notes[HH_SESSION_NOTES][HH_SESSION_NAME_MAX];
    size_t nnotes;
    /* The last run's invocation records, for the next run's (no allocation per run). */
    struct hh_play_invocation *inv_keep;
    size_t inv_keep_cap;
};

/* The decoders choose each step's action by the object's type before the module's own code
 * has initialized its globals, so a fuzz configuration gives the type of every global object. */
static int check_global_types(const struct hh_scenario *sc, struct hh_diags *d)
{
    size_t i;
    int bad = 0;
    for (i = 0; i < sc->nobjects; i++) {
        const struct hh_sc_object *o = &sc->objects[i];
        char path[48];
        if (!o->global || o->type != HH_OBJECT_NONE)
            continue;
        snprintf(path, sizeof(path), "objects[%lu]", (unsigned long)i);
        hh_diags_add(d, sc->file, o->global_pos.line, o->global_pos.col, path,
                     "the global '%s' has no \"type\": fuzzing chooses actions by an object's "
                     "type before the module initializes its globals; add \"type\" (for "
                     "example \"notification_event\")",
                     o->global);
        bad = 1;
    }
    return bad ? -1 : 0;
}

int hh_session_open(const struct hh_scenario *sc, const struct hh_play_options *opt,
                    struct hh_session **out, struct hh_diags *diags)
{
    struct hh_session *s;
    if (sc->driver_mode) { /* the decoders' steps start from a routine's own worker */
        hh_diags_init(diags);
        hh_diags_add(diags, sc->file, sc->driver.pos.line, sc->driver.pos.col, "driver",
                     "fuzzing plays scenarios that name a \"routine\"; one with \"driver\" "
                     "is played by run and validate only");
        return -1;
    }
    s = calloc(1, sizeof(*s));
    if (!s)
        hh_play_oom();
    s->view = *sc;
    s->view.steps = NULL;
    s->view.nsteps = 0;
    s->view.start_step = (size_t)-1;
    if (opt)
        s->opt = *opt;
    s->opt.clock = HH_CLOCK_VIRTUAL_ALWAYS; /* a run must replay the same */
    s->p.sc = &s->view;
    s->p.opt = &s->opt;
    s->p.res = &s->res;
    hh_diags_init(&s->res.diags);
    if (check_global_types(sc, &s->res.diags) != 0 ||
        hh_play_load(&s->p, sc->module, sc->routine) != 0 || hh_play_check_calls(&s->p) != 0 ||
        hh_play_check_globals_exported(&s->p) != 0 ||
        hh_module_snapshot_data(s->p.modules[0], sc->file, &s->res.diags) != 0) {
        *diags = s->res.diags;
        hh_play_unload_all(&s->p);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

static void drop_account(struct hh_session *s)
{
    size_t i;
    if (s->res.invocations) { /* the records' memory stays for the next run */
        for (i = 0; i < s->res.ninvocations; i++) {
            if (s->res.invocations[i].log) /* see hh_play_result_clear */
                free(s->res.invocations[i].log);
        }
        s->inv_keep = s->res.invocations;
        s->inv_keep_cap = s->p.inv_cap;
        s->res.invocations = NULL;
        s->res.ninvocations = 0;
    }
    hh_play_result_clear(&s->res);
}

void hh_session_close(struct hh_session *s)
{
    if (!s)
        return;
    if (s->running)
        hh_session_end(s);
    drop_account(s);
    if (s->p.e && !s->p.abandoned)
        hh_engine_free(s->p.e);
    hh_play_unload_all(&s->p);
    free(s->p.objects);
    free((void *)s->p.names);
    free(s->p.start);
    free(s->inv_keep);
    free(s->steps);
    free(s->objects);
    free(s->threads);
    free(s->notes);
    free(s);
}

void hh_session_forget(struct hh_session *s)
{
    if (!s->running)
        drop_account(s);
}

/* The module's globals and statics as they were when it was loaded, so that no run depends
 * on what an earlier one left there. Not while a hung routine still runs in the module. */
static void restore_module_data(struct hh_player *p)
{
    size_t i;
    for (i = 0; i < p->nmodules && !p->abandoned; i++)
        hh_module_restore_data(p->modules[i]);
}

void hh_session_begin(struct hh_session *s)
{
    struct hh_player *p = &s->p;
    struct hh_engine *e;
    if (s->running)
        hh_session_end(s);
    e = p->abandoned ? NULL : p->e; /* one machine, unless a hung routine still runs in it */
    drop_account(s);
    restore_module_data(p);
    /* A fresh player but for what it keeps, which comes first (play_int.h); not the 4 KB of
     * buffers last either. */
    memset((char *)p + offsetof(struct hh_player, sc), 0,
           offsetof(struct hh_player, mismatch) - offsetof(struct hh_player, sc));
    p->mismatch[0] = '\0';
    s->res.invocations = s->inv_keep;
    s->p.inv_cap = s->inv_keep_cap;
    s->inv_keep = NULL;
    s->inv_keep_cap = 0;
    s->p.sc = &s->view;
    s->p.opt = &s->opt;
    s->p.res = &s->res;
    s->p.step = HH_STEP_START;
    s->p.expectations_off = 1;
    s->p.keep_engine = !s->fresh; /* the machine reset for each run */
    s->p.no_logs = s->no_logs;
    s->p.no_account = s->quiet;
    s->p.e = e;
    if (s->p.e && s->fresh) {
        hh_engine_free(s->p.e);
        s->p.e = NULL;
    }
    s->nsteps = 0;
    s->view.nsteps = 0;
    s->running = 1;
    hh_play_setup(&s->p);
}

/* Step storage grows; the steps point into the side arrays, so re-point them after. */
static void grow(struct hh_session *s)
{
    size_t cap = s->cap ? s->cap * 2 : 64, i;
    struct hh_sc_step *steps = realloc(s->steps, cap * sizeof(*steps));
    size_t(*objects)[MAXIMUM_WAIT_OBJECTS] =
        steps ? realloc(s->objects, cap * sizeof(*objects)) : NULL;
    char(*threads)[HH_SESSION_NAME_MAX] =
        objects ? realloc(s->threads, cap * sizeof(*threads)) : NULL;
    char(*notes)[HH_SESSION_NAME_MAX] = threads ? realloc(s->notes, cap * sizeof(*notes)) : NULL;
    if (steps)
        s->steps = steps;
    if (objects)
        s->objects = objects;
    if (threads)
        s->threads = threads;
    if (!notes)
        hh_play_oom();
    s->notes = notes;
    /* New steps start cleared: keep_step writes only what a session's step uses. */
    memset(&s->steps[s->cap], 0, (cap - s->cap) * sizeof(*steps));
    s->cap = cap;
    for (i = 0; i < s->nsteps; i++) {
        if (s->steps[i].objects)
            s->steps[i].objects = s->objects[i];
        if (s->steps[i].thread)
            s->steps[i].thread = s->threads[i];
        if (s->steps[i].note)
            s->steps[i].note = s->notes[i];
    }
    s->view.steps = s->steps;
}

const char *hh_session_status_note(struct hh_session *s, NTSTATUS status)
{
    size_t i, at;
    for (i = 0; i < s->nnotes; i++) {
        if (s->note_status[i] == status)
            return s->status_notes[i];
    }
    if (s->nnotes == HH_SESSION_NOTES)
        return NULL;
    at = hh_text_put(s->status_notes[i], HH_SESSION_NAME_MAX, 0, "for ");
    hh_play_status_text(status, s->status_notes[i] + at, HH_SESSION_NAME_MAX - at);
    s->note_status[i] = status;
    s->nnotes = i + 1;
    return s->status_notes[i];
}

static int is_status_note(const struct hh_session *s, const char *note)
{
    size_t i;
    for (i = 0; i < s->nnotes; i++) {
        if (note == s->status_notes[i])
            return 1;
    }
    return 0;
}

/* Appends a copy of st (NULL: a step with no action) and returns its index. Only the
 * members copied here are written (the rest of a step stays as grow cleared it, its path
 * as the index's from an earlier run): clearing the whole step (500 bytes) at every step
 * cost more than the copy, through AddressSanitizer's memset. */
static size_t keep_step(struct hh_session *s, const struct hh_sc_step *st, const char *note)
{
    static const struct hh_sc_step none; /* a step with no action */
    const struct hh_sc_step *from = st ? st : &none;
    size_t i = s->nsteps, at;
    struct hh_sc_step *d;
    if (s->nsteps == s->cap)
        grow(s);
    d = &s->steps[i];
    d->action = from->action;
    d->has_at = from->has_at;
    d->at = from->at;
    d->count = from->count;
    d->advance = from->advance;
    d->due = from->due;
    d->period_ms = from->period_ms;
    d->alert_mode = from->alert_mode;
    /* A call's strings are the scenario's, which outlives the session. Other steps have
     * none (the call cleared, 200 bytes): copied only where one of the two is a call. */
    if (from->call.function || d->call.function)
        d->call = from->call;
    d->nobjects = 0;
    d->objects = NULL;
    d->thread = NULL;
    d->note = NULL;
    if (st) {
        if (st->nobjects) {
            d->nobjects = st->nobjects < MAXIMUM_WAIT_OBJECTS ? st->nobjects
                                                              : MAXIMUM_WAIT_OBJECTS;
            if (d->nobjects == 1) /* the common step: no memcpy, which ASan checks */
                s->objects[i][0] = st->objects[0];
            else
                memcpy(s->objects[i], st->objects, d->nobjects * sizeof(*st->objects));
            d->objects = s->objects[i];
        }
        if (st->thread) {
            hh_text_put(s->threads[i], HH_SESSION_NAME_MAX, 0, st->thread);
            d->thread = s->threads[i];
        }
        note = st->note;
    }
    if (note && is_status_note(s, note)) {
        d->note = (char *)note; /* the session's own, never written through */
    } else if (note) {
        hh_text_put(s->notes[i], HH_SESSION_NAME_MAX, 0, note);
        d->note = s->notes[i];
    }
    if (i >= s->npaths) {
        at = hh_text_put(d->path, sizeof(d->path), 0, "steps[");
        at = hh_text_put_ulong(d->path, sizeof(d->path), at, (unsigned long)i);
        hh_text_put(d->path, sizeof(d->path), at, "]");
        s->npaths = i + 1;
    }
    s->nsteps = i + 1;
    s->view.steps = s->steps;
    s->view.nsteps = s->nsteps;
    return i;
}

int hh_session_step(struct hh_session *s, const struct hh_sc_step *st)
{
    size_t i;
    if (!s->running || s->p.e->failed)
        return -1;
    if (s->quiet && st) { /* played where the caller keeps it: no copy */
        i = s->nsteps++;
        if (!hh_play_plain_step(&s->p, st, i))
            hh_play_run_step_at(&s->p, st, i);
        s->res.steps_run = s->nsteps;
        return s->p.e->failed ? -1 : 0;
    }
    i = keep_step(s, st, NULL);
    hh_play_run_step(&s->p, i);
    s->res.steps_run = s->nsteps;
    return s->p.e->failed ? -1 : 0;
}

int hh_session_deliver(struct hh_session *s, NTSTATUS status)
{
    struct hh_engine *e = s->p.e;
    char note[HH_SESSION_NAME_MAX];
    size_t at;
    if (!s->running || e->failed)
        return -1;
    /* STATUS_PENDING is how the engine says a wait has not completed: it cannot be handed
     * over as a result. */
    if (e->state != HH_WORKER_WAITING || !e->worker->blocked || e->worker->has_pending ||
        status == STATUS_PENDING)
        return 1;
    if (s->quiet) {
        s->p.step = s->nsteps++;
    } else {
        at = hh_text_put(note, sizeof(note), 0, "deliver ");
        hh_play_status_text(status, note + at, sizeof(note) - at);
        s->p.step = keep_step(s, NULL, note);
        s->steps[s->p.step].count = (LONG)status; /* a step with no action keeps the status */
    }
    s->res.steps_run = s->nsteps;
    if (s->opt.progress)
        s->opt.progress(s->opt.progress_user, HH_PLAY_AT_STEP, s->p.step, NULL);
    hh_wait_complete(e, e->worker, status);
    hh_worker_run(e);
    return e->failed ? -1 : 0;
}

int hh_session_end(struct hh_session *s)
{
    if (!s->running)
        return s->res.outcome;
    s->running = 0;
    hh_play_finish(&s->p);
    s->p.have_context = 0;
    return s->res.outcome;
}

void hh_session_fresh_machines(struct hh_session *s, int on)
{
    s->fresh = on;
}

void hh_session_keep_logs(struct hh_session *s, int on)
{
    s->no_logs = !on;
}

void hh_session_keep_account(struct hh_session *s, int on)
{
    s->quiet = !on;
}

int hh_session_keeps_account(const struct hh_session *s)
{
    return !s->quiet;
}

struct hh_engine *hh_session_engine(const struct hh_session *s)
{
    return s->p.e;
}

PVOID hh_session_object(const struct hh_session *s, size_t i)
{
    return s->p.objects[i];
}

const struct hh_scenario *hh_session_scenario(const struct hh_session *s)
{
    return &s->view;
}

const struct hh_play_result *hh_session_result(const struct hh_session *s)
{
    return &s->res;
}

PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE hh_session_routine(const struct hh_session *s)
{
    return s->p.routine;
}

PVOID hh_session_context(const struct hh_session *s)
{
    return s->p.context;
}

void hh_session_adapter(const struct hh_session *s, HOTSWAP_CREATE_CONTEXT **create,
                        HOTSWAP_DESTROY_CONTEXT **destroy, HOTSWAP_CONTEXT_ARGS *args)
{
    *create = s->p.create;
    *destroy = s->p.destroy;
    memset(args, 0, sizeof(*args));
    args->ObjectCount = (ULONG)s->view.nobjects;
    args->Objects = (PVOID const *)s->p.objects;
    args->ObjectNames = s->p.names;
    args->ContextJson = s->view.context_json;
    args->StartContext = s->p.start;
}
