/* plat_internal.h - what plat_common.c and the two platform backends share.
 *
 * Standard C only: error sentences, opening a file for reading (each backend's), building
 * and sorting a list of names, and collecting a child's output within a bound. Nothing outside harness/platform/ includes this.
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

/* Why the module at path cannot load in this process, from the two files' headers: "it is a
 * 32-bit x86 Windows DLL and this harness is a 64-bit x86-64 ELF program: ...", or that it
 * is no shared library at all. Returns 1 with the sentence in out, 0 when the headers show
 * nothing wrong or cannot be read. (plat_binary.c) */
int hh_plat_explain_binary(const char *path, char *out, size_t len);

/* The writable ranges of a loaded module's image, for plat_datasnap.c. (Backend.) Fills at
 * most cap ranges; 0, or -1 with the reason in err. */
struct hh_plat_range {
    unsigned char *addr;
    size_t len;
};
#define HH_PLAT_MAX_RANGES 32
int hh_plat_module_writable(struct hh_plat_lib *lib, struct hh_plat_range *out, size_t cap,
                            size_t *n, char *err, size_t errlen);

/* A growing list of names, sorted bytewise once complete. */
struct hh_plat_names {
    char **v;
    size_t n, cap;
};
int hh_plat_names_add(struct hh_plat_names *l, const char *name);
void hh_plat_names_sort(struct hh_plat_names *l);

/* A child's output as both backends collect it: past HH_PLAT_OUTPUT_MAX bytes the first
 * HH_PLAT_OUTPUT_HEAD stay, the middle goes, and the end keeps coming in. */
#define HH_PLAT_OUTPUT_MAX ((size_t)8 << 20)
#define HH_PLAT_OUTPUT_HEAD ((size_t)64 << 10)
struct hh_plat_output {
    char *data;
    size_t len, cap;
    unsigned long long dropped;
};
/* Room for at least `want` more bytes at data + len; NULL when out of memory. */
char *hh_plat_output_room(struct hh_plat_output *o, size_t want);
/* Hands the bytes (NUL-terminated, with a note where the middle was left out) to r. */
int hh_plat_output_finish(struct hh_plat_output *o, struct hh_plat_proc_result *r);

#endif
