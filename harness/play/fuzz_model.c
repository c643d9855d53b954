/* fuzz_model.c - the model encodings (0x03, 0x04, 0x05): a byte per action, then its
 * operands, decoded into the scenario actions (set, reset, pulse, release, acquire, abandon,
 * timer, cancel, alert, apc, advance, call) that the current state allows; and a scenario's
 * steps encoded back.
 *
 * The statuses then arise from the model exactly as the kernel would produce them. Version 2
 * adds one thing: events set (reset, pulsed) together in one step, before the worker runs,
 * as when a driver signals two events from a DPC before the worker thread is scheduled.
 * Version 3 adds another: a call of one of the scenario's "fuzz" calls (a driver's producer),
 * with the values of its ranged arguments taken from the bytes that follow.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_input.h"
#include "play_int.h"

/* Opcodes of version 1, in this order: the byte modulo their count picks one. */
enum model_op {
    OP_SET,
    OP_RESET,
    OP_PULSE,
    OP_RELEASE,
    OP_ACQUIRE,
    OP_ABANDON,
    OP_TIMER,
    OP_CANCEL,
    OP_ALERT,
    OP_APC,
    OP_ADVANCE,
    OP_CALL, /* version 3 only */
    OP_COUNT
};

/* Version 2's opcode bit 7: this event joins the step before when that step is the same
 * event action (set, reset or pulse); otherwise it is ignored. */
#define JOIN 0x80

/* Operand bytes after each opcode. */
static const unsigned char operands[OP_COUNT] = {1, 1, 1, 1, 2, 1, 3, 1, 1, 0, 1, 1};

/* The other threads `acquire` may name: an operand byte modulo 4 picks one. */
static const char *const threads[] = {"driver", "thread1", "thread2", "thread3"};
#define NTHREADS (sizeof(threads) / sizeof(threads[0]))

/* Kinds of object an operand byte selects among (first places in the array only). */
enum pick { PICK_EVENT, PICK_LOCK, PICK_MUTANT, PICK_TIMER };

static int in_pick(enum pick k, int type)
{
    switch (k) {
    case PICK_EVENT:
        return type == HH_OBJECT_NOTIFICATION_EVENT || type == HH_OBJECT_SYNCHRONIZATION_EVENT;
    case PICK_LOCK:
        return type == HH_OBJECT_MUTEX || type == HH_OBJECT_MUTANT ||
               type == HH_OBJECT_SEMAPHORE;
    case PICK_MUTANT:
        return type == HH_OBJECT_MUTANT;
    default:
        return type == HH_OBJECT_NOTIFICATION_TIMER || type == HH_OBJECT_SYNCHRONIZATION_TIMER;
    }
}

/* How many objects of kind k there are, and the place of the n-th. */
static size_t pick_count(const struct hh_scenario *sc, enum pick k)
{
    size_t i, n = 0;
    for (i = 0; i < sc->nobjects; i++)
        n += sc->objects[i].same_as == (size_t)-1 && in_pick(k, sc->objects[i].type);
    return n;
}

static size_t pick_nth(const struct hh_scenario *sc, enum pick k, size_t nth)
{
    size_t i;
    for (i = 0; i < sc->nobjects; i++) {
        if (sc->objects[i].same_as == (size_t)-1 && in_pick(k, sc->objects[i].type) &&
            nth-- == 0)
            return i;
    }
    return (size_t)-1;
}

/* The n-th object of kind k, n taken from an operand byte; (size_t)-1 when none. */
static size_t pick(const struct hh_scenario *sc, enum pick k, uint8_t b)
{
    size_t n = pick_count(sc, k);
    return n ? pick_nth(sc, k, b % n) : (size_t)-1;
}

/* A duration byte: (1 + low 4 bits) times 10^(bits 4-6) ticks of 100 ns; bit 7 is a flag. */
static int64_t duration(uint8_t b)
{
    int64_t unit = 1;
    int u;
    for (u = (b >> 4) & 7; u > 0; u--)
        unit *= 10;
    return (1 + (b & 0x0f)) * unit;
}

static int release(struct hh_session *s, size_t i, struct hh_fuzz_action *out)
{
    const struct hh_scenario *sc = hh_session_scenario(s);
    const DISPATCHER_HEADER *h = hh_session_object(s, i);
    if (sc->objects[i].type == HH_OBJECT_SEMAPHORE) {
        if (h->SignalState >= ((const KSEMAPHORE *)h)->Limit)
            return 0;
        hh__fuzz_step(out, HH_ACT_RELEASE, i, NULL);
        return 1;
    }
    if (!hh__fuzz_other_owner(s, i))
        return 0; /* free, or the worker's: no other thread can release it */
    hh__fuzz_step(out, HH_ACT_RELEASE, i, hh__fuzz_other_owner(s, i));
    return 1;
}

static int acquire(struct hh_session *s, size_t i, const char *thread,
                   struct hh_fuzz_action *out)
{
    const DISPATCHER_HEADER *h = hh_session_object(s, i);
    const struct hh_scenario *sc = hh_session_scenario(s);
    if (sc->objects[i].type != HH_OBJECT_SEMAPHORE && h->SignalState <= 0) {
        const char *owner = hh__fuzz_other_owner(s, i);
        if (!owner || strcmp(owner, thread) != 0 || h->SignalState <= MINLONG + 1)
            return 0; /* taken by another thread: the step would have to wait */
    } else if (h->SignalState <= 0) {
        return 0;
    }
    hh__fuzz_step(out, HH_ACT_ACQUIRE, i, thread);
    return 1;
}

static int abandon(struct hh_session *s, size_t i, struct hh_fuzz_action *out)
{
    const char *owner = hh__fuzz_other_owner(s, i);
    if (!owner || hh__fuzz_holds_kmutex(s, owner))
        return 0;
    hh__fuzz_step(out, HH_ACT_ABANDON, i, owner);
    return 1;
}

/* One opcode and its operands into a step; 0 when the state does not allow it. */
static int decode(struct hh_session *s, enum model_op op, const uint8_t *v,
                  struct hh_fuzz_action *out)
{
    static const enum hh_sc_action event_actions[] = {HH_ACT_SET, HH_ACT_RESET, HH_ACT_PULSE};
    const struct hh_scenario *sc = hh_session_scenario(s);
    const struct hh_engine *e = hh_session_engine(s);
    size_t i;
    switch (op) {
    case OP_SET:
    case OP_RESET:
    case OP_PULSE:
        if ((i = pick(sc, PICK_EVENT, v[0])) == (size_t)-1)
            return 0;
        hh__fuzz_step(out, event_actions[op], i, NULL);
        return 1;
    case OP_RELEASE:
        return (i = pick(sc, PICK_LOCK, v[0])) != (size_t)-1 && release(s, i, out);
    case OP_ACQUIRE:
        return (i = pick(sc, PICK_LOCK, v[0])) != (size_t)-1 &&
               acquire(s, i, threads[v[1] % NTHREADS], out);
    case OP_ABANDON:
        return (i = pick(sc, PICK_MUTANT, v[0])) != (size_t)-1 && abandon(s, i, out);
    case OP_TIMER:
        if ((i = pick(sc, PICK_TIMER, v[0])) == (size_t)-1)
            return 0;
        hh__fuzz_step(out, HH_ACT_TIMER, i, NULL);
        out->step.due.kind = v[1] & 0x80 ? HH_TIMEOUT_ABSOLUTE : HH_TIMEOUT_RELATIVE;
        out->step.due.ticks = duration(v[1]);
        out->step.period_ms = 10 * (LONG)v[2];
        return 1;
    case OP_CANCEL:
        if ((i = pick(sc, PICK_TIMER, v[0])) == (size_t)-1)
            return 0;
        hh__fuzz_step(out, HH_ACT_CANCEL, i, NULL);
        return 1;
    case OP_ALERT:
        hh__fuzz_step(out, HH_ACT_ALERT, (size_t)-1, NULL);
        out->step.alert_mode = v[0] & 1 ? UserMode : KernelMode;
        return 1;
    case OP_APC:
        hh__fuzz_step(out, HH_ACT_APC, (size_t)-1, NULL);
        return 1;
    default:
        hh__fuzz_step(out, HH_ACT_ADVANCE, (size_t)-1, NULL);
        if (v[0] & 0x80) { /* to the next timer or timeout due */
            hh_time due = hh_engine_next_due(e);
            if (due <= e->now)
                return 0;
            out->step.advance = due - e->now;
        } else {
            out->step.advance = duration(v[0]);
        }
        return 1;
    }
}

static enum model_op op_of(const struct hh_fuzz_decoder *d, uint8_t b)
{
    if (d->format == HH_FUZZ_FORMAT_MODEL)
        return (enum model_op)(b % OP_CALL);
    return (enum model_op)((b & ~JOIN) % (d->format == HH_FUZZ_FORMAT_MODEL2 ? OP_CALL
                                                                               : OP_COUNT));
}

/* ---- Calls (version 3) ------------------------------------------------------------------ */

/* Bytes a ranged argument's value takes: enough for max - min, little-endian. */
static size_t range_bytes(const struct hh_sc_arg *a)
{
    unsigned long long span = (unsigned long long)a->max - (unsigned long long)a->min;
    size_t n = 0;
    while (span) {
        n++;
        span >>= 8;
    }
    return n;
}

/* The call sc->fuzz_calls[b % n] with its ranged arguments' values from d's next bytes;
 * 0 when the scenario has no calls or the input ends first. */
static int decode_call(struct hh_fuzz_decoder *d, const struct hh_scenario *sc, uint8_t b,
                       struct hh_fuzz_action *out)
{
    const struct hh_sc_step *call;
    size_t i, k;
    if (sc->nfuzz_calls == 0)
        return 0;
    call = &sc->fuzz_calls[b % sc->nfuzz_calls];
    hh__fuzz_step(out, HH_ACT_CALL, (size_t)-1, call->thread);
    out->step.call = call->call;
    for (i = 0; i < call->call.nargs; i++) {
        struct hh_sc_arg *a = &out->step.call.args[i];
        unsigned long long v = 0, span;
        size_t n = range_bytes(a);
        if (a->kind != HH_ARG_RANGE)
            continue;
        if (d->pos + n > d->size) {
            d->pos = d->size; /* the input ends inside the call */
            return 0;
        }
        for (k = 0; k < n; k++)
            v |= (unsigned long long)d->data[d->pos + k] << (8 * k);
        d->pos += n;
        span = (unsigned long long)a->max - (unsigned long long)a->min;
        if (span + 1 != 0)
            v %= span + 1;
        a->kind = HH_ARG_NUMBER;
        a->value = (ULONG_PTR)(LONG_PTR)(a->min + (long long)v);
    }
    return 1;
}

/* Version 2: the events that follow with JOIN and the same action join out's step (an event
 * already in it is skipped). Setting events cannot fail, so no state is asked. */
static void join_events(struct hh_fuzz_decoder *d, const struct hh_scenario *sc,
                        enum model_op op, struct hh_fuzz_action *out)
{
    while (d->format == HH_FUZZ_FORMAT_MODEL2 && op <= OP_PULSE && d->pos + 2 <= d->size &&
           (d->data[d->pos] & JOIN) && op_of(d, d->data[d->pos]) == op) {
        hh__fuzz_step_add(out, pick(sc, PICK_EVENT, d->data[d->pos + 1]));
        d->pos += 2;
    }
}

int hh__fuzz_model_next(struct hh_fuzz_decoder *d, struct hh_session *s,
                        struct hh_fuzz_action *out)
{
    for (;;) {
        enum model_op op;
        const uint8_t *v;
        if (d->pos >= d->size)
            return 0;
        op = op_of(d, d->data[d->pos]);
        if (d->pos + 1 + operands[op] > d->size)
            return 0;
        v = &d->data[d->pos + 1];
        d->pos += 1 + (size_t)operands[op];
        if (op == OP_CALL) {
            if (decode_call(d, hh_session_scenario(s), v[0], out))
                return 1;
            continue;
        }
        if (decode(s, op, v, out)) {
            join_events(d, hh_session_scenario(s), op, out);
            return 1;
        }
    }
}

/* ---- Encoding a scenario's steps ------------------------------------------------------ */

struct encoder {
    uint8_t *buf;
    size_t cap, n;
    const char *names[NTHREADS]; /* scenario thread names, mapped to threads[] in order */
};

static void put(struct encoder *en, int op, int nops, uint8_t a, uint8_t b, uint8_t c)
{
    if (en->n + 1 + (size_t)nops > en->cap)
        return;
    en->buf[en->n++] = (uint8_t)op;
    if (nops > 0)
        en->buf[en->n++] = a;
    if (nops > 1)
        en->buf[en->n++] = b;
    if (nops > 2)
        en->buf[en->n++] = c;
}

/* The selector byte that picks object i among kind k. */
static uint8_t selector(const struct hh_scenario *sc, enum pick k, size_t i)
{
    size_t n, base = hh__fuzz_first_place(sc, i);
    for (n = 0; n < pick_count(sc, k); n++) {
        if (pick_nth(sc, k, n) == base)
            return (uint8_t)n;
    }
    return 0;
}

static uint8_t thread_byte(struct encoder *en, const char *name)
{
    size_t i;
    if (!name || strcmp(name, "driver") == 0)
        return 0;
    for (i = 1; i < NTHREADS && en->names[i]; i++) {
        if (strcmp(en->names[i], name) == 0)
            return (uint8_t)i;
    }
    if (i == NTHREADS)
        return 1;
    en->names[i] = name;
    return (uint8_t)i;
}

/* The duration byte closest from below to ticks (at least 100 ns). */
static uint8_t duration_byte(int64_t ticks)
{
    int64_t unit = 10000000;
    int u;
    for (u = 7; u > 0 && ticks < unit; u--)
        unit /= 10;
    ticks /= unit;
    if (ticks < 1)
        ticks = 1;
    if (ticks > 16)
        ticks = 16;
    return (uint8_t)((u << 4) | (int)(ticks - 1));
}

/* Advances summing to exactly ticks, as far as the input holds them (100 days are 540,000
 * advances of 16 s). */
static void put_advance(struct encoder *en, int64_t ticks)
{
    int64_t unit = 10000000;
    int u;
    for (u = 7; u >= 0; u--, unit /= 10) {
        while (ticks >= unit && en->n + 2 <= en->cap) {
            int64_t k = ticks / unit > 16 ? 16 : ticks / unit;
            put(en, OP_ADVANCE, 1, (uint8_t)((u << 4) | (int)(k - 1)), 0, 0);
            ticks -= k * unit;
        }
    }
}

/* Object i of step st; `join`: version 2, and not the step's first object. */
static void put_object_step(struct encoder *en, const struct hh_scenario *sc,
                            const struct hh_sc_step *st, size_t i, int join)
{
    LONG k;
    switch (st->action) {
    case HH_ACT_SET:
    case HH_ACT_RESET:
    case HH_ACT_PULSE:
        put(en,
            (st->action == HH_ACT_SET     ? OP_SET
             : st->action == HH_ACT_RESET ? OP_RESET
                                          : OP_PULSE) |
                (join ? JOIN : 0),
            1, selector(sc, PICK_EVENT, i), 0, 0);
        break;
    case HH_ACT_RELEASE:
        /* A count may be up to MAXLONG: the releases stop where the buffer does. */
        for (k = 0; k < (sc->objects[i].type == HH_OBJECT_SEMAPHORE ? st->count : 1) &&
                    en->n + 2 <= en->cap;
             k++)
            put(en, OP_RELEASE, 1, selector(sc, PICK_LOCK, i), 0, 0);
        break;
    case HH_ACT_ACQUIRE:
        put(en, OP_ACQUIRE, 2, selector(sc, PICK_LOCK, i), thread_byte(en, st->thread), 0);
        break;
    case HH_ACT_ABANDON:
        put(en, OP_ABANDON, 1, selector(sc, PICK_MUTANT, i), 0, 0);
        break;
    case HH_ACT_TIMER:
        put(en, OP_TIMER, 3, selector(sc, PICK_TIMER, i),
            (uint8_t)(duration_byte(st->due.ticks) |
                      (st->due.kind == HH_TIMEOUT_ABSOLUTE ? 0x80 : 0)),
            (uint8_t)(st->period_ms <= 0 ? 0 : st->period_ms / 10 > 255 ? 255
                                             : st->period_ms < 10   ? 1
                                                                    : st->period_ms / 10));
        break;
    case HH_ACT_CANCEL:
        put(en, OP_CANCEL, 1, selector(sc, PICK_TIMER, i), 0, 0);
        break;
    default:
        break;
    }
}

/* Whether fuzz call fc can make call step st: same function, thread and IRQL, its fixed
 * arguments equal, st's values within its ranges. */
static int call_fits(const struct hh_sc_step *fc, const struct hh_sc_step *st)
{
    size_t i;
    if (strcmp(fc->call.function, st->call.function) != 0 ||
        strcmp(fc->thread, st->thread) != 0 || fc->call.irql != st->call.irql ||
        fc->call.nargs != st->call.nargs)
        return 0;
    for (i = 0; i < st->call.nargs; i++) {
        const struct hh_sc_arg *f = &fc->call.args[i], *a = &st->call.args[i];
        long long v = (long long)(LONG_PTR)a->value;
        if (f->kind == HH_ARG_RANGE ? a->kind != HH_ARG_NUMBER || v < f->min || v > f->max
                                    : f->kind != a->kind || f->value != a->value ||
                                          (f->kind == HH_ARG_OBJECT && f->object != a->object))
            return 0;
    }
    return 1;
}

/* Version 3: a call step as the first fuzz call that can make it (none: left out). */
static void put_call(struct encoder *en, const struct hh_scenario *sc,
                     const struct hh_sc_step *st)
{
    size_t j, i, k;
    for (j = 0; j < sc->nfuzz_calls && !call_fits(&sc->fuzz_calls[j], st); j++)
        ;
    if (j == sc->nfuzz_calls || en->n + 2 > en->cap)
        return;
    put(en, OP_CALL, 1, (uint8_t)j, 0, 0);
    for (i = 0; i < st->call.nargs; i++) {
        const struct hh_sc_arg *f = &sc->fuzz_calls[j].call.args[i];
        unsigned long long v = (unsigned long long)(LONG_PTR)st->call.args[i].value -
                               (unsigned long long)f->min;
        for (k = 0; f->kind == HH_ARG_RANGE && k < range_bytes(f) && en->n < en->cap; k++)
            en->buf[en->n++] = (uint8_t)(v >> (8 * k));
    }
}

int hh__fuzz_encode_model(const struct hh_scenario *sc, int format, uint8_t *buf, size_t cap,
                          size_t *len)
{
    struct encoder en;
    int64_t now = 0;
    size_t i, k;
    memset(&en, 0, sizeof(en));
    en.buf = buf;
    en.cap = cap;
    en.n = *len;
    for (i = 0; i < sc->nsteps; i++) {
        const struct hh_sc_step *st = &sc->steps[i];
        if (st->has_at && st->at > now) {
            put_advance(&en, st->at - now);
            now = st->at;
        }
        switch (st->action) {
        case HH_ACT_ALERT:
            put(&en, OP_ALERT, 1, st->alert_mode == UserMode ? 1 : 0, 0, 0);
            break;
        case HH_ACT_APC:
            put(&en, OP_APC, 0, 0, 0, 0);
            break;
        case HH_ACT_ADVANCE:
            put_advance(&en, st->advance);
            now += st->advance;
            break;
        case HH_ACT_CALL:
            if (format == HH_FUZZ_FORMAT_MODEL3)
                put_call(&en, sc, st);
            break;
        default: /* start and hotswap have no encoding: the run starts at once */
            for (k = 0; k < st->nobjects; k++)
                put_object_step(&en, sc, st, st->objects[k],
                                k > 0 && format != HH_FUZZ_FORMAT_MODEL);
            break;
        }
    }
    *len = en.n;
    return 0;
}
