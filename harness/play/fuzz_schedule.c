/* fuzz_schedule.c - the schedule encoding played: the input's bytes are the choices of one
 * run under the controlled scheduler (bytes strategy), the scenario's steps and expectations
 * the oracle, as under `explore`; its failure in words and as a scenario with "schedule".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/relpath.h"
#include "explore/schedule.h"
#include "explore/strategy.h"
#include "fuzz_input.h"
#include "fuzz_schedule.h"
#include "play_int.h"

int hh_fuzz_schedule_check(const struct hh_scenario *sc, char *why, size_t len)
{
    size_t i;
    for (i = 0; i < sc->nsteps; i++) {
        if (sc->steps[i].concurrent)
            return 0;
    }
    snprintf(why, len, "%s has no concurrent step: the schedule target fuzzes the "
                       "interleaving of steps marked \"concurrent\": true with the worker "
                       "(docs/explore.md); fuzz this scenario with --target model",
             sc->file);
    return -1;
}

int hh_fuzz_schedule_play(struct hh_play_explorer *x, struct hh_play_options *opt,
                          const uint8_t *data, size_t size, struct hh_fuzz_sched_run *r)
{
    struct hh_ex_strategy *s;
    struct hh_ex_schedule *sched;
    struct hh_ex_stats st;
    const char *names[HH_EX_MAX_THREADS];
    const uint8_t *trace;
    size_t n;
    unsigned k;
    memset(r, 0, sizeof(*r));
    if (size == 0 || data[0] != HH_FUZZ_FORMAT_SCHEDULE)
        return -1;
    if (!(s = hh_ex_bytes_new(data + 1, size - 1)))
        hh_play_oom();
    hh_ex_begin_run(s);
    opt->explore = s;
    opt->explore_log = &r->log;
    hh_play_explorer_run(x, &r->res);
    opt->explore = NULL;
    opt->explore_log = NULL;
    hh_ex_end_run(s, r->res.outcome == HH_PLAY_FAIL);
    /* A run cut without settling is not judged, as under explore. */
    if (r->log.abandoned && r->res.outcome == HH_PLAY_FAIL)
        r->res.outcome = HH_PLAY_PASS;
    hh_ex_get_stats(s, &st);
    r->preemptions = st.preemptions_last;
    r->bytes_used = hh_ex_bytes_used(s);
    trace = hh_ex_trace(s, &n);
    for (k = 0; k < r->log.n_threads && k < HH_EX_MAX_THREADS; k++)
        names[k] = r->log.names[k];
    if (n) {
        sched = hh_ex_schedule_from_trace(trace, n, names, k);
        if (!sched || !(r->schedule = hh_ex_schedule_format(sched)))
            hh_play_oom();
        hh_ex_schedule_free(sched);
    }
    hh_ex_free(s);
    return r->res.outcome;
}

void hh_fuzz_schedule_free(struct hh_fuzz_sched_run *r)
{
    hh_play_result_free(&r->res);
    free(r->log.events);
    free(r->schedule);
    memset(r, 0, sizeof(*r));
}

void hh_fuzz_schedule_lines(const struct hh_scenario *sc, const struct hh_fuzz_sched_run *r,
                            hh_fuzz_line_fn fn, void *user)
{
    char line[160];
    hh_fuzz_verdict_of(sc, &r->res, fn, user);
    snprintf(line, sizeof(line), "  %lu scheduling points, %lu choices, %u preemption%s, %lu "
                                 "input byte%s used",
             r->log.points, r->log.choices, r->preemptions, r->preemptions == 1 ? "" : "s",
             (unsigned long)r->bytes_used, r->bytes_used == 1 ? "" : "s");
    fn(user, line);
    if (r->schedule) {
        char *s = malloc(strlen(r->schedule) + 16);
        if (!s)
            hh_play_oom();
        sprintf(s, "  schedule: %s", r->schedule);
        fn(user, s);
        free(s);
    } else {
        fn(user, "  schedule: (empty: no choice was made)");
    }
    hh_play_explore_interleaving(&r->log, fn, user);
}

char *hh_fuzz_schedule_emit(const struct hh_scenario *sc, const struct hh_fuzz_sched_run *r,
                            const char *config, size_t len, const char *config_path,
                            const char *out_path, const char *input_name, char *why,
                            size_t whylen)
{
    char name[400], desc[1200];
    if (!r->schedule) {
        snprintf(why, whylen, "the run made no choice between threads: its verdict does not "
                              "depend on the interleaving, and `run` gives it on %s as it is",
                 config_path);
        return NULL;
    }
    snprintf(name, sizeof(name), "schedule fuzz %s: %s (%s)",
             r->res.outcome == HH_PLAY_FAIL ? "finding" : "input", sc->name,
             r->res.outcome == HH_PLAY_FAIL ? hh_rule_name(r->res.rule) : "pass");
    snprintf(desc, sizeof(desc),
             "%s follows the interleaving of the schedule fuzz input %s (\"schedule\": the "
             "thread run at each scheduling point where another could have run; "
             "docs/explore.md). The steps and their expectations are the original's: the "
             "file fails under run while the race is there, and passes once it is fixed.",
             hh_path_base(config_path), hh_path_base(input_name));
    return hh_play_explore_emit(config, len, config_path, out_path, name, desc, sc->true_means,
                                r->schedule, why, whylen);
}
