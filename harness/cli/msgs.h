/* msgs.h - the only writer of the CLI's diagnostics (stderr), its reports (stdout and report
 * files) and the progress line on a terminal.
 *
 * Errors say what happened, where, and what to do. Usage errors end with a --help hint.
 * While problems are being collected, every error is also kept, so that the reports written
 * at the end can say why the suite did not run as asked.
 */
#ifndef HH_CLI_MSGS_H
#define HH_CLI_MSGS_H

#include <stddef.h>
#include <stdio.h>

#include <hh/hh.h>

#include "scenario/diag.h"

/* "hotswap-harness: error: ..." on stderr. */
void hh_msg_error(const char *fmt, ...) HH_PRINTF(1, 2);
/* "hotswap-harness: note: ..." on stderr: worth knowing, not an error. */
void hh_msg_note(const char *fmt, ...) HH_PRINTF(1, 2);
/* "hotswap-harness: warning: ..." on stderr: probably a mistake, though the command goes on. */
void hh_msg_warning(const char *fmt, ...) HH_PRINTF(1, 2);
/* An error in how the command was called; adds "try 'hotswap-harness --help'". */
void hh_msg_usage(const char *fmt, ...) HH_PRINTF(1, 2);
/* Every diagnostic, one per line, GCC style, and a count of those dropped. */
void hh_msg_diags(const struct hh_diags *d);
/* Report text on stdout. */
void hh_msg_out(const char *fmt, ...) HH_PRINTF(1, 2);
/* Report text on stdout, as it is, flushed at once. */
void hh_msg_write(const char *data, size_t len);

/* Keeps a copy of every error and diagnostic from now on (call from one thread). */
void hh_msg_collect_problems(void);
/* What was kept, one line each; valid until hh_msg_free_problems. */
const char *const *hh_msg_problems(size_t *n);
void hh_msg_free_problems(void);

/* A line on stderr that the next one replaces, for a terminal; any other output first
 * clears it. hh_msg_progress_end clears it for good. */
void hh_msg_progress(const char *fmt, ...) HH_PRINTF(1, 2);
void hh_msg_progress_end(void);

/* Whether a report file can be created at path (tried with a temporary file beside it,
 * which is removed). 0, or -1 with the reason in err. */
int hh_msg_probe_file(const char *path, char *err, size_t errlen);
/* Writes a report file whole or not at all: a temporary file beside it, then a rename over
 * it. 0, or -1 with the reason in err (the old file, if any, is left as it was). */
int hh_msg_write_file(const char *path, const char *data, size_t len, char *err,
                      size_t errlen);

#endif
