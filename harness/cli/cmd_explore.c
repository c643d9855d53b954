/* cmd_explore.c - `hotswap-harness explore SCENARIO`: the scenario played again and again
 * under the controlled scheduler, each run a different interleaving of the worker's routine
 * with the scenario's concurrent steps, until one fails or the strategy has no more.
 *
 * A finding is printed as run prints a failure, with its schedule and the interleaving (who
 * called what at each scheduling point), and written as a scenario whose "schedule" makes
 * `run` replay it exactly. Exit 0: no finding; 1: a finding; 2: bad usage or input.
 * A thread that holds the baton past --timeout (a routine that never returns) is a finding
 * of rule watchdog, the last run: the thread is stopped where it is and never continued.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/relpath.h"
#include "explore/schedule.h"
#include "explore/strategy.h"
#include "msgs.h"
#include "platform/plat.h"
#include "play/fuzz_schedule.h"
#include "report.h"
#include "timeline.h"

#define PCT_DEFAULT_RUNS 1000ul
#define PCT_INITIAL_STEPS 100ul
#define RUNS_MAX 100000000ul

struct explore_cli {
    struct hh_cli cli; /* --module-path, --true-means and --timeout, as run reads them */
    const char *scenario;
    int pct;
    unsigned bound;
    int bound_set;
    uint64_t seed;
    int seed_set;
    unsigned long runs; /* 0: DFS until exhausted */
    const char *emit;
};

/* "--name=value" or "--name value" for the option at argv[*i]; NULL when it is not that
 * option; *bad after a usage error. */
static const char *value_of(int argc, char **argv, int *i, const char *shrt, const char *lng,
                            int *bad)
{
    size_t n = strlen(lng);
    if (strncmp(argv[*i], lng, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (strcmp(argv[*i], lng) != 0 && !(shrt && strcmp(argv[*i], shrt) == 0))
        return NULL;
    if (*i + 1 >= argc) {
        hh_msg_usage("option '%s' needs a value", argv[*i]);
        *bad = 1;
        return NULL;
    }
    return argv[++*i];
}

/* A whole number from min to max; 0, or 2 after a usage error. */
static int number(const char *option, const char *v, unsigned long long min,
                  unsigned long long max, const char *what, unsigned long long *out)
{
    char *end;
    unsigned long long n;
    if (v[0] < '0' || v[0] > '9' || (n = strtoull(v, &end, 10), *end) || n < min || n > max) {
        hh_msg_usage("%s takes %s, not '%s'", option, what, v);
        return 2;
    }
    *out = n;
    return 0;
}

static int parse(int argc, char **argv, struct explore_cli *x)
{
    int i, bad = 0;
    const char *v, *strategy = NULL;
    unsigned long long n;
    memset(x, 0, sizeof(*x));
    x->cli.true_means = HH_TRUE_MEANS_UNSET;
    x->bound = HH_EX_DEFAULT_BOUND;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (x->scenario) {
                hh_msg_usage("'explore' takes one scenario file; '%s' is a second", a);
                return 2;
            }
            x->scenario = a;
        } else if ((v = value_of(argc, argv, &i, "-M", "--module-path", &bad)) != NULL) {
            if (x->cli.ndirs == HH_CLI_MAX_DIRS) {
                hh_msg_usage("at most %d --module-path options", HH_CLI_MAX_DIRS);
                return 2;
            }
            x->cli.dirs[x->cli.ndirs++] = v;
        } else if (!bad && (v = value_of(argc, argv, &i, NULL, "--true-means", &bad)) != NULL) {
            if (hh_parse_true_means(v, &x->cli.true_means) != 0)
                return 2;
        } else if (!bad && (v = value_of(argc, argv, &i, NULL, "--strategy", &bad)) != NULL) {
            if (strcmp(v, "dfs") != 0 && strcmp(v, "pct") != 0) {
                hh_msg_usage("--strategy takes dfs (every schedule within the preemption "
                             "bound, the default) or pct (random schedules), not '%s'", v);
                return 2;
            }
            strategy = v;
            x->pct = v[0] == 'p';
        } else if (!bad && (v = value_of(argc, argv, &i, NULL, "--preemptions", &bad)) != NULL) {
            if (number("--preemptions", v, 0, 64, "a whole number from 0 to 64", &n) != 0)
                return 2;
            x->bound = (unsigned)n;
            x->bound_set = 1;
        } else if (!bad && (v = value_of(argc, argv, &i, NULL, "--seed", &bad)) != NULL) {
            if (number("--seed", v, 0, UINT64_MAX, "a whole number (0 to 2^64-1)", &n) != 0)
                return 2;
            x->seed = n;
            x->seed_set = 1;
        } else if (!bad && (v = value_of(argc, argv, &i, NULL, "--runs", &bad)) != NULL) {
            if (number("--runs", v, 1, RUNS_MAX, "a whole number from 1 to 100000000", &n) != 0)
                return 2;
            x->runs = (unsigned long)n;
        } else if (!bad && (v = value_of(argc, argv, &i, NULL, "--timeout", &bad)) != NULL) {
            if (hh_parse_timeout(v, &x->cli) != 0)
                return 2;
        } else if (!bad && (v = value_of(argc, argv, &i, NULL, "--emit", &bad)) != NULL) {
            x->emit = v;
        } else if (!bad && (v = value_of(argc, argv, &i, NULL, "--timeline", &bad)) != NULL) {
            if (!v[0]) {
                hh_msg_usage("--timeline needs a path: the page the failing schedule is drawn "
                             "on");
                return 2;
            }
            x->cli.timeline = v;
        } else if (!bad) {
            hh_msg_usage("unknown option '%s' for 'explore'", a);
            return 2;
        }
        if (bad)
            return 2;
    }
    if (!x->scenario) {
        hh_msg_usage("'explore' needs a scenario file");
        return 2;
    }
    if (x->pct && x->bound_set) {
        hh_msg_usage("--preemptions bounds --strategy dfs; pct takes --seed and --runs");
        return 2;
    }
    if (!x->pct && x->seed_set) {
        hh_msg_usage("--seed is for --strategy pct (dfs is exhaustive and needs none)%s",
                     strategy ? "" : "; add --strategy pct");
        return 2;
    }
    if (x->pct && !x->runs)
        x->runs = PCT_DEFAULT_RUNS;
    hh_warn_missing_dirs(x->cli.dirs, x->cli.ndirs);
    return 0;
}

/* ---- The finding -------------------------------------------------------------------------- */

/* One line of the interleaving into the finding's account. */
static void out_line(void *user, const char *line)
{
    hh_buf_printf((struct hh_buf *)user, "%s\n", line);
}

/* Where the finding goes: --emit, else "NAME.schedule.json" beside the scenario. */
static char *emit_path(const struct explore_cli *x)
{
    size_t n = strlen(x->scenario);
    char *path;
    if (x->emit) {
        path = malloc(strlen(x->emit) + 1);
        if (path)
            strcpy(path, x->emit);
        return path;
    }
    path = malloc(n + 32);
    if (!path)
        return NULL;
    memcpy(path, x->scenario, n + 1);
    if (n > 5 && strcmp(path + n - 5, ".json") == 0)
        path[n - 5] = '\0';
    strcat(path, ".schedule.json");
    return path;
}

/* The schedule replayed once, from the module's loaded state, as `run` replays the written
 * scenario: 1 when it fails the same way. */
static int replays(struct hh_play_explorer *ex, struct hh_play_options *opt,
                   const char *schedule, const struct hh_play_result *found)
{
    struct hh_ex_schedule *sched;
    struct hh_ex_strategy *s;
    struct hh_explore_log log;
    struct hh_play_result res;
    char err[300];
    int same;
    if (hh_ex_schedule_parse(schedule, strlen(schedule), &sched, err, sizeof(err)) != 0)
        return 0;
    s = hh_ex_replay_new(sched);
    if (!s) {
        hh_ex_schedule_free(sched);
        return 0;
    }
    hh_ex_begin_run(s);
    memset(&log, 0, sizeof(log));
    opt->explore = s;
    opt->explore_log = &log;
    hh_play_explorer_run(ex, &res);
    same = res.outcome == HH_PLAY_FAIL && res.rule == found->rule &&
           !hh_ex_divergence(s, err, sizeof(err));
    opt->explore = NULL;
    opt->explore_log = NULL;
    hh_play_result_free(&res);
    free(log.events);
    hh_ex_free(s);
    hh_ex_schedule_free(sched);
    return same;
}

/* Writes the finding as a scenario, then replays its schedule once to see that it gives the
 * same verdict. 0, or 2 when it could not be written. */
static int emit(const struct explore_cli *x, const struct hh_scenario *sc,
                struct hh_play_explorer *ex, struct hh_play_options *opt,
                const char *schedule, const struct hh_play_result *found, const char *path)
{
    char *text, *out, err[600], name[400], desc[1200];
    size_t len;
    struct hh_scenario *check;
    struct hh_diags d;
    if (hh_plat_read_file(x->scenario, HH_CLI_MAX_FILE_BYTES, &text, &len, err, sizeof(err)) != 0) {
        hh_msg_error("%s: %s", x->scenario, err);
        return 2;
    }
    snprintf(name, sizeof(name), "explore finding: %s (%s)", sc->name, hh_rule_name(found->rule));
    snprintf(desc, sizeof(desc),
             "%s follows the interleaving `hotswap-harness explore %s` found (\"schedule\": "
             "the thread run at each scheduling point where another could have run; "
             "docs/explore.md). The steps and their expectations are the original's: the file "
             "fails under run while the race is there, and passes once it is fixed.",
             hh_path_base(x->scenario), hh_path_base(x->scenario));
    out = hh_play_explore_emit(text, len, x->scenario, path, name, desc, sc->true_means,
                               schedule, err, sizeof(err));
    free(text);
    if (!out) {
        hh_msg_error("cannot write the finding as a scenario: %s", err);
        return 2;
    }
    hh_diags_init(&d);
    if (hh_scenario_parse(path, out, strlen(out), &check, &d) != 0) {
        hh_msg_diags(&d);
        hh_msg_error("the scenario made from the finding does not validate; nothing was "
                     "written");
        free(out);
        return 2;
    }
    hh_scenario_free(check);
    if (hh_msg_write_file(path, out, strlen(out), err, sizeof(err)) != 0) {
        hh_msg_error("%s: %s", path, err);
        free(out);
        return 2;
    }
    free(out);
    if (found->rule == HH_RULE_WATCHDOG)
        hh_msg_out("wrote %s; `hotswap-harness run` follows its schedule to the same hang, "
                   "which its watchdog (--timeout) ends (not replayed here: the hung thread's "
                   "engine stays with it in this process)\n",
                   path);
    else if (replays(ex, opt, schedule, found))
        hh_msg_out("wrote %s; `hotswap-harness run` follows its schedule and fails the same "
                   "way until the race is fixed\n", path);
    else
        hh_msg_warning("wrote %s, but its schedule replayed does not fail the same way (a "
                       "race on memory no DDI touches? docs/explore.md, the model)",
                       path);
    return 0;
}

/* The failure's account as run gives it, into b. */
static void account(struct hh_buf *b, const struct explore_cli *x, const struct hh_scenario *sc,
                    struct hh_play_result *res, const char *file)
{
    struct hh_suite s;
    struct hh_case c;
    memset(&s, 0, sizeof(s));
    memset(&c, 0, sizeof(c));
    s.cli = &x->cli;
    c.file = file;
    c.sc = sc;
    c.res = *res;
    hh_report_account(b, &s, &c);
}

/* --timeline: the failing run drawn, its account with the schedule beside it. 0, or 2. */
static int draw(struct explore_cli *x, const struct hh_scenario *sc,
                const struct hh_play_result *res, const char *file, const char *text)
{
    x->cli.clock = HH_CLOCK_VIRTUAL_ALWAYS;
    return hh_timeline_write_one(&x->cli, file, sc, res, text, 0);
}

/* ---- The search ----------------------------------------------------------------------------- */

static struct hh_ex_strategy *strategy_new(const struct explore_cli *x)
{
    if (x->pct)
        return hh_ex_pct_new(x->seed, HH_EX_DEFAULT_DEPTH, x->runs, PCT_INITIAL_STEPS);
    return hh_ex_dfs_new(x->bound, 1);
}

static void describe_strategy(const struct explore_cli *x, char *buf, size_t len)
{
    if (x->pct)
        snprintf(buf, len, "pct, seed %llu, depth %d, %lu runs", (unsigned long long)x->seed,
                 HH_EX_DEFAULT_DEPTH, x->runs);
    else
        snprintf(buf, len, "dfs, at most %u preemption%s, sleep sets%s", x->bound,
                 x->bound == 1 ? "" : "s", x->runs ? ", at most --runs runs" : "");
}

int hh_cmd_explore(int argc, char **argv)
{
    struct explore_cli x;
    struct hh_scenario *sc = NULL;
    struct hh_diags d;
    struct hh_play_options opt;
    struct hh_play_explorer *ex = NULL;
    struct hh_ex_strategy *s;
    struct hh_play_result res;
    struct hh_explore_log log;
    struct hh_ex_stats st;
    const char *names[HH_EX_MAX_THREADS];
    unsigned n_names = 0, k;
    char what[200];
    uint64_t t0;
    int rc = parse(argc, argv, &x), found = 0;
    unsigned long cut = 0;
    if (rc != 0)
        return rc;
    hh_diags_init(&d);
    if (hh_cli_load_scenario(&x.cli, x.scenario, &sc, &d) != 0) {
        hh_msg_diags(&d);
        return 2;
    }
    memset(&opt, 0, sizeof(opt));
    opt.module_dirs = x.cli.dirs;
    opt.nmodule_dirs = x.cli.ndirs;
    opt.clock = HH_CLOCK_VIRTUAL_ALWAYS; /* explore always plays the virtual clock */
    opt.timeline = x.cli.timeline != NULL; /* each run recorded: the failing one is drawn */
    opt.watchdog = hh_cli_watchdog(&x.cli);
    hh_diags_init(&d);
    if (hh_play_explorer_open(sc, &opt, &ex, &d) != 0) {
        hh_msg_diags(&d);
        hh_scenario_free(sc);
        return 2;
    }
    s = strategy_new(&x);
    if (!s) {
        hh_msg_error("out of memory");
        hh_play_explorer_close(ex);
        hh_scenario_free(sc);
        return 2;
    }
    describe_strategy(&x, what, sizeof(what));
    hh_msg_out("explore %s (%s): %s\n", sc->name, x.scenario, what);
    if (sc->clock == HH_SC_CLOCK_REAL)
        hh_msg_note("%s is written for the real clock; explore plays it on the virtual clock, "
                    "where its timeline may not hold", x.scenario);
    t0 = hh_plat_monotonic_ns();
    memset(&res, 0, sizeof(res));
    memset(&log, 0, sizeof(log));
    for (;;) {
        int outcome;
        hh_ex_get_stats(s, &st);
        if (found || (!x.pct && x.runs && st.runs >= x.runs) || !hh_ex_begin_run(s))
            break;
        hh_play_result_free(&res);
        free(log.events);
        memset(&log, 0, sizeof(log));
        opt.explore = s;
        opt.explore_log = &log;
        outcome = hh_play_explorer_run(ex, &res);
        found = outcome == HH_PLAY_FAIL && !log.abandoned;
        cut += log.cut != 0;
        hh_ex_end_run(s, found);
        if (outcome == HH_PLAY_ERROR) {
            hh_msg_diags(&res.diags);
            rc = 2;
            break;
        }
    }
    hh_ex_get_stats(s, &st);
    if (rc != 2) { /* an input error said why: no count of schedules beside it */
        double secs = (double)(hh_plat_monotonic_ns() - t0) / 1e9;
        hh_msg_out("%lu schedule%s explored (%lu abandoned as covered by others) in %.3f s, "
                   "%lu scheduling points; %s\n",
                   st.runs, st.runs == 1 ? "" : "s", st.abandoned, secs, st.points,
                   found      ? "a finding"
                   : st.exhausted && !x.pct ? "the bounded space was exhausted: no finding"
                   : st.exhausted ? "every run asked for was made: no finding"
                                  : "stopped at --runs before the space was exhausted: no "
                                    "finding so far");
        if (cut)
            hh_msg_out("%lu run%s cut at 200,000 scheduling points without settling, not "
                       "judged (a thread that polls in a loop; docs/explore.md)\n",
                       cut, cut == 1 ? "" : "s");
    }
    if (found) {
        size_t n;
        const uint8_t *trace = hh_ex_trace(s, &n);
        struct hh_ex_schedule *sched;
        char *text = NULL, *path = emit_path(&x);
        struct hh_buf told;
        /* Names as the run gave them: the threads are made in the same order every run. */
        n_names = log.n_threads;
        for (k = 0; k < n_names; k++)
            names[k] = log.names[k];
        sched = hh_ex_schedule_from_trace(trace, n, names, n_names);
        text = sched ? hh_ex_schedule_format(sched) : NULL;
        hh_msg_out("FINDING: rule %s, after %lu preemption%s\n", hh_rule_name(res.rule),
                   (unsigned long)st.preemptions_last, st.preemptions_last == 1 ? "" : "s");
        hh_buf_init(&told);
        account(&told, &x, sc, &res, path && n ? path : x.scenario);
        hh_buf_printf(&told, "  schedule: %s\n", n == 0 ? "(empty: no choice was made)"
                                                  : text ? text : "(out of memory)");
        hh_play_explore_interleaving(&log, out_line, &told);
        hh_msg_write(told.data ? told.data : "", told.len);
        if (n == 0) {
            /* No choice was made: every schedule fails, and so does run. */
            hh_msg_out("  the first schedule failed before any choice between threads: the "
                       "failure does not depend on the interleaving; `hotswap-harness run` "
                       "(on the virtual clock) fails on the scenario as it is, so nothing "
                       "was written\n");
            rc = 0;
        } else {
            rc = text && path ? emit(&x, sc, ex, &opt, text, &res, path) : 2;
        }
        if (rc == 0 && x.cli.timeline)
            rc = draw(&x, sc, &res, path && n ? path : x.scenario, told.data ? told.data : "");
        if (rc == 0)
            rc = 1;
        hh_buf_free(&told);
        free(text);
        free(path);
        hh_ex_schedule_free(sched);
    } else if (rc == 0 && x.cli.timeline) {
        hh_msg_out("no finding, so no timeline: --timeline draws a failing schedule; `run "
                   "--timeline` draws the scenario as run plays it\n");
    }
    hh_play_result_free(&res);
    free(log.events);
    hh_ex_free(s);
    hh_play_explorer_close(ex);
    hh_scenario_free(sc);
    return rc;
}
