/* runner_wire.c - writing and reading the child's records (see runner_wire.h). Records are
 * JSON after a kind word; reading uses cJSON, writing the report escapes of buf.c. */
#include "runner_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/rules.h"

/* Steps go over the wire as numbers: -1 the implicit start, -2 the end. */
static long long step_number(size_t step)
{
    return step == HH_STEP_START ? -1 : step == HH_STEP_END ? -2 : (long long)step;
}

static size_t step_value(double v)
{
    return v == -1 ? HH_STEP_START : v < 0 ? HH_STEP_END : (size_t)v;
}

void hh_wire_at(struct hh_buf *b, enum hh_play_phase phase, size_t step)
{
    hh_buf_printf(b, HH_WIRE_MARK "at {\"phase\":%d,\"step\":%lld}\n", (int)phase,
                  step_number(step));
}

void hh_wire_invocation(struct hh_buf *b, const struct hh_play_invocation *inv)
{
    hh_buf_printf(b,
                  HH_WIRE_MARK "inv {\"index\":%lu,\"step\":%lld,\"time\":%lld,\"status\":%ld,"
                               "\"raw\":%u,\"decision\":%d,\"log\":",
                  inv->index, step_number(inv->step), (long long)inv->time, (long)inv->status,
                  inv->raw, inv->decision);
    hh_buf_json(b, inv->log ? inv->log : "");
    if (inv->worker) {
        hh_buf_printf(b, ",\"worker\":%u,\"worker_label\":", inv->worker);
        hh_buf_json(b, inv->worker_label ? inv->worker_label : "");
    }
    hh_buf_puts(b, "}\n");
}

size_t hh_wire_timeline(struct hh_buf *b, const struct hh_timeline *tl, size_t from)
{
    size_t i;
    for (i = from; i < tl->n; i++) {
        const struct hh_tl_event *ev = &tl->events[i];
        hh_buf_printf(b,
                      HH_WIRE_MARK "tl {\"k\":%d,\"t\":%lld,\"s\":%lld,\"l\":%ld,\"v\":%lld,"
                                   "\"b\":%lld,\"st\":%ld,\"sg\":%ld,\"ab\":%d,\"d\":%lld,\"wk\":%u,"
                                   "\"x\":",
                      (int)ev->kind, (long long)ev->time, step_number(ev->step), ev->lane,
                      ev->value, ev->bytes, (long)ev->status, (long)ev->signal, ev->abandoned,
                      (long long)ev->due, ev->worker);
        hh_buf_json(b, ev->text);
        if (ev->kind == HH_TL_POINT) {
            hh_buf_printf(b, ",\"r\":%lu,\"c\":%d,\"p\":%d,\"w\":", ev->repeat, ev->chosen,
                          ev->preempted);
            hh_buf_json(b, ev->what);
        }
        hh_buf_puts(b, "}\n");
    }
    return tl->n;
}

void hh_wire_result(struct hh_buf *b, const struct hh_play_result *res)
{
    hh_buf_printf(b,
                  HH_WIRE_MARK "result {\"outcome\":%d,\"rule\":\"%s\",\"step\":%lld,"
                               "\"invocation\":%lu,\"time\":%lld,\"invocations\":%lu,"
                               "\"steps_run\":%lu,\"end_time\":%lld,\"dropped\":%lu,\"timeline\":%d,"
                               "\"timeline_dropped\":%lu,\"headline\":",
                  res->outcome, hh_rule_name(res->rule), step_number(res->step),
                  res->invocation, (long long)res->time, (unsigned long)res->ninvocations,
                  (unsigned long)res->steps_run, (long long)res->end_time,
                  (unsigned long)res->diags.dropped, res->has_timeline,
                  res->timeline.dropped);
    hh_buf_json(b, res->headline);
    hh_buf_puts(b, ",\"diags\":");
    hh_buf_json_diags(b, &res->diags);
    hh_buf_puts(b, "}\n");
}

void hh_wire_begin(struct hh_buf *b, size_t index)
{
    hh_buf_printf(b, HH_WIRE_MARK "begin {\"index\":%lu}\n", (unsigned long)index);
}

void hh_wire_end(struct hh_buf *b, const struct hh_plat_proc_result *r, const char *error,
                 double seconds)
{
    hh_buf_printf(b,
                  HH_WIRE_MARK "end {\"exited\":%d,\"code\":%d,\"crashed\":%d,"
                               "\"timed_out\":%d,\"seconds\":%.6f,\"what\":",
                  r->exited, r->code, r->crashed, r->timed_out, seconds);
    hh_buf_json(b, r->what);
    hh_buf_puts(b, ",\"error\":");
    hh_buf_json(b, error);
    hh_buf_puts(b, "}\n");
}

/* ---- Reading ---------------------------------------------------------------------------- */

static double number(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static char *string_copy(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    size_t n;
    char *s;
    if (!cJSON_IsString(v))
        return NULL;
    n = strlen(v->valuestring);
    s = malloc(n + 1);
    if (s)
        memcpy(s, v->valuestring, n + 1);
    return s;
}

static const char *text(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int add_invocation(struct hh_wire_read *w, const cJSON *j, size_t *cap)
{
    struct hh_play_result *res = &w->res;
    struct hh_play_invocation *v;
    if (res->ninvocations == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 16;
        struct hh_play_invocation *grown =
            realloc(res->invocations, grown_cap * sizeof(*grown));
        if (!grown)
            return -1;
        res->invocations = grown;
        *cap = grown_cap;
    }
    v = &res->invocations[res->ninvocations];
    v->index = (unsigned long)number(j, "index");
    v->step = step_value(number(j, "step"));
    v->time = (hh_time)number(j, "time");
    v->status = (NTSTATUS)(long)number(j, "status");
    v->raw = (unsigned)number(j, "raw");
    v->decision = (int)number(j, "decision");
    v->log = string_copy(j, "log");
    if (!v->log)
        return -1;
    v->worker = (unsigned)number(j, "worker");
    v->worker_label = v->worker ? string_copy(j, "worker_label") : NULL;
    res->ninvocations++;
    w->have_at = 1;
    w->phase = HH_PLAY_AT_INVOCATION;
    w->step = v->step;
    return 0;
}

static void add_timeline_event(struct hh_wire_read *w, const cJSON *j)
{
    struct hh_tl_event ev;
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, "x");
    memset(&ev, 0, sizeof(ev));
    ev.kind = (enum hh_tl_kind)(int)number(j, "k");
    if ((unsigned)ev.kind >= HH_TL_KINDS)
        return;
    ev.time = (hh_time)number(j, "t");
    ev.step = step_value(number(j, "s"));
    ev.lane = (long)number(j, "l");
    ev.value = (long long)number(j, "v");
    ev.bytes = (long long)number(j, "b");
    ev.status = (NTSTATUS)(long)number(j, "st");
    ev.signal = (LONG)number(j, "sg");
    ev.abandoned = (int)number(j, "ab");
    ev.due = (hh_time)number(j, "d");
    ev.worker = (unsigned)number(j, "wk");
    ev.text = cJSON_IsString(x) ? x->valuestring : NULL;
    x = cJSON_GetObjectItemCaseSensitive(j, "w");
    ev.what = cJSON_IsString(x) ? x->valuestring : NULL;
    ev.repeat = (unsigned long)number(j, "r");
    ev.chosen = (int)number(j, "c");
    ev.preempted = (int)number(j, "p");
    hh_timeline_add(&w->res.timeline, &ev);
    w->res.has_timeline = 1;
}

static void take_result(struct hh_wire_read *w, const cJSON *j)
{
    struct hh_play_result *res = &w->res;
    const cJSON *diags = cJSON_GetObjectItemCaseSensitive(j, "diags");
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(j, "rule");
    const cJSON *d;
    res->outcome = (int)number(j, "outcome");
    res->rule = cJSON_IsString(rule) ? hh_rule_from_name(rule->valuestring) : HH_RULE_NONE;
    res->step = step_value(number(j, "step"));
    res->invocation = (unsigned long)number(j, "invocation");
    res->time = (hh_time)number(j, "time");
    res->steps_run = (size_t)number(j, "steps_run");
    res->end_time = (hh_time)number(j, "end_time");
    free(res->headline);
    res->headline = string_copy(j, "headline");
    cJSON_ArrayForEach(d, diags)
    {
        hh_diags_add(&res->diags, text(d, "file"), (int)number(d, "line"),
                     (int)number(d, "column"), text(d, "path"), "%s", text(d, "message"));
    }
    res->diags.dropped += (size_t)number(j, "dropped");
    if (number(j, "timeline") != 0)
        res->has_timeline = 1;
    res->timeline.dropped = (unsigned long)number(j, "timeline_dropped");
    w->have_result = 1;
}

/* One record's line (after the mark); 0 when taken, 1 when it is not a record after all. */
static int take_record(struct hh_wire_read *w, const char *line, size_t n, size_t *cap)
{
    const char *json = memchr(line, ' ', n);
    cJSON *j;
    int rc = 0;
    if (!json)
        return 1;
    j = cJSON_ParseWithLength(json + 1, n - (size_t)(json + 1 - line));
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return 1;
    }
    if (strncmp(line, "at ", 3) == 0) {
        w->have_at = 1;
        w->phase = (enum hh_play_phase)(int)number(j, "phase");
        w->step = step_value(number(j, "step"));
    } else if (strncmp(line, "inv ", 4) == 0) {
        rc = add_invocation(w, j, cap) == 0 ? 0 : -1;
    } else if (strncmp(line, "tl ", 3) == 0) {
        add_timeline_event(w, j);
    } else if (strncmp(line, "result ", 7) == 0) {
        take_result(w, j);
    } else if (strncmp(line, "end ", 4) == 0) {
        w->have_end = 1;
        w->end.exited = (int)number(j, "exited");
        w->end.code = (int)number(j, "code");
        w->end.crashed = (int)number(j, "crashed");
        w->end.timed_out = (int)number(j, "timed_out");
        w->seconds = number(j, "seconds");
        snprintf(w->end.what, sizeof(w->end.what), "%s", text(j, "what"));
        snprintf(w->end_error, sizeof(w->end_error), "%s", text(j, "error"));
    } else if (strncmp(line, "begin ", 6) != 0) {
        rc = 1;
    }
    cJSON_Delete(j);
    return rc;
}

size_t hh_wire_parts(const char *output, size_t len, size_t *starts, size_t max)
{
    static const char begin[] = HH_WIRE_MARK "begin ";
    const size_t n = sizeof(begin) - 1;
    size_t i, found = 0;
    for (i = 0; i + n <= len; i++) {
        if (output[i] == begin[0] && memcmp(output + i, begin, n) == 0) {
            if (found < max)
                starts[found] = i;
            found++;
        }
    }
    return found;
}

int hh_wire_read(const char *output, size_t len, struct hh_wire_read *w)
{
    static const char mark[] = HH_WIRE_MARK;
    const size_t mark_len = sizeof(mark) - 1;
    size_t pos = 0, cap = 0;
    memset(w, 0, sizeof(*w));
    hh_diags_init(&w->res.diags);
    w->res.step = HH_STEP_START;
    while (pos < len) {
        const char *start = output + pos;
        const char *rec = NULL, *nl;
        size_t i, end;
        /* The next mark, if any, before the end. */
        for (i = pos; i + mark_len <= len; i++) {
            if (output[i] == mark[0] && memcmp(output + i, mark, mark_len) == 0) {
                rec = output + i;
                break;
            }
        }
        if (!rec) {
            hh_buf_put(&w->other, start, len - pos);
            break;
        }
        hh_buf_put(&w->other, start, (size_t)(rec - start));
        nl = memchr(rec, '\n', len - (size_t)(rec - output));
        end = nl ? (size_t)(nl - output) : len;
        i = (size_t)(rec - output) + mark_len;
        switch (take_record(w, output + i, end - i, &cap)) {
        case -1:
            return -1;
        case 1:
            hh_buf_put(&w->other, rec, end - (size_t)(rec - output));
            if (nl)
                hh_buf_put(&w->other, "\n", 1);
            break;
        default:
            break;
        }
        pos = nl ? end + 1 : len;
    }
    return w->other.failed ? -1 : 0;
}
