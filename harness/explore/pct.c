/* pct.c - probabilistic concurrency testing (PCT, Burckhardt et al., ASPLOS 2010): each
 * thread gets a random priority when first enabled, the highest-priority enabled thread
 * runs, and at d-1 random points of the run (over an estimate k of its length: the longest
 * run so far) the thread about to run drops below all others. A bug of depth d is found by
 * one run with probability at least 1/(n k^(d-1)).
 */
#include <stdlib.h>

#include "explore/prng.h"
#include "explore/strategy_impl.h"

#define PCT_MAX_DEPTH 64

struct pct {
    struct hh_ex_strategy base;
    struct hh_ex_prng rng;
    unsigned depth;
    unsigned long runs, initial_steps;
    unsigned long change[PCT_MAX_DEPTH - 1]; /* step of change point i+1, 1-based */
    unsigned long step;
    uint64_t prio[HH_EX_MAX_THREADS];
    uint64_t has_prio;
};

static int pct_begin_run(struct hh_ex_strategy *s)
{
    struct pct *c = (struct pct *)s;
    unsigned long k = s->st.longest > c->initial_steps ? s->st.longest : c->initial_steps;
    unsigned i;
    if (s->st.runs >= c->runs)
        return 0;
    for (i = 0; i + 1 < c->depth; i++)
        c->change[i] = 1 + (unsigned long)hh_ex_prng_below(&c->rng, k);
    c->step = 0;
    c->has_prio = 0;
    return 1;
}

static int highest(const struct pct *c, uint64_t enabled)
{
    int id, best = HH_EX_NONE;
    for (id = 0; enabled; id++, enabled >>= 1)
        if ((enabled & 1u) && (best < 0 || c->prio[id] > c->prio[best]))
            best = id;
    return best;
}

static int pct_choose(struct hh_ex_strategy *s, const struct hh_ex_point *p)
{
    struct pct *c = (struct pct *)s;
    uint64_t fresh = p->enabled & ~c->has_prio;
    unsigned i;
    int id, best;
    /* Initial priorities stay above the change points' 1..d-1. */
    for (id = 0; fresh; id++, fresh >>= 1)
        if (fresh & 1u)
            c->prio[id] = (hh_ex_prng_next(&c->rng) >> 2) + ((uint64_t)1 << 62);
    c->has_prio |= p->enabled;
    c->step++;
    best = highest(c, p->enabled);
    for (i = 0; i + 1 < c->depth; i++) {
        if (c->change[i] == c->step) {
            c->prio[best] = i + 1;
            best = highest(c, p->enabled);
        }
    }
    return best;
}

static void pct_end_run(struct hh_ex_strategy *s, int failed)
{
    (void)s;
    (void)failed;
}

static void pct_free(struct hh_ex_strategy *s)
{
    free(s);
}

static const struct hh_ex_methods pct_methods = {pct_begin_run, pct_choose, pct_end_run, pct_free};

struct hh_ex_strategy *hh_ex_pct_new(uint64_t seed, unsigned depth, unsigned long runs,
                                     unsigned long initial_steps)
{
    struct pct *c;
    if (depth < 1 || depth > PCT_MAX_DEPTH)
        return NULL;
    c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    hh_ex_base_init(&c->base, &pct_methods, depth);
    hh_ex_prng_seed(&c->rng, seed);
    c->depth = depth;
    c->runs = runs;
    c->initial_steps = initial_steps ? initial_steps : 1;
    return &c->base;
}
