/* report_json.c - the JSON report: one document with the summary, how the suite ran, the
 * problems that kept it from running as asked, and every scenario with its verdict.
 *
 * A stable contract, versioned by "format_version"; docs/reports.md describes every field.
 * A field is never removed or changed in meaning within a version; new ones may appear.
 */
#include <stdio.h>
#include <string.h>

#include "common/status.h"
#include "report.h"
#include "timeline.h"

void hh_report_json_duration(struct hh_buf *b, const char *key, int64_t ticks)
{
    char t[32];
    hh_buf_printf(b, "\"%s\":\"%s\",\"%s_ticks\":%lld", key,
                  hh_duration_format(ticks, t, sizeof(t)), key, (long long)ticks);
}

static void step_fields(struct hh_buf *b, const struct hh_case *c, size_t step)
{
    char what[160];
    if (step == HH_STEP_START || step == HH_STEP_END) {
        hh_buf_printf(b, "\"where\":\"%s\",\"step\":null,\"step_path\":null,\"step_action\":null",
                      step == HH_STEP_START ? "start" : "end");
        return;
    }
    hh_buf_printf(b,
                  "\"where\":\"step\",\"step\":%lu,\"step_path\":\"steps[%lu]\","
                  "\"step_action\":",
                  (unsigned long)step + 1, (unsigned long)step);
    hh_buf_json(b, hh_play_describe_step(c->sc, step, what, sizeof(what)));
}

static void failure(struct hh_buf *b, const struct hh_case *c)
{
    const struct hh_play_result *res = &c->res;
    if (res->outcome != HH_PLAY_FAIL) {
        hh_buf_puts(b, "null");
        return;
    }
    hh_buf_printf(b, "{\"rule\":\"%s\",\"rule_description\":", hh_rule_name(res->rule));
    hh_buf_json(b, hh_rule_description(res->rule));
    hh_buf_puts(b, ",\"message\":");
    hh_buf_json(b, res->headline ? res->headline : "");
    hh_buf_puts(b, ",");
    step_fields(b, c, res->step);
    if (res->invocation)
        hh_buf_printf(b, ",\"invocation\":%lu,", res->invocation);
    else
        hh_buf_puts(b, ",\"invocation\":null,");
    hh_report_json_duration(b, "virtual_time", res->time);
    hh_buf_puts(b, "}");
}

static void process(struct hh_buf *b, const struct hh_case *c)
{
    static const char *const ends[] = {"normal", "crashed", "timed_out", "exited"};
    if (c->end == HH_END_NORMAL) {
        hh_buf_puts(b, "null");
        return;
    }
    hh_buf_printf(b, "{\"end\":\"%s\",\"description\":", ends[c->end]);
    hh_buf_json(b, c->what);
    hh_buf_puts(b, "}");
}

static void diagnostics(struct hh_buf *b, const struct hh_case *c)
{
    struct hh_diags none;
    hh_diags_init(&none);
    hh_buf_json_diags(b, c->res.outcome == HH_PLAY_ERROR ? &c->res.diags : &none);
}

static void invocation(struct hh_buf *b, const struct hh_play_invocation *v, int several)
{
    char name[64];
    hh_buf_printf(b, "{\"index\":%lu,\"step\":", v->index);
    if (v->step == HH_STEP_START || v->step == HH_STEP_END)
        hh_buf_puts(b, "null,");
    else
        hh_buf_printf(b, "%lu,", (unsigned long)v->step + 1);
    hh_report_json_duration(b, "virtual_time", v->time);
    hh_buf_printf(b, ",\"status\":\"%s\",\"status_value\":%lu,\"returned\":%u,\"decision\":",
                  hh_status_name(v->status, name, sizeof(name)),
                  (unsigned long)(uint32_t)v->status, v->raw);
    if (v->decision == HH_DECISION_CONTINUE || v->decision == HH_DECISION_TERMINATE)
        hh_buf_printf(b, "\"%s\"",
                      v->decision == HH_DECISION_TERMINATE ? "terminate" : "continue");
    else
        hh_buf_puts(b, "null");
    hh_buf_puts(b, ",\"log\":");
    hh_buf_json(b, v->log ? v->log : "");
    if (several && v->worker) { /* which of the driver's workers */
        hh_buf_printf(b, ",\"worker\":%u,\"worker_label\":", v->worker);
        hh_buf_json(b, v->worker_label ? v->worker_label : "");
    }
    hh_buf_puts(b, "}");
}

void hh_report_json_case(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c)
{
    const struct hh_play_result *res = &c->res;
    struct hh_buf account;
    size_t i;
    hh_buf_puts(b, "{\"name\":");
    hh_buf_json(b, c->sc->name);
    hh_buf_puts(b, ",\"file\":");
    hh_buf_json(b, c->file);
    hh_buf_printf(b, ",\"outcome\":\"%s\",\"seconds\":%.6f,\"invocations\":%lu,",
                  hh_report_outcome_word(c), c->seconds, (unsigned long)res->ninvocations);
    hh_report_json_duration(b, "virtual_time", res->end_time);
    hh_buf_printf(b, ",\"clock\":\"%s\"",
                  hh_play_real_clock(c->sc, s->cli->clock) ? "real" : "virtual");
    hh_buf_puts(b, ",\"failure\":");
    failure(b, c);
    hh_buf_puts(b, ",\"process\":");
    process(b, c);
    hh_buf_puts(b, ",\"diagnostics\":");
    diagnostics(b, c);
    hh_buf_puts(b, ",\"invocation_list\":");
    if (res->outcome == HH_PLAY_PASS && !s->cli->verbose && !res->has_timeline) {
        hh_buf_puts(b, "null");
    } else {
        int several = hh_play_result_several_workers(res);
        hh_buf_puts(b, "[");
        for (i = 0; i < res->ninvocations; i++) {
            if (i)
                hh_buf_puts(b, ",");
            invocation(b, &res->invocations[i], several);
        }
        hh_buf_puts(b, "]");
    }
    hh_buf_puts(b, ",\"output\":");
    hh_buf_json(b, c->output);
    hh_buf_puts(b, ",\"account\":");
    hh_buf_init(&account);
    hh_report_account(&account, s, c);
    hh_buf_json(b, account.len ? account.data : NULL);
    hh_buf_free(&account);
    hh_buf_puts(b, ",\"timeline\":");
    hh_timeline_json(b, c);
    hh_buf_puts(b, "}");
}

static void strings(struct hh_buf *b, const char *const *v, size_t n)
{
    size_t i;
    hh_buf_puts(b, "[");
    for (i = 0; i < n; i++) {
        if (i)
            hh_buf_puts(b, ",");
        hh_buf_json(b, v[i]);
    }
    hh_buf_puts(b, "]");
}

static void run_fields(struct hh_buf *b, const struct hh_suite *s)
{
    const struct hh_cli *cli = s->cli;
    hh_buf_printf(b, "{\"isolated\":%s,\"jobs\":%u,\"timeout_ms\":", s->isolated ? "true" : "false",
                  s->jobs);
    if (!s->isolated || (cli->timeout_set && cli->timeout_ms == 0))
        hh_buf_puts(b, "null");
    else
        hh_buf_printf(b, "%lu", cli->timeout_set ? cli->timeout_ms : HH_CLI_DEFAULT_TIMEOUT_MS);
    if (cli->nshards)
        hh_buf_printf(b, ",\"shard\":{\"index\":%u,\"count\":%u}", cli->shard, cli->nshards);
    else
        hh_buf_puts(b, ",\"shard\":null");
    hh_buf_puts(b, ",\"filters\":");
    strings(b, cli->filters, cli->nfilters);
    hh_buf_puts(b, "}");
}

void hh_report_json(struct hh_buf *b, const struct hh_suite *s)
{
    size_t i;
    hh_buf_printf(b, "{\"report\":\"hotswap-harness\",\"format_version\":1,"
                     "\"harness_version\":\"%s\",\"exit_code\":%d,\n",
                  HH_VERSION_STRING, s->exit_code);
    hh_buf_printf(b, "\"summary\":{\"scenarios\":%lu,\"found\":%lu,\"passed\":%lu,\"failed\":%lu,"
                     "\"errors\":%lu,\"crashed\":%lu,\"hung\":%lu,\"seconds\":%.3f},\n",
                  (unsigned long)s->ndone, (unsigned long)s->nfound, (unsigned long)s->passed,
                  (unsigned long)s->failed, (unsigned long)s->errors, (unsigned long)s->crashed,
                  (unsigned long)s->hung, s->seconds);
    hh_buf_puts(b, "\"run\":");
    run_fields(b, s);
    hh_buf_puts(b, ",\n\"problems\":");
    strings(b, s->problems, s->nproblems);
    hh_buf_puts(b, ",\n\"scenarios\":[");
    for (i = 0; i < s->ndone; i++) {
        hh_buf_puts(b, i ? ",\n" : "\n");
        hh_report_json_case(b, s, &s->cases[i]);
    }
    hh_buf_puts(b, "\n]}\n");
}
