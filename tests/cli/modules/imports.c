/* imports.c - a routine module that imports what no loaded library defines, for the wording
 * of the load error: a kernel routine libhotswap does not provide (IMPORT_UNKNOWN), a
 * misspelled one it does (IMPORT_TYPO), or a symbol only an instrumented build's runtime
 * defines (IMPORT_SANCOV, as a module built with -fsanitize=fuzzer has). */
#include <hotswap/wdm.h>

#if defined(IMPORT_UNKNOWN)
NTSTATUS KeSaveExtendedProcessorState(ULONG64 Mask, PVOID XStateSave);
#define IMPORTED() (KeSaveExtendedProcessorState(0, NULL) == STATUS_SUCCESS)
#elif defined(IMPORT_TYPO)
LONG KeSetEvnt(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
#define IMPORTED() (KeSetEvnt(NULL, 0, FALSE) != 0)
#else
extern _Thread_local ULONG_PTR __sancov_lowest_stack;
#define IMPORTED() (__sancov_lowest_stack != 0)
#endif

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ImportsRoutine;

BOOLEAN ImportsRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    UNREFERENCED_PARAMETER(WorkerContext);
    return WaitStatus == STATUS_WAIT_0 && IMPORTED();
}
