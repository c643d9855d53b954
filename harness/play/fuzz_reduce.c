/* fuzz_reduce.c - a finding made small: the run's steps taken out as actions, replayed, and
 * dropped while the run still fails by the same rule. A candidate whose steps no longer fit
 * the state fails as a timeline problem and is not kept. Replays run in this process, so a
 * crash cannot be reduced here (libFuzzer's -minimize_crash=1 can).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "play_int.h"

struct hh_fuzz_action *hh_fuzz_run_actions(const struct hh_session *s, size_t *n)
{
    const struct hh_scenario *sc = hh_session_scenario(s);
    struct hh_fuzz_action *a = calloc(sc->nsteps ? sc->nsteps : 1, sizeof(*a));
    size_t i;
    if (!a)
        hh_play_oom();
    for (i = 0; i < sc->nsteps; i++) {
        const struct hh_sc_step *st = &sc->steps[i];
        size_t k;
        hh__fuzz_step(&a[i], st->action, st->nobjects ? st->objects[0] : (size_t)-1,
                      st->thread);
        for (k = 1; k < st->nobjects; k++)
            hh__fuzz_step_add(&a[i], st->objects[k]);
        a[i].step.count = st->count;
        a[i].step.advance = st->advance;
        a[i].step.due = st->due;
        a[i].step.period_ms = st->period_ms;
        a[i].step.alert_mode = st->alert_mode;
        a[i].step.call = st->call;
        if (st->action == HH_ACT_NONE) {
            a[i].deliver = 1;
            a[i].status = (NTSTATUS)st->count;
        } else if (st->note) {
            strncpy(a[i].note, st->note, sizeof(a[i].note) - 1);
            a[i].step.note = a[i].note;
        }
    }
    *n = sc->nsteps;
    return a;
}

int hh_fuzz_run(struct hh_session *s, const struct hh_fuzz_action *a, size_t n)
{
    size_t i;
    hh_session_begin(s);
    for (i = 0; i < n; i++) {
        if (hh_fuzz_act(s, &a[i]) != 0)
            break;
    }
    return hh_session_end(s);
}

static int still_fails(struct hh_session *s, const struct hh_fuzz_action *a, size_t n,
                       enum hh_rule rule)
{
    return hh_fuzz_run(s, a, n) == HH_PLAY_FAIL && hh_session_result(s)->rule == rule;
}

size_t hh_fuzz_reduce(struct hh_session *s, struct hh_fuzz_action *a, size_t n,
                      enum hh_rule rule)
{
    struct hh_fuzz_action *c = calloc(n ? n : 1, sizeof(*c));
    size_t chunk, i, k, m;
    if (!c)
        hh_play_oom();
    /* Chunks of halving size, each dropped if the rest still fails (ddmin's complements). */
    for (chunk = n / 2 ? n / 2 : 1; chunk >= 1; chunk /= 2) {
        for (i = 0; i < n;) {
            size_t end = i + chunk < n ? i + chunk : n;
            for (k = 0, m = 0; k < n; k++) {
                if (k < i || k >= end)
                    c[m++] = a[k];
            }
            if (m < n && still_fails(s, c, m, rule)) {
                memcpy(a, c, m * sizeof(*a));
                n = m;
            } else {
                i = end;
            }
        }
        if (chunk == 1)
            break;
    }
    free(c);
    hh_fuzz_run(s, a, n); /* the session keeps the account of the result */
    return n;
}
