/* target_config.c - a routine target's configuration: the scenario file, the module found
 * along the module path and loaded once, before libFuzzer starts.
 *
 * Every error here is the user's input (a file that does not validate, a module or symbol
 * missing, an unknown flag of ours): it is printed and the process exits with 2, as the
 * command line does, so no fuzzing starts on a broken configuration.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"
#include "play/fuzz_schedule.h"
#include "target.h"

static void fail(const struct hh_fuzz_target *t, const char *fmt, ...) HH_PRINTF(2, 3);

static void fail(const struct hh_fuzz_target *t, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "hotswap-harness fuzz target '%s': error: ", t->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static void fail_diags(const struct hh_fuzz_target *t, const struct hh_diags *d,
                       const char *what)
{
    char line[1600];
    size_t i;
    for (i = 0; i < d->n; i++)
        fprintf(stderr, "%s\n", hh_diag_format(&d->items[i], line, sizeof(line)));
    fail(t, "%s; nothing was fuzzed", what);
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d) {
        fputs("hotswap-harness: out of memory\n", stderr);
        abort();
    }
    memcpy(d, s, n);
    return d;
}

/* --scenario, else the environment, else PROGRAM.json beside the program (OSS-Fuzz runs a
 * target with no arguments from anywhere; only its own folder is shipped). */
static char *scenario_path(const struct hh_fuzz_target *t, int argc, char **argv)
{
    const char *env = hh_plat_getenv("HOTSWAP_FUZZ_SCENARIO");
    char *beside;
    int i;
    for (i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--scenario=", 11) == 0)
            return dup_string(argv[i] + 11);
    }
    if (env && *env)
        return dup_string(env);
    beside = malloc(strlen(argv[0]) + 6);
    if (!beside)
        fail(t, "out of memory");
    sprintf(beside, "%s.json", argv[0]);
    if (hh_plat_path_kind(beside) == HH_PLAT_FILE)
        return beside;
    free(beside);
    fail(t, "no scenario: give the fuzz configuration (a scenario file) as --scenario=PATH "
            "or in HOTSWAP_FUZZ_SCENARIO");
    return NULL;
}

/* The target whose invocations are printed at exit (one target per process). */
static const struct hh_fuzz_target *stats_target;

static void print_invocations(void)
{
    fprintf(stderr, "stat::routine_invocations: %llu\n", stats_target->invocations);
}

void hh_fuzz_target_init(struct hh_fuzz_target *t, const char *name, unsigned accept,
                         unsigned any_accept, int argc, char **argv)
{
    const char *any = hh_plat_getenv("HOTSWAP_FUZZ_ANY_STATUS");
    struct hh_sc_defaults defaults;
    struct hh_diags d;
    char err[512];
    size_t ndirs = 0;
    int i;
    memset(t, 0, sizeof(*t));
    t->name = name;
    t->argc = argc;
    t->argv = argv;
    t->accept = accept;
    defaults.true_means = HH_TRUE_MEANS_UNSET;
    if (any && strcmp(any, "1") == 0)
        t->accept |= any_accept;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-print_final_stats=1") == 0 && !stats_target) {
            stats_target = t;
            atexit(print_invocations);
        }
        if (strncmp(a, "--", 2) != 0)
            continue; /* libFuzzer's own flags and corpus folders */
        if (strncmp(a, "--module-path=", 14) == 0) {
            if (ndirs == HH_FUZZ_MAX_DIRS)
                fail(t, "at most %d --module-path options", HH_FUZZ_MAX_DIRS);
            t->dirs[ndirs++] = a + 14;
        } else if (strncmp(a, "--true-means=", 13) == 0) {
            defaults.true_means = hh_true_means_from_name(a + 13);
            if (defaults.true_means == HH_TRUE_MEANS_UNSET)
                fail(t, "%s: --true-means= takes continue or terminate", a);
        } else if (strncmp(a, "--measure=", 10) == 0) {
            char *end;
            t->measure_rounds = strtoul(a + 10, &end, 10);
            if (*end || t->measure_rounds == 0)
                fail(t, "%s: --measure= takes how many times to replay the inputs (N >= 1)", a);
        } else if (strncmp(a, "--timeline-of=", 14) == 0) {
            t->timeline_of = a + 14;
        } else if (strcmp(a, "--any-status") == 0) {
            if (!any_accept)
                fail(t, "%s applies to the status-sequence target only", a);
            t->accept |= any_accept;
        } else if (strncmp(a, "--scenario=", 11) != 0) {
            fail(t,
                 "unknown option '%s': the target takes --scenario=PATH, --module-path=DIR, "
                 "--true-means=continue|terminate, --any-status and --measure=N; libFuzzer's "
                 "own flags take one dash (-runs=N)",
                 a);
        }
    }
    t->scenario_path = scenario_path(t, argc, argv);
    hh_diags_init(&d);
    if (hh_scenario_load_with(t->scenario_path, &defaults, &t->sc, &d) != 0)
        fail_diags(t, &d, "the fuzz configuration does not validate");
    if (hh_plat_read_file(t->scenario_path, 16u << 20, &t->config_text, &t->config_len, err,
                          sizeof(err)) != 0)
        fail(t, "%s", err);
    t->opt.module_dirs = t->dirs;
    t->opt.nmodule_dirs = ndirs;
    if (accept == HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_SCHEDULE)) {
        /* The scenario's own steps, explored: always on the virtual clock. */
        t->opt.clock = HH_CLOCK_VIRTUAL_ALWAYS;
        if (hh_fuzz_schedule_check(t->sc, err, sizeof(err)) != 0)
            fail(t, "%s", err);
        if (hh_play_explorer_open(t->sc, &t->opt, &t->explorer, &d) != 0)
            fail_diags(t, &d, "the scenario cannot be explored");
    } else {
        if (hh_session_open(t->sc, &t->opt, &t->session, &d) != 0)
            fail_diags(t, &d, "the routine cannot be loaded");
        /* No account, no DbgPrint copy per invocation: a finding's input is played again
         * with them (target_run.c). */
        hh_session_keep_logs(t->session, 0);
        hh_session_keep_account(t->session, 0);
    }
    fprintf(stderr,
            "hotswap-harness fuzz target '%s': %s (%s in %s), %lu object%s, encoding%s",
            name, t->scenario_path, hh_fuzz_code_name(t), t->sc->module,
            (unsigned long)t->sc->nobjects, t->sc->nobjects == 1 ? "" : "s",
            (t->accept & (t->accept - 1)) ? "s" : "");
    for (i = 0; i < 32; i++) {
        if (t->accept & HH_FUZZ_ACCEPT(i))
            fprintf(stderr, " 0x%02x (%s)", (unsigned)i, hh_fuzz_format_name(i));
    }
    fputc('\n', stderr);
}

void hh_fuzz_target_ready(struct hh_fuzz_target *t, int argc, char **argv)
{
    if (t->timeline_of)
        hh_fuzz_timeline_of(t);
    if (t->measure_rounds)
        hh_fuzz_measure(t, argc, argv);
}
