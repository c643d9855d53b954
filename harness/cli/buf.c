/* buf.c - the growing string, its escapes, and diagnostics as JSON (see buf.h). Standard C
 * only; nothing here writes anywhere. */
#include "buf.h"

#include "scenario/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hh_buf_init(struct hh_buf *b)
{
    memset(b, 0, sizeof(*b));
}

void hh_buf_free(struct hh_buf *b)
{
    free(b->data);
    hh_buf_init(b);
}

static int reserve(struct hh_buf *b, size_t more)
{
    size_t cap;
    char *grown;
    if (b->failed)
        return -1;
    if (b->len + more + 1 <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    grown = realloc(b->data, cap);
    if (!grown) {
        b->failed = 1;
        return -1;
    }
    b->data = grown;
    b->cap = cap;
    return 0;
}

void hh_buf_put(struct hh_buf *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void hh_buf_puts(struct hh_buf *b, const char *s)
{
    hh_buf_put(b, s, strlen(s));
}

void hh_buf_printf(struct hh_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    char small[256];
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        hh_buf_put(b, small, (size_t)n);
        return;
    }
    if (reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *hh_buf_take(struct hh_buf *b)
{
    char *s;
    if (reserve(b, 0) != 0) {
        hh_buf_free(b);
        return NULL;
    }
    b->data[b->len] = '\0';
    s = b->data;
    hh_buf_init(b);
    return s;
}

/* ---- Escapes ---------------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (2..4 bytes), or 0 when there is none. */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
    size_t n, i;
    unsigned long cp;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07u;
    else
        return 0;
    if (left < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8. */
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

enum escape { ESC_JSON, ESC_XML, ESC_PLAIN, ESC_PLAIN_LINE };

/* What stands for ASCII character c in the mode, or NULL when c stands for itself. */
static const char *ascii_escape(enum escape how, unsigned char c, char *tmp, size_t len)
{
    switch (c) {
    case '"':
        return how == ESC_JSON ? "\\\"" : how == ESC_XML ? "&quot;" : NULL;
    case '\\':
        return how == ESC_JSON ? "\\\\" : NULL;
    case '&':
        return how == ESC_XML ? "&amp;" : NULL;
    case '<':
        return how == ESC_XML ? "&lt;" : NULL;
    case '>':
        return how == ESC_XML ? "&gt;" : NULL;
    case '\'':
        return how == ESC_XML ? "&apos;" : NULL;
    case '\t':
        return how == ESC_JSON ? "\\t" : NULL;
    case '\n':
        return how == ESC_JSON ? "\\n" : how == ESC_PLAIN_LINE ? "\\x0a" : NULL;
    default:
        break;
    }
    if (c >= 0x20 && c != 0x7F)
        return NULL;
    if (how == ESC_JSON)
        snprintf(tmp, len, "\\u%04x", c);
    else
        snprintf(tmp, len, "\\x%02x", c);
    return tmp;
}

static void put_escaped(struct hh_buf *b, const char *text, size_t n, enum escape how)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        char tmp[8];
        const char *instead;
        /* Copy plain ASCII in one go. */
        while (run < n && s[run] >= 0x20 && s[run] < 0x7F && !strchr("\"\\&<>'", s[run]))
            run++;
        if (run > i) {
            hh_buf_put(b, text + i, run - i);
            i = run;
            continue;
        }
        if (s[i] >= 0x80) {
            size_t len = utf8_sequence(s + i, n - i);
            hh_buf_put(b, len ? text + i : replacement, len ? len : sizeof(replacement) - 1);
            i += len ? len : 1;
            continue;
        }
        instead = ascii_escape(how, s[i], tmp, sizeof(tmp));
        if (instead)
            hh_buf_puts(b, instead);
        else
            hh_buf_put(b, text + i, 1);
        i++;
    }
}

void hh_buf_json(struct hh_buf *b, const char *s)
{
    if (!s) {
        hh_buf_puts(b, "null");
        return;
    }
    hh_buf_put(b, "\"", 1);
    put_escaped(b, s, strlen(s), ESC_JSON);
    hh_buf_put(b, "\"", 1);
}

void hh_buf_xml(struct hh_buf *b, const char *s)
{
    if (s)
        put_escaped(b, s, strlen(s), ESC_XML);
}

void hh_buf_plain_n(struct hh_buf *b, const char *s, size_t n, int one_line)
{
    put_escaped(b, s, n, one_line ? ESC_PLAIN_LINE : ESC_PLAIN);
}

void hh_buf_json_diags(struct hh_buf *b, const struct hh_diags *d)
{
    size_t i;
    hh_buf_puts(b, "[");
    for (i = 0; i < d->n; i++) {
        const struct hh_diag *g = &d->items[i];
        hh_buf_puts(b, i ? ",{\"file\":" : "{\"file\":");
        hh_buf_json(b, g->file);
        hh_buf_printf(b, ",\"line\":%d,\"column\":%d,\"path\":", g->line, g->col);
        hh_buf_json(b, g->path);
        hh_buf_puts(b, ",\"message\":");
        hh_buf_json(b, g->msg);
        hh_buf_puts(b, "}");
    }
    hh_buf_puts(b, "]");
}
