/* cmd_replay.c - `hotswap-harness replay SCENARIO INPUT [--emit-scenario FILE]`: a fuzz input
 * or artifact played once, in a child process of this program (a hidden `replay --child`) so
 * a crash or a hang still gets a verdict, printed as its decoded timeline as it happens, then
 * the verdict; optionally written back, reduced, as a scenario that `run` fails until fixed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fuzz.h"
#include "common/relpath.h"
#include "msgs.h"
#include "play/fuzz_input.h"
#include "play/fuzz_text.h"
#include "platform/plat.h"
#include "runner_wire.h"

#define REPLAY_TIMEOUT_MS 120000ul
#define ALL_FORMATS                                                                          \
    (HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_STATUS) | HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_STATUS_ANY) |     \
     HH_FUZZ_ACCEPT_MODELS)

static void put_line(void *user, const char *line)
{
    (void)user;
    hh_msg_write(line, strlen(line));
    hh_msg_write("\n", 1);
}

/* ---- The timeline as it happens; runs of identical invocations on one line -------------- */

struct printer {
    struct hh_session *s;
    int have;                        /* prev holds the last invocation printed */
    struct hh_play_invocation prev;
    unsigned long last;              /* the last of its identical successors so far */
    size_t sent;                     /* --timeline in a child: timeline events sent */
    int wire;                        /* --timeline in a child: send invocations too */
};

/* --timeline in an isolated replay's child: each event goes to the parent at once. */
static void on_timeline(void *user)
{
    struct printer *pr = user;
    pr->sent = hh_replay_timeline_send(pr->s, pr->sent);
}

static void add_line(void *user, const char *line)
{
    hh_buf_puts(user, line);
    hh_buf_puts(user, "\n");
}

static void flush_run(struct printer *pr)
{
    char buf[400];
    if (pr->have && pr->last > pr->prev.index) {
        struct hh_play_invocation next = pr->prev;
        next.index++;
        hh_fuzz_invocation_line(&next, pr->last, buf, sizeof(buf));
        put_line(NULL, buf);
    }
    pr->have = 0;
}

static void on_progress(void *user, enum hh_play_phase phase, size_t step,
                        const struct hh_play_invocation *inv)
{
    struct printer *pr = user;
    char buf[400];
    if (phase == HH_PLAY_AT_STEP) {
        flush_run(pr);
        hh_fuzz_step_line(pr->s, step, buf, sizeof(buf));
        put_line(NULL, buf);
    } else if (phase == HH_PLAY_AT_INVOCATION) {
        if (pr->wire)
            hh_replay_invocation_send(inv);
        if (pr->have && hh_fuzz_same_invocation(&pr->prev, inv)) {
            pr->last = inv->index;
            return;
        }
        flush_run(pr);
        hh_fuzz_invocation_line(inv, inv->index, buf, sizeof(buf));
        put_line(NULL, buf);
        pr->prev = *inv;
        pr->last = inv->index;
        pr->have = 1;
    } else if (phase == HH_PLAY_AT_END) {
        flush_run(pr);
    }
}

static void header(const uint8_t *data, size_t len)
{
    hh_msg_out("decoded timeline (%s, %lu bytes):\n", hh_fuzz_format_name(data[0]),
               (unsigned long)len);
}

/* Plays the input here, printing as it goes; 0 pass, 1 a finding (2 when its timeline could
 * not be written). */
static int play_here(struct hh_fuzz_cli *c, struct printer *pr, const uint8_t *data,
                     size_t len)
{
    struct hh_fuzz_decoder *d = hh_fuzz_decoder_new();
    int outcome, rc;
    hh_fuzz_decoder_init(d, c->sc, data, len, ALL_FORMATS);
    pr->s = c->session;
    header(data, len);
    hh_session_begin(c->session);
    hh_fuzz_play(c->session, d, 0);
    free(d);
    outcome = hh_session_end(c->session);
    hh_fuzz_verdict(c->session, put_line, NULL);
    rc = outcome == HH_PLAY_FAIL ? 1 : 0;
    if (c->timeline && c->child) {
        hh_replay_timeline_send(c->session, pr->sent);
        hh_replay_result_send(c->session);
    } else if (c->timeline) {
        struct hh_buf account;
        hh_buf_init(&account);
        hh_fuzz_verdict(c->session, add_line, &account);
        if (hh_replay_timeline_write(c, hh_session_scenario(c->session),
                                     hh_session_result(c->session), account.data, 0) != 0)
            rc = 2;
        hh_buf_free(&account);
    }
    return rc;
}

/* ---- The isolated replay ---------------------------------------------------------------- */

/* The last step the child's timeline began ("  step N"); 0 when it ended in the start. */
static long last_step(const char *out, size_t len)
{
    long step = 0;
    size_t i = 0;
    while (i < len) {
        const char *line = out + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i;
        if (n > 7 && strncmp(line, "  step ", 7) == 0)
            step = atol(line + 7);
        i += n + 1;
    }
    return step;
}

static int has_verdict(const char *out, size_t len)
{
    static const char mark[] = "\nverdict: ";
    size_t n = sizeof(mark) - 1, i;
    for (i = 0; i + n <= len; i++) {
        if (memcmp(out + i, mark, n) == 0)
            return 1;
    }
    return 0;
}

/* What came back of a replay its child could not finish: the invocation it was in (the last
 * called that did not return), as the failure, for the page. */
static void died_result(struct hh_play_result *res, enum hh_rule rule, long died,
                        const char *why)
{
    const struct hh_timeline *tl = &res->timeline;
    size_t i;
    res->outcome = HH_PLAY_FAIL;
    res->rule = rule;
    res->step = died > 0 ? (size_t)died - 1 : HH_STEP_START;
    res->invocation = 0;
    for (i = 0; i < tl->n; i++) {
        if (tl->events[i].kind == HH_TL_CALL)
            res->invocation = (unsigned long)tl->events[i].value;
        else if (tl->events[i].kind == HH_TL_RETURN)
            res->invocation = 0;
        res->time = tl->events[i].time;
    }
    free(res->headline);
    res->headline = malloc(strlen(why) + 1);
    if (res->headline)
        memcpy(res->headline, why, strlen(why) + 1);
}

/* Runs `replay --child` on the same files; prints what it printed. Returns its verdict;
 * *died is the step a crash or a hang ended it in, or -1. With --timeline, draws the page
 * from what the child sent. */
static int play_isolated(const struct hh_fuzz_cli *c, long *died)
{
    char self[4096], err[600], why[400];
    const char *args[HH_CLI_MAX_DIRS * 2 + 10];
    struct hh_plat_proc *p;
    struct hh_plat_proc_result r;
    struct hh_wire_read w;
    const char *out;
    size_t n = 0, i, out_len;
    int rc;
    *died = -1;
    if (hh_plat_self_path(self, sizeof(self)) != 0) {
        hh_msg_error("cannot find this program's own path to replay in a child process; "
                     "try --no-isolate");
        return 2;
    }
    args[n++] = self;
    args[n++] = "replay";
    args[n++] = "--child";
    for (i = 0; i < c->ndirs; i++) {
        args[n++] = "--module-path";
        args[n++] = c->dirs[i];
    }
    if (c->true_means != HH_TRUE_MEANS_UNSET) {
        args[n++] = "--true-means";
        args[n++] = hh_true_means_name(c->true_means);
    }
    if (c->timeline) {
        args[n++] = "--timeline";
        args[n++] = c->timeline;
    }
    args[n++] = c->scenario;
    args[n++] = c->input;
    args[n] = NULL;
    if (hh_plat_proc_spawn(args, &p, err, sizeof(err)) != 0 ||
        hh_plat_proc_wait(p, REPLAY_TIMEOUT_MS, &r, err, sizeof(err)) != 0) {
        hh_msg_error("cannot replay in a child process: %s; try --no-isolate", err);
        return 2;
    }
    /* The timeline's records, when asked for, are kept apart from what is printed. */
    if (hh_wire_read(r.output ? r.output : "", r.output_len, &w) != 0) {
        hh_msg_error("out of memory reading the replay's output");
        free(r.output);
        return 2;
    }
    out = c->timeline ? (w.other.data ? w.other.data : "") : r.output;
    out_len = c->timeline ? w.other.len : r.output_len;
    hh_msg_write(out, out_len);
    if (r.exited && (r.code == 2 || has_verdict(out, out_len))) {
        rc = r.code;
        why[0] = '\0';
    } else {
        /* Killed, or ended by a sanitizer's report before it could give its verdict. */
        char where[48];
        enum hh_rule rule = r.timed_out ? HH_RULE_WATCHDOG : HH_RULE_CRASH;
        *died = last_step(out, out_len);
        if (*died)
            snprintf(where, sizeof(where), "step %ld", *died);
        else
            snprintf(where, sizeof(where), "the start");
        if (r.timed_out)
            snprintf(why, sizeof(why), "the replay ran past %lu s and was killed, in %s",
                     REPLAY_TIMEOUT_MS / 1000, where);
        else if (r.exited)
            snprintf(why, sizeof(why),
                     "the process ended with exit status %d after the report above, in %s",
                     r.code, where);
        else
            snprintf(why, sizeof(why), "the process ended: %s, in %s", r.what, where);
        hh_msg_out("verdict: FAIL: rule %s (%s)\n  %s\n", hh_rule_name(rule),
                   hh_rule_description(rule), why);
        if (c->timeline)
            died_result(&w.res, rule, *died, why);
        rc = 1;
    }
    if (c->timeline && rc != 2) {
        if (why[0])
            hh_buf_printf(&w.other, "verdict: FAIL\n  %s\n", why);
        if (hh_replay_timeline_write(c, c->sc, &w.res, w.other.data ? w.other.data : "",
                                     why[0] != '\0') != 0)
            rc = 2;
    }
    hh_play_result_free(&w.res);
    hh_buf_free(&w.other);
    free(r.output);
    return rc;
}

/* ---- --emit-scenario ---------------------------------------------------------------------- */

/* The same run again here (up to the step a crash ended it in), reduced, as a scenario. */
static int emit(struct hh_fuzz_cli *c, const uint8_t *data, size_t len, long died)
{
    struct hh_fuzz_decoder *d;
    struct hh_fuzz_action next;
    const struct hh_play_result *res;
    struct hh_scenario *check;
    struct hh_diags diags;
    char *config, *text, err[600], name[300], desc[900];
    size_t config_len, played = 0, kept;
    int has_next = 0, rc = 0;
    if (died == 0) {
        hh_msg_error("the routine crashed as the worker started, before any step: the "
                     "configuration %s reproduces it under run as it is",
                     c->scenario);
        return 2;
    }
    if (hh_plat_read_file(c->scenario, HH_CLI_MAX_FILE_BYTES, &config, &config_len, err,
                          sizeof(err)) != 0) {
        hh_msg_error("%s: %s", c->scenario, err);
        return 2;
    }
    d = hh_fuzz_decoder_new();
    hh_fuzz_decoder_init(d, c->sc, data, len, ALL_FORMATS);
    hh_session_begin(c->session);
    if (died < 0) {
        played = hh_fuzz_play(c->session, d, 0);
    } else {
        if (died > 1)
            played = hh_fuzz_play(c->session, d, (size_t)died - 1);
        has_next = hh_fuzz_next(d, c->session, &next);
    }
    free(d);
    hh_session_end(c->session);
    res = hh_session_result(c->session);
    kept = played;
    if (died < 0 && res->outcome == HH_PLAY_FAIL && !c->no_minimize) {
        size_t n;
        struct hh_fuzz_action *a = hh_fuzz_run_actions(c->session, &n);
        kept = hh_fuzz_reduce(c->session, a, n, res->rule);
        free(a);
    }
    res = hh_session_result(c->session);
    snprintf(name, sizeof(name), "fuzz %s: %s in %s (%s)",
             died >= 0 || res->outcome == HH_PLAY_FAIL ? "finding" : "input",
             died >= 0 ? hh_rule_name(HH_RULE_CRASH)
                       : res->outcome == HH_PLAY_FAIL ? hh_rule_name(res->rule) : "pass",
             c->sc->routine, hh_path_base(c->input));
    snprintf(desc, sizeof(desc),
             "Regression scenario from the fuzz input %s (%s), %lu of its %lu steps. Each "
             "step expects the invocations the input caused, with the decision the "
             "invariants require; the step of the finding expects what a fixed routine does "
             "there (docs/fuzzing.md).%s",
             hh_path_base(c->input), hh_fuzz_format_name(data[0]), (unsigned long)kept + has_next,
             (unsigned long)played + has_next,
             died >= 0 ? " The last step crashed the routine; it checks nothing but that "
                         "the routine survives it: once fixed, write what it should cause."
                       : "");
    text = hh_fuzz_emit(c->session, config, config_len, c->scenario, c->emit, name, desc,
                        has_next ? &next.step : NULL, err, sizeof(err));
    free(config);
    if (!text) {
        hh_msg_error("cannot write %s as a scenario: %s", c->input, err);
        return 2;
    }
    hh_diags_init(&diags);
    if (hh_scenario_parse(c->emit, text, strlen(text), &check, &diags) != 0) {
        hh_msg_diags(&diags);
        hh_msg_error("the scenario made from %s does not validate; nothing was written",
                     c->input);
        free(text);
        return 2;
    }
    hh_scenario_free(check);
    if (hh_msg_write_file(c->emit, text, strlen(text), err, sizeof(err)) != 0) {
        hh_msg_error("%s: %s", c->emit, err);
        rc = 2;
    } else {
        hh_msg_out("wrote %s: %lu step%s (the input played %lu)%s\n", c->emit,
                   (unsigned long)kept + has_next, kept + has_next == 1 ? "" : "s",
                   (unsigned long)played + has_next,
                   res->outcome == HH_PLAY_FAIL || died >= 0
                       ? "; `hotswap-harness run` fails on it until the routine is fixed"
                       : "");
    }
    free(text);
    return rc;
}

/* Whether the input is a libFuzzer finding by its name: crash-, leak-, timeout-, oom- or
 * slow-unit- and the input's hash. */
static int is_finding(const char *path)
{
    static const char *const kinds[] = {"crash-", "leak-", "timeout-", "oom-", "slow-unit-"};
    const char *name = hh_path_base(path);
    size_t i;
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strncmp(name, kinds[i], strlen(kinds[i])) == 0)
            return 1;
    }
    return 0;
}

int hh_cmd_replay(int argc, char **argv)
{
    struct hh_fuzz_cli c;
    struct printer pr;
    char *data = NULL, err[600];
    size_t len = 0;
    long died = -1;
    int rc = hh_fuzz_cli_parse(argc, argv, &c), here;
    if (rc != 0)
        return rc;
    if (hh_plat_read_file(c.input, 64u << 20, &data, &len, err, sizeof(err)) != 0) {
        hh_msg_error("%s: %s", c.input, err);
        return 2;
    }
    if (len == 0 || !hh_fuzz_format_name((unsigned char)data[0])) {
        char first[24] = "";
        unsigned char b = len ? (unsigned char)data[0] : 0;
        if (len)
            snprintf(first, sizeof(first), b >= 0x20 && b < 0x7F ? "0x%02X '%c'" : "0x%02X",
                     (unsigned)b, b);
        hh_msg_error("%s is not a fuzz input: %s%s%s; the encodings are 0x01 and 0x02 "
                     "(status-sequence), 0x03 to 0x05 (model), 0x06 (schedule), see "
                     "fuzz/README.md",
                     c.input, len ? "its first byte, " : "the file is empty", first,
                     len ? ", names no encoding" : "");
        free(data);
        return 2;
    }
    if ((unsigned char)data[0] == HH_FUZZ_FORMAT_SCHEDULE) {
        rc = hh_replay_schedule(&c, (const uint8_t *)data, len, is_finding(c.input));
        free(data);
        hh_fuzz_cli_free(&c);
        return rc;
    }
    here = c.child || c.no_isolate;
    memset(&pr, 0, sizeof(pr));
    if (here) {
        c.opt.progress = on_progress;
        c.opt.progress_user = &pr;
        if (c.child && c.timeline) {
            c.opt.timeline_added = on_timeline;
            pr.wire = 1;
        }
    }
    if ((rc = hh_fuzz_cli_load(&c, 0)) != 0) {
        free(data);
        hh_fuzz_cli_free(&c);
        return rc;
    }
    rc = here ? play_here(&c, &pr, (const uint8_t *)data, len) : play_isolated(&c, &died);
    if (rc == 0 && !c.child && is_finding(c.input)) {
        /* A passing "regression" of a finding would guard nothing. */
        hh_msg_error("the finding %s did not reproduce: this replay passed%s. A finding can "
                     "depend on what earlier inputs of the fuzzing process left in the "
                     "module (globals, statics), on a module or configuration changed "
                     "since, or on another --module-path; see docs/fuzzing.md",
                     c.input, c.emit ? ", so nothing was written" : "");
        rc = 1;
    } else if (c.emit && !c.child && rc != 2) {
        /* A session of its own, without the printer: reducing replays the input many times. */
        struct hh_diags d;
        int erc = 2;
        hh_session_close(c.session);
        c.opt.progress = NULL;
        c.opt.timeline = 0;
        c.opt.timeline_added = NULL;
        hh_diags_init(&d);
        if (hh_session_open(c.sc, &c.opt, &c.session, &d) == 0)
            erc = emit(&c, (const uint8_t *)data, len, died);
        else
            c.session = NULL;
        if (erc != 0)
            rc = erc;
    }
    free(data);
    hh_fuzz_cli_free(&c);
    return rc;
}
