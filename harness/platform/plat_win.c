/* plat_win.c - the platform contract (plat.h) on Windows.
 *
 * Paths are UTF-8 at the contract and UTF-16 only right before a *W call. LoadLibraryExW
 * loads modules (plat_win_pe.c says why one did not), FormatMessageW explains failures,
 * Interlocked* backs the atomics and QueryPerformanceCounter the report timings. Threads and
 * processes are in plat_win_proc.c, real wait objects in plat_win_sync.c. The whole file is
 * empty elsewhere.
 */
#if defined(_WIN32)

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>
#if defined(_MSC_VER) && defined(_DEBUG)
#include <crtdbg.h>
#endif

#include "plat_win_int.h"

/* GetProcessMemoryInfo as kernel32's K32GetProcessMemoryInfo: no psapi.lib to link. */
#ifndef PSAPI_VERSION
#define PSAPI_VERSION 2
#endif
#include <psapi.h>

/* ---- UTF-8 <-> UTF-16 and error text -------------------------------------------------- */
wchar_t *hh_plat_win_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    wchar_t *w;
    if (n <= 0)
        return NULL;
    w = malloc((size_t)n * sizeof(*w));
    if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
        free(w);
        w = NULL;
    }
    return w;
}

char *hh_plat_win_utf8(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s;
    if (n <= 0)
        return NULL;
    s = malloc((size_t)n);
    if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) != n) {
        free(s);
        s = NULL;
    }
    return s;
}

void hh_plat_win_error(char *err, size_t errlen, const char *what, DWORD code)
{
    wchar_t *text = NULL;
    char *utf8 = NULL;
    /* English first, so that messages read the same on every machine; then the user's. */
    DWORD flags = FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                  FORMAT_MESSAGE_IGNORE_INSERTS;
    DWORD n = FormatMessageW(flags, NULL, code, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US),
                             (LPWSTR)&text, 0, NULL);
    if (n == 0)
        n = FormatMessageW(flags, NULL, code, 0, (LPWSTR)&text, 0, NULL);
    while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' || text[n - 1] == L' ' ||
                     text[n - 1] == L'.'))
        text[--n] = L'\0';
    if (n > 0)
        utf8 = hh_plat_win_utf8(text);
    if (utf8)
        hh_plat_set_error(err, errlen, "%s%s (error %lu)", what, utf8, (unsigned long)code);
    else
        hh_plat_set_error(err, errlen, "%swindows error %lu", what, (unsigned long)code);
    free(utf8);
    if (text)
        LocalFree(text);
}

int hh_plat_win_bad_path(char *err, size_t errlen)
{
    hh_plat_set_error(err, errlen, "the path is not valid UTF-8");
    return -1;
}

/* ---- Loadable modules ----------------------------------------------------------------- */
struct hh_plat_lib {
    HMODULE module;
};

/* The absolute form of a path, so that the loader searches the module's own folder for the
 * DLLs it imports (LOAD_WITH_ALTERED_SEARCH_PATH) and never the search path for it. */
static wchar_t *full_path(const wchar_t *path)
{
    DWORD n = GetFullPathNameW(path, 0, NULL, NULL);
    wchar_t *full;
    if (n == 0)
        return NULL;
    full = malloc((size_t)n * sizeof(*full));
    if (full && GetFullPathNameW(path, n, full, NULL) >= n) {
        free(full);
        full = NULL;
    }
    return full;
}

int hh_plat_dlopen(const char *path, struct hh_plat_lib **out, char *err, size_t errlen)
{
    wchar_t *wide = hh_plat_win_wide(path), *full;
    HMODULE module;
    DWORD code;
    *out = NULL;
    if (!wide)
        return hh_plat_win_bad_path(err, errlen);
    full = full_path(wide);
    free(wide);
    if (!full) {
        hh_plat_win_error(err, errlen, "", GetLastError());
        return -1;
    }
    module = LoadLibraryExW(full, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    code = GetLastError();
    if (!module) {
        /* The loader names neither the architecture nor the missing DLL; the files can. */
        char why[400];
        if ((code == ERROR_BAD_EXE_FORMAT || code == ERROR_EXE_MACHINE_TYPE_MISMATCH) &&
            hh_plat_explain_binary(path, why, sizeof(why)))
            hh_plat_set_error(err, errlen, "%s (error %lu)", why, (unsigned long)code);
        else if (hh_plat_win_explain_load(full, code, why, sizeof(why)))
            hh_plat_set_error(err, errlen, "%s", why);
        else
            hh_plat_win_error(err, errlen, "", code);
        free(full);
        return -1;
    }
    free(full);
    *out = malloc(sizeof(**out));
    if (!*out) {
        FreeLibrary(module);
        hh_plat_set_error(err, errlen, "out of memory");
        return -1;
    }
    (*out)->module = module;
    return 0;
}

void *hh_plat_dlsym(struct hh_plat_lib *lib, const char *name)
{
    FARPROC fn;
    void *p;
    if (!lib)
        return NULL;
    fn = GetProcAddress(lib->module, name);
    /* ISO C has no cast between function and object pointers; both are one address here. */
    memcpy(&p, &fn, sizeof(p));
    return p;
}

void hh_plat_dlclose(struct hh_plat_lib *lib)
{
    if (!lib)
        return;
    FreeLibrary(lib->module);
    free(lib);
}

/* The export of a loaded module nearest at or below rva, from its export directory in memory
 * (MinGW's linker exports every global of a DLL that marks none). */
static void nearest_export(HMODULE module, uint64_t rva, struct hh_plat_addr *out)
{
    const unsigned char *base = (const unsigned char *)module;
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir =
        &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    const IMAGE_EXPORT_DIRECTORY *exp;
    const DWORD *functions, *names;
    const WORD *ordinals;
    DWORD i, best = 0;
    const char *best_name = NULL;
    if (dos->e_magic != IMAGE_DOS_SIGNATURE || nt->Signature != IMAGE_NT_SIGNATURE ||
        dir->VirtualAddress == 0 || dir->Size == 0)
        return;
    exp = (const IMAGE_EXPORT_DIRECTORY *)(base + dir->VirtualAddress);
    functions = (const DWORD *)(base + exp->AddressOfFunctions);
    names = (const DWORD *)(base + exp->AddressOfNames);
    ordinals = (const WORD *)(base + exp->AddressOfNameOrdinals);
    for (i = 0; i < exp->NumberOfNames; i++) {
        DWORD f = ordinals[i] < exp->NumberOfFunctions ? functions[ordinals[i]] : 0;
        if (f != 0 && f <= rva && f >= best) {
            best = f;
            best_name = (const char *)(base + names[i]);
        }
    }
    if (best_name) {
        snprintf(out->symbol, sizeof(out->symbol), "%s", best_name);
        out->symbol_offset = rva - best;
    }
}

/* The module holding addr, the distance from its base (an RVA) and its nearest export. */
int hh_plat_addr_info(const void *addr, struct hh_plat_addr *out)
{
    HMODULE module;
    wchar_t path[MAX_PATH];
    char *utf8;
    DWORD n;
    memset(out, 0, sizeof(*out));
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)addr, &module))
        return -1;
    n = GetModuleFileNameW(module, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return -1;
    utf8 = hh_plat_win_utf8(path);
    if (!utf8)
        return -1;
    snprintf(out->module, sizeof(out->module), "%s", utf8);
    free(utf8);
    out->offset = (uint64_t)((uintptr_t)addr - (uintptr_t)module);
    nearest_export(module, out->offset, out);
    return 0;
}

const char *hh_plat_module_prefix(void)
{
    return "";
}

const char *hh_plat_module_suffix(void)
{
    return ".dll";
}

char hh_plat_path_list_separator(void)
{
    return ';';
}

/* ---- Files ---------------------------------------------------------------------------- */
int hh_plat_path_kind(const char *path)
{
    wchar_t *wide = hh_plat_win_wide(path);
    DWORD attrs;
    if (!wide)
        return HH_PLAT_NONE;
    attrs = GetFileAttributesW(wide);
    free(wide);
    if (attrs == INVALID_FILE_ATTRIBUTES)
        return HH_PLAT_NONE;
    if (attrs & FILE_ATTRIBUTE_DIRECTORY)
        return HH_PLAT_DIR;
    if (attrs & FILE_ATTRIBUTE_DEVICE)
        return HH_PLAT_OTHER;
    return HH_PLAT_FILE;
}

FILE *hh_plat_open_read(const char *path, char *err, size_t errlen)
{
    wchar_t *wide = hh_plat_win_wide(path);
    FILE *f;
    if (!wide) {
        hh_plat_win_bad_path(err, errlen);
        return NULL;
    }
    f = _wfopen(wide, L"rb");
    free(wide);
    if (!f)
        hh_plat_set_error(err, errlen, "cannot open the file: %s", strerror(errno));
    return f;
}

/* "PATH\*", the pattern FindFirstFileW lists a folder with. */
static wchar_t *dir_pattern(const char *path)
{
    size_t n = strlen(path);
    char *pattern = malloc(n + 3);
    wchar_t *wide;
    if (!pattern)
        return NULL;
    memcpy(pattern, path, n);
    if (n > 0 && path[n - 1] != '\\' && path[n - 1] != '/')
        pattern[n++] = '\\';
    pattern[n++] = '*';
    pattern[n] = '\0';
    wide = hh_plat_win_wide(pattern);
    free(pattern);
    return wide;
}

static int is_dot_entry(const wchar_t *name)
{
    return wcscmp(name, L".") == 0 || wcscmp(name, L"..") == 0;
}

int hh_plat_list_dir(const char *path, char ***names, size_t *n, char *err, size_t errlen)
{
    struct hh_plat_names list = {NULL, 0, 0};
    WIN32_FIND_DATAW found;
    wchar_t *pattern = dir_pattern(path);
    HANDLE find;
    DWORD code = ERROR_SUCCESS;
    *names = NULL;
    *n = 0;
    if (!pattern)
        return hh_plat_win_bad_path(err, errlen);
    find = FindFirstFileW(pattern, &found);
    free(pattern);
    if (find == INVALID_HANDLE_VALUE) {
        hh_plat_win_error(err, errlen, "cannot list the folder: ", GetLastError());
        return -1;
    }
    do {
        char *name;
        if (is_dot_entry(found.cFileName))
            continue;
        name = hh_plat_win_utf8(found.cFileName);
        if (!name || hh_plat_names_add(&list, name) != 0) {
            free(name);
            code = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        free(name);
    } while (FindNextFileW(find, &found));
    if (code == ERROR_SUCCESS && GetLastError() != ERROR_NO_MORE_FILES)
        code = GetLastError();
    FindClose(find);
    if (code != ERROR_SUCCESS) {
        hh_plat_win_error(err, errlen, "cannot list the folder: ", code);
        hh_plat_free_list(list.v, list.n);
        return -1;
    }
    hh_plat_names_sort(&list);
    *names = list.v;
    *n = list.n;
    return 0;
}

int hh_plat_make_dir(const char *path, char *err, size_t errlen)
{
    wchar_t *wide = hh_plat_win_wide(path);
    DWORD code;
    BOOL made;
    if (!wide)
        return hh_plat_win_bad_path(err, errlen);
    made = CreateDirectoryW(wide, NULL);
    code = GetLastError();
    free(wide);
    if (made || (code == ERROR_ALREADY_EXISTS && hh_plat_path_kind(path) == HH_PLAT_DIR))
        return 0;
    hh_plat_win_error(err, errlen, "cannot create the folder: ", code);
    return -1;
}

static int is_slash(char c)
{
    return c == '\\' || c == '/';
}

int hh_plat_is_absolute(const char *path)
{
    /* "C:\x", "C:/x", "\\server\share", and "\x" (the current drive's root). */
    if (is_slash(path[0]))
        return 1;
    return ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')) &&
           path[1] == ':' && is_slash(path[2]);
}

char hh_plat_dir_separator(void)
{
    return '\\';
}

int hh_plat_file_id(const char *path, struct hh_plat_file_id *id, char *err, size_t errlen)
{
    wchar_t *wide = hh_plat_win_wide(path);
    BY_HANDLE_FILE_INFORMATION info;
    HANDLE h;
    DWORD code;
    if (!wide)
        return hh_plat_win_bad_path(err, errlen);
    /* Opening follows links and junctions to what they name; BACKUP_SEMANTICS opens
     * folders too. No access is asked for, so a file in use can still be identified. */
    h = CreateFileW(wide, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                    OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    code = GetLastError();
    free(wide);
    if (h == INVALID_HANDLE_VALUE) {
        if (code == ERROR_CANT_RESOLVE_FILENAME)
            hh_plat_set_error(err, errlen, "a loop of symbolic links");
        else if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND)
            hh_plat_set_error(err, errlen, "a broken symbolic link");
        else
            hh_plat_win_error(err, errlen, "", code);
        return -1;
    }
    if (!GetFileInformationByHandle(h, &info)) {
        hh_plat_win_error(err, errlen, "", GetLastError());
        CloseHandle(h);
        return -1;
    }
    CloseHandle(h);
    id->volume = info.dwVolumeSerialNumber;
    id->file = (uint64_t)info.nFileIndexHigh << 32 | info.nFileIndexLow;
    return 0;
}

/* ---- Console and environment ---------------------------------------------------------- */
int hh_plat_isatty(int fd)
{
    DWORD mode;
    HANDLE h;
    if (fd != 1 && fd != 2)
        return 0;
    h = GetStdHandle(fd == 1 ? STD_OUTPUT_HANDLE : STD_ERROR_HANDLE);
    return h != NULL && h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode) != 0;
}

/* Values handed out by hh_plat_getenv. Each stays valid until the process ends, as getenv's
 * result does; a variable read again is converted again only when it changed. */
struct env_value {
    char *name;
    char *value;
    struct env_value *next;
};
static struct env_value *env_values;

static const char *remember_env(const char *name, char *value)
{
    struct env_value *v;
    for (v = env_values; v; v = v->next) {
        if (strcmp(v->name, name) == 0 && strcmp(v->value, value) == 0) {
            free(value);
            return v->value;
        }
    }
    v = malloc(sizeof(*v));
    if (v)
        v->name = malloc(strlen(name) + 1);
    if (!v || !v->name) {
        free(v);
        free(value);
        return NULL;
    }
    memcpy(v->name, name, strlen(name) + 1);
    v->value = value;
    v->next = env_values;
    env_values = v;
    return value;
}

const char *hh_plat_getenv(const char *name)
{
    wchar_t *wide = hh_plat_win_wide(name);
    const wchar_t *found;
    char *value;
    if (!wide)
        return NULL;
    found = _wgetenv(wide);
    free(wide);
    if (!found)
        return NULL;
    value = hh_plat_win_utf8(found);
    return value ? remember_env(name, value) : NULL;
}

/* The console as the harness found it, put back at exit: UTF-8 output and escape sequences
 * (colour) are switched on only while the harness runs. */
static UINT console_cp;
static DWORD console_mode[2];
static HANDLE console_handle[2];

static void restore_console(void)
{
    int i;
    for (i = 0; i < 2; i++) {
        if (console_handle[i])
            SetConsoleMode(console_handle[i], console_mode[i]);
    }
    if (console_cp)
        SetConsoleOutputCP(console_cp);
}

static void set_up_console(void)
{
    static const DWORD std[2] = {STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
    int i, any = 0;
    for (i = 0; i < 2; i++) {
        HANDLE h = GetStdHandle(std[i]);
        DWORD mode;
        if (h == NULL || h == INVALID_HANDLE_VALUE || !GetConsoleMode(h, &mode))
            continue;
        any = 1;
        if (SetConsoleMode(h, mode | ENABLE_PROCESSED_OUTPUT |
                                  ENABLE_VIRTUAL_TERMINAL_PROCESSING)) {
            console_handle[i] = h;
            console_mode[i] = mode;
        }
    }
    if (any) {
        console_cp = GetConsoleOutputCP();
        SetConsoleOutputCP(CP_UTF8);
        atexit(restore_console);
    }
}

void hh_plat_init(void)
{
    /* A crashing routine or a missing DLL must end the run, never wait for a dialog. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    hh_plat_win_contain_crashes();
#if defined(_MSC_VER) && defined(_DEBUG)
    _CrtSetReportMode(_CRT_ASSERT, _CRTDBG_MODE_FILE);
    _CrtSetReportFile(_CRT_ASSERT, _CRTDBG_FILE_STDERR);
    _CrtSetReportMode(_CRT_ERROR, _CRTDBG_MODE_FILE);
    _CrtSetReportFile(_CRT_ERROR, _CRTDBG_FILE_STDERR);
#endif
#if defined(_MSC_VER) || defined(_UCRT)
    _set_abort_behavior(0, _WRITE_ABORT_MSG | _CALL_REPORTFAULT);
#endif
    /* Reports and TAP are byte-exact: no CRLF translation. */
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    set_up_console();
}

/* ---- Atomics -------------------------------------------------------------------------- */
/* LONG is 32 bits on Windows; the casts only name the same object with Win32's type. */
int32_t hh_plat_atomic_add32(volatile int32_t *p, int32_t v)
{
    LONG old = InterlockedExchangeAdd((volatile LONG *)p, (LONG)v);
    return (int32_t)((uint32_t)old + (uint32_t)v);
}

int32_t hh_plat_atomic_xchg32(volatile int32_t *p, int32_t v)
{
    return (int32_t)InterlockedExchange((volatile LONG *)p, (LONG)v);
}

int32_t hh_plat_atomic_cas32(volatile int32_t *p, int32_t xchg, int32_t cmp)
{
    return (int32_t)InterlockedCompareExchange((volatile LONG *)p, (LONG)xchg, (LONG)cmp);
}

int32_t hh_plat_atomic_or32(volatile int32_t *p, int32_t v)
{
    return (int32_t)InterlockedOr((volatile LONG *)p, (LONG)v);
}

int32_t hh_plat_atomic_and32(volatile int32_t *p, int32_t v)
{
    return (int32_t)InterlockedAnd((volatile LONG *)p, (LONG)v);
}

int32_t hh_plat_atomic_xor32(volatile int32_t *p, int32_t v)
{
    return (int32_t)InterlockedXor((volatile LONG *)p, (LONG)v);
}

int64_t hh_plat_atomic_add64(volatile int64_t *p, int64_t v)
{
    LONG64 old = InterlockedExchangeAdd64((volatile LONG64 *)p, (LONG64)v);
    return (int64_t)((uint64_t)old + (uint64_t)v);
}

int64_t hh_plat_atomic_xchg64(volatile int64_t *p, int64_t v)
{
    return (int64_t)InterlockedExchange64((volatile LONG64 *)p, (LONG64)v);
}

int64_t hh_plat_atomic_cas64(volatile int64_t *p, int64_t xchg, int64_t cmp)
{
    return (int64_t)InterlockedCompareExchange64((volatile LONG64 *)p, (LONG64)xchg,
                                                 (LONG64)cmp);
}

void *hh_plat_atomic_xchgptr(void *volatile *p, void *v)
{
    return InterlockedExchangePointer(p, v);
}

void *hh_plat_atomic_casptr(void *volatile *p, void *xchg, void *cmp)
{
    return InterlockedCompareExchangePointer(p, xchg, cmp);
}

/* ---- Real time ------------------------------------------------------------------------ */
uint64_t hh_plat_monotonic_ns(void)
{
    LARGE_INTEGER count, freq;
    uint64_t c, f;
    if (!QueryPerformanceCounter(&count) || !QueryPerformanceFrequency(&freq) ||
        freq.QuadPart <= 0)
        return 0;
    c = (uint64_t)count.QuadPart;
    f = (uint64_t)freq.QuadPart;
    return c / f * 1000000000u + c % f * 1000000000u / f;
}

/* ---- Memory --------------------------------------------------------------------------- */
uint64_t hh_plat_cpu_ns(void)
{
    FILETIME created, exited, kernel, user;
    ULARGE_INTEGER k, u;
    if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        return 0;
    k.LowPart = kernel.dwLowDateTime;
    k.HighPart = kernel.dwHighDateTime;
    u.LowPart = user.dwLowDateTime;
    u.HighPart = user.dwHighDateTime;
    return (k.QuadPart + u.QuadPart) * 100u; /* 100 ns units */
}

uint64_t hh_plat_rss_bytes(void)
{
    PROCESS_MEMORY_COUNTERS pmc;
    memset(&pmc, 0, sizeof(pmc));
    pmc.cb = sizeof(pmc);
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc)))
        return 0;
    return (uint64_t)pmc.WorkingSetSize;
}

/* ---- A module's writable data (for plat_datasnap.c) ------------------------------------ */
/* Whether every page of [p, p + n) is writable now: a section marked writable in the file
 * may have been made read-only by the loader or the module itself. */
static int pages_writable(const unsigned char *p, size_t n)
{
    const DWORD writable = PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE |
                           PAGE_EXECUTE_WRITECOPY;
    const unsigned char *end = p + n;
    while (p < end) {
        MEMORY_BASIC_INFORMATION mbi;
        if (VirtualQuery(p, &mbi, sizeof(mbi)) != sizeof(mbi) || mbi.State != MEM_COMMIT ||
            !(mbi.Protect & writable) || (mbi.Protect & PAGE_GUARD))
            return 0;
        p = (const unsigned char *)mbi.BaseAddress + mbi.RegionSize;
    }
    return 1;
}

int hh_plat_module_writable(struct hh_plat_lib *lib, struct hh_plat_range *out, size_t cap,
                            size_t *n, char *err, size_t errlen)
{
    /* The image as mapped: its headers are in memory at the HMODULE. */
    unsigned char *base = (unsigned char *)lib->module;
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    const IMAGE_NT_HEADERS *nt;
    const IMAGE_SECTION_HEADER *sec;
    WORD i;
    *n = 0;
    if (dos->e_magic != IMAGE_DOS_SIGNATURE) {
        hh_plat_set_error(err, errlen, "the module's image has no DOS header");
        return -1;
    }
    nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    if (nt->Signature != IMAGE_NT_SIGNATURE) {
        hh_plat_set_error(err, errlen, "the module's image has no PE header");
        return -1;
    }
    sec = IMAGE_FIRST_SECTION(nt);
    for (i = 0; i < nt->FileHeader.NumberOfSections; i++) {
        unsigned char *at = base + sec[i].VirtualAddress;
        size_t len = sec[i].Misc.VirtualSize ? sec[i].Misc.VirtualSize : sec[i].SizeOfRawData;
        if (!(sec[i].Characteristics & IMAGE_SCN_MEM_WRITE) || len == 0 ||
            !pages_writable(at, len))
            continue;
        if (*n == cap) {
            hh_plat_set_error(err, errlen, "the module has more than %lu writable sections",
                              (unsigned long)cap);
            return -1;
        }
        out[*n].addr = at;
        out[*n].len = len;
        (*n)++;
    }
    return 0;
}

#else
typedef int hh_plat_win_unused; /* ISO C forbids an empty translation unit */
#endif
