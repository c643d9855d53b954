/* timeline.h - what a run did, in order, for a picture of it: each step's action, every state
 * change of the scenario's objects, each routine call and return, the routine's own waits,
 * DPCs and pool blocks. The player records it when asked (hh_play_options.timeline); reports
 * carry it (JSON) and draw it (HTML). Any driver of an engine can fill one: hh_timeline_sink
 * is the engine's trace sink, the other calls add what only the driver knows.
 */
#ifndef HH_PLAY_TIMELINE_H
#define HH_PLAY_TIMELINE_H

#include <stddef.h>

#include "engine/engine.h"

enum hh_tl_kind {
    HH_TL_STEP,   /* a step's action on the scenario's thread: text (the action) */
    HH_TL_OBJECT, /* a scenario object's state after a change: lane, state, text (owner) */
    HH_TL_CALL,   /* the routine is called: value (the invocation), status */
    HH_TL_RETURN, /* it returned: value (the invocation; details in the result's list) */
    HH_TL_WAIT,   /* a wait of the routine's own begins: value (objects; 0 a delay), text
                     (the thread) */
    HH_TL_WAITED, /* ... and returns: status, text (the thread) */
    HH_TL_DPC,    /* a timer's DPC runs: lane (the timer, -1 one of the routine's own) */
    HH_TL_POOL,   /* a pool block made (bytes > 0) or freed: value (blocks alive), text (tag) */
    HH_TL_POINT,  /* an explored run's scheduling point: the thread that runs from there, lane
                     (its id), text (its name), what (what it does: a DDI, "starts", ...),
                     value (the point's number, 1-based), repeat (points folded into this one:
                     the same thread doing the same), chosen (the strategy chose among others),
                     preempted (it chose another than the running thread, which could go on) */
    HH_TL_KINDS
};

struct hh_tl_event {
    enum hh_tl_kind kind;
    hh_time time;
    size_t step;       /* the step running (HH_STEP_START / HH_STEP_END included) */
    long lane;         /* OBJECT, DPC: the scenario object's index, or -1 */
    long long value;
    long long bytes;   /* POOL */
    NTSTATUS status;
    LONG signal;       /* OBJECT: SignalState (see hh_object_state) */
    int abandoned;     /* OBJECT */
    hh_time due;       /* OBJECT: a timer's due time while armed, else -1 */
    char *text;        /* malloc'd, or NULL */
    char *what;        /* POINT: malloc'd, or NULL */
    unsigned long repeat; /* POINT */
    int chosen;        /* POINT */
    int preempted;     /* POINT */
    /* CALL, RETURN, WAIT, WAITED in driver mode: the driver's worker the event belongs to
     * (its creation order, from 1); 0 in a scenario that names a routine, or for a wait of
     * a thread that is no worker. */
    unsigned worker;
};

#define HH_TL_MAX_EVENTS 5000 /* more are counted, not kept: a picture past that is unreadable */

struct hh_timeline {
    struct hh_tl_event *events;
    size_t n, cap;
    unsigned long dropped; /* events past HH_TL_MAX_EVENTS */
};

/* An event of `kind` at t in step, with no lane, no due time, nothing else. */
void hh_tl_event_init(struct hh_tl_event *ev, enum hh_tl_kind kind, hh_time t, size_t step);
/* Appends a copy of ev (its text copied too). */
void hh_timeline_add(struct hh_timeline *tl, const struct hh_tl_event *ev);
void hh_timeline_free(struct hh_timeline *tl);
/* "step", "object", "call", ...; the kind for a name, or HH_TL_KINDS. */
const char *hh_tl_kind_name(enum hh_tl_kind k);
enum hh_tl_kind hh_tl_kind_from_name(const char *name);

/* The points of an explored run, by their index in its log, where the strategy preempted
 * the running thread (the log says who ran, not who could have). */
struct hh_tl_preemptions {
    size_t *points; /* ascending */
    size_t n, cap;
};
void hh_tl_preemption(struct hh_tl_preemptions *pr, size_t point);
void hh_tl_preemptions_free(struct hh_tl_preemptions *pr);

/* The engine's trace sink for a recorder: objects[0..n) are the scenario's, by index. */
struct hh_tl_recorder {
    struct hh_timeline *tl;
    PVOID const *objects;
    size_t nobjects;
    const size_t *step; /* where the driver keeps the step running */
    size_t *last;       /* per object: 1 + the index of its last state event, 0 none (made by
                           hh_timeline_snapshot, freed by hh_timeline_recorder_end) */
    void (*added)(void *user); /* told after each event, or NULL */
    void *added_user;
    /* An explored run's scheduling points (NULL: not explored), added as POINT events in
     * their place among the others: those logged since the last event go before the next. */
    const struct hh_explore_log *points;
    size_t points_seen;
    const struct hh_tl_preemptions *preempted; /* which of them preempted, or NULL */
    size_t preempted_seen;
    struct hh_engine *engine; /* whose workers the events belong to */
};
/* Records ev (as hh_timeline_add) and tells r->added. */
void hh_timeline_record(struct hh_tl_recorder *r, const struct hh_tl_event *ev);
void hh_timeline_sink(void *recorder, const struct hh_trace_event *ev);
/* Adds the scheduling points logged since the last event (the run's end calls it). */
void hh_timeline_points(struct hh_tl_recorder *r);
/* Every scenario object's state now (the picture's start). */
void hh_timeline_snapshot(struct hh_tl_recorder *r, struct hh_engine *e);
void hh_timeline_recorder_end(struct hh_tl_recorder *r);

#endif
