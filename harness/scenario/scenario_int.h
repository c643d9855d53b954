/* scenario_int.h - what the scenario parser's own files share and nobody else may call.
 *
 * One struct hh__sc_parser carries the file, the diagnostics, the positions and the
 * scenario being filled. The readers below check one JSON member each against the format
 * (docs/scenario-format.md), report what is wrong with its place and path, and go on, so
 * that one pass finds every error.
 */
#ifndef HH_SCENARIO_SCENARIO_INT_H
#define HH_SCENARIO_SCENARIO_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "jsonpos.h"
#include "scenario.h"

#define HH_SC_PATH_LEN 160 /* as struct hh_diag's path */
#define HH_SC_NONE ((size_t)-1)
#define HH_SC_NAME_MAX 63 /* bytes in an object or thread name */
#define HH_SC_WORKERS_MAX 64 /* the highest worker number a scenario may name */

/* What a reader found: the member is absent, valid, or wrong (already reported). */
#define HH_SC_ABSENT 0
#define HH_SC_OK 1
#define HH_SC_BAD (-1)

struct hh__sc_parser {
    const char *file;
    struct hh_diags *diags;
    const struct hh_jsonpos *json;
    struct hh_scenario *sc;
    size_t errors;
    int objects_ok; /* "objects" is an array: an unknown object name is an error */
    int wait_ok;    /* sc->wait holds what the file says */
    int64_t clock;  /* while reading steps: the virtual time reached so far */
    size_t clock_step; /* the step that last moved the clock, or HH_SC_NONE */
    int true_means_default;  /* HH_TRUE_MEANS_*, or HH_TRUE_MEANS_UNSET */
    int in_steps;   /* reading steps: a driver-mode "worker.events[N]" adds an object */
    const cJSON *misspelled; /* the last object with an unknown key: a missing key there is
                                probably that key misspelled, and is not reported again */
};

/* Scans and builds the tree; NULL after reporting a syntax error (scenario.c). */
cJSON *hh__sc_parse_json(const char *file, const char *text, size_t len,
                         struct hh_jsonpos *json, struct hh_diags *diags);

/* ---- Reporting (scenario_read.c) ------------------------------------------------------- */
/* An error at node's value, or at its key. */
void hh__sc_error(struct hh__sc_parser *p, const cJSON *node, const char *path, const char *fmt,
                  ...) HH_PRINTF(4, 5);
void hh__sc_key_error(struct hh__sc_parser *p, const cJSON *node, const char *path,
                      const char *fmt, ...) HH_PRINTF(4, 5);
/* "parent.key" and "parent[i]" into buf (HH_SC_PATH_LEN bytes). */
const char *hh__sc_path_key(char *buf, const char *parent, const char *key);
const char *hh__sc_path_index(char *buf, const char *parent, size_t i);
/* text in double quotes, cut to fit and with control characters shown as '?'. */
const char *hh__sc_quote(const char *text, char *buf, size_t len);
/* "the string \"x\"", "the number 5", "an object", ... */
const char *hh__sc_describe(const cJSON *v, char *buf, size_t len);
/* "a, b and c" with last = " and ", "a, b or c" with last = " or ". */
const char *hh__sc_join_words(const char *const *words, size_t n, const char *last, char *buf,
                              size_t len);
/* "; did you mean \"x\"?" when one name is close, else "; expected one of: \"a\", ...".
 * names may hold NULLs (skipped). */
const char *hh__sc_alternatives(const char *text, const char *const *names, size_t n,
                                char *buf, size_t len);

/* ---- Structure ------------------------------------------------------------------------- */
/* The member of obj called key (case-sensitive), or NULL. */
const cJSON *hh__sc_member(const cJSON *obj, const char *key);
/* How many elements or members a container has. */
size_t hh__sc_count(const cJSON *container);
/* Whether key is in the NULL-terminated list names. */
int hh__sc_listed(const char *key, const char *const *names);
/* Whether node is an object; reports it when not. */
int hh__sc_is_object(struct hh__sc_parser *p, const cJSON *node, const char *path,
                     const char *what);
/* Reports every key of obj not in the NULL-terminated list allowed. */
void hh__sc_check_keys(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                       const char *const *allowed);
/* Reports a required member that is missing (unless obj has an unknown key); returns it
 * otherwise. */
const cJSON *hh__sc_required(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                             const char *key, const char *what);
/* Reports every object in the tree that has a key twice. */
void hh__sc_check_duplicate_keys(struct hh__sc_parser *p, const cJSON *node);
/* A copy of s that the scenario owns; NULL and an error when memory runs out. */
char *hh__sc_strdup(struct hh__sc_parser *p, const char *s);
/* Allocates n zeroed elements (at least one); NULL and an error when memory runs out. */
void *hh__sc_calloc(struct hh__sc_parser *p, size_t n, size_t size);

/* ---- Values (return HH_SC_ABSENT / _OK / _BAD) ------------------------------------------ */
int hh__sc_string(struct hh__sc_parser *p, const cJSON *obj, const char *path, const char *key,
                  char **out);
/* A non-empty string; `what` says what it is ("the module"). */
int hh__sc_text_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                      const char *what, char **out);
/* A non-empty name of at most HH_SC_NAME_MAX bytes; `what` says whose ("an object name"). */
int hh__sc_name_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                      const char *what, char **out);
/* A thread name: a name that is not "worker". */
int hh__sc_thread_value(struct hh__sc_parser *p, const cJSON *v, const char *path, char **out);
/* obj's "worker" (absent: *w unchanged): a worker's number or its routine's exported name. */
void hh__sc_read_worker_ref(struct hh__sc_parser *p, const cJSON *obj, const char *path,
                            struct hh_sc_worker_ref *w);
int hh__sc_bool(struct hh__sc_parser *p, const cJSON *obj, const char *path, const char *key,
                int *out);
int hh__sc_integer_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                         long long min, long long max, long long *out);
int hh__sc_integer(struct hh__sc_parser *p, const cJSON *obj, const char *path, const char *key,
                   long long min, long long max, long long *out);
/* One of the NULL-terminated names; *out is its index. */
int hh__sc_choice(struct hh__sc_parser *p, const cJSON *obj, const char *path, const char *key,
                  const char *const *names, int *out);
int hh__sc_duration_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                          int64_t *ticks);
/* A duration (relative) or { "absolute": DURATION }. */
int hh__sc_due_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                     struct hh_sc_timeout *out);
/* A timer period: a duration in whole milliseconds up to MAXLONG. */
int hh__sc_period(struct hh__sc_parser *p, const cJSON *obj, const char *path, LONG *ms);
/* A status by name or number. */
int hh__sc_status_value(struct hh__sc_parser *p, const cJSON *v, const char *path,
                        NTSTATUS *out);
/* The object a name refers to, an alias resolved to the object it repeats; HH_SC_NONE when
 * unknown (reported) or not a string (reported). */
size_t hh__sc_object_ref(struct hh__sc_parser *p, const cJSON *v, const char *path);
/* The same for an object member whose key is the name (reported at the key). */
size_t hh__sc_object_key(struct hh__sc_parser *p, const cJSON *member_node, const char *path);
/* "continue", "terminate": index + 1 is HH_DECISION_*. */
extern const char *const hh__sc_decision_names[];

/* ---- Sections -------------------------------------------------------------------------- */
void hh__sc_read_objects(struct hh__sc_parser *p, const cJSON *root);       /* scenario_objects.c */
void hh__sc_check_objects_against_wait(struct hh__sc_parser *p, const cJSON *root);
const char *hh__sc_type_name(int type);
void hh__sc_read_steps(struct hh__sc_parser *p, const cJSON *root);         /* scenario_steps.c */
/* scenario_driver.c: "driver", and the keys that only routine mode takes refused beside it. */
void hh__sc_read_driver(struct hh__sc_parser *p, const cJSON *root);
/* scenario_call.c: v is the "call" value at path; step_node the step at step_path; ranges:
 * arguments may be { "min", "max" } ranges (fuzz calls). */
void hh__sc_read_call(struct hh__sc_parser *p, const cJSON *v, const cJSON *step_node,
                      const char *path, const char *step_path, int ranges,
                      struct hh_sc_step *step);
/* scenario_fuzz.c: "fuzz": { "calls": [...] }. */
void hh__sc_read_fuzz(struct hh__sc_parser *p, const cJSON *root);
void hh__sc_read_expect(struct hh__sc_parser *p, const cJSON *v, const char *path,
                        struct hh_sc_step *step, int64_t from, int64_t to); /* scenario_expect.c */
void hh__sc_read_then(struct hh__sc_parser *p, const cJSON *v, const char *path,
                      struct hh_sc_then *then);

#endif
