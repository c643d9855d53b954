/* plat.h - the one contract between the harness and the operating system.
 *
 * plat_posix.c and plat_win*.c implement it; Meson builds one of the two. Nothing outside
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
/* Where an address lies among the loaded modules, for reports that name a call site or a
 * global. module: the file's path; offset: from the module's load address; symbol: the
 * module's exported symbol at or below addr, symbol_offset into it ("" when none); sized: 1
 * when the symbol is known to hold addr (ELF gives sizes; a PE export is only the nearest
 * below); tool_offset: 1 when offset is the address addr2line and llvm-symbolizer take for
 * that file (ELF: the load bias). Returns 0, or -1 when addr is in no loaded module. */
struct hh_plat_addr {
    char module[512];
    uint64_t offset;
    char symbol[128];
    uint64_t symbol_offset;
    int sized;
    int tool_offset;
};
int hh_plat_addr_info(const void *addr, struct hh_plat_addr *out);
/* A code address for a report (plat_symbolize.c): "Routine at file.c:42 (libm.so+0x1234)"
 * with debug information and a symbolizer (llvm-symbolizer or addr2line on PATH; the
 * HOTSWAP_SYMBOLIZER variable names another, or "off"), else "Routine (libm.so+0x1234)" or
 * "libm.so+0x1234". is_return: addr is a return address, and the call before it is named. NULL
 * when addr is in no module. */
const char *hh_plat_code_site(const void *addr, int is_return, char *buf, size_t len);
/* A data address: "the global Lock (libm.so+0x4010)", "offset 8 in the global Device (...)"
 * or "a global at libm.so+0x4010"; NULL when addr is in no module. */
const char *hh_plat_data_site(const void *addr, char *buf, size_t len);
/* How this platform names a module file: prefix "lib" / "" and suffix ".so" / ".dll". */
const char *hh_plat_module_prefix(void);
const char *hh_plat_module_suffix(void);
/* The separator of a path list such as HOTSWAP_MODULE_PATH: ':' or ';'. */
char hh_plat_path_list_separator(void);
/* The file of the loaded library (or executable) that holds fn: dladdr, or
 * GetModuleHandleExW and GetModuleFileNameW. 0, or -1 when the OS cannot say. */
int hh_plat_library_of(void (*fn)(void), char *out, size_t len);
/* The names of the functions and data a module file exports, read from the file on every OS
 * (an ELF file's defined global .dynsym entries, a PE file's export table), sorted bytewise;
 * free with hh_plat_free_list. 0, or -1 with the reason in err. (plat_symbols.c) */
int hh_plat_module_exports(const char *path, char ***names, size_t *n, char *err,
                           size_t errlen);

/* A module's writable data as it was when the snapshot was taken (plat_datasnap.c), so that
 * every fuzz run starts from the module's loaded state. Restored: the module's own globals and
 * statics, initialized (.data) and zeroed (.bss) alike, whatever the compiler put beside them
 * in its writable image (POSIX: every writable PT_LOAD up to p_memsz, less PT_GNU_RELRO, which
 * is read-only once relocated; Windows: every section marked IMAGE_SCN_MEM_WRITE whose pages
 * are writable now). Not restored: memory the module points to (heap, pool), thread-local
 * storage, and the data of other libraries (libhotswap, the C library). Restore only while
 * no code of the module runs. NULL with the reason in err when the OS cannot say where the
 * module's data is. */
struct hh_plat_datasnap;
struct hh_plat_datasnap *hh_plat_data_snapshot(struct hh_plat_lib *lib, char *err,
                                               size_t errlen);
void hh_plat_data_restore(const struct hh_plat_datasnap *snap);
/* The bytes a restore copies. */
size_t hh_plat_data_size(const struct hh_plat_datasnap *snap);
void hh_plat_data_free(struct hh_plat_datasnap *snap); /* NULL is ignored */

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
/* What a path names, whichever way it is reached (device and inode; volume serial and file
 * index on Windows), so that a folder walk notices a link back to a folder it is inside.
 * Returns 0, or -1 with the reason (a broken link, a loop of links) in err. */
struct hh_plat_file_id {
    uint64_t volume;
    uint64_t file;
};
int hh_plat_file_id(const char *path, struct hh_plat_file_id *id, char *err, size_t errlen);

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
/* The CPU time this process has used, user and system, in nanoseconds (benchmarks only: its
 * resolution is the OS's, 15.6 ms on some Windows); 0 when the OS does not say. */
uint64_t hh_plat_cpu_ns(void);

/* ---- Memory (benchmarks only) ---------------------------------------------------------- */
/* The memory this process has resident now, in bytes (Linux /proc/self/statm, the working
 * set on Windows; elsewhere the peak, getrusage's ru_maxrss); 0 when the OS does not say. */
uint64_t hh_plat_rss_bytes(void);

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

/* ---- Fibers: stacks switched without the OS -------------------------------------------- */
/* A fiber is a stack and the point where its code stopped; a switch to another fiber of the
 * same OS thread stores one and continues the other without the kernel's scheduler (well
 * under a microsecond, where waking another OS thread through a gate costs microseconds).
 * The explorer's threads are fibers of the explorer's own OS thread. POSIX: ucontext
 * (makecontext, swapcontext) on an mmap'd stack with a guard page below it; Windows: the
 * system's fibers. Under AddressSanitizer each switch is announced to it. (plat_posix_fiber.c,
 * plat_win_fiber.c) */
struct hh_plat_fiber;
/* The calling thread's own stack as a fiber (its "home"), so that it can switch to fibers
 * and they back to it. Nested calls on one thread return the same home; each is undone by
 * hh_plat_fiber_leave, on that thread, once no fiber of it runs. 0, or -1. */
int hh_plat_fiber_enter(struct hh_plat_fiber **home);
void hh_plat_fiber_leave(struct hh_plat_fiber *home);
/* A fiber that runs fn(arg) on a stack of its own of stack_bytes once first switched to. fn
 * never returns: it ends by switching away for good. 0, or -1. */
int hh_plat_fiber_new(struct hh_plat_fiber **out, size_t stack_bytes, void (*fn)(void *arg),
                      void *arg);
/* Not the running fiber; one stopped in a switch never continues. NULL is ignored. */
void hh_plat_fiber_free(struct hh_plat_fiber *f);
/* Stops `from`, the fiber running now on the calling thread, and continues `to`, which is
 * stopped (in a switch, or never run) and of the same thread. Returns when another switch
 * continues `from`. */
void hh_plat_fiber_switch(struct hh_plat_fiber *from, struct hh_plat_fiber *to);
/* From another OS thread: stops the fiber that runs now on home's thread where it is, for
 * good (it is never continued; its stack stays), and continues `to` there, a fiber of that
 * thread stopped in a switch (home itself, or another). For a watchdog: code that loops
 * without ever switching cannot hand its thread back. POSIX: a signal (SIGURG) whose handler
 * switches; Windows (x86-64): the thread suspended and its context pointed at a switch. 0, or
 * -1 when this platform cannot. */
int hh_plat_fiber_rescue(struct hh_plat_fiber *home, struct hh_plat_fiber *to);
/* f is stopped for good, and what its frames point to stays in use: a leak checker
 * (LeakSanitizer) scans its stack from now on, as it scans a thread's. */
void hh_plat_fiber_keep(struct hh_plat_fiber *f);

/* ---- Gates: how a thread of a real-clock run sleeps ------------------------------------ */
/* A gate is a one-sleeper wake-up: open wakes the thread sleeping in wait, or the next one to
 * wait when none is (the opening is remembered, once). Linux: a futex word (one wake, one
 * wait); other POSIX systems: a condition variable on the monotonic clock. Windows: an auto-reset event and a high-resolution waitable timer under
 * WaitForMultipleObjectsEx, alertable, so that user APCs queued with hh_plat_queue_apc run
 * while the thread sleeps. */
struct hh_plat_gate;
int hh_plat_gate_new(struct hh_plat_gate **out);
/* Only once no other thread can still be in hh_plat_gate_open on it. */
void hh_plat_gate_free(struct hh_plat_gate *g);
void hh_plat_gate_open(struct hh_plat_gate *g);
/* Sleeps until the gate is opened or hh_plat_monotonic_ns() reaches deadline_ns (0: no
 * deadline); on Windows also until a user APC ran. Returns 1 when it was opened, else 0. */
int hh_plat_gate_wait(struct hh_plat_gate *g, uint64_t deadline_ns);

/* ---- Child processes (one per isolated scenario) ---------------------------------------- */
struct hh_plat_proc;
struct hh_plat_proc_result {
    int exited;        /* it ended by itself: code is its exit status */
    int code;          /* exit status; for a crash the signal number or the exception code */
    int crashed;       /* it ended by a signal or an exception: what says which */
    int timed_out;     /* it ran past the timeout and was killed */
    char what[160];    /* "killed by signal 11 (SIGSEGV)", "access violation (0xC0000005)" */
    char *output;      /* stdout and stderr, interleaved as written; free() it */
    size_t output_len;
};
/* Starts argv[0] (a path) with argv, stdin empty, stdout and stderr into one pipe. No
 * other descriptor or handle of the harness is inherited, so children started at once from
 * several threads never hold each other's pipes open. */
int hh_plat_proc_spawn(const char *const *argv, struct hh_plat_proc **out, char *err,
                       size_t errlen);
/* Collects its output until it ends or timeout_ms passes (0: no limit; then it is killed,
 * with its children), and frees p. Returns 0, or -1 with err when waiting itself failed.
 * Output beyond 8 MiB keeps its first 64 KiB and its end, with a line saying how much was
 * left out between them. On POSIX a child stays in the harness's process group, so that a
 * Ctrl-C on the terminal reaches it too. */
int hh_plat_proc_wait(struct hh_plat_proc *p, unsigned long timeout_ms,
                      struct hh_plat_proc_result *r, char *err, size_t errlen);
/* The running executable's own path, for re-running it as a child. */
int hh_plat_self_path(char *out, size_t len);
/* Whether hh_plat_fork_run works here: 1 on POSIX, 0 on Windows. */
int hh_plat_can_fork(void);
/* Runs fn(arg) in a forked copy of this process, which then exits with fn's return value;
 * waits for it up to timeout_ms (0: no limit; then it is killed) and says how it ended in r
 * (r->output stays NULL: the copy writes to this process's own stdout and stderr). For a
 * single-threaded process only; the copy is bound to it as by hh_plat_proc_bind_to_parent.
 * Returns 0, or -1 with err (always, where hh_plat_can_fork is 0). */
int hh_plat_fork_run(int (*fn)(void *arg), void *arg, unsigned long timeout_ms,
                     struct hh_plat_proc_result *r, char *err, size_t errlen);
/* Called first thing in such a child: it ends when the harness that started it ends, so a
 * harness killed mid-suite (Ctrl-C, a closed pipe, a CI timeout) leaves no routine spinning.
 * Linux: PR_SET_PDEATHSIG. Windows: nothing to do, the job object already does it. Best
 * effort elsewhere. */
void hh_plat_proc_bind_to_parent(void);
/* Hands this process over to argv[0] (a path) with argv, stdin, stdout and stderr as they
 * are (`hotswap-harness fuzz` becoming the libFuzzer target): POSIX execv, which does not
 * return when it works; Windows starts it, waits and exits with its exit status. Returns -1
 * with the OS's reason in err when it could not be started. */
int hh_plat_exec(const char *const *argv, char *err, size_t errlen);

/* ---- Writing files whole or not at all ------------------------------------------------- */
/* Replaces dst by tmp atomically (rename / MoveFileExW with MOVEFILE_REPLACE_EXISTING). */
int hh_plat_replace_file(const char *tmp, const char *dst, char *err, size_t errlen);

/* ---- Real synchronization objects (Windows only for now) ------------------------------ */
/* The OS's own events, mutexes and semaphores and its multi-object wait, with Win32's
 * semantics and result codes, so that tests can hold the model against the real thing
 * (tests/windows). plat_win_sync.c implements them; there is no POSIX backend yet. */
struct hh_plat_sync;
#define HH_PLAT_SYNC_AUTO_EVENT 1   /* auto-reset (a synchronization event) */
#define HH_PLAT_SYNC_MANUAL_EVENT 2 /* manual-reset (a notification event) */
#define HH_PLAT_SYNC_MUTEX 3        /* a mutant: owned recursively, abandoned on exit */
#define HH_PLAT_SYNC_SEMAPHORE 4
/* Events: initial 0 or 1. Mutex: initial 1 = owned by the calling thread. Semaphore: the
 * count and its limit. Returns 0, or -1 with the OS's reason in err. */
int hh_plat_sync_new(int kind, long initial, long limit, struct hh_plat_sync **out, char *err,
                     size_t errlen);
void hh_plat_sync_free(struct hh_plat_sync *s);
/* SetEvent, ResetEvent, PulseEvent: 0, or -1 when the OS refused. */
int hh_plat_sync_set(struct hh_plat_sync *s);
int hh_plat_sync_reset(struct hh_plat_sync *s);
int hh_plat_sync_pulse(struct hh_plat_sync *s);
/* ReleaseMutex (count 1) or ReleaseSemaphore, by the calling thread; *prev gets the previous
 * count of a semaphore. 0, HH_PLAT_SYNC_NOT_OWNER, HH_PLAT_SYNC_LIMIT or -1. */
#define HH_PLAT_SYNC_NOT_OWNER 1 /* ERROR_NOT_OWNER */
#define HH_PLAT_SYNC_LIMIT 2     /* ERROR_TOO_MANY_POSTS */
int hh_plat_sync_release(struct hh_plat_sync *s, long count, long *prev);
/* An object's state without touching it: the dispatcher header's signal state (an event's
 * 0 or 1, a semaphore's count, a mutant's 1 free / 0 owned / -n owned n+1 times), whether
 * the calling thread owns it and whether it was abandoned. 0, or -1 when unknown. */
struct hh_plat_sync_state {
    long signal;
    int owned_by_caller;
    int abandoned;
};
int hh_plat_sync_query(struct hh_plat_sync *s, struct hh_plat_sync_state *st);
/* WaitForMultipleObjectsEx on the calling thread; returns what Win32 returns. */
#define HH_PLAT_WAIT_OBJECT_0 0x00000000u
#define HH_PLAT_WAIT_ABANDONED_0 0x00000080u
#define HH_PLAT_WAIT_IO_COMPLETION 0x000000C0u /* a user APC ran (alertable waits) */
#define HH_PLAT_WAIT_TIMEOUT 0x00000102u
#define HH_PLAT_WAIT_FAILED 0xFFFFFFFFu
#define HH_PLAT_INFINITE 0xFFFFFFFFu
uint32_t hh_plat_sync_wait(struct hh_plat_sync *const *objs, unsigned n, int wait_all,
                           uint32_t timeout_ms, int alertable);
/* SignalObjectAndWait: signals `signal` and starts waiting on `wait` as one step, so another
 * thread that sees the signal knows this one is already waiting. Returns as above. */
uint32_t hh_plat_sync_signal_and_wait(struct hh_plat_sync *signal, struct hh_plat_sync *wait,
                                      uint32_t timeout_ms, int alertable);
/* Queues a user APC running fn(arg) to thread t (NULL: the calling thread). 0 or -1 (always,
 * on POSIX, which has none). It runs when t next sleeps alertably (hh_plat_sync_wait with
 * alertable, hh_plat_gate_wait). */
int hh_plat_queue_apc(struct hh_plat_thread *t, void (*fn)(void *arg), void *arg);

/* ---- Address sanitizer ---------------------------------------------------------------- */
/* Marks memory unusable (a later access is reported as use-after-poison) or usable again.
 * No-ops unless the build uses AddressSanitizer; the pool poisons freed blocks. */
void hh_plat_poison(const volatile void *p, size_t n);
void hh_plat_unpoison(const volatile void *p, size_t n);

#endif
