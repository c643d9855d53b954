/* test_parse.c - valid scenario files become exactly the struct values they describe.
 *
 * The example of SPEC.md §3, a file with every key the format has, the defaults of a
 * minimal file, a UTF-8 BOM, and input that is not NUL-terminated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "scenario/scenario.h"

#define NONE ((size_t)-1)
#define MS(n) ((int64_t)(n) * 10000)

static struct hh_scenario *load_good(const char *name)
{
    char path[600];
    struct hh_diags d;
    struct hh_scenario *sc = NULL;
    snprintf(path, sizeof path, "%s/good/%s", HH_TEST_DATA, name);
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_load(path, &sc, &d), 0);
    CHECK_EQ(d.n, 0);
    CHECK(sc != NULL);
    CHECK_STR(sc->file, path);
    CHECK_STR(sc->dir, HH_TEST_DATA "/good");
    return sc;
}

/* Parses from an exact-size heap copy, so that reading past len is caught. */
static struct hh_scenario *parse_exact(const char *text)
{
    size_t len = strlen(text);
    char *copy = malloc(len ? len : 1);
    struct hh_scenario *sc = NULL;
    struct hh_diags d;
    CHECK(copy != NULL);
    memcpy(copy, text, len);
    hh_diags_init(&d);
    if (hh_scenario_parse("mem.json", copy, len, &sc, &d) != 0) {
        char line[1400];
        printf("# %s\n", hh_diag_format(&d.items[0], line, sizeof line));
    }
    free(copy);
    CHECK(sc != NULL);
    return sc;
}

static void check_spec_steps(const struct hh_scenario *sc)
{
    const struct hh_sc_step *s = sc->steps;
    CHECK_EQ(sc->nsteps, 3);
    CHECK_EQ(s[0].action, HH_ACT_SET);
    CHECK_EQ(s[0].nobjects, 1);
    CHECK_EQ(s[0].objects[0], 0);
    CHECK_EQ(s[0].nexpect, 1);
    CHECK_EQ(s[0].expect[0].status, STATUS_WAIT_0);
    CHECK_EQ(s[0].expect[0].decision, HH_DECISION_CONTINUE);
    CHECK_EQ(s[0].expect[0].repeat, 1);
    CHECK_EQ(s[0].expect[0].has_at, 0);
    CHECK(s[0].expect[0].log == NULL);
    CHECK_STR(s[0].expect[0].path, "steps[0].expect[0]");
    CHECK_EQ(s[0].expect[0].pos.line, 12);
    CHECK_EQ(s[0].expect[0].pos.col, 35);
    CHECK_STR(s[0].path, "steps[0]");
    CHECK_EQ(s[0].pos.line, 12);
    CHECK_EQ(s[0].pos.col, 5);
    CHECK_EQ(s[0].has_at, 0);
    CHECK_EQ(s[0].has_then, 0);
    CHECK(s[0].note == NULL);
    CHECK_EQ(s[1].action, HH_ACT_ADVANCE);
    CHECK_EQ(s[1].advance, MS(250));
    CHECK_EQ(s[1].expect[0].status, STATUS_TIMEOUT);
    CHECK_EQ(s[1].expect[0].repeat, 2);
    CHECK_EQ(s[2].nobjects, 2);
    CHECK_EQ(s[2].objects[1], 1);
    CHECK_EQ(s[2].nexpect, 2);
    CHECK_STR(s[2].expect[1].path, "steps[2].expect[1]");
    CHECK_EQ(s[2].expect[1].status, STATUS_WAIT_1);
    CHECK_EQ(s[2].expect[1].decision, HH_DECISION_TERMINATE);
    CHECK_EQ(s[2].has_then, 1);
    CHECK_EQ(s[2].then.has_terminated, 1);
    CHECK_EQ(s[2].then.terminated, 1);
    CHECK_EQ(s[2].then.nsignaled, 1);
    CHECK_EQ(s[2].then.signaled[0].object, 1);
    CHECK_EQ(s[2].then.signaled[0].value, 1);
    CHECK_STR(s[2].then.context_json, "{\"processed\":2}");
    CHECK_EQ(s[2].then.has_irql, 0);
    CHECK_EQ(s[2].then.pos.line, 17);
    CHECK_EQ(s[2].then.pos.col, 15);
}

static void test_spec_example(void)
{
    struct hh_scenario *sc = load_good("spec-example.json");
    const struct hh_sc_object *o = sc->objects;
    CHECK_STR(sc->name, "stop wins only after queued work");
    CHECK(sc->description == NULL);
    CHECK_STR(sc->module, "queue_worker");
    CHECK_STR(sc->routine, "QueueWorkerRoutine");
    CHECK_STR(sc->context_json, "{\"capacity\":4}");
    CHECK_EQ(sc->nobjects, 2);
    CHECK_STR(o[0].name, "work");
    CHECK_EQ(o[0].type, HH_OBJECT_SYNCHRONIZATION_EVENT);
    CHECK_EQ(o[0].same_as, NONE);
    CHECK_EQ(o[0].signaled, 0);
    CHECK_EQ(o[0].pos.line, 7);
    CHECK_EQ(o[0].pos.col, 5);
    CHECK_STR(o[1].name, "stop");
    CHECK_EQ(o[1].type, HH_OBJECT_NOTIFICATION_EVENT);
    CHECK_EQ(sc->wait.type, WaitAny);
    CHECK_EQ(sc->wait.mode, KernelMode);
    CHECK_EQ(sc->wait.alertable, 0);
    CHECK_EQ(sc->wait.reason, Executive);
    CHECK_EQ(sc->wait.timeout.kind, HH_TIMEOUT_RELATIVE);
    CHECK_EQ(sc->wait.timeout.ticks, MS(100));
    CHECK_EQ(sc->start_step, NONE);
    CHECK_EQ(sc->true_means, HH_TRUE_MEANS_CONTINUE);
    CHECK_EQ(sc->ninvariants, 0);
    CHECK_EQ(sc->livelock_limit, 0);
    check_spec_steps(sc);
    hh_scenario_free(sc);
}

static void check_everything_objects(const struct hh_scenario *sc)
{
    const struct hh_sc_object *o = sc->objects;
    CHECK_EQ(sc->nobjects, 8);
    CHECK_EQ(o[0].signaled, 1);
    CHECK_EQ(o[1].signaled, 0);
    CHECK_EQ(o[2].type, HH_OBJECT_MUTEX);
    CHECK_STR(o[2].owner, "driver");
    CHECK_EQ(o[3].type, HH_OBJECT_MUTANT);
    CHECK_STR(o[3].owner, "t2");
    CHECK_EQ(o[4].type, HH_OBJECT_SEMAPHORE);
    CHECK_EQ(o[4].count, 1);
    CHECK_EQ(o[4].limit, 3);
    CHECK_EQ(o[5].type, HH_OBJECT_NOTIFICATION_TIMER);
    CHECK_EQ(o[5].armed, 1);
    CHECK_EQ(o[5].due.kind, HH_TIMEOUT_RELATIVE);
    CHECK_EQ(o[5].due.ticks, MS(10));
    CHECK_EQ(o[5].period_ms, 5);
    CHECK_EQ(o[6].type, HH_OBJECT_SYNCHRONIZATION_TIMER);
    CHECK_EQ(o[6].due.kind, HH_TIMEOUT_ABSOLUTE);
    CHECK_EQ(o[6].due.ticks, MS(2000));
    CHECK_EQ(o[6].period_ms, 0);
    CHECK_STR(o[7].name, "again");
    CHECK_EQ(o[7].same_as, 0);
    CHECK_EQ(o[7].type, HH_OBJECT_SYNCHRONIZATION_EVENT);
    CHECK(o[7].owner == NULL);
    CHECK_EQ(hh_scenario_object(sc, "again"), 7);
    CHECK_EQ(hh_scenario_object(sc, "sync"), 6);
    CHECK_EQ(hh_scenario_object(sc, "Sync"), NONE);
}

static void check_everything_actions(const struct hh_scenario *sc)
{
    const struct hh_sc_step *s = sc->steps;
    CHECK_EQ(sc->nsteps, 18);
    CHECK_EQ(sc->start_step, 1);
    CHECK_EQ(s[0].objects[1], 0); /* "again" is "work" */
    CHECK_STR(s[0].note, "before the worker exists");
    CHECK_EQ(s[1].action, HH_ACT_START);
    CHECK_EQ(s[2].action, HH_ACT_RESET);
    CHECK_EQ(s[2].has_at, 1);
    CHECK_EQ(s[2].at, MS(1000));
    CHECK_EQ(s[3].action, HH_ACT_PULSE);
    CHECK_EQ(s[3].expect[0].status, 0);
    CHECK_EQ(s[3].expect[0].has_at, 1);
    CHECK_EQ(s[3].expect[0].at, MS(1000));
    CHECK_STR(s[3].expect[0].log, "got work");
    CHECK_EQ(s[3].expect[0].repeat, 3);
    CHECK_EQ(s[3].expect[0].decision, HH_DECISION_ANY);
    CHECK_EQ(s[4].action, HH_ACT_RELEASE);
    CHECK_EQ(s[4].count, 2);
    CHECK_STR(s[4].thread, "driver");
    CHECK_EQ(s[5].count, 1);
    CHECK_STR(s[5].thread, "t2");
    CHECK_EQ(s[5].objects[0], 2);
    CHECK_EQ(s[5].objects[1], 3);
    CHECK_EQ(s[6].action, HH_ACT_ACQUIRE);
    CHECK_STR(s[6].thread, "driver");
    CHECK_EQ(s[7].action, HH_ACT_ABANDON);
    CHECK_STR(s[7].thread, "t2");
    CHECK_EQ(s[7].expect[0].status, STATUS_ABANDONED_WAIT_0 + 3);
    CHECK_EQ(s[8].action, HH_ACT_TIMER);
    CHECK_EQ(s[8].due.kind, HH_TIMEOUT_RELATIVE);
    CHECK_EQ(s[8].due.ticks, MS(250));
    CHECK_EQ(s[8].period_ms, 1000);
    CHECK_EQ(s[9].due.kind, HH_TIMEOUT_ABSOLUTE);
    CHECK_EQ(s[9].due.ticks, MS(3000));
    CHECK_EQ(s[10].action, HH_ACT_CANCEL);
    CHECK_EQ(s[10].nobjects, 2);
    CHECK_EQ(s[11].action, HH_ACT_ALERT);
    CHECK_EQ(s[11].alert_mode, UserMode);
    CHECK_EQ(s[12].alert_mode, KernelMode);
    CHECK_EQ(s[13].action, HH_ACT_APC);
    CHECK_EQ(s[14].at, MS(1500));
    CHECK_EQ(s[14].advance, MS(1500));
    CHECK_EQ(s[14].expect[0].status, STATUS_TIMEOUT);
    CHECK_EQ(s[14].expect[0].at, MS(2500));
}

static void check_everything_tail(const struct hh_scenario *sc)
{
    const struct hh_sc_step *s = sc->steps;
    CHECK_EQ(s[15].action, HH_ACT_HOTSWAP);
    CHECK_STR(s[15].hotswap.module, "queue_worker_v2");
    CHECK_STR(s[15].hotswap.routine, "QueueWorkerRoutine");
    CHECK_EQ(s[15].hotswap.unload_old, 1);
    CHECK_STR(s[16].hotswap.routine, "Other");
    CHECK_EQ(s[16].hotswap.unload_old, 0);
    CHECK_EQ(s[16].then.has_terminated, 1);
    CHECK_EQ(s[16].then.terminated, 0);
    CHECK_EQ(s[16].then.nsignaled, 2);
    CHECK_EQ(s[16].then.signaled[1].object, 0);
    CHECK_EQ(s[16].then.signaled[1].value, 1);
    CHECK_STR(s[16].then.context_json, "{\"processed\":[1,2],\"ok\":true}");
    CHECK_EQ(s[16].then.irql, APC_LEVEL);
    CHECK_EQ(s[17].advance, 0);
    CHECK_EQ(s[17].then.has_irql, 1);
    CHECK_EQ(s[17].then.irql, DISPATCH_LEVEL);
    CHECK_EQ(sc->true_means, HH_TRUE_MEANS_TERMINATE);
    CHECK_EQ(sc->ninvariants, 3);
    CHECK_STR(sc->invariants[1].pattern, "STATUS_ABANDONED_WAIT_*");
    CHECK_EQ(sc->invariants[1].decision, HH_DECISION_TERMINATE);
    CHECK_STR(sc->invariants[2].pattern, "258");
    CHECK_EQ(sc->invariants[2].decision, HH_DECISION_CONTINUE);
    CHECK_STR(sc->invariants[2].path, "invariants.decisions[2]");
    CHECK_EQ(sc->livelock_limit, 500);
    CHECK_EQ(sc->checks_off[HH_RULE_POOL_LEAK], 1);
    CHECK_EQ(sc->checks_off[HH_RULE_BAD_BOOLEAN], 0);
    CHECK_EQ(sc->checks_off[HH_RULE_CRASH], 0);
    CHECK_EQ(sc->checks_off[HH_RULE_INVARIANT], 0);
}

static void test_everything(void)
{
    struct hh_scenario *sc = load_good("everything.json");
    CHECK_STR(sc->description, "one of each key the format has");
    CHECK_STR(sc->context_json, "[1,\"two\",{\"three\":3.5},null,true]");
    CHECK_EQ(sc->wait.alertable, 1);
    CHECK_EQ(sc->wait.reason, WrQueue);
    CHECK_EQ(sc->wait.timeout.kind, HH_TIMEOUT_ABSOLUTE);
    CHECK_EQ(sc->wait.timeout.ticks, MS(5000));
    check_everything_objects(sc);
    check_everything_actions(sc);
    check_everything_tail(sc);
    hh_scenario_free(sc);
}

static const char minimal[] =
    "{\"name\": \"n\", \"module\": \"m\", \"routine\": \"r\",\n"
    " \"objects\": [{\"name\": \"e\", \"type\": \"notification_event\"}], \"steps\": [],"
    " \"true_means\": \"continue\"}";

static void test_defaults(void)
{
    struct hh_scenario *sc = parse_exact(minimal);
    CHECK_STR(sc->file, "mem.json");
    CHECK_STR(sc->dir, ".");
    CHECK(sc->context_json == NULL);
    CHECK(sc->description == NULL);
    CHECK_EQ(sc->wait.type, WaitAny);
    CHECK_EQ(sc->wait.mode, KernelMode);
    CHECK_EQ(sc->wait.reason, Executive);
    CHECK_EQ(sc->wait.timeout.kind, HH_TIMEOUT_INFINITE);
    CHECK_EQ(sc->nsteps, 0);
    CHECK_EQ(sc->start_step, NONE);
    CHECK_EQ(sc->objects[0].same_as, NONE);
    CHECK_EQ(sc->objects[0].pos.line, 2);
    CHECK_EQ(sc->objects[0].pos.col, 14);
    hh_scenario_free(sc);
}

static void test_wait_variants(void)
{
    static const char text[] =
        "{\"name\": \"n\", \"module\": \"m\", \"routine\": \"r\",\n"
        " \"objects\": [{\"name\": \"m\", \"type\": \"mutant\"}],\n"
        " \"wait\": {\"type\": \"all\", \"mode\": \"user\", \"timeout\": 0},\n"
        " \"steps\": [{\"apc\": true}, {\"at\": 0, \"set\": []}], \"true_means\": \"continue\"}";
    static const char poll_text[] =
        "{\"name\": \"n\", \"module\": \"m\", \"routine\": \"r\",\n"
        " \"objects\": [{\"name\": \"m\", \"type\": \"mutant\"}],\n"
        " \"wait\": {\"type\": \"all\", \"mode\": \"user\", \"timeout\": null,"
        " \"alertable\": true},\n"
        " \"steps\": [{\"apc\": true, \"expect\": [{\"status\": \"STATUS_USER_APC\"},"
        " {\"status\": \"STATUS_ABANDONED\"}]}], \"true_means\": \"continue\"}";
    struct hh_scenario *sc;
    struct hh_diags d;
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_parse("w.json", text, strlen(text), &sc, &d), -1);
    CHECK_STR(d.items[0].path, "steps[1].set");
    sc = parse_exact(poll_text);
    CHECK_EQ(sc->wait.type, WaitAll);
    CHECK_EQ(sc->wait.mode, UserMode);
    CHECK_EQ(sc->wait.timeout.kind, HH_TIMEOUT_INFINITE);
    CHECK_EQ(sc->steps[0].expect[1].status, STATUS_ABANDONED_WAIT_0);
    hh_scenario_free(sc);
}

static void test_poll_timeout(void)
{
    static const char text[] =
        "{\"name\": \"n\", \"module\": \"m\", \"routine\": \"r\","
        " \"objects\": [{\"name\": \"e\", \"type\": \"notification_event\"}],"
        " \"wait\": {\"timeout\": 0}, \"steps\": [], \"true_means\": \"continue\"}";
    struct hh_scenario *sc = parse_exact(text);
    CHECK_EQ(sc->wait.timeout.kind, HH_TIMEOUT_RELATIVE);
    CHECK_EQ(sc->wait.timeout.ticks, 0);
    hh_scenario_free(sc);
}

static void test_bom(void)
{
    char text[sizeof minimal + 3] = "\xEF\xBB\xBF";
    struct hh_scenario *sc;
    memcpy(text + 3, minimal, sizeof minimal);
    sc = parse_exact(text);
    CHECK_STR(sc->name, "n");
    CHECK_EQ(sc->objects[0].pos.line, 2);
    hh_scenario_free(sc);
}

static void test_folders(void)
{
    static const struct {
        const char *file;
        const char *dir;
    } cases[] = {
        {"a.json", "."}, {"x/a.json", "x"}, {"/a.json", "/"}, {"x/y/a.json", "x/y"},
        {"x\\a.json", "x"}, {"", "."},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct hh_diags d;
        struct hh_scenario *sc = NULL;
        hh_diags_init(&d);
        CHECK_EQ(hh_scenario_parse(cases[i].file, minimal, strlen(minimal), &sc, &d), 0);
        CHECK_STR(sc->dir, cases[i].dir);
        hh_scenario_free(sc);
    }
}

static void test_unicode_names(void)
{
    static const char text[] =
        "{\"name\": \"caf\\u00e9 \\ud83d\\ude00\", \"module\": \"m\", \"routine\": \"r\","
        " \"objects\": [{\"name\": \"\xC3\xA9v\xC3\xA9nement\", \"type\": \"mutant\"}],"
        " \"steps\": [{\"acquire\": \"\xC3\xA9v\xC3\xA9nement\"}], \"true_means\": \"continue\"}";
    struct hh_scenario *sc = parse_exact(text);
    CHECK_STR(sc->name, "caf\xC3\xA9 \xF0\x9F\x98\x80");
    CHECK_EQ(sc->steps[0].objects[0], 0);
    hh_scenario_free(sc);
}

/* No built-in polarity: a scenario says it, or the caller's defaults do; the file wins. */
static void test_true_means_required(void)
{
    static const char text[] =
        "{\"name\": \"n\", \"module\": \"m\", \"routine\": \"r\",\n"
        " \"objects\": [{\"name\": \"e\", \"type\": \"notification_event\"}], \"steps\": []}";
    static const char terminate[] =
        "{\"name\": \"n\", \"module\": \"m\", \"routine\": \"r\", \"true_means\": \"terminate\","
        " \"objects\": [{\"name\": \"e\", \"type\": \"notification_event\"}], \"steps\": []}";
    struct hh_sc_defaults defaults;
    struct hh_scenario *sc = NULL;
    struct hh_diags d;
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_parse("p.json", text, strlen(text), &sc, &d), -1);
    CHECK(sc == NULL);
    CHECK_EQ(d.n, 1);
    CHECK_EQ(d.items[0].line, 1);
    CHECK_EQ(d.items[0].col, 1);
    CHECK_STR(d.items[0].path, "");
    CHECK_CONTAINS(d.items[0].msg, "no \"true_means\"");
    CHECK_CONTAINS(d.items[0].msg, "\n  the WDK page: TRUE waits again, FALSE ends the thread\n");
    CHECK_CONTAINS(d.items[0].msg, "\n  acpi.sys (Windows 11 24H2 to 26H1): the opposite");
    CHECK_CONTAINS(d.items[0].msg, "--true-means continue|terminate");
    defaults.true_means = HH_TRUE_MEANS_UNSET;
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_parse_with("p.json", text, strlen(text), &defaults, &sc, &d), -1);
    defaults.true_means = HH_TRUE_MEANS_TERMINATE;
    CHECK_EQ(hh_scenario_parse_with("p.json", text, strlen(text), &defaults, &sc, &d), 0);
    CHECK_EQ(sc->true_means, HH_TRUE_MEANS_TERMINATE);
    hh_scenario_free(sc);
    defaults.true_means = HH_TRUE_MEANS_CONTINUE;
    CHECK_EQ(hh_scenario_parse_with("p.json", text, strlen(text), &defaults, &sc, &d), 0);
    CHECK_EQ(sc->true_means, HH_TRUE_MEANS_CONTINUE);
    hh_scenario_free(sc);
    CHECK_EQ(hh_scenario_parse_with("p.json", terminate, strlen(terminate), &defaults, &sc, &d),
             0);
    CHECK_EQ(sc->true_means, HH_TRUE_MEANS_TERMINATE);
    hh_scenario_free(sc);
    CHECK_EQ(hh_true_means_from_name("terminate"), HH_TRUE_MEANS_TERMINATE);
    CHECK_EQ(hh_true_means_from_name("continue"), HH_TRUE_MEANS_CONTINUE);
    CHECK_EQ(hh_true_means_from_name("TRUE"), HH_TRUE_MEANS_UNSET);
    CHECK_STR(hh_true_means_name(HH_TRUE_MEANS_TERMINATE), "terminate");
}

/* A call step: its function, each kind of argument, the IRQL and the return value; and an
 * object that is the module's global, named by its symbol. */
static void test_call_and_global(void)
{
    static const char text[] =
        "{\"name\": \"c\", \"module\": \"m\", \"routine\": \"r\", \"true_means\": \"continue\",\n"
        " \"objects\": [{\"name\": \"work\", \"type\": \"notification_event\"},\n"
        "  {\"global\": \"DriverEvent\"}, {\"name\": \"stop\", \"global\": \"StopEvent\","
        " \"type\": \"notification_event\"}],\n"
        " \"steps\": [{\"call\": \"Produce\", \"args\": [-2, \"work\", \"context\", \"DriverEvent\"],"
        " \"thread\": \"dpc\", \"irql\": \"dispatch\", \"returns\": \"STATUS_PENDING\"},\n"
        "  {\"call\": \"Count\", \"returns\": 4294967296}, {\"call\": \"Small\", \"returns\": -1}]}";
    struct hh_scenario *sc = parse_exact(text);
    const struct hh_sc_call *c = &sc->steps[0].call;
    CHECK_STR(sc->objects[1].name, "DriverEvent");
    CHECK_STR(sc->objects[1].global, "DriverEvent");
    CHECK_EQ(sc->objects[1].type, HH_OBJECT_NONE);
    CHECK_STR(sc->objects[2].name, "stop");
    CHECK_STR(sc->objects[2].global, "StopEvent");
    CHECK_EQ(sc->objects[2].type, HH_OBJECT_NOTIFICATION_EVENT);
    CHECK(sc->objects[0].global == NULL);
    CHECK_EQ(sc->steps[0].action, HH_ACT_CALL);
    CHECK_STR(c->function, "Produce");
    CHECK_EQ(c->pos.line, 4);
    CHECK_EQ(c->pos.col, 21);
    CHECK_EQ(c->nargs, 4);
    CHECK_EQ(c->args[0].kind, HH_ARG_NUMBER);
    CHECK(c->args[0].value == (ULONG_PTR)(LONG_PTR)-2);
    CHECK_EQ(c->args[1].kind, HH_ARG_OBJECT);
    CHECK_EQ(c->args[1].object, 0);
    CHECK_EQ(c->args[2].kind, HH_ARG_CONTEXT);
    CHECK_EQ(c->args[3].object, 1);
    CHECK_STR(sc->steps[0].thread, "dpc");
    CHECK_EQ(c->irql, DISPATCH_LEVEL);
    CHECK_EQ(c->has_returns, 1);
    CHECK_EQ(c->returns_status, 1);
    CHECK(c->returns == (ULONG_PTR)(ULONG)STATUS_PENDING);
    c = &sc->steps[1].call;
    CHECK_STR(sc->steps[1].thread, "driver");
    CHECK_EQ(c->irql, PASSIVE_LEVEL);
    CHECK_EQ(c->nargs, 0);
    CHECK_EQ(c->returns_wide, 1);
    CHECK_EQ(sc->steps[2].call.returns_wide, 0);
    CHECK(sc->steps[2].call.returns == 0xFFFFFFFFu); /* a negative 32-bit result, low bits */
    hh_scenario_free(sc);
}

/* "fuzz" calls: ranges beside fixed arguments, the thread (default "driver") and IRQL. */
static void test_fuzz_calls(void)
{
    static const char text[] =
        "{\"name\": \"f\", \"module\": \"m\", \"routine\": \"r\", \"true_means\": \"continue\",\n"
        " \"objects\": [{\"name\": \"work\", \"type\": \"notification_event\"}], \"steps\": [],\n"
        " \"fuzz\": {\"calls\": [{\"call\": \"Produce\", \"args\": [\"context\", {\"min\": -3, "
        "\"max\": 300}, \"work\"], \"thread\": \"dpc\", \"irql\": \"dispatch\"},\n"
        "  {\"call\": \"Reset\"}]}}";
    struct hh_scenario *sc = parse_exact(text);
    const struct hh_sc_call *c = &sc->fuzz_calls[0].call;
    CHECK_EQ(sc->nfuzz_calls, 2);
    CHECK_EQ(sc->fuzz_calls[0].action, HH_ACT_CALL);
    CHECK_STR(c->function, "Produce");
    CHECK_EQ(c->nargs, 3);
    CHECK_EQ(c->args[0].kind, HH_ARG_CONTEXT);
    CHECK_EQ(c->args[1].kind, HH_ARG_RANGE);
    CHECK(c->args[1].min == -3 && c->args[1].max == 300);
    CHECK_EQ(c->args[2].kind, HH_ARG_OBJECT);
    CHECK_STR(sc->fuzz_calls[0].thread, "dpc");
    CHECK_EQ(c->irql, DISPATCH_LEVEL);
    CHECK_STR(sc->fuzz_calls[0].path, "fuzz.calls[0]");
    CHECK_STR(sc->fuzz_calls[1].call.function, "Reset");
    CHECK_STR(sc->fuzz_calls[1].thread, "driver");
    CHECK_EQ(sc->fuzz_calls[1].call.irql, PASSIVE_LEVEL);
    hh_scenario_free(sc);
}

/* Driver mode: the driver's module and routines, objects optional, no routine or wait; a
 * hot-swap's load defaults to the driver's and may expect a status. */
static void test_driver_mode(void)
{
    static const char text[] =
        "{\"name\": \"d\", \"true_means\": \"terminate\",\n"
        " \"driver\": {\"module\": \"acpi_like\", \"load\": \"AcpiLikeLoad\"},\n"
        " \"steps\": [{\"call\": \"AcpiLikeQueueWork\", \"args\": [3], \"expect\": [{\"status\": "
        "\"STATUS_WAIT_5\"}]},\n"
        "  {\"hotswap\": {\"module\": \"acpi_like_v2\", \"status\": \"STATUS_UNSUCCESSFUL\","
        " \"phases\": {\"proxy_stalled\": \"STATUS_UNSUCCESSFUL\", \"post_process\": null}}},\n"
        "  {\"hotswap\": {\"module\": \"acpi_like_v3\", \"load\": \"V3Load\"}},\n"
        "  {\"set\": \"worker.events[1]\", \"then\": {\"signaled\": {\"worker.events[1]\": true,"
        " \"worker.events[12]\": false}}},\n"
        "  {\"set\": \"ACPIWorkEvent\", \"then\": {\"signaled\": {\"ACPIWorkEvent\": true}}}]}";
    struct hh_scenario *sc = parse_exact(text);
    CHECK_EQ(sc->driver_mode, 1);
    CHECK_STR(sc->module, "acpi_like");
    CHECK_STR(sc->driver.load, "AcpiLikeLoad");
    CHECK(sc->driver.unload == NULL);
    CHECK(sc->routine == NULL);
    CHECK_EQ(sc->driver.pos.line, 2);
    CHECK_EQ(sc->driver.pos.col, 12);
    /* The driver's wait is its own: any wait status may be expected. */
    CHECK_EQ(sc->steps[0].expect[0].status, STATUS_WAIT_0 + 5);
    CHECK_STR(sc->steps[1].hotswap.load, "AcpiLikeLoad");
    CHECK_EQ(sc->steps[1].hotswap.has_status, 1);
    CHECK_EQ(sc->steps[1].hotswap.status, STATUS_UNSUCCESSFUL);
    CHECK_EQ(sc->steps[1].hotswap.phase_given[0], 0);
    CHECK_EQ(sc->steps[1].hotswap.phase_given[1], 1);
    CHECK_EQ(sc->steps[1].hotswap.phase_status[1], STATUS_UNSUCCESSFUL);
    CHECK_EQ(sc->steps[1].hotswap.phase_given[2], 1);
    CHECK_EQ(sc->steps[1].hotswap.phase_status[2], STATUS_PENDING); /* null: must not run */
    CHECK_STR(sc->steps[2].hotswap.load, "V3Load");
    CHECK_EQ(sc->steps[2].hotswap.has_status, 0);
    /* Places in the driver's start context: one object each, made on first use. */
    CHECK_STR(sc->objects[0].name, "worker.events[1]");
    CHECK_EQ(sc->objects[0].worker_event, 2);
    CHECK_EQ(sc->objects[1].worker_event, 13);
    CHECK_EQ(sc->steps[3].objects[0], 0);
    CHECK_EQ(sc->steps[3].then.signaled[0].object, 0);
    CHECK_EQ(sc->steps[3].then.signaled[1].object, 1);
    CHECK_STR(sc->objects[0].from_path, "steps[3].set");
    /* A driver's global named by its symbol, not listed: one object, typed at run time. */
    CHECK_EQ(sc->nobjects, 3);
    CHECK_STR(sc->objects[2].global, "ACPIWorkEvent");
    CHECK_EQ(sc->objects[2].type, HH_OBJECT_NONE);
    CHECK_EQ(sc->objects[2].worker_event, 0);
    CHECK_EQ(sc->objects[2].from_step, 1);
    CHECK_EQ(sc->steps[4].objects[0], 2);
    CHECK_EQ(sc->steps[4].then.signaled[0].object, 2);
    hh_scenario_free(sc);
}

/* hotswap-suite.json: its keys set, nothing else touched; errors by place. */
static void test_suite_file(void)
{
    static const char good[] = "{\"$schema\": \"x\", \"true_means\": \"terminate\"}";
    static const char empty[] = "{}";
    static const char bad[] = "{\"true_means\": true,\n \"clock\": \"real\"}";
    struct hh_sc_defaults d;
    struct hh_diags diags;
    hh_diags_init(&diags);
    d.true_means = HH_TRUE_MEANS_CONTINUE;
    CHECK_EQ(hh_sc_defaults_parse("s.json", good, strlen(good), &d, &diags), 0);
    CHECK_EQ(d.true_means, HH_TRUE_MEANS_TERMINATE);
    CHECK_EQ(hh_sc_defaults_parse("s.json", empty, strlen(empty), &d, &diags), 0);
    CHECK_EQ(d.true_means, HH_TRUE_MEANS_TERMINATE);
    CHECK_EQ(diags.n, 0);
    CHECK_EQ(hh_sc_defaults_parse("s.json", bad, strlen(bad), &d, &diags), -1);
    CHECK_EQ(diags.n, 2);
    CHECK_STR(diags.items[0].path, "clock");
    CHECK_EQ(diags.items[0].line, 2);
    CHECK_STR(diags.items[1].path, "true_means");
    CHECK_EQ(diags.items[1].col, 16);
    hh_diags_init(&diags);
    CHECK_EQ(hh_sc_defaults_parse("s.json", "[", 1, &d, &diags), -1);
    CHECK_EQ(diags.n, 1);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"spec-example", test_spec_example},
        {"everything", test_everything},
        {"defaults", test_defaults},
        {"wait-variants", test_wait_variants},
        {"poll-timeout", test_poll_timeout},
        {"bom", test_bom},
        {"folders", test_folders},
        {"unicode-names", test_unicode_names},
        {"true-means-required", test_true_means_required},
        {"suite-file", test_suite_file},
        {"call-and-global", test_call_and_global},
        {"fuzz-calls", test_fuzz_calls},
        {"driver-mode", test_driver_mode},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
