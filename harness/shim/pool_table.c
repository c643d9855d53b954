/* pool_table.c - the pool's records, their address index and the quarantine. */
#include "pool_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textput.h"
#include "platform/plat.h"
#include "pool.h"

struct hh_pool *hh_pool_new(void)
{
    struct hh_pool *p = calloc(1, sizeof(*p));
    if (!p) {
        fputs("hotswap: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void release_memory(struct block *b)
{
    hh_plat_unpoison(b->ptr, b->size);
    free(b->raw);
}

/* Gives every block, live or quarantined, back to the heap. */
static void release_blocks(struct hh_pool *p)
{
    size_t i;
    for (i = 0; i < p->n; i++) {
        if (p->blocks[i].in_use)
            release_memory(&p->blocks[i]);
    }
}

static void release_spares(struct hh_pool *p)
{
    size_t i;
    for (i = 0; i < p->nspares; i++) {
        hh_plat_unpoison(p->spares[i].raw, p->spares[i].size);
        free(p->spares[i].raw);
    }
    p->nspares = 0;
    p->spare_bytes = 0;
}

/* Keeps every block's memory, live or quarantined, for the next run (up to the bounds),
 * unusable until then; gives the rest back to the heap. A fuzz run makes the same few
 * blocks as the last, and a malloc and free each cost much under AddressSanitizer. */
static void keep_blocks(struct hh_pool *p)
{
    size_t i;
    if (!p->spares) {
        p->spares = malloc(HH_POOL_SPARE_BLOCKS * sizeof(*p->spares));
        if (!p->spares) {
            release_blocks(p);
            return;
        }
    }
    for (i = 0; i < p->n; i++) {
        struct block *b = &p->blocks[i];
        if (!b->in_use)
            continue;
        if (p->nspares == HH_POOL_SPARE_BLOCKS ||
            p->spare_bytes + b->raw_size > HH_POOL_SPARE_BYTES) {
            release_memory(b);
            continue;
        }
        hh_plat_unpoison(b->ptr, b->size);
        hh_plat_poison(b->raw, b->raw_size);
        p->spares[p->nspares].raw = b->raw;
        p->spares[p->nspares].size = b->raw_size;
        p->nspares++;
        p->spare_bytes += b->raw_size;
    }
}

void *hh__pool_raw(struct hh_pool *p, size_t size)
{
    size_t i;
    for (i = p->nspares; i-- > 0;) {
        if (p->spares[i].size == size) {
            void *raw = p->spares[i].raw;
            p->spares[i] = p->spares[--p->nspares];
            p->spare_bytes -= size;
            hh_plat_unpoison(raw, size);
            return raw;
        }
    }
    return malloc(size);
}

static void release_files(struct hh_pool *p)
{
    size_t i;
    for (i = 0; i < p->nfiles; i++)
        free(p->files[i]);
    p->nfiles = 0;
    p->nstatic = 0; /* their copies went with the others */
}

void hh_pool_reset(struct hh_pool *p)
{
    keep_blocks(p);
    /* The strings stay for the next run, which mostly interns the same few (the module's
     * allocation sites, the steps that run); past a few dozen, the search would cost more. */
    if (p->nfiles > HH_POOL_RESET_KEEP_FILES)
        release_files(p);
    if (p->slots)
        memset(p->slots, 0, p->nslots * sizeof(*p->slots));
    p->n = 0;
    p->free_records = 0;
    p->used = 0;
    p->live = 0;
    p->q_head = p->q_tail = 0;
    p->q_blocks = p->q_bytes = 0;
    p->next_seq = 0;
}

void hh_pool_free(struct hh_pool *p)
{
    if (!p)
        return;
    release_blocks(p);
    release_spares(p);
    free(p->spares);
    release_files(p);
    free(p->files);
    free(p->blocks);
    free(p->slots);
    free(p);
}

/* ---- The address index: linear probing, deletion by backward shift --------------------- */
static size_t slot_of(const struct hh_pool *p, const void *ptr)
{
    uint64_t h = (uint64_t)(uintptr_t)ptr;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (size_t)h & (p->nslots - 1);
}

size_t hh__pool_find(const struct hh_pool *p, const void *ptr)
{
    size_t s;
    if (p->nslots == 0)
        return (size_t)-1;
    for (s = slot_of(p, ptr); p->slots[s] != 0; s = (s + 1) & (p->nslots - 1)) {
        if (p->blocks[p->slots[s] - 1].ptr == ptr)
            return p->slots[s] - 1;
    }
    return (size_t)-1;
}

static void insert_slot(struct hh_pool *p, size_t index)
{
    size_t s = slot_of(p, p->blocks[index].ptr);
    while (p->slots[s] != 0)
        s = (s + 1) & (p->nslots - 1);
    p->slots[s] = index + 1;
}

/* Empties the slot of record index, moving back every later entry of its run that may no
 * longer be found past the hole. */
static void remove_slot(struct hh_pool *p, size_t index)
{
    size_t mask = p->nslots - 1, hole, s;
    for (hole = slot_of(p, p->blocks[index].ptr); p->slots[hole] != index + 1;
         hole = (hole + 1) & mask)
        ;
    p->slots[hole] = 0;
    for (s = (hole + 1) & mask; p->slots[s] != 0; s = (s + 1) & mask) {
        size_t home = slot_of(p, p->blocks[p->slots[s] - 1].ptr);
        /* The entry at s may move to the hole when its home is not in (hole, s]. */
        if (((s - home) & mask) >= ((s - hole) & mask)) {
            p->slots[hole] = p->slots[s];
            p->slots[s] = 0;
            hole = s;
        }
    }
}

/* ---- Records ------------------------------------------------------------------------------ */
/* A free record's index, growing the array and the index (at most half full) as needed;
 * (size_t)-1 when out of memory. */
static size_t take_record(struct hh_pool *p)
{
    size_t i, index;
    if ((p->used + 1) * 2 > p->nslots) {
        size_t nslots = p->nslots ? p->nslots * 2 : 128;
        size_t *slots = calloc(nslots, sizeof(*slots));
        if (!slots)
            return (size_t)-1;
        free(p->slots);
        p->slots = slots;
        p->nslots = nslots;
        for (i = 0; i < p->n; i++) {
            if (p->blocks[i].in_use)
                insert_slot(p, i);
        }
    }
    if (p->free_records) {
        index = p->free_records - 1;
        p->free_records = p->blocks[index].next;
        return index;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct block *grown = realloc(p->blocks, cap * sizeof(*grown));
        if (!grown)
            return (size_t)-1;
        p->blocks = grown;
        p->cap = cap;
    }
    return p->n++;
}

struct block *hh__pool_add(struct hh_pool *p, const struct block *init)
{
    size_t index = take_record(p);
    struct block *b;
    if (index == (size_t)-1)
        return NULL;
    b = &p->blocks[index];
    *b = *init;
    b->in_use = TRUE;
    b->seq = ++p->next_seq;
    b->next = 0;
    p->used++;
    insert_slot(p, index);
    return b;
}

/* Gives the oldest quarantined block back to the heap and its record to the free list. */
static void evict_oldest(struct hh_pool *p)
{
    size_t index = p->q_head - 1;
    struct block *b = &p->blocks[index];
    p->q_head = b->next;
    if (!p->q_head)
        p->q_tail = 0;
    p->q_blocks--;
    p->q_bytes -= b->size;
    remove_slot(p, index);
    release_memory(b);
    memset(b, 0, sizeof(*b));
    b->next = p->free_records;
    p->free_records = index + 1;
    p->used--;
}

void hh__pool_quarantine(struct hh_pool *p, struct block *b)
{
    size_t index = (size_t)(b - p->blocks);
    b->next = 0;
    if (p->q_tail)
        p->blocks[p->q_tail - 1].next = index + 1;
    else
        p->q_head = index + 1;
    p->q_tail = index + 1;
    p->q_blocks++;
    p->q_bytes += b->size;
    /* The newest stays, even when it alone is over the bytes: its use after free is the
     * likeliest. */
    while (p->q_blocks > 1 &&
           (p->q_blocks > HH_POOL_QUARANTINE_BLOCKS || p->q_bytes > HH_POOL_QUARANTINE_BYTES))
        evict_oldest(p);
}

void hh__pool_forget_static(struct hh_pool *p)
{
    p->nstatic = 0;
}

const char *hh__pool_intern_static(struct hh_pool *p, const char *text)
{
    const char *copy;
    size_t i;
    for (i = 0; i < p->nstatic; i++) {
        if (p->static_text[i] == text)
            return p->static_copy[i];
    }
    copy = hh__pool_intern(p, text);
    if (copy && p->nstatic < HH_POOL_STATIC_TEXTS) {
        p->static_text[p->nstatic] = text;
        p->static_copy[p->nstatic++] = copy;
    }
    return copy;
}

const char *hh__pool_intern(struct hh_pool *p, const char *file)
{
    size_t i, n;
    char *copy;
    if (!file)
        return NULL;
    /* The same pointer first: an allocation site's __FILE__ is the one string for every call,
     * and the module's files share a long folder prefix a comparison would walk. */
    for (i = p->nfiles; i-- > 0;) {
        if (p->files[i] == file)
            return p->files[i];
    }
    for (i = p->nfiles; i-- > 0;) { /* newest first: a step's allocations share its text */
        if (hh_text_same(p->files[i], file))
            return p->files[i];
    }
    if (p->nfiles == p->files_cap) {
        size_t cap = p->files_cap ? p->files_cap * 2 : 8;
        char **grown = realloc(p->files, cap * sizeof(*grown));
        if (!grown)
            return NULL;
        p->files = grown;
        p->files_cap = cap;
    }
    n = strlen(file) + 1;
    copy = malloc(n);
    if (!copy)
        return NULL;
    memcpy(copy, file, n);
    p->files[p->nfiles++] = copy;
    return copy;
}
