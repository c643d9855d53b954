/* runner_isolate.c - playing scenarios in a child process: this same executable with
 * `run --child`, the scenarios' play options and the files. Where the system can fork, the
 * child plays each file in a forked copy of itself, so one start-up serves several files and
 * each still has a process of its own; elsewhere it plays its one file itself. The records
 * (how far it got, each invocation, the verdict) become the case; a process that crashed,
 * hung or exited before its verdict makes a failed case naming what happened and where.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"
#include "runner.h"
#include "runner_wire.h"

#define MAX_ARGS (6 + 2 * HH_CLI_MAX_DIRS + 2 + 2 * HH_RULE_COUNT + 6 + HH_RUN_CHUNK_MAX + 1)

struct child_args {
    const char *argv[MAX_ARGS];
    char livelock[24], timeout[24], tolerance[32];
    char checks[HH_RULE_COUNT][64];
    char *files[HH_RUN_CHUNK_MAX]; /* "./-x.json" for a file whose name looks like an option */
};

/* self run --child [play options] --timeout MS FILE...: everything in struct hh_cli that
 * changes how a scenario plays, the per-scenario limit, and the files. */
static void child_argv(const struct hh_cli *cli, const char *self, const struct hh_case *cases,
                       size_t n, unsigned long timeout_ms, struct child_args *a)
{
    size_t k = 0, i;
    a->argv[k++] = self;
    a->argv[k++] = "run";
    a->argv[k++] = "--child";
    for (i = 0; i < cli->ndirs; i++) {
        a->argv[k++] = "--module-path";
        a->argv[k++] = cli->dirs[i];
    }
    if (cli->livelock_limit) {
        snprintf(a->livelock, sizeof(a->livelock), "%lu", cli->livelock_limit);
        a->argv[k++] = "--livelock-limit";
        a->argv[k++] = a->livelock;
    }
    for (i = 0; i < HH_RULE_COUNT; i++) {
        if (!cli->checks_off[i])
            continue;
        snprintf(a->checks[i], sizeof(a->checks[i]), "%s=off", hh_rule_name((enum hh_rule)i));
        a->argv[k++] = "--check";
        a->argv[k++] = a->checks[i];
    }
    if (cli->true_means != HH_TRUE_MEANS_UNSET) {
        a->argv[k++] = "--true-means";
        a->argv[k++] = hh_true_means_name(cli->true_means);
    }
    if (cli->clock == HH_CLOCK_REAL) {
        a->argv[k++] = "--clock";
        a->argv[k++] = "real";
    }
    if (cli->tolerance_set) {
        hh_duration_format(cli->tolerance, a->tolerance, sizeof(a->tolerance));
        a->argv[k++] = "--tolerance";
        a->argv[k++] = a->tolerance;
    }
    if (cli->record_timeline)
        a->argv[k++] = "--record-timeline";
    snprintf(a->timeout, sizeof(a->timeout), "%lums", timeout_ms);
    a->argv[k++] = "--timeout";
    a->argv[k++] = timeout_ms ? a->timeout : "0";
    for (i = 0; i < n; i++) {
        const char *file = cases[i].file;
        a->files[i] = NULL;
        if (file[0] == '-') {
            size_t len = strlen(file);
            a->files[i] = malloc(len + 3);
            if (a->files[i]) {
                memcpy(a->files[i], "./", 2);
                memcpy(a->files[i] + 2, file, len + 1);
            }
        }
        a->argv[k++] = a->files[i] ? a->files[i] : file;
    }
    a->argv[k] = NULL;
}

static void free_args(struct child_args *a, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(a->files[i]);
}

/* The first line a sanitizer wrote about what it found, for the headline. */
static void sanitizer_summary(const char *out, char *buf, size_t len)
{
    static const struct {
        const char *mark;
        size_t skip; /* where the text worth quoting starts */
    } marks[] = {{"ERROR: AddressSanitizer: ", 7},
                 {"ERROR: LeakSanitizer: ", 7},
                 {"WARNING: MemorySanitizer: ", 9},
                 {"runtime error: ", 0}};
    size_t i;
    buf[0] = '\0';
    for (i = 0; out && i < sizeof(marks) / sizeof(marks[0]); i++) {
        const char *p = strstr(out, marks[i].mark), *pc;
        size_t n;
        if (!p)
            continue;
        p += marks[i].skip;
        n = strcspn(p, "\n");
        pc = strstr(p, " (pc ");
        if (pc && (size_t)(pc - p) < n)
            n = (size_t)(pc - p);
        if (n > 120)
            n = 120;
        snprintf(buf, len, " (%.*s)", (int)n, p);
        return;
    }
}

/* The invocation after the last one that returned: the one running, or about to. */
static unsigned long next_invocation(const struct hh_play_result *res)
{
    return res->ninvocations ? res->invocations[res->ninvocations - 1].index + 1 : 1;
}

/* "in step 3 (steps[2]: set work), invocation 5", from the last records. */
static void where_text(const struct hh_case *c, const struct hh_wire_read *w, char *buf,
                       size_t len)
{
    char step[256];
    if (!w->have_at) {
        snprintf(buf, len, "before the scenario started");
        return;
    }
    hh_play_where_text(c->sc, w->step, step, sizeof(step));
    switch (w->phase) {
    case HH_PLAY_AT_SETUP:
        snprintf(buf, len, "%s", c->sc->driver_mode
                                     ? "while loading the module"
                                     : "while loading the module or creating the context "
                                       "(HotswapCreateContext)");
        return;
    case HH_PLAY_AT_CHECKS:
        snprintf(buf, len, "in the checks after %s%s", step,
                 w->step == HH_STEP_START ? "" : ", which call HotswapDescribeContext");
        return;
    case HH_PLAY_AT_END:
        snprintf(buf, len, "at the end of the scenario (%s, the leak check)",
                 c->sc->driver_mode ? "the driver's unload" : "HotswapDestroyContext");
        return;
    default:
        snprintf(buf, len, "in %s, invocation %lu", step, next_invocation(&c->res));
        return;
    }
}

static char *copy_text(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

/* The verdict of a child that ended before giving one. */
static void no_verdict(struct hh_case *c, const struct hh_wire_read *w)
{
    struct hh_play_result *res = &c->res;
    char where[400], headline[1024];
    const char *verb = c->end == HH_END_TIMED_OUT ? "hung" : c->end == HH_END_CRASHED
                                                                ? "crashed"
                                                                : "ended";
    where_text(c, w, where, sizeof(where));
    snprintf(headline, sizeof(headline), "%s %s: %s%s", verb, where, c->what,
             c->end == HH_END_EXITED ? " before the scenario finished (exit() in the routine?)"
                                     : "");
    res->outcome = HH_PLAY_FAIL;
    res->rule = c->end == HH_END_TIMED_OUT ? HH_RULE_WATCHDOG : HH_RULE_CRASH;
    res->step = w->have_at ? w->step : HH_STEP_START;
    res->invocation = 0;
    if (w->have_at && (w->phase == HH_PLAY_AT_STEP || w->phase == HH_PLAY_AT_INVOCATION))
        res->invocation = next_invocation(res);
    res->time = res->ninvocations ? res->invocations[res->ninvocations - 1].time : 0;
    res->end_time = res->time;
    res->steps_run = res->step == HH_STEP_START || res->step == HH_STEP_END ? 0 : res->step;
    free(res->headline);
    res->headline = copy_text(headline);
}

/* kill_ms: hh_run_kill_ms of the case; timeout_ms: --timeout. */
static void from_child(struct hh_case *c, struct hh_wire_read *w,
                       const struct hh_plat_proc_result *r, unsigned long kill_ms,
                       unsigned long timeout_ms)
{
    char sanitizer[160];
    c->res = w->res;
    memset(&w->res, 0, sizeof(w->res));
    c->output = w->other.len ? hh_buf_take(&w->other) : NULL;
    if (w->have_result && r->exited && r->code == 0) {
        c->end = HH_END_NORMAL;
        return;
    }
    sanitizer_summary(c->output, sanitizer, sizeof(sanitizer));
    /* A sanitizer catches the crash itself and exits: still a crash. */
    c->end = r->timed_out                  ? HH_END_TIMED_OUT
             : r->crashed || sanitizer[0] ? HH_END_CRASHED
                                          : HH_END_EXITED;
    if (r->timed_out && kill_ms == timeout_ms) {
        char limit[32];
        snprintf(c->what, sizeof(c->what), "still running after the %s limit (--timeout), "
                                           "killed",
                 hh_duration_format((int64_t)timeout_ms * 10000, limit, sizeof(limit)));
    } else if (r->timed_out) { /* the real clock, where the process's own watchdog failed */
        char after[32], limit[32];
        snprintf(c->what, sizeof(c->what),
                 "still running %s after it started, past its timeline plus twice the %s "
                 "limit (--timeout), killed",
                 hh_duration_format((int64_t)kill_ms * 10000, after, sizeof(after)),
                 hh_duration_format((int64_t)timeout_ms * 10000, limit, sizeof(limit)));
    } else {
        snprintf(c->what, sizeof(c->what), "%s%s", r->what, sanitizer);
    }
    if (!w->have_result) {
        no_verdict(c, w);
    } else if (c->res.outcome == HH_PLAY_PASS) {
        char headline[600];
        snprintf(headline, sizeof(headline),
                 "the scenario passed, then the process %s (at exit: a destructor, atexit, "
                 "or a leak a sanitizer found)",
                 c->what);
        c->res.outcome = HH_PLAY_FAIL;
        c->res.rule = HH_RULE_CRASH;
        c->res.step = HH_STEP_END;
        c->res.invocation = 0;
        c->res.time = c->res.end_time;
        free(c->res.headline);
        c->res.headline = copy_text(headline);
    }
    /* A verdict that failed already stands; the report adds how the process ended. */
}

static void could_not_start(struct hh_case *c, const char *why)
{
    memset(&c->res, 0, sizeof(c->res));
    hh_diags_init(&c->res.diags);
    c->res.outcome = HH_PLAY_ERROR;
    c->res.step = HH_STEP_START;
    hh_diags_add(&c->res.diags, c->file, 0, 0, "", "cannot play it in a child process: %s",
                 why);
    c->end = HH_END_NORMAL;
}

/* One case from its part of the child's output; r says how its process ended when no end
 * record does. */
static void from_part(struct hh_case *c, const char *part, size_t len,
                      const struct hh_plat_proc_result *r, unsigned long kill_ms,
                      unsigned long timeout_ms)
{
    struct hh_wire_read w;
    if (hh_wire_read(part, len, &w) != 0) {
        could_not_start(c, "out of memory reading its records");
    } else if (w.have_end && w.end_error[0]) {
        could_not_start(c, w.end_error);
    } else {
        if (w.have_end)
            c->seconds = w.seconds;
        from_child(c, &w, w.have_end ? &w.end : r, kill_ms, timeout_ms);
    }
    hh_play_result_free(&w.res);
    hh_buf_free(&w.other);
}

void hh_run_isolated(const struct hh_cli *cli, const char *self, struct hh_case *cases,
                     size_t n)
{
    struct child_args a;
    struct hh_plat_proc *p;
    struct hh_plat_proc_result r;
    size_t starts[HH_RUN_CHUNK_MAX], parts, i;
    char err[256];
    unsigned long timeout_ms = cli->timeout_set ? cli->timeout_ms : HH_CLI_DEFAULT_TIMEOUT_MS;
    unsigned long limit = 0;
    uint64_t t0 = hh_plat_monotonic_ns();
    /* A child that forks enforces the limit on each copy; its own is a safety net. */
    for (i = 0; timeout_ms && i < n; i++)
        limit += hh_run_kill_ms(cli, cases[i].sc) + (n > 1 ? 2000 : 0);
    if (limit && n > 1)
        limit += 5000;
    child_argv(cli, self, cases, n, timeout_ms, &a);
    if (hh_plat_proc_spawn(a.argv, &p, err, sizeof(err)) != 0) {
        free_args(&a, n);
        for (i = 0; i < n; i++)
            could_not_start(&cases[i], err);
        return;
    }
    free_args(&a, n);
    if (hh_plat_proc_wait(p, limit, &r, err, sizeof(err)) != 0) {
        for (i = 0; i < n; i++)
            could_not_start(&cases[i], err);
        return;
    }
    for (i = 0; i < n; i++)
        cases[i].seconds = (double)(hh_plat_monotonic_ns() - t0) / 1e9 / (double)n;
    parts = hh_wire_parts(r.output, r.output_len, starts, n);
    if (parts == 0) {
        /* One file played without forking, or a child that ended before its first. */
        from_part(&cases[0], r.output, r.output_len, &r, hh_run_kill_ms(cli, cases[0].sc),
                  timeout_ms);
        parts = 1;
    } else {
        for (i = 0; i < parts && i < n; i++) {
            size_t from = i ? starts[i] : 0;
            size_t to = i + 1 < parts && i + 1 < n ? starts[i + 1] : r.output_len;
            from_part(&cases[i], r.output + from, to - from, &r,
                      hh_run_kill_ms(cli, cases[i].sc), timeout_ms);
        }
    }
    free(r.output);
    /* The child ended before it reached these: each gets a child of its own. */
    for (i = parts; i < n; i++)
        hh_run_isolated(cli, self, &cases[i], 1);
}
