/* target_schedule.c - one input of the schedule target as one explored run: its bytes are
 * the scheduler's choices (harness/play/fuzz_schedule.h), the scenario's steps and
 * expectations the oracle. A finding is printed with the verdict, the schedule in words and
 * the interleaving, then aborts in the rule's function, as the other targets' findings do.
 */
#include <stdio.h>
#include <stdlib.h>

#include "play/fuzz_schedule.h"
#include "target.h"

static void to_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "%s\n", line);
}

int hh_fuzz_schedule_target_run(struct hh_fuzz_target *t, const uint8_t *data, size_t size)
{
    struct hh_fuzz_sched_run r;
    enum hh_rule rule;
    int outcome = hh_fuzz_schedule_play(t->explorer, &t->opt, data, size, &r);
    if (outcome < 0)
        return -1;
    if (outcome != HH_PLAY_FAIL) {
        hh_fuzz_schedule_free(&r);
        return 0;
    }
    rule = r.res.rule;
    fprintf(stderr, "\n==hotswap-harness== FINDING in %s (%s), target '%s': rule %s\n",
            hh_fuzz_code_name(t), t->sc->module, t->name, hh_rule_name(rule));
    hh_fuzz_schedule_lines(t->sc, &r, to_stderr, NULL);
    hh_fuzz_print_reproduce(t, " (libFuzzer names the artifact below); add --emit-scenario "
                               "FILE for the scenario whose \"schedule\" `run` replays");
    fflush(stderr);
    hh_fuzz_schedule_free(&r);
    hh_fuzz_abort_for(rule);
    return 0;
}
