/* buf.h - a growing string that reports are rendered into, with the escapes each format
 * needs (JSON strings, XML text, plain text for TAP/YAML and terminals).
 *
 * Rendering never fails half-way: after an allocation failure the buffer keeps what it had
 * and sets `failed`, which whoever writes it out checks once.
 */
#ifndef HH_CLI_BUF_H
#define HH_CLI_BUF_H

#include <stddef.h>

#include <hh/hh.h>

struct hh_buf {
    char *data; /* NUL-terminated when len > 0 */
    size_t len, cap;
    int failed;
};

void hh_buf_init(struct hh_buf *b);
void hh_buf_free(struct hh_buf *b);
void hh_buf_put(struct hh_buf *b, const char *s, size_t n);
void hh_buf_puts(struct hh_buf *b, const char *s);
void hh_buf_printf(struct hh_buf *b, const char *fmt, ...) HH_PRINTF(2, 3);
/* Hands the text over (NUL-terminated, never NULL unless out of memory) and empties b. */
char *hh_buf_take(struct hh_buf *b);

/* A JSON string literal, quotes included; NULL gives null. Invalid UTF-8 becomes U+FFFD. */
void hh_buf_json(struct hh_buf *b, const char *s);
/* Text for XML 1.0 content or a quoted attribute: & < > " ' escaped, characters XML cannot
 * hold written as \xNN, invalid UTF-8 as U+FFFD. NULL writes nothing. */
void hh_buf_xml(struct hh_buf *b, const char *s);
struct hh_diags;
/* Diagnostics as a JSON array of {"file", "line", "column", "path", "message"} objects (line
 * and column 0 when unknown). */
void hh_buf_json_diags(struct hh_buf *b, const struct hh_diags *d);
/* Text safe on one line of a TAP stream or in a YAML block: control characters other than
 * tab written as \xNN (and newlines too when one_line), invalid UTF-8 as U+FFFD. */
void hh_buf_plain_n(struct hh_buf *b, const char *s, size_t n, int one_line);

#endif
