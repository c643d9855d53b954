/* play_action.c - a step's action, done by the scenario's own thread.
 *
 * What the scenario asks of the kernel on another thread's behalf must be something that
 * thread could do: releasing a mutex it does not own, acquiring one it would have to wait
 * for, or abandoning one it does not hold is a mistake in the timeline and fails the step.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/status.h"
#include "play_int.h"

static const char *object_name(const struct hh_player *p, size_t i)
{
    return p->sc->objects[i].name;
}

static void timeline(struct hh_player *p, const char *fmt, ...) HH_PRINTF(2, 3);

static void timeline(struct hh_player *p, const char *fmt, ...)
{
    char step[160], what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    hh_engine_fail(p->e, HH_RULE_TIMELINE, "%s: %s", hh_play_step_text(p, step, sizeof(step)),
                   what);
}

static const char *owner_name(const KMUTANT *m)
{
    return m->OwnerThread ? m->OwnerThread->name : "nobody";
}

static void release(struct hh_player *p, const struct hh_sc_step *st, size_t i)
{
    PVOID obj = p->objects[i];
    const DISPATCHER_HEADER *h = obj;
    LONG prev;
    if (h->HhKind == HH_OBJECT_SEMAPHORE) {
        if (hh_semaphore_release(p->e, obj, st->count, &prev) != STATUS_SUCCESS)
            timeline(p,
                     "cannot release '%s' by %ld: its count is %ld and its limit %ld (the "
                     "kernel raises STATUS_SEMAPHORE_LIMIT_EXCEEDED)",
                     object_name(p, i), (long)st->count, (long)h->SignalState,
                     (long)((const KSEMAPHORE *)obj)->Limit);
        return;
    }
    if (hh_mutant_release(p->e, hh_engine_thread(p->e, st->thread), obj, &prev) !=
        STATUS_SUCCESS)
        timeline(p,
                 "thread '%s' cannot release '%s': %s owns it (the kernel raises "
                 "STATUS_MUTANT_NOT_OWNED); acquire it first or name the owner in \"thread\"",
                 st->thread, object_name(p, i), owner_name(obj));
}

static void acquire(struct hh_player *p, const struct hh_sc_step *st, size_t i)
{
    PKTHREAD t = hh_engine_thread(p->e, st->thread);
    const DISPATCHER_HEADER *h = p->objects[i];
    if (hh_acquire(p->e, t, p->objects[i]) != STATUS_TIMEOUT)
        return;
    if (h->HhKind == HH_OBJECT_SEMAPHORE)
        timeline(p, "thread '%s' cannot acquire '%s' without waiting: its count is 0",
                 st->thread, object_name(p, i));
    else
        timeline(p, "thread '%s' cannot acquire '%s' without waiting: thread '%s' owns it",
                 st->thread, object_name(p, i), owner_name((const KMUTANT *)h));
}

static void abandon(struct hh_player *p, const struct hh_sc_step *st, size_t i)
{
    PKTHREAD t = hh_engine_thread(p->e, st->thread);
    const KMUTANT *m = p->objects[i];
    if (m->OwnerThread != t) {
        timeline(p, "thread '%s' cannot abandon '%s': %s owns it; acquire it first",
                 st->thread, object_name(p, i), owner_name(m));
        return;
    }
    /* The owner exits: every mutant it holds is abandoned. */
    hh_thread_rundown(p->e, t);
}

/* The worker an alert or apc step acts on (its "worker", else the first), or NULL. */
static PKTHREAD worker_exists(struct hh_player *p, const struct hh_sc_step *st,
                              const char *action)
{
    PKTHREAD t;
    enum hh_worker_state state;
    if (hh_play_worker_target(p, &st->worker, "\"worker\"", &t, &state) != 0)
        return NULL;
    if (state != HH_WORKER_NOT_STARTED)
        return t;
    timeline(p, "%s before the worker thread exists: add { \"start\": true } before this step",
             action);
    return NULL;
}

static void hotswap(struct hh_player *p, const struct hh_sc_step *st)
{
    const struct hh_sc_hotswap *h = &st->hotswap;
    if (p->e->state != HH_WORKER_WAITING) {
        timeline(p, "hotswap needs the worker blocked in its wait; %s",
                 p->e->state == HH_WORKER_TERMINATED ? "it has terminated"
                                                     : "it has not started");
        return;
    }
    if (hh_play_load(p, h->module, h->routine ? h->routine : p->sc->routine) != 0) {
        const struct hh_diags *d = &p->res->diags;
        char step[160];
        hh_engine_fail(p->e, HH_RULE_HOTSWAP, "%s: the new routine cannot be loaded: %s",
                       hh_play_step_text(p, step, sizeof(step)),
                       d->n ? d->items[d->n - 1].msg : "unknown reason");
        hh_diags_init(&p->res->diags);
        return;
    }
    if (h->unload_old)
        hh_play_unload_old(p);
    hh_worker_swap(p->e, p->routine);
}

void hh_play_action(struct hh_player *p, const struct hh_sc_step *st)
{
    struct hh_engine *e = p->e;
    PKTHREAD t;
    size_t k;
    if (st->action == HH_ACT_PULSE && st->nobjects == 1) {
        /* The step a fuzz target plays most (an event pulsed for a WaitAny status): the loop
         * below for its one object, without the two dispatches on the action. */
        if (!e->failed && hh_play_global_fits(p, st, st->objects[0]))
            hh_event_pulse(e, p->objects[st->objects[0]]);
        return;
    }
    switch (st->action) {
    case HH_ACT_START:
        hh_worker_start(e);
        return;
    case HH_ACT_ADVANCE:
        hh_play_move_clock(p, e->now + st->advance); /* from when this step really began */
        return;
    case HH_ACT_ALERT:
        if ((t = worker_exists(p, st, "alert")) != NULL)
            hh_alert(e, t, st->alert_mode);
        return;
    case HH_ACT_APC:
        if ((t = worker_exists(p, st, "apc")) == NULL)
            return;
        if (t == e->worker && !e->workers) /* the one worker: through the OS's APCs if any */
            hh_engine_realtime_user_apc(e);
        else
            hh_queue_user_apc(e, t);
        return;
    case HH_ACT_HOTSWAP:
        if (p->sc->driver_mode)
            hh_play_driver_swap(p, st);
        else
            hotswap(p, st);
        return;
    case HH_ACT_CALL:
        hh_play_call(p, st);
        return;
    default:
        break;
    }
    for (k = 0; k < st->nobjects && !e->failed; k++) {
        size_t i = st->objects[k];
        PVOID obj = p->objects[i];
        if (!hh_play_global_fits(p, st, i))
            break;
        switch (st->action) {
        case HH_ACT_SET:
            hh_event_set(e, obj);
            break;
        case HH_ACT_RESET:
            hh_event_reset(e, obj);
            break;
        case HH_ACT_PULSE:
            hh_event_pulse(e, obj);
            break;
        case HH_ACT_RELEASE:
            release(p, st, i);
            break;
        case HH_ACT_ACQUIRE:
            acquire(p, st, i);
            break;
        case HH_ACT_ABANDON:
            abandon(p, st, i);
            break;
        case HH_ACT_TIMER:
            hh_timer_set(e, obj,
                         st->due.kind == HH_TIMEOUT_ABSOLUTE ? HH_SYSTEM_TIME_BASE + st->due.ticks
                                                             : -st->due.ticks,
                         st->period_ms, NULL);
            break;
        case HH_ACT_CANCEL:
            hh_timer_cancel(e, obj);
            break;
        default:
            break;
        }
    }
}
