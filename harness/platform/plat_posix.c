/* plat_posix.c - the platform contract (plat.h) on POSIX systems.
 *
 * dlopen for modules, stat/opendir/stdio for files, the GCC/Clang __atomic builtins for the
 * Interlocked family, CLOCK_MONOTONIC for report timings, pthreads, posix_spawn, fork and a pipe
 * for isolated children, rename for whole-or-nothing files. The whole file is empty on
 * Windows, where plat_win.c takes its place.
 */
#if !defined(_WIN32)

/* pipe2, sched_getaffinity; everything of POSIX.1-2008
 * besides */
#define _GNU_SOURCE

#include <dirent.h>
#include <dlfcn.h>
#if !defined(__APPLE__)
#include <link.h> /* ElfW, for dladdr1's symbol; dl_iterate_phdr for a module's data */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
        char why[400];
        error = dlerror();
        error = error ? loader_reason(error, local ? local : path) : "the loader gave no reason";
        /* "invalid ELF header" does not say what the file is; its header does. */
        if (hh_plat_explain_binary(path, why, sizeof(why)))
            hh_plat_set_error(err, errlen, "%s (%s)", why, error);
        else
            hh_plat_set_error(err, errlen, "%s", error);
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

int hh_plat_library_of(void (*fn)(void), char *out, size_t len)
{
    Dl_info info;
    void *address;
    size_t n;
    memcpy(&address, &fn, sizeof(address)); /* ISO C has no function-to-object cast */
    if (!dladdr(address, &info) || !info.dli_fname)
        return -1;
    n = strlen(info.dli_fname) + 1;
    if (n > len)
        return -1;
    memcpy(out, info.dli_fname, n);
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

/* dladdr names the module; glibc's dladdr1 also gives the symbol's size, so that an address
 * past the end of the nearest exported symbol (a static global after it) is not named by it. */
int hh_plat_addr_info(const void *addr, struct hh_plat_addr *out)
{
    Dl_info info;
    uintptr_t a = (uintptr_t)addr;
    memset(out, 0, sizeof(*out));
#if defined(__GLIBC__)
    const ElfW(Sym) *sym = NULL;
    if (!dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) || !info.dli_fname)
        return -1;
#else
    if (!dladdr(addr, &info) || !info.dli_fname)
        return -1;
#endif
    snprintf(out->module, sizeof(out->module), "%s", info.dli_fname);
    out->offset = (uint64_t)(a - (uintptr_t)info.dli_fbase);
    out->tool_offset = 1;
    if (info.dli_sname && info.dli_saddr && (uintptr_t)info.dli_saddr <= a) {
        uint64_t into = (uint64_t)(a - (uintptr_t)info.dli_saddr);
#if defined(__GLIBC__)
        int inside = sym && (into < sym->st_size || (into == 0 && sym->st_size == 0));
#else
        int inside = into == 0;
#endif
        if (inside) {
            snprintf(out->symbol, sizeof(out->symbol), "%s", info.dli_sname);
            out->symbol_offset = into;
            out->sized = 1;
        }
    }
    return 0;
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

int hh_plat_file_id(const char *path, struct hh_plat_file_id *id, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        hh_plat_set_error(err, errlen, "%s", errno == ELOOP ? "a loop of symbolic links"
                                             : errno == ENOENT ? "a broken symbolic link"
                                                               : strerror(errno));
        return -1;
    }
    id->volume = (uint64_t)st.st_dev;
    id->file = (uint64_t)st.st_ino;
    return 0;
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

uint64_t hh_plat_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- Memory --------------------------------------------------------------------------- */
uint64_t hh_plat_rss_bytes(void)
{
#if defined(__linux__)
    unsigned long size = 0, resident = 0;
    long page = sysconf(_SC_PAGESIZE);
    FILE *f = fopen("/proc/self/statm", "r");
    int n = f ? fscanf(f, "%lu %lu", &size, &resident) : 0;
    if (f)
        fclose(f);
    return n == 2 && page > 0 ? (uint64_t)resident * (uint64_t)page : 0;
#else
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0 || ru.ru_maxrss < 0)
        return 0;
#if defined(__APPLE__)
    return (uint64_t)ru.ru_maxrss; /* bytes there, kilobytes everywhere else */
#else
    return (uint64_t)ru.ru_maxrss * 1024u;
#endif
#endif
}

/* ---- Threads -------------------------------------------------------------------------- */
struct hh_plat_thread {
    pthread_t id;
    void (*fn)(void *arg);
    void *arg;
};

struct hh_plat_mutex {
    pthread_mutex_t m;
};

static void *thread_main(void *arg)
{
    struct hh_plat_thread *t = arg;
    t->fn(t->arg);
    return NULL;
}

int hh_plat_thread_start(struct hh_plat_thread **out, void (*fn)(void *arg), void *arg)
{
    struct hh_plat_thread *t = malloc(sizeof(*t));
    *out = NULL;
    if (!t)
        return -1;
    t->fn = fn;
    t->arg = arg;
    if (pthread_create(&t->id, NULL, thread_main, t) != 0) {
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

void hh_plat_thread_join(struct hh_plat_thread *t)
{
    if (!t)
        return;
    pthread_join(t->id, NULL);
    free(t);
}

int hh_plat_mutex_new(struct hh_plat_mutex **out)
{
    struct hh_plat_mutex *m = malloc(sizeof(*m));
    *out = NULL;
    if (!m)
        return -1;
    if (pthread_mutex_init(&m->m, NULL) != 0) {
        free(m);
        return -1;
    }
    *out = m;
    return 0;
}

void hh_plat_mutex_lock(struct hh_plat_mutex *m)
{
    pthread_mutex_lock(&m->m);
}

void hh_plat_mutex_unlock(struct hh_plat_mutex *m)
{
    pthread_mutex_unlock(&m->m);
}

void hh_plat_mutex_free(struct hh_plat_mutex *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->m);
    free(m);
}

/* ---- User APCs ------------------------------------------------------------------------ */
int hh_plat_queue_apc(struct hh_plat_thread *t, void (*fn)(void *arg), void *arg)
{
    (void)t; /* POSIX threads have nothing like them */
    (void)fn;
    (void)arg;
    return -1;
}

/* ---- Gates ---------------------------------------------------------------------------- */
#if defined(__linux__)
/* Linux: a futex word, 0 shut, 1 open, 2 shut with its sleeper in the kernel. A hand-off
 * between explored threads is then one wake and one wait: the condition variable's own
 * bookkeeping took two to three more futex calls per hand-off (docs/performance.md). */

struct hh_plat_gate {
    int word;
};

int hh_plat_gate_new(struct hh_plat_gate **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? 0 : -1;
}

void hh_plat_gate_free(struct hh_plat_gate *g)
{
    free(g);
}

void hh_plat_gate_open(struct hh_plat_gate *g)
{
    if (__atomic_exchange_n(&g->word, 1, __ATOMIC_SEQ_CST) == 2)
        syscall(SYS_futex, &g->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

int hh_plat_gate_wait(struct hh_plat_gate *g, uint64_t deadline_ns)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(deadline_ns / 1000000000u);
    ts.tv_nsec = (long)(deadline_ns % 1000000000u);
    for (;;) {
        int seen = 1;
        if (__atomic_compare_exchange_n(&g->word, &seen, 0, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            return 1;
        /* seen is 0 or 2 here: say a sleeper waits (unless it opened meanwhile) and sleep. */
        if (seen == 0 && !__atomic_compare_exchange_n(&g->word, &seen, 2, 0, __ATOMIC_SEQ_CST,
                                                      __ATOMIC_SEQ_CST))
            continue;
        /* An absolute deadline on the monotonic clock (FUTEX_WAIT_BITSET without
         * FUTEX_CLOCK_REALTIME): a wall-clock step does not end the sleep early. */
        if (syscall(SYS_futex, &g->word, FUTEX_WAIT_BITSET_PRIVATE, 2,
                    deadline_ns ? &ts : NULL, NULL, FUTEX_BITSET_MATCH_ANY) != 0 &&
            errno == ETIMEDOUT)
            return __atomic_exchange_n(&g->word, 0, __ATOMIC_SEQ_CST) == 1;
    }
}
#else
struct hh_plat_gate {
    pthread_mutex_t m;
    pthread_cond_t c;
    int open;
};

int hh_plat_gate_new(struct hh_plat_gate **out)
{
    struct hh_plat_gate *g = calloc(1, sizeof(*g));
    pthread_condattr_t attr;
    *out = NULL;
    if (!g || pthread_condattr_init(&attr) != 0) {
        free(g);
        return -1;
    }
#if !defined(__APPLE__)
    /* Deadlines are on the monotonic clock: a wall-clock step must not end a sleep early. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
#endif
    if (pthread_mutex_init(&g->m, NULL) != 0) {
        pthread_condattr_destroy(&attr);
        free(g);
        return -1;
    }
    if (pthread_cond_init(&g->c, &attr) != 0) {
        pthread_condattr_destroy(&attr);
        pthread_mutex_destroy(&g->m);
        free(g);
        return -1;
    }
    pthread_condattr_destroy(&attr);
    *out = g;
    return 0;
}

void hh_plat_gate_free(struct hh_plat_gate *g)
{
    if (!g)
        return;
    pthread_cond_destroy(&g->c);
    pthread_mutex_destroy(&g->m);
    free(g);
}

void hh_plat_gate_open(struct hh_plat_gate *g)
{
    pthread_mutex_lock(&g->m);
    g->open = 1;
    pthread_mutex_unlock(&g->m);
    /* After the unlock, so that the sleeper does not wake only to block on the mutex. */
    pthread_cond_signal(&g->c);
}

int hh_plat_gate_wait(struct hh_plat_gate *g, uint64_t deadline_ns)
{
    int opened;
    pthread_mutex_lock(&g->m);
    while (!g->open) {
        struct timespec ts;
        if (!deadline_ns) {
            pthread_cond_wait(&g->c, &g->m);
            continue;
        }
#if defined(__APPLE__)
        {
            uint64_t now = hh_plat_monotonic_ns();
            uint64_t left = deadline_ns > now ? deadline_ns - now : 0;
            if (!left)
                break;
            ts.tv_sec = (time_t)(left / 1000000000u);
            ts.tv_nsec = (long)(left % 1000000000u);
            pthread_cond_timedwait_relative_np(&g->c, &g->m, &ts);
        }
#else
        ts.tv_sec = (time_t)(deadline_ns / 1000000000u);
        ts.tv_nsec = (long)(deadline_ns % 1000000000u);
        if (pthread_cond_timedwait(&g->c, &g->m, &ts) == ETIMEDOUT)
            break;
#endif
    }
    opened = g->open;
    g->open = 0;
    pthread_mutex_unlock(&g->m);
    return opened;
}
#endif

unsigned hh_plat_cpu_count(void)
{
    long n;
#if defined(CPU_COUNT)
    /* The CPUs this process may run on (a container or taskset may allow fewer). */
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
#endif
    n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

/* ---- Child processes ------------------------------------------------------------------ */
extern char **environ;

struct hh_plat_proc {
    pid_t pid;
    int fd;    /* the read end of the child's stdout and stderr */
    int pidfd; /* readable once the child has ended (Linux 5.3 and later), or -1 */
};

/* A descriptor that polls readable when the child ends, so that waiting for the end after
 * its output closed needs no sleeping; -1 where the system has none. */
static int open_pidfd(pid_t pid)
{
#if defined(__linux__) && defined(SYS_pidfd_open)
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

/* A pipe whose two ends no child inherits unless it is dup2'ed onto 1 and 2. */
static int cloexec_pipe(int fds[2])
{
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__)
    return pipe2(fds, O_CLOEXEC);
#else
    /* Without pipe2, a child started by another thread between pipe and fcntl may inherit
     * the ends; it only delays the end of the other child's output until it exits. */
    if (pipe(fds) != 0)
        return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

int hh_plat_proc_spawn(const char *const *argv, struct hh_plat_proc **out, char *err,
                       size_t errlen)
{
    struct hh_plat_proc *p;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, deflt;
    int fds[2], rc;
    pid_t pid;
    *out = NULL;
    p = malloc(sizeof(*p));
    if (!p) {
        hh_plat_set_error(err, errlen, "out of memory");
        return -1;
    }
    if (cloexec_pipe(fds) != 0) {
        hh_plat_set_error(err, errlen, "cannot make a pipe: %s", strerror(errno));
        free(p);
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    /* The child starts with no signal blocked and SIGPIPE at its default, whatever the
     * harness inherited from the shell or the CI runner. */
    posix_spawnattr_init(&attr);
    sigemptyset(&none);
    sigemptyset(&deflt);
    sigaddset(&deflt, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &deflt);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawn(&pid, argv[0], &fa, &attr, (char *const *)(uintptr_t)argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        hh_plat_set_error(err, errlen, "cannot start %s: %s", argv[0], strerror(rc));
        close(fds[0]);
        free(p);
        return -1;
    }
    p->pid = pid;
    p->fd = fds[0];
    p->pidfd = open_pidfd(pid); /* close-on-exec from the start */
    *out = p;
    return 0;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGUSR1: return "SIGUSR1";
    case SIGUSR2: return "SIGUSR2";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    default: return "a signal";
    }
}

/* Reads what is there; 0 at the end of the output, -1 on error, 1 otherwise. */
static int read_some(int fd, struct hh_plat_output *o)
{
    char *room = hh_plat_output_room(o, 65536);
    ssize_t got;
    if (!room) {
        errno = ENOMEM;
        return -1;
    }
    got = read(fd, room, 65536);
    if (got > 0) {
        o->len += (size_t)got;
        return 1;
    }
    if (got == 0)
        return 0;
    return errno == EINTR || errno == EAGAIN ? 1 : -1;
}

static void sleep_ns(long ns)
{
    struct timespec ts;
    ts.tv_sec = 0;
    ts.tv_nsec = ns;
    nanosleep(&ts, NULL);
}

/* Waits for the child to end, until the deadline (0: none). Returns 1 with its status, or
 * 0 when the deadline passed first. */
static int reap(pid_t pid, int pidfd, uint64_t deadline, int *status)
{
    long pause = 20000;
    for (;;) {
        pid_t got = waitpid(pid, status, deadline ? WNOHANG : 0);
        uint64_t now;
        if (got == pid)
            return 1;
        if (got < 0 && errno != EINTR) {
            *status = 0;
            return 1; /* not our child any more: nothing left to wait for */
        }
        if (got != 0)
            continue;
        now = hh_plat_monotonic_ns();
        if (now >= deadline)
            return 0;
        if (pidfd >= 0) {
            struct pollfd pfd;
            pfd.fd = pidfd;
            pfd.events = POLLIN;
            pfd.revents = 0;
            poll(&pfd, 1, (int)((deadline - now + 999999u) / 1000000u));
        } else {
            /* It closed its output but runs on: look again soon, then less often. */
            sleep_ns(pause);
            if (pause < 1000000)
                pause *= 2;
        }
    }
}

/* How a child ended, from its wait status. */
static void describe_end(int status, struct hh_plat_proc_result *r)
{
    if (WIFEXITED(status)) {
        r->exited = 1;
        r->code = WEXITSTATUS(status);
        snprintf(r->what, sizeof(r->what), "exited with status %d", r->code);
    } else if (WIFSIGNALED(status)) {
        r->crashed = 1;
        r->code = WTERMSIG(status);
        snprintf(r->what, sizeof(r->what), "killed by signal %d (%s)", r->code,
                 signal_name(r->code));
    }
}

/* Waits for pid until the deadline, killing it then; fills r. */
static void reap_or_kill(pid_t pid, int pidfd, uint64_t deadline, unsigned long timeout_ms,
                         struct hh_plat_proc_result *r)
{
    int status = 0;
    if (reap(pid, pidfd, deadline, &status)) {
        describe_end(status, r);
        return;
    }
    kill(pid, SIGKILL);
    reap(pid, -1, 0, &status);
    r->timed_out = 1;
    snprintf(r->what, sizeof(r->what), "killed with SIGKILL after the %lu ms limit", timeout_ms);
}

int hh_plat_proc_wait(struct hh_plat_proc *p, unsigned long timeout_ms,
                      struct hh_plat_proc_result *r, char *err, size_t errlen)
{
    struct hh_plat_output o = {NULL, 0, 0, 0};
    uint64_t deadline = timeout_ms ? hh_plat_monotonic_ns() + (uint64_t)timeout_ms * 1000000u : 0;
    int open = 1, status = 0, failed = 0;
    memset(r, 0, sizeof(*r));
    while (open) {
        struct pollfd pfd;
        int wait_ms = -1, n;
        if (deadline) {
            uint64_t now = hh_plat_monotonic_ns();
            if (now >= deadline)
                break; /* still running: reap_or_kill below kills it */
            wait_ms = (int)((deadline - now + 999999u) / 1000000u);
        }
        pfd.fd = p->fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        n = poll(&pfd, 1, wait_ms);
        if (n < 0 && errno != EINTR) {
            failed = errno;
            break;
        }
        if (n > 0) {
            int rc = read_some(p->fd, &o);
            if (rc < 0) {
                failed = errno;
                break;
            }
            open = rc > 0;
        }
    }
    /* Killed before its pipe closes, so that it dies of SIGKILL and never of SIGPIPE. */
    if (failed) {
        kill(p->pid, SIGKILL);
        reap(p->pid, -1, 0, &status);
    } else {
        reap_or_kill(p->pid, p->pidfd, deadline, timeout_ms, r);
    }
    close(p->fd);
    if (p->pidfd >= 0)
        close(p->pidfd);
    free(p);
    if (failed) {
        free(o.data);
        hh_plat_set_error(err, errlen, "cannot read the child's output: %s", strerror(failed));
        return -1;
    }
    if (hh_plat_output_finish(&o, r) != 0) {
        free(o.data);
        hh_plat_set_error(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int hh_plat_self_path(char *out, size_t len)
{
    ssize_t n;
    if (len < 2)
        return -1;
    n = readlink("/proc/self/exe", out, len - 1);
    if (n <= 0 || (size_t)n >= len - 1)
        return -1;
    out[n] = '\0';
    return 0;
}

int hh_plat_can_fork(void)
{
    return 1;
}

int hh_plat_fork_run(int (*fn)(void *arg), void *arg, unsigned long timeout_ms,
                     struct hh_plat_proc_result *r, char *err, size_t errlen)
{
    uint64_t deadline = timeout_ms ? hh_plat_monotonic_ns() + (uint64_t)timeout_ms * 1000000u : 0;
    pid_t pid;
    int pidfd;
    memset(r, 0, sizeof(*r));
    fflush(NULL); /* nothing buffered may be written by both copies */
    pid = fork();
    if (pid < 0) {
        hh_plat_set_error(err, errlen, "cannot fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        hh_plat_proc_bind_to_parent();
        exit(fn(arg));
    }
    pidfd = open_pidfd(pid);
    reap_or_kill(pid, pidfd, deadline, timeout_ms, r);
    if (pidfd >= 0)
        close(pidfd);
    return 0;
}

void hh_plat_proc_bind_to_parent(void)
{
#if defined(__linux__)
    /* A parent gone before this took hold is noticed too: the first record this child
     * writes finds no reader, and SIGPIPE (at its default, see hh_plat_proc_spawn) ends it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
}

/* ---- A module's writable data (for plat_datasnap.c) ------------------------------------ */
#if !defined(__APPLE__)
struct writable_search {
    const void *inside; /* an address in the module: its dynamic section */
    struct hh_plat_range *out;
    size_t cap, n;
    int found, overflow;
};

static void add_range(struct writable_search *w, uintptr_t lo, uintptr_t hi)
{
    if (hi <= lo)
        return;
    if (w->n == w->cap) {
        w->overflow = 1;
        return;
    }
    w->out[w->n].addr = (unsigned char *)lo;
    w->out[w->n].len = (size_t)(hi - lo);
    w->n++;
}

/* Adds [lo, hi) less the relro range [rlo, rhi), which is read-only once relocated. */
static void add_writable(struct writable_search *w, uintptr_t lo, uintptr_t hi, uintptr_t rlo,
                         uintptr_t rhi)
{
    if (rhi <= rlo || rhi <= lo || rlo >= hi) {
        add_range(w, lo, hi);
        return;
    }
    add_range(w, lo, rlo);
    add_range(w, rhi, hi);
}

static int find_writable(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct writable_search *w = arg;
    uintptr_t at = (uintptr_t)w->inside, rlo = 0, rhi = 0;
    int i, holds = 0;
    (void)size;
    for (i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = (uintptr_t)info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && at >= lo && at < lo + ph->p_memsz)
            holds = 1;
        if (ph->p_type == PT_GNU_RELRO) {
            rlo = lo;
            rhi = lo + ph->p_memsz;
        }
    }
    if (!holds)
        return 0;
    for (i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = (uintptr_t)info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W))
            add_writable(w, lo, lo + ph->p_memsz, rlo, rhi);
    }
    w->found = 1;
    return 1;
}
#endif

int hh_plat_module_writable(struct hh_plat_lib *lib, struct hh_plat_range *out, size_t cap,
                            size_t *n, char *err, size_t errlen)
{
#if defined(__APPLE__)
    (void)lib;
    (void)out;
    (void)cap;
    *n = 0;
    hh_plat_set_error(err, errlen, "this system does not list a module's segments");
    return -1;
#else
    struct link_map *map = NULL;
    struct writable_search w;
    *n = 0;
    if (dlinfo(lib->handle, RTLD_DI_LINKMAP, &map) != 0 || !map || !map->l_ld) {
        hh_plat_set_error(err, errlen, "the loader does not say where the module lies");
        return -1;
    }
    memset(&w, 0, sizeof(w));
    w.inside = map->l_ld;
    w.out = out;
    w.cap = cap;
    dl_iterate_phdr(find_writable, &w);
    if (!w.found || w.overflow) {
        if (w.found)
            hh_plat_set_error(err, errlen, "the module has more than %lu writable ranges",
                              (unsigned long)cap);
        else
            hh_plat_set_error(err, errlen, "the module is not among the loaded objects");
        return -1;
    }
    *n = w.n;
    return 0;
#endif
}

/* ---- Writing files whole or not at all ------------------------------------------------ */
int hh_plat_replace_file(const char *tmp, const char *dst, char *err, size_t errlen)
{
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        /* On disk before the rename, so that a power cut leaves the old file or the new. */
        fsync(fd);
        close(fd);
    }
    if (rename(tmp, dst) != 0) {
        hh_plat_set_error(err, errlen, "cannot replace the file: %s", strerror(errno));
        return -1;
    }
    return 0;
}

#else
typedef int hh_plat_posix_unused; /* ISO C forbids an empty translation unit */
#endif

int hh_plat_exec(const char *const *argv, char *err, size_t errlen)
{
    fflush(stdout);
    fflush(stderr);
    execv(argv[0], (char *const *)argv);
    hh_plat_set_error(err, errlen, "cannot run %s: %s", argv[0], strerror(errno));
    return -1;
}
