/* relpath.c - relative paths from the text of two paths: both are split into parts, "." and
 * empty parts dropped and "x/.." folded, then the shared leading parts left out.
 */
#include "relpath.h"

#include <ctype.h>
#include <string.h>

#define MAX_PARTS 128

struct parts {
    const char *at[MAX_PARTS];
    size_t len[MAX_PARTS];
    size_t n;
    int absolute; /* 0 relative; 1 from a root ("/x", "\x", "C:\x") */
};

static int is_sep(char c)
{
    return c == '/' || c == '\\';
}

static int is_dotdot(const struct parts *p, size_t i)
{
    return p->len[i] == 2 && memcmp(p->at[i], "..", 2) == 0;
}

/* Splits and folds; -1 when there are too many parts or ".." climbs above a root. A drive
 * ("C:") stays the first part, so two drives differ in it. */
static int split(const char *path, struct parts *p)
{
    const char *c = path;
    p->n = 0;
    p->absolute = is_sep(path[0]) ||
                  (isalpha((unsigned char)path[0]) && path[1] == ':' && is_sep(path[2]));
    while (*c) {
        const char *start;
        size_t n;
        while (is_sep(*c))
            c++;
        start = c;
        while (*c && !is_sep(*c))
            c++;
        n = (size_t)(c - start);
        if (n == 0 || (n == 1 && start[0] == '.'))
            continue;
        if (n == 2 && memcmp(start, "..", 2) == 0 && p->n > 0 && !is_dotdot(p, p->n - 1)) {
            if (p->absolute && p->n == 1 && p->at[0][1] == ':')
                return -1; /* above a drive's root */
            p->n--;
            continue;
        }
        if (n == 2 && memcmp(start, "..", 2) == 0 && p->absolute)
            return -1; /* above the root */
        if (p->n == MAX_PARTS)
            return -1;
        p->at[p->n] = start;
        p->len[p->n++] = n;
    }
    return 0;
}

static int same_part(const struct parts *a, size_t i, const struct parts *b, size_t j)
{
    return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

static int append(char *out, size_t len, size_t *used, const char *text, size_t n)
{
    if (*used + n + 1 > len)
        return -1;
    memcpy(out + *used, text, n);
    *used += n;
    out[*used] = '\0';
    return 0;
}

const char *hh_path_base(const char *path)
{
    const char *base = path, *c;
    for (c = path; *c; c++) {
        if (is_sep(*c))
            base = c + 1;
    }
    return base;
}

int hh_path_folder(const char *file, char *out, size_t len)
{
    const char *slash = NULL, *c;
    size_t n;
    for (c = file; *c; c++) {
        if (is_sep(*c))
            slash = c;
    }
    if (!slash) {
        file = ".";
        n = 1;
    } else {
        n = slash == file ? 1 : (size_t)(slash - file);
    }
    if (n + 1 > len)
        return -1;
    memcpy(out, file, n);
    out[n] = '\0';
    return 0;
}

int hh_path_relative(const char *from, const char *to, char *out, size_t len)
{
    struct parts f, t;
    size_t k = 0, i, used = 0;
    if (len == 0 || split(from, &f) != 0 || split(to, &t) != 0 || f.absolute != t.absolute)
        return -1;
    out[0] = '\0';
    while (k < f.n && k < t.n && same_part(&f, k, &t, k))
        k++;
    if (f.absolute && k == 0 && (f.n > 0 && f.at[0][1] == ':'))
        return -1; /* another drive */
    for (i = k; i < f.n; i++) {
        if (is_dotdot(&f, i))
            return -1; /* which folder ".." leaves is not in the text */
        if (append(out, len, &used, "../", 3) != 0)
            return -1;
    }
    for (i = k; i < t.n; i++) {
        if ((i > k && append(out, len, &used, "/", 1) != 0) ||
            append(out, len, &used, t.at[i], t.len[i]) != 0)
            return -1;
    }
    if (used == 0)
        return append(out, len, &used, ".", 1);
    return 0;
}
