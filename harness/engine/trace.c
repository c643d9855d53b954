/* trace.c - the engine's event recording: one sink, told of each change as it happens, so that
 * a picture of the run can be drawn from what the model did rather than from a re-enactment. */
#include "engine_int.h"

#include <string.h>

void hh_engine_set_trace(struct hh_engine *e, hh_trace_fn fn, void *user)
{
    e->trace = fn;
    e->trace_user = user;
}

void hh_engine_object_state(const struct hh_engine *e, PVOID object, struct hh_object_state *out)
{
    const DISPATCHER_HEADER *h = object;
    (void)e;
    memset(out, 0, sizeof(*out));
    out->type = h->HhKind;
    out->signal = h->SignalState;
    out->abandoned = h->Abandoned != 0;
    out->due = -1;
    if (hh__is_mutant(h)) {
        const struct _KTHREAD *owner = ((const KMUTANT *)h)->OwnerThread;
        out->owner = owner ? owner->name : NULL;
    } else if (h->HhKind == HH_OBJECT_NOTIFICATION_TIMER ||
               h->HhKind == HH_OBJECT_SYNCHRONIZATION_TIMER) {
        const KTIMER *t = (const KTIMER *)h;
        if (h->Inserted)
            out->due = (hh_time)t->DueTime.QuadPart;
        out->period_ms = t->Period;
    }
}

void hh_trace_event_init(struct hh_trace_event *ev, enum hh_trace_kind kind, const char *thread)
{
    memset(ev, 0, sizeof(*ev));
    ev->kind = kind;
    ev->thread = thread;
}

void hh_engine_trace(struct hh_engine *e, struct hh_trace_event *ev)
{
    if (!e->trace)
        return;
    ev->time = e->now;
    if (!ev->thread)
        ev->thread = e->current ? e->current->name : "driver";
    e->trace(e->trace_user, ev);
}

void hh__trace_object_slow(struct hh_engine *e, const DISPATCHER_HEADER *h)
{
    struct hh_trace_event ev;
    hh_trace_event_init(&ev, HH_TRACE_OBJECT, NULL);
    ev.object = (PVOID)h;
    hh_engine_object_state(e, ev.object, &ev.state);
    hh_engine_trace(e, &ev);
}
