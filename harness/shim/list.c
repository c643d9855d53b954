/* list.c - the corrupt-link finding, the ExInterlocked list routines and the S-list.
 *
 * The LIST_ENTRY routines are inline in <hotswap/wdm_list.h>; what they report when a link
 * does not point back is here. The ExInterlocked forms take the caller's spin lock through
 * the spin lock shim (hh_shim_ex_lock). The S-list is atomic under the dispatcher lock, which
 * every thread of a real-clock run shares.
 */
#include <stdio.h>

#include "pool.h"
#include "shim.h"

VOID HhFatalListEntryError(const char *Routine, PVOID Entry, const char *File, int Line)
{
    struct hh_engine *e = hh_shim_enter(Routine);
    char where[400], what[440];
    if (hh_pool_where(e->pool, Entry, where, sizeof(where)))
        snprintf(what, sizeof(what), "the entry at %s", where);
    else
        snprintf(what, sizeof(what), "the entry at %p", Entry);
    hh_engine_abort(e, HH_RULE_FAST_FAIL,
                    "%s at %s:%d finds a corrupt list: a neighbour of %s does not point back "
                    "at it (removed twice, never inserted or initialized, or overwritten); the "
                    "kernel stops with __fastfail(FAST_FAIL_CORRUPT_LIST_ENTRY), bug check "
                    "KERNEL_SECURITY_CHECK_FAILURE (0x139, 3)",
                    Routine, File, Line, what);
}

/* ---- Under the caller's spin lock -------------------------------------------------------- */
static PLIST_ENTRY first_entry(PLIST_ENTRY ListHead)
{
    return IsListEmpty(ListHead) ? NULL : ListHead->Flink;
}

/* Inserts at the head or the tail under the lock; returns the first entry before. */
static PLIST_ENTRY insert_locked(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock,
                                 BOOLEAN tail, const char *File, int Line)
{
    KIRQL irql = hh_shim_ex_lock(Lock);
    PLIST_ENTRY first = first_entry(ListHead);
    if (tail)
        HhInsertTailList(ListHead, ListEntry, File, Line);
    else
        HhInsertHeadList(ListHead, ListEntry, File, Line);
    hh_shim_ex_unlock(Lock, irql);
    return first;
}

PLIST_ENTRY HhExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                          PKSPIN_LOCK Lock, const char *File, int Line)
{
    return insert_locked(ListHead, ListEntry, Lock, FALSE, File, Line);
}

PLIST_ENTRY HhExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                          PKSPIN_LOCK Lock, const char *File, int Line)
{
    return insert_locked(ListHead, ListEntry, Lock, TRUE, File, Line);
}

PLIST_ENTRY HhExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock,
                                          const char *File, int Line)
{
    KIRQL irql = hh_shim_ex_lock(Lock);
    PLIST_ENTRY first = first_entry(ListHead);
    if (first)
        (void)HhRemoveHeadList(ListHead, File, Line);
    hh_shim_ex_unlock(Lock, irql);
    return first;
}

PSINGLE_LIST_ENTRY ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
                                              PSINGLE_LIST_ENTRY ListEntry, PKSPIN_LOCK Lock)
{
    KIRQL irql = hh_shim_ex_lock(Lock);
    PSINGLE_LIST_ENTRY first = ListHead->Next;
    PushEntryList(ListHead, ListEntry);
    hh_shim_ex_unlock(Lock, irql);
    return first;
}

PSINGLE_LIST_ENTRY ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead, PKSPIN_LOCK Lock)
{
    KIRQL irql = hh_shim_ex_lock(Lock);
    PSINGLE_LIST_ENTRY first = PopEntryList(ListHead);
    hh_shim_ex_unlock(Lock, irql);
    return first;
}

/* ---- S-list ------------------------------------------------------------------------------ */
VOID InitializeSListHead(PSLIST_HEADER SListHead)
{
    memset(SListHead, 0, sizeof(*SListHead));
}

PSLIST_ENTRY InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry)
{
    struct hh_engine *e = hh_shim_enter("InterlockedPushEntrySList");
    PSLIST_ENTRY first = ListHead->Next.Next;
    ListEntry->Next = first;
    ListHead->Next.Next = ListEntry;
    ListHead->Depth++;
    ListHead->Sequence++;
    hh_shim_leave(e);
    return first;
}

PSLIST_ENTRY InterlockedPopEntrySList(PSLIST_HEADER ListHead)
{
    struct hh_engine *e = hh_shim_enter("InterlockedPopEntrySList");
    PSLIST_ENTRY first = ListHead->Next.Next;
    if (first) {
        ListHead->Next.Next = first->Next;
        ListHead->Depth--;
        ListHead->Sequence++;
    }
    hh_shim_leave(e);
    return first;
}

PSLIST_ENTRY InterlockedFlushSList(PSLIST_HEADER ListHead)
{
    struct hh_engine *e = hh_shim_enter("InterlockedFlushSList");
    PSLIST_ENTRY first = ListHead->Next.Next;
    ListHead->Next.Next = NULL;
    ListHead->Depth = 0;
    hh_shim_leave(e);
    return first;
}

USHORT ExQueryDepthSList(PSLIST_HEADER SListHead)
{
    struct hh_engine *e = hh_shim_enter("ExQueryDepthSList");
    USHORT depth = SListHead->Depth;
    hh_shim_leave(e);
    return depth;
}
