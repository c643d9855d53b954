/* cli.h - the subcommands and the options they share. */
#ifndef HH_CLI_CLI_H
#define HH_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "common/rules.h"

#define HH_CLI_MAX_DIRS 32
#define HH_CLI_MAX_FILE_BYTES (16u * 1024u * 1024u)
#define HH_CLI_MAX_FILTERS 32
#define HH_CLI_MAX_REPORTS 8
#define HH_CLI_DEFAULT_TIMEOUT_MS 10000ul

enum hh_format { HH_FORMAT_TEXT, HH_FORMAT_TAP, HH_FORMAT_JUNIT, HH_FORMAT_JSON };
enum hh_color { HH_COLOR_AUTO, HH_COLOR_ALWAYS, HH_COLOR_NEVER };

/* One report: a format, written to a file (whole or not at all) or to stdout (path NULL). */
struct hh_cli_report {
    enum hh_format format;
    const char *path;
};

struct hh_cli {
    const char **paths; /* files and folders, as given */
    size_t npaths;
    /* How each scenario plays. An isolated child gets these again on its command line
     * (runner_isolate.c, child_argv): an option added here must be added there too. */
    const char *dirs[HH_CLI_MAX_DIRS]; /* --module-path */
    size_t ndirs;
    unsigned long livelock_limit;
    unsigned char checks_off[HH_RULE_COUNT]; /* --check RULE=off */
    int clock;                     /* --clock: HH_CLOCK_VIRTUAL (default) or HH_CLOCK_REAL */
    int64_t tolerance;             /* --tolerance, 100 ns ticks */
    int tolerance_set;             /* 0: HH_REAL_TOLERANCE */
    int true_means;                /* --true-means, or HH_TRUE_MEANS_UNSET */
    /* How the suite runs and reports (run_options.c). */
    int verbose;
    int quiet;
    unsigned jobs;                 /* -j; 0: one per CPU */
    unsigned long timeout_ms;      /* --timeout per isolated scenario; 0: none */
    int timeout_set;               /* 0: HH_CLI_DEFAULT_TIMEOUT_MS */
    int no_isolate;                /* --no-isolate: every scenario in this process */
    int child;                     /* hidden --child: play one file for a parent (runner_child.c) */
    const char *filters[HH_CLI_MAX_FILTERS]; /* --filter: any may match */
    size_t nfilters;
    unsigned shard, nshards;       /* --shard K/N; 0 and 0: the whole suite */
    struct hh_cli_report reports[HH_CLI_MAX_REPORTS]; /* --format [--output]; none: text */
    size_t nreports;
    enum hh_color color;           /* --color */
    int no_progress;               /* --no-progress */
    const char *timeline;          /* --timeline PATH: an HTML file, or a folder of them */
    int record_timeline;           /* record each run's timeline (--timeline; a child's hidden
                                      --record-timeline) */
};

/* Takes argv[*i] when it is one of run's suite options (-j, --timeout, --no-isolate,
 * --filter, --shard, --format, --output, --color, --no-progress, --child), with its value.
 * Returns 1 when taken, 0 when argv[*i] is none of them, 2 after a usage error. */
int hh_parse_suite_option(int argc, char **argv, int *i, struct hh_cli *cli);
/* Checks the suite options together once all are read; 0, or 2 after a usage error. */
int hh_check_suite_options(struct hh_cli *cli);

int hh_cmd_run(const struct hh_cli *cli);
int hh_cmd_validate(const struct hh_cli *cli);
int hh_cmd_status(const char *arg);
int hh_cmd_rules(void);
/* cmd_explore.c: `explore SCENARIO [OPTIONS]` (its own options). */
int hh_cmd_explore(int argc, char **argv);

struct hh_scenario;
struct hh_diags;
/* Loads one scenario file with what the command line gives the files that leave it out. */
int hh_cli_load_scenario(const struct hh_cli *cli, const char *file, struct hh_scenario **out,
                         struct hh_diags *diags);

/* "--true-means continue|terminate" into *out (HH_TRUE_MEANS_*). Returns 0, or 2 after a
 * usage error. */
int hh_parse_true_means(const char *v, int *out);
/* Warns about each --module-path folder that does not exist (a typo would otherwise only
 * show as a module not found, or as the wrong module found elsewhere). */
void hh_warn_missing_dirs(const char *const *dirs, size_t n);
/* A duration option's value in 100 ns ticks, in the grammar of scenario files: a number and
 * a unit (ns, us, ms, s; decimals such as 1.5s), or 0; a bare number is refused, since
 * nothing says its unit. `takes` says what the option takes, for the usage error; at most
 * `max` ticks. Returns 0, or 2 after a usage error. */
int hh_parse_duration_option(const char *option, const char *v, const char *takes,
                             int64_t max, int64_t *ticks);
/* "--timeout DURATION" (run's and explore's watchdog) into cli->timeout_ms. 0, or 2 after a
 * usage error. */
int hh_parse_timeout(const char *v, struct hh_cli *cli);
/* The watchdog's limit --timeout gives (its default when not given), in 100 ns ticks; 0:
 * none. */
int64_t hh_cli_watchdog(const struct hh_cli *cli);

/* Every scenario file named by the paths: files as given, folders searched recursively for
 * *.json in bytewise order, following links but never around a loop. Returns 0, or 2 after
 * printing why (a missing path, a folder with no scenario, a link loop, a path that is not a
 * file). Free with hh_free_files. */
int hh_collect_files(const struct hh_cli *cli, char ***files, size_t *n);
void hh_free_files(char **files, size_t n);

/* select.c: 0, or 2 after naming every file whose scenario name another file has. */
int hh_check_unique_names(char **files, struct hh_scenario **scs, size_t n);
/* The scenarios to run, by index, in file order: --filter, then --shard. Returns 0, or 2
 * when --filter matched none (a CI job must never pass by running nothing). */
int hh_select(const struct hh_cli *cli, char **files, struct hh_scenario **scs, size_t n,
              size_t *sel, size_t *nsel);

#endif
