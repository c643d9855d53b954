/* strategy.c - what every strategy does the same way: checking a point, recording the run's
 * choices, counting its preemptions and points, the statistics. The strategies' own work
 * is behind the method table (strategy_impl.h).
 */
#include <stdlib.h>
#include <string.h>

#include "explore/strategy_impl.h"

int hh_ex_dependent(const struct hh_ex_op *a, const struct hh_ex_op *b)
{
    if (a->access == HH_EX_NOTHING || b->access == HH_EX_NOTHING)
        return 0;
    if (a->access == HH_EX_UNKNOWN || b->access == HH_EX_UNKNOWN)
        return 1;
    return a->object == b->object && (a->access == HH_EX_WRITE || b->access == HH_EX_WRITE);
}

int hh_ex_lowest(uint64_t set)
{
    int id = 0;
    if (!set)
        return HH_EX_NONE;
    while (!(set & 1u)) {
        set >>= 1;
        id++;
    }
    return id;
}

int hh_ex_default_choice(const struct hh_ex_point *p)
{
    if (p->running >= 0 && p->running < HH_EX_MAX_THREADS && (p->enabled & HH_EX_BIT(p->running)))
        return p->running;
    return hh_ex_lowest(p->enabled);
}

void hh_ex_base_init(struct hh_ex_strategy *s, const struct hh_ex_methods *m, unsigned bound)
{
    memset(s, 0, sizeof(*s));
    s->m = m;
    s->st.bound = bound;
}

void hh_ex_free(struct hh_ex_strategy *s)
{
    if (!s)
        return;
    free(s->trace);
    s->m->free(s);
}

int hh_ex_begin_run(struct hh_ex_strategy *s)
{
    if (s->st.exhausted || !s->m->begin_run(s)) {
        s->st.exhausted = 1;
        return 0;
    }
    s->n_trace = 0;
    s->abandoned = 0;
    s->st.runs++;
    s->st.preemptions_last = 0;
    return 1;
}

static int point_valid(const struct hh_ex_point *p)
{
    if (!p->enabled || p->n_threads == 0 || p->n_threads > HH_EX_MAX_THREADS)
        return 0;
    return p->n_threads == HH_EX_MAX_THREADS || !(p->enabled >> p->n_threads);
}

int hh_ex_choose(struct hh_ex_strategy *s, const struct hh_ex_point *p)
{
    int id;
    if (!point_valid(p) || s->abandoned)
        return HH_EX_NONE;
    id = s->m->choose(s, p);
    if (id == HH_EX_ABANDON) {
        s->abandoned = 1;
        return id;
    }
    if (s->n_trace == s->cap_trace) {
        size_t cap = s->cap_trace ? s->cap_trace * 2 : 256;
        uint8_t *t = realloc(s->trace, cap);
        if (!t)
            abort();
        s->trace = t;
        s->cap_trace = cap;
    }
    s->trace[s->n_trace++] = (uint8_t)id;
    s->st.points++;
    if (s->n_trace > s->st.longest)
        s->st.longest = s->n_trace;
    if (hh_ex_preempts(p, id) && ++s->st.preemptions_last > s->st.preemptions_max)
        s->st.preemptions_max = s->st.preemptions_last;
    return id;
}

void hh_ex_end_run(struct hh_ex_strategy *s, int failed)
{
    if (failed)
        s->st.failed++;
    if (s->abandoned)
        s->st.abandoned++;
    s->m->end_run(s, failed);
}

const uint8_t *hh_ex_trace(const struct hh_ex_strategy *s, size_t *n)
{
    *n = s->n_trace;
    return s->trace;
}

void hh_ex_get_stats(const struct hh_ex_strategy *s, struct hh_ex_stats *out)
{
    *out = s->st;
}
