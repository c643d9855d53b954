/* status.h - NTSTATUS names and numbers, and when a wait returns each one.
 *
 * Pure data shared by the parser, the engine's reports and the CLI. A value has one
 * canonical name (0 is STATUS_WAIT_0, 0x80 STATUS_ABANDONED_WAIT_0); aliases such as
 * STATUS_SUCCESS and STATUS_ABANDONED are accepted wherever a name is read.
 */
#ifndef HH_COMMON_STATUS_H
#define HH_COMMON_STATUS_H

#include <stddef.h>

#include <hotswap/wdm.h>

/* A name ("STATUS_WAIT_3", "STATUS_SUCCESS") or a number ("0x102", "258", "-1073741823"). */
int hh_status_parse(const char *text, NTSTATUS *out);
/* The canonical name, or "0x%08X" for an unnamed value; returns buf. */
const char *hh_status_name(NTSTATUS s, char *buf, size_t len);
/* One or two sentences on when a wait returns s; for a named status no wait returns
 * (STATUS_KERNEL_APC, the errors), why not. NULL for a value without a name. */
const char *hh_status_when(NTSTATUS s);
/* Whether KeWaitForMultipleObjects can return s to its caller: STATUS_WAIT_n,
 * STATUS_ABANDONED_WAIT_n, STATUS_USER_APC, STATUS_ALERTED, STATUS_TIMEOUT. */
int hh_status_wait_returns(NTSTATUS s);
/* Whether s has a name or alias that matches pattern ('*' matches any run, '?' one char),
 * or pattern is a number equal to s. */
int hh_status_match(const char *pattern, NTSTATUS s);
/* The distinct values for which hh_status_match(pattern, s) holds, written to out (at most
 * cap); returns how many there are. A run matches each invocation against this short list
 * instead of the pattern against every name. */
size_t hh_status_pattern_values(const char *pattern, NTSTATUS *out, size_t cap);
/* Whether text is a valid pattern: a number, or a glob matching at least one known name. */
int hh_status_pattern_valid(const char *pattern);
/* The closest known status name to a misspelled one, or NULL. */
const char *hh_status_suggest(const char *text);

#endif
