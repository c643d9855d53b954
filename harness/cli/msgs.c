/* msgs.c - the CLI's one writer of messages: errors and diagnostics to stderr, reports to
 * stdout. Nothing else in the harness prints. */
#include "msgs.h"

#include <stdarg.h>

void hh_msg_error(const char *fmt, ...)
{
    va_list ap;
    fputs("hotswap-harness: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
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
    for (i = 0; i < d->n; i++)
        fprintf(stderr, "%s\n", hh_diag_format(&d->items[i], line, sizeof(line)));
    if (d->dropped)
        fprintf(stderr, "hotswap-harness: %lu more error%s not shown\n",
                (unsigned long)d->dropped, d->dropped == 1 ? "" : "s");
}

void hh_msg_out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}
