/* bytes.c - the input's bytes choose: one run whose choices are read from a byte string, so a
 * fuzzer that mutates the bytes mutates the interleaving (the schedule fuzz target).
 *
 * Each scheduling point with more than one enabled thread takes the next byte b. The enabled
 * threads are ranked from the default choice (the running thread if it is still enabled, else
 * the lowest id), then upwards in id order, wrapping; b % (number enabled) picks the rank. So
 * 0 is always "no preemption", and when the bytes run out every later point takes 0. A zero
 * input is the preemption-free schedule, and one byte changed adds, moves or removes one
 * switch at that point while the other bytes keep meaning "stay": libFuzzer's byte mutations
 * stay local to the interleaving. A point with one enabled thread takes no byte.
 */
#include <stdlib.h>

#include "explore/strategy_impl.h"

struct bytes {
    struct hh_ex_strategy base;
    const uint8_t *data;
    size_t size, pos;
    int started;
};

static int bytes_begin_run(struct hh_ex_strategy *s)
{
    struct bytes *b = (struct bytes *)s;
    if (b->started)
        return 0;
    b->started = 1;
    return 1;
}

static unsigned count(uint64_t set)
{
    unsigned n = 0;
    for (; set; set &= set - 1)
        n++;
    return n;
}

static int bytes_choose(struct hh_ex_strategy *s, const struct hh_ex_point *p)
{
    struct bytes *b = (struct bytes *)s;
    unsigned n = count(p->enabled), rank;
    int id = hh_ex_default_choice(p), limit = (int)p->n_threads;
    if (n < 2)
        return id;
    rank = b->pos < b->size ? b->data[b->pos] % n : 0;
    if (b->pos < b->size)
        b->pos++;
    while (rank > 0) {
        id = (id + 1) % limit;
        if (p->enabled & HH_EX_BIT(id))
            rank--;
    }
    return id;
}

static void bytes_end_run(struct hh_ex_strategy *s, int failed)
{
    (void)s;
    (void)failed;
}

static void bytes_free(struct hh_ex_strategy *s)
{
    free(s);
}

static const struct hh_ex_methods bytes_methods = {bytes_begin_run, bytes_choose,
                                                   bytes_end_run, bytes_free};

struct hh_ex_strategy *hh_ex_bytes_new(const uint8_t *data, size_t size)
{
    struct bytes *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    hh_ex_base_init(&b->base, &bytes_methods, 0);
    b->data = data;
    b->size = size;
    return &b->base;
}

size_t hh_ex_bytes_used(const struct hh_ex_strategy *s)
{
    if (s->m != &bytes_methods)
        return 0;
    return ((const struct bytes *)s)->pos;
}
