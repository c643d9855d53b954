/* schedule.h - a schedule as a person reads and edits it: the thread run at each scheduling
 * point, in runs of the same thread, e.g.
 *
 *     worker x3, producer, worker x2
 *
 * Items are separated by commas; whitespace and line breaks between tokens are free. A
 * thread is named by the name the run gives it, or "#N" for the thread of id N (creation
 * order). A name is made of letters, digits and _ . : # / - [ ]; "xN" after it (N from 1 to
 * HH_EX_SCHEDULE_MAX_COUNT) repeats it N times. Empty text is the empty schedule.
 */
#ifndef HH_EXPLORE_SCHEDULE_H
#define HH_EXPLORE_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#define HH_EX_SCHEDULE_MAX_COUNT 1000000ul
#define HH_EX_SCHEDULE_MAX_POINTS 16777216ul
#define HH_EX_SCHEDULE_MAX_NAME 63

struct hh_ex_schedule_item {
    const char *name;
    unsigned long count;
    unsigned line, col; /* where the item starts in the parsed text (1-based; 0: not parsed) */
};

struct hh_ex_schedule {
    struct hh_ex_schedule_item *items;
    size_t n_items;
    unsigned long n_points; /* the sum of the counts */
    char *names;            /* storage of the items' names */
};

/* Parses text (len bytes, need not end in NUL). 0 and *out, or -1 and a message in err that
 * says where ("schedule:LINE:COL: ...") and what is expected. */
int hh_ex_schedule_parse(const char *text, size_t len, struct hh_ex_schedule **out, char *err,
                         size_t err_size);
/* The schedule of a run's choices (hh_ex_trace); names[id] names thread id when id <
 * n_names and the name is a valid name, else "#id". NULL only when memory runs out. */
struct hh_ex_schedule *hh_ex_schedule_from_trace(const uint8_t *ids, size_t n,
                                                 const char *const *names, unsigned n_names);
/* The text form, one line, malloc'd; parsing it gives the same schedule. */
char *hh_ex_schedule_format(const struct hh_ex_schedule *sc);
void hh_ex_schedule_free(struct hh_ex_schedule *sc);

/* Is c a character of a thread name. */
int hh_ex_schedule_name_char(int c);

#endif
