/* pool_table.h - the pool's records: every block given out, found by its address, and the
 * quarantine that bounds what freed blocks keep.
 *
 * A freed block stays recorded, filled and poisoned while it is in the quarantine, so a use
 * after free reads the fill byte (or is reported by AddressSanitizer) and a second free is
 * told apart from a foreign one. The quarantine is a FIFO bounded in blocks and bytes, as
 * AddressSanitizer's is: past the bound the oldest freed block goes back to the C heap and its
 * record is reused, so a long run stays bounded. The newest freed block always stays. Shared by pool.c and nobody else.
 */
#ifndef HH_SHIM_POOL_TABLE_H
#define HH_SHIM_POOL_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <hotswap/wdm.h>

#define HH_POOL_STATIC_TEXTS 16
/* What the quarantine keeps at most: freed blocks, and their bytes. */
#define HH_POOL_QUARANTINE_BLOCKS 16384
#define HH_POOL_QUARANTINE_BYTES ((size_t)16 * 1024 * 1024)
/* The most interned strings a reset (hh_pool_reset) keeps for the next run. */
#define HH_POOL_RESET_KEEP_FILES 32
/* What a reset keeps of the blocks' memory for the next run's allocations of the same sizes:
 * blocks, and their bytes. */
#define HH_POOL_SPARE_BLOCKS 256
#define HH_POOL_SPARE_BYTES ((size_t)1024 * 1024)

struct block {
    void *raw;  /* what malloc returned */
    size_t raw_size; /* what was asked of malloc */
    char *ptr;  /* what the caller got */
    size_t size;
    ULONG tag;
    BOOLEAN in_use; /* a record of a live or quarantined block, not a free record */
    BOOLEAN paged;
    BOOLEAN freed;
    BOOLEAN quota;
    int line;
    const char *file; /* interned: module strings go away when a module is unloaded */
    const char *free_file;
    int free_line;
    unsigned long invocation;
    const char *origin; /* interned; outside any invocation: what ran (a step, a set-up) */
    const void *dpc_routine, *dpc_timer; /* allocated by a timer's DPC */
    uint64_t seq;     /* allocation order */
    size_t next;      /* index + 1: the next quarantined block, or the next free record */
};

struct hh_pool {
    struct block *blocks; /* records 0 .. n-1, some of them free (in_use 0) */
    size_t n, cap;
    size_t free_records;  /* index + 1 of the first free record, 0 none */
    size_t used;          /* records in use */
    size_t live;          /* blocks given out and not freed */
    size_t *slots;        /* open addressing on the address: block index + 1, 0 empty */
    size_t nslots;        /* a power of two, at least twice used */
    size_t q_head, q_tail; /* index + 1: the oldest and newest quarantined blocks */
    size_t q_blocks, q_bytes;
    uint64_t next_seq;
    char **files;         /* interned strings: allocation sites, origins */
    size_t nfiles, files_cap;
    /* Static texts and their interned copies (hh__pool_intern_static): the first few seen
     * (later ones are interned by their text, at every call). */
    const char *static_text[HH_POOL_STATIC_TEXTS];
    const char *static_copy[HH_POOL_STATIC_TEXTS];
    size_t nstatic;
    /* Memory of the last run's blocks, kept by hh_pool_reset and poisoned until reused. */
    struct hh_pool_spare {
        void *raw;
        size_t size;
    } *spares;
    size_t nspares, spare_bytes;
};

/* The record of the block that starts at ptr (live or quarantined), or (size_t)-1. */
size_t hh__pool_find(const struct hh_pool *p, const void *ptr);
/* Records a new block (a copy of *init, whose raw and ptr are set): returns its record, or
 * NULL when out of memory (the caller still owns init->raw). */
struct block *hh__pool_add(struct hh_pool *p, const struct block *init);
/* Puts a block just marked freed in the quarantine, and gives the oldest back to the heap
 * while the quarantine is over its bounds. */
void hh__pool_quarantine(struct hh_pool *p, struct block *b);
/* malloc(size) for a block, from a spare of exactly that size when the last reset kept
 * one (so AddressSanitizer's bounds of the block are what malloc's would be); NULL when out
 * of memory. */
void *hh__pool_raw(struct hh_pool *p, size_t size);
/* The same string for the pool's life (the caller's may live in a module that is unloaded). */
const char *hh__pool_intern(struct hh_pool *p, const char *file);
/* The same for a string of static storage (the harness's, or a loaded module's: __FILE__),
 * known by its pointer after the first time, until hh__pool_forget_static. */
const char *hh__pool_intern_static(struct hh_pool *p, const char *text);
/* A module was unloaded: its strings' addresses may be another's next. */
void hh__pool_forget_static(struct hh_pool *p);

#endif
