/* test_session.c - fuzz sessions (harness/play/session.c): a run's account dropped at once by
 * hh_session_forget and left alone while a run is going, runs that follow each other on one
 * loaded module, and the virtual clock whatever the scenario's own "clock" says.
 *
 * The module is the bundled queue_worker, found in HH_TEST_MODULE_DIR (meson sets it), and
 * for the module's statics nth_call_worker, in HH_TEST_NTH_DIR.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "play/play.h"

static const char scenario_text[] =
    "{ \"name\": \"session\", \"module\": \"queue_worker\", \"routine\": \"QueueWorkerRoutine\","
    "  \"clock\": \"real\","
    "  \"objects\": [ { \"name\": \"work\", \"type\": \"synchronization_event\" },"
    "                 { \"name\": \"stop\", \"type\": \"notification_event\" } ],"
    "  \"steps\": [], \"true_means\": \"continue\" }";

struct fixture {
    struct hh_scenario *sc;
    struct hh_session *s;
    struct hh_play_options opt;
    struct hh_sc_step set_work, set_stop;
    size_t work, stop;
};

static void open_session_of(struct fixture *f, const char *dir_var, const char *text)
{
    const char *dir = getenv(dir_var);
    char file[1024];
    struct hh_diags diags;
    CHECK(dir != NULL);
    /* The scenario "lives" in the module's folder, which is searched first. */
    CHECK(strlen(dir) + 16 < sizeof(file));
    strcpy(file, dir);
    strcat(file, "/session.json");
    memset(f, 0, sizeof(*f));
    hh_diags_init(&diags);
    CHECK_EQ(hh_scenario_parse(file, text, strlen(text), &f->sc, &diags), 0);
    hh_diags_init(&diags);
    CHECK_EQ(hh_session_open(f->sc, &f->opt, &f->s, &diags), 0);
    f->work = 0;
    f->stop = 1;
    f->set_work.action = HH_ACT_SET;
    f->set_work.objects = &f->work;
    f->set_work.nobjects = 1;
    f->set_stop.action = HH_ACT_SET;
    f->set_stop.objects = &f->stop;
    f->set_stop.nobjects = 1;
}

static void open_session(struct fixture *f)
{
    open_session_of(f, "HH_TEST_MODULE_DIR", scenario_text);
}

static void close_session(struct fixture *f)
{
    hh_session_close(f->s);
    hh_scenario_free(f->sc);
}

/* After a passing run, forget drops the account at once (the invocations and their logs, the
 * headline), not at the next begin: libFuzzer counts what a run left allocated. */
static void test_forget_drops_the_account(void)
{
    struct fixture f;
    const struct hh_play_result *res;
    open_session(&f);
    hh_session_begin(f.s);
    CHECK_EQ(hh_session_step(f.s, &f.set_work), 0);
    CHECK_EQ(hh_session_step(f.s, &f.set_stop), 0);
    CHECK_EQ(hh_session_end(f.s), HH_PLAY_PASS);
    res = hh_session_result(f.s);
    CHECK_EQ(res->ninvocations, 2);
    CHECK_EQ(res->invocations[0].status, STATUS_WAIT_0);
    CHECK_EQ(res->invocations[1].status, STATUS_WAIT_1);
    hh_session_forget(f.s);
    res = hh_session_result(f.s);
    CHECK_EQ(res->ninvocations, 0);
    CHECK(res->invocations == NULL);
    CHECK(res->headline == NULL);
    close_session(&f);
}

/* While a run is going, forget leaves it alone: the machine and the account stay. */
static void test_forget_while_running_does_nothing(void)
{
    struct fixture f;
    open_session(&f);
    hh_session_begin(f.s);
    CHECK_EQ(hh_session_step(f.s, &f.set_work), 0);
    hh_session_forget(f.s);
    CHECK(hh_session_engine(f.s) != NULL);
    CHECK_EQ(hh_session_result(f.s)->ninvocations, 1);
    CHECK_EQ(hh_session_scenario(f.s)->nsteps, 1);
    CHECK_EQ(hh_session_end(f.s), HH_PLAY_PASS);
    close_session(&f);
}

/* Runs follow each other on the one loaded module, each on a fresh machine, forgotten or
 * not: the second run's account starts empty. */
static void test_runs_follow_each_other(void)
{
    struct fixture f;
    int i;
    open_session(&f);
    for (i = 0; i < 3; i++) {
        hh_session_begin(f.s);
        CHECK_EQ(hh_session_result(f.s)->ninvocations, 0);
        CHECK_EQ(hh_session_step(f.s, &f.set_work), 0);
        CHECK_EQ(hh_session_end(f.s), HH_PLAY_PASS);
        CHECK_EQ(hh_session_result(f.s)->ninvocations, 1);
        if (i == 1)
            hh_session_forget(f.s);
    }
    close_session(&f);
}

/* A scenario that says "clock": "real" still runs on the virtual clock in a session: a fuzz
 * run must replay the same every time. */
static void test_session_clock_is_virtual(void)
{
    struct fixture f;
    open_session(&f);
    CHECK_EQ(f.sc->clock, HH_SC_CLOCK_REAL);
    hh_session_begin(f.s);
    CHECK(hh_session_engine(f.s)->rt == NULL);
    CHECK_EQ(hh_session_step(f.s, &f.set_work), 0);
    CHECK_EQ(hh_session_end(f.s), HH_PLAY_PASS);
    close_session(&f);
}

/* nth_call_worker misbehaves on its fourth work item counted across the process. */
static const char nth_text[] =
    "{ \"name\": \"nth call\", \"module\": \"nth_call_worker\", \"routine\": \"NthCallRoutine\","
    "  \"objects\": [ { \"name\": \"work\", \"type\": \"synchronization_event\" },"
    "                 { \"name\": \"stop\", \"type\": \"notification_event\" } ],"
    "  \"steps\": [], \"true_means\": \"continue\" }";

/* A run of `items` work items and a stop; its outcome. */
static int nth_run(struct fixture *f, int items)
{
    int i;
    hh_session_begin(f->s);
    for (i = 0; i < items; i++)
        (void)hh_session_step(f->s, &f->set_work);
    (void)hh_session_step(f->s, &f->set_stop);
    return hh_session_end(f->s);
}

/* Every run starts from the module's loaded state: runs of three work items never add up to
 * the fourth, however many there are, while a run of four finds the bug every time. */
static void test_module_statics_reset_each_run(void)
{
    struct fixture f;
    int i;
    open_session_of(&f, "HH_TEST_NTH_DIR", nth_text);
    for (i = 0; i < 5; i++) {
        CHECK_EQ(nth_run(&f, 3), HH_PLAY_PASS);
        hh_session_forget(f.s);
    }
    CHECK_EQ(nth_run(&f, 4), HH_PLAY_FAIL);
    CHECK_EQ(hh_session_result(f.s)->rule, HH_RULE_BAD_BOOLEAN);
    hh_session_forget(f.s);
    CHECK_EQ(nth_run(&f, 3), HH_PLAY_PASS);
    hh_session_forget(f.s);
    CHECK_EQ(nth_run(&f, 4), HH_PLAY_FAIL);
    close_session(&f);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"forget_drops_the_account", test_forget_drops_the_account},
        {"forget_while_running_does_nothing", test_forget_while_running_does_nothing},
        {"runs_follow_each_other", test_runs_follow_each_other},
        {"session_clock_is_virtual", test_session_clock_is_virtual},
        {"module_statics_reset_each_run", test_module_statics_reset_each_run},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
