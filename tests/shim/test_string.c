/* test_string.c - UNICODE_STRING and ANSI_STRING with the kernel's semantics.
 *
 * Built with the flags driver code gets (-fshort-wchar on gcc and clang), so wide literals
 * are WCHAR strings as in a module. Checks lengths in bytes and the cuts, the truncation of
 * RtlCopyUnicodeString, case-insensitive equality, the pool-tracked buffer of
 * RtlUpcaseUnicodeString and every bad-string and IRQL finding.
 */
#include <stdio.h>
#include <stdlib.h>

#include "shim/pool.h"
#include "shim_test.h"

#define STRING_TAG TAG4('U', 'S', 'T', 'R')

static void test_constant_strings(void)
{
    static const UNICODE_STRING wide = RTL_CONSTANT_STRING(L"abc");
    static const ANSI_STRING narrow = RTL_CONSTANT_STRING("ab");
    DECLARE_CONST_UNICODE_STRING(named, L"name");
    DECLARE_UNICODE_STRING_SIZE(room, 8);
    WCHAR buffer[4];
    UNICODE_STRING empty;
    CHECK_EQ(sizeof(WCHAR), 2);
    CHECK_EQ(wide.Length, 6);
    CHECK_EQ(wide.MaximumLength, 8);
    CHECK_EQ(wide.Buffer[2], 'c');
    CHECK_EQ(wide.Buffer[3], UNICODE_NULL);
    CHECK_EQ(narrow.Length, 2);
    CHECK_EQ(narrow.MaximumLength, 3);
    CHECK_EQ(named.Length, 8);
    CHECK_EQ(named.MaximumLength, 10);
    CHECK_EQ(room.Length, 0);
    CHECK_EQ(room.MaximumLength, 16);
    CHECK(room.Buffer == room_buffer);
    RtlInitEmptyUnicodeString(&empty, buffer, sizeof(buffer));
    CHECK_EQ(empty.Length, 0);
    CHECK_EQ(empty.MaximumLength, 8);
    CHECK(empty.Buffer == buffer);
}

static void test_init_lengths_and_cuts(void)
{
    struct hh_engine *e = test_engine();
    const WCHAR *text = L"driver";
    UNICODE_STRING u = {1, 1, NULL};
    ANSI_STRING a;
    WCHAR *long_wide = malloc(40001 * sizeof(WCHAR));
    char *long_narrow = malloc(70001);
    size_t i;
    CHECK(long_wide && long_narrow);
    RtlInitUnicodeString(&u, text);
    CHECK_EQ(u.Length, 12);
    CHECK_EQ(u.MaximumLength, 14);
    CHECK(u.Buffer == text);
    RtlInitUnicodeString(&u, NULL);
    CHECK_EQ(u.Length, 0);
    CHECK_EQ(u.MaximumLength, 0);
    CHECK(u.Buffer == NULL);
    RtlInitAnsiString(&a, "driver");
    CHECK_EQ(a.Length, 6);
    CHECK_EQ(a.MaximumLength, 7);
    RtlInitString(&a, NULL);
    CHECK_EQ(a.Length + a.MaximumLength, 0);
    /* Longer than a USHORT counts: cut to the longest length that leaves room for the NUL. */
    for (i = 0; i < 40000; i++)
        long_wide[i] = 'x';
    long_wide[40000] = 0;
    RtlInitUnicodeString(&u, long_wide);
    CHECK_EQ(u.Length, 65532);
    CHECK_EQ(u.MaximumLength, 65534);
    memset(long_narrow, 'y', 70000);
    long_narrow[70000] = 0;
    RtlInitAnsiString(&a, long_narrow);
    CHECK_EQ(a.Length, 65534);
    CHECK_EQ(a.MaximumLength, 65535);
    free(long_wide);
    free(long_narrow);
    test_engine_done(e);
}

static void test_copy_truncates_to_maximum_length(void)
{
    struct hh_engine *e = test_engine();
    UNICODE_STRING source = RTL_CONSTANT_STRING(L"worker");
    WCHAR big[10], exact[6], small[3];
    UNICODE_STRING dest;
    memset(big, 0xFF, sizeof(big));
    RtlInitEmptyUnicodeString(&dest, big, sizeof(big));
    RtlCopyUnicodeString(&dest, &source);
    CHECK_EQ(dest.Length, 12);
    CHECK(memcmp(big, L"worker", 12) == 0);
    CHECK_EQ(big[6], UNICODE_NULL); /* room left: terminated */
    /* Exactly the Length: no terminator is written past it. */
    RtlInitEmptyUnicodeString(&dest, exact, sizeof(exact));
    RtlCopyUnicodeString(&dest, &source);
    CHECK_EQ(dest.Length, 12);
    CHECK(memcmp(exact, L"worker", 12) == 0);
    /* Too small: what fits, Length = MaximumLength, no terminator. */
    memset(small, 0, sizeof(small));
    RtlInitEmptyUnicodeString(&dest, small, sizeof(small));
    RtlCopyUnicodeString(&dest, &source);
    CHECK_EQ(dest.Length, 6);
    CHECK(memcmp(small, L"wor", 6) == 0);
    /* A NULL source empties the destination. */
    RtlCopyUnicodeString(&dest, NULL);
    CHECK_EQ(dest.Length, 0);
    CHECK_EQ(dest.MaximumLength, 6);
    test_engine_done(e);
}

static void test_equal_and_case(void)
{
    struct hh_engine *e = test_engine();
    UNICODE_STRING a = RTL_CONSTANT_STRING(L"Caf\u00e9 Stop"), b = RTL_CONSTANT_STRING(L"CAF\u00c9 sTOP");
    UNICODE_STRING shorter = RTL_CONSTANT_STRING(L"Caf\u00e9");
    CHECK(!RtlEqualUnicodeString(&a, &b, FALSE));
    CHECK(RtlEqualUnicodeString(&a, &b, TRUE));
    CHECK(RtlEqualUnicodeString(&a, &a, FALSE));
    CHECK(!RtlEqualUnicodeString(&a, &shorter, TRUE));
    CHECK_EQ(RtlUpcaseUnicodeChar('q'), 'Q');
    CHECK_EQ(RtlUpcaseUnicodeChar('7'), '7');
    CHECK_EQ(RtlUpcaseUnicodeChar(0xFF), 0x178);  /* y with diaeresis */
    CHECK_EQ(RtlUpcaseUnicodeChar(0xF7), 0xF7);   /* the division sign has no case */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x101), 0x100); /* Latin Extended-A, capital first */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x13A), 0x139); /* ... and where it shifts by one */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x3B1), 0x391); /* Greek alpha */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x3C2), 0x3C2); /* final sigma stays */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x430), 0x410); /* Cyrillic a */
    CHECK_EQ(RtlUpcaseUnicodeChar(0x451), 0x401);
    test_engine_done(e);
}

static void test_upcase_allocates_tracked_pool(void)
{
    struct hh_engine *e = test_engine();
    UNICODE_STRING source = RTL_CONSTANT_STRING(L"gdWL tag"), upper;
    struct hh_pool_block_info info[2];
    NTSTATUS status = RtlUpcaseUnicodeString(&upper, &source, TRUE); int line = __LINE__;
    CHECK_EQ(status, STATUS_SUCCESS);
    CHECK_EQ(upper.Length, 16);
    CHECK_EQ(upper.MaximumLength, 16);
    CHECK(memcmp(upper.Buffer, L"GDWL TAG", 16) == 0);
    CHECK_EQ(hh_pool_live(e->pool, info, 2), 1);
    CHECK_EQ(info[0].tag, STRING_TAG);
    CHECK_EQ(info[0].size, 16);
    CHECK_CONTAINS(info[0].file, "test_string.c");
    CHECK_EQ(info[0].line, line);
    RtlFreeUnicodeString(&upper);
    CHECK(upper.Buffer == NULL);
    CHECK_EQ(upper.Length + upper.MaximumLength, 0);
    CHECK_EQ(hh_pool_live(e->pool, info, 2), 0);
    RtlFreeUnicodeString(&upper); /* a NULL Buffer: nothing to free */
    test_engine_done(e);
}

static void test_upcase_into_callers_buffer(void)
{
    struct hh_engine *e = test_engine();
    UNICODE_STRING source = RTL_CONSTANT_STRING(L"abc"), empty = RTL_CONSTANT_STRING(L""), dest;
    WCHAR room[3] = {'x', 'x', 'x'}, tiny[2] = {'x', 'x'};
    RtlInitEmptyUnicodeString(&dest, tiny, sizeof(tiny));
    CHECK_EQ(RtlUpcaseUnicodeString(&dest, &source, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(dest.Length, 0);
    CHECK_EQ(tiny[0], 'x');
    RtlInitEmptyUnicodeString(&dest, room, sizeof(room));
    CHECK_EQ(RtlUpcaseUnicodeString(&dest, &source, FALSE), STATUS_SUCCESS);
    CHECK_EQ(dest.Length, 6);
    CHECK(memcmp(room, L"ABC", 6) == 0);
    /* An empty source allocates nothing. */
    CHECK_EQ(RtlUpcaseUnicodeString(&dest, &empty, TRUE), STATUS_SUCCESS);
    CHECK(dest.Buffer == NULL);
    CHECK_EQ(dest.Length, 0);
    CHECK_EQ(hh_pool_live(e->pool, NULL, 0), 0);
    test_engine_done(e);
}

/* ---- Findings -------------------------------------------------------------------------- */
static void init_null(void *arg)
{
    (void)arg;
    RtlInitUnicodeString(NULL, L"x");
}

static void copy_long_length(void *arg)
{
    WCHAR buffer[4];
    UNICODE_STRING source = {8, 4, buffer}, dest;
    (void)arg;
    RtlInitEmptyUnicodeString(&dest, buffer, sizeof(buffer));
    RtlCopyUnicodeString(&dest, &source);
}

static void equal_odd_length(void *arg)
{
    UNICODE_STRING a = RTL_CONSTANT_STRING(L"ab"), b = RTL_CONSTANT_STRING(L"ab");
    (void)arg;
    b.Length = 3;
    RtlEqualUnicodeString(&a, &b, FALSE);
}

static void copy_into_null_buffer(void *arg)
{
    UNICODE_STRING source = RTL_CONSTANT_STRING(L"ab"), dest = {0, 8, NULL};
    (void)arg;
    RtlCopyUnicodeString(&dest, &source);
}

static void equal_null_buffer(void *arg)
{
    UNICODE_STRING a = RTL_CONSTANT_STRING(L"ab"), b = {4, 4, NULL};
    (void)arg;
    RtlEqualUnicodeString(&a, &b, TRUE);
}

static void test_bad_strings(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, init_null, NULL, HH_RULE_BAD_STRING,
                 "RtlInitUnicodeString: DestinationString is NULL");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, copy_long_length, NULL, HH_RULE_BAD_STRING,
                 "RtlCopyUnicodeString: SourceString has Length 8 past its MaximumLength 4");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, equal_odd_length, NULL, HH_RULE_BAD_STRING,
                 "RtlEqualUnicodeString: String2 has the odd Length 3");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, copy_into_null_buffer, NULL, HH_RULE_BAD_STRING,
                 "DestinationString has a NULL Buffer with room for 4");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, equal_null_buffer, NULL, HH_RULE_BAD_STRING,
                 "String2 has a NULL Buffer with Length 4; the kernel reads it");
    test_engine_done(e);
}

static void equal_at_apc(void *arg)
{
    UNICODE_STRING a = RTL_CONSTANT_STRING(L"ab");
    (void)arg;
    KfRaiseIrql(APC_LEVEL);
    RtlEqualUnicodeString(&a, &a, TRUE);
}

static void upcase_at_dispatch(void *arg)
{
    UNICODE_STRING a = RTL_CONSTANT_STRING(L"ab"), b;
    (void)arg;
    KeRaiseIrqlToDpcLevel();
    RtlUpcaseUnicodeString(&b, &a, TRUE);
}

static void free_a_literal(void *arg)
{
    UNICODE_STRING a;
    (void)arg;
    RtlInitUnicodeString(&a, L"not pool");
    RtlFreeUnicodeString(&a);
}

static void test_irql_and_foreign_free(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, equal_at_apc, NULL, HH_RULE_IRQL,
                 "RtlEqualUnicodeString called at APC_LEVEL; it requires IRQL <= PASSIVE_LEVEL");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, upcase_at_dispatch, NULL, HH_RULE_IRQL,
                 "RtlUpcaseUnicodeString called at DISPATCH_LEVEL; it requires IRQL <= APC_LEVEL");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, free_a_literal, NULL, HH_RULE_BAD_FREE, "the pool never gave out");
    CHECK_CONTAINS(e->failure.message, "test_string.c:");
    test_engine_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"constant_strings", test_constant_strings},
        {"init_lengths_and_cuts", test_init_lengths_and_cuts},
        {"copy_truncates_to_maximum_length", test_copy_truncates_to_maximum_length},
        {"equal_and_case", test_equal_and_case},
        {"upcase_allocates_tracked_pool", test_upcase_allocates_tracked_pool},
        {"upcase_into_callers_buffer", test_upcase_into_callers_buffer},
        {"bad_strings", test_bad_strings},
        {"irql_and_foreign_free", test_irql_and_foreign_free},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
