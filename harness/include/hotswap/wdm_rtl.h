/* <hotswap/wdm_rtl.h> - wdm.h's structure macros, assertions and Rtl memory routines.
 *
 * Included by <hotswap/wdm.h>; not for direct use. Where the kernel stops the machine (a
 * failed ASSERT or NT_ASSERT, __fastfail, a corrupt list link) or the DDI's contract is broken
 * (an overlapping RtlCopyMemory), the harness ends the run with a finding that names the
 * source line. Assertions are checked in every build: a harness run is a checked build.
 */
#ifndef HOTSWAP_WDM_RTL_H
#define HOTSWAP_WDM_RTL_H

#ifndef HOTSWAP_WDM_H
#error "include <hotswap/wdm.h>, not <hotswap/wdm_rtl.h>"
#endif

/* ---- Structures and arrays ------------------------------------------------------------- */
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
#define RTL_SIZEOF_THROUGH_FIELD(type, field)                                                \
    (FIELD_OFFSET(type, field) + RTL_FIELD_SIZE(type, field))
#define CONTAINING_RECORD(address, type, field)                                              \
    ((type *)((PCHAR)(address) - (ULONG_PTR)offsetof(type, field)))
#define RTL_NUMBER_OF(A) (sizeof(A) / sizeof((A)[0]))
#define RTL_NUMBER_OF_V1(A) RTL_NUMBER_OF(A)
#define RTL_NUMBER_OF_V2(A) RTL_NUMBER_OF(A)
#ifndef ARRAYSIZE
#define ARRAYSIZE(A) RTL_NUMBER_OF(A)
#endif
#define ALIGN_DOWN_BY(length, alignment) ((ULONG_PTR)(length) & ~((ULONG_PTR)(alignment) - 1))
#define ALIGN_UP_BY(length, alignment)                                                       \
    ALIGN_DOWN_BY((ULONG_PTR)(length) + (alignment) - 1, (alignment))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#define UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#define C_ASSERT(e) _Static_assert((e), #e)

/* ---- Assertions and fail-fast ---------------------------------------------------------- */
#define FAST_FAIL_LEGACY_GS_VIOLATION 0
#define FAST_FAIL_VTGUARD_CHECK_FAILURE 1
#define FAST_FAIL_STACK_COOKIE_CHECK_FAILURE 2
#define FAST_FAIL_CORRUPT_LIST_ENTRY 3
#define FAST_FAIL_INCORRECT_STACK 4
#define FAST_FAIL_INVALID_ARG 5
#define FAST_FAIL_GS_COOKIE_INIT 6
#define FAST_FAIL_FATAL_APP_EXIT 7
#define FAST_FAIL_RANGE_CHECK_FAILURE 8
#define FAST_FAIL_INVALID_BUFFER_ACCESS 28
#define FAST_FAIL_INVALID_FAST_FAIL_CODE 0xFFFFFFFF
#define STATUS_ASSERTION_FAILURE ((NTSTATUS)0xC0000420L)
#define KERNEL_SECURITY_CHECK_FAILURE 0x00000139

/* The finding behind ASSERT/NT_ASSERT (rule "assertion", which a scenario may turn off, as
 * a free build compiles assertions out: the call then returns), and behind __fastfail (rule
 * "fast-fail"): each names the expression or code and file:line. */
HH_API VOID HhRtlAssert(const char *Expression, const char *Message, const char *File,
                        int Line);
HH_API DECLSPEC_NORETURN VOID HhFastFail(ULONG Code, const char *File, int Line)
    HH_NORETURN_ATTR;

#define ASSERT(exp) ((void)((exp) ? 0 : (HhRtlAssert(#exp, NULL, __FILE__, __LINE__), 0)))
#define ASSERTMSG(msg, exp)                                                                  \
    ((void)((exp) ? 0 : (HhRtlAssert(#exp, (msg), __FILE__, __LINE__), 0)))
#define NT_ASSERT(exp) ASSERT(exp)
#define NT_ASSERTMSG(msg, exp) ASSERTMSG(msg, exp)
#define NT_ASSERT_ASSUME(exp) ASSERT(exp)
#define NT_VERIFY(exp) ASSERT(exp)
#define NT_FRE_ASSERT(exp) ASSERT(exp)
#define __fastfail(code) HhFastFail((ULONG)(code), __FILE__, __LINE__)

/* ---- Memory ---------------------------------------------------------------------------- */
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlFillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define RtlEqualMemory(Destination, Source, Length) (!memcmp((Destination), (Source), (Length)))
#define RtlCopyBytes RtlCopyMemory
#define RtlFillBytes RtlFillMemory
#define RtlZeroBytes RtlZeroMemory
/* RtlCopyMemory requires ranges that do not overlap: one that does is a finding
 * (rule "overlapping-copy") naming the line, where memcpy would be undefined. With the rule
 * turned off the copy is made as RtlMoveMemory would. */
#define RtlCopyMemory(Destination, Source, Length)                                           \
    HhRtlCopyMemory((Destination), (Source), (Length), __FILE__, __LINE__)
#define RtlCompareMemory(Source1, Source2, Length) HhRtlCompareMemory((Source1), (Source2), (Length))
HH_API PVOID HhRtlCopyMemory(VOID *Destination, const VOID *Source, SIZE_T Length,
                             const char *File, int Line);
HH_API SIZE_T HhRtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length);
/* Zeroes through a volatile pointer, so the compiler cannot drop the stores. */
HH_API PVOID RtlSecureZeroMemory(PVOID Ptr, SIZE_T Count);
/* Length is in bytes (a multiple of 4) and Destination ULONG-aligned, as the DDI requires. */
HH_API VOID RtlFillMemoryUlong(PVOID Destination, SIZE_T Length, ULONG Pattern);
/* Bytes from the start that match Pattern, counted in whole ULONGs. */
HH_API SIZE_T RtlCompareMemoryUlong(PVOID Source, SIZE_T Length, ULONG Pattern);

#endif
