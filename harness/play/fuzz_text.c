/* fuzz_text.c - a fuzz run in words: the decoded timeline (every step with the invocations
 * it caused) and the verdict, handed out line by line to whoever prints them.
 *
 * The fuzz targets print these lines with a finding, `hotswap-harness replay` prints them for
 * any input; both see the same text. A run still inside an invocation (a crash report) shows
 * that invocation as not returned.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_text.h"
#include "play_int.h"

static void line(hh_fuzz_line_fn fn, void *user, const char *fmt, ...) HH_PRINTF(3, 4);

static void line(hh_fuzz_line_fn fn, void *user, const char *fmt, ...)
{
    char buf[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fn(user, buf);
}

int hh_fuzz_same_invocation(const struct hh_play_invocation *a,
                            const struct hh_play_invocation *b)
{
    return a->step == b->step && a->time == b->time && a->status == b->status &&
           a->raw == b->raw && a->decision == b->decision; /* logs are not shown */
}

void hh_fuzz_invocation_line(const struct hh_play_invocation *v, unsigned long last, char *buf,
                             size_t len)
{
    char index[48], at[32], status[64], result[48];
    if (last > v->index)
        snprintf(index, sizeof(index), "#%lu-%lu", v->index, last);
    else
        snprintf(index, sizeof(index), "#%lu", v->index);
    hh_play_result_text(v, result, sizeof(result));
    snprintf(buf, len, "      %-11s at %-10s %-36s %s", index,
             hh_duration_format(v->time, at, sizeof(at)),
             hh_play_status_text(v->status, status, sizeof(status)), result);
}

/* A call's "(17, work, context) on dispatch at DISPATCH_LEVEL". */
static void call_details(const struct hh_scenario *sc, const struct hh_sc_step *st, char *what,
                         size_t len)
{
    const struct hh_sc_call *call = &st->call;
    size_t used = strlen(what), i;
    char irql[32];
    for (i = 0; i < call->nargs && used < len; i++) {
        const struct hh_sc_arg *a = &call->args[i];
        const char *sep = i ? ", " : "(";
        int n = a->kind == HH_ARG_OBJECT ? snprintf(what + used, len - used, "%s%s", sep,
                                                    sc->objects[a->object].name)
                : a->kind == HH_ARG_CONTEXT
                    ? snprintf(what + used, len - used, "%scontext", sep)
                    : snprintf(what + used, len - used, "%s%lld", sep,
                               (long long)(LONG_PTR)a->value);
        if (n < 0)
            return;
        used += (size_t)n;
    }
    if (used < len)
        snprintf(what + used, len - used, "%s on %s at %s", call->nargs ? ")" : "()",
                 st->thread ? st->thread : "driver", hh_irql_name(call->irql, irql, sizeof(irql)));
}

/* What the player's short description leaves out: the other thread, a semaphore's count, a
 * timer's due time and period, a call's arguments, thread and IRQL. */
static void step_details(const struct hh_scenario *sc, const struct hh_sc_step *st, char *what,
                         size_t len)
{
    size_t used = strlen(what);
    char due[32], period[32];
    if (st->action == HH_ACT_CALL)
        call_details(sc, st, what, len);
    else if (st->thread && strcmp(st->thread, "driver") != 0)
        snprintf(what + used, len - used, " by %s", st->thread);
    else if (st->action == HH_ACT_RELEASE && st->count != 1)
        snprintf(what + used, len - used, " count %ld", (long)st->count);
    else if (st->action == HH_ACT_TIMER && st->period_ms > 0)
        snprintf(what + used, len - used, " due %s%s period %s",
                 hh_duration_format(st->due.ticks, due, sizeof(due)),
                 st->due.kind == HH_TIMEOUT_ABSOLUTE ? " (absolute)" : "",
                 hh_duration_format((int64_t)st->period_ms * 10000, period, sizeof(period)));
    else if (st->action == HH_ACT_TIMER)
        snprintf(what + used, len - used, " due %s%s",
                 hh_duration_format(st->due.ticks, due, sizeof(due)),
                 st->due.kind == HH_TIMEOUT_ABSOLUTE ? " (absolute)" : "");
}

void hh_fuzz_step_line(const struct hh_session *s, size_t step, char *buf, size_t len)
{
    const struct hh_scenario *sc = hh_session_scenario(s);
    const struct hh_sc_step *st;
    char what[160];
    if (step == HH_STEP_START) {
        snprintf(buf, len, "  start");
        return;
    }
    st = &sc->steps[step];
    hh_play_describe_step(sc, step, what, sizeof(what));
    step_details(sc, st, what, sizeof(what));
    if (st->action != HH_ACT_NONE && st->note)
        snprintf(buf, len, "  step %-4lu %s  (%s)", (unsigned long)step + 1, what, st->note);
    else
        snprintf(buf, len, "  step %-4lu %s", (unsigned long)step + 1, what);
}

static int same_log(const struct hh_play_invocation *a, const struct hh_play_invocation *b)
{
    const char *x = a->log ? a->log : "", *y = b->log ? b->log : "";
    return strcmp(x, y) == 0;
}

/* An invocation's DbgPrint output (recorded when the session keeps logs), a line each. */
static void log_lines(const char *log, hh_fuzz_line_fn fn, void *user)
{
    char buf[400];
    while (log && *log) {
        const char *end = strchr(log, '\n');
        size_t n = end ? (size_t)(end - log) : strlen(log);
        if (n > sizeof(buf) - 40)
            n = sizeof(buf) - 40;
        snprintf(buf, sizeof(buf), "                  DbgPrint: %.*s", (int)n, log);
        fn(user, buf);
        log = end ? end + 1 : log + strlen(log);
    }
}

/* The invocations of one step, from *i on; runs of identical ones (their logs too) on one
 * line, followed by their DbgPrint lines. */
static void invocations_of(const struct hh_play_result *res, size_t step, size_t *i,
                           hh_fuzz_line_fn fn, void *user)
{
    while (*i < res->ninvocations && res->invocations[*i].step == step) {
        size_t j = *i + 1;
        while (j < res->ninvocations &&
               hh_fuzz_same_invocation(&res->invocations[*i], &res->invocations[j]) &&
               same_log(&res->invocations[*i], &res->invocations[j]))
            j++;
        char buf[400];
        hh_fuzz_invocation_line(&res->invocations[*i], res->invocations[j - 1].index, buf,
                                sizeof(buf));
        fn(user, buf);
        log_lines(res->invocations[*i].log, fn, user);
        *i = j;
    }
}

void hh_fuzz_timeline(const struct hh_session *s, const char *header, hh_fuzz_line_fn fn,
                      void *user)
{
    const struct hh_scenario *sc = hh_session_scenario(s);
    const struct hh_play_result *res = hh_session_result(s);
    const struct hh_engine *e = hh_session_engine(s);
    size_t st, i = 0;
    char buf[400];
    fn(user, header);
    hh_fuzz_step_line(s, HH_STEP_START, buf, sizeof(buf));
    fn(user, buf);
    invocations_of(res, HH_STEP_START, &i, fn, user);
    for (st = 0; st < sc->nsteps; st++) {
        hh_fuzz_step_line(s, st, buf, sizeof(buf));
        fn(user, buf);
        invocations_of(res, st, &i, fn, user);
    }
    if (e && e->state == HH_WORKER_RUNNING) {
        char at[32], status[64];
        line(fn, user, "      #%-10lu at %-10s %-36s in progress", e->invocations,
             hh_duration_format(e->running_since, at, sizeof(at)),
             hh_play_status_text(e->running_status, status, sizeof(status)));
        if (e->log_len)
            log_lines(e->log, fn, user); /* its DbgPrint output so far */
    }
}

void hh_fuzz_verdict(const struct hh_session *s, hh_fuzz_line_fn fn, void *user)
{
    hh_fuzz_verdict_of(hh_session_scenario(s), hh_session_result(s), fn, user);
}

void hh_fuzz_verdict_of(const struct hh_scenario *sc, const struct hh_play_result *res,
                        hh_fuzz_line_fn fn, void *user)
{
    char at[32], what[160], where[220];
    if (res->outcome == HH_PLAY_PASS) {
        line(fn, user, "verdict: PASS (%lu invocation%s, virtual time %s)",
             (unsigned long)res->ninvocations, res->ninvocations == 1 ? "" : "s",
             hh_duration_format(res->end_time, at, sizeof(at)));
        return;
    }
    if (res->step == HH_STEP_START)
        snprintf(where, sizeof(where), "the start");
    else if (res->step == HH_STEP_END)
        snprintf(where, sizeof(where), "the end of the run");
    else
        snprintf(where, sizeof(where), "step %lu (%s)", (unsigned long)res->step + 1,
                 hh_play_describe_step(sc, res->step, what, sizeof(what)));
    line(fn, user, "verdict: FAIL: rule %s (%s)", hh_rule_name(res->rule),
         hh_rule_description(res->rule));
    if (res->invocation)
        line(fn, user, "  at %s, invocation %lu, virtual time %s", where, res->invocation,
             hh_duration_format(res->time, at, sizeof(at)));
    else
        line(fn, user, "  at %s, virtual time %s", where,
             hh_duration_format(res->time, at, sizeof(at)));
    line(fn, user, "  %s", res->headline ? res->headline : "(no detail)");
}
