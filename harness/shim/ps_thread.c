/* ps_thread.c - PsCreateSystemThread and PsTerminateSystemThread on the engine's system
 * threads (engine/simthread.c) and handle table (engine/handle.c). */
#include "shim.h"

#include <string.h>

/* The System process's id, as ClientId.UniqueProcess gives it. */
#define SYSTEM_PROCESS_ID 4

NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                              PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine,
                              PVOID StartContext)
{
    static const char routine[] = "PsCreateSystemThread";
    static const char real_clock[] =
        "hotswap: PsCreateSystemThread returns STATUS_NOT_SUPPORTED: system threads run under "
        "the virtual clock only (play the scenario with --clock virtual)\n";
    struct hh_engine *e = hh_shim_enter(routine);
    const void *caller = HH_RETURN_ADDRESS();
    PKTHREAD t;
    NTSTATUS status;
    (void)DesiredAccess;
    (void)ObjectAttributes;
    (void)ProcessHandle;
    hh_shim_require_irql(e, routine, PASSIVE_LEVEL);
    if (!ThreadHandle || !StartRoutine) {
        hh_shim_leave(e);
        return STATUS_INVALID_PARAMETER;
    }
    *ThreadHandle = NULL;
    status = hh_thread_create(e, StartRoutine, StartContext, caller, &t);
    if (status == STATUS_NOT_SUPPORTED)
        hh_engine_log(e, real_clock, sizeof(real_clock) - 1);
    if (NT_SUCCESS(status)) {
        *ThreadHandle = hh_handle_open(e, t, caller);
        if (ClientId) {
            ClientId->UniqueProcess = (HANDLE)(ULONG_PTR)SYSTEM_PROCESS_ID;
            ClientId->UniqueThread = (HANDLE)(ULONG_PTR)(t->id * 4u); /* PsGetCurrentThreadId's */
        }
    }
    hh_shim_leave(e);
    return status;
}

NTSTATUS PsTerminateSystemThread(NTSTATUS ExitStatus)
{
    struct hh_engine *e = hh_shim_enter("PsTerminateSystemThread");
    hh_shim_require_irql(e, "PsTerminateSystemThread", PASSIVE_LEVEL);
    hh_thread_exit(e, ExitStatus); /* does not return on a system thread */
    hh_shim_leave(e);
    return STATUS_INVALID_PARAMETER;
}
