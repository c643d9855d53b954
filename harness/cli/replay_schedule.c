/* replay_schedule.c - `replay` of a schedule-target input (encoding 0x06): the scenario's
 * steps played once under the controlled scheduler with the input's choices, its verdict,
 * schedule and interleaving printed; with --emit-scenario, the scenario with that "schedule",
 * checked by playing it as `run` does (it must fail the same way).
 *
 * It plays in this process: the explored threads are the run's own, and the input is only a
 * schedule (nothing to reduce).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_fuzz.h"
#include "msgs.h"
#include "platform/plat.h"
#include "play/fuzz_input.h"
#include "play/fuzz_schedule.h"

static void out_line(void *user, const char *line)
{
    (void)user;
    hh_msg_out("%s\n", line);
}

/* The emitted scenario played as `run` plays it: 1 when it fails by the same rule. */
static int fails_the_same(const struct hh_fuzz_cli *c, const char *path, const char *text,
                          enum hh_rule rule)
{
    struct hh_scenario *sc;
    struct hh_play_options opt;
    struct hh_play_result res;
    struct hh_diags d;
    int same;
    hh_diags_init(&d);
    if (hh_scenario_parse(path, text, strlen(text), &sc, &d) != 0) {
        hh_msg_diags(&d);
        return -1;
    }
    memset(&opt, 0, sizeof(opt));
    opt.module_dirs = c->opt.module_dirs;
    opt.nmodule_dirs = c->opt.nmodule_dirs;
    hh_play(sc, &opt, &res);
    same = res.outcome == HH_PLAY_FAIL && res.rule == rule;
    hh_play_result_free(&res);
    hh_scenario_free(sc);
    return same;
}

static int emit(const struct hh_fuzz_cli *c, const struct hh_fuzz_sched_run *r)
{
    char *config, *text, err[600];
    size_t len;
    int same;
    if (hh_plat_read_file(c->scenario, HH_CLI_MAX_FILE_BYTES, &config, &len, err,
                          sizeof(err)) != 0) {
        hh_msg_error("%s: %s", c->scenario, err);
        return 2;
    }
    text = hh_fuzz_schedule_emit(c->sc, r, config, len, c->scenario, c->emit, c->input, err,
                                 sizeof(err));
    free(config);
    if (!text) {
        hh_msg_error("cannot write %s as a scenario: %s", c->input, err);
        return 2;
    }
    same = fails_the_same(c, c->emit, text, r->res.rule);
    if (same < 0) {
        hh_msg_error("the scenario made from %s does not validate; nothing was written",
                     c->input);
        free(text);
        return 2;
    }
    if (hh_msg_write_file(c->emit, text, strlen(text), err, sizeof(err)) != 0) {
        hh_msg_error("%s: %s", c->emit, err);
        free(text);
        return 2;
    }
    free(text);
    if (r->res.outcome != HH_PLAY_FAIL)
        hh_msg_out("wrote %s: the input's schedule; `hotswap-harness run` follows it\n",
                   c->emit);
    else if (same)
        hh_msg_out("wrote %s; `hotswap-harness run` follows its schedule and fails the same "
                   "way until the race is fixed\n", c->emit);
    else
        hh_msg_warning("wrote %s, but run on it does not fail the same way (a race on memory "
                       "no DDI touches? docs/explore.md, the model)", c->emit);
    return 0;
}

int hh_replay_schedule(struct hh_fuzz_cli *c, const uint8_t *data, size_t len, int finding)
{
    struct hh_play_explorer *x = NULL;
    struct hh_fuzz_sched_run r;
    struct hh_diags d;
    char why[600];
    int rc;
    if (c->timeline || c->child) {
        hh_msg_usage("--timeline is not drawn for a schedule input: replay it without, or run "
                     "the scenario --emit-scenario writes");
        return 2;
    }
    if ((rc = hh_fuzz_cli_load(c, 1)) != 0)
        return rc;
    if (hh_fuzz_schedule_check(c->sc, why, sizeof(why)) != 0) {
        hh_msg_error("%s", why);
        return 2;
    }
    c->opt.module_dirs = c->dirs;
    c->opt.nmodule_dirs = c->ndirs;
    c->opt.clock = HH_CLOCK_VIRTUAL_ALWAYS;
    hh_diags_init(&d);
    if (hh_play_explorer_open(c->sc, &c->opt, &x, &d) != 0) {
        hh_msg_diags(&d);
        hh_msg_error("the scenario %s cannot be explored; nothing was run", c->scenario);
        return 2;
    }
    hh_msg_out("schedule input (%s, %lu bytes): the steps of %s, the input choosing the "
               "interleaving\n", hh_fuzz_format_name(data[0]), (unsigned long)len, c->scenario);
    hh_fuzz_schedule_play(x, &c->opt, data, len, &r);
    hh_fuzz_schedule_lines(c->sc, &r, out_line, NULL);
    hh_play_explorer_close(x); /* the check of an emitted scenario loads the module again */
    rc = r.res.outcome == HH_PLAY_FAIL ? 1 : r.res.outcome == HH_PLAY_ERROR ? 2 : 0;
    if (rc == 0 && finding) {
        hh_msg_error("the finding %s did not reproduce: this replay passed%s; a module or "
                     "configuration changed since, or another --module-path",
                     c->input, c->emit ? ", so nothing was written" : "");
        rc = 1;
    } else if (c->emit && rc != 2) {
        int erc = emit(c, &r);
        if (erc != 0)
            rc = erc;
    }
    hh_fuzz_schedule_free(&r);
    return rc;
}
