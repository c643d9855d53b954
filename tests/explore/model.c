/* model.c - the model programs' interpreter, driver and brute-force enumerator (model.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/prng.h"
#include "model.h"

struct model_state {
    struct model_final f;
    int running;
};

/* Runs the local operations (jumps) up to the thread's next shared one. */
static void settle(const struct model *m, struct model_state *st, unsigned t)
{
    for (;;) {
        const struct model_op *op = &m->prog[t][st->f.pc[t]];
        int r;
        if (op->code != M_JZ && op->code != M_JNZ)
            return;
        r = st->f.regs[t][op->reg];
        st->f.pc[t] = (op->code == M_JZ) == (r == 0) ? op->arg : st->f.pc[t] + 1;
    }
}

static void start(const struct model *m, struct model_state *st)
{
    unsigned t;
    memset(st, 0, sizeof(*st));
    memcpy(st->f.vars, m->init, sizeof(st->f.vars));
    st->running = HH_EX_NONE;
    for (t = 0; t < m->n_threads; t++)
        settle(m, st, t);
}

static uint64_t enabled(const struct model *m, const struct model_state *st)
{
    uint64_t e = 0;
    unsigned t;
    for (t = 0; t < m->n_threads; t++) {
        const struct model_op *op = &m->prog[t][st->f.pc[t]];
        if (op->code == M_END || (op->code == M_WAIT && st->f.vars[op->var] == 0))
            continue;
        e |= (uint64_t)1 << t;
    }
    return e;
}

static void step(const struct model *m, struct model_state *st, unsigned t)
{
    const struct model_op *op = &m->prog[t][st->f.pc[t]];
    switch (op->code) {
    case M_LOAD: st->f.regs[t][op->reg] = st->f.vars[op->var]; break;
    case M_STORE: st->f.vars[op->var] = op->arg; break;
    case M_STORE_REG: st->f.vars[op->var] = st->f.regs[t][op->reg] + op->arg; break;
    case M_INC: st->f.vars[op->var]++; break;
    default: break; /* M_WAIT: enabled, so it returns */
    }
    st->f.pc[t]++;
    settle(m, st, t);
    st->running = (enabled(m, st) >> t) & 1u ? (int)t : HH_EX_NONE;
}

static void finish(const struct model *m, struct model_state *st)
{
    unsigned t;
    for (t = 0; t < m->n_threads; t++)
        if (m->prog[t][st->f.pc[t]].code != M_END)
            st->f.deadlock = 1;
}

int model_run(const struct model *m, struct hh_ex_strategy *s, struct model_final *out)
{
    struct hh_ex_op ops[MODEL_THREADS];
    struct model_state st;
    struct hh_ex_point p;
    uint64_t e;
    start(m, &st);
    p.n_threads = m->n_threads;
    p.ops = ops;
    p.names = m->names;
    while ((e = enabled(m, &st)) != 0) {
        unsigned t;
        int id;
        for (t = 0; t < m->n_threads; t++) {
            const struct model_op *op = &m->prog[t][st.f.pc[t]];
            ops[t].object = &st.f.vars[op->var];
            ops[t].access = op->code == M_END    ? HH_EX_NOTHING
                            : op->code == M_LOAD ? HH_EX_READ
                                                 : HH_EX_WRITE;
        }
        p.enabled = e;
        p.running = st.running;
        id = hh_ex_choose(s, &p);
        if (id == HH_EX_ABANDON)
            return 1;
        if (id < 0 || !((e >> id) & 1u)) {
            fprintf(stderr, "model_run: the strategy chose %d, not enabled\n", id);
            abort();
        }
        step(m, &st, (unsigned)id);
    }
    finish(m, &st);
    *out = st.f;
    return 0;
}

unsigned long model_explore(const struct model *m, struct hh_ex_strategy *s,
                            struct model_states *states, unsigned long max_runs)
{
    unsigned long complete = 0, runs = 0;
    while (runs++ < max_runs && hh_ex_begin_run(s)) {
        struct model_final f;
        int abandoned = model_run(m, s, &f);
        if (!abandoned) {
            complete++;
            if (states)
                model_states_add(states, &f);
        }
        hh_ex_end_run(s, !abandoned && f.deadlock);
    }
    return complete;
}

static unsigned long enumerate(const struct model *m, const struct model_state *st,
                               unsigned pre, unsigned bound, struct model_states *states)
{
    uint64_t e = enabled(m, st);
    unsigned long n = 0;
    unsigned t;
    if (!e) {
        struct model_state end = *st;
        finish(m, &end);
        model_states_add(states, &end.f);
        return 1;
    }
    for (t = 0; t < m->n_threads; t++) {
        struct model_state next;
        unsigned cost;
        if (!((e >> t) & 1u))
            continue;
        cost = st->running >= 0 && ((e >> st->running) & 1u) && (int)t != st->running;
        if (bound != HH_EX_UNBOUNDED && pre + cost > bound)
            continue;
        next = *st;
        step(m, &next, t);
        n += enumerate(m, &next, pre + cost, bound, states);
    }
    return n;
}

unsigned long model_enumerate(const struct model *m, unsigned bound, struct model_states *states)
{
    struct model_state st;
    start(m, &st);
    return enumerate(m, &st, 0, bound, states);
}

void model_states_add(struct model_states *set, const struct model_final *f)
{
    size_t i;
    for (i = 0; i < set->n; i++)
        if (memcmp(&set->items[i], f, sizeof(*f)) == 0)
            return;
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        struct model_final *p = realloc(set->items, cap * sizeof(*p));
        if (!p)
            abort();
        set->items = p;
        set->cap = cap;
    }
    set->items[set->n++] = *f;
}

int model_states_equal(const struct model_states *a, const struct model_states *b)
{
    size_t i, j;
    if (a->n != b->n)
        return 0;
    for (i = 0; i < a->n; i++) {
        for (j = 0; j < b->n; j++)
            if (memcmp(&a->items[i], &b->items[j], sizeof(a->items[i])) == 0)
                break;
        if (j == b->n)
            return 0;
    }
    return 1;
}

void model_states_free(struct model_states *set)
{
    free(set->items);
    memset(set, 0, sizeof(*set));
}

void model_lost_wakeup(struct model *m, int noise)
{
    enum { QUEUE, EVENT, STATS };
    static const struct model_op worker[] = {
        {M_LOAD, QUEUE, 0, 0}, {M_JNZ, 0, 0, 4}, {M_STORE, EVENT, 0, 0}, {M_WAIT, EVENT, 0, 0},
        {M_END, 0, 0, 0}};
    static const struct model_op producer[] = {
        {M_STORE, QUEUE, 0, 1}, {M_STORE, EVENT, 0, 1}, {M_END, 0, 0, 0}};
    static const struct model_op counter[] = {
        {M_INC, STATS, 0, 0}, {M_INC, STATS, 0, 0}, {M_INC, STATS, 0, 0}, {M_END, 0, 0, 0}};
    memset(m, 0, sizeof(*m));
    m->n_threads = noise ? 3 : 2;
    m->names[0] = "worker";
    m->names[1] = "producer";
    m->names[2] = "counter";
    memcpy(m->prog[0], worker, sizeof(worker));
    memcpy(m->prog[1], producer, sizeof(producer));
    memcpy(m->prog[2], counter, sizeof(counter));
}

void model_random(struct model *m, uint64_t *seed)
{
    static const char *const names[MODEL_THREADS] = {"t0", "t1", "t2"};
    unsigned t, i;
    memset(m, 0, sizeof(*m));
    m->n_threads = 2 + (unsigned)(hh_ex_splitmix64(seed) % 2);
    for (t = 0; t < m->n_threads; t++) {
        unsigned n = 1 + (unsigned)(hh_ex_splitmix64(seed) % 5);
        m->names[t] = names[t];
        for (i = 0; i < n; i++) {
            struct model_op *op = &m->prog[t][i];
            uint64_t r = hh_ex_splitmix64(seed);
            static const unsigned char codes[] = {M_LOAD, M_LOAD, M_STORE, M_STORE_REG, M_INC,
                                                  M_INC, M_WAIT};
            op->code = codes[r % sizeof(codes)];
            op->var = (unsigned char)((r >> 8) % 3);
            op->reg = (unsigned char)((r >> 16) % MODEL_REGS);
            op->arg = (int)((r >> 24) % 3);
        }
        m->prog[t][n].code = M_END;
    }
    m->init[2] = (int)(hh_ex_splitmix64(seed) % 2); /* a WAIT on var 2 may pass at once */
}

/* Appends to buf, never past its end. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void put(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (*used + 1 >= size)
        return;
    va_start(ap, fmt);
    n = vsnprintf(buf + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n > 0)
        *used = *used + (size_t)n < size ? *used + (size_t)n : size - 1;
}

void model_print(const struct model *m, char *buf, size_t size)
{
    static const char *const code_names[] = {"end", "load", "store", "store_reg", "inc",
                                             "wait", "jz", "jnz"};
    size_t used = 0;
    unsigned t, i;
    buf[0] = '\0';
    for (t = 0; t < m->n_threads; t++) {
        put(buf, size, &used, "%s[", m->names[t]);
        for (i = 0; m->prog[t][i].code != M_END; i++)
            put(buf, size, &used, "%s %s v%u r%u %d", i ? "," : "",
                code_names[m->prog[t][i].code], m->prog[t][i].var, m->prog[t][i].reg,
                m->prog[t][i].arg);
        put(buf, size, &used, " ] ");
    }
}
