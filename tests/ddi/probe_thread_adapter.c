/* probe_thread_adapter.c - harness-only exports that make probe_thread a driver with a
 * housekeeping thread: started at set-up (DriverEntry's place), ticking every 10 ms until
 * its stop event is set, and joined at HotswapDestroyContext (the driver's unload) the way a
 * driver joins a thread it created: set the stop event, wait on the thread object, close the
 * handle. Built into probe_thread_driver only.
 */
#include <hotswap/harness.h>

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

static KEVENT HousekeepingStop;
static HANDLE HousekeepingHandle;
static LONG HousekeepingTicks;

static KSTART_ROUTINE Housekeeping;

_Use_decl_annotations_
static VOID
Housekeeping(PVOID StartContext)
{
    LARGE_INTEGER period;

    UNREFERENCED_PARAMETER(StartContext);
    period.QuadPart = -10 * 10000; /* 10 ms */
    while (KeWaitForSingleObject(&HousekeepingStop, Executive, KernelMode, FALSE, &period) ==
           STATUS_TIMEOUT) {
        HousekeepingTicks++;
    }
}

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    OBJECT_ATTRIBUTES attributes;

    UNREFERENCED_PARAMETER(Args);
    KeInitializeEvent(&HousekeepingStop, NotificationEvent, FALSE);
    HousekeepingTicks = 0;
    InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    *Context = NULL;
    return PsCreateSystemThread(&HousekeepingHandle, THREAD_ALL_ACCESS, &attributes, NULL, NULL,
                                Housekeeping, NULL);
}

VOID
HotswapDestroyContext(PVOID Context)
{
    PVOID thread;

    UNREFERENCED_PARAMETER(Context);
    KeSetEvent(&HousekeepingStop, IO_NO_INCREMENT, FALSE);
    if (NT_SUCCESS(ObReferenceObjectByHandle(HousekeepingHandle, SYNCHRONIZE, *PsThreadType,
                                             KernelMode, &thread, NULL))) {
        KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL);
        ObDereferenceObject(thread);
    }
    ZwClose(HousekeepingHandle);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    UNREFERENCED_PARAMETER(Context);
    return HotswapFormat(Buffer, Size, "{\"ticks\":%ld}", (long)HousekeepingTicks);
}
