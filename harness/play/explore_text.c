/* explore_text.c - an explored run's interleaving in words, as `explore` and the schedule
 * fuzz target show a finding: who ran from which scheduling point and what it called.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_schedule.h"
#include "play_int.h"

struct line_buf {
    char *s;
    size_t n, cap;
};

static void put(struct line_buf *b, const char *fmt, ...) HH_PRINTF(2, 3);

static void put(struct line_buf *b, const char *fmt, ...)
{
    va_list ap;
    int need;
    va_start(ap, fmt);
    need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0)
        return;
    if (b->n + (size_t)need + 1 > b->cap) {
        size_t cap = (b->n + (size_t)need + 1) * 2;
        char *s = realloc(b->s, cap);
        if (!s)
            hh_play_oom();
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)need;
}

void hh_play_explore_interleaving(const struct hh_explore_log *log, hh_fuzz_line_fn fn,
                                  void *user)
{
    struct line_buf b = {NULL, 0, 0};
    size_t i = 0, width = 6, k;
    for (k = 0; k < log->n_threads; k++) {
        if (strlen(log->names[k]) > width)
            width = strlen(log->names[k]);
    }
    fn(user, "  interleaving (the scheduling point, the thread that ran from there, * when "
             "chosen among others, and what it did):");
    while (i < log->n) {
        const struct hh_explore_event *ev = &log->events[i];
        size_t j;
        const char *name = ev->thread < log->n_threads ? log->names[ev->thread] : "?";
        b.n = 0;
        put(&b, "  %6lu  %s%s%*s", (unsigned long)i + 1, name, ev->choice ? "*" : " ",
            (int)(width - strlen(name)), "");
        for (j = i; j < log->n && log->events[j].thread == ev->thread;) {
            size_t same = j + 1; /* a run of one call: "KeStallExecutionProcessor x50" */
            while (same < log->n && log->events[same].thread == ev->thread &&
                   strcmp(log->events[same].ddi, log->events[j].ddi) == 0)
                same++;
            put(&b, "%s%s", j == i ? " " : ", ", log->events[j].ddi);
            if (same - j > 1)
                put(&b, " x%lu", (unsigned long)(same - j));
            j = same;
        }
        fn(user, b.s);
        i = j;
    }
    if (log->points > log->n) {
        b.n = 0;
        put(&b, "  (%lu more points not recorded)", log->points - (unsigned long)log->n);
        fn(user, b.s);
    }
    free(b.s);
}
