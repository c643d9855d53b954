/* test_session.c - fuzz sessions (harness/play/session.c): a run's account dropped at once by
 * hh_session_forget and left alone while a run is going, runs that follow each other on one
 * loaded module, the virtual clock whatever the scenario's own "clock" says, and a fuzz
 * decoder reused from input to input (as the targets do) decoding as a fresh one.
 *
 * The module is the bundled queue_worker, found in HH_TEST_MODULE_DIR (meson sets it), and
 * for the module's statics nth_call_worker, in HH_TEST_NTH_DIR.
 */
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "play/fuzz_input.h"
#include "play/fuzz_text.h"
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

/* Every run's steps are named by their own index ("steps[N]", the account's paths), whether
 * an earlier run had more steps, fewer, or the step storage grew in between. */
static void test_steps_keep_their_paths(void)
{
    static const size_t lengths[] = {3, 1, 70, 2};
    const struct hh_scenario *view;
    struct fixture f;
    char want[32];
    size_t r, i;
    open_session(&f);
    for (r = 0; r < sizeof(lengths) / sizeof(lengths[0]); r++) {
        hh_session_begin(f.s);
        for (i = 0; i < lengths[r]; i++)
            CHECK_EQ(hh_session_step(f.s, &f.set_work), 0);
        CHECK_EQ(hh_session_end(f.s), HH_PLAY_PASS);
        view = hh_session_scenario(f.s);
        CHECK_EQ(view->nsteps, lengths[r]);
        for (i = 0; i < view->nsteps; i++) {
            snprintf(want, sizeof(want), "steps[%lu]", (unsigned long)i);
            CHECK_STR(view->steps[i].path, want);
            CHECK_EQ(view->steps[i].nobjects, 1);
        }
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

/* Plays input on f's session with decoder d; returns the run's actions (a copy, free it). */
static struct hh_fuzz_action *play_input(struct fixture *f, struct hh_fuzz_decoder *d,
                                         const uint8_t *input, size_t size, size_t *n)
{
    struct hh_fuzz_action *copy, *a;
    CHECK_EQ(hh_fuzz_decoder_init(d, f->sc, input, size, HH_FUZZ_ACCEPT(input[0])), 0);
    hh_session_begin(f->s);
    hh_fuzz_play(f->s, d, 0);
    hh_session_end(f->s);
    a = hh_fuzz_run_actions(f->s, n);
    copy = malloc(*n * sizeof(*copy) + 1);
    CHECK(copy != NULL);
    memcpy(copy, a, *n * sizeof(*copy));
    free(a);
    return copy;
}

/* hh_fuzz_decoder_init clears a decoder for the next input but not its queue: a decoder
 * that played a longer input first decodes the next exactly as a fresh one does. */
static void test_reused_decoder_decodes_as_fresh(void)
{
    static const uint8_t longer[] = {1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t shorter[] = {1, 0, 0, 0};
    struct hh_fuzz_decoder *used = hh_fuzz_decoder_new(), *fresh = hh_fuzz_decoder_new();
    struct hh_fuzz_action *a, *b;
    struct fixture f;
    size_t na, nb, i;
    open_session(&f);
    free(play_input(&f, used, longer, sizeof(longer), &na));
    CHECK(na > 4);
    a = play_input(&f, used, shorter, sizeof(shorter), &na);
    b = play_input(&f, fresh, shorter, sizeof(shorter), &nb);
    CHECK_EQ(na, nb);
    CHECK(na >= 3);
    for (i = 0; i < na && i < nb; i++) {
        CHECK_EQ(a[i].deliver, b[i].deliver);
        CHECK_EQ(a[i].status, b[i].status);
        CHECK_EQ(a[i].step.action, b[i].step.action);
        CHECK_EQ(a[i].step.nobjects, b[i].step.nobjects);
        CHECK_STR(a[i].note, b[i].note);
    }
    free(a);
    free(b);
    free(used);
    free(fresh);
    close_session(&f);
}

/* A timeout's step is made once and played from the decoder's store after, with its advance
 * set to what is left of the worker's wait when it plays: a run whose clock moved while the
 * worker waited reaches the deadline, and not past it. */
static void test_made_timeout_advances_to_the_deadline(void)
{
    static const char text[] =
        "{ \"name\": \"timeouts\", \"module\": \"queue_worker\","
        "  \"routine\": \"QueueWorkerRoutine\", \"true_means\": \"continue\","
        "  \"objects\": [ { \"name\": \"work\", \"type\": \"synchronization_event\" },"
        "                 { \"name\": \"stop\", \"type\": \"notification_event\" } ],"
        "  \"wait\": { \"type\": \"any\", \"timeout\": \"100ms\" }, \"steps\": [] }";
    static const uint8_t timeout[] = {1, 2}; /* the alphabet: work, stop, STATUS_TIMEOUT */
    struct hh_fuzz_decoder *d = hh_fuzz_decoder_new();
    struct hh_sc_step advance;
    const struct hh_play_result *res;
    struct fixture f;
    int run;
    open_session_of(&f, "HH_TEST_MODULE_DIR", text);
    memset(&advance, 0, sizeof(advance));
    advance.action = HH_ACT_ADVANCE;
    advance.advance = 40 * HH_TICKS_PER_MS;
    for (run = 0; run < 2; run++) { /* the first makes the step, the second plays it */
        CHECK_EQ(hh_fuzz_decoder_init(d, f.sc, timeout, sizeof(timeout), HH_FUZZ_ACCEPT(1)), 0);
        hh_session_begin(f.s);
        if (run == 1)
            CHECK_EQ(hh_session_step(f.s, &advance), 0); /* 60 ms of the wait are left */
        hh_fuzz_play(f.s, d, 0);
        CHECK_EQ(hh_session_end(f.s), HH_PLAY_PASS);
        res = hh_session_result(f.s);
        CHECK_EQ(res->ninvocations, 1);
        CHECK_EQ(res->invocations[0].status, STATUS_TIMEOUT);
        CHECK_EQ(res->invocations[0].time, 100 * HH_TICKS_PER_MS);
        CHECK_EQ(res->end_time, 100 * HH_TICKS_PER_MS); /* not 140 ms: advanced 60, not 100 */
        hh_session_forget(f.s);
    }
    free(d);
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

/* A scenario that starts a driver is no fuzz configuration: refused by name at "driver". */
static void test_driver_mode_refused(void)
{
    static const char text[] =
        "{ \"name\": \"d\", \"true_means\": \"terminate\", \"steps\": [],\n"
        "  \"driver\": { \"module\": \"acpi_like_driver\", \"load\": \"AcpiLikeLoad\" } }";
    struct hh_scenario *sc = NULL;
    struct hh_session *s = NULL;
    struct hh_play_options opt;
    struct hh_diags diags;
    hh_diags_init(&diags);
    memset(&opt, 0, sizeof(opt));
    CHECK_EQ(hh_scenario_parse("driver.json", text, strlen(text), &sc, &diags), 0);
    CHECK_EQ(hh_session_open(sc, &opt, &s, &diags), -1);
    CHECK(s == NULL);
    CHECK_EQ(diags.n, 1);
    CHECK_STR(diags.items[0].path, "driver");
    CHECK_EQ(diags.items[0].line, 2);
    CHECK(strstr(diags.items[0].msg, "one with \"driver\" is played by run") != NULL);
    hh_scenario_free(sc);
}

/* ---- One machine reset between runs is a new machine ---------------------------------- */

struct text {
    char *s;
    size_t len, cap;
};

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Appends line, a heap address in it ("0x" and more than 8 hex digits, or 12 and more hex
 * digits as Windows prints %p) as "0xADDR": two machines' blocks lie at different addresses,
 * as two runs' do. */
static void add_line(void *user, const char *line)
{
    struct text *t = user;
    size_t n = strlen(line), i = 0;
    if (t->len + n + 2 > t->cap) {
        t->cap = (t->len + n + 2) * 2;
        t->s = realloc(t->s, t->cap);
        CHECK(t->s != NULL);
    }
    while (i < n) {
        size_t k = 0, x = 0;
        if (line[i] == '0' && line[i + 1] == 'x')
            x = 2;
        else if (i > 0 && isalnum((unsigned char)line[i - 1]))
            x = n; /* inside a word: no address starts here */
        if (x < n) {
            while (is_hex(line[i + x + k]))
                k++;
        }
        /* "0x" and more than 8 hex digits, or 12 or more alone (%p on Windows) */
        if ((x == 2 && k > 8) || (x == 0 && k >= 12)) {
            memcpy(t->s + t->len, "0xADDR", 6);
            t->len += 6;
            i += x + k;
        } else {
            t->s[t->len++] = line[i++];
        }
    }
    t->s[t->len++] = '\n';
    t->s[t->len] = '\0';
}

/* The verdict: outcome, rule, where and when, the steps played, the headline; without the
 * step's description ("(steps[1]: pulse stop)") when `brief`, as a quiet run keeps none. */
static void verdict(const struct hh_session *s, struct text *t, int brief)
{
    const struct hh_play_result *res = hh_session_result(s);
    char line[1200];
    char *cut;
    snprintf(line, sizeof(line), "outcome %d rule %d step %lu invocation %lu time %lld steps %lu "
             "end %lld invoked %lu", res->outcome, (int)res->rule, (unsigned long)res->step,
             res->invocation, (long long)res->time, (unsigned long)res->steps_run,
             (long long)res->end_time, (unsigned long)res->invoked);
    add_line(t, line);
    snprintf(line, sizeof(line), "%s", res->headline ? res->headline : "(no headline)");
    if (brief && (cut = strstr(line, " (steps[")) != NULL && strchr(cut, ')'))
        memmove(cut, strchr(cut, ')') + 1, strlen(strchr(cut, ')') + 1) + 1);
    add_line(t, line);
}

/* Everything a run shows: the verdict and the timeline as a finding prints them, and every
 * invocation with its decision and DbgPrint log. */
static void account(const struct hh_session *s, struct text *t)
{
    const struct hh_play_result *res = hh_session_result(s);
    char line[256];
    size_t i;
    verdict(s, t, 0);
    snprintf(line, sizeof(line), "invocations %lu", (unsigned long)res->ninvocations);
    add_line(t, line);
    for (i = 0; i < res->ninvocations; i++) {
        const struct hh_play_invocation *v = &res->invocations[i];
        snprintf(line, sizeof(line), "#%lu step %lu at %lld status %08X raw %u decision %d",
                 v->index, (unsigned long)v->step, (long long)v->time, (unsigned)v->status,
                 v->raw, v->decision);
        add_line(t, line);
        add_line(t, v->log ? v->log : "(no log)");
    }
    hh_fuzz_verdict(s, add_line, t);
    hh_fuzz_timeline(s, "timeline:", add_line, t);
}

/* How the second session of compare_sessions differs from the first, which resets one
 * machine, plays its steps the short way (nothing watches it) and keeps an account. */
enum second {
    FRESH,   /* a new machine for every input */
    WATCHED, /* a progress callback: every step takes hh_play_run_step_at's whole way */
    QUIET    /* no account (as fuzz targets run): the verdict alone is compared */
};

static void watch(void *user, enum hh_play_phase phase, size_t step,
                  const struct hh_play_invocation *inv)
{
    (void)phase;
    (void)step;
    (void)inv;
    ++*(unsigned long *)user;
}

/* Plays `runs` pseudo-random inputs (status and model encodings) through two sessions of the
 * same scenario, the second one made as `second` says, and compares every run's account.
 * Returns how many runs failed. */
static int compare_sessions(const char *dir_var, const char *text, int runs, enum second second)
{
    struct fixture first, other;
    struct hh_fuzz_decoder *d = hh_fuzz_decoder_new();
    uint32_t x = 12345;
    unsigned long watched = 0;
    int run, fails = 0;
    open_session_of(&first, dir_var, text);
    if (second == WATCHED) { /* the options are copied when the session opens */
        struct hh_diags diags;
        hh_session_close(first.s);
        first.opt.progress = watch;
        first.opt.progress_user = &watched;
        hh_diags_init(&diags);
        CHECK_EQ(hh_session_open(first.sc, &first.opt, &other.s, &diags), 0);
        other.sc = NULL;
        memset(&first.opt, 0, sizeof(first.opt));
        CHECK_EQ(hh_session_open(first.sc, &first.opt, &first.s, &diags), 0);
    } else {
        open_session_of(&other, dir_var, text);
    }
    if (second == FRESH)
        hh_session_fresh_machines(other.s, 1);
    if (second == QUIET)
        hh_session_keep_account(other.s, 0);
    for (run = 0; run < runs; run++) {
        uint8_t input[96];
        size_t size = 2 + (size_t)(run * 7 % 90), i;
        struct text a = {NULL, 0, 0}, b = {NULL, 0, 0};
        struct hh_session *ss[2];
        struct text *ts[2];
        int k;
        input[0] = run % 3 == 0 ? HH_FUZZ_FORMAT_MODEL : HH_FUZZ_FORMAT_STATUS;
        for (i = 1; i < size; i++) {
            x = x * 1103515245u + 12345u;
            input[i] = (uint8_t)(x >> 16);
        }
        ss[0] = first.s;
        ss[1] = other.s;
        ts[0] = &a;
        ts[1] = &b;
        for (k = 0; k < 2; k++) {
            CHECK_EQ(hh_fuzz_decoder_init(d, first.sc, input, size, HH_FUZZ_ACCEPT(input[0])),
                     0);
            hh_session_begin(ss[k]);
            hh_fuzz_play(ss[k], d, 0);
            hh_session_end(ss[k]);
            if (second == QUIET)
                verdict(ss[k], ts[k], 1);
            else
                account(ss[k], ts[k]);
            hh_session_forget(ss[k]);
        }
        CHECK_STR(a.s, b.s);
        fails += strncmp(a.s, "outcome 1 ", 10) == 0; /* HH_PLAY_FAIL */
        free(a.s);
        free(b.s);
    }
    if (second == WATCHED)
        CHECK(watched > 0); /* the callback was there, so the steps took the long way */
    free(d);
    hh_session_close(other.s);
    hh_scenario_free(other.sc); /* NULL when it plays first's scenario */
    close_session(&first);
    return fails;
}

static void test_reset_machine_is_a_new_one(void)
{
    (void)compare_sessions("HH_TEST_MODULE_DIR", scenario_text, 60, FRESH);
}

/* A step played the short way (hh_play_plain_step: nothing watches the run, the step checks
 * nothing at its end) does what the whole way does, and a quiet run reaches the verdict an
 * accounted one does. */
static void test_short_way_plays_as_the_long(void)
{
    (void)compare_sessions("HH_TEST_MODULE_DIR", scenario_text, 60, WATCHED);
}

static void test_quiet_run_reaches_the_same_verdict(void)
{
    (void)compare_sessions("HH_TEST_MODULE_DIR", scenario_text, 60, QUIET);
}

/* finding_worker's bugs (fuzz/tests/finding_worker.c, chosen by the context): findings of
 * many rules, pool blocks left live and freed twice, locks and mutexes held. */
static void test_reset_machine_after_findings(void)
{
    int bug;
    for (bug = 1; bug <= 16; bug++) { /* all but 17, a crash */
        char text[1024];
        snprintf(text, sizeof(text),
                 "{ \"name\": \"finding\", \"module\": \"finding_worker_buggy\","
                 "  \"routine\": \"FindingWorkerRoutine\", \"true_means\": \"continue\","
                 "  \"context\": { \"bug\": %d },"
                 "  \"objects\": [ { \"name\": \"work\", \"type\": \"notification_event\" },"
                 "    { \"name\": \"stop\", \"type\": \"synchronization_event\" } ],"
                 "  \"invariants\": { \"decisions\": [ { \"status\": \"STATUS_WAIT_1\","
                 "    \"decision\": \"terminate\" } ] },"
                 "  \"steps\": [] }",
                 bug);
        CHECK(compare_sessions("HH_TEST_NTH_DIR", text, 24, FRESH) > 0);
        CHECK(compare_sessions("HH_TEST_NTH_DIR", text, 24, WATCHED) > 0);
        CHECK(compare_sessions("HH_TEST_NTH_DIR", text, 24, QUIET) > 0);
    }
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"forget_drops_the_account", test_forget_drops_the_account},
        {"forget_while_running_does_nothing", test_forget_while_running_does_nothing},
        {"runs_follow_each_other", test_runs_follow_each_other},
        {"steps_keep_their_paths", test_steps_keep_their_paths},
        {"session_clock_is_virtual", test_session_clock_is_virtual},
        {"reused_decoder_decodes_as_fresh", test_reused_decoder_decodes_as_fresh},
        {"module_statics_reset_each_run", test_module_statics_reset_each_run},
        {"driver_mode_refused", test_driver_mode_refused},
        {"reset_machine_is_a_new_one", test_reset_machine_is_a_new_one},
        {"reset_machine_after_findings", test_reset_machine_after_findings},
        {"short_way_plays_as_the_long", test_short_way_plays_as_the_long},
        {"made_timeout_advances_to_the_deadline", test_made_timeout_advances_to_the_deadline},
        {"quiet_run_reaches_the_same_verdict", test_quiet_run_reaches_the_same_verdict},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
