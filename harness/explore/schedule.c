/* schedule.c - the text form of a schedule (schedule.h): parsing with an error that says
 * where and what, formatting, and the schedule of a recorded run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/schedule.h"

int hh_ex_schedule_name_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == ':' || c == '#' || c == '/' || c == '-' || c == '[' ||
           c == ']';
}

void hh_ex_schedule_free(struct hh_ex_schedule *sc)
{
    if (!sc)
        return;
    free(sc->items);
    free(sc->names);
    free(sc);
}

/* A schedule of up to n items whose names fit in names_size bytes. */
static struct hh_ex_schedule *schedule_alloc(size_t n, size_t names_size)
{
    struct hh_ex_schedule *sc = calloc(1, sizeof(*sc));
    if (!sc)
        return NULL;
    sc->items = calloc(n ? n : 1, sizeof(*sc->items));
    sc->names = malloc(names_size ? names_size : 1);
    if (!sc->items || !sc->names) {
        hh_ex_schedule_free(sc);
        return NULL;
    }
    return sc;
}

struct cursor {
    const char *p, *end;
    unsigned line, col;
};

static void skip_space(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n')) {
        if (*c->p == '\n') {
            c->line++;
            c->col = 1;
        } else {
            c->col++;
        }
        c->p++;
    }
}

static size_t token_len(const struct cursor *c)
{
    size_t n = 0;
    while (c->p + n < c->end && hh_ex_schedule_name_char((unsigned char)c->p[n]))
        n++;
    return n;
}

static void advance(struct cursor *c, size_t n)
{
    c->p += n;
    c->col += (unsigned)n;
}

/* What the cursor is at, for a message: 'x', "end of text", or a byte in hex. */
static void describe(const struct cursor *c, char *buf, size_t size)
{
    unsigned char ch;
    if (c->p >= c->end) {
        snprintf(buf, size, "the end of the text");
        return;
    }
    ch = (unsigned char)*c->p;
    if (ch >= 0x20 && ch < 0x7f)
        snprintf(buf, size, "'%c'", ch);
    else
        snprintf(buf, size, "byte 0x%02x", ch);
}

static int fail(char *err, size_t size, const struct cursor *c, const char *what)
{
    char at[32];
    describe(c, at, sizeof(at));
    snprintf(err, size, "schedule:%u:%u: %s, found %s", c->line, c->col, what, at);
    return -1;
}

/* "xN" with N a decimal count: returns its length (0: not a count). */
static size_t count_token(const char *t, size_t n)
{
    size_t i;
    if (n < 2 || t[0] != 'x')
        return 0;
    for (i = 1; i < n; i++)
        if (t[i] < '0' || t[i] > '9')
            return 0;
    return n;
}

int hh_ex_schedule_parse(const char *text, size_t len, struct hh_ex_schedule **out, char *err,
                         size_t err_size)
{
    struct cursor c = {text, text + len, 1, 1};
    struct hh_ex_schedule *sc;
    size_t n_items = 0, names_used = 0;
    *out = NULL;
    /* Every item takes at least one byte of text and every name fits in it: len bounds both. */
    sc = schedule_alloc(len / 2 + 1, len + 1);
    if (!sc) {
        snprintf(err, err_size, "schedule: out of memory");
        return -1;
    }
    skip_space(&c);
    while (c.p < c.end) {
        struct hh_ex_schedule_item *it = &sc->items[n_items];
        size_t n = token_len(&c);
        unsigned long count = 1;
        if (n == 0) {
            fail(err, err_size, &c, "expected a thread name (letters, digits, _ . : # / - [ ])");
            goto bad;
        }
        if (n > HH_EX_SCHEDULE_MAX_NAME) {
            snprintf(err, err_size, "schedule:%u:%u: a thread name is at most %d characters, "
                     "this one has %lu", c.line, c.col, HH_EX_SCHEDULE_MAX_NAME, (unsigned long)n);
            goto bad;
        }
        it->line = c.line;
        it->col = c.col;
        it->name = sc->names + names_used;
        memcpy(sc->names + names_used, c.p, n);
        sc->names[names_used + n] = '\0';
        names_used += n + 1;
        advance(&c, n);
        skip_space(&c);
        n = token_len(&c);
        if (n && count_token(c.p, n)) {
            size_t i;
            count = 0;
            for (i = 1; i < n; i++) {
                count = count * 10 + (unsigned long)(c.p[i] - '0');
                if (count > HH_EX_SCHEDULE_MAX_COUNT)
                    break;
            }
            if (count == 0 || count > HH_EX_SCHEDULE_MAX_COUNT) {
                snprintf(err, err_size, "schedule:%u:%u: a repeat count is from x1 to x%lu",
                         c.line, c.col, HH_EX_SCHEDULE_MAX_COUNT);
                goto bad;
            }
            advance(&c, n);
            skip_space(&c);
        }
        if (sc->n_points + count > HH_EX_SCHEDULE_MAX_POINTS) {
            snprintf(err, err_size, "schedule:%u:%u: a schedule has at most %lu points",
                     it->line, it->col, HH_EX_SCHEDULE_MAX_POINTS);
            goto bad;
        }
        it->count = count;
        sc->n_points += count;
        n_items++;
        if (c.p >= c.end)
            break;
        if (*c.p != ',') {
            fail(err, err_size, &c, "expected ',' before the next thread or \"xN\" after a name");
            goto bad;
        }
        advance(&c, 1);
        skip_space(&c);
        if (c.p >= c.end) {
            fail(err, err_size, &c, "expected a thread name after ','");
            goto bad;
        }
    }
    sc->n_items = n_items;
    *out = sc;
    return 0;
bad:
    hh_ex_schedule_free(sc);
    return -1;
}

static int valid_name(const char *name)
{
    size_t n = 0;
    if (!name)
        return 0;
    for (; name[n]; n++)
        if (!hh_ex_schedule_name_char((unsigned char)name[n]))
            return 0;
    return n > 0 && n <= HH_EX_SCHEDULE_MAX_NAME && !count_token(name, n);
}

/* The name an item of thread id gets: its own when it is a valid name, else "#id". */
static int trace_name(char *buf, const char *const *names, unsigned n_names, uint8_t id)
{
    const char *name = id < n_names && names ? names[id] : NULL;
    if (valid_name(name))
        return sprintf(buf, "%s", name);
    return sprintf(buf, "#%u", (unsigned)id);
}

struct hh_ex_schedule *hh_ex_schedule_from_trace(const uint8_t *ids, size_t n,
                                                 const char *const *names, unsigned n_names)
{
    char name[HH_EX_SCHEDULE_MAX_NAME + 1];
    struct hh_ex_schedule *sc;
    size_t i, items = 0, size = 0, used = 0;
    for (i = 0; i < n; i++) {
        if (i == 0 || ids[i] != ids[i - 1]) {
            items++;
            size += (size_t)trace_name(name, names, n_names, ids[i]) + 1;
        }
    }
    /* Runs longer than the largest count are split: one more item (and name) each. */
    items += n / HH_EX_SCHEDULE_MAX_COUNT;
    size += (n / HH_EX_SCHEDULE_MAX_COUNT) * sizeof(name);
    sc = schedule_alloc(items, size);
    if (!sc)
        return NULL;
    for (i = 0; i < n; i++) {
        struct hh_ex_schedule_item *it;
        if (i > 0 && ids[i] == ids[i - 1] &&
            sc->items[sc->n_items - 1].count < HH_EX_SCHEDULE_MAX_COUNT) {
            sc->items[sc->n_items - 1].count++;
            sc->n_points++;
            continue;
        }
        it = &sc->items[sc->n_items++];
        it->name = sc->names + used;
        used += (size_t)trace_name(sc->names + used, names, n_names, ids[i]) + 1;
        it->count = 1;
        sc->n_points++;
    }
    return sc;
}

char *hh_ex_schedule_format(const struct hh_ex_schedule *sc)
{
    size_t i, size = 1, used = 0;
    char *out;
    for (i = 0; i < sc->n_items; i++)
        size += strlen(sc->items[i].name) + 16;
    out = malloc(size);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (i = 0; i < sc->n_items; i++) {
        const struct hh_ex_schedule_item *it = &sc->items[i];
        used += (size_t)sprintf(out + used, "%s%s", i ? ", " : "", it->name);
        if (it->count > 1)
            used += (size_t)sprintf(out + used, " x%lu", it->count);
    }
    return out;
}
