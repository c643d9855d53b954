/* msgs.c - the CLI's one writer: errors and diagnostics to stderr, reports to stdout and to
 * report files (whole or not at all), the progress line on a terminal. Nothing else in the
 * harness prints.
 */
#include "msgs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"

/* ---- Problems kept for the reports -------------------------------------------------------- */

static struct {
    int on;
    char **lines;
    size_t n, cap;
} problems;

static void keep_problem(const char *line)
{
    size_t n = strlen(line);
    char *copy;
    if (!problems.on)
        return;
    if (problems.n == problems.cap) {
        size_t cap = problems.cap ? problems.cap * 2 : 8;
        char **grown = realloc(problems.lines, cap * sizeof(*grown));
        if (!grown)
            return;
        problems.lines = grown;
        problems.cap = cap;
    }
    copy = malloc(n + 1);
    if (!copy)
        return;
    memcpy(copy, line, n + 1);
    problems.lines[problems.n++] = copy;
}

void hh_msg_collect_problems(void)
{
    problems.on = 1;
}

const char *const *hh_msg_problems(size_t *n)
{
    *n = problems.n;
    return (const char *const *)problems.lines;
}

void hh_msg_free_problems(void)
{
    size_t i;
    for (i = 0; i < problems.n; i++)
        free(problems.lines[i]);
    free(problems.lines);
    memset(&problems, 0, sizeof(problems));
}

/* ---- The progress line ---------------------------------------------------------------------- */

static int progress_shown;

static void clear_progress(void)
{
    if (!progress_shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    progress_shown = 0;
}

void hh_msg_progress(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("\r\033[K", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    progress_shown = 1;
}

void hh_msg_progress_end(void)
{
    clear_progress();
}

/* ---- stderr ------------------------------------------------------------------------------- */

static void error_line(const char *prefix, int keep, const char *fmt, va_list ap)
    HH_PRINTF(3, 0);

static void error_line(const char *prefix, int keep, const char *fmt, va_list ap)
{
    char line[2048];
    vsnprintf(line, sizeof(line), fmt, ap);
    clear_progress();
    fprintf(stderr, "hotswap-harness: %s%s\n", prefix, line);
    if (keep)
        keep_problem(line);
}

void hh_msg_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_line("error: ", 1, fmt, ap);
    va_end(ap);
}

void hh_msg_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_line("note: ", 0, fmt, ap);
    va_end(ap);
}

void hh_msg_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_line("warning: ", 0, fmt, ap);
    va_end(ap);
}

void hh_msg_usage(const char *fmt, ...)
{
    va_list ap;
    fputs("hotswap-harness: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'hotswap-harness --help' for more information.\n", stderr);
}

void hh_msg_diags(const struct hh_diags *d)
{
    char line[1600];
    size_t i;
    clear_progress();
    for (i = 0; i < d->n; i++) {
        fprintf(stderr, "%s\n", hh_diag_format(&d->items[i], line, sizeof(line)));
        keep_problem(line);
    }
    if (d->dropped) {
        snprintf(line, sizeof(line), "%lu more error%s not shown", (unsigned long)d->dropped,
                 d->dropped == 1 ? "" : "s");
        fprintf(stderr, "hotswap-harness: %s\n", line);
        keep_problem(line);
    }
}

/* ---- stdout ------------------------------------------------------------------------------- */

void hh_msg_out(const char *fmt, ...)
{
    va_list ap;
    clear_progress();
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void hh_msg_write(const char *data, size_t len)
{
    clear_progress();
    if (len)
        fwrite(data, 1, len, stdout);
    fflush(stdout);
}

/* ---- Report files ------------------------------------------------------------------------- */

/* "<path>.<n>.tmp" beside the report, so that the rename never crosses file systems. */
static char *temp_name(const char *path)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (tmp)
        snprintf(tmp, n, "%s.%08lx.tmp",
                 path, (unsigned long)(hh_plat_monotonic_ns() & 0xFFFFFFFFu));
    return tmp;
}

static int write_all(const char *tmp, const char *data, size_t len, char *err, size_t errlen)
{
    FILE *f = fopen(tmp, "wb");
    int failed;
    if (!f) {
        snprintf(err, errlen, "cannot create a file there: %s", strerror(errno));
        return -1;
    }
    failed = len && fwrite(data, 1, len, f) != len;
    failed |= fflush(f) != 0;
    if (failed)
        snprintf(err, errlen, "cannot write it: %s", strerror(errno));
    if (fclose(f) != 0 && !failed) {
        snprintf(err, errlen, "cannot write it: %s", strerror(errno));
        failed = 1;
    }
    return failed ? -1 : 0;
}

int hh_msg_probe_file(const char *path, char *err, size_t errlen)
{
    char *tmp = temp_name(path);
    int rc;
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (hh_plat_path_kind(path) == HH_PLAT_DIR) {
        snprintf(err, errlen, "it is a folder; name a file");
        free(tmp);
        return -1;
    }
    rc = write_all(tmp, "", 0, err, errlen);
    if (rc == 0)
        remove(tmp);
    free(tmp);
    return rc;
}

int hh_msg_write_file(const char *path, const char *data, size_t len, char *err,
                      size_t errlen)
{
    char *tmp = temp_name(path);
    int rc;
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rc = write_all(tmp, data, len, err, errlen);
    if (rc == 0)
        rc = hh_plat_replace_file(tmp, path, err, errlen);
    if (rc != 0)
        remove(tmp);
    free(tmp);
    return rc;
}
