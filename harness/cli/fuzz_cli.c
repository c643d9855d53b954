/* fuzz_cli.c - the options of `fuzz` and `replay`, and their fuzz configuration: the
 * scenario validated and its module loaded once, each failure an input error (exit 2).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_fuzz.h"
#include "msgs.h"

static int takes_value(int argc, char **argv, int *i, const char *shrt, const char *lng,
                       const char **out)
{
    size_t n = strlen(lng);
    const char *a = argv[*i];
    if (strncmp(a, lng, n) == 0 && a[n] == '=') {
        *out = a + n + 1;
        return 1;
    }
    if (strcmp(a, lng) != 0 && !(shrt && strcmp(a, shrt) == 0))
        return 0;
    if (*i + 1 >= argc) {
        hh_msg_usage("option '%s' needs a value", a);
        return -1;
    }
    *out = argv[++*i];
    return 1;
}

static int positional(struct hh_fuzz_cli *c, int replay, const char *a)
{
    if (!c->scenario) {
        c->scenario = a;
        return 0;
    }
    if (replay && !c->input) {
        c->input = a;
        return 0;
    }
    hh_msg_usage("'%s' takes %s, not also '%s'", replay ? "replay" : "fuzz",
                 replay ? "SCENARIO INPUT" : "one SCENARIO (libFuzzer's flags go after --)", a);
    return 2;
}

/* One option of the command; 1 taken, 0 not an option of it, -1 after a usage error. */
static int option(int argc, char **argv, int *i, struct hh_fuzz_cli *c, int replay)
{
    const char *a = argv[*i], *v = NULL;
    int r;
    if ((r = takes_value(argc, argv, i, "-M", "--module-path", &v)) != 0) {
        if (r > 0 && c->ndirs == HH_CLI_MAX_DIRS) {
            hh_msg_usage("at most %d --module-path options", HH_CLI_MAX_DIRS);
            return -1;
        }
        if (r > 0)
            c->dirs[c->ndirs++] = v;
        return r;
    }
    if ((r = takes_value(argc, argv, i, NULL, "--true-means", &v)) != 0)
        return r < 0 || hh_parse_true_means(v, &c->true_means) != 0 ? -1 : 1;
    if (!replay) {
        if ((r = takes_value(argc, argv, i, NULL, "--target", &c->target)) != 0)
            return r;
        if (strcmp(a, "--any-status") == 0)
            return c->any_status = 1;
        return 0;
    }
    if ((r = takes_value(argc, argv, i, NULL, "--emit-scenario", &c->emit)) != 0)
        return r;
    if ((r = takes_value(argc, argv, i, NULL, "--timeline", &c->timeline)) != 0) {
        if (r > 0 && !c->timeline[0]) {
            hh_msg_usage("--timeline needs a file name: the page the replay is drawn on");
            return -1;
        }
        c->opt.timeline = r > 0;
        return r;
    }
    if (strcmp(a, "--no-minimize") == 0)
        return c->no_minimize = 1;
    if (strcmp(a, "--no-isolate") == 0)
        return c->no_isolate = 1;
    if (strcmp(a, "--child") == 0)
        return c->child = 1;
    return 0;
}

int hh_fuzz_cli_parse(int argc, char **argv, struct hh_fuzz_cli *c)
{
    static const char *const targets[] = {"status-sequence", "model", "scenario-parser",
                                          "schedule", NULL};
    int replay = strcmp(argv[1], "replay") == 0, i;
    memset(c, 0, sizeof(*c));
    c->true_means = HH_TRUE_MEANS_UNSET;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (!replay && strcmp(a, "--") == 0) {
            c->flags = argv + i + 1;
            c->nflags = argc - i - 1;
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (positional(c, replay, a) != 0)
                return 2;
            continue;
        }
        r = option(argc, argv, &i, c, replay);
        if (r < 0)
            return 2;
        if (r == 0) {
            hh_msg_usage("unknown option '%s' for '%s'%s", a, argv[1],
                         !replay && a[1] != '-' ? "; libFuzzer's flags go after --" : "");
            return 2;
        }
    }
    if (!c->scenario || (replay && !c->input)) {
        hh_msg_usage(replay ? "'replay' needs SCENARIO and INPUT (a fuzz input or artifact)"
                            : "'fuzz' needs a SCENARIO: the fuzz configuration");
        return 2;
    }
    if (!c->child)
        hh_warn_missing_dirs(c->dirs, c->ndirs);
    if (!c->target)
        c->target = "status-sequence";
    for (i = 0; targets[i] && strcmp(targets[i], c->target) != 0; i++)
        ;
    if (!targets[i]) {
        hh_msg_usage("--target is status-sequence, model, schedule or scenario-parser, not "
                     "'%s'",
                     c->target);
        return 2;
    }
    if (c->any_status && strcmp(c->target, "status-sequence") != 0) {
        hh_msg_usage("--any-status applies to the status-sequence target only");
        return 2;
    }
    return 0;
}

int hh_fuzz_cli_load(struct hh_fuzz_cli *c, int no_module)
{
    struct hh_sc_defaults defaults;
    struct hh_diags d;
    hh_diags_init(&d);
    defaults.true_means = c->true_means;
    if (hh_scenario_load_with(c->scenario, &defaults, &c->sc, &d) != 0) {
        hh_msg_diags(&d);
        hh_msg_error("the fuzz configuration %s does not validate; nothing was run",
                     c->scenario);
        return 2;
    }
    if (no_module)
        return 0;
    c->opt.module_dirs = c->dirs;
    c->opt.nmodule_dirs = c->ndirs;
    if (c->target && strcmp(c->target, "schedule") == 0) {
        /* Explored, not played by a session: a driver-mode scenario is fuzzed too. */
        struct hh_play_explorer *x = NULL;
        struct hh_play_options opt = c->opt;
        opt.clock = HH_CLOCK_VIRTUAL_ALWAYS;
        if (hh_play_explorer_open(c->sc, &opt, &x, &d) != 0) {
            hh_msg_diags(&d);
            hh_msg_error("%s cannot be explored; nothing was run", c->scenario);
            return 2;
        }
        hh_play_explorer_close(x);
        return 0;
    }
    if (hh_session_open(c->sc, &c->opt, &c->session, &d) != 0) {
        hh_msg_diags(&d);
        hh_msg_error("the routine of %s cannot be loaded; nothing was run", c->scenario);
        return 2;
    }
    return 0;
}

void hh_fuzz_cli_free(struct hh_fuzz_cli *c)
{
    hh_session_close(c->session);
    hh_scenario_free(c->sc);
    c->session = NULL;
    c->sc = NULL;
}
