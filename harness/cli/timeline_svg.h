/* timeline_svg.h (cli, internal) - what the files that draw a timeline share: the layout of
 * columns and lanes, and the small drawing helpers. timeline_svg.c draws the lanes every run
 * has; timeline_svg_threads.c the threads of an explored run.
 */
#ifndef HH_CLI_TIMELINE_SVG_H
#define HH_CLI_TIMELINE_SVG_H

#include "timeline.h"

#define COL 34        /* one event's column */
#define COL_POINT_MAX 136 /* a scheduling point's column: room for what its thread does */
#define GUTTER 170    /* lane names */
#define TOP 78        /* title and time axis */
#define LANE 36
#define STRIP 16      /* below a thread's lane in an explored run: who holds the baton */
#define RIGHT 24
#define MAX_THREADS 64 /* HH_EX_MAX_THREADS */
#define MAX_WORKERS 32 /* lanes of a driver's workers; the events of more go on the first */

enum lane_id { L_STEPS, L_WORKER, L_WAITS, L_DPC, L_POOL, L_OBJECTS };

struct layout {
    const struct hh_case *c;
    const struct hh_timeline *tl;
    size_t *col;    /* column of each event */
    size_t ncols;
    double *xs;     /* where each column starts; xs[ncols] is the end */
    int has[L_OBJECTS];
    double y[L_OBJECTS]; /* lane tops; objects follow at y_objects */
    double y_objects, y_pool, height, width;
    /* An explored run (nthreads > 0): its threads by id and each one's lane top; the
     * driver's lane is the steps', the worker's the invocations'. */
    unsigned nthreads, worker;
    const char *threads[MAX_THREADS];
    double ty[MAX_THREADS];
    /* A run not explored: the threads its steps name (other than the driver), each with a
     * lane of its steps below the worker's. */
    unsigned nstep_threads;
    const char *step_threads[MAX_THREADS];
    double sty[MAX_THREADS];
    /* A run of several workers (hh_tl_workers): the workers by number, each one's lane of
     * invocations and below it, when it waited, its routine's waits (wwy < 0: none); the
     * lane of waits (L_WAITS) then holds the waits of threads that are no worker. */
    unsigned nworkers;
    unsigned workers[MAX_WORKERS];
    double wy[MAX_WORKERS], wwy[MAX_WORKERS];
};

double hh_tl_x(const struct layout *L, size_t col);
/* s cut to fit `width` pixels, with an ellipsis; XML-escaped. */
void hh_tl_fitted(struct hh_buf *b, const char *s, double width);
void hh_tl_title(struct hh_buf *b, const char *s);
/* A lane's name in the gutter and its separator below, `height` down from y. */
void hh_tl_lane_name(struct hh_buf *b, double y, double height, const char *name,
                     const char *sub);

/* timeline_svg_threads.c */
/* The extra lanes' tops from y on: an explored run's threads (the driver's and the worker's
 * lanes are set by the caller), else the threads its steps name; returns y below them. */
double hh_tl_thread_lanes_place(struct layout *L, double y);
/* The lane (its top) of step event i and the event its box ends at (tl->n: the end) when it
 * is drawn on a thread's lane (a concurrent step of an explored run, a step naming a thread
 * in a run not explored): 1, else 0 (the driver's lane). */
int hh_tl_step_on_thread(const struct layout *L, size_t i, double *y, size_t *end);
/* The step event after i where the driver's box of step event i ends (an explored run's
 * concurrent steps run meanwhile). */
size_t hh_tl_next_driver_step(const struct layout *L, size_t i);
/* "; explored: 3 threads, 19 scheduling points, 1 preemption (red)" for the header. */
void hh_tl_thread_summary(struct hh_buf *b, const struct layout *L);
/* Lane names of the extra threads, the strips of who holds the baton, the switch points. */
void hh_tl_thread_lanes(struct hh_buf *b, const struct layout *L);

/* timeline_svg_workers.c */
/* Finds a run's several workers (none in a run of one: its one lane is the worker's). */
void hh_tl_workers_find(struct layout *L);
/* Whether a wait of `worker` is drawn on the lane of waits all threads share. */
int hh_tl_wait_shared(const struct layout *L, unsigned worker);
/* The lanes' tops from y on, each worker's invocations then its waits; returns y below. */
double hh_tl_worker_lanes_place(struct layout *L, double y);
/* The top of the lane a call's box (a wait's) is drawn on. */
double hh_tl_call_y(const struct layout *L, const struct hh_tl_event *ev);
double hh_tl_wait_y(const struct layout *L, const struct hh_tl_event *ev);
/* The workers' lane names, as the reports label them. */
void hh_tl_worker_lane_names(struct hh_buf *b, const struct layout *L);

#endif
