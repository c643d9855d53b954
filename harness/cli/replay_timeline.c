/* replay_timeline.c - `replay --timeline FILE`: the replayed run drawn as a page, like run's.
 *
 * An isolated replay's child records the timeline and sends it, event by event, as the wire
 * records `run`'s children use, between the lines of its decoded timeline; the parent reads
 * them out of its output and draws the page, so a crash still leaves the picture of what led
 * to it. A replay in this process draws its own result.
 */
#include <string.h>

#include "cmd_fuzz.h"
#include "msgs.h"
#include "runner_wire.h"
#include "timeline.h"

size_t hh_replay_timeline_send(const struct hh_session *s, size_t sent)
{
    struct hh_buf b;
    hh_buf_init(&b);
    sent = hh_wire_timeline(&b, &hh_session_result(s)->timeline, sent);
    if (b.len)
        hh_msg_write(b.data, b.len);
    hh_buf_free(&b);
    return sent;
}

void hh_replay_invocation_send(const struct hh_play_invocation *inv)
{
    struct hh_buf b;
    hh_buf_init(&b);
    hh_wire_invocation(&b, inv);
    hh_msg_write(b.data, b.len);
    hh_buf_free(&b);
}

void hh_replay_result_send(const struct hh_session *s)
{
    struct hh_buf b;
    hh_buf_init(&b);
    hh_wire_result(&b, hh_session_result(s));
    hh_msg_write(b.data, b.len);
    hh_buf_free(&b);
}

int hh_replay_timeline_write(const struct hh_fuzz_cli *c, const struct hh_scenario *sc,
                             const struct hh_play_result *res, const char *account, int crashed)
{
    struct hh_cli cli;
    memset(&cli, 0, sizeof(cli));
    cli.timeline = c->timeline;
    cli.clock = HH_CLOCK_VIRTUAL_ALWAYS;
    return hh_timeline_write_one(&cli, c->input, sc, res, account, crashed);
}
