/* rtl.c - the Rtl memory routines that are functions, failed assertions and __fastfail.
 *
 * RtlZeroMemory, RtlFillMemory, RtlMoveMemory and RtlEqualMemory are memset/memmove/memcmp
 * macros in <hotswap/wdm_rtl.h>. RtlCopyMemory is a function so that overlapping ranges are
 * a finding rather than memcpy's undefined behaviour. An assertion and __fastfail end the run
 * where the kernel would stop the machine.
 */
#include <stdio.h>

#include "shim.h"

PVOID HhRtlCopyMemory(VOID *Destination, const VOID *Source, SIZE_T Length, const char *File,
                      int Line)
{
    uintptr_t d = (uintptr_t)Destination, s = (uintptr_t)Source;
    if (Length && (d < s ? s - d < Length : d - s < Length)) {
        struct hh_engine *e = hh_shim_enter("RtlCopyMemory");
        char gap[96];
        if (d == s)
            snprintf(gap, sizeof(gap), "the destination is the source");
        else
            snprintf(gap, sizeof(gap), "the destination starts %llu bytes %s the source",
                     (unsigned long long)(d < s ? s - d : d - s), d < s ? "before" : "after");
        hh_engine_fail(e, HH_RULE_OVERLAPPING_COPY,
                        "RtlCopyMemory at %s:%d copies %llu bytes between ranges that overlap "
                        "(%s); the DDI requires ranges that do not overlap and the result is "
                        "undefined: use RtlMoveMemory",
                        File, Line, (unsigned long long)Length, gap);
        hh_shim_leave(e); /* the rule is off: copy as the ranges allow */
        return memmove(Destination, Source, Length);
    }
    return memcpy(Destination, Source, Length);
}

SIZE_T HhRtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length)
{
    const UCHAR *a = Source1, *b = Source2;
    SIZE_T i = 0;
    while (i < Length && a[i] == b[i])
        i++;
    return i;
}

PVOID RtlSecureZeroMemory(PVOID Ptr, SIZE_T Count)
{
    volatile UCHAR *p = Ptr;
    while (Count--)
        *p++ = 0;
    return Ptr;
}

VOID RtlFillMemoryUlong(PVOID Destination, SIZE_T Length, ULONG Pattern)
{
    ULONG *p = Destination;
    SIZE_T i;
    for (i = 0; i < Length / sizeof(ULONG); i++)
        p[i] = Pattern;
}

SIZE_T RtlCompareMemoryUlong(PVOID Source, SIZE_T Length, ULONG Pattern)
{
    const ULONG *p = Source;
    SIZE_T i;
    /* Documented: 0 for a Source not ULONG-aligned or a Length not a multiple of 4. */
    if ((uintptr_t)Source % sizeof(ULONG) || Length % sizeof(ULONG))
        return 0;
    for (i = 0; i < Length / sizeof(ULONG) && p[i] == Pattern; i++)
        ;
    return i * sizeof(ULONG);
}

VOID HhRtlAssert(const char *Expression, const char *Message, const char *File, int Line)
{
    struct hh_engine *e = hh_shim_enter("ASSERT");
    char what[160] = "";
    if (Message)
        snprintf(what, sizeof(what), " (\"%s\")", Message);
    hh_engine_fail(e, HH_RULE_ASSERTION,
                   "assertion failed at %s:%d: %s%s; the kernel breaks into the debugger, or "
                   "without one raises STATUS_ASSERTION_FAILURE (0xC0000420), which stops the "
                   "system",
                   File, Line, Expression, what);
    hh_shim_leave(e); /* the rule is off, as in a free build */
}

static const char *fast_fail_name(ULONG code)
{
    switch (code) {
    case FAST_FAIL_STACK_COOKIE_CHECK_FAILURE:
        return " (FAST_FAIL_STACK_COOKIE_CHECK_FAILURE)";
    case FAST_FAIL_CORRUPT_LIST_ENTRY:
        return " (FAST_FAIL_CORRUPT_LIST_ENTRY)";
    case FAST_FAIL_INVALID_ARG:
        return " (FAST_FAIL_INVALID_ARG)";
    case FAST_FAIL_FATAL_APP_EXIT:
        return " (FAST_FAIL_FATAL_APP_EXIT)";
    case FAST_FAIL_RANGE_CHECK_FAILURE:
        return " (FAST_FAIL_RANGE_CHECK_FAILURE)";
    case FAST_FAIL_INVALID_BUFFER_ACCESS:
        return " (FAST_FAIL_INVALID_BUFFER_ACCESS)";
    default:
        return "";
    }
}

VOID HhFastFail(ULONG Code, const char *File, int Line)
{
    hh_engine_abort(hh_shim_enter("__fastfail"), HH_RULE_FAST_FAIL,
                    "__fastfail(%lu%s) at %s:%d; the kernel bug-checks with "
                    "KERNEL_SECURITY_CHECK_FAILURE (0x139, %lu)",
                    (unsigned long)Code, fast_fail_name(Code), File, Line, (unsigned long)Code);
}
