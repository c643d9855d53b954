/* lock.c - what a thread holds through the lock DDIs, the wait a contended lock makes, and
 * the check that a routine returns holding nothing it took (rule held-at-return).
 *
 * Every lock whose acquire can block (fast and guarded mutexes, resources, push locks) embeds
 * a dispatcher object and blocks on it through hh_lock_wait, as the kernel's do: that call is
 * the one place a contended lock lets another thread run.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

void hh_held_push(PKTHREAD t, const void *lock, const char *kind, const char *file, int line)
{
    if (t->nheld < HH_HELD_MAX) {
        struct hh_held *h = &t->held[t->nheld];
        h->lock = lock;
        h->kind = kind;
        h->file = file;
        h->line = line;
    }
    t->nheld++;
}

static int held_index(PKTHREAD t, const void *lock, const char *kind)
{
    unsigned n = t->nheld < HH_HELD_MAX ? t->nheld : HH_HELD_MAX;
    while (n-- > 0) {
        if (t->held[n].lock == lock && strcmp(t->held[n].kind, kind) == 0)
            return (int)n;
    }
    return -1;
}

int hh_held_pop(PKTHREAD t, const void *lock, const char *kind)
{
    int i = held_index(t, lock, kind);
    unsigned stored = t->nheld < HH_HELD_MAX ? t->nheld : HH_HELD_MAX;
    if (i < 0) {
        /* Past HH_HELD_MAX the records are gone: the count alone stays right. */
        if (t->nheld > HH_HELD_MAX) {
            t->nheld--;
            return 1;
        }
        return 0;
    }
    memmove(&t->held[i], &t->held[i + 1], (stored - (unsigned)i - 1) * sizeof(t->held[0]));
    t->nheld--;
    return 1;
}

const struct hh_held *hh_held_find(PKTHREAD t, const void *lock, const char *kind)
{
    int i = held_index(t, lock, kind);
    return i < 0 ? NULL : &t->held[i];
}

const struct hh_held *hh_held_kind(PKTHREAD t, const char *kind)
{
    unsigned n = t->nheld < HH_HELD_MAX ? t->nheld : HH_HELD_MAX;
    while (n-- > 0) {
        if (strcmp(t->held[n].kind, kind) == 0)
            return &t->held[n];
    }
    return NULL;
}

const char *hh_held_site(const struct hh_held *h, char *buf, size_t len)
{
    if (h && h->file)
        snprintf(buf, len, " (taken at %s:%d)", h->file, h->line);
    else if (len)
        buf[0] = '\0';
    return buf;
}

unsigned hh_kmutexes_held(PKTHREAD t)
{
    unsigned n = 0;
    const LIST_ENTRY *p;
    if (!t->mutants.Flink)
        return 0;
    for (p = t->mutants.Flink; p != &t->mutants; p = p->Flink) {
        const KMUTANT *m = (const KMUTANT *)((const char *)p - offsetof(KMUTANT, MutantListEntry));
        n += m->ApcDisable != 0;
    }
    return n;
}

NTSTATUS hh_lock_wait(struct hh_engine *e, PKTHREAD t, PVOID object, const char *what)
{
    struct hh_wait w;
    NTSTATUS status;
    memset(&w, 0, sizeof(w));
    w.count = 1;
    w.objects[0] = object;
    w.type = WaitAny;
    w.mode = KernelMode;
    w.alertable = FALSE;
    w.has_deadline = FALSE;
    w.timeout_status = STATUS_TIMEOUT;
    snprintf(t->lock_wait, sizeof(t->lock_wait), "%s", what);
    status = hh_wait_begin(e, t, &w);
    if (status == STATUS_PENDING)
        status = hh_wait_block(e, t);
    t->lock_wait[0] = '\0';
    return status;
}

/* ---- held-at-return ------------------------------------------------------------------- */

/* Names what the routine took in this call and still holds: the newest record first. */
static void describe_held(PKTHREAD t, char *buf, size_t len)
{
    size_t used = 0;
    unsigned i = t->nheld < HH_HELD_MAX ? t->nheld : HH_HELD_MAX;
    buf[0] = '\0';
    while (i-- > t->nheld_at_call && used + 1 < len) {
        const struct hh_held *h = &t->held[i];
        char site[300];
        if (h->file)
            snprintf(site, sizeof(site), " %s at %s:%d", h->lock ? "taken" : "entered",
                     h->file, h->line);
        else
            site[0] = '\0';
        used += (size_t)snprintf(buf + used, len - used, "%sa %s%s", used ? "; " : "",
                                 h->kind, site);
    }
}

void hh__check_held_at_return(struct hh_engine *e)
{
    PKTHREAD t = e->worker;
    unsigned kmutexes = hh_kmutexes_held(t);
    char what[900];
    if (e->failed)
        return;
    if (t->nheld > t->nheld_at_call) {
        describe_held(t, what, sizeof(what));
        hh_engine_fail(e, HH_RULE_HELD_AT_RETURN,
                       "the routine returned still holding what it took in this call: %s. A "
                       "worker routine must return in the state it was called in, as the "
                       "executive's worker loops require of their callbacks; release every "
                       "lock and leave every region before returning",
                       what);
    } else if (kmutexes > t->kmutexes_at_call) {
        /* The newest KMUTEX it owns: the list is in acquisition order. */
        const LIST_ENTRY *p = t->mutants.Blink;
        const KMUTANT *m = NULL;
        for (; p != &t->mutants && !m; p = p->Blink) {
            const KMUTANT *c = (const KMUTANT *)((const char *)p -
                                                 offsetof(KMUTANT, MutantListEntry));
            if (c->ApcDisable)
                m = c;
        }
        hh_engine_fail(e, HH_RULE_HELD_AT_RETURN,
                       "the routine returned holding %s, which it acquired in this call (a "
                       "KMUTEX held disables normal kernel APCs, as a critical region does). A "
                       "worker routine must return in the state it was called in; release it "
                       "with KeReleaseMutex before returning",
                       hh_engine_describe_object(e, (PVOID)m, what, sizeof(what)));
    }
}

void hh_held_check_code(struct hh_engine *e, PKTHREAD t, const char *who, unsigned nheld_before,
                        unsigned spinlocks_before)
{
    char what[900];
    unsigned saved = t->nheld_at_call;
    if (e->failed || (t->nheld <= nheld_before && t->spinlocks <= spinlocks_before))
        return;
    t->nheld_at_call = nheld_before;
    describe_held(t, what, sizeof(what));
    t->nheld_at_call = saved;
    hh_engine_fail(e, HH_RULE_HELD_AT_RETURN,
                   "%s returned still holding what it took: %s%s%s. Code the system calls "
                   "back must return in the state it was called in",
                   who, what, what[0] && t->spinlocks > spinlocks_before ? "; " : "",
                   t->spinlocks > spinlocks_before ? "a spin lock" : "");
}
