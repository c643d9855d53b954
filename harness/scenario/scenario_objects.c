/* scenario_objects.c - the "objects" array: the start context's Events, in order.
 *
 * Reads each object's name, type and initial state, resolves same_as aliases to the object
 * they repeat, and checks what depends on the wait: no alias in a WaitAll, no KMUTEX in a
 * UserMode wait. Index n of the array is the n of STATUS_WAIT_n.
 */
#include "scenario_int.h"

#include <stdio.h>
#include <string.h>

static const char *const object_keys[] = {"name",  "type",  "same_as", "signaled", "owned",
                                          "count", "limit", "due",     "period",   "global",
                                          NULL};
/* The keys of object_keys that give a type's initial state. */
static const char *const state_keys[] = {"signaled", "owned", "count", "limit", "due", "period",
                                         NULL};

/* Index t - 1 names HH_OBJECT_t. */
static const char *const type_names[] = {
    "notification_event", "synchronization_event", "mutex", "mutant", "semaphore",
    "notification_timer", "synchronization_timer", NULL};

static const char *const event_keys[] = {"signaled", NULL};
static const char *const mutex_keys[] = {"owned", NULL};
static const char *const semaphore_keys[] = {"count", "limit", NULL};
static const char *const timer_keys[] = {"due", "period", NULL};
static const char *const *const type_keys[] = {event_keys, event_keys,     mutex_keys, mutex_keys,
                                               semaphore_keys, timer_keys, timer_keys};

#define NTYPES (sizeof(type_keys) / sizeof(type_keys[0]))

const char *hh__sc_type_name(int type)
{
    return type >= 1 && (size_t)type <= NTYPES ? type_names[type - 1] : "object";
}

const char *hh_sc_object_type_name(int type)
{
    return hh__sc_type_name(type);
}

/* "notification_event and synchronization_event": the types that take key. */
static const char *types_taking(const char *key, char *buf, size_t len)
{
    const char *names[NTYPES];
    size_t t, n = 0;
    for (t = 0; t < NTYPES; t++) {
        if (hh__sc_listed(key, type_keys[t]))
            names[n++] = type_names[t];
    }
    return hh__sc_join_words(names, n, " and ", buf, len);
}

static const cJSON *element(const cJSON *root, size_t i, const char *key)
{
    const cJSON *arr = hh__sc_member(root, "objects");
    const cJSON *obj = cJSON_GetArrayItem(arr, (int)i);
    return hh__sc_member(obj, key);
}

/* ---- One object -------------------------------------------------------------------------- */

/* objects[i]'s name, unless an earlier object has it (reported at v). */
static void check_unique(struct hh__sc_parser *p, const cJSON *v, const char *sub, size_t i)
{
    const struct hh_sc_object *o = &p->sc->objects[i];
    char q[80];
    size_t j;
    for (j = 0; j < i; j++) {
        const struct hh_sc_object *other = &p->sc->objects[j];
        if (other->name && strcmp(other->name, o->name) == 0) {
            hh__sc_error(p, v, sub, "the name %s is already taken by objects[%zu] (%d:%d); "
                         "object names are unique", hh__sc_quote(o->name, q, sizeof q), j,
                         other->pos.line, other->pos.col);
            return;
        }
    }
}

static void read_name(struct hh__sc_parser *p, const cJSON *v, const char *path, size_t i)
{
    char sub[HH_SC_PATH_LEN];
    hh__sc_path_key(sub, path, "name");
    if (hh__sc_name_value(p, v, sub, "an object name", &p->sc->objects[i].name) == HH_SC_OK)
        check_unique(p, v, sub, i);
}

static void read_owner(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                       struct hh_sc_object *o)
{
    const cJSON *v = hh__sc_member(obj, "owned");
    char sub[HH_SC_PATH_LEN];
    if (!v || cJSON_IsFalse(v))
        return;
    if (cJSON_IsTrue(v)) {
        o->owner = hh__sc_strdup(p, "driver");
        return;
    }
    hh__sc_path_key(sub, path, "owned");
    if (!cJSON_IsString(v)) {
        char found[80];
        hh__sc_error(p, v, sub, "expected false, true (held by \"driver\") or a thread name, "
                     "found %s", hh__sc_describe(v, found, sizeof found));
        return;
    }
    hh__sc_thread_value(p, v, sub, &o->owner);
}

static void read_semaphore(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                           struct hh_sc_object *o)
{
    long long count = 0, limit = MAXLONG;
    int count_ok = hh__sc_integer(p, obj, path, "count", 0, MAXLONG, &count);
    int limit_ok = hh__sc_integer(p, obj, path, "limit", 1, MAXLONG, &limit);
    o->count = (LONG)count;
    o->limit = (LONG)limit;
    if (count_ok != HH_SC_BAD && limit_ok != HH_SC_BAD && count > limit) {
        char sub[HH_SC_PATH_LEN];
        hh__sc_error(p, hh__sc_member(obj, "count"),
                     hh__sc_path_key(sub, path, "count"),
                     "the count %lld is above the limit %lld; KeInitializeSemaphore needs "
                     "0 <= count <= limit", count, limit);
    }
}

static void read_timer(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                       struct hh_sc_object *o)
{
    const cJSON *due = hh__sc_member(obj, "due");
    char sub[HH_SC_PATH_LEN];
    if (due) {
        o->armed = 1;
        hh__sc_due_value(p, due, hh__sc_path_key(sub, path, "due"), &o->due);
    }
    if (hh__sc_period(p, obj, path, &o->period_ms) != HH_SC_ABSENT && !due)
        hh__sc_error(p, hh__sc_member(obj, "period"),
                     hh__sc_path_key(sub, path, "period"),
                     "a period needs a first due time; add \"due\" to arm the timer at the "
                     "start, or arm it later with a \"timer\" step");
}

/* Keys valid on some object but not on this type, such as "signaled" on a mutex. */
static void check_type_keys(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                            int type)
{
    const cJSON *m;
    for (m = obj->child; m; m = m->next) {
        char sub[HH_SC_PATH_LEN], owners[160];
        if (!hh__sc_listed(m->string, state_keys) ||
            hh__sc_listed(m->string, type_keys[type - 1]))
            continue;
        hh__sc_key_error(p, m, hh__sc_path_key(sub, path, m->string),
                         "a %s takes no \"%s\"; it is a key of %s objects",
                         type_names[type - 1], m->string,
                         types_taking(m->string, owners, sizeof owners));
    }
}

static void read_typed(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                       struct hh_sc_object *o)
{
    int t;
    if (!hh__sc_required(p, obj, path, "type", "one of the object types, or \"same_as\""))
        return;
    if (hh__sc_choice(p, obj, path, "type", type_names, &t) != HH_SC_OK)
        return;
    o->type = t + 1;
    check_type_keys(p, obj, path, o->type);
    switch (o->type) {
    case HH_OBJECT_NOTIFICATION_EVENT:
    case HH_OBJECT_SYNCHRONIZATION_EVENT:
        hh__sc_bool(p, obj, path, "signaled", &o->signaled);
        break;
    case HH_OBJECT_MUTEX:
    case HH_OBJECT_MUTANT:
        read_owner(p, obj, path, o);
        break;
    case HH_OBJECT_SEMAPHORE:
        read_semaphore(p, obj, path, o);
        break;
    default:
        read_timer(p, obj, path, o);
        break;
    }
}

/* The module's own object: its state is what the driver's code gave it, and its type, when
 * given, is checked against its header when the run starts (play_globals.c). */
static void read_global(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                        struct hh_sc_object *o)
{
    const cJSON *m;
    char sub[HH_SC_PATH_LEN];
    int t;
    o->global_pos = hh_jsonpos_value(p->json, hh__sc_member(obj, "global"));
    hh__sc_name_value(p, hh__sc_member(obj, "global"), hh__sc_path_key(sub, path, "global"),
                      "the name of a global the module exports", &o->global);
    for (m = obj->child; m; m = m->next) {
        if (!hh__sc_listed(m->string, state_keys) && strcmp(m->string, "same_as") != 0)
            continue;
        hh__sc_key_error(p, m, hh__sc_path_key(sub, path, m->string),
                         "a global object takes no \"%s\": it is the driver's own, in the "
                         "state its code leaves it", m->string);
    }
    if (hh__sc_choice(p, obj, path, "type", type_names, &t) == HH_SC_OK)
        o->type = t + 1;
}

static void read_object(struct hh__sc_parser *p, const cJSON *v, const char *path, size_t i)
{
    struct hh_sc_object *o = &p->sc->objects[i];
    const cJSON *name;
    char sub[HH_SC_PATH_LEN];
    o->same_as = HH_SC_NONE;
    o->pos = hh_jsonpos_value(p->json, v);
    if (!hh__sc_is_object(p, v, path, "an object such as { \"name\": \"work\", \"type\": "
                          "\"synchronization_event\" }"))
        return;
    hh__sc_check_keys(p, v, path, object_keys);
    if (hh__sc_member(v, "global")) {
        read_global(p, v, path, o);
        name = hh__sc_member(v, "name");
        if (name)
            read_name(p, name, path, i);
        else if (o->global && (o->name = hh__sc_strdup(p, o->global)) != NULL)
            check_unique(p, hh__sc_member(v, "global"), hh__sc_path_key(sub, path, "global"),
                         i); /* named by its symbol */
        return;
    }
    name = hh__sc_required(p, v, path, "name", "every object has a unique name");
    if (name)
        read_name(p, name, path, i);
    if (!hh__sc_member(v, "same_as"))
        read_typed(p, v, path, o);
}

/* ---- Aliases ----------------------------------------------------------------------------- */

static void check_alias_keys(struct hh__sc_parser *p, const cJSON *obj, const char *path)
{
    const cJSON *m;
    for (m = obj->child; m; m = m->next) {
        char sub[HH_SC_PATH_LEN];
        if (!hh__sc_listed(m->string, state_keys) && strcmp(m->string, "type") != 0)
            continue;
        hh__sc_key_error(p, m, hh__sc_path_key(sub, path, m->string),
                         "an object with \"same_as\" takes no \"%s\": it is the object it "
                         "repeats, with that object's type and state", m->string);
    }
}

static void read_alias(struct hh__sc_parser *p, const cJSON *obj, const char *path, size_t i)
{
    struct hh_sc_object *o = &p->sc->objects[i];
    const cJSON *v = hh__sc_member(obj, "same_as");
    char sub[HH_SC_PATH_LEN], q[80];
    size_t j;
    check_alias_keys(p, obj, path);
    hh__sc_path_key(sub, path, "same_as");
    j = hh__sc_object_ref(p, v, sub);
    if (j == HH_SC_NONE)
        return;
    j = hh_scenario_object(p->sc, v->valuestring);
    if (j >= i) {
        hh__sc_error(p, v, sub, "same_as names an earlier object; %s is %s",
                     hh__sc_quote(v->valuestring, q, sizeof q),
                     j == i ? "this object itself" : "listed after this one");
        return;
    }
    o->same_as = p->sc->objects[j].same_as != HH_SC_NONE ? p->sc->objects[j].same_as : j;
    o->type = p->sc->objects[o->same_as].type;
}

void hh__sc_read_objects(struct hh__sc_parser *p, const cJSON *root)
{
    /* A driver's worker waits on what its start context lists: here, only names for steps. */
    const cJSON *arr = p->sc->driver_mode ? hh__sc_member(root, "objects")
                                          : hh__sc_required(p, root, "", "objects",
                                                            "the objects the worker waits on");
    const cJSON *v;
    size_t n, i;
    if (!arr) {
        p->objects_ok = p->sc->driver_mode;
        return;
    }
    if (!cJSON_IsArray(arr)) {
        char found[80];
        hh__sc_error(p, arr, "objects", "expected an array of 1 to %d objects, found %s",
                     MAXIMUM_WAIT_OBJECTS, hh__sc_describe(arr, found, sizeof found));
        return;
    }
    p->objects_ok = 1;
    n = hh__sc_count(arr);
    if (n > MAXIMUM_WAIT_OBJECTS) {
        hh__sc_error(p, cJSON_GetArrayItem(arr, MAXIMUM_WAIT_OBJECTS), "objects[64]",
                     "a wait takes at most %d objects (MAXIMUM_WAIT_OBJECTS; "
                     "KeWaitForMultipleObjects bug-checks beyond that); remove this one and "
                     "every one after it", MAXIMUM_WAIT_OBJECTS);
        n = MAXIMUM_WAIT_OBJECTS;
    }
    if (n == 0 && !p->sc->driver_mode)
        hh__sc_error(p, arr, "objects", "the list is empty; the worker waits on at least one "
                     "object");
    p->sc->objects = hh__sc_calloc(p, n, sizeof *p->sc->objects);
    if (!p->sc->objects)
        return;
    p->sc->nobjects = n;
    for (v = arr->child, i = 0; i < n; v = v->next, i++) {
        char path[HH_SC_PATH_LEN];
        read_object(p, v, hh__sc_path_index(path, "objects", i), i);
    }
    for (v = arr->child, i = 0; i < n; v = v->next, i++) {
        char path[HH_SC_PATH_LEN];
        if (cJSON_IsObject(v) && hh__sc_member(v, "same_as") && !hh__sc_member(v, "global"))
            read_alias(p, v, hh__sc_path_index(path, "objects", i), i);
    }
}

/* ---- Checks that depend on the wait ------------------------------------------------------- */

static void check_wait_all_aliases(struct hh__sc_parser *p, const cJSON *root)
{
    const struct hh_scenario *sc = p->sc;
    size_t i;
    for (i = 0; i < sc->nobjects; i++) {
        char path[HH_SC_PATH_LEN], sub[HH_SC_PATH_LEN], a[80], b[80];
        const struct hh_sc_object *o = &sc->objects[i];
        if (o->same_as == HH_SC_NONE)
            continue;
        hh__sc_path_key(sub, hh__sc_path_index(path, "objects", i), "same_as");
        hh__sc_error(p, element(root, i, "same_as"), sub,
                     "%s lists %s a second time, which a WaitAll (wait.type \"all\") cannot "
                     "do: the NT layer fails it with STATUS_INVALID_PARAMETER_MIX; remove the "
                     "repeat or wait with type \"any\"", hh__sc_quote(o->name ? o->name : "",
                     a, sizeof a), hh__sc_quote(sc->objects[o->same_as].name, b, sizeof b));
    }
}

static void check_user_mode_mutex(struct hh__sc_parser *p, const cJSON *root)
{
    const struct hh_scenario *sc = p->sc;
    const cJSON *wait = hh__sc_member(root, "wait");
    size_t i;
    for (i = 0; i < sc->nobjects; i++) {
        char q[80];
        if (sc->objects[i].type != HH_OBJECT_MUTEX || sc->objects[i].same_as != HH_SC_NONE)
            continue;
        hh__sc_error(p, hh__sc_member(wait, "mode"), "wait.mode",
                     "a UserMode wait cannot include objects[%zu] %s, a mutex (KMUTEX): "
                     "KeWaitForMultipleObjects requires KernelMode then; use mode \"kernel\", "
                     "or type \"mutant\" for an NT mutant", i,
                     hh__sc_quote(sc->objects[i].name ? sc->objects[i].name : "", q, sizeof q));
        return;
    }
}

void hh__sc_check_objects_against_wait(struct hh__sc_parser *p, const cJSON *root)
{
    if (!p->wait_ok)
        return;
    if (p->sc->wait.type == WaitAll)
        check_wait_all_aliases(p, root);
    if (p->sc->wait.mode == UserMode)
        check_user_mode_mutex(p, root);
}
