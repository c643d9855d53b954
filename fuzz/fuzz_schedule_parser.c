/* fuzz_schedule_parser.c - the schedule-parser target: input bytes are a schedule's text
 * (harness/explore/schedule.h). A schedule that parses is formatted and parsed again and
 * must come back the same, then replayed over threads named after it; a refused one must
 * say where. Never a crash, a leak or a hang.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/schedule.h"
#include "explore/strategy.h"
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void same_or_abort(const struct hh_ex_schedule *a, const struct hh_ex_schedule *b)
{
    size_t i;
    int same = a->n_items == b->n_items && a->n_points == b->n_points;
    for (i = 0; same && i < a->n_items; i++)
        same = strcmp(a->items[i].name, b->items[i].name) == 0 &&
               a->items[i].count == b->items[i].count;
    if (!same) {
        fprintf(stderr, "schedule-parser: formatting and parsing again changed the schedule\n");
        abort();
    }
}

/* Follows the schedule over threads named after its first items, all enabled, for a
 * bounded number of points: a divergence is fine, a crash is not. */
static void replay_some(const struct hh_ex_schedule *sc)
{
    const char *names[4] = {NULL, NULL, NULL, NULL};
    struct hh_ex_strategy *s = hh_ex_replay_new(sc);
    struct hh_ex_point p;
    char msg[512];
    unsigned n = 0, i;
    for (i = 0; i < sc->n_items && n < 4; i++)
        names[n++] = sc->items[i].name;
    memset(&p, 0, sizeof(p));
    p.n_threads = n ? n : 1;
    p.enabled = ((uint64_t)1 << p.n_threads) - 1;
    p.running = HH_EX_NONE;
    p.names = names;
    if (s && hh_ex_begin_run(s)) {
        for (i = 0; i < 4096 && i <= sc->n_points; i++)
            p.running = hh_ex_choose(s, &p);
        hh_ex_end_run(s, 0);
        hh_ex_divergence(s, msg, sizeof(msg));
    }
    hh_ex_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hh_ex_schedule *sc, *again;
    char err[256], *text;
    if (hh_ex_schedule_parse((const char *)data, size, &sc, err, sizeof(err)) != 0) {
        if (strncmp(err, "schedule:", 9) != 0)
            abort(); /* every error says where */
        return 0;
    }
    text = hh_ex_schedule_format(sc);
    if (!text || hh_ex_schedule_parse(text, strlen(text), &again, err, sizeof(err)) != 0) {
        fprintf(stderr, "schedule-parser: the formatted schedule does not parse: %s\n", err);
        abort();
    }
    same_or_abort(sc, again);
    replay_some(sc);
    free(text);
    hh_ex_schedule_free(again);
    hh_ex_schedule_free(sc);
    return 0;
}
