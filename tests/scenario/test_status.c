/* test_status.c - the NTSTATUS table: names, numbers, "when" texts, globs, suggestions.
 *
 * Also the edit distance behind every "did you mean" the harness prints, and the bounded
 * text building the names are made with.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "common/status.h"
#include "common/suggest.h"
#include "common/textput.h"

static NTSTATUS parsed(const char *text)
{
    NTSTATUS s = (NTSTATUS)0x7EADBEEF;
    CHECK_EQ(hh_status_parse(text, &s), 0);
    return s;
}

static void test_parse_names(void)
{
    char name[32];
    int n;
    for (n = 0; n < 64; n++) {
        snprintf(name, sizeof name, "STATUS_WAIT_%d", n);
        CHECK_EQ(parsed(name), n);
        snprintf(name, sizeof name, "STATUS_ABANDONED_WAIT_%d", n);
        CHECK_EQ(parsed(name), 0x80 + n);
    }
    CHECK_EQ(parsed("STATUS_SUCCESS"), 0);
    CHECK_EQ(parsed("STATUS_ABANDONED"), 0x80);
    CHECK_EQ(parsed("STATUS_USER_APC"), 0xC0);
    CHECK_EQ(parsed("STATUS_KERNEL_APC"), 0x100);
    CHECK_EQ(parsed("STATUS_ALERTED"), 0x101);
    CHECK_EQ(parsed("STATUS_TIMEOUT"), 0x102);
    CHECK_EQ(parsed("STATUS_INVALID_PARAMETER_MIX"), STATUS_INVALID_PARAMETER_MIX);
    CHECK_EQ(parsed("STATUS_MUTANT_NOT_OWNED"), STATUS_MUTANT_NOT_OWNED);
    CHECK_EQ(parsed("STATUS_SEMAPHORE_LIMIT_EXCEEDED"), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    CHECK_EQ(parsed("STATUS_MUTANT_LIMIT_EXCEEDED"), STATUS_MUTANT_LIMIT_EXCEEDED);
}

static void test_parse_numbers(void)
{
    NTSTATUS s;
    CHECK_EQ(parsed("0x102"), STATUS_TIMEOUT);
    CHECK_EQ(parsed("0X80"), STATUS_ABANDONED_WAIT_0);
    CHECK_EQ(parsed("258"), STATUS_TIMEOUT);
    CHECK_EQ(parsed("0"), 0);
    CHECK_EQ(parsed("-1073741823"), STATUS_UNSUCCESSFUL);
    CHECK_EQ(parsed("-2147483648"), MINLONG);
    CHECK_EQ(parsed("0xC0000030"), STATUS_INVALID_PARAMETER_MIX);
    CHECK_EQ(parsed("3221225473"), STATUS_UNSUCCESSFUL);
    CHECK_EQ(parsed("0xFFFFFFFF"), -1);
    CHECK_EQ(hh_status_parse("0x100000000", &s), -1);
    CHECK_EQ(hh_status_parse("4294967296", &s), -1);
    CHECK_EQ(hh_status_parse("-2147483649", &s), -1);
    CHECK_EQ(hh_status_parse("0x", &s), -1);
    CHECK_EQ(hh_status_parse("-", &s), -1);
    CHECK_EQ(hh_status_parse("", &s), -1);
    CHECK_EQ(hh_status_parse("12a", &s), -1);
    CHECK_EQ(hh_status_parse("-0x5", &s), -1);
    CHECK_EQ(hh_status_parse("status_timeout", &s), -1);
    CHECK_EQ(hh_status_parse("STATUS_WAIT_64", &s), -1);
}

static void test_canonical_names(void)
{
    char buf[32];
    CHECK_STR(hh_status_name(0, buf, sizeof buf), "STATUS_WAIT_0");
    CHECK_STR(hh_status_name(0x3F, buf, sizeof buf), "STATUS_WAIT_63");
    CHECK_STR(hh_status_name(0x80, buf, sizeof buf), "STATUS_ABANDONED_WAIT_0");
    CHECK_STR(hh_status_name(0xBF, buf, sizeof buf), "STATUS_ABANDONED_WAIT_63");
    CHECK_STR(hh_status_name(0x102, buf, sizeof buf), "STATUS_TIMEOUT");
    CHECK_STR(hh_status_name(STATUS_RESOURCE_IN_USE, buf, sizeof buf), "STATUS_RESOURCE_IN_USE");
    CHECK_STR(hh_status_name(0x40, buf, sizeof buf), "0x00000040");
    CHECK_STR(hh_status_name((NTSTATUS)0xC0001234L, buf, sizeof buf), "0xC0001234");
    CHECK_STR(hh_status_name(0x102, buf, 5), "STAT");
}

static void test_text_put(void)
{
    char buf[16], small[6];
    size_t at = hh_text_put(buf, sizeof buf, 0, "steps[");
    at = hh_text_put_ulong(buf, sizeof buf, at, 0);
    CHECK_STR(buf, "steps[0");
    at = hh_text_put_ulong(buf, sizeof buf, at, 4294967295UL);
    CHECK_STR(buf, "steps[042949672"); /* cut at 15 characters and terminated */
    CHECK_EQ(at, sizeof buf - 1);
    CHECK_EQ(hh_text_put(buf, sizeof buf, at, "more"), sizeof buf - 1);
    CHECK_STR(buf, "steps[042949672");
    at = hh_text_put_hex8(buf, sizeof buf, hh_text_put(buf, sizeof buf, 0, "0x"), 0xC0000001UL);
    CHECK_STR(buf, "0xC0000001");
    CHECK_EQ(at, 10);
    hh_text_put_hex8(buf, sizeof buf, 0, 0x1FUL);
    CHECK_STR(buf, "0000001F");
    hh_text_put_hex8(small, sizeof small, 0, 0xABCDEF12UL);
    CHECK_STR(small, "ABCDE");
    CHECK_EQ(hh_text_put(small, 0, 0, "x"), 0); /* no room at all: nothing written */
    CHECK_STR(small, "ABCDE");
}

static void test_when(void)
{
    CHECK_CONTAINS(hh_status_when(STATUS_WAIT_0), "WaitAll");
    CHECK_CONTAINS(hh_status_when(STATUS_WAIT_0), "STATUS_SUCCESS");
    CHECK_CONTAINS(hh_status_when(STATUS_WAIT_3), "WaitAny: object n was the lowest-indexed "
                                                  "signaled object");
    CHECK(strstr(hh_status_when(STATUS_WAIT_3), "WaitAll") == NULL);
    CHECK_CONTAINS(hh_status_when(STATUS_ABANDONED_WAIT_0), "STATUS_ABANDONED");
    CHECK_CONTAINS(hh_status_when(STATUS_ABANDONED_WAIT_63), "mutant");
    CHECK_CONTAINS(hh_status_when(STATUS_USER_APC), "UserMode");
    CHECK_CONTAINS(hh_status_when(STATUS_ALERTED), "alerted");
    CHECK_CONTAINS(hh_status_when(STATUS_TIMEOUT), "zero timeout");
    CHECK_CONTAINS(hh_status_when(STATUS_KERNEL_APC), "Internal, never returned");
    CHECK_CONTAINS(hh_status_when(STATUS_MUTANT_NOT_OWNED), "KeReleaseMutex");
    CHECK_CONTAINS(hh_status_when(STATUS_INVALID_PARAMETER_MIX), "WaitAll");
    CHECK(hh_status_when(0x40) == NULL);
}

static NTSTATUS as_status(uint32_t v)
{
    return v > 0x7FFFFFFFu ? (NTSTATUS)((int64_t)v - 0x100000000LL) : (NTSTATUS)v;
}

/* Every named status has a sentence; unnamed values have none. */
static void check_sentences(uint32_t from, uint32_t to)
{
    uint32_t v;
    for (v = from; v <= to; v++) {
        char name[32];
        NTSTATUS s = as_status(v);
        hh_status_name(s, name, sizeof name);
        CHECK_EQ(hh_status_when(s) != NULL, strncmp(name, "STATUS_", 7) == 0);
    }
}

static void test_every_name_has_a_sentence(void)
{
    check_sentences(0, 0x200);
    check_sentences(0xC0000000u, 0xC0000800u);
    CHECK(hh_status_wait_returns(STATUS_WAIT_63));
    CHECK(hh_status_wait_returns(STATUS_ABANDONED_WAIT_0 + 5));
    CHECK(hh_status_wait_returns(STATUS_TIMEOUT));
    CHECK(!hh_status_wait_returns(STATUS_KERNEL_APC));
    CHECK(!hh_status_wait_returns(STATUS_PENDING));
    CHECK(!hh_status_wait_returns(0x40));
    CHECK(!hh_status_wait_returns(STATUS_UNSUCCESSFUL));
}

static void test_match(void)
{
    CHECK(hh_status_match("STATUS_ABANDONED_WAIT_*", 0x85));
    CHECK(!hh_status_match("STATUS_ABANDONED_WAIT_*", 0x05));
    CHECK(hh_status_match("STATUS_ABANDONED*", 0x80));
    CHECK(hh_status_match("STATUS_SUCCESS", 0));
    CHECK(hh_status_match("STATUS_WAIT_?", 3));
    CHECK(!hh_status_match("STATUS_WAIT_?", 13));
    CHECK(hh_status_match("STATUS_WAIT_1?", 13));
    CHECK(hh_status_match("*_APC", STATUS_USER_APC));
    CHECK(hh_status_match("*", STATUS_TIMEOUT));
    CHECK(!hh_status_match("*", 0x40));
    CHECK(hh_status_match("258", STATUS_TIMEOUT));
    CHECK(hh_status_match("0x102", STATUS_TIMEOUT));
    CHECK(hh_status_match("64", 0x40));
    CHECK(!hh_status_match("STATUS_TIMEOUT", STATUS_ALERTED));
    CHECK(!hh_status_match("status_timeout", STATUS_TIMEOUT));
    CHECK(hh_status_match("*WAIT*", 0x81));
}

/* The value list a rule keeps covers exactly what the pattern matches, each value once:
 * compared with hh_status_match over every value that has a name and some that do not. */
static void test_pattern_values(void)
{
    static const char *const patterns[] = {
        "STATUS_ABANDONED_WAIT_*", "STATUS_ABANDONED*", "STATUS_SUCCESS", "STATUS_WAIT_?",
        "STATUS_WAIT_1?", "*_APC", "*", "258", "0x102", "64", "status_timeout", "*WAIT*",
        "STATUS_WAIT_0", "STATUS_NOPE"};
    NTSTATUS values[512], extra[] = {STATUS_USER_APC, STATUS_ALERTED, STATUS_TIMEOUT,
                                     STATUS_PENDING, (NTSTATUS)0xC0000005, 0x102, 0x40};
    size_t i, k, j, n;
    for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
        n = hh_status_pattern_values(patterns[i], values, 512);
        CHECK(n <= 512);
        CHECK_EQ(hh_status_pattern_values(patterns[i], NULL, 0), n);
        for (k = 0; k < n; k++) {
            CHECK(hh_status_match(patterns[i], values[k]));
            for (j = 0; j < k; j++)
                CHECK(values[j] != values[k]);
        }
        for (k = 0; k < 0x100 + sizeof(extra) / sizeof(extra[0]); k++) {
            NTSTATUS s = k < 0x100 ? (NTSTATUS)k : extra[k - 0x100];
            int listed = 0;
            for (j = 0; j < n; j++)
                listed |= values[j] == s;
            CHECK_EQ(listed, hh_status_match(patterns[i], s));
        }
    }
    CHECK_EQ(hh_status_pattern_values("STATUS_WAIT_*", values, 512), 64);
    /* STATUS_SUCCESS and STATUS_ABANDONED are aliases: their values are listed once. */
    CHECK_EQ(hh_status_pattern_values("STATUS_ABANDONED*", values, 512), 64);
    CHECK_EQ(hh_status_pattern_values("*", values, 2), hh_status_pattern_values("*", NULL, 0));
}

static void test_pattern_valid(void)
{
    CHECK(hh_status_pattern_valid("STATUS_WAIT_*"));
    CHECK(hh_status_pattern_valid("STATUS_TIMEOUT"));
    CHECK(hh_status_pattern_valid("0x102"));
    CHECK(hh_status_pattern_valid("12"));
    CHECK(!hh_status_pattern_valid("STATUS_NOPE_*"));
    CHECK(!hh_status_pattern_valid("STATUS_TIMOUT"));
    CHECK(!hh_status_pattern_valid(""));
}

static void test_suggest(void)
{
    CHECK_STR(hh_status_suggest("STATUS_TIMOUT"), "STATUS_TIMEOUT");
    CHECK_STR(hh_status_suggest("STATUS_WAIT_O"), "STATUS_WAIT_0");
    CHECK_STR(hh_status_suggest("STATUS_WAIT_l"), "STATUS_WAIT_1");
    CHECK_STR(hh_status_suggest("TIMEOUT"), "STATUS_TIMEOUT");
    CHECK_STR(hh_status_suggest("status_alerted"), "STATUS_ALERTED");
    CHECK_STR(hh_status_suggest("STATUS_ABANDONED_WAIT_"), "STATUS_ABANDONED_WAIT_0");
    CHECK(hh_status_suggest("xyzzy") == NULL);
    CHECK(hh_status_suggest("") == NULL);
}

static void test_edit_distance(void)
{
    static const char *const keys[] = {"at", "expect", "then", "note", NULL};
    char longer[HH_SUGGEST_MAX_LEN + 2];
    CHECK_EQ(hh_edit_distance("expect", "expect"), 0);
    CHECK_EQ(hh_edit_distance("expcet", "expect"), 1);
    CHECK_EQ(hh_edit_distance("Expect", "expect"), 0);
    CHECK_EQ(hh_edit_distance("", "abc"), 3);
    CHECK_EQ(hh_edit_distance("kitten", "sitting"), 3);
    CHECK_EQ(hh_edit_distance("ca", "abc"), 3);
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    CHECK_EQ(hh_edit_distance(longer, "a"), (size_t)-1);
    CHECK_STR(hh_suggest_from("expcet", keys), "expect");
    CHECK_STR(hh_suggest_from("thne", keys), "then");
    CHECK_STR(hh_suggest_from("exp", keys), "expect");
    CHECK(hh_suggest_from("zzzzzz", keys) == NULL);
    CHECK(hh_suggest_from("a", keys) == NULL || strcmp(hh_suggest_from("a", keys), "at") == 0);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"parse-names", test_parse_names},
        {"parse-numbers", test_parse_numbers},
        {"canonical-names", test_canonical_names},
        {"text-put", test_text_put},
        {"when", test_when},
        {"every-name-has-a-sentence", test_every_name_has_a_sentence},
        {"match", test_match},
        {"pattern-valid", test_pattern_valid},
        {"pattern-values", test_pattern_values},
        {"suggest", test_suggest},
        {"edit-distance", test_edit_distance},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
