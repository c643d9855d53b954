/* play_text.c - the words the player puts in its accounts: steps, statuses, decisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "common/textput.h"
#include "play_int.h"

void hh_play_oom(void)
{
    fputs("hotswap-harness: out of memory\n", stderr);
    abort();
}

char *hh_play_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        hh_play_oom();
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

const char *hh_play_decision_name(int decision)
{
    return decision == HH_DECISION_TERMINATE ? "terminate"
           : decision == HH_DECISION_CONTINUE ? "continue"
                                              : "any decision";
}

const char *hh_play_status_text(NTSTATUS s, char *buf, size_t len)
{
    size_t at;
    if (len == 0)
        return buf;
    hh_status_name(s, buf, len);
    if (buf[0] != '0' || buf[1] != 'x') { /* a name: "NAME (0x%08X)" */
        at = hh_text_put(buf, len, strlen(buf), " (0x");
        at = hh_text_put_hex8(buf, len, at, (unsigned long)(ULONG)s);
        hh_text_put(buf, len, at, ")");
    }
    return buf;
}

static const char *action_name(enum hh_sc_action a)
{
    static const char *const names[] = {"",      "start",   "set",     "reset", "pulse",
                                        "release", "acquire", "abandon", "timer", "cancel",
                                        "alert", "apc",     "advance", "hotswap", "call"};
    return (size_t)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}

const char *hh_play_describe_step(const struct hh_scenario *sc, size_t step, char *buf,
                                  size_t len)
{
    const struct hh_sc_step *st = &sc->steps[step < sc->nsteps ? step : 0];
    size_t used, k;
    char d[32];
    if (step >= sc->nsteps) { /* a step of a run made up as it went (a fuzz input) */
        snprintf(buf, len, "step %lu", (unsigned long)step + 1);
        return buf;
    }
    if (st->action == HH_ACT_NONE) { /* a fuzz session's delivered status: the note says it */
        snprintf(buf, len, "%s", st->note ? st->note : "no action");
        return buf;
    }
    used = (size_t)snprintf(buf, len, "%s", action_name(st->action));
    switch (st->action) {
    case HH_ACT_ADVANCE:
        snprintf(buf + used, len - used, " %s", hh_duration_format(st->advance, d, sizeof(d)));
        return buf;
    case HH_ACT_ALERT:
        snprintf(buf + used, len - used, " (%s mode)", st->alert_mode == UserMode ? "user" : "kernel");
        return buf;
    case HH_ACT_HOTSWAP:
        snprintf(buf + used, len - used, " to %s", st->hotswap.module);
        return buf;
    case HH_ACT_CALL:
        snprintf(buf + used, len - used, " %s", st->call.function);
        return buf;
    default:
        break;
    }
    for (k = 0; k < st->nobjects && used < len; k++) {
        int n = snprintf(buf + used, len - used, "%s%s", k ? ", " : " ",
                         sc->objects[st->objects[k]].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

const char *hh_play_where_text(const struct hh_scenario *sc, size_t step, char *buf, size_t len)
{
    char what[120];
    if (step == HH_STEP_START && sc->driver_mode)
        snprintf(buf, len, "the driver's load (%s)", sc->driver.load);
    else if (step == HH_STEP_START)
        snprintf(buf, len, "the implicit start");
    else if (step == HH_STEP_END && sc->driver_mode)
        snprintf(buf, len, "the end of the scenario (the driver's unload)");
    else if (step == HH_STEP_END)
        snprintf(buf, len, "the end of the scenario");
    else
        snprintf(buf, len, "step %lu (steps[%lu]: %s)", (unsigned long)step + 1,
                 (unsigned long)step, hh_play_describe_step(sc, step, what, sizeof(what)));
    return buf;
}

const char *hh_play_step_text(const struct hh_player *p, char *buf, size_t len)
{
    return hh_play_where_text(p->sc, p->step, buf, len);
}

const char *hh_play_result_text(const struct hh_play_invocation *v, char *buf, size_t len)
{
    if (v->decision == 0)
        snprintf(buf, len, "did not return");
    else
        snprintf(buf, len, "-> %s (%s)", hh_play_decision_name(v->decision),
                 v->raw == 1 ? "TRUE" : v->raw ? "not a BOOLEAN" : "FALSE");
    return buf;
}

int hh_play_result_several_workers(const struct hh_play_result *res)
{
    size_t i;
    for (i = 0; i < res->ninvocations; i++) {
        if (res->invocations[i].worker > 1) /* a second worker existed */
            return 1;
    }
    return 0;
}
