/* main.c - hotswap-harness: the subcommands, their options, and exit codes.
 *
 * Exit codes are the contract of SPEC §7: 0 everything passed, 1 a scenario failed, 2 bad
 * usage or input (a file that does not validate, a module or symbol that cannot be loaded).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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
    "\n"
    "Options of run:\n"
    "  -M, --module-path DIR   also look for modules in DIR (repeatable); then the folders\n"
    "                          in HOTSWAP_MODULE_PATH; the scenario's own folder first\n"
    "  --livelock-limit N      invocations without the clock moving before a livelock\n"
    "                          is reported (default: the scenario's, else 10000)\n"
    "  -v, --verbose           list every invocation of passing scenarios too\n"
    "  -q, --quiet             print only failures and the summary\n"
    "\n"
    "  -h, --help              this text\n"
    "  -V, --version           the version\n"
    "\n"
    "Exit status: 0 all passed, 1 a scenario failed, 2 bad usage or input.\n"
    "Scenario format: docs/scenario-format.md\n";

static const char *const commands[] = {"run", "validate", "status", "rules", "help", NULL};

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

static int parse_run_options(int argc, char **argv, struct hh_cli *cli)
{
    int i;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
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
        } else if (is_option(a, "-v", "--verbose")) {
            cli->verbose = 1;
        } else if (is_option(a, "-q", "--quiet")) {
            cli->quiet = 1;
        } else {
            if (strchr(a, '=') == NULL && (is_option(a, "-M", "--module-path") ||
                                           is_option(a, NULL, "--livelock-limit")))
                return 2; /* option_value already said what is missing */
            hh_msg_usage("unknown option '%s' for '%s'", a, argv[1]);
            return 2;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct hh_cli cli;
    const char *cmd;
    int rc;
    hh_plat_init();
    if (argc < 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    cmd = argv[1];
    if (is_option(cmd, "-h", "--help") || strcmp(cmd, "help") == 0) {
        hh_msg_out("%s", usage_text);
        return 0;
    }
    if (is_option(cmd, "-V", "--version")) {
        hh_msg_out("hotswap-harness %s\n", HH_VERSION_STRING);
        return 0;
    }
    if (strcmp(cmd, "status") == 0) {
        if (argc != 3) {
            hh_msg_usage("'status' takes one NAME-OR-VALUE, such as STATUS_WAIT_1 or 0x102");
            return 2;
        }
        return hh_cmd_status(argv[2]);
    }
    if (strcmp(cmd, "rules") == 0)
        return hh_cmd_rules();
    if (strcmp(cmd, "run") != 0 && strcmp(cmd, "validate") != 0) {
        const char *near = hh_suggest_from(cmd, commands);
        if (near)
            hh_msg_usage("unknown command '%s'; did you mean '%s'?", cmd, near);
        else
            hh_msg_usage("unknown command '%s'", cmd);
        return 2;
    }
    memset(&cli, 0, sizeof(cli));
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
