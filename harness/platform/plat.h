/* plat.h - the one contract between the harness and the operating system.
 *
 * plat_posix.c and plat_win.c implement it; Meson builds exactly one. Nothing outside
 * harness/platform/ includes an OS header. Paths are UTF-8. Functions that can fail take
 * an error buffer and fill it with a sentence naming the OS's reason.
 */
#ifndef HH_PLATFORM_PLAT_H
#define HH_PLATFORM_PLAT_H

#include <stddef.h>
#include <stdint.h>

/* ---- Loadable modules ----------------------------------------------------------------- */
struct hh_plat_lib;
/* Loads a module by path. Returns 0, or -1 with the loader's reason in err. */
int hh_plat_dlopen(const char *path, struct hh_plat_lib **out, char *err, size_t errlen);
void *hh_plat_dlsym(struct hh_plat_lib *lib, const char *name);
void hh_plat_dlclose(struct hh_plat_lib *lib);
/* How this platform names a module file: prefix "lib" / "" and suffix ".so" / ".dll". */
const char *hh_plat_module_prefix(void);
const char *hh_plat_module_suffix(void);
/* The separator of a path list such as HOTSWAP_MODULE_PATH: ':' or ';'. */
char hh_plat_path_list_separator(void);

/* ---- Files ---------------------------------------------------------------------------- */
#define HH_PLAT_NONE 0
#define HH_PLAT_FILE 1
#define HH_PLAT_DIR 2
#define HH_PLAT_OTHER 3
int hh_plat_path_kind(const char *path);
/* Reads a whole file (at most max bytes; larger is an error). *data is NUL-terminated and
 * freed with free(). */
int hh_plat_read_file(const char *path, size_t max, char **data, size_t *len, char *err,
                      size_t errlen);
/* The entries of a folder, without "." and "..", sorted bytewise; free with
 * hh_plat_free_list. */
int hh_plat_list_dir(const char *path, char ***names, size_t *n, char *err, size_t errlen);
void hh_plat_free_list(char **names, size_t n);
/* Creates one folder (its parent must exist); a folder already there is success. */
int hh_plat_make_dir(const char *path, char *err, size_t errlen);
int hh_plat_is_absolute(const char *path);
char hh_plat_dir_separator(void);

/* ---- Console and environment ---------------------------------------------------------- */
int hh_plat_isatty(int fd); /* 1 = stdout, 2 = stderr */
const char *hh_plat_getenv(const char *name);
void hh_plat_init(void);    /* crash dialogs off, binary stdio where that matters */

/* ---- Atomics (the Interlocked family) ------------------------------------------------- */
int32_t hh_plat_atomic_add32(volatile int32_t *p, int32_t v);   /* returns the new value */
int32_t hh_plat_atomic_xchg32(volatile int32_t *p, int32_t v);  /* returns the old value */
int32_t hh_plat_atomic_cas32(volatile int32_t *p, int32_t xchg, int32_t cmp); /* old */
int32_t hh_plat_atomic_or32(volatile int32_t *p, int32_t v);    /* old */
int32_t hh_plat_atomic_and32(volatile int32_t *p, int32_t v);   /* old */
int32_t hh_plat_atomic_xor32(volatile int32_t *p, int32_t v);   /* old */
int64_t hh_plat_atomic_add64(volatile int64_t *p, int64_t v);   /* new */
int64_t hh_plat_atomic_xchg64(volatile int64_t *p, int64_t v);  /* old */
int64_t hh_plat_atomic_cas64(volatile int64_t *p, int64_t xchg, int64_t cmp); /* old */
void *hh_plat_atomic_xchgptr(void *volatile *p, void *v);       /* old */
void *hh_plat_atomic_casptr(void *volatile *p, void *xchg, void *cmp); /* old */

/* ---- Real time (reports only; the model never reads it) ------------------------------- */
uint64_t hh_plat_monotonic_ns(void);

/* ---- Threads ---------------------------------------------------------------------------- */
struct hh_plat_thread;
struct hh_plat_mutex;
int hh_plat_thread_start(struct hh_plat_thread **out, void (*fn)(void *arg), void *arg);
void hh_plat_thread_join(struct hh_plat_thread *t);
int hh_plat_mutex_new(struct hh_plat_mutex **out);
void hh_plat_mutex_lock(struct hh_plat_mutex *m);
void hh_plat_mutex_unlock(struct hh_plat_mutex *m);
void hh_plat_mutex_free(struct hh_plat_mutex *m);
unsigned hh_plat_cpu_count(void);

/* ---- Child processes (one per isolated scenario) ---------------------------------------- */
struct hh_plat_proc;
struct hh_plat_proc_result {
    int exited;        /* it ended by itself: code is its exit status */
    int code;
    int crashed;       /* it ended by a signal or an exception: what says which */
    int timed_out;     /* it ran past the timeout and was killed */
    char what[160];    /* "killed by signal 11 (SIGSEGV)", "access violation (0xC0000005)" */
    char *output;      /* stdout and stderr, interleaved as written; free() it */
    size_t output_len;
};
/* Starts argv[0] (a path) with argv, stdin empty, stdout and stderr into one pipe. */
int hh_plat_proc_spawn(const char *const *argv, struct hh_plat_proc **out, char *err,
                       size_t errlen);
/* Collects its output until it ends or timeout_ms passes (0: no limit; then it is killed,
 * with its children), and frees p. Returns 0, or -1 with err when waiting itself failed. */
int hh_plat_proc_wait(struct hh_plat_proc *p, unsigned long timeout_ms,
                      struct hh_plat_proc_result *r, char *err, size_t errlen);
/* The running executable's own path, for re-running it as a child. */
int hh_plat_self_path(char *out, size_t len);

/* ---- Writing files whole or not at all ------------------------------------------------- */
/* Replaces dst by tmp atomically (rename / MoveFileExW with MOVEFILE_REPLACE_EXISTING). */
int hh_plat_replace_file(const char *tmp, const char *dst, char *err, size_t errlen);

/* ---- Address sanitizer ---------------------------------------------------------------- */
/* Marks memory unusable (a later access is reported as use-after-poison) or usable again.
 * No-ops unless the build uses AddressSanitizer; the pool poisons freed blocks. */
void hh_plat_poison(const volatile void *p, size_t n);
void hh_plat_unpoison(const volatile void *p, size_t n);

#endif
