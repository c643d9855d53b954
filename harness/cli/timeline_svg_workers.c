/* timeline_svg_workers.c - a driver's several workers in a picture: a lane of invocations per
 * worker, named as the reports label it ("worker 2 (AcpiDevDeviceWorker)"), and below it a
 * lane of its routine's own waits when it waited. A run of one worker keeps its one lane,
 * "worker", and the one lane of waits.
 */
#include <stdio.h>
#include <string.h>

#include "timeline_svg.h"

void hh_tl_workers_find(struct layout *L)
{
    unsigned n = hh_tl_workers(L->tl, L->workers, MAX_WORKERS);
    L->nworkers = n < MAX_WORKERS ? n : MAX_WORKERS;
}

/* The worker's place among the lanes, or -1 (no worker, or past MAX_WORKERS). */
static int lane_of(const struct layout *L, unsigned worker)
{
    unsigned k;
    for (k = 0; k < L->nworkers; k++) {
        if (L->workers[k] == worker)
            return (int)k;
    }
    return -1;
}

static int waited(const struct layout *L, unsigned worker)
{
    size_t i;
    for (i = 0; i < L->tl->n; i++) {
        if (L->tl->events[i].kind == HH_TL_WAIT && L->tl->events[i].worker == worker)
            return 1;
    }
    return 0;
}

int hh_tl_wait_shared(const struct layout *L, unsigned worker)
{
    return !L->nworkers || lane_of(L, worker) < 0;
}

double hh_tl_worker_lanes_place(struct layout *L, double y)
{
    unsigned k;
    for (k = 0; k < L->nworkers; k++) {
        L->wy[k] = y;
        y += LANE;
        L->wwy[k] = -1;
        if (waited(L, L->workers[k])) {
            L->wwy[k] = y;
            y += LANE;
        }
    }
    return y;
}

double hh_tl_call_y(const struct layout *L, const struct hh_tl_event *ev)
{
    int k = lane_of(L, ev->worker);
    return k >= 0 ? L->wy[k] : L->y[L_WORKER];
}

double hh_tl_wait_y(const struct layout *L, const struct hh_tl_event *ev)
{
    int k = lane_of(L, ev->worker);
    return k >= 0 && L->wwy[k] >= 0 ? L->wwy[k] : L->y[L_WAITS];
}

/* "worker 2 (AcpiDevDeviceWorker)" from the invocation list; "worker 2" when none says. */
static const char *label(const struct layout *L, unsigned worker, char *buf, size_t len)
{
    const struct hh_play_result *res = &L->c->res;
    size_t i;
    for (i = 0; i < res->ninvocations; i++) {
        if (res->invocations[i].worker == worker && res->invocations[i].worker_label &&
            res->invocations[i].worker_label[0])
            return res->invocations[i].worker_label;
    }
    snprintf(buf, len, "worker %u", worker);
    return buf;
}

/* The gutter has room for "worker 2" on the lane's line and its routine below; the whole
 * label is the lane's tooltip and its data-label. */
void hh_tl_worker_lane_names(struct hh_buf *b, const struct layout *L)
{
    unsigned k;
    char buf[32], name[32], routine[128];
    for (k = 0; k < L->nworkers; k++) {
        const char *full = label(L, L->workers[k], buf, sizeof(buf));
        const char *open = strstr(full, " (");
        size_t len = open ? (size_t)(open - full) : strlen(full);
        snprintf(name, sizeof(name), "%.*s", (int)len, full);
        if (open)
            snprintf(routine, sizeof(routine), "%.*s", (int)(strlen(open + 2) - 1), open + 2);
        else
            snprintf(routine, sizeof(routine), "invocations");
        hh_buf_printf(b, "<g class=\"workerlane\" data-worker=\"%u\" data-top=\"%.0f\" "
                         "data-label=\"",
                      L->workers[k], L->wy[k]);
        hh_buf_xml(b, full);
        hh_buf_puts(b, "\">");
        hh_tl_title(b, full);
        hh_tl_lane_name(b, L->wy[k], LANE, name, routine);
        if (L->wwy[k] >= 0)
            hh_tl_lane_name(b, L->wwy[k], LANE, "its routine's waits", "KeWait*, KeDelay*");
        hh_buf_puts(b, "</g>");
    }
}
