/* plat_datasnap.c - a module's writable data saved after load and copied back before a run.
 *
 * The backends say where the writable image lies (hh_plat_module_writable); this file owns the
 * copies. Under AddressSanitizer an instrumented module's globals sit between poisoned
 * redzones, and the copy spans them: it is done word by word through volatile pointers in a
 * function ASan does not instrument, so neither the checks nor the memcpy interceptor see it
 * (the redzones' bytes are never written by the program, so copying them back is harmless).
 */
#include "plat_internal.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define HH_DATASNAP_RAW 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HH_DATASNAP_RAW 1
#endif
#endif

struct hh_plat_datasnap {
    struct hh_plat_range ranges[HH_PLAT_MAX_RANGES];
    unsigned char *saved[HH_PLAT_MAX_RANGES];
    size_t n, bytes;
};

#if defined(HH_DATASNAP_RAW)
__attribute__((no_sanitize_address)) static void copy_bytes(void *dst, const void *src,
                                                            size_t n)
{
    volatile unsigned char *d = dst;
    const volatile unsigned char *s = src;
    size_t i = 0;
    /* Whole words where both sides are aligned alike (the usual case: page-aligned data and a
     * malloc'd copy offset the same way), bytes for the rest. */
    if (((size_t)d & (sizeof(size_t) - 1)) == ((size_t)s & (sizeof(size_t) - 1))) {
        for (; i < n && ((size_t)(d + i) & (sizeof(size_t) - 1)); i++)
            d[i] = s[i];
        for (; i + sizeof(size_t) <= n; i += sizeof(size_t))
            *(volatile size_t *)(d + i) = *(const volatile size_t *)(s + i);
    }
    for (; i < n; i++)
        d[i] = s[i];
}
#else
static void copy_bytes(void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n);
}
#endif

struct hh_plat_datasnap *hh_plat_data_snapshot(struct hh_plat_lib *lib, char *err,
                                               size_t errlen)
{
    struct hh_plat_datasnap *snap = calloc(1, sizeof(*snap));
    size_t i;
    if (!snap) {
        hh_plat_set_error(err, errlen, "out of memory");
        return NULL;
    }
    if (hh_plat_module_writable(lib, snap->ranges, HH_PLAT_MAX_RANGES, &snap->n, err,
                                errlen) != 0) {
        free(snap);
        return NULL;
    }
    for (i = 0; i < snap->n; i++) {
        /* The copy is offset like the original within a word, so the raw copy goes by words. */
        size_t skew = (size_t)snap->ranges[i].addr & (sizeof(size_t) - 1);
        unsigned char *buf = malloc(snap->ranges[i].len + sizeof(size_t));
        if (!buf) {
            hh_plat_set_error(err, errlen, "out of memory");
            snap->n = i;
            hh_plat_data_free(snap);
            return NULL;
        }
        snap->saved[i] = buf;
        copy_bytes(buf + skew, snap->ranges[i].addr, snap->ranges[i].len);
        snap->bytes += snap->ranges[i].len;
    }
    return snap;
}

void hh_plat_data_restore(const struct hh_plat_datasnap *snap)
{
    size_t i;
    for (i = 0; i < snap->n; i++) {
        size_t skew = (size_t)snap->ranges[i].addr & (sizeof(size_t) - 1);
        copy_bytes(snap->ranges[i].addr, snap->saved[i] + skew, snap->ranges[i].len);
    }
}

size_t hh_plat_data_size(const struct hh_plat_datasnap *snap)
{
    return snap->bytes;
}

void hh_plat_data_free(struct hh_plat_datasnap *snap)
{
    size_t i;
    if (!snap)
        return;
    for (i = 0; i < snap->n; i++)
        free(snap->saved[i]);
    free(snap);
}
