/* play_timeline.c - recording a run's timeline (timeline.h): the engine's events mapped onto
 * the scenario's objects, plus what the player adds itself (steps, returns). */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "play.h"
#include "play_int.h"
#include "shim/pool.h"

static const char *const kind_names[HH_TL_KINDS] = {"step", "object", "call", "return",
                                                    "wait", "waited", "dpc", "pool", "point"};

const char *hh_tl_kind_name(enum hh_tl_kind k)
{
    return (unsigned)k < HH_TL_KINDS ? kind_names[k] : "?";
}

enum hh_tl_kind hh_tl_kind_from_name(const char *name)
{
    int k;
    for (k = 0; k < HH_TL_KINDS; k++) {
        if (strcmp(kind_names[k], name) == 0)
            return (enum hh_tl_kind)k;
    }
    return HH_TL_KINDS;
}

void hh_tl_event_init(struct hh_tl_event *ev, enum hh_tl_kind kind, hh_time t, size_t step)
{
    memset(ev, 0, sizeof(*ev));
    ev->kind = kind;
    ev->time = t;
    ev->step = step;
    ev->lane = -1;
    ev->due = -1;
}

void hh_timeline_add(struct hh_timeline *tl, const struct hh_tl_event *ev)
{
    struct hh_tl_event *d;
    if (tl->n >= HH_TL_MAX_EVENTS) {
        tl->dropped++;
        return;
    }
    if (tl->n == tl->cap) {
        size_t cap = tl->cap ? tl->cap * 2 : 64;
        struct hh_tl_event *grown = realloc(tl->events, cap * sizeof(*grown));
        if (!grown)
            hh_play_oom();
        tl->events = grown;
        tl->cap = cap;
    }
    d = &tl->events[tl->n++];
    *d = *ev;
    d->text = ev->text ? hh_play_strndup(ev->text, strlen(ev->text)) : NULL;
    d->what = ev->what ? hh_play_strndup(ev->what, strlen(ev->what)) : NULL;
}

static void added(struct hh_tl_recorder *r, const struct hh_tl_event *ev)
{
    hh_timeline_add(r->tl, ev);
    if (r->added)
        r->added(r->added_user);
}

void hh_tl_preemption(struct hh_tl_preemptions *pr, size_t point)
{
    if (pr->n == pr->cap) {
        size_t cap = pr->cap ? pr->cap * 2 : 16;
        size_t *grown = realloc(pr->points, cap * sizeof(*grown));
        if (!grown)
            hh_play_oom();
        pr->points = grown;
        pr->cap = cap;
    }
    pr->points[pr->n++] = point;
}

void hh_tl_preemptions_free(struct hh_tl_preemptions *pr)
{
    if (pr->points) /* none unless explored: free(NULL) costs a stack trace under ASan */
        free(pr->points);
    memset(pr, 0, sizeof(*pr));
}

/* Whether log point i preempted (i ascending from one call to the next). */
static int preempted(struct hh_tl_recorder *r, size_t i)
{
    const struct hh_tl_preemptions *pr = r->preempted;
    if (!pr)
        return 0;
    while (r->preempted_seen < pr->n && pr->points[r->preempted_seen] < i)
        r->preempted_seen++;
    return r->preempted_seen < pr->n && pr->points[r->preempted_seen] == i;
}

void hh_timeline_points(struct hh_tl_recorder *r)
{
    const struct hh_explore_log *log = r->points;
    size_t i, j;
    if (!log || !r->tl)
        return;
    /* The thread keeps the baton from one point to the next, and the clock stands still
     * while explored threads run: a point is at the time of the event before it. */
    for (i = r->points_seen; i < log->n; i = j) {
        const struct hh_explore_event *pt = &log->events[i];
        struct hh_tl_event ev;
        hh_tl_event_init(&ev, HH_TL_POINT, r->tl->n ? r->tl->events[r->tl->n - 1].time : 0,
                         *r->step);
        /* A thread doing the same again (a poll, a stall in a loop) is one event. */
        for (j = i + 1; j < log->n && log->events[j].thread == pt->thread &&
                        !log->events[j].choice && strcmp(log->events[j].ddi, pt->ddi) == 0;
             j++)
            ;
        ev.lane = (long)pt->thread;
        ev.text = pt->thread < log->n_threads ? (char *)log->names[pt->thread] : NULL;
        ev.what = (char *)pt->ddi;
        ev.value = (long long)i + 1;
        ev.repeat = (unsigned long)(j - i);
        ev.chosen = pt->choice;
        ev.preempted = preempted(r, i);
        added(r, &ev);
    }
    r->points_seen = log->n;
}

void hh_timeline_record(struct hh_tl_recorder *r, const struct hh_tl_event *ev)
{
    hh_timeline_points(r);
    added(r, ev);
}

void hh_timeline_free(struct hh_timeline *tl)
{
    size_t i;
    for (i = 0; i < tl->n; i++) {
        free(tl->events[i].text);
        free(tl->events[i].what);
    }
    free(tl->events);
    memset(tl, 0, sizeof(*tl));
}

static long lane_of(const struct hh_tl_recorder *r, PVOID object)
{
    size_t i;
    for (i = 0; i < r->nobjects; i++) {
        if (r->objects[i] == object)
            return (long)i; /* the first of names for one object */
    }
    return -1;
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void object_event(struct hh_tl_recorder *r, long lane, const struct hh_object_state *st,
                         hh_time t)
{
    struct hh_tl_event ev;
    size_t last = r->last ? r->last[lane] : 0;
    if (last) {
        /* A change that changed nothing (a notification event satisfying a wait) is no
         * event: the lane would show the same state twice. */
        const struct hh_tl_event *prev = &r->tl->events[last - 1];
        if (prev->signal == st->signal && prev->abandoned == st->abandoned &&
            prev->due == st->due && same_text(prev->text, st->owner))
            return;
    }
    hh_tl_event_init(&ev, HH_TL_OBJECT, t, *r->step);
    ev.lane = lane;
    ev.signal = st->signal;
    ev.abandoned = st->abandoned;
    ev.due = st->due;
    ev.text = (char *)st->owner;
    hh_timeline_record(r, &ev);
    if (r->last && r->tl->n && r->tl->events[r->tl->n - 1].kind == HH_TL_OBJECT &&
        r->tl->events[r->tl->n - 1].lane == lane)
        r->last[lane] = r->tl->n;
}

/* The driver's worker whose thread the engine runs now (a call, the routine's waits); 0 when
 * it is none, or the scenario names a routine. */
static unsigned current_worker(const struct hh_tl_recorder *r)
{
    const struct hh_worker *w;
    if (!r->engine || !r->engine->current)
        return 0;
    w = hh_engine_worker_of(r->engine, r->engine->current);
    return w ? w->number : 0;
}

void hh_timeline_sink(void *recorder, const struct hh_trace_event *te)
{
    struct hh_tl_recorder *r = recorder;
    struct hh_tl_event ev;
    char tag[8];
    hh_tl_event_init(&ev, HH_TL_KINDS, te->time, *r->step);
    switch (te->kind) {
    case HH_TRACE_OBJECT:
        ev.lane = lane_of(r, te->object);
        if (ev.lane < 0)
            return; /* the routine's own objects have no lane */
        object_event(r, ev.lane, &te->state, te->time);
        return;
    case HH_TRACE_CALL:
        ev.kind = HH_TL_CALL;
        ev.value = (long long)te->count;
        ev.status = te->status;
        ev.worker = current_worker(r);
        break;
    case HH_TRACE_WAIT:
    case HH_TRACE_WAITED:
        ev.kind = te->kind == HH_TRACE_WAIT ? HH_TL_WAIT : HH_TL_WAITED;
        ev.value = (long long)te->count;
        ev.status = te->status;
        ev.text = (char *)te->thread;
        ev.worker = current_worker(r);
        break;
    case HH_TRACE_DPC:
        ev.kind = HH_TL_DPC;
        ev.lane = lane_of(r, te->object);
        break;
    case HH_TRACE_POOL:
        ev.kind = HH_TL_POOL;
        ev.value = (long long)te->count;
        ev.bytes = te->bytes;
        hh_pool_tag_text(te->tag, tag);
        tag[5] = '\0';
        ev.text = tag + 1; /* the four characters, without the report's quotes */
        break;
    default:
        return;
    }
    hh_timeline_record(r, &ev);
}

void hh_timeline_snapshot(struct hh_tl_recorder *r, struct hh_engine *e)
{
    size_t i;
    free(r->last);
    r->last = calloc(r->nobjects ? r->nobjects : 1, sizeof(*r->last));
    if (!r->last)
        hh_play_oom();
    for (i = 0; i < r->nobjects; i++) {
        struct hh_object_state st;
        if (lane_of(r, r->objects[i]) != (long)i)
            continue; /* a second name for an object already drawn */
        hh_engine_object_state(e, r->objects[i], &st);
        object_event(r, (long)i, &st, e->now);
    }
}

void hh_timeline_recorder_end(struct hh_tl_recorder *r)
{
    hh_timeline_points(r);
    if (r->last) /* none without a timeline: free(NULL) costs a stack trace under ASan */
        free(r->last);
    r->last = NULL;
    r->tl = NULL;
}
