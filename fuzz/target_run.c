/* target_run.c - one input as one run of a routine target, and what a finding looks like:
 * the rule, the invocation, the decoded timeline, then an abort that leaves the artifact.
 *
 * A crash the sanitizers catch inside the routine never returns here; their report hook
 * prints the timeline so far instead, after the sanitizer's own summary.
 */
#include <stdio.h>
#include <stdlib.h>

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

/* Runs are played without DbgPrint logs; a finding's input is played again with them, for its
 * account. Every run starts from the same state, so it comes out the same. */
static void play_with_logs(struct hh_fuzz_target *t, struct hh_fuzz_decoder *d,
                           const uint8_t *data, size_t size)
{
    enum hh_rule rule = hh_session_result(t->session)->rule;
    hh_session_keep_logs(t->session, 1);
    if (hh_fuzz_decoder_init(d, t->sc, data, size, t->accept) != 0 ||
        play(t, d) != HH_PLAY_FAIL || hh_session_result(t->session)->rule != rule)
        fprintf(stderr, "\n==hotswap-harness== note: played again to show its DbgPrint "
                        "output, the input did not find rule %s again; what follows is that "
                        "second run\n", hh_rule_name(rule));
    hh_session_keep_logs(t->session, 0);
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
    t->invocations += hh_session_result(t->session)->ninvocations;
    hh_session_forget(t->session);
    running = NULL;
    running_input = NULL;
    return 0;
}

/* Called by ASan, UBSan and LSan with their one-line summary, after their report: the
 * routine crashed (or misbehaved) inside a run, so print where in the timeline. */
const char *hh_fuzz_code_name(const struct hh_fuzz_target *t)
{
    return t->sc->routine ? t->sc->routine : t->sc->driver.load;
}

void __sanitizer_report_error_summary(const char *error_summary);

void __sanitizer_report_error_summary(const char *error_summary)
{
    fprintf(stderr, "%s\n", error_summary);
    if (!running || !running_input)
        return;
    fprintf(stderr, "\n==hotswap-harness== FINDING in %s (%s), target '%s': rule crash\n",
            hh_fuzz_code_name(running), running->sc->module, running->name);
    print_timeline(running, running_input);
    hh_fuzz_print_reproduce(running, "");
    fflush(stderr);
}
