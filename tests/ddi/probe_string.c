/* probe_string.c - a routine module that uses every string DDI and DbgPrint format of
 * <hotswap/wdm.h>, written as driver code is (globals, L"..." literals, a multi-character pool
 * tag, LLP64 DbgPrint formats), and compiled with -Werror by gcc, clang and MinGW.
 *
 * Each STATUS_WAIT_0 runs the next group and prints one line of what the DDIs returned, which
 * the scenario compares; STATUS_WAIT_1 hands RtlCopyUnicodeString a string whose Length is
 * past its MaximumLength (a bad-string finding); STATUS_WAIT_2 upcases into a pool buffer and
 * never frees it (a pool-leak finding); anything else terminates.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#define PROBE_TAG 'gdWL'

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeStringRoutine;

static const UNICODE_STRING ProbeDeviceName = RTL_CONSTANT_STRING(L"\\Device\\Probe");
static const ANSI_STRING ProbeAnsiName = RTL_CONSTANT_STRING("probe-ansi");
static LONG ProbeRound;

static VOID ProbeLog(PCSTR Format, ...)
{
    va_list args;
    va_start(args, Format);
    vDbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, Format, args);
    va_end(args);
}

/* RtlInitUnicodeString, RtlInitAnsiString, RtlInitEmptyUnicodeString, RtlCopyUnicodeString. */
static VOID ProbeInitAndCopy(VOID)
{
    UNICODE_STRING name, copy, empty;
    ANSI_STRING ansi;
    WCHAR buffer[8];
    DECLARE_UNICODE_STRING_SIZE(roomy, 32);

    RtlInitUnicodeString(&name, L"Probe.sys");
    RtlInitAnsiString(&ansi, "ansi");
    RtlInitEmptyUnicodeString(&copy, buffer, sizeof(buffer));
    RtlCopyUnicodeString(&copy, &name);
    RtlCopyUnicodeString(&roomy, &name);
    RtlInitUnicodeString(&empty, NULL);
    ProbeLog("init %wZ %u/%u; ansi %Z %u/%u; copy %wZ %u/%u; roomy %wZ %u, nul %d; "
             "empty %u/%u\n",
             &name, name.Length, name.MaximumLength, &ansi, ansi.Length, ansi.MaximumLength,
             &copy, copy.Length, copy.MaximumLength, &roomy, roomy.Length,
             roomy_buffer[roomy.Length / sizeof(WCHAR)] == UNICODE_NULL, empty.Length,
             empty.MaximumLength);
}

/* RtlEqualUnicodeString, RtlUpcaseUnicodeString (both ways), RtlFreeUnicodeString. */
static VOID ProbeCompareAndUpcase(VOID)
{
    DECLARE_CONST_UNICODE_STRING(shouted, L"\\DEVICE\\PROBE");
    UNICODE_STRING upper, small;
    WCHAR tiny[4];
    PCWSTR first;
    NTSTATUS allocated, overflow;

    allocated = RtlUpcaseUnicodeString(&upper, &ProbeDeviceName, TRUE);
    RtlInitEmptyUnicodeString(&small, tiny, sizeof(tiny));
    overflow = RtlUpcaseUnicodeString(&small, &ProbeDeviceName, FALSE);
    first = upper.Buffer;
    DbgPrint("equal %d %d %d; upcase %08lx %wZ first %C; small %08lx\n",
             RtlEqualUnicodeString(&ProbeDeviceName, &shouted, TRUE),
             RtlEqualUnicodeString(&ProbeDeviceName, &shouted, FALSE),
             RtlEqualUnicodeString(&upper, &shouted, FALSE), allocated, &upper, first[1],
             overflow);
    RtlFreeUnicodeString(&upper);
}

/* DbgPrint's kernel formats: LLP64 sizes, wide and counted strings, the pool tag's bytes. */
static VOID ProbeFormats(VOID)
{
    PWCHAR wide = L"wide";
    PVOID block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PROBE_TAG);
    ULONG tag = PROBE_TAG;
    NTSTATUS status = STATUS_UNSUCCESSFUL;

    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
               "status %08lx %ld; %I64x %llu; %Ix; %ws %S %hs %Z; tag %c%c%c%c; %s\n", status,
               (LONG)-2, (ULONGLONG)0xFEDCBA9876543210ULL, (ULONGLONG)42, (ULONG_PTR)0xABC,
               wide, wide, "narrow", &ProbeAnsiName, (int)(tag & 0xFF),
               (int)(tag >> 8 & 0xFF), (int)(tag >> 16 & 0xFF), (int)(tag >> 24),
               block ? "allocated" : "no pool");
    if (block)
        ExFreePoolWithTag(block, PROBE_TAG);
}

static VOID ProbeBadString(VOID)
{
    WCHAR buffer[4];
    UNICODE_STRING source = {8, 4, buffer}, dest;

    RtlInitEmptyUnicodeString(&dest, buffer, sizeof(buffer));
    RtlCopyUnicodeString(&dest, &source);
}

static VOID ProbeLeak(VOID)
{
    UNICODE_STRING upper;

    if (NT_SUCCESS(RtlUpcaseUnicodeString(&upper, &ProbeDeviceName, TRUE)))
        DbgPrint("leaking %wZ\n", &upper);
}

_Use_decl_annotations_
BOOLEAN ProbeStringRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    UNREFERENCED_PARAMETER(WorkerContext);
    switch (WaitStatus) {
    case STATUS_WAIT_0:
        switch (++ProbeRound) {
        case 1: ProbeInitAndCopy(); break;
        case 2: ProbeCompareAndUpcase(); break;
        default: ProbeFormats(); break;
        }
        return TRUE;
    case STATUS_WAIT_1:
        ProbeBadString();
        return TRUE;
    case STATUS_WAIT_2:
        ProbeLeak();
        return TRUE;
    default:
        DbgPrint("probe: status %08lx, terminating\n", WaitStatus);
        return FALSE;
    }
}
