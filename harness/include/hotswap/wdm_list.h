/* <hotswap/wdm_list.h> - doubly and singly linked lists and interlocked S-lists, as wdm.h has.
 *
 * Included by <hotswap/wdm.h>; not for direct use. The LIST_ENTRY routines check their links
 * as the modern wdm.h does: a neighbour whose link does not point back is a corrupt list
 * (a double remove, an entry never inserted, memory overwritten), which the kernel stops
 * with __fastfail(FAST_FAIL_CORRUPT_LIST_ENTRY). Here that is a finding under rule
 * "fast-fail" naming the routine and its line. The ExInterlocked forms take the spin lock
 * they are given through KeAcquireSpinLock, so the spin lock checks apply to it.
 */
#ifndef HOTSWAP_WDM_LIST_H
#define HOTSWAP_WDM_LIST_H

#ifndef HOTSWAP_WDM_H
#error "include <hotswap/wdm.h>, not <hotswap/wdm_list.h>"
#endif

/* LIST_ENTRY itself is in <hotswap/wdm.h>: the dispatcher objects use it. */
typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

typedef struct _SLIST_ENTRY {
    struct _SLIST_ENTRY *Next;
} SLIST_ENTRY, *PSLIST_ENTRY;

typedef struct _SLIST_HEADER {
    SLIST_ENTRY Next; /* the first entry */
    USHORT Depth;
    USHORT Sequence;  /* bumped by every push and pop, as the kernel's ABA counter */
} SLIST_HEADER, *PSLIST_HEADER;

#define MEMORY_ALLOCATION_ALIGNMENT 16

/* The finding for a corrupt link: Routine at File:Line, Entry the entry whose neighbour
 * does not point back. */
HH_API DECLSPEC_NORETURN VOID HhFatalListEntryError(const char *Routine, PVOID Entry,
                                                    const char *File, int Line)
    HH_NORETURN_ATTR;

/* ---- LIST_ENTRY ------------------------------------------------------------------------ */
FORCEINLINE VOID InitializeListHead(PLIST_ENTRY ListHead)
{
    ListHead->Flink = ListHead->Blink = ListHead;
}

FORCEINLINE BOOLEAN IsListEmpty(const LIST_ENTRY *ListHead)
{
    return (BOOLEAN)(ListHead->Flink == ListHead);
}

FORCEINLINE VOID HhInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry, const char *File,
                                  int Line)
{
    PLIST_ENTRY next = ListHead->Flink;
    if (next->Blink != ListHead)
        HhFatalListEntryError("InsertHeadList", ListHead, File, Line);
    Entry->Flink = next;
    Entry->Blink = ListHead;
    next->Blink = Entry;
    ListHead->Flink = Entry;
}

FORCEINLINE VOID HhInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry, const char *File,
                                  int Line)
{
    PLIST_ENTRY prev = ListHead->Blink;
    if (prev->Flink != ListHead)
        HhFatalListEntryError("InsertTailList", ListHead, File, Line);
    Entry->Flink = ListHead;
    Entry->Blink = prev;
    prev->Flink = Entry;
    ListHead->Blink = Entry;
}

/* Unlinks Entry after checking both neighbours; TRUE when the list is then empty. */
FORCEINLINE BOOLEAN HhUnlinkEntry(const char *Routine, PLIST_ENTRY Entry, const char *File,
                                  int Line)
{
    PLIST_ENTRY next = Entry->Flink, prev = Entry->Blink;
    if (next->Blink != Entry || prev->Flink != Entry)
        HhFatalListEntryError(Routine, Entry, File, Line);
    prev->Flink = next;
    next->Blink = prev;
    return (BOOLEAN)(next == prev);
}

FORCEINLINE BOOLEAN HhRemoveEntryList(PLIST_ENTRY Entry, const char *File, int Line)
{
    return HhUnlinkEntry("RemoveEntryList", Entry, File, Line);
}

/* On an empty list both return the head itself, as the kernel's do. */
FORCEINLINE PLIST_ENTRY HhRemoveHeadList(PLIST_ENTRY ListHead, const char *File, int Line)
{
    PLIST_ENTRY entry = ListHead->Flink;
    if (entry->Blink != ListHead)
        HhFatalListEntryError("RemoveHeadList", ListHead, File, Line);
    (void)HhUnlinkEntry("RemoveHeadList", entry, File, Line);
    return entry;
}

FORCEINLINE PLIST_ENTRY HhRemoveTailList(PLIST_ENTRY ListHead, const char *File, int Line)
{
    PLIST_ENTRY entry = ListHead->Blink;
    if (entry->Flink != ListHead)
        HhFatalListEntryError("RemoveTailList", ListHead, File, Line);
    (void)HhUnlinkEntry("RemoveTailList", entry, File, Line);
    return entry;
}

/* Splices ListToAppend's entries (it is a head) after ListHead's, as wdm.h's AppendTailList
 * does with a list that has a head. */
FORCEINLINE VOID AppendTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListToAppend)
{
    PLIST_ENTRY end = ListHead->Blink;
    ListHead->Blink->Flink = ListToAppend;
    ListHead->Blink = ListToAppend->Blink;
    ListToAppend->Blink->Flink = ListHead;
    ListToAppend->Blink = end;
}

#define InsertHeadList(ListHead, Entry) HhInsertHeadList((ListHead), (Entry), __FILE__, __LINE__)
#define InsertTailList(ListHead, Entry) HhInsertTailList((ListHead), (Entry), __FILE__, __LINE__)
#define RemoveEntryList(Entry) HhRemoveEntryList((Entry), __FILE__, __LINE__)
#define RemoveHeadList(ListHead) HhRemoveHeadList((ListHead), __FILE__, __LINE__)
#define RemoveTailList(ListHead) HhRemoveTailList((ListHead), __FILE__, __LINE__)

/* ---- SINGLE_LIST_ENTRY ----------------------------------------------------------------- */
FORCEINLINE PSINGLE_LIST_ENTRY PopEntryList(PSINGLE_LIST_ENTRY ListHead)
{
    PSINGLE_LIST_ENTRY first = ListHead->Next;
    if (first)
        ListHead->Next = first->Next;
    return first;
}

FORCEINLINE VOID PushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY Entry)
{
    Entry->Next = ListHead->Next;
    ListHead->Next = Entry;
}

/* ---- Under a spin lock ----------------------------------------------------------------- */
/* The Insert and Remove forms return the list's first entry before the call, or NULL when
 * it was empty. */
HH_API PLIST_ENTRY HhExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                                 PKSPIN_LOCK Lock, const char *File, int Line);
HH_API PLIST_ENTRY HhExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                                 PKSPIN_LOCK Lock, const char *File, int Line);
HH_API PLIST_ENTRY HhExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock,
                                                 const char *File, int Line);
HH_API PSINGLE_LIST_ENTRY ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                     PSINGLE_LIST_ENTRY ListEntry,
                                                     PKSPIN_LOCK Lock);
HH_API PSINGLE_LIST_ENTRY ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                    PKSPIN_LOCK Lock);
#define ExInterlockedInsertHeadList(ListHead, ListEntry, Lock)                               \
    HhExInterlockedInsertHeadList((ListHead), (ListEntry), (Lock), __FILE__, __LINE__)
#define ExInterlockedInsertTailList(ListHead, ListEntry, Lock)                               \
    HhExInterlockedInsertTailList((ListHead), (ListEntry), (Lock), __FILE__, __LINE__)
#define ExInterlockedRemoveHeadList(ListHead, Lock)                                          \
    HhExInterlockedRemoveHeadList((ListHead), (Lock), __FILE__, __LINE__)

/* ---- SLIST (atomic with respect to every thread of the run) ----------------------------- */
HH_API VOID InitializeSListHead(PSLIST_HEADER SListHead);
HH_API PSLIST_ENTRY InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry);
HH_API PSLIST_ENTRY InterlockedPopEntrySList(PSLIST_HEADER ListHead);
HH_API PSLIST_ENTRY InterlockedFlushSList(PSLIST_HEADER ListHead);
HH_API USHORT ExQueryDepthSList(PSLIST_HEADER SListHead);
/* The lock is not used on x64, as in wdm.h. */
#define ExInterlockedPushEntrySList(ListHead, ListEntry, Lock)                               \
    ((void)(Lock), InterlockedPushEntrySList((ListHead), (ListEntry)))
#define ExInterlockedPopEntrySList(ListHead, Lock)                                           \
    ((void)(Lock), InterlockedPopEntrySList(ListHead))
#define ExInterlockedFlushSList(ListHead) InterlockedFlushSList(ListHead)
#define QueryDepthSList(ListHead) ExQueryDepthSList(ListHead)
#define FirstEntrySList(ListHead) ((ListHead)->Next.Next)

#endif
