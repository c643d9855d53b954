/* test_schedule.c - the schedule's text form (parse, format, errors that say where) and the
 * replay strategy: a schedule found by the search, printed and parsed back, reproduces the
 * failure; a schedule the run cannot follow is reported as a divergence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "explore/schedule.h"
#include "explore/strategy.h"
#include "model.h"
#include "platform/plat.h"

static struct hh_ex_schedule *parse_ok(const char *text)
{
    struct hh_ex_schedule *sc = NULL;
    char err[256] = "";
    if (hh_ex_schedule_parse(text, strlen(text), &sc, err, sizeof(err)) != 0)
        hh_check_fail(__FILE__, __LINE__, "\"%s\" did not parse: %s", text, err);
    return sc;
}

static void test_parse_and_format(void)
{
    struct hh_ex_schedule *sc = parse_ok("  worker x3,producer ,\n\tworker x2, #2, dpc:kick[1] x1");
    char *text;
    CHECK_EQ(sc->n_items, 5);
    CHECK_EQ(sc->n_points, 8);
    CHECK_STR(sc->items[0].name, "worker");
    CHECK_EQ(sc->items[0].count, 3);
    CHECK_EQ(sc->items[2].line, 2);
    CHECK_EQ(sc->items[2].col, 2);
    CHECK_STR(sc->items[3].name, "#2");
    text = hh_ex_schedule_format(sc);
    CHECK_STR(text, "worker x3, producer, worker x2, #2, dpc:kick[1]");
    free(text);
    hh_ex_schedule_free(sc);
    sc = parse_ok(" \n ");
    CHECK_EQ(sc->n_items, 0);
    hh_ex_schedule_free(sc);
}

static void test_errors_say_where_and_what(void)
{
    static const struct {
        const char *text, *error;
    } bad[] = {
        {"worker x3 producer", "schedule:1:11: expected ',' before the next thread or \"xN\" after a name, found 'p'"},
        {"worker,", "schedule:1:8: expected a thread name after ',', found the end of the text"},
        {"worker,\n , x", "schedule:2:2: expected a thread name (letters, digits, _ . : # / - [ ]), found ','"},
        {"worker x0", "schedule:1:8: a repeat count is from x1 to x1000000"},
        {"worker x99999999999999999999", "schedule:1:8: a repeat count is from x1 to x1000000"},
        {"worker x2y", "schedule:1:8: expected ',' before the next thread or \"xN\" after a name, found 'x'"},
        {"wor\x01ker", "schedule:1:4: expected ',' before the next thread or \"xN\" after a name, found byte 0x01"},
        {"[\"worker\"]", "schedule:1:2: expected ',' before the next thread or \"xN\" after a name, found '\"'"},
        {"a x1000000, a x1000000, a x1000000, a x1000000, a x1000000, a x1000000, a x1000000, "
         "a x1000000, a x1000000, a x1000000, a x1000000, a x1000000, a x1000000, a x1000000, "
         "a x1000000, a x1000000, a x1000000",
         "schedule:1:193: a schedule has at most 16777216 points"},
    };
    size_t i;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct hh_ex_schedule *sc = NULL;
        char err[256] = "";
        CHECK_EQ(hh_ex_schedule_parse(bad[i].text, strlen(bad[i].text), &sc, err, sizeof(err)), -1);
        CHECK(sc == NULL);
        CHECK_STR(err, bad[i].error);
    }
}

/* The files that seed the schedule-parser fuzz target: good/ parse, bad/ are refused. */
static void test_seed_files(void)
{
    static const char *const kinds[] = {"good", "bad"};
    size_t k, files = 0;
    for (k = 0; k < 2; k++) {
        char dir[1024], path[1200], err[256], **names;
        size_t n, i;
        snprintf(dir, sizeof(dir), "%s/%s", HH_SCHEDULES_DIR, kinds[k]);
        CHECK_EQ(hh_plat_list_dir(dir, &names, &n, err, sizeof(err)), 0);
        for (i = 0; i < n; i++) {
            struct hh_ex_schedule *sc = NULL;
            char *data;
            size_t len;
            int rc;
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
            CHECK_EQ(hh_plat_read_file(path, 1u << 20, &data, &len, err, sizeof(err)), 0);
            rc = hh_ex_schedule_parse(data, len, &sc, err, sizeof(err));
            if (rc != (k == 0 ? 0 : -1))
                hh_check_fail(__FILE__, __LINE__, "%s: %s", path, rc ? err : "parses");
            hh_ex_schedule_free(sc);
            free(data);
            files++;
        }
        hh_plat_free_list(names, n);
    }
    CHECK(files >= 4);
}

static void test_long_name_refused(void)
{
    char text[80], err[256];
    struct hh_ex_schedule *sc;
    memset(text, 'a', 64);
    text[64] = '\0';
    CHECK_EQ(hh_ex_schedule_parse(text, 64, &sc, err, sizeof(err)), -1);
    CHECK_STR(err, "schedule:1:1: a thread name is at most 63 characters, this one has 64");
    CHECK_EQ(hh_ex_schedule_parse(text, 63, &sc, err, sizeof(err)), 0);
    hh_ex_schedule_free(sc);
}

static void test_from_trace_runs_and_unnamed_threads(void)
{
    static const uint8_t ids[] = {0, 0, 0, 1, 2, 2, 0};
    static const char *const names[] = {"worker", "has space", NULL};
    struct hh_ex_schedule *sc = hh_ex_schedule_from_trace(ids, sizeof(ids), names, 3);
    char *text = hh_ex_schedule_format(sc);
    CHECK_STR(text, "worker x3, #1, #2 x2, worker");
    CHECK_EQ(sc->n_points, 7);
    free(text);
    hh_ex_schedule_free(sc);
}

/* Replays text on the lost wake-up: whether it deadlocked, and the divergence if any. */
static int replay(const char *text, char *divergence, size_t size)
{
    struct hh_ex_schedule *sc = parse_ok(text);
    struct hh_ex_strategy *s = hh_ex_replay_new(sc);
    struct model m;
    struct model_final f;
    model_lost_wakeup(&m, 0);
    CHECK(hh_ex_begin_run(s));
    CHECK_EQ(model_run(&m, s, &f), 0);
    hh_ex_end_run(s, f.deadlock);
    CHECK_EQ(hh_ex_begin_run(s), 0); /* one run */
    divergence[0] = '\0';
    hh_ex_divergence(s, divergence, size);
    hh_ex_free(s);
    hh_ex_schedule_free(sc);
    return f.deadlock;
}

static void test_found_schedule_replays_the_failure(void)
{
    struct hh_ex_strategy *s = hh_ex_dfs_new(2, 1);
    struct model m;
    struct hh_ex_schedule *sc;
    char *text, divergence[512];
    const uint8_t *trace;
    size_t n;
    int found = 0;
    model_lost_wakeup(&m, 0);
    while (!found && hh_ex_begin_run(s)) {
        struct model_final f;
        found = !model_run(&m, s, &f) && f.deadlock;
        hh_ex_end_run(s, found);
    }
    CHECK(found);
    trace = hh_ex_trace(s, &n);
    sc = hh_ex_schedule_from_trace(trace, n, m.names, m.n_threads);
    text = hh_ex_schedule_format(sc);
    CHECK_STR(text, "worker, producer x2, worker");
    CHECK(replay(text, divergence, sizeof(divergence)));
    CHECK_STR(divergence, "");
    CHECK(!replay("producer x2, worker", divergence, sizeof(divergence)));
    CHECK_STR(divergence, "");
    CHECK(replay("#0, #1 x2, #0 x2", divergence, sizeof(divergence)));
    free(text);
    hh_ex_schedule_free(sc);
    hh_ex_free(s);
}

static void test_divergence_is_reported(void)
{
    char d[512];
    replay("worker, producer x3, worker", d, sizeof(d));
    CHECK_STR(d, "the schedule diverged at point 4: item 2 (line 1, column 9) \"producer x3\", "
                 "its point 3, wants producer, which is not enabled there; enabled: worker");
    replay("producer x2,\n nobody", d, sizeof(d));
    CHECK_CONTAINS(d, "at point 3: item 2 (line 2, column 2) \"nobody x1\", its point 1, "
                      "wants nobody");
    replay("producer x2", d, sizeof(d));
    CHECK_STR(d, "the run went on past the schedule's end: the schedule has 2 points");
    replay("producer x2, worker, worker", d, sizeof(d));
    CHECK_STR(d, "the run ended after 3 points, before the schedule's end: the schedule has 4 points");
    {
        struct hh_ex_strategy *dfs = hh_ex_dfs_new(0, 0);
        CHECK_EQ(hh_ex_divergence(dfs, d, sizeof(d)), 0);
        hh_ex_free(dfs);
    }
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"parse_and_format", test_parse_and_format},
        {"errors_say_where_and_what", test_errors_say_where_and_what},
        {"seed_files", test_seed_files},
        {"long_name_refused", test_long_name_refused},
        {"from_trace_runs_and_unnamed_threads", test_from_trace_runs_and_unnamed_threads},
        {"found_schedule_replays_the_failure", test_found_schedule_replays_the_failure},
        {"divergence_is_reported", test_divergence_is_reported},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
