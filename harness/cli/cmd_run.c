/* cmd_run.c - `hotswap-harness run` and `validate`: validate every file, then play each
 * scenario and report it.
 *
 * Every file is validated before anything runs; one invalid file means nothing runs (exit 2),
 * so a typo never turns into a silently shorter suite. A failure report is a full account:
 * the headline, the rule, every invocation so far, and the command that reproduces it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msgs.h"
#include "play/play.h"
#include "platform/plat.h"

static const char *decision_word(int d)
{
    return d == HH_DECISION_TERMINATE ? "terminate" : "continue";
}

/* The first line of a log, quoted and cut, for the invocation list. */
static void log_excerpt(const char *log, char *buf, size_t len)
{
    size_t n = strcspn(log, "\r\n");
    if (n == 0) {
        buf[0] = '\0';
        return;
    }
    if (n > 60)
        snprintf(buf, len, "  log: \"%.57s...\"", log);
    else
        snprintf(buf, len, "  log: \"%.*s\"", (int)n, log);
}

static int same_invocation(const struct hh_play_invocation *a,
                           const struct hh_play_invocation *b)
{
    return a->step == b->step && a->time == b->time && a->status == b->status &&
           a->raw == b->raw && a->decision == b->decision && strcmp(a->log, b->log) == 0;
}

static void print_invocation(const struct hh_play_invocation *v, unsigned long last)
{
    char at[32], status[64], where[48], log[96], index[48], result[48];
    if (v->step == HH_STEP_START)
        snprintf(where, sizeof(where), "start");
    else
        snprintf(where, sizeof(where), "step %lu", (unsigned long)v->step + 1);
    if (last > v->index)
        snprintf(index, sizeof(index), "#%lu-%lu", v->index, last);
    else
        snprintf(index, sizeof(index), "#%lu", v->index);
    if (v->decision == 0)
        snprintf(result, sizeof(result), "did not return");
    else
        snprintf(result, sizeof(result), "-> %s (%s)", decision_word(v->decision),
                 v->raw == 1 ? "TRUE" : v->raw ? "not a BOOLEAN" : "FALSE");
    log_excerpt(v->log, log, sizeof(log));
    hh_msg_out("    %-11s %-8s at %-10s %-36s %s%s\n", index, where,
               hh_duration_format(v->time, at, sizeof(at)),
               hh_play_status_text(v->status, status, sizeof(status)), result, log);
}

/* Every invocation; a run of identical ones (a livelock, a repeat) on one line. */
static void print_invocations(const struct hh_play_result *res)
{
    size_t i = 0;
    hh_msg_out("  invocations (%lu):\n", (unsigned long)res->ninvocations);
    while (i < res->ninvocations) {
        size_t j = i + 1;
        while (j < res->ninvocations && same_invocation(&res->invocations[i], &res->invocations[j]))
            j++;
        print_invocation(&res->invocations[i], res->invocations[j - 1].index);
        i = j;
    }
}

static void print_reproduce(const struct hh_cli *cli, const char *file)
{
    size_t i;
    hh_msg_out("  reproduce: hotswap-harness run");
    for (i = 0; i < cli->ndirs; i++)
        hh_msg_out(" --module-path %s", cli->dirs[i]);
    hh_msg_out(" %s\n", file);
}

static void report(const struct hh_cli *cli, const char *file, const struct hh_scenario *sc,
                   const struct hh_play_result *res)
{
    char t[32];
    if (res->outcome == HH_PLAY_PASS) {
        if (!cli->quiet)
            hh_msg_out("PASS  %s  (%s; %lu invocation%s, virtual time %s)\n", sc->name, file,
                       (unsigned long)res->ninvocations, res->ninvocations == 1 ? "" : "s",
                       hh_duration_format(res->end_time, t, sizeof(t)));
        if (cli->verbose)
            print_invocations(res);
        return;
    }
    if (res->outcome == HH_PLAY_ERROR) {
        hh_msg_out("ERROR %s  (%s): the scenario could not be run\n", sc->name, file);
        hh_msg_diags(&res->diags);
        return;
    }
    hh_msg_out("FAIL  %s  (%s)\n", sc->name, file);
    hh_msg_out("  %s\n", res->headline ? res->headline : "(no detail)");
    hh_msg_out("  rule: %s: %s; at %s", hh_rule_name(res->rule), hh_rule_description(res->rule),
               hh_duration_format(res->time, t, sizeof(t)));
    if (res->invocation)
        hh_msg_out(", invocation %lu", res->invocation);
    hh_msg_out("\n");
    print_invocations(res);
    print_reproduce(cli, file);
}

/* Loads and validates every file; returns how many do not validate. */
static size_t load_all(char **files, size_t n, struct hh_scenario **out)
{
    size_t i, bad = 0;
    for (i = 0; i < n; i++) {
        struct hh_diags d;
        hh_diags_init(&d);
        out[i] = NULL;
        if (hh_scenario_load(files[i], &out[i], &d) != 0) {
            hh_msg_diags(&d);
            bad++;
        }
    }
    return bad;
}

static void free_all(struct hh_scenario **scs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        hh_scenario_free(scs[i]);
    free(scs);
}

static int prepare(const struct hh_cli *cli, char ***files, size_t *n,
                   struct hh_scenario ***scs)
{
    size_t bad;
    int rc = hh_collect_files(cli, files, n);
    if (rc != 0)
        return rc;
    *scs = calloc(*n, sizeof(**scs));
    if (!*scs) {
        hh_msg_error("out of memory");
        hh_free_files(*files, *n);
        return 2;
    }
    bad = load_all(*files, *n, *scs);
    if (bad) {
        hh_msg_error("%lu of %lu scenario file%s do not validate; nothing was run",
                     (unsigned long)bad, (unsigned long)*n, *n == 1 ? "" : "s");
        free_all(*scs, *n);
        hh_free_files(*files, *n);
        return 2;
    }
    return 0;
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

int hh_cmd_run(const struct hh_cli *cli)
{
    char **files;
    struct hh_scenario **scs;
    struct hh_play_options opt;
    size_t n, i, passed = 0, failed = 0, errors = 0;
    int rc = prepare(cli, &files, &n, &scs);
    if (rc != 0)
        return rc;
    memset(&opt, 0, sizeof(opt));
    opt.module_dirs = cli->dirs;
    opt.nmodule_dirs = cli->ndirs;
    opt.livelock_limit = cli->livelock_limit;
    for (i = 0; i < n; i++) {
        struct hh_play_result res;
        int outcome = hh_play(scs[i], &opt, &res);
        report(cli, files[i], scs[i], &res);
        fflush(stdout);
        passed += outcome == HH_PLAY_PASS;
        failed += outcome == HH_PLAY_FAIL;
        errors += outcome == HH_PLAY_ERROR;
        hh_play_result_free(&res);
    }
    if (errors)
        hh_msg_out("%lu passed, %lu failed, %lu could not run\n", (unsigned long)passed,
                   (unsigned long)failed, (unsigned long)errors);
    else
        hh_msg_out("%lu passed, %lu failed\n", (unsigned long)passed, (unsigned long)failed);
    free_all(scs, n);
    hh_free_files(files, n);
    return errors ? 2 : failed ? 1 : 0;
}
