/* cmd_fuzz.h - `hotswap-harness fuzz` and `replay`, and what the two share: their options,
 * the fuzz configuration loaded with its module, and libFuzzer's flags checked up front.
 */
#ifndef HH_CLI_CMD_FUZZ_H
#define HH_CLI_CMD_FUZZ_H

#include "cli.h"
#include "play/play.h"

/* argv is the whole command line: argv[1] is "fuzz" or "replay". Exit codes as SPEC §7. */
int hh_cmd_fuzz(int argc, char **argv);
int hh_cmd_replay(int argc, char **argv);
/* One line for --version: whether fuzzing is built in, and where its targets are. */
void hh_fuzz_print_support(void);

/* ---- fuzz_cli.c ----------------------------------------------------------------------- */
struct hh_fuzz_cli {
    const char *scenario;            /* the fuzz configuration */
    const char *input;               /* replay: the fuzz input */
    const char *dirs[HH_CLI_MAX_DIRS]; /* -M, --module-path */
    size_t ndirs;
    int true_means;                  /* --true-means, or HH_TRUE_MEANS_UNSET */
    const char *target;              /* fuzz: --target, default status-sequence */
    int any_status;                  /* fuzz: --any-status */
    const char *emit;                /* replay: --emit-scenario FILE */
    int no_minimize;                 /* replay: --no-minimize */
    int no_isolate;                  /* replay: --no-isolate */
    int child;                       /* replay: hidden --child, the isolated replay */
    const char *timeline;            /* replay: --timeline FILE, the run drawn as a page */
    char **flags;                    /* fuzz: what follows "--", for libFuzzer */
    int nflags;
    /* Loaded by hh_fuzz_cli_load */
    struct hh_scenario *sc;
    struct hh_session *session;      /* NULL for the scenario-parser target */
    struct hh_play_options opt;
};

/* Reads the options of argv[1]'s command. Returns 0, or 2 after a usage error. */
int hh_fuzz_cli_parse(int argc, char **argv, struct hh_fuzz_cli *c);
/* Validates the scenario and, unless `no_module`, loads its module and routine once (the
 * schedule target: opens it for exploring, driver mode included, and closes it again).
 * Returns 0, or 2 after printing why. */
int hh_fuzz_cli_load(struct hh_fuzz_cli *c, int no_module);
void hh_fuzz_cli_free(struct hh_fuzz_cli *c);

/* ---- replay_schedule.c ----------------------------------------------------------------- */
/* replay of a schedule input (first byte 0x06), loading the configuration itself; finding:
 * the input is a libFuzzer finding by its name, so a pass is an error. Exit code as replay. */
int hh_replay_schedule(struct hh_fuzz_cli *c, const uint8_t *data, size_t len, int finding);

/* ---- replay_timeline.c ----------------------------------------------------------------- */
/* The child's side of an isolated replay with --timeline, as wire records on stdout: the
 * session's timeline events from `sent` on (returns how many are sent now), each invocation
 * as it returns, and the verdict. */
size_t hh_replay_timeline_send(const struct hh_session *s, size_t sent);
void hh_replay_invocation_send(const struct hh_play_invocation *inv);
void hh_replay_result_send(const struct hh_session *s);
/* Draws res (of sc's run, or what came back of it) at c->timeline; account is what the page
 * shows beside it. Returns 0, or 2 after saying why it could not. */
int hh_replay_timeline_write(const struct hh_fuzz_cli *c, const struct hh_scenario *sc,
                             const struct hh_play_result *res, const char *account, int crashed);

/* ---- libfuzzer_flags.c ---------------------------------------------------------------- */
/* Checks flags meant for libFuzzer (clang 14): "-name=value" with a known name and a
 * number where it takes one, or a corpus folder or input file that exists. Returns 0, or
 * 2 after saying which flag makes no sense and why. */
int hh_libfuzzer_check(char **flags, int n);
/* Whether flags set libFuzzer's `name` ("-name=..."). */
int hh_libfuzzer_has(char **flags, int n, const char *name);

#endif
