/* test_duration.c - duration strings to 100 ns ticks and back.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "scenario/scenario.h"

struct good {
    const char *text;
    int64_t ticks;
};

struct bad {
    const char *text;
    const char *why;
};

static void test_parse_good(void)
{
    static const struct good cases[] = {
        {"0", 0},
        {"0s", 0},
        {"0.0ms", 0},
        {"100ns", 1},
        {"300ns", 3},
        {"1us", 10},
        {"1.5us", 15},
        {"0.1us", 1},
        {"250ms", 2500000},
        {"1.5s", 15000000},
        {"1.0000001s", 10000001},
        {"0.0000001s", 1},
        {"1.50000000000s", 15000000},
        {"007ms", 70000},
        {"8640000s", HH_DURATION_MAX},
        {"8640000000ms", HH_DURATION_MAX},
        {"8640000000000000ns", HH_DURATION_MAX},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ticks = -1;
        const char *why = NULL;
        printf("# %s\n", cases[i].text);
        CHECK_EQ(hh_duration_parse(cases[i].text, &ticks, &why), 0);
        CHECK_EQ(ticks, cases[i].ticks);
    }
}

static void test_parse_bad(void)
{
    static const struct bad cases[] = {
        {"", "expected a number and a unit"},
        {"ms", "expected a number and a unit"},
        {".5s", "expected a number and a unit"},
        {"1..5s", "expected digits after the decimal point"},
        {"1.s", "expected digits after the decimal point"},
        {"1.5.5s", "expected a number and a unit"},
        {"-1s", "never negative"},
        {"-0", "never negative"},
        {"+1s", "expected a number and a unit"},
        {"15", "the unit is missing"},
        {"1.5", "the unit is missing"},
        {"5 ms", "unknown unit"},
        {"5min", "unknown unit"},
        {"5MS", "unknown unit"},
        {"1e3ms", "unknown unit"},
        {"150ns", "finer than the 100 ns resolution"},
        {"1ns", "finer than the 100 ns resolution"},
        {"100.5ns", "finer than the 100 ns resolution"},
        {"0.01us", "finer than the 100 ns resolution"},
        {"1.00000001s", "finer than the 100 ns resolution"},
        {"1.0000000001s", "finer than the 100 ns resolution"},
        {"8640000.0000001s", "longer than 100 days"},
        {"8640001s", "longer than 100 days"},
        {"99999999999999999999999999s", "longer than 100 days"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ticks = 12345;
        const char *why = NULL;
        printf("# \"%s\"\n", cases[i].text);
        CHECK_EQ(hh_duration_parse(cases[i].text, &ticks, &why), -1);
        CHECK_CONTAINS(why, cases[i].why);
        CHECK_EQ(ticks, 12345);
    }
}

static void test_format(void)
{
    static const struct good cases[] = {
        {"0", 0},
        {"100ns", 1},
        {"300ns", 3},
        {"1us", 10},
        {"1.5us", 15},
        {"100us", 1000},
        {"1ms", 10000},
        {"1.25ms", 12500},
        {"1.2345ms", 12345},
        {"500ms", 5000000},
        {"250ms", 2500000},
        {"1s", 10000000},
        {"1.5s", 15000000},
        {"1.0000001s", 10000001},
        {"8640000s", HH_DURATION_MAX},
        {"-250ms", -2500000},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[48];
        CHECK_STR(hh_duration_format(cases[i].ticks, buf, sizeof buf), cases[i].text);
    }
}

static void test_format_extremes(void)
{
    char buf[48];
    CHECK_STR(hh_duration_format(INT64_MAX, buf, sizeof buf), "922337203685.4775807s");
    CHECK_STR(hh_duration_format(INT64_MIN, buf, sizeof buf), "-922337203685.4775808s");
    CHECK_STR(hh_duration_format(15000000, buf, 3), "1.");
}

/* Every value formats to text that parses back to it. */
static void test_round_trip(void)
{
    int64_t t;
    for (t = 0; t < HH_DURATION_MAX; t = t * 3 + 7) {
        char buf[48];
        int64_t back = -1;
        CHECK_EQ(hh_duration_parse(hh_duration_format(t, buf, sizeof buf), &back, NULL), 0);
        CHECK_EQ(back, t);
    }
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"parse-good", test_parse_good},
        {"parse-bad", test_parse_bad},
        {"format", test_format},
        {"format-extremes", test_format_extremes},
        {"round-trip", test_round_trip},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
