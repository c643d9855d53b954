/* plat_common.c - the portable half of the platform layer, built on every OS.
 *
 * Error sentences, whole-file reads with a size limit, sorted name lists, a child's output
 * kept within a bound, and the AddressSanitizer hooks (a compiler feature, not an OS one),
 * so that plat_posix.c and plat_win.c keep only what differs between operating systems.
 */
#include "plat_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* HH_LINKS_ASAN: the program links AddressSanitizer, set by the build even where this file
 * is compiled without its checks (the fuzzing build's harness, meson.build). */
#if defined(HH_LINKS_ASAN) || defined(__SANITIZE_ADDRESS__)
#define HH_PLAT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HH_PLAT_ASAN 1
#endif
#endif
#if defined(HH_PLAT_ASAN)
#include <sanitizer/asan_interface.h>
#endif

void hh_plat_set_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Grows *buf so it holds at least need bytes; the capacity never passes limit. */
static int grow(char **buf, size_t *cap, size_t need, size_t limit)
{
    size_t next = *cap ? *cap : 4096;
    char *grown;
    if (need > limit)
        return -1;
    while (next < need)
        next = next > limit / 2 ? limit : next * 2;
    if (next > limit)
        next = limit;
    grown = realloc(*buf, next);
    if (!grown)
        return -1;
    *buf = grown;
    *cap = next;
    return 0;
}

static int read_stream(FILE *f, size_t max, char **data, size_t *len, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t cap = 0, used = 0;
    /* One byte past max shows a file that is too large; one more holds the NUL. */
    size_t limit = max < (size_t)-2 ? max + 2 : max;
    for (;;) {
        size_t got;
        if (used + 1 >= cap && grow(&buf, &cap, used + 2, limit) != 0) {
            free(buf);
            hh_plat_set_error(err, errlen, "out of memory reading the file");
            return -1;
        }
        got = fread(buf + used, 1, cap - 1 - used, f);
        used += got;
        if (used > max) {
            free(buf);
            hh_plat_set_error(err, errlen, "the file is larger than the %llu-byte limit",
                              (unsigned long long)max);
            return -1;
        }
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int code = errno;
        free(buf);
        hh_plat_set_error(err, errlen, "cannot read the file: %s", strerror(code));
        return -1;
    }
    buf[used] = '\0';
    *data = buf;
    *len = used;
    return 0;
}

int hh_plat_read_file(const char *path, size_t max, char **data, size_t *len, char *err,
                      size_t errlen)
{
    FILE *f;
    int rc;
    *data = NULL;
    *len = 0;
    if (hh_plat_path_kind(path) == HH_PLAT_DIR) {
        hh_plat_set_error(err, errlen, "it is a folder, not a file");
        return -1;
    }
    f = hh_plat_open_read(path, err, errlen);
    if (!f)
        return -1;
    rc = read_stream(f, max, data, len, err, errlen);
    fclose(f);
    return rc;
}

int hh_plat_names_add(struct hh_plat_names *l, const char *name)
{
    size_t n = strlen(name);
    char *copy;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **grown = realloc(l->v, cap * sizeof(*grown));
        if (!grown)
            return -1;
        l->v = grown;
        l->cap = cap;
    }
    copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, name, n + 1);
    l->v[l->n++] = copy;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void hh_plat_names_sort(struct hh_plat_names *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof(*l->v), compare_names);
}

void hh_plat_free_list(char **names, size_t n)
{
    size_t i;
    if (!names)
        return;
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static char *output_reserve(struct hh_plat_output *o, size_t want)
{
    if (o->len + want + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        char *grown;
        while (cap < o->len + want + 1)
            cap *= 2;
        grown = realloc(o->data, cap);
        if (!grown)
            return NULL;
        o->data = grown;
        o->cap = cap;
    }
    return o->data + o->len;
}

char *hh_plat_output_room(struct hh_plat_output *o, size_t want)
{
    if (o->len + want > HH_PLAT_OUTPUT_MAX && o->len > HH_PLAT_OUTPUT_HEAD) {
        /* Drop the oldest bytes after the head, a quarter of the bound at a time. */
        size_t drop = HH_PLAT_OUTPUT_MAX / 4;
        if (drop > o->len - HH_PLAT_OUTPUT_HEAD)
            drop = o->len - HH_PLAT_OUTPUT_HEAD;
        memmove(o->data + HH_PLAT_OUTPUT_HEAD, o->data + HH_PLAT_OUTPUT_HEAD + drop,
                o->len - HH_PLAT_OUTPUT_HEAD - drop);
        o->len -= drop;
        o->dropped += drop;
    }
    return output_reserve(o, want);
}

int hh_plat_output_finish(struct hh_plat_output *o, struct hh_plat_proc_result *r)
{
    char note[96];
    size_t n = 0;
    if (o->dropped)
        n = (size_t)snprintf(note, sizeof(note), "\n[... %llu bytes of output left out ...]\n",
                             o->dropped);
    if (!output_reserve(o, n + 1))
        return -1;
    if (n) {
        memmove(o->data + HH_PLAT_OUTPUT_HEAD + n, o->data + HH_PLAT_OUTPUT_HEAD,
                o->len - HH_PLAT_OUTPUT_HEAD);
        memcpy(o->data + HH_PLAT_OUTPUT_HEAD, note, n);
        o->len += n;
    }
    o->data[o->len] = '\0';
    r->output = o->data;
    r->output_len = o->len;
    o->data = NULL;
    o->len = o->cap = 0;
    return 0;
}

void hh_plat_poison(const volatile void *p, size_t n)
{
#if defined(HH_PLAT_ASAN)
    __asan_poison_memory_region(p, n);
#else
    (void)p;
    (void)n;
#endif
}

void hh_plat_unpoison(const volatile void *p, size_t n)
{
#if defined(HH_PLAT_ASAN)
    __asan_unpoison_memory_region(p, n);
#else
    (void)p;
    (void)n;
#endif
}
