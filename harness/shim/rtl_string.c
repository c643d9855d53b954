/* rtl_string.c - UNICODE_STRING and ANSI_STRING: the Rtl routines of <hotswap/wdm_string.h>.
 *
 * Semantics are the kernel's (lengths in bytes, the cut of RtlInitUnicodeString at 65532
 * bytes, RtlCopyUnicodeString truncating to the destination's MaximumLength). A string the
 * kernel would fault on, or one that breaks its own contract, ends the run with rule
 * "bad-string" naming the routine and the parameter. RtlUpcaseUnicodeString's buffer comes
 * from the tracked pool, so a missing RtlFreeUnicodeString is a leak with the caller's line.
 */
#define HOTSWAP_NO_POOL_SITES /* the plain routines are defined here */
#include <string.h>

#include "shim.h"

/* The pool tag of string buffers the Rtl routines allocate, bytes in memory order "USTR". */
#define STRING_TAG ((ULONG)'U' | (ULONG)'S' << 8 | (ULONG)'T' << 16 | (ULONG)'R' << 24)
/* RtlInitUnicodeString's longest Length: a USHORT's even maximum, less the terminator. */
#define MAX_UNICODE_LENGTH ((SIZE_T)(0xFFFE - sizeof(WCHAR)))
#define MAX_ANSI_LENGTH ((SIZE_T)0xFFFE)

/* What UNICODE_STRING and STRING share, for the checks. */
struct counted {
    USHORT length, maximum;
    const void *buffer;
};

/* A string the routine reads (or, with `room`, writes up to `room` bytes into): NULL, a NULL
 * buffer it would touch, Length past MaximumLength, an odd Length of a wide string. */
static void check_string(struct hh_engine *e, const char *routine, const char *param,
                         const void *s, struct counted c, int wide, SIZE_T room)
{
    if (!s)
        hh_engine_abort(e, HH_RULE_BAD_STRING,
                        "%s: %s is NULL; the kernel dereferences it and faults (a bug check)",
                        routine, param);
    if (c.length > c.maximum)
        hh_engine_abort(e, HH_RULE_BAD_STRING,
                        "%s: %s has Length %u past its MaximumLength %u; the kernel trusts "
                        "Length and reads past the buffer",
                        routine, param, (unsigned)c.length, (unsigned)c.maximum);
    if (wide && c.length % sizeof(WCHAR))
        hh_engine_abort(e, HH_RULE_BAD_STRING,
                        "%s: %s has the odd Length %u; a UNICODE_STRING's Length counts bytes "
                        "of 2-byte WCHARs (characters * sizeof(WCHAR))",
                        routine, param, (unsigned)c.length);
    if (!c.buffer && (c.length > 0 || room > 0))
        hh_engine_abort(e, HH_RULE_BAD_STRING,
                        "%s: %s has a NULL Buffer with %s %u; the kernel %s it and faults (a "
                        "bug check)",
                        routine, param, room ? "room for" : "Length",
                        (unsigned)(room ? room : c.length), room ? "writes to" : "reads");
}

/* A string the routine reads. */
static void check_unicode(struct hh_engine *e, const char *routine, const char *param,
                          PCUNICODE_STRING s)
{
    struct counted c = {0, 0, NULL};
    if (s) {
        c.length = s->Length;
        c.maximum = s->MaximumLength;
        c.buffer = s->Buffer;
    }
    check_string(e, routine, param, s, c, 1, 0);
}

/* A string the routine writes `room` bytes into: its old Length is not read. */
static void check_destination(struct hh_engine *e, const char *routine, PCUNICODE_STRING s,
                              SIZE_T room)
{
    struct counted c = {0, 0, NULL};
    if (s) {
        c.maximum = s->MaximumLength;
        c.buffer = s->Buffer;
    }
    check_string(e, routine, "DestinationString", s, c, 1, room);
}

static void check_not_null(struct hh_engine *e, const char *routine, const char *param,
                           const void *p)
{
    struct counted none = {0, 0, NULL};
    if (!p)
        check_string(e, routine, param, NULL, none, 0, 0);
}

/* The documented IRQL of the routines whose code and case tables are pageable. */
static void require_irql(struct hh_engine *e, const char *routine, KIRQL max)
{
    char have[24], limit[24];
    if (e->current->irql <= max)
        return;
    hh_engine_abort(e, HH_RULE_IRQL,
                    "%s called at %s; it requires IRQL <= %s (its code and tables are "
                    "pageable: a page fault at DISPATCH_LEVEL or above bug-checks with "
                    "IRQL_NOT_LESS_OR_EQUAL)",
                    routine, hh_irql_name(e->current->irql, have, sizeof(have)),
                    hh_irql_name(max, limit, sizeof(limit)));
}

/* ---- Initialization -------------------------------------------------------------------- */
VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    struct hh_engine *e = hh_shim_enter("RtlInitUnicodeString");
    SIZE_T n = 0;
    check_not_null(e, "RtlInitUnicodeString", "DestinationString", DestinationString);
    if (SourceString) {
        while (SourceString[n])
            n++;
        n *= sizeof(WCHAR);
        if (n > MAX_UNICODE_LENGTH)
            n = MAX_UNICODE_LENGTH;
        DestinationString->Length = (USHORT)n;
        DestinationString->MaximumLength = (USHORT)(n + sizeof(WCHAR));
    } else {
        DestinationString->Length = DestinationString->MaximumLength = 0;
    }
    DestinationString->Buffer = (PWCH)SourceString;
    hh_shim_leave(e);
}

static VOID init_narrow(const char *routine, PSTRING DestinationString, PCSZ SourceString)
{
    struct hh_engine *e = hh_shim_enter(routine);
    SIZE_T n;
    check_not_null(e, routine, "DestinationString", DestinationString);
    if (SourceString) {
        n = strlen(SourceString);
        if (n > MAX_ANSI_LENGTH)
            n = MAX_ANSI_LENGTH;
        DestinationString->Length = (USHORT)n;
        DestinationString->MaximumLength = (USHORT)(n + 1);
    } else {
        DestinationString->Length = DestinationString->MaximumLength = 0;
    }
    DestinationString->Buffer = (PCHAR)SourceString;
    hh_shim_leave(e);
}

VOID RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString)
{
    init_narrow("RtlInitAnsiString", DestinationString, SourceString);
}

VOID RtlInitString(PSTRING DestinationString, PCSZ SourceString)
{
    init_narrow("RtlInitString", DestinationString, SourceString);
}

/* ---- Copy and compare ------------------------------------------------------------------ */
VOID RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString)
{
    static const char routine[] = "RtlCopyUnicodeString";
    struct hh_engine *e = hh_shim_enter(routine);
    SIZE_T n;
    check_not_null(e, routine, "DestinationString", DestinationString);
    if (!SourceString) {
        DestinationString->Length = 0;
        hh_shim_leave(e);
        return;
    }
    check_unicode(e, routine, "SourceString", SourceString);
    n = SourceString->Length < DestinationString->MaximumLength
            ? SourceString->Length
            : DestinationString->MaximumLength;
    check_destination(e, routine, DestinationString, n);
    if (n)
        memmove(DestinationString->Buffer, SourceString->Buffer, n);
    DestinationString->Length = (USHORT)n;
    if (n + sizeof(WCHAR) <= DestinationString->MaximumLength)
        DestinationString->Buffer[n / sizeof(WCHAR)] = UNICODE_NULL;
    hh_shim_leave(e);
}

/* Upper case for ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic and fullwidth Latin; the
 * other characters stay as they are. */
WCHAR RtlUpcaseUnicodeChar(WCHAR SourceCharacter)
{
    unsigned c = SourceCharacter;
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
        (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) || (c >= 0x430 && c <= 0x44F) ||
        (c >= 0xFF41 && c <= 0xFF5A))
        return (WCHAR)(c - 0x20);
    if (c == 0xFF)
        return (WCHAR)0x178;
    if (c >= 0x450 && c <= 0x45F)
        return (WCHAR)(c - 0x50);
    /* Latin Extended-A: pairs, the capital first, except where the block shifts by one. */
    if (((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
         (c >= 0x14A && c <= 0x177)) && (c & 1))
        return (WCHAR)(c - 1);
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && !(c & 1))
        return (WCHAR)(c - 1);
    return SourceCharacter;
}

BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                              BOOLEAN CaseInSensitive)
{
    static const char routine[] = "RtlEqualUnicodeString";
    struct hh_engine *e = hh_shim_enter(routine);
    BOOLEAN equal = TRUE;
    SIZE_T i;
    require_irql(e, routine, PASSIVE_LEVEL);
    check_unicode(e, routine, "String1", String1);
    check_unicode(e, routine, "String2", String2);
    if (String1->Length != String2->Length)
        equal = FALSE;
    for (i = 0; equal && i < String1->Length / sizeof(WCHAR); i++) {
        WCHAR a = String1->Buffer[i], b = String2->Buffer[i];
        if (CaseInSensitive) {
            a = RtlUpcaseUnicodeChar(a);
            b = RtlUpcaseUnicodeChar(b);
        }
        equal = a == b;
    }
    hh_shim_leave(e);
    return equal;
}

/* ---- Strings with a pool buffer -------------------------------------------------------- */
NTSTATUS HhRtlUpcaseUnicodeStringAt(PUNICODE_STRING DestinationString,
                                    PCUNICODE_STRING SourceString,
                                    BOOLEAN AllocateDestinationString, const char *File,
                                    int Line)
{
    static const char routine[] = "RtlUpcaseUnicodeString";
    struct hh_engine *e = hh_shim_enter(routine);
    SIZE_T i, n;
    require_irql(e, routine, APC_LEVEL);
    check_not_null(e, routine, "DestinationString", DestinationString);
    check_unicode(e, routine, "SourceString", SourceString);
    n = SourceString->Length;
    if (AllocateDestinationString) {
        /* An empty source gets no buffer: a zero-byte pool request would be a finding of
         * its own, and RtlFreeUnicodeString skips a NULL Buffer. */
        DestinationString->MaximumLength = (USHORT)n;
        DestinationString->Buffer =
            n ? HhExAllocatePoolWithTagAt(PagedPool, n, STRING_TAG, File, Line) : NULL;
        if (n && !DestinationString->Buffer) {
            hh_shim_leave(e);
            return STATUS_NO_MEMORY;
        }
    } else if (n > DestinationString->MaximumLength) {
        hh_shim_leave(e);
        return STATUS_BUFFER_OVERFLOW;
    }
    check_destination(e, routine, DestinationString, n);
    for (i = 0; i < n / sizeof(WCHAR); i++)
        DestinationString->Buffer[i] = RtlUpcaseUnicodeChar(SourceString->Buffer[i]);
    DestinationString->Length = (USHORT)n;
    hh_shim_leave(e);
    return STATUS_SUCCESS;
}

VOID HhRtlFreeUnicodeStringAt(PUNICODE_STRING UnicodeString, const char *File, int Line)
{
    static const char routine[] = "RtlFreeUnicodeString";
    struct hh_engine *e = hh_shim_enter(routine);
    require_irql(e, routine, APC_LEVEL);
    check_not_null(e, routine, "UnicodeString", UnicodeString);
    if (UnicodeString->Buffer) {
        /* ExFreePool's check: the tag is the pool's business, not the caller's. */
        HhExFreePoolAt(UnicodeString->Buffer, File, Line);
        memset(UnicodeString, 0, sizeof(*UnicodeString));
    }
    hh_shim_leave(e);
}

NTSTATUS RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                BOOLEAN AllocateDestinationString)
{
    return HhRtlUpcaseUnicodeStringAt(DestinationString, SourceString,
                                      AllocateDestinationString, NULL, 0);
}

VOID RtlFreeUnicodeString(PUNICODE_STRING UnicodeString)
{
    HhRtlFreeUnicodeStringAt(UnicodeString, NULL, 0);
}
