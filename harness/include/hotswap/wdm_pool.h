/* <hotswap/wdm_pool.h> - the rest of wdm.h's pool: PAGE_SIZE, quota and uninitialized
 * allocations, block sizes, lookaside lists.
 *
 * Included by <hotswap/wdm.h>; not for direct use. Everything here allocates from the
 * harness's tracked pool: a lookaside entry is a pool block of the list's size and tag,
 * allocated and freed with the line that asked for it, so a leaked entry, a double free and
 * a use after free are found as for any pool block. The list keeps no entries of its own (a
 * lookaside list of depth 0, a state the kernel's lists are in whenever it trims them).
 */
#ifndef HOTSWAP_WDM_POOL_H
#define HOTSWAP_WDM_POOL_H

#ifndef HOTSWAP_WDM_H
#error "include <hotswap/wdm.h>, not <hotswap/wdm_pool.h>"
#endif

#define PAGE_SIZE 0x1000
#define PAGE_SHIFT 12L
#define BYTES_TO_PAGES(Size) (((Size) >> PAGE_SHIFT) + (((Size) & (PAGE_SIZE - 1)) != 0))
#define ROUND_TO_PAGES(Size) (((ULONG_PTR)(Size) + PAGE_SIZE - 1) & ~((ULONG_PTR)PAGE_SIZE - 1))
#define PAGE_ALIGN(Va) ((PVOID)((ULONG_PTR)(Va) & ~((ULONG_PTR)PAGE_SIZE - 1)))
#define BYTE_OFFSET(Va) ((ULONG)((ULONG_PTR)(Va) & (PAGE_SIZE - 1)))

/* ORed into ExAllocatePoolWithQuotaTag's PoolType: return NULL instead of raising. */
#define POOL_QUOTA_FAIL_INSTEAD_OF_RAISE 8
#define POOL_RAISE_IF_ALLOCATION_FAILURE 16

HH_API PVOID HhExAllocatePoolUninitializedAt(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                             ULONG Tag, const char *File, int Line);
HH_API PVOID HhExAllocatePoolWithQuotaTagAt(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                            ULONG Tag, const char *File, int Line);
HH_API PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
HH_API PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
/* The size the block was allocated with; *QuotaCharged tells whether quota was charged.
 * A pointer the pool did not give out is a finding (rule "bad-free"). */
HH_API SIZE_T ExQueryPoolBlockSize(PVOID PoolBlock, PBOOLEAN QuotaCharged);
#ifndef HOTSWAP_NO_POOL_SITES
#define ExAllocatePoolUninitialized(p, n, t)                                                 \
    HhExAllocatePoolUninitializedAt((p), (n), (t), __FILE__, __LINE__)
#define ExAllocatePoolWithQuotaTag(p, n, t)                                                  \
    HhExAllocatePoolWithQuotaTagAt((p), (n), (t), __FILE__, __LINE__)
#endif

/* ---- Lookaside lists ------------------------------------------------------------------- */
typedef PVOID ALLOCATE_FUNCTION(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
typedef ALLOCATE_FUNCTION *PALLOCATE_FUNCTION;
typedef VOID FREE_FUNCTION(PVOID Buffer);
typedef FREE_FUNCTION *PFREE_FUNCTION;

/* The harness's layout: a routine uses only the Ex routines on it. */
typedef struct _GENERAL_LOOKASIDE {
    SLIST_HEADER ListHead; /* always empty: every entry is a pool block */
    USHORT Depth;
    USHORT MaximumDepth;
    ULONG TotalAllocates;
    ULONG AllocateMisses;
    ULONG TotalFrees;
    ULONG FreeMisses;
    POOL_TYPE Type;
    ULONG Tag;
    ULONG Size;
    PALLOCATE_FUNCTION Allocate;
    PFREE_FUNCTION Free;
    LIST_ENTRY ListEntry;
    ULONG LastTotalAllocates;
    ULONG HhState; /* initialized, deleted or neither: a use of the others is a finding */
} GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;

typedef struct _NPAGED_LOOKASIDE_LIST {
    GENERAL_LOOKASIDE L;
} NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;

typedef struct _PAGED_LOOKASIDE_LIST {
    GENERAL_LOOKASIDE L;
} PAGED_LOOKASIDE_LIST, *PPAGED_LOOKASIDE_LIST;

HH_API VOID ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                            PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                                            ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth);
HH_API VOID ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
HH_API PVOID HhExAllocateFromNPagedLookasideListAt(PNPAGED_LOOKASIDE_LIST Lookaside,
                                                   const char *File, int Line);
HH_API VOID HhExFreeToNPagedLookasideListAt(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry,
                                            const char *File, int Line);
HH_API VOID ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                           PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                                           ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth);
HH_API VOID ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
HH_API PVOID HhExAllocateFromPagedLookasideListAt(PPAGED_LOOKASIDE_LIST Lookaside,
                                                  const char *File, int Line);
HH_API VOID HhExFreeToPagedLookasideListAt(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry,
                                           const char *File, int Line);
#define ExAllocateFromNPagedLookasideList(Lookaside)                                         \
    HhExAllocateFromNPagedLookasideListAt((Lookaside), __FILE__, __LINE__)
#define ExFreeToNPagedLookasideList(Lookaside, Entry)                                        \
    HhExFreeToNPagedLookasideListAt((Lookaside), (Entry), __FILE__, __LINE__)
#define ExAllocateFromPagedLookasideList(Lookaside)                                          \
    HhExAllocateFromPagedLookasideListAt((Lookaside), __FILE__, __LINE__)
#define ExFreeToPagedLookasideList(Lookaside, Entry)                                         \
    HhExFreeToPagedLookasideListAt((Lookaside), (Entry), __FILE__, __LINE__)

#endif
