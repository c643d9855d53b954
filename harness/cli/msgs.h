/* msgs.h - the only writer of the CLI's diagnostics (stderr) and report text (stdout).
 *
 * Errors say what happened, where, and what to do. Usage errors end with a --help hint.
 */
#ifndef HH_CLI_MSGS_H
#define HH_CLI_MSGS_H

#include <stdio.h>

#include <hh/hh.h>

#include "scenario/diag.h"

/* "hotswap-harness: error: ..." on stderr. */
void hh_msg_error(const char *fmt, ...) HH_PRINTF(1, 2);
/* An error in how the command was called; adds "try 'hotswap-harness --help'". */
void hh_msg_usage(const char *fmt, ...) HH_PRINTF(1, 2);
/* Every diagnostic, one per line, GCC style, and a count of those dropped. */
void hh_msg_diags(const struct hh_diags *d);
/* Report text on stdout. */
void hh_msg_out(const char *fmt, ...) HH_PRINTF(1, 2);

#endif
