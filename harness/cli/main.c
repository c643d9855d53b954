/* main.c - hotswap-harness: the subcommands, their options, and exit codes.
 *
 * Exit codes are the contract of SPEC §7: 0 everything passed, 1 a scenario failed, 2 bad
 * usage or input (a file that does not validate, a module or symbol that cannot be loaded).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_fuzz.h"
#include "common/suggest.h"
#include "msgs.h"
#include "platform/plat.h"

static const char usage_text[] =
    "Usage: hotswap-harness COMMAND [OPTIONS] ARGS...\n"
    "\n"
    "Tests a Driver Hot-Swap worker routine in user mode: plays JSON scenarios against the\n"
    "routine's module under a virtual clock and checks every continue/terminate decision.\n"
    "\n"
    "Commands:\n"
    "  run PATH...             play scenario files, and every *.json under folders\n"
    "  validate PATH...        check scenario files without loading any module\n"
    "  status NAME-OR-VALUE    name an NTSTATUS and say when a wait returns it\n"
    "  rules                   list the contract checks a run makes\n"
    "  fuzz SCENARIO [-- LIBFUZZER-FLAGS]\n"
    "                          fuzz the scenario's routine under libFuzzer (docs/fuzzing.md)\n"
    "  replay SCENARIO INPUT   play a fuzz input or artifact: its timeline and verdict\n"
    "  explore SCENARIO        play every interleaving of the routine with the scenario's\n"
    "                          concurrent steps within a bound (docs/explore.md)\n"
    "\n"
    "Options of run:\n"
    "  -M, --module-path DIR   also look for modules in DIR (repeatable); then the folders\n"
    "                          in HOTSWAP_MODULE_PATH; the scenario's own folder first\n"
    "  --livelock-limit N      invocations without the clock moving before a livelock\n"
    "                          is reported (default: the scenario's, else 10000)\n"
    "  --check RULE=off        turn a contract check off for the run (see 'rules')\n"
    "  --clock CLOCK           the clock of scenarios that name none: virtual (default:\n"
    "                          deterministic, no waiting) or real (the worker on an OS\n"
    "                          thread of its own, steps at their real times;\n"
    "                          docs/real-clock.md); a scenario's own \"clock\" wins\n"
    "  --true-means MEANING    what TRUE means in scenarios without \"true_means\" (or a\n"
    "                          hotswap-suite.json beside them that says it): continue\n"
    "                          (the WDK page) or terminate (acpi.sys); there is no\n"
    "                          default (docs/scenario-format.md, \"true_means\")\n"
    "  --tolerance DURATION    real clock: how far an invocation may be from an expected\n"
    "                          \"at\" (default 25ms)\n"
    "  -v, --verbose           list every invocation of passing scenarios too\n"
    "  -q, --quiet             print only failures and the summary\n"
    "  -j, --jobs N            run N scenarios at once (default: one per CPU)\n"
    "  --timeout DURATION      the watchdog: an invocation still running after this\n"
    "                          fails (default 10s; 0: no limit); on the real clock the\n"
    "                          worker also may not go this long without blocking\n"
    "  --no-isolate            run every scenario in this process, one at a time (for a\n"
    "                          debugger; a crash or a hang then ends the whole run)\n"
    "  --filter PATTERN        only scenarios whose name or file matches (* and ?\n"
    "                          wildcards; without them, a part of it); repeatable\n"
    "  --shard K/N             only part K of N of the suite, for N CI machines\n"
    "  --format FORMAT         a report: text (default), tap, junit or json; repeatable\n"
    "  -o, --output FILE       write the report of the --format before it to FILE, whole\n"
    "                          or not at all (without -o it goes to stdout)\n"
    "  --color WHEN            auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                          always or never\n"
    "  --no-progress           no progress line on the terminal\n"
    "  --timeline PATH         also draw each run: one self-contained HTML page at PATH\n"
    "                          for one scenario, else a folder of pages with index.html\n"
    "                          (docs/reports.md); the JSON report then carries the data\n"
    "  A DURATION is a number and a unit, ns, us, ms or s (1.5s, 500ms), or 0, as in\n"
    "  scenario files.\n"
    "\n";

/* The rest of the help, apart: C11 guarantees string literals of 4095 characters only. */
static const char usage_text_more[] =
    "Options of fuzz (before --; after it, libFuzzer's own -flag=value and corpus folders):\n"
    "  -M, --module-path DIR   as for run\n"
    "  --true-means MEANING    as for run\n"
    "  --target NAME           status-sequence (default), model or scenario-parser\n"
    "  --any-status            status-sequence: any 32-bit NTSTATUS, not only those the\n"
    "                          scenario's wait can return\n"
    "\n"
    "Options of replay:\n"
    "  -M, --module-path DIR   as for run\n"
    "  --true-means MEANING    as for run\n"
    "  --emit-scenario FILE    write the input, reduced, as a regression scenario\n"
    "  --no-minimize           keep every step of the input in that scenario\n"
    "  --no-isolate            replay in this process (a crash then ends it)\n"
    "  --timeline FILE         also draw the replay as one self-contained HTML page\n"
    "\n"
    "Options of explore:\n"
    "  -M, --module-path DIR   as for run\n"
    "  --true-means MEANING    as for run\n"
    "  --strategy NAME         dfs (default: every schedule within the bound) or pct\n"
    "  --preemptions N         dfs: at most N preemptions per schedule (default 2)\n"
    "  --seed S, --runs N      pct: the seed and how many runs (default 1000); --runs\n"
    "                          also stops dfs early\n"
    "  --emit FILE             write a finding there (default: SCENARIO.schedule.json)\n"
    "  --timeline FILE         also draw the failing schedule as one self-contained HTML\n"
    "                          page: a lane per thread, the switches between them\n"
    "  --timeout DURATION      the watchdog: a thread that holds the baton this long\n"
    "                          without a DDI call or returning is a finding (rule\n"
    "                          watchdog; default 10s; 0: no limit)\n"
    "\n"
    "  -h, --help              this text\n"
    "  -V, --version           the version\n"
    "\n"
    "Call sites in reports get file:line from llvm-symbolizer or addr2line on PATH;\n"
    "HOTSWAP_SYMBOLIZER=PATH names another, HOTSWAP_SYMBOLIZER=off none.\n"
    "Exit status: 0 all passed, 1 a scenario failed, 2 bad usage or input.\n"
    "Scenario format: docs/scenario-format.md\n";

static const char *const commands[] = {"run",    "validate", "status", "rules", "fuzz",
                                       "replay", "explore",  "help",   NULL};

static int is_option(const char *arg, const char *shrt, const char *lng)
{
    return (shrt && strcmp(arg, shrt) == 0) || strcmp(arg, lng) == 0;
}

/* "--name=value" or "--name value"; returns the value or NULL after a usage error. */
static const char *option_value(int argc, char **argv, int *i, const char *shrt,
                                const char *lng)
{
    size_t n = strlen(lng);
    if (strncmp(argv[*i], lng, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (!is_option(argv[*i], shrt, lng))
        return NULL;
    if (*i + 1 >= argc) {
        hh_msg_usage("option '%s' needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

/* "--check RULE=off" (or "=on"): switches one contract check for the whole run. */
static int parse_check(const char *v, struct hh_cli *cli)
{
    char name[64];
    const char *eq = strchr(v, '=');
    size_t n = eq ? (size_t)(eq - v) : strlen(v);
    enum hh_rule rule;
    if (!eq || n >= sizeof(name) || (strcmp(eq + 1, "off") != 0 && strcmp(eq + 1, "on") != 0)) {
        hh_msg_usage("--check takes RULE=off or RULE=on (such as pool-leak=off), not '%s'", v);
        return 2;
    }
    memcpy(name, v, n);
    name[n] = '\0';
    rule = hh_rule_from_name(name);
    if (rule == HH_RULE_NONE || !hh_rule_switchable(rule)) {
        hh_msg_usage("--check %s: %s; 'hotswap-harness rules' lists them and which can be "
                     "turned off",
                     name, rule == HH_RULE_NONE ? "no such check" : "this check stays on");
        return 2;
    }
    cli->checks_off[rule] = eq[1] == 'o' && eq[2] == 'f';
    return 0;
}

static int parse_run_options(int argc, char **argv, struct hh_cli *cli)
{
    int i, run = strcmp(argv[1], "run") == 0;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        int rc;
        if (cli->npaths == 0 && strcmp(a, "--") == 0)
            continue;
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            cli->paths[cli->npaths++] = a;
            continue;
        }
        if ((v = option_value(argc, argv, &i, "-M", "--module-path")) != NULL) {
            if (cli->ndirs == HH_CLI_MAX_DIRS) {
                hh_msg_usage("at most %d --module-path options", HH_CLI_MAX_DIRS);
                return 2;
            }
            cli->dirs[cli->ndirs++] = v;
        } else if ((v = option_value(argc, argv, &i, NULL, "--livelock-limit")) != NULL) {
            char *end;
            unsigned long n = strtoul(v, &end, 10);
            if (*end || n == 0 || n > 10000000ul || v[0] == '-') {
                hh_msg_usage("--livelock-limit takes a whole number from 1 to 10000000, not "
                             "'%s'",
                             v);
                return 2;
            }
            cli->livelock_limit = n;
        } else if ((v = option_value(argc, argv, &i, NULL, "--check")) != NULL) {
            if (parse_check(v, cli) != 0)
                return 2;
        } else if ((v = option_value(argc, argv, &i, NULL, "--true-means")) != NULL) {
            if (hh_parse_true_means(v, &cli->true_means) != 0)
                return 2;
        } else if (run && (v = option_value(argc, argv, &i, NULL, "--clock")) != NULL) {
            if (strcmp(v, "virtual") != 0 && strcmp(v, "real") != 0) {
                hh_msg_usage("--clock takes virtual (the default) or real, not '%s'", v);
                return 2;
            }
            cli->clock = v[0] == 'r' ? HH_CLOCK_REAL : HH_CLOCK_VIRTUAL;
        } else if (run && (v = option_value(argc, argv, &i, NULL, "--tolerance")) != NULL) {
            int64_t ticks;
            if (hh_parse_duration_option("--tolerance", v, "a duration such as 25ms, at most 60s",
                                         60 * HH_TICKS_PER_SECOND, &ticks) != 0)
                return 2;
            cli->tolerance = ticks;
            cli->tolerance_set = 1;
        } else if (is_option(a, "-v", "--verbose")) {
            cli->verbose = 1;
        } else if (is_option(a, "-q", "--quiet")) {
            cli->quiet = 1;
        } else if (run && (rc = hh_parse_suite_option(argc, argv, &i, cli)) != 0) {
            if (rc == 2)
                return 2;
        } else {
            if (strchr(a, '=') == NULL && (is_option(a, "-M", "--module-path") ||
                                           is_option(a, NULL, "--livelock-limit") ||
                                           is_option(a, NULL, "--check") ||
                                           is_option(a, NULL, "--true-means") ||
                                           (run && is_option(a, NULL, "--clock")) ||
                                           (run && is_option(a, NULL, "--tolerance"))))
                return 2; /* option_value already said what is missing */
            hh_msg_usage("unknown option '%s' for '%s'", a, argv[1]);
            return 2;
        }
    }
    if (!cli->child)
        hh_warn_missing_dirs(cli->dirs, cli->ndirs);
    return run ? hh_check_suite_options(cli) : 0;
}

int main(int argc, char **argv)
{
    struct hh_cli cli;
    const char *cmd;
    int rc;
    hh_plat_init();
    if (argc < 2) {
        fputs(usage_text, stderr);
        fputs(usage_text_more, stderr);
        return 2;
    }
    cmd = argv[1];
    if (is_option(cmd, "-h", "--help") || strcmp(cmd, "help") == 0) {
        hh_msg_out("%s%s", usage_text, usage_text_more);
        return 0;
    }
    for (rc = 2; rc < argc && strcmp(argv[rc], "--") != 0; rc++) {
        if (is_option(argv[rc], "-h", "--help")) { /* `hotswap-harness run --help` */
            hh_msg_out("%s%s", usage_text, usage_text_more);
            return 0;
        }
    }
    if (is_option(cmd, "-V", "--version")) {
        hh_msg_out("hotswap-harness %s\n", HH_VERSION_STRING);
        hh_fuzz_print_support();
        return 0;
    }
    if (strcmp(cmd, "status") == 0) {
        if (argc != 3) {
            hh_msg_usage("'status' takes one NAME-OR-VALUE, such as STATUS_WAIT_1 or 0x102");
            return 2;
        }
        return hh_cmd_status(argv[2]);
    }
    if (strcmp(cmd, "fuzz") == 0)
        return hh_cmd_fuzz(argc, argv);
    if (strcmp(cmd, "replay") == 0)
        return hh_cmd_replay(argc, argv);
    if (strcmp(cmd, "explore") == 0)
        return hh_cmd_explore(argc, argv);
    if (strcmp(cmd, "rules") == 0) {
        if (argc != 2) {
            hh_msg_usage("'rules' takes no argument, not '%s'; it lists every check", argv[2]);
            return 2;
        }
        return hh_cmd_rules();
    }
    if (strcmp(cmd, "run") != 0 && strcmp(cmd, "validate") != 0) {
        const char *near = hh_suggest_from(cmd, commands);
        if (near)
            hh_msg_usage("unknown command '%s'; did you mean '%s'?", cmd, near);
        else
            hh_msg_usage("unknown command '%s'", cmd);
        return 2;
    }
    memset(&cli, 0, sizeof(cli));
    cli.true_means = HH_TRUE_MEANS_UNSET;
    cli.paths = calloc((size_t)argc, sizeof(*cli.paths));
    if (!cli.paths) {
        hh_msg_error("out of memory");
        return 2;
    }
    rc = parse_run_options(argc, argv, &cli);
    if (rc == 0 && cli.npaths == 0) {
        hh_msg_usage("'%s' needs at least one scenario file or folder", cmd);
        rc = 2;
    }
    if (rc == 0)
        rc = strcmp(cmd, "run") == 0 ? hh_cmd_run(&cli) : hh_cmd_validate(&cli);
    free(cli.paths);
    return rc;
}
