/* timeline_json.c - a case's timeline as the JSON report's "timeline" field: the objects that
 * have lanes, then every event in order (docs/reports.md describes each field). */
#include "timeline.h"

#include "common/status.h"

static void objects(struct hh_buf *b, const struct hh_scenario *sc)
{
    size_t i;
    hh_buf_puts(b, "\"objects\":[");
    for (i = 0; i < sc->nobjects; i++) {
        hh_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        hh_buf_json(b, sc->objects[i].name);
        hh_buf_printf(b, ",\"type\":\"%s\"}", hh_sc_object_type_name(sc->objects[i].type));
    }
    hh_buf_puts(b, "]");
}

static void status(struct hh_buf *b, NTSTATUS s)
{
    char name[64];
    hh_buf_printf(b, ",\"status\":\"%s\"", hh_status_name(s, name, sizeof(name)));
}

static void lane(struct hh_buf *b, long l)
{
    if (l < 0)
        hh_buf_puts(b, ",\"object\":null");
    else
        hh_buf_printf(b, ",\"object\":%ld", l);
}

/* The explored threads by id ([] when the run was not explored). */
static void threads(struct hh_buf *b, const struct hh_timeline *tl)
{
    const char *names[64];
    unsigned n = hh_tl_threads(tl, names, 64), k;
    hh_buf_puts(b, ",\"threads\":[");
    for (k = 0; k < n; k++) {
        hh_buf_puts(b, k ? "," : "");
        hh_buf_json(b, names[k]);
    }
    hh_buf_puts(b, "]");
}

/* A run of several workers: the one a call, return or wait belongs to (null: a wait of a
 * thread that is no worker). */
static void worker(struct hh_buf *b, const struct hh_tl_event *ev)
{
    if (ev->worker)
        hh_buf_printf(b, ",\"worker\":%u", ev->worker);
    else
        hh_buf_puts(b, ",\"worker\":null");
}

static void event(struct hh_buf *b, const struct hh_timeline *tl, size_t i, int several)
{
    const struct hh_tl_event *ev = &tl->events[i];
    const char *sw;
    hh_buf_printf(b, "{\"kind\":\"%s\",", hh_tl_kind_name(ev->kind));
    hh_report_json_duration(b, "virtual_time", ev->time);
    if (ev->step == HH_STEP_START || ev->step == HH_STEP_END)
        hh_buf_printf(b, ",\"where\":\"%s\",\"step\":null",
                      ev->step == HH_STEP_START ? "start" : "end");
    else
        hh_buf_printf(b, ",\"where\":\"step\",\"step\":%lu", (unsigned long)ev->step + 1);
    switch (ev->kind) {
    case HH_TL_STEP:
        hh_buf_puts(b, ",\"action\":");
        hh_buf_json(b, ev->text ? ev->text : "");
        break;
    case HH_TL_OBJECT:
        lane(b, ev->lane);
        hh_buf_printf(b, ",\"state\":%ld,\"signaled\":%s,\"owner\":", (long)ev->signal,
                      ev->signal > 0 ? "true" : "false");
        hh_buf_json(b, ev->text);
        hh_buf_printf(b, ",\"abandoned\":%s", ev->abandoned ? "true" : "false");
        if (ev->due >= 0) {
            hh_buf_puts(b, ",");
            hh_report_json_duration(b, "due", ev->due);
        } else {
            hh_buf_puts(b, ",\"due\":null,\"due_ticks\":null");
        }
        break;
    case HH_TL_CALL:
        hh_buf_printf(b, ",\"invocation\":%lld", ev->value);
        status(b, ev->status);
        break;
    case HH_TL_RETURN:
        hh_buf_printf(b, ",\"invocation\":%lld", ev->value);
        break;
    case HH_TL_WAIT:
    case HH_TL_WAITED:
        hh_buf_puts(b, ",\"thread\":");
        hh_buf_json(b, ev->text ? ev->text : "");
        if (ev->kind == HH_TL_WAIT)
            hh_buf_printf(b, ",\"objects\":%lld", ev->value);
        else
            status(b, ev->status);
        break;
    case HH_TL_DPC:
        lane(b, ev->lane);
        break;
    case HH_TL_POOL:
        hh_buf_puts(b, ",\"tag\":");
        hh_buf_json(b, ev->text ? ev->text : "");
        hh_buf_printf(b, ",\"bytes\":%lld,\"blocks\":%lld", ev->bytes, ev->value);
        break;
    case HH_TL_POINT:
        hh_buf_printf(b, ",\"point\":%lld,\"thread_id\":%ld,\"thread\":", ev->value, ev->lane);
        hh_buf_json(b, ev->text);
        hh_buf_puts(b, ",\"what\":");
        hh_buf_json(b, ev->what ? ev->what : "");
        sw = hh_tl_switch_name(hh_tl_switch_at(tl, i));
        hh_buf_printf(b, ",\"repeat\":%lu,\"chosen\":%s,\"switch\":", ev->repeat,
                      ev->chosen ? "true" : "false");
        if (sw)
            hh_buf_printf(b, "\"%s\"", sw);
        else
            hh_buf_puts(b, "null");
        break;
    default:
        break;
    }
    if (several && hh_tl_worker_event(ev->kind))
        worker(b, ev);
    hh_buf_puts(b, "}");
}

void hh_timeline_json(struct hh_buf *b, const struct hh_case *c)
{
    const struct hh_timeline *tl = &c->res.timeline;
    size_t i;
    int several;
    if (!c->res.has_timeline) {
        hh_buf_puts(b, "null");
        return;
    }
    several = hh_tl_workers(tl, NULL, 0) > 0;
    hh_buf_puts(b, "{");
    objects(b, c->sc);
    threads(b, tl);
    hh_buf_printf(b, ",\"dropped\":%lu,\"events\":[", tl->dropped);
    for (i = 0; i < tl->n; i++) {
        hh_buf_puts(b, i ? ",\n " : "\n ");
        event(b, tl, i, several);
    }
    hh_buf_puts(b, "]}");
}
