/* runner_wire.h - the records an isolated child writes on stdout for its parent: how far the
 * run got, each invocation as it returns, and the verdict.
 *
 * Both ends are this same executable, so the format is internal, not a contract. A record is
 * one line starting with HH_WIRE_MARK; whatever else the process writes (a routine's printf,
 * an abort message, a sanitizer report) is kept apart as its output.
 */
#ifndef HH_CLI_RUNNER_WIRE_H
#define HH_CLI_RUNNER_WIRE_H

#include <stddef.h>

#include "buf.h"
#include "platform/plat.h"
#include "play/play.h"

#define HH_WIRE_MARK "\036hh " /* ASCII RS: nothing prints it by accident */

/* Child side: one record, as a line, appended to b. A child that plays several files, each
 * in a forked copy of itself, brackets each one's records between begin and end; end says
 * how that copy ended (or, with error set, why it could not be started) and how long it
 * took. */
void hh_wire_at(struct hh_buf *b, enum hh_play_phase phase, size_t step);
void hh_wire_invocation(struct hh_buf *b, const struct hh_play_invocation *inv);
void hh_wire_result(struct hh_buf *b, const struct hh_play_result *res);
/* The timeline's events from `from` on, one record each; returns how many are sent now. */
size_t hh_wire_timeline(struct hh_buf *b, const struct hh_timeline *tl, size_t from);
void hh_wire_begin(struct hh_buf *b, size_t index);
void hh_wire_end(struct hh_buf *b, const struct hh_plat_proc_result *r, const char *error,
                 double seconds);

/* Parent side: what a child's output said. */
struct hh_wire_read {
    int have_at;              /* a record said how far it got */
    enum hh_play_phase phase; /* the last one */
    size_t step;
    int have_result;
    struct hh_play_result res; /* the invocations records, and the verdict when it came */
    int have_end;              /* an end record: how the forked copy ended */
    struct hh_plat_proc_result end;
    char end_error[200];       /* it could not be started: why */
    double seconds;
    struct hh_buf other;       /* everything that was not a record */
};

/* Reads one file's records (a child's whole output, or one part of it) into w (free w->res
 * with hh_play_result_free and w->other with hh_buf_free). Returns 0, or -1 when out of
 * memory. */
int hh_wire_read(const char *output, size_t len, struct hh_wire_read *w);

/* Where each file's part of a child's output starts: starts[i] for the file of begin record
 * i (up to max), each part running to the next one. Returns how many begin records there
 * are; 0 for a child that plays one file without them. */
size_t hh_wire_parts(const char *output, size_t len, size_t *starts, size_t max);

#endif
