/* test_dbgprint.c - DbgPrint formats as the Windows kernel does, whatever the host.
 *
 * Each case prints one format into a fresh log and compares the text: the LLP64 sizes (%lx
 * is 32 bits even where long is 64), the kernel's own conversions (%wZ, %Z, %ws, %S, %hs,
 * %C, %I64x, %Ix), %p in full uppercase digits, flags, widths and precisions, what the
 * kernel does with NULL strings, and the IRQL rule of the Unicode conversions.
 */
#include <stdio.h>

#include "shim_test.h"

static struct hh_engine *engine;

/* The log of one DbgPrint call. */
#define PRINTS(expect, ...)                                                                  \
    do {                                                                                     \
        hh_engine_log_clear(engine);                                                         \
        CHECK_EQ(DbgPrint(__VA_ARGS__), STATUS_SUCCESS);                                     \
        CHECK_STR(engine->log ? engine->log : "", (expect));                                 \
    } while (0)

static const WCHAR wide_hello[] = {'h', 'e', 'l', 'l', 'o', 0};

static void test_llp64_sizes(void)
{
    engine = test_engine();
    PRINTS("c0000001", "%08lx", STATUS_UNSUCCESSFUL);
    PRINTS("status 0xC0000001", "status 0x%08lX", (ULONG)STATUS_UNSUCCESSFUL);
    PRINTS("-5 4294967295", "%ld %lu", (LONG)-5, (ULONG)0xFFFFFFFFu);
    PRINTS("123456789abcdef0", "%I64x", (ULONGLONG)0x123456789abcdef0ULL);
    PRINTS("123456789ABCDEF0", "%llX", (ULONGLONG)0x123456789abcdef0ULL);
    PRINTS("-9000000000", "%I64d", (LONGLONG)-9000000000LL);
    PRINTS("4000000000", "%I32u", (ULONG)4000000000u);
    PRINTS("1 1", "%hd %hhu", 65537, 257);
    if (sizeof(void *) == 8) {
        PRINTS("ffffffffffffffff 18446744073709551615", "%Ix %zu", (ULONG_PTR)-1, (SIZE_T)-1);
        PRINTS("-1", "%Id", (LONG_PTR)-1);
    } else {
        PRINTS("ffffffff 4294967295", "%Ix %zu", (ULONG_PTR)-1, (SIZE_T)-1);
    }
    test_engine_done(engine);
}

static void test_pointer_is_every_digit_uppercase(void)
{
    char expect[40];
    engine = test_engine();
    snprintf(expect, sizeof(expect), "[%0*X]", (int)(2 * sizeof(void *)), 0xABCDu);
    PRINTS(expect, "[%p]", (void *)(ULONG_PTR)0xABCD);
    if (sizeof(void *) == 8) {
        PRINTS("00007FF6A1B2C3D0", "%p", (void *)(ULONG_PTR)0x00007FF6A1B2C3D0ULL);
        PRINTS("  0000000000000001|", "%18p|", (void *)(ULONG_PTR)1);
        PRINTS("0000000000000000", "%p", (void *)0);
    }
    test_engine_done(engine);
}

static void test_flags_width_precision(void)
{
    engine = test_engine();
    PRINTS("[   42][42   ][+42][ 42]", "[%5d][%-5d][%+d][% d]", 42, 42, 42, 42);
    PRINTS("-0042 007 0xff 0XFF 010 0", "%05d %.3d %#x %#X %#o %#x", -42, 7, 255, 255, 8, 0);
    PRINTS("[42  ][  7]", "[%*d][%*.*d]", -4, 42, 3, 0, 7);
    PRINTS("[] [0]", "[%.0d] [%d]", 0, 0);
    PRINTS("[   ab][ab   ][he][000ab]", "[%5s][%-5s][%.2s][%05s]", "ab", "ab", "hello", "ab");
    PRINTS("3.14 -001.500 1.000000e+03 +2", "%.2f %08.3f %e %+g", 3.14159, -1.5, 1000.0, 2.0);
    PRINTS("100% %y %", "100%% %y %");
    test_engine_done(engine);
}

static void test_kernel_string_conversions(void)
{
    /* Length covers "wor" only: the counted string is not terminated where it ends. */
    WCHAR buffer[] = {'w', 'o', 'r', 'l', 'd', 0};
    UNICODE_STRING u = {3 * sizeof(WCHAR), sizeof(buffer), buffer};
    char narrow[] = "ansi-text";
    ANSI_STRING a = {4, sizeof(narrow), narrow};
    UNICODE_STRING no_buffer = {0, 0, NULL};
    const WCHAR accented[] = {'c', 'a', 'f', 0xE9, 0};
    engine = test_engine();
    PRINTS("<wor> <ansi>", "<%wZ> <%Z>", &u, &a);
    PRINTS("hello hello hello hello", "%ws %S %ls %hs", wide_hello, wide_hello, wide_hello, "hello");
    PRINTS("A B C d", "%C %wc %lc %c", (WCHAR)'A', (WCHAR)'B', (WCHAR)'C', 'd');
    PRINTS("hello", "%hS", "hello");
    PRINTS("[  wor][hel]", "[%5wZ][%.3ws]", &u, wide_hello);
    PRINTS("caf?", "%ws", accented);
    PRINTS("(null) (null) (null) (null)", "%s %ws %wZ %Z", (char *)NULL, (WCHAR *)NULL,
           (PUNICODE_STRING)NULL, &no_buffer);
    test_engine_done(engine);
}

static ULONG print_v(const char *prefix, PCSTR format, ...)
{
    va_list ap;
    ULONG status;
    va_start(ap, format);
    status = prefix ? vDbgPrintExWithPrefix(prefix, DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
                                            format, ap)
                    : vDbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, format, ap);
    va_end(ap);
    return status;
}

static void test_va_list_forms(void)
{
    engine = test_engine();
    CHECK_EQ(print_v(NULL, "%lx/%ws;", (ULONG)0xBEEF, wide_hello), STATUS_SUCCESS);
    CHECK_EQ(print_v("drv: ", "%I64u", (ULONGLONG)12345678901ULL), STATUS_SUCCESS);
    CHECK_EQ(DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "%08lx", 0x1234), STATUS_SUCCESS);
    CHECK_STR(engine->log, "beef/hello;drv: 1234567890100001234");
    test_engine_done(engine);
}

/* A message is formatted in place until it outgrows the formatter's own buffer (256 bytes),
 * then moves to the heap: every size across that boundary keeps the whole text. */
static void test_long_messages_move_to_the_heap(void)
{
    static const size_t sizes[] = {1, 254, 255, 256, 257, 511, 512, 513, 2000};
    char text[2100], expect[4300];
    size_t i;
    engine = test_engine();
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t k;
        for (k = 0; k < sizes[i]; k++)
            text[k] = (char)('a' + k % 26);
        text[sizes[i]] = '\0';
        snprintf(expect, sizeof(expect), "<%s|%s>", text, text);
        PRINTS(expect, "<%s|%s>", text, text); /* the second copy crosses from the buffer */
        PRINTS(text, "%s", text);
    }
    test_engine_done(engine);
}

static void print_unicode_at_dispatch(void *arg)
{
    (void)arg;
    KeRaiseIrqlToDpcLevel();
    DbgPrint("name %wZ\n", (PUNICODE_STRING)NULL);
}

static void print_narrow_at_dispatch(void *arg)
{
    KIRQL old = KeRaiseIrqlToDpcLevel();
    (void)arg;
    DbgPrint("%s %lu\n", "narrow", (ULONG)1);
    KeLowerIrql(old);
}

static void test_unicode_conversions_need_passive_level(void)
{
    engine = test_engine();
    CHECK_EQ(hh_engine_guarded(engine, print_narrow_at_dispatch, NULL), 0);
    CHECK_STR(engine->log, "narrow 1\n");
    CHECK_ABORTS(engine, print_unicode_at_dispatch, NULL, HH_RULE_IRQL,
                 "DbgPrint with the Unicode conversion %wZ at DISPATCH_LEVEL");
    CHECK_CONTAINS(engine->failure.message, "PASSIVE_LEVEL only");
    test_engine_done(engine);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"llp64_sizes", test_llp64_sizes},
        {"pointer_is_every_digit_uppercase", test_pointer_is_every_digit_uppercase},
        {"flags_width_precision", test_flags_width_precision},
        {"kernel_string_conversions", test_kernel_string_conversions},
        {"va_list_forms", test_va_list_forms},
        {"long_messages_move_to_the_heap", test_long_messages_move_to_the_heap},
        {"unicode_conversions_need_passive_level", test_unicode_conversions_need_passive_level},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
