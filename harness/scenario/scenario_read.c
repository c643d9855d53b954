/* scenario_read.c - reading one JSON member against the scenario format, and reporting.
 *
 * Every reader checks type and range, reports what it found, what it expected and what to
 * do, at the value's line:column and JSON path, and tells its caller whether the member was
 * absent, valid or wrong. Nothing here knows which section it reads.
 */
#include "scenario_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "common/suggest.h"

/* ---- Reporting --------------------------------------------------------------------------- */

static void report(struct hh__sc_parser *p, struct hh_pos pos, const char *path,
                   const char *fmt, va_list ap) HH_PRINTF(4, 0);

static void report(struct hh__sc_parser *p, struct hh_pos pos, const char *path,
                   const char *fmt, va_list ap)
{
    char msg[sizeof p->diags->items[0].msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    hh_diags_add(p->diags, p->file, pos.line, pos.col, path, "%s", msg);
    p->errors++;
}

void hh__sc_error(struct hh__sc_parser *p, const cJSON *node, const char *path, const char *fmt,
                  ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(p, hh_jsonpos_value(p->json, node), path, fmt, ap);
    va_end(ap);
}

void hh__sc_key_error(struct hh__sc_parser *p, const cJSON *node, const char *path,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(p, hh_jsonpos_key(p->json, node), path, fmt, ap);
    va_end(ap);
}

/* Copies text, cut with "..." to fit, control characters shown as '?'. */
static void copy_printable(char *dst, size_t len, const char *text)
{
    size_t i, n = strlen(text), room = len - 1;
    int cut = n > room;
    if (cut)
        n = room >= 3 ? room - 3 : 0;
    for (i = 0; i < n; i++)
        dst[i] = ((unsigned char)text[i] < 0x20 || text[i] == 0x7f) ? '?' : text[i];
    if (cut)
        memcpy(dst + n, "...", room - n);
    dst[cut ? room : n] = '\0';
}

const char *hh__sc_path_key(char *buf, const char *parent, const char *key)
{
    size_t n = strlen(parent);
    if (n > HH_SC_PATH_LEN - 2)
        n = HH_SC_PATH_LEN - 2;
    memcpy(buf, parent, n);
    if (n)
        buf[n++] = '.';
    copy_printable(buf + n, HH_SC_PATH_LEN - n, key);
    return buf;
}

const char *hh__sc_path_index(char *buf, const char *parent, size_t i)
{
    snprintf(buf, HH_SC_PATH_LEN, "%s[%zu]", parent, i);
    return buf;
}

const char *hh__sc_quote(const char *text, char *buf, size_t len)
{
    char inner[64];
    copy_printable(inner, len - 2 < sizeof inner ? len - 2 : sizeof inner, text);
    snprintf(buf, len, "\"%s\"", inner);
    return buf;
}

const char *hh__sc_describe(const cJSON *v, char *buf, size_t len)
{
    char text[48];
    if (cJSON_IsString(v))
        snprintf(buf, len, "the string %s", hh__sc_quote(v->valuestring, text, sizeof text));
    else if (cJSON_IsNumber(v))
        snprintf(buf, len, "the number %.15g", v->valuedouble);
    else if (cJSON_IsBool(v))
        snprintf(buf, len, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsNull(v))
        snprintf(buf, len, "null");
    else if (cJSON_IsArray(v))
        snprintf(buf, len, "an array");
    else
        snprintf(buf, len, "an object");
    return buf;
}

const char *hh__sc_join_words(const char *const *words, size_t n, const char *last,
                              char *buf, size_t len)
{
    size_t i, used = 0;
    buf[0] = '\0';
    for (i = 0; i < n && used + 1 < len; i++) {
        const char *sep = i == 0 ? "" : (i + 1 == n ? last : ", ");
        snprintf(buf + used, len - used, "%s%s", sep, words[i]);
        used = strlen(buf);
    }
    return buf;
}

/* "\"a\", \"b\", \"c\"" as far as it fits; NULL names are skipped. */
static const char *join_quoted(const char *const *names, size_t n, char *buf, size_t len)
{
    size_t i, used = 0;
    const char *sep = "";
    buf[0] = '\0';
    for (i = 0; i < n && used + 1 < len; i++) {
        char q[80];
        if (!names[i])
            continue;
        snprintf(buf + used, len - used, "%s%s", sep, hh__sc_quote(names[i], q, sizeof q));
        used = strlen(buf);
        sep = ", ";
    }
    return buf;
}

const char *hh__sc_alternatives(const char *text, const char *const *names, size_t n,
                                char *buf, size_t len)
{
    struct hh_suggest s;
    char list[360];
    size_t i;
    hh_suggest_init(&s, text);
    for (i = 0; i < n; i++) {
        if (names[i])
            hh_suggest_offer(&s, names[i]);
    }
    if (hh_suggest_result(&s))
        snprintf(buf, len, "; did you mean %s?", hh__sc_quote(hh_suggest_result(&s), list, 80));
    else
        snprintf(buf, len, "; expected one of: %s", join_quoted(names, n, list, sizeof list));
    return buf;
}

/* ---- Structure --------------------------------------------------------------------------- */

const cJSON *hh__sc_member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

size_t hh__sc_count(const cJSON *container)
{
    const cJSON *child;
    size_t n = 0;
    for (child = container->child; child; child = child->next)
        n++;
    return n;
}

static int count_names(const char *const *names)
{
    int n = 0;
    while (names[n])
        n++;
    return n;
}

int hh__sc_listed(const char *key, const char *const *names)
{
    for (; *names; names++) {
        if (strcmp(key, *names) == 0)
            return 1;
    }
    return 0;
}

static int wrong_type(struct hh__sc_parser *p, const cJSON *v, const char *path,
                      const char *expected)
{
    char found[80];
    hh__sc_error(p, v, path, "expected %s, found %s", expected,
                 hh__sc_describe(v, found, sizeof found));
    return HH_SC_BAD;
}

int hh__sc_is_object(struct hh__sc_parser *p, const cJSON *node, const char *path,
                     const char *what)
{
    if (cJSON_IsObject(node))
        return 1;
    wrong_type(p, node, path, what);
    return 0;
}

void hh__sc_check_keys(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                       const char *const *allowed)
{
    const cJSON *m;
    for (m = obj->child; m; m = m->next) {
        char sub[HH_SC_PATH_LEN], alt[400];
        if (hh__sc_listed(m->string, allowed))
            continue;
        p->misspelled = obj;
        hh__sc_key_error(p, m, hh__sc_path_key(sub, path, m->string), "unknown key%s",
                         hh__sc_alternatives(m->string, allowed, (size_t)count_names(allowed),
                                             alt, sizeof alt));
    }
}

const cJSON *hh__sc_required(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                             const char *key, const char *what)
{
    const cJSON *m = hh__sc_member(obj, key);
    if (!m && obj != p->misspelled)
        hh__sc_error(p, obj, path, "the required key \"%s\" is missing (%s)", key, what);
    return m;
}

struct keyed {
    const cJSON *member;
    struct hh_pos key;
};

static int by_key_then_place(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->member->string, y->member->string);
    if (c)
        return c;
    if (x->key.line != y->key.line)
        return x->key.line < y->key.line ? -1 : 1;
    return x->key.col < y->key.col ? -1 : x->key.col > y->key.col;
}

/* Sorts the members by key, then by place, so that each repeat follows its first use. */
static void report_repeated_keys(struct hh__sc_parser *p, const cJSON *obj, const char *path)
{
    struct keyed *keys;
    const cJSON *m;
    size_t n = hh__sc_count(obj), i, first = 0;
    if (n < 2)
        return;
    keys = hh__sc_calloc(p, n, sizeof *keys);
    if (!keys)
        return;
    for (m = obj->child, i = 0; m; m = m->next, i++) {
        keys[i].member = m;
        keys[i].key = hh_jsonpos_key(p->json, m);
    }
    qsort(keys, n, sizeof *keys, by_key_then_place);
    for (i = 1; i < n; i++) {
        char sub[HH_SC_PATH_LEN];
        if (strcmp(keys[i].member->string, keys[first].member->string) != 0) {
            first = i;
            continue;
        }
        hh__sc_key_error(p, keys[i].member, hh__sc_path_key(sub, path, keys[i].member->string),
                         "duplicate key; it is first given at %d:%d (keep one of them)",
                         keys[first].key.line, keys[first].key.col);
    }
    free(keys);
}

static void check_duplicates_under(struct hh__sc_parser *p, const cJSON *node, const char *path)
{
    const cJSON *child;
    size_t i = 0;
    if (cJSON_IsObject(node))
        report_repeated_keys(p, node, path);
    for (child = node->child; child; child = child->next, i++) {
        char sub[HH_SC_PATH_LEN];
        if (cJSON_IsObject(node))
            hh__sc_path_key(sub, path, child->string);
        else
            hh__sc_path_index(sub, path, i);
        check_duplicates_under(p, child, sub);
    }
}

void hh__sc_check_duplicate_keys(struct hh__sc_parser *p, const cJSON *node)
{
    check_duplicates_under(p, node, "");
}

char *hh__sc_strdup(struct hh__sc_parser *p, const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (!copy) {
        hh_diags_add(p->diags, p->file, 0, 0, "", "out of memory");
        p->errors++;
        return NULL;
    }
    memcpy(copy, s, n);
    return copy;
}

void *hh__sc_calloc(struct hh__sc_parser *p, size_t n, size_t size)
{
    void *mem = calloc(n ? n : 1, size);
    if (!mem) {
        hh_diags_add(p->diags, p->file, 0, 0, "", "out of memory");
        p->errors++;
    }
    return mem;
}

/* ---- Values ------------------------------------------------------------------------------ */

int hh__sc_string(struct hh__sc_parser *p, const cJSON *obj, const char *path, const char *key,
                  char **out)
{
    char sub[HH_SC_PATH_LEN];
    const cJSON *v = hh__sc_member(obj, key);
    if (!v)
        return HH_SC_ABSENT;
    if (!cJSON_IsString(v))
        return wrong_type(p, v, hh__sc_path_key(sub, path, key), "a string");
    *out = hh__sc_strdup(p, v->valuestring);
    return *out ? HH_SC_OK : HH_SC_BAD;
}

int hh__sc_text_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                      const char *what, char **out)
{
    char expected[96];
    snprintf(expected, sizeof expected, "%s (a string)", what);
    if (!cJSON_IsString(v))
        return wrong_type(p, v, path, expected);
    if (v->valuestring[0] == '\0') {
        hh__sc_error(p, v, path, "%s cannot be empty", what);
        return HH_SC_BAD;
    }
    *out = hh__sc_strdup(p, v->valuestring);
    return *out ? HH_SC_OK : HH_SC_BAD;
}

int hh__sc_name_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                      const char *what, char **out)
{
    size_t n = cJSON_IsString(v) ? strlen(v->valuestring) : 0;
    if (n > HH_SC_NAME_MAX) {
        hh__sc_error(p, v, path, "%s is at most %d bytes long, and this one has %zu",
                     what, HH_SC_NAME_MAX, n);
        return HH_SC_BAD;
    }
    return hh__sc_text_value(p, v, path, what, out);
}

/* "worker 2", ...: the name of a driver's later worker thread. */
static int is_worker_thread_name(const char *name)
{
    size_t n = strlen("worker ");
    if (strncmp(name, "worker ", n) != 0 || name[n] == '\0')
        return 0;
    for (; name[n]; n++) {
        if (name[n] < '0' || name[n] > '9')
            return 0;
    }
    return 1;
}

int hh__sc_thread_value(struct hh__sc_parser *p, const cJSON *v, const char *path, char **out)
{
    if (cJSON_IsString(v) && strcmp(v->valuestring, "worker") == 0) {
        hh__sc_error(p, v, path, "\"worker\" is the worker thread itself; name another thread "
                     "(\"driver\", the scenario's own thread, is the default)");
        return HH_SC_BAD;
    }
    if (cJSON_IsString(v) && is_worker_thread_name(v->valuestring)) {
        hh__sc_error(p, v, path, "\"%s\" is the thread of one of the driver's workers; name "
                     "another thread (\"driver\", the scenario's own thread, is the default)",
                     v->valuestring);
        return HH_SC_BAD;
    }
    return hh__sc_name_value(p, v, path, "a thread name", out);
}

int hh__sc_bool(struct hh__sc_parser *p, const cJSON *obj, const char *path, const char *key,
                int *out)
{
    char sub[HH_SC_PATH_LEN];
    const cJSON *v = hh__sc_member(obj, key);
    if (!v)
        return HH_SC_ABSENT;
    if (!cJSON_IsBool(v))
        return wrong_type(p, v, hh__sc_path_key(sub, path, key), "true or false");
    *out = cJSON_IsTrue(v);
    return HH_SC_OK;
}

int hh__sc_integer_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                         long long min, long long max, long long *out)
{
    char expected[96];
    snprintf(expected, sizeof expected, "an integer from %lld to %lld", min, max);
    if (!cJSON_IsNumber(v) || floor(v->valuedouble) != v->valuedouble)
        return wrong_type(p, v, path, expected);
    if (v->valuedouble < (double)min || v->valuedouble > (double)max) {
        hh__sc_error(p, v, path, "%.15g is out of range; expected %s", v->valuedouble,
                     expected);
        return HH_SC_BAD;
    }
    *out = (long long)v->valuedouble;
    return HH_SC_OK;
}

int hh__sc_integer(struct hh__sc_parser *p, const cJSON *obj, const char *path, const char *key,
                   long long min, long long max, long long *out)
{
    char sub[HH_SC_PATH_LEN];
    const cJSON *v = hh__sc_member(obj, key);
    if (!v)
        return HH_SC_ABSENT;
    return hh__sc_integer_value(p, v, hh__sc_path_key(sub, path, key), min, max, out);
}

int hh__sc_choice(struct hh__sc_parser *p, const cJSON *obj, const char *path, const char *key,
                  const char *const *names, int *out)
{
    char sub[HH_SC_PATH_LEN], alt[400], q[80];
    const cJSON *v = hh__sc_member(obj, key);
    int i, n = count_names(names);
    if (!v)
        return HH_SC_ABSENT;
    hh__sc_path_key(sub, path, key);
    if (!cJSON_IsString(v)) {
        char expected[sizeof alt];
        snprintf(expected, sizeof expected, "one of %s",
                 join_quoted(names, (size_t)n, alt, sizeof alt));
        return wrong_type(p, v, sub, expected);
    }
    for (i = 0; i < n; i++) {
        if (strcmp(v->valuestring, names[i]) == 0) {
            *out = i;
            return HH_SC_OK;
        }
    }
    hh__sc_error(p, v, sub, "unknown value %s%s", hh__sc_quote(v->valuestring, q, sizeof q),
                 hh__sc_alternatives(v->valuestring, names, (size_t)n, alt, sizeof alt));
    return HH_SC_BAD;
}

int hh__sc_duration_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                          int64_t *ticks)
{
    const char *why;
    char q[80];
    if (cJSON_IsNumber(v) && v->valuedouble == 0) {
        *ticks = 0;
        return HH_SC_OK;
    }
    if (cJSON_IsNumber(v)) {
        hh__sc_error(p, v, path, "expected a duration string, found the number %.15g; a "
                     "duration needs a unit, as in \"%.15gms\" or \"%.15gs\" (only 0 may be a "
                     "bare number)", v->valuedouble, v->valuedouble, v->valuedouble);
        return HH_SC_BAD;
    }
    if (!cJSON_IsString(v))
        return wrong_type(p, v, path, "a duration such as \"250ms\" or \"1.5s\"");
    if (hh_duration_parse(v->valuestring, ticks, &why) != 0) {
        hh__sc_error(p, v, path, "%s is not a valid duration: %s",
                     hh__sc_quote(v->valuestring, q, sizeof q), why);
        return HH_SC_BAD;
    }
    return HH_SC_OK;
}

int hh__sc_due_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                     struct hh_sc_timeout *out)
{
    static const char *const keys[] = {"absolute", NULL};
    const cJSON *absolute;
    char sub[HH_SC_PATH_LEN];
    if (!cJSON_IsObject(v)) {
        out->kind = HH_TIMEOUT_RELATIVE;
        return hh__sc_duration_value(p, v, path, &out->ticks);
    }
    hh__sc_check_keys(p, v, path, keys);
    absolute = hh__sc_required(p, v, path, "absolute", "a time after the scenario's start");
    if (!absolute)
        return HH_SC_BAD;
    out->kind = HH_TIMEOUT_ABSOLUTE;
    return hh__sc_duration_value(p, absolute, hh__sc_path_key(sub, path, "absolute"),
                                 &out->ticks);
}

int hh__sc_period(struct hh__sc_parser *p, const cJSON *obj, const char *path, LONG *ms)
{
    const int64_t ticks_per_ms = HH_TICKS_PER_SECOND / 1000;
    char sub[HH_SC_PATH_LEN], text[48];
    const cJSON *v = hh__sc_member(obj, "period");
    int64_t ticks;
    if (!v)
        return HH_SC_ABSENT;
    hh__sc_path_key(sub, path, "period");
    if (hh__sc_duration_value(p, v, sub, &ticks) != HH_SC_OK)
        return HH_SC_BAD;
    if (ticks % ticks_per_ms != 0) {
        hh__sc_error(p, v, sub, "%s is not a whole number of milliseconds; KeSetTimerEx takes "
                     "the period in milliseconds", hh_duration_format(ticks, text, sizeof text));
        return HH_SC_BAD;
    }
    if (ticks / ticks_per_ms > MAXLONG) {
        hh__sc_error(p, v, sub, "the period is longer than MAXLONG (2147483647) milliseconds, "
                     "which KeSetTimerEx takes");
        return HH_SC_BAD;
    }
    *ms = (LONG)(ticks / ticks_per_ms);
    return HH_SC_OK;
}

int hh__sc_status_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                        NTSTATUS *out)
{
    const char *suggestion;
    char q[80], s[80];
    long long number;
    if (cJSON_IsNumber(v)) {
        if (hh__sc_integer_value(p, v, path, -2147483647LL - 1, 0xFFFFFFFFLL, &number) !=
            HH_SC_OK)
            return HH_SC_BAD;
        *out = number > MAXLONG ? (NTSTATUS)(number - 0x100000000LL) : (NTSTATUS)number;
        return HH_SC_OK;
    }
    if (!cJSON_IsString(v))
        return wrong_type(p, v, path, "a status name such as \"STATUS_WAIT_0\", or a number");
    if (hh_status_parse(v->valuestring, out) == 0)
        return HH_SC_OK;
    suggestion = hh_status_suggest(v->valuestring);
    if (suggestion)
        hh__sc_error(p, v, path, "unknown status %s; did you mean %s?",
                     hh__sc_quote(v->valuestring, q, sizeof q),
                     hh__sc_quote(suggestion, s, sizeof s));
    else
        hh__sc_error(p, v, path, "unknown status %s; expected a name such as \"STATUS_WAIT_0\" "
                     "or \"STATUS_TIMEOUT\", or a number such as 258 or \"0x102\"",
                     hh__sc_quote(v->valuestring, q, sizeof q));
    return HH_SC_BAD;
}

/* "; did you mean ..." or the list of object names. */
static const char *object_alternatives(struct hh__sc_parser *p, const char *text, char *buf,
                                       size_t len)
{
    const struct hh_scenario *sc = p->sc;
    const char **names = hh__sc_calloc(p, sc->nobjects, sizeof *names);
    size_t i;
    buf[0] = '\0';
    if (!names)
        return buf;
    for (i = 0; i < sc->nobjects; i++)
        names[i] = sc->objects[i].name;
    hh__sc_alternatives(text, names, sc->nobjects, buf, len);
    free(names);
    return buf;
}

/* Digits at s (at most `max`, value below `limit`) followed by `end`: the value, and *rest
 * past `end`; -1 otherwise. */
static int bracket_number(const char *s, int limit, const char *end, const char **rest)
{
    size_t digits = 0;
    int value = 0;
    for (; s[digits] >= '0' && s[digits] <= '9' && digits < 3; digits++)
        value = value * 10 + (s[digits] - '0');
    if (digits == 0 || value >= limit || strncmp(s + digits, end, strlen(end)) != 0)
        return -1;
    *rest = s + digits + strlen(end);
    return value;
}

/* "worker.events[N]" (the first worker's) or "worker[W].events[N]" (the W-th worker the
 * driver created, from 1): N (0..63) and *worker W, or -1 for any other name. */
static int worker_event_index(const char *name, unsigned *worker)
{
    static const char prefix[] = "worker.events[", numbered[] = "worker[";
    const char *rest = name;
    int index, w = 1;
    if (strncmp(name, prefix, sizeof(prefix) - 1) == 0) {
        rest = name + sizeof(prefix) - 1;
    } else if (strncmp(name, numbered, sizeof(numbered) - 1) == 0) {
        w = bracket_number(name + sizeof(numbered) - 1, HH_SC_WORKERS_MAX + 1, "].events[",
                           &rest);
        if (w < 1)
            return -1;
    } else {
        return -1;
    }
    index = bracket_number(rest, MAXIMUM_WAIT_OBJECTS, "]", &rest);
    if (index < 0 || *rest)
        return -1;
    *worker = (unsigned)w;
    return index;
}

/* Whether name could be a C identifier (a global's symbol). */
static int is_identifier(const char *name)
{
    size_t i;
    for (i = 0; name[i]; i++) {
        char c = name[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && c >= '0' && c <= '9')))
            return 0;
    }
    return i > 0 && i <= HH_SC_NAME_MAX;
}

/* Driver mode: a step names an object the scenario did not list, by its place in the start
 * context the driver fills ("worker.events[N]", index >= 0, resolved once the worker exists)
 * or by the symbol of the driver's global (index < 0, looked up and typed from its header
 * as a listed global is). One object per name, made on first use. */
static size_t add_driver_object(struct hh__sc_parser *p, const char *name, int index,
                                unsigned worker, const cJSON *node, const char *path)
{
    struct hh_scenario *sc = p->sc;
    struct hh_sc_object *grown = realloc(sc->objects, (sc->nobjects + 1) * sizeof(*grown));
    struct hh_sc_object *o;
    if (!grown) {
        hh__sc_error(p, node, "", "out of memory");
        return HH_SC_NONE;
    }
    sc->objects = grown;
    o = &sc->objects[sc->nobjects];
    memset(o, 0, sizeof(*o));
    o->same_as = HH_SC_NONE;
    o->worker_event = index + 1;
    o->worker = worker;
    o->from_step = 1;
    o->pos = hh_jsonpos_value(p->json, node);
    o->global_pos = o->pos;
    o->name = hh__sc_strdup(p, name);
    o->from_path = hh__sc_strdup(p, path);
    if (!o->name || !o->from_path ||
        (index < 0 && (o->global = hh__sc_strdup(p, name)) == NULL))
        return HH_SC_NONE;
    return sc->nobjects++;
}

/* The object called name, an alias resolved; reports an unknown name at node's value or
 * key. */
static size_t resolve_object(struct hh__sc_parser *p, const char *name, const cJSON *node,
                             const char *path, int at_key)
{
    char alt[400], q[80];
    size_t i = hh_scenario_object(p->sc, name);
    unsigned worker = 0;
    int index = worker_event_index(name, &worker);
    if (i != HH_SC_NONE)
        return p->sc->objects[i].same_as != HH_SC_NONE ? p->sc->objects[i].same_as : i;
    if (p->sc->driver_mode && p->in_steps && (index >= 0 || is_identifier(name)))
        return add_driver_object(p, name, index, worker, node, path);
    if (index >= 0 && !p->sc->driver_mode) {
        (at_key ? hh__sc_key_error : hh__sc_error)(
            p, node, path, "%s names an object by its place in the start context a driver "
            "fills, which only a scenario with \"driver\" has; here the start context's "
            "Events[%d] is objects[%d]", hh__sc_quote(name, q, sizeof q), index, index);
        return HH_SC_NONE;
    }
    if (!p->objects_ok)
        return HH_SC_NONE;
    object_alternatives(p, name, alt, sizeof alt);
    if (at_key)
        hh__sc_key_error(p, node, path, "no object is named %s%s",
                         hh__sc_quote(name, q, sizeof q), alt);
    else
        hh__sc_error(p, node, path, "no object is named %s%s", hh__sc_quote(name, q, sizeof q),
                     alt);
    return HH_SC_NONE;
}

size_t hh__sc_object_ref(struct hh__sc_parser *p, const cJSON *v, const char *path)
{
    if (!cJSON_IsString(v)) {
        wrong_type(p, v, path, "an object name (a string)");
        return HH_SC_NONE;
    }
    return resolve_object(p, v->valuestring, v, path, 0);
}

size_t hh__sc_object_key(struct hh__sc_parser *p, const cJSON *member_node, const char *path)
{
    return resolve_object(p, member_node->string, member_node, path, 1);
}
