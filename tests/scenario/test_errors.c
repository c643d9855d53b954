/* test_errors.c - every class of bad scenario file, and the diagnostic each one gets.
 *
 * Each bad/NAME.json is loaded from disk; its first diagnostic must name that file and
 * stand at the exact line and column, with the exact JSON path and a key phrase of the
 * message. Further tests check that one pass collects every error and counts the overflow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "scenario/scenario.h"

struct bad_case {
    const char *name;
    int line;
    int col;
    const char *path;
    const char *phrase;
};

static const struct bad_case cases[] = {
    {"not-json", 1, 1, "",
     "unexpected character 'h'; expected a value"},
    {"empty", 1, 1, "",
     "unexpected end of input; expected a value"},
    {"truncated", 2, 15, "",
     "unexpected end of input; expected a value"},
    {"truncated-in-object", 1, 13, "",
     "unexpected end of input; expected ',' or '}' in the object opened at 1:1"},
    {"truncated-string", 1, 12, "",
     "unexpected end of input inside the string that starts at 1:10"},
    {"trailing-garbage", 2, 1, "",
     "trailing garbage after the JSON value: unexpected character 'x'"},
    {"trailing-comma", 1, 9, "",
     "JSON allows no comma before '}'"},
    {"too-deep", 1, 65, "",
     "nesting deeper than 64 levels"},
    {"bad-escape", 1, 10, "",
     "invalid escape: character 'q'"},
    {"line-break-in-string", 1, 9, "",
     "line break inside the string that starts at 1:7"},
    {"control-char", 1, 9, "",
     "control character 0x01 inside a string"},
    {"leading-zero", 1, 8, "",
     "no leading zeros"},
    {"single-quotes", 1, 2, "",
     "JSON strings use double quotes"},
    {"comment", 1, 2, "",
     "JSON has no comments"},
    {"bom-column", 1, 2, "",
     "unexpected character 'x'; expected a key in double quotes"},
    {"crlf-lines", 2, 6, "",
     "unexpected character 'x'"},
    {"invalid-utf8", 1, 8, "",
     "invalid UTF-8 (byte 0xFF)"},
    {"lone-surrogate", 1, 8, "",
     "unpaired UTF-16 high surrogate \\uD800"},
    {"nul-escape", 1, 8, "",
     "\\u0000 (a NUL character) is not supported"},
    {"long-number", 1, 7, "",
     "this number is 71 characters long; the limit is 63"},
    {"bad-literal", 1, 10, "",
     "unexpected character 'x'; expected 'e' (in \"true\")"},
    {"junk-after-literal", 1, 11, "",
     "unexpected character '_'; expected ',' or '}' in the object opened at 1:1"},
    {"root-not-object", 1, 1, "",
     "expected a JSON object holding the scenario, found an array"},
    {"missing-name", 1, 1, "",
     "the required key \"name\" is missing"},
    {"name-wrong-type", 1, 10, "name",
     "expected the scenario's name (a string), found the number 5"},
    {"unknown-top-key", 4, 1, "stpes",
     "unknown key; did you mean \"steps\"?"},
    {"unknown-step-key", 4, 27, "steps[0].expcet",
     "unknown key; did you mean \"expect\"?"},
    {"unknown-key-list", 3, 10, "wait.zzzzzz",
     "unknown key; expected one of: \"type\", \"mode\", \"alertable\", \"reason\", \"timeout\""},
    {"case-sensitive-key", 4, 12, "steps[0].Set",
     "unknown key; did you mean \"set\"?"},
    {"duplicate-key", 1, 15, "name",
     "duplicate key; it is first given at 1:2"},
    {"duplicate-key-nested", 4, 56, "steps[0].then.terminated",
     "duplicate key; it is first given at 4:"},
    {"steps-wrong-type", 4, 10, "steps",
     "expected an array of steps, found an object"},
    {"expect-wrong-type", 4, 37, "steps[0].expect",
     "expected an array of expected invocations, found the string \"STATUS_WAIT_0\""},
    {"unknown-object", 4, 19, "steps[0].set",
     "no object is named \"wrk\"; did you mean \"work\"?"},
    {"unknown-object-list", 4, 28, "steps[0].set[1]",
     "no object is named \"zzzzzz\"; expected one of: \"work\", \"stop\""},
    {"duplicate-object", 2, 57, "objects[1].name",
     "the name \"work\" is already taken by objects[0] (2:13)"},
    {"too-many-objects", 2, 3011, "objects[64]",
     "a wait takes at most 64 objects"},
    {"no-objects", 2, 12, "objects",
     "the list is empty; the worker waits on at least one object"},
    {"unknown-type", 2, 35, "objects[0].type",
     "unknown value \"notification_evnt\"; did you mean \"notification_event\"?"},
    {"missing-type", 2, 13, "objects[0]",
     "the required key \"type\" is missing"},
    {"key-not-for-type", 2, 44, "objects[0].signaled",
     "a mutex takes no \"signaled\"; it is a key of notification_event and "
     "synchronization_event objects"},
    {"alias-with-type", 2, 75, "objects[1].type",
     "an object with \"same_as\" takes no \"type\""},
    {"alias-of-later", 2, 38, "objects[0].same_as",
     "same_as names an earlier object; \"a\" is listed after this one"},
    {"alias-of-self", 2, 38, "objects[0].same_as",
     "\"a\" is this object itself"},
    {"name-too-long", 2, 22, "objects[0].name",
     "an object name is at most 63 bytes long, and this one has 64"},
    {"name-empty", 2, 22, "objects[0].name",
     "an object name cannot be empty"},
    {"semaphore-count-above-limit", 2, 57, "objects[0].count",
     "the count 3 is above the limit 2"},
    {"semaphore-limit-zero", 2, 57, "objects[0].limit",
     "0 is out of range; expected an integer from 1 to 2147483647"},
    {"semaphore-count-fraction", 2, 57, "objects[0].count",
     "expected an integer from 0 to 2147483647, found the number 1.5"},
    {"owned-by-worker", 2, 54, "objects[0].owned",
     "\"worker\" is the worker thread itself"},
    {"owned-wrong-type", 2, 54, "objects[0].owned",
     "expected false, true (held by \"driver\") or a thread name, found the number 1"},
    {"period-without-due", 2, 67, "objects[0].period",
     "a period needs a first due time"},
    {"wait-all-duplicate", 2, 90, "objects[1].same_as",
     "STATUS_INVALID_PARAMETER_MIX"},
    {"mutex-user-mode", 3, 18, "wait.mode",
     "a UserMode wait cannot include objects[2] \"lock\", a mutex (KMUTEX)"},
    {"wait-reason-typo", 3, 20, "wait.reason",
     "unknown value \"user_reqest\"; did you mean \"user_request\"?"},
    {"wait-type-wrong", 3, 18, "wait.type",
     "expected one of \"any\", \"all\", found the number 1"},
    {"timeout-no-unit", 3, 21, "wait.timeout",
     "a duration needs a unit, as in \"100ms\""},
    {"timeout-absolute-key", 3, 22, "wait.timeout.absolut",
     "unknown key; did you mean \"absolute\"?"},
    {"bad-duration", 4, 23, "steps[0].advance",
     "\"5 minutes\" is not a valid duration: unknown unit"},
    {"below-resolution", 4, 23, "steps[0].advance",
     "\"150ns\" is not a valid duration: finer than the 100 ns resolution"},
    {"below-resolution-decimal", 4, 23, "steps[0].advance",
     "finer than the 100 ns resolution"},
    {"duration-too-long", 4, 23, "steps[0].advance",
     "longer than 100 days"},
    {"duration-negative", 4, 23, "steps[0].advance",
     "durations are never negative"},
    {"duration-no-unit", 4, 23, "steps[0].advance",
     "the unit is missing"},
    {"period-not-whole-ms", 4, 52, "steps[0].period",
     "1.5ms is not a whole number of milliseconds"},
    {"unknown-status", 4, 49, "steps[0].expect[0].status",
     "unknown status \"STATUS_TIMOUT\"; did you mean \"STATUS_TIMEOUT\"?"},
    {"status-without-prefix", 4, 49, "steps[0].expect[0].status",
     "did you mean \"STATUS_TIMEOUT\"?"},
    {"status-index-too-big", 4, 49, "steps[0].expect[0].status",
     "STATUS_WAIT_7 names objects[7], but the wait has 6 objects"},
    {"abandoned-event", 4, 49, "steps[0].expect[0].status",
     "objects[0] \"work\" is a synchronization_event; only a mutant is abandoned"},
    {"timeout-without-timeout", 3, 49, "steps[0].expect[0].status",
     "the wait has no timeout"},
    {"alerted-not-alertable", 4, 49, "steps[0].expect[0].status",
     "not alertable"},
    {"user-apc-kernel-mode", 4, 47, "steps[0].expect[0].status",
     "only a UserMode wait returns STATUS_USER_APC"},
    {"kernel-apc", 4, 49, "steps[0].expect[0].status",
     "a wait never returns STATUS_KERNEL_APC"},
    {"error-status", 4, 49, "steps[0].expect[0].status",
     "a wait never returns STATUS_UNSUCCESSFUL"},
    {"alias-never-wins", 4, 49, "steps[0].expect[0].status",
     "objects[1] repeats objects[0], which comes first"},
    {"wait-all-index", 4, 49, "steps[0].expect[0].status",
     "a WaitAll returns STATUS_WAIT_0"},
    {"repeat-zero", 4, 76, "steps[0].expect[0].repeat",
     "0 is out of range; expected an integer from 1 to 1000000"},
    {"decision-typo", 4, 78, "steps[0].expect[0].decision",
     "did you mean \"continue\"?"},
    {"expect-missing-status", 4, 38, "steps[0].expect[0]",
     "the required key \"status\" is missing"},
    {"expect-at-before-step", 4, 91, "steps[1].expect[0].at",
     "this step starts at 1s of virtual time, so none of its invocations happens as early as "
     "500ms"},
    {"abandon-mutex", 4, 23, "steps[0].abandon",
     "KERNEL_APC_PENDING_DURING_EXIT, 0x20"},
    {"set-mutex", 4, 19, "steps[0].set",
     "set works on notification_event and synchronization_event objects; \"lock\" (objects[2]) "
     "is a mutex, which takes release and acquire"},
    {"reset-semaphore", 4, 21, "steps[0].reset",
     "reset works on notification_event and synchronization_event objects; \"sem\" (objects[4]) "
     "is a semaphore"},
    {"pulse-timer", 4, 21, "steps[0].pulse",
     "\"tick\" (objects[5]) is a notification_timer, which takes timer and cancel"},
    {"release-event", 4, 23, "steps[0].release",
     "release works on mutex, mutant and semaphore objects; \"work\" (objects[0]) is a "
     "synchronization_event, which takes set, reset and pulse"},
    {"acquire-timer", 4, 23, "steps[0].acquire",
     "acquire works on mutex, mutant and semaphore objects"},
    {"abandon-semaphore", 4, 23, "steps[0].abandon",
     "abandon works on mutant objects; \"sem\" (objects[4]) is a semaphore"},
    {"timer-event", 4, 21, "steps[0].timer",
     "timer works on notification_timer and synchronization_timer objects"},
    {"cancel-mutant", 4, 22, "steps[0].cancel",
     "\"mut\" (objects[3]) is a mutant, which takes release, acquire and abandon"},
    {"count-on-mutex", 4, 31, "steps[0].count",
     "\"count\" is the adjustment of a semaphore release; \"lock\" is a mutex"},
    {"count-on-set", 4, 27, "steps[0].count",
     "\"count\" belongs to release steps, and this step does \"set\""},
    {"count-above-limit", 4, 39, "steps[0].count",
     "releasing 3 units of \"sem\", whose limit is 2, always raises "
     "STATUS_SEMAPHORE_LIMIT_EXCEEDED"},
    {"thread-on-set", 4, 27, "steps[0].thread",
     "\"thread\" belongs to release, acquire, abandon, advance and call steps"},
    {"thread-worker", 4, 41, "steps[0].thread",
     "\"worker\" is the worker thread itself"},
    {"thread-on-semaphore-release", 4, 30, "steps[0].thread",
     "a semaphore has no owner"},
    {"targets-empty", 4, 19, "steps[0].set",
     "the list is empty; name at least one object"},
    {"targets-wrong-type", 4, 19, "steps[0].set",
     "expected an object name or an array of object names, found true"},
    {"timer-without-due", 4, 11, "steps[0]",
     "the required key \"due\" is missing"},
    {"alert-bad", 4, 21, "steps[0].alert",
     "expected true, \"kernel\" or \"user\" (the alert's mode), found the string \"both\""},
    {"apc-false", 4, 19, "steps[0].apc",
     "expected true, found false"},
    {"start-false", 4, 21, "steps[0].start",
     "expected true, found false"},
    {"hotswap-no-module", 4, 23, "steps[0].hotswap",
     "the required key \"module\" is missing"},
    {"hotswap-unknown-key", 4, 40, "steps[0].hotswap.unload",
     "did you mean \"unload_old\"?"},
    {"call-too-many-args", 3, 46, "steps[0].args[4]",
     "a call takes at most 4 arguments"},
    {"call-bad-irql", 3, 33, "steps[0].irql",
     "unknown value \"high\"; expected one of: \"passive\", \"apc\", \"dispatch\""},
    {"call-bad-returns", 3, 36, "steps[0].returns",
     "unknown status \"STATUS_SUCCES\"; did you mean \"STATUS_SUCCESS\"?"},
    {"call-unknown-object", 3, 34, "steps[0].args[0]",
     "no object is named \"wrok\"; did you mean \"work\"?"},
    {"call-bad-arg", 3, 34, "steps[0].args[0]",
     "expected an integer, an object name or \"context\", found true"},
    {"call-irql-on-set", 3, 27, "steps[0].irql",
     "\"irql\" belongs to call steps, and this step does \"set\""},
    {"call-empty-name", 3, 20, "steps[0].call",
     "cannot be empty"},
    {"call-arg-too-big", 3, 34, "steps[0].args[0]",
     "is out of range; expected an integer from -9007199254740991 to 9007199254740991"},
    {"fuzz-range-reversed", 3, 43, "fuzz.calls[0].args[0]",
     "\"min\" 9 is above \"max\" 2: swap them"},
    {"fuzz-range-no-max", 3, 51, "fuzz.calls[0].args[1]",
     "a range needs both \"min\" and \"max\""},
    {"fuzz-call-unknown-key", 3, 51, "fuzz.calls[0].irq", "did you mean \"irql\"?"},
    {"fuzz-call-no-call", 3, 20, "fuzz.calls[0]", "the required key \"call\" is missing"},
    {"fuzz-calls-not-array", 3, 19, "fuzz.calls", "expected an array of up to 64 calls"},
    {"fuzz-range-in-step", 3, 34, "steps[0].args[0]",
     "range is for the calls under \"fuzz\""},
    {"global-signaled", 2, 37, "objects[0].signaled",
     "a global object takes no \"signaled\": it is the driver's own"},
    {"global-name-taken", 2, 77, "objects[1].global",
     "the name \"WorkEvent\" is already taken by objects[0] (2:13)"},
    {"global-not-a-name", 2, 24, "objects[0].global",
     "expected the name of a global the module exports (a string), found the number 7"},
    {"global-bad-type", 2, 45, "objects[0].type",
     "unknown value \"event\""},
    {"driver-with-wait", 2, 1, "wait",
     "\"wait\" belongs to a scenario that names a routine; with \"driver\" the driver's "
     "load routine starts the worker: the driver's start context says how the worker waits"},
    {"driver-start-step", 2, 12, "steps[0].start",
     "a driver-mode scenario has no \"start\" step"},
    {"driver-unknown-key", 1, 41, "driver.lod", "unknown key; did you mean \"load\"?"},
    {"driver-not-object", 1, 25, "driver",
     "expected an object such as { \"module\": \"acpi_like\", \"load\": \"AcpiLikeLoad\" }"},
    {"driver-hotswap-unload-old", 2, 40, "steps[0].hotswap.unload_old",
     "a driver's swap takes no \"unload_old\": the worker thread goes on waiting on the objects "
     "the running image's start context named"},
    {"worker-events-routine-mode", 3, 19, "steps[0].set",
     "\"worker.events[1]\" names an object by its place in the start context a driver fills, "
     "which only a scenario with \"driver\" has; here the start context's Events[1] is "
     "objects[1]"},
    {"thread-worker-numbered", 2, 35, "steps[0].thread",
     "\"worker 2\" is the thread of one of the driver's workers"},
    {"expect-worker-zero", 2, 74, "steps[0].expect[0].worker",
     "0 is out of range; expected an integer from 1 to 64"},
    {"expect-worker-bool", 2, 74, "steps[0].expect[0].worker",
     "expected the worker's number in creation order (1 for the first the driver started) or "
     "its routine's exported name, found true"},
    {"expect-worker-routine-mode", 2, 76, "steps[0].expect[0].worker",
     "a scenario that names a routine has one worker"},
    {"worker-on-set", 2, 24, "steps[0].worker",
     "\"worker\" belongs to alert and apc steps, and this step does \"set\""},
    {"driver-hotswap-bad-phase", 2, 51, "steps[0].hotswap.phases.proxy_stall",
     "unknown key; did you mean \"proxy_stalled\"?"},
    {"driver-empty-load", 1, 49, "driver.load", "the load routine's name cannot be empty"},
    {"driver-hotswap-bad-status", 2, 50, "steps[0].hotswap.status",
     "unknown status \"STATUS_SUCESS\"; did you mean \"STATUS_SUCCESS\"?"},
    {"global-unload-old", 3, 54, "steps[0].hotswap.unload_old",
     "objects[0] \"WorkEvent\" is a global of the old image"},
    {"two-actions", 4, 27, "steps[0].reset",
     "a step does one action, and this one already does \"set\" (4:12)"},
    {"no-action", 4, 11, "steps[0]",
     "the step has no action"},
    {"step-not-object", 4, 11, "steps[0]",
     "expected a step object such as { \"set\": \"work\" }, found the string \"set\""},
    {"at-backwards", 4, 47, "steps[1].at",
     "\"1s\" is earlier than 2s, where steps[0] already took the clock"},
    {"at-before-advance", 4, 37, "steps[1].at",
     "is earlier than 5s, where steps[0] already took the clock"},
    {"start-twice", 4, 29, "steps[1].start",
     "steps[0] already starts the worker; a scenario starts it at most once"},
    {"expect-before-start", 4, 37, "steps[0].expect",
     "no worker exists before steps[1] starts it"},
    {"alert-before-start", 4, 11, "steps[0]",
     "no worker exists before steps[1] starts it; move this step after the start"},
    {"then-unknown-object", 4, 49, "steps[0].then.signaled.stp",
     "no object is named \"stp\"; did you mean \"stop\"?"},
    {"then-signaled-not-bool", 4, 57, "steps[0].then.signaled.stop",
     "expected true or false, found the number 1"},
    {"then-irql-range", 4, 44, "steps[0].then.irql",
     "32 is out of range; expected an integer from 0 to 31"},
    {"then-irql-name", 4, 44, "steps[0].then.irql",
     "expected an IRQL from 0 to 31 or \"PASSIVE_LEVEL\""},
    {"then-context-not-object", 4, 47, "steps[0].then.context",
     "expected an object"},
    {"then-unknown-key", 4, 36, "steps[0].then.terminate",
     "did you mean \"terminated\"?"},
    {"true-means-bad", 4, 15, "true_means",
     "unknown value \"maybe\"; expected one of: \"continue\", \"terminate\""},
    {"invariant-pattern", 4, 41, "invariants.decisions[0].status",
     "\"STATUS_NOPE_*\" matches no status name"},
    {"invariant-typo", 4, 41, "invariants.decisions[0].status",
     "did you mean \"STATUS_WAIT_1\"?"},
    {"invariant-no-decision", 4, 30, "invariants.decisions[0]",
     "the required key \"decision\" is missing"},
    {"livelock-zero", 4, 24, "limits.livelock",
     "0 is out of range; expected an integer from 1 to 10000000"},
    {"checks-unknown", 4, 12, "checks.pool_leak",
     "no contract check is named \"pool_leak\"; did you mean \"pool-leak\"?"},
    {"checks-stays-on", 4, 21, "checks.crash",
     "\"crash\" cannot be turned off: the kernel would bug-check or hang; the checks a scenario "
     "may turn off are bad-boolean, irql-at-return, pool-leak, held-mutex, assertion, "
     "overlapping-copy, invariant, held-at-return, raw-routine and handle-leak"},
    {"checks-not-bool", 4, 25, "checks.pool-leak",
     "expected false (turn the check off) or true, found the string \"off\""},
    {"module-empty", 1, 25, "module",
     "the module cannot be empty"},

};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static int load_bad(const char *name, struct hh_diags *d, char *file, size_t len)
{
    struct hh_scenario *sc = (struct hh_scenario *)1;
    int rc;
    snprintf(file, len, "%s/bad/%s.json", HH_TEST_DATA, name);
    hh_diags_init(d);
    rc = hh_scenario_load(file, &sc, d);
    CHECK(sc == NULL);
    return rc;
}

/* Whether the first diagnostic is the one the case names; prints both when not. */
static int case_matches(const struct bad_case *c)
{
    struct hh_diags d;
    char file[600], text[1400];
    const struct hh_diag *g = &d.items[0];
    int ok = load_bad(c->name, &d, file, sizeof file) == -1 && d.n >= 1;
    ok = ok && strcmp(g->file, file) == 0 && g->line == c->line && g->col == c->col &&
         strcmp(g->path, c->path) == 0 && strstr(g->msg, c->phrase) != NULL;
    if (!ok)
        printf("# %s: expected %d:%d %s: ...%s...\n#   got %s\n", c->name, c->line, c->col,
               c->path, c->phrase, d.n ? hh_diag_format(g, text, sizeof text) : "nothing");
    return ok;
}

static void test_every_bad_file(void)
{
    size_t i, failed = 0;
    for (i = 0; i < NCASES; i++)
        failed += !case_matches(&cases[i]);
    CHECK_EQ(failed, 0);
}

/* A bad file must fail for the reason its case names and for no unrelated one. */
static void test_bad_files_have_one_error(void)
{
    static const char *const several[] = {"missing-name", "alias-of-later", "duplicate-key",
                                          "two-actions", NULL};
    size_t i, k, failed = 0;
    for (i = 0; i < NCASES; i++) {
        struct hh_diags d;
        char file[600], text[1400];
        int expected_one = 1;
        for (k = 0; several[k]; k++)
            expected_one &= strcmp(several[k], cases[i].name) != 0;
        load_bad(cases[i].name, &d, file, sizeof file);
        if (expected_one && d.n != 1) {
            printf("# %s: %zu diagnostics; the second: %s\n", cases[i].name, d.n,
                   hh_diag_format(&d.items[1], text, sizeof text));
            failed++;
        }
    }
    CHECK_EQ(failed, 0);
}

static void test_abandon_mutex_suggests_mutant(void)
{
    struct hh_diags d;
    char file[600];
    load_bad("abandon-mutex", &d, file, sizeof file);
    CHECK_CONTAINS(d.items[0].msg, "give it type \"mutant\"");
}

static int parse_text(const char *text, struct hh_diags *d)
{
    struct hh_scenario *sc = NULL;
    int rc;
    hh_diags_init(d);
    rc = hh_scenario_parse("x.json", text, strlen(text), &sc, d);
    hh_scenario_free(sc);
    return rc;
}

static void test_collects_every_error(void)
{
    static const char text[] =
        "{\"name\": \"\", \"module\": \"m\", \"routine\": \"r\",\n"
        " \"objects\": [{\"name\": \"a\", \"type\": \"mutx\"}],\n"
        " \"steps\": [{\"advance\": \"1min\"}, {\"set\": \"b\"}], \"true_means\": \"continue\"}\n";
    struct hh_diags d;
    CHECK_EQ(parse_text(text, &d), -1);
    CHECK_EQ(d.n, 4);
    CHECK_STR(d.items[0].path, "name");
    CHECK_STR(d.items[1].path, "objects[0].type");
    CHECK_STR(d.items[2].path, "steps[0].advance");
    CHECK_STR(d.items[3].path, "steps[1].set");
    CHECK_CONTAINS(d.items[1].msg, "did you mean \"mutex\"?");
    CHECK_EQ(d.dropped, 0);
}

static void test_counts_errors_beyond_the_limit(void)
{
    char text[8192];
    size_t used, i;
    struct hh_diags d;
    used = (size_t)snprintf(text, sizeof text,
                            "{\"name\": \"t\", \"module\": \"m\", \"routine\": \"r\", "
                            "\"objects\": [{\"name\": \"a\", \"type\": \"mutex\"}], \"steps\": [");
    for (i = 0; i < HH_DIAG_MAX + 8; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s{\"set\": \"nope%zu\"}",
                                 i ? ", " : "", i);
    snprintf(text + used, sizeof text - used, "], \"true_means\": \"continue\"}");
    CHECK_EQ(parse_text(text, &d), -1);
    CHECK_EQ(d.n, HH_DIAG_MAX);
    CHECK_EQ(d.dropped, 8);
}

static void test_unreadable_file(void)
{
    struct hh_diags d;
    struct hh_scenario *sc = NULL;
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_load(HH_TEST_DATA "/bad/no-such-file.json", &sc, &d), -1);
    CHECK(sc == NULL);
    CHECK_EQ(d.n, 1);
    CHECK_EQ(d.items[0].line, 0);
    CHECK_STR(d.items[0].file, HH_TEST_DATA "/bad/no-such-file.json");
    CHECK_CONTAINS(d.items[0].msg, "cannot open");
}

static void test_folder_is_not_a_scenario(void)
{
    struct hh_diags d;
    struct hh_scenario *sc = NULL;
    hh_diags_init(&d);
    CHECK_EQ(hh_scenario_load(HH_TEST_DATA "/bad", &sc, &d), -1);
    CHECK_EQ(d.n, 1);
    CHECK_CONTAINS(d.items[0].msg, "folder");
}

static void test_diag_format(void)
{
    struct hh_diags d;
    char text[1400];
    hh_diags_init(&d);
    hh_diags_add(&d, "a.json", 3, 7, "steps[0].set", "no object is named %s", "\"x\"");
    hh_diags_add(&d, "a.json", 0, 0, "", "cannot open the file");
    hh_diags_add(&d, "a.json", 4, 0, "", "line only");
    CHECK_STR(hh_diag_format(&d.items[0], text, sizeof text),
              "a.json:3:7: error: steps[0].set: no object is named \"x\"");
    CHECK_STR(hh_diag_format(&d.items[1], text, sizeof text),
              "a.json: error: cannot open the file");
    CHECK_STR(hh_diag_format(&d.items[2], text, sizeof text), "a.json:4: error: line only");
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"every-bad-file", test_every_bad_file},
        {"bad-files-have-one-error", test_bad_files_have_one_error},
        {"abandon-mutex-suggests-mutant", test_abandon_mutex_suggests_mutant},
        {"collects-every-error", test_collects_every_error},
        {"counts-errors-beyond-the-limit", test_counts_errors_beyond_the_limit},
        {"unreadable-file", test_unreadable_file},
        {"folder-is-not-a-scenario", test_folder_is_not_a_scenario},
        {"diag-format", test_diag_format},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
