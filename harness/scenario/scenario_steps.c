/* scenario_steps.c - the "steps" array: one action per step on a virtual timeline.
 *
 * Reads each step's action and its targets (object names resolved and checked against what
 * the action works on), follows the virtual clock through "at" and "advance" so that time
 * never goes back, and enforces the start rules. Expectations are read by
 * scenario_expect.c with the time span the step covers.
 */
#include "scenario_int.h"

#include <stdio.h>
#include <string.h>

#define BIT(type) (1u << (type))
#define EVENTS (BIT(HH_OBJECT_NOTIFICATION_EVENT) | BIT(HH_OBJECT_SYNCHRONIZATION_EVENT))
#define OWNABLE (BIT(HH_OBJECT_MUTEX) | BIT(HH_OBJECT_MUTANT) | BIT(HH_OBJECT_SEMAPHORE))
#define TIMERS (BIT(HH_OBJECT_NOTIFICATION_TIMER) | BIT(HH_OBJECT_SYNCHRONIZATION_TIMER))
#define TIMELINE_MAX (HH_DURATION_MAX * 1000) /* 100,000 days */

struct action {
    const char *key;
    enum hh_sc_action action;
    unsigned targets;          /* BIT(type) of each object type it works on; 0: no objects */
    const char *const *extras; /* the keys it takes besides at, expect, then and note */
};

static const char *const no_extras[] = {NULL};
static const char *const release_extras[] = {"count", "thread", NULL};
static const char *const thread_extras[] = {"thread", NULL};
static const char *const timer_extras[] = {"due", "period", NULL};
static const char *const advance_extras[] = {"thread", "concurrent", NULL};
static const char *const worker_extras[] = {"worker", NULL};
static const char *const call_extras[] = {"args", "thread", "irql", "returns", "concurrent",
                                          NULL};
static const char *const common_keys[] = {"at", "expect", "expect_more", "then", "note", NULL};
static const char *const extra_keys[] = {"count", "thread", "due", "period",
                                         "args", "irql", "returns", "concurrent", "worker",
                                         NULL};

static const struct action actions[] = {
    {"start", HH_ACT_START, 0, no_extras},
    {"set", HH_ACT_SET, EVENTS, no_extras},
    {"reset", HH_ACT_RESET, EVENTS, no_extras},
    {"pulse", HH_ACT_PULSE, EVENTS, no_extras},
    {"release", HH_ACT_RELEASE, OWNABLE, release_extras},
    {"acquire", HH_ACT_ACQUIRE, OWNABLE, thread_extras},
    {"abandon", HH_ACT_ABANDON, BIT(HH_OBJECT_MUTANT), thread_extras},
    {"timer", HH_ACT_TIMER, TIMERS, timer_extras},
    {"cancel", HH_ACT_CANCEL, TIMERS, no_extras},
    {"alert", HH_ACT_ALERT, 0, worker_extras},
    {"apc", HH_ACT_APC, 0, worker_extras},
    {"advance", HH_ACT_ADVANCE, 0, advance_extras},
    {"hotswap", HH_ACT_HOTSWAP, 0, no_extras},
    {"call", HH_ACT_CALL, 0, call_extras},
};

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define NACTIONS COUNT(actions)
#define NSTEP_KEYS (NACTIONS + COUNT(common_keys) - 1 + COUNT(extra_keys) - 1)

static const struct action *find_action(const char *key)
{
    size_t i;
    for (i = 0; i < NACTIONS; i++) {
        if (strcmp(actions[i].key, key) == 0)
            return &actions[i];
    }
    return NULL;
}

int hh_sc_action_takes(enum hh_sc_action action, int type)
{
    size_t i;
    for (i = 0; i < NACTIONS; i++) {
        if (actions[i].action == action)
            return type > 0 && type < 32 && (actions[i].targets & BIT(type)) != 0;
    }
    return 0;
}

/* ---- Keys -------------------------------------------------------------------------------- */

static void check_step_keys(struct hh__sc_parser *p, const cJSON *step, const char *path)
{
    const char *keys[NSTEP_KEYS + 1];
    size_t n = 0, i;
    for (i = 0; i < NACTIONS; i++)
        keys[n++] = actions[i].key;
    for (i = 0; common_keys[i]; i++)
        keys[n++] = common_keys[i];
    for (i = 0; extra_keys[i]; i++)
        keys[n++] = extra_keys[i];
    keys[n] = NULL;
    hh__sc_check_keys(p, step, path, keys);
}

/* The one action key of a step; reports none or several. */
static const struct action *step_action(struct hh__sc_parser *p, const cJSON *step,
                                        const char *path)
{
    const struct action *first = NULL;
    const cJSON *m, *first_member = NULL;
    for (m = step->child; m; m = m->next) {
        const struct action *a = find_action(m->string);
        char sub[HH_SC_PATH_LEN];
        if (!a)
            continue;
        if (!first) {
            first = a;
            first_member = m;
            continue;
        }
        hh__sc_key_error(p, m, hh__sc_path_key(sub, path, m->string),
                         "a step does one action, and this one already does \"%s\" (%d:%d); "
                         "split it into two steps", first->key,
                         hh_jsonpos_key(p->json, first_member).line,
                         hh_jsonpos_key(p->json, first_member).col);
    }
    if (!first && step != p->misspelled) {
        const char *keys[NACTIONS];
        char list[160];
        size_t i;
        for (i = 0; i < NACTIONS; i++)
            keys[i] = actions[i].key;
        hh__sc_error(p, step, path, "the step has no action; give it one of %s",
                     hh__sc_join_words(keys, NACTIONS, " or ", list, sizeof list));
    }
    return first;
}

/* count, thread, due, period, args, irql and returns belong to some actions only. */
static void check_extra_keys(struct hh__sc_parser *p, const cJSON *step, const char *path,
                             const struct action *a)
{
    const cJSON *m;
    for (m = step->child; m; m = m->next) {
        char sub[HH_SC_PATH_LEN], owners[96];
        const char *keys[NACTIONS];
        size_t i, n = 0;
        if (!hh__sc_listed(m->string, extra_keys) || hh__sc_listed(m->string, a->extras))
            continue;
        for (i = 0; i < NACTIONS; i++) {
            if (hh__sc_listed(m->string, actions[i].extras))
                keys[n++] = actions[i].key;
        }
        hh__sc_key_error(p, m, hh__sc_path_key(sub, path, m->string),
                         "\"%s\" belongs to %s steps, and this step does \"%s\"", m->string,
                         hh__sc_join_words(keys, n, " and ", owners, sizeof owners), a->key);
    }
}

/* ---- Targets ----------------------------------------------------------------------------- */

/* "notification_event and synchronization_event" for a BIT() mask. */
static const char *spell_types(unsigned mask, char *buf, size_t len)
{
    const char *names[HH_OBJECT_SYNCHRONIZATION_TIMER];
    size_t n = 0;
    int t;
    for (t = HH_OBJECT_NOTIFICATION_EVENT; t <= HH_OBJECT_SYNCHRONIZATION_TIMER; t++) {
        if (mask & BIT(t))
            names[n++] = hh__sc_type_name(t);
    }
    return hh__sc_join_words(names, n, " and ", buf, len);
}

/* "acquire and release": the actions that work on type. */
static const char *actions_for(int type, char *buf, size_t len)
{
    const char *keys[NACTIONS];
    size_t i, n = 0;
    for (i = 0; i < NACTIONS; i++) {
        if (actions[i].targets & BIT(type))
            keys[n++] = actions[i].key;
    }
    return hh__sc_join_words(keys, n, " and ", buf, len);
}

static void report_mismatch(struct hh__sc_parser *p, const cJSON *v, const char *path,
                            const struct action *a, size_t object)
{
    const struct hh_sc_object *o = &p->sc->objects[object];
    char q[80], types[160], takes[96];
    if (a->action == HH_ACT_ABANDON && o->type == HH_OBJECT_MUTEX) {
        hh__sc_error(p, v, path, "%s is a mutex (KMUTEX): when a thread exits holding one, the "
                     "kernel bug-checks (KERNEL_APC_PENDING_DURING_EXIT, 0x20, before the "
                     "rundown's THREAD_TERMINATE_HELD_MUTEX (0x4000008A)) instead of "
                     "abandoning it; give it type \"mutant\" to test abandonment",
                     hh__sc_quote(o->name, q, sizeof q));
        return;
    }
    hh__sc_error(p, v, path, "%s works on %s objects; %s (objects[%zu]) is a %s, which takes %s",
                 a->key, spell_types(a->targets, types, sizeof types),
                 hh__sc_quote(o->name, q, sizeof q), object, hh__sc_type_name(o->type),
                 actions_for(o->type, takes, sizeof takes));
}

static void read_target(struct hh__sc_parser *p, const cJSON *v, const char *path,
                        const struct action *a, struct hh_sc_step *step)
{
    size_t object = hh__sc_object_ref(p, v, path);
    if (object == HH_SC_NONE)
        return;
    if (p->sc->objects[object].type != HH_OBJECT_NONE &&
        !(a->targets & BIT(p->sc->objects[object].type)))
        report_mismatch(p, v, path, a, object);
    step->objects[step->nobjects++] = object;
}

static void read_targets(struct hh__sc_parser *p, const cJSON *v, const char *path,
                         const struct action *a, struct hh_sc_step *step)
{
    const cJSON *item;
    size_t n = 0, i = 0;
    if (cJSON_IsString(v)) {
        step->objects = hh__sc_calloc(p, 1, sizeof *step->objects);
        if (step->objects)
            read_target(p, v, path, a, step);
        return;
    }
    if (!cJSON_IsArray(v)) {
        char found[80];
        hh__sc_error(p, v, path, "expected an object name or an array of object names, found "
                     "%s", hh__sc_describe(v, found, sizeof found));
        return;
    }
    n = hh__sc_count(v);
    if (n == 0) {
        hh__sc_error(p, v, path, "the list is empty; name at least one object");
        return;
    }
    step->objects = hh__sc_calloc(p, n, sizeof *step->objects);
    for (item = v->child; item && step->objects; item = item->next, i++) {
        char sub[HH_SC_PATH_LEN];
        read_target(p, item, hh__sc_path_index(sub, path, i), a, step);
    }
}

/* Whether any target of the step is a semaphore; the first one in *which. */
static int semaphore_target(const struct hh__sc_parser *p, const struct hh_sc_step *step,
                            size_t *which)
{
    size_t i;
    for (i = 0; i < step->nobjects; i++) {
        if (p->sc->objects[step->objects[i]].type == HH_OBJECT_SEMAPHORE) {
            *which = step->objects[i];
            return 1;
        }
    }
    return 0;
}

/* ---- Actions ----------------------------------------------------------------------------- */

static void read_thread(struct hh__sc_parser *p, const cJSON *step_node, const char *path,
                        struct hh_sc_step *step)
{
    const cJSON *v = hh__sc_member(step_node, "thread");
    char sub[HH_SC_PATH_LEN], q[80];
    size_t sem;
    if (!v) {
        step->thread = hh__sc_strdup(p, "driver");
        return;
    }
    hh__sc_path_key(sub, path, "thread");
    if (hh__sc_thread_value(p, v, sub, &step->thread) != HH_SC_OK)
        return;
    if (step->action == HH_ACT_RELEASE && semaphore_target(p, step, &sem))
        hh__sc_key_error(p, v, sub, "a semaphore has no owner, so releasing %s takes no "
                         "\"thread\"; it is for mutexes and mutants",
                         hh__sc_quote(p->sc->objects[sem].name, q, sizeof q));
}

static void check_count_targets(struct hh__sc_parser *p, const cJSON *v, const char *path,
                                const struct hh_sc_step *step)
{
    size_t i;
    for (i = 0; i < step->nobjects; i++) {
        const struct hh_sc_object *o = &p->sc->objects[step->objects[i]];
        char q[80];
        if (o->type == HH_OBJECT_SEMAPHORE && step->count > o->limit)
            hh__sc_error(p, v, path, "releasing %ld units of %s, whose limit is %ld, always "
                         "raises STATUS_SEMAPHORE_LIMIT_EXCEEDED", (long)step->count,
                         hh__sc_quote(o->name, q, sizeof q), (long)o->limit);
        else if (o->type != HH_OBJECT_SEMAPHORE && o->type != HH_OBJECT_NONE)
            hh__sc_key_error(p, v, path, "\"count\" is the adjustment of a semaphore release; "
                             "%s is a %s", hh__sc_quote(o->name, q, sizeof q),
                             hh__sc_type_name(o->type));
    }
}

static void read_count(struct hh__sc_parser *p, const cJSON *step_node, const char *path,
                       struct hh_sc_step *step)
{
    const cJSON *v = hh__sc_member(step_node, "count");
    char sub[HH_SC_PATH_LEN];
    long long count = 1;
    step->count = 1;
    if (!v)
        return;
    hh__sc_path_key(sub, path, "count");
    if (hh__sc_integer_value(p, v, sub, 1, MAXLONG, &count) != HH_SC_OK)
        return;
    step->count = (LONG)count;
    check_count_targets(p, v, sub, step);
}

static void read_timer_action(struct hh__sc_parser *p, const cJSON *step_node, const char *path,
                              struct hh_sc_step *step)
{
    const cJSON *due = hh__sc_required(p, step_node, path, "due",
                                       "when the timer fires: a duration or { \"absolute\": D }");
    char sub[HH_SC_PATH_LEN];
    if (due)
        hh__sc_due_value(p, due, hh__sc_path_key(sub, path, "due"), &step->due);
    hh__sc_period(p, step_node, path, &step->period_ms);
}

/* The objects that are the module's globals live in the old image: unloading it would leave
 * the worker waiting on unmapped memory. */
static void check_no_globals(struct hh__sc_parser *p, const cJSON *v, const char *path)
{
    size_t i;
    char sub[HH_SC_PATH_LEN], q[80];
    for (i = 0; i < p->sc->nobjects; i++) {
        if (!p->sc->objects[i].global)
            continue;
        hh__sc_error(p, v, hh__sc_path_key(sub, path, "unload_old"),
                     "objects[%zu] %s is a global of the old image, which the worker keeps "
                     "waiting on after the swap; unloading that image would unmap it",
                     i, hh__sc_quote(p->sc->objects[i].name, q, sizeof q));
        return;
    }
}

/* "phases": { "pre_process": S, "proxy_stalled": S, "post_process": S }, each the status
 * that phase's callback must return, or null for a phase that must not run. */
static void read_phases(struct hh__sc_parser *p, const cJSON *v, const char *path,
                        struct hh_sc_hotswap *h)
{
    static const char *const keys[] = {"pre_process", "proxy_stalled", "post_process", NULL};
    int k;
    if (!hh__sc_is_object(p, v, path, "an object such as { \"proxy_stalled\": "
                          "\"STATUS_SUCCESS\" }"))
        return;
    hh__sc_check_keys(p, v, path, keys);
    for (k = 0; keys[k]; k++) {
        const cJSON *m = hh__sc_member(v, keys[k]);
        char sub[HH_SC_PATH_LEN];
        if (!m)
            continue;
        h->phase_given[k] = 1;
        if (cJSON_IsNull(m))
            h->phase_status[k] = STATUS_PENDING;
        else if (hh__sc_status_value(p, m, hh__sc_path_key(sub, path, keys[k]),
                                     &h->phase_status[k]) != HH_SC_OK)
            h->phase_given[k] = 0;
    }
}

/* Driver mode: the new image's load routine runs against the driver object the first one
 * was given, registers its endpoints through the swap sequence and returns the swap's status. */
static void read_driver_hotswap(struct hh__sc_parser *p, const cJSON *v, const char *path,
                                struct hh_sc_step *step)
{
    static const char *const keys[] = {"module", "load", "status", "phases", "routine",
                                       "unload_old", NULL};
    const cJSON *m;
    char sub[HH_SC_PATH_LEN];
    hh__sc_check_keys(p, v, path, keys);
    if ((m = hh__sc_member(v, "routine")) != NULL)
        hh__sc_key_error(p, m, hh__sc_path_key(sub, path, "routine"),
                         "a driver's swap takes no \"routine\": the new image's load routine "
                         "registers its endpoints, and the worker's wrapper follows them");
    if ((m = hh__sc_member(v, "unload_old")) != NULL)
        hh__sc_key_error(p, m, hh__sc_path_key(sub, path, "unload_old"),
                         "a driver's swap takes no \"unload_old\": the worker thread goes on "
                         "waiting on the objects the running image's start context named");
    m = hh__sc_required(p, v, path, "module", "the new image's module");
    if (m)
        hh__sc_text_value(p, m, hh__sc_path_key(sub, path, "module"), "the module",
                          &step->hotswap.module);
    m = hh__sc_member(v, "load");
    if (m)
        hh__sc_text_value(p, m, hh__sc_path_key(sub, path, "load"), "the load routine's name",
                          &step->hotswap.load);
    else if (p->sc->driver.load)
        step->hotswap.load = hh__sc_strdup(p, p->sc->driver.load);
    m = hh__sc_member(v, "status");
    if (m && hh__sc_status_value(p, m, hh__sc_path_key(sub, path, "status"),
                                 &step->hotswap.status) == HH_SC_OK) {
        step->hotswap.has_status = 1;
        step->hotswap.status_text =
            hh__sc_strdup(p, cJSON_IsString(m) ? m->valuestring : "the number given");
    }
    m = hh__sc_member(v, "phases");
    if (m)
        read_phases(p, m, hh__sc_path_key(sub, path, "phases"), &step->hotswap);
}

static void read_hotswap(struct hh__sc_parser *p, const cJSON *v, const char *path,
                         struct hh_sc_step *step)
{
    static const char *const keys[] = {"module", "routine", "unload_old", NULL};
    const cJSON *module;
    char sub[HH_SC_PATH_LEN];
    if (!hh__sc_is_object(p, v, path, "an object such as { \"module\": \"worker_v2\" }"))
        return;
    if (p->sc->driver_mode) {
        read_driver_hotswap(p, v, path, step);
        return;
    }
    hh__sc_check_keys(p, v, path, keys);
    module = hh__sc_required(p, v, path, "module", "the module to swap in");
    if (module)
        hh__sc_text_value(p, module, hh__sc_path_key(sub, path, "module"), "the module",
                          &step->hotswap.module);
    if (hh__sc_string(p, v, path, "routine", &step->hotswap.routine) == HH_SC_ABSENT &&
        p->sc->routine)
        step->hotswap.routine = hh__sc_strdup(p, p->sc->routine);
    if (hh__sc_bool(p, v, path, "unload_old", &step->hotswap.unload_old) == HH_SC_OK &&
        step->hotswap.unload_old)
        check_no_globals(p, hh__sc_member(v, "unload_old"), path);
}

static void read_true(struct hh__sc_parser *p, const cJSON *v, const char *path)
{
    char found[80];
    if (!cJSON_IsTrue(v))
        hh__sc_error(p, v, path, "expected true, found %s",
                     hh__sc_describe(v, found, sizeof found));
}

static void read_alert(struct hh__sc_parser *p, const cJSON *v, const char *path,
                       struct hh_sc_step *step)
{
    char found[80];
    step->alert_mode = KernelMode;
    if (cJSON_IsTrue(v) || (cJSON_IsString(v) && strcmp(v->valuestring, "kernel") == 0))
        return;
    if (cJSON_IsString(v) && strcmp(v->valuestring, "user") == 0) {
        step->alert_mode = UserMode;
        return;
    }
    hh__sc_error(p, v, path, "expected true, \"kernel\" or \"user\" (the alert's mode), found %s",
                 hh__sc_describe(v, found, sizeof found));
}

static void read_start(struct hh__sc_parser *p, const cJSON *v, const char *path, size_t index)
{
    read_true(p, v, path);
    if (p->sc->driver_mode) {
        hh__sc_key_error(p, v, path, "the driver's load routine starts its worker "
                         "(IoDriverProxyCreateHotSwappableWorkerThread) before the first step; "
                         "a driver-mode scenario has no \"start\" step");
        return;
    }
    if (p->sc->start_step == HH_SC_NONE) {
        p->sc->start_step = index;
        return;
    }
    hh__sc_key_error(p, v, path, "steps[%zu] already starts the worker; a scenario starts it "
                     "at most once", p->sc->start_step);
}

static void read_action(struct hh__sc_parser *p, const cJSON *step_node, const char *path,
                        const struct action *a, struct hh_sc_step *step, size_t index)
{
    const cJSON *v = hh__sc_member(step_node, a->key);
    char sub[HH_SC_PATH_LEN];
    hh__sc_path_key(sub, path, a->key);
    step->action = a->action;
    if (a->targets)
        read_targets(p, v, sub, a, step);
    if (hh__sc_listed("thread", a->extras))
        read_thread(p, step_node, path, step);
    switch (a->action) {
    case HH_ACT_START:
        read_start(p, v, sub, index);
        break;
    case HH_ACT_RELEASE:
        read_count(p, step_node, path, step);
        break;
    case HH_ACT_TIMER:
        read_timer_action(p, step_node, path, step);
        break;
    case HH_ACT_ALERT:
        read_alert(p, v, sub, step);
        hh__sc_read_worker_ref(p, step_node, path, &step->worker);
        break;
    case HH_ACT_APC:
        read_true(p, v, sub);
        hh__sc_read_worker_ref(p, step_node, path, &step->worker);
        break;
    case HH_ACT_ADVANCE:
        hh__sc_duration_value(p, v, sub, &step->advance);
        hh__sc_bool(p, step_node, path, "concurrent", &step->concurrent);
        if (hh__sc_member(step_node, "thread") && !step->concurrent)
            hh__sc_key_error(p, hh__sc_member(step_node, "thread"),
                             hh__sc_path_key(sub, path, "thread"),
                             "an advance names a thread only when it is concurrent (under "
                             "explore, the clock's thread); drop \"thread\" or add "
                             "\"concurrent\": true");
        break;
    case HH_ACT_HOTSWAP:
        read_hotswap(p, v, sub, step);
        break;
    case HH_ACT_CALL:
        hh__sc_read_call(p, v, step_node, sub, path, 0, step);
        hh__sc_bool(p, step_node, path, "concurrent", &step->concurrent);
        break;
    default:
        break;
    }
}

/* ---- The clock ----------------------------------------------------------------------------- */

static void read_at(struct hh__sc_parser *p, const cJSON *step_node, const char *path,
                    struct hh_sc_step *step, size_t index)
{
    const cJSON *v = hh__sc_member(step_node, "at");
    char sub[HH_SC_PATH_LEN], now[48], q[80];
    if (!v || hh__sc_duration_value(p, v, hh__sc_path_key(sub, path, "at"), &step->at) !=
                  HH_SC_OK)
        return;
    step->has_at = 1;
    if (step->at < p->clock) {
        hh__sc_error(p, v, sub, "%s is earlier than %s, where steps[%zu] already took the "
                     "clock; steps run in order and the clock never goes back",
                     cJSON_IsString(v) ? hh__sc_quote(v->valuestring, q, sizeof q) : "0",
                     hh_duration_format(p->clock, now, sizeof now), p->clock_step);
        return;
    }
    p->clock = step->at;
    p->clock_step = index;
}

static void advance_clock(struct hh__sc_parser *p, const cJSON *step_node, const char *path,
                          const struct hh_sc_step *step, size_t index)
{
    char sub[HH_SC_PATH_LEN];
    if (step->action != HH_ACT_ADVANCE || step->advance == 0)
        return;
    if (p->clock > TIMELINE_MAX - step->advance) {
        hh__sc_error(p, hh__sc_member(step_node, "advance"), hh__sc_path_key(sub, path, "advance"),
                     "the timeline passes 100000 days here; shorten the advances");
        return;
    }
    p->clock += step->advance;
    p->clock_step = index;
}

/* ---- Steps ------------------------------------------------------------------------------- */

static void read_step(struct hh__sc_parser *p, const cJSON *v, size_t index)
{
    struct hh_sc_step *step = &p->sc->steps[index];
    const struct action *a;
    const cJSON *m;
    int64_t from;
    snprintf(step->path, sizeof step->path, "steps[%zu]", index);
    step->pos = hh_jsonpos_value(p->json, v);
    if (!hh__sc_is_object(p, v, step->path, "a step object such as { \"set\": \"work\" }"))
        return;
    check_step_keys(p, v, step->path);
    a = step_action(p, v, step->path);
    from = p->clock;
    read_at(p, v, step->path, step, index);
    if (a) {
        read_action(p, v, step->path, a, step, index);
        check_extra_keys(p, v, step->path, a);
        advance_clock(p, v, step->path, step, index);
    }
    m = hh__sc_member(v, "expect");
    if (m)
        hh__sc_read_expect(p, m, step->path, step, from, p->clock);
    hh__sc_bool(p, v, step->path, "expect_more", &step->expect_more);
    m = hh__sc_member(v, "then");
    if (m) {
        char sub[HH_SC_PATH_LEN];
        step->has_then = 1;
        hh__sc_read_then(p, m, hh__sc_path_key(sub, step->path, "then"), &step->then);
    }
    hh__sc_string(p, v, step->path, "note", &step->note);
}

/* Before an explicit start there is no worker: nothing to expect, alert or swap. */
static void check_before_start(struct hh__sc_parser *p, const cJSON *arr)
{
    const struct hh_scenario *sc = p->sc;
    const cJSON *v;
    size_t i;
    if (sc->start_step == HH_SC_NONE)
        return;
    for (v = arr->child, i = 0; v && i < sc->start_step; v = v->next, i++) {
        const struct hh_sc_step *step = &sc->steps[i];
        char sub[HH_SC_PATH_LEN];
        if (step->nexpect > 0)
            hh__sc_error(p, hh__sc_member(v, "expect"), hh__sc_path_key(sub, step->path, "expect"),
                         "no worker exists before steps[%zu] starts it, so this step causes no "
                         "invocation; move these expectations after the start", sc->start_step);
        if (step->action == HH_ACT_ALERT || step->action == HH_ACT_APC ||
            step->action == HH_ACT_HOTSWAP)
            hh__sc_error(p, v, step->path, "no worker exists before steps[%zu] starts it; "
                         "move this step after the start", sc->start_step);
    }
}

/* Concurrent steps, and the step before the first of a run of them, cause invocations that
 * are not theirs alone (under `explore` they overlap): they take no expect or then, and their
 * invocations are checked only by the invariants and the contract checks. Each runs on a
 * thread of its own, two at once never on one. */
static void check_concurrent(struct hh__sc_parser *p, const cJSON *arr)
{
    struct hh_scenario *sc = p->sc;
    const cJSON *v;
    size_t i, j, first = 0;
    char sub[HH_SC_PATH_LEN];
    for (v = arr->child, i = 0; v; v = v->next, i++) {
        struct hh_sc_step *step = &sc->steps[i];
        int grouped = step->concurrent || (v->next && sc->steps[i + 1].concurrent);
        if (!step->concurrent)
            first = i + 1;
        if (step->concurrent && (!step->thread || strcmp(step->thread, "driver") == 0))
            hh__sc_error(p, v, step->path, "a concurrent step runs on a thread of its own: give "
                         "it a \"thread\" other than \"driver\" (the scenario's thread, which "
                         "plays the steps), such as \"producer\"");
        for (j = first; step->concurrent && step->thread && j < i; j++) {
            if (sc->steps[j].thread && strcmp(sc->steps[j].thread, step->thread) == 0)
                hh__sc_error(p, hh__sc_member(v, "thread"), hh__sc_path_key(sub, step->path,
                             "thread"), "steps[%zu] runs on the thread \"%s\" at the same time; "
                             "concurrent steps of one run each need a thread of their own", j,
                             step->thread);
        }
        if (step->concurrent && step->has_at)
            hh__sc_error(p, hh__sc_member(v, "at"), hh__sc_path_key(sub, step->path, "at"),
                         "a concurrent step starts when the step before it has acted, with no "
                         "time between; put \"at\" on the step before the run");
        if (!grouped)
            continue;
        if (hh__sc_member(v, "expect") || hh__sc_member(v, "then") ||
            hh__sc_member(v, "expect_more"))
            hh__sc_error(p, v, step->path, "%s: the invocations of a run of concurrent steps (and "
                         "of the step before it) interleave, so they belong to no step alone; "
                         "move expect and then to the next step that is not concurrent",
                         step->concurrent ? "a concurrent step takes no expect or then"
                                          : "the step before a concurrent step takes no "
                                            "expect or then");
        step->expect_more = 1; /* its invocations are not checked against a list */
    }
}

void hh__sc_read_steps(struct hh__sc_parser *p, const cJSON *root)
{
    const cJSON *arr = hh__sc_required(p, root, "", "steps", "the timeline; it may be empty");
    const cJSON *v;
    size_t n = 0, i;
    p->clock = 0;
    p->clock_step = HH_SC_NONE;
    if (!arr)
        return;
    if (!cJSON_IsArray(arr)) {
        char found[80];
        hh__sc_error(p, arr, "steps", "expected an array of steps, found %s",
                     hh__sc_describe(arr, found, sizeof found));
        return;
    }
    n = hh__sc_count(arr);
    p->sc->steps = hh__sc_calloc(p, n, sizeof *p->sc->steps);
    if (!p->sc->steps)
        return;
    p->sc->nsteps = n;
    p->in_steps = 1;
    for (v = arr->child, i = 0; v; v = v->next, i++)
        read_step(p, v, i);
    p->in_steps = 0;
    check_before_start(p, arr);
    check_concurrent(p, arr);
}
