/* plat_win_pe.c - why a DLL did not load, read from the file when the loader will not say.
 *
 * LoadLibraryExW answers "module not found" (126) or "procedure not found" (127) without
 * naming the missing DLL or the missing function. This file maps the module read-only, walks
 * its PE headers and import table (bounds-checked: the file may be anything) and names them.
 * A wrong architecture (193) is plat_binary.c's, on every OS. Windows only.
 */
#if defined(_WIN32)

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plat_win_int.h"

#define MAX_DEPTH 4 /* how deep a chain of imports is followed to the missing DLL */

/* ---- A mapped PE file ------------------------------------------------------------------- */
struct pe {
    HANDLE file, mapping;
    const unsigned char *base;
    size_t size;
    unsigned machine;
    int pe64;                  /* PE32+ */
    size_t sections, nsections; /* offset and count of the section table */
    uint32_t import_rva;
};

static uint16_t rd16(const struct pe *pe, size_t off)
{
    return (uint16_t)(pe->base[off] | pe->base[off + 1] << 8);
}

static uint32_t rd32(const struct pe *pe, size_t off)
{
    return (uint32_t)pe->base[off] | (uint32_t)pe->base[off + 1] << 8 |
           (uint32_t)pe->base[off + 2] << 16 | (uint32_t)pe->base[off + 3] << 24;
}

static int fits(const struct pe *pe, size_t off, size_t n)
{
    return off <= pe->size && n <= pe->size - off;
}

static void pe_close(struct pe *pe)
{
    if (pe->base)
        UnmapViewOfFile(pe->base);
    if (pe->mapping)
        CloseHandle(pe->mapping);
    if (pe->file != INVALID_HANDLE_VALUE)
        CloseHandle(pe->file);
}

/* Maps path; 0 when mapped (pe->machine is 0 for a file without PE headers), -1 when the
 * file cannot be read at all. */
static int pe_open(struct pe *pe, const wchar_t *path)
{
    LARGE_INTEGER size;
    size_t nt, opt, optsize, dirs;
    memset(pe, 0, sizeof(*pe));
    pe->file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (pe->file == INVALID_HANDLE_VALUE || !GetFileSizeEx(pe->file, &size) ||
        size.QuadPart <= 0 || (unsigned long long)size.QuadPart > (size_t)-1)
        return -1;
    pe->size = (size_t)size.QuadPart;
    pe->mapping = CreateFileMappingW(pe->file, NULL, PAGE_READONLY, 0, 0, NULL);
    if (pe->mapping)
        pe->base = MapViewOfFile(pe->mapping, FILE_MAP_READ, 0, 0, 0);
    if (!pe->base)
        return -1;
    if (!fits(pe, 0, 64) || pe->base[0] != 'M' || pe->base[1] != 'Z')
        return 0;
    nt = rd32(pe, 0x3C);
    if (!fits(pe, nt, 24) || memcmp(pe->base + nt, "PE\0\0", 4) != 0)
        return 0;
    pe->machine = rd16(pe, nt + 4);
    pe->nsections = rd16(pe, nt + 6);
    optsize = rd16(pe, nt + 20);
    opt = nt + 24;
    pe->sections = opt + optsize;
    if (!fits(pe, opt, optsize) || optsize < 2)
        return 0;
    pe->pe64 = rd16(pe, opt) == 0x20B;
    dirs = opt + (pe->pe64 ? 108 : 92); /* NumberOfRvaAndSizes, then the directories */
    if (dirs + 4 + 16 <= opt + optsize && rd32(pe, dirs) >= 2)
        pe->import_rva = rd32(pe, dirs + 4 + 8); /* directory 1: imports */
    return 0;
}

/* The file offset of an RVA, or 0 when no section holds it. */
static size_t pe_offset(const struct pe *pe, uint32_t rva)
{
    size_t i;
    for (i = 0; i < pe->nsections; i++) {
        size_t sh = pe->sections + i * 40;
        uint32_t va, vsize, raw, rawsize;
        if (!fits(pe, sh, 40))
            return 0;
        vsize = rd32(pe, sh + 8);
        va = rd32(pe, sh + 12);
        rawsize = rd32(pe, sh + 16);
        raw = rd32(pe, sh + 20);
        if (vsize < rawsize)
            vsize = rawsize;
        if (rva >= va && rva - va < vsize && rva - va < rawsize)
            return (size_t)raw + (rva - va);
    }
    return 0;
}

/* The NUL-terminated string at an RVA, or NULL when it runs off the file. */
static const char *pe_string(const struct pe *pe, uint32_t rva)
{
    size_t off = pe_offset(pe, rva), end;
    if (!off)
        return NULL;
    for (end = off; end < pe->size && end - off < 512; end++) {
        if (pe->base[end] == 0)
            return (const char *)pe->base + off;
    }
    return NULL;
}

/* Import descriptor i (20 bytes each, ended by zeros): its DLL name, and the RVA of the
 * lookup table of what it imports; NULL past the last one. */
static const char *pe_import(const struct pe *pe, size_t i, uint32_t *lookup)
{
    size_t table = pe->import_rva ? pe_offset(pe, pe->import_rva) : 0, d;
    if (!table || i > 4096)
        return NULL;
    d = table + i * 20;
    if (!fits(pe, d, 20) || rd32(pe, d + 12) == 0)
        return NULL;
    *lookup = rd32(pe, d) ? rd32(pe, d) : rd32(pe, d + 16);
    return pe_string(pe, rd32(pe, d + 12));
}

/* Entry j of a lookup table: the imported function's name, "" for an import by ordinal,
 * NULL past the end. */
static const char *pe_import_name(const struct pe *pe, uint32_t lookup, size_t j)
{
    size_t width = pe->pe64 ? 8 : 4, off = pe_offset(pe, lookup);
    uint64_t entry;
    const char *name;
    if (!off || !fits(pe, off + j * width, width))
        return NULL;
    entry = rd32(pe, off + j * width);
    if (pe->pe64)
        entry |= (uint64_t)rd32(pe, off + j * width + 4) << 32;
    if (entry == 0)
        return NULL;
    if (entry >> (width * 8 - 1))
        return ""; /* by ordinal */
    name = pe_string(pe, (uint32_t)(entry & 0x7FFFFFFF) + 2); /* after the hint */
    return name ? name : "";
}

/* ---- Imports -------------------------------------------------------------------------- */
/* API sets (api-ms-win-*, ext-ms-*) are resolved by the loader, never found as files. */
static int is_api_set(const char *name)
{
    return _strnicmp(name, "api-ms-", 7) == 0 || _strnicmp(name, "ext-ms-", 7) == 0;
}

/* Where the loader would find an imported DLL: already loaded, or along search (the list
 * LoadLibraryExW with LOAD_WITH_ALTERED_SEARCH_PATH uses). 1 with the path in found (empty
 * for a DLL already loaded), 0 when absent. */
static int find_import(const wchar_t *search, const char *name, wchar_t *found, DWORD cap)
{
    wchar_t *wname = hh_plat_win_wide(name), *part;
    int ok = 0;
    found[0] = L'\0';
    if (!wname)
        return 0;
    if (GetModuleHandleW(wname)) {
        ok = 1;
    } else {
        DWORD n = SearchPathW(search, wname, NULL, cap, found, &part);
        ok = n > 0 && n < cap;
    }
    free(wname);
    return ok;
}

/* The folder part of path into dir (MAX_PATH wide characters); 0 when it is longer. */
static int copy_dir(wchar_t *dir, const wchar_t *path)
{
    size_t n = wcslen(path);
    wchar_t *slash, *fwd;
    if (n >= MAX_PATH)
        return 0;
    memcpy(dir, path, (n + 1) * sizeof(*dir));
    slash = wcsrchr(dir, L'\\');
    fwd = wcsrchr(dir, L'/');
    if (fwd > slash)
        slash = fwd;
    if (slash)
        *slash = L'\0';
    return 1;
}

/* The altered search order for a module in dir: its folder, the system folders, the current
 * folder, then PATH. A malloc'd ';'-separated list, or NULL. */
static wchar_t *search_list(const wchar_t *dir)
{
    wchar_t sys[MAX_PATH], win[MAX_PATH], *list;
    DWORD nsys = GetSystemDirectoryW(sys, MAX_PATH), nwin = GetWindowsDirectoryW(win, MAX_PATH);
    DWORD npath = GetEnvironmentVariableW(L"PATH", NULL, 0);
    size_t cap, used;
    if (nsys == 0 || nsys >= MAX_PATH || nwin == 0 || nwin >= MAX_PATH)
        return NULL;
    cap = wcslen(dir) + 2 * (size_t)nwin + nsys + npath + 16;
    list = malloc(cap * sizeof(*list));
    if (!list)
        return NULL;
    list[0] = L'\0';
    wcsncat(list, dir, cap - 1);
    wcsncat(list, L";", cap - 1 - wcslen(list));
    wcsncat(list, sys, cap - 1 - wcslen(list));
    wcsncat(list, L";", cap - 1 - wcslen(list));
    wcsncat(list, win, cap - 1 - wcslen(list));
    wcsncat(list, L"\\System;", cap - 1 - wcslen(list));
    wcsncat(list, win, cap - 1 - wcslen(list));
    wcsncat(list, L";.;", cap - 1 - wcslen(list));
    used = wcslen(list);
    if (npath > 0 && GetEnvironmentVariableW(L"PATH", list + used, (DWORD)(cap - used)) == 0)
        list[used] = L'\0';
    return list;
}

/* Appends "imports a.dll, which imports b.dll, ..." to chain; 1 when a missing DLL ends it. */
static int missing_import(const wchar_t *path, const wchar_t *search, int depth, char *chain,
                          size_t len)
{
    struct pe pe;
    wchar_t found[MAX_PATH];
    const char *name;
    uint32_t lookup;
    size_t i, used = strlen(chain);
    int hit = 0;
    if (depth > MAX_DEPTH)
        return 0;
    if (pe_open(&pe, path) != 0) {
        pe_close(&pe);
        return 0;
    }
    for (i = 0; !hit && (name = pe_import(&pe, i, &lookup)) != NULL; i++) {
        const char *joint = depth ? ", which imports " : "imports ";
        if (is_api_set(name))
            continue;
        if (!find_import(search, name, found, MAX_PATH)) {
            snprintf(chain + used, len - used,
                     "%s%s, which was found neither beside it nor on the DLL search path",
                     joint, name);
            hit = 1;
        } else if (found[0]) {
            snprintf(chain + used, len - used, "%s%s", joint, name);
            hit = missing_import(found, search, depth + 1, chain, len);
            if (!hit)
                chain[used] = '\0';
        }
    }
    pe_close(&pe);
    return hit;
}

/* The first function the module imports by name that its DLL does not export. */
static int missing_function(const struct pe *pe, const wchar_t *search, char *out, size_t len)
{
    wchar_t found[MAX_PATH];
    const char *dll, *fn;
    uint32_t lookup;
    size_t i, j;
    for (i = 0; (dll = pe_import(pe, i, &lookup)) != NULL; i++) {
        wchar_t *wdll = hh_plat_win_wide(dll);
        HMODULE h = NULL;
        int loaded = 0;
        if (!wdll)
            continue;
        h = GetModuleHandleW(wdll);
        free(wdll);
        if (!h && find_import(search, dll, found, MAX_PATH) && found[0]) {
            h = LoadLibraryExW(found, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
            loaded = h != NULL;
        }
        for (j = 0; h && (fn = pe_import_name(pe, lookup, j)) != NULL; j++) {
            if (fn[0] && !GetProcAddress(h, fn)) {
                snprintf(out, len, "it imports %s from %s, which does not export it (error 127)",
                         fn, dll);
                if (loaded)
                    FreeLibrary(h);
                return 1;
            }
        }
        if (loaded)
            FreeLibrary(h);
    }
    return 0;
}

int hh_plat_win_explain_load(const wchar_t *path, DWORD code, char *out, size_t len)
{
    struct pe pe;
    wchar_t dir[MAX_PATH], *search = NULL;
    int said = 0;
    if (pe_open(&pe, path) != 0) {
        pe_close(&pe);
        return 0;
    }
    if ((code == ERROR_MOD_NOT_FOUND || code == ERROR_PROC_NOT_FOUND) && pe.machine &&
               copy_dir(dir, path) && (search = search_list(dir)) != NULL) {
        char chain[320] = "";
        if (code == ERROR_PROC_NOT_FOUND) {
            said = missing_function(&pe, search, out, len);
        } else if (missing_import(path, search, 0, chain, sizeof(chain))) {
            snprintf(out, len, "a DLL it needs is missing: it %s (error 126)", chain);
            said = 1;
        }
    }
    free(search);
    pe_close(&pe);
    return said;
}

#else
typedef int hh_plat_win_pe_unused; /* ISO C forbids an empty translation unit */
#endif
