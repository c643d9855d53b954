/* target.h - what the fuzz targets share: libFuzzer's entry points (also called by the plain
 * replay driver, replay_main.c), the configuration a routine target reads before fuzzing,
 * and one input played as one run, with a finding reported and kept as the artifact.
 */
#ifndef HH_FUZZ_TARGET_H
#define HH_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "play/fuzz_input.h"
#include "play/play.h"

/* libFuzzer's entry points; each target file defines both. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HH_FUZZ_MAX_DIRS 32

struct hh_fuzz_target {
    const char *name;        /* "status-sequence", "model", "schedule" */
    unsigned accept;         /* HH_FUZZ_ACCEPT bits of the encodings it plays */
    char *scenario_path;
    char *config_text;       /* the configuration file's bytes, for emitting scenarios */
    size_t config_len;
    struct hh_scenario *sc;
    struct hh_session *session;
    const char *dirs[HH_FUZZ_MAX_DIRS];
    struct hh_play_options opt;
    struct hh_fuzz_decoder *decoder; /* one for every input (too big for the stack) */
    struct hh_play_explorer *explorer; /* the schedule target's runs, instead of session */
    /* The routine's invocations over every input played: with -print_final_stats=1 the
     * process prints "stat::routine_invocations: N" at its exit, after libFuzzer's stats
     * (scripts/fuzz-measure.sh compares the targets' cost per invocation by it). */
    unsigned long long invocations;
    unsigned long measure_rounds; /* --measure=N: hh_fuzz_target_ready measures, then exits */
    const char *timeline_of;      /* --timeline-of=HEX: hh_fuzz_target_ready plays it, exits */
    /* The process's arguments, for the new process a crash's timeline is played by. */
    int argc;
    char **argv;
};

/* The configuration of a routine target, read in LLVMFuzzerInitialize from its arguments
 * (kept in argv: libFuzzer ignores "--" flags and passes them to fork, merge and minimize
 * children) or the environment:
 *   --scenario=PATH      or HOTSWAP_FUZZ_SCENARIO; else PROGRAM.json beside the program
 *   --module-path=DIR    (repeatable) besides the scenario's folder and HOTSWAP_MODULE_PATH
 *   --any-status         or HOTSWAP_FUZZ_ANY_STATUS=1: status-sequence feeds any NTSTATUS
 *   --measure=N          a benchmark instead of fuzzing (hh_fuzz_target_ready)
 *   --timeline-of=HEX    the target's own, for a crash's report (target_run.c): plays the
 *                        input HEX with its account and prints its timeline, then exits
 * Loads and validates the scenario and loads the module once. Any error is printed and the
 * process exits with 2 before fuzzing starts. */
void hh_fuzz_target_init(struct hh_fuzz_target *t, const char *name, unsigned accept,
                         unsigned any_accept, int argc, char **argv);
/* Called at the end of each target's LLVMFuzzerInitialize, once the target can play: with
 * --measure=N, plays the inputs named on the command line from memory N times, prints one
 * "measure: ..." line of CPU cost per input and per invocation, and exits (target_measure.c);
 * else returns. */
void hh_fuzz_target_ready(struct hh_fuzz_target *t, int argc, char **argv);
void hh_fuzz_measure(struct hh_fuzz_target *t, int argc, char **argv);
/* --timeline-of: plays the input with its account and DbgPrint logs, prints its decoded
 * timeline and exits (target_run.c). */
void hh_fuzz_timeline_of(struct hh_fuzz_target *t);
/* Plays one input as one run. A finding (a contract check, an invariant) is printed with
 * the rule, the invocation and the decoded timeline, then the process aborts in a function
 * named after the rule, so libFuzzer writes the artifact and crashes deduplicate by rule.
 * Returns 0, or -1 for an input of another encoding (libFuzzer then keeps it out of the
 * corpus). */
int hh_fuzz_target_run(struct hh_fuzz_target *t, const uint8_t *data, size_t size);
/* The abort of a finding by `rule`, in a function named after it (target_run.c). */
void hh_fuzz_abort_for(enum hh_rule rule);
/* What a finding or the banner names as the code under test: the routine, or in driver mode
 * the driver's load routine (target_run.c). */
const char *hh_fuzz_code_name(const struct hh_fuzz_target *t);
/* "reproduce: hotswap-harness replay ... SCENARIO ARTIFACT" and tail, on stderr. */
void hh_fuzz_print_reproduce(const struct hh_fuzz_target *t, const char *tail);
/* The schedule target's run (target_schedule.c): the input's bytes choose the interleaving
 * of the scenario's concurrent steps; a finding is reported as hh_fuzz_target_run's is. */
int hh_fuzz_schedule_target_run(struct hh_fuzz_target *t, const uint8_t *data, size_t size);

#endif
