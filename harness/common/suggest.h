/* suggest.h - "did you mean": the closest of a set of known words to a misspelled one.
 *
 * Pure string code shared by the scenario parser (keys, object names, enum values), the
 * status table and the CLI. Candidates are offered one at a time, so they can come from any
 * table; nothing is allocated and nothing is kept beyond the caller's struct.
 */
#ifndef HH_COMMON_SUGGEST_H
#define HH_COMMON_SUGGEST_H

#include <stddef.h>

#define HH_SUGGEST_MAX_LEN 64 /* words longer than this get no suggestion */

struct hh_suggest {
    const char *text; /* the misspelled word */
    const char *best; /* the closest candidate so far, or NULL */
    size_t best_distance;
};

/* Edit distance (optimal string alignment: insert, delete, substitute, swap two neighbours),
 * ignoring ASCII case and taking o for 0 and l or i for 1; (size_t)-1 when either word is
 * longer than HH_SUGGEST_MAX_LEN. */
size_t hh_edit_distance(const char *a, const char *b);

void hh_suggest_init(struct hh_suggest *s, const char *text);
/* Considers one candidate (the first of equally close ones wins); a candidate that text
 * begins counts as close. The candidate's storage must outlive the struct. */
void hh_suggest_offer(struct hh_suggest *s, const char *candidate);
/* The closest candidate close enough to be a likely misspelling, or NULL. */
const char *hh_suggest_result(const struct hh_suggest *s);
/* The closest of a NULL-terminated list, or NULL. */
const char *hh_suggest_from(const char *text, const char *const *candidates);

#endif
