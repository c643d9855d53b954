/* scenario_expect.c - a step's "expect" list and its "then" checks.
 *
 * An expected status must be one this scenario's wait can return: a wait status at all, an
 * index that exists and can win, an abandonment only of a mutant, a timeout only with a
 * timeout, an alert only when alertable. An expected time must fall inside the span of
 * virtual time the step covers.
 */
#include "scenario_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"

const char *const hh__sc_decision_names[] = {"continue", "terminate", NULL};

#define INDEX_MASK 0x3F

/* ---- Which statuses the wait can return ---------------------------------------------------- */

static int has_type(const struct hh_scenario *sc, int type)
{
    size_t i;
    for (i = 0; i < sc->nobjects; i++) {
        if (sc->objects[i].type == type)
            return 1;
    }
    return 0;
}

static void check_wait_all_index(struct hh__sc_parser *p, const cJSON *v, const char *path,
                                 NTSTATUS s)
{
    char name[48];
    hh_status_name(s, name, sizeof name);
    if ((s & INDEX_MASK) != 0)
        hh__sc_error(p, v, path, "a WaitAll returns STATUS_WAIT_0 (STATUS_SUCCESS) or "
                     "STATUS_ABANDONED_WAIT_0 when it is satisfied, never %s", name);
    else if (s == STATUS_ABANDONED_WAIT_0 && !has_type(p->sc, HH_OBJECT_MUTANT))
        hh__sc_error(p, v, path, "STATUS_ABANDONED_WAIT_0 (STATUS_ABANDONED) needs an abandoned "
                     "mutant among the objects, and there is no mutant");
}

static void check_wait_any_index(struct hh__sc_parser *p, const cJSON *v, const char *path,
                                 NTSTATUS s)
{
    const struct hh_scenario *sc = p->sc;
    size_t n = (size_t)(s & INDEX_MASK);
    char name[48], q[80];
    const struct hh_sc_object *o;
    hh_status_name(s, name, sizeof name);
    if (n >= sc->nobjects) {
        hh__sc_error(p, v, path, "%s names objects[%zu], but the wait has %zu object%s "
                     "(objects[0] to objects[%zu])", name, n, sc->nobjects,
                     sc->nobjects == 1 ? "" : "s", sc->nobjects - 1);
        return;
    }
    o = &sc->objects[n];
    if (o->same_as != HH_SC_NONE)
        hh__sc_error(p, v, path, "objects[%zu] repeats objects[%zu], which comes first: a WaitAny "
                     "returns the lowest index that is signaled, so never %s", n, o->same_as,
                     name);
    else if ((s & STATUS_ABANDONED) && o->type != HH_OBJECT_MUTANT &&
             o->type != HH_OBJECT_NONE)
        hh__sc_error(p, v, path, "objects[%zu] %s is a %s; only a mutant is abandoned, so a wait "
                     "never returns %s", n, hh__sc_quote(o->name ? o->name : "", q, sizeof q),
                     hh__sc_type_name(o->type), name);
}

static void check_returnable(struct hh__sc_parser *p, const cJSON *v, const char *path,
                             NTSTATUS s)
{
    const struct hh_sc_wait *w = &p->sc->wait;
    char name[48];
    hh_status_name(s, name, sizeof name);
    if (!hh_status_wait_returns(s)) {
        hh__sc_error(p, v, path, "a wait never returns %s; the routine receives "
                     "STATUS_WAIT_n, STATUS_ABANDONED_WAIT_n, STATUS_USER_APC, STATUS_ALERTED "
                     "or STATUS_TIMEOUT", name);
        return;
    }
    if (!p->wait_ok || !p->objects_ok)
        return;
    if (s <= STATUS_ABANDONED_WAIT_63) {
        if (w->type == WaitAll)
            check_wait_all_index(p, v, path, s);
        else
            check_wait_any_index(p, v, path, s);
    } else if (s == STATUS_TIMEOUT && w->timeout.kind == HH_TIMEOUT_INFINITE) {
        hh__sc_error(p, v, path, "the wait has no timeout (wait.timeout is absent or null), so "
                     "it never returns STATUS_TIMEOUT");
    } else if (s == STATUS_ALERTED && !w->alertable) {
        hh__sc_error(p, v, path, "the wait is not alertable (wait.alertable is false), so it "
                     "never returns STATUS_ALERTED");
    } else if (s == STATUS_USER_APC && w->mode != UserMode) {
        /* A non-alertable UserMode wait returns it too once a wait of the routine's own has
         * set UserApcPending (KiCheckAlertability). */
        hh__sc_error(p, v, path, "only a UserMode wait returns STATUS_USER_APC (an alertable "
                     "one when a user APC is queued); set wait.mode to \"user\"");
    }
}

/* ---- expect ------------------------------------------------------------------------------ */

static void read_expected_at(struct hh__sc_parser *p, const cJSON *entry, const char *path,
                             struct hh_sc_expect *x, int64_t from, int64_t to)
{
    const cJSON *v = hh__sc_member(entry, "at");
    char sub[HH_SC_PATH_LEN], a[48], c[48];
    if (!v || hh__sc_duration_value(p, v, hh__sc_path_key(sub, path, "at"), &x->at) != HH_SC_OK)
        return;
    x->has_at = 1;
    /* Only a lower bound: the routine's own waits may move the clock past the step's end. */
    (void)to;
    if (x->at >= from)
        return;
    hh__sc_error(p, v, sub, "this step starts at %s of virtual time, so none of its invocations "
                 "happens as early as %s", hh_duration_format(from, a, sizeof a),
                 hh_duration_format(x->at, c, sizeof c));
}

/* "worker": 2 (creation order) or "worker": "AcpiLikeDeviceWorker" (its routine's exported
 * name): an expected invocation's, then's or an alert's or apc's worker; driver mode only,
 * where a driver may start several workers. */
void hh__sc_read_worker_ref(struct hh__sc_parser *p, const cJSON *entry, const char *path,
                            struct hh_sc_worker_ref *w)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, "worker");
    char sub[HH_SC_PATH_LEN];
    long long n;
    if (!v)
        return;
    hh__sc_path_key(sub, path, "worker");
    if (!p->sc->driver_mode) {
        hh__sc_error(p, v, sub, "a scenario that names a routine has one worker; \"worker\" "
                     "names one of the workers a driver started (\"driver\")");
        return;
    }
    if (cJSON_IsString(v)) {
        hh__sc_name_value(p, v, sub, "a worker routine's exported name", &w->routine);
        return;
    }
    if (!cJSON_IsNumber(v)) {
        char found[80];
        hh__sc_error(p, v, sub, "expected the worker's number in creation order (1 for the "
                     "first the driver started) or its routine's exported name, found %s",
                     hh__sc_describe(v, found, sizeof found));
        return;
    }
    if (hh__sc_integer_value(p, v, sub, 1, HH_SC_WORKERS_MAX, &n) == HH_SC_OK)
        w->number = (unsigned)n;
}

static void read_expectation(struct hh__sc_parser *p, const cJSON *entry, const char *path,
                             struct hh_sc_expect *x, int64_t from, int64_t to)
{
    static const char *const keys[] = {"status", "decision", "at", "log", "repeat", "worker",
                                       NULL};
    const cJSON *status;
    char sub[HH_SC_PATH_LEN];
    long long repeat = 1;
    int decision;
    snprintf(x->path, sizeof x->path, "%s", path);
    x->pos = hh_jsonpos_value(p->json, entry);
    x->repeat = 1;
    if (!hh__sc_is_object(p, entry, path, "an expected invocation such as { \"status\": "
                          "\"STATUS_WAIT_0\", \"decision\": \"continue\" }"))
        return;
    hh__sc_check_keys(p, entry, path, keys);
    status = hh__sc_required(p, entry, path, "status", "the WaitStatus the routine receives");
    hh__sc_path_key(sub, path, "status");
    if (status && hh__sc_status_value(p, status, sub, &x->status) == HH_SC_OK)
        check_returnable(p, status, sub, x->status);
    if (hh__sc_choice(p, entry, path, "decision", hh__sc_decision_names, &decision) == HH_SC_OK)
        x->decision = decision + 1;
    read_expected_at(p, entry, path, x, from, to);
    hh__sc_string(p, entry, path, "log", &x->log);
    hh__sc_read_worker_ref(p, entry, path, &x->worker);
    if (hh__sc_integer(p, entry, path, "repeat", 1, 1000000, &repeat) == HH_SC_OK)
        x->repeat = (unsigned long)repeat;
}

void hh__sc_read_expect(struct hh__sc_parser *p, const cJSON *v, const char *path,
                        struct hh_sc_step *step, int64_t from, int64_t to)
{
    const cJSON *entry;
    char sub[HH_SC_PATH_LEN];
    size_t n = 0, i;
    hh__sc_path_key(sub, path, "expect");
    if (!cJSON_IsArray(v)) {
        char found[80];
        hh__sc_error(p, v, sub, "expected an array of expected invocations, found %s",
                     hh__sc_describe(v, found, sizeof found));
        return;
    }
    n = hh__sc_count(v);
    step->expect = hh__sc_calloc(p, n, sizeof *step->expect);
    if (!step->expect)
        return;
    step->nexpect = n;
    for (entry = v->child, i = 0; entry; entry = entry->next, i++) {
        char item[HH_SC_PATH_LEN];
        read_expectation(p, entry, hh__sc_path_index(item, sub, i), &step->expect[i], from, to);
    }
}

/* ---- then -------------------------------------------------------------------------------- */

static void read_signaled(struct hh__sc_parser *p, const cJSON *v, const char *path,
                          struct hh_sc_then *then)
{
    const cJSON *m;
    if (!hh__sc_is_object(p, v, path, "an object of object names and true or false, such as "
                          "{ \"stop\": true }"))
        return;
    then->signaled = hh__sc_calloc(p, hh__sc_count(v), sizeof *then->signaled);
    if (!then->signaled)
        return;
    for (m = v->child; m; m = m->next) {
        char sub[HH_SC_PATH_LEN], found[80];
        size_t object;
        hh__sc_path_key(sub, path, m->string);
        object = hh__sc_object_key(p, m, sub);
        if (!cJSON_IsBool(m)) {
            hh__sc_error(p, m, sub, "expected true or false, found %s",
                         hh__sc_describe(m, found, sizeof found));
            continue;
        }
        if (object == HH_SC_NONE)
            continue;
        then->signaled[then->nsignaled].object = object;
        then->signaled[then->nsignaled].value = cJSON_IsTrue(m);
        then->nsignaled++;
    }
}

static void set_irql(struct hh_sc_then *then, int irql)
{
    then->has_irql = 1;
    then->irql = irql;
}

static void read_irql(struct hh__sc_parser *p, const cJSON *v, const char *path,
                      struct hh_sc_then *then)
{
    static const char *const levels[] = {"PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL", NULL};
    char found[80];
    long long irql;
    int i;
    if (cJSON_IsNumber(v)) {
        if (hh__sc_integer_value(p, v, path, 0, 31, &irql) == HH_SC_OK)
            set_irql(then, (int)irql);
        return;
    }
    for (i = 0; cJSON_IsString(v) && levels[i]; i++) {
        if (strcmp(v->valuestring, levels[i]) == 0) {
            set_irql(then, i);
            return;
        }
    }
    hh__sc_error(p, v, path, "expected an IRQL from 0 to 31 or \"PASSIVE_LEVEL\", \"APC_LEVEL\" "
                 "or \"DISPATCH_LEVEL\", found %s", hh__sc_describe(v, found, sizeof found));
}

static void read_context(struct hh__sc_parser *p, const cJSON *v, const char *path,
                         struct hh_sc_then *then)
{
    if (!hh__sc_is_object(p, v, path, "an object: the part of HotswapDescribeContext's JSON "
                          "to compare"))
        return;
    then->context_json = cJSON_PrintUnformatted(v);
    if (!then->context_json)
        hh__sc_error(p, v, path, "out of memory");
}

void hh__sc_read_then(struct hh__sc_parser *p, const cJSON *v, const char *path,
                      struct hh_sc_then *then)
{
    static const char *const keys[] = {"terminated", "signaled", "context", "irql", "worker",
                                       NULL};
    const cJSON *m;
    char sub[HH_SC_PATH_LEN];
    then->pos = hh_jsonpos_value(p->json, v);
    if (!hh__sc_is_object(p, v, path, "an object of checks such as { \"terminated\": true }"))
        return;
    hh__sc_check_keys(p, v, path, keys);
    if (hh__sc_bool(p, v, path, "terminated", &then->terminated) == HH_SC_OK)
        then->has_terminated = 1;
    m = hh__sc_member(v, "signaled");
    if (m)
        read_signaled(p, m, hh__sc_path_key(sub, path, "signaled"), then);
    m = hh__sc_member(v, "context");
    if (m)
        read_context(p, m, hh__sc_path_key(sub, path, "context"), then);
    m = hh__sc_member(v, "irql");
    if (m)
        read_irql(p, m, hh__sc_path_key(sub, path, "irql"), then);
    hh__sc_read_worker_ref(p, v, path, &then->worker);
}
