/* plat_posix_fiber.c - fibers (plat.h) on POSIX: ucontext's makecontext and swapcontext on a
 * stack of mmap'd pages with a guard page below it. AddressSanitizer, when its runtime is in
 * the process, is told of every switch, so that it knows which stack runs. The rescue is a signal sent to the fiber's thread, whose
 * handler leaves the interrupted fiber where it is and continues the thread's home. The whole
 * file is empty on Windows (plat_win_fiber.c).
 */
#if !defined(_WIN32)

#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_STACK */

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "plat_internal.h"

/* AddressSanitizer's fiber and leak interfaces, weak: present when its runtime is linked in,
 * whether or not this file was compiled with it (the fuzzing build links it for the
 * module under test), and NULL otherwise. */
extern void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
                                           size_t size) __attribute__((weak));
extern void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
                                            size_t *size_old) __attribute__((weak));
extern void __lsan_register_root_region(const void *p, size_t size) __attribute__((weak));

#ifndef MAP_STACK
#define MAP_STACK 0
#endif

/* The signal of a rescue: ignored by default, and nothing of the harness uses it. */
#define RESCUE_SIGNAL SIGURG

struct hh_plat_fiber {
    ucontext_t ctx;
    void (*fn)(void *);
    void *arg;
    unsigned char *map; /* its stack's mapping (guard page first); NULL for a home */
    size_t map_len;
    unsigned refs;      /* a home: hh_plat_fiber_enter calls not yet left */
    pthread_t thread;   /* a home: its thread */
    /* AddressSanitizer's view: the stack it runs on (a home's is learned at its first
     * switch away) and its fake stack while it is stopped. */
    const void *stack_lo;
    size_t stack_len;
    void *fake;
};

static _Thread_local struct hh_plat_fiber *home_of_thread;
static _Thread_local struct hh_plat_fiber *last_from; /* the fiber that switched last */
static _Thread_local struct hh_plat_fiber *starting;  /* the fiber a switch starts */
/* A rescue: the thread it stops (its home) and the fiber it continues there. */
static struct hh_plat_fiber *volatile rescue_home;
static struct hh_plat_fiber *volatile rescue_to;

/* AddressSanitizer: a switch begins (from NULL: the running stack is left for good)... */
static void asan_leave(struct hh_plat_fiber *from, const struct hh_plat_fiber *to)
{
    if (__sanitizer_start_switch_fiber)
        __sanitizer_start_switch_fiber(from ? &from->fake : NULL, to->stack_lo, to->stack_len);
}

/* ... and ends on self's stack: the stack it came from is learned, for a switch back. */
static void asan_arrive(struct hh_plat_fiber *self)
{
    const void *lo = NULL;
    size_t len = 0;
    if (!__sanitizer_finish_switch_fiber)
        return;
    __sanitizer_finish_switch_fiber(self->fake, &lo, &len);
    self->fake = NULL;
    if (last_from && !last_from->map && last_from->stack_len == 0) {
        last_from->stack_lo = lo;
        last_from->stack_len = len;
    }
}

int hh_plat_fiber_enter(struct hh_plat_fiber **home)
{
    struct hh_plat_fiber *f = home_of_thread;
    if (!f) {
        f = calloc(1, sizeof(*f));
        if (!f)
            return -1;
        f->thread = pthread_self();
        home_of_thread = f;
    }
    f->refs++;
    *home = f;
    return 0;
}

void hh_plat_fiber_leave(struct hh_plat_fiber *home)
{
    if (!home || --home->refs > 0)
        return;
    if (home_of_thread == home)
        home_of_thread = NULL;
    free(home);
}

static void trampoline(void)
{
    struct hh_plat_fiber *self = starting;
    asan_arrive(self);
    self->fn(self->arg);
    abort(); /* fn must switch away for good */
}

int hh_plat_fiber_new(struct hh_plat_fiber **out, size_t stack_bytes, void (*fn)(void *arg),
                      void *arg)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    struct hh_plat_fiber *f = calloc(1, sizeof(*f));
    *out = NULL;
    if (!f)
        return -1;
    stack_bytes = (stack_bytes + page - 1) / page * page;
    f->map_len = stack_bytes + page;
    f->map = mmap(NULL, f->map_len, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (f->map == MAP_FAILED) {
        free(f);
        return -1;
    }
    /* The page below the stack faults: an overflow crashes there instead of writing on. */
    if (mprotect(f->map, page, PROT_NONE) != 0 || getcontext(&f->ctx) != 0) {
        munmap(f->map, f->map_len);
        free(f);
        return -1;
    }
    f->fn = fn;
    f->arg = arg;
    f->stack_lo = f->map + page;
    f->stack_len = stack_bytes;
    f->ctx.uc_stack.ss_sp = f->map + page;
    f->ctx.uc_stack.ss_size = stack_bytes;
    f->ctx.uc_link = NULL;
    makecontext(&f->ctx, trampoline, 0);
    *out = f;
    return 0;
}

void hh_plat_fiber_free(struct hh_plat_fiber *f)
{
    if (!f)
        return;
    if (f->map)
        munmap(f->map, f->map_len);
    free(f);
}

void hh_plat_fiber_switch(struct hh_plat_fiber *from, struct hh_plat_fiber *to)
{
    last_from = from;
    starting = to;
    asan_leave(from, to);
    if (__sanitizer_start_switch_fiber) {
        /* getcontext and setcontext, not swapcontext: AddressSanitizer's interceptor of
         * swapcontext warns of false positives at its first call, which the announcements
         * above already prevent. getcontext returns a second time when from continues. */
        volatile int switched = 0;
        getcontext(&from->ctx);
        if (!switched) {
            switched = 1;
            setcontext(&to->ctx);
        }
    } else {
        swapcontext(&from->ctx, &to->ctx);
    }
    asan_arrive(from);
}

void hh_plat_fiber_keep(struct hh_plat_fiber *f)
{
    if (f->map && __lsan_register_root_region)
        __lsan_register_root_region(f->stack_lo, f->stack_len);
}

static void rescue_handler(int sig)
{
    struct hh_plat_fiber *home = rescue_home, *to = rescue_to;
    (void)sig;
    if (!home || !to || !pthread_equal(pthread_self(), home->thread))
        return; /* not a rescue of this thread's */
    rescue_home = NULL;
    last_from = NULL;
    asan_leave(NULL, to);
    setcontext(&to->ctx); /* the interrupted fiber's frames and this one stay as they are */
}

int hh_plat_fiber_rescue(struct hh_plat_fiber *home, struct hh_plat_fiber *to)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = rescue_handler;
    sigemptyset(&sa.sa_mask);
    if (sigaction(RESCUE_SIGNAL, &sa, NULL) != 0)
        return -1;
    rescue_to = to;
    rescue_home = home;
    return pthread_kill(home->thread, RESCUE_SIGNAL) == 0 ? 0 : -1;
}

#endif
