/* plat_win_int.h - what the Windows backend files (plat_win*.c) share, and nothing else does.
 *
 * UTF-8 <-> UTF-16 conversion right before and after a *W call, the one FormatMessageW
 * translation of Win32 error codes into sentences, and the names of exception codes. It
 * includes <windows.h>, so only harness/platform/plat_win*.c may include it.
 */
#ifndef HH_PLATFORM_PLAT_WIN_INT_H
#define HH_PLATFORM_PLAT_WIN_INT_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include "plat_internal.h"

/* A malloc'd UTF-16 copy of a UTF-8 string, or NULL (invalid UTF-8 or out of memory). */
wchar_t *hh_plat_win_wide(const char *s);
/* A malloc'd UTF-8 copy of a UTF-16 string, or NULL. */
char *hh_plat_win_utf8(const wchar_t *w);
/* err = what + the system's sentence for code + " (error N)". */
void hh_plat_win_error(char *err, size_t errlen, const char *what, DWORD code);
/* "the path is not valid UTF-8" into err; returns -1. */
int hh_plat_win_bad_path(char *err, size_t errlen);
/* "access violation" for 0xC0000005 and the other exception codes a crash ends with; NULL
 * for an ordinary exit status. */
const char *hh_plat_win_exception_name(DWORD code);
/* Makes an unhandled exception print one line on stderr (what, where, in which module) and
 * end the process with the exception code, instead of a debugger, a dialog or WER. */
void hh_plat_win_contain_crashes(void);
/* Why LoadLibraryExW failed on a module with error 126 or 127, when the file itself can
 * tell (plat_win_pe.c): writes a sentence naming the DLL it imports that cannot be found, or
 * the function its DLL does not export, and returns 1; 0 when it cannot say more. */
int hh_plat_win_explain_load(const wchar_t *path, DWORD code, char *out, size_t len);

#endif
