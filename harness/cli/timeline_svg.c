/* timeline_svg.c - a case's timeline drawn as SVG, by the C side so the picture is the same
 * with or without a script, in a browser, an image viewer or a README.
 *
 * The x axis is ordinal: every event has a column of its own and the time is written above
 * the columns where it changes, so a hundred events at one instant stay apart and readable
 * (simultaneous changes of different objects share a column). Lanes, top to bottom: the
 * scenario's steps, the worker's invocations (timeline_svg_workers.c: a lane each when a
 * driver has several, each followed by its routine's waits), an explored run's other threads
 * (timeline_svg_threads.c), the routine's own waits, DPCs, one lane per object, the pool.
 * Hovering any shape shows its details (<title>).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "timeline_svg.h"

#define COL_CALL 92   /* a call's column: room for the invocation's status */
#define COL_WAIT 64
#define COL_STEP 64   /* room for a step's number and the start of its action */

double hh_tl_x(const struct layout *L, size_t col)
{
    return L->xs ? L->xs[col < L->ncols ? col : L->ncols] : GUTTER;
}

/* Text cut to fit `width` pixels (about 6.6 px a character at 11 px), with an ellipsis. */
void hh_tl_fitted(struct hh_buf *b, const char *s, double width)
{
    size_t max = width > 14 ? (size_t)((width - 6) / 6.6) : 0, n = strlen(s);
    char *cut;
    if (n <= max) {
        hh_buf_xml(b, s);
        return;
    }
    if (max < 2)
        return;
    cut = malloc(max + 4);
    if (!cut)
        return;
    memcpy(cut, s, max - 1);
    memcpy(cut + max - 1, "\xE2\x80\xA6", 4); /* U+2026 */
    hh_buf_xml(b, cut);
    free(cut);
}

void hh_tl_title(struct hh_buf *b, const char *s)
{
    hh_buf_puts(b, "<title>");
    hh_buf_xml(b, s);
    hh_buf_puts(b, "</title>");
}

static void columns(struct layout *L)
{
    const struct hh_timeline *tl = L->tl;
    size_t nobj = L->c->sc->nobjects, i, col = 0;
    size_t *lane_col = calloc(nobj + 1, sizeof(*lane_col));
    L->col = calloc(tl->n + 1, sizeof(*L->col));
    if (!lane_col || !L->col) {
        free(lane_col);
        L->ncols = 0;
        return;
    }
    for (i = 0; i < tl->n; i++) {
        const struct hh_tl_event *ev = &tl->events[i], *prev = i ? &tl->events[i - 1] : NULL;
        size_t lane = ev->lane >= 0 && (size_t)ev->lane < nobj ? (size_t)ev->lane : nobj;
        /* Changes of different objects at one instant share a column. */
        int merge = prev && ev->kind == HH_TL_OBJECT && prev->kind == HH_TL_OBJECT &&
                    prev->time == ev->time && lane_col[lane] != col + 1;
        if (i && !merge)
            col++;
        L->col[i] = col;
        lane_col[lane] = col + 1;
        if ((ev->kind == HH_TL_WAIT || ev->kind == HH_TL_WAITED) &&
            hh_tl_wait_shared(L, ev->worker))
            L->has[L_WAITS] = 1;
        else if (ev->kind == HH_TL_DPC)
            L->has[L_DPC] = 1;
        else if (ev->kind == HH_TL_POOL)
            L->has[L_POOL] = 1;
    }
    L->ncols = tl->n ? col + 2 : 1; /* one more: the state after the last change */
    free(lane_col);
    L->xs = calloc(L->ncols + 1, sizeof(*L->xs));
    if (!L->xs)
        return;
    for (i = 0; i <= L->ncols; i++)
        L->xs[i] = COL;
    for (i = 0; i < tl->n; i++) {
        const struct hh_tl_event *ev = &tl->events[i];
        double w = ev->kind == HH_TL_CALL   ? COL_CALL
                   : ev->kind == HH_TL_WAIT ? COL_WAIT
                   : ev->kind == HH_TL_STEP ? COL_STEP
                                            : COL;
        if (ev->kind == HH_TL_POINT) { /* what the thread does, in the strip's font */
            w = 6.6 * (double)(ev->what ? strlen(ev->what) : 0) + 12 + (ev->repeat > 1 ? 46 : 0);
            w = w < COL ? COL : w > COL_POINT_MAX ? COL_POINT_MAX : w;
        }
        if (w > L->xs[L->col[i]])
            L->xs[L->col[i]] = w;
    }
    /* Widths to starts, in place. */
    {
        double x = GUTTER;
        for (i = 0; i <= L->ncols; i++) {
            double w = L->xs[i];
            L->xs[i] = x;
            x += w;
        }
    }
}

static void lanes(struct layout *L)
{
    double y = TOP, thread = LANE;
    int k;
    L->nthreads = hh_tl_threads(L->tl, L->threads, MAX_THREADS);
    if (L->nthreads)
        thread += STRIP; /* room for who holds the baton */
    L->has[L_STEPS] = L->has[L_WORKER] = 1;
    for (k = L_STEPS; k <= L_DPC; k++) {
        L->y[k] = y;
        if (L->has[k] && !(k == L_WORKER && L->nworkers))
            y += k <= L_WORKER ? thread : LANE;
        if (k == L_WORKER) /* several workers: a lane each, in place of the one */
            y = hh_tl_thread_lanes_place(L, hh_tl_worker_lanes_place(L, y));
    }
    L->y_objects = y;
    y += (double)L->c->sc->nobjects * LANE;
    L->y_pool = y;
    if (L->has[L_POOL])
        y += LANE;
    L->height = y + 40;
    L->width = hh_tl_x(L, L->ncols) + RIGHT;
    if (L->c->res.outcome == HH_PLAY_FAIL && L->width < 760)
        L->width = 760; /* room for the failure's headline */
}

void hh_tl_lane_name(struct hh_buf *b, double y, double height, const char *name,
                     const char *sub)
{
    hh_buf_printf(b, "<line class=\"sep\" x1=\"0\" y1=\"%.0f\" x2=\"100%%\" y2=\"%.0f\"/>",
                  y + height, y + height);
    hh_buf_printf(b, "<text class=\"lane\" x=\"8\" y=\"%.0f\">", y + 16);
    hh_tl_fitted(b, name, GUTTER - 12);
    hh_buf_puts(b, "</text>");
    if (sub) {
        hh_buf_printf(b, "<text class=\"sub\" x=\"8\" y=\"%.0f\">", y + 29);
        hh_tl_fitted(b, sub, GUTTER - 12);
        hh_buf_puts(b, "</text>");
    }
}

/* The time above each column where it changes; a run of columns at one instant gets a bar. */
static void time_axis(struct hh_buf *b, const struct layout *L)
{
    const struct hh_timeline *tl = L->tl;
    size_t i = 0;
    while (i < tl->n) {
        size_t j = i;
        char t[32];
        while (j + 1 < tl->n && tl->events[j + 1].time == tl->events[i].time)
            j++;
        hh_duration_format(tl->events[i].time, t, sizeof(t));
        hh_buf_printf(b, "<g class=\"tick\"><line x1=\"%.0f\" y1=\"%d\" x2=\"%.0f\" y2=\"%.0f\"/>",
                      hh_tl_x(L, L->col[i]), TOP - 6, hh_tl_x(L, L->col[i]), L->height - 40);
        if (L->col[j] > L->col[i])
            hh_buf_printf(b, "<line class=\"same\" x1=\"%.0f\" y1=\"%d\" x2=\"%.0f\" y2=\"%d\"/>",
                          hh_tl_x(L, L->col[i]), TOP - 6, hh_tl_x(L, L->col[j] + 1) - 4, TOP - 6);
        hh_buf_printf(b, "<text transform=\"translate(%.0f,%d) rotate(-30)\">", hh_tl_x(L, L->col[i]) + 2,
                      TOP - 10);
        hh_buf_xml(b, t);
        hh_buf_puts(b, "</text></g>");
        i = j + 1;
    }
}

static int failed_step(const struct hh_case *c, size_t step)
{
    return c->res.outcome == HH_PLAY_FAIL && c->res.step == step;
}

static void lane_name(struct hh_buf *b, double y, const char *name, const char *sub)
{
    hh_tl_lane_name(b, y, LANE, name, sub);
}

/* The driver's steps; in an explored run, a concurrent step on its thread's lane. */
static void steps_lane(struct hh_buf *b, const struct layout *L)
{
    const struct hh_timeline *tl = L->tl;
    size_t i, j;
    if (L->nthreads)
        hh_buf_puts(b, "<g class=\"thread\" data-thread=\"0\">");
    hh_tl_lane_name(b, L->y[L_STEPS], L->nthreads ? LANE + STRIP : LANE,
                    L->nthreads ? L->threads[0] ? L->threads[0] : "driver" : "steps",
                    L->nthreads ? "thread 0: the steps" : "the scenario's thread");
    if (L->nthreads)
        hh_buf_puts(b, "</g>");
    for (i = 0; i < tl->n; i++) {
        const struct hh_tl_event *ev = &tl->events[i];
        double x0, x1, y = L->y[L_STEPS];
        char head[200];
        if (ev->kind != HH_TL_STEP)
            continue;
        if (!hh_tl_step_on_thread(L, i, &y, &j))
            j = hh_tl_next_driver_step(L, i);
        x0 = hh_tl_x(L, L->col[i]);
        x1 = j < tl->n ? hh_tl_x(L, L->col[j]) : hh_tl_x(L, L->ncols);
        if (ev->step == HH_STEP_START || ev->step == HH_STEP_END)
            snprintf(head, sizeof(head), "%s", ev->text ? ev->text : "start");
        else
            snprintf(head, sizeof(head), "%lu: %s", (unsigned long)ev->step + 1,
                     ev->text ? ev->text : "");
        hh_buf_printf(b, "<g class=\"step%s\" data-step=\"%ld\">",
                      failed_step(L->c, ev->step) ? " failed" : "",
                      ev->step == HH_STEP_START   ? 0L
                      : ev->step == HH_STEP_END ? -1L
                                                : (long)ev->step + 1);
        hh_tl_title(b, head);
        hh_buf_printf(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%d\" rx=\"3\"/>",
                      x0 + 1, y + 4, x1 - x0 - 2, LANE - 8);
        hh_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">", x0 + 5, y + 22);
        hh_tl_fitted(b, head, x1 - x0 - 4);
        hh_buf_puts(b, "</text></g>");
    }
}

static const struct hh_play_invocation *find_invocation(const struct hh_play_result *res,
                                                        long long index)
{
    size_t i;
    for (i = 0; i < res->ninvocations; i++) {
        if ((long long)res->invocations[i].index == index)
            return &res->invocations[i];
    }
    return NULL;
}

/* The column where invocation `index`, called at event i, returned (the end when it never
 * did). */
static size_t return_col(const struct layout *L, size_t i, long long index, int *returned)
{
    size_t j;
    for (j = i + 1; j < L->tl->n; j++) {
        const struct hh_tl_event *ev = &L->tl->events[j];
        if (ev->kind == HH_TL_RETURN && ev->value == index) {
            *returned = 1;
            return L->col[j];
        }
    }
    *returned = 0;
    return L->ncols - 1;
}

static void invocation_box(struct hh_buf *b, const struct layout *L, size_t i)
{
    const struct hh_tl_event *ev = &L->tl->events[i];
    const struct hh_play_result *res = &L->c->res;
    const struct hh_play_invocation *v = find_invocation(res, ev->value);
    double y = hh_tl_call_y(L, ev), x0 = hh_tl_x(L, L->col[i]), x1;
    char status[64], line[160], what[96];
    struct hh_buf tip;
    const char *decision;
    int returned, failed = res->outcome == HH_PLAY_FAIL && res->invocation &&
                                           (long long)res->invocation == ev->value;
    x1 = hh_tl_x(L, return_col(L, i, ev->value, &returned) + 1);
    decision = v && returned && v->decision == HH_DECISION_TERMINATE  ? "terminate"
               : v && returned && v->decision == HH_DECISION_CONTINUE ? "continue"
                                                                      : "none";
    hh_status_name(ev->status, status, sizeof(status));
    hh_buf_printf(b, "<g class=\"inv %s%s\" data-index=\"%lld\" data-status=\"%s\" "
                     "data-decision=\"%s\"",
                  decision, failed ? " failed" : "", ev->value, status, decision);
    if (L->nworkers)
        hh_buf_printf(b, " data-worker=\"%u\"", ev->worker);
    hh_buf_puts(b, ">");
    hh_buf_init(&tip);
    hh_buf_printf(&tip, "invocation #%lld: %s ", ev->value,
                  hh_play_status_text(ev->status, line, sizeof(line)));
    if (v && returned)
        hh_buf_puts(&tip, hh_play_result_text(v, what, sizeof(what)));
    else
        hh_buf_puts(&tip, "did not return");
    if (v && v->log && v->log[0]) {
        hh_buf_puts(&tip, "\nDbgPrint:\n");
        hh_buf_puts(&tip, v->log);
    }
    hh_tl_title(b, tip.data ? tip.data : "");
    hh_buf_free(&tip);
    hh_buf_printf(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%d\" rx=\"4\"/>",
                  x0 + 2, y + 3, x1 - x0 - 4, LANE - 6);
    snprintf(line, sizeof(line), "#%lld %s", ev->value,
             strncmp(status, "STATUS_", 7) == 0 ? status + 7 : status);
    hh_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">", x0 + 6, y + 16);
    hh_tl_fitted(b, line, x1 - x0 - 6);
    hh_buf_printf(b, "</text><text class=\"dec\" x=\"%.0f\" y=\"%.0f\">", x0 + 6, y + 29);
    hh_tl_fitted(b, returned ? decision : "did not return", x1 - x0 - 6);
    hh_buf_puts(b, "</text>");
    if (v && v->log && v->log[0])
        hh_buf_printf(b, "<circle class=\"log\" cx=\"%.0f\" cy=\"%.0f\" r=\"3\"/>", x1 - 8,
                      y + 9);
    hh_buf_puts(b, "</g>");
}

static int same_thread(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void thread_lanes(struct hh_buf *b, const struct layout *L)
{
    const struct hh_timeline *tl = L->tl;
    size_t i, j;
    char status[64], tip[200];
    if (L->nthreads)
        hh_buf_printf(b, "<g class=\"thread\" data-thread=\"%u\">", L->worker);
    if (L->nworkers)
        hh_tl_worker_lane_names(b, L);
    else
        hh_tl_lane_name(b, L->y[L_WORKER], L->nthreads ? LANE + STRIP : LANE, "worker",
                        "invocations");
    if (L->nthreads)
        hh_buf_puts(b, "</g>");
    if (L->has[L_WAITS])
        lane_name(b, L->y[L_WAITS], L->nworkers ? "other threads' waits" : "routine's waits",
                  "KeWait*, KeDelay*");
    if (L->has[L_DPC])
        lane_name(b, L->y[L_DPC], "DPCs", "timer DPCs");
    for (i = 0; i < tl->n; i++) {
        const struct hh_tl_event *ev = &tl->events[i];
        if (ev->kind == HH_TL_CALL) {
            invocation_box(b, L, i);
        } else if (ev->kind == HH_TL_WAIT) {
            double y = hh_tl_wait_y(L, ev), x0 = hh_tl_x(L, L->col[i]), x1;
            /* Its own return: system threads' waits interleave with the worker's. */
            for (j = i + 1; j < tl->n && !(tl->events[j].kind == HH_TL_WAITED &&
                                           same_thread(tl->events[j].text, ev->text));
                 j++)
                ;
            x1 = hh_tl_x(L, j < tl->n ? L->col[j] + 1 : L->ncols);
            hh_status_name(j < tl->n ? tl->events[j].status : STATUS_PENDING, status,
                           sizeof(status));
            if (ev->value)
                snprintf(tip, sizeof(tip), "%s waits on %lld object%s: %s",
                         ev->text ? ev->text : "", ev->value, ev->value == 1 ? "" : "s",
                         j < tl->n ? status : "still waiting");
            else
                snprintf(tip, sizeof(tip), "%s delays: %s", ev->text ? ev->text : "",
                         j < tl->n ? status : "still waiting");
            hh_buf_puts(b, "<g class=\"wait\">");
            hh_tl_title(b, tip);
            hh_buf_printf(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%d\"/>",
                          x0 + 2, y + 8, x1 - x0 - 4, LANE - 16);
            hh_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">", x0 + 5, y + 22);
            hh_tl_fitted(b, strncmp(status, "STATUS_", 7) == 0 ? status + 7 : status, x1 - x0 - 6);
            hh_buf_puts(b, "</text></g>");
        } else if (ev->kind == HH_TL_DPC) {
            double x = hh_tl_x(L, L->col[i]) + COL / 2.0, y = L->y[L_DPC] + LANE / 2.0;
            snprintf(tip, sizeof(tip), "DPC of %s",
                     ev->lane >= 0 ? L->c->sc->objects[ev->lane].name : "a timer of the routine's own");
            hh_buf_puts(b, "<g class=\"dpc\">");
            hh_tl_title(b, tip);
            hh_buf_printf(b, "<path d=\"M%.1f %.1fl7 7l-7 7l-7 -7z\"/></g>", x, y - 7);
        }
    }
}

/* One object's state in words, for its lane and its tooltip. */
static void object_words(const struct hh_sc_object *o, const struct hh_tl_event *ev, char *shrt,
                         size_t slen, char *lng, size_t llen)
{
    char due[32];
    switch (o->type) {
    case HH_OBJECT_MUTEX:
    case HH_OBJECT_MUTANT:
        if (ev->text)
            snprintf(shrt, slen, "owner %s%s", ev->text, ev->signal < 0 ? " (recursive)" : "");
        else
            snprintf(shrt, slen, "%s", ev->abandoned ? "free, abandoned" : "free");
        snprintf(lng, llen, "%s: %s (state %ld)", o->name, shrt, (long)ev->signal);
        break;
    case HH_OBJECT_SEMAPHORE:
        snprintf(shrt, slen, "count %ld", (long)ev->signal);
        snprintf(lng, llen, "%s: count %ld of %ld", o->name, (long)ev->signal, (long)o->limit);
        break;
    case HH_OBJECT_NOTIFICATION_TIMER:
    case HH_OBJECT_SYNCHRONIZATION_TIMER:
        if (ev->due >= 0) {
            hh_duration_format(ev->due, due, sizeof(due));
            snprintf(shrt, slen, "%s, due %s", ev->signal > 0 ? "signaled" : "armed", due);
        } else {
            snprintf(shrt, slen, "%s", ev->signal > 0 ? "signaled" : "not signaled");
        }
        snprintf(lng, llen, "%s: %s", o->name, shrt);
        break;
    default:
        snprintf(shrt, slen, "%s", ev->signal > 0 ? "signaled" : "not signaled");
        snprintf(lng, llen, "%s: %s", o->name, shrt);
        break;
    }
}

/* A lane of segments: the state from one change to the next. */
static void object_lanes(struct hh_buf *b, const struct layout *L)
{
    const struct hh_scenario *sc = L->c->sc;
    const struct hh_timeline *tl = L->tl;
    size_t k, i, j;
    for (k = 0; k < sc->nobjects; k++) {
        const struct hh_sc_object *o = &sc->objects[k];
        double y = L->y_objects + (double)k * LANE;
        lane_name(b, y, o->name, hh_sc_object_type_name(o->type));
        for (i = 0; i < tl->n; i++) {
            const struct hh_tl_event *ev = &tl->events[i];
            char shrt[96], lng[200];
            double x0, x1;
            int on;
            if (ev->kind != HH_TL_OBJECT || ev->lane != (long)k)
                continue;
            for (j = i + 1; j < tl->n; j++) {
                if (tl->events[j].kind == HH_TL_OBJECT && tl->events[j].lane == (long)k)
                    break;
            }
            x0 = hh_tl_x(L, L->col[i]);
            x1 = j < tl->n ? hh_tl_x(L, L->col[j]) : hh_tl_x(L, L->ncols);
            object_words(o, ev, shrt, sizeof(shrt), lng, sizeof(lng));
            on = o->type == HH_OBJECT_MUTEX || o->type == HH_OBJECT_MUTANT ? ev->text != NULL
                                                                         : ev->signal > 0;
            hh_buf_printf(b, "<g class=\"obj %s%s\" data-object=\"%lu\">", on ? "on" : "off",
                          ev->due >= 0 ? " armed" : "", (unsigned long)k);
            hh_tl_title(b, lng);
            if (x1 - x0 < 1)
                x1 = x0 + 3; /* a change undone in the same column: a sliver */
            hh_buf_printf(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%d\"/>", x0,
                          on ? y + 6 : y + LANE - 12, x1 - x0, on ? LANE - 12 : 6);
            hh_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">", x0 + 4, on ? y + 22 : y + 18);
            hh_tl_fitted(b, shrt, x1 - x0 - 4);
            hh_buf_puts(b, "</text></g>");
        }
    }
}

static void pool_lane(struct hh_buf *b, const struct layout *L)
{
    const struct hh_timeline *tl = L->tl;
    size_t i, j;
    double y = L->y_pool;
    if (!L->has[L_POOL])
        return;
    lane_name(b, y, "pool", "blocks alive");
    for (i = 0; i < tl->n; i++) {
        const struct hh_tl_event *ev = &tl->events[i];
        char shrt[64], lng[160];
        double x0, x1;
        if (ev->kind != HH_TL_POOL)
            continue;
        for (j = i + 1; j < tl->n && tl->events[j].kind != HH_TL_POOL; j++)
            ;
        x0 = hh_tl_x(L, L->col[i]);
        x1 = j < tl->n ? hh_tl_x(L, L->col[j]) : hh_tl_x(L, L->ncols);
        snprintf(shrt, sizeof(shrt), "%lld", ev->value);
        snprintf(lng, sizeof(lng), "%s %lld bytes, tag '%s': %lld block%s alive",
                 ev->bytes > 0 ? "allocated" : "freed", ev->bytes > 0 ? ev->bytes : -ev->bytes,
                 ev->text ? ev->text : "", ev->value, ev->value == 1 ? "" : "s");
        hh_buf_printf(b, "<g class=\"pool %s\">", ev->value ? "on" : "off");
        hh_tl_title(b, lng);
        hh_buf_printf(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%d\"/>", x0,
                      ev->value ? y + 6 : y + LANE - 12, x1 - x0, ev->value ? LANE - 12 : 6);
        hh_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">", x0 + 4, ev->value ? y + 22 : y + 18);
        hh_tl_fitted(b, shrt, x1 - x0 - 4);
        hh_buf_puts(b, "</text></g>");
    }
}

/* The column the failure is drawn at: its invocation's call, else the last of its step, else
 * the end. */
static size_t failure_col(const struct layout *L)
{
    const struct hh_play_result *res = &L->c->res;
    const struct hh_timeline *tl = L->tl;
    size_t i, col = L->ncols - 1;
    int in_step = 0;
    for (i = 0; i < tl->n; i++) {
        const struct hh_tl_event *ev = &tl->events[i];
        if (res->invocation && ev->kind == HH_TL_CALL && ev->value == (long long)res->invocation)
            return L->col[i];
        if (!res->invocation && ev->step == res->step) {
            col = L->col[i] + 1;
            in_step = 1;
        }
    }
    return in_step ? col : L->ncols - 1;
}

static void failure_mark(struct hh_buf *b, const struct layout *L)
{
    const struct hh_play_result *res = &L->c->res;
    double x;
    if (res->outcome != HH_PLAY_FAIL)
        return;
    x = hh_tl_x(L, failure_col(L));
    hh_buf_printf(b, "<g class=\"failure\" data-rule=\"%s\">", hh_rule_name(res->rule));
    hh_tl_title(b, res->headline ? res->headline : "failed");
    hh_buf_printf(b, "<line x1=\"%.0f\" y1=\"%d\" x2=\"%.0f\" y2=\"%.0f\"/>", x, TOP - 4, x,
                  L->height - 34);
    /* The account's headline on a line of its own below the lanes. */
    hh_buf_printf(b, "<text x=\"8\" y=\"%.0f\">", L->height - 20);
    hh_buf_printf(b, "%s: ", hh_rule_name(res->rule));
    hh_tl_fitted(b, res->headline ? res->headline : "",
           L->width - 16 - 6.6 * (double)strlen(hh_rule_name(res->rule)));
    hh_buf_puts(b, "</text></g>");
}

static const char svg_style[] =
    "<style>"
    "text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#222}"
    ".head{font-size:13px;font-weight:bold}.lane{font-weight:bold}.sub{fill:#777;font-size:10px}"
    ".sep{stroke:#eee}.tick line{stroke:#ddd}.tick line.same{stroke:#999;stroke-width:2}"
    ".tick text{fill:#555;font-size:10px}"
    ".step rect{fill:#f1f3f4;stroke:#bbb}.step.failed rect{stroke:#d93025;stroke-width:2}"
    ".inv rect{stroke:#fff}.inv text{fill:#fff}.inv.continue rect{fill:#1a73e8}"
    ".inv.terminate rect{fill:#7b1fa2}.inv.none rect{fill:#d93025}"
    ".inv.failed rect{stroke:#d93025;stroke-width:3}.inv .log{fill:#fdd663}"
    ".wait rect{fill:#fbbc04}.dpc path{fill:#e37400}"
    ".obj.on rect,.pool.on rect{fill:#34a853}.obj.on text,.pool.on text{fill:#fff}"
    ".obj.off rect,.pool.off rect{fill:#9aa0a6}.obj.off text,.pool.off text{fill:#555}"
    ".obj.armed.off rect{fill:#f9ab00}"
    ".failure line{stroke:#d93025;stroke-width:2;stroke-dasharray:4 3}"
    ".failure text{fill:#d93025;font-weight:bold}"
    ".point rect{fill:#e8eaed;stroke:#fff}.point.chosen rect{fill:#d2e3fc}"
    ".point text{font-size:9.5px;fill:#333}"
    ".switch line{stroke:#5f6368;stroke-dasharray:3 2}.switch path,.switch circle{fill:#5f6368}"
    ".switch.preempted line{stroke:#d93025;stroke-width:2;stroke-dasharray:none}"
    ".switch.preempted path,.switch.preempted circle{fill:#d93025}"
    "</style>";

void hh_timeline_svg(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c)
{
    struct layout L;
    char end[32];
    memset(&L, 0, sizeof(L));
    L.c = c;
    L.tl = &c->res.timeline;
    hh_tl_workers_find(&L);
    columns(&L);
    if (!L.col || !L.xs) {
        free(L.col);
        free(L.xs);
        b->failed = 1; /* out of memory: whoever writes the page says so */
        return;
    }
    lanes(&L);
    hh_buf_printf(b,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"%.0f\" "
                  "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">",
                  L.width, L.height, L.width, L.height);
    hh_buf_puts(b, svg_style);
    hh_buf_printf(b, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>"
                     "<text class=\"head\" x=\"8\" y=\"18\">%s  ",
                  hh_timeline_verdict(c));
    hh_buf_xml(b, c->sc->name);
    hh_buf_printf(b, "</text><text class=\"sub\" x=\"8\" y=\"34\">%lu invocation%s, %s time %s; "
                     "one column per event, the time above where it changes",
                  (unsigned long)c->res.ninvocations, c->res.ninvocations == 1 ? "" : "s",
                  hh_play_real_clock(c->sc, s->cli->clock) ? "real" : "virtual",
                  hh_duration_format(c->res.end_time, end, sizeof(end)));
    hh_tl_thread_summary(b, &L);
    hh_buf_puts(b, "</text>");
    time_axis(b, &L);
    steps_lane(b, &L);
    thread_lanes(b, &L);
    hh_tl_thread_lanes(b, &L);
    object_lanes(b, &L);
    pool_lane(b, &L);
    failure_mark(b, &L);
    if (L.tl->dropped)
        hh_buf_printf(b, "<text class=\"sub\" x=\"8\" y=\"%.0f\">%lu more events not drawn</text>",
                      L.height - 6, L.tl->dropped);
    hh_buf_puts(b, "</svg>");
    free(L.col);
    free(L.xs);
}
