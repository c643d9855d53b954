/* model.h - model programs for the strategies' tests: two or three threads, each a short
 * program over shared variables, and a driver that runs one under a strategy exactly as
 * the engine will (a scheduling point before every shared operation). A brute-force
 * enumerator gives the ground truth: every schedule within a preemption bound, counted,
 * and the set of final states they reach.
 */
#ifndef HH_TESTS_EXPLORE_MODEL_H
#define HH_TESTS_EXPLORE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "explore/strategy.h"

#define MODEL_THREADS 3
#define MODEL_VARS 4
#define MODEL_OPS 8
#define MODEL_REGS 2

enum model_code {
    M_END,       /* the thread ends */
    M_LOAD,      /* reg = var */
    M_STORE,     /* var = arg */
    M_STORE_REG, /* var = reg + arg (the write half of a read-modify-write) */
    M_INC,       /* var += 1, atomically */
    M_WAIT,      /* blocks until var != 0 (a notification event) */
    M_JZ,        /* local: if reg == 0 go to arg */
    M_JNZ        /* local: if reg != 0 go to arg */
};

struct model_op {
    unsigned char code, var, reg;
    int arg;
};

struct model {
    unsigned n_threads;
    const char *names[MODEL_THREADS];
    struct model_op prog[MODEL_THREADS][MODEL_OPS];
    int init[MODEL_VARS];
};

/* Where a run ends: every variable, pc and register, and whether threads were left blocked. */
struct model_final {
    int vars[MODEL_VARS];
    int pc[MODEL_THREADS];
    int regs[MODEL_THREADS][MODEL_REGS];
    int deadlock;
};

struct model_states {
    struct model_final *items;
    size_t n, cap;
};

/* One run under s (between its begin_run and end_run, which the caller makes): 1 if it was
 * abandoned (HH_EX_ABANDON), else 0 and the final state. */
int model_run(const struct model *m, struct hh_ex_strategy *s, struct model_final *out);
/* Every run of s until it is exhausted (or max_runs): the final states of the runs not
 * abandoned, and whether any deadlocked. Returns the complete runs. */
unsigned long model_explore(const struct model *m, struct hh_ex_strategy *s,
                            struct model_states *states, unsigned long max_runs);
/* All schedules with at most `bound` preemptions, by plain recursion: returns their number
 * and adds their final states. */
unsigned long model_enumerate(const struct model *m, unsigned bound, struct model_states *states);

void model_states_add(struct model_states *set, const struct model_final *f);
int model_states_equal(const struct model_states *a, const struct model_states *b);
void model_states_free(struct model_states *set);

/* The lost wake-up: the worker finds the queue empty, the producer queues and signals, the
 * worker then clears the event and waits for a signal already given (a deadlock). With
 * noise, a third thread bumps a counter of its own, so that the preemption has to land at
 * one point among more. */
void model_lost_wakeup(struct model *m, int noise);

/* A random model of 2 or 3 threads of 1 to 5 operations over 3 variables. */
void model_random(struct model *m, uint64_t *seed);
void model_print(const struct model *m, char *buf, size_t size);

#endif
