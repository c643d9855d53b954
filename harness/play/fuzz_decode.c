/* fuzz_decode.c - the decoding loop shared by the encodings: the format byte, the queue of
 * steps one status takes, playing actions on a session, and the state questions (who owns
 * what) the decoders ask before they choose a step.
 *
 * Formats themselves live in fuzz_status.c (status-sequence) and fuzz_model.c (model).
 */
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "common/textput.h"
#include "fuzz_input.h"
#include "play_int.h"

const char *hh_fuzz_format_name(int format)
{
    switch (format) {
    case HH_FUZZ_FORMAT_STATUS:
        return "status-sequence v1";
    case HH_FUZZ_FORMAT_STATUS_ANY:
        return "status-sequence (any NTSTATUS) v1";
    case HH_FUZZ_FORMAT_MODEL:
        return "model v1";
    case HH_FUZZ_FORMAT_MODEL2:
        return "model v2";
    case HH_FUZZ_FORMAT_MODEL3:
        return "model v3";
    case HH_FUZZ_FORMAT_SCHEDULE:
        return "schedule v1";
    default:
        return NULL;
    }
}

struct hh_fuzz_decoder *hh_fuzz_decoder_new(void)
{
    /* Cleared once: the members of a step that no decoder sets stay zero (hh__fuzz_step). */
    struct hh_fuzz_decoder *d = calloc(1, sizeof(*d));
    if (!d)
        hh_play_oom();
    return d;
}

int hh_fuzz_decoder_init(struct hh_fuzz_decoder *d, const struct hh_scenario *sc,
                         const uint8_t *data, size_t size, unsigned accept)
{
    memset(d, 0, offsetof(struct hh_fuzz_decoder, queue)); /* not the 100 KB queue */
    if (size == 0 || data[0] >= 32 || !(accept & HH_FUZZ_ACCEPT(data[0])) ||
        !hh_fuzz_format_name(data[0]))
        return -1;
    d->sc = sc;
    d->data = data;
    d->size = size;
    d->pos = 1;
    d->format = data[0];
    if (d->alphabet_of != sc) {
        size_t b;
        d->nalphabet = hh_fuzz_alphabet(sc, d->alphabet);
        for (b = 0; b < 256 && d->nalphabet; b++)
            d->index_of[b] = (unsigned char)(b % d->nalphabet);
        memset(d->made, 0, sizeof(d->made));
        d->made_for = NULL;
        d->alphabet_of = sc;
    }
    return 0;
}

/* Pointers of a copied action lead into the copy. */
void hh__fuzz_repoint(struct hh_fuzz_action *a)
{
    if (a->step.nobjects)
        a->step.objects = a->objects;
    if (a->step.thread)
        a->step.thread = a->thread;
    if (a->step.note && a->note[0]) /* else it is the session's note (fuzz_status.c) */
        a->step.note = a->note;
}

void hh__fuzz_step(struct hh_fuzz_action *a, enum hh_sc_action action, size_t object,
                   const char *thread)
{
    /* Not the whole action (1 KB, through AddressSanitizer's memset at every step): the
     * members a decoder sets, and the call where there was one. The others stay as they
     * were cleared, once (hh_fuzz_decoder_new, hh_fuzz_next, hh_fuzz_play); objects[] is
     * read up to step.nobjects, the texts up to their end. */
    a->deliver = 0;
    a->status = 0;
    a->step.has_at = 0;
    a->step.at = 0;
    a->step.objects = NULL;
    a->step.nobjects = 0;
    a->step.thread = NULL;
    a->step.advance = 0;
    a->step.due.kind = 0;
    a->step.due.ticks = 0;
    a->step.period_ms = 0;
    a->step.alert_mode = KernelMode;
    a->step.note = NULL;
    if (a->step.call.function)
        memset(&a->step.call, 0, sizeof(a->step.call));
    a->thread[0] = '\0';
    a->note[0] = '\0';
    a->step.action = action;
    a->step.count = 1;
    if (object != (size_t)-1) {
        a->objects[0] = object;
        a->step.nobjects = 1;
    }
    if (thread) {
        hh_text_put(a->thread, sizeof(a->thread), 0, thread);
        a->step.thread = a->thread;
    }
    hh__fuzz_repoint(a);
}

int hh__fuzz_step_add(struct hh_fuzz_action *a, size_t object)
{
    size_t k;
    for (k = 0; k < a->step.nobjects; k++) {
        if (a->objects[k] == object)
            return 0;
    }
    if (a->step.nobjects == MAXIMUM_WAIT_OBJECTS)
        return 0;
    a->objects[a->step.nobjects++] = object;
    hh__fuzz_repoint(a);
    return 1;
}

size_t hh__fuzz_first_place(const struct hh_scenario *sc, size_t i)
{
    return sc->objects[i].same_as != (size_t)-1 ? sc->objects[i].same_as : i;
}

const char *hh__fuzz_other_owner(struct hh_session *s, size_t object)
{
    const KMUTANT *m = hh_session_object(s, object);
    const struct hh_engine *e = hh_session_engine(s);
    if (!m->OwnerThread || m->OwnerThread == e->worker)
        return NULL;
    return m->OwnerThread->name;
}

int hh__fuzz_holds_kmutex(struct hh_session *s, const char *name)
{
    const struct hh_scenario *sc = hh_session_scenario(s);
    size_t i;
    for (i = 0; i < sc->nobjects; i++) {
        const KMUTANT *m = hh_session_object(s, i);
        if (sc->objects[i].type == HH_OBJECT_MUTEX && m->OwnerThread &&
            strcmp(m->OwnerThread->name, name) == 0)
            return 1;
    }
    return 0;
}

/* The worker is blocked in its own wait: the only time the next action can matter. */
static int worker_waits(struct hh_session *s)
{
    const struct hh_engine *e = hh_session_engine(s);
    return !e->failed && e->state == HH_WORKER_WAITING;
}

/* The next action once the worker waits, NULL at the end: a status's step is its entry in
 * the decoder's queue (valid until the next call), a model's is decoded into own. Its step's
 * pointers lead into it, but its note may be the session's (hh_session_status_note). */
static const struct hh_fuzz_action *decode_next(struct hh_fuzz_decoder *d, struct hh_session *s,
                                                struct hh_fuzz_action *own)
{
    if (HH_FUZZ_ACCEPT(d->format) & HH_FUZZ_ACCEPT_MODELS)
        return hh__fuzz_model_next(d, s, own) ? own : NULL;
    while (d->qpos == d->nqueue) {
        d->qpos = d->nqueue = 0;
        d->made_next = NULL;
        if (!hh__fuzz_status_next(d, s))
            return NULL;
    }
    if (d->made_next) {
        d->qpos++;
        return d->made_next;
    }
    return &d->queue[d->qpos++];
}

static const struct hh_fuzz_action *next_action(struct hh_fuzz_decoder *d, struct hh_session *s,
                                                struct hh_fuzz_action *own)
{
    if (d->actions >= HH_FUZZ_MAX_ACTIONS || !worker_waits(s))
        return NULL;
    return decode_next(d, s, own);
}

int hh_fuzz_next(struct hh_fuzz_decoder *d, struct hh_session *s, struct hh_fuzz_action *out)
{
    const struct hh_fuzz_action *a;
    memset(out, 0, sizeof(*out));
    a = next_action(d, s, out);
    if (!a)
        return 0;
    if (a != out) {
        *out = *a;
        hh__fuzz_repoint(out);
    }
    if (out->step.note && !out->note[0]) { /* an action outlives its session */
        hh_text_put(out->note, sizeof(out->note), 0, out->step.note);
        out->step.note = out->note;
    }
    return 1;
}

/* a, whose step's pointers lead into a itself. */
static int act(struct hh_session *s, const struct hh_fuzz_action *a)
{
    if (a->deliver)
        return hh_session_deliver(s, a->status) < 0 ? -1 : 0;
    return hh_session_step(s, &a->step);
}

int hh_fuzz_act(struct hh_session *s, const struct hh_fuzz_action *a)
{
    struct hh_fuzz_action own;
    if (a->deliver)
        return act(s, a);
    own = *a; /* a may be a copy whose pointers lead elsewhere */
    hh__fuzz_repoint(&own);
    return act(s, &own);
}

size_t hh_fuzz_play(struct hh_session *s, struct hh_fuzz_decoder *d, size_t limit)
{
    struct hh_fuzz_action own;
    const struct hh_fuzz_action *a;
    const struct hh_engine *e = hh_session_engine(s); /* the run's machine throughout */
    int statuses = d->format == HH_FUZZ_FORMAT_STATUS;
    if (HH_FUZZ_ACCEPT(d->format) & HH_FUZZ_ACCEPT_MODELS)
        memset(&own, 0, sizeof(own)); /* only a model's actions are decoded into it */
    /* The action where the decoder made it: no copy (1 KB) */
    while (limit == 0 || d->actions < limit) {
        const struct hh_fuzz_action *made;
        if (d->actions >= HH_FUZZ_MAX_ACTIONS || e->failed || e->state != HH_WORKER_WAITING)
            break;
        /* A byte whose status has its step made once (fuzz_status.c) is played from there
         * without the decoder's round: most of a status-sequence input's bytes. */
        if (statuses && d->qpos == d->nqueue && d->pos < d->size && d->made_for == s &&
            (made = d->made[d->index_of[d->data[d->pos]]]) != NULL) {
            size_t k = d->index_of[d->data[d->pos++]];
            if (d->alphabet[k] == STATUS_TIMEOUT && !hh__fuzz_made_ready(d, s, k))
                continue; /* this state cannot produce it: the byte is skipped */
            a = made;
        } else if ((a = decode_next(d, s, &own)) == NULL) {
            break;
        }
        d->actions++;
        if (act(s, a) != 0)
            break;
    }
    return d->actions;
}

int hh_fuzz_encode(const struct hh_scenario *sc, int format, uint8_t **out, size_t *len)
{
    size_t cap = 4 * HH_FUZZ_MAX_ACTIONS + 1, n = 0;
    uint8_t *buf;
    if (!(HH_FUZZ_ACCEPT(format) & HH_FUZZ_ACCEPT_MODELS) && format != HH_FUZZ_FORMAT_STATUS && format != HH_FUZZ_FORMAT_STATUS_ANY)
        return -1;
    buf = malloc(cap);
    if (!buf)
        hh_play_oom();
    buf[n++] = (uint8_t)format;
    if (HH_FUZZ_ACCEPT(format) & HH_FUZZ_ACCEPT_MODELS)
        hh__fuzz_encode_model(sc, format, buf, cap, &n);
    else
        hh__fuzz_encode_status(sc, format, buf, cap, &n);
    *out = buf;
    *len = n;
    return 0;
}
