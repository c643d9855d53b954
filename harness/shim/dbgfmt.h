/* dbgfmt.h - the kernel's printf language, for DbgPrint on every host.
 *
 * Windows is LLP64 and its kernel CRT has conversions of its own, so a format is read the way
 * the kernel reads it whatever the host's C library does: `l` is 32 bits, `ll`, `I64` and `j`
 * are 64, `I`, `z` and `t` pointer-sized; %wZ takes a PUNICODE_STRING, %Z a PANSI_STRING,
 * %ws, %ls and %S a NUL-terminated WCHAR string, %hs and %s a narrow one, %C and %wc a WCHAR;
 * %p prints every digit of the pointer, uppercase, without 0x (00007FF6A1B2C3D0 on x64).
 * Only a floating-point conversion is handed to the host's snprintf, rebuilt alone.
 */
#ifndef HH_SHIM_DBGFMT_H
#define HH_SHIM_DBGFMT_H

#include <stdarg.h>
#include <stddef.h>

struct hh_dbgfmt {
    char *text; /* NUL-terminated; NULL until something is written */
    size_t len, cap;
    int failed;         /* out of memory: text is incomplete */
    char unicode[8];    /* the first Unicode conversion used ("%wZ"), or "" */
    char small[256];    /* text lives here until it outgrows it: no allocation per message */
};

void hh_dbgfmt_init(struct hh_dbgfmt *f);
void hh_dbgfmt_free(struct hh_dbgfmt *f);
void hh_dbgfmt_append(struct hh_dbgfmt *f, const char *s, size_t n);
/* Appends the formatted text. A WCHAR outside ASCII is written as '?' (the kernel converts to
 * the system's ANSI code page, which the harness does not know); a conversion the kernel
 * does not have is copied as written. */
void hh_dbgfmt_format(struct hh_dbgfmt *f, const char *format, va_list ap);

#endif
