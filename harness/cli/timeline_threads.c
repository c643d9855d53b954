/* timeline_threads.c - the threads of a run as its timeline holds them: an explored run's
 * threads and where the baton changed hands, a driver's workers. The JSON data and the
 * drawing read both from here, so the two always agree.
 */
#include "timeline.h"

unsigned hh_tl_threads(const struct hh_timeline *tl, const char **names, unsigned max)
{
    unsigned n = 0, k;
    size_t i;
    for (k = 0; k < max; k++)
        names[k] = NULL;
    for (i = 0; i < tl->n; i++) {
        const struct hh_tl_event *ev = &tl->events[i];
        if (ev->kind != HH_TL_POINT || ev->lane < 0 || (unsigned long)ev->lane >= max)
            continue;
        if ((unsigned)ev->lane >= n)
            n = (unsigned)ev->lane + 1;
        if (!names[ev->lane])
            names[ev->lane] = ev->text;
    }
    return n;
}

enum hh_tl_switch hh_tl_switch_at(const struct hh_timeline *tl, size_t i)
{
    size_t p;
    if (i >= tl->n || tl->events[i].kind != HH_TL_POINT)
        return HH_TL_SWITCH_NONE;
    if (tl->events[i].preempted)
        return HH_TL_SWITCH_PREEMPTED;
    for (p = i; p > 0 && tl->events[p - 1].kind != HH_TL_POINT; p--)
        ;
    return p == 0 || tl->events[p - 1].lane == tl->events[i].lane ? HH_TL_SWITCH_NONE
                                                                   : HH_TL_SWITCH_HANDOFF;
}

const char *hh_tl_switch_name(enum hh_tl_switch s)
{
    return s == HH_TL_SWITCH_PREEMPTED ? "preempted" : s == HH_TL_SWITCH_HANDOFF ? "handoff"
                                                                                 : NULL;
}

int hh_tl_worker_event(int kind)
{
    return kind == HH_TL_CALL || kind == HH_TL_RETURN || kind == HH_TL_WAIT ||
           kind == HH_TL_WAITED;
}

unsigned hh_tl_workers(const struct hh_timeline *tl, unsigned *numbers, unsigned max)
{
    unsigned n = 0, highest = 0, w;
    size_t i;
    for (i = 0; i < tl->n; i++) {
        if (hh_tl_worker_event(tl->events[i].kind) && tl->events[i].worker > highest)
            highest = tl->events[i].worker;
    }
    if (highest < 2)
        return 0;
    /* Each number once, ascending: a pass per number keeps it simple (workers are few). */
    for (w = 1; w <= highest; w++) {
        for (i = 0; i < tl->n; i++) {
            if (hh_tl_worker_event(tl->events[i].kind) && tl->events[i].worker == w)
                break;
        }
        if (i == tl->n)
            continue;
        if (n < max && numbers)
            numbers[n] = w;
        n++;
    }
    return n;
}
