/* runner_child.c - the child's side of isolation, `run --child FILE...`: plays each file and
 * writes records for the parent on stdout (runner_wire.h): how far it got, each invocation,
 * the verdict, each flushed at once, so that whatever kills the process the parent can name
 * the step and the invocation. Given several files (only where the system can fork), it
 * plays each in a forked copy of itself between a begin and an end record: one start-up for
 * many scenarios, and each still in a process of its own. */
#include <string.h>

#include "msgs.h"
#include "platform/plat.h"
#include "runner.h"
#include "runner_wire.h"

static void send(struct hh_buf *b)
{
    hh_msg_write(b->data, b->len);
    b->len = 0;
}

/* What the child sends as the run goes: the timeline so far goes ahead of each record, so a
 * crash loses none of what led to it. */
struct sender {
    struct hh_buf b;
    const struct hh_play_result *res;
    size_t sent; /* timeline events sent */
};

static void on_progress(void *user, enum hh_play_phase phase, size_t step,
                        const struct hh_play_invocation *inv)
{
    struct sender *sd = user;
    struct hh_buf *b = &sd->b;
    sd->sent = hh_wire_timeline(b, &sd->res->timeline, sd->sent);
    if (inv)
        hh_wire_invocation(b, inv);
    else
        hh_wire_at(b, phase, step);
    send(b);
}

/* Each timeline event goes out at once: the routine may crash on the next instruction. */
static void on_timeline(void *user)
{
    struct sender *sd = user;
    sd->sent = hh_wire_timeline(&sd->b, &sd->res->timeline, sd->sent);
    send(&sd->b);
}

struct task {
    const struct hh_cli *cli;
    const char *file;
};

/* Plays one file in this process; its records end with the verdict. Returns 0. */
static int play_file(void *arg)
{
    const struct task *t = arg;
    struct hh_scenario *sc = NULL;
    struct hh_play_options opt;
    struct hh_play_result res;
    struct sender sd;
    struct hh_buf *b = &sd.b;
    hh_buf_init(b);
    sd.res = &res;
    sd.sent = 0;
    memset(&res, 0, sizeof(res));
    hh_diags_init(&res.diags);
    if (hh_cli_load_scenario(t->cli, t->file, &sc, &res.diags) != 0) {
        /* It validated in the parent: it changed since. */
        res.outcome = HH_PLAY_ERROR;
        res.step = HH_STEP_START;
    } else {
        hh_play_options_from(t->cli, &opt);
        opt.progress = on_progress;
        opt.progress_user = &sd;
        opt.timeline_added = on_timeline;
        hh_play(sc, &opt, &res);
    }
    hh_wire_timeline(b, &res.timeline, sd.sent);
    hh_wire_result(b, &res);
    send(b);
    hh_buf_free(b);
    hh_play_result_free(&res);
    hh_scenario_free(sc);
    return 0;
}

int hh_run_child(const struct hh_cli *cli)
{
    unsigned long timeout_ms = cli->timeout_set ? cli->timeout_ms : HH_CLI_DEFAULT_TIMEOUT_MS;
    struct hh_buf b;
    struct task t;
    size_t i;
    hh_plat_proc_bind_to_parent();
    t.cli = cli;
    t.file = cli->paths[0];
    if (!hh_plat_can_fork() || cli->npaths == 1)
        return play_file(&t); /* one file: this process is its own */
    hh_buf_init(&b);
    for (i = 0; i < cli->npaths; i++) {
        struct hh_plat_proc_result r;
        char err[200];
        uint64_t t0 = hh_plat_monotonic_ns();
        int rc;
        struct hh_scenario *sc = NULL;
        struct hh_diags d;
        unsigned long kill_ms = timeout_ms;
        t.file = cli->paths[i];
        hh_diags_init(&d);
        if (hh_scenario_load(t.file, &sc, &d) == 0) /* its clock and timeline */
            kill_ms = hh_run_kill_ms(cli, sc);
        hh_scenario_free(sc);
        hh_wire_begin(&b, i);
        send(&b);
        rc = hh_plat_fork_run(play_file, &t, kill_ms, &r, err, sizeof(err));
        hh_wire_end(&b, &r, rc == 0 ? NULL : err,
                    (double)(hh_plat_monotonic_ns() - t0) / 1e9);
        send(&b);
    }
    hh_buf_free(&b);
    return 0;
}
