/* plat_datasnap.c - a module's writable data saved after load and copied back before a run.
 *
 * The backends say where the writable image lies (hh_plat_module_writable); this file owns the
 * copies. Under AddressSanitizer an instrumented module's globals sit between poisoned
 * redzones, which no access may touch, memcpy's included: the snapshot keeps the spans ASan
 * lets the program use, found once through ASan's interface, and a restore copies those with
 * memcpy at full speed. The redzones are never written by the program, so they need no copy.
 */
#include "plat_internal.h"

#include <stdlib.h>
#include <string.h>

/* HH_LINKS_ASAN: the program links AddressSanitizer, set by the build even where this file
 * is compiled without its checks (the fuzzing build's harness, meson.build). */
#if defined(HH_LINKS_ASAN) || defined(__SANITIZE_ADDRESS__)
#define HH_DATASNAP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HH_DATASNAP_ASAN 1
#endif
#endif
#if defined(HH_DATASNAP_ASAN)
#include <sanitizer/asan_interface.h>
#endif

struct span {
    unsigned char *addr;
    size_t len;
};

struct hh_plat_datasnap {
    struct span *spans;
    size_t nspans, cap;
    unsigned char *saved; /* the spans' bytes, one after another */
    size_t bytes;
};

/* The first byte at or after p that the program may not touch, or end. */
static unsigned char *usable_end(unsigned char *p, unsigned char *end)
{
#if defined(HH_DATASNAP_ASAN)
    void *bad = __asan_region_is_poisoned(p, (size_t)(end - p));
    return bad ? (unsigned char *)bad : end;
#else
    (void)p;
    return end;
#endif
}

/* The first byte at or after p that the program may touch, or end. */
static unsigned char *usable_start(unsigned char *p, unsigned char *end)
{
#if defined(HH_DATASNAP_ASAN)
    while (p < end && __asan_address_is_poisoned(p))
        p++;
#else
    (void)end;
#endif
    return p;
}

static int add_span(struct hh_plat_datasnap *snap, unsigned char *addr, size_t len)
{
    if (snap->nspans == snap->cap) {
        size_t cap = snap->cap ? snap->cap * 2 : 16;
        struct span *grown = realloc(snap->spans, cap * sizeof(*grown));
        if (!grown)
            return -1;
        snap->spans = grown;
        snap->cap = cap;
    }
    snap->spans[snap->nspans].addr = addr;
    snap->spans[snap->nspans].len = len;
    snap->nspans++;
    snap->bytes += len;
    return 0;
}

/* Splits each range into the spans the program may touch. */
static int find_spans(struct hh_plat_datasnap *snap, const struct hh_plat_range *r, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char *p = r[i].addr, *end = r[i].addr + r[i].len;
        while ((p = usable_start(p, end)) < end) {
            unsigned char *stop = usable_end(p, end);
            if (add_span(snap, p, (size_t)(stop - p)) != 0)
                return -1;
            p = stop;
        }
    }
    return 0;
}

struct hh_plat_datasnap *hh_plat_data_snapshot(struct hh_plat_lib *lib, char *err,
                                               size_t errlen)
{
    struct hh_plat_range ranges[HH_PLAT_MAX_RANGES];
    struct hh_plat_datasnap *snap;
    size_t n, i, at = 0;
    if (hh_plat_module_writable(lib, ranges, HH_PLAT_MAX_RANGES, &n, err, errlen) != 0)
        return NULL;
    snap = calloc(1, sizeof(*snap));
    if (!snap || find_spans(snap, ranges, n) != 0 ||
        (snap->saved = malloc(snap->bytes ? snap->bytes : 1)) == NULL) {
        hh_plat_data_free(snap);
        hh_plat_set_error(err, errlen, "out of memory");
        return NULL;
    }
    for (i = 0; i < snap->nspans; i++) {
        memcpy(snap->saved + at, snap->spans[i].addr, snap->spans[i].len);
        at += snap->spans[i].len;
    }
    return snap;
}

/* A program that links AddressSanitizer while this file is built without it (the fuzzing
 * build's harness) has ASan's memcpy, which first checks both ranges, and on a module's many
 * small spans that costs three times the copy; the spans are usable by construction. There a
 * loop the compiler may not turn into a memcpy call (it still vectorizes it) does the copy
 * alone. */
#if defined(HH_LINKS_ASAN) && !defined(__SANITIZE_ADDRESS__) && defined(__clang__) && \
    defined(__has_attribute)
#if !__has_feature(address_sanitizer) && __has_attribute(no_builtin)
#define HH_DATASNAP_OWN_COPY 1
#endif
#endif

#if defined(HH_DATASNAP_OWN_COPY)
__attribute__((no_builtin("memcpy"))) static void copy_span(unsigned char *to,
                                                            const unsigned char *from,
                                                            size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        to[i] = from[i];
}
#else
static void copy_span(unsigned char *to, const unsigned char *from, size_t len)
{
    memcpy(to, from, len);
}
#endif

void hh_plat_data_restore(const struct hh_plat_datasnap *snap)
{
    size_t i, at = 0;
    for (i = 0; i < snap->nspans; i++) {
        copy_span(snap->spans[i].addr, snap->saved + at, snap->spans[i].len);
        at += snap->spans[i].len;
    }
}

size_t hh_plat_data_size(const struct hh_plat_datasnap *snap)
{
    return snap->bytes;
}

void hh_plat_data_free(struct hh_plat_datasnap *snap)
{
    if (!snap)
        return;
    free(snap->spans);
    free(snap->saved);
    free(snap);
}
