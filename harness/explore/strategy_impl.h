/* strategy_impl.h - what the strategies share inside hh_explore: the method table each
 * implements and the common part of a strategy (the trace of the run, the statistics,
 * the preemptions counted the same way for all), which strategy.c keeps.
 */
#ifndef HH_EXPLORE_STRATEGY_IMPL_H
#define HH_EXPLORE_STRATEGY_IMPL_H

#include "explore/strategy.h"

#define HH_EX_BIT(id) ((uint64_t)1 << (unsigned)(id))

struct hh_ex_methods {
    int (*begin_run)(struct hh_ex_strategy *s);
    /* p is checked (enabled non-empty, ids in range); returns an enabled id or ABANDON */
    int (*choose)(struct hh_ex_strategy *s, const struct hh_ex_point *p);
    void (*end_run)(struct hh_ex_strategy *s, int failed);
    void (*free)(struct hh_ex_strategy *s);
};

struct hh_ex_strategy {
    const struct hh_ex_methods *m;
    uint8_t *trace;     /* choices of the current run; grows, never shrinks */
    size_t n_trace, cap_trace;
    int abandoned;      /* this run was abandoned */
    struct hh_ex_stats st;
};

/* Is choosing `id` at p a preemption: the running thread is still enabled and is left. */
static inline int hh_ex_preempts(const struct hh_ex_point *p, int id)
{
    return p->running >= 0 && p->running < HH_EX_MAX_THREADS &&
           (p->enabled & HH_EX_BIT(p->running)) && id != p->running;
}

/* The choice that costs no preemption: the running thread if enabled, else the lowest id. */
int hh_ex_default_choice(const struct hh_ex_point *p);
int hh_ex_lowest(uint64_t set);
/* Fills the common part; the strategy's own struct starts with it. */
void hh_ex_base_init(struct hh_ex_strategy *s, const struct hh_ex_methods *m, unsigned bound);

#endif
