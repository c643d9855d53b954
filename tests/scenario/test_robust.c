/* test_robust.c - the parser against damaged input: no crash, no leak, always a diagnostic.
 *
 * Every prefix of a valid file, and thousands of seeded random byte changes, go through
 * hh_scenario_parse from exact-size heap copies (so a read past the end is caught under
 * ASan). Each call either returns a scenario and no diagnostic, or no scenario and at least
 * one diagnostic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "platform/plat.h"
#include "scenario/scenario.h"

struct text {
    char *data;
    size_t len;
};

static struct text read_good(const char *name)
{
    char path[600], err[256];
    struct text t = {NULL, 0};
    snprintf(path, sizeof path, "%s/good/%s", HH_TEST_DATA, name);
    CHECK_EQ(hh_plat_read_file(path, 1 << 20, &t.data, &t.len, err, sizeof err), 0);
    CHECK_INT(t.len, >, 0);
    return t;
}

/* Parses len bytes from an exact-size copy; returns whether it validated. */
static int parse_copy(const char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    struct hh_scenario *sc = NULL;
    struct hh_diags d;
    int rc;
    CHECK(copy != NULL);
    memcpy(copy, data, len);
    hh_diags_init(&d);
    rc = hh_scenario_parse("damaged.json", copy, len, &sc, &d);
    free(copy);
    if (rc == 0) {
        CHECK(sc != NULL);
        CHECK_EQ(d.n, 0);
        hh_scenario_free(sc);
        return 1;
    }
    CHECK_EQ(rc, -1);
    CHECK(sc == NULL);
    CHECK_INT(d.n, >=, 1);
    CHECK(d.items[0].msg[0] != '\0');
    return 0;
}

static void test_every_prefix(void)
{
    struct text t = read_good("everything.json");
    size_t len, valid = 0;
    for (len = 0; len <= t.len; len++)
        valid += (size_t)parse_copy(t.data, len);
    /* The whole file, and the file without its final newline. */
    CHECK_EQ(valid, 2);
    free(t.data);
}

static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* One to four bytes replaced, half of them by JSON punctuation so that structure breaks. */
static void damage(char *data, size_t len, uint32_t *state)
{
    static const char punctuation[] = "{}[]\":,0-.e\\ \n\x00\xC3\xFF";
    int k, changes = 1 + (int)(next_random(state) % 4);
    for (k = 0; k < changes; k++) {
        size_t at = next_random(state) % len;
        uint32_t r = next_random(state);
        data[at] = (r & 1) ? (char)(r >> 8) : punctuation[(r >> 8) % (sizeof punctuation - 1)];
    }
}

static void test_random_damage(void)
{
    struct text t = read_good("everything.json");
    char *work = malloc(t.len);
    uint32_t state = 0x2545F491u;
    int i, valid = 0;
    CHECK(work != NULL);
    for (i = 0; i < 20000; i++) {
        memcpy(work, t.data, t.len);
        damage(work, t.len, &state);
        valid += parse_copy(work, t.len);
    }
    printf("# %d of 20000 damaged files still validated\n", valid);
    free(work);
    free(t.data);
}

static void test_deep_nesting(void)
{
    size_t n = 100000, i;
    char *text = malloc(2 * n);
    struct hh_diags d;
    struct hh_scenario *sc = NULL;
    CHECK(text != NULL);
    for (i = 0; i < n; i++) {
        text[i] = '[';
        text[2 * n - 1 - i] = ']';
    }
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_parse("deep.json", text, 2 * n, &sc, &d), -1);
    CHECK_EQ(d.n, 1);
    CHECK_EQ(d.items[0].col, 65);
    CHECK_CONTAINS(d.items[0].msg, "nesting deeper than 64");
    /* 64 levels are fine as JSON; the file is then wrong only as a scenario. */
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_parse("deep.json", text + n - 64, 128, &sc, &d), -1);
    CHECK_CONTAINS(d.items[0].msg, "expected a JSON object holding the scenario");
    free(text);
}

static void test_embedded_nul(void)
{
    static const char text[] = "{\"name\": \"a\0b\"}";
    struct hh_diags d;
    struct hh_scenario *sc = NULL;
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_parse("nul.json", text, sizeof text - 1, &sc, &d), -1);
    CHECK_EQ(d.items[0].line, 1);
    CHECK_EQ(d.items[0].col, 12);
    CHECK_CONTAINS(d.items[0].msg, "control character 0x00");
}

static void test_many_steps(void)
{
    const size_t n = 50000;
    size_t i, used, size = n * 24 + 256;
    char *text = malloc(size);
    struct hh_diags d;
    struct hh_scenario *sc = NULL;
    CHECK(text != NULL);
    used = (size_t)snprintf(text, size, "{\"name\": \"n\", \"module\": \"m\", \"routine\": \"r\", "
                                 "\"objects\": [{\"name\": \"e\", \"type\": "
                                 "\"notification_event\"}], \"steps\": [");
    for (i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, size - used, "%s{\"set\": \"e\"}", i ? "," : "");
    used += (size_t)snprintf(text + used, size - used, "], \"true_means\": \"continue\"}");
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_parse("many.json", text, used, &sc, &d), 0);
    CHECK_EQ(sc->nsteps, n);
    hh_scenario_free(sc);
    free(text);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"every-prefix", test_every_prefix},
        {"random-damage", test_random_damage},
        {"deep-nesting", test_deep_nesting},
        {"embedded-nul", test_embedded_nul},
        {"many-steps", test_many_steps},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
