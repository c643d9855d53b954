/* wait.c - KeWaitForMultipleObjects: the test on entry, blocking, and waking.
 *
 * On entry (WAIT-SEMANTICS §3): the object test (WaitAny: lowest satisfiable index, its side
 * effect alone; WaitAll: all or nothing), then the alert/APC test, then the timeout test.
 * A blocked WaitAny waiter is handed the object by the signaller; a WaitAll waiter is woken to
 * test again when it runs. The thread's own wait timer completes it with STATUS_TIMEOUT.
 */
#include "engine_int.h"
#include "platform/plat.h"

#include <stdio.h>
#include <string.h>

/* The object test. Returns the status, or STATUS_PENDING when the wait is not satisfied. */
static NTSTATUS test_objects(struct hh_engine *e, struct _KTHREAD *t, const struct hh_wait *w)
{
    ULONG i;
    NTSTATUS abandoned = STATUS_SUCCESS;
    if (w->type == WaitAny) {
        for (i = 0; i < w->count; i++) {
            DISPATCHER_HEADER *h = w->objects[i];
            if (hh__satisfiable(t, h))
                return (NTSTATUS)i | hh__satisfy(e, t, h);
        }
        return STATUS_PENDING;
    }
    for (i = 0; i < w->count; i++) {
        DISPATCHER_HEADER *h = w->objects[i];
        if (!hh__satisfiable(t, h))
            return STATUS_PENDING;
        /* An owned mutex at MINLONG raises during the test, before any side effect (ros-wait). */
        if (h->SignalState == MINLONG)
            return hh__satisfy(e, t, h);
    }
    /* Every side effect, in array order; a repeated entry is satisfied once per entry. */
    for (i = 0; i < w->count; i++)
        abandoned |= hh__satisfy(e, t, w->objects[i]);
    return abandoned ? STATUS_ABANDONED : STATUS_SUCCESS;
}

/* KiCheckAlertability. Returns STATUS_ALERTED, STATUS_USER_APC or STATUS_PENDING. A user APC
 * runs only on the way back to user mode, where a system thread never goes: it stays queued and
 * UserApcPending stays set, so every later UserMode wait, alertable or not, returns
 * STATUS_USER_APC at once. */
static NTSTATUS test_alerts(struct _KTHREAD *t, const struct hh_wait *w)
{
    if (!w->alertable)
        return w->mode == UserMode && t->user_apc_pending ? STATUS_USER_APC : STATUS_PENDING;
    if (t->alerted[(int)w->mode]) {
        t->alerted[(int)w->mode] = FALSE;
        return STATUS_ALERTED;
    }
    if (w->mode == UserMode && t->user_apcs) {
        t->user_apc_pending = TRUE;
        return STATUS_USER_APC;
    }
    if (t->alerted[KernelMode]) {
        t->alerted[KernelMode] = FALSE;
        return STATUS_ALERTED;
    }
    return STATUS_PENDING;
}

static void set_hints(const struct hh_wait *w, UCHAR value)
{
    ULONG i;
    for (i = 0; i < w->count; i++)
        ((DISPATCHER_HEADER *)w->objects[i])->WaitListHint = value;
}

/* Whether a thread other than t is still blocked on h. */
static UCHAR still_waited(const struct hh_engine *e, const struct _KTHREAD *t,
                          const DISPATCHER_HEADER *h)
{
    const struct _KTHREAD *o;
    ULONG i;
    for (o = e->threads; o; o = o->next) {
        if (o == t || !o->blocked || o->has_pending)
            continue;
        for (i = 0; i < o->wait.count; i++) {
            if (o->wait.objects[i] == (PVOID)h)
                return 1;
        }
    }
    return 0;
}

/* t has stopped waiting: an object keeps its hint while another thread waits on it, so that
 * a later signal still wakes that one (two waiters on one semaphore, say). */
static void drop_hints(const struct hh_engine *e, const struct _KTHREAD *t)
{
    const struct _KTHREAD *o;
    ULONG i;
    /* Most often t was the only thread waiting: then no object needs the search. */
    for (o = e->threads; o; o = o->next) {
        if (o != t && o->blocked && !o->has_pending)
            break;
    }
    for (i = 0; i < t->wait.count; i++) {
        DISPATCHER_HEADER *h = t->wait.objects[i];
        h->WaitListHint = o ? still_waited(e, t, h) : 0;
    }
}

void hh__drop_wait(struct hh_engine *e, struct _KTHREAD *t)
{
    if (t->blocked) {
        t->blocked = FALSE;
        drop_hints(e, t);
        if (t->wait_timer.Header.Inserted)
            hh__timer_remove(e, &t->wait_timer);
    }
    t->has_pending = FALSE;
    t->retest = FALSE;
}

void hh_wait_set_timeout(struct hh_engine *e, struct hh_wait *w, const LARGE_INTEGER *timeout)
{
    if (!timeout) {
        w->has_deadline = FALSE;
        w->deadline = 0;
        return;
    }
    w->has_deadline = TRUE;
    w->deadline = hh__deadline(e->now, timeout->QuadPart);
}

/* t's copy of the wait it blocks in. */
static void keep_wait(struct hh_engine *e, struct _KTHREAD *t, const struct hh_wait *w)
{
    t->wait_from = w == &e->start_wait ? w : NULL; /* another may reuse a stack address */
    t->wait.count = w->count;
    /* Most waits name one or two objects: those are assigned, not copied by memcpy, which
     * the fuzzing build's AddressSanitizer checks at every call, the harness's too
     * (docs/fuzzing.md, "exec/s against the bare target"). */
    if (w->count > 0)
        t->wait.objects[0] = w->objects[0];
    if (w->count > 1)
        t->wait.objects[1] = w->objects[1];
    if (w->count > 2)
        memcpy(t->wait.objects + 2, w->objects + 2, (w->count - 2) * sizeof(w->objects[0]));
    t->wait.type = w->type;
    t->wait.mode = w->mode;
    t->wait.alertable = w->alertable;
    t->wait.has_deadline = w->has_deadline;
    t->wait.deadline = w->deadline;
    t->wait.timeout_status = w->timeout_status;
}

NTSTATUS hh_wait_begin(struct hh_engine *e, PKTHREAD t, const struct hh_wait *w)
{
    NTSTATUS status = test_objects(e, t, w);
    if (status != STATUS_PENDING)
        return status;
    status = test_alerts(t, w);
    if (status != STATUS_PENDING)
        return status;
    if (w->has_deadline && w->deadline <= e->now)
        return w->timeout_status;

    t->blocked = TRUE;
    t->wait_seq = ++e->wait_seq;
    t->has_pending = FALSE;
    t->retest = FALSE;
    if (w == t->wait_from) /* the worker's start wait again: only its deadline moved */
        t->wait.deadline = w->deadline;
    else
        keep_wait(e, t, w);
    set_hints(w, 1);
    if (w->has_deadline)
        hh__timer_insert(e, &t->wait_timer, w->deadline);
    return STATUS_PENDING;
}

void hh__unwait(struct hh_engine *e, struct _KTHREAD *t, NTSTATUS status)
{
    t->blocked = FALSE;
    t->retest = FALSE;
    t->has_pending = TRUE;
    t->pending_status = status;
    drop_hints(e, t);
    if (t->wait_timer.Header.Inserted)
        hh__timer_remove(e, &t->wait_timer);
    if (e->rt)
        hh__rt_wake(e, t);
    else if (t->sim)
        hh__sched_readied(e, t);
}

void hh_wait_complete(struct hh_engine *e, PKTHREAD t, NTSTATUS status)
{
    if (t->blocked && !t->has_pending)
        hh__unwait(e, t, status);
}

NTSTATUS hh_wait_poll(struct hh_engine *e, PKTHREAD t)
{
    if (t->has_pending) {
        t->has_pending = FALSE;
        return t->pending_status;
    }
    if (t->blocked && t->retest) {
        NTSTATUS status;
        t->retest = FALSE;
        /* Woken with STATUS_KERNEL_APC, the waiter runs the whole test again (objects, alert/APC,
         * timeout) and waits on with its timer re-armed for the same deadline (ros-wait, §1.3). */
        status = test_objects(e, t, &t->wait);
        if (status == STATUS_PENDING)
            status = test_alerts(t, &t->wait);
        if (status == STATUS_PENDING && t->wait.has_deadline && t->wait.deadline <= e->now)
            status = t->wait.timeout_status;
        if (status != STATUS_PENDING) {
            hh__unwait(e, t, status);
            t->has_pending = FALSE;
            return status;
        }
        if (t->wait.has_deadline) {
            if (t->wait_timer.Header.Inserted)
                hh__timer_remove(e, &t->wait_timer);
            hh__timer_insert(e, &t->wait_timer, t->wait.deadline);
        }
    }
    return STATUS_PENDING;
}

/* The thread blocked on h that began its wait first after `after` (0: the first of all);
 * *index gets where h is in its wait. NULL when none is left. */
static struct _KTHREAD *next_waiter(struct hh_engine *e, const DISPATCHER_HEADER *h,
                                    uint64_t after, ULONG *index)
{
    struct _KTHREAD *t, *best = NULL;
    for (t = e->threads; t; t = t->next) {
        ULONG i;
        if (!t->blocked || t->has_pending || t->wait_seq <= after ||
            (best && t->wait_seq > best->wait_seq))
            continue;
        /* A WaitAll waiter already woken to test again gains nothing from another wake, and
         * passing it over leaves the order of the others as it was: skip the search. */
        if (t->retest)
            continue;
        for (i = 0; i < t->wait.count && t->wait.objects[i] != (PVOID)h; i++)
            ;
        if (i < t->wait.count) {
            best = t;
            *index = i;
        }
    }
    return best;
}

void hh__signal(struct hh_engine *e, DISPATCHER_HEADER *h)
{
    struct _KTHREAD *t;
    uint64_t after = 0;
    ULONG i = 0;
    if (!h->WaitListHint)
        return;
    /* The wait list is first in, first out: the waiter that began first is served first. */
    while (h->SignalState > 0 && (t = next_waiter(e, h, after, &i)) != NULL) {
        after = t->wait_seq;
        if (t->wait.type == WaitAll) {
            t->retest = TRUE; /* STATUS_KERNEL_APC: it tests again when it runs */
            if (e->rt)
                hh__rt_wake(e, t);
            else if (t->sim)
                hh__sched_readied(e, t);
            continue;
        }
        if (hh__satisfiable(t, h))
            hh__unwait(e, t, (NTSTATUS)i | hh__satisfy(e, t, h));
    }
}

/* Lists what a deadlocked wait waits on, for the report. */
static void describe_wait(struct hh_engine *e, const struct hh_wait *w, char *buf, size_t len)
{
    size_t used = 0;
    ULONG i;
    buf[0] = '\0';
    for (i = 0; i < w->count && used + 1 < len; i++) {
        char what[160];
        int n = snprintf(buf + used, len - used, "%s%s [%s]", i ? ", " : "",
                         hh_engine_describe_object(e, w->objects[i], what, sizeof(what)),
                         ((DISPATCHER_HEADER *)w->objects[i])->SignalState > 0 ? "signaled"
                                                                               : "not signaled");
        if (n < 0)
            break;
        used += (size_t)n;
    }
    if (used >= len)
        used = len - 1;
    buf[used] = '\0';
}

/* "; the wait is KeWaitForSingleObject called from Routine at file.c:42 (libm.so+0x1234)", or
 * "" when the wait's routine is unknown. */
static void call_site_text(const struct _KTHREAD *t, char *buf, size_t len)
{
    char site[600];
    buf[0] = '\0';
    if (t->wait_routine && t->wait_caller &&
        hh_plat_code_site(t->wait_caller, 1, site, sizeof(site)))
        snprintf(buf, len, "; the wait is %s called from %s", t->wait_routine, site);
    else if (t->wait_routine)
        snprintf(buf, len, "; the wait is %s", t->wait_routine);
}

NTSTATUS hh_wait_block(struct hh_engine *e, PKTHREAD t)
{
    for (;;) {
        NTSTATUS status = hh_wait_poll(e, t);
        if (status != STATUS_PENDING)
            return status;
        if (e->explore && hh__ex_wait(e, t))
            continue; /* other explored threads ran; or time must move (below) */
        if (e->sched && hh__sched_is_self(t)) {
            /* A system thread blocks: the baton goes back to the scheduler, and this thread
             * runs again once its wait completed. */
            hh__sched_block(e, t);
            continue;
        }
        if (!e->rt && hh_work_pending(e)) {
            hh_work_run(e); /* the blocked thread yields to the system worker first */
            continue;
        }
        /* Then to ready system threads, and to the worker when its own wait completed (a
         * driver that sets the worker's stop event and waits for its thread to end). */
        if (e->sched && hh_sched_run_ready(e))
            continue;
        if (!e->rt && !e->explore && hh__worker_resume(e, t))
            continue;
        /* Virtual clock: on to the next timer. Real clock: the OS thread sleeps. */
        if (e->rt ? !hh__rt_block(e, t)
                  : e->failed || hh_engine_expire_next(e, INT64_MAX) != 0) {
            char objects[700], call[700], who[80];
            describe_wait(e, &t->wait, objects, sizeof(objects));
            call_site_text(t, call, sizeof(call));
            t->blocked = FALSE;
            drop_hints(e, t);
            if (t->lock_wait[0])
                hh_engine_abort(e, HH_RULE_DEADLOCK,
                                "%s, and no timer is left that could make its owner release "
                                "it: %s",
                                t->lock_wait,
                                e->rt ? "the scenario's next step waits for the worker to "
                                        "block in its own wait, so nothing else ever will"
                                      : "no scenario step happens while the routine runs, so "
                                        "nothing else ever will");
            if (t == e->worker)
                snprintf(who, sizeof(who), "the routine");
            else
                snprintf(who, sizeof(who), "code running as the thread '%s'", t->name);
            hh_engine_abort(e, HH_RULE_DEADLOCK,
                            "%s waits forever (%s, %s) on %s%s, no thread is ready and no "
                            "timer is left that could end the wait: %s%s",
                            who, t->wait.type == WaitAny ? "WaitAny" : "WaitAll",
                            t->wait.has_deadline ? "a relative timeout thousands of years long"
                                                 : "no timeout",
                            t->wait.count ? objects : "nothing",
                            t->wait.alertable ? " (alertable, but nothing alerts it)" : "",
                            t != e->worker
                                ? "the worker is blocked in its own wait, and nothing else runs "
                                  "until this code returns"
                            : e->rt ? "the scenario's next step waits for the worker to block "
                                      "in its own wait, so nothing else ever will"
                                    : "no scenario step happens while the routine runs, so "
                                      "nothing else ever will",
                            call);
        }
    }
}
