/* play.h - plays one validated scenario against its routine module and judges it.
 *
 * The player owns the run: it loads the module, builds the objects, the context and the
 * start context, performs the steps on an engine, checks every invocation against the
 * scenario's expectations and invariants, and leaves a verdict with a full account. It never
 * prints; the CLI renders the result.
 */
#ifndef HH_PLAY_PLAY_H
#define HH_PLAY_PLAY_H

#include <stddef.h>

#include "engine/engine.h"
#include "scenario/diag.h"
#include "scenario/scenario.h"

#define HH_PLAY_PASS 0
#define HH_PLAY_FAIL 1  /* the routine broke an expectation or a contract check */
#define HH_PLAY_ERROR 2 /* the scenario could not be run (module or symbol missing) */

#define HH_STEP_START ((size_t)-1) /* the implicit start before the first step */
#define HH_STEP_END ((size_t)-2)   /* the checks after the last step */

struct hh_play_options {
    const char *const *module_dirs; /* --module-path, searched after the scenario's folder */
    size_t nmodule_dirs;
    unsigned long livelock_limit;   /* 0: the scenario's, else the harness default */
};

/* One invocation, kept for the account. */
struct hh_play_invocation {
    unsigned long index;
    size_t step;
    hh_time time;
    NTSTATUS status;
    unsigned raw;
    int decision;
    char *log;
};

struct hh_play_result {
    int outcome;             /* HH_PLAY_* */
    enum hh_rule rule;       /* for HH_PLAY_FAIL */
    size_t step;             /* the step it happened in, or HH_STEP_START / HH_STEP_END */
    unsigned long invocation; /* 0 when not inside an invocation */
    hh_time time;
    char *headline;          /* one line: what went wrong (malloc'd; NULL on a pass) */
    struct hh_play_invocation *invocations;
    size_t ninvocations;
    size_t steps_run;
    hh_time end_time;
    struct hh_diags diags;   /* for HH_PLAY_ERROR */
};

/* Plays sc. Returns the outcome, also stored in res (free it with hh_play_result_free). */
int hh_play(const struct hh_scenario *sc, const struct hh_play_options *opt,
            struct hh_play_result *res);
void hh_play_result_free(struct hh_play_result *res);

/* A step's action in words, as reports show it: "set work, stop", "advance 250ms". */
const char *hh_play_describe_step(const struct hh_scenario *sc, size_t step, char *buf,
                                  size_t len);

/* "STATUS_WAIT_1 (0x00000001)", or the number alone when it has no name. */
const char *hh_play_status_text(NTSTATUS s, char *buf, size_t len);

#endif
