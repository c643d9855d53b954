/* fuzz_text.h - a fuzz run in words (timeline and verdict) and as a regression scenario.
 *
 * Nothing here prints: lines go to a callback, the scenario comes back as text.
 */
#ifndef HH_PLAY_FUZZ_TEXT_H
#define HH_PLAY_FUZZ_TEXT_H

#include <stddef.h>

#include "play.h"

typedef void (*hh_fuzz_line_fn)(void *user, const char *line);

/* One step of the session's run as the timeline shows it ("  step 3    pulse work  (for
 * STATUS_WAIT_0 ...)"; HH_STEP_START is "  start"), and one invocation, or a run of
 * identical ones from v->index to last. */
void hh_fuzz_step_line(const struct hh_session *s, size_t step, char *buf, size_t len);
void hh_fuzz_invocation_line(const struct hh_play_invocation *v, unsigned long last, char *buf,
                             size_t len);
/* Whether b repeats a on a timeline line (step, time, status, result; logs are not shown). */
int hh_fuzz_same_invocation(const struct hh_play_invocation *a,
                            const struct hh_play_invocation *b);
/* The header line, then "  start" and each step of the session's run with the invocations
 * it caused (an invocation still running shown as in progress). */
void hh_fuzz_timeline(const struct hh_session *s, const char *header, hh_fuzz_line_fn fn,
                      void *user);
/* "verdict: PASS (...)" or "verdict: FAIL: rule NAME (...)", where, and the headline. */
void hh_fuzz_verdict(const struct hh_session *s, hh_fuzz_line_fn fn, void *user);
/* The same for a run of sc that is not a session's (an explored one). */
void hh_fuzz_verdict_of(const struct hh_scenario *sc, const struct hh_play_result *res,
                        hh_fuzz_line_fn fn, void *user);

/* The run of s as a complete scenario: `config` (the fuzz configuration's own JSON text)
 * with its steps replaced by the run's steps up to the failure, each expecting the
 * invocations it caused, with the decision an invariant requires where one matches; then
 * `extra` (NULL: none), a step the run did not get to finish (the one a crash ended), with
 * no expectation. `name` and `description` replace the configuration's; "true_means" is the
 * one the run had (the configuration's or the command line's). A relative "$schema" is
 * rewritten to lead from `out_path`'s folder to the file it named from `config_path`'s, and
 * left out when the paths do not tell. Returns malloc'd JSON text, or NULL with the reason
 * in why (a delivered status no step can produce). */
char *hh_fuzz_emit(const struct hh_session *s, const char *config, size_t len,
                   const char *config_path, const char *out_path, const char *name,
                   const char *description, const struct hh_sc_step *extra, char *why,
                   size_t whylen);

#endif
