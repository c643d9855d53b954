/* cmd_run.c - `hotswap-harness run` and `validate`: find the files, validate every one, pick
 * the scenarios to run, play them (runner.h) and report them (report.h).
 *
 * Every file is validated before anything runs; one invalid file means nothing runs (exit 2),
 * so a typo never turns into a silently shorter suite. Whatever stops the suite, every report
 * that can be written is still written, saying why.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msgs.h"
#include "platform/plat.h"
#include "report.h"
#include "runner.h"
#include "timeline.h"

/* Loads and validates every file; returns how many do not validate. */
static size_t load_all(const struct hh_cli *cli, char **files, size_t n,
                       struct hh_scenario **out)
{
    size_t i, bad = 0;
    for (i = 0; i < n; i++) {
        struct hh_diags d;
        hh_diags_init(&d);
        out[i] = NULL;
        if (hh_cli_load_scenario(cli, files[i], &out[i], &d) != 0) {
            hh_msg_diags(&d);
            bad++;
        }
    }
    return bad;
}

static void free_all(struct hh_scenario **scs, size_t n)
{
    size_t i;
    for (i = 0; i < n && scs; i++)
        hh_scenario_free(scs[i]);
    free(scs);
}

/* Files found, loaded and validated, names unique. Returns 0, or 2 with *n and the lists
 * left empty after saying why. */
static int prepare(const struct hh_cli *cli, char ***files, size_t *n,
                   struct hh_scenario ***scs)
{
    size_t bad;
    int rc;
    *files = NULL;
    *scs = NULL;
    *n = 0;
    rc = hh_collect_files(cli, files, n);
    if (rc != 0)
        return rc;
    *scs = calloc(*n, sizeof(**scs));
    if (!*scs) {
        hh_msg_error("out of memory");
        rc = 2;
    } else if ((bad = load_all(cli, *files, *n, *scs)) != 0) {
        hh_msg_error("%lu of %lu scenario file%s %s not validate; nothing was run",
                     (unsigned long)bad, (unsigned long)*n, *n == 1 ? "" : "s",
                     bad == 1 ? "does" : "do");
        rc = 2;
    } else {
        rc = hh_check_unique_names(*files, *scs, *n);
    }
    if (rc != 0) {
        free_all(*scs, *n);
        hh_free_files(*files, *n);
        *files = NULL;
        *scs = NULL;
        *n = 0;
    }
    return rc;
}

int hh_cmd_validate(const struct hh_cli *cli)
{
    char **files;
    struct hh_scenario **scs;
    size_t n, i;
    int rc = prepare(cli, &files, &n, &scs);
    if (rc != 0)
        return rc;
    if (!cli->quiet) {
        for (i = 0; i < n; i++)
            hh_msg_out("valid  %s  (%s)\n", scs[i]->name, files[i]);
    }
    hh_msg_out("%lu file%s valid\n", (unsigned long)n, n == 1 ? "" : "s");
    free_all(scs, n);
    hh_free_files(files, n);
    return 0;
}

/* ---- run ---------------------------------------------------------------------------------- */

struct run {
    struct hh_suite suite;
    struct hh_reports *reports;
    int progress; /* a progress line on the terminal */
};

static void count(struct hh_suite *s, const struct hh_case *c)
{
    s->ndone++;
    s->passed += c->res.outcome == HH_PLAY_PASS;
    s->failed += c->res.outcome == HH_PLAY_FAIL;
    s->errors += c->res.outcome == HH_PLAY_ERROR;
    s->crashed += c->end == HH_END_CRASHED || c->end == HH_END_EXITED;
    s->hung += c->end == HH_END_TIMED_OUT;
}

/* A verdict, in file order (runner_pool.c holds its lock around this). */
static void on_done(void *user, size_t index)
{
    struct run *r = user;
    struct hh_suite *s = &r->suite;
    count(s, &s->cases[index]);
    hh_reports_case(r->reports, s, index);
    if (r->progress && s->ndone < s->n)
        hh_msg_progress("[%lu/%lu] %lu failed", (unsigned long)s->ndone, (unsigned long)s->n,
                        (unsigned long)(s->failed + s->errors));
}

static int exit_code(const struct hh_suite *s)
{
    return s->nproblems || s->errors ? 2 : s->failed ? 1 : 0;
}

/* The cases to run, from the selected scenarios. */
static struct hh_case *make_cases(char **files, struct hh_scenario **scs, const size_t *sel,
                                  size_t n)
{
    struct hh_case *cases = calloc(n ? n : 1, sizeof(*cases));
    size_t i;
    if (!cases) {
        hh_msg_error("out of memory");
        return NULL;
    }
    for (i = 0; i < n; i++) {
        cases[i].file = files[sel[i]];
        cases[i].sc = scs[sel[i]];
    }
    return cases;
}

int hh_cmd_run(const struct hh_cli *cli)
{
    struct run r;
    struct hh_suite *s = &r.suite;
    char **files = NULL;
    struct hh_scenario **scs = NULL;
    size_t nfiles = 0, *sel = NULL, nsel = 0, i;
    uint64_t t0 = hh_plat_monotonic_ns();
    int rc, ok, written;
    if (cli->child)
        return hh_run_child(cli);
    memset(&r, 0, sizeof(r));
    s->cli = cli;
    hh_msg_collect_problems();
    rc = hh_reports_open(&r.reports, cli);
    if (!r.reports)
        return 2;
    ok = prepare(cli, &files, &nfiles, &scs) == 0;
    sel = malloc((nfiles ? nfiles : 1) * sizeof(*sel));
    ok = ok && sel && hh_select(cli, files, scs, nfiles, sel, &nsel) == 0;
    if (ok && !(s->cases = make_cases(files, scs, sel, nsel)))
        ok = 0;
    s->n = ok ? nsel : 0;
    s->nfound = nfiles;
    s->isolated = !cli->no_isolate;
    s->jobs = hh_run_jobs(cli, s->n);
    s->problems = hh_msg_problems(&s->nproblems);
    hh_reports_begin(r.reports, s);
    r.progress = !cli->no_progress && !cli->quiet && s->n > 1 && hh_plat_isatty(2);
    if (ok && hh_run_cases(cli, s->cases, s->n, on_done, &r) != 0)
        rc = 2;
    if (r.progress)
        hh_msg_progress_end();
    s->seconds = (double)(hh_plat_monotonic_ns() - t0) / 1e9;
    s->problems = hh_msg_problems(&s->nproblems);
    s->exit_code = exit_code(s);
    written = hh_reports_end(r.reports, s);
    if (cli->timeline && s->ndone && hh_timeline_write(cli->timeline, s) != 0)
        written = 2;
    rc = rc ? rc : written ? written : s->exit_code;
    if (!ok && rc == 0)
        rc = 2;
    for (i = 0; i < s->n; i++)
        hh_case_free(&s->cases[i]);
    free(s->cases);
    free(sel);
    free_all(scs, nfiles);
    hh_free_files(files, nfiles);
    hh_reports_free(r.reports);
    hh_msg_free_problems();
    return rc;
}
