/* livelock.c - why a worker that never blocks spins: the cause a livelock's report names,
 * and the usual fix, from the status the worker kept getting and the wait it makes.
 *
 * A wait ends at once, again and again, for one of a few reasons: an object that a wait
 * does not reset (a notification event or timer) stays signaled, a mutex the worker owns is
 * acquired again, a semaphore still has units, the timeout is 0 (a poll) or an absolute
 * time already past. Each has its own fix; naming the wrong one sends the author astray.
 */
#include "engine_int.h"

#include <stdio.h>

#include "common/status.h"

/* The fix for an object `what` ("'work' (notification event)") the wait keeps taking. */
static void object_cause(struct hh_engine *e, PVOID object, char *buf, size_t len)
{
    const DISPATCHER_HEADER *h = object;
    char what[160];
    hh_engine_describe_object(e, object, what, sizeof(what));
    switch (h->HhKind) {
    case HH_OBJECT_NOTIFICATION_EVENT:
        snprintf(buf, len,
                 "%s stayed signaled: a wait does not reset a notification event, so every "
                 "wait ends at once; clear it (KeClearEvent) once its work is drained, or make "
                 "it a synchronization event",
                 what);
        return;
    case HH_OBJECT_NOTIFICATION_TIMER:
        snprintf(buf, len,
                 "%s stayed signaled: a wait does not reset a notification timer, so every "
                 "wait ends at once; set it again or cancel it (KeSetTimer, KeCancelTimer) "
                 "once handled, or make it a synchronization timer",
                 what);
        return;
    case HH_OBJECT_MUTEX:
    case HH_OBJECT_MUTANT:
        snprintf(buf, len,
                 "%s is owned by the worker, so every wait acquires it again at once "
                 "(recursively); release it (KeReleaseMutex) before returning",
                 what);
        return;
    case HH_OBJECT_SEMAPHORE:
        snprintf(buf, len,
                 "%s still has units (count %ld), and every wait takes one at once; release "
                 "it only for work that is queued",
                 what, (long)h->SignalState);
        return;
    default:
        snprintf(buf, len,
                 "%s is signaled again before every wait (by the routine itself, or a DPC it "
                 "queues): signal it only when there is new work",
                 what);
        return;
    }
}

/* The object of a WaitAll that a wait does not reset and keeps signaled, or NULL. */
static PVOID wait_all_culprit(const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *s)
{
    ULONG i;
    for (i = 0; i < s->EventCount; i++) {
        const DISPATCHER_HEADER *h = (const DISPATCHER_HEADER *)s->Events[i];
        if (h->HhKind == HH_OBJECT_NOTIFICATION_EVENT || h->HhKind == HH_OBJECT_NOTIFICATION_TIMER)
            return s->Events[i];
    }
    return s->EventCount ? s->Events[0] : NULL;
}

void hh__livelock_cause(struct hh_engine *e, NTSTATUS status, char *buf, size_t len)
{
    const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *s = e->start;
    ULONG index = (ULONG)status & 0x3F;
    int waited = status >= STATUS_WAIT_0 && status <= STATUS_WAIT_63;
    int abandoned = status >= STATUS_ABANDONED_WAIT_0 && status <= STATUS_ABANDONED_WAIT_63;
    if (s && status == STATUS_TIMEOUT && s->HasTimeout && s->Timeout.QuadPart == 0) {
        snprintf(buf, len, "the wait's timeout is 0, a poll: every wait ends at once with "
                           "STATUS_TIMEOUT; answer it with terminate, or wait with a timeout "
                           "that lets time pass");
    } else if (s && status == STATUS_TIMEOUT && s->HasTimeout && s->Timeout.QuadPart > 0) {
        snprintf(buf, len, "the wait's absolute timeout has passed: every wait ends at once "
                           "with STATUS_TIMEOUT; answer it with terminate, or use a relative "
                           "timeout");
    } else if (s && (waited || abandoned) && s->WaitType == WaitAll) {
        PVOID culprit = wait_all_culprit(s);
        if (culprit)
            object_cause(e, culprit, buf, len);
        else
            snprintf(buf, len, "the WaitAll's objects stay signaled");
    } else if (s && (waited || abandoned) && index < s->EventCount) {
        object_cause(e, s->Events[index], buf, len);
    } else {
        char name[48];
        snprintf(buf, len,
                 "the worker's wait ends at once with %s (0x%08X) each time (an alert or APC "
                 "queued again, or a status delivered from outside the model)",
                 hh_status_name(status, name, sizeof(name)), (unsigned)status);
    }
}
