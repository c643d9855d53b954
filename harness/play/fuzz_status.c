/* fuzz_status.c - the status-sequence encodings: a status per byte from the scenario's
 * alphabet (0x01), or any NTSTATUS per four bytes (0x02). A status the model can produce is
 * produced by the scenario steps that make the blocked worker's wait return it, so objects,
 * owners and the clock stay what the kernel would make them; any other value is delivered.
 */
#include <stdio.h>
#include <string.h>

#include "common/textput.h"
#include "fuzz_input.h"
#include "play_int.h"

static int is_event(int type)
{
    return type == HH_OBJECT_NOTIFICATION_EVENT || type == HH_OBJECT_SYNCHRONIZATION_EVENT;
}

static int is_timer(int type)
{
    return type == HH_OBJECT_NOTIFICATION_TIMER || type == HH_OBJECT_SYNCHRONIZATION_TIMER;
}

static int is_mutex(int type)
{
    return type == HH_OBJECT_MUTEX || type == HH_OBJECT_MUTANT;
}

size_t hh_fuzz_alphabet(const struct hh_scenario *sc, NTSTATUS *out)
{
    size_t n = 0, i;
    int any = sc->wait.type == WaitAny, mutant = 0;
    for (i = 0; i < sc->nobjects; i++) {
        if (sc->objects[i].same_as != (size_t)-1)
            continue;
        if (any || i == 0)
            out[n++] = (NTSTATUS)i;
    }
    for (i = 0; i < sc->nobjects; i++) {
        if (sc->objects[i].same_as != (size_t)-1 || sc->objects[i].type != HH_OBJECT_MUTANT)
            continue;
        if (any)
            out[n++] = STATUS_ABANDONED_WAIT_0 + (NTSTATUS)i;
        mutant = 1;
    }
    if (!any && mutant)
        out[n++] = STATUS_ABANDONED;
    if (sc->wait.timeout.kind != HH_TIMEOUT_INFINITE)
        out[n++] = STATUS_TIMEOUT;
    if (sc->wait.alertable)
        out[n++] = STATUS_ALERTED;
    if (sc->wait.alertable && sc->wait.mode == UserMode)
        out[n++] = STATUS_USER_APC;
    return n;
}

/* "for STATUS_WAIT_1 (0x00000001)": the session's text for the status (made once, kept by
 * pointer in the steps' account), else written to note (len bytes). */
static char *put_note(struct hh_session *s, NTSTATUS status, char *note, size_t len)
{
    const char *kept = hh_session_status_note(s, status);
    size_t at;
    if (kept)
        return (char *)kept; /* a step's note is not const, and never written through */
    at = hh_text_put(note, len, 0, "for ");
    hh_play_status_text(status, note + at, len - at);
    return note;
}

static struct hh_fuzz_action *push(struct hh_fuzz_decoder *d, struct hh_session *s,
                                   NTSTATUS status, enum hh_sc_action action, size_t object,
                                   const char *thread)
{
    struct hh_fuzz_action *a;
    if (d->nqueue == HH_FUZZ_QUEUE_MAX)
        return NULL;
    a = &d->queue[d->nqueue++];
    hh__fuzz_step(a, action, object, thread);
    a->status = status;
    a->step.note = put_note(s, status, a->note, sizeof(a->note));
    return a;
}

/* Queues what makes object i satisfiable for the worker, as a signal would. Returns 0, or
 * -1 when it cannot be done by another thread (a mutex nobody else owns). */
static int make_available(struct hh_fuzz_decoder *d, struct hh_session *s, NTSTATUS status,
                          size_t i, int all)
{
    const struct hh_scenario *sc = d->sc;
    const DISPATCHER_HEADER *h = hh_session_object(s, i);
    struct hh_fuzz_action *a;
    int type = sc->objects[hh__fuzz_first_place(sc, i)].type;
    if (is_event(type)) {
        /* A WaitAny waiter takes the pulse's signal at once; a WaitAll waiter tests again
         * only when it runs, so the event must stay set. */
        return push(d, s, status, all ? HH_ACT_SET : HH_ACT_PULSE, i, NULL) ? 0 : -1;
    }
    if (is_timer(type)) {
        a = push(d, s, status, HH_ACT_TIMER, i, NULL);
        if (a)
            a->step.due.kind = HH_TIMEOUT_RELATIVE; /* due now: expires at once */
        return a ? 0 : -1;
    }
    if (is_mutex(type)) {
        const char *owner = hh__fuzz_other_owner(s, i);
        LONG levels;
        if (!owner)
            return -1;
        for (levels = 1 - h->SignalState; levels > 0; levels--) {
            if (!push(d, s, status, HH_ACT_RELEASE, i, owner))
                return -1;
        }
        return 0;
    }
    /* A semaphore: a blocked waiter means its count is 0, below any limit. */
    return push(d, s, status, HH_ACT_RELEASE, i, NULL) ? 0 : -1;
}

static int abandon(struct hh_fuzz_decoder *d, struct hh_session *s, NTSTATUS status, size_t i)
{
    const char *owner;
    if (d->sc->objects[i].type != HH_OBJECT_MUTANT)
        return -1;
    owner = hh__fuzz_other_owner(s, i);
    /* The owner exits; it must not hold a KMUTEX, or the scenario's thread would bug-check. */
    if (!owner || hh__fuzz_holds_kmutex(s, owner))
        return -1;
    return push(d, s, status, HH_ACT_ABANDON, i, owner) ? 0 : -1;
}

/* WaitAll: every object must become satisfiable, one abandoned first for STATUS_ABANDONED. */
static int produce_all(struct hh_fuzz_decoder *d, struct hh_session *s, NTSTATUS status)
{
    const struct hh_scenario *sc = d->sc;
    const struct hh_engine *e = hh_session_engine(s);
    size_t i;
    int abandoned = status != STATUS_WAIT_0;
    for (i = 0; i < sc->nobjects && abandoned; i++) {
        if (sc->objects[i].same_as == (size_t)-1 && abandon(d, s, status, i) == 0)
            abandoned = 0;
    }
    if (abandoned)
        return -1;
    for (i = 0; i < sc->nobjects; i++) {
        const DISPATCHER_HEADER *h = hh_session_object(s, i);
        const struct hh_fuzz_action *q;
        size_t k;
        int queued = 0;
        if (sc->objects[i].same_as != (size_t)-1)
            continue;
        for (k = 0; k < d->nqueue; k++) {
            q = &d->queue[k];
            queued |= q->step.nobjects && q->objects[0] == i;
        }
        if (queued)
            continue;
        if (h->SignalState > 0 || (is_mutex(sc->objects[i].type) &&
                                   ((const KMUTANT *)h)->OwnerThread == e->worker))
            continue;
        if (make_available(d, s, status, i, 1) != 0)
            return -1;
    }
    return 0;
}

/* Queues the steps that make the blocked worker's wait return status. */
static int produce(struct hh_fuzz_decoder *d, struct hh_session *s, NTSTATUS status)
{
    const struct hh_engine *e = hh_session_engine(s);
    struct hh_fuzz_action *a;
    if (status == STATUS_TIMEOUT) {
        if (!e->worker->wait.has_deadline || e->worker->wait.deadline <= e->now)
            return -1;
        a = push(d, s, status, HH_ACT_ADVANCE, (size_t)-1, NULL);
        if (a)
            a->step.advance = e->worker->wait.deadline - e->now;
        return a ? 0 : -1;
    }
    if (status == STATUS_ALERTED)
        return push(d, s, status, HH_ACT_ALERT, (size_t)-1, NULL) ? 0 : -1;
    if (status == STATUS_USER_APC)
        return push(d, s, status, HH_ACT_APC, (size_t)-1, NULL) ? 0 : -1;
    if (d->sc->wait.type == WaitAll)
        return produce_all(d, s, status);
    if (status >= STATUS_ABANDONED_WAIT_0)
        return abandon(d, s, status, (size_t)(status - STATUS_ABANDONED_WAIT_0));
    return make_available(d, s, status, (size_t)status, 0);
}

static int in_alphabet(const struct hh_fuzz_decoder *d, NTSTATUS status)
{
    size_t i;
    for (i = 0; i < d->nalphabet; i++) {
        if (d->alphabet[i] == status)
            return 1;
    }
    return 0;
}

/* Whether the one step that produces status is the same in every state: an event pulsed
 * for a WaitAny waiter, a timer due now, a semaphore released by one, an alert, an APC, and
 * a timeout but for its advance, which hh__fuzz_made_ready sets (not what a mutex's owner or
 * a WaitAll wait's other objects decide). */
static int made_once(const struct hh_fuzz_decoder *d, NTSTATUS status)
{
    const struct hh_scenario *sc = d->sc;
    int type;
    if (status == STATUS_ALERTED || status == STATUS_USER_APC || status == STATUS_TIMEOUT)
        return 1;
    if (sc->wait.type != WaitAny || status < 0 || (size_t)status >= sc->nobjects)
        return 0;
    type = sc->objects[hh__fuzz_first_place(sc, (size_t)status)].type;
    return is_event(type) || is_timer(type) || type == HH_OBJECT_SEMAPHORE;
}

/* Keeps the queue's one step as the one that produces alphabet[k] from now on. */
static void keep_made(struct hh_fuzz_decoder *d, const struct hh_session *s, size_t k)
{
    struct hh_fuzz_action *m = &d->made_store[k];
    if (d->made_for != s) {
        memset(d->made, 0, sizeof(d->made));
        d->made_for = s;
    }
    *m = d->queue[0];
    hh__fuzz_repoint(m);
    d->made[k] = m;
}

int hh__fuzz_made_ready(struct hh_fuzz_decoder *d, const struct hh_session *s, size_t k)
{
    const struct hh_engine *e;
    if (d->alphabet[k] != STATUS_TIMEOUT)
        return 1;
    /* What produce() asks of a timeout: a deadline still ahead, reached by advancing to it. */
    e = hh_session_engine(s);
    if (!e->worker->wait.has_deadline || e->worker->wait.deadline <= e->now)
        return 0;
    d->made_store[k].step.advance = e->worker->wait.deadline - e->now;
    return 1;
}

/* Reads statuses until one gives the queue something to play; 0 at the end of the input. */
int hh__fuzz_status_next(struct hh_fuzz_decoder *d, struct hh_session *s)
{
    for (;;) {
        NTSTATUS status;
        size_t k = 0;
        if (d->format == HH_FUZZ_FORMAT_STATUS) {
            if (d->pos >= d->size || d->nalphabet == 0)
                return 0;
            k = d->index_of[d->data[d->pos++]];
            if (d->made[k] && d->made_for == s) {
                if (!hh__fuzz_made_ready(d, s, k))
                    continue; /* this state cannot produce it: the byte is skipped */
                d->made_next = d->made[k];
                d->nqueue = 1;
                return 1;
            }
            status = d->alphabet[k];
        } else {
            uint32_t v;
            if (d->pos + 4 > d->size)
                return 0;
            v = (uint32_t)d->data[d->pos] | (uint32_t)d->data[d->pos + 1] << 8 |
                (uint32_t)d->data[d->pos + 2] << 16 | (uint32_t)d->data[d->pos + 3] << 24;
            d->pos += 4;
            status = (NTSTATUS)v;
            if (status == STATUS_PENDING)
                continue; /* "not completed": the one value a completed wait cannot carry */
            if (!in_alphabet(d, status)) {
                struct hh_fuzz_action *a = push(d, s, status, HH_ACT_NONE, (size_t)-1, NULL);
                char name[48];
                a->deliver = 1;
                snprintf(a->note, sizeof(a->note), "delivers %s",
                         hh_play_status_text(status, name, sizeof(name)));
                return 1;
            }
        }
        if (produce(d, s, status) == 0 && d->nqueue) {
            if (d->format == HH_FUZZ_FORMAT_STATUS && d->nqueue == 1 && made_once(d, status))
                keep_made(d, s, k);
            return 1;
        }
        d->nqueue = 0; /* this state cannot produce it: the byte is skipped */
    }
}

int hh__fuzz_encode_status(const struct hh_scenario *sc, int format, uint8_t *buf, size_t cap,
                           size_t *len)
{
    NTSTATUS alphabet[HH_FUZZ_ALPHABET_MAX];
    size_t na = hh_fuzz_alphabet(sc, alphabet), i, k, x, n = *len;
    for (i = 0; i < sc->nsteps; i++) {
        const struct hh_sc_step *st = &sc->steps[i];
        for (k = 0; k < st->nexpect; k++) {
            unsigned long r;
            for (r = 0; r < st->expect[k].repeat && n + 4 <= cap; r++) {
                NTSTATUS v = st->expect[k].status;
                if (format == HH_FUZZ_FORMAT_STATUS_ANY) {
                    for (x = 0; x < 4; x++)
                        buf[n++] = (uint8_t)((uint32_t)v >> (8 * x));
                    continue;
                }
                for (x = 0; x < na && alphabet[x] != v; x++)
                    ;
                if (x == na)
                    break; /* no byte stands for it, nor for its repeats */
                buf[n++] = (uint8_t)x;
            }
        }
    }
    *len = n;
    return 0;
}
