/* jsonpos.h - where each JSON value stands in its text, which cJSON does not record.
 *
 * One strict scan (RFC 8259, plus the limits the parser sets) runs before cJSON sees the
 * bytes: it finds syntax errors with their line and column, and records the position of
 * every value and object key in document order. Binding the scan to the cJSON tree that the
 * same bytes produce (a preorder walk lines up with document order) then answers "where is
 * this node?" for every later diagnostic.
 */
#ifndef HH_SCENARIO_JSONPOS_H
#define HH_SCENARIO_JSONPOS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "scenario.h"

#define HH_JSON_MAX_DEPTH 64 /* objects and arrays nested deeper are a syntax error */

struct hh_json_mark {
    struct hh_pos value; /* the value's first byte */
    struct hh_pos key;   /* its key's opening quote when it is an object member, else 0:0 */
};

struct hh_json_node; /* node address -> mark, sorted by address */

struct hh_jsonpos {
    struct hh_json_mark *marks; /* one per value, in document order */
    size_t n;
    size_t cap;
    struct hh_json_node *nodes; /* filled by hh_jsonpos_bind */
    size_t nnodes;
};

struct hh_json_error {
    struct hh_pos pos;
    char msg[200];
};

void hh_jsonpos_init(struct hh_jsonpos *jp);
void hh_jsonpos_free(struct hh_jsonpos *jp);

/* Scans len bytes (no NUL needed; a leading UTF-8 BOM must already be skipped). Returns 0,
 * or -1 with the first syntax error in *err. Running out of memory is reported there too. */
int hh_jsonpos_scan(struct hh_jsonpos *jp, const char *text, size_t len,
                    struct hh_json_error *err);

/* Ties the marks to the tree cJSON built from the same bytes. Returns -1 when the tree does
 * not line up with the scan (then no position is known) or memory runs out. */
int hh_jsonpos_bind(struct hh_jsonpos *jp, const cJSON *root);

/* Where node, or its key, stands; 0:0 when unknown. */
struct hh_pos hh_jsonpos_value(const struct hh_jsonpos *jp, const cJSON *node);
struct hh_pos hh_jsonpos_key(const struct hh_jsonpos *jp, const cJSON *node);

#endif
