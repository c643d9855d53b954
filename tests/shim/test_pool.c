/* test_pool.c - the tracked pool: allocation flags, sites, leaks and every bad free.
 *
 * Allocations go through the wdm.h site macros, so the recorded file and line are this
 * file's; every failure message is checked for the pointer, tag, size and both sites.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "shim/pool.h"
#include "shim/pool_table.h"
#include "shim_test.h"

#define TAG_A TAG4('H', 'h', '0', '1')
#define TAG_B TAG4('H', 'h', '0', '2')

static int all_bytes(const void *p, size_t n, unsigned char value)
{
    const unsigned char *b = p;
    size_t i;
    for (i = 0; i < n; i++) {
        if (b[i] != value)
            return 0;
    }
    return 1;
}

static size_t live(struct hh_engine *e, struct hh_pool_block_info *out, size_t max)
{
    return hh_pool_live(e->pool, out, max);
}

static void test_pool2_zeroes_and_records_site(void)
{
    struct hh_engine *e = test_engine();
    struct hh_pool_block_info info[2];
    char text[400], expect[64];
    unsigned char *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 24, TAG_A); int line = __LINE__;
    CHECK(p != NULL);
    CHECK(all_bytes(p, 24, 0));
    CHECK_EQ(live(e, info, 2), 1);
    CHECK(info[0].ptr == p);
    CHECK_EQ(info[0].size, 24);
    CHECK_EQ(info[0].tag, TAG_A);
    CHECK_CONTAINS(info[0].file, "test_pool.c");
    CHECK_EQ(info[0].line, line);
    CHECK_EQ(info[0].invocation, 0);
    snprintf(expect, sizeof(expect), "test_pool.c:%d outside any invocation", line);
    CHECK_CONTAINS(hh_pool_describe(&info[0], text, sizeof(text)), expect);
    CHECK_CONTAINS(text, "24 bytes, tag 'Hh01'");
    ExFreePoolWithTag(p, TAG_A);
    CHECK_EQ(live(e, info, 2), 0);
    test_engine_done(e);
}

static void test_uninitialized_fill_and_zero_variants(void)
{
    struct hh_engine *e = test_engine();
    void *a = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED, 40, TAG_A);
    void *b = ExAllocatePoolWithTag(NonPagedPoolNx, 40, TAG_A);
    void *c = ExAllocatePoolZero(PagedPool, 40, TAG_A);
    CHECK(a && b && c);
    CHECK(all_bytes(a, 40, HH_POOL_UNINITIALIZED_BYTE));
    CHECK(all_bytes(b, 40, HH_POOL_UNINITIALIZED_BYTE));
    CHECK(all_bytes(c, 40, 0));
    ExFreePool(a);
    ExFreePool(b);
    ExFreePool(c);
    test_engine_done(e);
}

static void test_cache_aligned(void)
{
    struct hh_engine *e = test_engine();
    int i;
    for (i = 0; i < 8; i++) {
        void *a = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 3, TAG_A);
        void *b = ExAllocatePoolWithTag(NonPagedPoolCacheAligned, 5, TAG_A);
        CHECK_EQ((uintptr_t)a % 64, 0);
        CHECK_EQ((uintptr_t)b % 64, 0);
        ExFreePoolWithTag(a, TAG_A);
        ExFreePoolWithTag(b, TAG_A);
    }
    test_engine_done(e);
}

static void test_pool2_invalid_flags_return_null(void)
{
    struct hh_engine *e = test_engine();
    void *ok;
    CHECK(ExAllocatePool2(0, 8, TAG_A) == NULL);
    CHECK(ExAllocatePool2(POOL_FLAG_UNINITIALIZED, 8, TAG_A) == NULL);
    CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, 8, TAG_A) == NULL);
    CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED | 0x10, 8, TAG_A) == NULL);
    CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0) == NULL);
    CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED, HH_POOL_MAX_BLOCK + 1, TAG_A) == NULL);
    /* The high 32 bits are optional flags: unknown ones are ignored. */
    ok = ExAllocatePool2(POOL_FLAG_NON_PAGED | (1ull << 40), 8, TAG_A);
    CHECK(ok != NULL);
    ExFreePool(ok);
    CHECK_EQ(e->failed, 0);
    test_engine_done(e);
}

static void raise_on_bad_flags(void *arg)
{
    (void)arg;
    ExAllocatePool2(POOL_FLAG_RAISE_ON_FAILURE, 8, TAG_A);
}

static void raise_on_too_large(void *arg)
{
    (void)arg;
    ExAllocatePoolWithTag((POOL_TYPE)(NonPagedPoolNx | 16), HH_POOL_MAX_BLOCK + 1, TAG_A);
}

static void test_raise_on_failure_ends_the_run(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, raise_on_bad_flags, NULL, HH_RULE_POOL_CALL, "no pool type flag");
    CHECK_CONTAINS(e->failure.message, "STATUS_INSUFFICIENT_RESOURCES");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, raise_on_too_large, NULL, HH_RULE_POOL_CALL, "pool limit");
    test_engine_done(e);
}

static void zero_bytes(void *arg)
{
    (void)arg;
    ExAllocatePool2(POOL_FLAG_NON_PAGED, 0, TAG_B);
}

static void test_zero_bytes_is_bad_pool_caller(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, zero_bytes, NULL, HH_RULE_POOL_CALL, "asks for 0 bytes (tag 'Hh02')");
    CHECK_CONTAINS(e->failure.message, "BAD_POOL_CALLER (0xC2, 0x0)");
    CHECK_CONTAINS(e->failure.message, "test_pool.c:");
    test_engine_done(e);
}

static void *block;
static int alloc_line, free_line;

static void free_twice(void *arg)
{
    (void)arg;
    ExFreePoolWithTag(block, TAG_A); free_line = __LINE__;
    ExFreePoolWithTag(block, TAG_A);
}

static void test_double_free_names_both_sites(void)
{
    struct hh_engine *e = test_engine();
    char alloc_site[64], free_site[64];
    block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 24, TAG_A); alloc_line = __LINE__;
    CHECK_ABORTS(e, free_twice, NULL, HH_RULE_BAD_FREE, "already freed");
    snprintf(alloc_site, sizeof(alloc_site), "allocated at %s:%d", __FILE__, alloc_line);
    snprintf(free_site, sizeof(free_site), "freed at %s:%d", __FILE__, free_line);
    CHECK_CONTAINS(e->failure.message, alloc_site);
    CHECK_CONTAINS(e->failure.message, free_site);
    CHECK_CONTAINS(e->failure.message, "24 bytes, tag 'Hh01'");
    CHECK_CONTAINS(e->failure.message, "ExFreePoolWithTag(");
    CHECK_CONTAINS(e->failure.message, "BAD_POOL_CALLER (0xC2, 0x7)");
    test_engine_done(e);
}

static void free_foreign(void *arg)
{
    ExFreePool(arg);
}

static void test_foreign_free(void)
{
    struct hh_engine *e = test_engine();
    int local;
    char *p;
    char expect[64];
    CHECK_ABORTS(e, free_foreign, &local, HH_RULE_BAD_FREE, "never gave out");
    snprintf(expect, sizeof(expect), "ExFreePool(%p)", (void *)&local);
    CHECK_CONTAINS(e->failure.message, expect);
    test_engine_done(e);

    e = test_engine();
    p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, TAG_A);
    CHECK_ABORTS(e, free_foreign, p + 8, HH_RULE_BAD_FREE, "8 bytes into a block");
    CHECK_CONTAINS(e->failure.message, "32 bytes, tag 'Hh01'");
    test_engine_done(e);
}

static void free_null(void *arg)
{
    (void)arg;
    ExFreePoolWithTag(NULL, TAG_A);
}

static void test_free_null(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, free_null, NULL, HH_RULE_BAD_FREE, "frees NULL");
    test_engine_done(e);
}

static void free_with_tag_b(void *arg)
{
    ExFreePoolWithTag(arg, TAG_B);
}

static void test_tag_mismatch(void)
{
    struct hh_engine *e = test_engine();
    void *p = ExAllocatePoolWithTag(PagedPool, 16, TAG_A);
    CHECK_ABORTS(e, free_with_tag_b, p, HH_RULE_BAD_FREE, "wrong tag");
    CHECK_CONTAINS(e->failure.message, "'Hh02') at ");
    CHECK_CONTAINS(e->failure.message, "the block has tag 'Hh01'");
    CHECK_CONTAINS(e->failure.message, "BAD_POOL_CALLER (0xC2, 0xA)");
    test_engine_done(e);
}

static void test_tag_zero_is_not_checked(void)
{
    struct hh_engine *e = test_engine();
    void *p = ExAllocatePoolWithTag(PagedPool, 16, TAG_A);
    ExFreePoolWithTag(p, 0);
    CHECK_EQ(e->failed, 0);
    CHECK_EQ(hh_pool_live(e->pool, NULL, 0), 0);
    test_engine_done(e);
}

static void test_leaks_listed_in_allocation_order(void)
{
    struct hh_engine *e = test_engine();
    struct hh_pool_block_info info[1];
    struct hh_pool_block_info all[3];
    void *a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 1, TAG4('a', 'a', 'a', 'a'));
    void *b = ExAllocatePool2(POOL_FLAG_NON_PAGED, 2, TAG4('b', 'b', 'b', 'b'));
    void *c;
    e->state = HH_WORKER_RUNNING; /* inside the routine: the worker's code runs */
    e->current = e->worker;
    e->invocations = 4;
    c = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3, TAG4('c', 'c', 'c', 'c'));
    e->state = HH_WORKER_WAITING;
    e->current = e->driver;
    ExFreePool(b);
    CHECK_EQ(hh_pool_live(e->pool, info, 1), 2); /* counts past max */
    CHECK(info[0].ptr == a);
    CHECK_EQ(hh_pool_live(e->pool, all, 3), 2);
    CHECK(all[0].ptr == a);
    CHECK(all[1].ptr == c);
    CHECK_EQ(all[1].size, 3);
    CHECK_EQ(all[0].invocation, 0);
    CHECK_EQ(all[1].invocation, 4);
    test_engine_done(e);
}

static const char *step_seven(void *user, char *buf, size_t len)
{
    (void)user;
    snprintf(buf, len, "step 7 (steps[6]: advance 20ms)");
    return buf;
}

static KTIMER origin_timer;
static KDPC origin_dpc;

static VOID allocating_dpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    (void)Dpc;
    (void)Arg1;
    (void)Arg2;
    *(PVOID *)Context = ExAllocatePool2(POOL_FLAG_NON_PAGED, 24, TAG_B);
}

/* A block allocated outside the routine says what ran: the engine's driver's phase, or a
 * timer's DPC and the phase it interrupted. */
static void test_block_origin(void)
{
    struct hh_engine *e = test_engine();
    struct hh_pool_block_info all[2];
    char text[900];
    PVOID from_dpc = NULL;
    LARGE_INTEGER due;
    e->phase_text = step_seven;
    CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, TAG_A) != NULL);
    KeInitializeTimer(&origin_timer);
    KeInitializeDpc(&origin_dpc, allocating_dpc, &from_dpc);
    due.QuadPart = -10 * 1000 * 10; /* 10 ms */
    KeSetTimer(&origin_timer, due, &origin_dpc);
    hh_engine_advance_to(e, 20 * HH_TICKS_PER_MS);
    CHECK(from_dpc != NULL);
    CHECK_EQ(live(e, all, 2), 2);
    CHECK_EQ(all[0].invocation, 0);
    CHECK_STR(hh_pool_origin_text(&all[0], text, sizeof(text)),
              "in step 7 (steps[6]: advance 20ms)");
    CHECK_EQ(all[1].invocation, 0);
    hh_pool_origin_text(&all[1], text, sizeof(text));
    CHECK_CONTAINS(text, "in the DPC ");
    CHECK_CONTAINS(text, " of the timer at ");
    CHECK_CONTAINS(text, " during step 7 (steps[6]: advance 20ms)");
    CHECK_CONTAINS(hh_pool_describe(&all[1], text, sizeof(text)),
                   "24 bytes, tag 'Hh02', allocated at ");
    test_engine_done(e);
}

static void test_unsited_calls(void)
{
    struct hh_engine *e = test_engine();
    struct hh_pool_block_info info;
    char text[300];
    /* Parentheses keep the site macros out: the plain exports record no file. */
    void *p = (ExAllocatePool2)(POOL_FLAG_NON_PAGED, 8, TAG_A);
    void *q = (ExAllocatePoolWithTag)(NonPagedPool, 8, TAG_A);
    void *r = (ExAllocatePoolZero)(NonPagedPool, 8, TAG_A);
    CHECK(p && q && r);
    CHECK_EQ(hh_pool_live(e->pool, &info, 1), 3);
    CHECK(info.file == NULL);
    CHECK_CONTAINS(hh_pool_describe(&info, text, sizeof(text)), "allocated at an unknown place");
    (ExFreePool)(p);
    (ExFreePoolWithTag)(q, TAG_A);
    (ExFreePoolWithTag)(r, TAG_A);
    CHECK_EQ(hh_pool_live(e->pool, NULL, 0), 0);
    test_engine_done(e);
}

static void test_many_blocks(void)
{
    struct hh_engine *e = test_engine();
    static void *blocks[5000];
    size_t i;
    for (i = 0; i < 5000; i++)
        blocks[i] = ExAllocatePoolWithTag(NonPagedPool, 1 + i % 37, TAG_A);
    CHECK_EQ(hh_pool_live(e->pool, NULL, 0), 5000);
    for (i = 0; i < 5000; i += 2)
        ExFreePoolWithTag(blocks[i], TAG_A);
    CHECK_EQ(hh_pool_live(e->pool, NULL, 0), 2500);
    for (i = 1; i < 5000; i += 2)
        ExFreePool(blocks[i]);
    CHECK_EQ(hh_pool_live(e->pool, NULL, 0), 0);
    CHECK_EQ(e->failed, 0);
    test_engine_done(e);
}

/* Blocks of PAGE_SIZE or more start on a page; smaller ones need not. */
static void test_page_aligned(void)
{
    struct hh_engine *e = test_engine();
    size_t sizes[] = {PAGE_SIZE, PAGE_SIZE + 1, 3 * PAGE_SIZE - 8, 40000};
    size_t i;
    for (i = 0; i < RTL_NUMBER_OF(sizes); i++) {
        UCHAR *a = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizes[i], TAG_A);
        UCHAR *b = ExAllocatePoolWithTag(PagedPool, sizes[i], TAG_A);
        CHECK_EQ((uintptr_t)a % PAGE_SIZE, 0);
        CHECK_EQ((uintptr_t)b % PAGE_SIZE, 0);
        CHECK(all_bytes(a, sizes[i], 0));
        a[sizes[i] - 1] = 1; /* the whole size is usable */
        CHECK_EQ(ExQueryPoolBlockSize(b, NULL), sizes[i]);
        ExFreePoolWithTag(a, TAG_A);
        ExFreePoolWithTag(b, TAG_A);
    }
    test_engine_done(e);
}

/* Many lives (ten times the quarantine) stay within its bounds: records, index and bytes. */
static void test_quarantine_is_bounded(void)
{
    struct hh_engine *e = test_engine();
    unsigned long i;
    for (i = 0; i < 10ul * HH_POOL_QUARANTINE_BLOCKS; i++) {
        void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 16 + i % 200, TAG_A);
        ExFreePoolWithTag(p, TAG_A);
    }
    CHECK(e->pool->q_blocks <= HH_POOL_QUARANTINE_BLOCKS);
    CHECK(e->pool->q_bytes <= HH_POOL_QUARANTINE_BYTES);
    CHECK(e->pool->n <= HH_POOL_QUARANTINE_BLOCKS + 1);
    CHECK(e->pool->nslots <= 4 * (HH_POOL_QUARANTINE_BLOCKS + 1));
    CHECK_EQ(e->pool->used, e->pool->q_blocks);
    CHECK_EQ(hh_pool_live(e->pool, NULL, 0), 0);
    test_engine_done(e);
}

/* The most recent frees are still quarantined: freed bytes read the fill, a second free is
 * a double free, not a foreign one. */
static void *g_recent;

static void free_recent_again(void *arg)
{
    (void)arg;
    ExFreePoolWithTag(g_recent, TAG_A);
}

static void test_recent_free_still_caught(void)
{
    struct hh_engine *e = test_engine();
    int i;
    for (i = 0; i < 3 * HH_POOL_QUARANTINE_BLOCKS; i++) {
        void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, TAG_A);
        ExFreePoolWithTag(p, TAG_A);
    }
    g_recent = ExAllocatePoolWithTag(NonPagedPoolNx, 48, TAG_A);
    ExFreePoolWithTag(g_recent, TAG_A);
    for (i = 0; i < HH_POOL_QUARANTINE_BLOCKS / 2; i++) {
        void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, TAG_A);
        CHECK(p != g_recent); /* not reused while quarantined */
        ExFreePoolWithTag(p, TAG_A);
    }
    CHECK_ABORTS(e, free_recent_again, NULL, HH_RULE_BAD_FREE, "already freed");
    test_engine_done(e);
}

/* A block larger than the quarantine's bytes is kept until the next free. */
static void *g_big;

static void free_big_again(void *arg)
{
    (void)arg;
    ExFreePool(g_big);
}

static void test_big_block_quarantined(void)
{
    struct hh_engine *e = test_engine();
    void *small = ExAllocatePoolWithTag(NonPagedPoolNx, 8, TAG_A);
    g_big = ExAllocatePoolWithTag(NonPagedPoolNx, HH_POOL_QUARANTINE_BYTES + PAGE_SIZE, TAG_A);
    ExFreePool(small);
    ExFreePool(g_big);
    CHECK_EQ(e->pool->q_blocks, 1); /* the small one went back to the heap, the big one stays */
    CHECK_ABORTS(e, free_big_again, NULL, HH_RULE_BAD_FREE, "already freed");
    test_engine_done(e);
}

/* Reused records do not change the order leaks are listed in. */
static void test_live_in_allocation_order_after_reuse(void)
{
    struct hh_engine *e = test_engine();
    struct hh_pool_block_info info[3];
    void *keep[3];
    int i;
    for (i = 0; i < 2 * HH_POOL_QUARANTINE_BLOCKS; i++) {
        void *p = ExAllocatePoolWithTag(NonPagedPoolNx, 8, TAG_A);
        if (i == 10)
            keep[0] = p;
        else
            ExFreePoolWithTag(p, TAG_A);
    }
    keep[1] = ExAllocatePoolWithTag(NonPagedPoolNx, 24, TAG_B);
    keep[2] = ExAllocatePoolWithTag(NonPagedPoolNx, 40, TAG_B);
    CHECK_EQ(hh_pool_live(e->pool, info, 3), 3);
    CHECK(info[0].ptr == keep[0] && info[1].ptr == keep[1] && info[2].ptr == keep[2]);
    for (i = 0; i < 3; i++)
        ExFreePool(keep[i]);
    test_engine_done(e);
}

static void alloc_paged(void *arg)
{
    (void)arg;
    ExAllocatePool2(POOL_FLAG_PAGED, 8, TAG_A);
}

static void alloc_nonpaged(void *arg)
{
    (void)arg;
    ExFreePool(ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, TAG_A));
}

static void free_block(void *arg)
{
    ExFreePool(arg);
}

/* A reset keeps the blocks' memory for the next run's blocks of the same size, handed out
 * as a new block would be (zeroed, or the fill); other sizes get memory of their own. */
static void test_reset_reuses_block_memory(void)
{
    struct hh_engine *e = test_engine();
    struct hh_pool_block_info info[2];
    unsigned char *a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 40, TAG_A);
    unsigned char *b = ExAllocatePool2(POOL_FLAG_NON_PAGED, 72, TAG_B), *c, *d, *f;
    memset(a, 0x5A, 40);
    memset(b, 0x5A, 72);
    ExFreePoolWithTag(b, TAG_B); /* quarantined: kept too */
    hh_engine_reset(e);
    hh_engine_make_current(e);
    CHECK_EQ(live(e, info, 2), 0);
    CHECK_EQ(e->pool->nspares, 2);
    c = ExAllocatePool2(POOL_FLAG_NON_PAGED, 40, TAG_A);
    CHECK(c == a);
    CHECK(all_bytes(c, 40, 0));
    d = ExAllocatePoolWithTag(NonPagedPoolNx, 72, TAG_B);
    CHECK(d == b);
    CHECK(all_bytes(d, 72, HH_POOL_UNINITIALIZED_BYTE));
    f = ExAllocatePool2(POOL_FLAG_NON_PAGED, 40, TAG_A); /* no spare left of that size */
    CHECK(f != a && f != NULL);
    CHECK_EQ(e->pool->nspares, 0);
    CHECK_EQ(live(e, info, 2), 3);
    ExFreePoolWithTag(c, TAG_A);
    ExFreePoolWithTag(d, TAG_B);
    ExFreePoolWithTag(f, TAG_A);
    test_engine_done(e);
}

static void test_pool_irql(void)
{
    struct hh_engine *e = test_engine();
    void *paged = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    e->current->irql = DISPATCH_LEVEL;
    CHECK_EQ(hh_engine_guarded(e, alloc_nonpaged, NULL), 0);
    CHECK_ABORTS(e, alloc_paged, NULL, HH_RULE_IRQL, "ExAllocatePool2 at DISPATCH_LEVEL");
    CHECK_CONTAINS(e->failure.message, "BAD_POOL_CALLER (0xC2, 0x8)");
    test_engine_done(e);

    e = test_engine();
    paged = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    e->current->irql = DISPATCH_LEVEL;
    CHECK_ABORTS(e, free_block, paged, HH_RULE_IRQL, "frees paged pool");
    CHECK_CONTAINS(e->failure.message, "BAD_POOL_CALLER (0xC2, 0x9)");
    test_engine_done(e);

    e = test_engine();
    e->current->irql = DISPATCH_LEVEL + 1;
    CHECK_ABORTS(e, alloc_nonpaged, NULL, HH_RULE_IRQL, "requires IRQL <= DISPATCH_LEVEL");
    test_engine_done(e);
}

static void test_tag_text(void)
{
    char buf[8];
    CHECK_STR(hh_pool_tag_text(TAG4('A', 'b', ' ', '~'), buf), "'Ab ~'");
    CHECK_STR(hh_pool_tag_text(TAG4('x', 0, 0x7F, 0x80), buf), "'x...'");
}

/* A site's file is known by its pointer while the module that holds the text is loaded. Once
 * the module goes (hh_engine_module_unloaded), another image may hold a different text at that
 * address: the block allocated there names the new text, not the one first seen there. */
static void test_site_text_at_a_reused_address(void)
{
    struct hh_engine *e = test_engine();
    struct hh_pool_block_info info[1];
    char file[32]; /* the "image": its __FILE__ text */
    void *p;
    strcpy(file, "image_one.c");
    p = HhExAllocatePool2At(POOL_FLAG_NON_PAGED, 8, TAG_A, file, 10);
    CHECK_EQ(live(e, info, 1), 1);
    CHECK_STR(info[0].file, "image_one.c");
    ExFreePoolWithTag(p, TAG_A);
    hh_engine_module_unloaded(e);
    strcpy(file, "image_two.c"); /* the next image, loaded at the same address */
    p = HhExAllocatePool2At(POOL_FLAG_NON_PAGED, 8, TAG_A, file, 20);
    CHECK_EQ(live(e, info, 1), 1);
    CHECK_STR(info[0].file, "image_two.c");
    CHECK_EQ(info[0].line, 20);
    ExFreePoolWithTag(p, TAG_A);
    test_engine_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"pool2_zeroes_and_records_site", test_pool2_zeroes_and_records_site},
        {"uninitialized_fill_and_zero_variants", test_uninitialized_fill_and_zero_variants},
        {"cache_aligned", test_cache_aligned},
        {"pool2_invalid_flags_return_null", test_pool2_invalid_flags_return_null},
        {"raise_on_failure_ends_the_run", test_raise_on_failure_ends_the_run},
        {"zero_bytes_is_bad_pool_caller", test_zero_bytes_is_bad_pool_caller},
        {"double_free_names_both_sites", test_double_free_names_both_sites},
        {"foreign_free", test_foreign_free},
        {"free_null", test_free_null},
        {"tag_mismatch", test_tag_mismatch},
        {"tag_zero_is_not_checked", test_tag_zero_is_not_checked},
        {"leaks_listed_in_allocation_order", test_leaks_listed_in_allocation_order},
        {"block_origin", test_block_origin},
        {"unsited_calls", test_unsited_calls},
        {"many_blocks", test_many_blocks},
        {"page_aligned", test_page_aligned},
        {"quarantine_is_bounded", test_quarantine_is_bounded},
        {"recent_free_still_caught", test_recent_free_still_caught},
        {"big_block_quarantined", test_big_block_quarantined},
        {"live_in_allocation_order_after_reuse", test_live_in_allocation_order_after_reuse},
        {"reset_reuses_block_memory", test_reset_reuses_block_memory},
        {"pool_irql", test_pool_irql},
        {"tag_text", test_tag_text},
        {"site_text_at_a_reused_address", test_site_text_at_a_reused_address},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
