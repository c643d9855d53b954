/* pool.c - ExAllocatePool2 and friends on a tracked pool.
 *
 * Every block is recorded (tag, size, site, invocation) in pool_table.c's table, keyed by its
 * address. Frees are checked as the kernel's pool checks them (BAD_POOL_CALLER); a freed
 * block stays recorded, filled and poisoned while it is in the quarantine, so a second free
 * is told apart from a foreign one and a use after free reads the fill byte. Leaks are
 * listed by hh_pool_live; reporting them is the caller's job.
 */
#define HOTSWAP_NO_POOL_SITES
#include "pool.h"
#include "pool_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"
#include "shim.h"

#define CACHE_LINE 64
#define POOL2_REQUIRED_MASK 0xFFFFFFFFull
#define POOL2_KNOWN_FLAGS                                                                    \
    (POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED | POOL_FLAG_SESSION |                     \
     POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_RAISE_ON_FAILURE | POOL_FLAG_NON_PAGED |            \
     POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED)
/* POOL_TYPE bits (wdm.h): bit 0 paged, bit 2 cache aligned, 16 raise on failure. */
#define POOL_TYPE_PAGED_BIT 0x1
#define POOL_TYPE_CACHE_ALIGNED_BIT 0x4
#define POOL_TYPE_RAISE_BIT 0x10

/* One allocation request, whichever routine made it. */
struct request {
    const char *routine;
    size_t size;
    ULONG tag;
    BOOLEAN paged;
    BOOLEAN zero;
    BOOLEAN cache_aligned;
    BOOLEAN raise;
    BOOLEAN quota;
    const char *file;
    int line;
};

/* ---- Reports --------------------------------------------------------------------------- */
const char *hh_pool_tag_text(ULONG tag, char *buf)
{
    int i;
    buf[0] = '\'';
    for (i = 0; i < 4; i++) {
        unsigned c = (unsigned)(tag >> (8 * i)) & 0xFFu;
        buf[1 + i] = (char)(c >= 0x20 && c <= 0x7E ? c : '.');
    }
    buf[5] = '\'';
    buf[6] = '\0';
    return buf;
}

static const char *site_text(const char *file, int line, char *buf, size_t len)
{
    if (file)
        snprintf(buf, len, "%s:%d", file, line);
    else
        snprintf(buf, len, "an unknown place");
    return buf;
}

/* "the DPC TickDpc at x.c:40 (libm.so+0x1180) of the timer at the global TickTimer (...)":
 * the routine by the module's symbols, the timer by its place (read without touching it: it
 * may be freed by now). */
static const char *dpc_text(const struct hh_pool_block_info *b, char *buf, size_t len)
{
    struct hh_engine *e = hh_engine_current();
    char routine[400], place[600];
    if (!hh_plat_code_site(b->dpc_routine, 0, routine, sizeof(routine)))
        snprintf(routine, sizeof(routine), "in a module no longer loaded");
    if (e && hh_engine_describe_place(e, b->dpc_timer, place, sizeof(place)))
        snprintf(buf, len, "the DPC %s of the timer at %s", routine, place);
    else
        snprintf(buf, len, "the DPC %s", routine);
    return buf;
}

const char *hh_pool_origin_text(const struct hh_pool_block_info *b, char *buf, size_t len)
{
    char dpc[1100];
    if (b->invocation)
        snprintf(buf, len, "in invocation %lu", b->invocation);
    else if (b->dpc_routine && b->origin)
        snprintf(buf, len, "in %s during %s", dpc_text(b, dpc, sizeof(dpc)), b->origin);
    else if (b->dpc_routine)
        snprintf(buf, len, "in %s", dpc_text(b, dpc, sizeof(dpc)));
    else if (b->origin)
        snprintf(buf, len, "in %s", b->origin);
    else
        snprintf(buf, len, "outside any invocation");
    return buf;
}

const char *hh_pool_describe(const struct hh_pool_block_info *b, char *buf, size_t len)
{
    char tag[8], site[300], when[1500];
    snprintf(buf, len, "%llu bytes, tag %s, allocated at %s %s", (unsigned long long)b->size,
             hh_pool_tag_text(b->tag, tag), site_text(b->file, b->line, site, sizeof(site)),
             hh_pool_origin_text(b, when, sizeof(when)));
    return buf;
}

static void block_info(const struct block *b, struct hh_pool_block_info *out)
{
    out->ptr = b->ptr;
    out->size = b->size;
    out->tag = b->tag;
    out->file = b->file;
    out->line = b->line;
    out->invocation = b->invocation;
    out->origin = b->origin;
    out->dpc_routine = b->dpc_routine;
    out->dpc_timer = b->dpc_timer;
}

static const char *describe_block(const struct block *b, char *buf, size_t len)
{
    struct hh_pool_block_info info;
    block_info(b, &info);
    return hh_pool_describe(&info, buf, len);
}

static int by_allocation_order(const void *a, const void *b)
{
    const struct block *x = *(const struct block *const *)a, *y = *(const struct block *const *)b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t hh_pool_live(const struct hh_pool *p, struct hh_pool_block_info *out, size_t max)
{
    size_t i, live = 0;
    const struct block **order;
    for (i = 0; i < p->n; i++) {
        if (p->blocks[i].in_use && !p->blocks[i].freed)
            live++;
    }
    if (max == 0 || live == 0)
        return live;
    /* Records are reused, so their order is not the allocation order: sort what is live. */
    order = malloc(live * sizeof(*order));
    if (!order) {
        fputs("hotswap: out of memory\n", stderr);
        abort();
    }
    live = 0;
    for (i = 0; i < p->n; i++) {
        if (p->blocks[i].in_use && !p->blocks[i].freed)
            order[live++] = &p->blocks[i];
    }
    qsort(order, live, sizeof(*order), by_allocation_order);
    for (i = 0; i < live && i < max; i++)
        block_info(order[i], &out[i]);
    free(order);
    return live;
}

/* ---- Allocation ------------------------------------------------------------------------
 * WDK facts kept here: ExAllocatePool2 returns NULL for a zero tag or invalid flags (raises
 * with POOL_FLAG_RAISE_ON_FAILURE) and zeroes unless POOL_FLAG_UNINITIALIZED; a zero-byte
 * request is BAD_POOL_CALLER 0x0; paged pool needs IRQL <= APC_LEVEL, nonpaged
 * <= DISPATCH_LEVEL (BAD_POOL_CALLER 0x8, 0x9 on free); blocks are 16-byte aligned on
 * 64-bit (malloc's alignment), 64-byte aligned when cache aligned, page-aligned from
 * PAGE_SIZE up. */
static unsigned long current_invocation(const struct hh_engine *e)
{
    const struct _KTHREAD *t = e->current;
    return e->state == HH_WORKER_RUNNING && t == e->worker && !t->dpc ? e->invocations : 0;
}

/* Outside any invocation: what the engine's driver was doing ("step 2 (steps[1]: set work)",
 * "HotswapCreateContext (the set-up)"), or the invocation a DPC interrupted; NULL when
 * unknown. The DPC itself is kept as its routine and timer and named only in a report: naming
 * code may run a symbolizer, too slow for every allocation of a fuzzing run. */
static const char *current_phase(struct hh_engine *e)
{
    const struct _KTHREAD *t = e->current;
    const char *text;
    char phase[300];
    if (t && t->dpc && e->state == HH_WORKER_RUNNING && t == e->worker)
        snprintf(phase, sizeof(phase), "invocation %lu", e->invocations);
    else if (e->phase_text && (text = e->phase_text(e->phase_user, phase, sizeof(phase))) != phase)
        return hh__pool_intern_static(e->pool, text);
    else if (!e->phase_text)
        return NULL;
    return hh__pool_intern(e->pool, phase);
}

static KIRQL current_irql(const struct hh_engine *e)
{
    return e->current ? e->current->irql : PASSIVE_LEVEL;
}

/* Paged pool may be touched at most at APC_LEVEL, nonpaged at DISPATCH_LEVEL. */
static void check_pool_irql(struct hh_engine *e, const char *routine, BOOLEAN paged,
                            const char *what, unsigned subcode)
{
    char have[24];
    KIRQL max = paged ? APC_LEVEL : DISPATCH_LEVEL;
    if (current_irql(e) <= max)
        return;
    hh_engine_abort(e, HH_RULE_IRQL,
                    "%s at %s %s %s pool, which requires IRQL <= %s; the kernel bug-checks "
                    "with BAD_POOL_CALLER (0xC2, 0x%X)",
                    routine, hh_irql_name(current_irql(e), have, sizeof(have)), what,
                    paged ? "paged" : "nonpaged", paged ? "APC_LEVEL" : "DISPATCH_LEVEL",
                    subcode);
}

/* An allocation that cannot be satisfied: NULL, or with raise-on-failure the exception the
 * kernel raises, which the harness cannot hand to the routine's __except block. */
static PVOID refuse(struct hh_engine *e, const struct request *rq, const char *why)
{
    char site[300];
    if (!rq->raise)
        return NULL;
    hh_engine_abort(e, HH_RULE_POOL_CALL,
                    "%s at %s failed (%s) and was asked to raise on failure: the kernel "
                    "raises STATUS_INSUFFICIENT_RESOURCES, which the harness cannot deliver "
                    "to an exception handler",
                    rq->routine, site_text(rq->file, rq->line, site, sizeof(site)), why);
}

/* Blocks of PAGE_SIZE or more start on a page, as the WDK documents; cache-aligned ones on
 * a cache line; others where malloc puts them (16 bytes on 64-bit). */
static size_t alignment_of(const struct request *rq)
{
    if (rq->size >= PAGE_SIZE)
        return PAGE_SIZE;
    return rq->cache_aligned ? CACHE_LINE : 1;
}

/* A block made (bytes > 0) or freed (bytes < 0), for a picture of the run. */
static void trace_pool(struct hh_engine *e, long long bytes, ULONG tag)
{
    struct hh_trace_event ev;
    if (!e->trace)
        return;
    hh_trace_event_init(&ev, HH_TRACE_POOL, NULL);
    ev.bytes = bytes;
    ev.tag = tag;
    ev.count = (unsigned long)e->pool->live;
    hh_engine_trace(e, &ev);
}

static PVOID allocate(struct hh_engine *e, const struct request *rq)
{
    struct hh_pool *p = e->pool;
    struct block init, *b;
    char tag[8], site[300];
    size_t align = alignment_of(rq);
    check_pool_irql(e, rq->routine, rq->paged, "allocates", 0x8);
    if (rq->size == 0)
        hh_engine_abort(e, HH_RULE_POOL_CALL,
                        "%s at %s asks for 0 bytes (tag %s); the kernel bug-checks with "
                        "BAD_POOL_CALLER (0xC2, 0x0)",
                        rq->routine, site_text(rq->file, rq->line, site, sizeof(site)),
                        hh_pool_tag_text(rq->tag, tag));
    if (rq->size > HH_POOL_MAX_BLOCK)
        return refuse(e, rq, "more than the harness's pool limit");
    memset(&init, 0, sizeof(init));
    init.raw_size = rq->size + align - 1;
    init.raw = hh__pool_raw(p, init.raw_size);
    if (!init.raw)
        return refuse(e, rq, "out of memory");
    init.ptr = (char *)init.raw + (align - (uintptr_t)init.raw % align) % align;
    init.size = rq->size;
    init.tag = rq->tag;
    init.paged = rq->paged;
    init.quota = rq->quota;
    init.file = hh__pool_intern_static(p, rq->file);
    init.line = rq->line;
    init.invocation = current_invocation(e);
    if (!init.invocation) {
        const struct _KTHREAD *t = e->current;
        init.origin = current_phase(e);
        if (t && t->dpc) {
            /* The routine's address as data, for the module's symbols (ISO C has no cast). */
            memcpy(&init.dpc_routine, &t->dpc->DeferredRoutine, sizeof(init.dpc_routine));
            init.dpc_timer = t->dpc_timer;
        }
    }
    b = hh__pool_add(p, &init);
    if (!b) {
        free(init.raw);
        return refuse(e, rq, "out of memory");
    }
    memset(b->ptr, rq->zero ? 0 : HH_POOL_UNINITIALIZED_BYTE, rq->size);
    p->live++;
    trace_pool(e, (long long)rq->size, rq->tag);
    return b->ptr;
}

/* Why ExAllocatePool2 refuses these flags, or NULL when they are valid. */
static const char *pool2_flags_problem(POOL_FLAGS flags)
{
    int types = !!(flags & POOL_FLAG_NON_PAGED) + !!(flags & POOL_FLAG_NON_PAGED_EXECUTE) +
                !!(flags & POOL_FLAG_PAGED);
    if (flags & POOL2_REQUIRED_MASK & ~POOL2_KNOWN_FLAGS)
        return "an unknown required flag";
    if (types == 0)
        return "no pool type flag";
    if (types > 1)
        return "more than one pool type flag";
    return NULL;
}

PVOID HhExAllocatePool2At(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag, const char *File,
                          int Line)
{
    struct hh_engine *e = hh_shim_enter("ExAllocatePool2");
    const char *problem = pool2_flags_problem(Flags);
    PVOID p;
    struct request rq = {
        .routine = "ExAllocatePool2",
        .size = NumberOfBytes,
        .tag = Tag,
        .paged = (Flags & POOL_FLAG_PAGED) != 0,
        .zero = (Flags & POOL_FLAG_UNINITIALIZED) == 0,
        .cache_aligned = (Flags & POOL_FLAG_CACHE_ALIGNED) != 0,
        .raise = (Flags & POOL_FLAG_RAISE_ON_FAILURE) != 0,
        .file = File,
        .line = Line,
    };
    /* Documented: a zero tag or invalid flags fail like an exhausted pool. */
    if (Tag == 0)
        p = refuse(e, &rq, "tag 0");
    else if (problem)
        p = refuse(e, &rq, problem);
    else
        p = allocate(e, &rq);
    hh_shim_leave(e);
    return p;
}

PVOID hh_pool_allocate_typed(const char *routine, POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                             ULONG Tag, BOOLEAN zero, const char *File, int Line)
{
    struct hh_engine *e = hh_shim_enter(routine);
    unsigned type = (unsigned)PoolType;
    PVOID p;
    struct request rq = {
        .routine = routine,
        .size = NumberOfBytes,
        .tag = Tag,
        .paged = (type & POOL_TYPE_PAGED_BIT) != 0,
        .zero = zero,
        .cache_aligned = (type & POOL_TYPE_CACHE_ALIGNED_BIT) != 0,
        .raise = (type & POOL_TYPE_RAISE_BIT) != 0,
        .file = File,
        .line = Line,
    };
    p = allocate(e, &rq);
    hh_shim_leave(e);
    return p;
}

PVOID HhExAllocatePoolWithTagAt(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                const char *File, int Line)
{
    return hh_pool_allocate_typed("ExAllocatePoolWithTag", PoolType, NumberOfBytes, Tag, FALSE, File,
                          Line);
}

PVOID HhExAllocatePoolZeroAt(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                             const char *File, int Line)
{
    return hh_pool_allocate_typed("ExAllocatePoolZero", PoolType, NumberOfBytes, Tag, TRUE, File,
                          Line);
}

PVOID HhExAllocatePoolUninitializedAt(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                      const char *File, int Line)
{
    return hh_pool_allocate_typed("ExAllocatePoolUninitialized", PoolType, NumberOfBytes, Tag,
                                  FALSE, File, Line);
}

/* Charges quota to the current process, which the harness does not limit; without
 * POOL_QUOTA_FAIL_INSTEAD_OF_RAISE a failure raises. */
PVOID HhExAllocatePoolWithQuotaTagAt(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                     const char *File, int Line)
{
    struct hh_engine *e = hh_shim_enter("ExAllocatePoolWithQuotaTag");
    unsigned type = (unsigned)PoolType;
    PVOID p;
    struct request rq = {
        .routine = "ExAllocatePoolWithQuotaTag",
        .size = NumberOfBytes,
        .tag = Tag,
        .paged = (type & POOL_TYPE_PAGED_BIT) != 0,
        .cache_aligned = (type & POOL_TYPE_CACHE_ALIGNED_BIT) != 0,
        .raise = (type & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE) == 0,
        .quota = TRUE,
        .file = File,
        .line = Line,
    };
    p = allocate(e, &rq);
    hh_shim_leave(e);
    return p;
}

PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return HhExAllocatePoolUninitializedAt(PoolType, NumberOfBytes, Tag, NULL, 0);
}

PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return HhExAllocatePoolWithQuotaTagAt(PoolType, NumberOfBytes, Tag, NULL, 0);
}

PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag)
{
    return HhExAllocatePool2At(Flags, NumberOfBytes, Tag, NULL, 0);
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return HhExAllocatePoolWithTagAt(PoolType, NumberOfBytes, Tag, NULL, 0);
}

PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return HhExAllocatePoolZeroAt(PoolType, NumberOfBytes, Tag, NULL, 0);
}

/* ---- Free ------------------------------------------------------------------------------
 * The kernel's order: a NULL or foreign pointer, a block already freed, the IRQL, then the
 * tag (ExFreePoolWithTag(P, 0) skips the tag test, as ExFreePool does). Each is a bug check
 * on Windows; ExFreePool2's documentation says P must not be NULL. */
/* One free call: the routine, its arguments and where it was made. */
struct release {
    const char *routine;
    PVOID ptr;
    BOOLEAN has_tag; /* ExFreePoolWithTag */
    ULONG tag;       /* 0 is not checked, as in the kernel (ExFreePool passes 0) */
    const char *file;
    int line;
};

static const char *call_text(const struct release *r, char *buf, size_t len)
{
    char tag[8], site[300];
    if (r->has_tag)
        snprintf(buf, len, "%s(%p, %s) at %s", r->routine, r->ptr, hh_pool_tag_text(r->tag, tag),
                 site_text(r->file, r->line, site, sizeof(site)));
    else
        snprintf(buf, len, "%s(%p) at %s", r->routine, r->ptr,
                 site_text(r->file, r->line, site, sizeof(site)));
    return buf;
}

/* The block ptr points into, when it is not the block's start (a foreign free's usual
 * cause); NULL otherwise. Only failures scan. */
static const struct block *block_around(const struct hh_pool *p, const void *ptr)
{
    size_t i;
    uintptr_t a = (uintptr_t)ptr;
    for (i = 0; i < p->n; i++) {
        uintptr_t start = (uintptr_t)p->blocks[i].ptr;
        if (p->blocks[i].in_use && a > start && a - start < p->blocks[i].size)
            return &p->blocks[i];
    }
    return NULL;
}

const char *hh_pool_freed_where(const struct hh_pool *p, const void *addr, char *buf,
                                size_t len)
{
    size_t i;
    uintptr_t a = (uintptr_t)addr;
    for (i = 0; i < p->n; i++) {
        const struct block *b = &p->blocks[i];
        uintptr_t start = (uintptr_t)b->ptr;
        char what[900], site[300];
        if (b->in_use && b->freed && a >= start && a - start < b->size) {
            snprintf(buf, len, "offset %lu in the block of %s, freed at %s",
                     (unsigned long)(a - start), describe_block(b, what, sizeof(what)),
                     site_text(b->free_file, b->free_line, site, sizeof(site)));
            return buf;
        }
    }
    return NULL;
}

const char *hh_pool_where(const struct hh_pool *p, const void *addr, char *buf, size_t len)
{
    size_t i;
    uintptr_t a = (uintptr_t)addr;
    for (i = 0; i < p->n; i++) {
        const struct block *b = &p->blocks[i];
        uintptr_t start = (uintptr_t)b->ptr;
        char what[900];
        if (b->in_use && !b->freed && a >= start && a - start < b->size) {
            snprintf(buf, len, "offset %lu in the block of %s", (unsigned long)(a - start),
                     describe_block(b, what, sizeof(what)));
            return buf;
        }
    }
    return NULL;
}

static HH_DECLSPEC_NORETURN void foreign_free(struct hh_engine *e, const struct release *r)
    HH_NORETURN_ATTR;
static void foreign_free(struct hh_engine *e, const struct release *r)
{
    char call[400], what[400];
    const struct block *around = block_around(e->pool, r->ptr);
    if (!around)
        hh_engine_abort(e, HH_RULE_BAD_FREE,
                        "%s frees memory the pool never gave out; the kernel bug-checks "
                        "(BAD_POOL_CALLER)",
                        call_text(r, call, sizeof(call)));
    hh_engine_abort(e, HH_RULE_BAD_FREE,
                    "%s frees an address %llu bytes into a%s block (%s), not its start; the "
                    "kernel bug-checks (BAD_POOL_CALLER)",
                    call_text(r, call, sizeof(call)),
                    (unsigned long long)((uintptr_t)r->ptr - (uintptr_t)around->ptr),
                    around->freed ? " freed" : "", describe_block(around, what, sizeof(what)));
}

static void check_free(struct hh_engine *e, const struct release *r, const struct block *b)
{
    char call[400], what[400], site[300], tag[8];
    if (b->freed)
        hh_engine_abort(e, HH_RULE_BAD_FREE,
                        "%s frees a block that was already freed (%s; freed at %s); the kernel "
                        "bug-checks with BAD_POOL_CALLER (0xC2, 0x7)",
                        call_text(r, call, sizeof(call)), describe_block(b, what, sizeof(what)),
                        site_text(b->free_file, b->free_line, site, sizeof(site)));
    check_pool_irql(e, r->routine, b->paged, "frees", 0x9);
    if (r->tag && r->tag != b->tag)
        hh_engine_abort(e, HH_RULE_BAD_FREE,
                        "%s names the wrong tag: the block has tag %s (%s); the kernel "
                        "bug-checks with BAD_POOL_CALLER (0xC2, 0xA)",
                        call_text(r, call, sizeof(call)), hh_pool_tag_text(b->tag, tag),
                        describe_block(b, what, sizeof(what)));
}

static void release(const struct release *r)
{
    struct hh_engine *e = hh_shim_enter(r->routine);
    struct hh_pool *p = e->pool;
    struct block *b;
    char call[400];
    size_t index;
    if (!r->ptr)
        hh_engine_abort(e, HH_RULE_BAD_FREE,
                        "%s frees NULL; the kernel bug-checks (BAD_POOL_CALLER): free only "
                        "what an allocation returned",
                        call_text(r, call, sizeof(call)));
    index = hh__pool_find(p, r->ptr);
    if (index == (size_t)-1)
        foreign_free(e, r);
    b = &p->blocks[index];
    check_free(e, r, b);
    b->freed = TRUE;
    p->live--;
    trace_pool(e, -(long long)b->size, b->tag);
    b->free_file = hh__pool_intern_static(p, r->file);
    b->free_line = r->line;
    memset(b->ptr, HH_POOL_FREED_BYTE, b->size);
    hh_plat_poison(b->ptr, b->size);
    hh__pool_quarantine(p, b);
    hh_shim_leave(e);
}

void hh_pool_release(const char *routine, PVOID P, const char *File, int Line)
{
    struct release r = {routine, P, FALSE, 0, File, Line};
    release(&r);
}

SIZE_T ExQueryPoolBlockSize(PVOID PoolBlock, PBOOLEAN QuotaCharged)
{
    struct hh_engine *e = hh_shim_enter("ExQueryPoolBlockSize");
    size_t index = hh__pool_find(e->pool, PoolBlock);
    SIZE_T size;
    if (index == (size_t)-1 || e->pool->blocks[index].freed)
        hh_engine_abort(e, HH_RULE_BAD_FREE,
                        "ExQueryPoolBlockSize(%p): %s; the kernel reads a pool header that is "
                        "not there (BAD_POOL_HEADER, 0x19)",
                        PoolBlock,
                        index == (size_t)-1 ? "not the start of a block the pool gave out"
                                            : "the block was freed");
    size = e->pool->blocks[index].size;
    if (QuotaCharged)
        *QuotaCharged = e->pool->blocks[index].quota;
    hh_shim_leave(e);
    return size;
}

VOID HhExFreePoolWithTagAt(PVOID P, ULONG Tag, const char *File, int Line)
{
    struct release r = {"ExFreePoolWithTag", P, TRUE, Tag, File, Line};
    release(&r);
}

VOID HhExFreePoolAt(PVOID P, const char *File, int Line)
{
    struct release r = {"ExFreePool", P, FALSE, 0, File, Line};
    release(&r);
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    HhExFreePoolWithTagAt(P, Tag, NULL, 0);
}

VOID ExFreePool(PVOID P)
{
    HhExFreePoolAt(P, NULL, 0);
}

void hh_pool_forget_sites(struct hh_pool *p)
{
    hh__pool_forget_static(p);
}
