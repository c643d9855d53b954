/* report.c - where each report goes. One report may go to stdout, streamed as verdicts come
 * in; every other is kept in memory and written to its file whole at the end (a temporary
 * file, then a rename), so a CI job never reads half a report.
 *
 * When no report goes to stdout, the human text does, so a CI log still shows the failures.
 */
#include <stdlib.h>
#include <string.h>

#include "msgs.h"
#include "platform/plat.h"
#include "report.h"

struct output {
    enum hh_format format;
    const char *path; /* NULL: stdout */
    int broken;       /* the file cannot be written: said once, at the start */
    struct hh_buf text;
};

struct hh_reports {
    struct output out[HH_CLI_MAX_REPORTS + 1];
    size_t n;
    int color; /* the text on stdout is coloured */
};

/* Colour on a terminal unless NO_COLOR is set (no-color.org); --color decides otherwise. */
static int use_color(const struct hh_cli *cli)
{
    const char *no = hh_plat_getenv("NO_COLOR");
    if (cli->color != HH_COLOR_AUTO)
        return cli->color == HH_COLOR_ALWAYS;
    return hh_plat_isatty(1) && !(no && no[0]);
}

int hh_reports_open(struct hh_reports **out, const struct hh_cli *cli)
{
    struct hh_reports *r = calloc(1, sizeof(*r));
    size_t i;
    int rc = 0, to_stdout = 0;
    char err[256];
    *out = r;
    if (!r) {
        hh_msg_error("out of memory");
        return 2;
    }
    for (i = 0; i < cli->nreports; i++) {
        struct output *o = &r->out[r->n++];
        o->format = cli->reports[i].format;
        o->path = cli->reports[i].path;
        to_stdout |= o->path == NULL;
        if (o->path && hh_msg_probe_file(o->path, err, sizeof(err)) != 0) {
            hh_msg_error("%s: cannot write the %s report: %s", o->path,
                         o->format == HH_FORMAT_JUNIT ? "JUnit"
                         : o->format == HH_FORMAT_TAP ? "TAP"
                         : o->format == HH_FORMAT_JSON ? "JSON"
                                                       : "text",
                         err);
            o->broken = 1;
            rc = 2;
        }
    }
    if (!to_stdout)
        r->out[r->n++].format = HH_FORMAT_TEXT;
    for (i = 0; i < r->n; i++) {
        if (!r->out[i].path && r->out[i].format == HH_FORMAT_TEXT)
            r->color = use_color(cli);
    }
    return rc;
}

/* Sends what a report rendered: to stdout now, or onto its file's text. */
static void emit(struct output *o, struct hh_buf *b)
{
    if (!o->path)
        hh_msg_write(b->data, b->len);
    else if (!o->broken)
        hh_buf_put(&o->text, b->data ? b->data : "", b->len);
    b->len = 0;
}

void hh_reports_begin(struct hh_reports *r, const struct hh_suite *s)
{
    struct hh_buf b;
    size_t i;
    hh_buf_init(&b);
    for (i = 0; i < r->n; i++) {
        if (r->out[i].format == HH_FORMAT_TAP) {
            hh_report_tap_begin(&b, s);
            emit(&r->out[i], &b);
        }
    }
    hh_buf_free(&b);
}

void hh_reports_case(struct hh_reports *r, const struct hh_suite *s, size_t index)
{
    struct hh_buf b;
    size_t i;
    hh_buf_init(&b);
    for (i = 0; i < r->n; i++) {
        struct output *o = &r->out[i];
        if (o->format == HH_FORMAT_TEXT)
            hh_report_text_case(&b, s, &s->cases[index], !o->path && r->color);
        else if (o->format == HH_FORMAT_TAP)
            hh_report_tap_case(&b, s, index);
        if (b.len)
            emit(o, &b);
    }
    hh_buf_free(&b);
}

int hh_reports_end(struct hh_reports *r, const struct hh_suite *s)
{
    struct hh_buf b;
    size_t i;
    int rc = 0;
    char err[256];
    hh_buf_init(&b);
    for (i = 0; i < r->n; i++) {
        struct output *o = &r->out[i];
        switch (o->format) {
        case HH_FORMAT_TEXT:
            /* Nothing ran: the errors on stderr said why, there is nothing to sum up. */
            if (s->ndone || !s->nproblems)
                hh_report_text_summary(&b, s, !o->path && r->color);
            break;
        case HH_FORMAT_TAP:
            hh_report_tap_end(&b, s);
            break;
        case HH_FORMAT_JUNIT:
            hh_report_junit(&b, s);
            break;
        case HH_FORMAT_JSON:
            hh_report_json(&b, s);
            break;
        }
        emit(o, &b);
        if (!o->path || o->broken)
            continue;
        if (o->text.failed) {
            hh_msg_error("%s: out of memory rendering the report; it was not written", o->path);
            rc = 2;
        } else if (hh_msg_write_file(o->path, o->text.data ? o->text.data : "", o->text.len,
                                     err, sizeof(err)) != 0) {
            hh_msg_error("%s: the report was not written: %s", o->path, err);
            rc = 2;
        }
    }
    hh_buf_free(&b);
    return rc;
}

void hh_reports_free(struct hh_reports *r)
{
    size_t i;
    if (!r)
        return;
    for (i = 0; i < r->n; i++)
        hh_buf_free(&r->out[i].text);
    free(r);
}
