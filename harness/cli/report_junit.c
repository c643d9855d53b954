/* report_junit.c - JUnit XML as GitHub Actions reporters, GitLab CI and Jenkins read it:
 * <testsuites>/<testsuite>/<testcase> with counts, a time per scenario in seconds, and for a
 * failure a <failure> with the headline as its message and the full account as its text.
 *
 * A routine's failure (an expectation, a contract check, a crash, a hang) is a <failure>; a
 * scenario that could not be run, or a problem that kept the suite from running, an <error>.
 */
#include <string.h>
#include <time.h>

#include "report.h"
#include "timeline.h"

/* The classname: the scenario's folder as given, dotted ("scenarios/ok" -> "scenarios.ok"),
 * which Jenkins shows as a package and GitLab as the suite. */
static void classname(struct hh_buf *b, const char *file)
{
    const char *end = file + strlen(file), *p = file;
    struct hh_buf dotted;
    while (end > file && end[-1] != '/' && end[-1] != '\\')
        end--;
    while (end > file && (end[-1] == '/' || end[-1] == '\\'))
        end--;
    /* Leading "./", "../" and "/" say nothing about the suite. */
    while (p < end && (*p == '.' || *p == '/' || *p == '\\'))
        p++;
    if (p >= end) {
        hh_buf_puts(b, "hotswap-harness");
        return;
    }
    hh_buf_init(&dotted);
    for (; p < end; p++)
        hh_buf_put(&dotted, *p == '/' || *p == '\\' ? "." : p, 1);
    hh_buf_xml(b, dotted.data);
    hh_buf_free(&dotted);
}

static void testcase(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c)
{
    struct hh_buf account;
    hh_buf_puts(b, "    <testcase classname=\"");
    classname(b, c->file);
    hh_buf_puts(b, "\" name=\"");
    hh_buf_xml(b, c->sc->name);
    hh_buf_puts(b, "\" file=\"");
    hh_buf_xml(b, c->file);
    hh_buf_printf(b, "\" time=\"%.6f\"", c->seconds);
    if (c->res.outcome == HH_PLAY_PASS && !c->output && !s->cli->timeline) {
        hh_buf_puts(b, "/>\n");
        return;
    }
    hh_buf_puts(b, ">\n");
    if (c->res.outcome != HH_PLAY_PASS) {
        int failure = c->res.outcome == HH_PLAY_FAIL;
        hh_buf_init(&account);
        hh_report_account(&account, s, c);
        hh_buf_printf(b, "      <%s message=\"", failure ? "failure" : "error");
        if (failure)
            hh_buf_xml(b, c->res.headline ? c->res.headline : "failed");
        else
            hh_buf_puts(b, "the scenario could not be run");
        hh_buf_printf(b, "\" type=\"%s\">",
                      failure ? hh_rule_name(c->res.rule) : "could-not-run");
        hh_buf_xml(b, account.data);
        hh_buf_printf(b, "</%s>\n", failure ? "failure" : "error");
        hh_buf_free(&account);
    }
    if (c->output || s->cli->timeline) {
        hh_buf_puts(b, "      <system-out>");
        hh_buf_xml(b, c->output);
        if (s->cli->timeline) {
            /* The attachment line Jenkins' JUnit Attachments plugin and GitLab read. */
            struct hh_buf path;
            hh_buf_init(&path);
            hh_timeline_page_path(&path, s, (size_t)(c - s->cases));
            hh_buf_puts(b, c->output && c->output[0] ? "\n[[ATTACHMENT|" : "[[ATTACHMENT|");
            hh_buf_xml(b, path.data);
            hh_buf_puts(b, "]]");
            hh_buf_free(&path);
        }
        hh_buf_puts(b, "</system-out>\n");
    }
    hh_buf_puts(b, "    </testcase>\n");
}

/* A problem that kept the suite from running as asked, as an errored test case, so that a
 * CI job that reads only this file still sees it. */
static void problem(struct hh_buf *b, size_t i, const char *text)
{
    hh_buf_printf(b, "    <testcase classname=\"hotswap-harness\" name=\"problem %lu\" "
                     "time=\"0\">\n      <error message=\"",
                  (unsigned long)i + 1);
    hh_buf_xml(b, text);
    hh_buf_puts(b, "\" type=\"input\">");
    hh_buf_xml(b, text);
    hh_buf_puts(b, "</error>\n    </testcase>\n");
}

static void counts(struct hh_buf *b, const struct hh_suite *s)
{
    hh_buf_printf(b, " tests=\"%lu\" failures=\"%lu\" errors=\"%lu\" skipped=\"0\" time=\"%.3f\"",
                  (unsigned long)(s->ndone + s->nproblems), (unsigned long)s->failed,
                  (unsigned long)(s->errors + s->nproblems), s->seconds);
}

void hh_report_junit(struct hh_buf *b, const struct hh_suite *s)
{
    char stamp[32] = "1970-01-01T00:00:00";
    time_t now = time(NULL);
    const struct tm *utc = gmtime(&now);
    size_t i;
    if (utc)
        strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", utc);
    hh_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    hh_buf_puts(b, "<testsuites name=\"hotswap-harness\"");
    counts(b, s);
    hh_buf_puts(b, ">\n  <testsuite name=\"hotswap-harness\"");
    counts(b, s);
    hh_buf_printf(b, " timestamp=\"%s\">\n", stamp);
    hh_buf_printf(b, "    <properties>\n"
                     "      <property name=\"harness\" value=\"%s\"/>\n"
                     "      <property name=\"jobs\" value=\"%u\"/>\n"
                     "      <property name=\"isolated\" value=\"%s\"/>\n",
                  HH_VERSION_STRING, s->jobs, s->isolated ? "true" : "false");
    if (s->cli->nshards)
        hh_buf_printf(b, "      <property name=\"shard\" value=\"%u/%u\"/>\n", s->cli->shard,
                      s->cli->nshards);
    hh_buf_puts(b, "    </properties>\n");
    for (i = 0; i < s->nproblems; i++)
        problem(b, i, s->problems[i]);
    for (i = 0; i < s->ndone; i++)
        testcase(b, s, &s->cases[i]);
    hh_buf_puts(b, "  </testsuite>\n</testsuites>\n");
}
