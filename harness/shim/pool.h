/* pool.h - the tracked pool behind ExAllocatePool2 and friends.
 *
 * Every block records its tag, size, allocation site and the invocation that made it, so
 * that a leak names its line. Freed blocks stay quarantined (not reused) until the bounded
 * quarantine gives them back to the heap (pool_table.h), so a double free is told apart from
 * a foreign one and a use after free reads the fill byte.
 */
#ifndef HH_SHIM_POOL_H
#define HH_SHIM_POOL_H

#include <stddef.h>

#include <hh/hh.h>
#include <hotswap/wdm.h>

struct hh_pool;

struct hh_pool_block_info {
    const void *ptr;
    size_t size;
    ULONG tag;
    const char *file; /* allocation site, or NULL when the caller gave none */
    int line;
    unsigned long invocation; /* 0 outside any invocation (context creation, a DPC) */
    const char *origin;       /* then what ran: "HotswapCreateContext (the set-up)", "step 2
                                 (steps[1]: set work)"; NULL when unknown */
    const void *dpc_routine;  /* a timer's DPC allocated it: its routine and its timer */
    const void *dpc_timer;
};

/* Bytes an uninitialized allocation starts with, and a freed block is filled with (while it
 * is quarantined), so that reading either gives the same wrong value every run. */
#define HH_POOL_UNINITIALIZED_BYTE 0xA5
#define HH_POOL_FREED_BYTE 0xDD
/* A larger request fails as the kernel's would when the pool is exhausted. */
#define HH_POOL_MAX_BLOCK ((size_t)256 * 1024 * 1024)

struct hh_pool *hh_pool_new(void);
void hh_pool_free(struct hh_pool *p);
/* Back to what hh_pool_new gives (no block), keeping the tables' memory and a few interned
 * strings (text the next run looks up again): an engine reset between fuzz inputs. */
void hh_pool_reset(struct hh_pool *p);
/* A module was unloaded: allocation sites are no longer known by their pointers. */
void hh_pool_forget_sites(struct hh_pool *p);
/* Live blocks in allocation order: fills up to max entries and returns how many there are. */
HH_API size_t hh_pool_live(const struct hh_pool *p, struct hh_pool_block_info *out, size_t max);
/* One block for a report: "24 bytes, tag 'Hh01', allocated at x.c:12 in invocation 3".
 * Returns buf. */
HH_API const char *hh_pool_describe(const struct hh_pool_block_info *b, char *buf, size_t len);
/* "in invocation 3", "in the DPC TickDpc of ... during step 2 (...)", "in HotswapCreateContext
 * (the set-up)" or "outside any invocation". Returns buf. */
HH_API const char *hh_pool_origin_text(const struct hh_pool_block_info *b, char *buf,
                                       size_t len);
/* Where addr lies, for a report that must read the same every run (a pointer does not, under
 * ASLR): "offset 8 in the block of 24 bytes, tag 'Hh01', allocated at x.c:12 in invocation 3",
 * or NULL when no live block holds it. Returns buf. */
const char *hh_pool_where(const struct hh_pool *p, const void *addr, char *buf, size_t len);
/* The same for a freed block still in the quarantine, with where it was freed; NULL when
 * addr lies in none. */
const char *hh_pool_freed_where(const struct hh_pool *p, const void *addr, char *buf,
                                size_t len);
/* Allocation and free for the routines built on the pool (lookaside lists), reported under
 * their own routine's name and the caller's site. */
PVOID hh_pool_allocate_typed(const char *routine, POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                             ULONG Tag, BOOLEAN zero, const char *File, int Line);
void hh_pool_release(const char *routine, PVOID P, const char *File, int Line);
/* A tag as the debugger shows it, bytes in memory order: 'Hh01' (unprintable bytes as '.').
 * buf holds at least 7 bytes; returns buf. */
HH_API const char *hh_pool_tag_text(ULONG tag, char *buf);

#endif
