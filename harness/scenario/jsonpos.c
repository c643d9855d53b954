/* jsonpos.c - the strict JSON scan behind positions and syntax errors, and the node index.
 *
 * The scan accepts exactly RFC 8259 JSON minus what cJSON would mangle (\u0000 in a string,
 * numbers over 63 characters) and nesting beyond HH_JSON_MAX_DEPTH, so that every input it
 * passes builds a cJSON tree with one node per recorded value. It never reads past len.
 */
#include "jsonpos.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NUMBER_LEN 63 /* cJSON copies a number into a 64-byte buffer */

struct hh_json_node {
    uintptr_t node;
    size_t mark;
};

struct scanner {
    const unsigned char *s;
    size_t len;
    size_t i;
    int line;
    size_t line_start;
    int depth;
    struct hh_jsonpos *jp;
    struct hh_json_error *err;
};

/* ---- Positions and errors -------------------------------------------------------------- */

static struct hh_pos here(const struct scanner *sc)
{
    struct hh_pos p;
    p.line = sc->line;
    p.col = (int)(sc->i - sc->line_start) + 1;
    return p;
}

static int at_end(const struct scanner *sc)
{
    return sc->i >= sc->len;
}

static int fail_at(struct scanner *sc, struct hh_pos pos, const char *fmt, ...) HH_PRINTF(3, 4);

static int fail_at(struct scanner *sc, struct hh_pos pos, const char *fmt, ...)
{
    va_list ap;
    sc->err->pos = pos;
    va_start(ap, fmt);
    vsnprintf(sc->err->msg, sizeof sc->err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* Names the byte at the cursor: 'x' when printable, else its value. */
static const char *describe_byte(unsigned char c, char *buf, size_t len)
{
    if (c >= 0x20 && c < 0x7f)
        snprintf(buf, len, "character '%c'", c);
    else
        snprintf(buf, len, "byte 0x%02X", c);
    return buf;
}

static const char *hint_for(unsigned char c)
{
    switch (c) {
    case '\'':
        return "; JSON strings use double quotes";
    case '/':
    case '#':
        return "; JSON has no comments";
    default:
        return "";
    }
}

/* "unexpected end of input" or "unexpected character 'x'", then what was expected. */
static int fail_unexpected(struct scanner *sc, const char *expected)
{
    char what[32];
    if (at_end(sc))
        return fail_at(sc, here(sc), "unexpected end of input; expected %s", expected);
    return fail_at(sc, here(sc), "unexpected %s; expected %s%s",
                   describe_byte(sc->s[sc->i], what, sizeof what), expected,
                   hint_for(sc->s[sc->i]));
}

static void newline(struct scanner *sc)
{
    sc->line++;
    sc->line_start = sc->i;
}

/* Skips spaces and line breaks ("\n", "\r\n" and a lone "\r" each end a line). */
static void skip_ws(struct scanner *sc)
{
    while (!at_end(sc)) {
        unsigned char c = sc->s[sc->i];
        if (c == ' ' || c == '\t') {
            sc->i++;
        } else if (c == '\n' || c == '\r') {
            sc->i++;
            if (c == '\r' && !at_end(sc) && sc->s[sc->i] == '\n')
                sc->i++;
            newline(sc);
        } else {
            break;
        }
    }
}

static int add_mark(struct scanner *sc, struct hh_pos value, struct hh_pos key)
{
    struct hh_jsonpos *jp = sc->jp;
    if (jp->n == jp->cap) {
        size_t cap = jp->cap ? jp->cap * 2 : 64;
        struct hh_json_mark *m = realloc(jp->marks, cap * sizeof *m);
        if (!m)
            return fail_at(sc, value, "out of memory while indexing the JSON text");
        jp->marks = m;
        jp->cap = cap;
    }
    jp->marks[jp->n].value = value;
    jp->marks[jp->n].key = key;
    jp->n++;
    return 0;
}

/* ---- Strings --------------------------------------------------------------------------- */

static int hex4(const struct scanner *sc, size_t at, unsigned *out)
{
    size_t k;
    *out = 0;
    if (sc->len - at < 4)
        return -1;
    for (k = 0; k < 4; k++) {
        unsigned char c = sc->s[at + k];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -1;
        *out = *out * 16 + d;
    }
    return 0;
}

/* The cursor is on the 'u' of "\u"; leaves it after the escape (and a paired low one). */
static int scan_unicode_escape(struct scanner *sc)
{
    struct hh_pos at = here(sc);
    unsigned unit, low;
    at.col--;
    if (hex4(sc, sc->i + 1, &unit) != 0)
        return fail_at(sc, at, "invalid \\u escape; expected four hex digits, as in \\u00e9");
    sc->i += 5;
    if (unit == 0)
        return fail_at(sc, at, "\\u0000 (a NUL character) is not supported in strings");
    if (unit >= 0xDC00 && unit <= 0xDFFF)
        return fail_at(sc, at, "unpaired UTF-16 low surrogate \\u%04X", unit);
    if (unit < 0xD800 || unit > 0xDBFF)
        return 0;
    if (sc->len - sc->i < 6 || sc->s[sc->i] != '\\' || sc->s[sc->i + 1] != 'u' ||
        hex4(sc, sc->i + 2, &low) != 0 || low < 0xDC00 || low > 0xDFFF)
        return fail_at(sc, at,
                       "unpaired UTF-16 high surrogate \\u%04X; a character above U+FFFF is "
                       "written as a surrogate pair, as in \\ud83d\\ude00", unit);
    sc->i += 6;
    return 0;
}

static int scan_escape(struct scanner *sc)
{
    char what[32];
    sc->i++; /* the backslash */
    if (at_end(sc))
        return fail_unexpected(sc, "an escape after '\\'");
    switch (sc->s[sc->i]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        sc->i++;
        return 0;
    case 'u':
        return scan_unicode_escape(sc);
    default:
        return fail_at(sc, here(sc),
                       "invalid escape: %s after '\\'; JSON allows \\\" \\\\ \\/ \\b \\f \\n "
                       "\\r \\t and \\uXXXX", describe_byte(sc->s[sc->i], what, sizeof what));
    }
}

/* Length of the well-formed UTF-8 sequence at the cursor, or 0. */
static size_t utf8_sequence(const struct scanner *sc)
{
    const unsigned char *p = sc->s + sc->i;
    size_t avail = sc->len - sc->i, n, k;
    unsigned char lo = 0x80, hi = 0xBF;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4;
    else
        return 0;
    if (p[0] == 0xE0)
        lo = 0xA0;
    else if (p[0] == 0xED)
        hi = 0x9F;
    else if (p[0] == 0xF0)
        lo = 0x90;
    else if (p[0] == 0xF4)
        hi = 0x8F;
    if (avail < n || p[1] < lo || p[1] > hi)
        return 0;
    for (k = 2; k < n; k++) {
        if (p[k] < 0x80 || p[k] > 0xBF)
            return 0;
    }
    return n;
}

static int scan_string_byte(struct scanner *sc, struct hh_pos start)
{
    unsigned char c = sc->s[sc->i];
    size_t n;
    if (c == '\\')
        return scan_escape(sc);
    if (c == '\n' || c == '\r')
        return fail_at(sc, here(sc),
                       "line break inside the string that starts at %d:%d; close the string "
                       "with '\"' or write the break as \\n", start.line, start.col);
    if (c < 0x20)
        return fail_at(sc, here(sc),
                       "control character 0x%02X inside a string; write it as \\u%04X", c, c);
    if (c < 0x80) {
        sc->i++;
        return 0;
    }
    n = utf8_sequence(sc);
    if (n == 0)
        return fail_at(sc, here(sc), "invalid UTF-8 (byte 0x%02X) inside a string; save the "
                       "file as UTF-8", c);
    sc->i += n;
    return 0;
}

static int scan_string(struct scanner *sc)
{
    struct hh_pos start = here(sc);
    sc->i++; /* the opening quote */
    for (;;) {
        if (at_end(sc))
            return fail_at(sc, here(sc),
                           "unexpected end of input inside the string that starts at %d:%d",
                           start.line, start.col);
        if (sc->s[sc->i] == '"') {
            sc->i++;
            return 0;
        }
        if (scan_string_byte(sc, start) != 0)
            return -1;
    }
}

/* ---- Numbers and literals -------------------------------------------------------------- */

static int is_digit_at(const struct scanner *sc)
{
    return !at_end(sc) && sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9';
}

static int scan_digits(struct scanner *sc, const char *expected)
{
    if (!is_digit_at(sc))
        return fail_unexpected(sc, expected);
    while (is_digit_at(sc))
        sc->i++;
    return 0;
}

static int scan_number(struct scanner *sc)
{
    struct hh_pos start = here(sc);
    size_t first = sc->i;
    if (sc->s[sc->i] == '-')
        sc->i++;
    if (!at_end(sc) && sc->s[sc->i] == '0') {
        sc->i++;
        if (is_digit_at(sc))
            return fail_at(sc, here(sc), "a number has no leading zeros (write 7, not 07)");
    } else if (scan_digits(sc, "a digit") != 0) {
        return -1;
    }
    if (!at_end(sc) && sc->s[sc->i] == '.') {
        sc->i++;
        if (scan_digits(sc, "a digit after the decimal point") != 0)
            return -1;
    }
    if (!at_end(sc) && (sc->s[sc->i] == 'e' || sc->s[sc->i] == 'E')) {
        sc->i++;
        if (!at_end(sc) && (sc->s[sc->i] == '+' || sc->s[sc->i] == '-'))
            sc->i++;
        if (scan_digits(sc, "a digit in the exponent") != 0)
            return -1;
    }
    if (sc->i - first > MAX_NUMBER_LEN)
        return fail_at(sc, start, "this number is %zu characters long; the limit is %d",
                       sc->i - first, MAX_NUMBER_LEN);
    return 0;
}

static int scan_literal(struct scanner *sc, const char *word)
{
    size_t k, n = strlen(word);
    for (k = 0; k < n; k++) {
        if (at_end(sc) || sc->s[sc->i] != (unsigned char)word[k]) {
            char expected[32];
            snprintf(expected, sizeof expected, "'%c' (in \"%s\")", word[k], word);
            return fail_unexpected(sc, expected);
        }
        sc->i++;
    }
    return 0;
}

/* ---- Values, arrays, objects ----------------------------------------------------------- */

static int scan_value(struct scanner *sc, struct hh_pos key);

static int enter(struct scanner *sc)
{
    if (sc->depth == HH_JSON_MAX_DEPTH)
        return fail_at(sc, here(sc), "nesting deeper than %d levels of objects and arrays",
                       HH_JSON_MAX_DEPTH);
    sc->depth++;
    sc->i++; /* the opening bracket */
    skip_ws(sc);
    return 0;
}

/* After ',' a closing bracket means a trailing comma, which JSON does not allow. */
static int reject_trailing_comma(struct scanner *sc, char close)
{
    if (!at_end(sc) && sc->s[sc->i] == (unsigned char)close)
        return fail_at(sc, here(sc), "unexpected character '%c' after ','; JSON allows no "
                       "comma before '%c'", close, close);
    return 0;
}

/* After a member or element: ',' (returns 1, more follow), the close (returns 0), or -1. */
static int scan_separator(struct scanner *sc, char close, const char *what, struct hh_pos open)
{
    char expected[96];
    skip_ws(sc);
    if (!at_end(sc) && sc->s[sc->i] == ',') {
        sc->i++;
        skip_ws(sc);
        return reject_trailing_comma(sc, close) != 0 ? -1 : 1;
    }
    if (!at_end(sc) && sc->s[sc->i] == (unsigned char)close) {
        sc->i++;
        sc->depth--;
        return 0;
    }
    snprintf(expected, sizeof expected, "',' or '%c' in the %s opened at %d:%d", close, what,
             open.line, open.col);
    return fail_unexpected(sc, expected);
}

static int scan_member(struct scanner *sc)
{
    struct hh_pos key;
    if (at_end(sc) || sc->s[sc->i] != '"')
        return fail_unexpected(sc, "a key in double quotes");
    key = here(sc);
    if (scan_string(sc) != 0)
        return -1;
    skip_ws(sc);
    if (at_end(sc) || sc->s[sc->i] != ':')
        return fail_unexpected(sc, "':' after the key");
    sc->i++;
    skip_ws(sc);
    return scan_value(sc, key);
}

static int scan_object(struct scanner *sc)
{
    struct hh_pos open = here(sc);
    int more;
    if (enter(sc) != 0)
        return -1;
    if (!at_end(sc) && sc->s[sc->i] == '}') {
        sc->i++;
        sc->depth--;
        return 0;
    }
    do {
        if (scan_member(sc) != 0)
            return -1;
        more = scan_separator(sc, '}', "object", open);
    } while (more == 1);
    return more;
}

static int scan_array(struct scanner *sc)
{
    static const struct hh_pos no_key = {0, 0};
    struct hh_pos open = here(sc);
    int more;
    if (enter(sc) != 0)
        return -1;
    if (!at_end(sc) && sc->s[sc->i] == ']') {
        sc->i++;
        sc->depth--;
        return 0;
    }
    do {
        if (scan_value(sc, no_key) != 0)
            return -1;
        more = scan_separator(sc, ']', "array", open);
    } while (more == 1);
    return more;
}

static int scan_value(struct scanner *sc, struct hh_pos key)
{
    if (at_end(sc))
        return fail_unexpected(sc, "a value");
    if (add_mark(sc, here(sc), key) != 0)
        return -1;
    switch (sc->s[sc->i]) {
    case '{':
        return scan_object(sc);
    case '[':
        return scan_array(sc);
    case '"':
        return scan_string(sc);
    case 't':
        return scan_literal(sc, "true");
    case 'f':
        return scan_literal(sc, "false");
    case 'n':
        return scan_literal(sc, "null");
    default:
        if (sc->s[sc->i] == '-' || (sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9'))
            return scan_number(sc);
        return fail_unexpected(sc, "a value (an object, array, string, number, true, false "
                               "or null)");
    }
}

void hh_jsonpos_init(struct hh_jsonpos *jp)
{
    memset(jp, 0, sizeof *jp);
}

void hh_jsonpos_free(struct hh_jsonpos *jp)
{
    free(jp->marks);
    free(jp->nodes);
    hh_jsonpos_init(jp);
}

int hh_jsonpos_scan(struct hh_jsonpos *jp, const char *text, size_t len,
                    struct hh_json_error *err)
{
    static const struct hh_pos no_key = {0, 0};
    struct scanner sc;
    char what[32];
    memset(&sc, 0, sizeof sc);
    sc.s = (const unsigned char *)text;
    sc.len = len;
    sc.line = 1;
    sc.jp = jp;
    sc.err = err;
    jp->n = 0;
    skip_ws(&sc);
    if (scan_value(&sc, no_key) != 0)
        return -1;
    skip_ws(&sc);
    if (!at_end(&sc))
        return fail_at(&sc, here(&sc), "trailing garbage after the JSON value: unexpected %s; "
                       "the file holds one JSON value",
                       describe_byte(sc.s[sc.i], what, sizeof what));
    return 0;
}

/* ---- Binding to the cJSON tree ----------------------------------------------------------- */

static int collect(struct hh_jsonpos *jp, const cJSON *node, size_t *count)
{
    const cJSON *child;
    if (*count >= jp->n)
        return -1;
    jp->nodes[*count].node = (uintptr_t)node;
    jp->nodes[*count].mark = *count;
    (*count)++;
    for (child = node->child; child; child = child->next) {
        if (collect(jp, child, count) != 0)
            return -1;
    }
    return 0;
}

static int by_node(const void *a, const void *b)
{
    uintptr_t x = ((const struct hh_json_node *)a)->node;
    uintptr_t y = ((const struct hh_json_node *)b)->node;
    return x < y ? -1 : x > y;
}

int hh_jsonpos_bind(struct hh_jsonpos *jp, const cJSON *root)
{
    size_t count = 0;
    free(jp->nodes);
    jp->nnodes = 0;
    jp->nodes = malloc((jp->n ? jp->n : 1) * sizeof *jp->nodes);
    if (!jp->nodes)
        return -1;
    if (collect(jp, root, &count) != 0 || count != jp->n)
        return -1;
    qsort(jp->nodes, count, sizeof *jp->nodes, by_node);
    jp->nnodes = count;
    return 0;
}

static const struct hh_json_mark *mark_of(const struct hh_jsonpos *jp, const cJSON *node)
{
    struct hh_json_node key;
    const struct hh_json_node *found;
    if (!node || jp->nnodes == 0)
        return NULL;
    key.node = (uintptr_t)node;
    key.mark = 0;
    found = bsearch(&key, jp->nodes, jp->nnodes, sizeof *jp->nodes, by_node);
    return found ? &jp->marks[found->mark] : NULL;
}

struct hh_pos hh_jsonpos_value(const struct hh_jsonpos *jp, const cJSON *node)
{
    static const struct hh_pos unknown = {0, 0};
    const struct hh_json_mark *m = mark_of(jp, node);
    return m ? m->value : unknown;
}

struct hh_pos hh_jsonpos_key(const struct hh_jsonpos *jp, const cJSON *node)
{
    static const struct hh_pos unknown = {0, 0};
    const struct hh_json_mark *m = mark_of(jp, node);
    return m ? m->key : unknown;
}
