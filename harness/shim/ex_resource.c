/* ex_resource.c - ERESOURCE, the executive's reader/writer lock: ExInitializeResourceLite and
 * the rest of the Ex*Resource* family.
 *
 * Grants follow the Learn pages of each acquire (docs/semantics.md, "Locks"): exclusive is
 * recursive, and a shared request by the exclusive owner is granted as a further exclusive
 * hold; a shared owner asking for exclusive waits for itself (rule "deadlock"); a new shared
 * request waits behind an exclusive waiter, except ExAcquireSharedStarveExclusive; and
 * ExAcquireSharedWaitForExclusive makes even a shared owner wait behind one. Every acquire
 * requires normal kernel APCs off (a critical region). Waiters block on the embedded
 * semaphore (shared) or synchronization event (exclusive) through hh_lock_wait; the release
 * that frees the resource grants it to them before they run, shared waiters first after an
 * exclusive owner, as ReactOS's ExReleaseResourceLite does.
 */
#define HOTSWAP_NO_LOCK_SITES
#include "lock_common.h"

#include <stdio.h>
#include <string.h>

#define RESOURCE_MAGIC 0x53455245u /* "ERES" */
#define KIND "resource"
/* The exclusive grant made for a waiter that has not run yet. */
#define GRANT_PENDING ((ERESOURCE_THREAD)1)

static const char *const acquire_name[] = {
    "ExAcquireResourceExclusiveLite", "ExAcquireResourceSharedLite",
    "ExAcquireSharedStarveExclusive", "ExAcquireSharedWaitForExclusive"};

static void init(PERESOURCE r)
{
    memset(r, 0, sizeof(*r));
    r->SharedWaiters.Header.Type = HH_OBJECT_SEMAPHORE;
    r->SharedWaiters.Limit = MAXLONG;
    r->ExclusiveWaiters.Header.Type = HH_OBJECT_SYNCHRONIZATION_EVENT;
    r->HhMagic = RESOURCE_MAGIC;
}

static void check_init(struct hh_engine *e, const char *routine, PERESOURCE r)
{
    hh_lock_require_init(e, routine, KIND, r, r->HhMagic, RESOURCE_MAGIC,
                         "ExInitializeResourceLite");
}

static int exclusive(const ERESOURCE *r)
{
    return (r->Flag & ResourceOwnedExclusive) != 0;
}

static POWNER_ENTRY find_entry(PERESOURCE r, ERESOURCE_THREAD id)
{
    int i;
    for (i = 0; i < HH_RESOURCE_OWNERS; i++) {
        if (r->OwnerTable[i].OwnerCount && r->OwnerTable[i].OwnerThread == id)
            return &r->OwnerTable[i];
    }
    return NULL;
}

static POWNER_ENTRY new_entry(struct hh_engine *e, const char *routine, PERESOURCE r,
                              ERESOURCE_THREAD id)
{
    char name[480];
    int i;
    for (i = 0; i < HH_RESOURCE_OWNERS; i++) {
        if (!r->OwnerTable[i].OwnerCount) {
            r->OwnerTable[i].OwnerThread = id;
            r->OwnerTable[i].OwnerCount = 1;
            return &r->OwnerTable[i];
        }
    }
    hh_engine_abort(e, HH_RULE_LOCK,
                    "%s: more than %d owners hold %s at once, past what the harness tracks",
                    routine, HH_RESOURCE_OWNERS, hh_lock_name(e, KIND, r, name, sizeof(name)));
}

/* The resource just became free: exclusive waiters or shared waiters get it now. */
static void grant_waiters(struct hh_engine *e, PERESOURCE r, int was_exclusive)
{
    LONG prev;
    if (r->NumberOfSharedWaiters && (was_exclusive || !r->NumberOfExclusiveWaiters)) {
        r->ActiveEntries = (USHORT)r->NumberOfSharedWaiters; /* each takes its entry on waking */
        hh_semaphore_release(e, &r->SharedWaiters, (LONG)r->NumberOfSharedWaiters, &prev);
        r->NumberOfSharedWaiters = 0;
    } else if (r->NumberOfExclusiveWaiters) {
        r->Flag |= ResourceOwnedExclusive;
        r->OwnerTable[0].OwnerThread = GRANT_PENDING;
        r->OwnerTable[0].OwnerCount = 1;
        r->ActiveEntries = 1;
        r->NumberOfExclusiveWaiters--;
        hh_event_set(e, &r->ExclusiveWaiters);
    }
}

/* Whether t (owning `mine`, or NULL) gets the resource now; sets *deadlock when it never can. */
static int grantable(const ERESOURCE *r, int how, const OWNER_ENTRY *mine, int *deadlock)
{
    *deadlock = 0;
    if (r->ActiveEntries == 0)
        return 1;
    if (exclusive(r))
        return mine != NULL; /* recursive, whatever was asked */
    if (how == HH_RESOURCE_EXCLUSIVE) {
        *deadlock = mine != NULL; /* a shared owner waits for its own release */
        return 0;
    }
    if (mine) {
        /* Only WaitForExclusive lets an exclusive waiter go before a shared owner. */
        *deadlock = how == HH_RESOURCE_WAIT_FOR_EXCLUSIVE && r->NumberOfExclusiveWaiters;
        return !*deadlock;
    }
    return how == HH_RESOURCE_STARVE_EXCLUSIVE || !r->NumberOfExclusiveWaiters;
}

BOOLEAN HhExAcquireResourceAt(PERESOURCE Resource, BOOLEAN Wait, int How, const char *File,
                              int Line)
{
    const char *routine = acquire_name[How & 3];
    struct hh_engine *e = hh_shim_enter(routine);
    PKTHREAD t = e->current;
    ERESOURCE_THREAD id = (ERESOURCE_THREAD)t;
    POWNER_ENTRY mine;
    int deadlock;
    char name[480], call[300];
    hh_shim_require_irql(e, routine, APC_LEVEL);
    check_init(e, routine, Resource);
    if (!hh_lock_apcs_disabled(t))
        hh_engine_abort(e, HH_RULE_LOCK,
                        "%s by thread '%s' with normal kernel APCs enabled: the Learn page "
                        "requires KeEnterCriticalRegion before it, kept until the release (a "
                        "thread suspended while it holds the resource stalls every thread that "
                        "needs it)",
                        hh_lock_call(routine, File, Line, call, sizeof(call)), t->name);
    mine = find_entry(Resource, id);
    if (grantable(Resource, How, mine, &deadlock)) {
        if (mine)
            mine->OwnerCount++;
        else {
            if (How == HH_RESOURCE_EXCLUSIVE)
                Resource->Flag |= ResourceOwnedExclusive;
            new_entry(e, routine, Resource, id);
            Resource->ActiveEntries++;
            hh_held_push(t, Resource, KIND, File, Line);
        }
        hh_shim_leave(e);
        return TRUE;
    }
    if (!Wait) {
        hh_shim_leave(e);
        return FALSE;
    }
    if (deadlock) {
        char site[300];
        hh_engine_abort(e, HH_RULE_DEADLOCK,
                        "%s: thread '%s' holds %s shared%s and waits %s; it waits for its own "
                        "release and the kernel deadlocks",
                        hh_lock_call(routine, File, Line, call, sizeof(call)), t->name,
                        hh_lock_name(e, KIND, Resource, name, sizeof(name)),
                        hh_held_site(hh_held_find(t, Resource, KIND), site, sizeof(site)),
                        How == HH_RESOURCE_EXCLUSIVE
                            ? "for exclusive access (release the shared hold first)"
                            : "behind an exclusive waiter, which waits for it");
    }
    {
        char what[700];
        Resource->ContentionCount++;
        snprintf(what, sizeof(what), "%s: thread '%s' waits for %s, which %s holds %s",
                 hh_lock_call(routine, File, Line, call, sizeof(call)), t->name,
                 hh_lock_name(e, KIND, Resource, name, sizeof(name)),
                 exclusive(Resource) ? "another thread" : "a shared owner",
                 exclusive(Resource) ? "exclusively" : "shared");
        if (How == HH_RESOURCE_EXCLUSIVE) {
            Resource->NumberOfExclusiveWaiters++;
            hh_lock_wait(e, t, &Resource->ExclusiveWaiters, what);
            Resource->OwnerTable[0].OwnerThread = id; /* grant_waiters made the entry */
        } else {
            Resource->NumberOfSharedWaiters++;
            hh_lock_wait(e, t, &Resource->SharedWaiters, what);
            new_entry(e, routine, Resource, id); /* ActiveEntries counted it already */
        }
    }
    hh_held_push(t, Resource, KIND, File, Line);
    hh_shim_leave(e);
    return TRUE;
}

BOOLEAN ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait)
{
    return HhExAcquireResourceAt(Resource, Wait, HH_RESOURCE_EXCLUSIVE, NULL, 0);
}

BOOLEAN ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait)
{
    return HhExAcquireResourceAt(Resource, Wait, HH_RESOURCE_SHARED, NULL, 0);
}

BOOLEAN ExAcquireSharedStarveExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    return HhExAcquireResourceAt(Resource, Wait, HH_RESOURCE_STARVE_EXCLUSIVE, NULL, 0);
}

BOOLEAN ExAcquireSharedWaitForExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    return HhExAcquireResourceAt(Resource, Wait, HH_RESOURCE_WAIT_FOR_EXCLUSIVE, NULL, 0);
}

/* The thread of the engine whose ERESOURCE_THREAD is id, or NULL (an owner pointer). */
static PKTHREAD thread_of(struct hh_engine *e, ERESOURCE_THREAD id)
{
    PKTHREAD t;
    for (t = e->threads; t; t = t->next) {
        if ((ERESOURCE_THREAD)t == id)
            return t;
    }
    return NULL;
}

static void release_for(const char *routine, PERESOURCE r, ERESOURCE_THREAD id, int self)
{
    struct hh_engine *e = hh_shim_enter(routine);
    POWNER_ENTRY entry;
    int was_exclusive;
    PKTHREAD owner;
    hh_shim_require_irql(e, routine, DISPATCH_LEVEL);
    check_init(e, routine, r);
    entry = find_entry(r, id);
    if (!entry) {
        char name[480];
        hh_engine_abort(e, HH_RULE_LOCK,
                        "%s on %s by thread '%s'%s, which does not own it: the kernel "
                        "bug-checks with RESOURCE_NOT_OWNED (0xE3)",
                        routine, hh_lock_name(e, KIND, r, name, sizeof(name)), e->current->name,
                        self ? "" : " on behalf of an owner");
    }
    if (--entry->OwnerCount > 0) {
        hh_shim_leave(e);
        return;
    }
    entry->OwnerThread = 0;
    owner = thread_of(e, id);
    if (owner)
        hh_held_pop(owner, r, KIND);
    was_exclusive = exclusive(r);
    if (--r->ActiveEntries == 0) {
        r->Flag &= (USHORT)~ResourceOwnedExclusive;
        grant_waiters(e, r, was_exclusive);
    }
    hh_shim_leave(e);
}

VOID ExReleaseResourceLite(PERESOURCE Resource)
{
    PKTHREAD t = KeGetCurrentThread();
    release_for("ExReleaseResourceLite", Resource, (ERESOURCE_THREAD)t, 1);
}

VOID ExReleaseResourceForThreadLite(PERESOURCE Resource, ERESOURCE_THREAD ResourceThreadId)
{
    release_for("ExReleaseResourceForThreadLite", Resource, ResourceThreadId,
                ResourceThreadId == (ERESOURCE_THREAD)KeGetCurrentThread());
}

/* The caller's own entry, or rule "lock": the routine requires the caller to own it. */
static POWNER_ENTRY own_entry(struct hh_engine *e, const char *routine, PERESOURCE r,
                              const char *how)
{
    POWNER_ENTRY entry = find_entry(r, (ERESOURCE_THREAD)e->current);
    char name[480];
    if (!entry || (how && !exclusive(r)))
        hh_engine_abort(e, HH_RULE_LOCK,
                        "%s on %s by thread '%s', which does not hold it%s: the Learn page "
                        "requires the caller to own it%s",
                        routine, hh_lock_name(e, KIND, r, name, sizeof(name)), e->current->name,
                        entry ? " exclusively" : "", how ? how : "");
    return entry;
}

VOID ExConvertExclusiveToSharedLite(PERESOURCE Resource)
{
    struct hh_engine *e = hh_shim_enter("ExConvertExclusiveToSharedLite");
    LONG prev;
    hh_shim_require_irql(e, "ExConvertExclusiveToSharedLite", DISPATCH_LEVEL);
    check_init(e, "ExConvertExclusiveToSharedLite", Resource);
    own_entry(e, "ExConvertExclusiveToSharedLite", Resource, " for exclusive access");
    Resource->Flag &= (USHORT)~ResourceOwnedExclusive;
    if (Resource->NumberOfSharedWaiters) { /* they share it now */
        Resource->ActiveEntries = (USHORT)(Resource->ActiveEntries +
                                           Resource->NumberOfSharedWaiters);
        hh_semaphore_release(e, &Resource->SharedWaiters,
                             (LONG)Resource->NumberOfSharedWaiters, &prev);
        Resource->NumberOfSharedWaiters = 0;
    }
    hh_shim_leave(e);
}

VOID ExSetResourceOwnerPointer(PERESOURCE Resource, PVOID OwnerPointer)
{
    struct hh_engine *e = hh_shim_enter("ExSetResourceOwnerPointer");
    POWNER_ENTRY entry;
    hh_shim_require_irql(e, "ExSetResourceOwnerPointer", DISPATCH_LEVEL);
    check_init(e, "ExSetResourceOwnerPointer", Resource);
    entry = own_entry(e, "ExSetResourceOwnerPointer", Resource, NULL);
    if (((ULONG_PTR)OwnerPointer & 3) != 3)
        hh_engine_abort(e, HH_RULE_LOCK,
                        "ExSetResourceOwnerPointer with an OwnerPointer whose two low bits are "
                        "not both set: the Learn page requires them set, so that the resource "
                        "can tell an owner pointer from a thread");
    /* The ownership moves: the caller's routine no longer holds it. */
    entry->OwnerThread = (ERESOURCE_THREAD)OwnerPointer;
    hh_held_pop(e->current, Resource, KIND);
    hh_shim_leave(e);
}

BOOLEAN ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource)
{
    struct hh_engine *e = hh_shim_enter("ExIsResourceAcquiredExclusiveLite");
    BOOLEAN r;
    hh_shim_require_irql(e, "ExIsResourceAcquiredExclusiveLite", DISPATCH_LEVEL);
    check_init(e, "ExIsResourceAcquiredExclusiveLite", Resource);
    r = exclusive(Resource) &&
        Resource->OwnerTable[0].OwnerThread == (ERESOURCE_THREAD)e->current;
    hh_shim_leave(e);
    return r;
}

ULONG ExIsResourceAcquiredSharedLite(PERESOURCE Resource)
{
    struct hh_engine *e = hh_shim_enter("ExIsResourceAcquiredSharedLite");
    POWNER_ENTRY entry;
    ULONG n;
    hh_shim_require_irql(e, "ExIsResourceAcquiredSharedLite", DISPATCH_LEVEL);
    check_init(e, "ExIsResourceAcquiredSharedLite", Resource);
    entry = find_entry(Resource, (ERESOURCE_THREAD)e->current);
    n = entry ? entry->OwnerCount : 0; /* exclusive access counts as shared too */
    hh_shim_leave(e);
    return n;
}

static ULONG waiter_count(const char *routine, PERESOURCE r, int shared)
{
    struct hh_engine *e = hh_shim_enter(routine);
    ULONG n;
    hh_shim_require_irql(e, routine, DISPATCH_LEVEL);
    check_init(e, routine, r);
    n = shared ? r->NumberOfSharedWaiters : r->NumberOfExclusiveWaiters;
    hh_shim_leave(e);
    return n;
}

ULONG ExGetExclusiveWaiterCount(PERESOURCE Resource)
{
    return waiter_count("ExGetExclusiveWaiterCount", Resource, 0);
}

ULONG ExGetSharedWaiterCount(PERESOURCE Resource)
{
    return waiter_count("ExGetSharedWaiterCount", Resource, 1);
}

NTSTATUS ExInitializeResourceLite(PERESOURCE Resource)
{
    struct hh_engine *e = hh_shim_enter("ExInitializeResourceLite");
    hh_shim_require_irql(e, "ExInitializeResourceLite", DISPATCH_LEVEL);
    init(Resource);
    hh_shim_leave(e);
    return STATUS_SUCCESS;
}

/* Forgets every thread's record of r: it is reset or deleted. */
static void forget_holders(struct hh_engine *e, PERESOURCE r)
{
    PKTHREAD t;
    for (t = e->threads; t; t = t->next) {
        while (hh_held_pop(t, r, KIND))
            ;
    }
}

NTSTATUS ExReinitializeResourceLite(PERESOURCE Resource)
{
    struct hh_engine *e = hh_shim_enter("ExReinitializeResourceLite");
    hh_shim_require_irql(e, "ExReinitializeResourceLite", DISPATCH_LEVEL);
    check_init(e, "ExReinitializeResourceLite", Resource);
    forget_holders(e, Resource);
    init(Resource);
    hh_shim_leave(e);
    return STATUS_SUCCESS;
}

NTSTATUS ExDeleteResourceLite(PERESOURCE Resource)
{
    struct hh_engine *e = hh_shim_enter("ExDeleteResourceLite");
    char name[480];
    hh_shim_require_irql(e, "ExDeleteResourceLite", DISPATCH_LEVEL);
    check_init(e, "ExDeleteResourceLite", Resource);
    if (Resource->ActiveEntries || Resource->NumberOfExclusiveWaiters ||
        Resource->NumberOfSharedWaiters)
        hh_engine_abort(e, HH_RULE_LOCK,
                        "ExDeleteResourceLite on %s, which is still held or waited for: its "
                        "owners and waiters would be left with freed memory",
                        hh_lock_name(e, KIND, Resource, name, sizeof(name)));
    forget_holders(e, Resource);
    Resource->HhMagic = 0; /* a later use is "never initialized (or deleted)" */
    hh_shim_leave(e);
    return STATUS_SUCCESS;
}
