/* plat_internal.h - what plat_common.c and the two platform backends share.
 *
 * Standard C only: error sentences, opening a file for reading (each backend's), and
 * building and sorting a list of names. Nothing outside harness/platform/ includes this.
 */
#ifndef HH_PLATFORM_PLAT_INTERNAL_H
#define HH_PLATFORM_PLAT_INTERNAL_H

#include <stdio.h>

#include <hh/hh.h>

#include "plat.h"

/* snprintf into an error buffer that may be NULL or empty. */
void hh_plat_set_error(char *err, size_t errlen, const char *fmt, ...) HH_PRINTF(3, 4);

/* Opens a UTF-8 path for binary reading; NULL with the reason in err. (Backend.) */
FILE *hh_plat_open_read(const char *path, char *err, size_t errlen);

/* A growing list of names, sorted bytewise once complete. */
struct hh_plat_names {
    char **v;
    size_t n, cap;
};
int hh_plat_names_add(struct hh_plat_names *l, const char *name);
void hh_plat_names_sort(struct hh_plat_names *l);

#endif
