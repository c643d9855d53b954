/* replay.c - one run that follows a recorded or edited schedule (schedule.h). When the
 * thread the schedule names is not enabled, the run has diverged: the message says at
 * which point and item, what was expected and what could run, and the run goes on without
 * preemptions so the caller can finish it; hh_ex_divergence reports it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/schedule.h"
#include "explore/strategy_impl.h"

struct replay {
    struct hh_ex_strategy base;
    const struct hh_ex_schedule *sc;
    size_t item;             /* the item being followed */
    unsigned long used;      /* points of it used */
    unsigned long point;     /* points of the run so far */
    int started;
    int diverged;
    char msg[512];
};

static int replay_begin_run(struct hh_ex_strategy *s)
{
    struct replay *r = (struct replay *)s;
    if (r->started)
        return 0;
    r->started = 1;
    return 1;
}

/* "#N" names thread N; any other name is compared with the run's names. */
static int name_matches(const char *want, const struct hh_ex_point *p, int id)
{
    const char *have = p->names ? p->names[id] : NULL;
    if (want[0] == '#' && want[1] >= '0' && want[1] <= '9') {
        char *end;
        unsigned long n = strtoul(want + 1, &end, 10);
        if (*end == '\0')
            return n == (unsigned long)id;
    }
    return have && strcmp(have, want) == 0;
}

static size_t put_name(char *buf, size_t size, const struct hh_ex_point *p, int id)
{
    int n;
    if (p->names && p->names[id])
        n = snprintf(buf, size, "%s", p->names[id]);
    else
        n = snprintf(buf, size, "#%d", id);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static void diverge_at(struct replay *r, const struct hh_ex_point *p)
{
    const struct hh_ex_schedule_item *it = &r->sc->items[r->item];
    size_t used = 0, size = sizeof(r->msg);
    uint64_t e = p->enabled;
    int id, first = 1;
    used += (size_t)snprintf(r->msg, size,
        "the schedule diverged at point %lu: item %lu (line %u, column %u) \"%s x%lu\", "
        "its point %lu, wants %s, which is not enabled there; enabled: ",
        r->point + 1, (unsigned long)r->item + 1, it->line, it->col, it->name, it->count,
        r->used + 1, it->name);
    for (id = 0; e && used + 1 < size; id++, e >>= 1) {
        if (!(e & 1u))
            continue;
        if (!first)
            used += (size_t)snprintf(r->msg + used, size - used, ", ");
        if (used + 1 < size)
            used += put_name(r->msg + used, size - used, p, id);
        first = 0;
    }
    r->diverged = 1;
}

static int replay_choose(struct hh_ex_strategy *s, const struct hh_ex_point *p)
{
    struct replay *r = (struct replay *)s;
    uint64_t e = p->enabled;
    int id;
    if (!r->diverged && r->item >= r->sc->n_items) {
        snprintf(r->msg, sizeof(r->msg), "the run went on past the schedule's end: "
                 "the schedule has %lu points", r->sc->n_points);
        r->diverged = 1;
    }
    if (r->diverged) {
        r->point++;
        return hh_ex_default_choice(p);
    }
    for (id = 0; e; id++, e >>= 1)
        if ((e & 1u) && name_matches(r->sc->items[r->item].name, p, id))
            break;
    if (!e) {
        diverge_at(r, p);
        r->point++;
        return hh_ex_default_choice(p);
    }
    r->point++;
    if (++r->used == r->sc->items[r->item].count) {
        r->item++;
        r->used = 0;
    }
    return id;
}

static void replay_end_run(struct hh_ex_strategy *s, int failed)
{
    struct replay *r = (struct replay *)s;
    (void)failed;
    if (!r->diverged && r->item < r->sc->n_items) {
        snprintf(r->msg, sizeof(r->msg), "the run ended after %lu points, before the "
                 "schedule's end: the schedule has %lu points", r->point, r->sc->n_points);
        r->diverged = 1;
    }
}

static void replay_free(struct hh_ex_strategy *s)
{
    free(s);
}

static const struct hh_ex_methods replay_methods = {replay_begin_run, replay_choose,
                                                    replay_end_run, replay_free};

struct hh_ex_strategy *hh_ex_replay_new(const struct hh_ex_schedule *schedule)
{
    struct replay *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    hh_ex_base_init(&r->base, &replay_methods, 0);
    r->sc = schedule;
    return &r->base;
}

int hh_ex_divergence(const struct hh_ex_strategy *s, char *msg, size_t msg_size)
{
    const struct replay *r = (const struct replay *)s;
    if (s->m != &replay_methods || !r->diverged)
        return 0;
    if (msg_size)
        snprintf(msg, msg_size, "%s", r->msg);
    return 1;
}
