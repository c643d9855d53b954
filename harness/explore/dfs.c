/* dfs.c - exhaustive depth-first search of the schedules with at most `bound` preemptions
 * (iterative context bounding, CHESS), stateless: every run replays the choices of the
 * previous one up to the deepest point with an alternative left, takes that alternative,
 * and goes on lowest thread id first. With sleep sets (Godefroid) a thread whose move is
 * independent of what ran since an earlier sibling explored it is not chosen again.
 *
 * Sleep sets and the bound: moving a sleeping thread's first move to the front of the
 * explored order can cost preemptions the pruned order does not (docs/explore.md has the
 * derivation). An explored sibling t joins the sleep set of a later sibling u at the same
 * point only when cost(t first) + [t stays enabled after its move] <= cost(u first), and
 * a sleeping thread wakes when another thread's pending operation depends on its move, so
 * the order that covers a pruned one never needs more preemptions than it did. Unbounded,
 * every explored sibling joins and only executed moves wake (plain sleep sets).
 */
#include <stdlib.h>
#include <string.h>

#include "explore/strategy_impl.h"

/* One scheduling point of the current path, kept for the runs that replay it. */
struct dfs_frame {
    uint64_t enabled;
    uint64_t sleep; /* threads not to choose here (their orders are covered) */
    uint64_t tried; /* threads chosen here in this or earlier runs */
    uint64_t cont;  /* tried threads still enabled right after their move here */
    unsigned pre;   /* preemptions before this point */
    int8_t running;
    int8_t chosen;
    int8_t next;    /* the alternative the next run takes (the deepest point of the prefix) */
};

struct dfs {
    struct hh_ex_strategy base;
    struct dfs_frame *frames;
    size_t cap;
    size_t depth;   /* points of the current run so far */
    size_t prefix;  /* points the current run replays; the last takes `next` */
    unsigned bound;
    int sleep_sets;
    int started, done;
};

static int frame_preempts(const struct dfs_frame *f, int id)
{
    return f->running >= 0 && (f->enabled & HH_EX_BIT(f->running)) && id != f->running;
}

/* The threads choosable at f without going over the bound. */
static uint64_t within_bound(const struct dfs *d, const struct dfs_frame *f)
{
    if (d->bound == HH_EX_UNBOUNDED || f->pre < d->bound)
        return f->enabled;
    if (f->running >= 0 && (f->enabled & HH_EX_BIT(f->running)))
        return HH_EX_BIT(f->running);
    return f->enabled;
}

/* The sleep set of the point after choosing id at f, from the ops at this point. */
static uint64_t child_sleep(const struct dfs *d, const struct dfs_frame *f,
                            const struct hh_ex_point *p, int id)
{
    uint64_t sleep = f->sleep, earlier = f->tried & ~HH_EX_BIT(id), keep = 0, rest;
    int t;
    if (!d->sleep_sets || !p->ops)
        return 0;
    for (t = 0; earlier; t++, earlier >>= 1) {
        if (!(earlier & 1u))
            continue;
        if (d->bound == HH_EX_UNBOUNDED ||
            frame_preempts(f, t) + !!(f->cont & HH_EX_BIT(t)) <= frame_preempts(f, id))
            sleep |= HH_EX_BIT(t);
    }
    for (t = 0, rest = sleep; rest; t++, rest >>= 1)
        if ((rest & 1u) && !hh_ex_dependent(&p->ops[t], &p->ops[id]))
            keep |= HH_EX_BIT(t);
    return keep;
}

/* Under a bound, a sleeping thread t wakes when another thread's pending operation depends
 * on t's: moving t's move to the front could then change whether that thread is enabled at
 * a switch, and so what the switch costs (a blocked thread woken by t is preempted where
 * the pruned order left it blocked). */
static uint64_t still_asleep(const struct hh_ex_point *p, uint64_t sleep)
{
    uint64_t keep = 0, rest;
    int t;
    unsigned x;
    for (t = 0, rest = sleep; rest; t++, rest >>= 1) {
        if (!(rest & 1u))
            continue;
        for (x = 0; x < p->n_threads; x++)
            if ((int)x != t && hh_ex_dependent(&p->ops[x], &p->ops[t]))
                break;
        if (x == p->n_threads)
            keep |= HH_EX_BIT(t);
    }
    return keep;
}

static void reserve(struct dfs *d, size_t n)
{
    struct dfs_frame *f;
    size_t cap;
    if (n <= d->cap)
        return;
    cap = d->cap ? d->cap * 2 : 256;
    while (cap < n)
        cap *= 2;
    f = realloc(d->frames, cap * sizeof(*f));
    if (!f)
        abort();
    d->frames = f;
    d->cap = cap;
}

static int dfs_begin_run(struct hh_ex_strategy *s)
{
    struct dfs *d = (struct dfs *)s;
    if (d->done)
        return 0;
    if (!d->started) {
        d->started = 1;
        reserve(d, 1);
        d->frames[0].sleep = 0;
        d->prefix = 0;
    }
    d->depth = 0;
    return 1;
}

static int dfs_choose(struct hh_ex_strategy *s, const struct hh_ex_point *p)
{
    struct dfs *d = (struct dfs *)s;
    size_t i = d->depth;
    struct dfs_frame *f;
    uint64_t choosable;
    int id;
    reserve(d, i + 2);
    if (i > 0 && (p->enabled & HH_EX_BIT(d->frames[i - 1].chosen)))
        d->frames[i - 1].cont |= HH_EX_BIT(d->frames[i - 1].chosen);
    f = &d->frames[i];
    if (i < d->prefix && (f->enabled != p->enabled || f->running != p->running)) {
        /* The program did not repeat itself: explore from here as if new. */
        s->st.nondeterministic++;
        d->prefix = i;
    }
    if (i + 1 < d->prefix) {
        d->depth = i + 1;
        return f->chosen; /* the child's sleep set is kept from the run that made it */
    }
    if (i + 1 == d->prefix) {
        id = f->next;
    } else {
        f->enabled = p->enabled;
        f->running = (int8_t)(p->running >= 0 && p->running < HH_EX_MAX_THREADS ? p->running
                                                                                : HH_EX_NONE);
        f->tried = 0;
        f->cont = 0;
        f->pre = i ? d->frames[i - 1].pre + frame_preempts(&d->frames[i - 1], d->frames[i - 1].chosen)
                   : 0;
        if (i == 0)
            f->sleep = 0;
        f->sleep &= p->enabled;
        if (f->sleep && d->bound != HH_EX_UNBOUNDED)
            f->sleep = still_asleep(p, f->sleep);
        choosable = within_bound(d, f) & ~f->sleep;
        if (!choosable) {
            d->depth = i; /* no node here: backtracking starts above */
            return HH_EX_ABANDON;
        }
        id = hh_ex_lowest(choosable);
    }
    f->chosen = (int8_t)id;
    f->tried |= HH_EX_BIT(id);
    d->frames[i + 1].sleep = child_sleep(d, f, p, id);
    d->depth = i + 1;
    return id;
}

static void dfs_end_run(struct hh_ex_strategy *s, int failed)
{
    struct dfs *d = (struct dfs *)s;
    size_t i = d->depth;
    (void)failed;
    /* A run stopped right after a move does not say whether the thread could go on. */
    if (i > 0 && !s->abandoned)
        d->frames[i - 1].cont |= HH_EX_BIT(d->frames[i - 1].chosen);
    while (i-- > 0) {
        struct dfs_frame *f = &d->frames[i];
        uint64_t alt = within_bound(d, f) & ~f->sleep & ~f->tried;
        if (alt) {
            f->next = (int8_t)hh_ex_lowest(alt);
            d->prefix = i + 1;
            return;
        }
    }
    d->done = 1;
}

static void dfs_free(struct hh_ex_strategy *s)
{
    struct dfs *d = (struct dfs *)s;
    free(d->frames);
    free(d);
}

static const struct hh_ex_methods dfs_methods = {dfs_begin_run, dfs_choose, dfs_end_run, dfs_free};

struct hh_ex_strategy *hh_ex_dfs_new(unsigned bound, int sleep_sets)
{
    struct dfs *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    hh_ex_base_init(&d->base, &dfs_methods, bound);
    d->bound = bound;
    d->sleep_sets = sleep_sets;
    return &d->base;
}
