/* <hotswap/wdm_string.h> - wdm.h's counted strings: UNICODE_STRING, ANSI_STRING and their Rtl
 * routines.
 *
 * Included by <hotswap/wdm.h>; not for direct use. WCHAR is 16 bits on every host, as in the
 * kernel. On Linux a wide literal (L"...") is a 32-bit wchar_t array unless the module is
 * built with -fshort-wchar, which the harness's Meson dependency and pkg-config file give, so
 * that RTL_CONSTANT_STRING(L"x") compiles unchanged; MinGW's and MSVC's wchar_t is 16 bits
 * already. Lengths are in bytes, as in the kernel. Where the kernel would fault (a NULL
 * string, a NULL buffer with a length) or the string breaks its own contract (Length past
 * MaximumLength, an odd Length), the harness ends the run with rule "bad-string".
 */
#ifndef HOTSWAP_WDM_STRING_H
#define HOTSWAP_WDM_STRING_H

#ifndef HOTSWAP_WDM_H
#error "include <hotswap/wdm.h>, not <hotswap/wdm_string.h>"
#endif

/* A module built the documented way has 16-bit wide literals; say so plainly otherwise. */
#if defined(HOTSWAP_HARNESS) && defined(__SIZEOF_WCHAR_T__) && __SIZEOF_WCHAR_T__ != 2 &&     \
    !defined(HOTSWAP_ALLOW_WIDE_WCHAR_T)
#error "wchar_t is not 16 bits here, so L\"...\" is not a WCHAR string: build the module with the flags of the hotswap-harness dependency or `pkg-config --cflags hotswap-harness` (-fshort-wchar)"
#endif

/* ---- Characters ------------------------------------------------------------------------ */
#if defined(_WIN32)
typedef wchar_t WCHAR;
#else
typedef unsigned short WCHAR; /* wchar_t under -fshort-wchar */
#endif
typedef WCHAR *PWCHAR, *PWCH, *PWSTR, *LPWSTR;
typedef const WCHAR *PCWCH, *PCWSTR, *LPCWSTR;
typedef CHAR *PCHAR, *PCH, *PSZ;
typedef const CHAR *PCCH, *PCSZ;

#ifndef UNICODE_NULL
#define UNICODE_NULL ((WCHAR)0)
#endif
#ifndef ANSI_NULL
#define ANSI_NULL ((CHAR)0)
#endif
#define UNICODE_STRING_MAX_BYTES ((USHORT)65534)
#define UNICODE_STRING_MAX_CHARS (32767)

/* ---- Counted strings ------------------------------------------------------------------- */
typedef struct _UNICODE_STRING {
    USHORT Length;        /* bytes, without a terminating UNICODE_NULL */
    USHORT MaximumLength; /* bytes of Buffer */
    PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;
typedef const STRING *PCSTRING, *PCANSI_STRING, *PCOEM_STRING;

/* An initializer from a string literal or array, wide or narrow: Length leaves out the
 * terminator. */
#define RTL_CONSTANT_STRING(s) { sizeof(s) - sizeof((s)[0]), sizeof(s), (s) }

#define DECLARE_CONST_UNICODE_STRING(_var, _string)                                          \
    const WCHAR _var##_buffer[] = _string;                                                   \
    const UNICODE_STRING _var = { sizeof(_string) - sizeof(WCHAR), sizeof(_string),          \
                                  (PWCH)_var##_buffer }
#define DECLARE_GLOBAL_CONST_UNICODE_STRING(_var, _str)                                      \
    const UNICODE_STRING _var = RTL_CONSTANT_STRING(_str)
#define DECLARE_UNICODE_STRING_SIZE(_var, _size)                                             \
    WCHAR _var##_buffer[_size];                                                              \
    UNICODE_STRING _var = { 0, (_size) * sizeof(WCHAR), _var##_buffer }

/* Inline in the WDK's header too: no check, no IRQL limit. */
FORCEINLINE VOID RtlInitEmptyUnicodeString(PUNICODE_STRING UnicodeString, PWCHAR Buffer,
                                           USHORT BufferSize)
{
    UnicodeString->Length = 0;
    UnicodeString->MaximumLength = BufferSize;
    UnicodeString->Buffer = Buffer;
}

FORCEINLINE VOID RtlInitEmptyAnsiString(PANSI_STRING AnsiString, PCHAR Buffer,
                                        USHORT BufferSize)
{
    AnsiString->Length = 0;
    AnsiString->MaximumLength = BufferSize;
    AnsiString->Buffer = Buffer;
}

/* Points the string at a NUL-terminated source (NULL gives an empty string); a source
 * longer than a counted string holds is cut, as the kernel cuts it. */
HH_API VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
HH_API VOID RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString);
HH_API VOID RtlInitString(PSTRING DestinationString, PCSZ SourceString);
/* Copies what fits in MaximumLength, and a UNICODE_NULL when there is room; a NULL source
 * gives Length 0. */
HH_API VOID RtlCopyUnicodeString(PUNICODE_STRING DestinationString,
                                 PCUNICODE_STRING SourceString);
HH_API BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                     BOOLEAN CaseInSensitive);
HH_API WCHAR RtlUpcaseUnicodeChar(WCHAR SourceCharacter);
/* With AllocateDestinationString the buffer comes from the tracked paged pool (tag 'USTR')
 * and must be released with RtlFreeUnicodeString, or the run reports a leak. */
HH_API NTSTATUS RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString,
                                       PCUNICODE_STRING SourceString,
                                       BOOLEAN AllocateDestinationString);
HH_API VOID RtlFreeUnicodeString(PUNICODE_STRING UnicodeString);

/* The same with the caller's source position, for leak and free reports. */
HH_API NTSTATUS HhRtlUpcaseUnicodeStringAt(PUNICODE_STRING DestinationString,
                                           PCUNICODE_STRING SourceString,
                                           BOOLEAN AllocateDestinationString, const char *File,
                                           int Line);
HH_API VOID HhRtlFreeUnicodeStringAt(PUNICODE_STRING UnicodeString, const char *File, int Line);
#ifndef HOTSWAP_NO_POOL_SITES
#define RtlUpcaseUnicodeString(d, s, a) HhRtlUpcaseUnicodeStringAt((d), (s), (a), __FILE__, __LINE__)
#define RtlFreeUnicodeString(s) HhRtlFreeUnicodeStringAt((s), __FILE__, __LINE__)
#endif

#endif
