/* target_run.c - one input as one run of a routine target, and what a finding looks like:
 * the rule, the invocation, the decoded timeline, then an abort that leaves the artifact.
 *
 * A crash the sanitizers catch inside the routine never returns here; their report hook
 * prints the timeline so far instead, after the sanitizer's own summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"
#include "play/fuzz_text.h"
#include "target.h"

#if defined(__GNUC__)
#define HH_FUZZ_NOINLINE __attribute__((noinline))
#else
#define HH_FUZZ_NOINLINE
#endif

/* The run in progress, for the sanitizers' report hook. */
static struct hh_fuzz_target *running;
static const struct hh_fuzz_decoder *running_input;

/* One function per rule, so the abort's stack (and libFuzzer's and CFLite's crash
 * deduplication) names the rule that broke: "finding_INVARIANT". */
static volatile int hh_fuzz_finding_rule;
#define HH_FUZZ_FINDING_FN(id, name, what)                                                   \
    static HH_FUZZ_NOINLINE void finding_##id(void)                                          \
    {                                                                                        \
        hh_fuzz_finding_rule = HH_RULE_##id;                                                 \
        abort();                                                                             \
    }
HH_RULES(HH_FUZZ_FINDING_FN)
#undef HH_FUZZ_FINDING_FN

void hh_fuzz_abort_for(enum hh_rule rule)
{
    switch (rule) {
#define HH_FUZZ_FINDING_CASE(id, name, what)                                                 \
    case HH_RULE_##id:                                                                       \
        finding_##id();                                                                      \
        break;
        HH_RULES(HH_FUZZ_FINDING_CASE)
#undef HH_FUZZ_FINDING_CASE
    default:
        break;
    }
    abort();
}

static void to_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "%s\n", line);
}

static void print_timeline(const struct hh_fuzz_target *t, const struct hh_fuzz_decoder *d)
{
    char header[256];
    snprintf(header, sizeof(header), "decoded timeline (%s, %lu bytes, %lu actions):",
             hh_fuzz_format_name(d->format), (unsigned long)d->size, (unsigned long)d->actions);
    hh_fuzz_timeline(t->session, header, to_stderr, NULL);
}

/* The replay command of a finding, with the module folders the target was given, so that
 * it finds the same build of the module from wherever the fuzzing ran. */
void hh_fuzz_print_reproduce(const struct hh_fuzz_target *t, const char *tail)
{
    size_t i;
    fputs("reproduce: hotswap-harness replay", stderr);
    for (i = 0; i < t->opt.nmodule_dirs; i++)
        fprintf(stderr, " -M %s", t->opt.module_dirs[i]);
    fprintf(stderr, " %s ARTIFACT%s\n", t->scenario_path, tail);
}

/* Plays d's input as one run. */
static int play(struct hh_fuzz_target *t, struct hh_fuzz_decoder *d)
{
    running = t;
    running_input = d;
    hh_session_begin(t->session);
    hh_fuzz_play(t->session, d, 0);
    return hh_session_end(t->session);
}

/* Runs are played quietly, without an account or DbgPrint logs; a finding's input is played
 * again with both, for its report. Every run starts from the same state, so it comes out the
 * same. */
static void play_with_logs(struct hh_fuzz_target *t, struct hh_fuzz_decoder *d,
                           const uint8_t *data, size_t size)
{
    enum hh_rule rule = hh_session_result(t->session)->rule;
    hh_session_keep_logs(t->session, 1);
    hh_session_keep_account(t->session, 1);
    if (hh_fuzz_decoder_init(d, t->sc, data, size, t->accept) != 0 ||
        play(t, d) != HH_PLAY_FAIL || hh_session_result(t->session)->rule != rule)
        fprintf(stderr, "\n==hotswap-harness== note: played again to show its DbgPrint "
                        "output, the input did not find rule %s again; what follows is that "
                        "second run\n", hh_rule_name(rule));
    hh_session_keep_logs(t->session, 0);
    hh_session_keep_account(t->session, 0);
}

static HH_FUZZ_NOINLINE void report(struct hh_fuzz_target *t, struct hh_fuzz_decoder *d,
                                    const uint8_t *data, size_t size)
{
    const struct hh_play_result *res;
    play_with_logs(t, d, data, size);
    res = hh_session_result(t->session);
    fprintf(stderr, "\n==hotswap-harness== FINDING in %s (%s), target '%s': rule %s\n",
            hh_fuzz_code_name(t), t->sc->module, t->name, hh_rule_name(res->rule));
    hh_fuzz_verdict(t->session, to_stderr, NULL);
    print_timeline(t, d);
    hh_fuzz_print_reproduce(t, " (libFuzzer names the artifact below); add --emit-scenario FILE for "
                       "a regression scenario");
    fflush(stderr);
    hh_fuzz_abort_for(res->rule);
}

int hh_fuzz_target_run(struct hh_fuzz_target *t, const uint8_t *data, size_t size)
{
    struct hh_fuzz_decoder *d = t->decoder;
    if (!d)
        d = t->decoder = hh_fuzz_decoder_new();
    if (hh_fuzz_decoder_init(d, t->sc, data, size, t->accept) != 0)
        return -1;
    if (play(t, d) == HH_PLAY_FAIL)
        report(t, d, data, size);
    t->invocations += hh_session_result(t->session)->invoked;
    hh_session_forget(t->session);
    running = NULL;
    running_input = NULL;
    return 0;
}

const char *hh_fuzz_code_name(const struct hh_fuzz_target *t)
{
    return t->sc->routine ? t->sc->routine : t->sc->driver.load;
}

/* ---- A crash's timeline, played again by a new process ------------------------------------
 * A crash ends the process inside the sanitizer's report, and a quiet run kept no account to
 * show. A new process of this target plays the input again with its account
 * (--timeline-of=HEX, the input in hex on its command line) and prints the timeline, which
 * this process prints in its place; the report of the crash itself is this process's. */

#define HH_FUZZ_TIMELINE_MAX_INPUT (64u * 1024u)
#define HH_FUZZ_TIMELINE_WAIT_MS 60000u
#define HH_FUZZ_TIMELINE_MAX_ARGS 64

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

void hh_fuzz_timeline_of(struct hh_fuzz_target *t)
{
    size_t len = strlen(t->timeline_of), n = len / 2, i;
    uint8_t *data = malloc(n ? n : 1);
    struct hh_fuzz_decoder *d = t->decoder ? t->decoder : (t->decoder = hh_fuzz_decoder_new());
    if (!data)
        abort();
    for (i = 0; i < n || len % 2; i++) {
        int hi = len % 2 ? -1 : hex_value(t->timeline_of[2 * i]);
        int lo = len % 2 ? -1 : hex_value(t->timeline_of[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            fprintf(stderr, "hotswap-harness fuzz target '%s': error: --timeline-of takes an "
                            "input in lowercase hex\n", t->name);
            exit(2);
        }
        data[i] = (uint8_t)(hi << 4 | lo);
    }
    if (!t->session || hh_fuzz_decoder_init(d, t->sc, data, n, t->accept) != 0) {
        fprintf(stderr, "hotswap-harness fuzz target '%s': error: --timeline-of: not an input "
                        "this target plays\n", t->name);
        exit(2);
    }
    hh_session_keep_logs(t->session, 1);
    hh_session_keep_account(t->session, 1);
    play(t, d); /* a crash again: this process's own report prints the timeline */
    print_timeline(t, d);
    fprintf(stderr, "==hotswap-harness== note: played again in a new process, the input ran "
                    "to its end there without a crash (the sanitizer's findings can depend on "
                    "the heap's layout); its timeline up to the end is above\n");
    free(data);
    exit(0);
}

/* Prints the lines of out from "decoded timeline" up to the child's "reproduce:" line. */
static int print_timeline_part(const char *out)
{
    const char *from = strstr(out, "decoded timeline (");
    const char *to;
    if (!from || (from != out && from[-1] != '\n'))
        return 0;
    to = strstr(from, "\nreproduce: ");
    fprintf(stderr, "%.*s\n", (int)(to ? (size_t)(to - from) : strlen(from)), from);
    return 1;
}

static void timeline_from_child(const struct hh_fuzz_target *t, const struct hh_fuzz_decoder *d)
{
    const char *argv[HH_FUZZ_TIMELINE_MAX_ARGS + 3];
    char self[4096], err[256], *hex;
    struct hh_plat_proc *child;
    struct hh_plat_proc_result r;
    size_t i, n = 0;
    int k;
    if (d->size > HH_FUZZ_TIMELINE_MAX_INPUT || hh_plat_self_path(self, sizeof(self)) != 0) {
        fprintf(stderr, "decoded timeline: not kept while fuzzing; the reproduce line below "
                        "prints it\n");
        return;
    }
    hex = malloc(sizeof("--timeline-of=") + 2 * d->size);
    if (!hex)
        return;
    n = (size_t)sprintf(hex, "--timeline-of=");
    for (i = 0; i < d->size; i++)
        n += (size_t)sprintf(hex + n, "%02x", (unsigned)d->data[i]);
    n = 0;
    argv[n++] = self;
    for (k = 1; k < t->argc && n < HH_FUZZ_TIMELINE_MAX_ARGS; k++) {
        /* the target's own options; not libFuzzer's, nor another measure or timeline */
        if (strncmp(t->argv[k], "--", 2) == 0 && strncmp(t->argv[k], "--measure=", 10) != 0 &&
            strncmp(t->argv[k], "--timeline-of=", 14) != 0)
            argv[n++] = t->argv[k];
    }
    argv[n++] = hex;
    argv[n] = NULL;
    memset(&r, 0, sizeof(r));
    fflush(stderr);
    if (hh_plat_proc_spawn(argv, &child, err, sizeof(err)) != 0 ||
        hh_plat_proc_wait(child, HH_FUZZ_TIMELINE_WAIT_MS, &r, err, sizeof(err)) != 0) {
        fprintf(stderr, "decoded timeline: not kept while fuzzing, and a new process to play "
                        "the input again could not run (%s); the reproduce line below prints "
                        "it\n", err);
    } else if (!r.output || !print_timeline_part(r.output)) {
        fprintf(stderr, "decoded timeline: not kept while fuzzing, and the new process that "
                        "played the input again printed none (%s); the reproduce line below "
                        "prints it\n",
                r.timed_out ? "it ran out of time" : r.crashed ? r.what : "it ended");
    }
    free(r.output);
    free(hex);
}

/* Called by ASan, UBSan and LSan with their one-line summary, after their report: the
 * routine crashed (or misbehaved) inside a run, so print where in the timeline. */
void __sanitizer_report_error_summary(const char *error_summary);

void __sanitizer_report_error_summary(const char *error_summary)
{
    fprintf(stderr, "%s\n", error_summary);
    if (!running || !running_input)
        return;
    fprintf(stderr, "\n==hotswap-harness== FINDING in %s (%s), target '%s': rule crash\n",
            hh_fuzz_code_name(running), running->sc->module, running->name);
    if (hh_session_keeps_account(running->session))
        print_timeline(running, running_input);
    else
        timeline_from_child(running, running_input);
    hh_fuzz_print_reproduce(running, "");
    fflush(stderr);
}
