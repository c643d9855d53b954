/* diag.h - diagnostics about user input: file, place, message; collected, never printed.
 *
 * Libraries fill a caller-owned struct hh_diags; only the CLI prints them, as
 * FILE:LINE:COL: error: PATH: MESSAGE. A diagnostic without a line has line 0.
 */
#ifndef HH_SCENARIO_DIAG_H
#define HH_SCENARIO_DIAG_H

#include <stddef.h>

#include <hh/hh.h>

#define HH_DIAG_MAX 32 /* more than this many errors in one file are counted, not kept */

struct hh_diag {
    char file[512];
    int line; /* 1-based; 0 when unknown */
    int col;  /* 1-based byte column; 0 when unknown */
    char path[160]; /* JSON path such as "steps[2].expect[0].status", or "" */
    char msg[640];
};

struct hh_diags {
    struct hh_diag items[HH_DIAG_MAX];
    size_t n;       /* kept */
    size_t dropped; /* found beyond HH_DIAG_MAX */
};

void hh_diags_init(struct hh_diags *d);
void hh_diags_add(struct hh_diags *d, const char *file, int line, int col, const char *path,
                  const char *fmt, ...) HH_PRINTF(6, 7);
/* One diagnostic as "file:line:col: error: path: msg" (parts that are unknown left out). */
const char *hh_diag_format(const struct hh_diag *g, char *buf, size_t len);

#endif
