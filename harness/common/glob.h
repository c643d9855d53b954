/* glob.h - shell-style wildcard matching: '*' any run of characters, '?' any one.
 *
 * Pure string code, shared by the status table (invariants' status patterns) and the CLI
 * (--filter). No character classes, no escapes: every other character stands for itself.
 */
#ifndef HH_COMMON_GLOB_H
#define HH_COMMON_GLOB_H

/* Whether the whole of text matches pattern. */
int hh_glob_match(const char *pattern, const char *text);

#endif
