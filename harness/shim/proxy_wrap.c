/* proxy_wrap.c - the endpoint wrappers: a fixed pool of compiled functions, slot n reached
 * through wrapper n of each kind.
 *
 * Portable C cannot make a function at run time, so each of the HH_PROXY_WRAPPERS slots has
 * two wrappers compiled here (<hotswap/wdm_proxy.h> says what they support and why):
 *   the generic one, ULONG_PTR (ULONG_PTR x 8), which calls the endpoint through that type:
 *     integer and pointer arguments (at most 8) and results only, by the x64 and AArch64
 *     calling conventions, outside ISO C;
 *   the worker routine's, BOOLEAN (PVOID, NTSTATUS), which calls the endpoint through its own
 *     type: plain ISO C, used by the kernel's copy of a worker's start context.
 * Either looks up the current engine at each call, so the same wrapper follows a swap, and
 * counts the call in and out for the swap's rundown. The dispatcher lock is not held while
 * the endpoint runs.
 */
#include "pool.h"
#include "proxy_int.h"

#include "shim.h"

typedef ULONG_PTR hh_proxy_fn(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                              ULONG_PTR, ULONG_PTR);

/* Counts a call into slot n in and returns its current function; a slot with no endpoint now
 * (the driver unloaded, or its registration was rolled back) or one held by a swap's stall is
 * a finding. */
static PDRIVER_PROXY_ENDPOINT_FUNCTION call_in(struct hh_engine **ep, unsigned n)
{
    struct hh_engine *e = hh_shim_enter("an endpoint wrapper");
    struct hh_proxy_slot *s = e->proxy ? &e->proxy->slots[n] : NULL;
    PDRIVER_PROXY_ENDPOINT_FUNCTION fn;
    if (!s || !s->ext)
        hh_engine_abort(e, HH_RULE_BUGCHECK,
                        "a Driver Hot Swap endpoint wrapper was called, but its endpoint is gone "
                        "(its driver unloaded, or its registration was rolled back): the kernel "
                        "would run freed code");
    if (s->ext->stalled)
        hh_engine_abort(e, HH_RULE_DEADLOCK,
                        "endpoint %lu was called through its wrapper while the swap holds new "
                        "calls (between the ProxyStalled phase and the switch): the call waits "
                        "for the swap, which waits for the caller",
                        (unsigned long)s->id);
    s->in_flight++;
    s->calls++;
    fn = s->target;
    hh_shim_leave(e);
    *ep = e;
    return fn;
}

static void call_out(struct hh_engine *e, unsigned n)
{
    hh_engine_lock(e);
    if (e->proxy)
        e->proxy->slots[n].in_flight--;
    hh_engine_unlock(e);
}

static ULONG_PTR forward(unsigned n, ULONG_PTR a1, ULONG_PTR a2, ULONG_PTR a3, ULONG_PTR a4,
                         ULONG_PTR a5, ULONG_PTR a6, ULONG_PTR a7, ULONG_PTR a8)
{
    struct hh_engine *e;
    hh_proxy_fn *fn = (hh_proxy_fn *)call_in(&e, n);
    ULONG_PTR result = fn(a1, a2, a3, a4, a5, a6, a7, a8);
    call_out(e, n);
    return result;
}

/* A worker whose context lies in freed pool: its driver freed what the thread uses (a device
 * extension at removal) without waiting for the thread to end. */
static void check_context_alive(PVOID context)
{
    struct hh_engine *e = hh_engine_current();
    char where[1400];
    if (!e || !e->pool || !context || !hh_pool_freed_where(e->pool, context, where,
                                                           sizeof(where)))
        return;
    hh_engine_fail(e, HH_RULE_DRIVER,
                   "the worker routine is called with a context in freed pool (%s): the "
                   "driver freed what its worker thread uses while the thread still ran; stop "
                   "the worker first (set the event its routine ends on and "
                   "KeWaitForSingleObject on its thread object), then free",
                   where);
}

static BOOLEAN forward_worker(unsigned n, PVOID context, NTSTATUS status)
{
    struct hh_engine *e;
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE fn;
    check_context_alive(context);
    fn = (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE)call_in(&e, n);
    BOOLEAN result = fn(context, status);
    call_out(e, n);
    return result;
}

/* Wrappers r_c for slot 8r + c: rows and columns, so that no name has a leading zero. */
#define HH_PROXY_DEFINE(r, c)                                                                 \
    static ULONG_PTR wrapper_##r##_##c(ULONG_PTR a1, ULONG_PTR a2, ULONG_PTR a3, ULONG_PTR a4, \
                                       ULONG_PTR a5, ULONG_PTR a6, ULONG_PTR a7, ULONG_PTR a8) \
    {                                                                                         \
        return forward(8 * r + c, a1, a2, a3, a4, a5, a6, a7, a8);                            \
    }                                                                                         \
    static BOOLEAN worker_##r##_##c(PVOID context, NTSTATUS status)                           \
    {                                                                                         \
        return forward_worker(8 * r + c, context, status);                                    \
    }
#define HH_PROXY_ROW(X, r) X(r, 0) X(r, 1) X(r, 2) X(r, 3) X(r, 4) X(r, 5) X(r, 6) X(r, 7)
#define HH_PROXY_ALL(X)                                                                       \
    HH_PROXY_ROW(X, 0) HH_PROXY_ROW(X, 1) HH_PROXY_ROW(X, 2) HH_PROXY_ROW(X, 3)               \
    HH_PROXY_ROW(X, 4) HH_PROXY_ROW(X, 5) HH_PROXY_ROW(X, 6) HH_PROXY_ROW(X, 7)

HH_PROXY_ALL(HH_PROXY_DEFINE)

#define HH_PROXY_GENERIC(r, c) wrapper_##r##_##c,
#define HH_PROXY_WORKER(r, c) worker_##r##_##c,
static hh_proxy_fn *const generic_wrappers[] = {HH_PROXY_ALL(HH_PROXY_GENERIC)};
static const PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE worker_wrappers[] = {
    HH_PROXY_ALL(HH_PROXY_WORKER)};

C_ASSERT(RTL_NUMBER_OF(generic_wrappers) == HH_PROXY_WRAPPERS);
C_ASSERT(RTL_NUMBER_OF(worker_wrappers) == HH_PROXY_WRAPPERS);

PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION hh__proxy_wrapper(unsigned n)
{
    return (PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION)generic_wrappers[n];
}

PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE hh__proxy_worker_wrapper(unsigned n)
{
    return worker_wrappers[n];
}

int hh__proxy_slot_of(PDRIVER_PROXY_ENDPOINT_FUNCTION wrapper)
{
    int n;
    for (n = 0; n < HH_PROXY_WRAPPERS; n++) {
        if (wrapper == (PDRIVER_PROXY_ENDPOINT_FUNCTION)generic_wrappers[n] ||
            wrapper == (PDRIVER_PROXY_ENDPOINT_FUNCTION)worker_wrappers[n])
            return n;
    }
    return -1;
}
