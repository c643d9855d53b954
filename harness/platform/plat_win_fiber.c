/* plat_win_fiber.c - fibers (plat.h) on Windows: the system's own (ConvertThreadToFiber,
 * CreateFiberEx, SwitchToFiber). The rescue suspends the fiber's thread and points its
 * context at a function that switches to the thread's home; the interrupted fiber is never
 * switched to again. The whole file is empty elsewhere (plat_posix_fiber.c).
 */
#if defined(_WIN32)

#include <stdlib.h>

#include "plat_win_int.h"

struct hh_plat_fiber {
    void *h;
    void (*fn)(void *);
    void *arg;
    int home;          /* a thread's own stack */
    int converted;     /* the home that ConvertThreadToFiber made (undone on leave) */
    unsigned refs;     /* a home: hh_plat_fiber_enter calls not yet left */
    HANDLE thread;     /* a home: its thread */
};

static HH_THREAD_LOCAL struct hh_plat_fiber *home_of_thread;

/* The fiber the calling thread runs. GetCurrentFiber reads the TEB through gs:, which GCC's
 * bounds check takes for an access to an array of size 0. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
static void *current_fiber(void)
{
    return GetCurrentFiber();
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

int hh_plat_fiber_enter(struct hh_plat_fiber **home)
{
    struct hh_plat_fiber *f = home_of_thread;
    if (!f) {
        f = calloc(1, sizeof(*f));
        if (!f)
            return -1;
        f->home = 1;
        if (IsThreadAFiber()) {
            f->h = current_fiber();
        } else {
            f->h = ConvertThreadToFiber(NULL);
            f->converted = 1;
        }
        if (!f->h || !DuplicateHandle(GetCurrentProcess(), GetCurrentThread(),
                                      GetCurrentProcess(), &f->thread, 0, FALSE,
                                      DUPLICATE_SAME_ACCESS)) {
            if (f->h && f->converted)
                ConvertFiberToThread();
            free(f);
            return -1;
        }
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
    if (home->converted)
        ConvertFiberToThread();
    CloseHandle(home->thread);
    if (home_of_thread == home)
        home_of_thread = NULL;
    free(home);
}

static VOID CALLBACK fiber_main(LPVOID param)
{
    struct hh_plat_fiber *self = param;
    self->fn(self->arg);
    abort(); /* fn must switch away for good */
}

int hh_plat_fiber_new(struct hh_plat_fiber **out, size_t stack_bytes, void (*fn)(void *arg),
                      void *arg)
{
    struct hh_plat_fiber *f = calloc(1, sizeof(*f));
    *out = NULL;
    if (!f)
        return -1;
    f->fn = fn;
    f->arg = arg;
    /* Reserved, committed as it grows; a guard page below, as for a thread's stack. */
    f->h = CreateFiberEx(0, stack_bytes, 0, fiber_main, f);
    if (!f->h) {
        free(f);
        return -1;
    }
    *out = f;
    return 0;
}

void hh_plat_fiber_free(struct hh_plat_fiber *f)
{
    if (!f)
        return;
    if (!f->home)
        DeleteFiber(f->h);
    free(f);
}

void hh_plat_fiber_switch(struct hh_plat_fiber *from, struct hh_plat_fiber *to)
{
    (void)from;
    SwitchToFiber(to->h);
}

void hh_plat_fiber_keep(struct hh_plat_fiber *f)
{
    (void)f; /* no leak checker here scans memory */
}

/* Where a rescued thread goes on: the fiber it continues, for good away from the one it
 * interrupted. */
static void rescued(struct hh_plat_fiber *to)
{
    SwitchToFiber(to->h);
    abort();
}

int hh_plat_fiber_rescue(struct hh_plat_fiber *home, struct hh_plat_fiber *to)
{
#if defined(_M_X64) || defined(__x86_64__)
    CONTEXT ctx;
    DWORD64 sp;
    int ok;
    if (SuspendThread(home->thread) == (DWORD)-1)
        return -1;
    ZeroMemory(&ctx, sizeof(ctx));
    ctx.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    ok = GetThreadContext(home->thread, &ctx) != 0;
    if (ok) {
        /* A call of rescued(home) from below the interrupted frames: 16-byte aligned before
         * the (never used) return address, with the callee's home space, past the red zone. */
        sp = (ctx.Rsp - 512) & ~(DWORD64)15;
        sp -= 8;
        ctx.Rsp = sp;
        ctx.Rip = (DWORD64)(uintptr_t)rescued;
        ctx.Rcx = (DWORD64)(uintptr_t)to;
        ok = SetThreadContext(home->thread, &ctx) != 0;
    }
    ResumeThread(home->thread);
    return ok ? 0 : -1;
#else
    (void)home;
    (void)to;
    return -1;
#endif
}

#endif
