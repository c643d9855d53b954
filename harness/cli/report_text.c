/* report_text.c - the human report: a PASS line per scenario, a full account per failure
 * (headline, rule, where, every invocation, the process's output, how to reproduce), and a
 * summary with the counts and the slowest scenarios.
 *
 * The same account goes into the TAP, JUnit and JSON reports, without colour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define GREEN "32"
#define RED "31"
#define YELLOW "33"
#define BOLD "1"

/* An SGR sequence, or nothing without colour. */
static void sgr(struct hh_buf *b, int color, const char *code)
{
    if (color)
        hh_buf_printf(b, "\033[%sm", code);
}

/* The first line of a log, quoted and cut, for the invocation list. */
static void log_excerpt(const char *log, char *buf, size_t len)
{
    size_t n = strcspn(log, "\r\n");
    if (n == 0) {
        buf[0] = '\0';
        return;
    }
    if (n > 60)
        snprintf(buf, len, "  log: \"%.57s...\"", log);
    else
        snprintf(buf, len, "  log: \"%.*s\"", (int)n, log);
}

/* The same call and answer, whatever the time and the log: on the real clock a livelock's
 * invocations are milliseconds apart, a routine may log a counter, and ten thousand lines
 * would bury the account. */
static int same_invocation(const struct hh_play_invocation *a,
                           const struct hh_play_invocation *b)
{
    return a->step == b->step && a->status == b->status && a->raw == b->raw &&
           a->decision == b->decision && a->worker == b->worker;
}

/* One invocation, or the run from v to last on one line: "#3-10001 ... at 0..4ms ... x9999". */
static void print_invocation(struct hh_buf *b, const struct hh_play_invocation *v,
                             const struct hh_play_invocation *last, int several)
{
    char at[64], to[32], status[64], where[48], log[200], index[48], result[48], count[32] = "";
    if (v->step == HH_STEP_START || v->step == HH_STEP_END) /* the end: a driver's unload */
        snprintf(where, sizeof(where), "%s", v->step == HH_STEP_START ? "start" : "end");
    else
        snprintf(where, sizeof(where), "step %lu", (unsigned long)v->step + 1);
    hh_duration_format(v->time, at, sizeof(at));
    if (last->index > v->index) {
        snprintf(index, sizeof(index), "#%lu-%lu", v->index, last->index);
        snprintf(count, sizeof(count), "  x%lu", last->index - v->index + 1);
        if (last->time != v->time) {
            size_t n = strlen(at);
            snprintf(at + n, sizeof(at) - n, "..%s", hh_duration_format(last->time, to, sizeof(to)));
        }
    } else {
        snprintf(index, sizeof(index), "#%lu", v->index);
    }
    hh_play_result_text(v, result, sizeof(result));
    log_excerpt(v->log, log, sizeof(log));
    if (strcmp(v->log, last->log) != 0) { /* the first log, and the last */
        char end[96];
        size_t n = strlen(log);
        log_excerpt(last->log, end, sizeof(end));
        snprintf(log + n, sizeof(log) - n, " ..%s", end[0] ? end + 6 : " (none)");
    }
    hh_buf_printf(b, "    %-11s %-8s at %-10s %-36s %s%s", index, where, at,
                  hh_play_status_text(v->status, status, sizeof(status)), result, count);
    if (several && v->worker_label) /* which of the driver's workers */
        hh_buf_printf(b, "  [%s]", v->worker_label);
    hh_buf_plain_n(b, log, strlen(log), 1);
    hh_buf_puts(b, "\n");
}

/* Every invocation; a run of identical ones (a livelock, a repeat) on one line. */
static void print_invocations(struct hh_buf *b, const struct hh_play_result *res)
{
    size_t i = 0;
    int several = hh_play_result_several_workers(res);
    hh_buf_printf(b, "  invocations (%lu):\n", (unsigned long)res->ninvocations);
    while (i < res->ninvocations) {
        size_t j = i + 1;
        while (j < res->ninvocations && same_invocation(&res->invocations[i], &res->invocations[j]))
            j++;
        /* Two with their own logs read better on their own lines. */
        if (j == i + 2 && strcmp(res->invocations[i].log, res->invocations[i + 1].log) != 0)
            j = i + 1;
        print_invocation(b, &res->invocations[i], &res->invocations[j - 1], several);
        i = j;
    }
}

/* The options that change how a scenario plays, as a command line repeats them. */
static void play_options(struct hh_buf *b, const struct hh_cli *cli)
{
    size_t i;
    for (i = 0; i < cli->ndirs; i++)
        hh_buf_printf(b, " --module-path %s", cli->dirs[i]);
    if (cli->livelock_limit)
        hh_buf_printf(b, " --livelock-limit %lu", cli->livelock_limit);
    for (i = 0; i < HH_RULE_COUNT; i++) {
        if (cli->checks_off[i])
            hh_buf_printf(b, " --check %s=off", hh_rule_name((enum hh_rule)i));
    }
    if (cli->clock == HH_CLOCK_REAL)
        hh_buf_puts(b, " --clock real");
    if (cli->tolerance_set) {
        char t[32];
        hh_buf_printf(b, " --tolerance %s", hh_duration_format(cli->tolerance, t, sizeof(t)));
    }
}

static void print_reproduce(struct hh_buf *b, const struct hh_cli *cli, const struct hh_case *c)
{
    hh_buf_puts(b, "  reproduce: hotswap-harness run");
    play_options(b, cli);
    hh_buf_printf(b, " %s\n", c->file);
    if (c->end == HH_END_CRASHED || c->end == HH_END_EXITED) {
        /* In one process, so that a debugger sees the crash where it happens. */
        hh_buf_puts(b, "  debug: gdb --args hotswap-harness run --no-isolate");
        play_options(b, cli);
        hh_buf_printf(b, " %s\n", c->file);
    }
}

#define OUTPUT_HEAD_LINES 20
#define OUTPUT_TAIL_LINES 40

/* The process's own output, indented; a long one keeps its first and last lines. */
static void print_output(struct hh_buf *b, const char *out)
{
    size_t lines = 0, line = 0;
    const char *p;
    if (!out || !out[0])
        return;
    for (p = out; *p; p++)
        lines += *p == '\n';
    if (p[-1] != '\n')
        lines++;
    hh_buf_printf(b, "  output (%lu line%s):\n", (unsigned long)lines, lines == 1 ? "" : "s");
    for (p = out; *p; line++) {
        size_t n = strcspn(p, "\n");
        if (line < OUTPUT_HEAD_LINES || line + OUTPUT_TAIL_LINES >= lines) {
            hh_buf_puts(b, "    | ");
            hh_buf_plain_n(b, p, n, 1);
            hh_buf_puts(b, "\n");
        } else if (line == OUTPUT_HEAD_LINES) {
            hh_buf_printf(b, "    | [... %lu lines left out ...]\n",
                          (unsigned long)(lines - OUTPUT_HEAD_LINES - OUTPUT_TAIL_LINES));
        }
        p += n + (p[n] == '\n');
    }
}

static void print_where(struct hh_buf *b, const struct hh_case *c, int clock)
{
    const struct hh_play_result *res = &c->res;
    char t[32], where[256];
    hh_buf_printf(b, "  where: %s", hh_play_where_text(c->sc, res->step, where, sizeof(where)));
    if (res->invocation)
        hh_buf_printf(b, ", invocation %lu", res->invocation);
    hh_buf_printf(b, ", at %s%s\n", hh_duration_format(res->time, t, sizeof(t)),
                  hh_play_real_clock(c->sc, clock) ? " (real time)" : "");
}

void hh_report_account(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c)
{
    const struct hh_play_result *res = &c->res;
    size_t i;
    if (c->account) {
        hh_buf_puts(b, c->account);
        return;
    }
    if (res->outcome == HH_PLAY_ERROR) {
        char line[1600];
        for (i = 0; i < res->diags.n; i++)
            hh_buf_printf(b, "  %s\n", hh_diag_format(&res->diags.items[i], line, sizeof(line)));
        if (res->diags.dropped)
            hh_buf_printf(b, "  %lu more error%s not shown\n", (unsigned long)res->diags.dropped,
                          res->diags.dropped == 1 ? "" : "s");
        print_output(b, c->output);
        return;
    }
    if (res->outcome != HH_PLAY_FAIL)
        return;
    hh_buf_puts(b, "  ");
    hh_buf_plain_n(b, res->headline ? res->headline : "(no detail)",
                   strlen(res->headline ? res->headline : "(no detail)"), 1);
    hh_buf_printf(b, "\n  rule: %s: %s\n", hh_rule_name(res->rule),
                  hh_rule_description(res->rule));
    print_where(b, c, s->cli->clock);
    if (c->end != HH_END_NORMAL && !(res->headline && strstr(res->headline, c->what)))
        hh_buf_printf(b, "  process: %s\n", c->what);
    print_invocations(b, res);
    print_output(b, c->output);
    print_reproduce(b, s->cli, c);
}

const char *hh_report_outcome_word(const struct hh_case *c)
{
    return c->res.outcome == HH_PLAY_PASS ? "pass" : c->res.outcome == HH_PLAY_FAIL ? "fail"
                                                                                  : "error";
}

static void name_and_file(struct hh_buf *b, const struct hh_case *c)
{
    hh_buf_plain_n(b, c->sc->name, strlen(c->sc->name), 1);
    hh_buf_puts(b, "  (");
    hh_buf_plain_n(b, c->file, strlen(c->file), 1);
}

/* "PASS  name  (file", in colour when asked; the caller ends the line. */
static void verdict_line(struct hh_buf *b, const struct hh_case *c, int color,
                         const char *code, const char *word)
{
    sgr(b, color, code);
    hh_buf_puts(b, word);
    sgr(b, color, "0");
    hh_buf_puts(b, strlen(word) < 5 ? "  " : " ");
    name_and_file(b, c);
}

void hh_report_text_case(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c,
                         int color)
{
    const struct hh_play_result *res = &c->res;
    char t[32];
    if (res->outcome == HH_PLAY_PASS) {
        if (s->cli->quiet)
            return;
        verdict_line(b, c, color, GREEN, "PASS");
        hh_buf_printf(b, "; %lu invocation%s, %s time %s)\n",
                      (unsigned long)res->ninvocations, res->ninvocations == 1 ? "" : "s",
                      hh_play_real_clock(c->sc, s->cli->clock) ? "real" : "virtual",
                      hh_duration_format(res->end_time, t, sizeof(t)));
        if (s->cli->verbose)
            print_invocations(b, res);
        return;
    }
    if (res->outcome == HH_PLAY_ERROR) {
        verdict_line(b, c, color, YELLOW, "ERROR");
        hh_buf_puts(b, "): the scenario could not be run\n");
    } else {
        verdict_line(b, c, color, RED, "FAIL");
        hh_buf_puts(b, ")\n");
    }
    hh_report_account(b, s, c);
}

static int slower(const void *a, const void *b)
{
    const struct hh_case *x = *(const struct hh_case *const *)a;
    const struct hh_case *y = *(const struct hh_case *const *)b;
    return x->seconds < y->seconds ? 1 : x->seconds > y->seconds ? -1 : 0;
}

#define SLOWEST 3
#define SLOWEST_FROM 5 /* scenarios in a suite before the slowest are worth naming */

static void print_slowest(struct hh_buf *b, const struct hh_suite *s)
{
    const struct hh_case **order;
    size_t i;
    if (s->ndone < SLOWEST_FROM || s->cli->quiet)
        return;
    order = malloc(s->n * sizeof(*order));
    if (!order)
        return;
    for (i = 0; i < s->n; i++)
        order[i] = &s->cases[i];
    qsort(order, s->n, sizeof(*order), slower);
    for (i = 0; i < SLOWEST && i < s->n; i++) {
        hh_buf_printf(b, "%s %7.3f s  ", i ? "        " : "slowest:", order[i]->seconds);
        name_and_file(b, order[i]);
        hh_buf_puts(b, ")\n");
    }
    free(order);
}

static void count(struct hh_buf *b, int color, const char *code, size_t n, const char *what)
{
    if (n)
        sgr(b, color, code);
    hh_buf_printf(b, "%lu %s", (unsigned long)n, what);
    if (n)
        sgr(b, color, "0");
}

void hh_report_text_summary(struct hh_buf *b, const struct hh_suite *s, int color)
{
    count(b, color, GREEN, s->passed, "passed, ");
    count(b, color, RED, s->failed, "failed");
    if (s->errors) {
        hh_buf_puts(b, ", ");
        count(b, color, YELLOW, s->errors, "could not run");
    }
    if (s->crashed && s->hung)
        hh_buf_printf(b, " (%lu crashed, %lu hung)", (unsigned long)s->crashed,
                      (unsigned long)s->hung);
    else if (s->crashed || s->hung)
        hh_buf_printf(b, " (%lu %s)", (unsigned long)(s->crashed + s->hung),
                      s->crashed ? "crashed" : "hung");
    hh_buf_printf(b, " in %.2f s", s->seconds);
    if (s->isolated && s->n > 1)
        hh_buf_printf(b, ", %u at a time", s->jobs);
    if (s->n < s->nfound)
        hh_buf_printf(b, "; %lu of %lu scenarios selected", (unsigned long)s->n,
                      (unsigned long)s->nfound);
    hh_buf_puts(b, "\n");
    print_slowest(b, s);
}
