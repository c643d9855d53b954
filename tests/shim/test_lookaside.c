/* test_lookaside.c - lookaside lists, uninitialized and quota allocations, block sizes.
 *
 * Lookaside entries are pool blocks with the caller's site: a leaked one names its line, a
 * double free is a bad free, a list used after delete or never initialized is a finding,
 * and a paged list above APC_LEVEL breaks the pool's IRQL rule.
 */
#include <stdio.h>

#include "shim/pool.h"
#include "shim_test.h"

#define TAG_L TAG4('L', 'k', 'a', '1')

struct request {
    LIST_ENTRY link;
    ULONG id;
};

static void test_npaged_lookaside_entries_are_tracked(void)
{
    struct hh_engine *e = test_engine();
    NPAGED_LOOKASIDE_LIST list;
    struct hh_pool_block_info info[2];
    struct request *a, *b;
    int line;
    ExInitializeNPagedLookasideList(&list, NULL, NULL, 0, sizeof(struct request), TAG_L, 0);
    a = ExAllocateFromNPagedLookasideList(&list);
    b = ExAllocateFromNPagedLookasideList(&list); line = __LINE__;
    CHECK(a && b && a != b);
    CHECK_EQ(hh_pool_live(e->pool, info, 2), 2);
    CHECK_EQ(info[1].size, sizeof(struct request));
    CHECK_EQ(info[1].tag, TAG_L);
    CHECK_EQ(info[1].line, line);
    CHECK_CONTAINS(info[1].file, "test_lookaside.c");
    ExFreeToNPagedLookasideList(&list, a);
    CHECK_EQ(hh_pool_live(e->pool, info, 2), 1);
    /* Allowed at DISPATCH_LEVEL. */
    {
        KIRQL old = KeRaiseIrqlToDpcLevel();
        ExFreeToNPagedLookasideList(&list, b);
        KeLowerIrql(old);
    }
    CHECK_EQ(list.L.TotalAllocates, 2);
    CHECK_EQ(list.L.TotalFrees, 2);
    ExDeleteNPagedLookasideList(&list);
    CHECK_EQ(hh_pool_live(e->pool, info, 2), 0);
    test_engine_done(e);
}

static NPAGED_LOOKASIDE_LIST g_list;
static PAGED_LOOKASIDE_LIST g_paged;
static void *g_entry;

static void double_free_entry(void *arg)
{
    (void)arg;
    ExInitializeNPagedLookasideList(&g_list, NULL, NULL, 0, 32, TAG_L, 0);
    g_entry = ExAllocateFromNPagedLookasideList(&g_list);
    ExFreeToNPagedLookasideList(&g_list, g_entry);
    ExFreeToNPagedLookasideList(&g_list, g_entry);
}

static void allocate_after_delete(void *arg)
{
    (void)arg;
    ExInitializeNPagedLookasideList(&g_list, NULL, NULL, 0, 32, TAG_L, 0);
    ExDeleteNPagedLookasideList(&g_list);
    g_entry = ExAllocateFromNPagedLookasideList(&g_list);
}

static void allocate_uninitialized_list(void *arg)
{
    (void)arg;
    memset(&g_list, 0, sizeof(g_list));
    g_entry = ExAllocateFromNPagedLookasideList(&g_list);
}

static void paged_at_dispatch(void *arg)
{
    (void)arg;
    ExInitializePagedLookasideList(&g_paged, NULL, NULL, 0, 32, TAG_L, 0);
    (void)KeRaiseIrqlToDpcLevel();
    g_entry = ExAllocateFromPagedLookasideList(&g_paged);
}

static void test_lookaside_findings(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, double_free_entry, NULL, HH_RULE_BAD_FREE,
                 "ExFreeToNPagedLookasideList(");
    CHECK_CONTAINS(e->failure.message, "already freed");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, allocate_after_delete, NULL, HH_RULE_BUGCHECK,
                 "ExAllocateFromNPagedLookasideList at");
    CHECK_CONTAINS(e->failure.message, "was deleted");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, allocate_uninitialized_list, NULL, HH_RULE_BUGCHECK,
                 "was never initialized");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, paged_at_dispatch, NULL, HH_RULE_IRQL,
                 "ExAllocateFromPagedLookasideList at DISPATCH_LEVEL allocates paged pool");
    test_engine_done(e);
}

static int g_custom_allocs, g_custom_frees;

static PVOID custom_allocate(POOL_TYPE type, SIZE_T size, ULONG tag)
{
    g_custom_allocs++;
    return ExAllocatePoolWithTag(type, size + 16, tag);
}

static VOID custom_free(PVOID buffer)
{
    g_custom_frees++;
    ExFreePoolWithTag(buffer, TAG_L);
}

static void test_lookaside_with_own_routines(void)
{
    struct hh_engine *e = test_engine();
    PAGED_LOOKASIDE_LIST list;
    struct hh_pool_block_info info[1];
    void *p;
    ExInitializePagedLookasideList(&list, custom_allocate, custom_free, 0, 48, TAG_L, 4);
    p = ExAllocateFromPagedLookasideList(&list);
    CHECK_EQ(g_custom_allocs, 1);
    CHECK_EQ(hh_pool_live(e->pool, info, 1), 1);
    CHECK_EQ(info[0].size, 64);
    ExFreeToPagedLookasideList(&list, p);
    CHECK_EQ(g_custom_frees, 1);
    ExDeletePagedLookasideList(&list);
    test_engine_done(e);
}

static void test_uninitialized_and_quota(void)
{
    struct hh_engine *e = test_engine();
    BOOLEAN quota = TRUE;
    UCHAR *u = ExAllocatePoolUninitialized(NonPagedPoolNx, 20, TAG_L);
    UCHAR *q = ExAllocatePoolWithQuotaTag(PagedPool, 30, TAG_L);
    CHECK(u && q);
    CHECK_EQ(u[19], HH_POOL_UNINITIALIZED_BYTE);
    CHECK_EQ(ExQueryPoolBlockSize(u, &quota), 20);
    CHECK_EQ(quota, FALSE);
    CHECK_EQ(ExQueryPoolBlockSize(q, &quota), 30);
    CHECK_EQ(quota, TRUE);
    /* A request past the pool: NULL when asked not to raise. */
    CHECK(ExAllocatePoolWithQuotaTag((POOL_TYPE)(NonPagedPoolNx | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE),
                                     HH_POOL_MAX_BLOCK + 1, TAG_L) == NULL);
    ExFreePoolWithTag(u, TAG_L);
    ExFreePool(q);
    test_engine_done(e);
}

static void quota_raises(void *arg)
{
    (void)arg;
    g_entry = ExAllocatePoolWithQuotaTag(NonPagedPoolNx, HH_POOL_MAX_BLOCK + 1, TAG_L);
}

static void block_size_of_freed(void *arg)
{
    (void)arg;
    g_entry = ExAllocatePoolWithTag(NonPagedPoolNx, 8, TAG_L);
    ExFreePool(g_entry);
    (void)ExQueryPoolBlockSize(g_entry, NULL);
}

static void test_quota_and_block_size_findings(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, quota_raises, NULL, HH_RULE_POOL_CALL,
                 "ExAllocatePoolWithQuotaTag at");
    CHECK_CONTAINS(e->failure.message, "raise on failure");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, block_size_of_freed, NULL, HH_RULE_BAD_FREE, "the block was freed");
    test_engine_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"npaged_lookaside_entries_are_tracked", test_npaged_lookaside_entries_are_tracked},
        {"lookaside_findings", test_lookaside_findings},
        {"lookaside_with_own_routines", test_lookaside_with_own_routines},
        {"uninitialized_and_quota", test_uninitialized_and_quota},
        {"quota_and_block_size_findings", test_quota_and_block_size_findings},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
