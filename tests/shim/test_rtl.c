/* test_rtl.c - structure macros, ASSERT/NT_ASSERT/__fastfail findings, Rtl memory routines.
 *
 * Each finding must carry its rule and this file's line; the memory routines are checked at
 * their edges (zero length, the last byte, misaligned ULONG arguments, overlap either way).
 */
#include <stdio.h>

#include "shim_test.h"

struct packet {
    UCHAR kind;
    ULONG length;
    LIST_ENTRY link;
    UCHAR data[12];
};

static void test_structure_macros(void)
{
    struct packet p;
    ULONG table[7];
    C_ASSERT(sizeof(ULONG) == 4);
    CHECK_EQ(FIELD_OFFSET(struct packet, length), 4);
    CHECK_EQ(FIELD_OFFSET(struct packet, link), 8);
    CHECK_EQ(RTL_FIELD_SIZE(struct packet, data), 12);
    CHECK_EQ(RTL_NUMBER_OF(table), 7);
    CHECK_EQ(ARRAYSIZE(p.data), 12);
    CHECK(CONTAINING_RECORD(&p.link, struct packet, link) == &p);
    CHECK(CONTAINING_RECORD(&p.data[0], struct packet, data) == &p);
    CHECK_EQ(ALIGN_UP_BY(17, 16), 32);
    CHECK_EQ(ALIGN_DOWN_BY(17, 16), 16);
    UNREFERENCED_PARAMETER(table);
}

static int g_line;
static int g_calls;

static int count_call(void)
{
    return ++g_calls;
}

static void failing_assert(void *arg)
{
    ULONG depth = *(ULONG *)arg;
    g_line = __LINE__ + 1;
    ASSERT(depth < 4);
}

static void failing_nt_assert_msg(void *arg)
{
    (void)arg;
    g_line = __LINE__ + 1;
    NT_ASSERTMSG("queue must be drained", g_calls == 99);
}

static void fast_fail(void *arg)
{
    (void)arg;
    g_line = __LINE__ + 1;
    __fastfail(FAST_FAIL_INVALID_ARG);
}

static void expect_line(struct hh_engine *e)
{
    char where[64];
    snprintf(where, sizeof(where), "test_rtl.c:%d", g_line);
    CHECK_CONTAINS(e->failure.message, where);
}

static void test_assertions(void)
{
    struct hh_engine *e = test_engine();
    ULONG depth = 9;
    g_calls = 0;
    ASSERT(count_call() == 1); /* holds: evaluated once, no finding */
    NT_ASSERT(count_call() == 2);
    CHECK_EQ(g_calls, 2);
    CHECK_ABORTS(e, failing_assert, &depth, HH_RULE_ASSERTION, "assertion failed at");
    CHECK_CONTAINS(e->failure.message, ": depth < 4;");
    expect_line(e);
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, failing_nt_assert_msg, NULL, HH_RULE_ASSERTION, "(\"queue must be drained\")");
    expect_line(e);
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, fast_fail, NULL, HH_RULE_FAST_FAIL,
                 "__fastfail(5 (FAST_FAIL_INVALID_ARG))");
    CHECK_CONTAINS(e->failure.message, "KERNEL_SECURITY_CHECK_FAILURE (0x139, 5)");
    expect_line(e);
    test_engine_done(e);
}

static void test_memory_routines(void)
{
    UCHAR a[16], b[16];
    ULONG u[4];
    RtlFillMemory(a, sizeof(a), 0x5A);
    CHECK_EQ(a[0], 0x5A);
    CHECK_EQ(a[15], 0x5A);
    RtlZeroMemory(a, 8);
    CHECK_EQ(a[7], 0);
    CHECK_EQ(a[8], 0x5A);
    RtlCopyMemory(b, a, sizeof(a));
    CHECK(RtlEqualMemory(a, b, sizeof(a)));
    CHECK_EQ(RtlCompareMemory(a, b, sizeof(a)), 16);
    b[15] = 1;
    CHECK(!RtlEqualMemory(a, b, sizeof(a)));
    CHECK_EQ(RtlCompareMemory(a, b, sizeof(a)), 15);
    CHECK_EQ(RtlCompareMemory(a, b, 0), 0);
    RtlMoveMemory(a + 1, a, 8); /* overlapping: allowed for RtlMoveMemory */
    CHECK_EQ(a[8], 0);
    CHECK_EQ(a[9], 0x5A);
    RtlFillBytes(b, 4, 7);
    RtlZeroBytes(b + 4, 4);
    RtlCopyBytes(a, b, 8);
    CHECK_EQ(a[3], 7);
    CHECK_EQ(a[4], 0);
    CHECK(RtlSecureZeroMemory(b, sizeof(b)) == b);
    CHECK_EQ(RtlCompareMemory(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16), 16);
    RtlFillMemoryUlong(u, sizeof(u), 0xDEADBEEF);
    CHECK_EQ(u[3], 0xDEADBEEF);
    CHECK_EQ(RtlCompareMemoryUlong(u, sizeof(u), 0xDEADBEEF), 16);
    u[2] = 0;
    CHECK_EQ(RtlCompareMemoryUlong(u, sizeof(u), 0xDEADBEEF), 8);
    /* Documented: 0 for a length that is not a multiple of 4 or a misaligned source. */
    CHECK_EQ(RtlCompareMemoryUlong(u, 7, 0xDEADBEEF), 0);
    CHECK_EQ(RtlCompareMemoryUlong((PUCHAR)u + 1, 4, 0xDEADBEEF), 0);
}

static UCHAR g_buf[32];

static void copy_forward_overlap(void *arg)
{
    (void)arg;
    g_line = __LINE__ + 1;
    RtlCopyMemory(g_buf + 4, g_buf, 8);
}

static void copy_backward_overlap(void *arg)
{
    (void)arg;
    RtlCopyMemory(g_buf, g_buf + 7, 8);
}

static void copy_onto_itself(void *arg)
{
    (void)arg;
    RtlCopyMemory(g_buf, g_buf, 1);
}

static void test_overlapping_copy(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, copy_forward_overlap, NULL, HH_RULE_OVERLAPPING_COPY,
                 "copies 8 bytes between ranges that overlap (the destination starts 4 bytes "
                 "after the source)");
    CHECK_CONTAINS(e->failure.message, "use RtlMoveMemory");
    expect_line(e);
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, copy_backward_overlap, NULL, HH_RULE_OVERLAPPING_COPY,
                 "the destination starts 7 bytes before the source");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, copy_onto_itself, NULL, HH_RULE_OVERLAPPING_COPY,
                 "the destination is the source");
    test_engine_done(e);
    /* Adjacent ranges do not overlap, and a zero-length copy touches nothing. */
    e = test_engine();
    RtlCopyMemory(g_buf + 8, g_buf, 8);
    RtlCopyMemory(g_buf, g_buf + 8, 8);
    RtlCopyMemory(g_buf, g_buf, 0);
    CHECK(!e->failed);
    test_engine_done(e);
}

/* Turned off, as a free build leaves assertions out: the run goes on; an overlapping copy
 * then moves the bytes as RtlMoveMemory would. */
static void test_switched_off(void)
{
    struct hh_engine *e = test_engine();
    UCHAR buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ULONG depth = 9;
    e->checks_off[HH_RULE_ASSERTION] = 1;
    e->checks_off[HH_RULE_OVERLAPPING_COPY] = 1;
    CHECK_EQ(hh_engine_guarded(e, failing_assert, &depth), 0);
    RtlCopyMemory(buf + 1, buf, 4);
    CHECK_EQ(buf[1], 1);
    CHECK_EQ(buf[4], 4);
    CHECK(!e->failed);
    test_engine_done(e);
}

static void test_large_integer_halves(void)
{
    LARGE_INTEGER li;
    ULARGE_INTEGER ul;
    li.QuadPart = -2;
    CHECK_EQ(li.LowPart, 0xFFFFFFFEu);
    CHECK_EQ(li.HighPart, -1);
    CHECK_EQ(li.u.LowPart, li.LowPart);
    li.HighPart = 1;
    li.LowPart = 5;
    CHECK_EQ(li.QuadPart, 0x100000005LL);
    ul.QuadPart = 0x123456789ULL;
    CHECK_EQ(ul.HighPart, 1);
    CHECK_EQ(ul.u.LowPart, 0x23456789u);
    CHECK_EQ(sizeof(LARGE_INTEGER), 8);
    CHECK_EQ(SYNCH_LEVEL, 12);
    CHECK_EQ(sizeof(*(PCHAR)0), 1);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"structure_macros", test_structure_macros},
        {"assertions", test_assertions},
        {"memory_routines", test_memory_routines},
        {"overlapping_copy", test_overlapping_copy},
        {"switched_off", test_switched_off},
        {"large_integer_halves", test_large_integer_halves},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
