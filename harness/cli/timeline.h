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

/* timeline_threads.c: an explored run's threads (its POINT events), by id: names[id] (NULL
 * for an id no point names); returns 1 + the highest id, 0 when the run was not explored. */
unsigned hh_tl_threads(const struct hh_timeline *tl, const char **names, unsigned max);
/* At POINT event i, the baton passed from the thread of the point before to another:
 * PREEMPTED when the strategy chose another while that thread could have gone on, HANDOFF
 * when it could not (it blocked, spun or ended). NONE anywhere else. */
enum hh_tl_switch { HH_TL_SWITCH_NONE, HH_TL_SWITCH_HANDOFF, HH_TL_SWITCH_PREEMPTED };
enum hh_tl_switch hh_tl_switch_at(const struct hh_timeline *tl, size_t i);
/* "handoff", "preempted", or NULL for NONE. */
const char *hh_tl_switch_name(enum hh_tl_switch s);

/* A driver's workers in a run where a second one was called or waited (as the reports tag
 * invocations): their numbers in numbers[], ascending, up to max; returns how many there
 * are. 0 in a run of one worker: its events carry no worker in the data, one lane draws it. */
unsigned hh_tl_workers(const struct hh_timeline *tl, unsigned *numbers, unsigned max);
/* Whether event kind k belongs to a worker (CALL, RETURN, WAIT, WAITED). */
int hh_tl_worker_event(int kind);

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
/* The timeline of one run played outside a suite (`replay`, `explore`) at cli->timeline, and
 * "timeline: PATH" said: file names it on the page, account (NULL: the result's own) is shown
 * beside the picture, crashed says the process died in it. 0, or 2 after saying why not. */
int hh_timeline_write_one(const struct hh_cli *cli, const char *file, const struct hh_scenario *sc,
                          const struct hh_play_result *res, const char *account, int crashed);
/* Where hh_timeline_write puts case `index`'s page, into b (for JUnit's attachments). */
void hh_timeline_page_path(struct hh_buf *b, const struct hh_suite *s, size_t index);

#endif
