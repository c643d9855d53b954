/* dbgprint.c - DbgPrint, DbgPrintEx and vDbgPrintEx(WithPrefix), captured into the running
 * invocation's log.
 *
 * The text is what the kernel's formatter makes of the format (dbgfmt.c: LLP64 sizes,
 * %wZ, %Z, %ws, ...) whatever the host: no component or level prefix, no 512-byte cut (the
 * debugger transport's limit, not the routine's), and DbgPrintEx is not filtered by level,
 * so every message a routine prints can be expected in a scenario. A Unicode conversion
 * above PASSIVE_LEVEL breaks the documented contract and ends the run (rule "irql").
 */
#include <stdarg.h>
#include <string.h>

#include "dbgfmt.h"
#include "shim.h"

static ULONG capture(const char *routine, PCSTR prefix, PCSTR format, va_list ap)
{
    struct hh_engine *e = hh_shim_enter(routine);
    struct hh_dbgfmt f;
    ULONG status = (ULONG)STATUS_SUCCESS;
    char irql[24], conversion[sizeof(f.unicode)];
    hh_dbgfmt_init(&f);
    if (prefix)
        hh_dbgfmt_append(&f, prefix, strlen(prefix));
    if (format)
        hh_dbgfmt_format(&f, format, ap);
    if (f.unicode[0] && e->current->irql > PASSIVE_LEVEL) {
        memcpy(conversion, f.unicode, sizeof(conversion));
        hh_dbgfmt_free(&f);
        hh_engine_abort(e, HH_RULE_IRQL,
                        "%s with the Unicode conversion %s at %s: Unicode conversions are "
                        "documented for PASSIVE_LEVEL only (the conversion may touch pageable "
                        "code and data; a page fault at DISPATCH_LEVEL or above bug-checks)",
                        routine, conversion, hh_irql_name(e->current->irql, irql, sizeof(irql)));
    }
    if (f.failed || !f.text)
        status = (ULONG)STATUS_UNSUCCESSFUL;
    else
        hh_engine_log(e, f.text, f.len);
    hh_dbgfmt_free(&f);
    hh_shim_leave(e);
    return status;
}

ULONG DbgPrint(PCSTR Format, ...)
{
    va_list ap;
    ULONG status;
    va_start(ap, Format);
    status = capture("DbgPrint", NULL, Format, ap);
    va_end(ap);
    return status;
}

ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
    va_list ap;
    ULONG status;
    (void)ComponentId;
    (void)Level;
    va_start(ap, Format);
    status = capture("DbgPrintEx", NULL, Format, ap);
    va_end(ap);
    return status;
}

ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, va_list arglist)
{
    (void)ComponentId;
    (void)Level;
    return capture("vDbgPrintEx", NULL, Format, arglist);
}

ULONG vDbgPrintExWithPrefix(PCSTR Prefix, ULONG ComponentId, ULONG Level, PCSTR Format,
                            va_list arglist)
{
    (void)ComponentId;
    (void)Level;
    return capture("vDbgPrintExWithPrefix", Prefix, Format, arglist);
}
