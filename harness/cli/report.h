/* report.h - the suite's reports: human text, TAP 13, JUnit XML and JSON, each rendered
 * into a buffer (buf.h) from the same cases, so every format says the same thing.
 *
 * docs/reports.md describes each format; the JSON one is a stable, versioned contract.
 * report.c sends each report where the command line asked: stdout as cases finish, or a
 * file written whole at the end.
 */
#ifndef HH_CLI_REPORT_H
#define HH_CLI_REPORT_H

#include <stddef.h>

#include "buf.h"
#include "cli.h"
#include "runner.h"

struct hh_suite {
    const struct hh_cli *cli;
    struct hh_case *cases; /* the selected scenarios, in file order */
    size_t n;
    size_t ndone;          /* cases with a verdict so far (all of them by the end) */
    size_t passed, failed, errors, crashed, hung;
    size_t nfound;         /* scenario files found, before --filter and --shard */
    double seconds;        /* wall time of the whole run */
    unsigned jobs;         /* how many ran at once */
    int isolated;
    const char *const *problems; /* what kept the suite from running as asked, one line each */
    size_t nproblems;
    int exit_code;         /* 0, 1 or 2, as the command will exit */
};

/* report_text.c: colour is ANSI SGR when set. */
void hh_report_text_case(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c,
                         int color);
void hh_report_text_summary(struct hh_buf *b, const struct hh_suite *s, int color);
/* What went wrong in a case, as the text report shows it below its FAIL or ERROR line:
 * headline, rule, where, invocations, the process's output, how to reproduce. */
void hh_report_account(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c);
/* "pass", "fail" or "error". */
const char *hh_report_outcome_word(const struct hh_case *c);

/* report_tap.c: flat TAP 13, one test point per scenario, YAML diagnostics for failures. */
void hh_report_tap_begin(struct hh_buf *b, const struct hh_suite *s);
void hh_report_tap_case(struct hh_buf *b, const struct hh_suite *s, size_t index);
void hh_report_tap_end(struct hh_buf *b, const struct hh_suite *s);

/* report_junit.c and report_json.c: whole documents, rendered once every case is done. */
void hh_report_junit(struct hh_buf *b, const struct hh_suite *s);
void hh_report_json(struct hh_buf *b, const struct hh_suite *s);
/* "KEY":"250ms","KEY_ticks":2500000: a time as the JSON report writes one. */
void hh_report_json_duration(struct hh_buf *b, const char *key, int64_t ticks);
/* One scenario's object of the JSON report. */
void hh_report_json_case(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c);

/* report.c: every report the command line asked for, and where each goes. */
struct hh_reports;
/* Notes where each report goes; an output file that cannot be written is said at once
 * (returns 2, and the other reports still go on), so a CI job learns it before the run. */
int hh_reports_open(struct hh_reports **out, const struct hh_cli *cli);
void hh_reports_begin(struct hh_reports *r, const struct hh_suite *s);
/* Case `index` has its verdict: streams it to stdout and into the text and TAP files. */
void hh_reports_case(struct hh_reports *r, const struct hh_suite *s, size_t index);
/* Summary, JUnit and JSON; writes every file. Returns 0, or 2 when a file was not written. */
int hh_reports_end(struct hh_reports *r, const struct hh_suite *s);
void hh_reports_free(struct hh_reports *r);

#endif
