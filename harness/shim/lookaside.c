/* lookaside.c - paged and nonpaged lookaside lists on the tracked pool.
 *
 * An entry is a pool block of the list's size and tag, allocated (by the list's Allocate
 * routine when it has one) with the caller's site and freed at once on ExFreeTo..., so
 * that leaks, double frees and uses after free are found as for any block. A list used
 * before ExInitialize... or after ExDelete... is a finding; so is a paged list used above
 * APC_LEVEL or a nonpaged one above DISPATCH_LEVEL (the pool's own IRQL rule).
 */
#define HOTSWAP_NO_POOL_SITES
#include <stdio.h>

#include "pool.h"
#include "shim.h"

#define LOOKASIDE_LIVE 0x4C6B4C69u    /* "iLkL": initialized */
#define LOOKASIDE_DELETED 0x4C6B4C64u /* "dLkL": deleted */

static void init_list(PGENERAL_LOOKASIDE l, POOL_TYPE type, PALLOCATE_FUNCTION Allocate,
                      PFREE_FUNCTION Free, SIZE_T Size, ULONG Tag, USHORT Depth)
{
    memset(l, 0, sizeof(*l));
    l->Type = type;
    l->Tag = Tag;
    l->Size = (ULONG)Size;
    l->Allocate = Allocate;
    l->Free = Free;
    l->MaximumDepth = Depth ? Depth : 256;
    InitializeListHead(&l->ListEntry);
    l->HhState = LOOKASIDE_LIVE;
}

static void require_live(const char *routine, PGENERAL_LOOKASIDE l, const char *File, int Line)
{
    struct hh_engine *e;
    if (l->HhState == LOOKASIDE_LIVE)
        return;
    e = hh_shim_enter(routine);
    hh_engine_abort(e, HH_RULE_BUGCHECK,
                    "%s at %s:%d on a lookaside list that %s; the kernel reads garbage from it "
                    "and corrupts the pool",
                    routine, File ? File : "an unknown place", Line,
                    l->HhState == LOOKASIDE_DELETED ? "was deleted" : "was never initialized");
}

static PVOID allocate_entry(const char *routine, PGENERAL_LOOKASIDE l, const char *File,
                            int Line)
{
    require_live(routine, l, File, Line);
    l->TotalAllocates++;
    l->AllocateMisses++;
    if (l->Allocate)
        return l->Allocate(l->Type, l->Size, l->Tag);
    return hh_pool_allocate_typed(routine, l->Type, l->Size, l->Tag, FALSE, File, Line);
}

static void free_entry(const char *routine, PGENERAL_LOOKASIDE l, PVOID Entry,
                       const char *File, int Line)
{
    require_live(routine, l, File, Line);
    l->TotalFrees++;
    l->FreeMisses++;
    if (l->Free)
        l->Free(Entry);
    else
        hh_pool_release(routine, Entry, File, Line);
}

static void delete_list(const char *routine, PGENERAL_LOOKASIDE l)
{
    require_live(routine, l, NULL, 0);
    l->HhState = LOOKASIDE_DELETED;
}

/* Nonpaged lists may be used up to DISPATCH_LEVEL: the pool checks it on each entry. */
VOID ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                     PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                                     ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth)
{
    (void)Flags;
    init_list(&Lookaside->L, NonPagedPoolNx, Allocate, Free, Size, Tag, Depth);
}

VOID ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
    delete_list("ExDeleteNPagedLookasideList", &Lookaside->L);
}

PVOID HhExAllocateFromNPagedLookasideListAt(PNPAGED_LOOKASIDE_LIST Lookaside, const char *File,
                                            int Line)
{
    return allocate_entry("ExAllocateFromNPagedLookasideList", &Lookaside->L, File, Line);
}

VOID HhExFreeToNPagedLookasideListAt(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry,
                                     const char *File, int Line)
{
    free_entry("ExFreeToNPagedLookasideList", &Lookaside->L, Entry, File, Line);
}

/* Paged lists: the same, on paged pool (IRQL <= APC_LEVEL). */
VOID ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                    PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                                    ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth)
{
    (void)Flags;
    init_list(&Lookaside->L, PagedPool, Allocate, Free, Size, Tag, Depth);
}

VOID ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    delete_list("ExDeletePagedLookasideList", &Lookaside->L);
}

PVOID HhExAllocateFromPagedLookasideListAt(PPAGED_LOOKASIDE_LIST Lookaside, const char *File,
                                           int Line)
{
    return allocate_entry("ExAllocateFromPagedLookasideList", &Lookaside->L, File, Line);
}

VOID HhExFreeToPagedLookasideListAt(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry,
                                    const char *File, int Line)
{
    free_entry("ExFreeToPagedLookasideList", &Lookaside->L, Entry, File, Line);
}
