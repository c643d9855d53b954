/* timeline_svg_threads.c - the threads in a picture. A run not explored plays its steps in
 * turn on the scenario's thread, each as the thread it names: a step naming one (a producer
 * at DISPATCH_LEVEL, a client that holds a mutex) is drawn on a lane of that thread's.
 *
 * An explored run (`explore`, or `run` of a scenario with a "schedule") has threads of its
 * own, interleaved. Each thread has a lane: the driver's is the steps', the
 * worker's the invocations', each concurrent step's thread one of its own with the step's
 * box. Below each lane, a strip of the stretches the thread held the baton: one cell per
 * scheduling point, saying what the thread did there. At each switch, an arrow from the
 * thread that gave up the baton to the one that took it, red when it was preempted (it could
 * have gone on): a lost wake-up shows as the producer's stretch between the worker's check
 * and its clear.
 */
#include <stdio.h>
#include <string.h>

#include "timeline_svg.h"

static const struct hh_sc_step *step_of(const struct layout *L, const struct hh_tl_event *ev)
{
    const struct hh_scenario *sc = L->c->sc;
    if (ev->kind != HH_TL_STEP || ev->step == HH_STEP_START || ev->step == HH_STEP_END ||
        ev->step >= sc->nsteps)
        return NULL;
    return &sc->steps[ev->step];
}

/* A run not explored: a lane per thread its steps name, in the order they first ran. */
static double step_threads_place(struct layout *L, double y)
{
    const struct hh_timeline *tl = L->tl;
    size_t i;
    unsigned k;
    for (i = 0; i < tl->n && L->nstep_threads < MAX_THREADS; i++) {
        const struct hh_sc_step *st = step_of(L, &tl->events[i]);
        if (!st || !st->thread || strcmp(st->thread, "driver") == 0)
            continue;
        for (k = 0; k < L->nstep_threads && strcmp(L->step_threads[k], st->thread) != 0; k++)
            ;
        if (k < L->nstep_threads)
            continue;
        L->step_threads[k] = st->thread;
        L->sty[k] = y;
        L->nstep_threads++;
        y += LANE;
    }
    return y;
}

double hh_tl_thread_lanes_place(struct layout *L, double y)
{
    unsigned k;
    if (!L->nthreads)
        return step_threads_place(L, y);
    L->worker = 1; /* the worker is made first, after the driver, unless a name says else */
    for (k = 1; k < L->nthreads; k++) {
        if (L->threads[k] && strcmp(L->threads[k], "worker") == 0) {
            L->worker = k;
            break;
        }
    }
    for (k = 0; k < L->nthreads; k++) {
        if (k == 0) {
            L->ty[k] = L->y[L_STEPS];
        } else if (k == L->worker) {
            L->ty[k] = L->y[L_WORKER];
        } else {
            L->ty[k] = y;
            y += LANE + STRIP;
        }
    }
    return y;
}

static size_t next_point(const struct hh_timeline *tl, size_t i)
{
    for (i++; i < tl->n && tl->events[i].kind != HH_TL_POINT; i++)
        ;
    return i;
}

int hh_tl_step_on_thread(const struct layout *L, size_t i, double *y, size_t *end)
{
    const struct hh_timeline *tl = L->tl;
    const struct hh_sc_step *st = step_of(L, &tl->events[i]);
    size_t j, last = tl->n;
    long id = -1;
    unsigned k;
    if (!L->nthreads && st && st->thread) { /* played in turn, as the thread it names */
        for (k = 0; k < L->nstep_threads && strcmp(L->step_threads[k], st->thread) != 0; k++)
            ;
        if (k == L->nstep_threads)
            return 0;
        *y = L->sty[k];
        for (j = i + 1; j < tl->n && tl->events[j].kind != HH_TL_STEP; j++)
            ;
        *end = j;
        return 1;
    }
    if (!L->nthreads || !st || !st->concurrent || !st->thread)
        return 0;
    /* Its thread is the next of its name to start (a name may serve several steps). */
    for (j = i + 1; j < tl->n && id < 0; j++) {
        const struct hh_tl_event *ev = &tl->events[j];
        if (ev->kind == HH_TL_POINT && ev->text && strcmp(ev->text, st->thread) == 0 &&
            ev->what && strcmp(ev->what, "starts") == 0 && (unsigned long)ev->lane < L->nthreads)
            id = ev->lane;
    }
    if (id < 0)
        return 0; /* the run failed before it started: the driver's lane */
    for (j = i + 1; j < tl->n; j++) {
        if (tl->events[j].kind == HH_TL_POINT && tl->events[j].lane == id)
            last = j;
    }
    *y = L->ty[id];
    *end = last < tl->n ? next_point(tl, last) : tl->n; /* where it last gave up the baton */
    return 1;
}

size_t hh_tl_next_driver_step(const struct layout *L, size_t i)
{
    const struct hh_timeline *tl = L->tl;
    size_t j, end;
    double y;
    for (j = i + 1; j < tl->n; j++) {
        if (tl->events[j].kind == HH_TL_STEP &&
            (!L->nthreads || !hh_tl_step_on_thread(L, j, &y, &end)))
            break;
    }
    return j;
}

/* The middle of thread id's strip. */
static double strip_y(const struct layout *L, long id)
{
    return L->ty[id] + LANE + STRIP / 2.0;
}

static void point_cell(struct hh_buf *b, const struct layout *L, size_t i)
{
    const struct hh_timeline *tl = L->tl;
    const struct hh_tl_event *ev = &tl->events[i];
    size_t j = next_point(tl, i);
    double x0 = hh_tl_x(L, L->col[i]), y = L->ty[ev->lane] + LANE,
           x1 = hh_tl_x(L, j < tl->n ? L->col[j] : L->col[i] + 1);
    char label[96], tip[300];
    const char *name = ev->text ? ev->text : "?", *what = ev->what ? ev->what : "";
    if (ev->repeat > 1)
        snprintf(label, sizeof(label), "%s x%lu", what, ev->repeat);
    else
        snprintf(label, sizeof(label), "%s", what);
    if (ev->repeat > 1)
        snprintf(tip, sizeof(tip), "points %lld-%lld: %s: %s (x%lu)%s", ev->value,
                 ev->value + (long long)ev->repeat - 1, name, what, ev->repeat,
                 ev->chosen ? ", chosen among others" : "");
    else
        snprintf(tip, sizeof(tip), "point %lld: %s: %s%s", ev->value, name, what,
                 ev->chosen ? ", chosen among others" : "");
    hh_buf_printf(b, "<g class=\"point%s\" data-point=\"%lld\" data-thread=\"%ld\">",
                  ev->chosen ? " chosen" : "", ev->value, ev->lane);
    hh_tl_title(b, tip);
    hh_buf_printf(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%d\"/>", x0 + 0.5,
                  y + 1, x1 - x0 - 1, STRIP - 3);
    hh_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">", x0 + 3, y + 11);
    hh_tl_fitted(b, label, x1 - x0 - 4);
    hh_buf_puts(b, "</text></g>");
}

static void switch_arrow(struct hh_buf *b, const struct layout *L, size_t i, size_t prev)
{
    const struct hh_tl_event *ev = &L->tl->events[i], *pv = &L->tl->events[prev];
    enum hh_tl_switch sw = hh_tl_switch_at(L->tl, i);
    double x = hh_tl_x(L, L->col[i]) + 1, y0 = strip_y(L, pv->lane), y1 = strip_y(L, ev->lane);
    double dir = y1 > y0 ? 1 : -1;
    char tip[300];
    if (sw == HH_TL_SWITCH_NONE)
        return;
    snprintf(tip, sizeof(tip), "point %lld: %s %s; %s runs", ev->value,
             pv->text ? pv->text : "?",
             sw == HH_TL_SWITCH_PREEMPTED ? "is preempted (it could have gone on)"
                                          : "gives up the baton (it blocked, spun or ended)",
             ev->text ? ev->text : "?");
    hh_buf_printf(b, "<g class=\"switch %s\" data-point=\"%lld\" data-from=\"%ld\" "
                     "data-to=\"%ld\">",
                  hh_tl_switch_name(sw), ev->value, pv->lane, ev->lane);
    hh_tl_title(b, tip);
    hh_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, y0, x,
                  y1 - dir * 5);
    hh_buf_printf(b, "<path d=\"M%.1f %.1fl-4 %.1fh8z\"/>", x, y1, -dir * 6);
    if (sw == HH_TL_SWITCH_PREEMPTED)
        hh_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>", x, y0);
    hh_buf_puts(b, "</g>");
}

void hh_tl_thread_summary(struct hh_buf *b, const struct layout *L)
{
    const struct hh_timeline *tl = L->tl;
    unsigned long points = 0, preempted = 0;
    size_t i;
    if (!L->nthreads)
        return;
    for (i = 0; i < tl->n; i++) {
        if (tl->events[i].kind != HH_TL_POINT)
            continue;
        points += tl->events[i].repeat;
        preempted += hh_tl_switch_at(tl, i) == HH_TL_SWITCH_PREEMPTED;
    }
    hh_buf_printf(b, "; explored: %u threads, %lu scheduling points, %lu preemption%s (red "
                     "arrows)",
                  L->nthreads, points, preempted, preempted == 1 ? "" : "s");
}

void hh_tl_thread_lanes(struct hh_buf *b, const struct layout *L)
{
    const struct hh_timeline *tl = L->tl;
    char sub[64];
    size_t i, prev = tl->n;
    unsigned k;
    for (k = 0; k < L->nstep_threads; k++) {
        hh_buf_puts(b, "<g class=\"steplane\">");
        hh_tl_lane_name(b, L->sty[k], LANE, L->step_threads[k], "its steps, in turn");
        hh_buf_puts(b, "</g>");
    }
    for (k = 1; k < L->nthreads; k++) {
        if (k == L->worker)
            continue;
        snprintf(sub, sizeof(sub), "thread %u", k);
        hh_buf_printf(b, "<g class=\"thread\" data-thread=\"%u\">", k);
        hh_tl_lane_name(b, L->ty[k], LANE + STRIP, L->threads[k] ? L->threads[k] : "?", sub);
        hh_buf_puts(b, "</g>");
    }
    for (i = 0; i < tl->n; i++) {
        if (tl->events[i].kind != HH_TL_POINT || (unsigned long)tl->events[i].lane >= L->nthreads)
            continue;
        point_cell(b, L, i);
    }
    /* The arrows over the cells. */
    for (i = 0; i < tl->n; i++) {
        if (tl->events[i].kind != HH_TL_POINT || (unsigned long)tl->events[i].lane >= L->nthreads)
            continue;
        if (prev < tl->n)
            switch_arrow(b, L, i, prev);
        prev = i;
    }
}
