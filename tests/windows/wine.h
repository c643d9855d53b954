/* wine.h - whether a Windows test runs under Wine, for the few places where Wine's
 * behaviour differs from Windows' by a documented amount (docs/windows.md). Asks through
 * plat.h: Wine's ntdll exports wine_get_version, Windows' does not.
 */
#ifndef HH_TESTS_WINDOWS_WINE_H
#define HH_TESTS_WINDOWS_WINE_H

#include "platform/plat.h"

static inline int under_wine(void)
{
    struct hh_plat_lib *ntdll;
    int wine;
    if (hh_plat_dlopen("C:\\windows\\system32\\ntdll.dll", &ntdll, NULL, 0) != 0)
        return 0;
    wine = hh_plat_dlsym(ntdll, "wine_get_version") != NULL;
    hh_plat_dlclose(ntdll);
    return wine;
}

#endif
