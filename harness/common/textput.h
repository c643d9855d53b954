/* textput.h - bounded text building without printf, for text made at every step of a run
 * (the fuzz targets' notes, step paths, status names): there snprintf, and the sanitizers'
 * interceptor around it, cost more than the step itself.
 *
 * Each call writes at buf[at], cuts what does not fit in len bytes, keeps buf NUL-terminated
 * (len > 0) and returns where the next call writes; a cut leaves at == len - 1.
 */
#ifndef HH_COMMON_TEXTPUT_H
#define HH_COMMON_TEXTPUT_H

#include <stddef.h>

size_t hh_text_put(char *buf, size_t len, size_t at, const char *s);
/* Eight uppercase hex digits ("%08lX" of the low 32 bits). */
size_t hh_text_put_hex8(char *buf, size_t len, size_t at, unsigned long v);
/* Decimal ("%lu"). */
size_t hh_text_put_ulong(char *buf, size_t len, size_t at, unsigned long v);
/* strcmp(a, b) == 0, compared by hand: libFuzzer intercepts strcmp in the whole process and
 * would learn the harness's own strings (and pay for it) on every call. */
int hh_text_same(const char *a, const char *b);

#endif
