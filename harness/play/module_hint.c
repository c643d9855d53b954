/* module_hint.c - what to do about a module the loader refused, from the loader's reason.
 *
 * A symbol nothing defines is named, with whether libhotswap lacks it (read from its own
 * export table, with the closest routine it has) or only an instrumented build's runtime
 * defines it; the other reasons get the usual remedy. Owns the wording; module.c the rest.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/suggest.h"
#include "module.h"
#include "platform/plat.h"

/* Symbols only an instrumented build's runtime defines: a module built with them needs the
 * CLI built the same way. */
static const struct {
    const char *prefix, *instrumentation, *build;
} instrumented[] = {
    {"__sancov_", "coverage instrumentation (-fsanitize=fuzzer)",
     "the fuzzing build's hotswap-harness (scripts/fuzz-build.sh: build-fuzz/, or its "
     "install: docs/fuzzing-your-driver.md)"},
    {"__sanitizer_cov_", "coverage instrumentation (-fsanitize=fuzzer)",
     "the fuzzing build's hotswap-harness (scripts/fuzz-build.sh: build-fuzz/, or its "
     "install: docs/fuzzing-your-driver.md)"},
    {"__asan_", "AddressSanitizer",
     "a hotswap-harness built with the same sanitizers (build-asan/ or build-fuzz/)"},
    {"__ubsan_", "UndefinedBehaviorSanitizer",
     "a hotswap-harness built with the same sanitizers (build-asan/ or build-fuzz/)"},
};

/* The symbol the loader could not resolve: glibc's "undefined symbol: NAME", or the Windows
 * backend's "it imports NAME from DLL, which does not export it (error 127)", with DLL in
 * dll ("" when the loader does not say which library it looked in). 1, else 0. */
static int missing_symbol(const char *reason, char *out, size_t len, char *dll, size_t dll_len)
{
    const char *at = strstr(reason, "undefined symbol: "), *from;
    size_t n;
    dll[0] = '\0';
    if (at)
        at += strlen("undefined symbol: ");
    else if (strstr(reason, "(error 127)") && (at = strstr(reason, "it imports ")) != NULL)
        at += strlen("it imports ");
    else
        return 0;
    n = strcspn(at, " ,;()");
    if (n == 0 || n >= len)
        return 0;
    memcpy(out, at, n);
    out[n] = '\0';
    if (strncmp(at + n, " from ", 6) == 0) {
        from = at + n + 6;
        n = strcspn(from, " ,;()");
        if (n >= dll_len)
            return 0;
        memcpy(dll, from, n);
        dll[n] = '\0';
    }
    return 1;
}

/* The file name part of a path. */
static const char *base_name(const char *path)
{
    const char *s, *base = path;
    for (s = path; *s; s++) {
        if (*s == '/' || *s == hh_plat_dir_separator())
            base = s + 1;
    }
    return base;
}

static int same_name_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    }
    return *a == *b;
}

/* Whether the provider exports name: 1, 0 (with the closest export in near, or ""), or -1
 * when its file cannot be read or the loader looked for name in another library (dll). */
static int provides(const struct hh_module_provider *pv, const char *name, const char *dll,
                    char *near, size_t len)
{
    char path[HH_MODULE_PATH_MAX], **names = NULL;
    size_t n = 0, i;
    struct hh_suggest s;
    int found = 0;
    near[0] = '\0';
    if (hh_plat_library_of(pv->anchor, path, sizeof(path)) != 0 ||
        (dll[0] && !same_name_ignoring_case(dll, base_name(path))) ||
        hh_plat_module_exports(path, &names, &n, NULL, 0) != 0)
        return -1;
    hh_suggest_init(&s, name);
    for (i = 0; i < n && !found; i++) {
        found = strcmp(names[i], name) == 0;
        hh_suggest_offer(&s, names[i]);
    }
    if (!found && hh_suggest_result(&s))
        snprintf(near, len, "%s", hh_suggest_result(&s));
    hh_plat_free_list(names, n);
    return found;
}

void hh_module_load_hint(const char *reason, const struct hh_module_provider *pv, char *hint,
                         size_t len)
{
    char name[128], dll[128], near[HH_SUGGEST_MAX_LEN + 1];
    size_t i;
    if (missing_symbol(reason, name, sizeof(name), dll, sizeof(dll))) {
        for (i = 0; i < sizeof(instrumented) / sizeof(instrumented[0]); i++) {
            if (strncmp(name, instrumented[i].prefix, strlen(instrumented[i].prefix)) == 0) {
                snprintf(hint, len,
                         "it imports %s, which only an instrumented build provides: the "
                         "module was built with %s, so load it with %s, or rebuild the "
                         "module without it",
                         name, instrumented[i].instrumentation, instrumented[i].build);
                return;
            }
        }
        if (pv && provides(pv, name, dll, near, sizeof(near)) == 0) {
            snprintf(hint, len,
                     "it imports %s, which %s does not provide: the harness has no "
                     "user-mode version of that kernel routine (<hotswap/wdm.h> declares "
                     "the ones it has)%s%s%s",
                     name, pv->name, near[0] ? "; did you mean " : "", near,
                     near[0] ? "?" : "");
            return;
        }
    }
    if (strstr(reason, "undefined symbol"))
        snprintf(hint, len, "it needs a symbol no loaded library provides: link it against "
                            "libhotswap and check the names it imports");
    else if (strstr(reason, "(error 126)"))
        snprintf(hint, len, "a DLL it imports was not found: put libhotswap.dll (hotswap.dll "
                            "from MSVC) and the module's other DLLs beside it or on PATH");
    else if (strstr(reason, "(error 127)"))
        snprintf(hint, len, "build the module against the DLLs this harness loads (for "
                            "libhotswap, this harness's headers and library)");
    else
        snprintf(hint, len, "is it a shared library built for this platform?");
}
