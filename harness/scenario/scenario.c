/* scenario.c - a scenario file from bytes to a validated struct hh_scenario.
 *
 * Owns the entry points (parse, load, free, object lookup), the syntax pass (jsonpos, then
 * cJSON) and the top level: names, module, routine, context, wait, true_means, invariants,
 * limits and checks. Objects and steps are read by their own files. Nothing is returned from a file
 * with an error; every error found is in the diagnostics.
 */
#include "scenario_int.h"

#include "explore/schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/relpath.h"
#include "common/rules.h"
#include "common/status.h"
#include "platform/plat.h"

#define FILE_LIMIT ((size_t)16 << 20) /* bytes in a scenario file */
#define LIVELOCK_MAX 10000000

static const char *const top_keys[] = {"$schema", "name",       "description", "module",
                                       "routine", "context",    "objects",     "wait",
                                       "steps",   "true_means", "invariants",  "limits",
                                       "checks",  "clock",      "driver",      "schedule",
                                       "fuzz",    NULL};

static const char *const clock_names[] = {"virtual", "real", NULL};

/* Index is the KWAIT_REASON value. */
static const char *const wait_reasons[] = {
    "executive", "free_page", "page_in", "pool_allocation", "delay_execution", "suspended",
    "user_request", "wr_executive", "wr_free_page", "wr_page_in", "wr_pool_allocation",
    "wr_delay_execution", "wr_suspended", "wr_user_request", "wr_event_pair", "wr_queue",
    "wr_lpc_receive", "wr_lpc_reply", "wr_virtual_memory", "wr_page_out", "wr_rendezvous",
    "wr_keyed_event", "wr_terminated", "wr_process_in_swap", "wr_cpu_rate_control",
    "wr_callout_stack", "wr_kernel", "wr_resource", "wr_push_lock", "wr_mutex",
    "wr_quantum_end", "wr_dispatch_int", "wr_preempted", "wr_yield_execution", "wr_fast_mutex",
    "wr_guarded_mutex", "wr_rundown", "wr_alert_by_thread_id", "wr_deferred_preempt", NULL};

_Static_assert(sizeof(wait_reasons) / sizeof(wait_reasons[0]) == MaximumWaitReason + 1,
               "one name per KWAIT_REASON");

/* ---- Top level --------------------------------------------------------------------------- */

/* label names the value in messages ("the module"); what says what it is for. */
static void read_required_text(struct hh__sc_parser *p, const cJSON *root, const char *key,
                               const char *label, const char *what, char **out)
{
    const cJSON *v = hh__sc_required(p, root, "", key, what);
    if (v)
        hh__sc_text_value(p, v, key, label, out);
}

static void read_context(struct hh__sc_parser *p, const cJSON *root)
{
    const cJSON *v = hh__sc_member(root, "context");
    if (!v)
        return;
    p->sc->context_json = cJSON_PrintUnformatted(v);
    if (!p->sc->context_json)
        hh__sc_error(p, v, "context", "out of memory");
}

static void read_timeout(struct hh__sc_parser *p, const cJSON *wait, struct hh_sc_wait *w)
{
    const cJSON *v = hh__sc_member(wait, "timeout");
    w->timeout.kind = HH_TIMEOUT_INFINITE;
    w->timeout.ticks = 0;
    if (!v || cJSON_IsNull(v))
        return;
    hh__sc_due_value(p, v, "wait.timeout", &w->timeout);
}

static void read_wait(struct hh__sc_parser *p, const cJSON *root)
{
    static const char *const keys[] = {"type", "mode", "alertable", "reason", "timeout", NULL};
    static const char *const types[] = {"any", "all", NULL};
    static const char *const modes[] = {"kernel", "user", NULL};
    const cJSON *wait = hh__sc_member(root, "wait");
    struct hh_sc_wait *w = &p->sc->wait;
    size_t errors = p->errors;
    int choice;
    w->type = WaitAny;
    w->mode = KernelMode;
    w->reason = Executive;
    w->timeout.kind = HH_TIMEOUT_INFINITE;
    if (wait && !hh__sc_is_object(p, wait, "wait", "an object such as { \"type\": \"any\" }"))
        return;
    if (wait) {
        hh__sc_check_keys(p, wait, "wait", keys);
        if (hh__sc_choice(p, wait, "wait", "type", types, &choice) == HH_SC_OK)
            w->type = choice ? WaitAll : WaitAny;
        if (hh__sc_choice(p, wait, "wait", "mode", modes, &choice) == HH_SC_OK)
            w->mode = choice ? UserMode : KernelMode;
        hh__sc_bool(p, wait, "wait", "alertable", &w->alertable);
        if (hh__sc_choice(p, wait, "wait", "reason", wait_reasons, &choice) == HH_SC_OK)
            w->reason = (KWAIT_REASON)choice;
        read_timeout(p, wait, w);
    }
    p->wait_ok = p->errors == errors;
}

/* The routine's TRUE has two published meanings, so none is assumed: the file says, or the
 * command line does for the files that do not. */
static void read_true_means(struct hh__sc_parser *p, const cJSON *root)
{
    int choice;
    switch (hh__sc_choice(p, root, "", "true_means", hh__sc_decision_names, &choice)) {
    case HH_SC_OK:
        p->sc->true_means = choice ? HH_TRUE_MEANS_TERMINATE : HH_TRUE_MEANS_CONTINUE;
        break;
    case HH_SC_ABSENT:
        if (p->true_means_default != HH_TRUE_MEANS_UNSET) {
            p->sc->true_means = p->true_means_default;
            break;
        }
        hh__sc_error(p, root, "",
                     "no \"true_means\": say what the routine's TRUE means\n"
                     "  the WDK page: TRUE waits again, FALSE ends the thread\n"
                     "  acpi.sys (Windows 11 24H2 to 26H1): the opposite, TRUE ends it\n"
                     "  choose \"true_means\": \"continue\" (WDK) or \"terminate\" (acpi.sys) "
                     "in the scenario, in a " HH_SUITE_FILE " beside it for its whole folder, "
                     "or with --true-means continue|terminate");
        break;
    default:
        break;
    }
}

const char *hh_true_means_name(int true_means)
{
    return true_means == HH_TRUE_MEANS_TERMINATE ? "terminate" : "continue";
}

int hh_true_means_from_name(const char *name)
{
    if (strcmp(name, "continue") == 0)
        return HH_TRUE_MEANS_CONTINUE;
    if (strcmp(name, "terminate") == 0)
        return HH_TRUE_MEANS_TERMINATE;
    return HH_TRUE_MEANS_UNSET;
}

/* "schedule": a schedule's text form (harness/explore/schedule.h), checked here so that a
 * typo is reported where it stands. */
static void read_schedule(struct hh__sc_parser *p, const cJSON *root)
{
    const cJSON *v = hh__sc_member(root, "schedule");
    struct hh_ex_schedule *sched;
    char err[300];
    if (hh__sc_string(p, root, "", "schedule", &p->sc->schedule) != HH_SC_OK)
        return;
    p->sc->schedule_pos = hh_jsonpos_value(p->json, v);
    if (hh_ex_schedule_parse(p->sc->schedule, strlen(p->sc->schedule), &sched, err,
                             sizeof(err)) != 0) {
        hh__sc_error(p, v, "schedule", "%s; the form is \"worker x3, producer, worker\" "
                     "(docs/explore.md)", err);
        return;
    }
    hh_ex_schedule_free(sched);
}

static void read_clock(struct hh__sc_parser *p, const cJSON *root)
{
    int choice;
    if (hh__sc_choice(p, root, "", "clock", clock_names, &choice) == HH_SC_OK)
        p->sc->clock = choice == 1 ? HH_SC_CLOCK_REAL : HH_SC_CLOCK_VIRTUAL;
}

/* ---- Invariants and limits --------------------------------------------------------------- */

static char *read_pattern(struct hh__sc_parser *p, const cJSON *v, const char *path)
{
    char q[80], s[80], text[24];
    const char *suggestion;
    long long number;
    if (cJSON_IsNumber(v)) {
        if (hh__sc_integer_value(p, v, path, -2147483647LL - 1, 0xFFFFFFFFLL, &number) !=
            HH_SC_OK)
            return NULL;
        snprintf(text, sizeof text, "%lld", number);
        return hh__sc_strdup(p, text);
    }
    if (!cJSON_IsString(v)) {
        char found[80];
        hh__sc_error(p, v, path, "expected a status name (with * and ? wildcards) or a number, "
                     "found %s", hh__sc_describe(v, found, sizeof found));
        return NULL;
    }
    if (hh_status_pattern_valid(v->valuestring))
        return hh__sc_strdup(p, v->valuestring);
    hh__sc_quote(v->valuestring, q, sizeof q);
    suggestion = strpbrk(v->valuestring, "*?") ? NULL : hh_status_suggest(v->valuestring);
    if (suggestion)
        hh__sc_error(p, v, path, "unknown status %s; did you mean %s?", q,
                     hh__sc_quote(suggestion, s, sizeof s));
    else
        hh__sc_error(p, v, path, "%s matches no status name; patterns such as "
                     "\"STATUS_WAIT_*\" or \"STATUS_ABANDONED_WAIT_?\" match names, and a "
                     "number matches that value", q);
    return NULL;
}

static void read_rule(struct hh__sc_parser *p, const cJSON *v, struct hh_sc_rule *rule)
{
    static const char *const keys[] = {"status", "decision", NULL};
    const cJSON *status;
    char sub[HH_SC_PATH_LEN];
    int decision;
    if (!hh__sc_is_object(p, v, rule->path, "a rule such as { \"status\": \"STATUS_WAIT_1\", "
                          "\"decision\": \"terminate\" }"))
        return;
    hh__sc_check_keys(p, v, rule->path, keys);
    status = hh__sc_required(p, v, rule->path, "status", "the statuses the rule covers");
    if (status)
        rule->pattern = read_pattern(p, status, hh__sc_path_key(sub, rule->path, "status"));
    if (rule->pattern) {
        rule->nvalues = hh_status_pattern_values(rule->pattern, NULL, 0);
        rule->values = hh__sc_calloc(p, rule->nvalues, sizeof(*rule->values));
        if (rule->values)
            hh_status_pattern_values(rule->pattern, rule->values, rule->nvalues);
        else
            rule->nvalues = 0;
    }
    if (!hh__sc_required(p, v, rule->path, "decision", "what the routine must decide"))
        return;
    if (hh__sc_choice(p, v, rule->path, "decision", hh__sc_decision_names, &decision) ==
        HH_SC_OK)
        rule->decision = decision + 1;
}

int hh_sc_rule_covers(const struct hh_sc_rule *r, NTSTATUS s)
{
    size_t i;
    for (i = 0; i < r->nvalues; i++) {
        if (r->values[i] == s)
            return 1;
    }
    return 0;
}

static void read_invariants(struct hh__sc_parser *p, const cJSON *root)
{
    static const char *const keys[] = {"decisions", NULL};
    const cJSON *inv = hh__sc_member(root, "invariants"), *rules, *v;
    size_t n, i;
    if (!inv || !hh__sc_is_object(p, inv, "invariants", "an object such as { \"decisions\": "
                                  "[ ... ] }"))
        return;
    hh__sc_check_keys(p, inv, "invariants", keys);
    rules = hh__sc_member(inv, "decisions");
    if (!rules)
        return;
    if (!cJSON_IsArray(rules)) {
        char found[80];
        hh__sc_error(p, rules, "invariants.decisions", "expected an array of rules, found %s",
                     hh__sc_describe(rules, found, sizeof found));
        return;
    }
    n = hh__sc_count(rules);
    p->sc->invariants = hh__sc_calloc(p, n, sizeof *p->sc->invariants);
    if (!p->sc->invariants)
        return;
    p->sc->ninvariants = n;
    for (v = rules->child, i = 0; v; v = v->next, i++) {
        struct hh_sc_rule *rule = &p->sc->invariants[i];
        snprintf(rule->path, sizeof rule->path, "invariants.decisions[%zu]", i);
        read_rule(p, v, rule);
    }
}

static void read_limits(struct hh__sc_parser *p, const cJSON *root)
{
    static const char *const keys[] = {"livelock", NULL};
    const cJSON *limits = hh__sc_member(root, "limits");
    long long livelock;
    if (!limits || !hh__sc_is_object(p, limits, "limits", "an object such as { \"livelock\": "
                                     "1000 }"))
        return;
    hh__sc_check_keys(p, limits, "limits", keys);
    if (hh__sc_integer(p, limits, "limits", "livelock", 1, LIVELOCK_MAX, &livelock) == HH_SC_OK)
        p->sc->livelock_limit = (unsigned long)livelock;
}

/* Fills names[] with the rules (switchable ones only, when asked); returns how many. */
static size_t rule_names(const char **names, int switchable_only)
{
    size_t n = 0;
    int r;
    for (r = HH_RULE_NONE + 1; r < HH_RULE_COUNT; r++) {
        if (!switchable_only || hh_rule_switchable((enum hh_rule)r))
            names[n++] = hh_rule_name((enum hh_rule)r);
    }
    return n;
}

static void read_check(struct hh__sc_parser *p, const cJSON *m, const char *path)
{
    const char *names[HH_RULE_COUNT];
    char alt[400], found[80], list[200];
    enum hh_rule rule = hh_rule_from_name(m->string);
    size_t n;
    if (rule == HH_RULE_NONE) {
        n = rule_names(names, 0);
        hh__sc_key_error(p, m, path, "no contract check is named \"%s\"%s", m->string,
                         hh__sc_alternatives(m->string, names, n, alt, sizeof alt));
    } else if (!cJSON_IsBool(m)) {
        hh__sc_error(p, m, path, "expected false (turn the check off) or true, found %s",
                     hh__sc_describe(m, found, sizeof found));
    } else if (cJSON_IsFalse(m) && !hh_rule_switchable(rule)) {
        n = rule_names(names, 1);
        hh__sc_error(p, m, path, "\"%s\" cannot be turned off: the kernel would bug-check or "
                     "hang; the checks a scenario may turn off are %s", m->string,
                     hh__sc_join_words(names, n, " and ", list, sizeof list));
    } else {
        p->sc->checks_off[rule] = (unsigned char)cJSON_IsFalse(m);
    }
}

static void read_checks(struct hh__sc_parser *p, const cJSON *root)
{
    const cJSON *checks = hh__sc_member(root, "checks"), *m;
    if (!checks || !hh__sc_is_object(p, checks, "checks", "an object such as { \"pool-leak\": "
                                     "false }"))
        return;
    for (m = checks->child; m; m = m->next) {
        char path[HH_SC_PATH_LEN];
        read_check(p, m, hh__sc_path_key(path, "checks", m->string));
    }
}

static void read_scenario(struct hh__sc_parser *p, const cJSON *root)
{
    char *schema = NULL;
    if (!hh__sc_is_object(p, root, "", "a JSON object holding the scenario"))
        return;
    hh__sc_check_keys(p, root, "", top_keys);
    hh__sc_check_duplicate_keys(p, root);
    hh__sc_string(p, root, "", "$schema", &schema);
    free(schema);
    read_required_text(p, root, "name", "the scenario's name", "shown in reports",
                       &p->sc->name);
    hh__sc_string(p, root, "", "description", &p->sc->description);
    if (hh__sc_member(root, "driver")) { /* driver mode: the driver's code says the rest */
        hh__sc_read_driver(p, root);
        hh__sc_read_objects(p, root);
    } else {
        read_required_text(p, root, "module", "the module", "the module that holds the routine",
                           &p->sc->module);
        read_required_text(p, root, "routine", "the routine",
                           "the worker routine's exported name", &p->sc->routine);
        read_context(p, root);
        hh__sc_read_objects(p, root);
        read_wait(p, root);
        hh__sc_check_objects_against_wait(p, root);
    }
    hh__sc_read_steps(p, root);
    hh__sc_read_fuzz(p, root);
    read_true_means(p, root);
    read_clock(p, root);
    read_schedule(p, root);
    if (p->sc->schedule && p->sc->clock == HH_SC_CLOCK_REAL)
        hh__sc_error(p, hh__sc_member(root, "schedule"), "schedule", "a schedule is followed on "
                     "the virtual clock only; drop \"clock\": \"real\" or the schedule");
    read_invariants(p, root);
    read_limits(p, root);
    read_checks(p, root);
}

/* ---- Syntax ------------------------------------------------------------------------------ */

cJSON *hh__sc_parse_json(const char *file, const char *text, size_t len,
                         struct hh_jsonpos *json, struct hh_diags *diags)
{
    struct hh_json_error err;
    const char *end = NULL;
    cJSON *root;
    if (hh_jsonpos_scan(json, text, len, &err) != 0) {
        hh_diags_add(diags, file, err.pos.line, err.pos.col, "", "%s", err.msg);
        return NULL;
    }
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root || hh_jsonpos_bind(json, root) != 0) {
        hh_diags_add(diags, file, 0, 0, "", "out of memory while building the JSON tree");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static char *folder_of(const char *file)
{
    size_t n = strlen(file) + 2; /* "." for "a.json" */
    char *dir = malloc(n);
    if (dir)
        hh_path_folder(file, dir, n);
    return dir;
}

static struct hh_scenario *new_scenario(const char *file)
{
    struct hh_scenario *sc = calloc(1, sizeof *sc);
    size_t n = strlen(file) + 1;
    if (!sc)
        return NULL;
    sc->start_step = HH_SC_NONE;
    sc->file = malloc(n);
    sc->dir = folder_of(file);
    if (!sc->file || !sc->dir) {
        hh_scenario_free(sc);
        return NULL;
    }
    memcpy(sc->file, file, n);
    return sc;
}

int hh_scenario_parse_with(const char *file, const char *text, size_t len,
                           const struct hh_sc_defaults *defaults, struct hh_scenario **out,
                           struct hh_diags *diags)
{
    static const char bom[] = "\xEF\xBB\xBF";
    struct hh__sc_parser p;
    struct hh_jsonpos json;
    cJSON *root;
    *out = NULL;
    if (len >= 3 && memcmp(text, bom, 3) == 0) {
        text += 3;
        len -= 3;
    }
    hh_jsonpos_init(&json);
    root = hh__sc_parse_json(file, text, len, &json, diags);
    memset(&p, 0, sizeof p);
    p.file = file;
    p.diags = diags;
    p.json = &json;
    p.true_means_default = defaults ? defaults->true_means : HH_TRUE_MEANS_UNSET;
    p.sc = root ? new_scenario(file) : NULL;
    if (root && !p.sc)
        hh_diags_add(diags, file, 0, 0, "", "out of memory");
    if (p.sc)
        read_scenario(&p, root);
    cJSON_Delete(root);
    hh_jsonpos_free(&json);
    if (!p.sc || p.errors) {
        hh_scenario_free(p.sc);
        return -1;
    }
    *out = p.sc;
    return 0;
}

int hh_scenario_parse(const char *file, const char *text, size_t len, struct hh_scenario **out,
                      struct hh_diags *diags)
{
    return hh_scenario_parse_with(file, text, len, NULL, out, diags);
}

int hh_scenario_load_with(const char *path, const struct hh_sc_defaults *defaults,
                          struct hh_scenario **out, struct hh_diags *diags)
{
    struct hh_sc_defaults folder;
    char err[256];
    char *data;
    size_t len;
    int rc;
    *out = NULL;
    if (hh_sc_defaults_for(path, defaults, &folder, diags) != 0)
        return -1;
    defaults = &folder;
    if (hh_plat_read_file(path, FILE_LIMIT, &data, &len, err, sizeof err) != 0) {
        hh_diags_add(diags, path, 0, 0, "", "%s", err);
        return -1;
    }
    rc = hh_scenario_parse_with(path, data, len, defaults, out, diags);
    free(data);
    return rc;
}

int hh_scenario_load(const char *path, struct hh_scenario **out, struct hh_diags *diags)
{
    return hh_scenario_load_with(path, NULL, out, diags);
}

/* ---- Lookup and cleanup ------------------------------------------------------------------ */

size_t hh_scenario_object(const struct hh_scenario *sc, const char *name)
{
    size_t i;
    for (i = 0; i < sc->nobjects; i++) {
        if (sc->objects[i].name && strcmp(sc->objects[i].name, name) == 0)
            return i;
    }
    return HH_SC_NONE;
}

static void free_step(struct hh_sc_step *step)
{
    size_t i;
    free(step->objects);
    free(step->thread);
    free(step->hotswap.module);
    free(step->hotswap.routine);
    free(step->hotswap.load);
    free(step->hotswap.status_text);
    free(step->call.function);
    free(step->call.returns_text);
    for (i = 0; i < step->nexpect; i++) {
        free(step->expect[i].log);
        free(step->expect[i].worker.routine);
    }
    free(step->expect);
    free(step->then.signaled);
    free(step->then.worker.routine);
    free(step->worker.routine);
    cJSON_free(step->then.context_json);
    free(step->note);
}

void hh_scenario_free(struct hh_scenario *sc)
{
    size_t i;
    if (!sc)
        return;
    for (i = 0; i < sc->nobjects; i++) {
        free(sc->objects[i].name);
        free(sc->objects[i].global);
        free(sc->objects[i].owner);
        free(sc->objects[i].from_path);
    }
    for (i = 0; i < sc->nsteps; i++)
        free_step(&sc->steps[i]);
    free(sc->schedule);
    for (i = 0; i < sc->ninvariants; i++) {
        free(sc->invariants[i].pattern);
        free(sc->invariants[i].values);
    }
    free(sc->objects);
    free(sc->steps);
    for (i = 0; i < sc->nfuzz_calls; i++)
        free_step(&sc->fuzz_calls[i]);
    free(sc->fuzz_calls);
    free(sc->invariants);
    free(sc->file);
    free(sc->dir);
    free(sc->name);
    free(sc->description);
    free(sc->module);
    free(sc->routine);
    free(sc->driver.load);
    free(sc->driver.unload);
    cJSON_free(sc->context_json);
    free(sc);
}
