/* dbgprint.c - DbgPrint and DbgPrintEx, captured into the running invocation's log.
 *
 * The text is exactly what the format produces: no prefix, no component or level, no
 * 512-byte cut (the debugger transport's limit, not the routine's), and DbgPrintEx is not
 * filtered by level, so every message a routine prints can be expected in a scenario.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "shim.h"

static ULONG capture(struct hh_engine *e, PCSTR format, va_list ap) HH_PRINTF(2, 0);
static ULONG capture(struct hh_engine *e, PCSTR format, va_list ap)
{
    char small[512];
    char *text = small;
    va_list again;
    int n;
    va_copy(again, ap);
    n = vsnprintf(small, sizeof(small), format, ap);
    if (n >= (int)sizeof(small)) {
        text = malloc((size_t)n + 1);
        if (text)
            n = vsnprintf(text, (size_t)n + 1, format, again);
    }
    va_end(again);
    if (n < 0 || !text) {
        if (text != small)
            free(text);
        return (ULONG)STATUS_UNSUCCESSFUL;
    }
    hh_engine_log(e, text, (size_t)n);
    if (text != small)
        free(text);
    return (ULONG)STATUS_SUCCESS;
}

ULONG DbgPrint(PCSTR Format, ...)
{
    struct hh_engine *e = hh_shim_enter("DbgPrint");
    va_list ap;
    ULONG status;
    va_start(ap, Format);
    status = capture(e, Format, ap);
    va_end(ap);
    hh_shim_leave(e);
    return status;
}

ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
    struct hh_engine *e = hh_shim_enter("DbgPrintEx");
    va_list ap;
    ULONG status;
    (void)ComponentId;
    (void)Level;
    va_start(ap, Format);
    status = capture(e, Format, ap);
    va_end(ap);
    hh_shim_leave(e);
    return status;
}
