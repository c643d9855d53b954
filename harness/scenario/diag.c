/* diag.c - collecting diagnostics and formatting one as "file:line:col: error: path: msg".
 *
 * Keeps at most HH_DIAG_MAX diagnostics and counts the rest; long parts are cut to fit
 * their fields. Never prints: the CLI decides where the text goes.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy_field(char *dst, size_t size, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

void hh_diags_init(struct hh_diags *d)
{
    memset(d, 0, sizeof *d);
}

void hh_diags_add(struct hh_diags *d, const char *file, int line, int col, const char *path,
                  const char *fmt, ...)
{
    struct hh_diag *g;
    va_list ap;
    if (d->n == HH_DIAG_MAX) {
        d->dropped++;
        return;
    }
    g = &d->items[d->n++];
    copy_field(g->file, sizeof g->file, file);
    copy_field(g->path, sizeof g->path, path);
    g->line = line;
    g->col = line > 0 ? col : 0;
    va_start(ap, fmt);
    vsnprintf(g->msg, sizeof g->msg, fmt, ap);
    va_end(ap);
}

const char *hh_diag_format(const struct hh_diag *g, char *buf, size_t len)
{
    char place[560];
    const char *sep = g->path[0] ? ": " : "";
    if (g->line > 0 && g->col > 0)
        snprintf(place, sizeof place, "%s:%d:%d: ", g->file, g->line, g->col);
    else if (g->line > 0)
        snprintf(place, sizeof place, "%s:%d: ", g->file, g->line);
    else if (g->file[0])
        snprintf(place, sizeof place, "%s: ", g->file);
    else
        place[0] = '\0';
    snprintf(buf, len, "%serror: %s%s%s", place, g->path, sep, g->msg);
    return buf;
}
