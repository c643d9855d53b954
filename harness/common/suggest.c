/* suggest.c - edit distance and the "did you mean" choice.
 *
 * Owns nothing but the arithmetic: callers decide which words are candidates. Distances
 * ignore ASCII case and letters that look like digits, so "Expect" suggests "expect",
 * "status_timeout" "STATUS_TIMEOUT" and "STATUS_WAIT_l" "STATUS_WAIT_1".
 */
#include "suggest.h"

#include <string.h>

static int fold(char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (char)(c - 'A' + 'a');
    if (c == 'o')
        return '0';
    if (c == 'l' || c == 'i')
        return '1';
    return c;
}

/* Whether text begins candidate, ignoring what fold() ignores. */
static int is_prefix(const char *text, const char *candidate)
{
    for (; *text; text++, candidate++) {
        if (!*candidate || fold(*text) != fold(*candidate))
            return 0;
    }
    return 1;
}

/* How far a candidate may be from the text and still be suggested. */
static size_t limit_for(const char *candidate)
{
    size_t limit = strlen(candidate) / 3;
    return limit < 1 ? 1 : limit;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t hh_edit_distance(const char *a, const char *b)
{
    /* Three rows of the classic table: two before the current one, for transpositions. */
    size_t rows[3][HH_SUGGEST_MAX_LEN + 1];
    size_t la = strlen(a), lb = strlen(b), i, j;
    if (la > HH_SUGGEST_MAX_LEN || lb > HH_SUGGEST_MAX_LEN)
        return (size_t)-1;
    for (j = 0; j <= lb; j++)
        rows[0][j] = j;
    for (i = 1; i <= la; i++) {
        size_t *cur = rows[i % 3], *prev = rows[(i - 1) % 3], *prev2 = rows[(i + 1) % 3];
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
    }
    return rows[la % 3][lb];
}

void hh_suggest_init(struct hh_suggest *s, const char *text)
{
    s->text = text;
    s->best = NULL;
    s->best_distance = (size_t)-1;
}

void hh_suggest_offer(struct hh_suggest *s, const char *candidate)
{
    size_t d = hh_edit_distance(s->text, candidate);
    size_t n = strlen(s->text);
    /* A word cut short ("unload" for "unload_old") is as close as a typo. */
    if (n >= 3 && n * 2 >= strlen(candidate) && is_prefix(s->text, candidate) &&
        d > limit_for(candidate))
        d = limit_for(candidate);
    if (d < s->best_distance) {
        s->best = candidate;
        s->best_distance = d;
    }
}

const char *hh_suggest_result(const struct hh_suggest *s)
{
    if (!s->best)
        return NULL;
    return s->best_distance <= limit_for(s->best) ? s->best : NULL;
}

const char *hh_suggest_from(const char *text, const char *const *candidates)
{
    struct hh_suggest s;
    hh_suggest_init(&s, text);
    for (; *candidates; candidates++)
        hh_suggest_offer(&s, *candidates);
    return hh_suggest_result(&s);
}
