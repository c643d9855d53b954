/* plat_posix.c - the platform contract (plat.h) on POSIX systems.
 *
 * dlopen for modules, stat/opendir/stdio for files, the GCC/Clang __atomic builtins for the
 * Interlocked family, CLOCK_MONOTONIC for report timings. The whole file is empty on
 * Windows, where plat_win.c takes its place.
 */
#if !defined(_WIN32)

#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "plat_internal.h"

/* ---- Loadable modules ----------------------------------------------------------------- */
struct hh_plat_lib {
    void *handle;
};

/* dlerror's text without its leading "PATH: ": the caller names the file itself. */
static const char *loader_reason(const char *error, const char *path)
{
    size_t n = strlen(path);
    if (strncmp(error, path, n) == 0 && error[n] == ':' && error[n + 1] == ' ')
        return error + n + 2;
    return error;
}

int hh_plat_dlopen(const char *path, struct hh_plat_lib **out, char *err, size_t errlen)
{
    struct hh_plat_lib *lib;
    void *handle;
    char *local = NULL;
    const char *error;
    *out = NULL;
    /* dlopen searches the library path for a name without a slash; a module is a file. */
    if (!strchr(path, '/')) {
        size_t n = strlen(path);
        local = malloc(n + 3);
        if (!local) {
            hh_plat_set_error(err, errlen, "out of memory");
            return -1;
        }
        memcpy(local, "./", 2);
        memcpy(local + 2, path, n + 1);
    }
    dlerror();
    handle = dlopen(local ? local : path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        error = dlerror();
        hh_plat_set_error(err, errlen, "%s",
                          error ? loader_reason(error, local ? local : path)
                                : "the loader gave no reason");
        free(local);
        return -1;
    }
    free(local);
    lib = malloc(sizeof(*lib));
    if (!lib) {
        dlclose(handle);
        hh_plat_set_error(err, errlen, "out of memory");
        return -1;
    }
    lib->handle = handle;
    *out = lib;
    return 0;
}

void *hh_plat_dlsym(struct hh_plat_lib *lib, const char *name)
{
    return lib ? dlsym(lib->handle, name) : NULL;
}

void hh_plat_dlclose(struct hh_plat_lib *lib)
{
    if (!lib)
        return;
    dlclose(lib->handle);
    free(lib);
}

const char *hh_plat_module_prefix(void)
{
    return "lib";
}

const char *hh_plat_module_suffix(void)
{
    return ".so";
}

char hh_plat_path_list_separator(void)
{
    return ':';
}

/* ---- Files ---------------------------------------------------------------------------- */
int hh_plat_path_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return HH_PLAT_NONE;
    if (S_ISREG(st.st_mode))
        return HH_PLAT_FILE;
    if (S_ISDIR(st.st_mode))
        return HH_PLAT_DIR;
    return HH_PLAT_OTHER;
}

FILE *hh_plat_open_read(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        hh_plat_set_error(err, errlen, "cannot open the file: %s", strerror(errno));
    return f;
}

int hh_plat_list_dir(const char *path, char ***names, size_t *n, char *err, size_t errlen)
{
    struct hh_plat_names list = {NULL, 0, 0};
    struct dirent *entry;
    DIR *dir = opendir(path);
    *names = NULL;
    *n = 0;
    if (!dir) {
        hh_plat_set_error(err, errlen, "cannot list the folder: %s", strerror(errno));
        return -1;
    }
    for (;;) {
        errno = 0;
        entry = readdir(dir);
        if (!entry)
            break;
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        if (hh_plat_names_add(&list, entry->d_name) != 0) {
            errno = ENOMEM;
            break;
        }
    }
    if (errno != 0) {
        hh_plat_set_error(err, errlen, "cannot list the folder: %s", strerror(errno));
        closedir(dir);
        hh_plat_free_list(list.v, list.n);
        return -1;
    }
    closedir(dir);
    hh_plat_names_sort(&list);
    *names = list.v;
    *n = list.n;
    return 0;
}

int hh_plat_make_dir(const char *path, char *err, size_t errlen)
{
    if (mkdir(path, 0777) == 0)
        return 0;
    if (errno == EEXIST && hh_plat_path_kind(path) == HH_PLAT_DIR)
        return 0;
    hh_plat_set_error(err, errlen, "cannot create the folder: %s", strerror(errno));
    return -1;
}

int hh_plat_is_absolute(const char *path)
{
    return path[0] == '/';
}

char hh_plat_dir_separator(void)
{
    return '/';
}

/* ---- Console and environment ---------------------------------------------------------- */
int hh_plat_isatty(int fd)
{
    return (fd == 1 || fd == 2) && isatty(fd);
}

const char *hh_plat_getenv(const char *name)
{
    return getenv(name);
}

void hh_plat_init(void)
{
}

/* ---- Atomics -------------------------------------------------------------------------- */
int32_t hh_plat_atomic_add32(volatile int32_t *p, int32_t v)
{
    return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

int32_t hh_plat_atomic_xchg32(volatile int32_t *p, int32_t v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

int32_t hh_plat_atomic_cas32(volatile int32_t *p, int32_t xchg, int32_t cmp)
{
    __atomic_compare_exchange_n(p, &cmp, xchg, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return cmp;
}

int32_t hh_plat_atomic_or32(volatile int32_t *p, int32_t v)
{
    return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

int32_t hh_plat_atomic_and32(volatile int32_t *p, int32_t v)
{
    return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
}

int32_t hh_plat_atomic_xor32(volatile int32_t *p, int32_t v)
{
    return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
}

int64_t hh_plat_atomic_add64(volatile int64_t *p, int64_t v)
{
    return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

int64_t hh_plat_atomic_xchg64(volatile int64_t *p, int64_t v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

int64_t hh_plat_atomic_cas64(volatile int64_t *p, int64_t xchg, int64_t cmp)
{
    __atomic_compare_exchange_n(p, &cmp, xchg, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return cmp;
}

void *hh_plat_atomic_xchgptr(void *volatile *p, void *v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

void *hh_plat_atomic_casptr(void *volatile *p, void *xchg, void *cmp)
{
    __atomic_compare_exchange_n(p, &cmp, xchg, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return cmp;
}

/* ---- Real time ------------------------------------------------------------------------ */
uint64_t hh_plat_monotonic_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#else
typedef int hh_plat_posix_unused; /* ISO C forbids an empty translation unit */
#endif
