/* runner.h - playing the selected scenarios: each in a child process of its own (a crash, a
 * hang or an exit in the routine fails that scenario and the suite goes on), or all in this
 * process (--no-isolate), -j at a time, and handing each result over in file order.
 */
#ifndef HH_CLI_RUNNER_H
#define HH_CLI_RUNNER_H

#include <stddef.h>

#include "cli.h"
#include "play/play.h"

/* How the process that played a scenario ended. */
enum hh_case_end {
    HH_END_NORMAL,    /* the verdict came back (always so in this process) */
    HH_END_CRASHED,   /* a signal or an exception */
    HH_END_TIMED_OUT, /* still running at --timeout: killed */
    HH_END_EXITED     /* it exited before the scenario finished, or exited non-zero after */
};

/* One scenario of the suite and its verdict. */
struct hh_case {
    const char *file;
    const struct hh_scenario *sc;
    struct hh_play_result res; /* the verdict and its account, wherever it was played */
    enum hh_case_end end;
    char what[320];            /* the process's end in words, when it was not normal */
    char *output;              /* what the process wrote besides its verdict, or NULL */
    double seconds;            /* wall time, start to verdict */
    const char *account;       /* the account, when not the one the result makes (a replay's
                                  own, which knows its steps); else NULL */
};

void hh_case_free(struct hh_case *c);

/* Calls done(user, index) for each case once it has its verdict, in index order, one call at
 * a time (under a lock when several run at once). */
typedef void (*hh_case_done_fn)(void *user, size_t index);

/* Plays cases[0..n) as cli says (-j, --timeout, --no-isolate). Returns 0, or 2 after saying
 * why nothing could be started (the harness cannot find its own executable). */
int hh_run_cases(const struct hh_cli *cli, struct hh_case *cases, size_t n,
                 hh_case_done_fn done, void *user);

/* How many scenarios hh_run_cases plays at once for a suite of n. */
unsigned hh_run_jobs(const struct hh_cli *cli, size_t n);

/* runner_local.c: plays one case in this process. */
void hh_run_local(const struct hh_cli *cli, struct hh_case *c);
/* runner_isolate.c: plays cases[0..n) in a child running `self` (n at most
 * HH_RUN_CHUNK_MAX; more than 1 only where hh_plat_can_fork). */
#define HH_RUN_CHUNK_MAX 16
void hh_run_isolated(const struct hh_cli *cli, const char *self, struct hh_case *cases,
                     size_t n);
/* runner_child.c: the child's side, `run --child FILE...`: plays them and writes records for
 * the parent on stdout. Returns the exit code (0 once the verdicts were written). */
int hh_run_child(const struct hh_cli *cli);

/* The options every in-process play shares (module path, livelock limit, checks). */
void hh_play_options_from(const struct hh_cli *cli, struct hh_play_options *opt);

/* When the process playing sc is killed as hung, in ms (0: never). The virtual clock's
 * timeline takes no time, so --timeout measures the routine there. On the real clock the
 * process itself ends a routine past --timeout (the watchdog) whatever the timeline's
 * length, and the kill is only a safety net: the timeline, then twice --timeout and 2 s. */
unsigned long hh_run_kill_ms(const struct hh_cli *cli, const struct hh_scenario *sc);

#endif
