/* timeline.h (cli) - a run's timeline as reports carry it: JSON data (the report's "timeline"
 * field, docs/reports.md) and its drawing, an SVG inside one self-contained HTML page per
 * scenario, and an index page for a suite. Any command with played cases can draw them.
 */
#ifndef HH_CLI_TIMELINE_H
#define HH_CLI_TIMELINE_H

#include "buf.h"
#include "report.h"

/* timeline_json.c: the case's "timeline" object, or null when none was recorded. */
void hh_timeline_json(struct hh_buf *b, const struct hh_case *c);

/* timeline_svg.c: the picture, an <svg> element. */
void hh_timeline_svg(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c);

/* timeline_page.c: "PASS", "FAIL" or "ERROR". */
const char *hh_timeline_verdict(const struct hh_case *c);
/* The page of one case: its SVG, the failure's account beside it, its data
 * (the JSON report's scenario object) and a script that checks the drawing against it. */
void hh_timeline_page(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c);
/* Writes the timelines of the suite's cases at path: one page when there is one case, else a
 * folder with one page per case and index.html. Returns 0, or 2 after saying why not. */
int hh_timeline_write(const char *path, const struct hh_suite *s);
/* Where hh_timeline_write puts case `index`'s page, into b (for JUnit's attachments). */
void hh_timeline_page_path(struct hh_buf *b, const struct hh_suite *s, size_t index);

#endif
