/* fuzz_schedule.h - the schedule encoding (0x06): a fuzz input whose bytes choose the
 * interleaving of a scenario's concurrent steps with its worker, played as one run under the
 * controlled scheduler (the bytes strategy, harness/explore/bytes.c). The scenario's own steps
 * and expectations are played as `explore` plays them; the input is only the schedule. A
 * failing input becomes the scenario with "schedule", which `run` replays (explore_emit.c).
 */
#ifndef HH_PLAY_FUZZ_SCHEDULE_H
#define HH_PLAY_FUZZ_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "fuzz_text.h"
#include "play.h"

/* One input played: its verdict, its interleaving, and its schedule as text. */
struct hh_fuzz_sched_run {
    struct hh_play_result res;
    struct hh_explore_log log;
    char *schedule;         /* "worker x3, producer, #2" (malloc'd); NULL: no choice made */
    size_t bytes_used;      /* input bytes the choices took (after the encoding byte) */
    unsigned preemptions;
};

/* 0 when sc can be fuzzed by schedule (it has a concurrent step), else -1 with why. */
int hh_fuzz_schedule_check(const struct hh_scenario *sc, char *why, size_t len);
/* Plays the input (first byte HH_FUZZ_FORMAT_SCHEDULE, then one byte a choice) as one run of
 * x, from the module's loaded state; opt is the options x was opened with. Returns the
 * outcome, or -1 for an input of another encoding (nothing played). Free r after. */
int hh_fuzz_schedule_play(struct hh_play_explorer *x, struct hh_play_options *opt,
                          const uint8_t *data, size_t size, struct hh_fuzz_sched_run *r);
void hh_fuzz_schedule_free(struct hh_fuzz_sched_run *r);
/* The run in words: the verdict, the schedule and the interleaving, a line at a time. */
void hh_fuzz_schedule_lines(const struct hh_scenario *sc, const struct hh_fuzz_sched_run *r,
                            hh_fuzz_line_fn fn, void *user);
/* The scenario `run` replays r's failure from: the configuration's JSON text with r's
 * "schedule" (explore_emit.c); malloc'd, or NULL with the reason in why. */
char *hh_fuzz_schedule_emit(const struct hh_scenario *sc, const struct hh_fuzz_sched_run *r,
                            const char *config, size_t len, const char *config_path,
                            const char *out_path, const char *input_name, char *why,
                            size_t whylen);

/* explore_text.c: the interleaving of an explored run, one line per stretch of one thread:
 * the scheduling point it began at, the thread (marked * when chosen among others) and the
 * DDIs it entered, runs of one folded ("KeStallExecutionProcessor x50"). */
void hh_play_explore_interleaving(const struct hh_explore_log *log, hh_fuzz_line_fn fn,
                                  void *user);

#endif
