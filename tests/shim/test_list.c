/* test_list.c - LIST_ENTRY, SINGLE_LIST_ENTRY and S-list routines, and their findings.
 *
 * A queue of records is built and taken apart through CONTAINING_RECORD as a driver does;
 * corrupt links (a double remove, an entry overwritten, a head never initialized) must end
 * the run under "fast-fail" naming the routine and this file's line; the ExInterlocked forms
 * must take their spin lock (a lock the caller holds is SPIN_LOCK_ALREADY_OWNED).
 */
#include <stdio.h>

#include "shim_test.h"

struct record {
    ULONG value;
    LIST_ENTRY link;
    SINGLE_LIST_ENTRY next;
};

static ULONG value_of(PLIST_ENTRY entry)
{
    return CONTAINING_RECORD(entry, struct record, link)->value;
}

static void test_insert_remove_order(void)
{
    LIST_ENTRY head;
    struct record r[4];
    ULONG i;
    InitializeListHead(&head);
    CHECK(IsListEmpty(&head));
    for (i = 0; i < 4; i++)
        r[i].value = i;
    InsertTailList(&head, &r[1].link);
    InsertTailList(&head, &r[2].link);
    InsertHeadList(&head, &r[0].link);
    InsertTailList(&head, &r[3].link);
    CHECK(!IsListEmpty(&head));
    CHECK_EQ(value_of(RemoveHeadList(&head)), 0);
    CHECK_EQ(value_of(RemoveTailList(&head)), 3);
    CHECK_EQ(RemoveEntryList(&r[1].link), FALSE); /* r[2] is left */
    CHECK_EQ(RemoveEntryList(&r[2].link), TRUE);
    CHECK(IsListEmpty(&head));
    /* The kernel's RemoveHeadList on an empty list returns the head itself. */
    CHECK(RemoveHeadList(&head) == &head);
    CHECK(RemoveTailList(&head) == &head);
    CHECK(IsListEmpty(&head));
}

static void test_append_tail_list(void)
{
    LIST_ENTRY a, b;
    struct record r[3] = {{10, {0}, {0}}, {11, {0}, {0}}, {12, {0}, {0}}};
    InitializeListHead(&a);
    InitializeListHead(&b);
    InsertTailList(&a, &r[0].link);
    InsertTailList(&b, &r[1].link);
    InsertTailList(&b, &r[2].link);
    /* wdm.h's AppendTailList splices a headless list; give it b's first entry. */
    RemoveEntryList(&b);
    AppendTailList(&a, &r[1].link);
    CHECK_EQ(value_of(RemoveHeadList(&a)), 10);
    CHECK_EQ(value_of(RemoveHeadList(&a)), 11);
    CHECK_EQ(value_of(RemoveHeadList(&a)), 12);
    CHECK(IsListEmpty(&a));
}

static struct record g_records[2];
static LIST_ENTRY g_head;
static int g_line;

static void remove_twice(void *arg)
{
    (void)arg;
    InitializeListHead(&g_head);
    InsertTailList(&g_head, &g_records[0].link);
    InsertTailList(&g_head, &g_records[1].link);
    RemoveEntryList(&g_records[0].link);
    g_line = __LINE__ + 1;
    RemoveEntryList(&g_records[0].link);
}

static void insert_on_overwritten_head(void *arg)
{
    (void)arg;
    InitializeListHead(&g_head);
    InsertTailList(&g_head, &g_records[0].link);
    g_records[0].link.Blink = &g_records[1].link; /* a stray write */
    g_line = __LINE__ + 1;
    InsertHeadList(&g_head, &g_records[1].link);
}

static void remove_from_zeroed_head(void *arg)
{
    static LIST_ENTRY never_initialized_but_self_linked;
    (void)arg;
    memset(&g_head, 0, sizeof(g_head));
    g_head.Flink = g_head.Blink = &never_initialized_but_self_linked;
    g_line = __LINE__ + 1;
    (void)RemoveTailList(&g_head);
}

static void check_corrupt(void (*fn)(void *), const char *routine)
{
    struct hh_engine *e = test_engine();
    char where[64];
    CHECK_ABORTS(e, fn, NULL, HH_RULE_FAST_FAIL, routine);
    snprintf(where, sizeof(where), "test_list.c:%d", g_line);
    CHECK_CONTAINS(e->failure.message, where);
    CHECK_CONTAINS(e->failure.message, "FAST_FAIL_CORRUPT_LIST_ENTRY");
    test_engine_done(e);
}

static void test_corrupt_links_are_findings(void)
{
    check_corrupt(remove_twice, "RemoveEntryList at");
    check_corrupt(insert_on_overwritten_head, "InsertHeadList at");
    check_corrupt(remove_from_zeroed_head, "RemoveTailList at");
}

static void corrupt_entry_in_pool(void *arg)
{
    struct record *r = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*r), TAG4('L', 's', 't', '1'));
    (void)arg;
    InitializeListHead(&g_head);
    InsertTailList(&g_head, &r->link);
    RemoveEntryList(&r->link);
    RemoveEntryList(&r->link);
}

static void test_corrupt_entry_named_by_its_block(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, corrupt_entry_in_pool, NULL, HH_RULE_FAST_FAIL,
                 "the entry at offset 8 in the block of");
    CHECK_CONTAINS(e->failure.message, "tag 'Lst1'");
    test_engine_done(e);
}

static void test_single_list(void)
{
    SINGLE_LIST_ENTRY head = {NULL};
    struct record r[2] = {{1, {0}, {0}}, {2, {0}, {0}}};
    PushEntryList(&head, &r[0].next);
    PushEntryList(&head, &r[1].next);
    CHECK_EQ(CONTAINING_RECORD(PopEntryList(&head), struct record, next)->value, 2);
    CHECK_EQ(CONTAINING_RECORD(PopEntryList(&head), struct record, next)->value, 1);
    CHECK(PopEntryList(&head) == NULL);
}

static void test_interlocked_lists_take_the_lock(void)
{
    struct hh_engine *e = test_engine();
    KSPIN_LOCK lock;
    LIST_ENTRY head;
    SINGLE_LIST_ENTRY shead = {NULL};
    struct record r[2] = {{1, {0}, {0}}, {2, {0}, {0}}};
    KeInitializeSpinLock(&lock);
    InitializeListHead(&head);
    CHECK(ExInterlockedInsertTailList(&head, &r[0].link, &lock) == NULL);
    CHECK(ExInterlockedInsertHeadList(&head, &r[1].link, &lock) == &r[0].link);
    CHECK(ExInterlockedRemoveHeadList(&head, &lock) == &r[1].link);
    CHECK(ExInterlockedRemoveHeadList(&head, &lock) == &r[0].link);
    CHECK(ExInterlockedRemoveHeadList(&head, &lock) == NULL);
    CHECK(ExInterlockedPushEntryList(&shead, &r[0].next, &lock) == NULL);
    CHECK(ExInterlockedPushEntryList(&shead, &r[1].next, &lock) == &r[0].next);
    CHECK(ExInterlockedPopEntryList(&shead, &lock) == &r[1].next);
    CHECK_EQ(lock, 0);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    /* At DISPATCH_LEVEL the lock is taken without raising, and the IRQL stays. */
    {
        KIRQL old = KeRaiseIrqlToDpcLevel();
        CHECK(ExInterlockedPopEntryList(&shead, &lock) == &r[0].next);
        CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
        KeLowerIrql(old);
    }
    test_engine_done(e);
}

static KSPIN_LOCK g_lock;

static void insert_under_own_lock(void *arg)
{
    KIRQL old;
    (void)arg;
    KeInitializeSpinLock(&g_lock);
    InitializeListHead(&g_head);
    KeAcquireSpinLock(&g_lock, &old);
    ExInterlockedInsertTailList(&g_head, &g_records[0].link, &g_lock);
}

static void test_interlocked_list_with_held_lock(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, insert_under_own_lock, NULL, HH_RULE_SPINLOCK, "SPIN_LOCK_ALREADY_OWNED");
    test_engine_done(e);
}

struct sitem {
    SLIST_ENTRY entry;
    int value;
};

static void test_slist(void)
{
    struct hh_engine *e = test_engine();
    SLIST_HEADER head;
    struct sitem a = {{NULL}, 1}, b = {{NULL}, 2}, c = {{NULL}, 3};
    PSLIST_ENTRY flushed;
    InitializeSListHead(&head);
    CHECK_EQ(ExQueryDepthSList(&head), 0);
    CHECK(InterlockedPopEntrySList(&head) == NULL);
    CHECK(InterlockedPushEntrySList(&head, &a.entry) == NULL);
    CHECK(InterlockedPushEntrySList(&head, &b.entry) == &a.entry);
    CHECK(InterlockedPushEntrySList(&head, &c.entry) == &b.entry);
    CHECK_EQ(ExQueryDepthSList(&head), 3);
    CHECK_EQ(QueryDepthSList(&head), 3);
    CHECK(FirstEntrySList(&head) == &c.entry);
    CHECK_EQ(CONTAINING_RECORD(InterlockedPopEntrySList(&head), struct sitem, entry)->value, 3);
    CHECK_EQ(ExQueryDepthSList(&head), 2);
    flushed = InterlockedFlushSList(&head);
    CHECK(flushed == &b.entry && flushed->Next == &a.entry && a.entry.Next == NULL);
    CHECK_EQ(ExQueryDepthSList(&head), 0);
    CHECK(InterlockedPopEntrySList(&head) == NULL);
    test_engine_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"insert_remove_order", test_insert_remove_order},
        {"append_tail_list", test_append_tail_list},
        {"corrupt_links_are_findings", test_corrupt_links_are_findings},
        {"corrupt_entry_named_by_its_block", test_corrupt_entry_named_by_its_block},
        {"single_list", test_single_list},
        {"interlocked_lists_take_the_lock", test_interlocked_lists_take_the_lock},
        {"interlocked_list_with_held_lock", test_interlocked_list_with_held_lock},
        {"slist", test_slist},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
