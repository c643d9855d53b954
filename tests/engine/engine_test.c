/* engine_test.c - the fixtures behind engine_test.h.
 *
 * Only the engine's exported entry points and the kernel shim are used, as any driver of
 * the engine would; the start context is built the way a driver builds it (allocated with
 * room for its Events) and handed to the worker, which copies it.
 */
#include "engine_test.h"

#include <stdio.h>
#include <stdlib.h>

struct hh_engine *et_engine(void)
{
    struct hh_engine *e = hh_engine_new();
    CHECK(e != NULL);
    hh_engine_make_current(e);
    return e;
}

void et_done(struct hh_engine *e)
{
    hh_engine_make_current(NULL);
    hh_engine_free(e);
}

LARGE_INTEGER et_relative(hh_time ticks)
{
    LARGE_INTEGER t;
    t.QuadPart = -(LONGLONG)ticks;
    return t;
}

LARGE_INTEGER et_absolute(hh_time at)
{
    LARGE_INTEGER t;
    t.QuadPart = HH_SYSTEM_TIME_BASE + (LONGLONG)at;
    return t;
}

LARGE_INTEGER et_zero(void)
{
    LARGE_INTEGER t;
    t.QuadPart = 0;
    return t;
}

NTSTATUS et_begin(struct hh_engine *e, PKTHREAD t, WAIT_TYPE type, ULONG count,
                  PVOID const *objects, KPROCESSOR_MODE mode, BOOLEAN alertable,
                  const LARGE_INTEGER *timeout)
{
    struct hh_wait w;
    ULONG i;
    memset(&w, 0, sizeof(w));
    CHECK(count <= MAXIMUM_WAIT_OBJECTS);
    for (i = 0; i < count; i++)
        w.objects[i] = objects[i];
    w.count = count;
    w.type = type;
    w.mode = mode;
    w.alertable = alertable;
    w.timeout_status = STATUS_TIMEOUT;
    hh_wait_set_timeout(e, &w, timeout);
    return hh_wait_begin(e, t, &w);
}

NTSTATUS et_poll(struct hh_engine *e, PKTHREAD t, WAIT_TYPE type, ULONG count,
                 PVOID const *objects)
{
    LARGE_INTEGER zero = et_zero();
    return et_begin(e, t, type, count, objects, KernelMode, FALSE, &zero);
}

int et_as(struct hh_engine *e, PKTHREAD t, void (*fn)(void *arg), void *arg)
{
    struct _KTHREAD *saved = e->current;
    int rc;
    e->current = t;
    rc = hh_engine_guarded(e, fn, arg);
    e->current = saved;
    return rc;
}

BOOLEAN et_routine_fn(PVOID context, NTSTATUS status)
{
    struct et_routine *r = context;
    unsigned n = r->calls++;
    if (r->e->current != r->e->worker)
        r->ran_as_other = 1;
    if (n < ET_MAX_CALLS) {
        r->status[n] = status;
        r->time[n] = r->e->now;
        r->irql[n] = KeGetCurrentIrql();
        r->context[n] = context;
    }
    if (r->body)
        r->body(r, status);
    return n < r->script_len ? r->script[n] : r->answer;
}

static void on_invocation(void *user, const struct hh_invocation *inv)
{
    struct et_routine *r = user;
    if (r->reported < ET_MAX_CALLS) {
        r->inv[r->reported] = *inv;
        r->inv[r->reported].log = NULL; /* points into the engine's buffer */
    }
    r->reported++;
}

void et_configure(struct hh_engine *e, struct et_routine *r, const struct et_start *s)
{
    size_t size = offsetof(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
                  (s->count ? s->count : 1) * sizeof(PKEVENT);
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start = calloc(1, size);
    ULONG i;
    CHECK(start != NULL);
    r->e = e;
    start->WorkerRoutine = et_routine_fn;
    start->Context = r;
    start->WaitType = s->type;
    start->WaitReason = Executive;
    start->WaitMode = s->mode;
    start->Altertable = s->alertable;
    start->HasTimeout = s->has_timeout;
    start->Timeout.QuadPart = s->timeout;
    start->EventCount = s->count;
    for (i = 0; i < s->count; i++)
        start->Events[i] = s->objects[i];
    hh_worker_configure(e, start, s->true_means, on_invocation, r);
    /* The kernel copied it: the caller's copy may go at once. */
    free(start);
}

void et_explore_worker(struct hh_engine *e, hh_explore_choose_fn choose, void *user,
                       struct hh_explore_log *log, struct hh_ex_pool *pool,
                       struct et_routine *r, struct et_start *s, PVOID object,
                       void (*body)(struct et_routine *r, NTSTATUS status))
{
    memset(log, 0, sizeof(*log));
    CHECK_EQ(hh_explore_begin(e, choose, user, log, pool), 0);
    memset(r, 0, sizeof(*r));
    memset(s, 0, sizeof(*s));
    s->type = WaitAny;
    s->count = 1;
    s->objects[0] = object;
    r->answer = TRUE; /* continue */
    r->body = body;
    et_configure(e, r, s);
    hh_worker_start(e);
}
