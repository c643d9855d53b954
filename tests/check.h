/* check.h - a small TAP test runner: TEST functions in a table, CHECK_* macros.
 *
 * Each test executable lists its tests in a table and calls hh_test_main, which prints
 * flat TAP 13 (one point per test; `meson test` reads it with protocol 'tap'), runs one
 * test by name when given one, and lists them with --list. A failed CHECK prints file,
 * line, the expression and both values, then ends that test (the others still run).
 */
#ifndef HH_TESTS_CHECK_H
#define HH_TESTS_CHECK_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct hh_test {
    const char *name;
    void (*fn)(void);
};

#define HH_TEST_COUNT(table) (sizeof(table) / sizeof((table)[0]))

int hh_test_main(int argc, char **argv, const struct hh_test *tests, size_t n);

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void hh_check_fail(const char *file, int line, const char *fmt, ...);

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond))                                                                         \
            hh_check_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond);                     \
    } while (0)

#define CHECK_INT(a, op, b)                                                                  \
    do {                                                                                     \
        long long hh_a_ = (long long)(a), hh_b_ = (long long)(b);                            \
        if (!(hh_a_ op hh_b_))                                                               \
            hh_check_fail(__FILE__, __LINE__, "CHECK_INT(%s %s %s): %lld vs %lld (0x%llx vs 0x%llx)", \
                          #a, #op, #b, hh_a_, hh_b_, (unsigned long long)hh_a_,              \
                          (unsigned long long)hh_b_);                                        \
    } while (0)

#define CHECK_EQ(a, b) CHECK_INT(a, ==, b)

#define CHECK_STR(a, b)                                                                      \
    do {                                                                                     \
        const char *hh_a_ = (a), *hh_b_ = (b);                                               \
        if (!hh_a_ || !hh_b_ || strcmp(hh_a_, hh_b_) != 0)                                   \
            hh_check_fail(__FILE__, __LINE__, "CHECK_STR(%s, %s): \"%s\" vs \"%s\"", #a, #b,  \
                          hh_a_ ? hh_a_ : "(null)", hh_b_ ? hh_b_ : "(null)");               \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                          \
    do {                                                                                     \
        const char *hh_h_ = (hay), *hh_n_ = (needle);                                        \
        if (!hh_h_ || !strstr(hh_h_, hh_n_))                                                 \
            hh_check_fail(__FILE__, __LINE__, "CHECK_CONTAINS(%s, %s): \"%s\" lacks \"%s\"", \
                          #hay, #needle, hh_h_ ? hh_h_ : "(null)", hh_n_);                   \
    } while (0)

#endif
