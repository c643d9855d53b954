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

/* The exclusive grant made for a waiter that has not run yet. */
#define GRANT_PENDING ((ERESOURCE_THREAD)1)

/* A resource or a push lock: the same owner table and waits, told apart by recursion. */
struct rw_class {
    const char *kind;
    const char *init;
    ULONG magic;
    int push; /* not recursive: an exclusive owner asking again hangs */
    const char *acquire_name[4];
};

static const struct rw_class resource_class = {
    "resource", "ExInitializeResourceLite", 0x53455245u /* "ERES" */, 0,
    {"ExAcquireResourceExclusiveLite", "ExAcquireResourceSharedLite",
     "ExAcquireSharedStarveExclusive", "ExAcquireSharedWaitForExclusive"}};

static const struct rw_class push_class = {
    "push lock", "ExInitializePushLock", 0x4B4C5350u /* "PSLK" */, 1,
    {"ExAcquirePushLockExclusive", "ExAcquirePushLockShared", "", ""}};

#define KIND (resource_class.kind)

static void init(const struct rw_class *c, PERESOURCE r)
{
    memset(r, 0, sizeof(*r));
    hh_object_set_kind(&r->SharedWaiters.Header, HH_OBJECT_SEMAPHORE);
    r->SharedWaiters.Limit = MAXLONG;
    hh_object_set_kind(&r->ExclusiveWaiters.Header, HH_OBJECT_SYNCHRONIZATION_EVENT);
    r->HhMagic = c->magic;
}

static void check_class(struct hh_engine *e, const char *routine, const struct rw_class *c,
                        PERESOURCE r)
{
    hh_lock_require_init(e, routine, c->kind, r, r->HhMagic, c->magic, c->init);
}

static void check_init(struct hh_engine *e, const char *routine, PERESOURCE r)
{
    check_class(e, routine, &resource_class, r);
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
    const char *kind = r->HhMagic == push_class.magic ? push_class.kind : KIND;
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
                    routine, HH_RESOURCE_OWNERS, hh_lock_name(e, kind, r, name, sizeof(name)));
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
static int grantable(const ERESOURCE *r, int push, int how, const OWNER_ENTRY *mine,
                     int *deadlock)
{
    *deadlock = 0;
    if (r->ActiveEntries == 0)
        return 1;
    if (exclusive(r)) {
        *deadlock = push && mine; /* a push lock's exclusive owner hangs */
        return mine != NULL && !push; /* a resource's is granted again, whatever it asks */
    }
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

static BOOLEAN acquire(const struct rw_class *c, const char *routine, PERESOURCE Resource,
                       BOOLEAN Wait, int How, const char *File, int Line)
{
    struct hh_engine *e = hh_shim_enter(routine);
    const char *kind = c->kind;
    PKTHREAD t = e->current;
    ERESOURCE_THREAD id = (ERESOURCE_THREAD)t;
    POWNER_ENTRY mine;
    int deadlock;
    char name[480], call[300];
    hh_shim_require_irql(e, routine, APC_LEVEL);
    check_class(e, routine, c, Resource);
    if (!hh_lock_apcs_disabled(t))
        hh_engine_abort(e, HH_RULE_LOCK,
                        "%s by thread '%s' with normal kernel APCs enabled: the Learn page "
                        "requires KeEnterCriticalRegion before it, kept until the release (a "
                        "thread suspended while it holds the resource stalls every thread that "
                        "needs it)",
                        hh_lock_call(routine, File, Line, call, sizeof(call)), t->name);
    mine = find_entry(Resource, id);
    if (grantable(Resource, c->push, How, mine, &deadlock)) {
        if (mine)
            mine->OwnerCount++;
        else {
            if (How == HH_RESOURCE_EXCLUSIVE)
                Resource->Flag |= ResourceOwnedExclusive;
            new_entry(e, routine, Resource, id);
            Resource->ActiveEntries++;
            hh_held_push(t, Resource, kind, File, Line);
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
                        "%s: thread '%s' holds %s %s%s and waits %s; it waits for its own "
                        "release and the kernel deadlocks",
                        hh_lock_call(routine, File, Line, call, sizeof(call)), t->name,
                        hh_lock_name(e, kind, Resource, name, sizeof(name)),
                        exclusive(Resource) ? "exclusively" : "shared",
                        hh_held_site(hh_held_find(t, Resource, kind), site, sizeof(site)),
                        exclusive(Resource) ? "for it again (a push lock is not recursive)"
                        : How == HH_RESOURCE_EXCLUSIVE
                            ? "for exclusive access (release the shared hold first)"
                            : "behind an exclusive waiter, which waits for it");
    }
    {
        char what[700];
        Resource->ContentionCount++;
        snprintf(what, sizeof(what), "%s: thread '%s' waits for %s, which %s holds %s",
                 hh_lock_call(routine, File, Line, call, sizeof(call)), t->name,
                 hh_lock_name(e, kind, Resource, name, sizeof(name)),
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
    hh_held_push(t, Resource, kind, File, Line);
    hh_shim_leave(e);
    return TRUE;
}

BOOLEAN HhExAcquireResourceAt(PERESOURCE Resource, BOOLEAN Wait, int How, const char *File,
                              int Line)
{
    return acquire(&resource_class, resource_class.acquire_name[How & 3], Resource, Wait, How,
                   File, Line);
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

/* mode: -1 any hold; 0 exclusive, 1 shared (the push-lock releases name the mode). */
static void release_for(const struct rw_class *c, const char *routine, PERESOURCE r,
                        ERESOURCE_THREAD id, int self, int mode)
{
    struct hh_engine *e = hh_shim_enter(routine);
    POWNER_ENTRY entry;
    int was_exclusive;
    PKTHREAD owner;
    char name[480];
    hh_shim_require_irql(e, routine, c->push ? APC_LEVEL : DISPATCH_LEVEL);
    check_class(e, routine, c, r);
    entry = find_entry(r, id);
    if (!entry)
        hh_engine_abort(e, HH_RULE_LOCK,
                        "%s on %s by thread '%s'%s, which does not own it%s",
                        routine, hh_lock_name(e, c->kind, r, name, sizeof(name)),
                        e->current->name, self ? "" : " on behalf of an owner",
                        c->push ? ": only a holder may release a push lock"
                                : ": the kernel bug-checks with RESOURCE_NOT_OWNED (0xE3)");
    if (mode >= 0 && mode != !exclusive(r))
        hh_engine_abort(e, HH_RULE_LOCK,
                        "%s on %s, which thread '%s' holds %s: release it with the routine "
                        "that matches how it was acquired",
                        routine, hh_lock_name(e, c->kind, r, name, sizeof(name)),
                        e->current->name, exclusive(r) ? "exclusively" : "shared");
    if (--entry->OwnerCount > 0) {
        hh_shim_leave(e);
        return;
    }
    entry->OwnerThread = 0;
    owner = thread_of(e, id);
    if (owner)
        hh_held_pop(owner, r, c->kind);
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
    release_for(&resource_class, "ExReleaseResourceLite", Resource, (ERESOURCE_THREAD)t, 1, -1);
}

VOID ExReleaseResourceForThreadLite(PERESOURCE Resource, ERESOURCE_THREAD ResourceThreadId)
{
    release_for(&resource_class, "ExReleaseResourceForThreadLite", Resource, ResourceThreadId,
                ResourceThreadId == (ERESOURCE_THREAD)KeGetCurrentThread(), -1);
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
    init(&resource_class, Resource);
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
    init(&resource_class, Resource);
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

/* ---- Push locks: a resource that is not recursive ----------------------------------- */
VOID ExInitializePushLock(PEX_PUSH_LOCK PushLock)
{
    init(&push_class, &PushLock->HhLock);
}

VOID HhExAcquirePushLockAt(PEX_PUSH_LOCK PushLock, int Shared, const char *File, int Line)
{
    acquire(&push_class, push_class.acquire_name[Shared ? 1 : 0], &PushLock->HhLock, TRUE,
            Shared ? HH_RESOURCE_SHARED : HH_RESOURCE_EXCLUSIVE, File, Line);
}

VOID ExAcquirePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    HhExAcquirePushLockAt(PushLock, 0, NULL, 0);
}

VOID ExAcquirePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    HhExAcquirePushLockAt(PushLock, 1, NULL, 0);
}

BOOLEAN ExTryAcquirePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    return acquire(&push_class, "ExTryAcquirePushLockExclusive", &PushLock->HhLock, FALSE,
                   HH_RESOURCE_EXCLUSIVE, NULL, 0);
}

BOOLEAN ExTryAcquirePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    return acquire(&push_class, "ExTryAcquirePushLockShared", &PushLock->HhLock, FALSE,
                   HH_RESOURCE_SHARED, NULL, 0);
}

VOID ExReleasePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    release_for(&push_class, "ExReleasePushLockExclusive", &PushLock->HhLock,
                (ERESOURCE_THREAD)KeGetCurrentThread(), 1, 0);
}

VOID ExReleasePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    release_for(&push_class, "ExReleasePushLockShared", &PushLock->HhLock,
                (ERESOURCE_THREAD)KeGetCurrentThread(), 1, 1);
}
