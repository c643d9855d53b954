/* timeline_threads.c - the threads of an explored run as its timeline holds them: which
 * threads there were, and where the baton changed hands. The JSON data and the drawing read
 * both from here, so the two always agree.
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

/* A DDI's name: what a thread switched away from was about to call, so it could have gone
 * on. The other points ("starts", "wakes from its wait", "takes the spin lock", "plays the
 * next step") are those of a thread that could not. */
static int is_ddi(const char *what)
{
    return what && what[0] >= 'A' && what[0] <= 'Z';
}

enum hh_tl_switch hh_tl_switch_at(const struct hh_timeline *tl, size_t i)
{
    size_t p, j;
    if (i >= tl->n || tl->events[i].kind != HH_TL_POINT)
        return HH_TL_SWITCH_NONE;
    for (p = i; p > 0 && tl->events[p - 1].kind != HH_TL_POINT; p--)
        ;
    if (p == 0 || tl->events[p - 1].lane == tl->events[i].lane)
        return HH_TL_SWITCH_NONE;
    for (j = i + 1; j < tl->n; j++) {
        const struct hh_tl_event *ev = &tl->events[j];
        if (ev->kind == HH_TL_POINT && ev->lane == tl->events[p - 1].lane)
            return is_ddi(ev->what) ? HH_TL_SWITCH_PREEMPTED : HH_TL_SWITCH_HANDOFF;
    }
    return HH_TL_SWITCH_HANDOFF; /* it ended, or the run failed before it ran again */
}

const char *hh_tl_switch_name(enum hh_tl_switch s)
{
    return s == HH_TL_SWITCH_PREEMPTED ? "preempted" : s == HH_TL_SWITCH_HANDOFF ? "handoff"
                                                                                 : NULL;
}
