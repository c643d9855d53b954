/* plat_win_sync.c - real Win32 events, mutexes and semaphores and their waits (plat.h
 * "Real synchronization objects"), for holding the dispatcher model against Windows.
 *
 * Each object is one handle; waits are WaitForMultipleObjectsEx and SignalObjectAndWait,
 * their results passed through unchanged. States are read with ntdll's NtQueryEvent,
 * NtQuerySemaphore and NtQueryMutant, which report without acquiring. A real-clock run's
 * gates (plat.h "Gates") are an auto-reset event and a waitable timer under the same wait.
 * Windows only.
 */
#if defined(_WIN32)

#include <stdlib.h>
#include <string.h>

#include "plat_win_int.h"

struct hh_plat_sync {
    HANDLE handle;
    int kind;
};

int hh_plat_sync_new(int kind, long initial, long limit, struct hh_plat_sync **out, char *err,
                     size_t errlen)
{
    struct hh_plat_sync *s;
    HANDLE h = NULL;
    *out = NULL;
    switch (kind) {
    case HH_PLAT_SYNC_AUTO_EVENT:
    case HH_PLAT_SYNC_MANUAL_EVENT:
        h = CreateEventW(NULL, kind == HH_PLAT_SYNC_MANUAL_EVENT, initial != 0, NULL);
        break;
    case HH_PLAT_SYNC_MUTEX:
        h = CreateMutexW(NULL, initial != 0, NULL);
        break;
    case HH_PLAT_SYNC_SEMAPHORE:
        h = CreateSemaphoreW(NULL, (LONG)initial, (LONG)limit, NULL);
        break;
    default:
        hh_plat_set_error(err, errlen, "unknown kind of object %d", kind);
        return -1;
    }
    if (!h) {
        hh_plat_win_error(err, errlen, "cannot create the object: ", GetLastError());
        return -1;
    }
    s = malloc(sizeof(*s));
    if (!s) {
        CloseHandle(h);
        hh_plat_set_error(err, errlen, "out of memory");
        return -1;
    }
    s->handle = h;
    s->kind = kind;
    *out = s;
    return 0;
}

void hh_plat_sync_free(struct hh_plat_sync *s)
{
    if (!s)
        return;
    CloseHandle(s->handle);
    free(s);
}

int hh_plat_sync_set(struct hh_plat_sync *s)
{
    return SetEvent(s->handle) ? 0 : -1;
}

int hh_plat_sync_reset(struct hh_plat_sync *s)
{
    return ResetEvent(s->handle) ? 0 : -1;
}

int hh_plat_sync_pulse(struct hh_plat_sync *s)
{
    return PulseEvent(s->handle) ? 0 : -1;
}

int hh_plat_sync_release(struct hh_plat_sync *s, long count, long *prev)
{
    LONG before = 0;
    BOOL ok;
    DWORD code;
    if (s->kind == HH_PLAT_SYNC_MUTEX) {
        ok = ReleaseMutex(s->handle);
    } else {
        ok = ReleaseSemaphore(s->handle, (LONG)count, &before);
        if (ok && prev)
            *prev = before;
    }
    if (ok)
        return 0;
    code = GetLastError();
    if (code == ERROR_NOT_OWNER)
        return HH_PLAT_SYNC_NOT_OWNER;
    if (code == ERROR_TOO_MANY_POSTS)
        return HH_PLAT_SYNC_LIMIT;
    return -1;
}

/* ---- States, through ntdll ------------------------------------------------------------- */
typedef LONG(WINAPI *nt_query_fn)(HANDLE, int, void *, ULONG, ULONG *);

struct event_info {
    int type;
    LONG state;
};
struct semaphore_info {
    LONG count;
    LONG limit;
};
struct mutant_info {
    LONG count;
    BOOLEAN owned_by_caller;
    BOOLEAN abandoned;
};

enum { QUERY_EVENT, QUERY_SEMAPHORE, QUERY_MUTANT };

/* NtQueryEvent, NtQuerySemaphore or NtQueryMutant, looked up once. Threads that race here
 * store the same address. */
static nt_query_fn nt_query(int which)
{
    static const char *const names[] = {"NtQueryEvent", "NtQuerySemaphore", "NtQueryMutant"};
    static nt_query_fn found[3];
    if (!found[which]) {
        HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
        FARPROC fn = ntdll ? GetProcAddress(ntdll, names[which]) : NULL;
        nt_query_fn typed;
        /* Both are code addresses; the ntdll export has exactly this signature. */
        memcpy(&typed, &fn, sizeof(typed));
        found[which] = typed;
    }
    return found[which];
}

int hh_plat_sync_query(struct hh_plat_sync *s, struct hh_plat_sync_state *st)
{
    ULONG got = 0;
    memset(st, 0, sizeof(*st));
    if (s->kind == HH_PLAT_SYNC_MUTEX) {
        struct mutant_info m;
        nt_query_fn q = nt_query(QUERY_MUTANT);
        if (!q || q(s->handle, 0, &m, sizeof(m), &got) < 0)
            return -1;
        st->signal = m.count;
        st->owned_by_caller = m.owned_by_caller != 0;
        st->abandoned = m.abandoned != 0;
    } else if (s->kind == HH_PLAT_SYNC_SEMAPHORE) {
        struct semaphore_info i;
        nt_query_fn q = nt_query(QUERY_SEMAPHORE);
        if (!q || q(s->handle, 0, &i, sizeof(i), &got) < 0)
            return -1;
        st->signal = i.count;
    } else {
        struct event_info e;
        nt_query_fn q = nt_query(QUERY_EVENT);
        if (!q || q(s->handle, 0, &e, sizeof(e), &got) < 0)
            return -1;
        st->signal = e.state;
    }
    return 0;
}

/* ---- Waits ------------------------------------------------------------------------------ */
uint32_t hh_plat_sync_wait(struct hh_plat_sync *const *objs, unsigned n, int wait_all,
                           uint32_t timeout_ms, int alertable)
{
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];
    unsigned i;
    if (n > MAXIMUM_WAIT_OBJECTS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return HH_PLAT_WAIT_FAILED;
    }
    for (i = 0; i < n; i++)
        handles[i] = objs[i]->handle;
    return WaitForMultipleObjectsEx(n, handles, wait_all != 0, timeout_ms, alertable != 0);
}

uint32_t hh_plat_sync_signal_and_wait(struct hh_plat_sync *signal, struct hh_plat_sync *wait,
                                      uint32_t timeout_ms, int alertable)
{
    return SignalObjectAndWait(signal->handle, wait->handle, timeout_ms, alertable != 0);
}

/* ---- Gates ---------------------------------------------------------------------------- */
#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002
#endif

struct hh_plat_gate {
    HANDLE handles[2]; /* the event, then the timer */
};

int hh_plat_gate_new(struct hh_plat_gate **out)
{
    struct hh_plat_gate *g = calloc(1, sizeof(*g));
    *out = NULL;
    if (!g)
        return -1;
    g->handles[0] = CreateEventW(NULL, FALSE, FALSE, NULL);
    /* High resolution where Windows has it (10 1803 and later); the default timer otherwise,
     * which keeps to the system's clock tick. */
    g->handles[1] = CreateWaitableTimerExW(NULL, NULL, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION,
                                           TIMER_ALL_ACCESS);
    if (!g->handles[1])
        g->handles[1] = CreateWaitableTimerW(NULL, FALSE, NULL);
    if (!g->handles[0] || !g->handles[1]) {
        hh_plat_gate_free(g);
        return -1;
    }
    *out = g;
    return 0;
}

void hh_plat_gate_free(struct hh_plat_gate *g)
{
    if (!g)
        return;
    if (g->handles[0])
        CloseHandle(g->handles[0]);
    if (g->handles[1])
        CloseHandle(g->handles[1]);
    free(g);
}

void hh_plat_gate_open(struct hh_plat_gate *g)
{
    SetEvent(g->handles[0]);
}

int hh_plat_gate_wait(struct hh_plat_gate *g, uint64_t deadline_ns)
{
    DWORD n = 1, r, ms = INFINITE;
    if (deadline_ns) {
        uint64_t now = hh_plat_monotonic_ns();
        LARGE_INTEGER due;
        if (now >= deadline_ns)
            return WaitForSingleObject(g->handles[0], 0) == WAIT_OBJECT_0;
        /* Relative, in 100 ns units, rounded up so the sleep never ends early. */
        due.QuadPart = -(LONGLONG)((deadline_ns - now + 99) / 100);
        if (SetWaitableTimer(g->handles[1], &due, 0, NULL, NULL, FALSE))
            n = 2;
        else /* no timer: the wait's own timeout, in whole milliseconds rounded up */
            ms = (DWORD)((deadline_ns - now + 999999) / 1000000);
    }
    r = WaitForMultipleObjectsEx(n, g->handles, FALSE, ms, TRUE);
    if (n == 2 && r != WAIT_OBJECT_0 + 1)
        CancelWaitableTimer(g->handles[1]);
    return r == WAIT_OBJECT_0;
}

#else
typedef int hh_plat_win_sync_unused; /* ISO C forbids an empty translation unit */
#endif
