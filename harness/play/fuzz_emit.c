/* fuzz_emit.c - a fuzz run written back as a scenario: the configuration's own JSON with
 * the run's steps, each expecting the invocations it caused.
 *
 * Decisions come from the invariants, not from what the routine did: the scenario fails
 * under `run` while the routine breaks the rule, and guards it once fixed. Steps after the
 * failure are left out. The step of the finding expects what the routine must do there once
 * fixed, never the broken sequence itself:
 *   livelock   the invocations up to the first of the repeated run: the fixed routine blocks
 *              (or ends) after it, the broken one is invoked again and the rule fires;
 *   any other  the invocations up to the one that broke the rule, as a prefix
 *              ("expect_more"): the fixed routine may go on where the broken one failed,
 *              and the rule's check, always on, catches the broken one again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/relpath.h"
#include "common/status.h"
#include "fuzz_text.h"
#include "play_int.h"

/* The decision the scenario's first matching invariant requires, or HH_DECISION_ANY. */
static int required(const struct hh_scenario *sc, NTSTATUS status)
{
    size_t i;
    for (i = 0; i < sc->ninvariants; i++) {
        if (hh_sc_rule_covers(&sc->invariants[i], status))
            return sc->invariants[i].decision;
    }
    return HH_DECISION_ANY;
}

static void add_duration(cJSON *obj, const char *key, int64_t ticks)
{
    char d[32];
    if (ticks == 0)
        cJSON_AddNumberToObject(obj, key, 0);
    else
        cJSON_AddStringToObject(obj, key, hh_duration_format(ticks, d, sizeof(d)));
}

/* Whether the run ended in a livelock of returned invocations: a run of identical ones that
 * the worker answered with continue, not zero-timeout waits inside one invocation. */
static int livelock_run(const struct hh_play_result *res)
{
    return res->outcome == HH_PLAY_FAIL && res->rule == HH_RULE_LIVELOCK &&
           res->ninvocations > 0 &&
           res->invocations[res->ninvocations - 1].index == res->invocation;
}

/* The expect list of the invocations of `step`; runs of one status and decision as repeat.
 * `fold_last`: the last run stands for one invocation (the livelock's repeats). */
static cJSON *expectations(const struct hh_scenario *sc, const struct hh_play_result *res,
                           size_t step, int fold_last)
{
    cJSON *list = cJSON_CreateArray();
    size_t i = 0, j;
    while (i < res->ninvocations) {
        const struct hh_play_invocation *v = &res->invocations[i];
        char name[48];
        cJSON *x;
        int decision = required(sc, v->status);
        if (v->step != step) {
            i++;
            continue;
        }
        for (j = i + 1; j < res->ninvocations && res->invocations[j].step == step &&
                        res->invocations[j].status == v->status;
             j++)
            ;
        x = cJSON_CreateObject();
        hh_status_name(v->status, name, sizeof(name));
        if (strncmp(name, "0x", 2) == 0)
            cJSON_AddNumberToObject(x, "status", (double)v->status);
        else
            cJSON_AddStringToObject(x, "status", name);
        if (decision != HH_DECISION_ANY)
            cJSON_AddStringToObject(x, "decision", hh_play_decision_name(decision));
        if (j - i > 1 && !(fold_last && j == res->ninvocations))
            cJSON_AddNumberToObject(x, "repeat", (double)(j - i));
        cJSON_AddItemToArray(list, x);
        i = j;
    }
    return list;
}

static void add_thread(cJSON *obj, const struct hh_sc_step *st)
{
    if (st->thread && strcmp(st->thread, "driver") != 0)
        cJSON_AddStringToObject(obj, "thread", st->thread);
}

/* A call step's keys: "call", its arguments, thread, IRQL and expected value. */
static void call_keys(cJSON *obj, const struct hh_scenario *sc, const struct hh_sc_step *st)
{
    static const char *const irqls[] = {"passive", "apc", "dispatch"};
    const struct hh_sc_call *call = &st->call;
    size_t i;
    cJSON_AddStringToObject(obj, "call", call->function);
    if (call->nargs) {
        cJSON *args = cJSON_AddArrayToObject(obj, "args");
        for (i = 0; i < call->nargs; i++) {
            const struct hh_sc_arg *a = &call->args[i];
            cJSON_AddItemToArray(args, a->kind == HH_ARG_OBJECT
                                           ? cJSON_CreateString(sc->objects[a->object].name)
                                       : a->kind == HH_ARG_CONTEXT
                                           ? cJSON_CreateString("context")
                                           : cJSON_CreateNumber((double)(LONG_PTR)a->value));
        }
    }
    add_thread(obj, st);
    if (call->irql != PASSIVE_LEVEL && call->irql <= DISPATCH_LEVEL)
        cJSON_AddStringToObject(obj, "irql", irqls[call->irql]);
    if (call->has_returns && call->returns_status)
        cJSON_AddStringToObject(obj, "returns", call->returns_text);
    else if (call->has_returns)
        cJSON_AddRawToObject(obj, "returns", call->returns_text);
}

/* One step's action keys. */
static void action(cJSON *obj, const struct hh_scenario *sc, const struct hh_sc_step *st)
{
    static const char *const keys[] = {"",        "start", "set",   "reset",  "pulse",
                                       "release", "acquire", "abandon", "timer", "cancel"};
    const char *name = st->nobjects ? sc->objects[st->objects[0]].name : "";
    switch (st->action) {
    case HH_ACT_ALERT:
        if (st->alert_mode == UserMode)
            cJSON_AddStringToObject(obj, "alert", "user");
        else
            cJSON_AddTrueToObject(obj, "alert");
        return;
    case HH_ACT_APC:
        cJSON_AddTrueToObject(obj, "apc");
        return;
    case HH_ACT_ADVANCE:
        add_duration(obj, "advance", st->advance);
        return;
    case HH_ACT_CALL:
        call_keys(obj, sc, st);
        return;
    default:
        break;
    }
    if (st->nobjects > 1) { /* events set together (model v2) */
        cJSON *names = cJSON_AddArrayToObject(obj, keys[st->action]);
        size_t k;
        for (k = 0; k < st->nobjects; k++)
            cJSON_AddItemToArray(names, cJSON_CreateString(sc->objects[st->objects[k]].name));
    } else {
        cJSON_AddStringToObject(obj, keys[st->action], name);
    }
    if (st->action == HH_ACT_RELEASE && st->count != 1 && sc->objects[st->objects[0]].type ==
                                                           HH_OBJECT_SEMAPHORE)
        cJSON_AddNumberToObject(obj, "count", st->count);
    if (st->action == HH_ACT_RELEASE || st->action == HH_ACT_ACQUIRE ||
        st->action == HH_ACT_ABANDON)
        add_thread(obj, st);
    if (st->action == HH_ACT_TIMER) {
        if (st->due.kind == HH_TIMEOUT_ABSOLUTE) {
            cJSON *abs = cJSON_AddObjectToObject(obj, "due");
            add_duration(abs, "absolute", st->due.ticks);
        } else {
            add_duration(obj, "due", st->due.ticks);
        }
        if (st->period_ms > 0)
            add_duration(obj, "period", (int64_t)st->period_ms * 10000);
    }
}

static cJSON *step_object(const struct hh_scenario *sc, const struct hh_sc_step *st, cJSON *expect,
                          int more)
{
    cJSON *obj = cJSON_CreateObject();
    action(obj, sc, st);
    if (expect && cJSON_GetArraySize(expect) > 0)
        cJSON_AddItemToObject(obj, "expect", expect);
    else
        cJSON_Delete(expect);
    if (more)
        cJSON_AddTrueToObject(obj, "expect_more");
    if (st->note)
        cJSON_AddStringToObject(obj, "note", st->note);
    return obj;
}

/* The run's steps as JSON, up to the failing one, then `extra` (or NULL); NULL with why if
 * one cannot be written. */
static cJSON *steps(const struct hh_session *s, const struct hh_sc_step *extra, char *why,
                    size_t whylen)
{
    const struct hh_scenario *sc = hh_session_scenario(s);
    const struct hh_play_result *res = hh_session_result(s);
    cJSON *list = cJSON_CreateArray(), *obj;
    size_t i, last = sc->nsteps, failed = HH_STEP_END;
    int started = 0, fold = livelock_run(res);
    if (res->outcome == HH_PLAY_FAIL && res->step != HH_STEP_END) {
        last = res->step == HH_STEP_START ? 0 : res->step + 1;
        failed = res->step;
    }
    for (i = 0; i < res->ninvocations && !started; i++)
        started = res->invocations[i].step == HH_STEP_START;
    if (started) {
        obj = cJSON_CreateObject();
        cJSON_AddTrueToObject(obj, "start");
        cJSON_AddItemToObject(obj, "expect",
                              expectations(sc, res, HH_STEP_START,
                                           failed == HH_STEP_START && fold));
        if (failed == HH_STEP_START && !fold)
            cJSON_AddTrueToObject(obj, "expect_more");
        cJSON_AddItemToArray(list, obj);
    }
    for (i = 0; i < last && i < sc->nsteps; i++) {
        const struct hh_sc_step *st = &sc->steps[i];
        if (st->action == HH_ACT_NONE) {
            snprintf(why, whylen,
                     "step %lu %s, a value no scenario step can produce: keep the input itself "
                     "as the regression (corpus/ is replayed by meson test)",
                     (unsigned long)i + 1, st->note ? st->note : "delivers a status");
            cJSON_Delete(list);
            return NULL;
        }
        cJSON_AddItemToArray(list, step_object(sc, st, expectations(sc, res, i, i == failed && fold),
                                               i == failed && !fold));
    }
    if (extra && extra->action == HH_ACT_NONE) {
        snprintf(why, whylen,
                 "the step that crashed %s, a value no scenario step can produce: keep the "
                 "input itself as the regression (corpus/ is replayed by meson test)",
                 extra->note ? extra->note : "delivers a status");
        cJSON_Delete(list);
        return NULL;
    }
    if (extra)
        cJSON_AddItemToArray(list, step_object(sc, extra, NULL, 1)); /* it crashed there */
    return list;
}

/* cJSON indents with tabs and writes "key":<tab>value; two spaces and ": " read better. A
 * tab inside a JSON string is always escaped, so every raw tab is layout. */
char *hh_play_json_reindent(char *text)
{
    size_t tabs = 0, i, n = 0;
    char *out;
    for (i = 0; text[i]; i++)
        tabs += text[i] == '\t';
    out = malloc(i + tabs + 2);
    if (!out)
        hh_play_oom();
    for (i = 0; text[i]; i++) {
        if (text[i] != '\t') {
            out[n++] = text[i];
        } else if (i > 0 && text[i - 1] == ':') {
            out[n++] = ' ';
        } else {
            out[n++] = ' ';
            out[n++] = ' ';
        }
    }
    out[n++] = '\n';
    out[n] = '\0';
    free(text);
    return out;
}

/* "$schema" as seen from the folder the scenario is written to; NULL when it cannot be. A
 * URI or an absolute path reads the same from anywhere. */
static cJSON *rebased_schema(const cJSON *item, const char *config_path,
                             const char *out_path)
{
    char from[1024], joined[2048], rel[2048];
    const char *v = cJSON_GetStringValue(item);
    if (!v)
        return NULL;
    if (strstr(v, "://") || v[0] == '/' || v[0] == '\\' || (v[0] && v[1] == ':'))
        return cJSON_CreateString(v);
    if (hh_path_folder(config_path, from, sizeof(from)) != 0 ||
        (size_t)snprintf(joined, sizeof(joined), "%s/%s", from, v) >= sizeof(joined) ||
        hh_path_folder(out_path, from, sizeof(from)) != 0 ||
        hh_path_relative(from, joined, rel, sizeof(rel)) != 0)
        return NULL;
    return cJSON_CreateString(rel);
}

cJSON *hh_play_json_rewritten(cJSON *cfg, const char *name, const char *description,
                              const char *drop, const char *config_path, const char *out_path,
                              int true_means, const char *schedule)
{
    cJSON *root = cJSON_CreateObject(), *item;
    /* name and description first, the other keys in their order, true_means (and the
     * schedule) after the routine or the driver; never the clock */
    cJSON_AddStringToObject(root, "name", name);
    cJSON_AddStringToObject(root, "description", description);
    while ((item = cfg->child) != NULL) {
        cJSON *schema;
        cJSON_DetachItemViaPointer(cfg, item);
        if (strcmp(item->string, "$schema") == 0) {
            schema = rebased_schema(item, config_path, out_path);
            if (schema)
                cJSON_AddItemToObject(root, "$schema", schema);
            cJSON_Delete(item);
        } else if (strcmp(item->string, "name") == 0 ||
                   strcmp(item->string, "description") == 0 ||
                   strcmp(item->string, drop) == 0 || strcmp(item->string, "clock") == 0 ||
                   strcmp(item->string, "true_means") == 0 ||
                   strcmp(item->string, "schedule") == 0) {
            cJSON_Delete(item);
        } else {
            cJSON_AddItemToObject(root, item->string, item);
        }
        /* after the routine, or the driver that starts it (driver mode) */
        if (strcmp(root->child->prev->string, "routine") == 0 ||
            strcmp(root->child->prev->string, "driver") == 0) {
            cJSON_AddStringToObject(root, "true_means", hh_true_means_name(true_means));
            if (schedule)
                cJSON_AddStringToObject(root, "schedule", schedule);
        }
    }
    if (!cJSON_GetObjectItemCaseSensitive(root, "true_means"))
        cJSON_AddStringToObject(root, "true_means", hh_true_means_name(true_means));
    cJSON_Delete(cfg);
    return root;
}

char *hh_fuzz_emit(const struct hh_session *s, const char *config, size_t len,
                   const char *config_path, const char *out_path, const char *name,
                   const char *description, const struct hh_sc_step *extra, char *why,
                   size_t whylen)
{
    const struct hh_scenario *sc = hh_session_scenario(s);
    cJSON *cfg = cJSON_ParseWithLength(config, len), *root, *list;
    char *text;
    if (!cJSON_IsObject(cfg)) {
        snprintf(why, whylen, "the fuzz configuration is not a JSON object");
        cJSON_Delete(cfg);
        return NULL;
    }
    list = steps(s, extra, why, whylen);
    if (!list) {
        cJSON_Delete(cfg);
        return NULL;
    }
    /* not its clock: the run was on the virtual clock, as every fuzz run is; steps last */
    root = hh_play_json_rewritten(cfg, name, description, "steps", config_path, out_path,
                                  sc->true_means, NULL);
    cJSON_AddItemToObject(root, "steps", list);
    text = cJSON_Print(root); /* cJSON's default allocator: free() it */
    cJSON_Delete(root);
    if (!text)
        hh_play_oom();
    return hh_play_json_reindent(text);
}
